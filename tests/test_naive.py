"""chapter2.naive against NumPy, which serves as the independent truth."""

from __future__ import annotations


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from chapter2.errors import InputTypeError, InputValueError
from chapter2.source import show_source, source_of
from chapter2.naive import (
    naive_add,
    naive_add_matrix_and_vector,
    naive_broadcast_add,
    naive_broadcast_shape,
    naive_broadcast_to,
    naive_dot_shape,
    naive_matrix_dot,
    naive_matrix_vector_dot,
    naive_relu,
    naive_reshape,
    naive_transpose,
    naive_vector_dot,
    source_index,
)

# Small shapes keep the Python loops fast; finite floats keep comparisons meaningful.
FAST = settings(max_examples=60, deadline=None)
small_shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)
floats = st.floats(-1e3, 1e3, allow_nan=False, width=64)


def float_arrays(shape):
    return hnp.arrays(np.float64, shape, elements=floats)


def assert_unchanged(before: np.ndarray, after: np.ndarray) -> None:
    np.testing.assert_array_equal(before, after)


# ---------------------------------------------------------------- element-wise

@FAST
@given(float_arrays(small_shapes))
def test_relu_matches_numpy_and_leaves_input_alone(x):
    copy = x.copy()
    out = naive_relu(x)
    np.testing.assert_array_equal(out, np.maximum(x, 0))
    assert out.shape == x.shape and out.dtype == x.dtype
    assert_unchanged(copy, x)


def test_relu_keeps_integer_dtype_and_accepts_lists():
    out = naive_relu([[3, -1], [-7, 0]])
    assert out.dtype.kind == "i"
    np.testing.assert_array_equal(out, [[3, 0], [0, 0]])


@FAST
@given(small_shapes.flatmap(lambda s: st.tuples(float_arrays(s), float_arrays(s))))
def test_add_matches_numpy(pair):
    x, y = pair
    x_copy, y_copy = x.copy(), y.copy()
    np.testing.assert_array_equal(naive_add(x, y), x + y)
    assert_unchanged(x_copy, x)
    assert_unchanged(y_copy, y)


def test_add_promotes_int_plus_float_like_numpy():
    out = naive_add(np.array([1, 2]), np.array([0.5, 0.25]))
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [1.5, 2.25])


def test_add_rejects_different_shapes_naming_both():
    with pytest.raises(InputValueError, match=r"\(2, 3\).*\(3,\).*naive_broadcast_add"):
        naive_add(np.zeros((2, 3)), np.zeros(3))


@pytest.mark.parametrize("bad", [np.array(["a", "b"]), np.array([1 + 2j]), np.array([object()], dtype=object)])
def test_non_numeric_dtypes_are_refused(bad):
    with pytest.raises(InputTypeError, match="integers or floating-point"):
        naive_relu(bad)
    with pytest.raises(InputTypeError, match="y must hold"):
        naive_add(np.zeros(bad.shape), bad)


def test_booleans_count_as_0_and_1_as_everywhere_in_chapter2():
    # One rule for the whole package (chapter2.validation.as_numeric_array): NumPy and the
    # engine accept booleans, so the naive operations do too, with NumPy's values.
    flags = np.array([[True, False], [False, True]])
    np.testing.assert_array_equal(naive_relu(flags), np.maximum(flags, 0))
    np.testing.assert_array_equal(naive_add(flags, flags), flags + flags)
    np.testing.assert_array_equal(naive_matrix_dot(flags, flags.astype(int)), flags @ flags.astype(int))


# ---------------------------------------------------------------- broadcasting

@FAST
@given(float_arrays(hnp.array_shapes(min_dims=2, max_dims=2, max_side=5)), st.data())
def test_add_matrix_and_vector_matches_numpy(x, data):
    y = data.draw(float_arrays((x.shape[1],)))
    y_copy = y.copy()
    np.testing.assert_array_equal(naive_add_matrix_and_vector(x, y), x + y)
    assert_unchanged(y_copy, y)


def test_add_matrix_and_vector_checks_ranks_and_length():
    with pytest.raises(InputValueError, match=r"x must be a matrix \(rank 2\).*\(3,\)"):
        naive_add_matrix_and_vector(np.zeros(3), np.zeros(3))
    with pytest.raises(InputValueError, match=r"y must be a vector \(rank 1\)"):
        naive_add_matrix_and_vector(np.zeros((2, 3)), np.zeros((2, 3)))
    with pytest.raises(InputValueError, match=r"\(2, 3\) \(3 columns\).*\(4,\)"):
        naive_add_matrix_and_vector(np.zeros((2, 3)), np.zeros(4))


@FAST
@given(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=5, min_side=0, max_side=4))
def test_broadcast_shape_matches_numpy(shapes):
    a, b = shapes.input_shapes
    assert naive_broadcast_shape(a, b) == np.broadcast_shapes(a, b) == shapes.result_shape


@FAST
@given(small_shapes, small_shapes)
def test_broadcast_shape_fails_exactly_when_numpy_fails(a, b):
    try:
        expected = np.broadcast_shapes(a, b)
    except ValueError:
        with pytest.raises(InputValueError, match="do not broadcast"):
            naive_broadcast_shape(a, b)
    else:
        assert naive_broadcast_shape(a, b) == expected


def test_broadcast_shape_error_names_shapes_and_axis():
    with pytest.raises(InputValueError) as info:
        naive_broadcast_shape((8, 4, 3), (5, 1))
    message = str(info.value)
    assert "(8, 4, 3)" in message and "(5, 1)" in message
    assert "axis -2 has size 4 in the first and 5 in the second" in message


def test_broadcast_shape_treats_zero_as_a_real_size():
    assert naive_broadcast_shape((0, 3), (1, 3)) == (0, 3)
    with pytest.raises(InputValueError):
        naive_broadcast_shape((0,), (3,))


@pytest.mark.parametrize("bad, error", [((2, -1), InputValueError), ((2, 1.5), InputTypeError),
                                        ("23", InputTypeError), ((True, 2), InputTypeError)])
def test_broadcast_shape_validates_shapes(bad, error):
    with pytest.raises(error, match="shape_a"):
        naive_broadcast_shape(bad, (2,))


def test_broadcast_shape_accepts_an_int_as_a_vector_shape():
    assert naive_broadcast_shape(3, (2, 1)) == (2, 3)


@FAST
@given(hnp.mutually_broadcastable_shapes(num_shapes=1, max_dims=4, max_side=4), st.data())
def test_broadcast_to_matches_numpy(shapes, data):
    (shape,) = shapes.input_shapes
    x = data.draw(float_arrays(shape))
    out = naive_broadcast_to(x, shapes.result_shape)
    np.testing.assert_array_equal(out, np.broadcast_to(x, shapes.result_shape))
    assert out.flags.writeable  # a real copy, unlike NumPy's read-only view


def test_broadcast_to_refuses_impossible_targets():
    with pytest.raises(InputValueError, match=r"axis 0 of x has size 3, which is neither 1 nor .* 4"):
        naive_broadcast_to(np.zeros((3, 1)), (4, 2))
    with pytest.raises(InputValueError, match="more axes"):
        naive_broadcast_to(np.zeros((2, 2)), (2,))


def test_source_index_reads_row_vectors_and_columns():
    assert source_index((4, 2), (3,)) == (2,)
    assert source_index((4, 2), (5, 1)) == (4, 0)
    assert source_index((1, 2, 3), ()) == ()


@FAST
@given(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, max_side=4), st.data())
def test_broadcast_add_matches_numpy(shapes, data):
    a, b = shapes.input_shapes
    x, y = data.draw(float_arrays(a)), data.draw(float_arrays(b))
    x_copy, y_copy = x.copy(), y.copy()
    np.testing.assert_array_equal(naive_broadcast_add(x, y), x + y)
    assert_unchanged(x_copy, x)
    assert_unchanged(y_copy, y)


def test_broadcast_add_error_names_both_shapes():
    with pytest.raises(InputValueError, match=r"shapes \(2, 3\) and \(2,\) do not broadcast"):
        naive_broadcast_add(np.zeros((2, 3)), np.zeros(2))


# ---------------------------------------------------------------- dot

@FAST
@given(st.integers(0, 6), st.data())
def test_vector_dot_matches_numpy(n, data):
    x, y = data.draw(float_arrays((n,))), data.draw(float_arrays((n,)))
    result = naive_vector_dot(x, y)
    assert isinstance(result, float)
    assert result == pytest.approx(np.dot(x, y), rel=1e-12, abs=1e-9)


@FAST
@given(st.integers(0, 5), st.integers(0, 5), st.data())
def test_matrix_vector_dot_matches_numpy(m, n, data):
    x, y = data.draw(float_arrays((m, n))), data.draw(float_arrays((n,)))
    np.testing.assert_allclose(naive_matrix_vector_dot(x, y), x @ y, rtol=1e-12, atol=1e-9)


@FAST
@given(st.integers(0, 4), st.integers(0, 4), st.integers(0, 4), st.data())
def test_matrix_dot_matches_numpy(m, n, p, data):
    x, y = data.draw(float_arrays((m, n))), data.draw(float_arrays((n, p)))
    x_copy = x.copy()
    out = naive_matrix_dot(x, y)
    assert out.shape == (m, p)
    np.testing.assert_allclose(out, x @ y, rtol=1e-12, atol=1e-9)
    assert_unchanged(x_copy, x)


def test_matrix_dot_of_integers_is_exact():
    x = np.arange(6).reshape(2, 3)
    y = np.arange(12).reshape(3, 4)
    np.testing.assert_array_equal(naive_matrix_dot(x, y), x @ y)


@pytest.mark.parametrize("func, x_shape, y_shape, pattern", [
    (naive_vector_dot, (3,), (4,), r"\(3,\) and \(4,\).*size 3 but the only axis .* size 4"),
    (naive_matrix_vector_dot, (2, 3), (2,), r"\(2, 3\) and \(2,\)"),
    (naive_matrix_dot, (2, 3), (2, 3), r"size 3 but the second-to-last axis of the second has size 2"),
    (naive_vector_dot, (2, 2), (2,), r"x must be a vector"),
    (naive_matrix_dot, (2, 2), (2,), r"y must be a matrix"),
])
def test_dot_errors_name_both_shapes(func, x_shape, y_shape, pattern):
    with pytest.raises(InputValueError, match=pattern):
        func(np.ones(x_shape), np.ones(y_shape))


@FAST
@given(hnp.array_shapes(min_dims=1, max_dims=3, max_side=3),
       hnp.array_shapes(min_dims=1, max_dims=3, max_side=3))
def test_dot_shape_matches_numpy(a, b):
    try:
        expected = np.dot(np.ones(a), np.ones(b)).shape
    except ValueError:
        with pytest.raises(InputValueError, match="do not line up"):
            naive_dot_shape(a, b)
    else:
        assert naive_dot_shape(a, b) == expected


def test_dot_shape_refuses_scalars():
    with pytest.raises(InputValueError, match=r"shape_b must have at least one axis.*\*"):
        naive_dot_shape((3,), ())


# ---------------------------------------------------------------- reshaping

@FAST
@given(float_arrays(hnp.array_shapes(min_dims=1, max_dims=3, max_side=4)), st.data())
def test_reshape_matches_numpy(x, data):
    # Pick a target shape by splitting the entry count into factors.
    size = x.size
    first = data.draw(st.sampled_from([d for d in range(1, size + 1) if size % d == 0]))
    target = data.draw(st.sampled_from([(size,), (first, size // first), (first, -1), (-1, 1, first)]))
    np.testing.assert_array_equal(naive_reshape(x, target), x.reshape(target))


def test_reshape_errors_say_why():
    with pytest.raises(InputValueError, match=r"\(2, 3\) \(6 entries\) into \(4, 2\) \(8 entries\)"):
        naive_reshape(np.zeros((2, 3)), (4, 2))
    with pytest.raises(InputValueError, match="at most one -1"):
        naive_reshape(np.zeros(6), (-1, -1))
    with pytest.raises(InputValueError, match="no size for the -1"):
        naive_reshape(np.zeros(6), (4, -1))


@FAST
@given(float_arrays(hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=5)))
def test_transpose_matches_numpy(x):
    copy = x.copy()
    np.testing.assert_array_equal(naive_transpose(x), x.T)
    assert_unchanged(copy, x)


def test_transpose_needs_a_matrix():
    with pytest.raises(InputValueError, match=r"matrix \(rank 2\).*\(2, 2, 2\)"):
        naive_transpose(np.zeros((2, 2, 2)))


# ---------------------------------------------------------------- how notebooks show the code

def test_show_source_drops_only_the_docstring_and_stores_no_html():
    shown = show_source(naive_relu, docstring=False)
    assert repr(shown).startswith("def naive_relu(")
    assert "Rectified linear unit" not in repr(shown)
    assert "for index in np.ndindex(x.shape):" in repr(shown)
    markdown = shown._repr_markdown_()
    assert markdown.startswith("```python\ndef naive_relu(") and markdown.endswith("\n```")
    assert "<style" not in markdown and not hasattr(shown, "_repr_html_")
    assert "Rectified linear unit" in repr(show_source(naive_relu))
    with pytest.raises(InputTypeError):
        show_source(np.add)


def test_a_method_is_shown_dedented():
    from chapter2.autodiff import Tensor

    assert source_of(Tensor.__mul__).startswith("def __mul__(self, other)")
