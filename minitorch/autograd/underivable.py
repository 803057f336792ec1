"""The graph nodes of ops PyTorch has no derivative for: their outputs require grad as
PyTorch's do (an integer output never does), and backward through them raises PyTorch's
error; and of draws PyTorch defines a zero derivative for."""

from __future__ import annotations

from .function import Op


class Underivable(Op):
    """``fn`` of the input arrays under PyTorch's ``torch::autograd::NotImplemented`` node
    (an op with no entry in its derivatives.yaml): backward raises its RuntimeError."""

    torch_name = "NotImplemented"

    @staticmethod
    def forward(ctx, a, op_name, fn, *more):
        ctx.op_name = op_name
        return fn(a, *more)  # integer outputs (pivots, info) get no grad_fn, as every op's

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError(f"derivative for aten::{ctx.op_name} is not implemented")

    def name(self) -> str:
        return "torch::autograd::NotImplemented"

    def __repr__(self) -> str:
        return "<NotImplemented object>"


class NotImplementedFormula(Op):
    """``fn`` of the input arrays under PyTorch's node named ``node`` whose derivative formula
    is ``not_implemented("<op>")`` (``Unique2Backward0``, ``GeqrfBackward0``...): backward
    raises its NotImplementedError."""

    @staticmethod
    def forward(ctx, a, op_name, node, fn, *more):
        ctx.op_name = op_name
        ctx.torch_name = node
        return fn(a, *more)

    @staticmethod
    def backward(ctx, *grads):
        raise NotImplementedError(f"the derivative for '{ctx.op_name}' is not implemented.")

    @staticmethod
    def jvp(ctx, *tangents):
        raise no_forward_ad(ctx.op_name)


def no_forward_ad(op_name: str) -> NotImplementedError:
    """PyTorch's error for forward AD through an op without a forward formula (raised before
    the op checks its arguments)."""
    return NotImplementedError(
        f"Trying to use forward AD with {op_name} that does not support it because it has not "
        "been implemented yet."
    )


class ZeroDerivative(Op):
    """``value`` (an array drawn from the ``inputs``: normal's, bernoulli's) under PyTorch's
    node named ``node`` whose formula is zero: backward gives each input zeros of its shape."""

    @staticmethod
    def forward(ctx, value, node, *inputs):
        ctx.torch_name = node
        ctx.shapes = [i.shape for i in inputs]
        return value

    @staticmethod
    def backward(ctx, grad):
        return (None, None, *(grad.new_zeros(shape) for shape in ctx.shapes))
