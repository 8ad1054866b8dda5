"""How the notebooks cover the chapter's outline: prose, code, figure, widget and exercise per heading.

The outline is the list of the chapter's headings (section 2.1 and its
sub-headings, 2.2.1-2.2.12, 2.3.1-2.3.6, 2.4.1-2.4.4, 2.5), each tied to the
notebook heading that treats it. A heading's *span* is its notebook heading
and every cell up to the next heading of the same or a higher level (the
recap and the exercises are left out). In the span the table looks for prose
(a markdown cell of at least 20 words), code (a code cell), a figure (a stored
``image/png`` output), a widget (a stored widget view). Exercises are found by
their own headings, which name the sections they practise, for example
``### Exercise 4 (sections 2.2.1–2.2.5): ...``.

``python -m authoring.coverage`` prints the table as markdown;
``--write docs/coverage.md`` stores it, and ``tests/test_coverage.py`` checks
that the stored table is the one the notebooks give today and that every
heading has prose, code and a figure and every group of headings an exercise.

Examples
--------
>>> [row.number for row in OUTLINE[:2]]
['2.1', '2.1 a']
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

#: Words a markdown cell needs to count as prose for a heading.
MIN_PROSE_WORDS = 20
STOP_HEADINGS = re.compile(r"^#+\s+(Recap|Exercises)\b", re.IGNORECASE)
EXERCISE_HEADING = re.compile(r"^###\s+Exercise\s+(\d+)\s+\((?:sections?)\s+([^)]*?)(?:,\s*explain why)?\)",
                              re.MULTILINE)
WIDGET = "application/vnd.jupyter.widget-view+json"


@dataclass(frozen=True)
class Heading:
    """One heading of the chapter's outline and where the notebooks treat it."""

    number: str        # "2.2.5", or "2.1 a" for the unnumbered sub-headings of 2.1
    title: str
    notebook: str      # the notebook's two-digit prefix
    match: str         # a regular expression matched against the notebook's heading lines
    group: str         # headings practised together by one exercise share a group


OUTLINE = [
    Heading("2.1", "A first look at a neural network", "01", r"^# 01 ", "2.1"),
    Heading("2.1 a", "Training data", "01", r"^### The training data", "2.1"),
    Heading("2.1 b", "Testing data", "01", r"^### The test data", "2.1"),
    Heading("2.1 c", "The network architecture", "01", r"^## The network architecture", "2.1"),
    Heading("2.1 d", "The compilation step", "01", r"^## The compilation step", "2.1"),
    Heading("2.1 e", "Preparing the image data", "01", r"^## Preparing the image data", "2.1"),
    Heading("2.1 f", "Preparing the labels", "01", r"^## Preparing the labels", "2.1"),
    *[Heading(f"2.2.{k}", title, "02", rf"^## 2\.2\.{k} ", group)
      for k, title, group in [(1, "Scalars (0D tensors)", "2.2.1–2.2.5"),
                              (2, "Vectors (1D tensors)", "2.2.1–2.2.5"),
                              (3, "Matrices (2D tensors)", "2.2.1–2.2.5"),
                              (4, "3D tensors and higher-dimensional tensors", "2.2.1–2.2.5"),
                              (5, "Key attributes", "2.2.1–2.2.5"),
                              (6, "Manipulating tensors in NumPy", "2.2.6"),
                              (7, "The notion of data batches", "2.2.7"),
                              (8, "Real-world examples of data tensors", "2.2.8–2.2.12"),
                              (9, "Vector data", "2.2.8–2.2.12"),
                              (10, "Timeseries data or sequence data", "2.2.8–2.2.12"),
                              (11, "Image data", "2.2.8–2.2.12"),
                              (12, "Video data", "2.2.8–2.2.12")]],
    *[Heading(f"2.3.{k}", title, notebook, rf"^## 2\.3\.{k} ", f"2.3.{k}")
      for k, title, notebook in [(1, "Element-wise operations", "03"), (2, "Broadcasting", "03"),
                                 (3, "Tensor dot", "04"), (4, "Tensor reshaping", "04"),
                                 (5, "Geometric interpretation of tensor operations", "05"),
                                 (6, "A geometric interpretation of deep learning", "05")]],
    Heading("2.4.1", "What's a derivative?", "06", r"^## 2\.4\.1 ", "2.4.1–2.4.2"),
    Heading("2.4.2", "Derivative of a tensor operation: the gradient", "06", r"^## 2\.4\.2 ", "2.4.1–2.4.2"),
    Heading("2.4.3", "Stochastic gradient descent", "07", r"^# 07 ", "2.4.3"),
    Heading("2.4.4", "Chaining derivatives: the backpropagation algorithm", "08", r"^# 08 ", "2.4.4"),
    Heading("2.5", "Looking back at our first example", "09", r"^# 09 ", "2.5"),
]


@dataclass
class Row:
    """What the notebooks offer for one heading of the outline."""

    number: str
    title: str
    notebook: str
    found: bool = False
    prose: int = 0
    code: int = 0
    figures: int = 0
    widgets: int = 0
    exercises: list[str] = field(default_factory=list)


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _level(line: str) -> int:
    return len(line) - len(line.lstrip("#"))


def _headings(cells: list[dict]) -> list[tuple[int, int, str]]:
    """(cell index, level, line) of every markdown heading line."""
    found = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "markdown":
            found += [(index, _level(line), line) for line in _source(cell).splitlines() if line.startswith("#")]
    return found


def _span(cells: list[dict], heading: Heading) -> range | None:
    headings = _headings(cells)
    starts = [(i, level) for i, level, line in headings if re.search(heading.match, line)]
    if len(starts) != 1:
        return None
    start, level = starts[0]
    end = len(cells)
    for i, other_level, line in headings:
        if i > start and (other_level <= level or STOP_HEADINGS.search(line)):
            end = i
            break
    return range(start, end)


def _sections(text: str) -> list[str]:
    """The outline numbers a label like ``2.2.1–2.2.5`` or ``2.4.1, 2.4.2`` names."""
    numbers = [h.number for h in OUTLINE]
    chosen: list[str] = []
    for part in re.split(r",\s*", text.strip()):
        if "–" in part:
            first, last = (p.strip() for p in part.split("–"))
            if first in numbers and last in numbers:
                chosen += numbers[numbers.index(first):numbers.index(last) + 1]
        elif part.strip() == "2.1":
            chosen += [h.number for h in OUTLINE if h.group == "2.1"]
        elif part.strip() in numbers:
            chosen.append(part.strip())
    return chosen


def coverage(notebook_dir: Path | str) -> list[Row]:
    """One :class:`Row` per heading of :data:`OUTLINE`, counted from the stored notebooks."""
    notebook_dir = Path(notebook_dir)
    rows = []
    loaded: dict[str, list[dict]] = {}
    for heading in OUTLINE:
        row = Row(heading.number, heading.title, heading.notebook)
        paths = sorted(notebook_dir.glob(f"{heading.notebook}_*.ipynb"))
        if paths:
            cells = loaded.setdefault(heading.notebook, json.loads(paths[0].read_text(encoding="utf-8"))["cells"])
            span = _span(cells, heading)
            if span is not None:
                row.found = True
                _count(row, [cells[i] for i in span])
            for cell in cells:
                if cell["cell_type"] == "markdown":
                    for match in EXERCISE_HEADING.finditer(_source(cell)):
                        if heading.number in _sections(match.group(2)):
                            row.exercises.append(f"{heading.notebook}/{match.group(1)}")
        rows.append(row)
    return rows


def _count(row: Row, cells: list[dict]) -> None:
    for cell in cells:
        if cell["cell_type"] == "markdown":
            words = [w for w in _source(cell).split() if not w.startswith("#")]
            row.prose += len(words) >= MIN_PROSE_WORDS
        elif cell["cell_type"] == "code":
            row.code += 1
            kinds = {kind for output in cell.get("outputs", []) for kind in output.get("data", {})}
            row.figures += "image/png" in kinds
            row.widgets += WIDGET in kinds


def groups_without_exercise(rows: list[Row]) -> list[str]:
    """The exercise groups of :data:`OUTLINE` none of whose headings has an exercise."""
    by_group: dict[str, bool] = {}
    for heading, row in zip(OUTLINE, rows):
        by_group[heading.group] = by_group.get(heading.group, False) or bool(row.exercises)
    return [group for group, covered in by_group.items() if not covered]


def markdown_table(rows: list[Row]) -> str:
    """The coverage table as markdown, one line per heading."""
    lines = ["# Coverage of the chapter's outline",
             "",
             "Generated by `python -m authoring.coverage --write docs/coverage.md` from the stored "
             "notebooks; `tests/test_coverage.py` fails when it is out of date. Counts are cells in the "
             "heading's part of its notebook; exercises are named `notebook/number`.",
             "",
             "| section | heading | notebook | prose | code | figures | widgets | exercises |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        exercises = ", ".join(row.exercises) or "–"
        if not row.found:
            lines.append(f"| {row.number} | {row.title} | {row.notebook} | not found | | | | {exercises} |")
            continue
        lines.append(f"| {row.number} | {row.title} | {row.notebook} | {row.prose} | {row.code} | "
                     f"{row.figures} | {row.widgets} | {exercises} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", default="notebooks", help="folder of the notebooks")
    parser.add_argument("--write", metavar="FILE", help="write the table to FILE instead of printing it")
    args = parser.parse_args(argv)
    table = markdown_table(coverage(args.notebooks))
    if args.write:
        Path(args.write).write_text(table, encoding="utf-8")
    else:
        print(table, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
