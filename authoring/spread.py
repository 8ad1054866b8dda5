"""Measure how far a fresh run's numbers lie from the stored ones, to choose tolerances.

Executes notebooks in a fresh kernel of this environment, compares each cell
that declares a ``chapter2.nbval`` tolerance with its stored output, and prints
for every rule the largest difference found and its share of the allowance
(1.0 would be right at the limit). Cells compared exactly are checked too, and
any that differ are listed. Run it under each condition the tolerances must
cover, in that command alone: another BLAS kernel, another seed, the
lowest-versions environment::

    python -m authoring.spread notebooks/01_first_look.ipynb --json runs.jsonl
    OPENBLAS_CORETYPE=Sandybridge python -m authoring.spread notebooks/01_first_look.ipynb \\
        --label sandybridge --json runs.jsonl
    python -m authoring.spread notebooks/01_first_look.ipynb --seed 3 --json runs.jsonl
    python -m authoring.spread --summarize runs.jsonl

``--seed K`` replaces the literal seeds ``set_random_seed(0)`` and
``default_rng(0)`` in the executed copy (never in the file), which shows the
spread of a run that starts elsewhere: an upper bound for what another
machine's rounding can do to the same run.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
from pathlib import Path
from typing import Callable, Iterable, Sequence

import nbformat

from .tolerance import NUMBER, last_digit_unit, read_tolerance, reconcile_outputs, text_fields

_SEEDS = re.compile(r"\b(set_random_seed|default_rng)\(0\)")


def execute(path: Path, seed: int | None = None, timeout: int = 3600) -> nbformat.NotebookNode:
    """A freshly executed copy of the notebook at ``path`` (the file is not changed)."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    if seed is not None:
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source = _SEEDS.sub(rf"\g<1>({seed})", cell.source)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def sanitizer(config: Path | None) -> Callable[[str], str]:
    """nbval's sanitizer from a ``--nbval-sanitize-with`` file (identity without one)."""
    from nbval.plugin import get_sanitize_patterns

    patterns = get_sanitize_patterns(config.read_text()) if config and config.exists() else []

    def sanitize(text: str) -> str:
        for regex, replace in patterns:
            text = re.sub(regex, replace, text)
        return text
    return sanitize


def measure(stored: nbformat.NotebookNode, fresh: nbformat.NotebookNode,
            sanitize: Callable[[str], str] = str) -> list[dict]:
    """One record per rule of each tolerant cell, and one per exact cell that differs."""
    from nbval.plugin import coalesce_streams

    records = []
    for index, (s, f) in enumerate(zip(_code(stored), _code(fresh))):
        stored_out = _sanitized(coalesce_streams(copy.deepcopy(s.outputs)), sanitize)
        fresh_out = _sanitized(coalesce_streams(copy.deepcopy(f.outputs)), sanitize)
        tolerance = read_tolerance(s.metadata)
        if tolerance is None:
            if _texts(stored_out) != _texts(fresh_out):
                records.append({"cell": index, "exact": True, "differs": True})
            continue
        _, notes = reconcile_outputs(fresh_out, stored_out, tolerance)
        for rule in tolerance.rules:
            pairs = list(_covered_pairs(stored_out, fresh_out, tolerance, rule))
            shares = [abs(b - a) / rule.allowance(a, last_digit_unit(text)) for a, b, text in pairs]
            records.append({
                "cell": index, "rule": rule.pattern.pattern, "numbers": len(pairs),
                "max_abs": max((abs(b - a) for a, b, _ in pairs), default=0.0),
                "max_rel": max((abs(b - a) / abs(a) for a, b, _ in pairs if a), default=0.0),
                "share_of_allowance": max(shares, default=0.0),
                "fails": bool(notes)})
    return records


def _sanitized(outputs: list, sanitize: Callable[[str], str]) -> list:
    for _, output, mime in text_fields(outputs):
        if mime is None:
            output["text"] = sanitize(output["text"])
        else:
            output["data"][mime] = sanitize(output["data"][mime])
    return outputs


def _code(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def _texts(outputs) -> dict:
    """Texts by the key nbval pairs them by (widget views hold random ids and are not compared)."""
    texts: dict = {}
    for key, output, mime in text_fields(outputs):
        if mime != "application/vnd.jupyter.widget-view+json":
            texts.setdefault(key, []).append(output["text"] if mime is None else output["data"][mime])
    return texts


def _covered_pairs(stored_out, fresh_out, tolerance, rule) -> Iterable[tuple[float, float, str]]:
    stored, fresh = _texts(stored_out), _texts(fresh_out)
    for s_text, f_text in ((s, f) for key in stored for s, f in zip(stored[key], fresh.get(key, []))):
        s_numbers, f_numbers = list(NUMBER.finditer(s_text)), list(NUMBER.finditer(f_text))
        if len(s_numbers) != len(f_numbers):
            continue
        for s, f in zip(s_numbers, f_numbers):
            if tolerance.rule_for(s_text, *s.span()) is rule:
                yield float(s.group()), float(f.group()), s.group()


def _print_records(name: str, label: str, records: Sequence[dict]) -> None:
    print(f"{name} [{label}]")
    exact = [r for r in records if r.get("exact")]
    for r in records:
        if not r.get("exact"):
            print(f"  cell {r['cell']:>2}  {r['rule']:<40} {r['numbers']:>3} numbers  max abs {r['max_abs']:.4g}"
                  f"  max rel {r['max_rel']:.2%}  {r['share_of_allowance']:.0%} of allowance"
                  + ("  FAILS" if r["fails"] else ""))
    print(f"  exact cells that differ: {[r['cell'] for r in exact] or 'none'}")


def summarize(paths: Sequence[Path]) -> None:
    """The worst figure of every rule over all the runs recorded in ``paths``."""
    worst: dict[tuple, dict] = {}
    runs: dict[tuple, set] = {}
    for path in paths:
        for line in path.read_text().splitlines():
            run = json.loads(line)
            for r in run["records"]:
                key = (run["notebook"], r["cell"], r.get("rule", "(exact cell)"))
                runs.setdefault(key, set()).add(run["label"])
                best = worst.setdefault(key, dict(r, worst_run=run["label"]))
                if r.get("share_of_allowance", 1.0) > best.get("share_of_allowance", 1.0):
                    worst[key] = dict(r, worst_run=run["label"])
    for (notebook, cell, rule), r in sorted(worst.items()):
        where = f"{notebook} cell {cell:>2}  {rule:<40}"
        if r.get("exact"):
            print(f"{where} exact cell differs in: {sorted(runs[(notebook, cell, rule)])}")
        else:
            print(f"{where} over {len(runs[(notebook, cell, rule)])} runs: max abs {r['max_abs']:.4g}, "
                  f"max rel {r['max_rel']:.2%}, worst {r['share_of_allowance']:.0%} of allowance "
                  f"({r['worst_run']})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--seed", type=int, help="replace the notebooks' literal seed 0 by this one")
    parser.add_argument("--label", help="name of this run in the records (default: kernel and seed)")
    parser.add_argument("--json", type=Path, help="append one JSON line per notebook to this file")
    parser.add_argument("--summarize", type=Path, nargs="+", help="print the worst figures of recorded runs")
    parser.add_argument("--sanitize-with", type=Path,
                        help="nbval sanitizer file (default: nbval_sanitize.cfg beside each notebook)")
    args = parser.parse_args(argv)
    if args.summarize:
        summarize(args.summarize)
        return 0
    if not args.notebooks:
        parser.error("give notebooks to run, or --summarize FILE")
    label = args.label or f"{os.environ.get('OPENBLAS_CORETYPE', 'default kernel')}, seed {args.seed or 0}"
    failed = False
    for path in args.notebooks:
        sanitize = sanitizer(args.sanitize_with or path.parent / "nbval_sanitize.cfg")
        records = measure(nbformat.read(path, as_version=4), execute(path, args.seed), sanitize)
        _print_records(path.name, label, records)
        failed |= any(r.get("fails") or r.get("differs") for r in records)
        if args.json:
            with args.json.open("a") as out:
                out.write(json.dumps({"notebook": path.name, "label": label, "records": records}) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
