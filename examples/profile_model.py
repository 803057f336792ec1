"""Profile a few training steps of a small MLP with minitorch.autograd.profiler: prints the
per-op table (self and total time, calls, bytes allocated) and writes a Chrome trace to open
in https://ui.perfetto.dev or chrome://tracing.

    python examples/profile_model.py                       # 784-256-256-10, batch 128, 5 steps
    python examples/profile_model.py --quick --trace t.json  # a tiny model (the test suite)
"""

from __future__ import annotations

import argparse

import minitorch as torch
from minitorch.autograd.profiler import profile, record_function


def init_mlp(sizes: list) -> list:
    """[(W, b), ...] for Linear layers, PyTorch's default uniform init."""
    params = []
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        bound = fan_in**-0.5
        W = ((torch.rand(fan_in, fan_out) * 2 - 1) * bound).requires_grad_()
        b = ((torch.rand(fan_out) * 2 - 1) * bound).requires_grad_()
        params.append((W, b))
    return params


def forward(params: list, x):
    for i, (W, b) in enumerate(params):
        x = x @ W + b  # (batch, fan_out)
        if i < len(params) - 1:
            x = x.relu()
    return x


def cross_entropy(logits, target):
    return -torch.log_softmax(logits, 1).gather(1, target.unsqueeze(1)).mean()


def train_step(params: list, x, y, lr: float):
    with record_function("forward"):
        loss = cross_entropy(forward(params, x), y)
    with record_function("backward"):
        loss.backward()
    with record_function("optimizer_step"), torch.no_grad():
        for p in (p for layer in params for p in layer):
            p.sub_(lr * p.grad)
            p.grad = None
    return loss


def main(quick: bool = False, trace: str = "profile_trace.json", steps: int | None = None):
    torch.manual_seed(0)
    sizes, batch = ([64, 32, 10], 16) if quick else ([784, 256, 256, 10], 128)
    steps = steps or (3 if quick else 5)
    params = init_mlp(sizes)
    x = torch.randn(batch, sizes[0])
    y = torch.randint(0, sizes[-1], (batch,))
    train_step(params, x, y, 0.1)  # warm-up, outside the profile
    with profile(record_shapes=True, profile_memory=True) as prof:
        for _ in range(steps):
            loss = train_step(params, x, y, 0.1)
    print(f"loss after {steps + 1} steps: {loss.item():.4f}")
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=15))
    prof.export_chrome_trace(trace)
    print(f"Chrome trace written to {trace} (open it in https://ui.perfetto.dev)")
    return prof


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tiny model (for tests)")
    parser.add_argument("--trace", default="profile_trace.json", help="where the trace goes")
    args = parser.parse_args()
    main(args.quick, args.trace)
