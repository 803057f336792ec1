"""The GPU workloads of BENCHMARKS.md, minitorch beside PyTorch CUDA in one process, most
important first; writes ``$OUT/<name>.json`` after each workload (gpu_check.sh's stage 3).

    python3 benchmarks/gpu_bench.py [TREE] [NAME] [WORKLOAD ...]

TREE (default: this checkout) is the folder whose ``minitorch`` package is measured, so a
second run on an older tree (``git archive <commit> minitorch | tar -x -C TREE``) gives a
before/after on the same machine; NAME (default ``bench``) names the JSON file; WORKLOADs
(default: all) are names of workloads.
"""

from __future__ import annotations

import json
import os
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.dirname(HERE))
import run  # noqa: E402  (benchmarks/ is sys.path[0] once run.py is imported)
from workloads import GPU_EXTRA, WORKLOADS  # noqa: E402

import minitorch  # noqa: E402

ORDER = ["W1 train", "nanoGPT fp32", "W3 train", "W1 b4096", "nanoGPT amp", "W1 infer",
         "W4 op", "W2 train"]  # fmt: skip


def main() -> None:
    name = sys.argv[2] if len(sys.argv) > 2 else "bench"
    print(f"measuring {os.path.dirname(os.path.dirname(minitorch.__file__))}", flush=True)
    path = os.path.join(os.environ.get("OUT", "benchmarks/gpu_out"), name + ".json")
    results = {}
    everything = ORDER + [n for n in {**WORKLOADS, **GPU_EXTRA} if n not in ORDER]
    for workload in sys.argv[3:] or everything:
        try:
            r = run.main(["--device", "cuda", "--repeats", "3", "--seconds", "0.5",
                          "--only", workload, "--json", "", "--same-process"])  # fmt: skip
            results[workload] = r[workload]
        except Exception:  # noqa: BLE001 - one workload's failure must not hide the others
            print(f"{workload}: FAILED\n" + traceback.format_exc(limit=4))
            results[workload] = {"error": traceback.format_exc(limit=1).strip().splitlines()[-1]}
        with open(path, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
