"""Random autograd programs, run with real PyTorch (the oracle) and with minitorch: chains of
ops, views, in-place changes (of views and bases), detached operands and hooks on two leaves,
then first and second derivatives, accumulating backward calls, ``backward(inputs=...)``,
``retain_grad`` or ``autograd.grad`` with weights. The outcome of each program (values,
gradients, or the error's type and first words) must be the same. Seeds are fixed, so a
failure names a program that can be replayed with ``describe(seed)``."""

from __future__ import annotations

import random

import numpy as np
import pytest

import minitorch

SEEDS = range(160)

UNARY = {
    "exp": lambda T, x: (x * 0.3).exp(),
    "tanh": lambda T, x: x.tanh(),
    "sigmoid": lambda T, x: x.sigmoid(),
    "sin": lambda T, x: x.sin(),
    "relu": lambda T, x: x.relu(),
    "abs": lambda T, x: x.abs(),
    "sqrt": lambda T, x: (x.abs() + 1).sqrt(),
    "log": lambda T, x: (x.abs() + 1).log(),
    "square": lambda T, x: x * x,
    "cube": lambda T, x: x**3,
    "rpow": lambda T, x: 2 ** (x * 0.3),
    "asin": lambda T, x: (x * 0.2).asin(),
    "detach": lambda T, x: x.detach(),
    "data": lambda T, x: x.data * 1.5,
    "t": lambda T, x: x.t(),
    "rows": lambda T, x: x[1:].repeat(3, 1)[:3],
    "reshape": lambda T, x: x.reshape(9).view(3, 3),
    "unsqueeze": lambda T, x: x.unsqueeze(0).squeeze(0),
    "clone": lambda T, x: x.clone(),
    "softmax": lambda T, x: x.softmax(-1),
    "log_softmax": lambda T, x: T.nn.functional.log_softmax(x, 1),
    "cumsum": lambda T, x: x.cumsum(0),
    "flip": lambda T, x: x.flip(0),
    "tril": lambda T, x: x.tril(),
    "normalize": lambda T, x: x / (x.norm() + 1),
    "center": lambda T, x: x - x.mean(0, keepdim=True),
    "max": lambda T, x: x.max(1, keepdim=True)[0] + x * 0.5,
    "where": lambda T, x: T.where(x > 0, x, x * 0.1),
    "clamp": lambda T, x: x.clamp(-0.5, 0.7),
    "gelu": lambda T, x: T.nn.functional.gelu(x),
    "layer_norm": lambda T, x: T.nn.functional.layer_norm(x, (3,)),
    "split": lambda T, x: T.cat(x.split(1, 0)[::-1]),
    "unbind": lambda T, x: T.stack(x.unbind(1)[::-1], 1),
    "sort": lambda T, x: x.sort(1).values,
    "index_select": lambda T, x: x.index_select(0, T.tensor([2, 0, 0])),
    "prod": lambda T, x: x.prod(1, keepdim=True) * x,
    "logsumexp": lambda T, x: x.logsumexp(1, keepdim=True) - x,
    "softplus": lambda T, x: T.nn.functional.softplus(x),
}
BINARY = {
    "add": lambda T, x, y: x + y,
    "sub": lambda T, x, y: x - y,
    "mul": lambda T, x, y: x * y,
    "div": lambda T, x, y: x / (y.abs() + 1),
    "maximum": lambda T, x, y: T.maximum(x, y),
    "matmul": lambda T, x, y: x @ y,
    "atan2": lambda T, x, y: T.atan2(x, y.abs() + 0.5),
    "stack": lambda T, x, y: T.stack([x, y]).sum(0),
    "cat": lambda T, x, y: T.cat([x, y], 1)[:, 1:4],
    "lerp": lambda T, x, y: T.lerp(x, y, 0.3),
    "addcmul": lambda T, x, y: T.addcmul(x, x, y, value=0.5),
    "pow": lambda T, x, y: (x.abs() + 0.5) ** (y * 0.5),
}
INPLACE = {
    "mul_": lambda T, x: x.mul_(2),
    "add_": lambda T, x: x.add_(1),
    "exp_": lambda T, x: x.mul_(0.3).exp_(),
    "relu_": lambda T, x: x.relu_(),
    "sigmoid_": lambda T, x: x.sigmoid_(),
    "row_mul_": lambda T, x: x[0].mul_(3),
    "column_add_": lambda T, x: x[:, 1].add_(2),
    "t_mul_": lambda T, x: x.t().mul_(0.5),
    "setitem": lambda T, x: x.__setitem__((1, slice(None)), 0.25),
    "zero_": lambda T, x: x[2].zero_(),
    "copy_": lambda T, x: x[0].copy_(x[1]),
    "masked_fill_": lambda T, x: x.masked_fill_(x > 1, 0.5),
    "index_add_": lambda T, x: x.index_add_(0, T.tensor([1, 1]), x[:2].detach() * 2),
    "fill_diagonal_": lambda T, x: x.fill_diagonal_(0.1),
    "sub_detached_": lambda T, x: x.sub_(x.detach() * 0.5),
    "hook": lambda T, x: x.register_hook(lambda g: g * 2),
}
MODES = ("second order", "backward twice", "backward(inputs=...)", "autograd.grad", "retain_grad")


def program(seed: int):
    """The steps of program ``seed``: (kind, op name, operand indices) over a pool that starts
    with the two leaves; the loss weights; how its derivatives are taken."""
    r = random.Random(seed)
    steps, n = [], 2
    for _ in range(r.randint(3, 9)):
        k = r.random()
        if k < 0.45:
            steps.append(("unary", r.choice(list(UNARY)), (r.randrange(n),)))
            n += 1
        elif k < 0.75:
            steps.append(("binary", r.choice(list(BINARY)), (r.randrange(n), r.randrange(n))))
            n += 1
        else:
            steps.append(("inplace", r.choice(list(INPLACE)), (r.randrange(2, n) if n > 2 else 0,)))
    weights = [r.uniform(-1, 1) for _ in range(n)]
    return steps, weights, MODES[seed % len(MODES)]


def describe(seed: int) -> str:
    steps, _, mode = program(seed)
    return f"{mode}: " + ", ".join(f"{name}{tuple(f'p{i}' for i in at)}" for _, name, at in steps)


def _values(t, digits: int = 5):
    if t is None:
        return None
    try:
        values = np.array(t.detach().tolist())
    except RuntimeError as e:  # PyTorch's ZeroTensor (a known-zero gradient) has no storage
        assert "unallocated storage" in str(e)
        values = np.zeros(tuple(t.shape))
    # NaN == NaN, -0.0 == 0.0, and huge values compare in 9 significant digits (float64's
    # last bits depend on the order of a sum)
    return [f"{v:.9g}" for v in np.round(values, digits).ravel() + 0.0]


def _error(e: Exception) -> tuple:
    # the node PyTorch names in "modified by an inplace operation" depends on its execution
    # order among nodes whose saved tensors all changed; compare the message before it
    return ("error", type(e).__name__, str(e).split(", which is output")[0][:120])


def run(T, seed: int) -> list:
    steps, weights, mode = program(seed)
    rng = np.random.default_rng(seed)
    a = T.tensor(rng.standard_normal((3, 3)), requires_grad=True)
    b = T.tensor(rng.standard_normal((3, 3)), requires_grad=True)
    pool, out = [a, b], []
    try:
        for kind, name, at in steps:
            if kind == "unary":
                pool.append(UNARY[name](T, pool[at[0]]))
            elif kind == "binary":
                pool.append(BINARY[name](T, pool[at[0]], pool[at[1]]))
            else:
                INPLACE[name](T, pool[at[0]])
        if mode == "retain_grad":
            for p in pool[2:]:
                if p.requires_grad and not p.is_leaf:
                    p.retain_grad()
        loss = sum(w * p.sum() for w, p in zip(weights, pool))
        out.append(_values(loss))
        if not loss.requires_grad:
            return out
        if mode == "autograd.grad":
            outs = [p for p in pool[2:] if p.requires_grad][-2:]
            weights_out = [T.ones_like(o) * (i + 1) for i, o in enumerate(outs)]
            grads = T.autograd.grad(outs, (a, b), weights_out, allow_unused=True)
            return out + [[_values(g) for g in grads]]
        if mode != "second order":
            if mode == "backward twice":
                loss.backward(retain_graph=True)
                loss.backward()
            else:
                loss.backward(inputs=[b] if mode == "backward(inputs=...)" else None)
            kept = [t for t in pool if t.is_leaf or t.retains_grad]
            return out + [[_values(t.grad) for t in kept]]
        ga, gb = T.autograd.grad(loss, (a, b), create_graph=True, allow_unused=True)
        out.append([_values(ga), _values(gb)])
        firsts = [g for g in (ga, gb) if g is not None and g.requires_grad]
        if firsts:
            total = sum((g * g).sum() for g in firsts)
            out.append([_values(h, 4) for h in T.autograd.grad(total, (a, b), allow_unused=True)])
    except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
        out.append(_error(e))
    return out


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("seed", SEEDS)
def test_random_program_matches_pytorch(torch, seed):
    assert run(minitorch, seed) == run(torch, seed), describe(seed)
