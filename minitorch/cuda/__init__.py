"""minitorch.cuda: mirrors ``torch.cuda`` (availability, synchronize, memory, seeding; the
deprecated ``torch.cuda.amp`` in ``minitorch.cuda.amp``)."""

from __future__ import annotations

from ..backends import Device, _backends, cupy_backend, get_backend, raise_failed_checks
from ..backends.cupy_backend import available as _available


def is_available() -> bool:
    """Mirrors ``torch.cuda.is_available``: cupy is installed and a GPU is visible."""
    return _available()


def is_bf16_supported(including_emulation: bool = True) -> bool:
    """Mirrors ``torch.cuda.is_bf16_supported``: False, minitorch has no bfloat16 tensors on
    cuda (cupy has no bfloat16; CPU tensors and CPU autocast have it)."""
    return False


def is_initialized() -> bool:
    """Mirrors ``torch.cuda.is_initialized``: whether the GPU backend has been started."""
    return "cuda" in _backends


def device_count() -> int:
    """Mirrors ``torch.cuda.device_count``."""
    return cupy_backend.cupy.cuda.runtime.getDeviceCount() if _available() else 0


def current_device() -> int:
    """Mirrors ``torch.cuda.current_device``."""
    return get_backend("cuda").device.index


def synchronize(device=None) -> None:
    """Mirrors ``torch.cuda.synchronize``: waits for all queued GPU work (and raises the
    first failed device-side index check, as PyTorch's device-side asserts surface)."""
    get_backend("cuda").synchronize()
    raise_failed_checks()


def memory_allocated(device=None) -> int:
    """Mirrors ``torch.cuda.memory_allocated``: bytes in use by tensors (cupy's pool); 0
    without a GPU, as in PyTorch."""
    return get_backend("cuda").memory_allocated() if _available() else 0


def max_memory_allocated(device=None) -> int:
    """Mirrors ``torch.cuda.max_memory_allocated`` (sampled peak; see the backend); 0
    without a GPU."""
    return get_backend("cuda").max_memory_allocated() if _available() else 0


def memory_reserved(device=None) -> int:
    """Mirrors ``torch.cuda.memory_reserved``: bytes held by the caching allocator (cupy's
    pool); 0 without a GPU, as in PyTorch."""
    return get_backend("cuda").memory_reserved() if _available() else 0


def get_device_name(device=None) -> str:
    """Mirrors ``torch.cuda.get_device_name``: the GPU's name (the current one by default)."""
    backend = get_backend("cuda")  # raises where there is no CUDA
    index = backend.device.index if device is None else _index(device)
    return cupy_backend.cupy.cuda.runtime.getDeviceProperties(index)["name"].decode()


def _index(device) -> int:
    if isinstance(device, int):
        return device
    index = Device(device).index
    return current_device() if index is None else index


def reset_peak_memory_stats(device=None) -> None:
    """Mirrors ``torch.cuda.reset_peak_memory_stats``."""
    get_backend("cuda").reset_peak_memory_stats()


def empty_cache() -> None:
    """Mirrors ``torch.cuda.empty_cache``: frees cupy's cached blocks; nothing to do without
    a GPU (PyTorch's is a no-op then too, so CPU runs of GPU scripts keep working)."""
    if _available():
        get_backend("cuda").empty_cache()


def manual_seed(seed: int) -> None:
    """Mirrors ``torch.cuda.manual_seed``: seeds the GPU generator; without a GPU it does
    nothing (PyTorch defers it), so seeding boilerplate runs on CPU-only machines."""
    if not _available():
        return
    from ..random import default_generator  # noqa: PLC0415

    default_generator("cuda").manual_seed(seed)


manual_seed_all = manual_seed


def seed() -> None:
    """Mirrors ``torch.cuda.seed``: reseeds the GPU generator non-deterministically; without
    a GPU it does nothing (PyTorch defers it)."""
    if _available():
        _generator("seed").seed()


seed_all = seed


def initial_seed() -> int:
    """Mirrors ``torch.cuda.initial_seed``."""
    return _generator("initial_seed").initial_seed()


def get_rng_state(device="cuda"):
    """Mirrors ``torch.cuda.get_rng_state`` (cupy's generator cannot save its state: it
    raises NotImplementedError; reseed it instead)."""
    return _generator("get_rng_state", device).get_state()


def get_rng_state_all() -> list:
    """Mirrors ``torch.cuda.get_rng_state_all``: one state per GPU (none without a GPU)."""
    return [get_rng_state(i) for i in range(device_count())]


def set_rng_state(new_state, device="cuda") -> None:
    """Mirrors ``torch.cuda.set_rng_state``; without a GPU it does nothing (PyTorch defers
    it)."""
    if _available():
        _generator("set_rng_state", device).set_state(new_state)


def set_rng_state_all(new_states) -> None:
    """Mirrors ``torch.cuda.set_rng_state_all``."""
    for index, state in enumerate(new_states):
        set_rng_state(state, index)


class OutOfMemoryError(RuntimeError):
    """Mirrors ``torch.cuda.OutOfMemoryError`` (also ``torch.OutOfMemoryError``), for code that
    catches it. cupy's own ``cupy.cuda.memory.OutOfMemoryError`` is not translated into it."""


def _generator(name: str, device="cuda"):
    if not _available():
        raise RuntimeError(f"minitorch.cuda.{name}: no CUDA GPU with cupy is available")
    from ..random import default_generator  # noqa: PLC0415

    return default_generator(f"cuda:{device}" if isinstance(device, int) else device)


def __getattr__(name: str):
    """``default_generators``: mirrors ``torch.cuda.default_generators``, one generator per
    GPU (an empty tuple without one), each made on its GPU when first asked for."""
    if name == "default_generators":
        from ..random import default_generator  # noqa: PLC0415

        def on_gpu(index: int):
            with device(index):
                return default_generator(f"cuda:{index}")

        return tuple(on_gpu(i) for i in range(device_count()))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


from . import amp, devices, graphs, nvtx  # noqa: E402, F401  (torch.cuda.amp; submodules)
from ._legacy_types import (  # noqa: E402, F401  (torch.cuda.FloatTensor and kin)
    BoolTensor,
    ByteTensor,
    CharTensor,
    DoubleTensor,
    FloatTensor,
    HalfTensor,
    IntTensor,
    LongTensor,
    ShortTensor,
)
from .devices import (  # noqa: E402, F401
    can_device_access_peer,
    clock_rate,
    device_of,
    get_arch_list,
    get_device_capability,
    get_device_properties,
    get_gencode_flags,
    get_sync_debug_mode,
    init,
    ipc_collect,
    memory_usage,
    power_draw,
    set_device,
    set_sync_debug_mode,
    temperature,
    utilization,
)

device = devices.device  # torch.cuda.device (bound here: functions above take a `device` argument)

from .graphs import (  # noqa: E402, F401
    CUDAGraph,
    graph,
    graph_pool_handle,
    is_current_stream_capturing,
    make_graphed_callables,
)
from .memory import (  # noqa: E402, F401
    get_per_process_memory_fraction,
    list_gpu_processes,
    max_memory_cached,
    max_memory_reserved,
    mem_get_info,
    memory_cached,
    memory_stats,
    memory_stats_as_nested_dict,
    memory_summary,
    reset_max_memory_allocated,
    reset_max_memory_cached,
    set_per_process_memory_fraction,
)
from .streams import (  # noqa: E402, F401
    Event,
    ExternalStream,
    Stream,
    StreamContext,
    current_stream,
    default_stream,
    set_stream,
    stream,
)
