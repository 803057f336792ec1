"""Session 10: divergences PyTorch's OpInfo database (tests/opinfo_harness.py) found in the
elementwise ops, operators, activations, losses and attention, each as a short program run
with real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def _pair(torch):
    a = torch.tensor([[1.5], [-2.5], [0.0]], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0.7, -1.3, 2.0, -0.0], dtype=torch.float64, requires_grad=True)
    return a, b


def _grads(torch, out, inputs):
    w = torch.arange(out.numel(), dtype=out.dtype).reshape(out.shape).cos()
    return torch.autograd.grad(out, inputs, w, allow_unused=True)


# ---- operators and binary arithmetic ----------------------------------------------------------
@program
def rdiv_operator_method(torch):
    x = torch.tensor([2.0, 4.0, -8.0])
    return x.__rdiv__(torch.tensor(1.0)), x.__rdiv__(3)


@program
def div_rounding_modes_give_zero_gradients_of_both_shapes(torch):
    a, b = _pair(torch)
    found = []
    for mode in ("trunc", "floor"):
        out = torch.div(a, b, rounding_mode=mode)
        found += [out, out.grad_fn.name(), *_grads(torch, out, (a, b))]
    return found


@program
def copysign_other_gets_zero_gradient(torch):
    a, b = _pair(torch)
    out = torch.copysign(a, b)
    return out, out.grad_fn.name(), *_grads(torch, out, (a, b))


@program
def nextafter_is_differentiable(torch):
    a, b = _pair(torch)
    out = torch.nextafter(a, b)
    return out, out.grad_fn.name(), *_grads(torch, out, (a, b))


@program
def add_sub_rsub_uint8_with_negative_alpha(torch):
    a = torch.tensor([5, 200], dtype=torch.uint8)
    b = torch.tensor([1, 3], dtype=torch.uint8)
    c = a.clone().sub_(b, alpha=2)
    return torch.add(a, b, alpha=-3), torch.sub(a, b, alpha=2), torch.rsub(a, b, alpha=2), c


@error(RuntimeError, r"value cannot be converted to type int8_t without overflow")
def add_int8_alpha_out_of_range(torch):
    a = torch.tensor([1, 2], dtype=torch.int8)
    return torch.add(a, a, alpha=200)


@program
def addr_of_bools(torch):
    i = torch.tensor([[True, False], [False, False]])
    v, w = torch.tensor([True, False]), torch.tensor([False, True])
    return (
        torch.addr(i, v, w, beta=3, alpha=2),
        torch.addr(i, v, w, beta=0),
        torch.addr(torch.tensor(True), v, w, alpha=0),
        i.clone().addr_(v, w),
    )


# ---- activations --------------------------------------------------------------------------------
@program
def elu_family_and_mish_of_0d_with_double_backward(torch):
    F = torch.nn.functional
    found = []
    for f in (F.elu, F.selu, F.celu, F.mish):
        x = torch.tensor(-0.7, dtype=torch.float64, requires_grad=True)
        y = f(x)
        (g,) = torch.autograd.grad(y, x, create_graph=True)
        found += [y, g, *torch.autograd.grad(g, x)]
    return found


@program
def hardtanh_and_relu6_keep_integer_dtypes(torch):
    F = torch.nn.functional
    x = torch.tensor([-3, 0, 2, 9])
    return (
        F.hardtanh(x, -0.5, 0.5),
        F.relu6(x.to(torch.int32)),
        F.hardtanh(x.to(torch.uint8), 0.5, 3.5),
        F.relu6(torch.tensor(7, dtype=torch.int16)),
    )


@error(RuntimeError, r"Bool inputs not supported for hardtanh")
def hardtanh_of_bools(torch):
    return torch.nn.functional.hardtanh(torch.tensor([True, False]))


@program
def bilinear_keeps_int32(torch):
    x1 = torch.arange(6, dtype=torch.int32).reshape(2, 3) - 2
    x2 = torch.arange(8, dtype=torch.int32).reshape(2, 4) % 3
    w = torch.arange(60, dtype=torch.int32).reshape(5, 3, 4) % 7 - 3
    b = torch.arange(5, dtype=torch.int32)
    F = torch.nn.functional
    return F.bilinear(x1, x2, w, b), F.bilinear(x1[0], x2[0], w), F.bilinear(x1[:0], x2[:0], w)


# ---- products -----------------------------------------------------------------------------------
@program
def matmul_batch_by_matrix_gradient_with_empty_inner_dim(torch):
    a = torch.ones(5, 5, 0, dtype=torch.float64, requires_grad=True)
    b = torch.ones(0, 5, dtype=torch.float64, requires_grad=True)
    out = a @ b
    return out, *torch.autograd.grad(out.sum(), (a, b))


@program
def cosine_similarity_norms_over_broadcast_inputs(torch):
    x1 = torch.tensor(
        [[[1.0, -2.0, 0.5], [0.3, 2.0, -1.0]]], dtype=torch.float64, requires_grad=True
    )
    x2 = torch.tensor([[[2.0, 1.0, -0.5]], [[-1.0, 0.2, 3.0]]], dtype=torch.float64)
    out = torch.nn.functional.cosine_similarity(x1, x2, dim=-2)
    return out, *torch.autograd.grad(out.sum(), x1)


@program
def tensordot_size_one_contracted_dims_broadcast(torch):
    a = torch.arange(1.0, 2.0, dtype=torch.float64).reshape(1, 1, 1).requires_grad_()
    b = torch.arange(4.0, dtype=torch.float64).reshape(2, 1, 2).requires_grad_()
    c = torch.arange(24.0, dtype=torch.float64).reshape(3, 2, 4).requires_grad_()
    out = torch.tensordot(a, b, dims=((0, 1), (2, 0)))
    out2 = torch.tensordot(c, b, dims=([1, 2], [2, 1]))
    ints = torch.tensordot(
        torch.ones(1, 3, dtype=torch.int32),
        torch.ones(2, 3, dtype=torch.int32),
        dims=([0, 1], [0, 1]),
    )
    return out, out2, ints, *torch.autograd.grad(out.sum() + out2.sum(), (a, b, c))


# ---- errors PyTorch raises ----------------------------------------------------------------------
@error(RuntimeError, r"Lower bound should be less than or equal to the upper bound")
def rrelu_lower_above_upper(torch):
    return torch.nn.functional.rrelu(torch.ones(5, 5), lower=0.3, upper=0.1)


@error(ValueError, r"margin must be greater than 0, got -1.0")
def triplet_margin_loss_negative_margin(torch):
    x = torch.ones(3, 4)
    return torch.nn.functional.triplet_margin_loss(x, x, x, margin=-1.0)


@error(
    RuntimeError,
    r"lambda must be in range \[0, 3.40282e\+38\] for input dtype Float, but found -0.5",
)
def softshrink_negative_lambda(torch):
    return torch.nn.functional.softshrink(torch.ones(1), -0.5)


@error(RuntimeError, r"renorm: input needs at least 2 dimensions, got 0 dimensions")
def renorm_of_a_0d_tensor(torch):
    return torch.renorm(torch.tensor(1.0), 0.5, 0, 1.0)


@error(RuntimeError, r"linalg.cross: inputs dimension -1 must have length 3. Got 3 and 1")
def linalg_cross_does_not_broadcast_the_cross_dim(torch):
    return torch.linalg.cross(torch.ones(5, 3), torch.ones(5, 1))


@error(ValueError, r"abc is not a valid value for reduction")
def multi_margin_loss_bad_reduction_before_target_dtype(torch):
    return torch.nn.functional.multi_margin_loss(torch.ones(5, 4), torch.ones(5), reduction="abc")


@error(ValueError, r"abc is not a valid value for reduction")
def multilabel_margin_loss_bad_reduction_before_target_dtype(torch):
    x = torch.ones(5, 4)
    return torch.nn.functional.multilabel_margin_loss(x, x, reduction="abc")


@error(RuntimeError, r"The size of tensor a \(4\) must match the size of tensor b \(5\)")
def soft_margin_loss_names_input_first_in_its_broadcast_error(torch):
    return torch.nn.functional.soft_margin_loss(torch.ones(5, 4), torch.ones(5))


# ---- special functions --------------------------------------------------------------------------
@program
def igamma_igammac_of_negative_and_mixed_arguments(torch):
    a = torch.tensor([-8.5, -0.6, 0.0, 0.5, 3.0, 8.9, 2.0], dtype=torch.float64)
    x = torch.tensor([-1.7, 2.0, 0.0, -4.1, 2.5, 8.0, 30.0], dtype=torch.float64)
    return torch.igamma(a, x), torch.igammac(a, x), torch.igamma(a.float(), x.float())


@program
def igamma_of_negative_arguments(torch):  # took ~3 s: 100000 series terms that never converge
    a = torch.tensor([[-8.5, 3.0], [-0.6, 8.9]], dtype=torch.float64)
    x = torch.tensor([-1.7, 8.0], dtype=torch.float64)
    return torch.igamma(a, x), torch.igammac(a, x)


@program
def addcmul_addcdiv_lerp_float16_round_once(torch):
    g = torch.Generator().manual_seed(0)
    a, b, c = (torch.rand(5, 5, generator=g) * 18 - 9 for _ in range(3))
    a, b, c = a.half(), b.half(), c.half()
    w = (torch.rand(5, 5, generator=g) * 2 - 1).half()
    return (
        torch.addcmul(a, b, c, value=3.14),
        torch.addcdiv(a, b, c, value=3.14),
        torch.lerp(a, b, 0.4),
        torch.lerp(a, b, 0.7),
        torch.lerp(a, b, w),
    )


# ---- losses -------------------------------------------------------------------------------------
@program
def soft_margin_loss_overflows_as_pytorch(torch):
    x = torch.tensor([-100.0, 3.0, 0.5], requires_grad=True)
    y = torch.tensor([1.0, -1.0, 1.0])
    loss = torch.nn.functional.soft_margin_loss(x, y, reduction="none")
    half = torch.nn.functional.soft_margin_loss(x.detach().half() / 8, y.half(), reduction="sum")
    return loss, half, *torch.autograd.grad(loss.sum(), x)


@program
def huber_loss_float16_rounds_once(torch):
    g = torch.Generator().manual_seed(0)
    x, t = ((torch.rand(5, 5, 5, generator=g) * 18 - 9).half() for _ in range(2))
    none = torch.nn.functional.huber_loss(x, t, reduction="none", delta=8.698115367693557)
    return none, torch.nn.functional.huber_loss(x, t, delta=0.5)


@program
def mvlgamma_sums_in_pytorchs_order(torch):
    x = torch.tensor([2.5, 3.7, 9.1], dtype=torch.float64, requires_grad=True)
    y = torch.mvlgamma(x, 3)
    h = torch.linspace(2.1, 8.9, 25).reshape(5, 5).half()
    return (
        y,
        y.grad_fn.name(),
        *torch.autograd.grad(y.sum(), x),
        torch.mvlgamma(h, 4),
        h.mvlgamma(5),
    )


# ---- a number where PyTorch's signature takes a Tensor --------------------------------------------
_TENSOR_ONLY = {
    "atan2": ((None, 2), (2, None)),
    "maximum": ((None, 2), (2, None)),
    "fmin": ((2, None),),
    "ldexp": ((None, 2),),
    "gcd": ((None, 2), (2, 3)),
    "logical_and": ((2, None),),
    "copysign": ((2, None),),
    "fmod": ((2, None),),
    "eq": ((2, None), (2, 3)),
    "ge": ((2, None),),
    "bitwise_and": ((2, 3),),
}


@error(TypeError, r"")
def numbers_where_pytorch_takes_only_tensors(torch):
    raised = []
    for name, cases in _TENSOR_ONLY.items():
        for args in cases:
            t = torch.tensor([1, 2, 3])
            try:
                getattr(torch, name)(*(t if a is None else a for a in args))
            except TypeError:
                raised.append(name)
    if len(raised) == sum(map(len, _TENSOR_ONLY.values())):
        raise TypeError("all refused")


@program
def reflected_operators_and_methods_still_take_numbers(torch):
    i = torch.tensor([6, 4])
    t = torch.tensor([1.0, -2.0])
    return 5 & i, 3 ^ i, 1 | i, 2 < t, t == 1, i.gcd(torch.tensor(4)), t.fmod(1.5), t.copysign(-1)


@program
def div_trunc_float16_truncates_the_rounded_quotient(torch):
    a = torch.tensor([-8.48, 7.3, 100.1, 5.0]).half()
    b = torch.tensor([-0.061, 0.7, 3.3, -0.3]).half()
    return torch.div(a, b, rounding_mode="trunc"), torch.div(a, b, rounding_mode="floor")


@program
def addr_float16_scales_vec1_first(torch):
    g = torch.Generator().manual_seed(0)
    i = (torch.rand(5, 10, generator=g) * 18 - 9).half()
    v = (torch.rand(5, generator=g) * 18 - 9).half()
    w = (torch.rand(10, generator=g) * 18 - 9).half()
    return torch.addr(i, v, w, beta=0.6, alpha=0.2), i.clone().addr_(v, w, alpha=3.3)
