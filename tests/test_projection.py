"""PCA and the neighbour measure of notebook 09, against independent truths."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from chapter2.errors import InputValueError  # noqa: E402
from chapter2.plotting.projection import DIGIT_COLOURS, DIGIT_MARKERS, plot_projections  # noqa: E402
from chapter2.projection import neighbour_agreement, pca  # noqa: E402


def _data(seed=0, n=200, d=6):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) + rng.normal(size=d)


def test_components_are_the_top_eigenvectors_of_the_covariance():
    x = _data()
    _, components, share = pca(x, n_components=3)
    values, vectors = np.linalg.eigh(np.cov(x, rowvar=False))
    order = np.argsort(values)[::-1]
    for k in range(3):
        truth = vectors[:, order[k]]
        assert abs(abs(components[k] @ truth) - 1) < 1e-9   # the same direction, up to the sign
    np.testing.assert_allclose(share, values[order[:3]] / values.sum(), rtol=1e-9)


def test_projected_coordinates_are_uncorrelated_with_the_component_variances():
    x = _data(1)
    projected, _, _ = pca(x, n_components=3)
    values = np.sort(np.linalg.eigvalsh(np.cov(x, rowvar=False)))[::-1][:3]
    np.testing.assert_allclose(np.cov(projected, rowvar=False), np.diag(values), atol=1e-9)


def test_the_sign_convention_makes_the_largest_entry_positive():
    _, components, _ = pca(_data(2), n_components=4)
    largest = components[np.arange(4), np.abs(components).argmax(axis=1)]
    assert np.all(largest > 0)
    np.testing.assert_allclose(components @ components.T, np.eye(4), atol=1e-12)


def test_the_output_does_not_depend_on_the_sign_lapack_returns(monkeypatch):
    x = _data(3)
    expected = pca(x)[0]
    svd = np.linalg.svd

    def flipped(a, full_matrices=True):
        u, s, vt = svd(a, full_matrices=full_matrices)
        return -u, s, -vt

    monkeypatch.setattr(np.linalg, "svd", flipped)
    np.testing.assert_array_equal(pca(x)[0], expected)


def test_pca_refuses_impossible_requests():
    with pytest.raises(InputValueError):
        pca(np.ones((1, 3)))
    with pytest.raises(InputValueError):
        pca(np.ones((5, 3)), n_components=4)


def test_neighbour_agreement_against_a_brute_force_loop():
    rng = np.random.default_rng(4)
    points, labels = rng.normal(size=(60, 2)), rng.integers(0, 3, size=60)
    same = 0
    for i in range(60):
        distances = [np.inf if j == i else np.sum((points[i] - points[j]) ** 2) for j in range(60)]
        same += labels[int(np.argmin(distances))] == labels[i]
    assert neighbour_agreement(points, labels) == pytest.approx(same / 60)


def test_neighbour_agreement_with_k_neighbours_against_a_brute_force_loop():
    rng = np.random.default_rng(6)
    points, labels = rng.normal(size=(40, 3)), rng.integers(0, 4, size=40)
    shares = []
    for i in range(40):
        distances = [np.inf if j == i else np.sum((points[i] - points[j]) ** 2) for j in range(40)]
        nearest = np.argsort(distances, kind="stable")[:5]
        shares.append(np.mean(labels[nearest] == labels[i]))
    assert neighbour_agreement(points, labels, k=5) == pytest.approx(np.mean(shares))
    with pytest.raises(InputValueError):
        neighbour_agreement(points[:5], labels[:5], k=5)


def test_neighbour_agreement_is_one_for_separated_clusters():
    points = np.concatenate([np.zeros((5, 2)), np.full((5, 2), 10.0)]) + np.arange(10)[:, None] * 0.01
    assert neighbour_agreement(points, np.repeat([0, 1], 5)) == 1.0


def test_plot_projections_gives_each_digit_a_marker_and_a_colour():
    assert len(set(DIGIT_MARKERS)) == 10 and len(set(DIGIT_COLOURS)) == 10
    digits = np.arange(20) % 10
    fig = plot_projections({"a": np.random.default_rng(5).normal(size=(20, 2)), "b": np.zeros((20, 2))}, digits)
    assert fig.get_size_inches().tolist() == pytest.approx([11.8, 5.2])
    labels = [collection.get_label() for collection in fig.axes[0].collections]
    assert labels == [f"digit {d}" for d in range(10)]
    plt.close(fig)
    with pytest.raises(InputValueError):
        plot_projections({"a": np.zeros((3, 2))}, np.array([0, 1]))


def test_spread_labels_leaves_no_two_labels_overlapping_and_moves_lone_ones_not_at_all():
    from chapter2.plotting.projection import spread_labels
    rng = np.random.default_rng(3)
    crowded = rng.uniform(0, 0.2, size=(10, 2))
    placed = spread_labels(np.vstack([crowded, [[5.0, 5.0]]]), gap=0.075)
    gaps = np.abs(placed[:, None, :] - placed[None, :, :]).max(axis=2)
    assert gaps[~np.eye(11, dtype=bool)].min() >= 0.075 - 1e-9
    assert placed[-1].tolist() == [5.0, 5.0]
