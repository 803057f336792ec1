"""Session 19 sweep (the lead's own programs), run with real PyTorch (the oracle) and with
minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import numpy as np
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


@program
def sum_and_mean_over_dims_of_size_one_are_new_tensors(torch):
    """A sum over dims of size 1 holds the input's values, but is a tensor of its own: an
    in-place change of it leaves the input alone (a (1, n) input of n >= 4096 elements once
    came back as a view of the input)."""
    x = torch.ones(1, 4096)
    y = torch.ones(2, 1, 4096)
    results = [x.sum(0), x.mean(0), y.sum(1), y.mean(1, keepdim=True), x.sum((0,))]
    for r in results:
        r.add_(1)
    return [x, y] + results


@program(tol={"rtol": 1e-5, "atol": 1e-6})
def cross_entropy_gradients_of_class_indices(torch):
    """cross_entropy's raw-array backward without the dense target distribution: weights,
    label smoothing, ignored targets, K-d inputs and every reduction."""
    rng = np.random.default_rng(3)
    out = []
    for shape, tshape in (((6, 5), (6,)), ((5,), ()), ((3, 4, 2, 3), (3, 2, 3))):
        for weight in (None, rng.random(shape[0] if len(shape) == 1 else shape[1])):
            for smoothing in (0.0, 0.2):
                for reduction in ("mean", "sum", "none"):
                    x = torch.tensor(rng.standard_normal(shape) * 4, requires_grad=True)
                    t = rng.integers(0, x.shape[0 if len(shape) == 1 else 1], tshape)
                    if t.ndim:
                        t.reshape(-1)[0] = -100
                    w = None if weight is None else torch.tensor(weight)
                    loss = torch.nn.functional.cross_entropy(
                        x, torch.tensor(t), weight=w, label_smoothing=smoothing, reduction=reduction
                    )
                    loss.backward(torch.ones_like(loss) * 0.5)
                    out += [loss, x.grad]
    return out


def _outcome(fn, *args):
    """A call's result, or its error's type and words."""
    try:
        return fn(*args)
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared
        return f"{type(e).__name__}: {e}"


@program
def python_ints_beyond_int64_as_scalars(torch):
    """PyTorch's Scalar is an int64 or a uint64 whatever the tensor's dtype: beyond them an
    OverflowError (a bool tensor once stored 2**70 as True, a float one added it), and a
    uint64 promotes with no bool (a bool tensor once gave a wrapped int64 in where)."""
    t, m, f = torch.zeros(3, dtype=torch.bool), torch.tensor([True, False, True]), torch.ones(3)
    calls = {
        "fill_": lambda v: t.clone().fill_(v),
        "masked_fill": lambda v: t.masked_fill(m, v),
        "index_fill": lambda v: t.index_fill(0, torch.tensor([0]), v),
        "scatter": lambda v: t.scatter(0, torch.tensor([0]), v),
        "where bool": lambda v: torch.where(m, t, v),
        "where float": lambda v: torch.where(m, f, v),
        "where scalars": lambda v: torch.where(m, v, 1),
        "where scalars, other order": lambda v: torch.where(m, 1, v),
        "where with a float scalar": lambda v: torch.where(m, v, 1.5),
        "where int32": lambda v: torch.where(m, torch.zeros(3, dtype=torch.int32), v),
        "bool + v": lambda v: t + v,
        "v * bool": lambda v: v * t,
        "bool == v": lambda v: t == v,
        "float + v": lambda v: f + v,
        "float < v": lambda v: f < v,
        "int64 + v": lambda v: torch.ones(3, dtype=torch.int64) + v,
    }
    values = (5, -1, 2**40, 2**63 + 5, 2**70, -(2**63) - 1)
    return [_outcome(call, v) for call in calls.values() for v in values]
