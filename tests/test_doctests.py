"""Every docstring example in the package runs and prints what it claims.

The examples are documentation a learner copies, so each module's examples
are a test here (one test per module). A module is found by walking the
package, not listed by hand, so a new module is covered the day it is added;
the count at the end keeps the walk honest (if it found nothing, every
per-module test would pass by doing nothing).
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil

import matplotlib
import pytest

import chapter2

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MODULES = sorted(info.name for info in pkgutil.walk_packages(chapter2.__path__, "chapter2."))
# Modules that need an optional extra, and the package that extra brings.
NEEDS_EXTRA = {"chapter2.kernels.fused": "numba"}
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def examples_in(module) -> list[doctest.DocTest]:
    return [test for test in doctest.DocTestFinder().find(module) if test.examples]


def _runs(example: doctest.Example) -> bool:
    return not example.options.get(doctest.SKIP, False)


def _with_examples(name: str) -> bool:
    if name in NEEDS_EXTRA and importlib.util.find_spec(NEEDS_EXTRA[name]) is None:
        return True     # counted, and skipped with the reason below
    return any(_runs(e) for test in examples_in(importlib.import_module(name)) for e in test.examples)


# Only modules with examples that run are tests: a module without any (or with only
# skipped ones) would pass by doing nothing.
WITH_EXAMPLES = [name for name in MODULES if _with_examples(name)]


@pytest.fixture(autouse=True)
def quiet_and_tidy(monkeypatch, tmp_path):
    """Examples run in a scratch folder, with no real dataset nearby, and leave no figure open."""
    monkeypatch.chdir(tmp_path)
    yield
    plt.close("all")


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples(name):
    if name in NEEDS_EXTRA:
        pytest.importorskip(NEEDS_EXTRA[name], reason=f"{name} needs the optional {NEEDS_EXTRA[name]}")
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for test in examples_in(module):
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.attempted > 0
    assert results.failed == 0, f"{results.failed} of {results.attempted} examples in {name} failed (see above)"


def test_the_walk_finds_the_examples_of_every_part_of_the_package():
    importable = [name for name in MODULES
                  if name not in NEEDS_EXTRA or importlib.util.find_spec(NEEDS_EXTRA[name]) is not None]
    counts = {name: sum(len(t.examples) for t in examples_in(importlib.import_module(name))) for name in importable}
    assert sum(counts.values()) >= 200
    for part in ("models", "layers", "losses", "optimizers", "descent", "scratch", "datasets.npzfile",
                 "exercises.feedback", "classroom", "saving", "validation", "plotting.graph"):
        found = sum(n for name, n in counts.items() if name.startswith(f"chapter2.{part}"))
        assert found > 0, f"no docstring examples found in chapter2.{part}"
