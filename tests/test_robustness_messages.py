"""The cases issue 21 found with poor messages: each names the argument, what arrived, and a fix that works.

Every "fix" a message suggests is then tried where it can be: the suggested
call must run.
"""

import decimal

import numpy as np
import pytest

import chapter2
from chapter2 import layers, models, optimizers, utils
from chapter2.datasets import mnist
from chapter2.errors import Chapter2Error, NotInChapter2Error

X = np.ones((8, 4), "float32")
Y = utils.to_categorical(np.arange(8) % 2, 2)


def _model(units=2, activation="softmax", metrics=None):
    model = models.Sequential([layers.Dense(units, activation=activation, input_shape=(4,))])
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=metrics)
    return model


@pytest.mark.parametrize("call, words", [
    (lambda: _model().fit((row for row in X), Y, verbose=0), ["x is a generator", "np.asarray(list(x))"]),
    (lambda: _model().fit((X, X), Y, verbose=0), ["x is a tuple of 2 arrays", "several inputs", "pass one"]),
    (lambda: _model().fit({"input": X}, Y, verbose=0), ["x is a dict", "named inputs", "x['input']"]),
    (lambda: _model(metrics={"out": "accuracy"}), ["metrics is a dict", "metrics=['accuracy']"]),
    (lambda: _model().set_weights({"w": 1}), ["set_weights", "got a dict", "model.get_weights()"]),
    (lambda: utils.to_categorical([(1, 2), (3, 4)]), ["shape (2, 2)", "one class index per sample"]),
    (lambda: utils.to_categorical(i for i in range(3)), ["labels is a generator"]),
    (lambda: utils.to_categorical({1, 2}), ["labels is a set", "sorted(labels)"]),
    (lambda: utils.to_categorical(None), ["labels is None"]),
    (lambda: utils.to_categorical([2 ** 70]), ["1180591620717411303424", "too large"]),
    (lambda: mnist.load_data(path=123), ["path must be a file name", "123 (int)"]),
    (lambda: _model(units=1, activation="sigmoid").fit(X, np.ones((8, 1), "float32"), verbose=0),
     ["last layer has 1 output", "Dense(2, activation='softmax')", "to_categorical(labels, 2)"]),
])
def test_a_poor_input_gets_a_message_that_names_it_and_the_fix(call, words):
    with pytest.raises(Chapter2Error) as caught:
        call()
    for word in words:
        assert word in str(caught.value)


def test_the_one_hot_hint_is_given_only_for_one_hot_rows():
    with pytest.raises(Chapter2Error, match="one-hot encoded already"):
        utils.to_categorical(np.eye(3))


def test_the_fix_for_one_sigmoid_output_works():
    model = _model(units=2, activation="softmax")
    model.fit(X, utils.to_categorical(np.arange(8) % 2, 2), verbose=0)


def test_chapter2_input_points_to_layers_input_which_exists():
    with pytest.raises(NotInChapter2Error, match="chapter2.layers.Input"):
        chapter2.Input
    assert layers.Input
    with pytest.raises(AttributeError):
        chapter2.no_such_thing


@pytest.mark.parametrize("verbose, shown", [(True, True), (False, False)])
def test_verbose_takes_a_bool_as_keras_does(verbose, shown, capsys):
    _model().fit(X, Y, verbose=verbose, epochs=1)
    assert ("Epoch 1/1" in capsys.readouterr().out) is shown


def test_a_decimal_learning_rate_is_taken_as_the_number_it_is():
    assert optimizers.SGD(learning_rate=decimal.Decimal("0.1")).learning_rate == 0.1
