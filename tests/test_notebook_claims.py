"""Every sentence true: the notebooks' words are tied to their own outputs and figures.

``authoring/claims.py`` finds every number, ratio in words and word about a
figure's drawing in the markdown cells, and checks that each lies inside a
claim of its cell (metadata ``chapter2.claims``) and that each claim holds
against the stored output or figure description it names (see
notebooks/README.md, "Checked claims and checked captions").

The tests below run it on every notebook, and prove it can fail: copies of
the notebooks whose numbers move by 10%, whose figure words are swapped, or
whose ratio is replaced by another are refused.
"""

import copy
import doctest
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[0-9]_*.ipynb"))

_spec = importlib.util.spec_from_file_location("authoring_claims", ROOT / "authoring" / "claims.py")
claims = sys.modules.setdefault("authoring_claims", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(claims)


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _claims(cell):
    return cell.get("metadata", {}).get("chapter2", {}).get("claims", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_phrase_is_tied_and_every_claim_holds(path):
    problems = claims.Notebook(path).problems()
    assert problems == [], "\n".join(map(str, problems))


def test_the_checker_examples_run():
    assert doctest.testmod(claims).failed == 0


# --- the checker can fail: mutated copies of the real notebooks ---------------------------------

def _numeric_claims(path):
    for index, cell in enumerate(_cells(path)):
        for number, claim in enumerate(_claims(cell)):
            if {"setting", "figure", "range"} & claim.keys():
                continue
            if claims.quoted_number(claim["quote"]) and claims.NUMBER.search(claim["quote"]):
                yield index, number


def _moved(quote):
    """The quote with its first digits number moved by 10% (same decimals)."""
    match = claims.NUMBER.search(quote)
    written = match.group(1).replace(",", "")
    decimals = len(written.split(".")[1]) if "." in written else 0
    value = float(written)
    moved = round(value * 1.1, decimals)
    if moved == value:
        moved = value + 10.0 ** -decimals
    return quote[:match.start(1)] + f"{moved:.{decimals}f}" + quote[match.end(1):]


def _problems_after(path, index, change):
    cells = copy.deepcopy(_cells(path))
    change(cells[index])
    return claims.Notebook(path, cells).check(index, cells[index])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_number_moved_by_ten_percent_fails_even_with_its_claim_updated(path):
    checked = 0
    for index, number in _numeric_claims(path):
        def move(cell, number=number):
            claim = _claims(cell)[number]
            old, new = claim["quote"], _moved(claim["quote"])
            cell["source"] = "".join(cell["source"]).replace(old, new)
            claim["quote"] = new
        assert _problems_after(path, index, move), f"cell {index}: claim {number} survives a 10% move"
        checked += 1
    if path.name.startswith(("01", "07", "09")):
        assert checked > 5, "these notebooks state many measured numbers"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_tolerance_covers_a_ten_percent_move(path):
    for cell in _cells(path):
        for claim in _claims(cell):
            if {"setting", "figure", "range"} & claim.keys():
                continue
            quoted = claims.quoted_number(claim.get("quote", ""))
            if quoted is None or quoted[0] == 0:
                continue
            allowed = claim.get("abs", 0) + claim.get("rel", 0) * abs(quoted[0])
            assert allowed < 0.1 * abs(quoted[0]), f"{claim['quote']!r}: tolerance too wide; use a range"


MARKER_SWAP = {"squares": "triangles", "triangles": "squares", "circles": "squares",
               "stars": "circles", "dots": "squares", "crosses": "circles", "diamonds": "circles",
               "dashed": "solid", "solid": "dashed", "dotted": "dashed", "dash-dotted": "solid"}


def _figure_claims(path):
    for index, cell in enumerate(_cells(path)):
        for number, claim in enumerate(_claims(cell)):
            words = [w.lower() for w in claims.FIGURE_WORD.findall(claim.get("quote", ""))]
            if "figure" in claim and any(w in MARKER_SWAP for w in words):
                yield index, number, next(w for w in words if w in MARKER_SWAP)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_swapped_figure_word_fails(path):
    for index, number, word in _figure_claims(path):
        def swap(cell, number=number, word=word):
            claim = _claims(cell)[number]
            new = re.sub(rf"\b{word}\b", MARKER_SWAP[word], claim["quote"], flags=re.IGNORECASE)
            cell["source"] = "".join(cell["source"]).replace(claim["quote"], new)
            claim["quote"] = new
        assert _problems_after(path, index, swap), f"cell {index}: {word!r} -> {MARKER_SWAP[word]!r} passes"


def _cell_saying(path, *phrases):
    for index, cell in enumerate(_cells(path)):
        if cell["cell_type"] == "markdown" and all(p in "".join(cell["source"]) for p in phrases):
            return index
    pytest.fail(f"{path.name}: no cell says {phrases!r}")


NB07 = ROOT / "notebooks" / "07_sgd.ipynb"


def test_07_ratio_written_as_ten_times_fails():
    index = _cell_saying(NB07, "3.75 times")

    def text_only(cell):
        cell["source"] = "".join(cell["source"]).replace("3.75 times", "ten times")

    def text_and_claim(cell):
        text_only(cell)
        for claim in _claims(cell):
            claim["quote"] = claim["quote"].replace("3.75 times", "ten times")
    assert _problems_after(NB07, index, text_only)
    assert _problems_after(NB07, index, text_and_claim)


def test_07_squares_and_triangles_swapped_fails():
    index = _cell_saying(NB07, "squares", "triangles")

    def swap(cell):
        swapped = {"squares": "triangles", "triangles": "squares"}
        change = lambda text: re.sub(r"squares|triangles", lambda m: swapped[m.group(0)], text)
        cell["source"] = change("".join(cell["source"]))
        for claim in _claims(cell):
            claim["quote"] = change(claim["quote"])
    assert _problems_after(NB07, index, swap)


# --- the checker on small made-up cells ---------------------------------------------------------

def _notebook(markdown, claim_list, outputs="|dx| 0.720, |dy| 2.700\n", figure=None):
    code = {"cell_type": "code", "id": "c1", "source": "run(lr=0.18, steps=18)",
            "outputs": [{"output_type": "stream", "name": "stdout", "text": outputs}]}
    if figure is not None:
        code["outputs"].append({"output_type": "display_data", "data": {"text/plain": "<Figure>"},
                                "metadata": {"image/png": {"chapter2": {"figure": figure}}}})
    text = {"cell_type": "markdown", "id": "m1", "source": markdown,
            "metadata": {"chapter2": {"claims": claim_list}}}
    return claims.Notebook("made_up.ipynb", [code, text])


RATIO = {"cell": "c1", "values": {"dx": r"\|dx\| ([0-9.]+)", "dy": r"\|dy\| ([0-9.]+)"}, "value": "dy / dx"}


def test_a_ratio_that_matches_its_evidence_passes():
    nb = _notebook("Steps along y are 3.75 times larger.", [{"quote": "3.75 times", **RATIO}])
    assert nb.problems() == []


def test_a_wrong_ratio_in_words_fails():
    nb = _notebook("Steps along y are ten times larger.", [{"quote": "ten times", **RATIO}])
    assert "the evidence gives 3.75" in str(nb.problems())


def test_an_uncovered_number_and_a_stale_claim_fail():
    nb = _notebook("The first step is 0.72 long.", [{"quote": "0.720 long", "cell": "c1",
                                                     "pattern": r"\|dx\| ([0-9.]+)"}])
    messages = " ".join(p.message for p in nb.problems())
    assert "stale claim" in messages and "uncovered '0.72'" in messages


def test_a_number_rounded_as_written_passes_and_one_unit_off_fails():
    claim = {"cell": "c1", "pattern": r"\|dx\| ([0-9.]+)"}
    assert _notebook("about 0.7", [{"quote": "0.7", **claim}]).problems() == []
    assert _notebook("about 0.8", [{"quote": "0.8", **claim}]).problems() != []


def test_an_integer_from_the_code_is_a_setting_but_a_float_is_not():
    nb = _notebook("With lr = 0.18 for 18 steps.", [])
    assert [p.message.split(" in ")[0] for p in nb.problems()] == ["uncovered '0.18'"]


def test_a_range_checks_a_vague_share():
    claim = {"quote": "most", "cell": "c1", "pattern": r"\|dx\| ([0-9.]+)"}
    assert _notebook("most of it", [{**claim, "range": [0.5, 1]}]).problems() == []
    assert _notebook("most of it", [{**claim, "range": [0.8, 1]}]).problems() != []


FIGURE = {"axes": [{"artists": [
    {"kind": "line", "label": "full-batch gradient descent", "marker": "s", "linestyle": "-", "zorder": 2, "order": 0},
    {"kind": "line", "label": "SGD, batches of 16", "marker": "^", "linestyle": "--", "zorder": 2, "order": 1},
    {"kind": "collection", "label": "end", "marker": "*", "linestyle": None, "zorder": 3, "order": 2}]}]}


def test_figure_words_are_checked_against_what_was_drawn():
    good = [{"quote": "full-batch gradient descent (squares", "figure": "c1", "artist": "full-batch"},
            {"quote": "SGD (triangles, dashed", "figure": "c1", "artist": "SGD"},
            {"quote": "stars on top", "figure": "c1", "artist": "end", "above": "SGD"}]
    text = "full-batch gradient descent (squares) and SGD (triangles, dashed), stars on top."
    assert _notebook(text, good, figure=FIGURE).problems() == []
    swapped = [{"quote": "full-batch gradient descent (triangles", "figure": "c1", "artist": "full-batch"}]
    problems = _notebook("full-batch gradient descent (triangles)", swapped, figure=FIGURE).problems()
    assert "not triangles" in str(problems)
    under = [{"quote": "SGD on top", "figure": "c1", "artist": "SGD", "above": "end"}]
    assert "drawn under" in str(_notebook("SGD on top", under, figure=FIGURE).problems())


def test_a_figure_claim_without_a_stored_description_fails():
    claim = [{"quote": "drawn as squares", "figure": "c1", "artist": "x"}]
    assert "no figure description" in str(_notebook("drawn as squares", claim).problems())


def test_a_value_expression_cannot_run_code():
    claim = {"quote": "3 times", "cell": "c1", "values": {"dx": r"\|dx\| ([0-9.]+)"},
             "value": "__import__('os').getpid()"}
    assert "not allowed" in str(_notebook("3 times", [claim]).problems())


def test_references_and_code_are_not_claims():
    text = "Section 2.2.7, notebook 06, Exercise 3, `x = 0.5` and $y = 2.5$ [link](a/0.3.html)."
    assert claims.phrases(text) == []
