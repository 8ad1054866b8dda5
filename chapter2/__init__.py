"""chapter2: the mathematics of neural networks, in NumPy, the Keras way.

The package behind the chapter2 notebooks. Its centre is a small Keras-shaped
engine that trains the chapter's MNIST network::

    from chapter2.datasets import mnist
    from chapter2 import models, layers
    from chapter2.utils import to_categorical

Around it sit the teaching pieces the notebooks import: naive loop versions of
tensor operations, a small autodiff, gradient checking, plotting and widget
helpers, and exercise checks.
"""

__version__ = "0.1.0"



_KERAS_TOP_LEVEL = ("Input", "Sequential", "Model")


def __getattr__(name: str):
    # Keras names asked of the top level (keras.Input, keras.Sequential) point to their home here.
    # Anything else is a plain AttributeError at once: ``from chapter2 import models`` asks this
    # function first and then imports the submodule.
    if name in _KERAS_TOP_LEVEL:
        import importlib

        raise importlib.import_module("chapter2.keras_names").missing_attribute("chapter2", name)
    raise AttributeError(f"module 'chapter2' has no attribute {name!r}")
