"""The command line: ``python -m chapter2 COMMAND``.

Commands
--------
train        train the chapter's MNIST network and print its test accuracy
data         fetch (or verify) the MNIST file and say where it is
assignments  write student versions of the notebooks (solutions removed)
grade        run students' notebooks headless and score their exercises
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from .errors import Chapter2Error


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except Chapter2Error as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m chapter2",
        description="Train the chapter's MNIST network, fetch its data, and prepare or grade classroom assignments.")
    commands = parser.add_subparsers(title="commands")

    train = commands.add_parser("train", help="train the MNIST network (Dense 512 relu -> Dense 10 softmax)")
    train.add_argument("--epochs", type=int, default=5, help="passes over the training set (default 5)")
    train.add_argument("--batch-size", type=int, default=128, help="samples per step (default 128)")
    train.add_argument("--seed", type=int, default=None, help="random seed for a reproducible run")
    train.add_argument("--optimizer", default="rmsprop", choices=["rmsprop", "sgd"], help="default rmsprop")
    train.add_argument("--learning-rate", type=float, default=None, help="default: the optimizer's own")
    train.add_argument("--verbose", type=int, default=1, choices=[0, 1, 2], help="progress display")
    train.add_argument("--save", metavar="FILE.npz", default=None, help="save the trained weights here")
    train.set_defaults(run=_train)

    data = commands.add_parser("data", help="fetch or verify the MNIST file and print where it is")
    data.set_defaults(run=_data)

    assignments = commands.add_parser("assignments", help="write student versions of the notebooks")
    assignments.add_argument("--out", required=True, type=Path, help="folder for the student notebooks")
    assignments.add_argument("--notebooks", type=Path, default=_default_notebooks(),
                             help="instructor notebooks: a folder or a file (default: this project's notebooks/)")
    assignments.set_defaults(run=_assignments)

    grade = commands.add_parser("grade", help="run student notebooks headless and print a score table")
    grade.add_argument("notebooks", nargs="+", type=Path, help="the students' .ipynb files")
    grade.add_argument("--timeout", type=float, default=120, help="seconds one cell may run (default 120)")
    grade.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the report as JSON")
    grade.add_argument("--executed", type=Path, default=None, metavar="DIR",
                       help="save each executed notebook, with its feedback, in this folder")
    grade.set_defaults(run=_grade)
    return parser


def _default_notebooks() -> Path:
    return Path(__file__).resolve().parent.parent / "notebooks"


def _train(args: argparse.Namespace) -> int:
    from .training import train_mnist

    result = train_mnist(epochs=args.epochs, batch_size=args.batch_size, seed=args.seed,
                         optimizer=args.optimizer, learning_rate=args.learning_rate,
                         verbose=args.verbose, save_path=args.save)
    print(f"test_acc: {result['test_accuracy']:.4f}  test_loss: {result['test_loss']:.4f}  "
          f"(fit took {result['fit_seconds']:.2f} s)")
    return 0


def _data(args: argparse.Namespace) -> int:
    from .datasets import mnist

    mnist.fetch(verbose=True)
    return 0


def _assignments(args: argparse.Namespace) -> int:
    from .classroom.student import write_student_versions

    written = write_student_versions(args.notebooks, args.out)
    for path in written:
        print(f"wrote {path}")
    print(f"{len(written)} student notebook(s) in {args.out}")
    return 0


def _grade(args: argparse.Namespace) -> int:
    from .classroom.grading import format_table, grade_notebooks, report_to_json

    report = grade_notebooks(args.notebooks, timeout=args.timeout, executed_dir=args.executed)
    print(format_table(report))
    if args.json:
        args.json.write_text(report_to_json(report))
        print(f"JSON report written to {args.json}")
    return 0


__all__ = ["main"]
