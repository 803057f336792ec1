"""Draw the backward graph of a small MLP's loss: Graphviz DOT text (for `dot -Tpng`) and a
PNG rendered with matplotlib alone, by minitorch.autograd.graph.

    python examples/draw_graph.py                    # a 4-layer MLP -> mlp_graph.png / .dot
    python examples/draw_graph.py --quick --out g    # one hidden layer (the test suite)
"""

from __future__ import annotations

import argparse

import minitorch as torch
from minitorch.autograd import graph


def build_loss(layers: int):
    """A ReLU MLP with a residual connection, its loss and its named parameters."""
    torch.manual_seed(0)
    params = {}
    x = torch.randn(8, 16)
    h = x
    for i in range(layers):
        W = torch.randn(16, 16, requires_grad=True)
        b = torch.zeros(16, requires_grad=True)
        params[f"layer{i}.weight"], params[f"layer{i}.bias"] = W, b
        h = (h @ W + b).relu() + h  # (8, 16)
    head = torch.randn(16, 3, requires_grad=True)
    params["head.weight"] = head
    target = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
    logits = h @ head
    loss = -torch.log_softmax(logits, 1).gather(1, target.unsqueeze(1)).mean()
    return loss, params


def main(quick: bool = False, out: str = "mlp_graph") -> tuple[str, str]:
    loss, params = build_loss(1 if quick else 4)
    dot_path, png_path = f"{out}.dot", f"{out}.png"
    with open(dot_path, "w") as f:
        f.write(graph.to_dot(loss, params))
    graph.draw(loss, png_path, params)
    print(f"wrote {dot_path} (render with `dot -Tpng`) and {png_path}")
    return dot_path, png_path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a one-layer model (for tests)")
    parser.add_argument("--out", default="mlp_graph", help="path without extension")
    args = parser.parse_args()
    main(args.quick, args.out)
