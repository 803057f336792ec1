"""Runs the workloads of BENCHMARKS.md on minitorch and (when installed) PyTorch, alternately,
and prints one table of medians, ranges and ratios; also writes it as JSON.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/run.py [--quick] [--device cuda]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import frameworks, seconds_per_step  # noqa: E402
from workloads import GPU_EXTRA, HIGHER_IS_BETTER, WORKLOADS  # noqa: E402


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=1.0, help="time per repetition")
    parser.add_argument(
        "--quick", action="store_true", help="one short repetition each (a smoke test)"
    )
    parser.add_argument("--only", nargs="*", help="workload names to run (substring match)")
    parser.add_argument("--json", default="benchmarks/results.json")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats, args.seconds = 1, 0.05
    table = dict(WORKLOADS)
    if args.device.startswith("cuda"):
        table.update(GPU_EXTRA)
    if args.only:
        table = {k: v for k, v in table.items() if any(o in k for o in args.only)}
    fws = frameworks(args.device)
    results = {}
    for name, (factory, kwargs, unit, convert) in table.items():
        steps, samples = {}, {fw: [] for fw, _ in fws}
        for fw, module in fws:
            steps[fw] = factory(module, args.device, **kwargs)
            steps[fw]()  # warm-up
        for _ in range(args.repeats):  # A B A B ...
            for fw, _ in fws:
                s = seconds_per_step(steps[fw], args.seconds)
                samples[fw].append(convert(s, steps[fw]))
        results[name] = {
            "unit": unit,
            **{
                fw: {"median": statistics.median(v), "min": min(v), "max": max(v)}
                for fw, v in samples.items()
            },
        }
        _print_row(name, results[name])
    results["_meta"] = {
        "device": args.device,
        "repeats": args.repeats,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return results


def _print_row(name: str, r: dict) -> None:
    unit = r["unit"]
    m = r["minitorch"]
    line = f"{name:<14} {m['median']:>10.2f} {unit:<9} [{m['min']:.2f}-{m['max']:.2f}]"
    if "pytorch" in r:
        p = r["pytorch"]
        ratio = m["median"] / p["median"] if HIGHER_IS_BETTER[unit] else p["median"] / m["median"]
        line += f"   pytorch {p['median']:>10.2f} [{p['min']:.2f}-{p['max']:.2f}]   speed ratio {ratio:.2f}x"
    print(line, flush=True)


if __name__ == "__main__":
    main()
