"""Flat buckets: the parameters of a group that share a dtype and a device are updated together.

Each parameter's array becomes a view into one flat array (and so does each per-parameter
state tensor, step counters included), so an update formula runs as a handful of whole-array
ufuncs per bucket instead of a Python loop over tensors per elementwise operation. A parameter
whose array is also held elsewhere (a state_dict or a detached tensor taken before the first
step, as PyTorch code may keep) keeps it: its bucket updates a flat copy and writes it back. Buckets are
made lazily at the first step and re-made when the parameters with gradients change or when a
parameter's array is replaced (``p.data = ...``, ``module.to(...)``, ``load_state_dict``).

Large CPU buckets are processed in chunks that stay in the last-level cache
(``backends.chunked``), on one thread: a step comes right after a backward whose matrix
products leave OpenBLAS's workers spinning on the other cores, and a second thread there made
the W1 step slower (benchmarks/README.md, session 17).
"""

from __future__ import annotations

import sys
from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import accumulate
from operator import attrgetter, is_, methodcaller

import numpy as np

from .._dtypes import HALF_NP
from .._sharing import is_shared_array
from .._tensor import Tensor, make_tensor
from ..backends import device_of, same_device_error
from ..backends.chunked import for_chunks
from .optimizer import Optimizer, scalar_dtype

_get_data = attrgetter("_data")
UPDATE_CHUNK = 1 << 19  # elements: a formula's five arrays of a chunk fit in the L3 cache


def prepare_grad(p, g, t, weight_decay: float, maximize: bool) -> None:
    """The gradient the formulas use, in place in the scratch ``g``: negated when maximizing,
    plus ``weight_decay * p`` (L2 regularisation, as PyTorch adds it)."""
    if maximize:
        np.negative(g, out=g)
    if weight_decay != 0:
        add_scaled(g, p, weight_decay, t)


def add_scaled(a, b, alpha: float, t) -> None:
    """``a += alpha * b`` in place, as PyTorch's ``a.add_(b, alpha=alpha)``: for 16-bit
    floats with alpha rounded to their dtype, computed in float32 and rounded once (``t``:
    scratch of ``a``'s shape and dtype)."""
    if a.dtype in HALF_NP:
        if a.size < 32:  # shorter than PyTorch's vector: its scalar loop rounds alpha * b first
            a += b * a.dtype.type(alpha)
            return
        scaled = np.multiply(b, np.float32(a.dtype.type(alpha)), dtype=np.float32)
        np.add(a, scaled, out=a, casting="unsafe")
        return
    np.multiply(b, alpha, out=t)
    a += t


class Bucket:
    """Parameters (same dtype and device) whose arrays and per-parameter state tensors are
    views into flat arrays: ``flat`` (the parameters), ``bufs[name]`` (each state tensor) and
    ``steps`` (the 0-d ``'step'`` counters, on the host as in PyTorch). ``grad`` and ``tmp``
    are scratch arrays of the same size; ``phase`` is what the optimizer needs to know about
    the bucket's common history (e.g. the step count); ``repeat`` is how many times each of
    its parameters is listed in the group (each listing is one update)."""

    repeat = 1

    def __init__(
        self, params: list, states: list, fills: dict, has_step: bool, phase, views=None,
        fused: bool = False,
    ) -> None:  # fmt: skip
        _check_state_shapes(params, states, fills)
        self.params = params
        self.phase = phase
        self.sizes = [p._data.size for p in params]
        self.offsets = [0, *accumulate(self.sizes)]
        self._grads: list = []
        self._grad_scale = 1.0
        # an array held elsewhere (a state_dict or detached tensor taken before, a view; more
        # references than the slot and the argument) or in memory shared with other processes
        # must stay the parameter's: the bucket then updates a copy and writes it back
        held = any(sys.getrefcount(p._data) > 2 or is_shared_array(p._data) for p in params)
        # or a view of memory held elsewhere (``p.data = vec[i:j]``): more references to its
        # base than the parameters' views of it
        views = views if views is not None else count_views(params)
        for p in params:
            base = p._data.base  # referenced by the parameters' views, ``base``, the argument
            if base is not None and sys.getrefcount(base) > 2 + views[id(base)]:
                held = True
        like = params[0]._data
        self.sources = None
        if held or (len(params) == 1 and keeps_layout(params[0])):
            self.sources = [p._data for p in params]
        if len(params) > 1 or not keeps_layout(params[0]):
            self.flat = _concat(like, [p._data for p in params], sum(self.sizes))
            self.arrays = _split(self.flat, params, self.sizes)
            if self.sources is None:
                for p, a in zip(params, self.arrays):
                    p._data = a
        else:  # a view of other storage, or a transposed/strided array, keeps its array
            self.flat = like.reshape(-1)
            self.arrays = [self.flat.reshape(like.shape)]
            if like.flags.c_contiguous:  # the reshape is a view: updated in place
                self.sources = None
        self.grad = np.empty_like(self.flat)
        self.tmp = np.empty_like(self.flat)
        self.state_tensors = []
        self.steps = None
        if has_step:  # first, so that 'step' leads each state dict as in PyTorch
            self.steps = np.zeros(len(params), dtype=scalar_dtype(fused))
            for i, st in enumerate(states):
                old = st.get("step")
                if old is not None:
                    self.steps[i] = float(old)
                if not isinstance(old, Tensor):
                    old = st["step"] = make_tensor(self.steps[i, ...])
                old._data = self.steps[i, ...]
                self.state_tensors.append((st, "step", old))
        self.bufs = {name: self._adopt(name, fill, states) for name, fill in fills.items()}
        # what valid() compares: each tensor's array, and each state dict's entries
        self.holders = params + [t for _, _, t in self.state_tensors]
        self.holder_arrays = [t._data for t in self.holders]
        self.states = states
        entries: dict = {}
        for _, name, t in self.state_tensors:
            entries.setdefault(name, []).append(t)
        self.entries = [(methodcaller("get", name), ts) for name, ts in entries.items()]

    def _adopt(self, name: str, fill, states: list):
        """One flat array for state ``name``: existing tensors are copied in and re-pointed at
        their views; missing ones start at ``fill`` (None: left for the first update)."""
        flat = np.empty_like(self.flat)
        if fill is not None:
            flat.fill(fill)
        for st, view in zip(states, _split(flat, self.params, self.sizes)):
            old = st.get(name)
            if old is None:
                old = st[name] = make_tensor(view)
            else:
                np.copyto(view, old._data)
                old._data = view
            self.state_tensors.append((st, name, old))
        return flat

    def valid(self, state: dict | None) -> bool:
        """False once a parameter's array, its state dict (in ``state``, the optimizer's) or
        a state tensor was replaced behind our back (C-level ``map``s: this runs every step)."""
        if not all(map(is_, map(_get_data, self.holders), self.holder_arrays)):
            return False
        if state is not None and not all(map(is_, map(state.get, self.params), self.states)):
            return False
        return all(all(map(is_, map(get, self.states), ts)) for get, ts in self.entries)

    def run(self, kernel, arrays: tuple, *args, grad_scale: float = 1.0) -> None:
        """Runs an update kernel over the bucket's flat arrays (see ``for_chunks``); the
        gradients are copied (times ``grad_scale``) into the scratch ``grad`` chunk by chunk,
        right before use."""
        self._grads = [p._grad._data for p in self.params]
        self._grad_scale = grad_scale
        try:
            for_chunks(kernel, arrays, args, self._fill_grad, chunk=UPDATE_CHUNK, threads=1)
        finally:
            self._grads = []

    def _fill_grad(self, lo: int, hi: int) -> None:
        grads, offsets, scale = self._grads, self.offsets, self._grad_scale
        if lo == 0 and hi == offsets[-1] and len(grads) > 1:  # the whole bucket at once: on a
            np.concatenate([g.reshape(-1) for g in grads], out=self.grad)  # GPU, one launch
            if scale != 1.0:
                self.grad *= scale
            return
        i = bisect_right(offsets, lo) - 1  # parameters i..j-1 overlap [lo, hi)
        j = bisect_left(offsets, hi)
        for k in range(i, j):  # each piece copied (and scaled) in one pass
            start, end = max(lo, offsets[k]), min(hi, offsets[k + 1])
            piece = grads[k].reshape(-1)[start - offsets[k] : end - offsets[k]]
            out = self.grad[start:end]
            if scale == 1.0:
                np.copyto(out, piece)
            else:
                np.multiply(piece, scale, out=out)

    def begin(self) -> None:
        """Before an update: refresh the copy of parameters that keep their own arrays."""
        if self.sources is not None:
            np.concatenate([a.reshape(-1) for a in self.sources], out=self.flat)

    def finish(self) -> None:
        """After an in-place update: write the copy back into parameters that keep their own
        arrays, and bump version counters (so a graph that saved a parameter before the step
        refuses to backward after it)."""
        if self.sources is not None:
            for source, updated in zip(self.sources, self.arrays):
                np.copyto(source, updated.reshape(source.shape))
        for p in self.params:
            vc = p._vc
            if vc is not None:
                vc[0] += 1


def count_views(params) -> Counter:
    """How many of ``params`` are views of each base array (by id): the references to a
    base that the parameters themselves account for."""
    return Counter(id(p._data.base) for p in params if p._data.base is not None)


def keeps_layout(p: Tensor) -> bool:
    """Whether a parameter keeps its own array in a bucket of its own: a view of another
    tensor's storage, or a non-contiguous array (its strides stay PyTorch's)."""
    return p._base is not None or not p._data.flags.c_contiguous


def _check_state_shapes(params: list, states: list, fills: dict) -> None:
    """Validates loaded state (and state left behind by ``model.to(device)``) before anything
    is moved, with a RuntimeError as PyTorch's first elementwise op between the state and the
    gradient raises."""
    for p, st in zip(params, states):
        for name in fills:
            old = st.get(name)
            if old is not None and device_of(old._data) != device_of(p._data):
                raise same_device_error(f"optimizer state '{name}'", p._data, old._data)
            if old is not None and tuple(old.shape) != tuple(p.shape):
                raise RuntimeError(
                    f"{_mismatch(tuple(old.shape), tuple(p.shape))}: optimizer state '{name}' "
                    f"has shape {tuple(old.shape)} but its parameter has shape "
                    f"{tuple(p.shape)}; was the state dict saved for another model?"
                )


def _mismatch(a: tuple, b: tuple) -> str:
    """PyTorch's words for shapes that do not match, from the trailing dimensions."""
    for i in range(1, min(len(a), len(b)) + 1):
        if a[-i] != b[-i]:
            return (
                f"The size of tensor a ({a[-i]}) must match the size of tensor b ({b[-i]}) at "
                f"non-singleton dimension {max(len(a), len(b)) - i}"
            )
    return f"output with shape {list(a)} doesn't match the broadcast shape {list(b)}"


def _concat(like, arrays: list, n: int):
    flat = np.empty_like(like, shape=(n,))
    np.concatenate([a.reshape(-1) for a in arrays], out=flat)
    return flat


def _split(flat, params: list, sizes: list) -> list:
    out, lo = [], 0
    for p, n in zip(params, sizes):
        out.append(flat[lo : lo + n].reshape(p._data.shape))
        lo += n
    return out


class FlatOptimizer(Optimizer):
    """Base of the elementwise optimizers: ``step`` calls ``_update(group, bucket)`` once per
    bucket of parameters that have gradients. A subclass names its per-parameter state
    tensors and their initial fill in ``_fills(group)`` and sets ``has_step``."""

    has_step = True
    capturable_tensors = "params and state_steps"  # what PyTorch's capturable check names

    def __init__(self, params, defaults: dict) -> None:
        self._buckets: dict = {}
        super().__init__(params, defaults)

    def _fills(self, group: dict) -> dict:
        raise NotImplementedError

    def _phase(self, state: dict):
        """What must be equal for parameters to share a bucket: by default the step count."""
        step = state.get("step")
        return 0.0 if step is None else float(step)

    def _update(self, group: dict, bucket: Bucket) -> None:
        raise NotImplementedError

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate(closure)
        for i, group in enumerate(self.param_groups):
            for bucket in self._group_buckets(i, group):
                phase = bucket.phase
                for _ in range(bucket.repeat):
                    # PyTorch reads the state into lists before its loop over the listings:
                    # each listing sees the phase the step began with (SGD's missing buffer)
                    bucket.phase = phase
                    bucket.begin()
                    self._update(group, bucket)
                    bucket.finish()
        return loss

    def load_state_dict(self, state_dict: dict) -> None:
        """As ``Optimizer.load_state_dict``; the buckets are made again at the next step."""
        super().load_state_dict(state_dict)
        self._buckets.clear()

    def _group_buckets(self, i: int, group: dict) -> list:
        active = [p for p in group["params"] if p._grad is not None]
        fills = self._fills(group)
        key = ([id(p) for p in active], tuple(fills))
        stateful = bool(fills) or self.has_step  # else leave self.state empty, as PyTorch
        state = self.state if stateful else None
        cached = self._buckets.get(i)
        if cached is not None and cached[0] == key and all(b.valid(state) for b in cached[1]):
            return cached[1]
        # the old buckets go first: their references to the arrays would read as holders
        self._buckets.pop(i, None)
        cached = None
        if group.get("capturable") and any(device_of(p._data).type == "cpu" for p in active):
            raise AssertionError(
                f"If capturable=True, {self.capturable_tensors} must be on supported devices: "
                "['cuda']."
            )
        # a parameter listed n times in the group is updated n times with its one gradient,
        # as PyTorch's loop over the list does
        uses = Counter(map(id, active))
        active = list({id(p): p for p in active}.values())
        if stateful:  # state dicts made in parameter order: state_dict() lists them so
            for p in active:
                self.state.setdefault(p, {})
        by_key: dict = {}
        for p in active:
            k = id(p) if keeps_layout(p) else (p._data.dtype, device_of(p._data))
            phase = self._phase(self.state.get(p, {}))
            by_key.setdefault((k, phase, uses[id(p)]), []).append(p)
        views = count_views({id(p): p for g in self.param_groups for p in g["params"]}.values())
        buckets = []
        for (_, phase, repeat), ps in by_key.items():
            states = [self.state[p] if stateful else {} for p in ps]
            fused = bool(group.get("fused"))  # float32 step counts, as PyTorch's fused kernels
            buckets.append(Bucket(ps, states, fills, self.has_step, phase, views, fused))
            buckets[-1].repeat = repeat
        self._buckets[i] = (key, buckets)
        return buckets
