"""Random programs on the 'cuda' device against the CPU, on the fake cupy (tests/fake_cupy.py):
each program runs on the CPU, on the fake device with the generic op paths (``fused=False``)
and with the reference fused kernels on (``fused=True``); minitorch's CPU result is the oracle.

A program is a seed. "chain" programs start from float leaves and apply random steps to a pool
of tensors: elementwise ops (unary; binary with Python numbers, with broadcast partners and
with integer and bool tensors; comparisons, where, clamp, pow, floor division and remainder),
reductions with dims and keepdim, shape ops and views, gather/scatter and kin, basic and
advanced indexing and index assignment, in-place ops on clones and their views, matmul/bmm/
einsum, more tensor ops (sort/topk and kin, searchsorted, unique, nonzero, casts...), nn layers
(Linear, Conv1d/2d/transposed, pooling, Batch/Layer/Group/Instance/RMS norm, Embedding(Bag),
Dropout under a seed, activations, MultiheadAttention, scaled_dot_product_attention, RNNs,
interpolate, pad...) and losses (cross_entropy with ignore_index/label_smoothing/weights, nll,
mse, bce, bce_with_logits, smooth_l1, margin losses...); then the gradients of a weighted sum
of the pool with respect to the leaves and the layers' parameters (every third seed: and the
second-order ones). A step's parameters are drawn when it runs, from the shapes it meets, so
all runs draw the same (a divergence in shape shows first). Every seventh seed is a "train"
program: two steps of a small model (MLP, CNN, Conv1d, embedding bag, attention, LSTM,
Transformer layer) with a loss, SGD (momentum)/Adam/AdamW/RMSprop/Adagrad (foreach, fused or
maximize now and then), gradient clipping, an LR scheduler and, now and then, autocast +
GradScaler (with a scale that overflows float16 at first).

Compared: every step's values, dtypes, shapes, requires_grad and errors (type and message),
the device of every result ('cuda' on the device), the gradients, the trained parameters and
buffers; and on the device no host synchronisation (``host_syncs()``) where PyTorch's CUDA
path makes none: in a chain step but those PyTorch's makes too (boolean masks, ``.item()``,
nonzero/unique/masked_select and kin, prod/cumprod backward...), and in a training step but
GradScaler.step's one read of found_inf. Under autocast the device runs are compared with each
other (autocast's CPU op lists are not CUDA's). Seeds are fixed: ``describe(seed)`` lists a
program's steps."""

from __future__ import annotations

import contextlib
import functools
import math
import operator
import random
import warnings

import numpy as np
import pytest
from fake_cupy import host_syncs, installed
from fuzz_compare import assert_tensor_outcome, assert_tree, tensor_outcome

import minitorch
from minitorch.amp import autocast_mode, grad_scaler

SEEDS = range(500)  # ~20 ms each; seeds 0-4999 all agree
STEPS = (4, 10)

# The fake's generic paths compute with numpy as the CPU does, so they agree to the last bit
# but where an op takes another route on a device (MultiheadAttention, convolution, no host
# read of a value, a gather instead of a mask): a few float32 ulps, which the chain after it
# can grow (pow(-2.5) 30-fold, seed 4321; a cancelling gradient, seed 3516). The fused
# reference kernels compute softmax, layer norm, cross entropy, GELU and the optimizer
# updates in another order than the op code: more (a remainder near its jump, seed 4772).
TOLERANCE = {
    False: {"float16": (1e-3, 1e-3), "float32": (1e-4, 1e-5), "float64": (1e-12, 1e-12)},
    True: {"float16": (1e-3, 1e-3), "float32": (2e-3, 2e-4), "float64": (1e-10, 1e-10)},
}


# ---- the program state ------------------------------------------------------------------------
class Ctx:
    """A run of a program: the module, the device, the per-step random source ``r`` (for
    parameters), the data source (numpy), the pool of tensors, the leaves and the log."""

    def __init__(self, T, dev: str, seed: int) -> None:
        self.T, self.dev, self.seed = T, dev, seed
        self.data = np.random.default_rng(seed)
        self.r = random.Random(seed)
        self.fdtype = "float64" if self.r.random() < 0.2 else "float32"
        self.pool: list = []
        self.leaves: list = []
        self.log: list = []
        self.may_sync = False  # a step that syncs as PyTorch's CUDA path does
        self.backward_syncs = False  # a backward that syncs as PyTorch's does

    def note(self, text: str) -> None:
        self.log.append(text)

    def tensor(self, values: np.ndarray, grad: bool = False):
        return self.T.tensor(values, device=self.dev, requires_grad=grad)

    def shape(self, lo: int = 1, hi: int = 4) -> tuple:
        return tuple(self.r.choice((1, 2, 3, 4, 5)) for _ in range(self.r.randint(lo, hi)))

    def leaf(self, shape, dtype: str | None = None, grad: bool = True, low=None):
        dtype = dtype or self.fdtype
        if dtype in ("int64", "int32"):
            lo = 1 if low is None else low
            values = self.data.integers(lo, 6, shape).astype(dtype)
        elif dtype == "bool":
            values = self.data.random(shape) < 0.5
        else:
            values = self.data.standard_normal(shape).astype(dtype)
            if low is not None:
                values = np.abs(values) + low
        t = self.tensor(values, grad and dtype.startswith("float"))
        if t.requires_grad:
            self.leaves.append(t)
        return t

    def pick(self, pred=lambda t: True, lo: int = 0, hi: int = 4, dtype: str | None = None):
        """A tensor of the pool with ``lo <= ndim <= hi`` for which ``pred`` holds (the last
        ones more often), or a fresh leaf."""
        found = [t for t in self.pool if lo <= t.dim() <= hi and pred(t)]
        if found and self.r.random() < 0.85:
            return found[-1] if self.r.random() < 0.5 else self.r.choice(found)
        return self.leaf(self.shape(max(lo, 1) if lo else 0, hi), dtype)

    def floating(self, lo: int = 0, hi: int = 4):
        return self.pick(lambda t: t.is_floating_point(), lo, hi)

    def dim(self, t) -> int:
        return self.r.randrange(-t.dim(), t.dim()) if t.dim() else 0


def _number(r: random.Random):
    return r.choice((2, -1, 3, 0.5, 1.5, -2.5, True, 0.0))


def _partner_shape(r: random.Random, shape: tuple) -> tuple:
    """A shape that broadcasts with ``shape``: some dims 1, some leading dims dropped."""
    out = tuple(1 if r.random() < 0.3 else n for n in shape)
    return out[r.randint(0, len(out)) :] if r.random() < 0.3 else out


def _index(c: Ctx, n: int, size: tuple = (3,)):
    """Indices in [0, n) (none for n = 0: a device does not check the range, PyTorch's CUDA
    kernels assert on the device)."""
    if not n:
        size = (0,) * len(size)
    return c.tensor(c.data.integers(0, max(n, 1), size))


# ---- elementwise ------------------------------------------------------------------------------
UNARY = ("neg", "abs", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "floor",
         "ceil", "round", "sign", "reciprocal", "square", "rsqrt", "log1p", "expm1", "erf",
         "frac", "trunc", "atan", "sinh", "exp2", "logical_not", "bitwise_not", "isnan",
         "sgn", "nan_to_num", "signbit", "deg2rad")  # fmt: skip

NUMBER_FORMS = {
    "x+n": lambda x, n: x + n,
    "n+x": lambda x, n: n + x,
    "x-n": lambda x, n: x - n,
    "n-x": lambda x, n: n - x,
    "x*n": lambda x, n: x * n,
    "x/n": lambda x, n: x / n,
    "n/x": lambda x, n: n / x,
    "x//n": lambda x, n: x // n,
    "n//x": lambda x, n: n // x,
    "x%n": lambda x, n: x % n,
    "n%x": lambda x, n: n % x,
    "x**n": lambda x, n: x**n,
    "n**x": lambda x, n: n**x,
    "x>n": lambda x, n: x > n,
    "x<=n": lambda x, n: x <= n,
    "x==n": lambda x, n: x == n,
    "x!=n": lambda x, n: x != n,
    "x.pow(n)": lambda x, n: x.pow(n),
    "remainder": lambda x, n: x.remainder(n),
    "fmod": lambda x, n: x.fmod(n),
    "div_floor": lambda x, n: x.div(n, rounding_mode="floor"),
    "div_trunc": lambda x, n: x.div(n, rounding_mode="trunc"),
}
DIVISIONS = ("x/n", "x//n", "x%n", "remainder", "fmod", "div_floor", "div_trunc")


def op_unary(c: Ctx):
    x = c.pick()
    name = c.r.choice(UNARY)
    c.note(f"{name}({tuple(x.shape)} {x.dtype})")
    return getattr(x, name)()


def op_number(c: Ctx):
    x = c.pick(lambda t: t.dtype != c.T.bool or c.r.random() < 0.3)
    form, n = c.r.choice(sorted(NUMBER_FORMS)), _number(c.r)
    if not x.is_floating_point():
        if form.startswith("n") and form[1] in "/%":  # an integer divisor: never zero
            x = x.abs() + 1
        if form in DIVISIONS and not n:
            n = 2
        if "**" in form or "pow" in form:
            n = abs(n) if form != "n**x" else n
            x = x.abs() if form == "n**x" else x
    c.note(f"{form} x={tuple(x.shape)} {x.dtype} n={n!r}")
    return NUMBER_FORMS[form](x, n)


BINARY = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "floordiv": operator.floordiv,
    "mod": operator.mod,
    "pow": operator.pow,
    "maximum": lambda a, b: a.maximum(b),
    "minimum": lambda a, b: a.minimum(b),
    "atan2": lambda a, b: a.atan2(b),
    "fmod": lambda a, b: a.fmod(b),
    "lt": operator.lt,
    "ge": operator.ge,
    "eq": operator.eq,
    "and": operator.and_,
    "or": operator.or_,
    "xor": operator.xor,
    "logical_and": lambda a, b: a.logical_and(b),
    "hypot": lambda a, b: a.hypot(b),
    "copysign": lambda a, b: a.copysign(b),
    "lerp": lambda a, b: a.lerp(b, 0.3),
    "addcmul": lambda a, b: a.addcmul(b, b, value=0.5),
}


def op_binary(c: Ctx):
    a = c.pick()
    name = c.r.choice(sorted(BINARY))
    dtype = c.r.choice((str(a.dtype).split(".")[-1], c.fdtype, "int64", "bool", "float32"))
    if c.r.random() < 0.15:
        b = c.pick()
    else:
        low = 1 if name in ("floordiv", "mod", "fmod") else None
        b = c.leaf(_partner_shape(c.r, tuple(a.shape)), dtype, grad=c.r.random() < 0.5, low=low)
    if name in ("floordiv", "mod", "fmod", "pow") and not b.is_floating_point():
        b = b.abs() + (1 if name != "pow" else 0)  # integer divisors never zero, powers >= 0
    if c.r.random() < 0.3:
        a, b = b, a
        if name in ("floordiv", "mod", "fmod", "pow") and not b.is_floating_point():
            b = b.abs() + (1 if name != "pow" else 0)
    c.note(f"{name}({tuple(a.shape)} {a.dtype}, {tuple(b.shape)} {b.dtype})")
    return BINARY[name](a, b)


def op_where(c: Ctx):
    x = c.floating()
    cond = x > c.r.choice((0.0, 0.5))
    other = c.r.choice(("number", "tensor", "int"))
    if other == "number":
        y = _number(c.r)
    elif other == "int":
        y = c.leaf(_partner_shape(c.r, tuple(x.shape)), "int64")
    else:
        y = c.leaf(_partner_shape(c.r, tuple(x.shape)))
    form = c.r.choice(("T.where", "method", "swap"))
    c.note(f"where {form} {tuple(x.shape)} other={other}")
    if form == "method":
        return x.where(cond, y)
    if form == "swap" and other != "number":
        return c.T.where(cond, y, x)
    return c.T.where(cond, x, y)


def op_clamp(c: Ctx):
    x = c.pick(lambda t: t.dtype != c.T.bool)
    form = c.r.choice(("min", "max", "both", "tensor", "clip", "clamp_min"))
    c.note(f"clamp {form} {tuple(x.shape)} {x.dtype}")
    if form == "min":
        return x.clamp(min=c.r.choice((-0.5, 0, 1)))
    if form == "max":
        return x.clamp(max=c.r.choice((0.5, 0, 2)))
    if form == "both":
        return x.clamp(c.r.choice((-1, -0.5)), c.r.choice((0.5, 1, 2)))
    if form == "clip":
        return x.clip(-1, 1)
    if form == "clamp_min":
        return x.clamp_min(0.25)
    lo = c.leaf(_partner_shape(c.r, tuple(x.shape)), grad=False) - 0.5
    return x.clamp(min=lo, max=lo + 1)


# ---- reductions -------------------------------------------------------------------------------
def op_reduce(c: Ctx):
    x = c.pick(lambda t: t.dtype != c.T.bool or c.r.random() < 0.3)
    name = c.r.choice(("sum", "mean", "max", "min", "argmax", "argmin", "var", "std",
                       "logsumexp", "cumsum", "cumprod", "prod", "norm", "amax", "amin", "all",
                       "any", "count_nonzero", "aminmax", "nansum", "softmax"))  # fmt: skip
    keep = c.r.random() < 0.4
    dim = c.dim(x)
    kw: dict = {}
    c.backward_syncs |= name in ("cumprod", "prod")  # PyTorch's backward looks for zeros
    if name in ("cumsum", "cumprod", "softmax"):
        c.note(f"{name}({tuple(x.shape)} {x.dtype}, dim={dim})")
        return getattr(x, name)(dim)
    if name in ("sum", "mean", "amax", "amin", "var", "std", "logsumexp", "norm", "nansum"):
        if x.dim() >= 2 and c.r.random() < 0.3:
            dim = tuple(sorted(c.r.sample(range(x.dim()), 2)))
        if c.r.random() < 0.2 and name not in ("logsumexp",):
            dim = None
    elif c.r.random() < 0.3 and name not in ("count_nonzero", "aminmax", "all", "any"):
        c.note(f"{name}({tuple(x.shape)} {x.dtype})")
        return getattr(x, name)()
    if name in ("var", "std"):
        kw["correction"] = c.r.choice((0, 1))
    if name == "norm":
        kw["p"] = c.r.choice((2, 1, math.inf, 3))
    if name == "count_nonzero":
        c.note(f"count_nonzero({tuple(x.shape)}, dim={dim})")
        return x.count_nonzero(dim)
    if name == "aminmax":
        c.note(f"aminmax({tuple(x.shape)}, dim={dim}, keepdim={keep})")
        return list(x.aminmax(dim=dim, keepdim=keep))
    c.note(f"{name}({tuple(x.shape)} {x.dtype}, dim={dim}, keepdim={keep}, {kw})")
    c.backward_syncs |= name == "prod"
    out = getattr(x, name)(dim=dim, keepdim=keep, **kw)
    return list(out) if isinstance(out, tuple) else out


# ---- shapes and views -------------------------------------------------------------------------
def _factor(r: random.Random, n: int) -> tuple:
    dims = []
    while n > 1 and len(dims) < 3:
        d = r.choice([k for k in range(1, n + 1) if n % k == 0])
        dims.append(d)
        n //= d
    return (*dims, n) if n > 1 or not dims else tuple(dims)


def op_shape(c: Ctx):
    T, r = c.T, c.r
    x = c.pick()
    shape, nd = tuple(x.shape), x.dim()
    name = r.choice(("reshape", "view", "permute", "transpose", "expand", "cat", "stack",
                     "split", "chunk", "squeeze", "unsqueeze", "flip", "roll", "narrow",
                     "flatten", "repeat", "tril", "movedim", "contiguous", "unbind", "mT",
                     "diagonal", "t", "unflatten", "tile", "hstack", "split_sizes"))  # fmt: skip
    d = c.dim(x)
    c.note(f"{name}({shape} {x.dtype}, d={d})")
    if name in ("reshape", "view"):
        new = _factor(r, x.numel()) if x.numel() else (0, -1)
        if new and r.random() < 0.4:
            new = (*new[:-1], -1)
        return getattr(x, name)(*new) if new else getattr(x, name)(())
    if name == "permute":
        return x.permute(*r.sample(range(nd), nd))
    if name == "transpose":
        return x.transpose(d, c.dim(x))
    if name == "expand":
        sizes = [n if n != 1 else r.choice((1, 3)) for n in shape]
        return x.expand(*([2] if r.random() < 0.5 else []), *sizes)
    if name in ("cat", "stack", "hstack"):
        other = list(shape)
        if name == "cat" and nd:
            other[d] = r.choice((1, 2))
        y = c.leaf(tuple(other), r.choice((str(x.dtype).split(".")[-1], c.fdtype)))
        fn = {"cat": T.cat, "stack": T.stack, "hstack": T.hstack}[name]
        return fn([x, y], dim=d) if name != "hstack" else fn([x, y])
    if name == "split":
        return list(x.split(r.choice((1, 2)), dim=d))
    if name == "split_sizes":
        n = shape[d] if nd else 0
        first = r.randint(0, n)
        return list(x.split([first, n - first], dim=d))
    if name == "chunk":
        return list(x.chunk(r.choice((2, 3)), dim=d))
    if name == "unbind":
        return list(x.unbind(d))
    if name == "squeeze":
        return x.squeeze(d) if r.random() < 0.6 else x.squeeze()
    if name == "unsqueeze":
        return x.unsqueeze(r.randint(-nd - 1, nd))
    if name == "flip":
        return x.flip(*r.sample(range(nd), r.randint(1, nd))) if nd else x.flip(0)
    if name == "roll":
        return x.roll(r.choice((1, -2, 3)), d) if r.random() < 0.7 else x.roll(2)
    if name == "narrow":
        n = shape[d] if nd else 1
        start = r.randint(0, n)
        return x.narrow(d, start, r.randint(0, n - start))
    if name == "flatten":
        return x.flatten(r.randint(0, max(nd - 1, 0)))
    if name == "repeat":
        return x.repeat(*[r.choice((1, 2)) for _ in range(nd + r.randint(0, 1))])
    if name == "tile":
        return x.tile((2,))
    if name == "tril":
        return x.tril(r.choice((0, 1, -1))) if r.random() < 0.5 else x.triu(1)
    if name == "movedim":
        return x.movedim(d, c.dim(x))
    if name == "mT":
        return x.mT
    if name == "t":
        return x.t()
    if name == "diagonal":
        return x.diagonal(r.choice((0, 1, -1)), d, c.dim(x))
    if name == "unflatten":
        n = shape[d] if nd else 1
        return x.unflatten(d, (1, n) if r.random() < 0.5 else (-1, 1))
    return x.contiguous() if r.random() < 0.5 else x.clone()


def op_gather(c: Ctx):
    T, r = c.T, c.r
    x = c.pick(lo=1)
    d = c.dim(x)
    n = x.shape[d]
    name = r.choice(("index_select", "gather", "scatter", "scatter_add", "masked_fill",
                     "take_along_dim", "index_add", "scatter_reduce", "index_fill",
                     "masked_scatter", "index_copy"))  # fmt: skip
    c.note(f"{name}({tuple(x.shape)} {x.dtype}, d={d})")
    if name == "index_select":
        return x.index_select(d, _index(c, n, (r.randint(0, 4),)))
    if name in ("gather", "take_along_dim"):
        shape = list(x.shape)
        shape[d] = r.randint(0, 3)
        idx = _index(c, n, tuple(shape))
        return x.gather(d, idx) if name == "gather" else T.take_along_dim(x, idx, d)
    if name == "masked_fill":
        mask = c.leaf(_partner_shape(r, tuple(x.shape)), "bool")
        value = r.choice((0.0, -1.5, "tensor"))
        if value == "tensor":  # PyTorch's CUDA masked_fill_ reads a tensor value back
            value, c.may_sync = c.tensor(np.array(2.5, np.float32)), True
        return x.masked_fill(mask, value)
    if name == "masked_scatter":
        mask = c.leaf(tuple(x.shape), "bool")
        return x.masked_scatter(mask, c.leaf(tuple(x.shape), str(x.dtype).split(".")[-1]))
    if name in ("index_add", "index_fill", "index_copy"):
        k = min(n, r.randint(1, 3))
        idx = c.tensor(c.data.permutation(n)[:k])
        if name == "index_fill":
            return x.index_fill(d, idx, -2.0)
        shape = list(x.shape)
        shape[d] = k
        src = c.leaf(tuple(shape), str(x.dtype).split(".")[-1])
        return getattr(x, name)(d, idx, src)
    # scatter: indices unique along dim for scatter (the winner of a duplicate is unordered)
    shape = list(x.shape)
    shape[d] = min(n, r.randint(1, 3))
    src = c.leaf(tuple(shape), str(x.dtype).split(".")[-1])
    if name == "scatter":
        perm = np.argsort(c.data.random(x.shape), axis=d)
        idx = c.tensor(np.take(perm, range(shape[d]), axis=d % x.dim()))
        return x.scatter(d, idx, src) if r.random() < 0.7 else x.scatter(d, idx, 1.5)
    idx = _index(c, n, tuple(shape))
    if name == "scatter_add":
        return x.scatter_add(d, idx, src)
    reduce = r.choice(("sum", "prod", "mean", "amax", "amin"))
    # PyTorch's double backward of 'prod' reads whether a place got two zeros
    c.backward_syncs |= reduce == "prod"
    return x.scatter_reduce(d, idx, src, reduce, include_self=r.random() < 0.5)


def op_index(c: Ctx):
    r = c.r
    x = c.pick(lo=1)
    n = x.shape[0]
    name = r.choice(("int", "slice", "ellipsis", "tensor", "list", "two_tensors", "mask",
                     "row_mask", "neg", "step", "none", "tensor_dim1", "item"))  # fmt: skip
    c.note(f"index {name} of {tuple(x.shape)} {x.dtype}")
    if name == "int":
        return x[r.randrange(-n, n)] if n else x[0]
    if name == "neg":
        return x[-1]
    if name == "slice":
        return x[r.randint(0, n) :]
    if name == "step":
        return x[:: r.choice((2, 3))]
    if name == "ellipsis":
        return x[..., None, : r.randint(0, 3)]
    if name == "none":
        return x[None, :, None]
    if name == "tensor":
        return x[_index(c, n, (r.randint(0, 4),))]
    if name == "tensor_dim1":
        return x[:, _index(c, x.shape[1], (2, 2))] if x.dim() > 1 else x[_index(c, n, (2, 2))]
    if name == "list":
        return x[[0, -1, 0]] if n else x[[]]
    if name == "two_tensors":
        if x.dim() < 2:
            return x[_index(c, n, (2,)), ...]
        return x[_index(c, n, (3, 1)), _index(c, x.shape[1], (2,))]
    if name == "item":
        c.may_sync = True  # .item() reads back on a GPU too
        value = x.reshape(-1)[0] if x.numel() else x.sum()
        value.item()
        return value  # (compared as a 0-d tensor: within its dtype's tolerance)
    c.may_sync = True  # boolean-mask indexing sizes its result on the host, as in PyTorch
    if name == "mask":
        return x[x > 0] if x.dtype != c.T.bool else x[x]
    return x[c.leaf((n,), "bool")]


def op_setitem(c: Ctx):
    r = c.r
    x = c.pick(lo=1)
    y = x.clone()
    n = x.shape[0]
    name = r.choice(("int", "slice", "tensor", "mask_tensor", "value_tensor", "ellipsis",
                     "two_tensors", "mask_number", "broadcast"))  # fmt: skip
    c.note(f"setitem {name} of {tuple(x.shape)} {x.dtype}")
    value = r.choice((0, -1.5, 2))
    if name == "int":
        y[r.randrange(n)] = value
    elif name == "slice":
        y[1:] = value
    elif name == "tensor":
        y[c.tensor(c.data.permutation(n)[: r.randint(0, n)])] = value
    elif name == "value_tensor":
        y[0] = c.leaf(_partner_shape(r, tuple(x.shape[1:])), c.fdtype)
    elif name == "ellipsis":
        y[..., 0] = c.leaf((), c.fdtype, grad=False)
    elif name == "two_tensors":
        if x.dim() < 2:
            y[c.tensor(np.array([0, n - 1]))] = value
        else:
            rows = c.tensor(c.data.permutation(n)[:1])
            y[rows, c.tensor(np.array([0]))] = c.leaf((1,), c.fdtype)
    elif name == "broadcast":
        y[:] = c.leaf(_partner_shape(r, tuple(x.shape)), c.fdtype)
    else:
        # a boolean mask: PyTorch's CUDA index_put_ with a mask makes nonzero's host read
        c.may_sync = True
        mask = c.leaf(tuple(x.shape), "bool")
        if name == "mask_number":
            y[mask] = value
        else:
            y[mask] = c.tensor(np.array(3.0, c.fdtype))
    return y


def op_inplace(c: Ctx):
    r = c.r
    x = c.pick(lo=1)
    y = x.clone() if r.random() < 0.8 else x.detach().clone()
    view = r.choice(("whole", "row", "slice", "transpose", "diag", "select"))
    v = {"whole": lambda: y, "row": lambda: y[0], "slice": lambda: y[..., :1],
         "transpose": lambda: y.transpose(0, -1), "diag": lambda: y.diagonal(0, 0, -1),
         "select": lambda: y.select(-1, 0)}[view]()  # fmt: skip
    name = r.choice(("add_", "mul_", "clamp_", "copy_", "zero_", "fill_", "sub_", "div_",
                     "relu_", "sigmoid_", "masked_fill_", "exp_", "iadd", "neg_", "addcmul_",
                     "lerp_", "floor_", "abs_", "pow_", "tanh_"))  # fmt: skip
    c.note(f"{name} on {view} view of {tuple(x.shape)} {x.dtype}")
    other = c.leaf(_partner_shape(r, tuple(v.shape)), grad=r.random() < 0.5)
    if name == "add_":
        v.add_(other, alpha=r.choice((1, 2)))
    elif name == "sub_":
        v.sub_(r.choice((1, 0.5)))
    elif name == "mul_":
        v.mul_(other if r.random() < 0.5 else 2)
    elif name == "div_":
        v.div_(2)
    elif name == "clamp_":
        v.clamp_(-0.5, 0.5)
    elif name == "copy_":
        v.copy_(other)
    elif name == "zero_":
        v.zero_()
    elif name == "fill_":
        v.fill_(r.choice((1.5, -2)))
    elif name == "masked_fill_":
        v.masked_fill_(other > 0, 0.25)
    elif name == "iadd":
        v += other
    elif name == "addcmul_":
        v.addcmul_(other, other, value=0.5)
    elif name == "lerp_":
        v.lerp_(other, 0.25)
    elif name == "pow_":
        v.pow_(2)
    else:
        getattr(v, name)()
    return [y, v]


# ---- more tensor ops ------------------------------------------------------------------------
SYNCING = ("masked_select", "nonzero", "unique", "repeat_interleave_tensor", "bincount", "histc")


def op_misc(c: Ctx):
    T, r = c.T, c.r
    x = c.pick(lo=1)
    d = c.dim(x)
    name = r.choice(("index_put_acc", "index_put_mask", "masked_select", "nonzero", "unique",
                     "repeat_interleave", "repeat_interleave_tensor", "to_dtype", "like",
                     "sort", "topk", "kthvalue", "cummax", "median", "mode", "normalize",
                     "cosine_similarity", "std_mean", "searchsorted", "bucketize", "bincount",
                     "histc", "arange", "new_tensor", "type_as", "logcumsumexp", "diff",
                     "index_add_inplace", "clamp_tensor_", "addmv", "nan_to_num_args",
                     "argsort", "msort", "flatten_index"))  # fmt: skip
    c.note(f"{name}({tuple(x.shape)} {x.dtype}, d={d})")
    c.may_sync = name in SYNCING  # PyTorch's CUDA path sizes these results on the host too
    n = x.shape[0]
    if name in ("index_put_acc", "index_put_mask"):
        y = x.clone()
        if name == "index_put_mask":
            idx = (c.leaf(tuple(x.shape[:1]), "bool"),)
            c.may_sync = True  # a mask: its count is read, as PyTorch's nonzero does
        else:
            idx = (c.tensor(c.data.integers(0, n, (4,))),)
        value = c.leaf((), str(x.dtype).split(".")[-1], grad=r.random() < 0.5)
        return y.index_put_(idx, value, accumulate=name == "index_put_acc")
    if name == "masked_select":
        return x.masked_select(c.leaf(_partner_shape(r, tuple(x.shape)), "bool"))
    if name == "nonzero":
        return x.nonzero() if r.random() < 0.5 else list(x.nonzero(as_tuple=True))
    if name == "unique":
        return list(T.unique(x, sorted=True, return_inverse=True, return_counts=True))
    if name == "repeat_interleave":
        return x.repeat_interleave(r.choice((1, 2)), dim=d)
    if name == "repeat_interleave_tensor":
        return x.repeat_interleave(c.tensor(c.data.integers(0, 3, (n,))), dim=0)
    if name == "to_dtype":
        dt = r.choice(("float32", "float64", "int64", "bool", "float16", "int32"))
        return x.to(getattr(T, dt))
    if name == "like":
        fn = r.choice(("zeros_like", "ones_like", "full_like", "empty_like", "rand_like"))
        if fn == "empty_like":
            return T.empty_like(x).shape
        if fn == "rand_like":
            T.manual_seed(r.randrange(100))
            return T.rand_like(x.float()) if x.is_floating_point() else T.zeros_like(x)
        return T.full_like(x, 2.5) if fn == "full_like" else getattr(T, fn)(x)
    if name in ("sort", "argsort", "msort"):
        if name == "msort":
            return T.msort(x)
        if name == "argsort":
            return x.argsort(dim=d, descending=r.random() < 0.5, stable=True)
        return list(x.sort(dim=d, descending=r.random() < 0.5, stable=True))
    # which of tied elements (NaNs too) an index names is the kernel's choice (PyTorch's CUDA
    # kernels make their own): fresh values, and the elements the indices pick are compared
    if name in ("topk", "kthvalue", "cummax", "median", "mode"):
        x = c.leaf(tuple(x.shape))
    if name == "topk":
        values, idx = x.topk(r.randint(0, x.shape[d]), dim=d, largest=r.random() < 0.5)
        return [values, x.gather(d, idx)]
    if name in ("kthvalue", "cummax", "median", "mode"):
        k = (r.randint(1, max(x.shape[d], 1)),) if name == "kthvalue" else ()
        values, idx = getattr(x, name)(*k, dim=d)
        return [values, x.gather(d, idx if name == "cummax" else idx.unsqueeze(d))]
    if name == "logcumsumexp":
        return x.logcumsumexp(d)
    if name == "diff":
        return x.diff(dim=d)
    if name == "normalize":
        return T.nn.functional.normalize(x, p=r.choice((1, 2)), dim=d)
    if name == "cosine_similarity":
        return T.nn.functional.cosine_similarity(x, c.leaf(tuple(x.shape)), dim=d)
    if name == "std_mean":
        return list(T.std_mean(x, dim=d, keepdim=r.random() < 0.5))
    if name in ("searchsorted", "bucketize"):
        edges = c.tensor(np.sort(c.data.standard_normal(5)).astype(c.fdtype))
        if name == "bucketize":
            return T.bucketize(x, edges, right=r.random() < 0.5)
        return T.searchsorted(edges, x.reshape(-1), side=r.choice(("left", "right")))
    if name == "bincount":
        return T.bincount(c.tensor(c.data.integers(0, 5, (6,))), minlength=r.choice((0, 7)))
    if name == "histc":
        return T.histc(x.float(), bins=4, min=-1, max=1)
    if name == "arange":
        return T.arange(0, n, 0.5, device=c.dev) + x.reshape(-1)[:1]
    if name == "new_tensor":
        return x.new_tensor([1.0, 2.0]), x.new_zeros(2, 1), x.new_full((2,), 3)
    if name == "type_as":
        return c.leaf((2,), "int64").type_as(x)
    if name == "index_add_inplace":
        y = x.clone()
        idx = c.tensor(c.data.integers(0, n, (3,)))
        return y.index_add_(0, idx, c.leaf((3, *x.shape[1:]), str(x.dtype).split(".")[-1]), alpha=2)  # fmt: skip
    if name == "clamp_tensor_":
        y = x.clone()
        lo = c.leaf(_partner_shape(r, tuple(x.shape)), grad=False)
        return y.clamp_(min=lo) if r.random() < 0.5 else y.clamp_(max=lo)
    if name == "addmv":
        return T.addmv(c.leaf((3,)), c.leaf((3, 4)), c.leaf((4,)), beta=0.5)
    if name == "nan_to_num_args":
        return (x / 0).nan_to_num(nan=1.0, posinf=2.0, neginf=-3.0)
    return x.flatten()[c.tensor(c.data.integers(0, max(x.numel(), 1), (2, 2)))] if x.numel() else x


RANDOM = ("randn", "rand", "randint", "randperm", "multinomial", "bernoulli", "normal_",
          "uniform_", "exponential_", "poisson")  # fmt: skip


class Random:
    """A random tensor: compared by dtype, shape and device (a device's stream is not the
    CPU's), checked to hold finite numbers, and kept out of the pool."""

    def __init__(self, t) -> None:
        self.t = t

    def outcome(self) -> tuple:
        t = self.t
        assert not t.is_floating_point() or bool(t.isfinite().all())
        return ("random", str(t.dtype), tuple(t.shape))


def op_factory(c: Ctx):
    """Tensors made on the device (random ones compared by dtype, shape and device: a
    device's stream is not the CPU's), and round trips through the host."""
    T, r, dev = c.T, c.r, c.dev
    shape = c.shape(1, 3)
    name = r.choice(("zeros", "full", "eye", "linspace", "arange", "randn", "rand", "randint",
                     "randperm", "multinomial", "bernoulli", "normal_", "uniform_",
                     "exponential_", "roundtrip", "tensor_list", "empty_fill", "logspace",
                     "tril_indices", "poisson"))  # fmt: skip
    c.note(f"factory {name} {shape}")
    T.manual_seed(r.randrange(1000))
    if name in RANDOM:
        return Random(_random_factory(c, name, shape))
    if name == "zeros":
        return T.zeros(shape, device=dev, dtype=getattr(T, c.fdtype))
    if name == "full":
        return T.full(shape, r.choice((1.5, 2, True)), device=dev)
    if name == "eye":
        return T.eye(shape[0], shape[-1], device=dev)
    if name == "linspace":
        return T.linspace(-1, 1, shape[0] + 1, device=dev)
    if name == "logspace":
        return T.logspace(0, 2, 4, device=dev, dtype=getattr(T, c.fdtype))
    if name == "arange":
        return T.arange(shape[0] * 3, device=dev).reshape(-1, 3)
    if name == "roundtrip":
        # a copy to the host reads the device, as in PyTorch, and so does its gradient's
        c.may_sync = c.backward_syncs = True
        x = c.pick()
        return x.cpu().to(dev) if r.random() < 0.5 else x.to("cpu").to(device=dev)
    if name == "tensor_list":
        return T.tensor([[1, 2], [3, 4]], device=dev, dtype=getattr(T, c.fdtype))
    if name == "tril_indices":
        return T.tril_indices(3, 4, offset=r.choice((0, 1)), device=dev)
    return T.empty(shape, device=dev).fill_(0.25)


def _random_factory(c: Ctx, name: str, shape: tuple):
    T, r, dev = c.T, c.r, c.dev
    if name in ("randn", "rand"):
        return getattr(T, name)(shape, device=dev, dtype=getattr(T, c.fdtype))
    if name == "randint":
        return T.randint(-3, 7, shape, device=dev)
    if name == "randperm":
        return T.randperm(shape[0] + 3, device=dev)
    if name == "multinomial":
        probs = c.leaf((2, 5), low=0.1, grad=False)
        replacement = r.random() < 0.5
        # PyTorch checks the probabilities on the host without replacement; with it, its
        # CUDA kernel draws on the device (and asserts there), as minitorch does
        c.may_sync = not replacement
        return T.multinomial(probs, 3, replacement=replacement)
    if name == "bernoulli":
        return T.bernoulli(c.leaf(shape, low=0.0, grad=False).clamp(0, 1))
    if name == "poisson":
        return T.poisson(c.leaf(shape, low=0.5, grad=False))
    return getattr(T.empty(shape, device=dev), name)()


# ---- products ---------------------------------------------------------------------------------
EINSUMS = {
    "ij,jk->ik": ((2, 3), (3, 4)),
    "bij,bjk->bik": ((2, 2, 3), (2, 3, 2)),
    "i,i->": ((4,), (4,)),
    "ij->ji": ((2, 3),),
    "bhqd,bhkd->bhqk": ((1, 2, 3, 4), (1, 2, 5, 4)),
    "ii->i": ((3, 3),),
    "ij,j->i": ((3, 4), (4,)),
    "i,j->ij": ((3,), (2,)),
    "...ij->...i": ((2, 3, 4),),
}


def op_matmul(c: Ctx):
    T, r = c.T, c.r
    name = r.choice(("matmul", "bmm", "einsum", "mv", "dot", "outer", "addmm", "baddbmm",
                     "at", "linear"))  # fmt: skip
    x = c.floating(1, 4)
    k = x.shape[-1]
    c.note(f"{name}({tuple(x.shape)} {x.dtype})")
    if name in ("matmul", "at"):
        shape = r.choice(((k,), (k, r.randint(1, 4)), (2, k, 3), (1, k, 2)))
        y = c.leaf(shape)
        return x.matmul(y) if name == "matmul" else x @ y
    if name == "linear":
        return c.T.nn.functional.linear(x, c.leaf((3, k)), c.leaf((3,)) if r.random() < 0.5 else None)  # fmt: skip
    if name == "bmm":
        a = x if x.dim() == 3 else c.leaf((2, 3, 4))
        return T.bmm(a, c.leaf((a.shape[0], a.shape[2], 2)))
    if name == "baddbmm":
        a = c.leaf((2, 3, 4))
        return T.baddbmm(c.leaf((3, 2)), a, c.leaf((2, 4, 2)), beta=0.5, alpha=2)
    if name == "addmm":
        return T.addmm(c.leaf((2,)), c.leaf((3, 4)), c.leaf((4, 2)))
    if name == "mv":
        m = x if x.dim() == 2 else c.leaf((3, 4))
        return m.mv(c.leaf((m.shape[1],)))
    if name == "dot":
        v = c.leaf((4,))
        return v.dot(c.leaf((4,)))
    if name == "outer":
        return T.outer(c.leaf((3,)), c.leaf((2,)))
    eq = r.choice(sorted(EINSUMS))
    c.note(f"einsum {eq}")
    return T.einsum(eq, *[c.leaf(s) for s in EINSUMS[eq]])


# ---- nn layers and losses ---------------------------------------------------------------------
def _module(c: Ctx, make):
    """A module made on the CPU under a seed (the same parameters in every run), then moved;
    its parameters join the leaves."""
    c.T.manual_seed(c.r.randrange(1000))
    m = make(c.T.nn)
    m = m.to(device=c.dev, dtype=getattr(c.T, c.fdtype))
    c.leaves.extend(p for p in m.parameters() if p.requires_grad)
    return m


ACTIVATIONS = (
    lambda nn: nn.GELU(),
    lambda nn: nn.GELU(approximate="tanh"),
    lambda nn: nn.ReLU(),
    lambda nn: nn.Tanh(),
    lambda nn: nn.Sigmoid(),
    lambda nn: nn.Softmax(dim=-1),
    lambda nn: nn.LogSoftmax(dim=1),
    lambda nn: nn.SiLU(),
    lambda nn: nn.ELU(),
    lambda nn: nn.LeakyReLU(0.1),
    lambda nn: nn.Softplus(),
    lambda nn: nn.Hardtanh(),
    lambda nn: nn.Mish(),
)


def op_layer(c: Ctx):
    r = c.r
    name = r.choice(("linear", "conv1d", "conv2d", "maxpool", "avgpool", "adaptive",
                     "batchnorm", "layernorm", "groupnorm", "embedding", "dropout",
                     "activation", "mha", "sdpa", "activation", "conv_transpose"))  # fmt: skip
    c.note(f"layer {name}")
    if name == "linear":
        x = c.floating(1, 3)
        m = _module(c, lambda nn: nn.Linear(x.shape[-1], r.randint(1, 4), bias=r.random() < 0.7))
        return m(x)
    if name == "activation":
        i = r.randrange(len(ACTIVATIONS))
        c.note(f"activation {i}")
        x = c.floating(2, 4)
        return _module(c, ACTIVATIONS[i])(x)
    if name in ("conv1d", "conv2d", "conv_transpose"):
        two = name == "conv2d"
        x = c.floating(4, 4) if two else c.floating(3, 3)
        cin, groups = x.shape[1], r.choice((1, 1, 2))
        cout = groups * r.randint(1, 2)
        kw = {"kernel_size": r.randint(1, 3), "stride": r.choice((1, 2)),
              "padding": r.choice((0, 1)), "bias": r.random() < 0.7}  # fmt: skip
        if name == "conv_transpose":
            m = _module(c, lambda nn: nn.ConvTranspose1d(cin, cout, **kw))
        else:
            kw["dilation"] = r.choice((1, 2))
            conv = c.T.nn.Conv2d if two else c.T.nn.Conv1d
            m = _module(c, lambda nn: conv(cin, cout, groups=groups, **kw))
        c.note(f"{kw} groups={groups}")
        return m(x)
    if name in ("maxpool", "avgpool", "adaptive"):
        x = c.floating(3, 4)
        two = x.dim() == 4
        k = r.choice((1, 2))
        nn = c.T.nn.functional
        if name == "maxpool":
            f = nn.max_pool2d if two else nn.max_pool1d
            out = f(x, k, stride=r.choice((1, 2)), ceil_mode=r.random() < 0.3,
                    return_indices=r.random() < 0.4)  # fmt: skip
            return list(out) if isinstance(out, tuple) else out
        if name == "avgpool":
            f = nn.avg_pool2d if two else nn.avg_pool1d
            return f(x, k, padding=r.choice((0, k // 2)), count_include_pad=r.random() < 0.5)
        f = nn.adaptive_avg_pool2d if two else nn.adaptive_max_pool1d
        return f(x, r.choice((1, 2)))
    if name == "batchnorm":
        x = c.floating(2, 4)
        kind = {2: "BatchNorm1d", 3: "BatchNorm1d", 4: "BatchNorm2d"}[x.dim()]
        m = _module(c, lambda nn: getattr(nn, kind)(x.shape[1], affine=r.random() < 0.8))
        if r.random() < 0.3:
            m.eval()
        return [m(x), m.running_mean, m.running_var]
    if name == "layernorm":
        x = c.floating(1, 4)
        shape = tuple(x.shape[-r.randint(1, x.dim()) :])
        return _module(c, lambda nn: nn.LayerNorm(shape, elementwise_affine=r.random() < 0.8))(x)
    if name == "groupnorm":
        x = c.floating(2, 4)
        ch = x.shape[1]
        groups = r.choice([g for g in (1, 2, 3) if ch % g == 0])
        return _module(c, lambda nn: nn.GroupNorm(groups, ch))(x)
    if name == "embedding":
        kw = {"padding_idx": r.choice((None, 0)), "max_norm": r.choice((None, None, 1.0))}
        m = _module(c, lambda nn: nn.Embedding(6, 3, **kw))
        c.note(f"{kw}")
        c.may_sync = kw["max_norm"] is not None  # PyTorch's renorm reads the unique count
        idx = c.tensor(c.data.integers(0, 6, c.shape(1, 2)))
        return m(idx)
    if name == "dropout":
        x = c.floating(1, 4)
        p = r.choice((0.0, 0.3, 0.5, 1.0))
        c.T.manual_seed(r.randrange(100))
        kind = r.choice(("dropout", "dropout2d", "alpha"))
        nn = c.T.nn.functional
        if kind == "dropout2d" and x.dim() in (3, 4):
            return nn.dropout2d(x, p)
        return nn.alpha_dropout(x, p, True) if kind == "alpha" else nn.dropout(x, p)
    if name == "mha":
        e, heads = r.choice(((4, 2), (6, 3), (4, 1)))
        batch_first = r.random() < 0.5
        m = _module(c, lambda nn: nn.MultiheadAttention(e, heads, batch_first=batch_first))
        lq, lk, b = r.randint(1, 3), r.randint(1, 4), r.randint(1, 2)
        q = c.leaf((b, lq, e) if batch_first else (lq, b, e))
        kv = c.leaf((b, lk, e) if batch_first else (lk, b, e))
        kw = {"need_weights": r.random() < 0.7, "average_attn_weights": r.random() < 0.7}
        if r.random() < 0.4:
            kpm = c.data.random((b, lk)) < 0.3
            kpm[:, 0] = False
            kw["key_padding_mask"] = c.tensor(kpm)
        if r.random() < 0.3:
            kw["attn_mask"] = c.leaf((lq, lk), grad=False)
        c.note(f"mha e={e} h={heads} {sorted(kw)}")
        out, w = m(q, kv, kv, **kw)
        return [out, w]
    # scaled dot product attention
    b, h, lq, lk, d = 1, r.randint(1, 2), r.randint(1, 3), r.randint(1, 3), r.choice((2, 4))
    q, k, v = c.leaf((b, h, lq, d)), c.leaf((b, h, lk, d)), c.leaf((b, h, lk, d))
    kw = {}
    form = r.choice(("plain", "causal", "bool_mask", "float_mask", "scale"))
    if form == "causal":
        kw["is_causal"] = True
    elif form == "bool_mask":
        mask = c.data.random((lq, lk)) < 0.7
        mask[:, 0] = True
        kw["attn_mask"] = c.tensor(mask)
    elif form == "float_mask":
        kw["attn_mask"] = c.leaf((lq, lk), grad=False)
    elif form == "scale":
        kw["scale"] = 0.3
    c.note(f"sdpa {form}")
    return c.T.nn.functional.scaled_dot_product_attention(q, k, v, **kw)


def op_layer2(c: Ctx):
    r = c.r
    F = c.T.nn.functional
    name = r.choice(("interpolate", "pixel_shuffle", "rnn", "instancenorm", "embedding_bag",
                     "unfold", "conv_transpose2d", "pad", "glu", "one_hot", "local_response",
                     "rmsnorm", "prelu", "fold", "flatten_module"))  # fmt: skip
    c.note(f"layer2 {name}")
    if name == "interpolate":
        x = c.floating(3, 4)
        mode = r.choice(("nearest", "linear" if x.dim() == 3 else "bilinear", "area"))
        kw = {"align_corners": r.random() < 0.5} if mode in ("linear", "bilinear") else {}
        c.note(f"{mode} {kw}")
        return F.interpolate(x, scale_factor=r.choice((2, 0.5, 1.5)), mode=mode, **kw)
    if name == "pixel_shuffle":
        x = c.leaf((1, 4, 2, 3))
        return F.pixel_shuffle(x, 2) if r.random() < 0.5 else F.pixel_unshuffle(x, 1)
    if name == "rnn":
        kind = r.choice(("LSTM", "GRU", "RNN"))
        kw = {"batch_first": r.random() < 0.5, "bidirectional": r.random() < 0.3,
              "num_layers": r.choice((1, 2))}  # fmt: skip
        m = _module(c, lambda nn: getattr(nn, kind)(3, 4, **kw))
        c.note(f"{kind} {kw}")
        out, h = m(c.leaf((2, 3, 3)))
        return [out, *(h if isinstance(h, tuple) else (h,))]
    if name == "instancenorm":
        x = c.floating(3, 3)
        m = _module(c, lambda nn: nn.InstanceNorm1d(x.shape[1], affine=r.random() < 0.5))
        return m(x)
    if name == "embedding_bag":
        mode = r.choice(("sum", "mean", "max"))
        m = _module(c, lambda nn: nn.EmbeddingBag(6, 3, mode=mode))
        idx = c.tensor(c.data.integers(0, 6, (2, 3)))
        return m(idx)
    if name == "unfold":
        return F.unfold(c.floating(4, 4), kernel_size=r.choice((1, 2)), stride=r.choice((1, 2)))
    if name == "fold":
        return F.fold(c.leaf((1, 4, 4)), output_size=(3, 3), kernel_size=2)
    if name == "conv_transpose2d":
        x = c.floating(4, 4)
        m = _module(c, lambda nn: nn.ConvTranspose2d(x.shape[1], 2, 2, stride=r.choice((1, 2))))
        return m(x)
    if name == "pad":
        x = c.floating(2, 4)
        mode = r.choice(("constant", "reflect", "replicate", "circular"))
        c.note(mode)
        return F.pad(x, (1, 1), mode=mode) if mode != "constant" else F.pad(x, (1, 2, 0, 1), value=0.5)  # fmt: skip
    if name == "glu":
        return F.glu(c.leaf((2, 4)), dim=-1)
    if name == "one_hot":
        classes = r.choice((-1, 5))
        c.may_sync = classes == -1  # PyTorch's CUDA one_hot reads the max back too
        return F.one_hot(c.tensor(c.data.integers(0, 4, (3,))), num_classes=classes)
    if name == "local_response":
        return F.local_response_norm(c.floating(3, 4), 2)
    if name == "rmsnorm":
        x = c.floating(1, 4)
        return _module(c, lambda nn: nn.RMSNorm(x.shape[-1:]))(x)
    if name == "prelu":
        x = c.floating(2, 4)
        return _module(c, lambda nn: nn.PReLU(x.shape[1]))(x)
    return _module(c, lambda nn: nn.Flatten())(c.floating(2, 4))


def op_loss(c: Ctx):
    r = c.r
    F = c.T.nn.functional
    name = r.choice(("cross_entropy", "nll", "mse", "bce", "bce_logits", "smooth_l1", "l1",
                     "huber", "kl_div", "cross_entropy_probs", "soft_margin", "margin_ranking",
                     "cosine_embedding", "triplet", "poisson_nll", "gaussian_nll", "multi_margin",
                     "multilabel_soft_margin", "hinge_embedding"))  # fmt: skip
    reduction = r.choice(("mean", "sum", "none"))
    c.note(f"loss {name} {reduction}")
    if name in ("cross_entropy", "nll"):
        x = c.floating(2, 3)
        n, classes = x.shape[0], x.shape[1]
        target_shape = (n, *x.shape[2:])
        t = c.data.integers(0, classes, target_shape)
        kw: dict = {"reduction": reduction}
        ignore = r.choice((None, -100, 1))
        if ignore is not None:
            t = np.where(c.data.random(target_shape) < 0.3, ignore, t)
            kw["ignore_index"] = ignore
        if r.random() < 0.4:
            kw["weight"] = c.leaf((classes,), low=0.1, grad=False)
        c.note(f"{sorted(kw)}")
        target = c.tensor(t)
        if name == "nll":
            return F.nll_loss(F.log_softmax(x, 1), target, **kw)
        if r.random() < 0.5:
            kw["label_smoothing"] = r.choice((0.1, 0.25))
        return F.cross_entropy(x, target, **kw)
    x = c.floating(1, 3)
    if name == "cross_entropy_probs":
        x = c.floating(2, 2)
        probs = c.leaf(tuple(x.shape), grad=False).softmax(1)
        return F.cross_entropy(x, probs, reduction=reduction, label_smoothing=r.choice((0.0, 0.2)))  # fmt: skip
    y = c.leaf(tuple(x.shape), grad=r.random() < 0.3)
    sign = c.tensor(np.where(c.data.random(tuple(x.shape)) < 0.5, -1.0, 1.0).astype(c.fdtype))
    if name == "margin_ranking":
        return F.margin_ranking_loss(x, y, sign, margin=0.2, reduction=reduction)
    if name == "hinge_embedding":
        return F.hinge_embedding_loss(x, sign, reduction=reduction)
    if name == "cosine_embedding":
        x2 = c.floating(2, 2)
        y2 = c.leaf(tuple(x2.shape))
        t = c.tensor(np.where(c.data.random(x2.shape[0]) < 0.5, -1, 1))
        return F.cosine_embedding_loss(x2, y2, t, margin=0.1, reduction=reduction)
    if name == "triplet":
        return F.triplet_margin_loss(x, y, c.leaf(tuple(x.shape)), reduction=reduction)
    if name == "poisson_nll":
        return F.poisson_nll_loss(x, y.abs(), log_input=r.random() < 0.5, reduction=reduction)
    if name == "gaussian_nll":
        c.may_sync = True  # PyTorch's Python code asks torch.any(var < 0) too
        var = c.leaf(tuple(x.shape), low=0.1, grad=r.random() < 0.5)
        return F.gaussian_nll_loss(x, y, var, reduction=reduction)
    if name == "multi_margin":
        x2 = c.floating(2, 2)
        t = c.tensor(c.data.integers(0, x2.shape[1], (x2.shape[0],)))
        return F.multi_margin_loss(x2, t, p=r.choice((1, 2)), reduction=reduction)
    if name == "multilabel_soft_margin":
        x2 = c.floating(2, 2)
        t = c.tensor((c.data.random(tuple(x2.shape)) < 0.5).astype(c.fdtype))
        return F.multilabel_soft_margin_loss(x2, t, reduction=reduction)
    if name == "mse":
        return F.mse_loss(x, y, reduction=reduction)
    if name == "l1":
        return F.l1_loss(x, y, reduction=reduction)
    if name == "smooth_l1":
        return F.smooth_l1_loss(x, y, reduction=reduction, beta=r.choice((1.0, 0.5, 0.0)))
    if name == "huber":
        return F.huber_loss(x, y, reduction=reduction, delta=r.choice((1.0, 0.5)))
    if name == "soft_margin":
        return F.soft_margin_loss(x, y.sign(), reduction=reduction)
    target = c.tensor(c.data.random(tuple(x.shape)).astype(str(x.dtype).split(".")[-1]))
    if name == "bce":
        return F.binary_cross_entropy(x.sigmoid(), target, reduction=reduction)
    if name == "kl_div":
        return F.kl_div(F.log_softmax(x, -1), target.softmax(-1), reduction="batchmean")
    kw = {"pos_weight": c.leaf(tuple(x.shape[-1:]), low=0.5, grad=False)} if r.random() < 0.4 else {}  # fmt: skip
    return F.binary_cross_entropy_with_logits(x, target, reduction=reduction, **kw)


OPS = {
    op_unary: 3,
    op_number: 4,
    op_binary: 4,
    op_where: 1,
    op_clamp: 1,
    op_reduce: 3,
    op_shape: 4,
    op_gather: 2,
    op_index: 2,
    op_setitem: 2,
    op_inplace: 2,
    op_matmul: 2,
    op_misc: 3,
    op_layer2: 2,
    op_factory: 1,
    op_layer: 3,
    op_loss: 2,
}


# ---- running and comparing --------------------------------------------------------------------
def _outcome(c: Ctx, value) -> object:
    if isinstance(value, Random):
        c.devices.append(value.t.device.type)
        return value.outcome()
    if isinstance(value, (list, tuple)):
        return [_outcome(c, v) for v in value]
    if hasattr(value, "device") and hasattr(value, "dtype"):
        c.devices.append(value.device.type)
        return tensor_outcome(value)
    return ("value", repr(value))


def _error(e: Exception) -> tuple:
    return ("error", type(e).__name__, str(e))


def _tensors(value) -> list:
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _tensors(v)]
    return [value] if hasattr(value, "dtype") and hasattr(value, "device") else []


def _gradients(c: Ctx) -> list:
    T = c.T
    parts = [t for t in c.pool if t.requires_grad and t.is_floating_point() and t.numel()]
    if not parts:
        return []
    total = 0
    for i, t in enumerate(parts):
        w = np.cos(np.arange(t.numel()) + i).reshape(tuple(t.shape))
        total = total + (t * c.tensor(w.astype(str(t.dtype).split(".")[-1]))).sum()
    leaves = [t for t in c.leaves if t.requires_grad]
    second = c.seed % 3 == 0  # second-order gradients: of the first ones' squared sum
    rounds: list = []
    with host_syncs() as syncs:
        try:
            grads = T.autograd.grad(total, leaves, allow_unused=True, create_graph=second)
            rounds.append(grads)
            firsts = [g for g in grads if g is not None and g.requires_grad] if second else []
            if firsts:
                square = sum((g * g).sum() for g in firsts)
                rounds.append(T.autograd.grad(square, leaves, allow_unused=True))
        except Exception as e:  # noqa: BLE001 (the error is compared)
            rounds.append(e)
    c.syncs += [] if c.backward_syncs else [f"backward: {s}" for s in syncs]
    return [
        _error(gs)
        if isinstance(gs, Exception)
        else [None if g is None else _outcome(c, g) for g in gs]  # fmt: skip
        for gs in rounds
    ]


def run_chain(T, dev: str, seed: int) -> dict:
    c = Ctx(T, dev, seed)
    c.devices, c.syncs = [], []
    ops, weights = list(OPS), list(OPS.values())
    steps = []
    for i in range(c.r.randint(*STEPS)):
        op = c.r.choices(ops, weights)[0]
        c.r = random.Random(seed * 1000 + i)
        c.may_sync = False
        with host_syncs() as syncs:
            try:
                value = op(c)
            except Exception as e:  # noqa: BLE001 (the error is compared)
                value = e
        if syncs and not c.may_sync:
            c.syncs += [f"step {i} ({c.log[-1] if c.log else op.__name__}): {s}" for s in syncs]
        if isinstance(value, Exception):
            steps.append(_error(value))
            continue
        c.pool += [t for t in _tensors(value) if t.dim() <= 4]
        steps.append(_outcome(c, value))
    grads = _gradients(c)
    return {"log": c.log, "steps": steps, "grads": grads, "devices": c.devices,
            "syncs": c.syncs}  # fmt: skip


# ---- training programs ------------------------------------------------------------------------
def _train_model(T, r: random.Random):
    nn = T.nn
    kind = r.choice(("mlp", "cnn", "conv1d", "embed", "attention", "lstm", "transformer"))
    if kind == "mlp":
        # no bias right before batch norm: its gradient is zero but for rounding, which Adam
        # turns into steps of lr's size either way (as in test_fuzz_training)
        norm = r.choice((nn.Identity(), nn.BatchNorm1d(8), nn.LayerNorm(8)))
        first = nn.Linear(5, 8, bias=not isinstance(norm, nn.BatchNorm1d))
        act = r.choice((nn.ReLU(), nn.GELU(), nn.Tanh()))
        return kind, nn.Sequential(first, norm, act, nn.Dropout(0.2), nn.Linear(8, 3)), (5,)
    if kind == "cnn":
        norm = r.choice((nn.BatchNorm2d(4), nn.GroupNorm(2, 4)))
        conv = nn.Conv2d(1, 4, 3, padding=1, bias=not isinstance(norm, nn.BatchNorm2d))
        return kind, nn.Sequential(conv, norm, nn.ReLU(),
                                   nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16, 3)), (1, 4, 4)  # fmt: skip
    if kind == "conv1d":
        return kind, nn.Sequential(nn.Conv1d(2, 4, 3, stride=2, padding=1), nn.SiLU(),
                                   nn.AvgPool1d(2), nn.Flatten(), nn.Linear(8, 3)), (2, 8)  # fmt: skip
    if kind in ("lstm", "transformer"):

        class Sequence(nn.Module):
            def __init__(self):
                super().__init__()
                if kind == "lstm":
                    self.body = nn.LSTM(8, 8, batch_first=True, bidirectional=r.random() < 0.5)
                else:  # (no attention biases: see Attend)
                    self.body = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1, bias=False,
                                                           batch_first=True)  # fmt: skip
                self.head = nn.Linear(16 if getattr(self.body, "bidirectional", False) else 8, 3)

            def forward(self, x):
                out = self.body(x)
                return self.head((out[0] if isinstance(out, tuple) else out).mean(1))

        return kind, Sequence(), (4, 8)
    if kind == "embed":

        class Bag(nn.Module):
            def __init__(self):
                super().__init__()
                self.embed = nn.Embedding(10, 6, padding_idx=0)
                self.norm = nn.LayerNorm(6)
                self.head = nn.Linear(6, 3)

            def forward(self, x):
                return self.head(self.norm(self.embed(x)).mean(1))

        return kind, Bag(), None

    class Attend(nn.Module):
        def __init__(self):
            super().__init__()
            # no bias: the key projection's bias gets a gradient that is zero but for
            # rounding, which Adam turns into steps of lr's size either way
            self.attn = nn.MultiheadAttention(8, 2, batch_first=True, bias=False)
            self.norm = nn.LayerNorm(8)
            self.head = nn.Linear(8, 3)

        def forward(self, x):
            out, _ = self.attn(x, x, x, need_weights=False)
            return self.head(self.norm(out + x).mean(1))

    return kind, Attend(), (4, 8)


def train_spec(seed: int) -> dict:
    r = random.Random(seed)
    return {
        "loss": r.choice(
            ("cross_entropy", "cross_entropy_ls", "nll", "mse", "bce_logits", "smooth_l1")
        ),
        "optimizer": r.choice(("SGD", "SGD momentum", "Adam", "AdamW", "RMSprop", "Adagrad")),
        "options": r.choice(({}, {"foreach": False}, {"fused": True}, {"maximize": True})),
        "amp": r.random() < 0.3,
        "overflow": r.random() < 0.3,  # GradScaler: a scale that overflows float16 first
        "set_to_none": r.random() < 0.5,
        "clip": r.choice((None, "norm", "value")),
        "scheduler": r.choice((None, "StepLR", "OneCycleLR")),
    }


def _loss(T, name: str, out, y_int, y_float):
    F = T.nn.functional
    if name == "cross_entropy":
        return F.cross_entropy(out, y_int, ignore_index=2)
    if name == "cross_entropy_ls":
        return F.cross_entropy(out, y_int, label_smoothing=0.1)
    if name == "nll":
        return F.nll_loss(F.log_softmax(out, 1), y_int)
    if name == "mse":
        return F.mse_loss(out, y_float)
    if name == "smooth_l1":
        return F.smooth_l1_loss(out, y_float)
    return F.binary_cross_entropy_with_logits(out, y_float.sigmoid())


def run_train(T, dev: str, seed: int) -> dict:
    s = train_spec(seed)
    r = random.Random(seed)
    T.manual_seed(seed)
    kind, model, shape = _train_model(T, r)
    model = model.to(dev)
    data = np.random.default_rng(seed)
    if shape is None:
        x = T.tensor(data.integers(0, 10, (6, 5)), device=dev)
    else:
        x = T.tensor(data.standard_normal((6, *shape)).astype(np.float32), device=dev)
    y_int = T.tensor(data.integers(0, 3, (6,)), device=dev)
    y_float = T.tensor(data.standard_normal((6, 3)).astype(np.float32), device=dev)
    params = list(model.parameters())
    name, options = s["optimizer"], s["options"]
    if "fused" in options and name not in ("SGD", "SGD momentum", "Adam", "AdamW", "Adagrad"):
        options = {}
    if name == "SGD":
        opt = T.optim.SGD(params, lr=0.1, **options)
    elif name == "SGD momentum":
        opt = T.optim.SGD(params, lr=0.05, momentum=0.9, nesterov=r.random() < 0.5,
                          weight_decay=0.01, **options)  # fmt: skip
    else:
        opt = getattr(T.optim, name)(params, lr=0.01, weight_decay=0.01, **options)
    sched = None
    if s["scheduler"] == "StepLR":
        sched = T.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    elif s["scheduler"] == "OneCycleLR":
        sched = T.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=0.05, total_steps=3, cycle_momentum=False
        )
    amp_dev = "cuda" if dev == "cuda" else "cpu"
    scale = 2.0**40 if s["overflow"] else 256.0
    scaler = T.amp.GradScaler(amp_dev, init_scale=scale) if s["amp"] else None
    losses, syncs, scaler_syncs = [], [], []
    T.manual_seed(seed + 1)
    for _ in range(2):
        with host_syncs() as log:
            opt.zero_grad(set_to_none=s["set_to_none"])
            ctx = T.autocast(amp_dev, dtype=T.float16) if s["amp"] else contextlib.nullcontext()
            with ctx:
                loss = _loss(T, s["loss"], model(x), y_int, y_float)
            (loss if scaler is None else scaler.scale(loss)).backward()
            if s["clip"] and scaler is not None:
                scaler.unscale_(opt)
            if s["clip"] == "norm":
                T.nn.utils.clip_grad_norm_(params, 1.0)
            elif s["clip"] == "value":
                T.nn.utils.clip_grad_value_(params, 0.05)
            in_step: list = []
            if scaler is None:
                opt.step()
            else:
                with host_syncs() as in_step:
                    scaler.step(opt)
                scaler_syncs.append(len(in_step))
                scaler.update()
            if sched is not None:
                sched.step()
        syncs += [entry for entry in log if entry not in in_step]
        losses.append(tensor_outcome(loss))
        if scaler is not None:
            losses.append(scaler.get_scale())
    c_devices = [p.device.type for p in params]
    return {
        "log": [kind, str(s)],
        "steps": [
            losses,
            [tensor_outcome(p) for p in params],
            [tensor_outcome(b) for b in model.buffers()],
        ],
        "grads": [None if p.grad is None else tensor_outcome(p.grad) for p in params],
        "devices": c_devices + [loss.device.type],
        "syncs": syncs + [f"scaler.step made {n} syncs" for n in scaler_syncs if n > 1],
        # float16 under autocast, and Adam's steps of lr's size on gradients that are zero
        # but for rounding (MultiheadAttention's device path rounds differently): looser
        "loose": s["amp"] or s["optimizer"] in ("Adam", "AdamW", "RMSprop", "Adagrad"),
        "amp": s["amp"],
    }


def kind(seed: int) -> str:
    return "train" if seed % 7 == 3 else "chain"


def run(T, dev: str, seed: int) -> dict:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return (run_train if kind(seed) == "train" else run_chain)(T, dev, seed)


def describe(seed: int) -> str:
    return "\n".join(run(minitorch, "cpu", seed)["log"])


def _compare_error(actual, expected, where) -> None:
    """The same error, word for word but for the device's name (PyTorch's CUDA kernels
    name themselves: "addcmul_cuda_out" for "addcmul_cpu_out")."""
    assert isinstance(actual, tuple) and actual[:2] == expected[:2], (where, actual, expected)
    names = {expected[2], expected[2].replace("cpu", "cuda"), expected[2].replace("cpu", "cuda:0")}
    assert actual[2] in names, (where, actual, expected)


def _largest(outcomes) -> float:
    """The largest finite magnitude among a list of tensor outcomes (0 for anything else)."""
    values = [o[4] for o in outcomes if isinstance(o, tuple) and o[:1] == ("tensor",)] if isinstance(outcomes, list) else []  # fmt: skip
    finite = [np.abs(v[np.isfinite(v)]) for v in values if v.dtype.kind == "f"]
    return max((float(v.max()) for v in finite if v.size), default=0.0)


def compare(actual: dict, expected: dict, fused: bool) -> None:
    """The device run ``actual`` agrees with the CPU run ``expected``."""
    tol = TOLERANCE[fused]
    if expected.get("loose"):
        tol = dict.fromkeys(tol, (2e-3, 2e-3))

    def tensor(a, e, where, scale=0.0):
        rtol, atol = tol.get(e[1], tol["float64"])
        assert_tensor_outcome(a, e, where, exact=False, tolerance=(rtol, max(atol, rtol * scale)))

    assert actual["log"] == expected["log"], (actual["log"], expected["log"])
    assert_tree(actual["steps"], expected["steps"], "steps", tensor, _compare_error)
    # a gradient that is zero but for rounding (a second-order one of a norm's bias, seed
    # 2310) is compared at the scale of its round's largest
    for i, (a, e) in enumerate(zip(actual["grads"], expected["grads"])):
        compare_round = functools.partial(tensor, scale=_largest(e))
        assert_tree([a], [e], f"grads[{i}]", compare_round, _compare_error)
    assert len(actual["grads"]) == len(expected["grads"]), (actual["grads"], expected["grads"])
    assert set(actual["devices"]) <= {"cuda"}, actual["devices"]
    assert len(actual["devices"]) == len(expected["devices"])
    assert actual["syncs"] == [], actual["syncs"]


@contextlib.contextmanager
def _amp_on_the_fake():
    """GradScaler and autocast("cuda") enabled on the fake device (they ask whether CUDA
    is available, which it is not here)."""
    saved = grad_scaler.cuda_available, autocast_mode.cuda_available
    grad_scaler.cuda_available = autocast_mode.cuda_available = lambda: True
    try:
        yield
    finally:
        grad_scaler.cuda_available, autocast_mode.cuda_available = saved


def check(seed: int) -> None:
    """The seed's program on the fake device, without and with the fused kernels, agrees
    with the CPU; under autocast (whose CPU op lists are not CUDA's) with the unfused run."""
    expected = run(minitorch, "cpu", seed)
    for fused in (False, True):
        with installed(fused=fused), _amp_on_the_fake():
            actual = run(minitorch, "cuda", seed)
        if expected.get("amp"):
            expected = actual if not fused else expected
            expected["amp"] = True
        compare(actual, expected, fused)


@pytest.mark.parametrize("seed", SEEDS)
def test_device_program_matches_cpu(seed):
    check(seed)


GPU_SEEDS = range(150)  # on a lent GPU: its own stage of benchmarks/gpu_check.sh


@pytest.mark.cuda
@pytest.mark.parametrize("seed", GPU_SEEDS)
def test_device_program_matches_cpu_on_the_gpu(seed):
    """The seed's program on a real GPU (cupy, its fused kernels on) agrees with the CPU, at
    the fused kernels' tolerance; autocast programs (CUDA's op lists are not the CPU's) are
    compared by what they may share: the step's log, errors and devices."""
    expected = run(minitorch, "cpu", seed)
    actual = run(minitorch, "cuda", seed)
    if expected.get("amp"):
        assert actual["log"] == expected["log"]
        assert set(actual["devices"]) <= {"cuda"}, actual["devices"]
        return
    compare(actual, expected, fused=True)
