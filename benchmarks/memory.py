"""Peak resident memory of W3 (GPT-mini) training, minitorch beside PyTorch.

Each framework runs in its own fresh process (so neither's allocations count for the
other): import, build the model and optimizer, then the peak-RSS mark is reset (Linux
``/proc/self/clear_refs``) and 6 training steps run. Printed: the peak RSS of the whole
process, and the training peak above the RSS before the steps (what training holds at its
peak: activations, gradients, optimizer state, temporaries, the allocator's free lists).

    python benchmarks/memory.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

_CHILD = """
import json, sys
sys.path.insert(0, {here!r})
from common import frameworks
from workloads import make_gpt_train

def kib(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1])

fw = dict(frameworks(with_torch={name!r} == "pytorch"))[{name!r}]
step = make_gpt_train(fw)
before = kib("VmRSS:")
open("/proc/self/clear_refs", "w").write("5")  # resets VmHWM, the peak RSS mark
for _ in range(6):
    step()
print(json.dumps({{"peak_mib": kib("VmHWM:") / 1024, "step_mib": (kib("VmHWM:") - before) / 1024}}))
"""


def measure(name: str) -> dict:
    """Runs W3 training in a fresh process for framework ``name``; its memory figures."""
    code = _CHILD.format(here=str(Path(__file__).parent), name=name)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> dict:
    results = {"minitorch": measure("minitorch")}
    try:
        import torch  # noqa: F401

        results["pytorch"] = measure("pytorch")
    except ImportError:
        pass
    for name, r in results.items():
        print(
            f"{name:10s} peak RSS {r['peak_mib']:7.1f} MiB   training peak above start {r['step_mib']:6.1f} MiB"
        )
    if "pytorch" in results:
        m, t = results["minitorch"], results["pytorch"]
        print(
            f"ratio (minitorch / PyTorch): peak RSS {m['peak_mib'] / t['peak_mib']:.2f}x, "
            f"training peak {m['step_mib'] / max(t['step_mib'], 1e-9):.2f}x"
        )
    return results


if __name__ == "__main__":
    main()
