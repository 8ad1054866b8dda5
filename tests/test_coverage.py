"""The chapter's outline is covered, and docs/coverage.md says so truthfully.

Every heading of the outline (authoring.coverage.OUTLINE) must have
prose, code and a figure in its part of its notebook, every heading without
sub-headings a widget, every group of headings
an exercise, and every notebook an "explain why" exercise. The stored table
must be the one the notebooks give today, so it cannot drift.
"""

import json
import re
from pathlib import Path

import pytest

from authoring.coverage import (EXERCISE_HEADING, OUTLINE, coverage, groups_without_exercise,
                                       markdown_table)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ROWS = coverage(NOTEBOOKS)


def test_the_stored_coverage_table_is_up_to_date():
    stored = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert stored == markdown_table(ROWS), \
        "docs/coverage.md is stale: run python -m authoring.coverage --write docs/coverage.md"


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.number)
def test_every_heading_has_prose_code_and_a_figure(row):
    assert row.found, f"{row.number} {row.title}: no heading matching it in notebook {row.notebook}"
    assert row.prose and row.code and row.figures, (
        f"{row.number} {row.title}: prose {row.prose}, code {row.code}, figures {row.figures}")


LEAVES = [row for row in ROWS if not any(other.number.startswith(row.number + " ") for other in ROWS)]


@pytest.mark.parametrize("row", LEAVES, ids=lambda r: r.number)
def test_every_leaf_heading_has_a_widget(row):
    # 2.1 itself is left out: its six sub-headings (2.1 a-f) each carry their own.
    assert row.widgets, f"{row.number} {row.title}: no widget in its part of notebook {row.notebook}"


def test_the_leaves_are_every_heading_but_2_1():
    assert [row.number for row in ROWS if row not in LEAVES] == ["2.1"]


def test_every_group_of_headings_has_an_exercise():
    assert groups_without_exercise(ROWS) == []


def test_the_outline_covers_the_chapter_in_order():
    numbers = [h.number for h in OUTLINE]
    assert numbers[:7] == ["2.1", "2.1 a", "2.1 b", "2.1 c", "2.1 d", "2.1 e", "2.1 f"]
    assert numbers[7:] == ([f"2.2.{k}" for k in range(1, 13)] + [f"2.3.{k}" for k in range(1, 7)]
                           + [f"2.4.{k}" for k in range(1, 5)] + ["2.5"])


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("0[1-9]_*.ipynb")), ids=lambda p: p.stem)
def test_every_notebook_asks_at_least_one_explain_why_question(path):
    text = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                     if c["cell_type"] == "markdown")
    whys = [m for m in EXERCISE_HEADING.finditer(text) if "explain why" in m.group(0)]
    assert whys, f"{path.name}: no exercise headed '(section ..., explain why)'"


def test_a_missing_figure_would_be_caught(tmp_path):
    for path in NOTEBOOKS.glob("*.ipynb"):
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                cell["outputs"] = [o for o in cell.get("outputs", []) if "image/png" not in o.get("data", {})]
        (tmp_path / path.name).write_text(json.dumps(nb))
    assert not any(row.figures for row in coverage(tmp_path))
    assert re.search(r"\| 2\.2\.1 \|.*\| 0 \|", markdown_table(coverage(tmp_path)))


def test_the_stored_answer_key_is_up_to_date():
    from chapter2.classroom.answer_key import answer_key
    stored = (ROOT / "docs" / "answer-key.md").read_text(encoding="utf-8")
    assert stored == answer_key(NOTEBOOKS), \
        "docs/answer-key.md is stale: run python -m chapter2.classroom.answer_key --write docs/answer-key.md"
