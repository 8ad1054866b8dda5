"""Nothing is lost when training stops part-way, and weights files are written atomically.

The faults are injected: the optimizer's ``apply`` raises on a chosen step
of a chosen epoch (an ordinary exception, Ctrl-C, or a MemoryError), and
``np.savez`` / ``os.replace`` fail in the middle of a save. The truth each
test compares against is an independent clean run with the same seed.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from chapter2 import layers, models
from chapter2.errors import InputTypeError, InputValueError
from chapter2.utils import set_random_seed, to_categorical

N, FEATURES, CLASSES, BATCH = 40, 4, 3, 8
STEPS = N // BATCH


@pytest.fixture
def data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(N, FEATURES)).astype("float32")
    return x, to_categorical(rng.integers(0, CLASSES, size=N), CLASSES)


def fresh_model(seed: int = 0) -> models.Sequential:
    set_random_seed(seed)
    model = models.Sequential([layers.Dense(6, activation="relu", input_shape=(FEATURES,)),
                               layers.Dense(CLASSES, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def fail_on(model, epoch: int, step: int, error: BaseException) -> None:
    """Make the optimizer raise ``error`` on ``step`` (1-based) of ``epoch`` (1-based)."""
    real_apply = model.optimizer._apply_unchecked       # what fit calls each step
    calls = {"n": 0}

    def apply(grads, weights):
        calls["n"] += 1
        if calls["n"] == (epoch - 1) * STEPS + step:
            raise error
        real_apply(grads, weights)

    model.optimizer._apply_unchecked = apply


def assert_same_weights(a, b) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("error", [RuntimeError("disk on fire"), KeyboardInterrupt(), MemoryError()],
                         ids=["exception", "ctrl-c", "memory-error"])
def test_fault_mid_epoch_2_keeps_epoch_1_weights_and_history(data, error, capsys):
    x, y = data
    clean = fresh_model()
    clean_history = clean.fit(x, y, epochs=1, batch_size=BATCH, verbose=0).history

    model = fresh_model()
    fail_on(model, epoch=2, step=3, error=error)
    with pytest.raises(type(error)) as info:
        model.fit(x, y, epochs=4, batch_size=BATCH, verbose=0)
    assert info.value is error                       # the very exception propagates
    assert_same_weights(model.get_weights(), clean.get_weights())
    assert model.history.epoch == [0]
    assert model.history.history == clean_history
    assert model.optimizer.iterations == STEPS       # the two steps of epoch 2 were undone
    assert "keeps the weights from the end of epoch 1" in capsys.readouterr().err


def test_fault_in_the_first_epoch_restores_the_initial_weights(data):
    x, y = data
    model = fresh_model()
    initial = model.get_weights()
    fail_on(model, epoch=1, step=2, error=KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, epochs=3, batch_size=BATCH, verbose=0)
    assert_same_weights(model.get_weights(), initial)
    assert model.history.epoch == [] and model.history.history == {}


def test_resuming_after_an_interruption_equals_an_uninterrupted_run(data):
    """Weights and the optimizer's running averages both come back, so training can go on."""
    x, y = data
    clean = fresh_model()
    clean.fit(x, y, epochs=2, batch_size=BATCH, shuffle=False, verbose=0)

    model = fresh_model()
    real_apply = model.optimizer._apply_unchecked
    fail_on(model, epoch=2, step=4, error=KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, epochs=2, batch_size=BATCH, shuffle=False, verbose=0)
    model.optimizer._apply_unchecked = real_apply
    model.fit(x, y, epochs=1, batch_size=BATCH, shuffle=False, verbose=0)
    assert_same_weights(model.get_weights(), clean.get_weights())
    assert model.optimizer.iterations == clean.optimizer.iterations == 2 * STEPS


def test_a_fault_while_validating_at_the_end_of_an_epoch_also_rolls_back(data, monkeypatch):
    x, y = data
    clean = fresh_model()
    clean.fit(x, y, epochs=1, batch_size=BATCH, validation_data=(x, y), verbose=0)
    model = fresh_model()
    real = model._evaluate_arrays
    calls = {"n": 0}

    def evaluate_then_fail(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(model, "_evaluate_arrays", evaluate_then_fail)
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, epochs=3, batch_size=BATCH, validation_data=(x, y), verbose=0)
    assert_same_weights(model.get_weights(), clean.get_weights())
    assert model.history.epoch == [0] and set(model.history.history) == {
        "loss", "accuracy", "val_loss", "val_accuracy"}


def test_a_refused_fit_keeps_the_previous_history_and_weights(data):
    x, y = data
    model = fresh_model()
    history = model.fit(x, y, epochs=2, batch_size=BATCH, verbose=0)
    weights = model.get_weights()
    with pytest.raises(InputValueError):
        model.fit(x, np.argmax(y, axis=1), epochs=5, verbose=0)
    with pytest.raises(InputTypeError):
        model.fit(x, y, epochs=5, batch_size="big", verbose=0)
    assert model.history is history and len(history.epoch) == 2
    assert_same_weights(model.get_weights(), weights)


def test_a_failed_compile_leaves_the_model_compiled_as_before(data):
    model = fresh_model()
    optimizer, loss = model.optimizer, model.loss
    with pytest.raises(InputTypeError):
        model.compile(optimizer="sgd", loss="mse", metrics=[len])
    assert model.optimizer is optimizer and model.loss is loss and model.metrics == ["accuracy"]


def test_a_bad_weights_file_changes_no_weight(data, tmp_path):
    """set_weights checks every array before writing any, so a half-good file changes nothing."""
    model = fresh_model()
    before = model.get_weights()
    arrays = model.get_weights()
    arrays[2] = np.zeros((2, 2), dtype="float32")    # w0 and w1 fit, w2 does not
    path = tmp_path / "half.weights.npz"
    np.savez(path, **{f"w{i}": a + 1 for i, a in enumerate(arrays)})
    with pytest.raises(InputValueError, match=r"weights\[2\] must have shape \(6, 3\)"):
        model.load_weights(path)
    assert_same_weights(model.get_weights(), before)


# ------------------------------------------------------------- atomic saves


def listing(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def saved(tmp_path):
    """A model whose weights were saved, then changed: the file holds the old ones."""
    model = fresh_model()
    path = tmp_path / "model.weights.npz"
    model.save_weights(path)
    old = model.get_weights()
    model.set_weights([w + 1 for w in old])
    return model, path, old


def half_write_then(error):
    def savez(file, **arrays):
        file.write(b"PK\x03\x04 half an archive")
        raise error
    return savez


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk-full", "ctrl-c"])
def test_a_save_that_fails_mid_write_keeps_the_old_file_and_no_temp_file(saved, monkeypatch, error):
    model, path, old = saved
    original = path.read_bytes()
    monkeypatch.setattr(models.np, "savez", half_write_then(error))
    with pytest.raises(type(error)):
        model.save_weights(path)
    monkeypatch.undo()
    assert listing(path.parent) == [path.name]
    assert path.read_bytes() == original
    reader = fresh_model(seed=5)
    reader.load_weights(path)
    assert_same_weights(reader.get_weights(), old)


def test_a_save_that_fails_at_the_rename_keeps_the_old_file_and_no_temp_file(saved, monkeypatch):
    model, path, old = saved
    original = path.read_bytes()

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(models.os, "replace", refuse)
    with pytest.raises(PermissionError):
        model.save_weights(path)
    monkeypatch.undo()
    assert listing(path.parent) == [path.name]
    assert path.read_bytes() == original


def test_a_successful_save_replaces_the_file_and_leaves_no_temp_file(saved):
    model, path, old = saved
    model.save_weights(path)
    assert listing(path.parent) == [path.name]
    reader = fresh_model(seed=5)
    reader.load_weights(path)
    assert_same_weights(reader.get_weights(), model.get_weights())


def test_save_writes_through_a_temp_file_in_the_same_folder(saved, monkeypatch):
    """os.replace is atomic only within one file system, so the temp file must sit beside the target."""
    model, path, _ = saved
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append((os.path.dirname(src), os.path.basename(src), dst))
        real_replace(src, dst)

    monkeypatch.setattr(models.os, "replace", spy)
    model.save_weights(path)
    assert len(seen) == 1
    folder, name, target = seen[0]
    assert folder == str(path.parent) and name.startswith(".model.weights.npz.") and str(target) == str(path)
