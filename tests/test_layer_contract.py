"""One layer contract: a custom layer written only from the documentation trains in ``fit``.

The example class is taken from ``Layer``'s own docstring (what a user reads),
put between two Dense layers and trained; its learned number must move and the
loss must fall. Also Keras's rule that ``model.trainable = False`` freezes
layers added afterwards.
"""

import doctest

import numpy as np

from chapter2 import layers, models
from chapter2.utils import set_random_seed, to_categorical


def _documented_layer_class():
    namespace = {"np": np, "Layer": layers.Layer}
    examples = doctest.DocTestParser().get_examples(layers.Layer.__doc__)
    source = next(e.source for e in examples if e.source.startswith("class "))
    exec(compile(source, "Layer docstring", "exec"), namespace)
    return namespace["Scale"]


def _data(n=64):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 3)).astype("float32")
    return x, to_categorical((x[:, 0] > 0).astype(int), 2)


def test_a_custom_layer_from_the_docstring_trains_with_fit():
    set_random_seed(0)
    scale = _documented_layer_class()()
    model = models.Sequential([layers.Dense(4, activation="relu", input_shape=(3,)), scale,
                               layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    x, y = _data()
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert scale.scale[0] != 1.0, "the custom layer's weight was trained"
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_model_trainable_false_freezes_layers_added_afterwards():
    model = models.Sequential([layers.Dense(4, input_shape=(3,))])
    model.trainable = False
    model.add(layers.Dense(2, activation="softmax"))
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    before = model.get_weights()
    model.fit(*_data(), epochs=1, batch_size=16, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    assert model.trainable_weights == [] and len(model.non_trainable_weights) == 4


def test_unfreezing_the_model_trains_again():
    model = models.Sequential([layers.Dense(2, activation="softmax", input_shape=(3,))])
    model.trainable = False
    model.trainable = True
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    before = model.get_weights()
    model.fit(*_data(), epochs=1, batch_size=16, verbose=0)
    assert not np.array_equal(before[0], model.get_weights()[0])


def test_a_training_step_does_not_check_again_what_fit_checked(monkeypatch):
    """fit validates x once; the steps call the layers' unchecked ``call``/``call_backward``."""
    calls = []
    real = layers.as_numeric_array
    monkeypatch.setattr(layers, "as_numeric_array", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    model = models.Sequential([layers.Dense(4, activation="relu", input_shape=(3,)),
                               layers.Dense(2, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
    model.fit(*_data(), epochs=2, batch_size=8, verbose=0)
    assert calls == [], f"layers re-validated {len(calls)} arrays inside the steps"
    model.layers[0].forward(np.ones((1, 3)))        # the public method still checks
    assert calls == ["x"]
