"""The gradient reducer behind DistributedDataParallel.

Parameters are packed, in reverse registration order (roughly the order backward produces
their gradients), into flat buckets of about ``bucket_cap_mb`` each (one dtype and device per
bucket). As each parameter's gradient is accumulated, a post-accumulate-grad hook copies it
into its bucket; when a bucket is full it is all-reduced (averaged) with a nonblocking
collective while backward goes on computing earlier layers' gradients. Buckets are launched in
index order on every rank (collectives must match across ranks), and when the last one has
been launched the reducer waits for all of them and copies the averages back into ``.grad``.
"""

from __future__ import annotations

import functools
import weakref

import numpy as np

from ..._tensor import Tensor, make_tensor
from ...backends import device_of
from ...distributed import ReduceOp, all_reduce
from ...ops.inplace import bump_version

_UNFINISHED = (
    "Expected to have finished reduction in the prior iteration before starting a new one. "
    "This error indicates that your module has parameters that were not used in producing "
    "loss. You can enable unused parameter detection by passing the keyword argument "
    "`find_unused_parameters=True` to `minitorch.nn.parallel.DistributedDataParallel`, and "
    "by making sure all `forward` function outputs participate in calculating loss. "
    "Parameter indices which did not receive grad on this rank: {missing}"
)


class _Bucket:
    """One flat buffer of gradients, all-reduced as one collective."""

    __slots__ = ("indices", "buffer", "pending", "work")

    def __init__(self, indices: list, buffer) -> None:
        self.indices = indices
        self.buffer = make_tensor(buffer)
        self.pending = len(indices)
        self.work = None


def _plan_buckets(params: list, cap_bytes: int) -> list:
    """Parameter indices per bucket: reverse order, split by dtype/device and by size."""
    buckets, open_ = [], {}  # key -> (indices, bytes) of the bucket being filled
    for i in reversed(range(len(params))):
        data = params[i]._data
        key = (data.dtype, device_of(data))
        indices, size = open_.get(key, ([], 0))
        if not indices:
            buckets.append(indices)
        indices.append(i)
        size += data.nbytes
        open_[key] = ([], 0) if size >= cap_bytes else (indices, size)
    return buckets


def _graph_nodes(outputs) -> set:
    """The graph nodes reachable from the tensors in ``outputs`` (leaves' AccumulateGrad
    nodes included)."""
    stack, seen = [], set()
    todo = [outputs]
    while todo:
        obj = todo.pop()
        if isinstance(obj, Tensor):
            if obj.grad_fn is not None:
                stack.append(obj.grad_fn)
            elif obj.requires_grad:
                stack.append(obj._accumulator())
        elif isinstance(obj, (list, tuple)):
            todo.extend(obj)
        elif isinstance(obj, dict):
            todo.extend(obj.values())
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(nxt for nxt, _ in node._next if nxt is not None)
    return seen


def _on_grad_accumulated(reducer_ref, index: int, _param) -> None:
    reducer = reducer_ref()
    if reducer is not None:
        reducer.mark_ready(index)


class Reducer:
    """Buckets, hooks and the state of one iteration's reduction."""

    def __init__(self, params: list, bucket_cap_mb: float, find_unused_parameters: bool) -> None:
        self.params = params
        self.find_unused = find_unused_parameters
        self.sync = True  # False inside DistributedDataParallel.no_sync()
        self.buckets = []
        self.slots = [None] * len(params)  # index -> (bucket, view of the bucket buffer)
        for indices in _plan_buckets(params, int(bucket_cap_mb * 1024 * 1024)):
            first = params[indices[0]]._data
            total = sum(params[i]._data.size for i in indices)
            bucket = _Bucket(indices, np.empty_like(first, shape=(total,)))
            offset = 0
            for i in indices:
                n = params[i]._data.size
                view = bucket.buffer._data[offset : offset + n].reshape(params[i]._data.shape)
                self.slots[i] = (bucket, view)
                offset += n
            self.buckets.append(bucket)
        self._armed = False  # a DDP forward expects this iteration's gradients
        self._done = False  # this iteration's gradients have been reduced
        self._ready = [False] * len(params)
        self._next = 0  # the next bucket to launch
        self._unused = None  # with find_unused_parameters: indices not in this forward's graph
        self._used_map = None  # (tensor, work): which parameters any rank used
        ref = weakref.ref(self)
        for i, p in enumerate(params):
            p.register_post_accumulate_grad_hook(functools.partial(_on_grad_accumulated, ref, i))

    # ---- per iteration ---------------------------------------------------------------------
    def prepare(self, outputs) -> None:
        """Arms the reduction of the gradients of the forward that produced ``outputs``."""
        self._check_finished()
        self._armed, self._done = True, False
        self._ready = [False] * len(self.params)
        self._next = 0
        for bucket in self.buckets:
            bucket.pending = len(bucket.indices)
        if self.find_unused:
            reached = _graph_nodes(outputs)
            self._unused = [i for i, p in enumerate(self.params) if p._accum not in reached]

    def disarm(self) -> None:
        """A forward inside no_sync(): its backward only accumulates locally."""
        self._check_finished()
        self._armed = self._done = False

    def _check_finished(self) -> None:
        if self._armed and any(self._ready):
            missing = [i for i, r in enumerate(self._ready) if not r]
            raise RuntimeError(_UNFINISHED.format(missing=missing))

    def mark_ready(self, index: int) -> None:
        """A parameter's gradient has been accumulated (its post-accumulate-grad hook)."""
        if not self._armed:  # the forward decided: inside no_sync(), or not through DDP
            if self._done and self.sync:
                raise RuntimeError(
                    f"DistributedDataParallel: parameter {index} received a gradient after this "
                    "iteration's gradients were already averaged across ranks (a second "
                    "backward through one forward, or a backward through outputs not made by "
                    "the DDP module); run the forward through the DDP module again first, "
                    "or use no_sync() for gradients that should stay local"
                )
            return
        if self._unused is not None:  # the first hook of this backward
            unused, self._unused = self._unused, None
            self._launch_used_map(unused)
            for i in unused:
                self._fill(i)
        self._fill(index)

    def _launch_used_map(self, unused: list) -> None:
        used = np.ones_like(self.buckets[0].buffer._data, shape=(len(self.params),), dtype=np.int32)
        used[unused] = 0
        used = make_tensor(used)
        self._used_map = (used, all_reduce(used, ReduceOp.MAX, async_op=True))

    def _fill(self, index: int) -> None:
        if self._ready[index]:
            raise RuntimeError(
                f"Expected to mark a variable ready only once (parameter {index}). This "
                "happens when a parameter is used outside the DDP forward, or in a reentrant "
                "backward; DistributedDataParallel supports one backward per forward"
            )
        self._ready[index] = True
        bucket, view = self.slots[index]
        grad = self.params[index]._grad
        if grad is None:  # not used by this rank's forward
            view.fill(0)
        else:
            view[...] = grad._data
        bucket.pending -= 1
        if bucket.pending == 0:
            self._launch_ready_buckets()
        else:
            self._progress()

    def _launch_ready_buckets(self) -> None:
        while self._next < len(self.buckets) and self.buckets[self._next].pending == 0:
            bucket = self.buckets[self._next]
            bucket.work = all_reduce(bucket.buffer, ReduceOp.AVG, async_op=True)
            self._next += 1
        if self._next == len(self.buckets):
            self._finish()
        else:
            self._progress()

    def _progress(self) -> None:
        """Lets the in-flight collectives advance (MPI moves nonblocking collectives only
        inside MPI calls), so they overlap with the rest of backward."""
        for bucket in self.buckets[: self._next]:
            if bucket.work is not None:
                bucket.work.is_completed()

    def _finish(self) -> None:
        for bucket in self.buckets:
            bucket.work.wait()
            bucket.work = None
        used = None
        if self._used_map is not None:
            used_tensor, work = self._used_map
            work.wait()
            used = used_tensor._data.tolist()
            self._used_map = None
        for i, p in enumerate(self.params):
            view = self.slots[i][1]
            grad = p._grad
            if grad is not None:
                grad._data[...] = view
                bump_version(grad)
            elif used is None or used[i]:  # unused by every rank: stays None, as in PyTorch
                p._grad = make_tensor(view.copy())
        self._armed, self._done = False, True
