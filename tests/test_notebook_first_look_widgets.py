"""Notebook 01 (section 2.1): a widget under each sub-heading, each asked about before it is moved.

Reads the stored notebook only (no kernel): the conventions are about where
cells sit, not about what they print.
"""

import json
import re
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "01_first_look.ipynb"
HEADINGS = ["### The training data", "### The test data", "## The network architecture",
            "## The compilation step", "## Preparing the image data", "## Preparing the labels"]


@pytest.fixture(scope="module")
def cells():
    return [(c["cell_type"], "".join(c["source"])) for c in json.loads(NOTEBOOK.read_text())["cells"]]


def _span(cells, heading):
    """The cells from a heading up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = next(i for i, (kind, text) in enumerate(cells) if kind == "markdown" and text.startswith(heading + "\n"))
    ends = re.compile(rf"^#{{1,{len(level)}}} ")
    end = next((i for i in range(start + 1, len(cells))
                if cells[i][0] == "markdown" and ends.match(cells[i][1])), len(cells))
    return cells[start:end]


def reading_cell(cells):
    return next(i for i, (kind, text) in enumerate(cells) if text.startswith("## Further reading"))


@pytest.mark.parametrize("heading", HEADINGS)
def test_every_sub_heading_has_a_widget(cells, heading):
    assert any(kind == "code" and "LiveFigure(" in text for kind, text in _span(cells, heading))


def test_every_widget_is_preceded_by_a_predict_first_question(cells):
    widgets = [i for i, (kind, text) in enumerate(cells) if kind == "code" and "LiveFigure(" in text]
    assert len(widgets) >= len(HEADINGS) + 1
    for i in widgets:
        kind, text = cells[i - 1]
        assert kind == "markdown" and re.search(r"^\*\*Predict first:\*\* .+\?", text, re.M), cells[i][1]


def test_further_reading_sits_between_recap_and_exercises(cells):
    starts = [text.split("\n")[0] if kind == "markdown" else "" for kind, text in cells]
    recap, reading, exercises = (starts.index(h) for h in ("## Recap", "## Further reading", "## Exercises"))
    assert recap < reading < exercises
    links = re.findall(r"^- .*?\]\((https://[^)]+)\)", cells[reading_cell(cells)][1], re.M)
    assert 2 <= len(links) <= 3
    assert "https://www.manning.com/books/deep-learning-with-python" in links
