"""Run under `mpiexec -n 2` (or as 2 gloo ranks) with one argument. "raise": rank 1 raises
while rank 0 waits in a collective; "hang": rank 1 never joins the collective and rank 0's
watchdog times out. Either way the whole job must end with a non-zero status, quickly."""

import os
import sys
import time

import minitorch
import minitorch.distributed as dist

BACKEND = os.environ.get("MINITORCH_TEST_BACKEND", "mpi")  # gloo: see launch_gloo

mode = sys.argv[1]
dist.init_process_group(BACKEND, timeout=2.0 if mode == "hang" else 120.0)
if dist.get_rank() == 1:
    if mode == "raise":
        raise ValueError("rank 1 fails on purpose")
    time.sleep(60)
dist.all_reduce(minitorch.ones(3))
print("rank 0 finished the collective: it should have been aborted", flush=True)
