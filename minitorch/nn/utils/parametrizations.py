"""Orthogonal, weight and spectral normalization parametrizations (mirrors
``torch.nn.utils.parametrizations``), and the power iteration both spectral norms share."""

from __future__ import annotations

from ... import _finfo, factories, linalg, ops
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ...ops.reduce import wrap_dim
from .. import functional as F
from ..modules.conv import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from ..modules.module import Module
from . import parametrize


def norm_except_dim(v: Tensor, dim: int) -> Tensor:
    """The 2-norm of ``v`` over every dim but ``dim`` (over all of it when ``dim`` is -1),
    kept broadcastable against ``v``: the ``g`` of weight normalization."""
    if dim == -1:
        return v.norm()
    dim = wrap_dim(dim, v.ndim)  # PyTorch's: -2 is the next-to-last dim, 2 of a matrix fails
    others = tuple(d for d in range(v.ndim) if d != dim)
    if not others:  # a vector's norm along its only dim: each element's magnitude
        return v.abs()
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
    ``g`` in ``parametrizations.<name>.original0`` and the direction ``v`` in ``original1``;
    as PyTorch's, it loads the ``<name>_g``/``<name>_v`` of the hook-based weight_norm."""
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def compat_hook(state_dict, prefix, *args) -> None:
        g_key, v_key = f"{prefix}{name}_g", f"{prefix}{name}_v"
        if g_key in state_dict and v_key in state_dict:
            state_dict[f"{prefix}parametrizations.{name}.original0"] = state_dict.pop(g_key)
            state_dict[f"{prefix}parametrizations.{name}.original1"] = state_dict.pop(v_key)

    module._register_load_state_dict_pre_hook(compat_hook)
    return module


def spectral_dim(module: Module, dim: int | None) -> int:
    """The output dim of a weight: 1 for transposed convolutions, else 0 (PyTorch's)."""
    if dim is not None:
        return dim
    return 1 if isinstance(module, (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)) else 0


def weight_matrix(weight: Tensor, dim: int) -> Tensor:
    """The weight as a (size of ``dim``, everything else) matrix."""
    if dim != 0:  # PyTorch's permute (its errors for a dim the weight has not, or a negative one)
        weight = weight.permute(dim, *[d for d in range(weight.dim()) if d != dim])
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
        ndim = weight.ndim
        if not -ndim <= dim < ndim:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [-{ndim}, {ndim - 1}] but "
                f"got {dim})"
            )
        if n_power_iterations <= 0:
            raise ValueError(
                "Expected n_power_iterations to be positive, but got "
                f"n_power_iterations={n_power_iterations}"
            )
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


# ---- orthogonal ---------------------------------------------------------------------------------
_ORTHOGONAL_MAPS = ("matrix_exp", "cayley", "householder")


def _is_orthogonal(q: Tensor) -> bool:
    n, k = q.shape[-2], q.shape[-1]
    eye = factories.eye(k, dtype=q.dtype, device=q.device)
    return bool(ops.allclose(q.mT @ q, eye, atol=10.0 * n * _finfo.finfo(q.dtype).eps))


def _make_orthogonal(a: Tensor) -> Tensor:
    """The Q of a = QR (a tall) with R's diagonal made non-negative."""
    reflectors, tau = linalg.geqrf(a)
    q = linalg.householder_product(reflectors, tau)
    return q * reflectors.diagonal(dim1=-2, dim2=-1).sign().unsqueeze(-2)


class _Orthogonal(Module):
    """Maps an unconstrained matrix to an orthogonal one (PyTorch's ``_Orthogonal``): the
    exponential or Cayley transform of the skew-symmetric matrix made from its lower
    triangle, or the product of the Householder reflections its columns define. With
    ``use_trivialization`` the result multiplies a fixed orthogonal ``base`` (the assigned
    weight, made orthogonal), and the parameter starts at -I (the identity rotation)."""

    def __init__(self, weight: Tensor, orthogonal_map: str, *, use_trivialization: bool = True):
        super().__init__()
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X: Tensor) -> Tensor:
        n, k = X.shape[-2], X.shape[-1]
        transposed = n < k
        if transposed:
            X, n, k = X.mT, k, n
        if self.orthogonal_map in ("matrix_exp", "cayley"):
            X = X.tril()
            if n != k:  # embedded in a square matrix
                X = ops.cat([X, X.new_zeros(n, n - k).expand(*X.shape[:-2], -1, -1)], dim=-1)
            A = X - X.mT  # skew-symmetric
            if self.orthogonal_map == "matrix_exp":
                Q = linalg.matrix_exp(A)
            else:  # the Cayley retraction (I + A/2)(I - A/2)^-1
                eye = factories.eye(n, dtype=A.dtype, device=A.device)
                Q = linalg.solve(ops.add(eye, A, alpha=-0.5), ops.add(eye, A, alpha=0.5))
            if n != k:
                Q = Q[..., :k]
        else:
            A = X.tril(diagonal=-1)
            tau = 2.0 / (1.0 + (A * A).sum(dim=-2))
            Q = linalg.householder_product(A, tau)
            # the signs of X's diagonal (1 or -1) flip columns; not differentiated
            Q = Q * X.diagonal(dim1=-2, dim2=-1).int().unsqueeze(-2)
        if hasattr(self, "base"):
            Q = self.base @ Q
        return Q.mT if transposed else Q

    @no_grad()
    def right_inverse(self, Q: Tensor) -> Tensor:
        if Q.shape != self.shape:
            raise ValueError(
                f"Expected a matrix or batch of matrices of shape {self.shape}. Got a tensor of "
                f"shape {Q.shape}."
            )
        given = Q
        n, k = Q.shape[-2], Q.shape[-1]
        transposed = n < k
        if transposed:
            Q, n, k = Q.mT, k, n
        if not hasattr(self, "base"):
            if self.orthogonal_map != "householder":
                raise NotImplementedError(
                    "It is not possible to assign to the matrix exponential or the Cayley "
                    "parametrizations when use_trivialization=False."
                )
            A, tau = linalg.geqrf(Q)  # diag(R) > 0: the signs go on A's diagonal
            diag = A.diagonal(dim1=-2, dim2=-1)
            diag.sign_()
            diag[tau == 0.0] *= -1
            return A.mT if transposed else A
        if n == k:
            Q = Q.clone() if _is_orthogonal(Q) else _make_orthogonal(Q)
        else:  # completed to a square orthogonal matrix with random columns
            extra = factories.randn(*(Q.shape[:-2] + (n, n - k)), dtype=Q.dtype, device=Q.device)
            Q = _make_orthogonal(ops.cat([Q, extra], dim=-1))
        self.base = Q
        minus_eye = factories.zeros_like(given)  # householder(0) is eye(m, n): -I keeps it
        minus_eye.diagonal(dim1=-2, dim2=-1).fill_(-1.0)
        return minus_eye


def orthogonal(module: Module, name: str = "weight", orthogonal_map: str | None = None, *,
               use_trivialization: bool = True) -> Module:  # fmt: skip
    """Mirrors ``torch.nn.utils.parametrizations.orthogonal``: ``module.<name>`` becomes an
    orthogonal matrix (or batch of them; orthonormal rows or columns when not square),
    parametrized by ``orthogonal_map``: 'matrix_exp' (square default), 'cayley' or
    'householder' (default otherwise)."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if weight.ndim < 2:
        raise ValueError(
            f"Expected a matrix or batch of matrices. Got a tensor of {weight.ndim} dimensions."
        )
    if orthogonal_map is None:
        square = weight.shape[-2] == weight.shape[-1]
        orthogonal_map = "matrix_exp" if square else "householder"
    if orthogonal_map not in _ORTHOGONAL_MAPS:
        raise ValueError(
            'orthogonal_map has to be one of "matrix_exp", "cayley", "householder". '
            f"Got: {orthogonal_map}"
        )
    orth = _Orthogonal(weight, orthogonal_map, use_trivialization=use_trivialization)
    parametrize.register_parametrization(module, name, orth, unsafe=True)
    return module
