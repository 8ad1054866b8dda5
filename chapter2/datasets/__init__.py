"""Datasets, loaded the way ``keras.datasets`` loads them.

>>> from chapter2.datasets import mnist
>>> (x_train, y_train), (x_test, y_test) = mnist.load_data()  # doctest: +SKIP

See :mod:`chapter2.datasets.mnist` for where the file is looked for and how it
is checked.
"""

from chapter2 import keras_names
from chapter2.datasets import mnist

__all__ = ["mnist"]


def __getattr__(name: str):
    raise keras_names.missing_attribute("datasets", name)
