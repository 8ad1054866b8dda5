"""The nearest-mean baseline against direct NumPy computations and on MNIST."""

import numpy as np
import pytest

from chapter2.baselines import class_means, nearest_mean, squared_distances
from chapter2.errors import InputValueError


def test_class_means_match_boolean_masks():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 7))
    labels = rng.integers(0, 4, size=200)
    means = class_means(x, labels, n_classes=4)
    expected = np.stack([x[labels == k].mean(axis=0) for k in range(4)])
    np.testing.assert_allclose(means, expected, rtol=1e-12)


def test_squared_distances_match_the_direct_formula():
    rng = np.random.default_rng(1)
    x, means = rng.normal(size=(50, 9)), rng.normal(size=(5, 9))
    direct = ((x[:, None, :] - means[None, :, :]) ** 2).sum(axis=-1)
    np.testing.assert_allclose(squared_distances(x, means), direct, rtol=1e-10, atol=1e-12)


def test_nearest_mean_is_the_argmin_of_the_direct_distances():
    rng = np.random.default_rng(2)
    x, means = rng.normal(size=(300, 6)), rng.normal(size=(8, 6))
    direct = ((x[:, None, :] - means[None, :, :]) ** 2).sum(axis=-1)
    np.testing.assert_array_equal(nearest_mean(means, x), direct.argmin(axis=1))


def test_a_sample_equal_to_a_mean_has_distance_zero_not_negative():
    means = np.array([[1e4, 1e4 + 1.0]], dtype=np.float32)
    assert squared_distances(means, means).min() == 0.0


@pytest.mark.parametrize("labels, message", [
    (np.array([0, 1, 5]), "from 0 to 2"),
    (np.array([0, 0, 1]), "classes \\[2\\] have none"),
])
def test_class_means_refuses_bad_labels(labels, message):
    with pytest.raises(InputValueError, match=message):
        class_means(np.zeros((3, 2)), labels, n_classes=3)


def test_feature_mismatch_is_named():
    with pytest.raises(InputValueError, match="same number of features"):
        nearest_mean(np.zeros((2, 3)), np.zeros((4, 5)))


def test_nearest_mean_on_mnist_scores_its_measured_accuracy(mnist_data):
    (x_train, y_train), (x_test, y_test) = mnist_data
    x_train = x_train.reshape(len(x_train), -1).astype(np.float32) / 255
    x_test = x_test.reshape(len(x_test), -1).astype(np.float32) / 255
    means = class_means(x_train, y_train, n_classes=10)
    accuracy = (nearest_mean(means, x_test) == y_test).mean()
    # Measured 0.8203 in float32 and in float64: only images almost equally near two
    # means could change class with the summation order, a handful at most.
    assert abs(accuracy - 0.8203) < 0.001
