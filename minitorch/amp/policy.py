"""autocast's per-op cast policies: the tables saying which dtype each op runs in.

``POLICY`` follows PyTorch's CUDA autocast lists, ``CPU_POLICY`` its CPU lists (which cast
far fewer ops: softmax, sum, exp, norms... run in their input's dtype there). Ops are named
by their Op class as ``"module.Class"`` relative to the minitorch package, so these tables
import nothing (and the core never imports ``nn``). An op that is not listed runs on its
inputs as they come: the binary ops already promote mixed inputs to the widest type. Losses
composed of several ops are cast to float32 as a whole by ``autocast_mode.float32_function``.
"""

from __future__ import annotations

LOWER = "lower"  # floating inputs are cast to the autocast dtype (float16)
FLOAT32 = "float32"  # floating inputs are cast to float32

POLICY = {
    # Matrix products and convolutions: fast in float16, and the kernels accumulate in float32.
    "ops.linalg.MatMul": LOWER,  # matmul, mm, bmm, @
    "ops.linalg.MatVec": LOWER,  # mv
    "ops.linear.Linear": LOWER,  # nn.functional.linear
    "ops.conv.Conv": LOWER,  # conv1d/2d
    "ops.conv.ConvInputGrad": LOWER,  # conv_transpose
    "ops.conv.ConvWeightGrad": LOWER,
    "ops.attention.Attention": LOWER,  # scaled_dot_product_attention (softmax in float32 inside)
    "ops.products.Einsum": LOWER,
    # Precision-sensitive: long sums, exponentials and logarithms, powers, normalisation.
    "ops.nn.Softmax": FLOAT32,
    "ops.nn.LogSoftmax": FLOAT32,
    "ops.loss.CrossEntropy": FLOAT32,
    "ops.loss.BinaryCrossEntropy": FLOAT32,
    "ops.norm.Normalize": FLOAT32,  # layer_norm, group_norm, batch_norm (training), rms_norm
    "ops.activation.Softplus": FLOAT32,
    "ops.reduce.Sum": FLOAT32,
    "ops.reduce.Mean": FLOAT32,
    "ops.reduce.Prod": FLOAT32,
    "ops.reduce.Cumsum": FLOAT32,
    "ops.reduce.Norm2": FLOAT32,
    "ops.elementwise.Exp": FLOAT32,
    "ops.elementwise.Log": FLOAT32,
    "ops.elementwise.Log1p": FLOAT32,
    "ops.elementwise.Pow": FLOAT32,
    "ops.elementwise.Rsqrt": FLOAT32,
    "ops.elementwise.Reciprocal": FLOAT32,
}

_LOWER_OPS = [k for k, v in POLICY.items() if v is LOWER and k != "ops.linalg.MatVec"]
# PyTorch 2.13's CPU lists (autocast_mode.cpp): addmm/baddbmm/addbmm and prelu are cast as
# wholes by lower_precision_function, the losses and cdist by float32_function.
CPU_POLICY = dict.fromkeys(_LOWER_OPS, LOWER) | {
    "ops.loss.CrossEntropy": FLOAT32,
    "ops.loss.BinaryCrossEntropy": FLOAT32,
    "ops.reduce.Prod": FLOAT32,
    "ops.layout.Trace": FLOAT32,
}

_by_class: dict = {}


def policy_named(op: str, device_type: str) -> str | None:
    """The policy of the op named ``op`` ("ops.conv.Conv") on a device type."""
    return (CPU_POLICY if device_type == "cpu" else POLICY).get(op)


def policy_of(cls: type, device_type: str) -> str | None:
    """LOWER, FLOAT32 or None (run as is) for an op class on a device type ("cpu" or
    "cuda"); user Functions are never cast."""
    try:
        return _by_class[cls, device_type]
    except KeyError:
        module = cls.__module__
        key = module[len("minitorch.") :] + "." + cls.__qualname__
        table = CPU_POLICY if device_type == "cpu" else POLICY
        policy = table.get(key) if module.startswith("minitorch.") else None
        _by_class[cls, device_type] = policy
        return policy
