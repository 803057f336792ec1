"""``torch.cuda.graphs``: CUDA graph capture. minitorch does not capture graphs: a captured
graph replays into the memory its kernels were given, and cupy's memory pool hands freed
blocks to later arrays, so a replay would write into other tensors. On a GPU these names
raise NotImplementedError saying so (``is_current_stream_capturing`` answers False); without
one they raise PyTorch's CPU-build RuntimeError."""

from __future__ import annotations

from ._runtime import require

_WHY = (
    "minitorch does not capture CUDA graphs (cupy's memory pool cannot keep a graph's memory "
    "private between replays); run the captured step eagerly instead"
)


def _refuse(what: str):
    require(what)
    raise NotImplementedError(f"{what}: {_WHY}")


class CUDAGraph:
    """Mirrors ``torch.cuda.CUDAGraph``: not supported (see the module docstring)."""

    def __init__(self, *args, **kwargs) -> None:
        _refuse("minitorch.cuda.CUDAGraph")


class graph:
    """Mirrors the ``torch.cuda.graph`` context manager: not supported (see the module)."""

    def __init__(self, cuda_graph, pool=None, stream=None, capture_error_mode: str = "global"):
        _refuse("minitorch.cuda.graph")


def make_graphed_callables(callables, sample_args, *args, **kwargs):
    """Mirrors ``torch.cuda.make_graphed_callables``: not supported (see the module)."""
    _refuse("minitorch.cuda.make_graphed_callables")


def graph_pool_handle():
    """Mirrors ``torch.cuda.graph_pool_handle``: not supported (see the module)."""
    _refuse("minitorch.cuda.graph_pool_handle")


def is_current_stream_capturing() -> bool:
    """Mirrors ``torch.cuda.is_current_stream_capturing``: False, minitorch never captures."""
    require("minitorch.cuda.is_current_stream_capturing")
    return False
