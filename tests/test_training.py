"""The lean training path of ``python -m chapter2 train``: uint8 images scaled batch by batch."""

import numpy as np
import pytest

from chapter2 import layers, models
from chapter2.errors import NotCompiledError
from chapter2.training import evaluate_pixels, fit_pixels
from chapter2.utils import set_random_seed


def _pixels_and_targets():
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 3, size=70)
    pixels = rng.integers(0, 256, size=(70, 20)).astype(np.uint8)
    pixels[:, labels] = 255          # something to learn
    return pixels, np.eye(3, dtype="float32")[labels]


def _model(seed=11):
    set_random_seed(seed)
    model = models.Sequential([layers.Dense(8, activation="relu", input_shape=(20,)),
                               layers.Dense(3, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def test_fit_pixels_takes_exactly_the_steps_of_fit_on_scaled_images():
    pixels, targets = _pixels_and_targets()
    lean = _model()
    lean_history = fit_pixels(lean, pixels, targets, epochs=3, batch_size=16, verbose=0)
    book = _model()
    book_history = book.fit(pixels.astype("float32") / 255, targets, epochs=3, batch_size=16, verbose=0)
    for a, b in zip(lean.get_weights(), book.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert lean_history.history == book_history.history
    assert lean.history is lean_history


def test_evaluate_pixels_matches_evaluate_on_scaled_images():
    pixels, targets = _pixels_and_targets()
    model = _model()
    fit_pixels(model, pixels, targets, epochs=1, batch_size=16, verbose=0)
    loss, accuracy = evaluate_pixels(model, pixels, targets, batch_size=32)
    expected = model.evaluate(pixels.astype("float32") / 255, targets, batch_size=32, verbose=0)
    assert accuracy == expected[1]
    assert loss == pytest.approx(expected[0], rel=1e-6)


def test_fit_pixels_prints_the_epochs_like_fit(capsys):
    pixels, targets = _pixels_and_targets()
    fit_pixels(_model(), pixels, targets, epochs=2, batch_size=16, verbose=2)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out and "5/5" in out


def test_fit_pixels_needs_a_compiled_model():
    pixels, targets = _pixels_and_targets()
    with pytest.raises(NotCompiledError):
        fit_pixels(models.Sequential([layers.Dense(3, input_shape=(20,))]), pixels, targets, 1, 16)


def test_the_cli_path_uses_only_the_public_api():
    import inspect

    import chapter2.training

    source = inspect.getsource(chapter2.training)
    assert "network._" not in source and "._train_step" not in source


def test_scaled_pixels_give_fit_the_same_steps_with_validation_and_predict():
    from chapter2.sources import ScaledPixels

    pixels, targets = _pixels_and_targets()
    lean = _model()             # each _model() seeds the weights and the shuffling
    lean.fit(ScaledPixels(pixels), targets, epochs=2, batch_size=16, validation_split=0.25, verbose=0)
    plain = _model()
    plain.fit(pixels.astype("float32") / 255, targets, epochs=2, batch_size=16, validation_split=0.25, verbose=0)
    assert lean.history.history == plain.history.history
    np.testing.assert_array_equal(lean.predict(ScaledPixels(pixels), batch_size=7),
                                  plain.predict(pixels.astype("float32") / 255, batch_size=7))


def test_scaled_pixels_refuse_floats_and_out_of_range_values():
    from chapter2.errors import Chapter2Error
    from chapter2.sources import ScaledPixels

    with pytest.raises(Chapter2Error, match="already scaled"):
        ScaledPixels(np.zeros((2, 3), "float32"))
    with pytest.raises(Chapter2Error, match=r"\[0, 255\]"):
        ScaledPixels(np.array([[300]]))
