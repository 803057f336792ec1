"""``custom_fwd`` / ``custom_bwd`` (mirror ``torch.amp``): decorators for the ``forward`` and
``backward`` of a custom ``autograd.Function`` so that it behaves under autocast: forward may
cast its floating inputs to one dtype and run with autocast off; backward runs under the
autocast state forward saw."""

from __future__ import annotations

import collections.abc
import functools

import numpy as np

from .. import _dtypes
from .._tensor import Tensor
from .autocast_mode import autocast, get_autocast_dtype, is_autocast_enabled

_DEVICE_TYPES = ("cpu", "cuda", "mps", "xpu", "ipu", "hpu", "xla", "mtia", "maia")


def is_autocast_available(device_type: str) -> bool:
    """Mirrors ``torch.amp.is_autocast_available``."""
    if device_type == "meta":
        return False
    if device_type not in _DEVICE_TYPES:
        raise RuntimeError(
            "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, "
            "maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start "
            f"of device string: {device_type}"
        )
    return True


def _check_device_type(device_type) -> None:
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")


def _cast(value, device_type: str, dtype):
    """``value`` with its floating tensors on ``device_type`` (float64 excepted) cast to
    ``dtype``, through lists, tuples and mappings (as PyTorch's autocast ``_cast``)."""
    if isinstance(value, Tensor):
        eligible = (
            value.is_floating_point()
            and value.device.type == device_type
            and value.dtype is not _dtypes.float64
        )
        return value.to(dtype) if eligible else value
    if isinstance(value, (str, bytes, np.ndarray)):
        return value
    if isinstance(value, collections.abc.Mapping):
        return {
            _cast(k, device_type, dtype): _cast(v, device_type, dtype) for k, v in value.items()
        }
    if isinstance(value, collections.abc.Iterable):
        items = (_cast(v, device_type, dtype) for v in value)
        return type(value)(items) if isinstance(value, (list, tuple)) else items
    return value


def custom_fwd(fwd=None, *, device_type: str, cast_inputs=None):
    """Mirrors ``torch.amp.custom_fwd``: in an autocast region of ``device_type``, forward
    runs with autocast off on inputs cast to ``cast_inputs`` (when given), or under the
    region as it is; ``ctx`` keeps what backward needs."""
    _check_device_type(device_type)
    if fwd is None:
        return functools.partial(custom_fwd, device_type=device_type, cast_inputs=cast_inputs)

    @functools.wraps(fwd)
    def decorate_fwd(*args, **kwargs):
        ctx = args[0]
        ctx._dtype = get_autocast_dtype(device_type)
        if cast_inputs is None:
            ctx._fwd_used_autocast = is_autocast_enabled(device_type)
            return fwd(*args, **kwargs)
        ctx._fwd_used_autocast = False
        if not is_autocast_enabled(device_type):
            return fwd(*args, **kwargs)
        with autocast(device_type=device_type, enabled=False):
            return fwd(
                *_cast(args, device_type, cast_inputs), **_cast(kwargs, device_type, cast_inputs)
            )

    return decorate_fwd


def custom_bwd(bwd=None, *, device_type: str):
    """Mirrors ``torch.amp.custom_bwd``: backward runs under the autocast state (and dtype)
    its forward ran with."""
    _check_device_type(device_type)
    if bwd is None:
        return functools.partial(custom_bwd, device_type=device_type)

    @functools.wraps(bwd)
    def decorate_bwd(*args, **kwargs):
        ctx = args[0]
        with autocast(device_type=device_type, enabled=ctx._fwd_used_autocast, dtype=ctx._dtype):
            return bwd(*args, **kwargs)

    return decorate_bwd
