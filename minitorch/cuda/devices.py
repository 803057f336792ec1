"""``torch.cuda``'s device names: selecting a GPU (``set_device``, ``with device(i):``), its
properties and capability, initialisation, the compiled architectures, the sync debug mode
and the NVML figures (``utilization``). On a GPU they go through cupy; without one they do
what PyTorch's CPU build does (raise its errors, or return its empty answers)."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass

from ..backends import cupy_backend, get_backend
from ._runtime import device_index, require


class device:
    """Mirrors ``torch.cuda.device``: ``with device(i):`` makes GPU ``i`` current in the block
    (``cupy.cuda.runtime.setDevice``); a no-op for a negative index (or None without a GPU)."""

    __module__ = "minitorch.cuda"  # prints as PyTorch's torch.cuda.device

    def __init__(self, device) -> None:
        self.idx = device_index(device)
        self.prev_idx = -1

    def __enter__(self):
        if self.idx >= 0:
            cupy = require("minitorch.cuda.device")
            self.prev_idx = cupy.cuda.runtime.getDevice()
            cupy.cuda.runtime.setDevice(self.idx)

    def __exit__(self, *exc) -> bool:
        if self.prev_idx >= 0:
            cupy_backend.cupy.cuda.runtime.setDevice(self.prev_idx)
        return False


class device_of(device):
    """Mirrors ``torch.cuda.device_of``: ``device`` of a tensor's GPU (a no-op for a CPU one)."""

    __module__ = "minitorch.cuda"

    def __init__(self, obj) -> None:
        super().__init__(obj.get_device() if obj.is_cuda else -1)


def set_device(device) -> None:
    """Mirrors ``torch.cuda.set_device``: makes a GPU current (``cupy.cuda.runtime.setDevice``);
    a no-op for a negative index."""
    index = device_index(device, optional=False)
    if index >= 0:
        require("minitorch.cuda.set_device").cuda.runtime.setDevice(index)


@dataclass(frozen=True)
class _CudaDeviceProperties:
    """Mirrors ``torch._C._CudaDeviceProperties``: what ``get_device_properties`` returns."""

    name: str
    major: int
    minor: int
    total_memory: int
    multi_processor_count: int
    is_integrated: int
    is_multi_gpu_board: int
    max_threads_per_multi_processor: int
    regs_per_multiprocessor: int
    warp_size: int
    shared_memory_per_block: int
    shared_memory_per_multiprocessor: int
    shared_memory_per_block_optin: int
    clock_rate: int
    memory_clock_rate: int
    memory_bus_width: int
    L2_cache_size: int
    pci_bus_id: int
    pci_device_id: int
    pci_domain_id: int
    uuid: str

    def __repr__(self) -> str:
        return (
            f"_CudaDeviceProperties(name='{self.name}', major={self.major}, minor={self.minor}, "
            f"total_memory={self.total_memory // 2**20}MB, "
            f"multi_processor_count={self.multi_processor_count}, uuid={self.uuid}, "
            f"L2_cache_size={self.L2_cache_size // 2**20}MB)"
        )


# cudaDeviceProp's names (cupy.cuda.runtime.getDeviceProperties) of the fields above
_PROPERTY_KEYS = {
    "total_memory": "totalGlobalMem",
    "multi_processor_count": "multiProcessorCount",
    "is_integrated": "integrated",
    "is_multi_gpu_board": "isMultiGpuBoard",
    "max_threads_per_multi_processor": "maxThreadsPerMultiProcessor",
    "regs_per_multiprocessor": "regsPerMultiprocessor",
    "warp_size": "warpSize",
    "shared_memory_per_block": "sharedMemPerBlock",
    "shared_memory_per_multiprocessor": "sharedMemPerMultiprocessor",
    "shared_memory_per_block_optin": "sharedMemPerBlockOptin",
    "clock_rate": "clockRate",
    "memory_clock_rate": "memoryClockRate",
    "memory_bus_width": "memoryBusWidth",
    "L2_cache_size": "l2CacheSize",
    "pci_bus_id": "pciBusID",
    "pci_device_id": "pciDeviceID",
    "pci_domain_id": "pciDomainID",
}


def _uuid(raw) -> str:
    """A device UUID as PyTorch prints it (8-4-4-4-12 hex digits)."""
    h = bytes(raw).hex() if isinstance(raw, (bytes, bytearray)) else str(raw)
    return "-".join((h[:8], h[8:12], h[12:16], h[16:20], h[20:])) if len(h) == 32 else h


def get_device_properties(device=None) -> _CudaDeviceProperties:
    """Mirrors ``torch.cuda.get_device_properties`` (cupy's
    ``cupy.cuda.runtime.getDeviceProperties``); the current GPU by default."""
    cupy = require("minitorch.cuda.get_device_properties")
    index = device_index(device)
    if index < 0 or index >= cupy.cuda.runtime.getDeviceCount():
        raise AssertionError("Invalid device id")
    props = cupy.cuda.runtime.getDeviceProperties(index)
    name = props["name"]
    return _CudaDeviceProperties(
        name=name.decode() if isinstance(name, bytes) else str(name),
        major=int(props["major"]),
        minor=int(props["minor"]),
        uuid=_uuid(props.get("uuid", "")),
        **{field: int(props.get(key, 0)) for field, key in _PROPERTY_KEYS.items()},
    )


def get_device_capability(device=None) -> tuple[int, int]:
    """Mirrors ``torch.cuda.get_device_capability``: (major, minor) of a GPU."""
    props = get_device_properties(device)
    return props.major, props.minor


def can_device_access_peer(device, peer_device) -> bool:
    """Mirrors ``torch.cuda.can_device_access_peer`` (``cudaDeviceCanAccessPeer``)."""
    cupy = require("minitorch.cuda.can_device_access_peer")
    index, peer = device_index(device), device_index(peer_device, optional=False)
    count = cupy.cuda.runtime.getDeviceCount()
    if not 0 <= index < count:
        raise AssertionError("Invalid device id")
    if not 0 <= peer < count:
        raise AssertionError("Invalid peer device id")
    return bool(cupy.cuda.runtime.deviceCanAccessPeer(index, peer))


def init() -> None:
    """Mirrors ``torch.cuda.init``: starts the GPU backend (``is_initialized()`` is then True)."""
    require("minitorch.cuda.init")
    get_backend("cuda")


def get_arch_list() -> list[str]:
    """Mirrors ``torch.cuda.get_arch_list``: the architectures kernels can be built for, [] without
    a GPU. cupy compiles its kernels at run time with NVRTC: its supported ``sm_`` targets."""
    if not cupy_backend.available():
        return []
    cupy = cupy_backend.cupy
    archs = getattr(getattr(cupy.cuda, "nvrtc", None), "getSupportedArchs", None)
    codes = archs() if archs is not None else [cupy.cuda.Device().compute_capability]
    return [f"sm_{code}" for code in codes]


def get_gencode_flags() -> str:
    """Mirrors ``torch.cuda.get_gencode_flags``: NVCC's flags for ``get_arch_list()``."""
    pairs = [arch.split("_") for arch in get_arch_list()]
    return " ".join(f"-gencode compute=compute_{arch},code={kind}_{arch}" for kind, arch in pairs)


def ipc_collect() -> None:
    """Mirrors ``torch.cuda.ipc_collect``: nothing to free on a GPU, minitorch shares no GPU
    memory between processes."""
    require("minitorch.cuda.ipc_collect")


_SYNC_DEBUG_MODES = {"default": 0, "warn": 1, "error": 2}
_sync_debug_mode = [0]


def set_sync_debug_mode(debug_mode) -> None:
    """Mirrors ``torch.cuda.set_sync_debug_mode`` ("default"/0, "warn"/1, "error"/2). The mode is
    stored: minitorch does not report synchronising calls (it warns so, for modes 1 and 2)."""
    require("minitorch.cuda.set_sync_debug_mode")
    if isinstance(debug_mode, str):
        if debug_mode not in _SYNC_DEBUG_MODES:
            raise RuntimeError(
                "invalid value of debug_mode, expected one of `default`, `warn`, `error`"
            )
        debug_mode = _SYNC_DEBUG_MODES[debug_mode]
    _sync_debug_mode[0] = int(debug_mode)
    if debug_mode:
        warnings.warn(
            "minitorch.cuda.set_sync_debug_mode: minitorch does not report synchronizing "
            "operations; the mode is stored and has no effect",
            UserWarning,
            stacklevel=2,
        )


def get_sync_debug_mode() -> int:
    """Mirrors ``torch.cuda.get_sync_debug_mode``: the stored mode (0 by default)."""
    require("minitorch.cuda.get_sync_debug_mode")
    return _sync_debug_mode[0]


def _nvml_handle(device):
    """PyTorch's ``_get_pynvml_handler``: the NVML handle of a GPU (pynvml, nvidia-ml-py)."""
    try:
        import pynvml  # noqa: PLC0415 (optional, as in PyTorch)
    except ImportError as error:
        raise ModuleNotFoundError(
            "nvidia-ml-py does not seem to be installed or it can't be imported."
        ) from error
    try:
        pynvml.nvmlInit()
    except pynvml.NVMLError_DriverNotLoaded as error:
        raise RuntimeError("cuda driver can't be loaded, is cuda enabled?") from error
    index = device_index(device)
    visible = os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",")
    if all(v.strip().isdigit() for v in visible) and 0 <= index < len(visible):
        index = int(visible[index])  # NVML counts all GPUs, CUDA the visible ones
    return pynvml, pynvml.nvmlDeviceGetHandleByIndex(index)


def utilization(device=None) -> int:
    """Mirrors ``torch.cuda.utilization``: percent of time a kernel ran (NVML)."""
    nvml, handle = _nvml_handle(device)
    return nvml.nvmlDeviceGetUtilizationRates(handle).gpu


def memory_usage(device=None) -> int:
    """Mirrors ``torch.cuda.memory_usage``: percent of time memory was read or written (NVML)."""
    nvml, handle = _nvml_handle(device)
    return nvml.nvmlDeviceGetUtilizationRates(handle).memory


def temperature(device=None) -> int:
    """Mirrors ``torch.cuda.temperature``: the GPU sensor's degrees Celsius (NVML)."""
    nvml, handle = _nvml_handle(device)
    return nvml.nvmlDeviceGetTemperature(handle, 0)


def power_draw(device=None) -> int:
    """Mirrors ``torch.cuda.power_draw``: milliwatts drawn (NVML)."""
    nvml, handle = _nvml_handle(device)
    return nvml.nvmlDeviceGetPowerUsage(handle)


def clock_rate(device=None) -> int:
    """Mirrors ``torch.cuda.clock_rate``: the SM clock in MHz (NVML)."""
    nvml, handle = _nvml_handle(device)
    return nvml.nvmlDeviceGetClockInfo(handle, 1)
