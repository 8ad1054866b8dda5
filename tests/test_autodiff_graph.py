"""Pictures of the computation graph and the backward-pass stepper."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from chapter2.autodiff import Tensor, backward_snapshots  # noqa: E402
from chapter2.plotting import style  # noqa: E402
from chapter2.plotting.graph import backward_stepper, draw_backward_step, draw_graph  # noqa: E402
from chapter2.errors import InputTypeError  # noqa: E402
from chapter2.widgets import LiveFigure  # noqa: E402


def small_network():
    """loss = mean((relu(x @ W + b) @ v - 1)^2), every value labelled."""
    x = Tensor([[1.0, -2.0]], requires_grad=False, label="x")
    w = Tensor([[0.5, -1.0], [0.2, 0.8]], label="W")
    b = Tensor([0.1, -0.2], label="b")
    v = Tensor([[1.0], [-1.0]], label="v")
    z = x @ w
    z.label = "z"
    a = z + b
    a.label = "a"
    h = a.relu()
    h.label = "h"
    y = h @ v
    y.label = "y"
    e = y - 1.0
    e.label = "e"
    loss = (e ** 2).mean()
    loss.label = "loss"
    return loss, {"W": w, "b": b, "v": v, "h": h, "x": x}


def texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_draw_graph_shows_every_value_and_operation():
    loss, _ = small_network()
    fig = draw_graph(loss)
    shown = "\n".join(texts(fig))
    for label in ["x", "W", "b", "v", "z", "a", "h", "y", "e", "loss"]:
        assert any(t.split("\n")[0] == label for t in texts(fig)), label
    for op in ["@", "+", "relu", "-", "**2", "mean"]:
        assert op in texts(fig), op
    assert "grad ?" in shown  # nothing backpropagated yet
    assert fig.axes[0].get_title() and fig.axes[0].get_xlabel()
    assert tuple(fig.get_size_inches()) == (11.0, 4.5)


def test_draw_graph_after_backward_prints_the_gradients():
    loss, nodes = small_network()
    loss.backward()
    box = next(t for t in texts(draw_graph(loss)) if t.startswith("v\n"))
    # d loss / d v = 2 (y - 1) h^T with h = [0.2, 0], y = 0.2
    assert box == "v\ndata [1, -1]\ngrad [-0.32, 0]"
    assert "grad ?" not in "\n".join(texts(draw_graph(loss)))
    assert "grad" not in next(t for t in texts(draw_graph(loss)) if t.startswith("x\n"))  # a constant


def test_draw_graph_draws_into_a_given_axes_and_refuses_non_tensors():
    loss, _ = small_network()
    fig, ax = plt.subplots(figsize=(6, 3))
    assert draw_graph(loss, ax=ax, title="mine") is fig
    assert ax.get_title() == "mine"
    with pytest.raises(InputTypeError, match="Tensor"):
        draw_graph(np.ones(3))


def test_snapshots_walk_the_operations_in_reverse_and_end_with_backward_result():
    loss, nodes = small_network()
    snapshots = backward_snapshots(loss)
    ops = [s.node.op for s in snapshots[1:]]
    assert ops == ["mean", "**2", "-", "@", "relu", "+", "@"]
    # the final snapshot holds exactly what backward() computed
    twin, twin_nodes = small_network()
    twin.backward()
    for name in ["W", "b", "v", "h"]:
        np.testing.assert_array_equal(snapshots[-1].grads[id(nodes[name])], twin_nodes[name].grad)


def test_snapshots_reveal_gradients_step_by_step():
    loss, nodes = small_network()
    snapshots = backward_snapshots(loss)
    known = [sum(g is not None for g in s.grads.values()) for s in snapshots]
    assert known[0] == 1 and known == sorted(known) and known[-1] > known[1]
    assert snapshots[0].grads[id(nodes["W"])] is None and snapshots[-1].grads[id(nodes["W"])] is not None
    # when a node passes its gradient on, that gradient is already final
    for s in snapshots[1:]:
        np.testing.assert_array_equal(s.grads[id(s.node)], s.node.grad)


def test_draw_backward_step_highlights_the_current_node():
    loss, _ = small_network()
    snapshots = backward_snapshots(loss)
    fig = draw_backward_step(loss, snapshots, 4)
    assert "step 4 of 7" in fig.axes[0].get_title() and "'@'" in fig.axes[0].get_title()
    orange = [p for p in fig.axes[0].patches if matplotlib.colors.to_hex(p.get_facecolor()) == style.ORANGE]
    assert len(orange) == 2  # the value box and its operation


def test_backward_stepper_is_a_live_figure_whose_slider_redraws():
    loss, _ = small_network()
    stepper = backward_stepper(loss)
    assert isinstance(stepper, LiveFigure)
    slider = stepper.controls["step"]
    assert (slider.min, slider.max, slider.value) == (0, 7, 0)
    assert "step 0 of 7" in stepper.render().axes[0].get_title()
    slider.value = 7
    assert "step 7 of 7" in stepper.render().axes[0].get_title()
    assert stepper.renders == 2
