"""The benchmark workloads run (quick mode), so they never rot. Speed is never asserted."""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_benchmark_runner_quick_mode(tmp_path):
    out = tmp_path / "r.json"
    r = subprocess.run(
        [sys.executable, os.path.join(ROOT, "benchmarks", "run.py"), "--quick", "--json", str(out)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    results = json.loads(out.read_text())
    assert {"W1 train", "W1 infer", "W2 train", "W3 train", "W4 op"} <= set(results)
    for name in ("W1 train", "W4 op"):
        assert results[name]["minitorch"]["median"] > 0
    assert "W4 op" in r.stdout


def test_op_overhead_script_runs():
    r = subprocess.run(
        [sys.executable, os.path.join(ROOT, "benchmarks", "op_overhead.py"), "--repeats", "1"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "minitorch" in r.stdout


def test_memory_script_reports_peaks():
    r = subprocess.run(
        [sys.executable, os.path.join(ROOT, "benchmarks", "memory.py")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.startswith("minitorch"))
    assert float(line.split()[3]) > 0  # peak RSS in MiB
