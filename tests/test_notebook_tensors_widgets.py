"""Notebook 02 (section 2.2): a widget under each heading that had none, each asked about before it is moved.

Reads the stored notebook only (no kernel): the conventions are about where
cells sit, not about what they print.
"""

import json
import re
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "02_tensors.ipynb"
HEADINGS = ["## 2.2.1 ", "## 2.2.2 ", "## 2.2.3 ", "## 2.2.4 ", "## 2.2.8 ", "## 2.2.9 ", "## 2.2.11 "]


@pytest.fixture(scope="module")
def cells():
    return [(c["cell_type"], "".join(c["source"])) for c in json.loads(NOTEBOOK.read_text())["cells"]]


def _span(cells, heading):
    """The cells from a heading up to the next heading of the same or a higher level."""
    start = next(i for i, (kind, text) in enumerate(cells) if kind == "markdown" and text.startswith(heading))
    end = next((i for i in range(start + 1, len(cells))
                if cells[i][0] == "markdown" and re.match(r"^#{1,2} ", cells[i][1])), len(cells))
    return cells[start:end]


@pytest.mark.parametrize("heading", HEADINGS)
def test_every_heading_has_a_widget(cells, heading):
    assert any(kind == "code" and "LiveFigure(" in text for kind, text in _span(cells, heading))


def test_every_widget_is_preceded_by_a_predict_first_question_and_followed_by_a_caption(cells):
    widgets = [i for i, (kind, text) in enumerate(cells) if kind == "code" and "LiveFigure(" in text]
    assert len(widgets) >= len(HEADINGS) + 5
    for i in widgets:
        kind, text = cells[i - 1]
        assert kind == "markdown" and re.search(r"^\*\*Predict first:\*\* .+\?", text, re.M), cells[i][1]
        assert cells[i + 1][0] == "markdown" and cells[i + 1][1].startswith("**Figure:**"), cells[i][1]


def test_further_reading_sits_between_recap_and_exercises(cells):
    starts = [text.split("\n")[0] if kind == "markdown" else "" for kind, text in cells]
    recap, reading, exercises = (starts.index(h) for h in ("## Recap", "## Further reading", "## Exercises"))
    assert recap < reading < exercises
    links = re.findall(r"^- .*?\]\((https://[^)]+)\)", cells[reading][1], re.M)
    assert 2 <= len(links) <= 3
    assert "https://www.manning.com/books/deep-learning-with-python" in links


@pytest.mark.parametrize("shown", ["uint8: [44]", "float32(16,777,216) + 1 = 16,777,216", "ratio: 4"])
def test_the_numerical_side_is_shown_by_an_output(shown):
    nb = json.loads(NOTEBOOK.read_text())
    outputs = ["".join(o.get("text", "")) for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert any(shown in text for text in outputs)
