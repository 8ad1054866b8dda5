"""The progress display of fit and evaluate."""

import io
from contextlib import redirect_stdout

import numpy as np

from chapter2 import layers, models
from chapter2.progress import ProgressBar


def _fit_output(verbose, blobs):
    x, labels = blobs
    model = models.Sequential([layers.Dense(3, activation="softmax", input_shape=(4,))])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    out = io.StringIO()
    with redirect_stdout(out):
        model.fit(x, labels, epochs=2, batch_size=50, verbose=verbose, validation_split=0.2)
    return out.getvalue()


def test_verbose_0_is_silent(blobs):
    assert _fit_output(0, blobs) == ""


def test_verbose_2_prints_one_line_per_epoch_like_keras(blobs):
    lines = _fit_output(2, blobs).splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    assert lines[1].startswith("5/5 - ")
    assert "ms/step" in lines[1] or "us/step" in lines[1]
    for key in ("accuracy: ", "loss: ", "val_accuracy: ", "val_loss: "):
        assert key in lines[1]


def test_verbose_1_draws_a_bar_and_finishes_the_line(blobs):
    text = _fit_output(1, blobs)
    assert "5/5 ━━━━━━━━━━━━━━━━━━━━ " in text
    assert text.count("\n") == 4


class _FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_live_bar_rewrites_its_line_in_a_terminal():
    stream = _FakeTerminal()
    bar = ProgressBar(100, verbose=1, stream=stream)
    bar._last_draw = -1.0
    bar.update(50, {"loss": 1.0})
    bar.finish({"loss": 0.5})
    text = stream.getvalue()
    assert text.startswith("\r 50/100 ━━━━━━━━━━────────── ")
    assert "left" in text and text.endswith("loss: 0.5000\n")
    assert np.char.count(text, "\r") == 2
