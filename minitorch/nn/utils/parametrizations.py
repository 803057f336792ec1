"""Weight and spectral normalization as parametrizations (mirrors
``torch.nn.utils.parametrizations``), and the power iteration both spectral norms share."""

from __future__ import annotations

from ... import ops
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from .. import functional as F
from ..modules.module import Module
from . import parametrize


def norm_except_dim(v: Tensor, dim: int) -> Tensor:
    """The 2-norm of ``v`` over every dim but ``dim`` (over all of it when ``dim`` is -1),
    kept broadcastable against ``v``: the ``g`` of weight normalization."""
    if dim == -1:
        return v.norm()
    others = tuple(d for d in range(v.ndim) if d != dim)
    return (v * v).sum(others, keepdim=True).sqrt()


def weight_norm_value(v: Tensor, g: Tensor, dim: int) -> Tensor:
    """``v * g / ||v||`` (mirrors ``torch._weight_norm``)."""
    return v * (g / norm_except_dim(v, dim))


class _WeightNorm(Module):
    def __init__(self, dim: int | None) -> None:
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g: Tensor, weight_v: Tensor) -> Tensor:
        return weight_norm_value(weight_v, weight_g, self.dim)

    def right_inverse(self, weight: Tensor) -> tuple:
        return norm_except_dim(weight, self.dim), weight


def weight_norm(module: Module, name: str = "weight", dim: int | None = 0) -> Module:
    """Mirrors ``parametrizations.weight_norm``: ``name`` = v g / ||v||, with the magnitude
    ``g`` in ``parametrizations.<name>.original0`` and the direction ``v`` in ``original1``."""
    return parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)


def spectral_dim(module: Module, dim: int | None) -> int:
    """The output dim of a weight: 1 for transposed convolutions, else 0 (PyTorch's)."""
    if dim is not None:
        return dim
    return 1 if type(module).__name__.startswith("ConvTranspose") else 0


def weight_matrix(weight: Tensor, dim: int) -> Tensor:
    """The weight as a (size of ``dim``, everything else) matrix."""
    if dim != 0:
        weight = weight.movedim(dim, 0)
    return weight.reshape(weight.shape[0], -1)


def power_iteration(w: Tensor, u: Tensor, v: Tensor, steps: int, eps: float, u_first: bool):
    """``steps`` rounds of power iteration on the matrix ``w``, in place on ``u`` and ``v``
    (u <- normalize(w v), v <- normalize(w^T u); ``u_first`` says which is updated first)."""
    with no_grad():
        for _ in range(steps):
            if u_first:
                u.copy_(F.normalize(ops.mv(w, v), dim=0, eps=eps))
            v.copy_(F.normalize(ops.mv(w.T, u), dim=0, eps=eps))
            if not u_first:
                u.copy_(F.normalize(ops.mv(w, v), dim=0, eps=eps))


def unit_random(n: int, like: Tensor, eps: float) -> Tensor:
    """A random unit vector of length ``n`` (from the default generator)."""
    return F.normalize(like.new_empty(n).normal_(0, 1), dim=0, eps=eps)


class _SpectralNorm(Module):
    def __init__(
        self, weight: Tensor, n_power_iterations: int = 1, dim: int = 0, eps: float = 1e-12
    ) -> None:
        super().__init__()
        if n_power_iterations <= 0:
            raise ValueError(
                "Expected n_power_iterations to be positive, but got "
                f"n_power_iterations={n_power_iterations}"
            )
        ndim = weight.ndim
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            w = weight_matrix(weight.detach(), self.dim)
            self.register_buffer("_u", unit_random(w.shape[0], w, eps))
            self.register_buffer("_v", unit_random(w.shape[1], w, eps))
            power_iteration(w, self._u, self._v, 15, eps, u_first=True)

    def forward(self, weight: Tensor) -> Tensor:
        if weight.ndim == 1:
            return F.normalize(weight, dim=0, eps=self.eps)
        w = weight_matrix(weight, self.dim)
        if self.training:
            power_iteration(w.detach(), self._u, self._v, self.n_power_iterations, self.eps, True)
        sigma = ops.dot(self._u.clone(), ops.mv(w, self._v.clone()))
        return weight / sigma

    def right_inverse(self, value: Tensor) -> Tensor:
        return value


def spectral_norm(
    module: Module,
    name: str = "weight",
    n_power_iterations: int = 1,
    eps: float = 1e-12,
    dim: int | None = None,
) -> Module:
    """Mirrors ``parametrizations.spectral_norm``: ``name`` divided by its largest singular
    value, estimated by power iteration (one step per training forward)."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    norm = _SpectralNorm(weight, n_power_iterations, spectral_dim(module, dim), eps)
    return parametrize.register_parametrization(module, name, norm)
