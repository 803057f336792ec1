"""Random calls of ``torch.nn.utils``, run with real PyTorch (the oracle) and with minitorch,
on small random models and parameter lists (shapes 0-d, empty and 2-d, float32 and float64,
parameters whose ``.grad`` is None, gradients holding NaN or inf, listed twice, not
contiguous). A seed draws one family:

* ``clip``: clip_grad_norm_ (max_norm, norm_type 1/2/inf/-inf/0/0.5/3 and strings,
  error_if_nonfinite, foreach; a tensor, a list, a tuple or a generator, read by one or two
  calls; float16/bfloat16 gradients too), the deprecated clip_grad_norm, clip_grad_value_,
  get_total_norm (None entries) and clip_grads_with_norm_;
* ``vector``: parameters_to_vector / vector_to_parameters (sizes, dtypes, non-tensors,
  non-contiguous parameters, the gradient through the vector);
* ``parametrize``: register_parametrization of small parametrizations (with or without
  right_inverse, several originals, dtype or shape changes with and without ``unsafe``,
  stacked ones, a parametrization with its own parameter), cached(), assignment through
  right_inverse, remove_parametrizations (leave_parametrized True/False), is_parametrized,
  type_before_parametrizations, deepcopy, pickling, transfer_parametrizations_and_params,
  functional_call of the parametrized or the original name, a forward hook registered
  before the class swap;
* ``norms``: parametrizations.weight_norm / spectral_norm / orthogonal and the hook-based
  weight_norm / spectral_norm and their removal (outputs in train and eval, state_dict keys,
  values and metadata, gradients, a second normalization, assignment through right_inverse,
  deepcopy, a user's forward pre hook registered first);
* ``prune``: identity, l1/random_unstructured, ln/random_structured, custom_from_mask,
  global_unstructured, importance scores, remove, is_pruned, a pruned state_dict loaded
  into a fresh module, deepcopy (names, masks, forward values, gradients of the original,
  the hooks and what a user's pre hook sees);
* ``fusion``: fuse_conv_bn_eval (transpose too) and fuse_linear_bn_eval;
* ``functional``: torch.func.functional_call and nn.utils.stateless.functional_call (a dict
  or a tuple of dicts, strict, tie_weights, args and kwargs, gradients through the given
  tensors);
* ``misc``: skip_init and convert_conv2d/3d_weight_memory_format.

Compared (``fuzz_compare.assert_tree``): values, gradients, state_dict keys and values,
parameter and buffer names, flags, warnings (category and first words) and errors (type and
PyTorch's first words). Seeds are fixed, so a failure names a program that can be replayed
with ``describe(seed)``."""

# the calls are lambdas run at once, in the loop pass that made them
# ruff: noqa: B023, E731
from __future__ import annotations

import copy
import importlib
import math
import pickle
import random
import warnings

import numpy as np
import pytest
from fuzz_compare import assert_arrays_close, assert_error_same, assert_tree

import minitorch

SEEDS = range(400)
FAMILIES = ("clip", "clip", "vector", "parametrize", "parametrize", "norms", "norms", "prune",
            "prune", "fusion", "functional", "misc")  # fmt: skip
SHAPES = ((), (0,), (3,), (2, 3), (3, 3), (1, 0, 2), (4,), (2, 1, 2))


# ---- observation ---------------------------------------------------------------------------
def _text(s) -> str:
    return str(s).replace("minitorch", "torch")


def _array(t):
    if t is None:
        return None
    if not hasattr(t, "dtype"):
        return ("value", _text(t))
    values = np.array(t.detach().double().tolist() if t.is_floating_point() else t.tolist())
    return ("tensor", _text(t.dtype), tuple(t.shape), t.requires_grad, values.reshape(tuple(t.shape)))  # fmt: skip


def _error(e: Exception) -> tuple:
    return ("error", type(e).__name__, _text(e))


def _warnings(caught) -> list:
    return [(w.category.__name__, _text(w.message).split("\n")[0][:40]) for w in caught]


def _named(m) -> list:
    return [
        [(n, _array(p)) for n, p in m.named_parameters()],
        [(n, _array(b)) for n, b in m.named_buffers()],
        [(k, _array(v)) for k, v in m.state_dict().items()],
    ]


def _grads(m) -> list:
    return [(n, _array(p.grad)) for n, p in m.named_parameters()]


def _attempt(out: list, fn) -> bool:
    """Appends ``fn()``'s outcome (or its error) to ``out``; says whether it ran."""
    try:
        out.append(fn())
        return True
    except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
        out.append(_error(e))
        return False


def _randn(T, rng, shape, dtype):
    return T.tensor(rng.standard_normal(shape).round(2), dtype=dtype)


def _dtype(T, r):
    return r.choice([T.float32, T.float32, T.float64])


def _backward(T, y, rng):
    """A weighted sum of ``y`` (fixed weights) run backward."""
    w = T.tensor(np.cos(np.arange(y.numel())).reshape(tuple(y.shape)), dtype=y.dtype)
    (y * w).sum().backward()


# ---- clip ----------------------------------------------------------------------------------
def _params(T, r, rng) -> list:
    dtype = _dtype(T, r) if r.random() < 0.9 else r.choice([T.float16, T.bfloat16])
    out = []
    for _ in range(r.randint(0, 4)):
        dt = dtype if r.random() < 0.85 else _dtype(T, r)
        p = T.nn.Parameter(_randn(T, rng, r.choice(SHAPES), dt))
        k = r.random()
        if k < 0.2:
            pass  # no gradient
        elif k < 0.3:
            p.grad = T.zeros_like(p)
        else:
            p.grad = _randn(T, rng, tuple(p.shape), dt) * r.choice([1.0, 1.0, 10.0, 0.01])
            if p.dim() == 2 and r.random() < 0.2:  # a non-contiguous gradient
                p.grad = _randn(T, rng, tuple(p.shape)[::-1], dt).t()
            if p.numel() and r.random() < 0.15:
                p.grad.view(-1)[0] = r.choice([math.nan, math.inf, -math.inf])
        out.append(p)
    if out and r.random() < 0.15:  # a parameter listed twice (its gradient counted twice)
        out.append(r.choice(out))
    return out


def family_clip(T, r, rng) -> list:
    U = T.nn.utils
    params = _params(T, r, rng)
    form = r.choice(["list", "list", "tuple", "generator", "tensor"])
    if form == "tensor" and params:
        target = params[0]
    elif form == "generator":  # read by the first call; a second one finds it empty
        target = (p for p in params)
    else:
        target = tuple(params) if form == "tuple" else list(params)
    out = [form]
    for _ in range(r.choice([1, 1, 2])):
        fn = r.choice(["norm", "norm", "norm", "value", "total", "with_norm", "deprecated"])
        max_norm = r.choice([1.0, 0.5, 0.0, -1.0, 100.0, 2, 1e-8, "2.5", "x"])
        norm_type = r.choice([2, 2.0, 1, 1.0, math.inf, -math.inf, 0, 0.5, 3, "inf", "-inf",
                              "2", "fro"])  # fmt: skip
        kwargs = {}
        if r.random() < 0.6:
            kwargs["foreach"] = r.choice([None, True, False])
        if fn in ("norm", "deprecated", "total"):
            kwargs["error_if_nonfinite"] = r.random() < 0.4
        out += [fn, max_norm, norm_type, kwargs]
        if fn == "norm":
            call = lambda: _array(U.clip_grad_norm_(target, max_norm, norm_type=norm_type, **kwargs))  # fmt: skip
        elif fn == "deprecated":
            call = lambda: _array(U.clip_grad_norm(target, max_norm, norm_type, **kwargs))
        elif fn == "value":
            clip = r.choice([0.5, 1.0, 0.0, -1.0, 3, 1e-3, "x"])
            out.append(clip)
            call = lambda: U.clip_grad_value_(target, clip, **kwargs)
        elif fn == "total":
            grads = [p.grad for p in params if p.grad is not None or r.random() < 0.2]  # None too
            if form == "tensor" and grads:
                grads = grads[0]
            call = lambda: _array(U.get_total_norm(grads, norm_type, **kwargs))
        else:
            total = r.choice([T.tensor(3.0), T.tensor(0.25, dtype=T.float64), T.tensor(math.inf),
                              T.tensor(0.0), 3.0])  # fmt: skip
            out.append(_array(total))
            call = lambda: U.clip_grads_with_norm_(target, max_norm, total, **kwargs)
        _attempt(out, call)
        out.append([_array(p.grad) for p in params])
    return out


# ---- vector --------------------------------------------------------------------------------
def family_vector(T, r, rng) -> list:
    U = T.nn.utils
    dtype = _dtype(T, r) if r.random() < 0.9 else r.choice([T.float16, T.bfloat16])
    params = []
    for _ in range(r.randint(0, 4)):
        shape = r.choice(SHAPES)
        t = _randn(T, rng, shape, dtype if r.random() < 0.9 else _dtype(T, r))
        if len(shape) == 2 and r.random() < 0.2:  # a non-contiguous parameter
            t = _randn(T, rng, shape[::-1], t.dtype).t()
        params.append(T.nn.Parameter(t, requires_grad=r.random() < 0.8))
    if r.random() < 0.1:
        params.append(r.choice([1.0, None, [1.0]]))
    out = []
    form = r.choice(["list", "generator", "tuple"])
    given = (p for p in params) if form == "generator" else (tuple(params) if form == "tuple" else params)  # fmt: skip
    if not _attempt(out, lambda: _array(U.parameters_to_vector(given))):
        vec = None
    else:
        vec = U.parameters_to_vector(params)
        out.append(type(vec.grad_fn).__name__ if vec.grad_fn is not None else None)
        if vec.requires_grad and r.random() < 0.4:
            _attempt(out, lambda: (_backward(T, vec * vec, rng), [_array(p.grad) for p in params])[1])  # fmt: skip
    total = sum(p.numel() for p in params if hasattr(p, "numel"))
    kind = r.choice(["same", "short", "long", "double", "float", "int", "list", "2d", "grad",
                     "empty"])  # fmt: skip
    if kind == "list":
        new = [1.0] * total
    elif kind == "int":
        new = T.arange(total)
    elif kind == "2d":
        new = T.arange(float(total)).reshape(1, total)
    elif kind == "empty":
        new = T.zeros(0)
    else:
        n = total + {"short": -1, "long": 2}.get(kind, 0)
        new = _randn(T, rng, (max(n, 0),), {"double": T.float64, "float": T.float32}.get(kind, dtype))  # fmt: skip
        if kind == "grad":
            new.requires_grad_()
    out.append(kind)
    # PyTorch checks the vector's type only; parameters that are not tensors fail inside
    ps = [p for p in params if hasattr(p, "numel")] if r.random() < 0.8 else params
    _attempt(out, lambda: U.vector_to_parameters(new, ps))
    out.append([_array(p) if hasattr(p, "numel") else _text(p) for p in params])
    out.append([type(p).__name__ for p in params])
    if vec is not None and kind == "same" and r.random() < 0.5:  # the parameters share vec's memory
        with T.no_grad():
            new.mul_(2)
        out.append([_array(p) for p in ps])
    return out


# ---- parametrize ---------------------------------------------------------------------------
def _parametrizations(T) -> dict:
    class Double(T.nn.Module):
        def forward(self, X):
            return X * 2

        def right_inverse(self, X):
            return X / 2

    class Neg(T.nn.Module):
        def forward(self, X):
            return -X

    class Sym(T.nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

    class Pair(T.nn.Module):
        def forward(self, A, B):
            return A * B

        def right_inverse(self, X):
            return X.sign() + 2, X / (X.sign() + 2)

    class Widen(T.nn.Module):
        def forward(self, X):
            return X.double()

    class Flat(T.nn.Module):
        def forward(self, X):
            return X.reshape(-1)

        def right_inverse(self, X):
            return X

    class BadInverse(T.nn.Module):
        def forward(self, X):
            return X + 1

        def right_inverse(self, X):
            return 3

    class NotImpl(T.nn.Module):
        def forward(self, X):
            return X.exp()

        def right_inverse(self, X):
            raise NotImplementedError

    class Nothing(T.nn.Module):
        def forward(self, X):
            return None

    class Reshaped(T.nn.Module):
        """A right_inverse that changes the shape (refused unless unsafe)."""

        def forward(self, X):
            return X.reshape(-1)[: X.numel()].reshape(X.shape)

        def right_inverse(self, X):
            return X.reshape(-1)

    class Scaled(T.nn.Module):
        """A parametrization with its own parameter and buffer."""

        def __init__(self) -> None:
            super().__init__()
            self.s = T.nn.Parameter(T.tensor(1.5))
            self.register_buffer("shift", T.tensor(0.25))

        def forward(self, X):
            return X * self.s + self.shift

    return {"Double": Double, "Neg": Neg, "Sym": Sym, "Pair": Pair, "Widen": Widen,
            "Flat": Flat, "BadInverse": BadInverse, "NotImpl": NotImpl, "Nothing": Nothing,
            "Scaled": Scaled, "Reshaped": Reshaped}  # fmt: skip


def _holder(T, r, rng):
    class Holder(T.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            dtype = _dtype(T, r)
            self.weight = T.nn.Parameter(_randn(T, rng, r.choice([(3, 3), (3, 3), (2, 3), (3,), (), (0, 2)]), dtype))  # fmt: skip
            self.register_buffer("buf", _randn(T, rng, (2, 2), dtype))

        def forward(self, x):
            return (self.weight * x).sum() + self.buf.sum()

    return Holder()


def family_parametrize(T, r, rng) -> list:
    P = T.nn.utils.parametrize
    kinds = _parametrizations(T)
    m = _holder(T, r, rng)
    if r.random() < 0.15:
        m.weight.requires_grad_(False)
    log = []
    if r.random() < 0.3:  # a hook registered before the class swap: still called, sees the value
        m.register_forward_hook(lambda mod, args, y: log.append([_array(mod.weight), _array(y)]))
    out = []
    for _ in range(r.randint(1, 3)):
        name = r.choice(["weight", "weight", "weight", "buf", "nope"])
        kind = r.choice(list(kinds))
        unsafe = r.random() < 0.3
        out.append([name, kind, unsafe])
        _attempt(out, lambda: P.register_parametrization(m, name, kinds[kind](), unsafe=unsafe) and None)  # fmt: skip
    out += [P.is_parametrized(m), P.is_parametrized(m, "weight"), P.is_parametrized(m, "buf"),
            type(m).__name__, P.type_before_parametrizations(m).__name__]  # fmt: skip
    _attempt(out, lambda: _named(m))
    _attempt(out, lambda: [_array(m.weight), _array(m.buf)])
    x = T.tensor(1.5, dtype=T.float64)
    for _ in range(r.randint(1, 3)):
        op = r.choice(["backward", "cached", "assign", "remove", "remove", "load", "repr",
                       "copy", "transfer", "functional", "pickle", "originals"])  # fmt: skip
        out.append(op)
        if op == "backward":

            def backward():
                m.zero_grad()
                _backward(T, m.weight * m.weight, rng)
                return _grads(m)

            _attempt(out, backward)
        elif op == "cached":

            def cached():
                with P.cached():
                    same = m.weight is m.weight
                    y = m(x)
                y.backward()
                return [same, _array(y), _grads(m)]

            _attempt(out, cached)
        elif op == "assign":
            name = r.choice(["weight", "buf"])
            value = _randn(T, rng, tuple(getattr(m, name).shape) if r.random() < 0.8 else (5,), m.buf.dtype)  # fmt: skip

            def assign():
                with T.no_grad():
                    setattr(m, name, value)
                return _named(m)

            _attempt(out, assign)
        elif op == "remove":
            name = r.choice(["weight", "weight", "buf"])
            leave = r.random() < 0.6
            out.append([name, leave])
            _attempt(out, lambda: P.remove_parametrizations(m, name, leave_parametrized=leave) and None)  # fmt: skip
            out += [type(m).__name__, P.is_parametrized(m)]
            _attempt(out, lambda: _named(m))
        elif op == "load":
            sd = {k: v.clone() * 0.5 for k, v in m.state_dict().items()}
            _attempt(out, lambda: _text(m.load_state_dict(sd)))
            _attempt(out, lambda: _named(m))
        elif op == "copy":

            def deep():
                c = copy.deepcopy(m)
                return [type(c).__name__, _named(c), _array(c.weight), c.weight is m.weight]

            _attempt(out, deep)
        elif op == "transfer":

            def transfer():
                to = _holder(T, random.Random(0), np.random.default_rng(0))
                P.transfer_parametrizations_and_params(m, to, r.choice([None, "weight", "buf"]))
                return [type(to).__name__, _named(to), _array(to.weight)]

            _attempt(out, transfer)
        elif op == "functional":
            name = r.choice(["parametrizations.weight.original", "weight", "buf"])
            value = T.ones_like(getattr(m, name.split(".")[-1], m.buf)).requires_grad_()

            def functional():
                y = T.func.functional_call(m, {name: value}, (x,))
                y.backward()
                return [_array(y), _array(value.grad), _named(m)]

            _attempt(out, functional)
        elif op == "pickle":
            _attempt(out, lambda: len(pickle.dumps(m)) > 0)
        elif op == "originals":

            def originals():
                plist = m.parametrizations["weight"]
                names = [n for n, _ in plist.named_parameters()]
                return [type(plist).__name__, len(plist), [type(q).__name__ for q in plist],
                        names, [_array(t) for _, t in plist.named_parameters()],
                        plist.unsafe if hasattr(plist, "unsafe") else None]  # fmt: skip

            _attempt(out, originals)
        else:
            out.append(_text(repr(m)))
    return out + [log]


# ---- norms ---------------------------------------------------------------------------------
def _layer(T, r):
    dtype = _dtype(T, r)
    kind = r.choice(["linear", "linear", "conv1d", "conv2d", "convt1d", "convt2d", "embedding"])
    if kind == "linear":
        m = T.nn.Linear(r.randint(1, 4), r.randint(1, 4), bias=r.random() < 0.8)
        x = (r.randint(1, 3), m.in_features)
    elif kind == "conv1d":
        m = T.nn.Conv1d(2, r.randint(1, 3), 2)
        x = (2, 2, 4)
    elif kind == "conv2d":
        m = T.nn.Conv2d(2, r.randint(1, 3), (2, 1))
        x = (1, 2, 3, 3)
    elif kind == "convt2d":
        m = T.nn.ConvTranspose2d(r.randint(1, 2), 2, (1, 2))
        x = (1, m.in_channels, 2, 2)
    elif kind == "convt1d":
        m = T.nn.ConvTranspose1d(2, r.randint(1, 3), 2)
        x = (2, 2, 3)
    else:
        m = T.nn.Embedding(4, r.randint(1, 3))
        return m.to(dtype), ("index", T.tensor([[0, 3, 1]]))
    return m.to(dtype), x


def _input(T, rng, spec, dtype):
    return spec[1] if spec[0] == "index" else _randn(T, rng, spec, dtype)


def family_norms(T, r, rng) -> list:
    U = T.nn.utils
    pz = U.parametrizations
    m, spec = _layer(T, r)
    dtype = m.weight.dtype
    how = r.choice(["weight_norm", "spectral_norm", "orthogonal", "old_weight_norm",
                    "old_spectral_norm"])  # fmt: skip
    name = r.choice(["weight"] * 6 + ["bias", "nope"])
    kwargs = {}
    if how in ("weight_norm", "old_weight_norm"):
        kwargs["dim"] = r.choice([0, 0, 1, -1, None, 2, 3])
    elif how == "orthogonal":
        kwargs["orthogonal_map"] = r.choice([None, "matrix_exp", "cayley", "householder", "bogus"])  # fmt: skip
        kwargs["use_trivialization"] = r.random() < 0.7
    else:
        kwargs["n_power_iterations"] = r.choice([1, 2, 0, -1])
        kwargs["eps"] = r.choice([1e-12, 1e-3])
        kwargs["dim"] = r.choice([None, None, 0, 1])
    out = [type(m).__name__, _text(dtype), how, name, kwargs]
    fn = {"weight_norm": pz.weight_norm, "spectral_norm": pz.spectral_norm,
          "orthogonal": pz.orthogonal, "old_weight_norm": U.weight_norm,
          "old_spectral_norm": U.spectral_norm}[how]  # fmt: skip
    log = []
    if r.random() < 0.3:  # a user's pre hook registered first: the weight it sees
        m.register_forward_pre_hook(lambda mod, args: log.append(_array(getattr(mod, name, None))))
    T.manual_seed(r.randint(0, 99))
    if not _attempt(out, lambda: type(fn(m, name, **kwargs)).__name__):
        return out
    out.append(_named(m))
    for _ in range(r.randint(1, 3)):
        op = r.choice(["forward", "forward", "eval", "remove", "load", "again", "copy",
                       "metadata", "assign"])  # fmt: skip
        out.append(op)
        if op == "forward":

            def forward():
                m.zero_grad()
                y = m(_input(T, rng, spec, dtype))
                _backward(T, y, rng)
                buffers = [(n, _array(b)) for n, b in m.named_buffers()]
                return [_array(y), _grads(m), buffers, log[-1:]]

            _attempt(out, forward)
        elif op == "eval":

            def evaluate():
                m.eval()
                with T.no_grad():
                    y = m(_input(T, rng, spec, dtype))
                m.train()
                return _array(y)

            _attempt(out, evaluate)
        elif op == "load":
            sd = {k: v.clone() for k, v in m.state_dict().items()}
            _attempt(out, lambda: _text(m.load_state_dict(sd)))
            _attempt(out, lambda: _named(m))
        elif op == "again":  # a second normalization of the same tensor
            T.manual_seed(1)
            _attempt(out, lambda: type(fn(m, name, **kwargs)).__name__)
            _attempt(out, lambda: _named(m))
        elif op == "copy":

            def deep():
                c = copy.deepcopy(m)
                c.eval()
                with T.no_grad():
                    y = c(_input(T, rng, spec, dtype))
                return [type(c).__name__, _named(c), _array(y)]

            _attempt(out, deep)
        elif op == "assign":  # through right_inverse (an orthogonal matrix for orthogonal)
            shape = tuple(getattr(m, name).shape) if hasattr(getattr(m, name, None), "shape") else (1,)  # fmt: skip
            value = _randn(T, rng, shape, dtype)
            if how == "orthogonal" and len(shape) == 2 and r.random() < 0.7:
                q = np.linalg.qr(rng.standard_normal((max(shape), min(shape))))[0]
                value = T.tensor(q if shape[0] >= shape[1] else q.T, dtype=dtype)

            def assign():
                with T.no_grad():
                    setattr(m, name, value)
                return [_named(m), _array(getattr(m, name))]

            _attempt(out, assign)
        elif op == "metadata":
            meta = m.state_dict()._metadata
            out.append(sorted((k, sorted(v.items())) for k, v in meta.items()))
        else:
            if how == "old_weight_norm":
                call = lambda: U.remove_weight_norm(m, name)
            elif how == "old_spectral_norm":
                call = lambda: U.remove_spectral_norm(m, name)
            else:
                leave = r.random() < 0.7
                out.append(leave)
                call = lambda: U.parametrize.remove_parametrizations(
                    m, name, leave_parametrized=leave
                )
            _attempt(out, lambda: type(call()).__name__)
            _attempt(out, lambda: _named(m))
    return out


# ---- prune ---------------------------------------------------------------------------------
def _amount(r):
    return r.choice([0.3, 0.5, 0.0, 1.0, 1, 2, 0, 100, -1, 1.5, "a"])


def family_prune(T, r, rng) -> list:
    # PyTorch's torch.nn.utils does not import its prune module
    prune = importlib.import_module(f"{T.__name__}.nn.utils.prune")
    T.manual_seed(r.randint(0, 99))
    layers = [_layer(T, r) for _ in range(r.randint(1, 2))]
    layers = [(m, x) for m, x in layers if not isinstance(m, T.nn.Embedding)]
    layers = layers or [(T.nn.Linear(3, 2), (2, 3))]
    mods = [m for m, _ in layers]
    specs = {id(m): x for m, x in layers}
    out = [[type(m).__name__ for m in mods]]
    log = []
    if r.random() < 0.3:  # a user's pre hook, before the pruning ones: it sees the old weight
        for i, m in enumerate(mods):
            m.register_forward_pre_hook(lambda mod, args, i=i: log.append((i, _array(mod.weight))))
    for _ in range(r.randint(1, 4)):
        m = r.choice(mods)
        name = r.choice(["weight", "weight", "weight", "bias", "nope"])
        op = r.choice(["l1", "l1", "random", "ln", "random_structured", "mask", "identity",
                       "global", "remove", "is_pruned", "load", "copy"])  # fmt: skip
        amount = _amount(r)
        out.append([op, mods.index(m), name, amount])
        seed = r.randint(0, 99)
        T.manual_seed(seed)
        scores = None
        if r.random() < 0.2 and hasattr(getattr(m, name, None), "shape"):
            shape = tuple(getattr(m, name).shape) if r.random() < 0.8 else (7,)
            scores = T.tensor(rng.permutation(int(np.prod(shape))).reshape(shape).astype(float), dtype=T.float32)  # fmt: skip
        if op == "l1":
            call = lambda: prune.l1_unstructured(m, name, amount, importance_scores=scores)
        elif op == "random":
            call = lambda: prune.random_unstructured(m, name, amount)
        elif op == "ln":
            n = r.choice([1, 2, math.inf, -math.inf, "fro", 0])
            dim = r.choice([0, 1, -1, 5])
            out.append([n, dim])
            call = lambda: prune.ln_structured(m, name, amount, n, dim, importance_scores=scores)
        elif op == "random_structured":
            dim = r.choice([0, 1, -1])
            out.append(dim)
            call = lambda: prune.random_structured(m, name, amount, dim)
        elif op == "mask":
            shape = tuple(getattr(m, name).shape) if hasattr(getattr(m, name, None), "shape") else (2,)  # fmt: skip
            if r.random() < 0.15:
                shape = (9,)
            mask = T.tensor(rng.random(shape) < 0.6)
            if r.random() < 0.5:
                mask = mask.float()
            call = lambda: prune.custom_from_mask(m, name, mask)
        elif op == "identity":
            call = lambda: prune.identity(m, name)
        elif op == "global":
            pairs = [(mm, r.choice(["weight", "weight", "bias"])) for mm in mods]
            pairs = [(mm, n) for mm, n in pairs if getattr(mm, n, None) is not None]
            method = r.choice([prune.L1Unstructured, prune.RandomUnstructured, prune.LnStructured])
            out.append([[(mods.index(mm), n) for mm, n in pairs], method.__name__])
            given = None
            if r.random() < 0.3:
                given = {p: T.tensor(rng.permutation(getattr(*p).numel()).reshape(tuple(getattr(*p).shape)).astype(float), dtype=T.float32) for p in pairs[:1]}  # fmt: skip
            call = lambda: prune.global_unstructured(pairs, pruning_method=method, importance_scores=given, amount=amount)  # fmt: skip
        elif op == "load":  # the pruned module's state into a fresh one, and back
            fresh = copy.deepcopy(m)
            for k in list(fresh._forward_pre_hooks):
                del fresh._forward_pre_hooks[k]
            sd = m.state_dict()

            def call():
                res = fresh.load_state_dict(sd, strict=r.random() < 0.5)
                return _text(res)

        elif op == "copy":

            def call():
                c = copy.deepcopy(m)
                y = c(_randn(T, rng, specs[id(m)], m.weight.dtype if hasattr(m, "weight") else T.float32))  # fmt: skip
                return [_named(c), _array(y), prune.is_pruned(c)]

        elif op == "remove":
            call = lambda: prune.remove(m, name)
        else:
            call = lambda: prune.is_pruned(m)
        _attempt(out, lambda: (lambda v: v if isinstance(v, (bool, str, list)) else type(v).__name__)(call()))  # fmt: skip
        out.append([_named(mm) for mm in mods])
        out.append([len(mm._forward_pre_hooks) for mm in mods])
        if r.random() < 0.4:

            def forward():
                m.zero_grad()
                dtype = m.weight.dtype if hasattr(m, "weight") else T.float32
                y = m(_randn(T, rng, specs[id(m)], dtype))
                _backward(T, y, rng)
                return [_array(y), _grads(m), log[-2:]]

            _attempt(out, forward)
    return out


# ---- fusion --------------------------------------------------------------------------------
def family_fusion(T, r, rng) -> list:
    fusion = T.nn.utils.fusion
    T.manual_seed(r.randint(0, 99))
    dtype = _dtype(T, r)
    kind = r.choice(["conv1d", "conv2d", "convt2d", "linear", "linear"])
    c = r.randint(1, 3)
    if kind == "linear":
        layer = T.nn.Linear(3, c, bias=r.random() < 0.7)
        x = (2, 3)
    elif kind == "conv1d":
        layer = T.nn.Conv1d(2, c, 2, bias=r.random() < 0.7)
        x = (2, 2, 4)
    elif kind == "conv2d":
        layer = T.nn.Conv2d(2, c, 2, bias=r.random() < 0.7)
        x = (1, 2, 3, 3)
    else:
        layer = T.nn.ConvTranspose2d(2, c, 2, bias=r.random() < 0.7)
        x = (1, 2, 2, 2)
    features = c if r.random() < 0.85 else c + 1
    bn_cls = T.nn.BatchNorm1d if kind in ("linear", "conv1d") else T.nn.BatchNorm2d
    bn = bn_cls(features, affine=r.random() < 0.7, track_running_stats=r.random() < 0.85)
    with T.no_grad():
        if bn.running_mean is not None:
            bn.running_mean.copy_(_randn(T, rng, (features,), T.float32))
            bn.running_var.copy_(T.tensor(rng.random(features) + 0.5, dtype=T.float32))
        if bn.affine:
            bn.weight.copy_(_randn(T, rng, (features,), T.float32))
            bn.bias.copy_(_randn(T, rng, (features,), T.float32))
    layer, bn = layer.to(dtype), bn.to(dtype if r.random() < 0.8 else _dtype(T, r))
    if r.random() < 0.85:
        layer.eval(), bn.eval()
    if r.random() < 0.15:
        layer.weight.requires_grad_(False)
    out = [kind, features, _text(dtype)]
    if kind == "linear":
        call = lambda: fusion.fuse_linear_bn_eval(layer, bn)
    else:
        transpose = kind == "convt2d" if r.random() < 0.85 else kind != "convt2d"
        out.append(transpose)
        call = lambda: fusion.fuse_conv_bn_eval(layer, bn, transpose=transpose)
    try:
        fused = call()
    except Exception as e:  # noqa: BLE001
        return out + [_error(e)]
    out += [type(fused).__name__, fused.training, _named(fused), _named(layer)]
    xin = _randn(T, rng, x, dtype)
    _attempt(out, lambda: _array(fused(xin)))
    _attempt(out, lambda: _array(bn(layer(xin))))
    return out


# ---- functional_call -----------------------------------------------------------------------
def family_functional(T, r, rng) -> list:
    T.manual_seed(r.randint(0, 99))

    class Net(T.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lin = T.nn.Linear(3, 2)
            self.bn = T.nn.BatchNorm1d(2)
            self.register_buffer("scale", T.tensor(2.0))
            if r.random() < 0.4:
                self.tied = self.lin.weight

        def forward(self, x, shift=0.0):
            return self.bn(self.lin(x)) * self.scale + shift

    net = Net()
    names = [n for n, _ in net.named_parameters(remove_duplicate=False)]
    names += [n for n, _ in net.named_buffers()]
    given = {}
    for n in names:
        if r.random() < 0.4:
            t = dict(net.named_parameters(remove_duplicate=False), **dict(net.named_buffers()))[n]
            v = t.detach() * 0.5 + 1 if t.is_floating_point() else t + 3
            given[n] = v.requires_grad_() if v.is_floating_point() and r.random() < 0.5 else v
    extra = r.choice([None, None, "bogus", "nonTensor", "lin.weight.bad", ""])
    if extra == "nonTensor":
        given["lin.bias"] = [1.0, 2.0]
    elif extra is not None:
        given[extra] = T.ones(1)
    dicts = given
    if r.random() < 0.25:
        keys = list(given)
        split = r.randint(0, len(keys))
        second = {k: given[k] for k in keys[split:]}
        if keys and r.random() < 0.3:
            second[keys[0]] = given[keys[0]]
        dicts = ({k: given[k] for k in keys[:split]}, second)
    kwargs = {}
    if r.random() < 0.5:
        kwargs["strict"] = r.random() < 0.4
    if r.random() < 0.5:
        kwargs["tie_weights"] = r.random() < 0.6
    # not 2 rows: a training BatchNorm of two rows gives +-1 whatever its input, its input's
    # gradient is rounding noise
    x = _randn(T, rng, (r.choice([3, 4]), 3), T.float32)
    args = r.choice(["tensor", "tuple", "kwargs"])
    out = [sorted(given), type(dicts).__name__, kwargs, args]
    if r.random() < 0.3:
        net.eval()
    call = T.func.functional_call if r.random() < 0.7 else T.nn.utils.stateless.functional_call

    def run():
        if args == "tensor":
            y = call(net, dicts, x, **kwargs)
        elif args == "tuple":
            y = call(net, dicts, (x,), **kwargs)
        else:
            y = call(net, dicts, (x,), {"shift": 1.0}, **kwargs)
        _backward(T, y, rng)
        # the linear layer's bias before a training BatchNorm: its gradient is zero in exact
        # arithmetic, rounding noise here (not compared)
        noise = "lin.bias" if net.training else None
        leaves = [v for k, v in given.items() if k != noise and getattr(v, "requires_grad", False)]  # fmt: skip
        return [
            _array(y),
            [_array(v.grad) for v in leaves],
            [g for g in _grads(net) if g[0] != noise],
        ]

    _attempt(out, run)
    out.append(_named(net))
    return out


# ---- misc ----------------------------------------------------------------------------------
def family_misc(T, r, rng) -> list:
    U = T.nn.utils
    out = []
    if r.random() < 0.5:
        cls = r.choice([T.nn.Linear, T.nn.Conv1d, T.nn.ReLU, T.nn.Embedding, int, T.nn.LayerNorm])  # fmt: skip
        args = {T.nn.Linear: (3, 2), T.nn.Conv1d: (2, 3, 2), T.nn.ReLU: (),
                T.nn.Embedding: (4, 2), int: (), T.nn.LayerNorm: (3,)}[cls]  # fmt: skip
        kwargs = {}
        if r.random() < 0.5:
            kwargs["dtype"] = _dtype(T, r)
        if r.random() < 0.3:
            kwargs["device"] = "cpu"
        out += [cls.__name__, _text(kwargs)]

        def skip():
            m = U.skip_init(cls, *args, **kwargs)
            return [type(m).__name__, _text(repr(m)),
                    [(n, _text(p.dtype), tuple(p.shape), p.requires_grad, _text(p.device))
                     for n, p in m.named_parameters()]]  # fmt: skip

        _attempt(out, skip)
        return out
    T.manual_seed(0)
    three = r.random() < 0.3
    conv = T.nn.Conv3d(2, 3, 1) if three else T.nn.Conv2d(2, 3, 2)
    model = T.nn.Sequential(conv, T.nn.ReLU(), T.nn.ConvTranspose2d(3, 2, 1), T.nn.Linear(2, 2))
    fmt = r.choice([T.channels_last, T.contiguous_format, T.channels_last_3d, T.preserve_format])
    fn = U.convert_conv3d_weight_memory_format if three else U.convert_conv2d_weight_memory_format
    out.append([three, _text(fmt)])

    def convert():
        res = fn(model, fmt)
        return [res is model, [(n, tuple(p.stride()), p.is_contiguous(), _array(p))
                               for n, p in model.named_parameters()]]  # fmt: skip

    _attempt(out, convert)
    return out


FAMILY_FNS = {"clip": family_clip, "vector": family_vector, "parametrize": family_parametrize,
              "norms": family_norms, "prune": family_prune, "fusion": family_fusion,
              "functional": family_functional, "misc": family_misc}  # fmt: skip


def family(seed: int) -> str:
    return random.Random(seed).choice(FAMILIES)


def describe(seed: int) -> str:
    return f"seed {seed}: {family(seed)}"


def run(T, seed: int) -> list:
    r = random.Random(seed)
    name = r.choice(FAMILIES)
    rng = np.random.default_rng(seed)
    T.manual_seed(seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = FAMILY_FNS[name](T, r, rng)
        except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
            out = [_error(e)]
    return [out, _warnings(caught)]


TOLERANCE = {"torch.float64": (1e-7, 1e-9), "torch.float32": (2e-4, 2e-5),
             "torch.float16": (2e-3, 1e-3), "torch.bfloat16": (1e-2, 8e-3)}  # fmt: skip


def compare_tensor(actual, expected, where: str, floor: str = "torch.float64") -> None:
    """Same dtype, shape and requires_grad; values within the dtype's tolerance (or
    ``floor``'s) relative to the tensor's scale (float32 sums of another order differ in their
    last bits)."""
    assert isinstance(actual, tuple) and actual[:4] == expected[:4], (where, actual, expected)
    rtol, atol = np.maximum(TOLERANCE.get(expected[1], (0.0, 0.0)), TOLERANCE[floor])
    e = expected[4]
    finite = np.abs(e[np.isfinite(e)]) if e.dtype.kind == "f" else e
    scale = max(1.0, float(finite.max())) if finite.size else 1.0
    assert_arrays_close(actual[4], e, rtol, atol * scale, where)


def compare_error(actual, expected, where: str) -> None:
    assert_error_same(actual, expected, where)


def _dtypes(tree) -> set:
    if isinstance(tree, tuple) and tree[:1] == ("tensor",):
        return {tree[1]}
    return set().union(*map(_dtypes, tree)) if isinstance(tree, list) else set()


def assert_agree(ours, theirs, where: str) -> None:
    """The trees agree; where PyTorch's holds float32 tensors, its float64 ones may come from
    float32 operands (a total norm of mixed gradients) and are compared as float32."""
    floor = "torch.float32" if "torch.float32" in _dtypes(theirs) else "torch.float64"
    assert_tree(ours, theirs, where, lambda a, e, w: compare_tensor(a, e, w, floor), compare_error)


def _lists(tree):
    """Tuples that are not outcomes become lists, so that assert_tree walks into them."""
    if isinstance(tree, tuple) and not (tree and tree[0] in ("tensor", "error")):
        return [_lists(x) for x in tree]
    if isinstance(tree, list):
        return [_lists(x) for x in tree]
    return tree


@pytest.mark.parametrize("seed", SEEDS)
def test_random_nn_utils_call_matches_pytorch(torch, seed):
    assert_agree(_lists(run(minitorch, seed)), _lists(run(torch, seed)), describe(seed))
