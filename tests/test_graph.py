"""autograd.graph: DOT text of a known expression (node names, colours, edges), the PNG that
draw() renders (header, size), the layered layout, and examples/draw_graph.py (quick)."""

from __future__ import annotations

import importlib.util
import pathlib
import struct

import pytest

import minitorch
from minitorch.autograd import graph
from minitorch.autograd._graph_layout import layout


def test_to_dot_of_known_expression():
    x = minitorch.randn(2, 3, requires_grad=True)
    w = minitorch.randn(3, requires_grad=True)
    y = (x * w).sum()
    assert graph.to_dot(y, {"x": x, "w": w}) == (
        "digraph {\n"
        '\tgraph [size="12,12"]\n'
        "\tnode [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 "
        "shape=box style=filled]\n"
        '\tn0 [label="()" fillcolor="#caff70"]\n'
        '\tn1 [label="SumBackward0" fillcolor=white]\n'
        '\tn2 [label="MulBackward0" fillcolor=white]\n'
        '\tn3 [label="AccumulateGrad" fillcolor=lightgray]\n'
        '\tn4 [label="AccumulateGrad" fillcolor=lightgray]\n'
        '\tn5 [label="w\\n(3)" fillcolor=lightblue]\n'
        '\tn6 [label="x\\n(2, 3)" fillcolor=lightblue]\n'
        "\tn1 -> n0\n"
        "\tn2 -> n1\n"
        "\tn3 -> n2\n"
        "\tn4 -> n2\n"
        "\tn5 -> n4\n"
        "\tn6 -> n3\n"
        "}\n"
    )


def test_to_dot_shared_nodes_multiple_outputs_and_no_params():
    x = minitorch.randn(4, requires_grad=True)
    h = x.exp()
    a, b = h * 2, h + 1  # h's node is shared: it appears once
    dot = graph.to_dot((a, b))
    assert dot.count('label="ExpBackward0"') == 1
    assert dot.count('label="AccumulateGrad"') == 1
    assert dot.count('fillcolor="#caff70"') == 2
    assert '[label="(4)" fillcolor=lightblue]' in dot  # an unnamed leaf shows its shape
    edges = [line.strip() for line in dot.splitlines() if "->" in line]
    assert len(edges) == 2 + 2 + 1 + 1  # outputs, Mul/Add <- Exp, Exp <- Acc, Acc <- leaf
    with pytest.raises(TypeError, match="expected a Tensor"):
        graph.to_dot([x, 3])


def _png_size(path) -> tuple:
    data = pathlib.Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_draw_writes_a_png(tmp_path):
    x = minitorch.randn(2, 3, requires_grad=True)
    y = (x * 2).exp().sum()
    path = tmp_path / "g.png"
    graph.draw(y, str(path))
    width, height = _png_size(path)
    assert 100 < width < 1000 and 300 < height < 2000


def _mlp_loss(layers: int):
    h = minitorch.randn(4, 8)
    for _ in range(layers):
        w = minitorch.randn(8, 8, requires_grad=True)
        b = minitorch.randn(8, requires_grad=True)
        h = (h @ w + b).relu() + h * 0.5
    return h.sum()


def test_draw_a_hundred_nodes_stays_readable(tmp_path):
    loss = _mlp_loss(10)
    nodes, edges = graph._collect((loss,), None)
    assert 80 <= len(nodes) <= 120
    path = tmp_path / "big.png"
    graph.draw(loss, path, dpi=80)
    width, height = _png_size(path)
    # text keeps its size: the picture grows instead (about 0.85 inch per layer)
    assert height > 30 * 0.8 * 80 and width < 15 * 80


def test_layout_layers_and_keeps_boxes_apart():
    # a diamond plus a long edge 0 -> 3 and a lone source 4 -> 3
    widths = [1.0, 1.5, 1.0, 2.0, 0.5]
    edges = [(0, 1), (0, 2), (1, 3), (2, 3), (0, 3), (4, 3)]
    pos, routes = layout(widths, edges)
    layers = [layer for _, layer in pos]
    assert layers[3] == 0  # the sink is in the bottom layer
    assert layers[1] == layers[2] == 1 and layers[0] == 2 and layers[4] == 1
    assert [len(r) for r in routes] == [0, 0, 0, 0, 1, 0]  # the long edge gets one bend
    for i in range(len(widths)):
        for j in range(i + 1, len(widths)):
            if layers[i] == layers[j]:
                gap = abs(pos[i][0] - pos[j][0]) - (widths[i] + widths[j]) / 2
                assert gap >= 0.29


def test_draw_graph_example_quick(tmp_path):
    path = pathlib.Path(__file__).parent.parent / "examples" / "draw_graph.py"
    spec = importlib.util.spec_from_file_location("draw_graph_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    dot_path, png_path = module.main(quick=True, out=str(tmp_path / "mlp"))
    dot = pathlib.Path(dot_path).read_text()
    assert "layer0.weight\\n(16, 16)" in dot and "LogSoftmaxBackward0" in dot
    _png_size(png_path)
