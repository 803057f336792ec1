"""Sweep 24 (c): tensor behaviours that PyTorch's test/test_torch.py checks (its last third:
add/sub/mul typing, cumsum/cumprod of bools, std_mean/var_mean, histc, bool comparisons,
unfold, copy/resize/fill/clone/cat over dtypes, empty factories, eye, addcmul, tensordot,
narrow, linspace, logical ops, ...), each program written here and run with PyTorch and
minitorch (tests/sweep_harness.py)."""

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()

DTYPES = ("float32", "float64", "float16", "int32", "int64", "uint8", "bool")


# ---- add / sub / mul typing ---------------------------------------------------------------
@program
def add_column_inplace_view(torch):
    m = torch.randn(5, 5)
    m[:, 3].add_(2)
    m[:, 1].mul_(3)
    return m


@program
def add_scalar_vs_zero_dim(torch):
    m = torch.randn(4, 4)
    one = torch.tensor(1, dtype=torch.uint8)
    return m + 3, m + torch.tensor(3), 3 + m, torch.tensor(3) + m, torch.add(one, 1)


@program
def add_contiguous_plus_transposed(torch):
    a = torch.randn(4, 4)
    b = torch.randn(4, 4).t()
    r = a + b
    return r, r.is_contiguous(), r.stride()


@program
def add_one_plus_empty(torch):
    return torch.tensor([1.0]) + torch.tensor([])


@program
def add_bool_tensors(torch):
    a = torch.tensor([True, False, False, True, False, False])
    b = torch.tensor([True, True, False, False, False, True])
    z = torch.zeros(2, 3, dtype=torch.bool)
    return a + b, a * b, torch.add(z, z, alpha=0), torch.add(a, b, alpha=True)


@error(RuntimeError, r"Boolean alpha only supported for Boolean results\.")
def add_int_bool_alpha(torch):
    m = torch.tensor([1], dtype=torch.int32)
    return torch.add(m, m, alpha=True)


@error(RuntimeError, r"For integral input tensors, argument alpha must not be a floating point")
def add_int_float_alpha(torch):
    m = torch.tensor([1], dtype=torch.int32)
    return torch.add(m, m, alpha=1.0)


@error(RuntimeError, r"Boolean alpha only supported for Boolean results\.")
def sub_int_bool_alpha(torch):
    m = torch.tensor([1], dtype=torch.int64)
    return torch.sub(m, m, alpha=True)


@error(RuntimeError, r"For integral input tensors, argument alpha must not be a floating point")
def sub_int_float_alpha(torch):
    m = torch.tensor([1], dtype=torch.int64)
    return torch.sub(m, m, alpha=1.0)


@error(RuntimeError, r"Subtraction, the `\-` operator, with two bool tensors is not supported")
def sub_two_bools(torch):
    return torch.tensor([True, False]) - torch.tensor([True, True])


@error(RuntimeError, r"Subtraction, the `\-` operator, with a bool tensor is not supported")
def rsub_scalar_bool(torch):
    return 1 - torch.tensor([True, False])


@error(RuntimeError, r"Subtraction, the `\-` operator, with a bool tensor is not supported")
def sub_bool_scalar(torch):
    return torch.tensor([True, False]) - 1


# ---- cumsum / cumprod ---------------------------------------------------------------------
@program
def cumsum_cumprod_bool_and_uint8(torch):
    a = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
    b = a.byte()
    return [
        torch.cumsum(a, 0), torch.cumsum(a, 1), torch.cumsum(b, 0), torch.cumsum(b, 1),
        torch.cumprod(a, 0), torch.cumprod(a, 1), torch.cumprod(b, 0), torch.cumprod(b, 1),
    ]  # fmt: skip


@program
def cumsum_cumprod_out(torch):
    x = torch.rand(6, 5)
    r1 = torch.Tensor()
    r2 = torch.Tensor()
    torch.cumsum(x, 1, out=r1)
    torch.cumprod(x, 1, out=r2)
    return r1, r2


# ---- std_mean / var_mean ------------------------------------------------------------------
@program
def std_mean_var_mean_dims(torch):
    x = torch.rand(4, 5, 3, dtype=torch.float64)
    out = []
    for dim in (0, 1, 2, (0, 2), (1, 2), None):
        for unbiased in (False, True):
            for keepdim in (False, True):
                if dim is None:
                    out.append(torch.std_mean(x, unbiased=unbiased))
                    out.append(torch.var_mean(x, unbiased=unbiased))
                    continue
                out.append(torch.std_mean(x, dim=dim, unbiased=unbiased, keepdim=keepdim))
                out.append(torch.var_mean(x, dim=dim, unbiased=unbiased, keepdim=keepdim))
    return out


@program
def add_sub_alpha_kinds(torch):
    f = torch.tensor([1.5, -2.0])
    i = torch.tensor([2, 3])
    b = torch.tensor([True, False])
    return [
        torch.add(f, f, alpha=1.0), torch.sub(f, 2, alpha=2.0), torch.add(i, i, alpha=0),
        torch.add(b, True, alpha=False), torch.add(b, b, alpha=False), torch.sub(3, i, alpha=2),
    ]  # fmt: skip


@error(RuntimeError, r"Boolean alpha only supported for Boolean results\.")
def add_float_bool_alpha(torch):
    return torch.add(torch.tensor([1.5]), 2, alpha=False)


@error(RuntimeError, r"For integral input tensors, argument alpha must not be a floating point")
def add_bool_float_alpha(torch):
    return torch.add(torch.tensor([True]), torch.tensor([False]), alpha=1.0)


@error(RuntimeError, r"For integral input tensors, argument alpha must not be a floating point")
def rsub_scalar_int_float_alpha(torch):
    return torch.sub(2, torch.tensor([1, 2]), alpha=1.0)


# ---- histc --------------------------------------------------------------------------------
@program
def histc_cases(torch):
    f = torch.float32
    return [
        torch.histc(torch.tensor([2.0, 5.0])),
        torch.histc(torch.ones(5), bins=5),
        torch.histc(torch.ones(5), bins=5, min=2, max=3),
        torch.histc(torch.tensor([2, 4, 2, 2, 5, 4], dtype=f), bins=5, min=1, max=5),
        torch.histc(torch.tensor([1, 2, 1], dtype=f), bins=4, min=0, max=3),
        torch.histc(torch.tensor([1, 2, 1], dtype=torch.float64), bins=4, min=0, max=3),
        torch.histc(torch.tensor(0.0), bins=1, min=0, max=3),
        torch.histc(torch.tensor([float("inf")]), bins=1, min=0, max=3),
        torch.histc(torch.tensor([1.0, 2.0, float("inf")]), bins=4, max=3),
        torch.histc(torch.randn(100, 3)[:, 2], bins=10),
        torch.histc(torch.randn(1, 5, 1, 2).expand(3, 5, 7, 2), bins=7, min=-1, max=1),
    ]


@error(RuntimeError, r"bins must be > 0")
def histc_negative_bins(torch):
    return torch.histc(torch.tensor([1.0]), bins=-1)


@error(RuntimeError, r"torch.histc: range of \[.*inf\] is not finite")
def histc_all_inf(torch):
    return torch.histc(torch.tensor([float("inf")]))


@error(RuntimeError, r"range of \[1, inf\] is not finite")
def histc_some_inf(torch):
    return torch.histc(torch.tensor([1.0, 2.0, float("inf")]))


@error(RuntimeError, r"range of \[nan, nan\] is not finite")
def histc_nan(torch):
    return torch.histc(torch.tensor([float("nan")]))


@error(RuntimeError, r"max must be larger than min")
def histc_min_above_max(torch):
    return torch.histc(torch.tensor([1.0, 2.0, 3.0]), bins=4, min=5, max=1)


# ---- bool tensors -------------------------------------------------------------------------
@program
def bool_comparisons(torch):
    a = torch.tensor([True, False, True, False, True, False])
    b = torch.tensor([True, False, True, True, True, True])
    return [
        a == b, a != b, a < b, a > b, a >= b, a <= b, a > False,
        a == torch.tensor(True), a == torch.tensor(0, dtype=torch.bool), a.equal(b),
        a.lt(True), a.le(True), a.ge(True), a.gt(True), a.eq(True), a.ne(True),
    ]  # fmt: skip


@program
def bool_setitem(torch):
    x = torch.tensor([True, False])
    x[0] = False
    x[1] = True
    return x


# ---- unfold -------------------------------------------------------------------------------
@program
def unfold_empty_and_scalar(torch):
    out = []
    for dt in ("float32", "int64", "uint8", "bool"):
        x = torch.zeros((0, 1, 3, 0), dtype=getattr(torch, dt))
        out.append(tuple(x.unfold(2, 3, 2).shape))
    s = torch.tensor(0.5)
    return out, s.unfold(0, 0, 1), s.unfold(0, 0, 2), s.unfold(0, 1, 1)


@program
def unfold_values_and_grad(torch):
    x = torch.arange(10.0, requires_grad=True)
    y = x.unfold(0, 3, 2)
    (y * torch.arange(12.0).reshape(4, 3)).sum().backward()
    z = torch.arange(24).reshape(2, 3, 4).unfold(2, 2, 1)
    return y, x.grad, z, z.stride(), torch.arange(5).unfold(-1, 5, 1)


@error(RuntimeError, r"maximum size for tensor at dimension 0 is 5 but size is 6")
def unfold_size_too_big(torch):
    return torch.arange(5).unfold(0, 6, 1)


@error(RuntimeError, r"step is 0 but must be > 0")
def unfold_step_zero(torch):
    return torch.arange(5).unfold(0, 2, 0)


# ---- copy / resize / fill / clone / cat over dtypes ---------------------------------------
@program
def shallow_copy_shares_data(torch):
    from copy import copy

    out = []
    for dt in DTYPES:
        x = torch.tensor([1, 2, 3, 4], dtype=getattr(torch, dt))
        y = copy(x)
        y.fill_(1)
        out.append(x)
    return out


@program
def resize_and_resize_as(torch):
    out = []
    for dt in DTYPES:
        x = torch.tensor([[1, 2], [3, 4], [5, 6]], dtype=getattr(torch, dt))
        y = torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=getattr(torch, dt))
        out.append((x.clone().resize_((2, 2)), x.resize_as_(y).shape, x.view(6).shape))
    return out


@program
def fill_over_dtypes(torch):
    out = []
    for dt in DTYPES:
        x = torch.empty(7, dtype=getattr(torch, dt))
        for n in (-3, 0, 1, 5):
            out.append(x.fill_(n).clone())
    return out


@program
def clone_cat_over_dtypes(torch):
    out = []
    for dt in DTYPES:
        x = torch.tensor([[1, 2], [3, 4]], dtype=getattr(torch, dt))
        out += [x.clone(), torch.cat((x, x), 0), torch.cat((x, x), 1)]
    return out


# ---- factories with empty shapes ----------------------------------------------------------
@program
def factories_empty_shapes(torch):
    out = []
    for shape in ((5, 0, 1), (0,), (0, 0, 1, 0, 2, 0, 0)):
        for dt in DTYPES:
            d = getattr(torch, dt)
            z = torch.zeros(shape, dtype=d)
            out += [
                z, torch.zeros_like(z), torch.full(shape, 3, dtype=d), torch.full_like(z, 3),
                torch.ones(shape, dtype=d), torch.ones_like(z), torch.empty(shape, dtype=d).shape,
                torch.empty_like(z).shape,
                torch.empty_strided(shape, (0,) * len(shape), dtype=d).shape,
            ]  # fmt: skip
            if dt not in ("float16", "bool"):
                out += [torch.randint(6, shape, dtype=d).shape, torch.randint_like(z, 6).shape]
        out += [torch.randn(shape).shape, torch.rand(shape, dtype=torch.float64).shape]
    return out


@program
def factories_zero_sizes(torch):
    return [
        torch.arange(0).shape, torch.eye(0).shape, torch.eye(0, 0).shape, torch.eye(5, 0).shape,
        torch.eye(0, 5).shape, torch.linspace(1, 1, 0).shape, torch.logspace(1, 1, 0).shape,
        torch.randperm(0).shape, torch.bartlett_window(0).shape,
        torch.bartlett_window(0, periodic=False).shape, torch.hamming_window(0).shape,
        torch.hann_window(0).shape, torch.tensor([[[]]]).shape, torch.as_tensor([[[]]]).shape,
    ]  # fmt: skip


@error(RuntimeError, r"\"check_uniform_bounds\" not implemented for 'Long'")
def rand_integer_dtype(torch):
    return torch.rand(2, 3, dtype=torch.int64)


@error(RuntimeError, r"\"normal_kernel_cpu\" not implemented for 'Long'")
def randn_integer_dtype(torch):
    return torch.randn(2, 3, dtype=torch.int64)


@program
def empty_tensor_strides(torch):
    out = []
    for size in ((0,), (0, 3), (5, 0), (5, 0, 3, 0, 2), (0, 3, 0, 2), (0, 5, 0, 2, 0)):
        x = torch.empty(size)
        out.append((x.shape, x.is_contiguous(), x.stride(), x.numel(), x.dim()))
    return out


# ---- eye / addcmul / tensordot / narrow / linspace ----------------------------------------
@program
def eye_over_dtypes_and_out(torch):
    out = []
    for dt in DTYPES:
        for n, m in ((3, 3), (3, 5), (5, 3)):
            r = torch.eye(n, m, dtype=getattr(torch, dt))
            naive = torch.zeros(n, m, dtype=getattr(torch, dt))
            naive.diagonal(dim1=-2, dim2=-1).fill_(1)
            o = torch.empty(0, dtype=getattr(torch, dt))
            torch.eye(n, m, out=o)
            out += [r, naive, o]
    return out


@program
def addcmul_over_dtypes(torch):
    out = []
    for dt in ("float32", "float64", "int32", "int64", "uint8"):
        d = getattr(torch, dt)
        if d.is_floating_point:
            a, b, c = (torch.rand(2, 2, dtype=d) for _ in range(3))
            value = 0.1
        else:
            a, b, c = (torch.randint(1, 5, (2, 2), dtype=d) for _ in range(3))
            value = 3
        out += [torch.addcmul(a, b, c, value=value), a + value * b * c]
        out.append(torch.addcdiv(a, b, c, value=value) if d.is_floating_point else a)
    return out


@program
def tensordot_dims_forms(torch):
    a = torch.arange(60.0).reshape(3, 4, 5)
    b = torch.arange(24.0).reshape(4, 3, 2)
    c = torch.randn(2, 3, 4, 5, dtype=torch.float64)
    d = torch.randn(4, 5, 6, 7, dtype=torch.float64)
    return [
        torch.tensordot(a, b, dims=([1, 0], [0, 1])), torch.tensordot(c, d, dims=2),
        torch.tensordot(c, d), torch.tensordot(c, d, dims=([2, 3], [0, 1])),
        torch.tensordot(torch.arange(3.0), torch.arange(4.0), dims=0),
        torch.tensordot(c, d, dims=torch.tensor([[2, 3], [0, 1]])),
    ]  # fmt: skip


@program
def narrow_to_empty(torch):
    x = torch.randn(2, 3, 4)
    out = [x.narrow(d, x.size(d), 0).shape for d in range(3)]
    out += [x.narrow(-1, 1, 2), x.narrow(1, torch.tensor(1), 2), x.narrow(0, -1, 1)]
    return out


@program
def linspace_cases(torch):
    x = torch.zeros(2, 3)
    r = torch.tensor(())
    torch.linspace(0.25, 1.5, 37, out=r)
    return [
        r, torch.linspace(0, 1, 1), torch.linspace(2, 0, 3), torch.linspace(0, 1, 0),
        torch.linspace(-1, 1, 5, dtype=torch.int64), torch.linspace(0, 3, 4, out=x[:, 1:]), x,
    ]  # fmt: skip


@error(RuntimeError, r"number of steps must be non-negative")
def linspace_negative_steps(torch):
    return torch.linspace(0, 1, -1)


@program
def logical_compare_over_dtypes(torch):
    out = []
    for dt in DTYPES[:-1]:
        x = torch.tensor([1, 2, 3, 4], dtype=getattr(torch, dt))
        b = torch.tensor([2], dtype=getattr(torch, dt))
        out += [x.lt(2), x.le(2), x.ge(2), x.gt(2), x.eq(2), x.ne(2)]
        out += [x.lt(b), x.le(b), x.ge(b), x.gt(b), x.eq(b), x.ne(b)]
    return out


@program
def randint_bounds_fit(torch):
    return [
        torch.randint(256, (3,), dtype=torch.uint8), torch.randint(2, (3,), dtype=torch.bool),
        torch.zeros(3, dtype=torch.uint8).random_(0, 256), torch.randint(-1, 2, (3,)),
        torch.randint(-128, 127, (3,), dtype=torch.int32),
    ]  # fmt: skip


@error(RuntimeError, r"to - 1 is out of bounds for bool")
def randint_bool_high(torch):
    return torch.randint(6, (2, 3), dtype=torch.bool)


@error(RuntimeError, r"to - 1 is out of bounds for unsigned char")
def randint_like_uint8_high(torch):
    return torch.randint_like(torch.zeros(2, dtype=torch.uint8), 257)


@error(RuntimeError, r"to - 1 is out of bounds for int")
def random_int32_high(torch):
    return torch.zeros(2, dtype=torch.int32).random_(0, 2**31 + 1)


@error(RuntimeError, r"to - 1 is out of bounds for c10::Half")
def randint_half_high(torch):
    return torch.randint(70000, (2,), dtype=torch.float16)


@error(RuntimeError, r"from is out of bounds for unsigned char")
def randint_uint8_negative_low(torch):
    return torch.randint(-300, 2, (2,), dtype=torch.uint8)


@program
def range_factories_out_keep_shape(torch):
    outs = [torch.zeros(2, 2) for _ in range(3)]
    torch.arange(4.0, out=outs[0])
    torch.linspace(0, 3, 4, out=outs[1])
    torch.logspace(0, 3, 4, out=outs[2])
    grown = torch.zeros(2, 2)
    torch.arange(6.0, out=grown)
    return outs, grown


@program
def unfold_zero_dim_windows(torch):
    s = torch.tensor(0.5, requires_grad=True)
    w = s.unfold(0, 0, 1)
    w1 = s.unfold(-1, 1, 3)
    (w1 * 2).sum().backward()
    return w, s.unfold(0, 0, 2), w1, s.grad, w1._base is s


@error(RuntimeError, r"maximum size for tensor at dimension 0 is 1 but size is 2")
def unfold_zero_dim_too_big(torch):
    return torch.tensor(0.5).unfold(0, 2, 1)
