"""Flatten many-dimensional points onto a plane, to look at what a layer did to the data.

Notebook 09 projects the same test images twice, as 784 pixels and as the 512
activations of the trained network's hidden layer, onto their first two
principal components, and asks how often an image's nearest neighbour on the
plane shows the same digit. Principal component analysis (PCA) here is one
singular value decomposition (SVD) of the centred data, in float64.

A principal direction is defined only up to its sign: ``v`` and ``-v`` are both
right, and two LAPACK builds (or two CPUs) may return either. :func:`pca`
fixes the sign, so the same data gives the same picture everywhere.

Examples
--------
>>> points = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
>>> projected, components, share = pca(points, n_components=1)
>>> np.round(components, 4)
array([[0.7071, 0.7071]])
>>> np.round(projected[:, 0], 4)
array([-2.1213, -0.7071,  0.7071,  2.1213])
>>> float(share[0])
1.0
"""

from __future__ import annotations

import numpy as np

from .errors import InputValueError
from .validation import as_numeric_array, check_consistent_length, check_int, require_rank

__all__ = ["pca", "neighbour_agreement"]


def pca(x: np.ndarray, n_components: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Project the rows of ``x`` onto their first principal components.

    Sign convention: in every component, the entry of largest absolute value
    (the first such entry, on a tie) is positive.

    Parameters
    ----------
    x : array of shape (samples, features)
        At least two samples.
    n_components : int, default 2
        At most ``min(samples, features)``.

    Returns
    -------
    projected : float64 array of shape (samples, n_components)
        The coordinates of each centred row along each component.
    components : float64 array of shape (n_components, features)
        Orthonormal rows, the directions of largest variance first.
    share : float64 array of shape (n_components,)
        The share of the total variance along each component.

    Examples
    --------
    >>> projected, components, share = pca(np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 0.5], [0.0, -0.5]]))
    >>> components
    array([[1., 0.],
           [0., 1.]])
    >>> np.round(share, 3)
    array([0.8, 0.2])
    """
    x = as_numeric_array(x, "x", allow_bool=False, finite=True)
    require_rank(x, 2, "x")
    if x.shape[0] < 2:
        raise InputValueError(f"pca needs at least two samples to have a variance, got {x.shape[0]}")
    n_components = check_int(n_components, "n_components", minimum=1)
    if n_components > min(x.shape):
        raise InputValueError(f"n_components must be at most min(samples, features) = {min(x.shape)}, "
                              f"got {n_components}")
    centred = x.astype(np.float64) - x.astype(np.float64).mean(axis=0)
    # The right singular vectors of the centred data are the principal directions,
    # and the squared singular values their variances (times samples - 1).
    _, singular, vt = np.linalg.svd(centred, full_matrices=False)
    components = vt[:n_components]
    largest = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(n_components), largest])
    components = components * signs[:, None]
    variances = singular ** 2
    total = variances.sum()
    share = variances[:n_components] / total if total > 0 else np.zeros(n_components)
    return centred @ components.T, components, share


def neighbour_agreement(points: np.ndarray, labels: np.ndarray, k: int = 1) -> float:
    """The share of each point's ``k`` nearest other points that carry its label, averaged over the points.

    A plain measure of how well the classes are separated on a picture: 1 when
    every point sits among its own kind, about ``1 / classes`` when the labels
    are mixed at random. Distances are Euclidean; on a tie the earlier point in
    the input order counts as nearer. A larger ``k`` averages over more
    neighbours, so a tiny move of the points changes the result less.

    Parameters
    ----------
    points : array of shape (samples, dimensions)
        More than ``k`` samples; builds a (samples, samples) distance matrix.
    labels : array of shape (samples,)
    k : int, default 1

    Returns
    -------
    float, in [0, 1]

    Examples
    --------
    >>> points = np.array([[0.0], [0.1], [5.0], [5.2], [9.0]])
    >>> neighbour_agreement(points, np.array([0, 0, 1, 1, 0]))
    0.8
    >>> neighbour_agreement(points, np.array([0, 0, 1, 1, 0]), k=2)
    0.4
    """
    points = as_numeric_array(points, "points", allow_bool=False, finite=True)
    labels = np.asarray(labels)
    require_rank(points, 2, "points")
    require_rank(labels, 1, "labels")
    check_consistent_length({"points": points, "labels": labels})
    k = check_int(k, "k", minimum=1)
    if points.shape[0] <= k:
        raise InputValueError(f"neighbour_agreement needs more than k = {k} points, got {points.shape[0]}")
    points = points.astype(np.float64)
    # Differences rather than |a|² - 2 a·b + |b|²: exact zeros for equal points, no cancellation.
    distances = ((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=-1)
    np.fill_diagonal(distances, np.inf)
    # A stable sort keeps the input order among equal distances, so ties are settled the same everywhere.
    nearest = np.argsort(distances, axis=1, kind="stable")[:, :k]
    return float(np.mean(labels[nearest] == labels[:, None]))
