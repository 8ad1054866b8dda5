"""Check that the notebooks' prose says what their outputs and figures show.

Every markdown cell may carry, in its metadata under ``chapter2.claims``, the
ties between its words and the evidence (see notebooks/README.md, "Checked
claims and checked captions"). This module finds the phrases that need a tie
(numbers, ratios in words, words about a figure's drawing), checks that each
lies inside the quote of a claim, and checks each claim against the stored
output or figure description it names.

Usage::

    python authoring/claims.py notebooks/07_sgd.ipynb [more notebooks]

prints one line per problem and exits 1 if there is any.
"""

from __future__ import annotations

import ast
import io
import json
import math
import re
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

# Spans of markdown that are not prose: fenced code, math, inline code, link
# targets, HTML tags. They are blanked (same length) before phrases are found.
NOT_PROSE = re.compile(
    r"```.*?```|\$\$.*?\$\$|\$[^$\n]+\$|`[^`\n]*`|\]\([^)]*\)|<[^>\n]*>|https?://\S+",
    re.DOTALL)

# References and labels, not results: section numbers (2.2.7, "section 2.4"),
# notebook and chapter numbers, exercise numbers, list markers.
NOT_CLAIMS = re.compile(
    r"\b\d+\.\d+(?:\.\d+)+\b|(?i:\bsections?\s+\d+(?:\.\d+)*)"
    r"|(?i:\bnotebooks?\s+\d\d(?:(?:,\s*|\s+and\s+|\s+or\s+|\s*[-–]\s*)\d\d)*)"
    r"|\b\d\d\s*·|(?i:\bchapters?\s+\d+)|(?i:\bexercises?\s+\d+(?:\s*(?:,|and|or|[-–])\s*\d+)*)"
    r"|(?i:\bexercise\s+\d\d/\d+)|^\s*\d+\.\s",
    re.MULTILINE)

NUMBER = re.compile(
    r"(?:(?<=\dx)|(?<=\d×)|(?<![A-Za-z_\d.,]))"
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(%?)"
    r"(?![\d]|\.\d|[A-Za-wyz_])")

WORD_VALUES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a hundred": 100, "thousand": 1000, "a thousand": 1000, "million": 1e6,
    "twice": 2, "double": 2, "doubles": 2, "doubled": 2,
    "half": 0.5, "halves": 0.5, "halved": 0.5, "a third": 1 / 3, "a quarter": 0.25,
}
_WORDS = "|".join(sorted((re.escape(w) for w in WORD_VALUES), key=len, reverse=True))
NUMBER_WORD = re.compile(rf"\b(?:{_WORDS})\b", re.IGNORECASE)

RATIO = re.compile(
    rf"\b(?:(?:\d[\d,.]*|{_WORDS})\s+times\b|twice\b|halv(?:es|ed)\b|half\b|doubl(?:e|es|ed)\b"
    r"|a third\b|a quarter\b|a factor of\b|almost all\b|nearly all\b|a few (?:hundred|thousand|million)\b"
    r"|(?<!the )(?<!at )(?<!al)most\b)",
    re.IGNORECASE)

# Words about how a figure is drawn, and the property each must have.
MARKERS = {"squares": set("s"), "circles": set("o."), "dots": set("o."), "triangles": set("^v<>"),
           "stars": set("*"), "crosses": {"x", "+", "X", "P"}, "diamonds": set("Dd")}
LINESTYLES = {"solid": {"-", "solid"}, "dashed": {"--", "dashed"}, "dotted": {":", "dotted"},
              "dash-dotted": {"-.", "dashdot"}}
FIGURE_WORD = re.compile(
    r"(?<!least )(?<!least-)(?<!sum of )\b(?:squares|circles|dots|triangles|stars|crosses|diamonds|dash-dotted|solid|dashed|dotted"
    r"|hatch(?:ed|ing)?|on top)\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a notebook's prose: where, and what."""

    notebook: str
    cell: int
    message: str

    def __str__(self) -> str:
        return f"{self.notebook} [{self.cell}]: {self.message}"


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else source


def _blank(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def prose(text: str) -> str:
    """The markdown with code, math, link targets, tags and references blanked.

    >>> prose("see notebook 06 and `x = 3`: 2.5 times faster")
    'see             and        : 2.5 times faster'
    """
    return _blank(_blank(text, NOT_PROSE), NOT_CLAIMS)


def phrases(text: str) -> list[tuple[int, int, str]]:
    """The phrases of a markdown text that need a tie: (start, end, phrase).

    >>> [p for *_, p in phrases("It is 3.75 times larger, drawn as squares; most points.")]
    ['3.75', '3.75 times', 'squares', 'most']
    """
    clean = prose(text)
    found = [(m.start(1), m.end(2), m.group(0)) for m in NUMBER.finditer(clean)]
    for pattern in (RATIO, FIGURE_WORD):
        found += [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(clean)]
    return sorted(found)


def code_integers(cells: list[dict]) -> set[int]:
    """Integer literals in the code cells: settings a reader sees in the code.

    >>> sorted(code_integers([{"cell_type": "code", "source": "fit(x, epochs=5)  # 7"}]))
    [5]
    """
    found = set()
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "\n".join(line for line in _text(cell["source"]).splitlines()
                           if not line.lstrip().startswith(("%", "!")))
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        except (tokenize.TokenError, IndentationError, SyntaxError):
            continue
        for token in tokens:
            if token.type == tokenize.NUMBER and re.fullmatch(r"\d[\d_]*", token.string):
                found.add(int(token.string.replace("_", "")))
    return found


def quoted_number(quote: str) -> tuple[float, float] | None:
    """The first number of a quote and half a unit of its last written digit.

    >>> quoted_number("first step of 0.949")
    (0.949, 0.0005)
    >>> quoted_number("ten times larger")
    (10, 0.5)
    >>> quoted_number("halves the noise")
    (0.5, 0.05)
    """
    digits = NUMBER.search(quote)
    word = NUMBER_WORD.search(quote)
    if digits and (not word or digits.start() <= word.start()):
        written = digits.group(1).replace(",", "")
        decimals = len(written.split(".")[1]) if "." in written else 0
        return float(written), 0.5 * 10.0 ** -decimals
    if word:
        value = WORD_VALUES[word.group(0).lower()]
        return value, (0.5 if value >= 1 else 0.1 * value)
    return None


_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd)
_FUNCTIONS = {"abs": abs, "min": min, "max": max}


def evaluate(expression: str, names: dict[str, float]) -> float:
    """Evaluate a small arithmetic expression over named values (nothing else).

    >>> evaluate("dy / dx", {"dx": 0.5, "dy": 2.0})
    4.0
    >>> evaluate("__import__('os')", {})
    Traceback (most recent call last):
    ...
    ValueError: not allowed in a claim's value: Call of __import__
    """
    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        if isinstance(node, ast.BinOp) and isinstance(node.op, _OPERATORS):
            left, right = walk(node.left), walk(node.right)
            return {ast.Add: lambda: left + right, ast.Sub: lambda: left - right,
                    ast.Mult: lambda: left * right, ast.Div: lambda: left / right,
                    ast.Pow: lambda: left ** right}[type(node.op)]()
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            value = walk(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in _FUNCTIONS and not node.keywords):
            return _FUNCTIONS[node.func.id](*(walk(a) for a in node.args))
        what = getattr(node, "id", None) or getattr(getattr(node, "func", None), "id", "")
        raise ValueError(f"not allowed in a claim's value: {type(node).__name__} of {what}".rstrip(" of"))
    return float(walk(ast.parse(expression, mode="eval")))


def output_text(cell: dict) -> str:
    """The text a code cell printed or displayed, as stored."""
    parts = []
    for output in cell.get("outputs", []):
        parts.append(_text(output.get("text", "")))
        parts.append(_text(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def figure_descriptions(cell: dict) -> list[dict]:
    """The descriptions the plotting hook stored with a cell's figures."""
    found = []

    def search(node):
        if isinstance(node, dict):
            if isinstance(node.get("chapter2"), dict) and "figure" in node["chapter2"]:
                found.append(node["chapter2"]["figure"])
            for value in node.values():
                search(value)
    for output in cell.get("outputs", []):
        search(output.get("metadata", {}))
    return found


class Notebook:
    """A stored notebook, its cells by id, and the checks of its claims."""

    def __init__(self, path: Path | str, cells: list[dict] | None = None):
        self.name = Path(path).name
        self.cells = cells if cells is not None else json.loads(Path(path).read_text("utf-8"))["cells"]
        self.by_id = {cell.get("id"): cell for cell in self.cells}
        self.integers = code_integers(self.cells)

    def _code_cell(self, cell_id: str) -> dict:
        cell = self.by_id.get(cell_id)
        if cell is None or cell["cell_type"] != "code":
            raise ValueError(f"no code cell with id {cell_id!r}")
        return cell

    def _captured(self, cell_id: str, pattern: str) -> float:
        text = output_text(self._code_cell(cell_id))
        if re.compile(pattern).groups != 1:
            raise ValueError(f"pattern {pattern!r} must have exactly one group")
        match = re.search(pattern, text, re.DOTALL)
        if match is None:
            raise ValueError(f"pattern {pattern!r} finds no number in the output of cell {cell_id}")
        return float(match.group(1).replace(",", ""))

    def measured(self, claim: dict) -> float:
        """The value a claim's evidence gives."""
        if "pattern" in claim:
            value = self._captured(claim["cell"], claim["pattern"])
        else:
            names = {}
            for name, source in claim["values"].items():
                if isinstance(source, str):
                    source = {"cell": claim["cell"], "pattern": source}
                names[name] = self._captured(source["cell"], source["pattern"])
            value = evaluate(claim["value"], names)
        return value * claim.get("scale", 1)

    def check_number(self, claim: dict) -> str | None:
        """None if the claim's evidence gives the quoted number, else why not."""
        value = self.measured(claim)
        if "range" in claim:
            low, high = claim["range"]
            return None if low <= value <= high else f"{value:g} is outside {claim['range']}"
        quoted = quoted_number(claim["quote"])
        if quoted is None:
            return "the quote has no number; give a range"
        number, half_unit = quoted
        allowed = claim.get("abs", 0) + claim.get("rel", 0) * abs(number)
        allowed = allowed if ("abs" in claim or "rel" in claim) else half_unit
        if abs(value - number) <= allowed + 1e-9 * max(1.0, abs(number)):
            return None
        return f"the evidence gives {value:.6g}, the text says {number:g} (allowed difference {allowed:g})"

    def check_figure(self, claim: dict) -> str | None:
        """None if the figure the claim names was drawn as its words say."""
        descriptions = figure_descriptions(self._code_cell(claim["figure"]))
        if not descriptions:
            return f"cell {claim['figure']} stored no figure description (re-execute the notebook)"
        artists = [a for d in descriptions for axes in d.get("axes", []) for a in axes.get("artists", [])]
        named = [a for a in artists if (a.get("label") or "").startswith(claim["artist"])]
        if not named:
            labels = sorted({a.get("label") for a in artists if a.get("label")})
            return f"no drawn element is labelled {claim['artist']!r} (labels: {labels})"
        for word in {w.lower() for w in FIGURE_WORD.findall(claim["quote"])}:
            problem = _drawn_as(word, named, artists, claim)
            if problem:
                return problem
        return None

    def check(self, index: int, cell: dict) -> list[Problem]:
        """The problems of one markdown cell: uncovered phrases, failing claims."""
        text = _text(cell["source"])
        claims = cell.get("metadata", {}).get("chapter2", {}).get("claims", [])
        problems, covered = [], []
        for claim in claims:
            quote = claim.get("quote", "")
            spans = [(m.start(), m.end()) for m in re.finditer(re.escape(quote), text)] if quote else []
            if not spans:
                problems.append(f"stale claim: {quote!r} is not in the text")
                continue
            covered += spans
            try:
                problem = self._check_claim(claim)
            except (KeyError, ValueError, TypeError, ZeroDivisionError, re.error) as error:
                problem = f"{type(error).__name__}: {error}"
            if problem:
                problems.append(f"{quote!r}: {problem}")
        for start, end, phrase in phrases(text):
            if any(s <= start and end <= e for s, e in covered):
                continue
            if NUMBER.fullmatch(phrase) and "." not in phrase and not phrase.endswith("%") \
                    and int(phrase.replace(",", "")) in self.integers:
                continue
            problems.append(f"uncovered {phrase!r} in ...{text[max(0, start - 30):end + 10]!r}...")
        return [Problem(self.name, index, p) for p in problems]

    def _check_claim(self, claim: dict) -> str | None:
        if "setting" in claim:
            return None if len(claim["setting"].split()) >= 3 else "a setting needs a reason (3+ words)"
        if "figure" in claim:
            return self.check_figure(claim)
        return self.check_number(claim)

    def problems(self) -> list[Problem]:
        """Every problem of every markdown cell."""
        return [p for i, cell in enumerate(self.cells) if cell["cell_type"] == "markdown"
                for p in self.check(i, cell)]


def _drawn_as(word: str, named: list[dict], artists: list[dict], claim: dict) -> str | None:
    label = claim["artist"]
    if word in MARKERS:
        if not any(a.get("marker") in MARKERS[word] for a in named):
            return f"{label!r} is drawn with markers {[a.get('marker') for a in named]}, not {word}"
    elif word in LINESTYLES:
        if not any(a.get("linestyle") in LINESTYLES[word] for a in named):
            return f"{label!r} is drawn with line styles {[a.get('linestyle') for a in named]}, not {word}"
    elif word.startswith("hatch"):
        if not any(a.get("hatch") for a in named):
            return f"{label!r} is not hatched"
    elif word == "on top":
        below = [a for a in artists if (a.get("label") or "").startswith(claim.get("above", "\0"))]
        if not below:
            return "'on top' needs 'above': the label of the element underneath"
        top = max(named, key=_stacking)
        if _stacking(top) <= max(_stacking(a) for a in below):
            return f"{label!r} is drawn under {claim['above']!r}"
    return None


def _stacking(artist: dict) -> tuple[float, float]:
    return (artist.get("zorder", 0.0), artist.get("order", 0))


def main(argv: list[str]) -> int:
    problems = [p for path in argv for p in Notebook(path).problems()]
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) in {len(argv)} notebook(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
