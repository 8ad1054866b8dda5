"""The Keras-shaped model API on small synthetic data."""

import io
from contextlib import redirect_stdout

import numpy as np
import pytest

from chapter2 import layers, models, optimizers
from chapter2.errors import NotCompiledError, TrainingDivergedError
from chapter2.utils import set_random_seed, to_categorical


def _model(seed=0, optimizer="rmsprop", loss="categorical_crossentropy"):
    set_random_seed(seed)
    model = models.Sequential()
    model.add(layers.Dense(16, activation="relu", input_shape=(4,)))
    model.add(layers.Dense(3, activation="softmax"))
    model.compile(optimizer=optimizer, loss=loss, metrics=["accuracy"])
    return model


def test_fit_learns_and_returns_a_history(blobs):
    x, labels = blobs
    model = _model(optimizer=optimizers.RMSprop(learning_rate=0.01))
    history = model.fit(x, to_categorical(labels), epochs=5, batch_size=32, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss"]
    assert len(history.history["loss"]) == 5
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, accuracy = model.evaluate(x, to_categorical(labels), verbose=0)
    assert accuracy > 0.95
    assert model.history is history


def test_evaluate_agrees_with_predict(blobs):
    x, labels = blobs
    model = _model()
    y = to_categorical(labels)
    loss, accuracy = model.evaluate(x, y, batch_size=7, verbose=0)
    probs = model.predict(x, batch_size=11)
    assert probs.shape == (300, 3) and probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-5)
    assert accuracy == pytest.approx(np.mean(probs.argmax(1) == labels))
    expected_loss = -np.mean(np.log(np.clip(probs[np.arange(300), labels], 1e-7, 1)))
    assert loss == pytest.approx(expected_loss, rel=1e-5)


def test_sparse_labels_train_like_one_hot_labels(blobs):
    x, labels = blobs
    one_hot = _model(seed=3).fit(x, to_categorical(labels), epochs=2, verbose=0, shuffle=False)
    sparse = _model(seed=3, loss="sparse_categorical_crossentropy").fit(x, labels, epochs=2, verbose=0,
                                                                        shuffle=False)
    np.testing.assert_allclose(one_hot.history["loss"], sparse.history["loss"], rtol=1e-5)


def test_same_seed_same_weights_and_history(blobs):
    x, labels = blobs
    runs = []
    for _ in range(2):
        model = _model(seed=42)
        history = model.fit(x, to_categorical(labels), epochs=3, batch_size=16, verbose=0)
        runs.append((model.get_weights(), history.history))
    for a, b in zip(runs[0][0], runs[1][0]):
        np.testing.assert_array_equal(a, b)
    assert runs[0][1] == runs[1][1]
    other = _model(seed=43).get_weights()
    assert not np.array_equal(other[0], _model(seed=42).get_weights()[0])


def test_dense_initialisation_is_glorot_uniform_with_zero_bias():
    set_random_seed(0)
    layer = layers.Dense(512, input_shape=(784,))
    limit = np.sqrt(6 / (784 + 512))
    assert layer.kernel.dtype == np.float32 and layer.kernel.shape == (784, 512)
    assert np.abs(layer.kernel).max() <= limit
    assert np.std(layer.kernel) == pytest.approx(limit / np.sqrt(3), rel=0.01)
    assert not layer.bias.any()


def test_validation_split_and_validation_data(blobs):
    x, labels = blobs
    y = to_categorical(labels)
    history = _model().fit(x, y, epochs=2, validation_split=0.2, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    model = _model()
    history = model.fit(x[:200], y[:200], epochs=1, validation_data=(x[200:], y[200:]), verbose=0)
    loss, accuracy = model.evaluate(x[200:], y[200:], verbose=0)
    assert history.history["val_loss"][0] == pytest.approx(loss)
    assert history.history["val_accuracy"][0] == pytest.approx(accuracy)


def test_weights_round_trip_through_a_file(blobs, tmp_path):
    x, labels = blobs
    model = _model(seed=1)
    model.fit(x, to_categorical(labels), epochs=1, verbose=0)
    path = tmp_path / "model.weights.npz"
    model.save_weights(path)
    assert [p.name for p in tmp_path.iterdir()] == ["model.weights.npz"]
    fresh = _model(seed=2)
    fresh.load_weights(path)
    np.testing.assert_array_equal(fresh.predict(x), model.predict(x))


def test_set_weights_checks_shapes():
    model = _model()
    weights = model.get_weights()
    weights[0] = weights[0][:3]
    with pytest.raises(ValueError, match=r"weights\[0\] must have shape \(4, 16\)"):
        model.set_weights(weights)


def test_summary_lists_layers_and_parameter_counts():
    out = io.StringIO()
    with redirect_stdout(out):
        _model().summary()
    text = out.getvalue()
    assert "dense_0" in text and "dense_1" in text
    assert "Total params: 131" in text          # 4*16 + 16 + 16*3 + 3


def test_layers_without_input_shape_are_built_on_first_use(blobs):
    x, labels = blobs
    model = models.Sequential([layers.Dense(8, activation="relu"), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, labels, epochs=1, verbose=0)
    assert [w.shape for w in model.get_weights()] == [(4, 8), (8,), (8, 3), (3,)]


def test_fit_before_compile_is_refused(blobs):
    x, labels = blobs
    model = models.Sequential([layers.Dense(3, activation="softmax", input_shape=(4,))])
    with pytest.raises(NotCompiledError, match="compile"):
        model.fit(x, to_categorical(labels))


def test_wrong_feature_count_names_both_sizes(blobs):
    x, labels = blobs
    with pytest.raises(ValueError, match="5 features.*expects 4"):
        _model().fit(np.zeros((10, 5), "float32"), to_categorical(labels[:10]))


def test_integer_labels_for_categorical_crossentropy_suggest_the_fix(blobs):
    x, labels = blobs
    with pytest.raises(ValueError, match="to_categorical"):
        _model().fit(x, labels)


def test_diverging_training_stops_with_a_clear_message(blobs):
    x, labels = blobs
    model = models.Sequential([layers.Dense(3, input_shape=(4,))])
    model.compile(optimizer=optimizers.SGD(learning_rate=1e6), loss="mse")
    before = model.get_weights()
    with pytest.raises(TrainingDivergedError, match="learning_rate"):
        model.fit(x * 1e3, to_categorical(labels), epochs=3, verbose=0)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)          # back to the last completed epoch (none)


def test_ctrl_c_keeps_the_completed_epochs(blobs, monkeypatch):
    x, labels = blobs
    y = to_categorical(labels)
    model = _model(seed=5)
    model.fit(x, y, epochs=1, batch_size=30, verbose=0)
    after_one_epoch = model.get_weights()
    calls = []

    def apply_then_interrupt(grads, weights):
        calls.append(1)
        if len(calls) == 15:                       # step 5 of the second epoch
            raise KeyboardInterrupt
        original(grads, weights)

    model = _model(seed=5)
    original = model.optimizer._apply_unchecked
    monkeypatch.setattr(model.optimizer, "_apply_unchecked", apply_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, epochs=3, batch_size=30, verbose=0)
    assert len(model.history.history["loss"]) == 1
    for a, b in zip(after_one_epoch, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    model.optimizer._apply_unchecked = original     # still usable afterwards
    model.fit(x, y, epochs=1, verbose=0)
