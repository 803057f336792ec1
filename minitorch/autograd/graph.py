"""Pictures of the backward graph: ``to_dot`` writes Graphviz DOT text (as torchviz's
``make_dot`` draws it: grad_fn nodes named like PyTorch's, leaves with their shapes) and
``draw`` renders the same graph to a PNG with matplotlib alone (no graphviz binary). Also
``torch.autograd.graph``'s saved-tensor hooks (they live in ``saved_hooks``)."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Sequence

from .._tensor import Tensor
from . import engine
from ._graph_layout import layout
from .engine import GradientEdge
from .function import NodeHooks as Node  # every grad_fn node is one, as in PyTorch
from .saved_hooks import (
    allow_mutation_on_saved_tensors,
    disable_saved_tensors_hooks,
    save_on_cpu,
    saved_tensors_hooks,
)

__all__ = [
    "GradientEdge",
    "Node",
    "allow_mutation_on_saved_tensors",
    "disable_saved_tensors_hooks",
    "draw",
    "get_gradient_edge",
    "increment_version",
    "register_multi_grad_hook",
    "save_on_cpu",
    "saved_tensors_hooks",
    "to_dot",
]


def _node_of(t: Tensor):
    return t.grad_fn if t.grad_fn is not None else t._accumulator()


def get_gradient_edge(tensor: Tensor) -> GradientEdge:
    """Mirrors ``torch.autograd.graph.get_gradient_edge``: the edge (node, output_nr) where
    ``tensor``'s gradient is computed; ``autograd.grad`` takes it in place of the tensor."""
    if not tensor.requires_grad:
        raise RuntimeError(
            "It is not possible to get the gradient edge for a Tensor that does not require "
            "gradients"
        )
    return GradientEdge(_node_of(tensor), tensor.output_nr)


class _MultiHandle:
    """The handle of ``register_multi_grad_hook``: ``remove()`` drops every hook it made."""

    def __init__(self, handles: tuple) -> None:
        self.handles = handles

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()


def register_multi_grad_hook(
    tensors: Sequence[Tensor], fn: Callable, *, mode: str = "all"
) -> _MultiHandle:
    """Mirrors ``torch.autograd.graph.register_multi_grad_hook``. ``mode="all"``: ``fn(grads)``
    runs once per backward call, after the gradient of every tensor that call reaches has
    been computed (None for the others); ``mode="any"``: ``fn(grad)`` runs with the first
    gradient computed for any of them."""
    if mode not in ("all", "any"):
        raise ValueError(f"Expects mode to be one of ('all', 'any') but got {mode}")
    if mode == "any":
        ran: dict = defaultdict(bool)

        def first_only(grad: Tensor) -> None:
            task = engine.current_graph_task_id()
            if not ran[task]:
                ran[task] = True
                fn(grad)

        return _MultiHandle(tuple(t.register_hook(first_only) for t in tensors if t.requires_grad))
    nodes = [_node_of(t) for t in tensors]
    buffers: dict = {}  # graph task id -> [calls still expected, gradients]

    def inner(i: int) -> Callable:
        def hook(grad: Tensor) -> None:
            task = engine.current_graph_task_id()
            if task not in buffers:
                buffers[task] = [sum(map(engine.will_execute, nodes)), [None] * len(nodes)]
            entry = buffers[task]
            entry[1][i] = grad
            entry[0] -= 1
            if entry[0] == 0:
                del buffers[task]
                fn(entry[1])

        return hook

    return _MultiHandle(tuple(t.register_hook(inner(i)) for i, t in enumerate(tensors)))


def increment_version(tensor) -> None:
    """Mirrors ``torch.autograd.graph.increment_version``: marks a tensor (or each of a list
    of tensors) as modified in place, as if an in-place op had changed it."""
    from ..ops.inplace import bump_version  # noqa: PLC0415 (ops import autograd)

    for t in [tensor] if isinstance(tensor, Tensor) else tensor:
        bump_version(t)


_COLORS = {"output": "#caff70", "leaf": "lightblue", "accumulate": "lightgray", "fn": "white"}


def _shape_text(t: Tensor) -> str:
    return "(" + ", ".join(map(str, t.shape)) + ")"


def _label(node) -> str:
    """A node's name without PyTorch's C++ namespace, as torchviz labels it (AccumulateGrad)."""
    return node.name().rsplit("::", 1)[-1]


def _collect(tensors: tuple, params: dict | None) -> tuple:
    """Nodes [(label, kind)] and edges [(src, dst)] of the graph behind ``tensors``; edges
    point the way data flowed in forward (from an input node to the node that used it)."""
    names = {id(t): name for name, t in (params or {}).items()}
    ids: dict = {}
    nodes: list = []
    edges: list = []

    def add(key, label: str, kind: str) -> tuple[int, bool]:
        if key in ids:
            return ids[key], False
        ids[key] = len(nodes)
        nodes.append((label, kind))
        return ids[key], True

    stack = []
    for t in tensors:
        out, _ = add(("tensor", id(t)), _leaf_label(t, names), "output")
        if t.grad_fn is not None:
            fn, new = add(t.grad_fn, _label(t.grad_fn), "fn")
            edges.append((fn, out))
            if new:
                stack.append(t.grad_fn)
    while stack:
        node = stack.pop()
        me = ids[node]
        variable = getattr(node, "variable", None)
        if variable is not None:  # AccumulateGrad: the leaf it accumulates into
            leaf, _ = add(("tensor", id(variable)), _leaf_label(variable, names), "leaf")
            edges.append((leaf, me))
        for nxt, _ in node._next:
            if nxt is None:
                continue
            kind = "accumulate" if getattr(nxt, "variable", None) is not None else "fn"
            src, new = add(nxt, _label(nxt), kind)
            edges.append((src, me))
            if new:
                stack.append(nxt)
    return nodes, edges


def _leaf_label(t: Tensor, names: dict) -> str:
    name = names.get(id(t))
    return f"{name}\n{_shape_text(t)}" if name else _shape_text(t)


def _as_tensors(tensor) -> tuple:
    tensors = (tensor,) if isinstance(tensor, Tensor) else tuple(tensor)
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(f"expected a Tensor or a sequence of Tensors, got {type(t).__name__}")
    return tensors


def to_dot(tensor, params: dict | None = None) -> str:
    """Graphviz DOT text of the backward graph that produced ``tensor`` (a Tensor or a
    sequence of them), like torchviz's ``make_dot``: outputs in green, grad_fn nodes by their
    PyTorch names (``MulBackward0``), leaves in blue with their shapes (and their names, when
    ``params`` maps names to tensors, e.g. ``dict(model.named_parameters())``)."""
    nodes, edges = _collect(_as_tensors(tensor), params)
    lines = [
        "digraph {",
        '\tgraph [size="12,12"]',
        "\tnode [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 "
        "shape=box style=filled]",
    ]
    for i, (label, kind) in enumerate(nodes):
        text = label.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        lines.append(f'\tn{i} [label="{text}" fillcolor={_dot_color(kind)}]')
    for a, b in edges:
        lines.append(f"\tn{a} -> n{b}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_color(kind: str) -> str:
    color = _COLORS[kind]
    return f'"{color}"' if color.startswith("#") else color


_FONT_PT = 9.0
_CHAR_IN = _FONT_PT * 0.62 / 72  # monospace advance per character, in inches
_BOX_H = 0.36  # one line of text, in inches
_LAYER_H = 0.85


def draw(tensor, path: str | os.PathLike, params: dict | None = None, dpi: int = 110) -> None:
    """Renders the backward graph of ``tensor`` to a PNG at ``path`` with matplotlib alone:
    a layered layout (inputs at the top, the output at the bottom), boxes coloured as in
    ``to_dot``, arrows the way data flowed. Readable up to about a hundred nodes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: PLC0415

    nodes, edges = _collect(_as_tensors(tensor), params)
    sizes = [_box_size(label) for label, _ in nodes]
    pos, routes = layout([w for w, _ in sizes], edges)
    top = max(layer for _, layer in pos)
    xs = [x for x, _ in pos]
    left = min(x - w / 2 for x, (w, _) in zip(xs, sizes)) - 0.3
    right = max(x + w / 2 for x, (w, _) in zip(xs, sizes)) + 0.3
    height = top * _LAYER_H + max(h for _, h in sizes) + 0.6
    fig = Figure(figsize=(right - left, height), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(left, right)
    ax.set_ylim(-height / 2 - 0.1, height - height / 2 - 0.1)
    ax.axis("off")

    def y_of(layer: int) -> float:
        return (layer - top / 2) * _LAYER_H

    for (label, kind), (x, layer), (w, h) in zip(nodes, pos, sizes):
        y = y_of(layer)
        ax.add_patch(
            FancyBboxPatch(
                (x - w / 2, y - h / 2),
                w,
                h,
                boxstyle="round,pad=0.02,rounding_size=0.06",
                facecolor=_COLORS[kind],
                edgecolor="black",
                linewidth=0.8,
                zorder=2,
            )
        )
        ax.text(
            x, y, label, ha="center", va="center", family="monospace", fontsize=_FONT_PT, zorder=3
        )
    for (a, b), route in zip(edges, routes):
        (xa, la), (xb, lb) = pos[a], pos[b]
        points = [(xa, y_of(la) - sizes[a][1] / 2)]
        points += [(x, y_of(la - 1 - i)) for i, x in enumerate(route)]
        points.append((xb, y_of(lb) + sizes[b][1] / 2))
        if len(points) > 2:
            px, py = zip(*points[:-1])
            ax.plot(px, py, color="#555555", linewidth=0.8, zorder=1)
        ax.add_patch(
            FancyArrowPatch(
                points[-2],
                points[-1],
                arrowstyle="-|>",
                mutation_scale=9,
                color="#555555",
                linewidth=0.8,
                shrinkA=0,
                shrinkB=0,
                zorder=1,
            )
        )
    fig.savefig(path, format="png")


def _box_size(label: str) -> tuple[float, float]:
    lines = label.split("\n")
    return max(len(s) for s in lines) * _CHAR_IN + 0.2, _BOX_H + (len(lines) - 1) * 0.16
