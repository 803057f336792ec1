"""Switch points for the profiler, anomaly mode, batched (vectorized) backward and forward-mode
AD.

While ``active`` is False (always, unless one of them is on) ``Function.apply`` and the engine
pay one attribute check. When it is True, ``Function.apply`` calls ``before_forward`` and
``after_forward`` around every op and the engine runs each node through ``run_backward``.
"""

from __future__ import annotations

import os
import traceback
import warnings

import numpy as np

from .._tensor import make_tensor
from ._batching import BatchedArray, rows

active = False
anomaly = False  # detect_anomaly is on: nodes remember their forward stack
check_nan = False  # ... and backward outputs are checked for nan / inf
profiler = None  # the profile that is recording
batch_rows = 0  # > 0 while a vectorized jacobian runs backward on BatchedArray gradients
forward_ad = None  # forward_ad's follower of ops, while a dual level is open


_MACHINERY = {__file__, os.path.join(os.path.dirname(__file__), "function.py")}


def refresh() -> None:
    """Recomputes ``active`` after a switch changed."""
    global active
    active = anomaly or profiler is not None or batch_rows > 0 or forward_ad is not None


def before_forward(ctx, args) -> None:
    """Called before an op's forward while ``active``."""
    if profiler is not None:
        profiler._op_begin(ctx, args)


def after_forward(ctx, args, out) -> None:
    """Called after an op's forward while ``active``."""
    if anomaly and ctx._next:  # the op was recorded: ctx is a graph node
        stack = traceback.extract_stack()
        while stack and stack[-1].filename in _MACHINERY:  # end at the call of the op
            stack.pop()
        ctx._stack = stack
    if profiler is not None:
        profiler._op_end(ctx, out)
    if forward_ad is not None:
        forward_ad(ctx, args, out)


def run_backward(node, grads: list):
    """Runs ``node``'s backward (profiled, row by row when batching needs it, checked for
    nan in anomaly mode) and returns what it returned."""
    prof = profiler
    if prof is not None:
        event = prof._backward_begin(node)
    try:
        if batch_rows:
            out = _batched_backward(node, grads)
        else:
            out = type(node).backward(node, *grads)
    except Exception:
        if anomaly:
            _warn_forward_trace(node)
        raise
    finally:
        if prof is not None:
            prof._end(event)
    if check_nan:
        _check_finite(node, out)
    return out


def _batched_backward(node, grads: list):
    """One call on the batched gradients when every numpy call in the backward formula has a
    batching rule (built-in ops only); otherwise one call per row, stacked."""
    if node._raw:
        try:
            return type(node).backward(node, *grads)
        except Exception:  # no batching rule (or a real error, which the row loop raises again)
            pass
    n = batch_rows
    outs = [type(node).backward(node, *[_row(g, i) for g in grads]) for i in range(n)]
    single = type(outs[0]) is not tuple
    per_input = zip(*[(o,) if single else o for o in outs])
    stacked = tuple(_stack(gs, n) for gs in per_input)
    return stacked[0] if single else stacked


def _row(g, i: int):
    if g is None or type(g._data) is not BatchedArray:
        return g
    return make_tensor(g._data.phys[i])


def _stack(gs: tuple, n: int):
    if gs[0] is None:
        return None
    return make_tensor(BatchedArray(np.stack([g._data for g in gs])))


def _warn_forward_trace(node) -> None:
    """PyTorch's anomaly-mode warning: where the failing node was created in forward."""
    where = (
        f"Traceback of forward call that caused the error:\n"
        f"{''.join(traceback.format_list(node._stack))}"
        if node._stack
        else "No forward pass information available. Enable detect anomaly during forward "
        "pass for more information."
    )
    warnings.warn(f"Error detected in {node.name()}. {where}", stacklevel=3)


def _check_finite(node, out) -> None:
    for i, g in enumerate(out if type(out) is tuple else (out,)):
        if g is None:
            continue
        data = g._data.phys if rows(g._data) else g._data
        if data.dtype.kind not in "fc":
            continue
        for bad, test in (("nan", np.isnan), ("inf", np.isinf)):
            if test(data).any():
                stack = node._stack
                _warn_forward_trace(node)  # PyTorch warns (with the forward trace), then raises
                where = (
                    "\nTraceback of the forward call that created this node (most recent "
                    f"call last):\n{''.join(traceback.format_list(stack))}"
                    if stack
                    else ""
                )
                raise RuntimeError(
                    f"Function '{node.name()}' returned {bad} values in its {i}th output.{where}"
                )
