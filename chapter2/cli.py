"""The command line: ``python -m chapter2 COMMAND``.

Commands
--------
train        train the chapter's MNIST network and print its test accuracy
data         fetch (or verify) the MNIST file and say where it is
assignments  write student versions of the notebooks (solutions removed)
grade        grade students' notebooks (isolated, in parallel) and print a score table
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
    assignments.add_argument("--out", required=True, type=_user_path, help="folder for the student notebooks")
    assignments.add_argument("--notebooks", type=_user_path, default=None,
                             help="instructor notebooks: a folder or a file (default: the notebooks/ "
                                  "folder of this chapter2 checkout)")
    assignments.set_defaults(run=_assignments)

    grade = commands.add_parser(
        "grade", help="grade students' notebooks, isolated and in parallel; print a score table",
        description="Grade submissions against the instructor notebooks. Check cells, points and "
                    "grade ids come from the instructor's copy; each submission runs in its own "
                    "sandboxed kernel with resource limits.")
    grade.add_argument("submissions", nargs="+", type=Path, metavar="SUBMISSION",
                       help="submitted .ipynb files, or nbgrader submitted/ folders "
                            "(<student>/<assignment>/<notebook>.ipynb)")
    grade.add_argument("--source", type=Path, default=None, metavar="DIR_OR_FILE",
                       help="instructor notebooks, matched by file name (default: the notebooks/ "
                            "folder of this chapter2 checkout)")
    grade.add_argument("--workers", type=int, default=None,
                       help="submissions graded at once (default: one per core)")
    grade.add_argument("--scheduler", default=None, metavar="tls://HOST:PORT",
                       help="grade on this Dask distributed cluster instead (pip install chapter2[cluster])")
    grade.add_argument("--tls", type=Path, default=None, metavar="DIR",
                       help="the certificates of `grade-certs DIR`, shown to the scheduler (required "
                            "with --scheduler unless --insecure-scheduler)")
    grade.add_argument("--insecure-scheduler", action="store_true",
                       help="grade over a tcp:// scheduler without certificates: whoever reaches it "
                            "can run code on the workers and join as one")
    grade.add_argument("--timeout", type=float, default=120, help="seconds one cell may run (default 120)")
    grade.add_argument("--notebook-timeout", type=float, default=None,
                       help="seconds one submission may take (default 10 x --timeout)")
    grade.add_argument("--memory-mb", type=float, default=2048, help="memory of each kernel (default 2048)")
    grade.add_argument("--cpu-seconds", type=float, default=600,
                       help="CPU time of each kernel (default 600)")
    grade.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the report as JSON")
    grade.add_argument("--gradebook", type=Path, default=None, metavar="FILE.csv",
                       help="write a gradebook: one row per student, one column per exercise")
    grade.add_argument("--feedback", "--executed", dest="feedback", type=Path, default=None,
                       metavar="DIR", help="save each student's executed notebook, with the checks' "
                                           "feedback, as DIR/<student>/[<assignment>/]<notebook>")
    grade.add_argument("--no-sandbox", action="store_true",
                       help="grade without bubblewrap (limits, clean environment and an unprivileged "
                            "user still apply; no read-only view, network reachable)")
    grade.add_argument("--no-progress", action="store_true", help="no progress bar")
    grade.set_defaults(run=_grade)

    certs = commands.add_parser(
        "grade-certs", help="make the certificates a Dask grading cluster needs (mutual TLS)",
        description="Write a new certificate authority (ca.pem, ca-key.pem: keep the key offline) "
                    "and the grading certificate it signs (grader.pem, grader-key.pem) into DIR. "
                    "Copy ca.pem, grader.pem and grader-key.pem to the scheduler and each grading "
                    "machine, never where students can read them.")
    certs.add_argument("folder", type=Path, metavar="DIR", help="a new folder for the certificates")
    certs.set_defaults(run=_grade_certs)
    return parser


def _user_path(text: str) -> Path:
    """A path from the command line, ``~`` expanded (a quoted ``'~/out'`` reaches us unexpanded)."""
    return Path(text).expanduser()


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
    from .classroom.submissions import default_source

    written = write_student_versions(args.notebooks or default_source(), args.out)
    for path in written:
        print(f"wrote {path}: {_released(path)}")
    print(f"{len(written)} student notebook(s) in {args.out}")
    return 0


def _released(path: Path) -> str:
    """What a student notebook asks for: its graded checks and points, or that nothing is graded."""
    import nbformat

    meta = [c.metadata.get("nbgrader") for c in nbformat.read(path, as_version=4).cells]
    points = [m.get("points", 0) for m in meta if isinstance(m, dict) and m.get("grade")]
    if not points:
        return "no graded cells (not graded)"
    return f"{len(points)} graded check(s), {sum(points):g} point(s)"


def _grade(args: argparse.Namespace) -> int:
    from .classroom.grading import format_table, grade_notebooks, gradebook_csv, report_to_json
    from .classroom.sandbox import Limits
    from .classroom.student import write_text_no_follow

    limits = Limits(memory_mb=args.memory_mb, cpu_seconds=args.cpu_seconds)
    scheduler = None
    if args.scheduler:
        from .classroom.dispatch import Scheduler

        scheduler = Scheduler(args.scheduler, args.tls, args.insecure_scheduler)
    outputs = [p for p in (args.json, args.gradebook) if p is not None]
    report = grade_notebooks(args.submissions, args.source, timeout=args.timeout,
                             notebook_timeout=args.notebook_timeout, workers=args.workers,
                             scheduler=scheduler, limits=limits, feedback_dir=args.feedback,
                             sandbox_mode="none" if args.no_sandbox else "auto", outputs=outputs,
                             progress=not args.no_progress and sys.stderr.isatty())
    print(format_table(report))
    if args.json:
        write_text_no_follow(report_to_json(report), args.json)
        print(f"JSON report written to {args.json}")
    if args.gradebook:
        write_text_no_follow(gradebook_csv(report), args.gradebook)
        print(f"gradebook written to {args.gradebook}")
    if report.failures:
        print(f"{len(report.failures)} submission(s) could not be graded (scored 0): see the table",
              file=sys.stderr)
        return 1
    return 0


def _grade_certs(args: argparse.Namespace) -> int:
    from .classroom.certs import make_certificates

    for path in make_certificates(args.folder):
        print(f"wrote {path}")
    print(f"start the cluster and grade with these (see the README): --tls {args.folder}")
    return 0


__all__ = ["main"]
