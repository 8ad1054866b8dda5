"""Numbers in the notebooks' prose come from the notebooks' own cells.

Every number written in a recap (the summary a learner rereads) must appear in
an output of the same notebook or in its code: a result is printed beside the
claim, a setting is visible in the code that uses it. A number written with
fewer decimals than the output matches when the output rounds to it, and a
percentage matches an output fraction ("98%" and 0.980). Section numbers
("2.2.7"), notebook numbers ("notebook 06") and list markers are not claims.
"""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("0[1-9]_*.ipynb"))
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(%?)(?![\w])")
NOT_CLAIMS = re.compile(r"\b\d\.\d\.\d{1,2}\b|sections? \d\.\d\b|notebooks? \d\d(?:(?:, | and )\d\d)*|"
                        r"chapter \d|^\s*\d+\.\s|\$[^$]*\$", re.MULTILINE)


def _text(source):
    return "".join(source) if isinstance(source, list) else source


def _numbers(text):
    return [(m.group(1).replace(",", ""), m.group(2)) for m in NUMBER.finditer(text)]


def _recap(cells):
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "markdown" and _text(cell["source"]).lstrip().startswith("## Recap"):
            return _text(cell["source"])
    return ""


def _evidence(cells):
    found = set()
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        texts = [_text(cell["source"])]
        for output in cell.get("outputs", []):
            texts.append(_text(output.get("text", "")))
            texts.append(_text(output.get("data", {}).get("text/plain", "")))
        for text in texts:
            found.update(float(n) for n, _ in _numbers(text))
    return found


def _backed(claim, percent, evidence):
    decimals = len(claim.split(".")[1]) if "." in claim else 0
    value = float(claim)
    candidates = {value, value / 100} if percent else {value}
    for number in evidence:
        for target in candidates:
            places = decimals + (2 if percent and target != value else 0)
            if round(number, places) == round(target, places):
                return True
    return False


def claims_without_evidence(cells):
    """The numbers of a notebook's recap that no output or code of the notebook backs."""
    recap = NOT_CLAIMS.sub(" ", _recap(cells))
    evidence = _evidence(cells)
    return [c + p for c, p in _numbers(recap) if not _backed(c, p, evidence)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_number_in_a_recap_comes_from_the_notebook(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert _recap(cells), f"{path.name}: no recap"
    assert claims_without_evidence(cells) == [], f"{path.name}: recap numbers not printed or used in any cell"


def test_an_invented_number_is_caught():
    cells = [{"cell_type": "code", "source": "print(acc)", "outputs": [{"text": "test accuracy: 0.980\n"}]},
             {"cell_type": "markdown", "source": "## Recap\n\n- about 98% accurate, 1.4 times slower, 0.979"}]
    assert claims_without_evidence(cells) == ["1.4", "0.979"]
