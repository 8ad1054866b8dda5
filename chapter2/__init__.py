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
