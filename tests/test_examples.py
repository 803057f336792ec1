"""The runnable examples run to the end and print what they claim."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_example(name: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / name)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stdout


def test_autograd_tour():
    out = run_example("autograd_tour.py")
    for line in [
        "a.grad before backward(): None",
        "a.grad after loss.backward(): tensor([4., 5., 6.])",
        "raises RuntimeError: a leaf Variable that requires grad is being used in an in-place",
        "x.grad after y.backward(): tensor([1., 1., 1.])",
        "x_fp16.grad after backward(): tensor([2., 2., 2.], dtype=minitorch.float16)",
        "z.grad after y.backward(retain_graph=True): tensor(2.)",
        "z.grad after a second y.backward(): tensor(4.)",
        "raises RuntimeError: Trying to backward through the graph a second time",
        "b.grad: tensor([5., 7., 9.])",
        "b.grad after c.backward(): tensor([0.3333, 0.3333, 0.3333])",
        "x.grad after z.backward(): tensor(24.)",
        "raises RuntimeError: stack expects a non-empty TensorList",
        "raises ValueError: not enough values to unpack (expected 1, got 0)",
        "x.grad: tensor([0., 1., 1.])",
        "Every claim of the tour held.",
    ]:
        assert line in out, f"missing from the tour's output: {line!r}"
