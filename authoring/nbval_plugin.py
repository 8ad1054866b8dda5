"""A pytest plugin that lets nbval compare some numbers of some cells within a tolerance.

nbval compares every stored output with a fresh run character by character,
which is right for almost every cell and wrong for the few whose numbers depend
on the CPU's BLAS kernel (see :mod:`authoring.tolerance`). For a cell
whose metadata holds a ``chapter2.nbval`` declaration, this plugin first
replaces each fresh number that lies within its tolerance by the stored one and
then lets nbval compare as usual, so the text and every other number stay under
nbval's strict check and its diff still shows what differs. A failure adds one
line per number that is out of tolerance.

The plugin is loaded by the repository's root ``conftest.py``, so it runs
where this project's notebooks are tested and nowhere else (an environment
with chapter2 installed runs other projects' tests without it). It
changes nothing for cells without the declaration, and refuses (fails) a cell
whose declaration is malformed, stale (a rule that covers no stored number) or
combined with nbval's markers that skip or ignore the cell.
"""

from __future__ import annotations

import pytest

from .tolerance import ToleranceError, overbroad_rules, read_tolerance, reconcile_outputs, unused_rules


def pytest_collection_modifyitems(session, config, items) -> None:
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:  # nbval is not installed: there is nothing to adapt
        return
    for item in items:
        if isinstance(item, IPyNbCell):
            _install(item)


_COMPARED = pytest.StashKey[set]()
_PROPERTY = "chapter2-tolerance"


def _install(item) -> bool:
    """Make ``item`` compare within its cell's tolerance; True if it has one."""
    try:
        tolerance = read_tolerance(item.cell.metadata)
        if tolerance is None:
            return False
        _check_usable(item, tolerance)
    except ToleranceError as exc:
        message = f"{item.nodeid}: {exc}"
        item.runtest = lambda: pytest.fail(message, pytrace=False)
        return False
    strict_compare = item.compare_outputs

    def compare_outputs(test, ref, skip_compare=None):
        reconciled, notes = reconcile_outputs(test, ref, tolerance, sanitize=item.sanitize)
        same = strict_compare(reconciled, ref, skip_compare)
        if not same:
            item.comparison_traceback += ["numbers compared with a tolerance "
                                          f"({tolerance.reason}):"] + [f"  - {n}" for n in notes]
        return same

    item.compare_outputs = compare_outputs
    item.user_properties.append((_PROPERTY, tolerance.reason))
    return True


def _check_usable(item, tolerance) -> None:
    from nbval.plugin import find_comment_markers, find_metadata_tags

    markers = dict(find_metadata_tags(item.cell.metadata))
    markers.update(find_comment_markers(item.cell.source))
    if markers.get("skip") or markers.get("check") is False:
        raise ToleranceError("a cell with a numeric tolerance must not also be skipped or have its "
                             "output ignored (remove the nbval marker)")
    broad = overbroad_rules(tolerance, item.cell.outputs)
    if broad:
        raise ToleranceError("; ".join(broad))
    stale = unused_rules(tolerance, item.cell.outputs)
    if stale:
        raise ToleranceError("these tolerance rules cover no number of the stored output: "
                             + ", ".join(repr(rule.pattern.pattern) for rule in stale))


def pytest_configure(config) -> None:
    config.stash[_COMPARED] = set()
    config.pluginmanager.register(_CountTolerantCells(config.stash[_COMPARED]), "chapter2-nbval-count")


class _CountTolerantCells:
    """Collect the tolerant cells from the test reports, which pytest-xdist also sends to the controller."""

    def __init__(self, compared: set) -> None:
        self.compared = compared

    def pytest_runtest_logreport(self, report) -> None:
        if report.when == "call" and any(key == _PROPERTY for key, _ in report.user_properties):
            self.compared.add(report.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    count = len(config.stash.get(_COMPARED, ()))
    if count:
        terminalreporter.write_line(
            f"chapter2: {count} notebook cells compared with numeric tolerances "
            "(cell metadata chapter2.nbval); all other cells exactly")
