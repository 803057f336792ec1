"""Collectives on tensors, in place and on the tensor's own memory (no host copy of a CUDA
tensor): ``all_reduce``, ``broadcast``, ``all_gather``, ``all_gather_into_tensor``,
``barrier``. Mirrors ``torch.distributed``'s functions of those names. With
``async_op=True`` they return a ``Work`` to ``wait()`` on; otherwise they return once the
result is in place (on CUDA: once it is ordered before later work on the current stream)."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..ops.inplace import bump_version
from .process_group import ProcessGroup, default_group
from .reduce_op import ReduceOp


class Work:
    """Mirrors ``torch.distributed.Work``: the handle of a collective started with
    ``async_op=True``. ``wait()`` blocks until the result is in place (timed out by the
    process group's watchdog)."""

    __slots__ = ("_request", "_after")

    def __init__(self, request, after=None) -> None:
        self._request = request
        self._after = after

    def wait(self, timeout=None) -> bool:
        """Mirrors ``Work.wait`` (the process group's timeout applies; ``timeout`` is not
        taken per call)."""
        if timeout is not None:
            raise NotImplementedError(
                "Work.wait(timeout=...): the timeout is the process group's "
                "(init_process_group(timeout=...))"
            )
        request, self._request = self._request, None
        if request is not None:
            request.wait()
            if self._after is not None:
                self._after()
                self._after = None
        return True

    def is_completed(self) -> bool:
        """Mirrors ``Work.is_completed``: the collective has finished (call ``wait()`` all
        the same: it also finishes what follows the transfer, e.g. AVG's division)."""
        return self._request is None or self._request.test()


def _contiguous_data(op: str, tensor) -> object:
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{op}: expected a minitorch.Tensor, got {type(tensor).__name__}")
    data = tensor._data
    if not data.flags.c_contiguous:
        raise ValueError(
            f"{op}: Tensors must be contiguous (got shape {tuple(data.shape)} with strides "
            f"{tensor.stride()}); run it on t.contiguous() and copy the result back"
        )
    return data


def _finish(work: Work, async_op: bool) -> Work | None:
    if async_op:
        return work
    work.wait()
    return None


def all_reduce(
    tensor: Tensor,
    op: ReduceOp = ReduceOp.SUM,
    group: ProcessGroup | None = None,
    async_op: bool = False,
) -> Work | None:
    """Mirrors ``torch.distributed.all_reduce``: every rank's ``tensor`` becomes the
    reduction (``op``) of all ranks' tensors, in place."""
    world = default_group("all_reduce", group)
    data = _contiguous_data("all_reduce", tensor)
    if not isinstance(op, ReduceOp):
        raise TypeError(f"all_reduce: op must be a ReduceOp (e.g. ReduceOp.SUM), got {op!r}")
    if op is ReduceOp.AVG and data.dtype.kind != "f":
        raise TypeError(
            f"all_reduce: ReduceOp.AVG needs a floating point tensor, got {tensor.dtype}; "
            "use ReduceOp.SUM and divide by get_world_size()"
        )
    work = Work(world.backend.all_reduce(data, op))
    bump_version(tensor)
    return _finish(work, async_op)


def broadcast(
    tensor: Tensor, src: int = 0, group: ProcessGroup | None = None, async_op: bool = False
) -> Work | None:
    """Mirrors ``torch.distributed.broadcast``: every rank's ``tensor`` becomes rank
    ``src``'s, in place."""
    world = default_group("broadcast", group)
    data = _contiguous_data("broadcast", tensor)
    if not isinstance(src, int) or not 0 <= src < world.size():
        raise ValueError(f"broadcast: src={src!r} is not a rank of a group of {world.size()}")
    work = Work(world.backend.broadcast(data, src))
    bump_version(tensor)
    return _finish(work, async_op)


def all_gather_into_tensor(
    output_tensor: Tensor,
    input_tensor: Tensor,
    group: ProcessGroup | None = None,
    async_op: bool = False,
) -> Work | None:
    """Mirrors ``torch.distributed.all_gather_into_tensor``: ``output_tensor`` (world size
    times the input's elements) receives every rank's ``input_tensor``, in rank order."""
    world = default_group("all_gather_into_tensor", group)
    out = _contiguous_data("all_gather_into_tensor", output_tensor)
    data = _contiguous_data("all_gather_into_tensor", input_tensor)
    n = world.size()
    if out.size != n * data.size or out.dtype != data.dtype:
        raise ValueError(
            f"all_gather_into_tensor: output has {out.size} elements of {output_tensor.dtype}; "
            f"it needs world size x input = {n} x {data.size} elements of {input_tensor.dtype}"
        )
    work = Work(world.backend.all_gather(out, data))
    bump_version(output_tensor)
    return _finish(work, async_op)


def all_gather(
    tensor_list: list, tensor: Tensor, group: ProcessGroup | None = None, async_op: bool = False
) -> Work | None:
    """Mirrors ``torch.distributed.all_gather``: ``tensor_list[i]`` receives rank ``i``'s
    ``tensor``."""
    world = default_group("all_gather", group)
    data = _contiguous_data("all_gather", tensor)
    n = world.size()
    if len(tensor_list) != n:
        raise ValueError(
            f"all_gather: tensor_list has {len(tensor_list)} tensors; it needs one per rank ({n})"
        )
    for i, t in enumerate(tensor_list):
        if not (
            isinstance(t, Tensor)
            and type(t._data) is type(data)
            and t._data.shape == data.shape
            and t._data.dtype == data.dtype
        ):
            got = (
                f"{tuple(t.shape)} {t.dtype} on {t.device}"
                if isinstance(t, Tensor)
                else type(t).__name__
            )
            raise ValueError(
                f"all_gather: tensor_list[{i}] is {got}; every entry must have the input's "
                f"shape {tuple(tensor.shape)}, dtype {tensor.dtype} and device {tensor.device}"
            )
    gathered = np.empty_like(data, shape=(n, *data.shape))  # a cupy array for a cupy input

    def scatter_into_list() -> None:
        for t, part in zip(tensor_list, gathered):
            t._data[...] = part
            bump_version(t)

    return _finish(Work(world.backend.all_gather(gathered, data), scatter_into_list), async_op)


def barrier(group: ProcessGroup | None = None, async_op: bool = False) -> Work | None:
    """Mirrors ``torch.distributed.barrier``: returns once every rank has entered it."""
    world = default_group("barrier", group)
    return _finish(Work(world.backend.barrier()), async_op)
