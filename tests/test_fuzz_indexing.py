"""Random indexing programs, run with real PyTorch (the oracle) and with minitorch: ``x[idx]``
and ``x[idx] = v`` with mixtures of ints (negative, out of range), slices (steps, bounds
beyond the dim), None, Ellipsis, bool masks (over one or two dims, full or partial, as
tensors or lists), integer index tensors, lists and numpy arrays (broadcasting together,
negative, repeated), 0-d tensors and Python bools, on tensors of 1-4 dims, several dtypes
and layouts (contiguous, permuted, strided); values as numbers, tensors that broadcast or
of another dtype; ``index_put_`` with ``accumulate``; first and second derivatives through
getitem and setitem of a non-leaf float64 tensor (or a view of it); whether the result
shares memory (a write through it shows in the base). The outcome of each program (values,
shape, dtype, gradients, grad_fn name, or the error's type and first words) must be the
same. Seeds are fixed, so a failure names a program that can be replayed with
``describe(seed)``."""

from __future__ import annotations

import random

import numpy as np
import pytest

import minitorch

SEEDS = range(600)

DTYPES = ("float32", "float64", "int64", "int32", "uint8", "bool", "float16")
OPS = ("get", "get", "set", "set", "index_put_", "grad_get", "grad_set")
LAYOUTS = ("contiguous", "contiguous", "permuted", "strided")


def _int(r: random.Random, n: int) -> int:
    """An index into a dim of size ``n``: in range (negative too), now and then just out."""
    if r.random() < 0.07 or n == 0:
        return r.choice([n, -n - 1, n + 2])
    return r.randint(-n, n - 1)


def _bound(r: random.Random):
    return r.choice([None, None, 0, 1, 2, -1, -2, 3, 5, -6, 9])


def _index_shape(r: random.Random) -> tuple:
    return r.choice([(), (1,), (2,), (3,), (2, 1), (1, 2), (2, 2), (0,), (3, 1)])


def _item(r: random.Random, kind: str, sizes: list, array_shape: tuple):
    """The spec of one index item over the dims of ``sizes`` (one, two for a 2-d mask)."""
    n = sizes[0]
    if kind == "int":
        return ("int", _int(r, n))
    if kind == "slice":
        step = r.choice([None, None, 1, 2, 3]) if r.random() > 0.03 else r.choice([0, -1])
        return ("slice", _bound(r), _bound(r), step)
    if kind == "mask":
        shape = list(sizes)
        if r.random() < 0.08:
            shape[-1] += r.choice([-1, 1])  # a mask that does not fit
        shape = [max(s, 0) for s in shape]
        values = [r.random() < 0.5 for _ in range(int(np.prod(shape)))]
        return ("mask", tuple(shape), values, r.random() < 0.2 and len(shape) == 1)
    if kind == "array":
        count = int(np.prod(array_shape))
        values = [_int(r, n) if r.random() < 0.2 else r.randint(-n, n - 1) if n else 0
                  for _ in range(count)]  # fmt: skip
        forms = ["long", "long", "int32", "list", "ndarray"] if array_shape else ["long", "int32"]
        form = r.choice(forms)
        if r.random() < 0.04:
            form = r.choice(["float", "uint8"])
        return ("array", array_shape, values, form)
    if kind == "0d":
        if r.random() < 0.15:
            return ("0d", r.random() < 0.5, "bool")
        return ("0d", _int(r, n), r.choice(["long", "int32"]))
    raise AssertionError(kind)


def _index(r: random.Random, shape: tuple) -> list:
    """The specs of an index into a tensor of ``shape``."""
    ndim = len(shape)
    kinds, used, wanted = [], 0, r.randint(1, ndim) + (r.random() < 0.04)  # now and then too many
    while used < wanted:
        kind = r.choice(["int", "slice", "slice", "mask", "array", "array", "0d"])
        dims = 2 if kind == "mask" and r.random() < 0.3 and used + 2 <= wanted else 1
        kinds.append((kind, dims))
        used += dims
    ellipsis = r.random() < 0.3
    at = r.randint(0, len(kinds)) if ellipsis else len(kinds)
    after = sum(d for _, d in kinds[at:])
    array_shape = _index_shape(r)
    items, dim = [], 0
    for pos, (kind, dims) in enumerate(kinds):
        if pos == at:
            items.append(("ellipsis",))
            dim = max(dim, ndim - after)
        sizes = [shape[dim + j] if dim + j < ndim else 3 for j in range(dims)]
        if kind == "array" and r.random() < 0.3:
            array_shape = _index_shape(r)  # arrays of shapes that may not broadcast
        items.append(_item(r, kind, sizes, array_shape))
        dim += dims
    if ellipsis and at == len(kinds):
        items.append(("ellipsis",))
    for _ in range(r.choice([0, 0, 0, 1, 2])):
        items.insert(r.randint(0, len(items)), r.choice([("none",)] * 4 + [("bool", True)]))
    if r.random() < 0.02:  # (a second Ellipsis: PyTorch's rule for it is not followed)
        items.insert(r.randint(0, len(items)), ("float", 1.0))
    return items


def program(seed: int):
    """Program ``seed``: (op, shape, dtype, index specs, value spec, accumulate)."""
    r = random.Random(seed)
    op = OPS[seed % len(OPS)]
    shape = tuple(r.choice([1, 2, 3, 4, 4, 3, 0] if r.random() < 0.1 else [1, 2, 3, 4])
                  for _ in range(r.randint(1, 4)))  # fmt: skip
    dtype = "float64" if op.startswith("grad") else r.choice(DTYPES)
    if op == "index_put_":
        array_shape = _index_shape(r)
        index = []
        for d in range(r.randint(1, len(shape))):
            kind = "mask" if r.random() < 0.2 else "array"
            item = _item(r, kind, [shape[d]], array_shape)
            if item[-1] in ("list", "ndarray") and r.random() < 0.9:  # index_put_ takes tensors
                item = item[:-1] + ("long",)
            if item[-1] == "uint8":  # (index_put_'s deprecated byte masks: not followed)
                item = item[:-1] + ("int32",)
            index.append(item)
    else:
        index = _index(r, shape)
    value = (
        r.choice(["int", "float", "bool", "0d", "same", "broadcast", "broadcast", "other"]),
        r.random(),
    )
    if op.startswith("grad"):
        value = (r.choice(["float", "0d", "same", "broadcast"]), value[1])
    layout = r.choice(LAYOUTS)
    return op, shape, dtype, index, value, r.random() < 0.5, layout


def describe(seed: int) -> str:
    op, shape, dtype, index, value, accumulate, layout = program(seed)
    return (
        f"{op} on {layout} {dtype}{list(shape)}: index {index}, value {value}, "
        f"accumulate {accumulate}"
    )


def _build_item(T, spec):
    kind = spec[0]
    if kind in ("int", "bool", "float"):
        return spec[1]
    if kind == "slice":
        return slice(*spec[1:])
    if kind == "none":
        return None
    if kind == "ellipsis":
        return Ellipsis
    if kind == "mask":
        _, shape, values, as_list = spec
        return values if as_list else T.tensor(values, dtype=T.bool).reshape(shape)
    if kind == "0d":
        return T.tensor(spec[1], dtype={"long": T.int64, "int32": T.int32, "bool": T.bool}[spec[2]])
    _, shape, values, form = spec
    if form in ("list", "ndarray"):
        array = np.array(values, dtype=np.int64).reshape(shape)
        return array.tolist() if form == "list" else array
    dtypes = {"long": T.int64, "int32": T.int32, "float": T.float32, "uint8": T.uint8}
    if form == "uint8":
        values = [abs(v) % 2 for v in values]
    return T.tensor(values, dtype=dtypes[form]).reshape(shape)


def _index_of(T, specs):
    items = tuple(_build_item(T, s) for s in specs)
    return items[0] if len(items) == 1 and specs[0][0] != "ellipsis" else items


def _data(shape: tuple, dtype: str, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype.startswith(("int", "uint")):
        return rng.integers(0 if dtype == "uint8" else -9, 10, shape).astype(dtype)
    return np.round(rng.standard_normal(shape), 3).astype(dtype)


def _value(T, spec, target, dtype, requires_grad: bool = False):
    """The value of ``x[idx] = value``: a number, a 0-d tensor, or a tensor of the target
    shape (``target``, None where indexing fails), of one that broadcasts to it, or of
    another dtype."""
    kind, u = spec
    if kind == "int":
        return int(u * 7) - 3
    if kind == "float":
        return round(u * 4 - 2, 2)
    if kind == "bool":
        return u < 0.5
    shape = tuple(target) if target is not None else (2,)
    if kind == "0d":
        shape = ()
    elif kind == "broadcast" and shape:
        k = int(u * 10) % (len(shape) + 1)
        shape = tuple(1 if (i + int(u * 100)) % 3 == 0 else s for i, s in enumerate(shape[k:]))
        if int(u * 1000) % 4 == 0:
            shape = (1,) + shape  # a leading 1 (PyTorch drops it)
    out_dtype = dtype
    if kind == "other":
        out_dtype = "float64" if dtype != "float64" else "int64"
    data = _data(shape, out_dtype, int(u * 1e6))
    return T.tensor(data, dtype=getattr(T, out_dtype), requires_grad=requires_grad)


def _values(t, digits: int = 4):
    if t is None:
        return None
    values = np.array(t.detach().tolist(), dtype=np.float64)
    return [list(t.shape), str(t.dtype).split(".")[-1],
            [str(v) for v in np.round(values, digits).ravel() + 0.0]]  # fmt: skip


def _error(e: Exception) -> tuple:
    return ("error", type(e).__name__, str(e)[:90])


def _filler(t):
    return True if str(t.dtype).endswith("bool") else 7


def _second_order(T, loss, inputs: list) -> list:
    """First derivatives of ``loss`` (with their graph), then those of their squares' sum."""
    firsts = T.autograd.grad(loss, inputs, create_graph=True, allow_unused=True)
    kept = [g for g in firsts if g is not None and g.requires_grad]
    seconds = []
    if kept:
        total = sum((g * g).sum() for g in kept)
        seconds = T.autograd.grad(total, inputs, allow_unused=True)
    return [[_values(g) for g in firsts], [_values(h) for h in seconds]]


def run(T, seed: int) -> list:
    op, shape, dtype, specs, value_spec, accumulate, layout = program(seed)
    data = _data(shape, dtype, seed)
    if layout == "permuted":  # the same values, dims in reverse order in memory
        stored = T.tensor(data.transpose().copy(), dtype=getattr(T, dtype))
        view = lambda t: t.permute(*range(len(shape))[::-1])
    elif layout == "strided":  # every other row of a larger tensor
        stored = T.tensor(np.repeat(data, 2, axis=0), dtype=getattr(T, dtype))
        view = lambda t: t[::2]
    else:
        stored, view = T.tensor(data, dtype=getattr(T, dtype)), lambda t: t
    x = view(stored)
    out = []
    try:
        index = _index_of(T, specs)
        if op == "get":
            r = x[index]
            out.append(_values(r))
            if r.numel():  # a view shows the write in x; a copy does not
                r.fill_(_filler(x))
            out.append(_values(x))
            return out
        if op == "grad_get":
            leaf = stored.requires_grad_()
            r = view(leaf * 1.5)[index]
            out.append([_values(r), r.grad_fn.name() if r.grad_fn else None])
            weights = T.arange(r.numel(), dtype=T.float64).reshape(r.shape) * 0.5 - 1
            if accumulate:  # (the flag picks second derivatives here)
                return out + _second_order(T, (r * r * weights).sum(), [leaf])
            (r * weights).sum().backward()
            out.append(_values(leaf.grad))
            return out
        try:
            target = x[index].shape
        except (IndexError, RuntimeError, TypeError, ValueError):
            target = None
        if op == "set":
            x[index] = _value(T, value_spec, target, dtype)
            out.append(_values(x))
        elif op == "index_put_":
            values = _value(T, value_spec, target, dtype)
            if not isinstance(values, T.Tensor):
                values = T.tensor(values, dtype=getattr(T, dtype))
            x.index_put_(index if isinstance(index, tuple) else (index,), values, accumulate)
            out.append(_values(x))
        else:  # grad_set
            leaf = stored.requires_grad_()
            v = _value(T, value_spec, target, dtype, requires_grad=True)
            y = leaf * 1.5  # (written to through its view)
            view(y)[index] = v
            out.append([_values(y), y.grad_fn.name()])
            weights = T.arange(y.numel(), dtype=T.float64).reshape(y.shape) * 0.5 - 1
            if accumulate:  # (the flag picks second derivatives here)
                inputs = [leaf, v] if isinstance(v, T.Tensor) else [leaf]
                return out + _second_order(T, (y * y * weights).sum(), inputs)
            (y * weights).sum().backward()
            out.append([_values(leaf.grad), _values(v.grad) if isinstance(v, T.Tensor) else None])
    except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
        out.append(_error(e))
    return out


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("seed", SEEDS)
def test_random_indexing_matches_pytorch(torch, seed):
    assert run(minitorch, seed) == run(torch, seed), describe(seed)
