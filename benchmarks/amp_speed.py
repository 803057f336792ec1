"""Mixed precision speed: one training step of a stack of transformer blocks (the GPT of
workloads.py: pre-LayerNorm, causal attention, GELU MLP, AdamW) in float32 and with
autocast(float16) + GradScaler, on minitorch and (when installed) PyTorch, run alternately.
Prints tokens/s (median, min-max of the repetitions) and each framework's amp / fp32 ratio.

    python benchmarks/amp_speed.py --device cuda              # nanoGPT char size (the target)
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/amp_speed.py   # CPU: report only

The issue's target is on the GPU: autocast + GradScaler at least 1.5x float32 on the same
card. On the CPU numpy has no fast float16 arithmetic (float16 matmuls run on float32 BLAS
and are rounded; the casts cost time), so the CPU figures are a report, not a target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import frameworks, seconds_per_step  # noqa: E402
from workloads import make_gpt_train  # noqa: E402

SIZES = {
    "w3": dict(batch=16, block=64, n_layer=4, n_head=4, n_embd=128),  # BENCHMARKS.md W3
    "nanogpt": dict(batch=64, block=256, n_layer=6, n_head=6, n_embd=384),
    "tiny": dict(batch=4, block=16, n_layer=2, n_head=2, n_embd=32),  # a smoke test
}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--size", choices=sorted(SIZES), help="default: nanogpt on cuda, else w3")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=1.0, help="time per repetition")
    parser.add_argument("--no-torch", action="store_true", help="minitorch only")
    args = parser.parse_args(argv)
    size = SIZES[args.size or ("nanogpt" if args.device == "cuda" else "w3")]
    steps = {}
    for name, fw in frameworks(args.device, not args.no_torch):
        for amp in (False, True):
            step = make_gpt_train(fw, args.device, amp=amp, **size)
            step()  # warm-up: kernels compiled, buffers allocated
            step()
            steps[(name, amp)] = step
    samples = {key: [] for key in steps}
    for _ in range(args.repeats):  # alternately: A B A B ...
        for key, step in steps.items():
            samples[key].append(step.tokens / seconds_per_step(step, args.seconds))
    print(f"transformer stack {size} on {args.device}, tokens/s (median, min-max)")
    print(f"{'framework':<10} {'float32':>24} {'autocast+GradScaler':>24} {'amp/fp32':>9}")
    result = {}
    for name in dict.fromkeys(n for n, _ in steps):
        med = [statistics.median(samples[(name, amp)]) for amp in (False, True)]
        cells = [
            f"{m:,.0f} ({min(samples[(name, a)]):,.0f}-{max(samples[(name, a)]):,.0f})"
            for m, a in zip(med, (False, True))
        ]
        result[name] = {"fp32": med[0], "amp": med[1], "ratio": med[1] / med[0]}
        print(f"{name:<10} {cells[0]:>24} {cells[1]:>24} {med[1] / med[0]:>8.2f}x")
    if args.device == "cuda":
        verdict = "met" if result["minitorch"]["ratio"] >= 1.5 else "NOT met"
        print(f"target amp >= 1.5x fp32 on the same card: {verdict}")
    return result


if __name__ == "__main__":
    main()
