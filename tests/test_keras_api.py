"""The Keras names a learner types that chapter2 implements, checked against Keras's documented rules.

Input, Flatten, Adam, ``trainable``, ``Dense(input_dim=...)``, ``metrics=["acc"]``
and ``evaluate(return_dict=True)``; the one layer contract (any ``Layer`` in a
``Sequential``, the softmax shortcut asked of the loss and the layer); an
optimizer shared by two models; weights that stop being finite. The Keras
names chapter2 does not implement are rows of docs/robustness.md
(tests/test_robustness.py).
"""

from __future__ import annotations

import io
import math
from contextlib import redirect_stdout

import numpy as np
import pytest

from chapter2 import layers, losses, models, optimizers
from chapter2.errors import InputValueError, TrainingDivergedError
from chapter2.utils import set_random_seed, to_categorical


def dense_model(seed=0, optimizer="rmsprop", metrics=("accuracy",), features=4):
    set_random_seed(seed)
    model = models.Sequential([layers.Dense(8, activation="relu", input_shape=(features,)),
                               layers.Dense(3, activation="softmax")])
    model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=list(metrics))
    return model


def summary_of(model) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        model.summary()
    return out.getvalue()


# ------------------------------------------------------------- Input and Flatten


def test_input_and_flatten_train_images_exactly_like_flattened_data(blobs):
    x, labels = blobs                                # (300, 4): seen as 2 x 2 "images"
    y = to_categorical(labels)
    flat = dense_model(seed=5)
    set_random_seed(5)
    images = models.Sequential([layers.Input(shape=(2, 2)), layers.Flatten(),
                                layers.Dense(8, activation="relu"), layers.Dense(3, activation="softmax")])
    images.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    for a, b in zip(flat.get_weights(), images.get_weights()):     # same seed, same weights
        np.testing.assert_array_equal(a, b)
    set_random_seed(1)
    flat_history = flat.fit(x, y, epochs=2, batch_size=16, verbose=0).history
    set_random_seed(1)
    image_history = images.fit(x.reshape(-1, 2, 2), y, epochs=2, batch_size=16, verbose=0).history
    assert image_history == flat_history
    np.testing.assert_array_equal(images.predict(x.reshape(-1, 2, 2)), flat.predict(x))
    assert [layer.name for layer in images.layers] == ["flatten_0", "dense_1", "dense_2"]
    assert "(None, 4)" in summary_of(images)


def test_flatten_builds_from_the_first_batch_and_passes_gradients_back_unchanged():
    layer = layers.Flatten()
    x = np.arange(24.0).reshape(2, 3, 4)
    out = layer.forward(x)
    assert out.shape == (2, 12) and layer.input_shape == (3, 4) and layer.output_shape == (12,)
    grad = np.arange(24.0).reshape(2, 12) * 0.5
    np.testing.assert_array_equal(layer.backward(grad), grad.reshape(2, 3, 4))


def test_dense_input_dim_is_input_shape_of_one_feature_count():
    set_random_seed(3)
    a = layers.Dense(5, input_dim=7)
    set_random_seed(3)
    b = layers.Dense(5, input_shape=(7,))
    assert a.input_shape == b.input_shape == (7,)
    np.testing.assert_array_equal(a.kernel, b.kernel)


def test_keras_arguments_with_the_values_chapter2_uses_anyway_are_accepted():
    layers.Dense(3, use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None)
    optimizers.RMSprop(learning_rate=1e-3, clipnorm=None, weight_decay=None)
    model = dense_model()
    model.compile(optimizer="sgd", loss="mse", run_eagerly=False, jit_compile=False)


# ----------------------------------------------------------------------- Adam


def adam_by_hand(grads, lr=0.01, b1=0.9, b2=0.999, eps=1e-7, amsgrad=False, w=1.0):
    """Keras's Adam rule, one scalar at a time."""
    m = v = v_max = 0.0
    trace = []
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        v_max = max(v_max, v)
        alpha = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        w -= alpha * m / (math.sqrt(v_max if amsgrad else v) + eps)
        trace.append(w)
    return trace


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_matches_hand_computed_updates(amsgrad):
    grads = [0.5, -1.25, 2.0, 0.0, 0.75, -0.1]
    w, opt, trace = np.array([1.0]), optimizers.Adam(learning_rate=0.01, amsgrad=amsgrad), []
    for g in grads:
        opt.apply([np.array([g])], [w])
        trace.append(float(w[0]))
    np.testing.assert_allclose(trace, adam_by_hand(grads, amsgrad=amsgrad), rtol=1e-12)


def test_adam_has_keras_defaults_and_trains(blobs):
    adam = optimizers.get("adam")
    assert (adam.learning_rate, adam.beta_1, adam.beta_2, adam.epsilon, adam.amsgrad) == \
        (0.001, 0.9, 0.999, 1e-7, False)
    x, labels = blobs
    model = dense_model(optimizer=optimizers.Adam(learning_rate=0.01))
    history = model.fit(x, to_categorical(labels), epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.evaluate(x, to_categorical(labels), verbose=0)[1] > 0.95


# ------------------------------------------------- one optimizer, two models


@pytest.mark.parametrize("make", [lambda: optimizers.SGD(learning_rate=0.05, momentum=0.9),
                                  lambda: optimizers.RMSprop(), lambda: optimizers.Adam()],
                         ids=["sgd-momentum", "rmsprop", "adam"])
def test_an_optimizer_shared_by_two_models_keeps_their_states_apart(blobs, make):
    x, labels = blobs
    y = to_categorical(labels)
    shared = make()
    a, b, alone = dense_model(seed=1, optimizer=shared), dense_model(seed=2, optimizer=shared), \
        dense_model(seed=2, optimizer=make())
    set_random_seed(9)
    a.fit(x, y, epochs=1, verbose=0)                  # the shared optimizer now holds a's state
    set_random_seed(9)
    b.fit(x, y, epochs=1, verbose=0)
    set_random_seed(9)
    alone.fit(x, y, epochs=1, verbose=0)
    for got, expected in zip(b.get_weights(), alone.get_weights()):
        np.testing.assert_array_equal(got, expected)


# --------------------------------------------------------------- metric names


@pytest.mark.parametrize("name", ["acc", "accuracy", "categorical_accuracy"])
def test_the_metric_keeps_the_name_it_was_given(blobs, name):
    x, labels = blobs
    y = to_categorical(labels)
    model = dense_model(metrics=[name])
    history = model.fit(x[:200], y[:200], epochs=1, validation_data=(x[200:], y[200:]), verbose=0)
    assert sorted(history.history) == sorted(["loss", name, "val_loss", f"val_{name}"])
    figures = model.evaluate(x, y, verbose=0, return_dict=True)
    assert sorted(figures) == sorted(["loss", name])
    assert model.evaluate(x, y, verbose=0) == [figures["loss"], figures[name]]


def test_two_names_for_accuracy_report_the_same_figure(blobs):
    x, labels = blobs
    model = dense_model(metrics=["acc", "accuracy"])
    history = model.fit(x, to_categorical(labels), epochs=1, verbose=0).history
    assert history["acc"] == history["accuracy"]


# ----------------------------------------------------------------- trainable


def test_a_frozen_layer_keeps_its_weights_while_the_others_learn(blobs):
    x, labels = blobs
    model = dense_model(optimizer="sgd")
    model.layers[0].trainable = False
    first, second = model.layers[0].get_weights(), model.layers[1].get_weights()
    model.fit(x, to_categorical(labels), epochs=1, verbose=0)
    for a, b in zip(first, model.layers[0].get_weights()):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(second[0], model.layers[1].kernel)
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 2
    text = summary_of(model)
    assert "Trainable params: 27" in text and "Non-trainable params: 40" in text


def test_freezing_the_top_layer_still_trains_the_layer_below(blobs):
    x, labels = blobs
    model = dense_model(optimizer="sgd")
    model.layers[1].trainable = False
    top, bottom = model.layers[1].get_weights(), model.layers[0].kernel.copy()
    model.fit(x, to_categorical(labels), epochs=1, verbose=0)
    np.testing.assert_array_equal(top[0], model.layers[1].kernel)
    assert not np.array_equal(bottom, model.layers[0].kernel)


def test_model_trainable_false_freezes_every_layer_as_keras_does(blobs):
    x, labels = blobs
    model = dense_model()
    model.trainable = False
    assert [layer.trainable for layer in model.layers] == [False, False]
    before = model.get_weights()
    history = model.fit(x, to_categorical(labels), epochs=2, verbose=0)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert history.history["loss"][0] == pytest.approx(history.history["loss"][1])
    model.trainable = True
    model.fit(x, to_categorical(labels), epochs=1, verbose=0)
    assert not np.array_equal(before[0], model.get_weights()[0])


def test_frozen_weights_still_get_gradients_from_compute_gradients(blobs):
    x, labels = blobs
    model = dense_model()
    model.trainable = False
    _, grads = model.compute_gradients(x[:20], to_categorical(labels[:20]))
    assert all(np.any(g != 0) for g in grads)


# --------------------------------------------------------- the layer contract


class Scale(layers.Layer):
    """A layer with one trainable weight per feature: ``x * s``."""

    kind = "scale"

    def build(self, input_shape):
        super().build(input_shape)
        self.s = np.ones(self.input_shape, dtype=self.dtype)
        self.s_grad = np.zeros_like(self.s)

    def forward(self, x):
        if not self.built:
            self.build(np.shape(x)[1:])
        self._x = np.asarray(x, dtype=self.dtype)
        return self._x * self.s

    def backward(self, grad_out, need_input_grad=True, need_weight_grads=True):
        if need_weight_grads:
            self.s_grad[...] = np.sum(grad_out * self._x, axis=0)
        return grad_out * self.s if need_input_grad else None

    @property
    def weights(self):
        return [self.s] if self.built else []

    @property
    def grads(self):
        return [self.s_grad] if self.built else []


def test_sequential_stacks_any_layer_and_its_gradients_are_right(blobs):
    from chapter2.gradcheck import check_gradient

    set_random_seed(0)
    model = models.Sequential([Scale(),
                               layers.Dense(3, activation="softmax", dtype="float32")])
    model.compile("sgd", "categorical_crossentropy", metrics=["accuracy"])
    x, labels = blobs
    model.fit(x, to_categorical(labels), epochs=1, verbose=0)
    assert model.layers[0].name == "scale_0" and model.count_params() == 4 + 4 * 3 + 3
    assert not np.all(model.layers[0].s == 1)        # the custom weight was trained

    check = models.Sequential([Scale(dtype="float64"), layers.Dense(3, activation="softmax", dtype="float64")])
    check.compile("sgd", "categorical_crossentropy")
    xs, ys = x[:6].astype("float64"), to_categorical(labels[:6])
    _, grads = check.compute_gradients(xs, ys)
    scale = check.layers[0].s

    def loss_at(value):
        saved = scale.copy()
        scale[...] = value
        result = check.compute_gradients(xs, ys)[0]
        scale[...] = saved
        return result

    assert check_gradient(loss_at, scale.copy(), grads[0]) < 1e-6


class PlainCrossentropy(losses.CategoricalCrossentropy):
    """The same loss without the softmax shortcut: the model must chain the two derivatives."""

    fuses_with_softmax = False


def test_the_softmax_shortcut_is_asked_of_the_loss_and_gives_the_chained_gradient(blobs):
    x, labels = blobs
    y = to_categorical(labels[:20])
    results = []
    for loss in (losses.CategoricalCrossentropy(), PlainCrossentropy()):
        set_random_seed(0)
        model = models.Sequential([layers.Dense(5, activation="relu", input_shape=(4,), dtype="float64"),
                                   layers.Dense(3, activation="softmax", dtype="float64")])
        model.compile("sgd", loss)
        results.append(model.compute_gradients(x[:20], y))
    (loss_a, grads_a), (loss_b, grads_b) = results
    assert loss_a == loss_b
    for a, b in zip(grads_a, grads_b):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-12)


def test_a_layer_that_does_not_end_in_softmax_is_never_given_the_shortcut():
    dense = layers.Dense(3, activation="relu", input_shape=(2,))
    assert not dense.ends_in_softmax and not layers.Flatten().ends_in_softmax
    assert layers.Dense(3, activation="softmax").ends_in_softmax
    assert losses.get("categorical_crossentropy").fuses_with_softmax
    assert not losses.get("mse").fuses_with_softmax


# ------------------------------------------------------------- summary, weights


def test_summary_of_a_model_without_layers_prints_an_empty_table():
    text = summary_of(models.Sequential())
    assert text.startswith('Model: "sequential"') and "Layer (type)" in text and "Total params: 0" in text


def test_weights_that_stop_being_finite_end_training_with_a_clear_error(blobs):
    """The loss is measured before each update, so the last update of an epoch is checked too."""
    x, labels = blobs
    set_random_seed(0)
    model = models.Sequential([layers.Dense(3, input_shape=(4,))])
    model.compile(optimizer=optimizers.SGD(learning_rate=1e38), loss="mse")
    before = model.get_weights()
    with pytest.raises(TrainingDivergedError, match="became NaN or infinite during epoch 1"):
        model.fit(x, to_categorical(labels), epochs=1, batch_size=len(x), verbose=0)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_multi_hot_targets_warn_as_keras_allows_them(blobs):
    x, labels = blobs
    y = to_categorical(labels)
    y[0] = [1, 1, 0]
    with pytest.warns(UserWarning, match="1 row.*do not sum to 1.*row 0 sums to 2"):
        dense_model().fit(x, y, epochs=1, verbose=0)


def test_soft_labels_that_sum_to_one_are_accepted_silently(blobs, recwarn):
    x, labels = blobs
    smooth = to_categorical(labels) * 0.9 + 0.1 / 3      # label smoothing, as in Keras
    dense_model().fit(x, smooth, epochs=1, verbose=0)
    assert not [w for w in recwarn if "sum to 1" in str(w.message)]


def test_weights_are_drawn_in_layer_order_however_the_model_is_written():
    set_random_seed(4)
    declared = models.Sequential([layers.Dense(6, input_shape=(4,)), layers.Dense(3)]).get_weights()
    set_random_seed(4)
    later = models.Sequential([layers.Dense(6), layers.Dense(3)])
    later.build((None, 4))
    for a, b in zip(declared, later.get_weights()):
        np.testing.assert_array_equal(a, b)


# Keras 3 documents ``Optimizer.apply(grads, trainable_variables=None)`` and
# ``Optimizer.apply_gradients(grads_and_vars)`` (keras.io/api/optimizers): gradients first.
KERAS_APPLY = ["grads", "trainable_variables"]


def test_optimizer_apply_takes_keras_3s_argument_order():
    import inspect
    assert list(inspect.signature(optimizers.Optimizer.apply).parameters)[1:] == KERAS_APPLY


@pytest.mark.parametrize("name", ["sgd", "rmsprop", "adam"])
def test_called_the_keras_way_apply_updates_the_weights_not_the_gradients(name):
    w, g = np.array([1.0, 2.0]), np.array([0.5, -0.5])
    optimizers.get(name).apply([g], [w])
    assert g.tolist() == [0.5, -0.5]
    assert w[0] < 1.0 and w[1] > 2.0


def test_apply_gradients_takes_pairs_and_matches_apply():
    a, b = np.array([1.0]), np.array([1.0])
    optimizers.RMSprop(learning_rate=0.1).apply([np.array([0.5])], [a])
    optimizers.RMSprop(learning_rate=0.1).apply_gradients([(np.array([0.5]), b)])
    assert a.tolist() == b.tolist() and a[0] < 1.0


def test_apply_without_weights_says_gradients_come_first():
    with pytest.raises(InputValueError, match=r"apply\(grads, weights\)"):
        optimizers.SGD().apply([np.ones(2)])
