#!/usr/bin/env bash
# The GPU check, sized for a short lease (under 5 minutes on an H100/H200): installs nothing.
#   1. a smoke test of the backend and every fused kernel (if a kernel fails, the benchmarks
#      run with MINITORCH_FUSED=0 so that they still give numbers, and the summary says so);
#   2. the cuda-marked tests (tests/test_cuda.py's device cases and the other files' GPU
#      tests, the device fuzzer's programs against the CPU) in three timed stages, in parallel
#      workers when pytest-xdist is there;
#   3. the GPU workloads of BENCHMARKS.md, minitorch beside PyTorch CUDA in one process
#      (benchmarks/gpu_bench.py; with BASE=<folder holding an older minitorch/> also that
#      tree, for a before/after on one machine), and peak GPU memory of one nanoGPT-size
#      training step for both;
#   4. a summary table. Logs and JSON go to $OUT (or benchmarks/gpu_out) as well.
#
#   bash benchmarks/gpu_check.sh            (from the repository root)
#   BASE=.base bash benchmarks/gpu_check.sh (after: git archive <commit> minitorch | tar -x -C .base)
# Each stage has its own timeout (seconds; T_SMOKE, T_TESTS_A, T_TESTS_B, T_TESTS_C, T_BENCH,
# T_MEMORY override them), so a hang cannot eat the lease.
set -u
cd "$(dirname "$0")/.."
export OUT="${OUT:-benchmarks/gpu_out}"
mkdir -p "$OUT"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
PY="${PYTHON:-python3}"
T0=$(date +%s)
stamp() { echo "--- [$(( $(date +%s) - T0 ))s] $*"; }

stamp "machine"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null
timeout "${T_SMOKE:-40}" "$PY" - <<'EOF' 2>&1 | tee "$OUT/smoke.log"
import numpy as np, cupy, torch, minitorch
from minitorch.backends import cupy_kernels as K
print("python ok: numpy", np.__version__, "cupy", cupy.__version__, "torch", torch.__version__,
      "torch cuda", torch.cuda.is_available(), "minitorch cuda", minitorch.cuda.is_available())
x = cupy.asarray(np.random.default_rng(0).standard_normal((4, 5)), cupy.float32)
t = cupy.asarray([0, 1, 4, 2])
checks = {
    "softmax": lambda: K.softmax(x, False).sum(axis=1),
    "log_softmax_bwd": lambda: K.softmax_backward(K.softmax(x, True), x, True),
    "layer_norm": lambda: K.layer_norm(x, None, None, 1e-5)[0].mean(axis=1),
    "layer_norm_bwd": lambda: K.layer_norm_backward(x, x, x[:, :1], x[0]),
    "cross_entropy": lambda: K.cross_entropy(x, t, -100, 0.1)[0],
    "cross_entropy_bwd": lambda: K.cross_entropy_backward(
        x, K.cross_entropy(x, t, -100, 0.0)[1], t, cupy.ones((), cupy.float32), -100, 0.0),
    "gelu": lambda: K.gelu(x, "none") + K.gelu_grad(x, "tanh"),
    "activation_grads": lambda: K.relu_grad(x, x) + K.tanh_grad(x, x) + K.sigmoid_grad(x, x),
    "adam": lambda: K.adam(x[0].copy(), x[1], None, x[2].copy(), x[3] ** 2, None,
                           0.1, False, 1.0, 0.9, 0.999, 1e-8, 1e-3),
    "sgd": lambda: K.sgd(x[0].copy(), x[1], x[2].copy(), x[3].copy(),
                         0.0, False, 0.1, 0.9, 0.0, True, False),
}
bad = []
for name, fn in checks.items():
    try:
        fn()
        cupy.cuda.get_current_stream().synchronize()
    except Exception as e:  # noqa: BLE001 - report every kernel's failure
        bad.append(name)
        print(f"KERNEL FAILED {name}: {type(e).__name__}: {str(e)[:400]}")
print("fused kernels:", "all compiled and ran" if not bad else f"FAILED: {bad}")
EOF
if grep -q "^fused kernels: all" "$OUT/smoke.log"; then FUSED=1; else FUSED=0; fi

XDIST=""
"$PY" -c "import xdist" 2>/dev/null && XDIST="-n 8"
PYTEST=("$PY" -m pytest -q -m cuda -p no:cacheprovider -rf --tb=short $XDIST tests/)
OPS="test_op_cases_match_cpu or test_value_cases_match_cpu"
stamp "tests A: cuda-marked tests except the op tables"
timeout -s INT -k 10 "${T_TESTS_A:-80}" "${PYTEST[@]}" -k "not ($OPS or on_the_gpu)" > "$OUT/tests_a.log" 2>&1
echo "exit $?" >> "$OUT/tests_a.log"
grep -E "^(FAILED|ERROR)|passed|failed|^exit" "$OUT/tests_a.log" | tail -40
stamp "tests C: the device fuzzer's programs on the GPU against the CPU"
timeout -s INT -k 10 "${T_TESTS_C:-60}" "${PYTEST[@]}" -k "on_the_gpu" > "$OUT/tests_c.log" 2>&1
echo "exit $?" >> "$OUT/tests_c.log"
grep -E "^(FAILED|ERROR)|passed|failed|^exit" "$OUT/tests_c.log" | tail -40
stamp "tests B: the op tables on cuda against the CPU"
timeout -s INT -k 10 "${T_TESTS_B:-45}" "${PYTEST[@]}" -k "$OPS" > "$OUT/tests_b.log" 2>&1
echo "exit $?" >> "$OUT/tests_b.log"
grep -E "^(FAILED|ERROR)|passed|failed|^exit" "$OUT/tests_b.log" | tail -40

stamp "benchmarks (fused kernels: $([ $FUSED = 1 ] && echo on || echo 'OFF, they failed'))"
[ $FUSED = 1 ] || export MINITORCH_FUSED=0
timeout "${T_BENCH:-90}" "$PY" benchmarks/gpu_bench.py . bench 2>&1 | tee "$OUT/bench.log"
if [ -n "${BASE:-}" ]; then  # a before/after on this machine: BASE holds an older minitorch
    stamp "benchmarks of the tree in $BASE"
    timeout "${T_BENCH:-90}" "$PY" benchmarks/gpu_bench.py "$BASE" bench_base 2>&1 | tee -a "$OUT/bench.log"
fi

stamp "peak GPU memory, one nanoGPT-size fp32 training step"
timeout "${T_MEMORY:-30}" "$PY" - <<'EOF' 2>&1
import json, os, sys
sys.path.insert(0, "benchmarks")
import cupy, torch, minitorch
from workloads import make_gpt_train
size = dict(batch=64, block=256, n_layer=6, n_head=6, n_embd=384)
pool = cupy.get_default_memory_pool()
pool.free_all_blocks()
step = make_gpt_train(minitorch, "cuda", **size)
for _ in range(2):
    step()
mt = pool.total_bytes()  # the pool's high-water mark: what it holds after the peak
del step
pool.free_all_blocks()
torch.cuda.reset_peak_memory_stats()
step = make_gpt_train(torch, "cuda", **size)
for _ in range(2):
    step()
pt = torch.cuda.max_memory_reserved()
out = {"minitorch_pool_bytes": mt, "pytorch_max_reserved_bytes": pt, "ratio": mt / pt}
print(f"peak GPU memory: minitorch {mt / 2**20:.0f} MiB, pytorch {pt / 2**20:.0f} MiB, "
      f"ratio {mt / pt:.2f}x (target <= 2x)")
json.dump(out, open(os.path.join(os.environ["OUT"], "memory.json"), "w"))
EOF

stamp "summary"
"$PY" - <<'EOF'
import json, os, re
out = os.environ["OUT"]
def load(name):
    try:
        return json.load(open(os.path.join(out, name)))
    except (OSError, ValueError):
        return {}
targets = {"W1 train": 1.0, "W1 b4096": 1.0, "W3 train": 0.8, "nanoGPT fp32": 0.8}
def ratio(r):
    m, p = r["minitorch"]["median"], r.get("pytorch", {}).get("median")
    return (m / p if r["unit"] in ("steps/s", "tokens/s") else p / m) if p else float("nan")
base = load("bench_base.json")
print("| workload | unit | minitorch | pytorch | ratio (>1: minitorch faster) | target |"
      + (" base tree: minitorch / pytorch, ratio |" if base else ""))
print("|---|---|---|---|---|---|" + ("---|" if base else ""))
for name, r in load("bench.json").items():
    if "error" in r:
        print(f"| {name} | | FAILED: {r['error'][:60]} | | | |")
        continue
    m, p, unit = r["minitorch"]["median"], r.get("pytorch", {}).get("median"), r["unit"]
    t = targets.get(name)
    verdict = "" if t is None else (f">= {t}x " + ("met" if ratio(r) >= t else "NOT met"))
    b = base.get(name, {})
    before = "" if not base else " FAILED |" if "minitorch" not in b else (
        f" {b['minitorch']['median']:,.2f} / {b['pytorch']['median']:,.2f}, {ratio(b):.2f}x |")
    print(f"| {name} | {unit} | {m:,.2f} | {p:,.2f} | {ratio(r):.2f}x | {verdict} |{before}")
mem = load("memory.json")
if mem:
    print(f"| peak memory nanoGPT | MiB | {mem['minitorch_pool_bytes'] / 2**20:,.0f} | "
          f"{mem['pytorch_max_reserved_bytes'] / 2**20:,.0f} | {mem['ratio']:.2f}x | <= 2x "
          + ("met" if mem["ratio"] <= 2 else "NOT met") + " |")
for stage in ("tests_a", "tests_c", "tests_b"):
    try:
        text = open(os.path.join(out, stage + ".log")).read()
    except OSError:
        continue
    counts = re.findall(r"(\d+ (?:passed|failed|skipped|error|errors|deselected))", text)
    tail = text.strip().splitlines()[-1] if text.strip() else ""
    print(f"{stage}: {', '.join(counts[-4:]) or 'no summary (timed out?)'} ({tail})")
EOF
stamp "done"
