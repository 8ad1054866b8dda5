"""The command line: ``python -m chapter2 COMMAND``.

Commands
--------
train        train the chapter's MNIST network and print its test accuracy
data         fetch (or verify) the MNIST file and say where it is
"""

from __future__ import annotations

import argparse
import sys
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
    parser = argparse.ArgumentParser(prog="python -m chapter2", description=__doc__.split("\n")[0])
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
    return parser


def _train(args: argparse.Namespace) -> int:
    from .training import train_mnist

    result = train_mnist(epochs=args.epochs, batch_size=args.batch_size, seed=args.seed,
                         optimizer=args.optimizer, learning_rate=args.learning_rate,
                         verbose=args.verbose, save_path=args.save)
    print(f"test_acc: {result['test_accuracy']:.4f}  test_loss: {result['test_loss']:.4f}  "
          f"(fit took {result['fit_seconds']:.1f} s)")
    return 0


def _data(args: argparse.Namespace) -> int:
    from .datasets import mnist

    mnist.fetch(verbose=True)
    return 0


__all__ = ["main"]
