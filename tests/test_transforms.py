"""chapter2.transforms: plane moves checked against hand-computed geometry."""

import numpy as np
import pytest

from chapter2.errors import InputTypeError, InputValueError
from chapter2.transforms import (affine, dense_relu, fold, linear, rotation, scaling, shear,
                                 tangled_classes, translate, uncrumple, zigzag)


@pytest.mark.parametrize("angle", [0.0, 30.0, 90.0, -135.0, 400.0])
def test_rotation_is_orthogonal_with_determinant_one(angle):
    r = rotation(angle)
    np.testing.assert_allclose(r.T @ r, np.eye(2), atol=1e-12)
    assert np.linalg.det(r) == pytest.approx(1.0)


def test_rotation_turns_counter_clockwise_and_keeps_lengths():
    p = np.array([[3.0, 4.0]])
    turned = linear(p, rotation(90.0))
    np.testing.assert_allclose(turned, [[-4.0, 3.0]], atol=1e-12)
    # composing two turns adds their angles
    np.testing.assert_allclose(rotation(20.0) @ rotation(25.0), rotation(45.0), atol=1e-12)


def test_scaling_and_shear_act_on_coordinates():
    np.testing.assert_allclose(linear([[1.0, 1.0]], scaling(2.0, -3.0)), [[2.0, -3.0]])
    np.testing.assert_allclose(scaling(1.5), np.diag([1.5, 1.5]))
    np.testing.assert_allclose(linear([[0.0, 2.0], [1.0, 0.0]], shear(0.5)), [[1.0, 2.0], [1.0, 0.0]])


def test_linear_and_affine_match_per_point_matrix_products():
    rng = np.random.default_rng(0)
    points, m, b = rng.normal(size=(7, 2)), rng.normal(size=(2, 2)), rng.normal(size=2)
    expected = np.array([m @ p + b for p in points])
    np.testing.assert_allclose(affine(points, m, b), expected)
    np.testing.assert_allclose(linear(points, m), expected - b)


def test_translate_moves_every_point_by_the_same_vector():
    points = np.array([[0.0, 0.0], [1.0, -2.0], [3.0, 5.0]])
    moved = translate(points, [1.5, -0.5])
    np.testing.assert_allclose(moved - points, np.tile([1.5, -0.5], (3, 1)))
    # distances between points do not change
    np.testing.assert_allclose(np.diff(moved, axis=0), np.diff(points, axis=0))


def test_dense_relu_is_relu_of_affine():
    rng = np.random.default_rng(1)
    points, m, b = rng.normal(size=(50, 2)), rng.normal(size=(2, 2)), rng.normal(size=2)
    out = dense_relu(points, m, b)
    raw = points @ m.T + b
    np.testing.assert_allclose(out, np.where(raw > 0, raw, 0.0))
    assert out.min() >= 0.0


def test_zigzag_matches_its_definition_at_known_points():
    xs = np.array([-4.0, -3.0, -2.0, -1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(zigzag(xs), [1, 0, 1, 0, 1, 0.5, 0, 1, 0, 1])


def test_fold_is_absolute_distance_to_the_line():
    points = np.array([[-3.0, 1.0], [0.5, -2.0], [2.0, 0.0], [5.0, 4.0]])
    folded = fold(points, at=2.0)
    np.testing.assert_allclose(folded[:, 0], np.abs(points[:, 0] - 2.0))
    np.testing.assert_allclose(folded[:, 1], points[:, 1])


def test_tangled_classes_are_seeded_balanced_and_respect_the_margin():
    points, labels = tangled_classes(n=300, seed=3, margin=0.1)
    again, labels_again = tangled_classes(n=300, seed=3, margin=0.1)
    np.testing.assert_array_equal(points, again)
    np.testing.assert_array_equal(labels, labels_again)
    assert points.shape == (300, 2) and set(np.unique(labels)) == {0, 1}
    assert 0.3 < labels.mean() < 0.7
    other, _ = tangled_classes(n=300, seed=4, margin=0.1)
    assert not np.allclose(points, other)


def test_tangled_classes_are_not_linearly_separable_at_first():
    points, labels = tangled_classes(n=400, seed=0)
    # least-squares linear classifier on the raw points: must make mistakes
    design = np.column_stack([points, np.ones(len(points))])
    w, *_ = np.linalg.lstsq(design, 2.0 * labels - 1.0, rcond=None)
    assert np.mean((design @ w > 0) == (labels == 1)) < 0.95


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_uncrumple_ends_with_classes_split_by_the_horizontal_axis(seed):
    points, labels = tangled_classes(n=400, seed=seed)
    stages = uncrumple(points)
    assert len(stages) == 6
    assert all(s.shape == (400, 2) for _, s in stages)
    np.testing.assert_array_equal(stages[0][1], points)
    flat = stages[-1][1]
    assert np.all((flat[:, 1] > 0) == (labels == 1))
    # the margin survives: no point sits on the line
    assert np.abs(flat[:, 1]).min() > 0.01


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(InputValueError, match=r"shape \(n, 2\)"):
        linear(np.zeros(2), np.eye(2))
    with pytest.raises(InputValueError, match=r"\(2, 2\)"):
        affine(np.zeros((3, 2)), np.eye(3), [0.0, 0.0])
    with pytest.raises(InputValueError, match="shift"):
        translate(np.zeros((3, 2)), [1.0, 2.0, 3.0])
    with pytest.raises(InputValueError, match="NaN"):
        linear([[np.nan, 0.0]], np.eye(2))
    with pytest.raises(InputTypeError, match="angle"):
        rotation("90")
    with pytest.raises(InputTypeError, match="numbers"):
        linear([["a", "b"]], np.eye(2))
    with pytest.raises(InputValueError, match="n must be"):
        tangled_classes(n=1)
    with pytest.raises(InputValueError, match="margin"):
        tangled_classes(n=10, margin=0.9)
