"""Two habits every chapter notebook keeps: predict before moving a widget, and read further.

- The markdown cell right before every widget cell asks a question the learner
  answers first, on a line starting ``**Predict first:**``: a prediction that
  the figure then confirms or corrects is what makes moving a slider teach.
- Right after the recap and before the exercises, a ``## Further reading``
  cell lists two or three links, each with a sentence on why to read it.
"""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("0[1-9]_*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# A question, or a request to commit to an answer ("say which ...", "write down ...").
PREDICT = re.compile(r"^\*\*Predict first:\*\* (?:\S.*\?|.*\b(?:say|write down|predict|guess)\b)",
                     re.MULTILINE | re.IGNORECASE)
LINK = re.compile(r"^[-*] .*?(https?://[^)\s]+)", re.MULTILINE)


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell):
    return "".join(cell["source"])


def _is_widget(cell):
    return cell["cell_type"] == "code" and any(
        WIDGET_VIEW in output.get("data", {}) for output in cell.get("outputs", []))


def _heading(cell, level_and_title):
    return cell["cell_type"] == "markdown" and _source(cell).startswith(level_and_title)


def widgets_without_prediction(cells):
    """Indices of widget cells whose preceding markdown cell has no ``**Predict first:**`` question."""
    missing = []
    for index, cell in enumerate(cells):
        if not _is_widget(cell):
            continue
        before = next((c for c in reversed(cells[:index]) if c["cell_type"] == "markdown"), None)
        directly = index > 0 and cells[index - 1]["cell_type"] == "markdown"
        if not (directly and before and PREDICT.search(_source(before))):
            missing.append(index)
    return missing


def further_reading_problems(cells):
    """What is wrong with a notebook's further-reading cell, as a list of sentences (empty: fine)."""
    places = [i for i, c in enumerate(cells) if _heading(c, "## Further reading")]
    if len(places) != 1:
        return [f"{len(places)} cells start with '## Further reading', expected 1"]
    (index,) = places
    problems = []
    recap = [i for i, c in enumerate(cells) if _heading(c, "## Recap")]
    exercises = [i for i, c in enumerate(cells) if _heading(c, "## Exercises")]
    if not recap or not recap[0] < index:
        problems.append("it does not come after the recap")
    if not exercises or not index < exercises[0]:
        problems.append("it does not come before the exercises")
    links = LINK.findall(_source(cells[index]))
    if not 2 <= len(links) <= 3:
        problems.append(f"it has {len(links)} bullet links, expected 2 or 3")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_widget_is_preceded_by_a_prediction(path):
    cells = _cells(path)
    assert any(_is_widget(c) for c in cells), f"{path.name} has no widget"
    assert widgets_without_prediction(cells) == [], (
        f"{path.name}: the markdown cell right before widget cell(s) "
        f"{widgets_without_prediction(cells)} asks for no prediction on a '**Predict first:**' line")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_points_to_further_reading(path):
    assert further_reading_problems(_cells(path)) == []


def _md(text):
    return {"cell_type": "markdown", "source": text, "metadata": {}}


WIDGET_CELL = {"cell_type": "code", "source": "LiveFigure(...)", "metadata": {},
               "outputs": [{"output_type": "display_data", "data": {WIDGET_VIEW: {}}}]}


@pytest.mark.parametrize("before, caught", [
    ("**Predict first:** will the line get steeper?", False),
    ("Move the slider and watch.", True),
    ("**Predict first:** the line gets steeper.", True),   # a statement, not a question
    ("**Predict first:** before you move it, say which entry changes.", False),
])
def test_the_prediction_check_can_fail(before, caught):
    assert bool(widgets_without_prediction([_md(before), WIDGET_CELL])) == caught


def test_the_further_reading_check_can_fail():
    good = [_md("## Recap\n\nx"),
            _md("## Further reading\n\n- [A](https://a.org/x): why.\n- [B](https://b.org/y): why."),
            _md("## Exercises")]
    assert further_reading_problems(good) == []
    one_link = [good[0], _md("## Further reading\n\n- [A](https://a.org/x): why."), good[2]]
    assert further_reading_problems(one_link) == ["it has 1 bullet links, expected 2 or 3"]
    assert further_reading_problems([good[1], good[0], good[2]]) == ["it does not come after the recap"]
    assert further_reading_problems([good[0], good[2]]) == ["0 cells start with '## Further reading', expected 1"]
