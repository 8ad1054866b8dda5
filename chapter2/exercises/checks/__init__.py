"""The exercise checks and the truths they compare with, one module per notebook.

Students reach them through :mod:`chapter2.exercises` (``tensors.check_get_batch``
finds :func:`chapter2.exercises.checks.tensors.check_get_batch`). When a notebook
is graded, this folder is hidden from the student's kernel and the checks run
in the grader only: see :mod:`chapter2.exercises.view`.
"""
