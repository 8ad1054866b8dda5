"""The exceptions chapter2 raises on purpose.

Every error the package raises for a user's mistake is one of these, so a
caller (or a test) can tell "chapter2 refused this input and said why" from an
unrelated crash. Each also derives from the built-in exception a Python user
would expect (``ValueError``, ``TypeError``, ...), so ordinary ``except`` clauses
keep working.
"""

from __future__ import annotations


class Chapter2Error(Exception):
    """Base class of every error chapter2 raises deliberately."""


class InputValueError(Chapter2Error, ValueError):
    """An argument has the right type but a wrong value, shape or content."""


class InputTypeError(Chapter2Error, TypeError):
    """An argument has a type chapter2 cannot use (e.g. a string array)."""


class NotCompiledError(Chapter2Error, RuntimeError):
    """A model was asked to train or evaluate before ``compile`` was called."""


class TrainingDivergedError(Chapter2Error, FloatingPointError):
    """Training produced a loss that is NaN or infinite."""


class BackwardError(Chapter2Error, RuntimeError):
    """``Tensor.backward()`` was called where gradients would silently pile up."""


class DatasetError(Chapter2Error, OSError):
    """A dataset file is missing, unreadable, corrupted or cannot be fetched."""


class FileMissingError(Chapter2Error, FileNotFoundError):
    """A file or folder named by the user (a weights file, its folder) does not exist."""


class OutOfMemoryError(Chapter2Error, MemoryError):
    """An array the user asked for (a huge layer, a huge one-hot matrix) does not fit in memory."""


class NotInChapter2Error(Chapter2Error, AttributeError):
    """A Keras name (a layer, an optimizer, a method) that chapter2 does not implement.

    The message says what to use instead. It is an ``AttributeError``, so
    ``hasattr(layers, "Conv2D")`` is simply ``False``.
    """


class UnsupportedArgumentError(Chapter2Error, TypeError):
    """A Keras keyword argument (``callbacks=``, ``lr=``, ...) that chapter2 does not take."""


__all__ = [
    "Chapter2Error",
    "InputValueError",
    "InputTypeError",
    "NotCompiledError",
    "TrainingDivergedError",
    "BackwardError",
    "DatasetError",
    "FileMissingError",
    "OutOfMemoryError",
    "NotInChapter2Error",
    "UnsupportedArgumentError",
]
