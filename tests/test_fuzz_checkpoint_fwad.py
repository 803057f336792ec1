"""Random programs of activation checkpointing and of forward-mode AD, run with real PyTorch
(the oracle) and with minitorch.

Checkpoint programs: ``torch.utils.checkpoint.checkpoint`` of a function built from a random
chain (elementwise ops, dropout and random draws, an in-place op, a hook on an intermediate
tensor, a Linear or a BatchNorm in train or eval mode), with or without ``use_reentrant``,
``preserve_rng_state``, a non-tensor or keyword argument, a second argument that does or does
not require grad, outputs that are a tensor, a tuple (with a non-tensor) or a list, nested
checkpoints, ``checkpoint_sequential`` of an ``nn.Sequential``, ``determinism_check``,
``context_fn``; then differentiated by ``backward`` (once, twice with or without
``retain_graph``), ``autograd.grad``, called under ``no_grad`` or on a dual tensor. Compared: outputs, flags,
gradients of inputs and parameters, running statistics, how often a hook ran, the random
stream after the forward and after the backward, the warnings (category and first words)
and the error (type and first words).

Forward-AD programs: a dual tensor (``make_dual`` in a ``dual_level``) through a random chain
of ops (elementwise, reductions, matmul, views, in-place ops on duals, on views of duals and
on plain tensors given a dual, indexing, cat/stack, softmax, ``nn.functional`` layers), maybe
under ``no_grad``, then ``unpack_dual`` (its named fields), the tangent after the level
closed, or the errors of a bad tangent (dtype, shape, integer) and of nested levels; also
forward-over-reverse (the tangent of a gradient) and ``torch.func.jvp`` /
``torch.autograd.functional.jvp`` of the chain. Compared: primals and tangents (float64,
with a tolerance), errors and warnings.

Seeds are fixed, so a failure names a program that can be replayed with ``describe(seed)``.
"""

from __future__ import annotations

import random
import warnings

import numpy as np
import pytest

import minitorch

SEEDS = range(160)

CK_OPS = ("sin", "relu", "dropout", "rand_add", "inplace", "mul_y", "scale", "hook", "exp",
          "sum_keep", "tanh")  # fmt: skip
CK_MODULES = (None, None, "linear", "batchnorm", "bn_eval")
CK_OUTS = ("tensor", "tensor", "tuple", "tuple_number", "list", "detached")
CK_YS = ("none", "tensor", "tensor_grad", "number", "kwarg")
CK_MODES = ("backward", "backward", "retain_twice", "twice", "grad", "grad_inputs", "no_grad",
            "dual")  # fmt: skip
CK_HOWS = ("checkpoint", "checkpoint", "checkpoint", "nested", "sequential")

FW_OPS = ("sin", "exp", "tanh", "sigmoid", "mul_self", "add_scalar", "pow", "div", "sum0",
          "mean1", "amax1", "matmul", "matmul_dual", "t", "reshape", "slice", "unsqueeze_sum",
          "expand", "inplace_mul", "inplace_view", "inplace_plain", "index", "index_select",
          "cat", "stack", "softmax", "log_softmax", "linear", "conv1d", "relu", "gelu",
          "layer_norm", "dropout_eval", "abs", "clamp", "where", "cumsum", "norm", "flip",
          "logsumexp", "sqrt_abs", "masked_fill", "max_pool1d", "einsum")  # fmt: skip
FW_MODES = ("plain", "plain", "plain", "no_grad", "exit", "fields", "bad_dtype", "bad_shape",
            "int_tangent", "nested", "over_reverse", "func_jvp", "functional_jvp",
            "no_level", "tangent_requires_grad", "unpack_plain", "inplace_root", "dual_of_view",
            "strided_tangent", "detach", "to_float32", "two_duals", "backward", "data",
            "view_of_root")  # fmt: skip


def spec(seed: int) -> dict:
    """The random choices of program ``seed`` (even seeds: checkpoint, odd: forward AD)."""
    r = random.Random(seed)
    if seed % 2 == 0:
        return {
            "kind": "checkpoint",
            "reentrant": r.choice((True, False, False, None)),
            "ops": [r.choice(CK_OPS) for _ in range(r.randint(1, 4))],
            "module": r.choice(CK_MODULES),
            "out": r.choice(CK_OUTS),
            "x_grad": r.random() < 0.85,
            "y": r.choice(CK_YS),
            "preserve": r.choice((True, True, False, None)),
            "how": r.choice(CK_HOWS),
            "segments": r.randint(1, 3),
            "determinism": r.choice(("default", "default", "default", "none", "bogus")),
            "context_fn": r.random() < 0.15,
            "mode": r.choice(CK_MODES),
        }
    return {
        "kind": "forward_ad",
        "ops": [r.choice(FW_OPS) for _ in range(r.randint(1, 4))],
        "mode": r.choice(FW_MODES),
        "x_grad": r.random() < 0.3,
    }


def describe(seed: int) -> str:
    return ", ".join(f"{k}={v}" for k, v in spec(seed).items())


# ---- outcomes ---------------------------------------------------------------------------------
def _v(t):
    """A tensor's values (float64 numpy), shape and flag; None stays None."""
    if t is None:
        return None
    if not hasattr(t, "detach"):
        return ("value", t)
    return ("tensor", tuple(t.shape), np.array(t.detach().tolist(), dtype=float), t.requires_grad)


def _tangent(t):
    """A tangent's values and shape. Not its requires_grad: PyTorch's tangent of some ops
    (``h * 2``, ``cat``, ``where`` of a primal that requires grad) requires grad through a
    zero term of its formula, which minitorch's tangents (the exact derivative) lack."""
    return None if t is None else _v(t)[:3]


def _error(e: Exception) -> tuple:
    return ("error", type(e).__name__, " ".join(str(e).split()[:6]))


def _warned(caught) -> list:
    # PyTorch's own lazy imports (torch.func's first use) warn that torch.jit.script is
    # deprecated, once per process: not a warning of the program
    return [
        (w.category.__name__, " ".join(str(w.message).split()[:6]))
        for w in caught
        if "torch.jit" not in str(w.message)
    ]


def same(a, b, tol: float = 1e-6) -> bool:
    """Outcomes ``a`` and ``b`` agree (arrays to a tolerance, NaN equal to NaN)."""
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return a.shape == b.shape and np.allclose(a, b, rtol=tol, atol=tol, equal_nan=True)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y, tol) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


# ---- checkpoint programs ----------------------------------------------------------------------
_HOOKED: list = []  # what ran of a program's hooks and contexts


def _module(T, kind):
    if kind is None:
        return None
    if kind == "linear":
        m = T.nn.Linear(4, 4).double()
        with T.no_grad():
            m.weight.copy_(T.tensor(np.linspace(-1, 1, 16).reshape(4, 4)))
            m.bias.copy_(T.tensor([0.1, -0.2, 0.3, 0.0]))
        return m
    m = T.nn.BatchNorm1d(4).double()
    with T.no_grad():
        m.weight.copy_(T.tensor([1.0, 0.5, 2.0, -1.0]))
    return m.eval() if kind == "bn_eval" else m


def _body(T, s, module, hooked):
    """The checkpointed function ``f(x, y=None, scale=2.0)`` of spec ``s``."""

    def f(x, y=None, scale=2.0):
        h = x
        for op in s["ops"]:
            if op == "sin":
                h = h.sin()
            elif op == "relu":
                h = T.relu(h - 0.1)
            elif op == "dropout":
                h = T.nn.functional.dropout(h, 0.4, training=True)
            elif op == "rand_add":
                h = h + T.rand_like(h)
            elif op == "inplace":
                h = h * 1.5
                h.add_(0.25)
            elif op == "mul_y":
                h = h * (y if isinstance(y, T.Tensor) else 3.0)
            elif op == "scale":
                h = h * (scale if not isinstance(scale, T.Tensor) else scale.sum())
            elif op == "hook":  # raises in a reentrant forward (under no_grad)
                h = h * 2
                h.register_hook(lambda g: hooked.append("hook") or g * 3)
            elif op == "exp":
                h = (h * 0.5).exp()
            elif op == "sum_keep":
                h = h - h.sum(1, keepdim=True) * 0.1
            elif op == "tanh":
                h = h.tanh()
        if module is not None:
            h = module(h)
        out = s["out"]
        if out == "tuple":
            return h, h.cos()
        if out == "tuple_number":
            return h * 2, 7, "text"
        if out == "list":
            return [h, h.sum()]
        if out == "detached":
            return h.detach() * 1.0, h
        return h

    return f


def _sequential(T, s, module):
    layers = [T.nn.Tanh(), T.nn.Dropout(0.3), T.nn.Identity(), T.nn.ReLU()]
    if module is not None:
        layers.insert(1, module)
    return T.nn.Sequential(*layers)


def _call(T, s, fn, x, y):
    """Checkpoint ``fn`` as spec ``s`` says."""
    ck = T.utils.checkpoint
    kw = {}
    if s["reentrant"] is not None:
        kw["use_reentrant"] = s["reentrant"]
    if s["preserve"] is not None:
        kw["preserve_rng_state"] = s["preserve"]
    if s["how"] == "sequential":
        return ck.checkpoint_sequential(fn, s["segments"], x, **kw)
    if s["determinism"] != "default":
        kw["determinism_check"] = s["determinism"]
    if s["context_fn"]:  # contexts that say when they are entered (into the hook counts)
        from contextlib import contextmanager, nullcontext

        @contextmanager
        def entered(name):
            _HOOKED.append(name + " in")
            try:  # (PyTorch's early stop leaves the recomputation by an exception)
                yield
            finally:
                _HOOKED.append(name + " out")

        # the recomputation's context records nothing: PyTorch recomputes only where the
        # graph saved a tensor (h * 2, h + h save none), minitorch always (see the report)
        kw["context_fn"] = lambda: (entered("forward"), nullcontext())
    args = (x,)
    if s["y"] in ("tensor", "tensor_grad"):
        args = (x, y)
    elif s["y"] == "number":
        args = (x, None, 0.5)
    elif s["y"] == "kwarg":
        kw["scale"] = 0.5
    if s["how"] == "nested":
        inner = fn

        def fn(*a, **k):  # noqa: F811 (the outer function checkpoints the inner one)
            return ck.checkpoint(inner, *a, use_reentrant=s["reentrant"] is not False, **k)

    return ck.checkpoint(fn, *args, **kw)


def run_checkpoint(T, s, seed) -> list:
    rng = np.random.default_rng(seed)
    T.manual_seed(seed)
    x = T.tensor(rng.standard_normal((3, 4)), requires_grad=s["x_grad"])
    y = T.tensor(rng.standard_normal((3, 4)), requires_grad=s["y"] == "tensor_grad")
    if s["how"] == "nested" and s["reentrant"] is False and s["preserve"] is False:
        s = {**s, "preserve": True}  # (the number of recomputations differs: see below)
    if s["reentrant"] is False and s["preserve"] is False and "twice" in s["mode"]:
        # a second recomputation draws from where the first left the stream: after the last
        # saved tensor in PyTorch (early stop), after the whole function in minitorch
        s = {**s, "mode": "backward"}
    kind = s["module"]
    if kind == "batchnorm" and s["how"] == "nested" and s["reentrant"] is False:
        # how often a nested non-reentrant checkpoint recomputes depends in PyTorch on which
        # frame saved what (4 or 5 runs), in minitorch always 5: running stats would differ
        kind = "bn_eval"
    module = _module(T, kind)
    hooked = _HOOKED
    hooked.clear()
    fn = _sequential(T, s, module) if s["how"] == "sequential" else _body(T, s, module, hooked)
    out = []
    leaves = [x] + ([y] if s["y"] == "tensor_grad" else [])
    params = list(module.parameters()) if module is not None else []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if s["mode"] == "no_grad":
                with T.no_grad():
                    res = _call(T, s, fn, x, y)
            elif s["mode"] == "dual":  # x a dual tensor: the outputs' tangents
                fwAD = T.autograd.forward_ad
                with fwAD.dual_level():
                    res = _call(T, s, fn, fwAD.make_dual(x, T.ones_like(x) * 0.5), y)
                    outs = res if isinstance(res, (tuple, list)) else (res,)
                    out.append(("tangents", [_tangent(fwAD.unpack_dual(o).tangent)
                                             for o in outs if isinstance(o, T.Tensor)]))  # fmt: skip
                # no backward after: PyTorch's recomputation (outside the level) saves fewer
                # tensors than its forward did, a CheckpointError; minitorch's checkpoint of
                # a dual runs the function as it is (tangents flow), with nothing to recompute
                return out + [("warnings", _warned(caught))]
            else:
                res = _call(T, s, fn, x, y)
            outs = res if isinstance(res, (tuple, list)) else (res,)
            out.append((type(res).__name__, [_v(o) for o in outs]))
            out.append(("rng after forward", _v(T.rand(2))))
            tensors = [o for o in outs if isinstance(o, T.Tensor) and o.requires_grad]
            out.append(("hooks", list(hooked)))
            if tensors:
                loss = sum((o * (i + 1)).pow(2).sum() for i, o in enumerate(tensors))
                mode = s["mode"]
                if mode in ("grad", "grad_inputs"):
                    wrt = leaves + (params if mode == "grad" else [])
                    grads = T.autograd.grad(loss, wrt, allow_unused=True)
                    out.append(("grads", [_v(g) for g in grads]))
                else:
                    loss.backward(retain_graph=mode == "retain_twice")
                    if mode in ("retain_twice", "twice"):
                        loss.backward()
                    out.append(("grads", [_v(t.grad) for t in leaves + params]))
            out.append(("hooks", list(hooked)))
            if module is not None and hasattr(module, "running_mean"):
                out.append(("stats", _v(module.running_mean), _v(module.running_var),
                            int(module.num_batches_tracked)))  # fmt: skip
            if s["preserve"] is not False or s["reentrant"] is not False:
                # without preserve_rng_state PyTorch's non-reentrant recomputation stops after
                # the last saved tensor (early_stop), drawing less than minitorch's full one
                out.append(("rng after backward", _v(T.rand(2))))
        except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
            out.append(_error(e))
    out.append(("warnings", _warned(caught)))
    return out


# ---- forward-AD programs ----------------------------------------------------------------------
def _fw_op(T, op, h, aux):
    """``h`` (2-D, float64) through op ``op``; ``aux`` holds the dual made at the start."""
    F = T.nn.functional
    r, c = h.shape
    if op == "sin":
        return h.sin()
    if op == "exp":
        return (h * 0.3).exp()
    if op == "tanh":
        return T.tanh(h)
    if op == "sigmoid":
        return h.sigmoid()
    if op == "mul_self":
        return h * h
    if op == "add_scalar":
        return h + 1.5
    if op == "pow":
        return (h * h + 1).pow(1.5)
    if op == "div":
        return h / (h * h + 1)
    if op == "sum0":
        return h.sum(0, keepdim=True) + h
    if op == "mean1":
        return h.mean(1, keepdim=True) * h
    if op == "amax1":
        return h - h.amax(1, keepdim=True)
    if op == "matmul":
        return h @ T.linspace(-1, 1, c * 3, dtype=T.float64).reshape(c, 3)
    if op == "matmul_dual":
        return h @ h.t()
    if op == "t":
        return h.t()
    if op == "reshape":
        return h.reshape(c, r)
    if op == "slice":
        return h[:, 1:] if c > 1 else h[1:] if r > 1 else h
    if op == "unsqueeze_sum":
        return h.unsqueeze(0).sum(0)
    if op == "expand":
        return h[:1].expand(r, c) * h
    if op == "inplace_mul":
        g = h.clone()
        g.mul_(h)
        return g
    if op == "inplace_view":
        g = h.clone()
        g[0].mul_(3.0)
        g[:, 0].add_(h[:, -1])
        return g
    if op == "inplace_plain":
        g = T.ones(r, c, dtype=T.float64)
        g.add_(h)
        return g
    if op == "index":
        return h[[0, r - 1]]
    if op == "index_select":
        return h.index_select(1, T.tensor([c - 1, 0]))
    if op == "cat":
        return T.cat([h, h * 2], 0)
    if op == "stack":
        return T.stack([h, aux[:1].expand(r, c) if aux.shape[1] == c else h], 0).sum(0)
    if op == "softmax":
        return T.softmax(h, 1)
    if op == "log_softmax":
        return F.log_softmax(h, dim=0)
    if op == "linear":
        w = T.linspace(-1, 1, c * 2, dtype=T.float64).reshape(2, c)
        return F.linear(h, w, T.tensor([0.5, -0.5], dtype=T.float64))
    if op == "conv1d":
        w = T.linspace(-1, 1, r * 2 * 2, dtype=T.float64).reshape(2, r, 2)
        return F.conv1d(h.unsqueeze(0), w, padding=1)[0] if c >= 1 else h
    if op == "relu":
        return F.relu(h - 0.2)
    if op == "gelu":
        return F.gelu(h)
    if op == "layer_norm":
        return F.layer_norm(h, (c,)) if c > 1 else h
    if op == "dropout_eval":
        return F.dropout(h, 0.5, training=False)
    if op == "abs":
        return (h - 0.1).abs()
    if op == "clamp":
        return h.clamp(-0.5, 0.5)
    if op == "where":
        return T.where(h > 0, h, h * 0.1)
    if op == "cumsum":
        return h.cumsum(1)
    if op == "norm":
        return h / (h.norm() + 1)
    if op == "flip":
        return h.flip(0)
    if op == "logsumexp":
        return h.logsumexp(1, keepdim=True) - h
    if op == "sqrt_abs":
        return (h.abs() + 1).sqrt()
    if op == "masked_fill":
        return h.masked_fill(h < 0, 0.5)
    if op == "max_pool1d":
        return F.max_pool1d(h.unsqueeze(0), 2, 1)[0] if c >= 2 else h
    return T.einsum("ij,kj->ik", h, h)


def _chain(T, s, x):
    h = x
    for op in s["ops"]:
        h = _fw_op(T, op, h, x)
    return h


def run_forward_ad(T, s, seed) -> list:
    rng = np.random.default_rng(seed)
    fwAD = T.autograd.forward_ad
    primal = T.tensor(rng.standard_normal((3, 4)), requires_grad=s["x_grad"])
    tangent = T.tensor(rng.standard_normal((3, 4)))
    mode = s["mode"]
    out = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if mode == "func_jvp":
                p, t = T.func.jvp(lambda a: _chain(T, s, a), (primal.detach(),), (tangent,))
                out.append(("jvp", _v(p), _tangent(t)))
            elif mode == "functional_jvp":
                p, t = T.autograd.functional.jvp(lambda a: _chain(T, s, a), primal, tangent)
                out.append(("jvp", _v(p), _tangent(t)))
            elif mode == "no_level":
                fwAD.make_dual(primal, tangent)
            else:
                with fwAD.dual_level():
                    given = {"bad_dtype": tangent.float(), "bad_shape": tangent[:2],
                             "int_tangent": tangent.long(),
                             "tangent_requires_grad": tangent.clone().requires_grad_()}  # fmt: skip
                    dual = fwAD.make_dual(primal, given.get(mode, tangent))
                    if mode == "bad_dtype":  # PyTorch keeps the tangent's dtype: its ops
                        # then mix dtypes by formula (d + d: float32, d @ w: an error)
                        out.append(("dtype", str(fwAD.unpack_dual(dual).tangent.dtype)[-7:]))
                        return out
                    if mode == "nested":
                        with fwAD.dual_level():
                            pass
                    if mode == "dual_of_view":
                        dual = fwAD.make_dual(primal.detach().t(), tangent.t())
                    if mode == "strided_tangent":
                        dual = fwAD.make_dual(primal, tangent.t().contiguous().t())
                        out.append(("stride", fwAD.unpack_dual(dual).tangent.stride()))
                    if mode == "inplace_root":
                        dual = fwAD.make_dual(primal.detach().clone(), tangent)
                        dual.mul_(primal.detach().cos()).add_(dual.exp())
                    if mode == "view_of_root":
                        base = fwAD.make_dual(primal.detach().clone(), tangent)
                        base[1].mul_(3.0)
                        out.append(("base", _tangent(fwAD.unpack_dual(base).tangent)))
                        dual = base[:, 1:]
                    if mode == "detach":
                        out.append(("detach", _tangent(fwAD.unpack_dual(dual.detach()).tangent)))
                    if mode == "data":
                        out.append(("data", _tangent(fwAD.unpack_dual(dual.data).tangent)))
                    if mode == "to_float32":
                        low = fwAD.unpack_dual(dual.float())
                        out.append(("float", str(low.tangent.dtype)[-7:], _tangent(low.tangent)))
                    if mode == "two_duals":
                        other = fwAD.make_dual(tangent * 2, primal.detach().cos())
                        dual = dual * other + other.exp()
                    if mode == "unpack_plain":
                        out.append(("plain", _v(fwAD.unpack_dual(primal).tangent)))
                    if mode == "no_grad":
                        with T.no_grad():
                            y = _chain(T, s, dual)
                    else:
                        y = _chain(T, s, dual)
                    unpacked = fwAD.unpack_dual(y)
                    out.append(("dual", _v(unpacked.primal), _tangent(unpacked.tangent)))
                    out.append(("flags", y.requires_grad, unpacked.primal.requires_grad,
                                type(unpacked).__name__, unpacked._fields))  # fmt: skip
                    if mode == "fields":
                        p, t = unpacked
                        out.append(("unpack", p is unpacked.primal, _tangent(t)))
                    if mode == "backward" and y.requires_grad:
                        y.pow(2).sum().backward()
                        out.append(("grad", _v(primal.grad)))
                    if mode == "over_reverse":
                        (g,) = T.autograd.grad(y.pow(2).sum(), dual, create_graph=True)
                        out.append(("grad", _v(g), _tangent(fwAD.unpack_dual(g).tangent)))
                if mode == "exit":
                    out.append(("after exit", _v(fwAD.unpack_dual(y).tangent), _v(y)))
        except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
            out.append(_error(e))
    out.append(("warnings", _warned(caught)))
    return out


def run(T, seed: int) -> list:
    s = spec(seed)
    return run_checkpoint(T, s, seed) if s["kind"] == "checkpoint" else run_forward_ad(T, s, seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_checkpoint_and_forward_ad_match_pytorch(torch, seed):
    ours, theirs = run(minitorch, seed), run(torch, seed)
    assert same(ours, theirs), f"{describe(seed)}\nminitorch: {ours}\ntorch: {theirs}"
