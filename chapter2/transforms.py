"""Tensor operations seen as moves of the plane (sections 2.3.5 and 2.3.6).

A point of the plane is a vector of two numbers, and a batch of points is an
array of shape ``(n, 2)``, one point per row. Every function here takes and
returns such batches, so the effect of an operation can be drawn before and
after (see ``chapter2.plotting.geometry``).

The moves, from simplest to the one a dense layer makes:

- ``translate``: add the same vector to every point (``x + b``);
- ``rotation``, ``scaling``, ``shear``: 2 x 2 matrices, applied by ``linear``;
- ``affine``: a matrix, then a shift, which is what ``Dense`` computes before
  its activation (``x @ W.T + b`` here, with ``W`` written the way
  mathematicians write it: output coordinates by input coordinates);
- ``dense_relu``: an affine map followed by relu, a whole ``Dense(2, "relu")``.

The last part builds the "crumpled paper" picture: ``tangled_classes`` makes two
interlocking classes of points, and ``uncrumple`` flattens them step by step
with nothing but affine maps and relu, until a straight line separates them.
"""

from __future__ import annotations

import numpy as np

from .errors import InputValueError
from .validation import as_numeric_array, check_float, check_int


# --------------------------------------------------------------------------
# Matrices
# --------------------------------------------------------------------------

def rotation(angle: float) -> np.ndarray:
    """The 2 x 2 matrix turning the plane counter-clockwise by ``angle`` degrees.

    Parameters
    ----------
    angle : float
        In degrees; positive turns counter-clockwise.

    Returns
    -------
    ndarray, shape (2, 2)

    Examples
    --------
    >>> np.round(rotation(90) @ np.array([1.0, 0.0]), 6)
    array([0., 1.])
    """
    theta = np.deg2rad(check_float(angle, "angle"))
    c, s = np.cos(theta), np.sin(theta)
    return np.array([[c, -s], [s, c]])


def scaling(sx: float, sy: float | None = None) -> np.ndarray:
    """The 2 x 2 matrix stretching the x axis by ``sx`` and the y axis by ``sy``.

    Parameters
    ----------
    sx : float
        Factor along x (negative values also mirror).
    sy : float, optional
        Factor along y; defaults to ``sx`` (a uniform zoom).

    Returns
    -------
    ndarray, shape (2, 2)

    Examples
    --------
    >>> scaling(2.0, 0.5)
    array([[2. , 0. ],
           [0. , 0.5]])
    """
    sx = check_float(sx, "sx")
    sy = sx if sy is None else check_float(sy, "sy")
    return np.array([[sx, 0.0], [0.0, sy]])


def shear(k: float) -> np.ndarray:
    """The 2 x 2 matrix sliding each point sideways by ``k`` times its height.

    Examples
    --------
    >>> shear(0.5) @ np.array([0.0, 2.0])
    array([1., 2.])
    """
    return np.array([[1.0, check_float(k, "k")], [0.0, 1.0]])


# --------------------------------------------------------------------------
# Moves of a batch of points
# --------------------------------------------------------------------------

def translate(points: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """Add the vector ``shift`` to every point: the whole cloud moves, unchanged.

    Parameters
    ----------
    points : array_like, shape (n, 2)
    shift : array_like, shape (2,)

    Returns
    -------
    ndarray, shape (n, 2)

    Examples
    --------
    >>> translate([[0.0, 0.0], [1.0, 1.0]], [2.0, -1.0])
    array([[ 2., -1.],
           [ 3.,  0.]])
    """
    return _as_points(points) + _as_vector(shift, "shift")


def linear(points: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Apply the 2 x 2 ``matrix`` to every point (each row ``p`` becomes ``matrix @ p``).

    Parameters
    ----------
    points : array_like, shape (n, 2)
    matrix : array_like, shape (2, 2)

    Returns
    -------
    ndarray, shape (n, 2)
        ``points @ matrix.T``: the batched form of ``matrix @ p``.

    Examples
    --------
    >>> np.round(linear([[1.0, 0.0], [0.0, 1.0]], rotation(90)), 6)
    array([[ 0.,  1.],
           [-1.,  0.]])
    """
    return _as_points(points) @ _as_matrix(matrix).T


def affine(points: np.ndarray, matrix: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """A linear map followed by a translation: ``matrix @ p + shift`` for every point.

    This is the computation of a ``Dense`` layer before its activation.

    Parameters
    ----------
    points : array_like, shape (n, 2)
    matrix : array_like, shape (2, 2)
    shift : array_like, shape (2,)

    Returns
    -------
    ndarray, shape (n, 2)

    Examples
    --------
    >>> affine([[1.0, 1.0]], scaling(2.0), [0.0, -1.0])
    array([[2., 1.]])
    """
    return linear(points, matrix) + _as_vector(shift, "shift")


def dense_relu(points: np.ndarray, matrix: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """An affine map, then relu: what ``Dense(2, activation="relu")`` does to the plane.

    Relu sets every negative coordinate to zero, so whatever the affine map
    sent left of the y axis is pressed onto it, and whatever it sent below the
    x axis is pressed onto that: the plane is folded into its top-right quarter.

    Parameters
    ----------
    points : array_like, shape (n, 2)
    matrix : array_like, shape (2, 2)
    shift : array_like, shape (2,)

    Returns
    -------
    ndarray, shape (n, 2), all entries >= 0

    Examples
    --------
    >>> dense_relu([[1.0, -2.0], [-1.0, 3.0]], np.eye(2), [0.0, 0.0])
    array([[1., 0.],
           [0., 3.]])
    """
    return np.maximum(affine(points, matrix, shift), 0.0)


# --------------------------------------------------------------------------
# Crumpled paper: two tangled classes, flattened by affine maps and relu
# --------------------------------------------------------------------------

def _twist() -> np.ndarray:
    # How the sheet was "crumpled" before we see it: turned by 35 degrees and
    # sheared, so the first thing to undo is a plain affine map.
    return rotation(35.0) @ shear(0.6)


# Where the three folds happen, in order: each one halves the number of teeth
# in the zigzag border between the classes (4 -> 2 -> 1 -> a straight line).
_FOLDS = (0.0, 2.0, 1.0)


def zigzag(x: np.ndarray) -> np.ndarray:
    """The border between the two tangled classes: a zigzag with four teeth on [-4, 4].

    ``zigzag(x) = | | |x| - 2 | - 1 |``, which goes between 0 and 1.

    Examples
    --------
    >>> zigzag(np.array([-4.0, -3.0, 0.0, 1.0, 1.5]))
    array([1. , 0. , 1. , 0. , 0.5])
    """
    x = np.asarray(x, dtype=np.float64)
    return np.abs(np.abs(np.abs(x) - 2.0) - 1.0)


def fold(points: np.ndarray, at: float) -> np.ndarray:
    """Fold the plane along the vertical line ``x = at``, using only relu.

    The left part is flipped onto the right part: ``x`` becomes ``|x - at|``
    and ``y`` stays. Written as ``relu(x - at) + relu(at - x)``, it is two
    relu units (one sees what lies right of the line, one what lies left)
    whose outputs the next affine layer adds together; ``y`` passes through
    (a third unit could carry it as ``relu(y + c) - c`` for a large ``c``).

    Parameters
    ----------
    points : array_like, shape (n, 2)
    at : float

    Returns
    -------
    ndarray, shape (n, 2)

    Examples
    --------
    >>> fold([[-3.0, 1.0], [3.0, 2.0]], at=0.0)
    array([[3., 1.],
           [3., 2.]])
    """
    points = _as_points(points)
    at = check_float(at, "at")
    x, y = points[:, 0], points[:, 1]
    folded_x = np.maximum(x - at, 0.0) + np.maximum(at - x, 0.0)
    return np.column_stack([folded_x, y])


def tangled_classes(n: int = 400, seed: int = 0,
                    margin: float = 0.08) -> tuple[np.ndarray, np.ndarray]:
    """Two classes of points interlocking like the teeth of a zip, then twisted.

    Points are drawn uniformly from the strip ``[-4, 4] x [-0.1, 1.1]``;
    those above the ``zigzag`` border are class 1, those below class 0, and
    points closer than ``margin`` to the border are dropped so the classes do
    not touch. The whole sheet is then turned and sheared (the "crumpling").

    Parameters
    ----------
    n : int
        Number of points.
    seed : int
        Seed of the random generator (same seed, same points).
    margin : float
        Empty band kept on each side of the border, in [0, 0.4].

    Returns
    -------
    points : ndarray, shape (n, 2)
    labels : ndarray of int, shape (n,), values 0 or 1

    Examples
    --------
    >>> points, labels = tangled_classes(n=50, seed=1)
    >>> points.shape, sorted(set(labels.tolist()))
    ((50, 2), [0, 1])
    """
    n = check_int(n, "n", minimum=2)
    margin = check_float(margin, "margin", minimum=0.0, maximum=0.4)
    rng = np.random.default_rng(seed)
    kept = np.empty((0, 2))
    while len(kept) < n:
        draw = rng.uniform([-4.0, -0.1], [4.0, 1.1], size=(2 * n, 2))
        away = np.abs(draw[:, 1] - zigzag(draw[:, 0])) > margin
        kept = np.concatenate([kept, draw[away]])
    flat = kept[:n]
    labels = (flat[:, 1] > zigzag(flat[:, 0])).astype(int)
    return linear(flat, _twist()), labels


def uncrumple(points: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Flatten the points of ``tangled_classes`` one simple move at a time.

    The moves are those of a small network written by hand: an affine map
    that undoes the twist, three relu folds, and a final rotation after which
    the border between the classes is the horizontal axis (class 1 above).

    Parameters
    ----------
    points : array_like, shape (n, 2)
        Points as returned by ``tangled_classes``.

    Returns
    -------
    list of (str, ndarray of shape (n, 2))
        Six stages: the crumpled input, then the points after each move,
        each with a short caption.

    Examples
    --------
    >>> points, labels = tangled_classes(n=100, seed=0)
    >>> caption, flat = uncrumple(points)[-1]
    >>> bool(np.all((flat[:, 1] > 0) == (labels == 1)))
    True
    """
    current = _as_points(points)
    stages = [("crumpled input", current)]
    current = linear(current, np.linalg.inv(_twist()))
    stages.append(("affine: untwist", current))
    for at in _FOLDS:
        current = fold(current, at)
        stages.append((f"relu fold at x = {at:g}", current))
    stages.append(("affine: rotate -45°", linear(current, rotation(-45.0))))
    return stages


# --------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------

def _as_points(points: np.ndarray) -> np.ndarray:
    array = as_numeric_array(points, "points", finite=True, dtype=np.float64)
    if array.ndim != 2 or array.shape[1] != 2:
        raise InputValueError(
            f"points must have shape (n, 2), one point per row, got shape {array.shape}; "
            "for a single point p use [p] or p.reshape(1, 2)")
    return array


def _as_matrix(matrix: np.ndarray) -> np.ndarray:
    array = as_numeric_array(matrix, "matrix", finite=True, dtype=np.float64)
    if array.shape != (2, 2):
        raise InputValueError(f"matrix must have shape (2, 2), got shape {array.shape}")
    return array


def _as_vector(vector: np.ndarray, name: str) -> np.ndarray:
    array = as_numeric_array(vector, name, finite=True, dtype=np.float64)
    if array.shape != (2,):
        raise InputValueError(f"{name} must have shape (2,), got shape {array.shape}")
    return array


__all__ = [
    "rotation", "scaling", "shear",
    "translate", "linear", "affine", "dense_relu",
    "zigzag", "fold", "tangled_classes", "uncrumple",
]
