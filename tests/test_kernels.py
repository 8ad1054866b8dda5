"""The fused (numba) kernels against the pure-NumPy reference, and how the path is chosen."""

import os
import subprocess
import sys

import numpy as np
import pytest

from chapter2 import kernels, layers, models, optimizers
from chapter2.errors import InputValueError
from chapter2.kernels import reference
from chapter2.utils import set_random_seed

try:
    import numba
except ImportError:
    numba = None
needs_numba = pytest.mark.skipif(numba is None, reason="the fused kernels need the [fast] extra (numba)")

OPTIMIZERS = {
    "rmsprop": lambda: optimizers.RMSprop(learning_rate=1e-3),
    "rmsprop-momentum": lambda: optimizers.RMSprop(learning_rate=1e-3, momentum=0.9),
    "rmsprop-centered": lambda: optimizers.RMSprop(learning_rate=1e-3, centered=True),
    "rmsprop-centered-momentum": lambda: optimizers.RMSprop(learning_rate=1e-3, centered=True, momentum=0.5),
    "sgd": lambda: optimizers.SGD(learning_rate=0.01),
    "sgd-momentum": lambda: optimizers.SGD(learning_rate=0.01, momentum=0.9),
    "sgd-nesterov": lambda: optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True),
}


@pytest.fixture
def restore_kernels():
    previous = kernels.use(None)
    yield
    kernels.use(previous)


def _fifty_steps(path, make_optimizer, dtype):
    """Weights after 50 optimizer steps on fixed random gradients, with the given kernels."""
    kernels.use(path)
    rng = np.random.default_rng(0)
    weights = [rng.standard_normal((97, 33)).astype(dtype), np.zeros(33, dtype)]
    optimizer = make_optimizer()
    for _ in range(50):
        grads = [rng.standard_normal(w.shape).astype(dtype) * 0.1 for w in weights]
        optimizer.apply(grads, weights)
    return weights


@needs_numba
@pytest.mark.usefixtures("restore_kernels")
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_fused_optimizer_steps_match_numpy_after_50_steps(name, dtype):
    fused = _fifty_steps("numba", OPTIMIZERS[name], dtype)
    plain = _fifty_steps("numpy", OPTIMIZERS[name], dtype)
    for f, p in zip(fused, plain):
        assert not np.array_equal(p, 0)   # the weights did move
        np.testing.assert_array_max_ulp(f, p, maxulp=2)


@needs_numba
@pytest.mark.usefixtures("restore_kernels")
def test_the_fused_path_really_runs_the_fused_kernels(monkeypatch):
    def refuse(*args):
        raise AssertionError("the NumPy reference ran although the fused kernels were chosen")

    monkeypatch.setattr(reference, "rmsprop_update", refuse)
    monkeypatch.setattr(reference, "relu_backward", refuse)
    monkeypatch.setattr(reference, "column_sums", refuse)
    kernels.use("numba")
    assert kernels.current() == "numba"
    model = _tiny_model()
    model.fit(np.ones((8, 3), "float32"), np.eye(2, dtype="float32")[[0, 1] * 4], epochs=1, verbose=0)


@needs_numba
@pytest.mark.usefixtures("restore_kernels")
@pytest.mark.parametrize("optimizer", ["rmsprop", "sgd"])
def test_fit_gives_the_same_weights_on_both_paths(blobs, optimizer):
    x, labels = blobs
    y = np.eye(3, dtype="float32")[labels]
    results = {}
    for path in ("numba", "numpy"):
        kernels.use(path)
        set_random_seed(5)
        model = models.Sequential([layers.Dense(16, activation="relu", input_shape=(4,)),
                                   layers.Dense(3, activation="softmax")])
        model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
        history = model.fit(x, y, epochs=3, batch_size=32, verbose=0)
        results[path] = model.get_weights(), history.history["loss"]
    for f, p in zip(results["numba"][0], results["numpy"][0]):
        np.testing.assert_array_max_ulp(f, p, maxulp=2)
    np.testing.assert_allclose(results["numba"][1], results["numpy"][1], rtol=1e-6)


@needs_numba
@pytest.mark.usefixtures("restore_kernels")
def test_fused_relu_backward_and_bias_sums_match_numpy():
    rng = np.random.default_rng(1)
    out = np.maximum(rng.standard_normal((64, 40)), 0).astype("float32")
    grad = rng.standard_normal((64, 40)).astype("float32")
    grad[0, 0], out[1, 1] = np.nan, 0.0
    kernels.use("numpy")
    expected = kernels.relu_backward(out, grad), kernels.column_sums(grad, np.empty(40, "float32"))
    kernels.use("numba")
    got = kernels.relu_backward(out, grad), kernels.column_sums(grad, np.empty(40, "float32"))
    for g, e in zip(got, expected):
        np.testing.assert_array_max_ulp(g, e, maxulp=2)
        assert np.array_equal(np.isnan(g), np.isnan(e))


@needs_numba
@pytest.mark.usefixtures("restore_kernels")
def test_strided_and_mixed_arrays_take_the_numpy_path_and_are_updated_in_place():
    kernels.use("numba")
    base = np.ones((6, 8), "float32")
    view = base[:, ::2]                        # not contiguous: the loops cannot take it
    optimizers.RMSprop(learning_rate=0.1).apply([np.full(view.shape, 0.5, "float32")], [view])
    assert np.all(base[:, ::2] < 1) and np.all(base[:, 1::2] == 1)
    w = np.ones(4, "float32")
    optimizers.SGD(learning_rate=0.1).apply([np.full(4, 0.5)], [w])    # float64 gradient
    np.testing.assert_allclose(w, 0.95)


@pytest.mark.usefixtures("restore_kernels")
def test_numpy_can_always_be_forced():
    assert kernels.use("numpy") is None
    assert kernels.current() == "numpy"


@pytest.mark.usefixtures("restore_kernels")
def test_the_environment_variable_chooses_the_path(monkeypatch):
    monkeypatch.setenv("CHAPTER2_KERNELS", "NumPy")
    kernels.use(None)
    assert kernels.current() == "numpy"
    monkeypatch.setenv("CHAPTER2_KERNELS", "auto")
    kernels.use(None)
    assert kernels.current() == ("numba" if numba is not None else "numpy")


@pytest.mark.usefixtures("restore_kernels")
def test_an_unknown_value_in_the_environment_variable_is_refused(monkeypatch):
    monkeypatch.setenv("CHAPTER2_KERNELS", "fortran")
    with pytest.raises(InputValueError, match="CHAPTER2_KERNELS is 'fortran'"):
        kernels.use(None)


@pytest.mark.usefixtures("restore_kernels")
def test_a_bad_environment_variable_stops_compile_and_leaves_the_model_as_it_was(monkeypatch):
    model = _tiny_model()
    before = model.optimizer
    monkeypatch.setenv("CHAPTER2_KERNELS", "fortran")
    monkeypatch.setattr(kernels, "_implementation", None)    # as in a fresh process
    with pytest.raises(InputValueError, match="CHAPTER2_KERNELS"):
        model.compile(optimizer="sgd", loss="categorical_crossentropy")
    assert model.optimizer is before


@pytest.mark.usefixtures("restore_kernels")
def test_an_unknown_name_is_refused():
    with pytest.raises(InputValueError, match=r"kernels must be one of \['auto', 'numba', 'numpy'\]"):
        kernels.use("fast")


def _python(code, **env):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})


def test_without_numba_auto_falls_back_and_numba_is_refused_with_the_fix():
    code = ("import sys; sys.modules['numba'] = None\n"
            "from chapter2 import kernels\n"
            "print(kernels.current())\n"
            "kernels.use('numba')\n")
    result = _python(code, CHAPTER2_KERNELS="auto")
    assert result.stdout.strip() == "numpy"
    assert 'InputValueError: the fused kernels need numba' in result.stderr
    assert 'pip install "chapter2[fast]"' in result.stderr


def test_importing_the_engine_imports_no_numba():
    code = ("import sys\n"
            "import chapter2, chapter2.models, chapter2.layers, chapter2.optimizers, chapter2.training\n"
            "print('numba' in sys.modules)\n")
    result = _python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@needs_numba
def test_compiled_kernels_are_cached_for_the_next_process(tmp_path):
    code = ("import numpy as np\n"
            "from chapter2 import kernels\n"
            "from chapter2.kernels import fused\n"
            "kernels.use('numba')\n"
            "w = np.ones(5, 'float32')\n"
            "kernels.rmsprop_update(w, w * 0.5, np.zeros_like(w), None, None, np.empty_like(w), 0.1, 0.9, 1e-7, 0.0)\n"
            "print(sum(fused.rmsprop_update.stats.cache_hits.values()))\n")
    first = _python(code, NUMBA_CACHE_DIR=str(tmp_path))
    second = _python(code, NUMBA_CACHE_DIR=str(tmp_path))
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert first.stdout.strip() == "0"          # compiled, and written to the cache
    assert any(tmp_path.rglob("*.nbi"))
    assert second.stdout.strip() == "1"         # loaded from the cache, not compiled


@needs_numba
def test_kernels_still_compile_where_no_cache_folder_is_writable(monkeypatch):
    from chapter2.kernels import fused

    calls = []

    def fake_njit(**options):
        calls.append(options["cache"])
        if options["cache"]:
            raise RuntimeError("cannot cache function: no locator available")
        return lambda function: function

    monkeypatch.setattr(fused.numba, "njit", fake_njit)
    double = fused._compile_lazily(lambda x: 2 * x)
    assert calls == [True, False] and double(3) == 6


def _tiny_model():
    model = models.Sequential([layers.Dense(4, activation="relu", input_shape=(3,)),
                               layers.Dense(2, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


@pytest.mark.usefixtures("restore_kernels")
@pytest.mark.parametrize("module", [kernels, reference])
def test_docstring_examples(module):
    import doctest

    failures, attempted = doctest.testmod(module)
    assert attempted > 0 and failures == 0


@pytest.mark.parametrize("kind", ["numpy", "numba"])
@pytest.mark.parametrize("short", ["g", "s", "scratch"])
def test_public_rmsprop_kernel_refuses_a_short_array_instead_of_writing_past_it(kind, short):
    if kind == "numba":
        pytest.importorskip("numba")
    previous = kernels.use(kind)
    try:
        arrays = {"w": np.ones(1000, "float32"), "g": np.ones(1000, "float32"),
                  "s": np.zeros(1000, "float32"), "scratch": np.empty(1000, "float32")}
        arrays[short] = arrays[short][:10].copy()
        with pytest.raises(InputValueError, match=f"rmsprop_update: {short} has shape"):
            kernels.rmsprop_update(arrays["w"], arrays["g"], arrays["s"], None, None, arrays["scratch"],
                                   0.1, 0.9, 1e-7, 0.0)
    finally:
        kernels.use(previous)


def test_public_sgd_kernel_refuses_a_velocity_of_another_dtype():
    w = np.ones(4, "float32")
    with pytest.raises(InputValueError, match="sgd_update: v has shape"):
        kernels.sgd_update(w, np.ones(4, "float32"), np.zeros(4, "float64"), np.empty(4, "float32"),
                           0.1, 0.9, False)
