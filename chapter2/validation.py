"""Input checks shared by the whole package: the one home for validation.

Each check either returns a clean value or raises one of the errors in
:mod:`chapter2.errors` with a message that names the argument, says what was
expected, what arrived, and how to fix it. They run at the boundary, before any
heavy work, so a mistake never surfaces as a NumPy traceback from deep inside
a layer, a loop or a plot.

The scalar checks follow scikit-learn's ``check_scalar``: a target type, an
optional minimum and maximum, and ``include_boundaries`` saying which ends of
the interval are allowed (``"both"``, ``"left"``, ``"right"`` or
``"neither"``), so ``[0, 1)`` is ``minimum=0, maximum=1,
include_boundaries="left"``.

Examples
--------
>>> check_float(0.9, "rho", minimum=0.0, maximum=1.0, include_boundaries="left")
0.9
>>> check_int(3, "epochs", minimum=0)
3
"""

from __future__ import annotations

import decimal
import difflib
import fractions
import numbers
import operator
import os
from collections.abc import Iterator
from typing import Any, Callable, Iterable, Mapping, Sequence, TypeVar

import numpy as np

from .errors import InputTypeError, InputValueError, OutOfMemoryError

Bounds = str  # "both", "left", "right" or "neither"
_BOUNDS = ("both", "left", "right", "neither")
_RANK_WORDS = {0: "scalar", 1: "vector", 2: "matrix"}
T = TypeVar("T")


# ------------------------------------------------------------------ scalars


def check_scalar(value: Any, name: str, target_type: type, *, minimum: float | None = None,
                 maximum: float | None = None, include_boundaries: Bounds = "both") -> int | float:
    """Return ``value`` as an ``int`` or a finite ``float`` inside the given interval, or raise.

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str
        The argument's name, used in the message.
    target_type : {int, float}
        ``int`` accepts whole numbers (Python or NumPy integers, never
        ``bool``); ``float`` accepts any real number and refuses NaN and
        infinity.
    minimum, maximum : number, optional
        Ends of the allowed interval; ``None`` leaves that side open.
    include_boundaries : {"both", "left", "right", "neither"}
        Which ends belong to the interval.

    Returns
    -------
    int or float

    Raises
    ------
    InputTypeError
        ``value`` is not of the target type.
    InputValueError
        ``value`` is NaN, infinite or outside the interval.

    Examples
    --------
    >>> check_scalar(0.5, "momentum", float, minimum=0, maximum=1, include_boundaries="left")
    0.5
    >>> check_scalar(1.0, "momentum", float, minimum=0.0, maximum=1.0, include_boundaries="left")
    Traceback (most recent call last):
    ...
    chapter2.errors.InputValueError: momentum must be < 1.0, got 1.0 (momentum lies in [0.0, 1.0))
    """
    if include_boundaries not in _BOUNDS:
        raise ValueError(f"include_boundaries must be one of {_BOUNDS}, got {include_boundaries!r}")
    if target_type is int:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise InputTypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
        value = int(value)
    elif target_type is float:
        if isinstance(value, (decimal.Decimal, fractions.Fraction)):
            value = float(value)        # exact enough for a hyperparameter, and what the user meant
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise InputTypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
        value = float(value)
        if not np.isfinite(value):
            raise InputValueError(f"{name} must be finite, got {value}")
    else:
        raise ValueError(f"target_type must be int or float, got {target_type!r}")
    closed_left = include_boundaries in ("both", "left")
    closed_right = include_boundaries in ("both", "right")
    interval = ""
    if minimum is not None and maximum is not None:
        interval = (f" ({name} lies in {'[' if closed_left else '('}{minimum}, "
                    f"{maximum}{']' if closed_right else ')'})")
    if minimum is not None and (value < minimum or (value == minimum and not closed_left)):
        raise InputValueError(f"{name} must be {'>=' if closed_left else '>'} {minimum}, got {value}{interval}")
    if maximum is not None and (value > maximum or (value == maximum and not closed_right)):
        raise InputValueError(f"{name} must be {'<=' if closed_right else '<'} {maximum}, got {value}{interval}")
    return value


def check_int(value: Any, name: str, minimum: int | None = None, maximum: int | None = None,
              include_boundaries: Bounds = "both") -> int:
    """:func:`check_scalar` for whole numbers.

    Examples
    --------
    >>> check_int(2.5, "batch_size")
    Traceback (most recent call last):
    ...
    chapter2.errors.InputTypeError: batch_size must be an integer, got 2.5 (float)
    """
    return check_scalar(value, name, int, minimum=minimum, maximum=maximum,
                        include_boundaries=include_boundaries)


def check_float(value: Any, name: str, minimum: float | None = None, maximum: float | None = None,
                include_boundaries: Bounds = "both") -> float:
    """:func:`check_scalar` for real numbers (always finite).

    Examples
    --------
    >>> check_float(0, "learning_rate", minimum=0.0, include_boundaries="neither")
    Traceback (most recent call last):
    ...
    chapter2.errors.InputValueError: learning_rate must be > 0.0, got 0.0
    """
    return check_scalar(value, name, float, minimum=minimum, maximum=maximum,
                        include_boundaries=include_boundaries)


def check_bool(value: Any, name: str) -> bool:
    """Return ``value`` if it is ``True`` or ``False`` (NumPy's too), or raise.

    Examples
    --------
    >>> check_bool(np.True_, "shuffle")
    True
    """
    if not isinstance(value, (bool, np.bool_)):
        raise InputTypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_choice(value: Any, name: str, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``; otherwise list the valid ones.

    Examples
    --------
    >>> check_choice("left", "side", ["left", "right"])
    'left'
    """
    choices = list(choices)
    if not isinstance(value, str) or value not in choices:
        raise InputValueError(f"{name} must be one of {choices}, got {value!r}")
    return value


def lookup(identifier: Any, name: str, table: Mapping[str, Callable[[], T]], kind: type | None,
           example: str, not_here: Mapping[str, str] | None = None) -> T:
    """Resolve a Keras-style identifier: an instance of ``kind`` as it is, a name to a new object.

    The single name lookup behind ``activations.get``, ``losses.get`` and
    ``optimizers.get``: names are case-insensitive, an unknown name lists the
    valid ones (and suggests the closest), and a Keras name that chapter2 does
    not implement says so.

    Parameters
    ----------
    identifier : str or instance of ``kind``
    name : str
        What is being looked up ("optimizer", "loss", ...), for messages.
    table : mapping of str to callable
        Name -> factory returning a new object.
    kind : type or None
        Instances of this type are returned unchanged (None: only names are looked up).
    example : str
        A valid name, quoted in the type error.
    not_here : mapping of str to str, optional
        Keras names chapter2 does not implement -> what to use instead.

    Examples
    --------
    >>> lookup("Two", "number", {"two": lambda: 2}, int, "two")
    2
    >>> lookup("twoo", "number", {"two": lambda: 2}, int, "two")
    Traceback (most recent call last):
    ...
    chapter2.errors.InputValueError: unknown number 'twoo'; choose one of ['two'] (did you mean 'two'?)
    """
    if kind is not None and isinstance(identifier, kind):
        return identifier
    if isinstance(identifier, str):
        key = identifier.lower()
        if key in table:
            return table[key]()
        message = f"unknown {name} {identifier!r}"
        if not_here and key in not_here:
            message += f" (a Keras {name} that is not part of chapter2: {not_here[key]})"
        message += f"; choose one of {sorted(table)}"
        close = difflib.get_close_matches(key, table, n=1)
        if close:
            message += f" (did you mean {close[0]!r}?)"
        raise InputValueError(message)
    alternative = f" or an instance of {kind.__name__}" if kind is not None else ""
    raise InputTypeError(
        f"{name} must be a name such as {example!r}{alternative}, got {type(identifier).__name__}")


# ------------------------------------------------------------------- arrays


def as_numeric_array(x: Any, name: str, *, allow_bool: bool = True, finite: bool = False,
                     dtype: Any = None) -> np.ndarray:
    """Turn ``x`` (array or nested list) into a real-valued NumPy array.

    Refuses strings, objects, complex numbers and ragged lists with a message
    that names ``name``.

    Parameters
    ----------
    x : array_like
    name : str
    allow_bool : bool, default True
        Accept booleans (they count as 0 and 1).
    finite : bool, default False
        Also refuse NaN and infinity (see :func:`check_finite`).
    dtype : dtype, optional
        Convert the result to this type.

    Examples
    --------
    >>> as_numeric_array([[1, 2], [3, 4]], "x").shape
    (2, 2)
    >>> as_numeric_array(["a"], "x")
    Traceback (most recent call last):
    ...
    chapter2.errors.InputTypeError: x must hold real numbers (integers or floating-point numbers), got an array of dtype <U1 (kind 'U'); convert it with np.asarray(x, dtype='float32')
    """
    if type(x) is np.ndarray:
        array = x
    else:
        _check_container(x, name)
        # Subclasses too: np.matrix multiplies differently and a masked
        # array's mask would be ignored anyway, so both become plain arrays.
        try:
            array = np.asarray(x)
        except (ValueError, TypeError) as exc:
            raise InputValueError(
                f"{name} could not be turned into an array ({exc}); pass a NumPy array "
                "or a list of equal-length lists of numbers") from None
    kinds = "biuf" if allow_bool else "iuf"
    if (array.dtype.kind == "O" and array.size and all(isinstance(v, int) for v in array.flat)
            and not -2 ** 63 <= (largest := max(array.flat, key=abs)) < 2 ** 64):
        raise InputValueError(
            f"{name} holds the integer {largest}, too large for any NumPy number type "
            "(integers must lie within +-9.2e18); check how it was computed")
    if array.dtype.kind not in kinds:
        raise InputTypeError(
            f"{name} must hold real numbers (integers or floating-point numbers), got an array of "
            f"dtype {array.dtype} (kind {array.dtype.kind!r}); convert it with "
            f"np.asarray({name}, dtype='float32')")
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    if finite:
        check_finite(array, name)
    return array


def _check_container(x: Any, name: str) -> None:
    """Refuse, by name, the containers NumPy would turn into an array of objects."""
    if x is None:
        raise InputTypeError(f"{name} is None; pass a NumPy array (or a list of numbers)")
    if isinstance(x, dict):
        raise InputTypeError(
            f"{name} is a dict (keys {sorted(map(str, x))[:3]}); named inputs are not part of chapter2, "
            f"whose models take one array: pass the array itself, e.g. {name}[{next(iter(x))!r}]")
    if isinstance(x, (set, frozenset)):
        raise InputTypeError(f"{name} is a set, which has no order; pass a list or an array "
                             f"(sorted({name}) if the order does not matter)")
    if isinstance(x, Iterator):
        raise InputTypeError(
            f"{name} is a {type(x).__name__} (an iterator); chapter2 takes the whole data as one array, "
            f"not batches from a generator: collect it first, e.g. np.asarray(list({name}))")
    if (isinstance(x, (tuple, list)) and len(x) > 1
            and all(isinstance(v, np.ndarray) and v.ndim >= 2 for v in x)):
        raise InputValueError(
            f"{name} is a {type(x).__name__} of {len(x)} arrays; several inputs are not part of "
            f"chapter2, whose models take one array: pass one of them, or join them with "
            "np.concatenate(..., axis=1)")


def check_not_empty(x: np.ndarray, name: str) -> None:
    """Raise if ``x`` has no samples (or no features)."""
    if x.size == 0:
        raise InputValueError(f"{name} is empty (shape {x.shape}); there is nothing to train on or predict")


def check_finite(x: np.ndarray, name: str) -> None:
    """Raise if ``x`` holds a NaN or an infinity, naming the first one found.

    A float64 sum detects both without a full-size temporary array; only when
    it is not finite is the array searched for the culprit.

    Examples
    --------
    >>> check_finite(np.array([1.0, np.nan]), "x")
    Traceback (most recent call last):
    ...
    chapter2.errors.InputValueError: x contains nan at index (1,); remove or replace NaN and infinite values first (e.g. with np.nan_to_num)
    """
    if x.dtype.kind != "f":
        return
    total = np.sum(x, dtype=np.float64)
    if np.isfinite(total):
        return
    flat = x.reshape(-1)
    chunk = 1 << 20
    for start in range(0, flat.size, chunk):
        bad = np.flatnonzero(~np.isfinite(flat[start:start + chunk]))
        if bad.size:
            index = np.unravel_index(start + int(bad[0]), x.shape)
            value = x[index]
            raise InputValueError(
                f"{name} contains {value} at index {tuple(int(i) for i in index)}; "
                "remove or replace NaN and infinite values first (e.g. with np.nan_to_num)")


def check_fits(x: np.ndarray, dtype: np.dtype, name: str, fix: str | None = None) -> None:
    """Raise if finite values of ``x`` would overflow to infinity when cast to ``dtype``.

    Only a float array wider than ``dtype`` (float64 data for a float32 model)
    can do that, so only such an array pays for the two passes over it.

    Examples
    --------
    >>> check_fits(np.array([1e300]), np.float32, "w")
    Traceback (most recent call last):
    ...
    chapter2.errors.InputValueError: w holds values from 1e+300 to 1e+300, beyond the largest float32 (3.40282e+38); they would become infinite in the model. Scale w first (e.g. standardise it, or divide pixels by 255)
    """
    dtype = np.dtype(dtype)
    if x.dtype.kind != "f" or x.dtype.itemsize <= dtype.itemsize or x.size == 0:
        return
    limit = float(np.finfo(dtype).max)
    low, high = float(np.min(x)), float(np.max(x))
    if max(-low, high) > limit:
        raise InputValueError(
            f"{name} holds values from {low:g} to {high:g}, beyond the largest {dtype} "
            f"({limit:g}); they would become infinite in the model. "
            + (fix or f"Scale {name} first (e.g. standardise it, or divide pixels by 255)"))


def check_samples(x: Any, name: str, sample_shape: tuple[int, ...] | None, *, flat_only: bool = False,
                  what: str = "the model") -> np.ndarray:
    """Return ``x`` as a finite, non-empty batch of samples, shape ``(samples, *sample_shape)``.

    Parameters
    ----------
    x : array_like
    name : str
    sample_shape : tuple of int or None
        The shape of one sample, if known.
    flat_only : bool, default False
        When ``sample_shape`` is unknown, require ``(samples, features)``.
    what : str
        Who expects that shape, for messages ("the first layer").

    Examples
    --------
    >>> check_samples(np.zeros((3, 2, 2)), "x", (2, 2)).shape
    (3, 2, 2)
    >>> check_samples(np.zeros(4), "x", (4,))
    Traceback (most recent call last):
    ...
    chapter2.errors.InputValueError: x must be 2-D, (samples, features), got shape (4,); for a single sample pass x.reshape(1, -1)
    """
    x = as_numeric_array(x, name)
    rank = len(sample_shape) + 1 if sample_shape is not None else (2 if flat_only else None)
    if x.ndim < 2 or (rank is not None and x.ndim != rank):
        raise InputValueError(_rank_message(x, name, sample_shape, rank))
    check_not_empty(x, name)
    if sample_shape is not None and x.shape[1:] != tuple(sample_shape):
        if len(sample_shape) == 1:
            raise InputValueError(
                f"{name} has {x.shape[1]} features per sample (shape {x.shape}), but {what} "
                f"expects {sample_shape[0]}: it was built with input_shape=({sample_shape[0]},)")
        raise InputValueError(
            f"{name} holds samples of shape {x.shape[1:]} (shape {x.shape}), but {what} expects "
            f"samples of shape {tuple(sample_shape)}")
    check_finite(x, name)
    return x


def _rank_message(x: np.ndarray, name: str, sample_shape: tuple[int, ...] | None, rank: int | None) -> str:
    if rank == 2:
        hint = (f"; flatten each sample first: {name}.reshape(len({name}), -1), or start the model with "
                "layers.Flatten()" if x.ndim > 2 else
                f"; for a single sample pass {name}.reshape(1, -1)" if x.ndim == 1 else "")
        return f"{name} must be 2-D, (samples, features), got shape {x.shape}{hint}"
    wanted = "(samples, " + ", ".join(str(n) for n in sample_shape) + ")" if sample_shape else "(samples, ...)"
    hint = f"; for a single sample pass {name}[np.newaxis]" if rank is None or x.ndim == rank - 1 else ""
    return f"{name} must have shape {wanted}, got shape {x.shape}{hint}"


def check_consistent_length(arrays: Mapping[str, Any]) -> int:
    """Raise unless every array holds the same number of samples (its first axis); return it.

    Examples
    --------
    >>> check_consistent_length({"x": np.zeros((3, 2)), "y": np.zeros(3)})
    3
    >>> check_consistent_length({"x": np.zeros((3, 2)), "y": np.zeros(2)})
    Traceback (most recent call last):
    ...
    chapter2.errors.InputValueError: x and y must have the same number of samples, got 3 in x and 2 in y (shapes (3, 2) and (2,))
    """
    counts = {name: (len(a) if np.ndim(a) else None) for name, a in arrays.items()}
    if len(set(counts.values())) > 1 or None in counts.values():
        names = list(arrays)
        said = " and ".join(f"{'a scalar' if n is None else n} in {name}" for name, n in counts.items())
        shapes = " and ".join(str(np.shape(a)) for a in arrays.values())
        raise InputValueError(
            f"{' and '.join(names)} must have the same number of samples, got {said} (shapes {shapes})")
    return next(iter(counts.values()))


def require_rank(array: np.ndarray, rank: int, name: str) -> None:
    """Raise unless ``array`` has exactly ``rank`` axes.

    Examples
    --------
    >>> require_rank(np.zeros(3), 2, "x")
    Traceback (most recent call last):
    ...
    chapter2.errors.InputValueError: x must be a matrix (rank 2), got an array of shape (3,) (rank 1)
    """
    if array.ndim != rank:
        raise InputValueError(
            f"{name} must be a {_RANK_WORDS.get(rank, 'tensor')} (rank {rank}), "
            f"got an array of shape {array.shape} (rank {array.ndim})")


def as_shape(shape: Any, name: str) -> tuple[int, ...]:
    """Return ``shape`` as a tuple of non-negative ints; a lone int means ``(n,)``.

    Examples
    --------
    >>> as_shape(3, "shape"), as_shape([2, np.int64(4)], "shape")
    ((3,), (2, 4))
    """
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, Sequence) or isinstance(shape, str):
        raise InputTypeError(f"{name} must be a tuple of ints such as (2, 3), got {shape!r}")
    sizes = []
    for size in shape:
        if isinstance(size, bool):
            raise InputTypeError(f"{name} must contain ints, got {size!r} in {shape!r}")
        try:
            size = operator.index(size)
        except TypeError:
            raise InputTypeError(f"{name} must contain ints, got {size!r} in {shape!r}") from None
        if size < 0:
            raise InputValueError(f"{name} cannot contain a negative size, got {tuple(shape)}")
        sizes.append(size)
    return tuple(sizes)


# ------------------------------------------------------------------- memory


def check_allocation(nbytes: int, what: str, fix: str) -> None:
    """Raise :class:`~chapter2.errors.OutOfMemoryError` before allocating more than this machine has free.

    Linux often promises more memory than it has and kills the process when
    the pages are touched, so waiting for NumPy's ``MemoryError`` is not
    enough: an array larger than the memory available now is refused up front.

    Parameters
    ----------
    nbytes : int
        Bytes the allocation needs.
    what : str
        What would be allocated ("a 784 x 1000000000 kernel").
    fix : str
        What to do instead.

    Examples
    --------
    >>> check_allocation(10**18, "a test array", "ask for less")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    chapter2.errors.OutOfMemoryError: a test array needs 1,000,000,000.0 GB of memory, but this machine has ... GB free; ask for less
    """
    free = available_memory()
    if free is not None and nbytes > free:
        raise OutOfMemoryError(
            f"{what} needs {nbytes / 1e9:,.1f} GB of memory, but this machine has "
            f"{free / 1e9:,.1f} GB free; {fix}")


def available_memory() -> int | None:
    """Bytes of memory free for a new array (Linux's MemAvailable), else the physical memory, else None.

    Examples
    --------
    >>> free = available_memory()
    >>> free is None or free > 0
    True
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def allocate(allocator: Callable[[], T], nbytes: int, what: str, fix: str) -> T:
    """Run ``allocator`` after :func:`check_allocation`; NumPy's ``MemoryError`` gets the same message.

    Examples
    --------
    >>> allocate(lambda: np.zeros(3), 24, "three zeros", "ask for less").shape
    (3,)
    """
    check_allocation(nbytes, what, fix)
    try:
        return allocator()
    except MemoryError:
        raise OutOfMemoryError(
            f"{what} needs {nbytes / 1e9:,.1f} GB of memory, more than is free now; {fix}") from None


__all__ = ["check_scalar", "check_int", "check_float", "check_bool", "check_choice", "lookup",
           "as_numeric_array", "check_not_empty", "check_finite", "check_fits",
           "check_samples", "check_consistent_length", "require_rank", "as_shape",
           "check_allocation", "available_memory", "allocate"]
