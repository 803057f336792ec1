"""GradScaler: dynamic loss scaling for float16 training (mirrors ``torch.amp.GradScaler``).

The loss is multiplied by a large scale so float16 gradients do not underflow; before the
optimizer steps, the gradients are divided by it again and checked for inf/NaN on the
device: each gradient's maximum and minimum into a list, one final reduction, and a single
host read in ``step``. A step with an inf/NaN gradient is skipped and the scale is backed
off; ``growth_interval`` clean steps in a row grow it.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from .. import _dtypes
from .._tensor import Tensor, make_tensor
from ..backends import device_of, get_backend, to_device
from ..backends.cupy_backend import available as cuda_available

_READY, _UNSCALED, _STEPPED = "ready", "unscaled", "stepped"


def _fresh_state() -> dict:
    return {"stage": _READY, "found_inf": {}, "skipped": None}


def unscale_and_check(grads: list, inv_scale: float):
    """Multiplies each gradient array (all on one device) by ``inv_scale`` in place and
    returns a 0-d device array that is True when any element is inf or NaN: the maximum and
    the minimum of each gradient are finite exactly when all its elements are (max and min
    propagate NaN), so one final reduction of those finds them, with no host sync here and
    no false alarm from large finite values (as a float64 sum could give)."""
    xp = get_backend(device_of(grads[0])).xp
    extremes = []
    with np.errstate(over="ignore", invalid="ignore"):  # inf and NaN are what we look for
        for g in grads:
            np.multiply(g, inv_scale, out=g)
            if g.size:
                extremes += (g.max(), g.min())
        if not extremes:
            return xp.asarray(False)
        return ~xp.isfinite(xp.stack(extremes)).all()


class GradScaler:
    """Mirrors ``torch.amp.GradScaler(device, init_scale, growth_factor, backoff_factor,
    growth_interval, enabled)``."""

    def __init__(
        self,
        device: str = "cuda",
        init_scale: float = 2.0**16,
        growth_factor: float = 2.0,
        backoff_factor: float = 0.5,
        growth_interval: int = 2000,
        enabled: bool = True,
    ) -> None:
        self._device = str(device)
        if enabled and self._device.startswith("cuda") and not cuda_available():
            warnings.warn(
                "minitorch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.",
                stacklevel=2,
            )
            enabled = False
        self._enabled = bool(enabled)
        if self._enabled:  # PyTorch asserts these
            if growth_factor <= 1.0:
                raise AssertionError(f"The growth factor must be > 1.0, got {growth_factor}.")
            if backoff_factor >= 1.0:
                raise AssertionError(f"The backoff factor must be < 1.0, got {backoff_factor}.")
        self._init_scale = init_scale
        self._scale: float | None = None  # float32 value, kept on the host: set at first scale()
        self._growth_factor = growth_factor
        self._backoff_factor = backoff_factor
        self._growth_interval = growth_interval
        self._init_growth_tracker = 0
        self._growth_tracker: int | None = None
        self._per_optimizer_states: defaultdict = defaultdict(_fresh_state)
        self._scale_arrays: dict = {}  # device -> (scale, the scale as an array there)

    def scale(self, outputs):
        """Mirrors ``GradScaler.scale``: ``outputs`` (a tensor or nested list/tuple of them)
        times the scale, as a float32 0-d tensor like PyTorch's (so the dtypes match)."""
        if not self._enabled:
            return outputs
        if self._scale is None:
            self._scale = _f32(self._init_scale)
            self._growth_tracker = self._init_growth_tracker
        if isinstance(outputs, Tensor):
            return outputs * make_tensor(self._scale_on(device_of(outputs._data)))
        if isinstance(outputs, (list, tuple)):
            return type(outputs)(self.scale(o) for o in outputs)
        if isinstance(outputs, Iterable):  # other iterables give an iterator, as PyTorch's
            return map(self.scale, outputs)
        raise ValueError("outputs must be a Tensor or an iterable of Tensors")

    def _scale_on(self, device):
        """The scale as a 0-d float32 array on ``device``, copied there once per value."""
        value, array = self._scale_arrays.get(device, (None, None))
        if value != self._scale:
            array = to_device(np.asarray(self._scale, dtype=np.float32), device)
            self._scale_arrays[device] = (self._scale, array)
        return array

    def _check_started(self, funcname: str) -> None:
        if self._scale is None:  # PyTorch asserts this
            raise AssertionError(
                f"Attempted {funcname} but _scale is None.  This may indicate your script did "
                "not use scaler.scale(loss or outputs) earlier in the iteration."
            )

    def unscale_(self, optimizer) -> None:
        """Mirrors ``GradScaler.unscale_``: divides the optimizer's gradients by the scale in
        place (call it before clipping) and records whether any is inf/NaN."""
        if not self._enabled:
            return
        self._check_started("unscale_")
        state = self._per_optimizer_states[id(optimizer)]
        if state["stage"] is _UNSCALED:
            raise RuntimeError(
                "unscale_() has already been called on this optimizer since the last update()."
            )
        if state["stage"] is _STEPPED:
            raise RuntimeError("unscale_() is being called after step().")
        inv_scale = _f32(1.0 / self._scale)
        by_device: dict = {}
        for group in optimizer.param_groups:
            for p in group["params"]:
                g = p.grad
                if g is None:
                    continue
                if g.dtype is _dtypes.float16:
                    raise ValueError("Attempting to unscale FP16 gradients.")
                by_device.setdefault(device_of(g._data), []).append(g._data)
        state["found_inf"] = {
            dev: unscale_and_check(grads, inv_scale) for dev, grads in by_device.items()
        }
        state["stage"] = _UNSCALED

    def step(self, optimizer, *args, **kwargs):
        """Mirrors ``GradScaler.step``: unscales (unless ``unscale_`` ran) and runs
        ``optimizer.step`` unless a gradient is inf/NaN. Returns what ``optimizer.step``
        returned, None for a skipped step (as PyTorch)."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        self._check_started("step")
        state = self._per_optimizer_states[id(optimizer)]
        if state["stage"] is _STEPPED:
            raise RuntimeError("step() has already been called since the last update().")
        if state["stage"] is _READY:
            self.unscale_(optimizer)
        if not state["found_inf"]:  # PyTorch asserts this
            raise AssertionError(
                "No inf checks were recorded for this optimizer: none of its parameters has a "
                ".grad. Call scaler.scale(loss).backward() before scaler.step(optimizer)."
            )
        state["skipped"] = any(bool(f) for f in state["found_inf"].values())  # the host sync
        retval = None if state["skipped"] else optimizer.step(*args, **kwargs)
        state["stage"] = _STEPPED
        return retval

    def update(self, new_scale: float | Tensor | None = None) -> None:
        """Mirrors ``GradScaler.update``: backs the scale off after an inf/NaN, grows it after
        ``growth_interval`` clean steps in a row, or sets ``new_scale``."""
        if not self._enabled:
            return
        self._check_started("update")
        if new_scale is not None:
            if isinstance(new_scale, Tensor):
                if new_scale.numel() != 1 or new_scale.requires_grad:  # PyTorch asserts this
                    raise AssertionError(
                        "new_scale should be a float or a 1-element torch.cuda.FloatTensor or "
                        "torch.FloatTensor with requires_grad=False."
                    )
                new_scale = new_scale.item()
            self._scale = _f32(new_scale)
        else:
            states = self._per_optimizer_states.values()
            checks = [s for s in states if s["found_inf"]]
            if not checks:  # PyTorch asserts this
                raise AssertionError(
                    "No inf checks were recorded prior to update(): call scaler.step(optimizer) "
                    "(or scaler.unscale_(optimizer)) first."
                )
            self._update_scale(any(_found(s) for s in checks))
        self._per_optimizer_states = defaultdict(_fresh_state)

    def _update_scale(self, found_inf: bool) -> None:
        # as PyTorch's _amp_update_scale_ on the CPU: float32 scale times a double factor,
        # rounded to float32
        if found_inf:
            self._scale = _f32(self._scale * self._backoff_factor)
            self._growth_tracker = 0
            return
        successful = self._growth_tracker + 1
        if successful == self._growth_interval:
            grown = _f32(self._scale * self._growth_factor)
            if np.isfinite(grown):
                self._scale = grown
            self._growth_tracker = 0
        else:
            self._growth_tracker = successful

    def get_scale(self) -> float:
        """Mirrors ``GradScaler.get_scale`` (1.0 when disabled)."""
        if not self._enabled:
            return 1.0
        return self._init_scale if self._scale is None else self._scale

    def _get_growth_tracker(self) -> int:
        """Mirrors PyTorch's private ``GradScaler._get_growth_tracker`` (0 when disabled)."""
        if not self._enabled:
            return 0
        return self._init_growth_tracker if self._growth_tracker is None else self._growth_tracker

    def get_growth_factor(self) -> float:
        """Mirrors ``GradScaler.get_growth_factor``."""
        return self._growth_factor

    def set_growth_factor(self, new_factor: float) -> None:
        """Mirrors ``GradScaler.set_growth_factor``."""
        self._growth_factor = new_factor

    def get_backoff_factor(self) -> float:
        """Mirrors ``GradScaler.get_backoff_factor``."""
        return self._backoff_factor

    def set_backoff_factor(self, new_factor: float) -> None:
        """Mirrors ``GradScaler.set_backoff_factor``."""
        self._backoff_factor = new_factor

    def get_growth_interval(self) -> int:
        """Mirrors ``GradScaler.get_growth_interval``."""
        return self._growth_interval

    def set_growth_interval(self, new_interval: int) -> None:
        """Mirrors ``GradScaler.set_growth_interval``."""
        self._growth_interval = new_interval

    def is_enabled(self) -> bool:
        """Mirrors ``GradScaler.is_enabled``."""
        return self._enabled

    def state_dict(self) -> dict:
        """Mirrors ``GradScaler.state_dict`` (empty when disabled)."""
        if not self._enabled:
            return {}
        return {
            "scale": self.get_scale(),
            "growth_factor": self._growth_factor,
            "backoff_factor": self._backoff_factor,
            "growth_interval": self._growth_interval,
            "_growth_tracker": self._get_growth_tracker(),
        }

    def load_state_dict(self, state_dict: dict) -> None:
        """Mirrors ``GradScaler.load_state_dict``."""
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError(
                "The source state dict is empty, possibly because it was saved from a disabled "
                "instance of GradScaler."
            )
        self._init_scale = float(state_dict["scale"])
        if self._scale is not None:
            self._scale = _f32(state_dict["scale"])
        self._growth_factor = float(state_dict["growth_factor"])
        self._backoff_factor = float(state_dict["backoff_factor"])
        self._growth_interval = int(state_dict["growth_interval"])
        self._init_growth_tracker = int(state_dict["_growth_tracker"])
        if self._growth_tracker is not None:
            self._growth_tracker = self._init_growth_tracker


def _f32(x) -> float:
    """``x`` rounded to float32 (beyond float32's range: inf)."""
    with np.errstate(over="ignore"):
        return float(np.float32(x))


def _found(state: dict) -> bool:
    skipped = state["skipped"]  # read in step(); unscale_ without step reads it here
    return skipped if skipped is not None else any(bool(f) for f in state["found_inf"].values())
