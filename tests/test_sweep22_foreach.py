"""Session 12 sweep of the ``torch._foreach_*`` functions, from PyTorch's foreach OpInfo
database (tests/test_opinfo_foreach.py): one program per divergence fixed, through the
foreach function and the per-tensor op it applies."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


def _floats(tensors) -> list:
    """16-bit results as float32 (exact; the harness compares bfloat16 no other way)."""
    return [t.float() for t in tensors]


def _bools(torch):
    return [torch.tensor([True, False, True]), torch.tensor([[False, True]])]


@program
def clamp_of_bools_by_an_integer_is_int64(torch):
    bools = _bools(torch)
    return (
        torch._foreach_clamp_min(bools, 8),
        torch._foreach_clamp_max(bools, [0, 2]),
        torch.clamp(bools[0], min=True, max=5),
        bools[0].clamp_max(-1),
    )


@error(NotImplementedError, r"\"clamp_min_scalar_cpu\" not implemented for 'Bool'")
def clamp_min_of_bools_by_a_bool(torch):
    torch._foreach_clamp_min(_bools(torch), True)


@error(NotImplementedError, r"\"clamp_scalar_cpu\" not implemented for 'Bool'")
def clamp_of_bools_by_bools(torch):
    torch.clamp(torch.tensor([True]), True, False)


@program
def pow_of_bools_by_a_bool_is_bool(torch):
    bools = _bools(torch)
    out = torch._foreach_pow(bools, True) + torch._foreach_pow(bools, [False, True])
    return out, bools[1] ** False, torch._foreach_pow_(bools, False)


@program
def add_of_bools_with_an_integer_alpha_is_bool(torch):
    a, b = _bools(torch), [torch.tensor([False, False, True]), torch.tensor([[True, False]])]
    return (
        torch._foreach_add(a, b, alpha=3),
        torch.add(a[0], b[0], alpha=0),
        torch._foreach_add_(a, b, alpha=2),
    )


@program
def add_of_16_bit_floats_with_alpha_rounds_once(torch):
    # alpha in the dtype, the rest in float32 (x + alpha * y cancels to a few ulps of 3000)
    out = []
    for dtype in (torch.float16, torch.bfloat16):
        y = torch.arange(1000, 1064, dtype=torch.float32).to(dtype)
        x = -(y.float() * 3.14).to(dtype)
        out += torch._foreach_add([x], [y], alpha=3.14) + (torch.sub(x, y, alpha=-3.14),)
        out += torch._foreach_sub_([x.clone()], [y], alpha=-3.14)
    return _floats(out)


@program
def in_place_add_of_a_number_to_bfloat16_rounds_the_number(torch):
    x = torch.tensor([3.0625, 2.46875, -1.0], dtype=torch.bfloat16)
    y = x.clone()
    torch._foreach_add_([y], 0.8831494822540025)
    return _floats([y, x.clone().add_(0.8831494822540025), x.clone().sub_(-0.8831494822540025)])


@program
def addcmul_and_addcdiv_of_16_bit_floats_with_value_true_round_once(torch):
    out = []
    for dtype in (torch.float16, torch.bfloat16):
        t = torch.tensor([64.0625, 2000.0], dtype=dtype)
        three = torch.tensor([64.0625, 3.0], dtype=dtype)
        near = torch.tensor([-4104.0, -666.5], dtype=dtype)
        out += torch._foreach_addcmul([near], [t], [three], value=True)
        out += torch._foreach_addcdiv([near], [t], [three], value=True)
        out += [
            torch.addcmul(near, t, three, value=True),
            near.clone().addcdiv_(t, three, value=True),
        ]
    return _floats(out)


@error(RuntimeError, r"addcdiv will perform a true division of tensor1 and tensor2\. The historic")
def addcdiv_of_integer_lists(torch):
    ints = [torch.arange(3), torch.arange(4)]
    torch._foreach_addcdiv(ints, ints, ints)
