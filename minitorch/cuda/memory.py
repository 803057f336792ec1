"""``torch.cuda``'s memory names beyond the basic counters of ``minitorch.cuda``: the stats
dict and its printout, peaks of reserved memory, free/total device memory, the per-process
limit, and the deprecated ``*_cached`` names. On a GPU the figures come from cupy's default
memory pool (PyTorch's caching allocator's counterpart): allocated = the pool's used bytes,
reserved = all bytes the pool holds. Without one they are PyTorch's CPU-build answers."""

from __future__ import annotations

import warnings
from collections import OrderedDict

from ..backends import get_backend
from ._runtime import device_index, require


def _gpu(device):
    """(cupy, its Device context for ``device``), or PyTorch's error without a GPU."""
    cupy = require("minitorch.cuda memory management")
    return cupy, cupy.cuda.Device(device_index(device))


def memory_stats(device=None) -> OrderedDict:
    """Mirrors ``torch.cuda.memory_stats``: PyTorch's keys that cupy's pool can give (allocated,
    active and reserved bytes, current and peak); empty before CUDA is initialised, as in
    PyTorch (so always empty without a GPU)."""
    from . import is_initialized  # noqa: PLC0415 (the package imports this module)

    if not is_initialized():
        return OrderedDict()
    backend = get_backend("cuda")
    allocated, reserved = backend.memory_allocated(), backend.memory_reserved()
    peak_allocated, peak_reserved = backend.max_memory_allocated(), backend.max_memory_reserved()
    return OrderedDict(
        sorted(
            {
                "active_bytes.all.current": allocated,
                "active_bytes.all.peak": peak_allocated,
                "allocated_bytes.all.current": allocated,
                "allocated_bytes.all.peak": peak_allocated,
                "inactive_split_bytes.all.current": reserved - allocated,
                "reserved_bytes.all.current": reserved,
                "reserved_bytes.all.peak": peak_reserved,
            }.items()
        )
    )


def memory_stats_as_nested_dict(device=None) -> dict:
    """Mirrors ``torch.cuda.memory_stats_as_nested_dict``: ``memory_stats`` split at the dots."""
    nested: dict = {}
    for key, value in memory_stats(device).items():
        *path, last = key.split(".")
        node = nested
        for part in path:
            node = node.setdefault(part, {})
        node[last] = value
    return nested


def max_memory_reserved(device=None) -> int:
    """Mirrors ``torch.cuda.max_memory_reserved``: the peak of reserved bytes (sampled at each
    memory query and before ``empty_cache``); 0 without a GPU, as in PyTorch."""
    return memory_stats(device).get("reserved_bytes.all.peak", 0)


def _format_size(size: int) -> str:
    """PyTorch's summary formatting of a byte count."""
    prefixes = ["B  ", "KiB", "MiB", "GiB", "TiB", "PiB"]
    prefix, scaled = prefixes[0], size
    for new_prefix in prefixes[1:]:
        if scaled < 768 * 1024:
            break
        prefix, scaled, size = new_prefix, scaled / 1024, size // 1024
    return f"{size:6d} {prefix}"


def memory_summary(device=None, abbreviated: bool = False) -> str:
    """Mirrors ``torch.cuda.memory_summary``: PyTorch's table, with the rows cupy's pool can
    fill (current and peak usage). Like PyTorch it reads ``memory_stats``, so before CUDA is
    initialised (always, without a GPU) it raises PyTorch's KeyError."""
    stats = memory_stats(device)
    rows = [
        ("allocated_bytes", "Allocated memory"),
        ("active_bytes", "Active memory"),
        ("reserved_bytes", "GPU reserved memory"),
    ]
    index = device_index(device)
    lines = ["=" * 75, f" {'':16} PyTorch CUDA memory summary, device ID {index:<17d} ", "=" * 75]
    lines.append("        Metric         | Cur Usage  | Peak Usage |" + " " * 24)
    for key, name in rows:
        current, peak = stats[f"{key}.all.current"], stats[f"{key}.all.peak"]
        lines += [
            "-" * 75,
            f" {name:<21} | {_format_size(current)} | {_format_size(peak)} |" + " " * 24,
        ]
    lines.append("=" * 75)
    return "|" + "|\n|".join(lines) + "|\n"


def reset_max_memory_allocated(device=None) -> None:
    """Mirrors ``torch.cuda.reset_max_memory_allocated``: ``reset_peak_memory_stats`` (warns,
    as PyTorch does, that it resets all peaks)."""
    _reset_all_peaks("reset_max_memory_allocated", device)


def reset_max_memory_cached(device=None) -> None:
    """Mirrors ``torch.cuda.reset_max_memory_cached`` (the same as ``reset_max_memory_allocated``)."""
    _reset_all_peaks("reset_max_memory_cached", device)


def _reset_all_peaks(name: str, device) -> None:
    warnings.warn(
        f"minitorch.cuda.{name} now calls minitorch.cuda.reset_peak_memory_stats, which resets "
        "/all/ peak memory stats.",
        FutureWarning,
        stacklevel=3,
    )
    from . import reset_peak_memory_stats  # noqa: PLC0415 (the package imports this module)

    reset_peak_memory_stats(device)


def memory_cached(device=None) -> int:
    """Mirrors the deprecated ``torch.cuda.memory_cached``: ``memory_reserved``."""
    warnings.warn(
        "`minitorch.cuda.memory_cached` has been renamed to `minitorch.cuda.memory_reserved`",
        FutureWarning,
        stacklevel=2,
    )
    from . import memory_reserved  # noqa: PLC0415 (the package imports this module)

    return memory_reserved(device)


def max_memory_cached(device=None) -> int:
    """Mirrors the deprecated ``torch.cuda.max_memory_cached``: ``max_memory_reserved``."""
    warnings.warn(
        "`minitorch.cuda.max_memory_cached` has been renamed to "
        "`minitorch.cuda.max_memory_reserved`",
        FutureWarning,
        stacklevel=2,
    )
    return max_memory_reserved(device)


def mem_get_info(device=None) -> tuple[int, int]:
    """Mirrors ``torch.cuda.mem_get_info``: (free, total) bytes of a GPU, as the driver sees
    them (``cudaMemGetInfo``)."""
    cupy, gpu = _gpu(device)
    with gpu:
        free, total = cupy.cuda.runtime.memGetInfo()
    return int(free), int(total)


def set_per_process_memory_fraction(fraction, device=None) -> None:
    """Mirrors ``torch.cuda.set_per_process_memory_fraction``: caps the pool at ``fraction`` of
    the GPU's memory (cupy's ``MemoryPool.set_limit``); allocations past it raise cupy's
    OutOfMemoryError."""
    cupy, gpu = _gpu(device)
    if not isinstance(fraction, float):
        raise TypeError("Invalid type for fraction argument, must be `float`")
    if fraction < 0 or fraction > 1:
        raise ValueError(f"Invalid fraction value: {fraction}. Allowed range: 0~1")
    with gpu:
        cupy.get_default_memory_pool().set_limit(fraction=fraction)


def get_per_process_memory_fraction(device=None) -> float:
    """Mirrors ``torch.cuda.get_per_process_memory_fraction``: the pool's limit as a fraction of
    the GPU's memory (1.0 when there is none)."""
    cupy, gpu = _gpu(device)
    with gpu:
        limit = cupy.get_default_memory_pool().get_limit()
        total = cupy.cuda.runtime.memGetInfo()[1]
    return limit / total if limit else 1.0


def list_gpu_processes(device=None) -> str:
    """Mirrors ``torch.cuda.list_gpu_processes``: the processes on a GPU and their memory, from
    NVML (pynvml); without pynvml PyTorch's message."""
    try:
        import pynvml  # noqa: PLC0415 (optional, as in PyTorch)
    except ImportError:
        return "pynvml module not found, please install nvidia-ml-py"
    from .devices import _nvml_handle  # noqa: PLC0415

    _, handle = _nvml_handle(device)
    procs = pynvml.nvmlDeviceGetComputeRunningProcesses(handle)
    lines = [f"GPU:{device_index(device)}"]
    lines += [
        f"process {p.pid:>10d} uses {p.usedGpuMemory / 2**20:12.3f} MB GPU memory" for p in procs
    ]
    return "\n".join(lines + (["no processes are running"] if not procs else []))
