"""Exercise checks for the chapter2 notebooks.

Each notebook ends with a few exercises. The student writes a function in one
cell and calls its check in the next, for example::

    from chapter2.exercises import tensors
    tensors.check_naive_relu(naive_relu)

A check prints "Correct! ..." or a kind explanation of what is wrong, and in
the second case raises :class:`ExerciseFailed` so that automatic grading
(``python -m chapter2 grade``) scores the cell zero. The shared machinery is
in :mod:`chapter2.exercises.feedback`; there is one module per notebook, which
holds what the notebook's cells use and finds its checks, with the truths they
compare with, in :mod:`chapter2.exercises.checks` (hidden from a graded
kernel: see :mod:`chapter2.exercises.view`):

============== ======================================== ========
module         notebook                                 section
============== ======================================== ========
first_look     01 a first look at a neural network      2.1
tensors        02 tensors                               2.2
broadcasting   03 element-wise operations, broadcasting 2.3.1-2
tensor_product 04 tensor product and reshaping          2.3.3-4
geometry       05 geometric interpretation              2.3.5-6
derivatives    06 derivatives and gradients             2.4.1-2
sgd            07 stochastic gradient descent           2.4.3
backprop       08 backpropagation                       2.4.4
looking_back   09 looking back at the first example     2.5
============== ======================================== ========
"""

from .feedback import ExerciseFailed

__all__ = ["ExerciseFailed"]
