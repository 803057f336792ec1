"""Folding an eval-mode BatchNorm into the convolution or linear layer before it (mirrors
``torch.nn.utils.fusion``): y = bn(conv(x)) becomes one conv with scaled weights and a
shifted bias."""

from __future__ import annotations

import copy

from ... import factories
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ..parameter import Parameter

__all__ = [
    "fuse_conv_bn_eval",
    "fuse_conv_bn_weights",
    "fuse_linear_bn_eval",
    "fuse_linear_bn_weights",
]


def fuse_conv_bn_eval(conv, bn, transpose: bool = False):
    """Mirrors ``torch.nn.utils.fuse_conv_bn_eval``: a copy of ``conv`` that computes
    bn(conv(x)) with bn's running statistics."""
    assert not (conv.training or bn.training), "Fusion only for eval!"
    assert bn.running_mean is not None and bn.running_var is not None, (
        "bn.running_mean and bn.running_var must not be None"
    )
    fused = copy.deepcopy(conv)
    fused.weight, fused.bias = fuse_conv_bn_weights(
        fused.weight, fused.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias,
        transpose,
    )  # fmt: skip
    return fused


def fuse_conv_bn_weights(
    conv_w: Tensor, conv_b, bn_rm: Tensor, bn_rv: Tensor, bn_eps: float, bn_w, bn_b,
    transpose: bool = False,
) -> tuple:  # fmt: skip
    """Mirrors ``torch.nn.utils.fuse_conv_bn_weights``: (weight, bias) Parameters of the
    fused convolution (``transpose``: a ConvTranspose weight, output channels second)."""
    bias_dtype = conv_w.dtype if conv_b is None else conv_b.dtype
    b_grad = conv_b is not None and conv_b.requires_grad
    with no_grad():
        conv_b = factories.zeros_like(bn_rm) if conv_b is None else conv_b
        bn_w = factories.ones_like(bn_rm) if bn_w is None else bn_w
        bn_b = factories.zeros_like(bn_rm) if bn_b is None else bn_b
        rsqrt = (bn_rv + bn_eps).rsqrt()
        shape = [1, -1] if transpose else [-1, 1]
        shape += [1] * (conv_w.ndim - 2)
        w = (conv_w * (bn_w * rsqrt).reshape(shape)).to(conv_w.dtype)
        b = ((conv_b - bn_rm) * rsqrt * bn_w + bn_b).to(bias_dtype)
    return Parameter(w, conv_w.requires_grad), Parameter(b, b_grad)


def fuse_linear_bn_eval(linear, bn):
    """Mirrors ``torch.nn.utils.fuse_linear_bn_eval``: a copy of ``linear`` that computes
    bn(linear(x)) with bn's running statistics."""
    assert not (linear.training or bn.training), "Fusion only for eval!"
    assert linear.out_features == bn.num_features or bn.num_features == 1, (
        "To fuse, linear.out_features == bn.num_features or bn.num_features == 1"
    )
    assert bn.running_mean is not None and bn.running_var is not None, (
        "bn.running_mean and bn.running_var must not be None"
    )
    fused = copy.deepcopy(linear)
    fused.weight, fused.bias = fuse_linear_bn_weights(
        fused.weight, fused.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias
    )
    return fused


def fuse_linear_bn_weights(
    linear_w: Tensor, linear_b, bn_rm: Tensor, bn_rv: Tensor, bn_eps: float, bn_w, bn_b
) -> tuple:
    """Mirrors ``torch.nn.utils.fuse_linear_bn_weights``: (weight, bias) Parameters of the
    fused linear layer."""
    bias_dtype = linear_w.dtype if linear_b is None else linear_b.dtype
    b_grad = linear_b is not None and linear_b.requires_grad
    with no_grad():
        linear_b = factories.zeros_like(bn_rm) if linear_b is None else linear_b
        scale = bn_w * (bn_rv + bn_eps).rsqrt()
        w = linear_w * scale.unsqueeze(-1).to(linear_w.dtype)
        b = ((linear_b - bn_rm) * scale + bn_b).to(bias_dtype)
    return Parameter(w, linear_w.requires_grad), Parameter(b, b_grad)
