"""The book's section 2.1 example over several seeds: test accuracy of each.

Runs the example exactly as printed in the book, with only the import root
changed from ``keras`` to ``chapter2``, after ``set_random_seed(seed)``. Each
seed runs in a fresh process.

    python benchmarks/accuracy_over_seeds.py --seeds 0 1 2 3 4
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

BOOK_EXAMPLE = """
from chapter2.utils import set_random_seed
set_random_seed({seed})

from chapter2.datasets import mnist

(train_images, train_labels), (test_images, test_labels) = mnist.load_data()

from chapter2 import models
from chapter2 import layers

network = models.Sequential()
network.add(layers.Dense(512, activation='relu', input_shape=(28 * 28,)))
network.add(layers.Dense(10, activation='softmax'))

network.compile(optimizer='rmsprop',
                loss='categorical_crossentropy',
                metrics=['accuracy'])

train_images = train_images.reshape((60000, 28 * 28))
train_images = train_images.astype('float32') / 255

test_images = test_images.reshape((10000, 28 * 28))
test_images = test_images.astype('float32') / 255

from chapter2.utils import to_categorical

train_labels = to_categorical(train_labels)
test_labels = to_categorical(test_labels)

network.fit(train_images, train_labels, epochs={epochs}, batch_size=128)

test_loss, test_acc = network.evaluate(test_images, test_labels)
print('test_acc:', test_acc)
"""


def run(seed: int, epochs: int) -> float:
    result = subprocess.run([sys.executable, "-c", BOOK_EXAMPLE.format(seed=seed, epochs=epochs)],
                            capture_output=True, text=True, check=True)
    return float(result.stdout.rsplit("test_acc:", 1)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--epochs", type=int, default=5,
                        help="the book's 5 by default; fewer only for a smoke test (lower accuracy)")
    args = parser.parse_args()
    accuracies = []
    for seed in args.seeds:
        accuracies.append(run(seed, args.epochs))
        print(f"seed {seed}: test accuracy {accuracies[-1]:.4f}", flush=True)
    if args.epochs != 5:
        print(f"{args.epochs} epoch(s), not the book's 5: these accuracies are not the book example's")
    print(f"min {min(accuracies):.4f}  median {statistics.median(accuracies):.4f}  "
          f"max {max(accuracies):.4f}  over {len(accuracies)} seeds")


if __name__ == "__main__":
    main()
