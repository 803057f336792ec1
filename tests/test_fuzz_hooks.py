"""Random autograd-hook programs, run with real PyTorch (the oracle) and with minitorch: a
small graph over three leaves (ops with one or several outputs, a leaf that only some
branches reach, a Function that drops a gradient), then random hooks: tensor hooks that
record, scale or return None, ``retain_grad``, node pre-hooks and hooks, post-accumulate-grad
hooks on leaves, ``register_multi_grad_hook`` (mode "all" and "any"), then a random way to
differentiate (``backward``, ``backward(inputs=...)``, ``autograd.grad`` with
``allow_unused``/``materialize_grads``/``grad_outputs``, twice with ``retain_graph``). The
outcome (the order of hook events with their gradients, the leaves' ``.grad``, results, or
the error's type and first words) must be the same. Seeds are fixed, so a failure names a
program that can be replayed with ``describe(seed)``."""

from __future__ import annotations

import random

import numpy as np
import pytest
from test_sweep25_main import _drop_first  # x * y whose backward gives x no gradient

import minitorch

SEEDS = range(200)

OPS = {  # (op, number of operands); each makes one pool tensor (multi-output ops: a tuple)
    "mul": (lambda T, x, y: x * y, 2),
    "add": (lambda T, x, y: x + y, 2),
    "exp": (lambda T, x: (x * 0.5).exp(), 1),
    "sum_keep": (lambda T, x: x.sum(0, keepdim=True) * x, 1),
    "split": (lambda T, x: x.split(2), 1),
    "unbind": (lambda T, x: x.unbind(0), 1),
    "detach": (lambda T, x: x.detach() * 2, 1),
    "view": (lambda T, x: x.view(2, 2), 1),
    "drop": (None, 2),  # a Function that gives its first input no gradient
    "clone": (lambda T, x: x.clone(), 1),
    "slice": (lambda T, x: x[1:3], 1),
    "cat": (lambda T, x, y: T.cat([x[:2], y[2:]]), 2),
    "where": (lambda T, x, y: T.where(x > 0, x, y), 2),
    "mul_": (lambda T, x: x.mul_(1.5) if not x.is_leaf else x * 1.5, 1),  # in place (non-leaf)
    "chunk": (lambda T, x: x.chunk(2), 1),
    "sort": (lambda T, x: x.sort().values, 1),
}
HOOKS = ("record", "scale", "none", "retain_grad", "node_prehook", "node_hook", "post_accumulate",
         "multi_all", "multi_any", "record", "scale", "removed")  # fmt: skip
MODES = ("backward", "backward(inputs)", "grad", "grad allow_unused", "grad materialize",
         "grad_outputs", "backward twice")  # fmt: skip


def program(seed: int) -> dict:
    r = random.Random(seed)
    steps, n = [], 3
    for _ in range(r.randint(2, 6)):
        name = r.choice(list(OPS))
        arity = OPS[name][1]
        steps.append((name, tuple(r.randrange(n) for _ in range(arity)), r.randrange(2)))
        n += 1
    hooks = [(r.choice(HOOKS), r.randrange(n), r.randrange(n)) for _ in range(r.randint(1, 5))]
    return {"steps": steps, "hooks": hooks, "mode": r.choice(MODES), "n": n}


def describe(seed: int) -> str:
    p = program(seed)
    steps = ", ".join(f"{name}{tuple(f'p{i}' for i in at)}" for name, at, _ in p["steps"])
    return f"{p['mode']}: {steps}; hooks {p['hooks']}"


def _values(t):
    if t is None:
        return None
    if isinstance(t, (tuple, list)):
        return [_values(x) for x in t]
    return [
        f"{v:.6g}" for v in np.round(np.array(t.detach().tolist(), dtype=float), 5).ravel() + 0.0
    ]


def _pick(v, which: int):
    """One tensor of a pool entry (a multi-output op's entry is a tuple)."""
    return v[which % len(v)] if isinstance(v, tuple) else v


def run(T, seed: int) -> list:
    p = program(seed)
    rng = np.random.default_rng(seed)
    leaves = [T.tensor(rng.standard_normal(4), requires_grad=True) for _ in range(3)]
    pool: list = list(leaves)
    events: list = []
    out: list = []
    try:
        for name, at, which in p["steps"]:
            args = [_pick(pool[i], which) for i in at]
            args = [
                a if a.dim() == 1 and a.numel() == 4 else a.reshape(-1).repeat(4)[:4] for a in args
            ]
            if name == "drop":
                pool.append(_drop_first(T).apply(*args))
            else:
                pool.append(OPS[name][0](T, *args))
        for k, (kind, i, j) in enumerate(p["hooks"]):
            t = _pick(pool[i], j)
            tag = f"{kind}{k}@p{i}"
            if kind == "record":
                t.register_hook(lambda g, tag=tag: events.append((tag, _values(g))))
            elif kind == "scale" and t.requires_grad:
                t.register_hook(lambda g, tag=tag: (events.append((tag, _values(g))), g * 2)[1])
            elif kind == "none" and t.requires_grad:
                t.register_hook(lambda g, tag=tag: events.append((tag, "seen")))
            elif kind == "removed" and t.requires_grad:
                t.register_hook(
                    lambda g, tag=tag: events.append((tag, "removed hook ran"))
                ).remove()
            elif kind == "retain_grad":
                t.retain_grad()
            elif kind in ("node_prehook", "node_hook") and t.grad_fn is not None:
                if kind == "node_prehook":
                    t.grad_fn.register_prehook(
                        lambda go, tag=tag: events.append((tag, _values(go)))
                    )
                else:
                    t.grad_fn.register_hook(
                        lambda gi, go, tag=tag: events.append((tag, _values(gi), _values(go)))
                    )
            elif kind == "post_accumulate" and t.is_leaf and t.requires_grad:
                t.register_post_accumulate_grad_hook(
                    lambda x, tag=tag: events.append((tag, _values(x.grad)))
                )
            elif kind in ("multi_all", "multi_any"):
                other = _pick(pool[j], i)
                ts = [x for x in (t, other) if x.requires_grad]
                if ts:
                    mode = kind[6:]
                    T.autograd.graph.register_multi_grad_hook(
                        ts, lambda gs, tag=tag: events.append((tag, _values(gs))), mode=mode
                    )
        finals = [_pick(v, 0) for v in pool[3:]] or leaves
        weights = [float(w) for w in rng.uniform(-1, 1, len(finals))]
        loss = sum(((f * w) ** 2).sum() for f, w in zip(finals, weights))
        out.append(_values(loss))
        if not loss.requires_grad:
            return out + [events]
        mode = p["mode"]
        if mode.startswith("grad"):
            kwargs = {}
            if mode == "grad allow_unused":
                kwargs["allow_unused"] = True
            elif mode == "grad materialize":
                kwargs["materialize_grads"] = True
            targets, outputs = leaves, loss
            if mode == "grad_outputs":
                outputs = [f for f in finals if f.requires_grad][:2]
                kwargs = {
                    "grad_outputs": [T.ones_like(f) * 3 for f in outputs],
                    "allow_unused": True,
                }
            grads = T.autograd.grad(outputs, targets, **kwargs)
            out.append(_values(list(grads)))
        else:
            inputs = [leaves[0], leaves[2]] if mode == "backward(inputs)" else None
            loss.backward(inputs=inputs, retain_graph=mode == "backward twice")
            if mode == "backward twice":
                loss.backward()
            out.append([_values(x.grad) for x in leaves])
        retained = [
            _pick(v, j) for kind, i, j in p["hooks"] if kind == "retain_grad" for v in [pool[i]]
        ]
        out.append([_values(t.grad) for t in retained if not t.is_leaf])
    except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
        out.append(("error", type(e).__name__, str(e)[:100]))
    return out + [events]


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("seed", SEEDS)
def test_random_hook_program_matches_pytorch(torch, seed):
    assert run(minitorch, seed) == run(torch, seed), describe(seed)
