"""Random chains of shape ops, run with real PyTorch (the oracle) and with minitorch: views,
reshapes, permutations, expansions, squeezes, splits, joins, repeats, rolls, flips, diagonals
and triangles, with random (sometimes invalid) arguments, on random shapes (0-size and 1-size
dims, non-contiguous inputs: transposed, strided, offset, expanded or channels-last views of
a leaf), broadcasting binary and in-place ops, unfold and basic indexing. After each step the
outcome records the shape, strides, storage offset, ``is_contiguous()``, ``_is_view()``, the
graph node's name and the dtype; at the end the values, the float64 gradient of a weighted
sum through the whole chain, and which elements of the result share memory with the input,
seen by writing through the input's base and then through the result (an error, such as
writing to an expanded tensor, is part of the outcome). The outcome (or the error's type and
first words) must be the same. Seeds are fixed, so a failure names a program that can be
replayed with ``run(torch, seed)``."""

from __future__ import annotations

import random

import numpy as np
import pytest

import minitorch

SEEDS = range(600)
BAD = 0.08  # how often an argument is drawn out of its valid range


def _dim(r, nd: int, extra: int = 0) -> int:
    """A dim of an ``nd``-dim tensor (``extra`` more for unsqueeze), negative half the time,
    out of range with probability BAD."""
    n = max(nd, 1) + extra
    if r.random() < BAD:
        return r.choice([n, -n - 1])
    return r.randrange(-n, n)


def _factors(n: int) -> list:
    out, p = [], 2
    while n > 1 and p * p <= n:
        while n % p == 0:
            out.append(p)
            n //= p
        p += 1
    return out + ([n] if n != 1 else [])


def _regroup(r, sizes) -> list:
    """Sizes with the same product: the prime factors of ``sizes`` (0 kept as a factor), with
    1s inserted, cut into random groups; sometimes one -1, sometimes a wrong size."""
    parts = [f for s in sizes for f in ([0] if s == 0 else _factors(s))]
    for _ in range(r.randrange(3)):
        parts.insert(r.randrange(len(parts) + 1), 1)
    if not parts:
        return []
    cuts = sorted(r.sample(range(1, len(parts)), r.randrange(len(parts))))
    shape = [int(np.prod(parts[i:j])) for i, j in zip([0, *cuts], [*cuts, len(parts)])]
    k = r.random()
    if k < 0.25:
        shape[r.randrange(len(shape))] = -1
    elif k < 0.25 + BAD:
        shape[r.randrange(len(shape))] += 1
    return shape


def _expanded(r, shape) -> list:
    """A shape ``shape`` can expand to (1s grown, new leading dims, -1s kept), sometimes not."""
    out = [r.choice([1, 2, 3]) if s == 1 else r.choice([s, -1]) for s in shape]
    out = [r.choice([1, 2]) for _ in range(r.randrange(3))] + out
    if out and r.random() < BAD:
        i = r.randrange(len(out))
        out[i] = out[i] + 1 if out[i] > 0 else 2
    return out


def _dims(r, nd: int) -> tuple:
    return tuple(r.sample(range(nd), r.randrange(nd + 1))) if nd else ()


def _split_sizes(r, n: int) -> list:
    sizes = []
    while n > 0:
        sizes.append(r.randint(0 if r.random() < 0.2 else 1, n))
        n -= sizes[-1]
    return sizes + ([r.choice([0, 1])] if r.random() < 0.3 else [])


def _pick(T, r, pieces):
    """One piece of a multi-output op, or all of them joined back in reverse order."""
    if r.random() < 0.3 and pieces and pieces[0].dim():
        return "cat(reversed)", T.cat(pieces[::-1])
    i = r.randrange(len(pieces)) if pieces else None
    return f"piece {i}", pieces[i] if pieces else T.zeros(0, dtype=T.float64)


def _view(T, x, r):
    shape = _regroup(r, x.shape)
    if r.random() < 0.5:
        return f"view(*{shape})", lambda: x.view(*shape)
    return f"view({shape})", lambda: x.view(shape)


def _reshape(T, x, r):
    shape = _regroup(r, x.shape)
    return f"reshape{shape}", lambda: x.reshape(shape)


def _permute(T, x, r):
    nd = x.dim()
    dims = [d - nd if r.random() < 0.3 else d for d in r.sample(range(nd), nd)]
    if r.random() < BAD:
        dims = dims[1:] if dims else [0]
    elif r.random() < BAD and nd > 1:
        dims[0] = dims[1]
    if r.random() < 0.5:
        return f"permute(*{dims})", lambda: x.permute(*dims)
    return f"permute({dims})", lambda: x.permute(dims)


def _transpose(T, x, r):
    a, b = _dim(r, x.dim()), _dim(r, x.dim())
    fn = r.choice(["transpose", "swapaxes", "swapdims"])
    return f"{fn}({a}, {b})", lambda: getattr(x, fn)(a, b)


def _t(T, x, r):
    fn = r.choice(["t", "mT", "T"] if x.dim() in (0, 2) else ["t", "mT"])
    return fn, lambda: x.t() if fn == "t" else getattr(x, fn)


def _expand(T, x, r):
    shape = _expanded(r, x.shape)
    fn = r.choice(["expand", "expand_as", "broadcast_to"])
    if fn == "expand":
        if r.random() < 0.5:
            return f"expand(*{shape})", lambda: x.expand(*shape)
        return f"expand({shape})", lambda: x.expand(shape)
    if fn == "broadcast_to":
        return f"broadcast_to{shape}", lambda: x.broadcast_to(shape)
    target = [s if s >= 0 else x.shape[i - len(shape) + x.dim()] for i, s in enumerate(shape)]
    return f"expand_as{target}", lambda: x.expand_as(T.zeros(target))


def _squeeze(T, x, r):
    k = r.random()
    if k < 0.3:
        return "squeeze()", lambda: x.squeeze()
    if k < 0.7:
        d = _dim(r, x.dim())
        return f"squeeze({d})", lambda: x.squeeze(d)
    dims = tuple(d - x.dim() if r.random() < 0.3 else d for d in _dims(r, x.dim()))
    if r.random() < BAD:
        dims += (x.dim(),)
    return f"squeeze({dims})", lambda: x.squeeze(dims)


def _unsqueeze(T, x, r):
    d = _dim(r, x.dim(), 1) if x.dim() else r.choice([0, -1, 1, -2])
    return f"unsqueeze({d})", lambda: x.unsqueeze(d)


def _flatten(T, x, r):
    a, b = _dim(r, x.dim()), _dim(r, x.dim())
    return f"flatten({a}, {b})", lambda: x.flatten(a, b)


def _unflatten(T, x, r):
    d = _dim(r, x.dim())
    size = x.shape[d] if -x.dim() <= d < x.dim() else 4
    sizes = _regroup(r, [size]) or [1]
    return f"unflatten({d}, {sizes})", lambda: x.unflatten(d, sizes)


def _movedim(T, x, r):
    if r.random() < 0.5:
        a, b = _dim(r, x.dim()), _dim(r, x.dim())
        return f"movedim({a}, {b})", lambda: x.movedim(a, b)
    src = _dims(r, x.dim())
    dst = tuple(r.sample(range(x.dim()), len(src)))
    if r.random() < BAD:
        dst = dst[1:]
    fn = r.choice(["movedim", "moveaxis"])
    return f"{fn}({src}, {dst})", lambda: getattr(x, fn)(src, dst)


def _narrow(T, x, r):
    d = _dim(r, x.dim())
    n = x.shape[d] if -x.dim() <= d < x.dim() else 2
    start = r.randint(-n - (r.random() < BAD), n)
    length = r.randint(0, n - (start % n if n and start < n else start) + (r.random() < BAD))
    return f"narrow({d}, {start}, {length})", lambda: x.narrow(d, start, length)


def _select(T, x, r):
    d = _dim(r, x.dim())
    n = x.shape[d] if -x.dim() <= d < x.dim() else 2
    i = r.randint(-n - (r.random() < BAD), n - (r.random() > BAD))
    if r.random() < 0.7:
        return f"select({d}, {i})", lambda: x.select(d, i)
    index = (slice(None),) * (d % max(x.dim(), 1)) + (i,)
    return f"[{i}] at {d}", lambda: x[index]


def _split(T, x, r):
    d = _dim(r, x.dim())
    n = x.shape[d] if -x.dim() <= d < x.dim() else 2
    k = r.random()
    if k < 0.4:
        size = r.randint(0 if r.random() < BAD else 1, max(n, 1) + 1)
        return f"split({size}, {d})", lambda: x.split(size, d)
    if k < 0.6:
        sizes = _split_sizes(r, n) if r.random() > BAD else [n + 1]
        return f"split({sizes}, {d})", lambda: x.split(sizes, d)
    if k < 0.8:
        chunks = r.randint(0 if r.random() < BAD else 1, n + 2)
        return f"chunk({chunks}, {d})", lambda: x.chunk(chunks, d)
    if r.random() < 0.5:
        sections = r.randint(0 if r.random() < BAD else 1, n + 2)
        return f"tensor_split({sections}, {d})", lambda: x.tensor_split(sections, d)
    idx = sorted(r.randint(-1, n + 1) for _ in range(r.randrange(4)))
    return f"tensor_split({idx}, {d})", lambda: x.tensor_split(idx, d)


def _unbind(T, x, r):
    d = _dim(r, x.dim())
    return f"unbind({d})", lambda: x.unbind(d)


def _join(T, x, r):
    """stack/cat/hstack/vstack/dstack of the tensor with itself, a multiple and a (sometimes
    mismatching) narrower copy."""
    other = x * 2
    if r.random() < 0.3 and x.dim() and x.shape[-1] > 0:
        other = other[..., : r.randrange(x.shape[-1])]
    fn = r.choice(["stack", "cat", "hstack", "vstack", "dstack", "concat"])
    tensors = r.choice([[x, other], [other, x, x], [x]])
    if fn in ("stack", "cat", "concat"):
        d = _dim(r, x.dim(), 1 if fn == "stack" else 0)
        return f"{fn}({len(tensors)}, {d})", lambda: getattr(T, fn)(tensors, d)
    return f"{fn}({len(tensors)})", lambda: getattr(T, fn)(tensors)


def _repeat(T, x, r):
    reps = [r.randint(0 if r.random() < 0.1 else 1, 3) for _ in range(x.dim() + r.randrange(3))]
    if r.random() < BAD and reps:
        reps = reps[1:]
    fn = r.choice(["repeat", "tile", "repeat(*)"])
    if fn == "repeat(*)":
        return f"repeat(*{reps})", lambda: x.repeat(*reps)
    return f"{fn}({reps})", lambda: getattr(x, fn)(reps)


def _repeat_interleave(T, x, r):
    d = _dim(r, x.dim()) if r.random() < 0.7 else None
    n = x.numel() if d is None else (x.shape[d] if -x.dim() <= d < x.dim() else 2)
    if r.random() < 0.5:
        reps = r.randint(0, 3)
        return f"repeat_interleave({reps}, {d})", lambda: x.repeat_interleave(reps, d)
    reps = [r.randint(0, 3) for _ in range(n + (r.random() < BAD))]
    counts = T.tensor(reps, dtype=T.int64)
    return f"repeat_interleave({reps}, {d})", lambda: x.repeat_interleave(counts, d)


def _roll(T, x, r):
    if r.random() < 0.3:
        s = r.randint(-5, 5)
        return f"roll({s})", lambda: x.roll(s)
    dims = tuple(d - x.dim() if r.random() < 0.3 else d for d in _dims(r, x.dim())) or (0,)
    shifts = tuple(r.randint(-5, 5) for _ in dims)
    if r.random() < BAD:
        shifts = shifts + (1,)
    if len(dims) == 1 and r.random() < 0.5:
        return f"roll({shifts[0]}, {dims[0]})", lambda: x.roll(shifts[0], dims[0])
    return f"roll({shifts}, {dims})", lambda: x.roll(shifts, dims)


def _flip(T, x, r):
    dims = [d - x.dim() if r.random() < 0.3 else d for d in _dims(r, x.dim())]
    if r.random() < BAD:
        dims = dims + [dims[0]] if dims else [x.dim()]
    fn = r.choice(["flip", "fliplr", "flipud"])
    if fn != "flip":
        return fn, lambda: getattr(x, fn)()
    return f"flip{dims}", lambda: x.flip(dims)


def _diagonal(T, x, r):
    a, b = _dim(r, x.dim()), _dim(r, x.dim())
    off = r.randint(-3, 3)
    if r.random() < 0.3:
        return f"diagonal({off})", lambda: x.diagonal(off)
    return f"diagonal({off}, {a}, {b})", lambda: x.diagonal(off, a, b)


def _triangle(T, x, r):
    fn, k = r.choice(["tril", "triu"]), r.randint(-3, 3)
    return f"{fn}({k})", lambda: getattr(x, fn)(k)


def _contiguous(T, x, r):
    return "contiguous", lambda: x.contiguous()


def _step(T, x, r):
    d = _dim(r, x.dim())
    step = r.randint(1, 3)
    index = (slice(None),) * (d % max(x.dim(), 1)) + (slice(None, None, step),)
    return f"[::{step}] at {d}", lambda: x[index]


def _other_shape(r, shape) -> list:
    """A shape that broadcasts with ``shape`` (trailing dims 1 or equal, maybe more leading
    dims, maybe fewer), sometimes one that does not."""
    out = [r.choice([1, s]) for s in shape[r.randrange(len(shape) + 1) :]]
    out = [r.choice([1, 2]) for _ in range(r.randrange(2))] + out
    if out and r.random() < BAD * 2:
        i = r.randrange(len(out))
        out[i] += 2
    return out


def _broadcast(T, x, r):
    """A binary op, ``broadcast_tensors`` or an in-place op of the tensor with a tensor of
    another shape: a constant, or a keepdim reduction of the tensor."""
    if r.random() < 0.3 and x.dim():
        dims = _dims(r, x.dim()) or (0,)
        desc, other = f"sum({dims}, keepdim)", x.sum(dims, keepdim=True)
    else:
        shape = _other_shape(r, list(x.shape))
        values = np.linspace(-1.5, 2, int(np.prod(shape))).reshape(shape)
        desc, other = f"other{shape}", T.tensor(values)
    fn = r.choice(["add", "mul", "maximum", "where", "broadcast_tensors", "add_", "copy_"])
    if fn == "add":
        return f"x + {desc}", lambda: x + other
    if fn == "mul":
        return f"{desc} * x", lambda: other * x
    if fn == "maximum":
        return f"maximum(x, {desc})", lambda: T.maximum(x, other)
    if fn == "where":
        return f"where(x > 0, x, {desc})", lambda: T.where(x > 0, x, other)
    if fn == "broadcast_tensors":
        i = r.randrange(2)
        return f"broadcast_tensors(x, {desc})[{i}]", lambda: T.broadcast_tensors(x, other)[i]
    return f"clone().{fn}({desc})", lambda: getattr(x.clone(), fn)(other)


def _unfold(T, x, r):
    d = _dim(r, x.dim())
    n = x.shape[d] if -x.dim() <= d < x.dim() else 1
    size, step = r.randint(0, n + (r.random() < BAD)), r.randint(0 if r.random() < BAD else 1, 3)
    return f"unfold({d}, {size}, {step})", lambda: x.unfold(d, size, step)


def _as(T, x, r):
    shape = [s if s >= 0 else 1 for s in _regroup(r, x.shape)]
    fn = r.choice(["view_as", "reshape_as"])
    return f"{fn}({shape})", lambda: getattr(x, fn)(T.zeros(shape))


def _inplace_view(T, x, r):
    """A metadata-changing in-place op of a view of the tensor (``x[...]``)."""
    fn = r.choice(["squeeze_", "unsqueeze_", "t_", "transpose_", "swapdims_"])
    if fn == "squeeze_":
        d = _dim(r, x.dim()) if r.random() < 0.6 else None
        args = () if d is None else (d,)
    elif fn == "unsqueeze_":
        args = (_dim(r, x.dim(), 1),)
    elif fn == "t_":
        args = ()
    else:
        args = (_dim(r, x.dim()), _dim(r, x.dim()))
    return f"[...].{fn}{args}", lambda: getattr(x[...], fn)(*args)


def _atleast(T, x, r):
    k = r.choice([1, 2, 3])
    return f"atleast_{k}d", lambda: getattr(T, f"atleast_{k}d")(x)


def _hvsplit(T, x, r):
    fn = r.choice(["hsplit", "vsplit", "dsplit"])
    d = {"hsplit": 1 if x.dim() > 1 else 0, "vsplit": 0, "dsplit": 2}[fn]
    n = x.shape[d] if d < x.dim() else 2
    if r.random() < 0.5:
        k = (
            r.choice([c for c in range(1, max(n, 1) + 1) if n % c == 0])
            if r.random() > BAD
            else n + 1
        )
        return f"{fn}({k})", lambda: getattr(T, fn)(x, k)
    idx = sorted(r.randint(0, n + 1) for _ in range(r.randrange(3)))
    return f"{fn}({idx})", lambda: getattr(T, fn)(x, idx)


def _index_view(T, x, r):
    """Basic indexing that adds, keeps and drops dims: None, Ellipsis, ints and slices."""
    items = []
    for _ in range(r.randrange(4)):
        k = r.random()
        if k < 0.3:
            items.append(None)
        elif k < 0.45 and Ellipsis not in items:
            items.append(Ellipsis)
        elif k < 0.7:
            items.append(r.randint(-2, 2))
        else:
            items.append(
                slice(r.choice([None, -1, 1]), r.choice([None, 2, -1]), r.choice([None, 2]))
            )
    index = tuple(items)
    return f"[{index}]", lambda: x[index]


def _sum_to_size(T, x, r):
    shape = [r.choice([1, s]) for s in x.shape[r.randrange(x.dim() + 1) :]]
    if shape and r.random() < BAD:
        shape[0] += 1
    return f"sum_to_size({shape})", lambda: x.sum_to_size(shape)


OPS = {
    "view": _view,
    "reshape": _reshape,
    "permute": _permute,
    "transpose": _transpose,
    "t": _t,
    "expand": _expand,
    "squeeze": _squeeze,
    "unsqueeze": _unsqueeze,
    "flatten": _flatten,
    "unflatten": _unflatten,
    "movedim": _movedim,
    "narrow": _narrow,
    "select": _select,
    "split": _split,
    "unbind": _unbind,
    "join": _join,
    "repeat": _repeat,
    "repeat_interleave": _repeat_interleave,
    "roll": _roll,
    "flip": _flip,
    "diagonal": _diagonal,
    "triangle": _triangle,
    "contiguous": _contiguous,
    "step": _step,
    "broadcast": _broadcast,
    "unfold": _unfold,
    "as": _as,
    "inplace_view": _inplace_view,
    "atleast": _atleast,
    "hvsplit": _hvsplit,
    "index_view": _index_view,
    "sum_to_size": _sum_to_size,
}


def _leaf(T, seed: int, dtype):
    """The leaf and the program's input: a view of it that is contiguous, transposed, strided,
    offset, expanded or (4-d) channels-last."""
    r = random.Random(seed)
    rng = np.random.default_rng(seed)
    shape = [
        r.choice([1, 2, 3, 4, 0] if r.random() < 0.1 else [1, 2, 3, 4])
        for _ in range(r.choice([0, 1, 2, 2, 3, 3, 4]))
    ]
    kinds = ["contiguous", "transposed", "strided", "offset", "expanded"]
    kind = r.choice(kinds + ["channels_last"] * (len(shape) == 4)) if shape else "contiguous"
    base_shape = list(shape)
    if kind == "channels_last":
        base_shape = [shape[0], *shape[2:], shape[1]]
    elif kind == "transposed":
        base_shape = base_shape[::-1]
    elif kind == "strided":
        base_shape[-1] *= 2
    elif kind == "offset":
        base_shape[0] += 1
    elif kind == "expanded":
        base_shape[r.randrange(len(shape))] = 1
    values = (
        rng.integers(-9, 10, base_shape) if dtype == "int64" else rng.standard_normal(base_shape)
    )
    leaf = T.tensor(values, dtype=getattr(T, dtype), requires_grad=dtype == "float64")
    x = {
        "contiguous": lambda: leaf,
        "transposed": lambda: leaf.permute(*range(len(shape) - 1, -1, -1)),
        "strided": lambda: leaf[..., ::2],
        "offset": lambda: leaf[1:],
        "expanded": lambda: leaf.expand(shape),
        "channels_last": lambda: leaf.permute(0, 3, 1, 2),
    }[kind]()
    return r, leaf, x, f"{kind} {shape} {dtype}"


def _meta(t) -> list:
    """Shape, strides, storage offset, contiguity, whether it is a view (of the leaf, for
    autograd), its graph node and dtype. minitorch's strides come from numpy's,
    which differ from PyTorch's where no element's address depends on them: the strides of
    dims of size 1, and the strides and offset of a tensor with no elements."""
    empty = t.numel() == 0
    strides = [None if empty or n == 1 else s for n, s in zip(t.shape, t.stride())]
    node = type(t.grad_fn).__name__ if t.grad_fn is not None else None
    layout = [None if empty else t.storage_offset(), t.is_contiguous(), t._is_view(), node]
    return [list(t.shape), strides, *layout, str(t.dtype).split(".")[-1]]


def _values(t) -> list:
    values = np.asarray(t.detach().tolist(), dtype=np.float64)
    return [str(v) for v in np.round(values, 6).ravel() + 0.0]  # -0.0 == 0.0


def _error(e: Exception) -> tuple:
    return ("error", type(e).__name__, str(e).split("\nException raised from")[0])


def same(mine: list, theirs: list) -> bool:
    """Outcomes agree. An error agrees when PyTorch's message (its first 80 characters,
    without the C++ backtrace it appends to some) is in minitorch's: minitorch adds context
    to some messages (the input's shape; the op's name and both shapes of a broadcast)."""
    if len(mine) != len(theirs):
        return False
    for a, b in zip(mine, theirs):
        if isinstance(a, tuple) and isinstance(b, tuple) and a[:2] == b[:2]:
            if b[2][:80] not in a[2]:
                return False
        elif a != b:
            return False
    return True


def _chain(T, seed: int, dtype: str, out: list):
    r, leaf, x, desc = _leaf(T, seed, dtype)
    out.append(desc)
    for _ in range(r.randint(1, 5)):
        name = r.choice(list(OPS))
        desc, thunk = OPS[name](T, x, r)
        out.append(desc)
        x = thunk()
        if isinstance(x, (tuple, list)):
            out.append([_meta(p) for p in x])
            desc, x = _pick(T, r, x)
            out.append(desc)
        out.append(_meta(x))
    return leaf, x


def run(T, seed: int) -> list:
    dtype = "int64" if seed % 7 == 3 else "float64"
    out = []
    try:
        leaf, y = _chain(T, seed, dtype, out)
    except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
        return out + [_error(e)]
    out.append(_values(y))
    if y.requires_grad:
        weights = T.tensor(np.random.default_rng(seed).standard_normal(tuple(y.shape)))
        (y * weights).sum().backward()
        out.append(_values(leaf.grad))
    # which elements share memory: write through the input's base, then through the result
    with T.no_grad():
        leaf, y = _chain(T, seed, dtype, [])
        before, base_before = y.clone(), leaf.clone()
        leaf.add_(100)
        out.append(_values(y - before))
        if _self_overlapping(y):  # PyTorch's in-place result depends on its visiting order
            return out + ["self-overlapping"]
        try:
            y.add_(1000)
            out.append(_values(leaf - base_before))
        except Exception as e:  # noqa: BLE001
            out.append(_error(e))
    return out


def _self_overlapping(t) -> bool:
    """Whether elements of ``t`` share memory other than by broadcasting (``unfold``'s
    overlapping windows): PyTorch does not refuse to write to it, and the result is
    undefined (an element is written once per time it is visited)."""
    sizes = [(n, s) for n, s in zip(t.shape, t.stride()) if n > 1]
    if any(s == 0 for _, s in sizes):
        return False  # broadcast: PyTorch refuses the write, compared as an error
    steps = [s for _, s in sizes]
    places = {np.dot(idx, steps) for idx in np.ndindex(*[n for n, _ in sizes])}
    return len(places) < t.numel()


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("seed", SEEDS)
def test_random_shape_chain_matches_pytorch(torch, seed):
    expected, actual = run(torch, seed), run(minitorch, seed)
    assert same(actual, expected), (actual, expected)
