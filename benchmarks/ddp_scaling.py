"""Data-parallel scaling of W1 (MLP 784-512-512-10, Adam, global batch 128) on this machine:
one process versus DistributedDataParallel over 2 MPI processes, and the share of the step
spent in communication.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/ddp_scaling.py [--steps 40]

Configurations, run alternately (A B C D A B C D ...), each a fresh launch:
  1 proc x 1 thread, 1 proc x 2 threads (the whole 2-core machine for one process),
  2 procs x 1 thread (mpiexec -n 2, batch 64 each), the same with 1 MB buckets (overlap).
"Comm" is the time a step spends in the reducer's collectives (launching, progressing and
waiting): the communication backward did not hide, plus any wait for the slower rank.
"allreduce" times one all-reduce of W1's 2.68 MB of gradients with both ranks ready.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

GLOBAL_BATCH = 128
CONFIGS = [  # (name, processes, BLAS threads per process, bucket_cap_mb)
    ("1 proc x 1 thread", 1, 1, None),
    ("1 proc x 2 threads", 1, 2, None),
    ("2 procs x 1 thread", 2, 1, 25.0),
    ("2 procs x 1 thread, 1 MB buckets", 2, 1, 1.0),
]


def worker(args) -> None:
    """One rank: times W1 steps; rank 0 prints one JSON line."""
    import minitorch
    import minitorch.distributed as dist
    import minitorch.nn.functional as F
    from minitorch import nn
    from minitorch.nn.parallel import DistributedDataParallel, reducer

    world, rank = 1, 0
    if args.bucket_mb is not None:
        dist.init_process_group("mpi")
        world, rank = dist.get_world_size(), dist.get_rank()
    comm = [0.0]
    if world > 1:  # time the reducer's collectives
        real_all_reduce = reducer.all_reduce

        class TimedWork:
            def __init__(self, work) -> None:
                self.work = work

            def wait(self):
                t = time.perf_counter()
                self.work.wait()
                comm[0] += time.perf_counter() - t

            def is_completed(self) -> bool:
                t = time.perf_counter()
                done = self.work.is_completed()
                comm[0] += time.perf_counter() - t
                return done

        def timed_all_reduce(*a, **k):
            t = time.perf_counter()
            work = real_all_reduce(*a, **k)
            comm[0] += time.perf_counter() - t
            return TimedWork(work)

        reducer.all_reduce = timed_all_reduce

    minitorch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)
    )
    if world > 1:
        model = DistributedDataParallel(model, bucket_cap_mb=args.bucket_mb)
    opt = minitorch.optim.Adam(model.parameters(), lr=1e-3)
    batch = GLOBAL_BATCH // world
    x = minitorch.randn(batch, 784)
    y = minitorch.randint(0, 10, (batch,))

    def step() -> None:
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    for _ in range(5):
        step()
    if world > 1:
        dist.barrier()
    comm[0] = 0.0
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    if world > 1:
        dist.barrier()
    seconds = time.perf_counter() - start
    result = {
        "samples_s": GLOBAL_BATCH * args.steps / seconds,
        "step_ms": 1e3 * seconds / args.steps,
    }
    result["comm_ms"] = 1e3 * comm[0] / args.steps
    if world > 1:
        grads = minitorch.zeros(sum(p.numel() for p in model.parameters()))
        times = []
        for _ in range(20):
            dist.barrier()
            t = time.perf_counter()
            dist.all_reduce(grads)
            times.append(time.perf_counter() - t)
        result["allreduce_ms"] = 1e3 * statistics.median(times)
        dist.destroy_process_group()
    if rank == 0:
        print(json.dumps(result), flush=True)


def launch(config, steps: int) -> dict:
    _, procs, threads, bucket_mb = config
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", "--steps", str(steps)]
    if bucket_mb is not None:
        mpiexec = shutil.which("mpiexec") or shutil.which("mpirun")
        if mpiexec is None:
            raise SystemExit("no mpiexec: pip install mpi4py mpich")
        cmd = [mpiexec, "-n", str(procs), *cmd, "--bucket-mb", str(bucket_mb)]
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=600, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=40)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--worker", action="store_true")
    p.add_argument("--bucket-mb", type=float, default=None)
    args = p.parse_args()
    if args.worker:
        worker(args)
        return
    runs = {c[0]: [] for c in CONFIGS}
    for _ in range(args.repeats):
        for config in CONFIGS:
            runs[config[0]].append(launch(config, args.steps))
    base = statistics.median(r["samples_s"] for r in runs[CONFIGS[0][0]])
    print(
        f"W1 training, global batch {GLOBAL_BATCH}, {args.steps} steps x {args.repeats} runs (median [min-max])"
    )
    print(
        f"{'configuration':34s} {'samples/s':>22s} {'vs 1x1':>7s} {'step ms':>8s} {'comm ms':>8s} {'comm %':>7s} {'allreduce ms':>13s}"
    )
    for name, results in runs.items():
        rate = [r["samples_s"] for r in results]
        step = statistics.median(r["step_ms"] for r in results)
        comm = statistics.median(r["comm_ms"] for r in results)
        ar = [r["allreduce_ms"] for r in results if "allreduce_ms" in r]
        print(
            f"{name:34s} {statistics.median(rate):8.0f} [{min(rate):5.0f}-{max(rate):5.0f}] "
            f"{statistics.median(rate) / base:6.2f}x {step:8.2f} {comm:8.2f} {100 * comm / step:6.1f}% "
            f"{(f'{statistics.median(ar):.2f}' if ar else '-'):>13s}"
        )


if __name__ == "__main__":
    main()
