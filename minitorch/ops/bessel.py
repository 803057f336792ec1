"""The Bessel functions of ``torch.special`` that have no gradient there: J0, J1, Y0, Y1 and
the Airy function Ai in the input's precision, K0, K1 (plain and scaled by e^x) in float64
and rounded once, all PyTorch's own kernels (cephes_bessel.py). (I0, I1 and their scaled
forms are differentiable ops in ``gamma.py``.)"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, make_tensor
from .cephes_bessel import airy_ai_array, j_array, k_scaled_array, y_array
from .elementwise import _floating


def _no_grad(name: str, array_fn):
    def fn(input: Tensor) -> Tensor:
        x = _floating(input)._data
        return make_tensor(array_fn(x.astype(np.float64, copy=False)).astype(x.dtype, copy=False))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Mirrors ``torch.special.{name}`` (no gradient, as in PyTorch)."
    return fn


def _k_plain(nu: int):
    def array_fn(x):
        with np.errstate(over="ignore", invalid="ignore"):
            return np.where(x == np.inf, 0.0, k_scaled_array(x, nu) * np.exp(-x))

    return array_fn


def _pytorch_kernel(name: str, array_fn, *args):
    """A function as PyTorch computes it: in the input's precision (16-bit floats in float32,
    rounded once)."""

    def fn(input: Tensor) -> Tensor:
        x = _floating(input)._data
        own = x.dtype if x.dtype.itemsize >= 4 else np.float32
        return make_tensor(array_fn(x.astype(own, copy=False), *args).astype(x.dtype, copy=False))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Mirrors ``torch.special.{name}`` (no gradient, as in PyTorch)."
    return fn


bessel_j0 = _pytorch_kernel("bessel_j0", j_array, 0)
bessel_j1 = _pytorch_kernel("bessel_j1", j_array, 1)
bessel_y0 = _pytorch_kernel("bessel_y0", y_array, 0)
bessel_y1 = _pytorch_kernel("bessel_y1", y_array, 1)
modified_bessel_k0 = _no_grad("modified_bessel_k0", _k_plain(0))
modified_bessel_k1 = _no_grad("modified_bessel_k1", _k_plain(1))
scaled_modified_bessel_k0 = _no_grad("scaled_modified_bessel_k0", lambda x: k_scaled_array(x, 0))
scaled_modified_bessel_k1 = _no_grad("scaled_modified_bessel_k1", lambda x: k_scaled_array(x, 1))
airy_ai = _pytorch_kernel("airy_ai", airy_ai_array)
