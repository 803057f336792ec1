"""Mirrors ``torch.nn.grad``: the gradients of a convolution with respect to its input and
to its weight, computed by differentiating the convolution itself (differentiable again
when ``grad_output`` or the given tensor requires grad)."""

from __future__ import annotations

from .. import autograd, enable_grad, zeros
from .._tensor import Tensor
from . import functional as F


def _conv_grad(conv, wrt_input: bool, given: Tensor, size, grad_output: Tensor, **kwargs):
    """d(conv)/d(input) (``wrt_input``, ``given`` the weight) or d(conv)/d(weight) (``given``
    the input), of shape ``size``, contracted with ``grad_output``."""
    target = zeros(tuple(size), dtype=given.dtype, device=given.device, requires_grad=True)
    with enable_grad():
        out = conv(target, given, **kwargs) if wrt_input else conv(given, target, **kwargs)
        create = grad_output.requires_grad or given.requires_grad
        (g,) = autograd.grad(out, target, grad_output, create_graph=create)
    return g


def _pair(conv):
    def grad_input(input_size, weight: Tensor, grad_output: Tensor, stride=1, padding=0,
                   dilation=1, groups=1) -> Tensor:  # fmt: skip
        return _conv_grad(conv, True, weight, input_size, grad_output, stride=stride,
                          padding=padding, dilation=dilation, groups=groups)  # fmt: skip

    def grad_weight(input: Tensor, weight_size, grad_output: Tensor, stride=1, padding=0,
                    dilation=1, groups=1) -> Tensor:  # fmt: skip
        return _conv_grad(conv, False, input, weight_size, grad_output, stride=stride,
                          padding=padding, dilation=dilation, groups=groups)  # fmt: skip

    name = conv.__name__
    grad_input.__name__, grad_weight.__name__ = f"{name}_input", f"{name}_weight"
    grad_input.__doc__ = f"Mirrors ``torch.nn.grad.{name}_input``: the gradient of {name} with respect to its input."  # fmt: skip
    grad_weight.__doc__ = f"Mirrors ``torch.nn.grad.{name}_weight``: the gradient of {name} with respect to its weight."  # fmt: skip
    return grad_input, grad_weight


conv1d_input, conv1d_weight = _pair(F.conv1d)
conv2d_input, conv2d_weight = _pair(F.conv2d)
conv3d_input, conv3d_weight = _pair(F.conv3d)
