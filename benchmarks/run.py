"""Runs the workloads of BENCHMARKS.md on minitorch and (when installed) PyTorch, alternately,
and prints one table of medians, ranges and ratios; also writes it as JSON.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/run.py [--quick] [--device cuda]

Each framework runs in a worker process of its own (``--same-process``: both in this one).
In one process each slows the other down: the worker threads of PyTorch's OpenMP pool and of
numpy's OpenBLAS keep spinning for a while after their last parallel call, on the cores the
other framework is about to use (here PyTorch's W3 step took 57 ms in one process with
minitorch, 40 ms alone).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
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
    parser.add_argument(
        "--same-process", action="store_true", help="both frameworks in this process"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats, args.seconds = 1, 0.05
    table = dict(WORKLOADS)
    if args.device.startswith("cuda"):
        table.update(GPU_EXTRA)
    if args.only:
        table = {k: v for k, v in table.items() if any(o in k for o in args.only)}
    runners = _local_runners(args.device) if args.same_process else _worker_runners(args.device)
    results = {}
    for name, (_, _, unit, _) in table.items():
        samples = {fw: [] for fw in runners}
        for run in runners.values():
            run(("build", name))  # and one warm-up step
        for _ in range(args.repeats):  # A B A B ...
            for fw, run in runners.items():
                samples[fw].append(run(("time", name, args.seconds)))
        results[name] = {
            "unit": unit,
            **{
                fw: {"median": statistics.median(v), "min": min(v), "max": max(v)}
                for fw, v in samples.items()
            },
        }
        _print_row(name, results[name])
    for run in runners.values():
        run(None)
    results["_meta"] = {
        "device": args.device,
        "repeats": args.repeats,
        "same_process": args.same_process,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return results


class _Runner:
    """Builds and times one framework's workloads: ``("build", name)`` makes the step and
    runs it once; ``("time", name, seconds)`` gives its speed in the workload's unit."""

    def __init__(self, module, device: str) -> None:
        self.module, self.device, self.steps = module, device, {}

    def __call__(self, msg):
        if msg is None:
            return None
        table = {**WORKLOADS, **GPU_EXTRA}
        factory, kwargs, _, convert = table[msg[1]]
        if msg[0] == "build":
            self.steps[msg[1]] = step = factory(self.module, self.device, **kwargs)
            step()
            return None
        step = self.steps[msg[1]]
        return convert(seconds_per_step(step, msg[2]), step)


def _local_runners(device: str) -> dict:
    return {fw: _Runner(module, device) for fw, module in frameworks(device)}


def _serve(conn, fw: str, device: str) -> None:
    """A worker process: one framework, answering the parent's messages until None."""
    run = _Runner(dict(frameworks(device, with_torch=fw == "pytorch"))[fw], device)
    while (msg := conn.recv()) is not None:
        conn.send(run(msg))


def _worker_runners(device: str) -> dict:
    names = ["minitorch"] + (["pytorch"] if importlib.util.find_spec("torch") else [])
    ctx = multiprocessing.get_context("spawn")
    runners = {}
    for fw in names:
        parent, child = ctx.Pipe()
        ctx.Process(target=_serve, args=(child, fw, device), daemon=True).start()

        def run(msg, conn=parent):
            conn.send(msg)
            return None if msg is None else conn.recv()

        runners[fw] = run
    return runners


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
