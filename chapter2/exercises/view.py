"""What a graded kernel may see of the exercises: their questions, not their checks.

Each ``chapter2.exercises.<notebook>`` module holds only what the notebook's
own cells use (question lists, the exercise's functions, its constants). The
checks, with the reference implementations and truths they compare with, are
in ``chapter2.exercises.checks.<notebook>``; the notebook module forwards every
other name there on first use, so ``tensors.check_get_batch(get_batch)`` gives
instant feedback in a student's own JupyterLab.

When a notebook is graded, the sandbox shows the kernel this package with the
``checks`` folder empty (:data:`CHECKS`; see
:func:`chapter2.classroom.sandbox.bwrap_command`). A submission can then
neither read a truth nor capture a reference by patching a check's helpers:
the verdict is computed in the grader, by the checks the kernel never had.

Examples
--------
>>> from chapter2.exercises import tensors
>>> "check_get_batch" in dir(tensors), tensors.check_get_batch.__module__
(True, 'chapter2.exercises.checks.tensors')
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Callable

#: The folder of the checks: the grading sandbox mounts an empty folder over it.
CHECKS = Path(__file__).resolve().with_name("checks")


def forward_to_checks(name: str) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for the notebook module ``name`` (PEP 562).

    A name the module lacks is looked up in its checks module. Where the
    checks are hidden (a graded kernel), the lookup raises ``AttributeError``
    saying that the checks run in the grader.
    """
    short = name.rsplit(".", 1)[-1]
    own = importlib.import_module(name)

    def checks() -> Any:
        try:
            return importlib.import_module(f"chapter2.exercises.checks.{short}")
        except ImportError:
            return None

    def __getattr__(attr: str) -> Any:
        module = None if attr.startswith("__") else checks()
        if module is None or not hasattr(module, attr):
            where = "" if module is not None or attr.startswith("__") else \
                " (the checks are not in this kernel: when grading, they run in the grader)"
            raise AttributeError(f"module {name!r} has no attribute {attr!r}{where}")
        return getattr(module, attr)

    def __dir__() -> list[str]:
        module = checks()
        extra = [n for n in vars(module) if not n.startswith("_")] if module is not None else []
        return sorted(set(vars(own)) | set(extra))

    return __getattr__, __dir__


__all__ = ["CHECKS", "forward_to_checks"]
