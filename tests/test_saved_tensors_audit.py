"""Which tensors an op saves for backward, compared with PyTorch through its OpInfo samples
(float64): after the forward, one input that requires grad (or the first output) is bumped
in place (``mul_(1)``: same values, a new version), then backward runs. PyTorch raises its
"modified by an inplace operation" error exactly when the op saved that tensor; minitorch
must raise (or not) alike. The ops listed are those whose saved tensors were made
PyTorch's; each sample and each bump must agree.

Needs torch and expecttest (imported by PyTorch's test internals); skipped without them."""

from __future__ import annotations

import pytest

pytest.importorskip("expecttest", reason="PyTorch's OpInfo database imports expecttest")

import opinfo_harness as H  # noqa: E402

import minitorch  # noqa: E402

OPS = (
    "gather",
    "take_along_dim",
    "cummax",
    "cummin",
    "sort",
    "topk",
    "quantile",
    "nanquantile",
    "kron",
    "einsum",
    "linalg.vander",
    "ldexp",
    "nan_to_num",
    "fmax",
    "fmin",
    "nn.functional.threshold",
    "nn.functional.prelu",
    "nn.functional.hardsigmoid",
    "nn.functional.hardswish",
    "nn.functional.max_pool1d",
    "nn.functional.max_pool2d",
    "nn.functional.max_pool3d",
    "nn.functional.avg_pool1d",
    "nn.functional.avg_pool2d",
    "nn.functional.fractional_max_pool2d",
    "nn.functional.multi_margin_loss",
    "nn.functional.multilabel_margin_loss",
)
SAMPLES = 3  # per op
BUMPS = ("out", 0, 1, 2)


def _nonleaf(value, memo: dict, tensor: type):
    """Each ``tensor`` that requires grad replaced by ``tensor * 1`` (a leaf cannot change
    in place), the same replacement wherever the tensor appears."""
    if isinstance(value, tensor):
        if id(value) not in memo:
            memo[id(value)] = value * 1 if value.requires_grad else value
        return memo[id(value)]
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(_nonleaf(v, memo, tensor) for v in value)
    if isinstance(value, dict):
        return {k: _nonleaf(v, memo, tensor) for k, v in value.items()}
    return value


def _outcome(fn, sample, mine: bool, bump, torch) -> str:
    """'ok', 'inplace' (the in-place error in backward) or what else happened."""
    lib = minitorch if mine else torch
    args, kwargs = H._arguments(sample, torch, mine)
    leaves = [t for t in H._tensors((args, kwargs), torch) if t.requires_grad]
    memo: dict = {}
    args, kwargs = _nonleaf((args, kwargs), memo, lib.Tensor)
    inputs = [memo[id(t)] for t in leaves]
    try:
        out = H._run(fn, args, kwargs, lib)
    except Exception as e:  # noqa: BLE001 (the outcome compared)
        return "forward " + type(e).__name__
    outs = [t for t in H._tensors(out, torch) if t.requires_grad and t.dtype.is_floating_point]
    if not outs:
        return "no output"
    if bump != "out" and bump >= len(inputs):
        return "no input"
    (outs[0] if bump == "out" else inputs[bump]).mul_(1)
    try:
        H._gradients(out, leaves, torch, mine)
    except RuntimeError as e:
        return "inplace" if "inplace operation" in str(e) else "error " + str(e)[:60]
    return "ok"


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", OPS)
def test_saved_tensors_are_pytorchs(name, torch):
    (info,) = [i for i in H.op_db() if H.full_name(i) == name]
    fn = H.function_variant(info, torch)
    torch.manual_seed(0)
    samples = H._inputs(info, torch.float64, True, "sample", SAMPLES)
    found = []
    for i, sample in enumerate(samples):
        for bump in BUMPS:
            theirs = _outcome(info.op, sample, False, bump, torch)
            ours = _outcome(fn, sample, True, bump, torch)
            if ours != theirs:
                found.append(f"sample {i} bump={bump}: torch {theirs}, minitorch {ours}")
    assert not found, "\n".join(found)
