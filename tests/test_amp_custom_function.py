"""``amp.custom_fwd`` / ``custom_bwd`` on a user Function, against PyTorch: forward's inputs cast
(``cast_inputs``) with autocast off, or forward under the region as it is; backward under the
state forward saw; the deprecated ``cuda.amp`` forms and the argument checks."""

from __future__ import annotations

import warnings

import pytest

import minitorch


def _matmul_function(T, cast_inputs):
    class MatMul(T.autograd.Function):
        @staticmethod
        @T.amp.custom_fwd(device_type="cpu", cast_inputs=cast_inputs)
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            ctx.autocast_in_forward = T.is_autocast_enabled("cpu")
            return a.mm(b)

        @staticmethod
        @T.amp.custom_bwd(device_type="cpu")
        def backward(ctx, g):
            a, b = ctx.saved_tensors
            ctx.autocast_in_backward = T.is_autocast_enabled("cpu")
            return g.mm(b.t()), a.t().mm(g)

    return MatMul


@pytest.mark.parametrize("cast", [None, "float32"])
@pytest.mark.parametrize("inside_autocast", [False, True])
def test_custom_fwd_and_bwd_as_torch(cast, inside_autocast, torch):
    def run(T):
        T.manual_seed(0)
        a = T.randn(2, 3, requires_grad=True)
        b = T.randn(3, 2, requires_grad=True)
        fn = _matmul_function(T, None if cast is None else getattr(T, cast))
        with T.autocast("cpu", dtype=T.float16, enabled=inside_autocast):
            y = fn.apply(a.half(), b.half())
        node = y.grad_fn
        y.float().sum().backward()
        return (
            str(y.dtype).split(".")[1],
            node.autocast_in_forward,
            node.autocast_in_backward,
            str(a.grad.dtype).split(".")[1],
            sum(a.grad.tolist(), []),
        )

    mine, theirs = run(minitorch), run(torch)
    assert mine[:4] == theirs[:4]
    assert mine[4] == pytest.approx(theirs[4], rel=2e-3, abs=2e-3)


def test_deprecated_cuda_forms_warn_as_torch(torch):
    def run(T):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            T.cuda.amp.custom_fwd(lambda ctx: None)
            T.cuda.amp.custom_bwd(lambda ctx: None)
        return [
            (w.category.__name__, str(w.message).replace("minitorch.", "torch.")) for w in caught
        ]

    assert run(minitorch) == run(torch)


def test_argument_checks_and_availability():
    with pytest.raises(ValueError, match="Expected `device_type` of type `str`"):
        minitorch.amp.custom_fwd(lambda ctx: None, device_type=1)
    with pytest.raises(TypeError, match="device_type"):
        minitorch.amp.custom_fwd(lambda ctx: None)  # device_type is keyword-only and required
    assert minitorch.amp.is_autocast_available("cpu")
    assert not minitorch.amp.is_autocast_available("meta")
    with pytest.raises(RuntimeError, match="Expected one of cpu, cuda"):
        minitorch.amp.is_autocast_available("foo")
