"""Pruning (mirrors ``torch.nn.utils.prune``): a pruned tensor ``name`` of a module becomes
the parameter ``name_orig`` times the buffer ``name_mask``, recomputed by a forward pre-hook
(the pruning method itself) before each call; ``remove`` makes the pruning permanent.
Masks are chosen as PyTorch chooses them (the same topk/kthvalue calls on the same random
draws), so pruned models equal PyTorch's from the same seed."""

from __future__ import annotations

import numbers
from collections.abc import Iterable

from ... import factories, ops
from ..._tensor import Tensor
from ..modules.module import Module
from .convert_parameters import parameters_to_vector


class BasePruningMethod:
    """Mirrors ``prune.BasePruningMethod``: subclasses define ``compute_mask(t,
    default_mask)`` and ``PRUNING_TYPE`` ("unstructured", "structured" or "global")."""

    _tensor_name: str  # set when applied (PyTorch gives no default: AttributeError before)
    PRUNING_TYPE = "unstructured"

    def __call__(self, module: Module, inputs) -> None:
        setattr(module, self._tensor_name, self.apply_mask(module))

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        raise NotImplementedError

    def apply_mask(self, module: Module) -> Tensor:
        """Mirrors ``BasePruningMethod.apply_mask``: ``name_orig * name_mask``."""
        if self._tensor_name is None:
            raise AssertionError(f"Module {module} has to be pruned")
        mask = getattr(module, self._tensor_name + "_mask")
        orig = getattr(module, self._tensor_name + "_orig")
        return mask.to(dtype=orig.dtype) * orig

    @classmethod
    def apply(cls, module: Module, name: str, *args, importance_scores=None, **kwargs):
        """Mirrors ``BasePruningMethod.apply``: prunes ``module.<name>`` (combined with an
        earlier pruning of it in a ``PruningContainer``) and installs the forward pre-hook."""
        method = _combined_method(cls, module, name, *args, **kwargs)
        orig = getattr(module, name)
        if importance_scores is not None:
            if importance_scores.shape != orig.shape:
                raise AssertionError(
                    f"importance_scores should have the same shape as parameter {name} of "
                    f"{module}, got {importance_scores.shape} vs {orig.shape}"
                )
        else:
            importance_scores = orig
        if not isinstance(method, PruningContainer):
            module.register_parameter(name + "_orig", orig)
            del module._parameters[name]
            default_mask = factories.ones_like(orig)
        else:
            default_mask = getattr(module, name + "_mask").detach().clone()
        try:
            mask = method.compute_mask(importance_scores, default_mask=default_mask)
            module.register_buffer(name + "_mask", mask)
            setattr(module, name, method.apply_mask(module))
            module.register_forward_pre_hook(method)
        except Exception:
            if not isinstance(method, PruningContainer):
                orig = getattr(module, name + "_orig")
                module.register_parameter(name, orig)
                del module._parameters[name + "_orig"]
            raise
        return method

    def prune(self, t: Tensor, default_mask=None, importance_scores=None) -> Tensor:
        """Mirrors ``BasePruningMethod.prune``: ``t`` times its mask (no module involved)."""
        if importance_scores is not None and importance_scores.shape != t.shape:
            raise AssertionError(
                "importance_scores should have the same shape as tensor t, got "
                f"{importance_scores.shape} vs {t.shape}"
            )
        scores = t if importance_scores is None else importance_scores
        default_mask = default_mask if default_mask is not None else factories.ones_like(t)
        return t * self.compute_mask(scores, default_mask=default_mask)

    def remove(self, module: Module) -> None:
        """Mirrors ``BasePruningMethod.remove``: ``name`` becomes the parameter ``name_orig``
        holding the pruned values; the mask buffer goes."""
        if self._tensor_name is None:
            raise AssertionError(f"Module {module} has to be pruned before pruning can be removed")
        weight = self.apply_mask(module)
        if hasattr(module, self._tensor_name):
            delattr(module, self._tensor_name)
        orig = module._parameters[self._tensor_name + "_orig"]
        orig.data = weight.data
        del module._parameters[self._tensor_name + "_orig"]
        del module._buffers[self._tensor_name + "_mask"]
        setattr(module, self._tensor_name, orig)


def _combined_method(cls, module: Module, name: str, *args, **kwargs) -> BasePruningMethod:
    """The new method, or a container of the earlier pruning of ``name`` and it (whose old
    hook is taken off the module)."""
    old = [(k, h) for k, h in module._forward_pre_hooks.items() if _prunes(h, name)]
    if len(old) > 1:
        raise AssertionError(
            f"Avoid adding multiple pruning hooks to the same tensor {name} of module "
            f"{module}. Use a PruningContainer."
        )
    for key, _ in old:  # taken off first: PyTorch loses it when the new method is refused
        del module._forward_pre_hooks[key]
    method = cls(*args, **kwargs)
    method._tensor_name = name
    if not old:
        return method
    old_method = old[0][1]
    if not isinstance(old_method, PruningContainer):
        old_method = PruningContainer(old_method)
    old_method.add_pruning_method(method)
    return old_method


def _prunes(hook, name: str) -> bool:
    return isinstance(hook, BasePruningMethod) and hook._tensor_name == name


class PruningContainer(BasePruningMethod):
    """Mirrors ``prune.PruningContainer``: successive prunings of one tensor; the newest
    one prunes what the earlier ones left."""

    def __init__(self, *args) -> None:
        self._pruning_methods: tuple = ()
        if len(args) == 1:
            self._tensor_name = args[0]._tensor_name
        for method in args:
            self.add_pruning_method(method)

    def add_pruning_method(self, method) -> None:
        """Mirrors ``PruningContainer.add_pruning_method``."""
        if not isinstance(method, BasePruningMethod) and method is not None:
            raise TypeError(f"{type(method)} is not a BasePruningMethod subclass")
        if method is not None and self._tensor_name != method._tensor_name:
            raise ValueError(
                "Can only add pruning methods acting on the parameter named "
                f"'{self._tensor_name}' to PruningContainer {self}. Found "
                f"'{method._tensor_name}'"
            )
        self._pruning_methods += (method,)

    def __len__(self) -> int:
        return len(self._pruning_methods)

    def __iter__(self):
        return iter(self._pruning_methods)

    def __getitem__(self, idx):
        return self._pruning_methods[idx]

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        method = self._pruning_methods[-1]
        new_mask = default_mask.to(dtype=t.dtype)
        if method.PRUNING_TYPE == "unstructured":
            slc = default_mask == 1
        elif method.PRUNING_TYPE == "structured":
            if not hasattr(method, "dim"):
                raise AttributeError(
                    'Pruning methods of PRUNING_TYPE "structured" need to have the attribute '
                    "`dim` defined."
                )
            n_dims = t.dim()
            dim = method.dim + n_dims if method.dim < 0 else method.dim
            if dim < 0:
                raise IndexError(f"Index is out of bounds for tensor with dimensions {n_dims}")
            if dim >= n_dims:  # PyTorch's slice list, assigned at ``dim``
                raise IndexError("list assignment index out of range")
            keep = default_mask.sum(dim=[d for d in range(n_dims) if d != dim]) != 0
            slc = tuple(keep if d == dim else slice(None) for d in range(n_dims))
        elif method.PRUNING_TYPE == "global":
            slc = (slice(None),) * t.dim()
        else:
            raise ValueError(f"Unrecognized PRUNING_TYPE {method.PRUNING_TYPE}")
        partial = method.compute_mask(t[slc], default_mask=default_mask[slc])
        new_mask[slc] = partial.to(dtype=new_mask.dtype)
        return new_mask


class Identity(BasePruningMethod):
    """Mirrors ``prune.Identity``: prunes nothing (the mask is all ones)."""

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        return default_mask


class _Amount(BasePruningMethod):
    """A method pruning ``amount`` entries (an int) or a fraction of them (a float)."""

    def __init__(self, amount) -> None:
        if not isinstance(amount, numbers.Real):
            raise TypeError(f"Invalid type for amount: {amount}. Must be int or float.")
        integral = isinstance(amount, numbers.Integral)
        if (integral and amount < 0) or (not integral and not 0.0 <= float(amount) <= 1.0):
            raise ValueError(
                f"amount={amount} should either be a float in the range [0, 1] or a "
                "non-negative integer"
            )
        self.amount = amount

    def _count(self, size: int) -> int:
        n = self.amount if isinstance(self.amount, numbers.Integral) else round(self.amount * size)
        if isinstance(n, numbers.Integral) and n > size:
            raise ValueError(
                f"amount={n} should be smaller than the number of parameters to prune={size}"
            )
        return n


class RandomUnstructured(_Amount):
    """Mirrors ``prune.RandomUnstructured``: zeroes entries chosen at random."""

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        n = self._count(t.nelement())
        mask = default_mask.clone()
        if n != 0:
            mask.view(-1)[ops.topk(factories.rand_like(t).view(-1), k=n).indices] = 0
        return mask


class L1Unstructured(_Amount):
    """Mirrors ``prune.L1Unstructured``: zeroes the entries of smallest magnitude."""

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        n = self._count(t.nelement())
        mask = default_mask.clone()
        if n != 0:
            mask.view(-1)[ops.topk(ops.abs(t).view(-1), k=n, largest=False).indices] = 0
        return mask


class _Structured(_Amount):
    PRUNING_TYPE = "structured"

    def _channels(self, t: Tensor) -> int:
        """The number of channels to prune along ``dim``, after PyTorch's checks."""
        if t.dim() <= 1:
            raise ValueError(
                "Structured pruning can only be applied to multidimensional tensors. Found "
                f"tensor of shape {t.shape} with {t.dim()} dims"
            )
        if self.dim >= t.dim():
            raise IndexError(f"Invalid index {self.dim} for tensor of size {t.shape}")
        return self._count(t.shape[self.dim])

    def _channel_mask(self, t: Tensor, default_mask: Tensor, keep) -> Tensor:
        mask = factories.zeros_like(t)
        mask[tuple(keep if d == self.dim % t.dim() else slice(None) for d in range(t.dim()))] = 1
        return mask * default_mask.to(dtype=mask.dtype)


class RandomStructured(_Structured):
    """Mirrors ``prune.RandomStructured``: zeroes whole channels along ``dim`` at random."""

    def __init__(self, amount, dim: int = -1) -> None:
        super().__init__(amount)
        self.dim = dim

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        n = self._channels(t)
        if n == 0:
            return default_mask
        prob = factories.rand(t.shape[self.dim])
        return self._channel_mask(t, default_mask, prob > ops.kthvalue(prob, k=n).values)


class LnStructured(_Structured):
    """Mirrors ``prune.LnStructured``: zeroes the channels along ``dim`` of smallest
    ``n``-norm."""

    def __init__(self, amount, n, dim: int = -1) -> None:
        super().__init__(amount)
        self.n = n
        self.dim = dim

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        n = self._channels(t)
        dims = [d for d in range(t.dim()) if d != self.dim % t.dim()]
        norm = t.norm(p=self.n, dim=dims)  # computed (and its p checked) even to prune nothing
        if n == 0:
            return default_mask
        keep = ops.topk(norm, k=t.shape[self.dim] - n, largest=True).indices
        return self._channel_mask(t, default_mask, keep)


class CustomFromMask(BasePruningMethod):
    """Mirrors ``prune.CustomFromMask``: the given mask (times any earlier one)."""

    PRUNING_TYPE = "global"

    def __init__(self, mask: Tensor) -> None:
        self.mask = mask

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        if default_mask.shape != self.mask.shape:
            raise AssertionError(
                f"default_mask shape {default_mask.shape} must match self.mask shape "
                f"{self.mask.shape}"
            )
        return default_mask * self.mask.to(dtype=default_mask.dtype)


def identity(module: Module, name: str) -> Module:
    """Mirrors ``prune.identity``."""
    Identity.apply(module, name)
    return module


def random_unstructured(module: Module, name: str, amount) -> Module:
    """Mirrors ``prune.random_unstructured``."""
    RandomUnstructured.apply(module, name, amount=amount)
    return module


def l1_unstructured(module: Module, name: str, amount, importance_scores=None) -> Module:
    """Mirrors ``prune.l1_unstructured``."""
    L1Unstructured.apply(module, name, amount=amount, importance_scores=importance_scores)
    return module


def random_structured(module: Module, name: str, amount, dim: int) -> Module:
    """Mirrors ``prune.random_structured``."""
    RandomStructured.apply(module, name, amount=amount, dim=dim)
    return module


def ln_structured(module: Module, name: str, amount, n, dim: int, importance_scores=None):
    """Mirrors ``prune.ln_structured``."""
    LnStructured.apply(
        module, name, amount=amount, n=n, dim=dim, importance_scores=importance_scores
    )
    return module


def custom_from_mask(module: Module, name: str, mask: Tensor) -> Module:
    """Mirrors ``prune.custom_from_mask``."""
    CustomFromMask.apply(module, name, mask=mask)
    return module


def global_unstructured(parameters, pruning_method, importance_scores=None, **kwargs) -> None:
    """Mirrors ``prune.global_unstructured``: one unstructured pruning over all the
    ``(module, name)`` tensors together, applied to each as a custom mask."""
    if not isinstance(parameters, Iterable):
        raise TypeError("global_unstructured(): parameters is not an Iterable")
    importance_scores = importance_scores if importance_scores is not None else {}
    if not isinstance(importance_scores, dict):
        raise TypeError("global_unstructured(): importance_scores must be of type dict")
    parameters = list(parameters)
    scores = parameters_to_vector(
        [importance_scores.get((m, n), getattr(m, n)) for m, n in parameters]
    )
    default_mask = parameters_to_vector(
        [getattr(m, n + "_mask", factories.ones_like(getattr(m, n))) for m, n in parameters]
    )
    method = pruning_method(**kwargs)
    method._tensor_name = "temp"
    if method.PRUNING_TYPE != "unstructured":
        raise TypeError(
            'Only "unstructured" PRUNING_TYPE supported for the `pruning_method`. Found '
            f"method {pruning_method} of type {method.PRUNING_TYPE}"
        )
    container = PruningContainer()
    container._tensor_name = "temp"
    container.add_pruning_method(method)
    final_mask = container.compute_mask(scores, default_mask)
    pointer = 0
    for module, name in parameters:
        param = getattr(module, name)
        custom_from_mask(module, name, final_mask[pointer : pointer + param.numel()].view_as(param))
        pointer += param.numel()


def remove(module: Module, name: str) -> Module:
    """Mirrors ``prune.remove``: makes the pruning of ``name`` permanent."""
    for k, hook in module._forward_pre_hooks.items():
        if _prunes(hook, name):
            hook.remove(module)
            del module._forward_pre_hooks[k]
            return module
    raise ValueError(
        f"Parameter '{name}' of module {module} has to be pruned before pruning can be removed"
    )


def is_pruned(module: Module) -> bool:
    """Mirrors ``prune.is_pruned``: whether any submodule has a pruning hook."""
    return any(
        isinstance(hook, BasePruningMethod)
        for _, sub in module.named_modules()
        for hook in sub._forward_pre_hooks.values()
    )
