"""How long each notebook takes to work through, estimated from what it holds.

Notebook 00 prints this table, so its times follow the notebooks as they grow
instead of being guessed once. The estimate is a sum of four measured sizes,
each at a stated rate (:data:`RATES`):

- prose: the words of the markdown cells outside the exercises, read at 120
  words a minute, half the 238 a minute at which adults read non-fiction
  silently (Brysbaert, 2019), because study reading stops to think;
- code: the lines of the code cells outside the exercises, 8 lines a minute to
  read, run and look at the output;
- widgets: 2 minutes for each interactive figure, to predict and then move it;
- exercises: 6 minutes for each exercise that asks for code, 2 for each
  *explain why* choice.

Examples
--------
>>> size = NotebookSize(words=1200, code_lines=80, widgets=2, code_exercises=3, why_exercises=1)
>>> size.minutes()
45
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat


#: Minutes per unit of each size (see the module's docstring for where they come from).
RATES = {"words": 1 / 120, "code_lines": 1 / 8, "widgets": 2.0, "code_exercises": 6.0,
         "why_exercises": 2.0}
_EXERCISE = re.compile(r"^###\s+Exercise\s+\d+\s+\(([^)]*)\)", re.MULTILINE)
_EXERCISE_TAG = "chapter2-exercise"
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@dataclass(frozen=True)
class NotebookSize:
    """What a notebook asks of a learner, counted.

    Attributes
    ----------
    words : int
        Words of prose outside the exercises.
    code_lines : int
        Non-blank lines of code outside the exercises.
    widgets : int
        Cells that build an interactive figure (``LiveFigure``, or any stored widget).
    code_exercises, why_exercises : int
        Exercises that ask for code, and "explain why" choices.
    """

    words: int
    code_lines: int
    widgets: int
    code_exercises: int
    why_exercises: int

    def minutes(self) -> int:
        """The estimated working time, rounded up to a multiple of 5 minutes.

        Examples
        --------
        >>> NotebookSize(words=120, code_lines=0, widgets=0, code_exercises=0, why_exercises=0).minutes()
        5
        """
        total = sum(getattr(self, name) * rate for name, rate in RATES.items())
        return int(-(-total // 5) * 5)


def measure(path: str | Path) -> NotebookSize:
    """Count the sizes of the notebook at ``path``.

    Exercise cells (tagged ``chapter2-exercise``) count as exercises, not as
    prose or code: an exercise's time is its rate, however long its text.

    Examples
    --------
    >>> import nbformat, tempfile, os
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_markdown_cell("Three short words"),
    ...     nbformat.v4.new_code_cell("x = 1\\n\\nLiveFigure(draw, a=slider)"),
    ...     nbformat.v4.new_markdown_cell("### Exercise 1 (section 2.1, explain why): a",
    ...                                   metadata={"tags": ["chapter2-exercise"]})])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "nb.ipynb")
    ...     nbformat.write(nb, path)
    ...     measure(path)
    NotebookSize(words=3, code_lines=2, widgets=1, code_exercises=0, why_exercises=1)
    """
    notebook = nbformat.read(str(path), as_version=4)
    words = code_lines = widgets = code_exercises = why_exercises = 0
    for cell in notebook.cells:
        if _EXERCISE_TAG in cell.metadata.get("tags", []):
            for label in _EXERCISE.findall(cell.source) if cell.cell_type == "markdown" else []:
                why = "explain why" in label
                why_exercises += why
                code_exercises += not why
        elif cell.cell_type == "markdown":
            words += len(re.findall(r"[A-Za-z0-9][\w'’-]*", cell.source))
        elif cell.cell_type == "code":
            code_lines += sum(1 for line in cell.source.splitlines() if line.strip())
            widgets += "LiveFigure(" in cell.source or any(
                _WIDGET_VIEW in output.get("data", {}) for output in cell.get("outputs", []))
    return NotebookSize(words, code_lines, widgets, code_exercises, why_exercises)


def study_plan(folder: str | Path = ".") -> str:
    """A text table of every chapter notebook in ``folder``: its sizes and estimated minutes.

    Parameters
    ----------
    folder : path
        The folder holding the notebooks (``NN_name.ipynb``; 00 itself is left out).

    Returns
    -------
    str, one line per notebook and a total line.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     print(study_plan(folder))  # doctest: +NORMALIZE_WHITESPACE
    notebook  words code lines widgets exercises minutes
    all 0 notebooks  0
    """
    paths = sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb") if not p.name.startswith("00"))
    header = f"{'notebook':<40} {'words':>6} {'code lines':>10} {'widgets':>7} {'exercises':>9} {'minutes':>7}"
    lines, total = [header], 0
    for path in paths:
        size = measure(path)
        exercises = f"{size.code_exercises} + {size.why_exercises}"
        minutes = size.minutes()
        total += minutes
        lines.append(f"{path.stem:<40} {size.words:>6,} {size.code_lines:>10} {size.widgets:>7} "
                     f"{exercises:>9} {minutes:>7}")
    lines.append(f"{'all ' + str(len(paths)) + ' notebooks':<40} {'':>6} {'':>10} {'':>7} {'':>9} {total:>7}")
    return "\n".join(lines)
