"""Contender ``pytorch``: the chapter's network in idiomatic PyTorch.

Same layers, Glorot-uniform kernels and zero biases (Keras's defaults, not
PyTorch's), batches of 128 reshuffled every epoch, and
``torch.optim.RMSprop(lr=1e-3, alpha=0.9, eps=1e-7)``. One difference cannot
be configured away: PyTorch adds epsilon *outside* the square root
(``w -= lr * g / (sqrt(v) + eps)``) where Keras adds it inside
(``sqrt(v + eps)``). The work per step is the same; the trajectories differ.
Softmax and cross-entropy are fused in ``nn.CrossEntropyLoss`` on logits with
integer labels, the usual PyTorch way to write this network.

Run alone (benchmark venv): ``CHAPTER2_DATA_DIR=/work/shared/data
/work/benchvenv/bin/python benchmarks/contenders/pytorch.py``
"""

from __future__ import annotations

import _harness as h

try:
    import torch
    from torch import nn
except ImportError as error:  # the project venv has no torch, by design
    h.skip("pytorch", f"torch is not importable here ({error}); use the benchmark venv")


def build_model() -> nn.Module:
    """Dense 512 relu -> Dense 10 (softmax lives in the loss)."""
    model = nn.Sequential(nn.Linear(28 * 28, 512), nn.ReLU(), nn.Linear(512, 10))
    for layer in (model[0], model[2]):
        nn.init.xavier_uniform_(layer.weight)
        nn.init.zeros_(layer.bias)
    return model


def fit(model: nn.Module, x: torch.Tensor, y: torch.Tensor, epochs: int) -> None:
    """Train for ``epochs`` with the job's RMSprop settings."""
    optimizer = torch.optim.RMSprop(model.parameters(), lr=h.LEARNING_RATE, alpha=h.RHO,
                                    eps=h.EPSILON)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(x))
        for start in range(0, len(x), h.BATCH_SIZE):
            idx = order[start:start + h.BATCH_SIZE]
            optimizer.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """Mean cross-entropy and accuracy, in batches of 32 like Keras's evaluate."""
    model.eval()
    loss_sum, hits = 0.0, 0
    for start in range(0, len(x), h.EVAL_BATCH_SIZE):
        logits = model(x[start:start + h.EVAL_BATCH_SIZE])
        yb = y[start:start + h.EVAL_BATCH_SIZE]
        loss_sum += nn.functional.cross_entropy(logits, yb, reduction="sum").item()
        hits += int((logits.argmax(dim=1) == yb).sum())
    return loss_sum / len(x), hits / len(x)


def main() -> None:
    args = h.parse_args(__doc__.splitlines()[0])
    torch.manual_seed(args.seed)
    (train_images, train_labels), (test_images, test_labels) = h.cut(h.load_mnist(), args)
    train_images = train_images.reshape((len(train_images), 28 * 28)).astype("float32") / 255
    test_images = test_images.reshape((len(test_images), 28 * 28)).astype("float32") / 255
    x_train, x_test = torch.from_numpy(train_images), torch.from_numpy(test_images)
    y_train = torch.from_numpy(train_labels.astype("int64"))
    y_test = torch.from_numpy(test_labels.astype("int64"))
    model = build_model()
    watch = h.Stopwatch()
    with watch.time("fit"):
        fit(model, x_train, y_train, args.epochs)
    with watch.time("evaluate"):
        test_loss, test_acc = evaluate(model, x_test, y_test)
    h.report("pytorch", watch, test_loss, test_acc, torch=torch.__version__,
             torch_threads=torch.get_num_threads())


if __name__ == "__main__":
    main()
