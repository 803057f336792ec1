"""Mixed precision speed: one training step in float32 and with autocast(float16) +
GradScaler, on minitorch and (when installed) PyTorch, all run alternately. Two workloads
of workloads.py: the W1 MLP (784-512-512-10, ReLU, Adam) and a stack of transformer blocks
(the GPT: pre-LayerNorm, causal attention, GELU MLP, AdamW). Prints steps/s or tokens/s
(median, min-max of the repetitions) and each framework's amp / fp32 speed ratio.

    python benchmarks/amp_speed.py --device cuda              # nanoGPT char size (the target)
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/amp_speed.py   # CPU

Targets: on the GPU, autocast + GradScaler at least 1.5x float32 on the same card (the
transformer at nanoGPT size). On the CPU, autocast at least as fast as float32 (ratio >= 1):
numpy has no float16 matrix product or float16 <-> float32 conversion in hardware, so
minitorch multiplies on float32 BLAS and converts in numpy passes (numpy_backend.py), and
every float16 tensor an autocast step makes costs a conversion each way.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import frameworks, seconds_per_step  # noqa: E402
from workloads import make_gpt_train, make_mlp_train  # noqa: E402

SIZES = {
    "w3": dict(batch=16, block=64, n_layer=4, n_head=4, n_embd=128),  # BENCHMARKS.md W3
    "nanogpt": dict(batch=64, block=256, n_layer=6, n_head=6, n_embd=384),
    "tiny": dict(batch=4, block=16, n_layer=2, n_head=2, n_embd=32),  # a smoke test
}


def _workloads(args) -> dict:
    """name -> (make(framework, amp) -> step, unit, per-step amount of that unit)."""
    size = SIZES[args.size or ("nanogpt" if args.device == "cuda" else "w3")]
    gpt = f"transformer {size}"
    out = {
        "W1 MLP": (lambda fw, amp: make_mlp_train(fw, args.device, amp=amp), "steps/s"),
        gpt: (lambda fw, amp: make_gpt_train(fw, args.device, amp=amp, **size), "tokens/s"),
    }
    return {k: v for k, v in out.items() if args.workload in ("both", k.split()[0].lower())}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--size", choices=sorted(SIZES), help="default: nanogpt on cuda, else w3")
    parser.add_argument("--workload", default="both", choices=["both", "w1", "transformer"])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=1.0, help="time per repetition")
    parser.add_argument("--no-torch", action="store_true", help="minitorch only")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads of each framework")
    args = parser.parse_args(argv)
    fws = frameworks(args.device, not args.no_torch, args.threads)
    result = {}
    for title, (make, unit) in _workloads(args).items():
        steps = {}
        for name, fw in fws:
            for amp in (False, True):
                step = make(fw, amp)
                step()  # warm-up: kernels compiled, buffers allocated
                step()
                steps[(name, amp)] = step
        samples = {key: [] for key in steps}
        for _ in range(args.repeats):  # alternately: A B A B ...
            for key, step in steps.items():
                amount = getattr(step, "tokens", 1)
                samples[key].append(amount / seconds_per_step(step, args.seconds))
        result[title] = _report(title, unit, args.device, samples)
    return result


def _report(title: str, unit: str, device: str, samples: dict) -> dict:
    print(f"{title} on {device}, {unit} (median, min-max)")
    print(f"{'framework':<10} {'float32':>24} {'autocast+GradScaler':>24} {'amp/fp32':>9}")
    result = {}
    for name in dict.fromkeys(n for n, _ in samples):
        med = [statistics.median(samples[(name, amp)]) for amp in (False, True)]
        cells = [
            f"{m:,.0f} ({min(samples[(name, a)]):,.0f}-{max(samples[(name, a)]):,.0f})"
            for m, a in zip(med, (False, True))
        ]
        result[name] = {"fp32": med[0], "amp": med[1], "ratio": med[1] / med[0]}
        print(f"{name:<10} {cells[0]:>24} {cells[1]:>24} {med[1] / med[0]:>8.2f}x")
    if device == "cpu" or unit == "tokens/s":  # the GPU target is the transformer's
        target = 1.5 if device == "cuda" else 1.0
        verdict = "met" if result["minitorch"]["ratio"] >= target else "NOT met"
        print(f"target amp >= {target}x fp32 on the same {device}: {verdict}")
    print()
    return result


if __name__ == "__main__":
    main()
