"""The hook-based weight and spectral normalization (mirrors ``torch.nn.utils.weight_norm``
and ``torch.nn.utils.spectral_norm``): ``name`` is recomputed from ``name_g``/``name_v``
(or from ``name_orig`` and the power-iteration vectors ``name_u``/``name_v``) by a forward
pre-hook, before every forward."""

from __future__ import annotations

import warnings

from ... import ops
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ..modules.module import Module
from ..parameter import Parameter, is_lazy
from .parametrizations import (
    norm_except_dim,
    power_iteration,
    spectral_dim,
    unit_random,
    weight_matrix,
    weight_norm_value,
)


class WeightNorm:
    """Mirrors ``torch.nn.utils.weight_norm.WeightNorm``: the forward pre-hook."""

    def __init__(self, name: str, dim: int | None) -> None:
        self.name, self.dim = name, -1 if dim is None else dim

    def compute_weight(self, module: Module):
        g, v = getattr(module, self.name + "_g"), getattr(module, self.name + "_v")
        return weight_norm_value(v, g, self.dim)

    def __call__(self, module: Module, inputs) -> None:
        setattr(module, self.name, self.compute_weight(module))

    def remove(self, module: Module) -> None:
        weight = self.compute_weight(module)
        delattr(module, self.name)
        del module._parameters[self.name + "_g"]
        del module._parameters[self.name + "_v"]
        setattr(module, self.name, Parameter(weight.detach()))


class SpectralNorm:
    """Mirrors ``torch.nn.utils.spectral_norm.SpectralNorm``: the forward pre-hook."""

    def __init__(self, name: str, n_power_iterations: int, dim: int, eps: float) -> None:
        if n_power_iterations <= 0:
            raise ValueError(
                "Expected n_power_iterations to be positive, but got "
                f"n_power_iterations={n_power_iterations}"
            )
        self.name, self.dim, self.eps = name, dim, eps
        self.n_power_iterations = n_power_iterations

    def compute_weight(self, module: Module, do_power_iteration: bool):
        weight = getattr(module, self.name + "_orig")
        u, v = getattr(module, self.name + "_u"), getattr(module, self.name + "_v")
        w = weight_matrix(weight, self.dim)
        if do_power_iteration:
            power_iteration(w.detach(), u, v, self.n_power_iterations, self.eps, u_first=False)
            u, v = u.clone(), v.clone()
        return weight / ops.dot(u, ops.mv(w, v))

    def __call__(self, module: Module, inputs) -> None:
        setattr(module, self.name, self.compute_weight(module, module.training))

    def remove(self, module: Module) -> None:
        with no_grad():
            weight = self.compute_weight(module, do_power_iteration=False)
        for suffix in ("", "_u", "_v", "_orig"):
            delattr(module, self.name + suffix)
        module.register_parameter(self.name, Parameter(weight.detach()))


class SpectralNormStateDictHook:
    """Mirrors PyTorch's: the state_dict's metadata records the format, ``{"<name>.version":
    1}`` under ``"spectral_norm"``."""

    def __init__(self, fn: SpectralNorm) -> None:
        self.fn = fn

    def __call__(self, module: Module, state_dict, prefix: str, local_metadata: dict) -> None:
        versions = local_metadata.setdefault("spectral_norm", {})
        key = self.fn.name + ".version"
        if key in versions:
            raise RuntimeError(f"Unexpected key in metadata['spectral_norm']: {key}")
        versions[key] = 1


class SpectralNormLoadStateDictPreHook:
    """Mirrors PyTorch's: a state_dict without that metadata (PyTorch's before 1.0 saved
    ``name`` and ``name_u`` but no ``name_v``) gets ``name_v`` solved from them."""

    def __init__(self, fn: SpectralNorm) -> None:
        self.fn = fn

    def __call__(self, module, state_dict, prefix, local_metadata, strict, missing_keys, *_):
        version = local_metadata.get("spectral_norm", {}).get(self.fn.name + ".version")
        if version is not None:
            return
        key = prefix + self.fn.name
        if key not in state_dict and all(key + s in state_dict for s in ("_orig", "_u", "_v")):
            return  # the current format, its metadata lost
        missing = [key + s for s in ("_orig", "", "_u") if key + s not in state_dict]
        if missing:
            if strict:
                missing_keys.extend(missing)
            return
        with no_grad():
            weight_orig = state_dict[key + "_orig"]
            sigma = (weight_orig / state_dict.pop(key)).mean()
            w = weight_matrix(weight_orig, self.fn.dim)
            u = state_dict[key + "_u"]
            v = w.t().mm(w).pinverse().mm(w.t()).mv(u)
            state_dict[key + "_v"] = v.mul_(sigma / ops.dot(u, ops.mv(w, v)))


def _find_hook(module: Module, kind: type, name: str):
    for hid, hook in module._forward_pre_hooks.items():
        if isinstance(hook, kind) and hook.name == name:
            return hid, hook
    return None, None


def weight_norm(module: Module, name: str = "weight", dim: int | None = 0) -> Module:
    """Mirrors the deprecated ``torch.nn.utils.weight_norm``: parameters ``name_g`` (the
    norm over every dim but ``dim``) and ``name_v``; ``name`` = v g / ||v||."""
    warnings.warn(
        "`torch.nn.utils.weight_norm` is deprecated in favor of "
        "`torch.nn.utils.parametrizations.weight_norm`.",
        FutureWarning,
        stacklevel=2,
    )
    if _find_hook(module, WeightNorm, name)[1] is not None:
        raise RuntimeError(f"Cannot register two weight_norm hooks on the same parameter {name}")
    fn = WeightNorm(name, dim)
    weight = getattr(module, name)
    _check_initialized(weight, "WeightNorm", "weight")
    del module._parameters[name]
    if not isinstance(weight, Tensor):  # PyTorch's norm_except_dim refuses it (the entry gone)
        raise TypeError(
            "norm_except_dim(): argument 'v' (position 1) must be Tensor, not "
            f"{type(weight).__name__}"
        )
    module.register_parameter(name + "_g", Parameter(norm_except_dim(weight, fn.dim).detach()))
    module.register_parameter(name + "_v", Parameter(weight.detach()))
    setattr(module, name, fn.compute_weight(module))
    module.register_forward_pre_hook(fn)
    return module


def remove_weight_norm(module: Module, name: str = "weight") -> Module:
    """Mirrors ``torch.nn.utils.remove_weight_norm``."""
    return _remove(module, WeightNorm, name, "weight_norm")


def spectral_norm(
    module: Module,
    name: str = "weight",
    n_power_iterations: int = 1,
    eps: float = 1e-12,
    dim: int | None = None,
) -> Module:
    """Mirrors ``torch.nn.utils.spectral_norm``: parameter ``name_orig``, buffers ``name_u``
    and ``name_v`` (random unit vectors, refined by one power-iteration step per training
    forward); ``name`` = name_orig / sigma."""
    if _find_hook(module, SpectralNorm, name)[1] is not None:
        raise RuntimeError(f"Cannot register two spectral_norm hooks on the same parameter {name}")
    fn = SpectralNorm(name, n_power_iterations, spectral_dim(module, dim), eps)
    weight = module._parameters[name]  # PyTorch's KeyError for a name that is no parameter
    if weight is None:
        raise ValueError(f"`SpectralNorm` cannot be applied as parameter `{name}` is None")
    _check_initialized(weight, "SpectralNorm", "spectral")
    with no_grad():
        h, w = weight_matrix(weight, fn.dim).shape
        u, v = unit_random(h, weight, eps), unit_random(w, weight, eps)
    delattr(module, name)
    module.register_parameter(name + "_orig", weight)
    setattr(module, name, weight.detach())
    module.register_buffer(name + "_u", u)
    module.register_buffer(name + "_v", v)
    module.register_forward_pre_hook(fn)
    module._register_state_dict_hook(SpectralNormStateDictHook(fn))
    module._register_load_state_dict_pre_hook(SpectralNormLoadStateDictPreHook(fn), True)
    return module


def _check_initialized(weight, hook: str, what: str) -> None:
    """PyTorch's refusal of a lazy module's weight before its first forward."""
    if is_lazy(weight):
        raise ValueError(
            f"The module passed to `{hook}` can't have uninitialized parameters. Make sure to "
            f"run the dummy forward before applying {what} normalization"
        )


def remove_spectral_norm(module: Module, name: str = "weight") -> Module:
    """Mirrors ``torch.nn.utils.remove_spectral_norm``."""
    return _remove(module, SpectralNorm, name, "spectral_norm")


def _remove(module: Module, kind: type, name: str, what: str) -> Module:
    hid, hook = _find_hook(module, kind, name)
    if hook is None:
        raise ValueError(f"{what} of '{name}' not found in {module}")
    hook.remove(module)
    del module._forward_pre_hooks[hid]
    # the state_dict hook goes; the load pre-hook stays, as PyTorch's (its removal misses it)
    hooks = module.__dict__.get("_state_dict_hooks", {})
    for k in [k for k, h in hooks.items() if getattr(h, "fn", None) is hook]:
        del hooks[k]
    return module
