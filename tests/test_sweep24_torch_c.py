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


def comparable(t):
    """``t`` with its dtype; a bfloat16 tensor as float32 (numpy has no bfloat16)."""
    return (t.float() if str(t.dtype).endswith("bfloat16") else t), t.dtype


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


# ---- index_copy / index_fill / index_select / take / put / scatter ------------------------
@program
def index_copy_values(torch):
    dest = torch.randn(8, 2, 3)
    src = torch.randn(3, 2, 3)
    idx = torch.randperm(8).narrow(0, 0, 3)
    a = dest.clone().index_copy_(0, idx, src)
    b = torch.randn(8).index_copy_(0, idx, torch.randn(3))
    c = torch.zeros(2, 2, dtype=torch.bool).index_copy_(0, torch.tensor([0, 1]), torch.ones(2, 2, dtype=torch.bool))  # fmt: skip
    d = torch.zeros(3, 4).index_copy(1, torch.tensor([3, 0]), torch.ones(3, 2))
    return a, b, c, d


@error(IndexError, r"index_copy_\(\): When source and destination are not scalars, their dimensionality must match")  # fmt: skip
def index_copy_bad_source_size(torch):
    return torch.randn(3, 5).index_copy_(1, torch.tensor([3]), torch.zeros(3))


@error(RuntimeError, r"index_copy_\(\): Source/destination tensor must have same slice shapes")
def index_copy_bad_slice_shape(torch):
    return torch.randn(3, 5).index_copy_(1, torch.tensor([3]), torch.zeros(2, 1))


@error(IndexError, r"index 5 is out of bounds for dimension 1 with size 5")
def index_copy_index_out_of_range(torch):
    return torch.randn(3, 5).index_copy_(1, torch.tensor([5]), torch.zeros(3, 1))


@program
def index_fill_over_dtypes(torch):
    out = []
    for dt in DTYPES:
        x = torch.tensor([[1, 2], [4, 5]], dtype=getattr(torch, dt))
        out += [x.index_fill_(1, torch.tensor([0]), 0), x.index_fill(0, torch.tensor([1]), 1)]
    return out


@program
def index_select_dups_out_and_bool(torch):
    src = torch.randn(3, 4, 5)
    idx = torch.tensor([2, 1, 0, 1, 2])
    out = torch.randn(5 * 4 * 5)
    dest = torch.index_select(src, 0, idx, out=out.view(5, 4, 5))
    out.fill_(0.5)
    b = torch.index_select(torch.tensor([False, True, False, False]), 0, torch.tensor([1]))
    return torch.index_select(src, 0, idx), dest, b, torch.index_select(src, 2, torch.tensor([4, 0], dtype=torch.int32))  # fmt: skip


@program
def take_put_empty(torch):
    out = []
    for shape in ((0,), (0, 1, 2, 0), (1, 2, 3)):
        for ishape in ((0,), (0, 1, 2, 0)):
            inp = torch.randn(shape)
            ind = torch.empty(ishape, dtype=torch.int64)
            out.append(torch.take(inp, ind))
            for acc in (False, True):
                out.append(inp.clone().put_(ind, torch.randn(ishape), accumulate=acc))
    return out


@program
def scatter_into_larger_and_bool(torch):
    idx = torch.tensor([[1], [2]])
    a = torch.zeros(4, 4).scatter_(0, idx, torch.ones(2, 2))
    b = torch.zeros(4, 4).scatter_add_(0, idx, torch.ones(2, 2))
    x = torch.ones(2, 3, dtype=torch.bool)
    c = torch.zeros(3, 3, dtype=torch.bool).scatter_(0, torch.tensor([[0, 1, 2], [0, 1, 2]]), x)
    x5 = torch.ones(2, 5, dtype=torch.bool)
    i5 = torch.tensor([[0, 1, 2, 0, 0], [2, 0, 0, 1, 2]])
    d = torch.zeros(3, 5, dtype=torch.bool).scatter_add_(0, i5, x5)
    return a, b, c, d


@program
def masked_scatter_fill_bool(torch):
    src = torch.tensor([True, True, True])
    dst = torch.tensor([False, False, False])
    dst.masked_scatter_(torch.tensor([False, True, False]), src)
    d2 = dst.masked_scatter(torch.tensor([True, False, True]), src)
    f = torch.tensor([True, False, True])
    m = torch.tensor([False, True, False])
    f.masked_fill_(m, True)
    return dst, d2, f, f.masked_fill(m, False)


@program
def masked_select_over_dtypes(torch):
    out = []
    mask = torch.tensor([True, False, True, True, False, False, True, False, False, True])
    for dt in DTYPES:
        src = torch.arange(10).to(getattr(torch, dt))
        dst3 = torch.empty_like(src)
        torch.masked_select(src, mask, out=dst3)
        out += [src.masked_select(mask), dst3]
    return out


@error(RuntimeError, r"masked_select: expected BoolTensor for mask")
def masked_select_uint8_mask(torch):
    return torch.arange(4.0).masked_select(torch.tensor([1, 0, 1, 0], dtype=torch.uint8))


@error(RuntimeError, r"masked_fill_ only supports boolean masks, but got mask with dtype long")
def masked_fill_long_mask(torch):
    return torch.randn(3).masked_fill_(torch.tensor([1, 0, 1]), 1.0)


@error(RuntimeError, r"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension")  # fmt: skip
def masked_fill_vector_value(torch):
    return torch.randn(3).masked_fill_(torch.tensor([True, True, True]), torch.tensor([1.0, 2]))


@error(RuntimeError, r"Number of elements of source < number of ones in mask")
def masked_scatter_short_source(torch):
    return torch.randn(3).masked_scatter_(torch.tensor([True, True, True]), torch.tensor([1.0]))


# ---- shapes with zero sizes ---------------------------------------------------------------
@program
def shape_ops_on_empty(torch):
    x = torch.randn((0, 1, 3, 0))
    y = torch.randn(5, 0)
    return [
        torch.flatten(x, 0, 3).shape, torch.flatten(x, 0, 2).shape, torch.flatten(x, 1, 2).shape,
        torch.unsqueeze(x, 1).shape, torch.squeeze(x, 1).shape, torch.squeeze(x).shape,
        torch.transpose(x, 1, 3).shape, y.t().shape, torch.select(x, 2, 2).shape,
        x.repeat(9, 7, 5, 2, 3).shape, x.permute(2, 3, 0, 1).shape,
        torch.diagonal(torch.randn(5, 0)).shape, torch.diagonal(torch.randn(0, 5)).shape,
        torch.diagonal(torch.randn(5, 0), offset=1).shape,
        torch.diagonal(torch.randn(0, 5), offset=1).shape,
        torch.diagonal(torch.randn(3, 4, 5, 6), offset=45252).shape,
        torch.diagonal(torch.randn(3, 4, 5, 6), offset=-45252).shape,
        torch.diagflat(torch.tensor([])).shape, torch.diagflat(torch.tensor([]), offset=1),
        torch.diagflat(torch.tensor([[]])).shape, torch.diagflat(torch.tensor([[]]), offset=1),
        torch.stack((x, x, x, x)).shape, [z.shape for z in torch.chunk(x, 1, dim=0)],
        [z.shape for z in torch.chunk(x, 3, dim=0)], [z.shape for z in torch.chunk(x, 3, dim=2)],
        [z.shape for z in torch.split(x, (0, 1, 2), dim=2)],
        [z.shape for z in torch.split(x, 1, dim=0)], [z.shape for z in torch.split(x, 0, dim=0)],
    ]  # fmt: skip


@error(
    RuntimeError, r"split_size can only be 0 if dimension size is 0, but got dimension size of 1"
)
def split_zero_size_nonempty_dim(torch):
    return torch.split(torch.randn((0, 1, 3, 0)), 0, dim=1)


@program
def dim_functions_on_empty(torch):
    F = torch.nn.functional
    x = torch.randn((0, 1, 2, 0))
    y = torch.randn((0, 1, 3, 0))
    z = torch.randn(2, 3, 4)
    e = torch.empty((0, 1, 2, 0), dtype=torch.int64)
    return [
        x.size(3), x.size(2), x.stride(), F.glu(x, 0), F.glu(x, 2).shape,
        F.softmax(x, 0), F.softmax(x, 3), F.log_softmax(x, 2), torch.cumsum(x, 0).shape,
        torch.cumprod(x, 2).shape, x.flip(0), x.flip(2), x.roll(0, 1).roll(0, -1),
        x.roll(1, x.size(1)), x.roll(1), x.roll((1, 1), (3, 1)), x.unbind(0), x.unbind(2),
        torch.cross(y, y, dim=2).shape, torch.renorm(x, 1, 0, 5).shape,
        torch.renorm(x, 1, 2, 5).shape, [t.shape for t in torch.sort(x, dim=0)],
        [t.shape for t in torch.sort(x, dim=2)], [t.shape for t in torch.topk(x, 0, dim=0)],
        [t.shape for t in torch.topk(x, 1, dim=2)], [t.shape for t in torch.topk(z, 0)],
        torch.gather(x, 0, e).shape, torch.gather(x, 2, e).shape,
        torch.gather(x, 2, torch.empty((0, 1, 3, 0), dtype=torch.int64)).shape,
        torch.gather(x, 2, torch.empty((0, 1, 0, 0), dtype=torch.int64)).shape,
        torch.gather(z, 0, torch.empty((0, 3, 4), dtype=torch.int64)).shape,
    ]  # fmt: skip


@program
def scatter_index_ops_on_empty(torch):
    shape = (0, 1, 2, 0)
    out = []
    for dim in (0, 2):
        y = torch.randn(shape)
        ind = torch.empty(shape, dtype=torch.int64)
        out += [
            y.scatter_(dim, ind, torch.randn(shape)).shape,
            y.scatter_add_(dim, ind, y.clone()).shape,
        ]
    z = torch.randn(2, 3, 4)
    e3 = torch.empty((2, 3, 0), dtype=torch.int64)
    out += [z.clone().scatter_(2, e3, z), z.clone().scatter_add_(2, e3, z)]
    x = torch.randn(shape)
    empty = torch.tensor([], dtype=torch.int64)
    i01 = torch.tensor([0, 1])
    c = x.clone()
    out += [
        c.index_fill_(0, empty, -1), c.index_fill_(2, empty, -1), c.index_fill_(2, i01, -1),
        c.index_copy_(0, empty, torch.empty(shape)),
        c.index_copy_(2, empty, torch.empty((0, 1, 0, 0))),
        c.index_copy_(2, i01, torch.empty(shape)), c.index_add_(0, empty, torch.empty(shape)),
        c.index_add_(2, empty, torch.empty((0, 1, 0, 0))), c.index_add_(2, i01, torch.empty(shape)),
        z.clone().index_fill_(0, empty, -1), z.clone().index_copy_(0, empty, torch.empty(0, 3, 4)),
        z.clone().index_add_(0, empty, torch.empty(0, 3, 4)), x.index_select(0, empty),
        x.index_select(2, empty).shape, x.index_select(2, i01), z.index_select(0, empty).shape,
    ]  # fmt: skip
    return out


# ---- nonzero / pdist / atan2 / trapz ------------------------------------------------------
@program
def nonzero_forms(torch):
    out = []
    for dt in ("uint8", "int32", "float32", "float64", "int64", "bool"):
        for shape in ((12,), (12, 1), (1, 12), (6, 2), (3, 2, 2)):
            t = (torch.rand(12).mul(2).floor()).to(getattr(torch, dt)).reshape(shape)
            o = torch.LongTensor()
            torch.nonzero(t, out=o)
            out += [torch.nonzero(t), t.nonzero(), o, torch.nonzero(t, as_tuple=True), torch.where(t)]  # fmt: skip
    x = torch.randn(10, requires_grad=True)
    out.append(x.nonzero().requires_grad)
    out.append(torch.tensor(3.0).nonzero())
    out.append(torch.tensor(0.0).nonzero(as_tuple=True))
    return out


@error(RuntimeError, r"nonzero does not support the out kwarg when as_tuple is True")
def nonzero_as_tuple_with_out(torch):
    t = torch.tensor([1, 0, 2])
    return torch.nonzero(t, as_tuple=True, out=torch.LongTensor())


@program
def pdist_norms(torch):
    out = []
    for shape in ((4, 5), (3, 2), (2, 1)):
        for p in (0, 1, 2, 3, 1.5, float("inf")):
            for trans in (False, True):
                x = torch.randn(shape, dtype=torch.float64)
                if trans:
                    x.transpose_(-2, -1)
                out.append(torch.pdist(x, p=p))
    return out


@program
def atan2_edge_cases(torch):
    out = []
    for dt in (torch.float32, torch.float64):
        y = torch.tensor([0, 0, 0, -1, 1, -1, 1, 1, -1], dtype=dt)
        x = torch.tensor([0, 1, -1, 0, 0, -1, 1, -1, 1], dtype=dt)
        out += [torch.atan2(x, y), x.atan2(y), torch.atan2(torch.tensor(-0.0, dtype=dt), torch.tensor(-1.0, dtype=dt))]  # fmt: skip
    return out


@program
def trapz_dx_and_x(torch):
    t = torch.randn(2, 3, 4, dtype=torch.float64)
    t2 = torch.randn(10, 2, dtype=torch.float64)
    x10 = [2.0, 3.0, 4.0, 7.0, 11.0, 14.0, 22.0, 26.0, 26.1, 30.3]
    return [
        torch.trapz(t, dx=1, dim=1), torch.trapz(t2, dx=0.1, dim=0),
        torch.trapz(torch.randn(1, 10), dx=2.3, dim=0), torch.trapz(torch.randn(0, 2), dx=1.0, dim=0),
        torch.trapz(torch.randn(0, 2), dx=1.0, dim=1),
        torch.trapz(t, torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64), dim=1),
        torch.trapz(t2, torch.tensor(x10, dtype=torch.float64), dim=0),
        torch.trapz(torch.randn(1, 10), torch.tensor([1.0]), dim=0),
        torch.trapz(torch.randn(0, 2), torch.tensor([]), dim=0),
        torch.trapz(torch.randn(0, 2), torch.tensor([1.0, 2.0]), dim=1),
    ]  # fmt: skip


@error(IndexError, r"Dimension out of range")
def trapz_bad_dim(torch):
    return torch.trapz(torch.randn(2, 3), torch.tensor([]), dim=2)


@error(RuntimeError, r"There must be one `x` value for each sample point")
def trapz_wrong_x_count(torch):
    return torch.trapz(torch.randn(2, 3), torch.tensor([1.0, 2.0]), dim=1)


# ---- reductions over empty dims -----------------------------------------------------------
@program
def reductions_with_identity_on_empty(torch):
    x = torch.randn(2, 0, 4)
    out = []
    for fn in (torch.prod, torch.sum, torch.norm, torch.mean, torch.var, torch.std, torch.logsumexp):  # fmt: skip
        out += [fn(x, dim=2), fn(x, dim=2, keepdim=True), fn(x, dim=1), fn(x, dim=1, keepdim=True)]  # fmt: skip
    for fn in (torch.prod, torch.sum, torch.norm, torch.mean, torch.var, torch.std):
        out.append(fn(x))
    xb = x.to(torch.uint8)
    out += [xb.any(2), xb.any(2, keepdim=True), xb.any(1), xb.any(1, keepdim=True), xb.any()]
    out += [xb.all(2), xb.all(2, keepdim=True), xb.all(1), xb.all(1, keepdim=True), xb.all()]
    return out


def _empty_reduction_error(name, fn, dim, keepdim):
    def prog(torch):
        return fn(torch)(torch.randn(2, 0, 4), dim=dim, keepdim=keepdim)

    prog.__name__ = name
    error(IndexError, r"Expected reduction dim 1 to have non-zero size|does not have an identity")(prog)  # fmt: skip


for _name, _fn in (
    ("max", lambda t: t.max), ("min", lambda t: t.min), ("argmax", lambda t: t.argmax),
    ("argmin", lambda t: t.argmin), ("mode", lambda t: t.mode), ("median", lambda t: t.median),
    ("kthvalue", lambda t: lambda x, **kw: t.kthvalue(x, 1, **kw)),
):  # fmt: skip
    for _keep in (False, True):
        _empty_reduction_error(f"empty_{_name}_dim1_keep{_keep}", _fn, 1, _keep)


@program
def reductions_without_identity_nonempty_dim(torch):
    x = torch.randn(2, 0, 4)
    return [
        torch.max(x, dim=2), torch.min(x, dim=2, keepdim=True), torch.argmax(x, dim=2),
        torch.argmin(x, dim=2, keepdim=True), torch.mode(x, dim=2), torch.median(x, dim=2),
        torch.kthvalue(x, 1, dim=2),
    ]  # fmt: skip


@error(RuntimeError, r"max\(\): Expected reduction dim to be specified for input.numel\(\) == 0")
def max_all_of_empty(torch):
    return torch.max(torch.randn(2, 0, 4))


@error(RuntimeError, r"min\(\): Expected reduction dim to be specified for input.numel\(\) == 0")
def min_all_of_empty(torch):
    return torch.min(torch.randn(2, 0, 4))


# ---- addcdiv ------------------------------------------------------------------------------
@program
def addcdiv_float_dtypes(torch):
    out = []
    for dt in (torch.float32, torch.float64, torch.float16):
        a, b, c = (torch.rand(2, 2).to(dt) + 0.5 for _ in range(3))
        out += [torch.addcdiv(a, b, c, value=0.5), a.addcdiv(b, c), a.clone().addcdiv_(b, c, value=-2)]  # fmt: skip
    return out


@error(RuntimeError, r"Integer division with addcdiv is no longer supported")
def addcdiv_integer(torch):
    a = torch.tensor([1, 2])
    return torch.addcdiv(a, a, a)


# ---- out= and in-place memory overlap -----------------------------------------------------
def _overlap_error(name, make):
    def prog(torch):
        return make(torch)

    prog.__name__ = name
    error(RuntimeError, r"unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location")(prog)  # fmt: skip


for _op in ("abs", "ceil", "cos", "exp", "floor", "neg", "sigmoid", "tanh", "trunc", "sqrt"):
    _overlap_error(f"unary_{_op}_out_overlaps_input", lambda t, op=_op: (lambda d: getattr(t, op)(d[:3], out=d[1:4]))(t.rand(6, dtype=t.float64)))  # fmt: skip
for _op in ("add", "mul", "sub", "div", "pow"):
    _overlap_error(f"binary_{_op}_out_overlaps_input", lambda t, op=_op: (lambda d: getattr(t, op)(d[:3], d[3:], out=d[1:4]))(t.rand(6, dtype=t.float64) + 1))  # fmt: skip
for _op in ("addcmul", "addcdiv", "lerp"):
    _overlap_error(f"ternary_{_op}_out_overlaps_input", lambda t, op=_op: (lambda d: getattr(t, op)(d[:3], d[3:6], d[6:], out=d[1:4]))(t.rand(9, dtype=t.float64) + 1))  # fmt: skip


@error(RuntimeError, r"unsupported operation: more than one element of the written-to tensor refers to a single memory location")  # fmt: skip
def inplace_on_expanded_tensor(torch):
    return torch.rand(1, dtype=torch.float64).expand(3).exp_()


@error(RuntimeError, r"unsupported operation: more than one element of the written-to tensor refers to a single memory location")  # fmt: skip
def binary_inplace_on_expanded_tensor(torch):
    return torch.rand(1).expand(3).add_(torch.rand(3))


@error(RuntimeError, r"unsupported operation: more than one element of the written-to tensor refers to a single memory location")  # fmt: skip
def copy_into_expanded_tensor(torch):
    return torch.rand(1).expand(3).copy_(torch.rand(3))


@program
def out_exactly_the_input_is_fine(torch):
    d = torch.rand(6, dtype=torch.float64) + 1
    torch.exp(d, out=d)
    torch.add(d, 1, out=d)
    torch.pow(d, 2, out=d)
    e = torch.rand(6, dtype=torch.float64)
    torch.pow(2, e, out=e)
    src = torch.rand(3)
    dst = torch.empty(3)
    dst.copy_(src)
    return d, e, dst


@error(RuntimeError, r"unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location")  # fmt: skip
def pow_scalar_base_out_overlaps(torch):
    d = torch.rand(6, dtype=torch.float64)
    return torch.pow(42, d[:3], out=d[1:4])


@error(RuntimeError, r"unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location")  # fmt: skip
def copy_partial_overlap(torch):
    d = torch.rand(6)
    return d[1:4].copy_(d[:3])


@error(RuntimeError, r"unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location")  # fmt: skip
def copy_broadcast_element_of_self(torch):
    d = torch.rand(6)
    return d[:3].copy_(d[0])


@error(RuntimeError, r"unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location")  # fmt: skip
def copy_transposed_self(torch):
    d = torch.rand(6)
    return d.view(2, 3).t().copy_(d.view(3, 2))


@program
def copy_between_disjoint_views(torch):
    d = torch.arange(8.0)
    d[:3].copy_(d[4:7])
    d[::2].copy_(d[1::2])
    d.copy_(d)
    d.view(4, 2)[:, 0].copy_(d.view(4, 2)[:, 1])
    return d


# ---- integer and float pow ----------------------------------------------------------------
@program
def int_pow_values(torch):
    out = []
    for dt, lo, hi in (("uint8", 0, 4), ("int32", -10, 10), ("int64", -10, 10)):
        t = torch.tensor((3, 3), dtype=getattr(torch, dt)).random_(lo, hi)
        for e in (0, 1, 2, 4, torch.tensor((3, 3), dtype=getattr(torch, dt)).random_(0, 5)):
            out += [t.pow(e), t**e]
    return out


@error(RuntimeError, r"Integers to negative integer powers are not allowed\.")
def int_tensor_pow_negative_int(torch):
    return torch.tensor([2, 3], dtype=torch.int32).pow(-2)


@program
def long_tensor_pow_floats(torch):
    t = torch.tensor([0, 1, 23, 4567])
    return [t.pow(p) for p in (0.0, 1 / 3, 1 / 2, 1.0, 3 / 2, 2.0)]


@program
def float_scalar_pow_float_tensor(torch):
    floats = [2.0, -3 / 2, -1.0, -1 / 2, -1 / 3, 0.0, 1 / 3, 1 / 2, 1.0, 3 / 2, 2.0]
    t = torch.tensor(floats)
    return [torch.pow(b, t) for b in floats] + [b**t for b in (2.0, -1.0, 0.0, 3)]


@program
def tensor_pow_tensor_rotations(torch):
    out = []
    for vals, dt in (([0, 1, 2, 3], "int32"), ([0, 1, 2, 3], "int64"),
                     ([-3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0], "float32"),
                     ([-3.0, -2.0, -1.0, -1 / 3, 0.0, 1 / 3, 1.0, 2.0, 3.0], "float64")):  # fmt: skip
        v = torch.tensor(vals, dtype=getattr(torch, dt))
        for i in range(len(vals)):
            out.append(v.pow(torch.roll(v, i)))
    return out


# ---- BLAS with empty operands -------------------------------------------------------------
@program
def blas_empty_shapes(torch):
    def fn(f, *shapes):
        return f(*(torch.randn(s) if isinstance(s, tuple) else s for s in shapes))

    return [
        fn(torch.mm, (0, 0), (0, 0)), fn(torch.mm, (0, 0), (0, 5)), fn(torch.mm, (5, 0), (0, 0)),
        fn(torch.mm, (3, 2), (2, 0)), fn(torch.mm, (5, 0), (0, 6)),
        fn(torch.addmm, (0, 0), (0, 0), (0, 0)), fn(torch.addmm, (5, 6), (5, 0), (0, 6)).shape,
        fn(torch.addmm, (1,), (0, 17), (17, 1)), fn(torch.mv, (0, 0), (0,)),
        fn(torch.mv, (0, 2), (2,)), fn(torch.mv, (3, 0), (0,)), fn(torch.addmv, (0,), (0, 0), (0,)),
        fn(torch.addmv, (3,), (3, 0), (0,)).shape, fn(torch.ger, (0,), (0,)),
        fn(torch.ger, (5,), (0,)), fn(torch.ger, (0,), (4,)), fn(torch.addr, (0, 0), (0,), (0,)),
        fn(torch.addr, (5, 0), (5,), (0,)), fn(torch.addr, (0, 4), (0,), (4,)),
        fn(torch.bmm, (0, 0, 0), (0, 0, 0)), fn(torch.bmm, (3, 0, 0), (3, 0, 5)),
        fn(torch.bmm, (0, 5, 0), (0, 0, 6)), fn(torch.bmm, (3, 5, 0), (3, 0, 6)),
        fn(torch.baddbmm, (0, 0, 0), (0, 0, 0), (0, 0, 0)),
        fn(torch.baddbmm, (3, 0, 5), (3, 0, 0), (3, 0, 5)),
        fn(torch.baddbmm, (0, 5, 6), (0, 5, 0), (0, 0, 6)),
        fn(torch.baddbmm, (3, 5, 6), (3, 5, 0), (3, 0, 6)).shape,
        fn(torch.addbmm, (0, 0), (0, 0, 0), (0, 0, 0)), fn(torch.addbmm, (0, 5), (3, 0, 0), (3, 0, 5)),
        fn(torch.addbmm, (5, 6), (0, 5, 0), (0, 0, 6)).shape, fn(torch.matmul, (0,), (0,)),
        fn(torch.matmul, (0, 0), (0, 0)), fn(torch.matmul, (0, 0, 0), (0, 0, 0)),
        fn(torch.matmul, (5, 0, 0), (5, 0, 0)), fn(torch.matmul, (5, 3, 0), (5, 0, 4)),
        fn(torch.dot, (0,), (0,)),
    ]  # fmt: skip


@program
def lu_factor_empty_batches(torch):
    out = []
    for shape in ((0, 5, 5), (0, 0, 0), (2, 0, 0)):
        lu, piv = torch.linalg.lu_factor(torch.randn(shape))
        out += [lu.shape, piv.shape, piv.dtype]
    return out


@program
def blas_alpha_beta_with_empty_inner(torch):
    value, alpha, beta = 11.0, 6, 3
    inp = torch.full((2,), value)
    mat = torch.ones(2, 0)
    vec = torch.ones(0)
    o1 = torch.randn(2)
    inp2 = torch.full((2, 3), value)
    mat2 = torch.ones(0, 3)
    o2 = torch.randn(2, 3)
    return [
        torch.addmv(input=inp, mat=mat, vec=vec, alpha=alpha, beta=beta),
        torch.addmv(input=inp, mat=mat, vec=vec, alpha=alpha, beta=beta, out=o1),
        torch.addmm(input=inp2, mat1=mat, mat2=mat2, alpha=alpha, beta=beta),
        torch.addmm(input=inp2, mat1=mat, mat2=mat2, alpha=alpha, beta=beta, out=o2),
        torch.addmm(torch.full((2, 3), float("nan")), mat, mat2, beta=0),
        torch.addmv(torch.full((2,), float("nan")), mat, vec, beta=0),
    ]  # fmt: skip


# ---- unique with dim ----------------------------------------------------------------------
@program
def unique_dim_forms(torch):
    out = [hasattr(torch, "unique_dim")]
    for dt in ("float32", "float64", "int64", "uint8", "bool"):
        d = getattr(torch, dt)
        x = torch.tensor([[[1.0, 1.0], [0.0, 1.0], [2.0, 1.0], [0.0, 1.0]]] * 2).to(d)
        for dim in (0, 1, 2):
            out += [
                torch.unique(x, dim=dim), torch.unique(x, return_inverse=True, dim=dim),
                torch.unique(x, return_counts=True, dim=dim),
                torch.unique(x, return_inverse=True, return_counts=True, dim=dim),
            ]  # fmt: skip
        out.append(torch.unique(torch.empty(5, 0, dtype=d), return_inverse=True, return_counts=True, dim=1))  # fmt: skip
        y = torch.tensor([[0, 1], [0, 1], [0, 1], [1, 2], [1, 2], [3, 4], [0, 1], [0, 1], [3, 4], [1, 2]]).to(d)  # fmt: skip
        out.append(torch.unique_consecutive(y, return_inverse=True, return_counts=True, dim=0))
    return out


@error(RuntimeError, r"Number of zero sized dimensions is more than one, so unique cannot be applied")  # fmt: skip
def unique_dim_ill_formed_empty(torch):
    return torch.unique(torch.empty(5, 0, 0), return_inverse=True, return_counts=True, dim=1)


@error(RuntimeError, r"There are 0 sized dimensions, and they aren't selected, so unique cannot be applied")  # fmt: skip
def unique_dim_other_dim_empty(torch):
    return torch.unique(torch.empty(5, 0, 5), return_inverse=True, return_counts=True, dim=2)


# ---- reverse binary ops, storage, all/any of empty ----------------------------------------
@program
def reverse_binary_ops(torch):
    t = torch.tensor(3)
    f = torch.tensor([3.0, -2.5])
    return [2 + t, 2 - t, 2 * t, 2 / t, 2 // t, 2 % t, 2**t, 2.5 - f, 1 / f, 7 // f, 7 % f, -3 ** f.abs()]  # fmt: skip


@program
def tensor_from_numpy_dtypes_storage(torch):
    import numpy as np

    out = []
    for npd in (np.float32, np.float64, np.int64, np.int32, np.int16, np.uint8):
        arr = np.array([1], dtype=npd)
        for d in (torch.float32, torch.float64, torch.int32, torch.int64, torch.uint8):
            t = torch.tensor(arr, dtype=d)
            out += [t, t.untyped_storage().nbytes()]
    return out


@program
def all_any_of_empty(torch):
    return [
        torch.ByteTensor().all(), torch.ByteTensor().any(), torch.BoolTensor().all(),
        torch.BoolTensor().any(), torch.tensor([]).all(), torch.tensor([]).any(),
        torch.zeros(0, 3).all(0), torch.zeros(0, 3).any(1),
    ]  # fmt: skip


@program
def property_ops(torch):
    x = torch.randn(1, 2, 3)
    y = torch.zeros(1, 3, 2)
    s = torch.tensor(5)
    return [
        x.is_floating_point(), x.is_complex(), x.is_same_size(y), x.is_same_size(x.clone()),
        x.is_signed(), torch.tensor([1], dtype=torch.uint8).is_signed(), x.size(0), x.stride(0),
        x.numel(), x.is_set_to(y), x.is_set_to(x), s.is_nonzero(), torch.tensor([0.0]).is_nonzero(),
    ]  # fmt: skip


@error(RuntimeError, r"Boolean value of Tensor with more than one value is ambiguous")
def is_nonzero_many(torch):
    return torch.tensor([1, 2]).is_nonzero()


@error(RuntimeError, r"Boolean value of Tensor with no values is ambiguous")
def is_nonzero_empty(torch):
    return torch.tensor([]).is_nonzero()


# ---- view / in-place shape ops, set_, to --------------------------------------------------
@program
def inplace_shape_ops(torch):
    y = torch.zeros(1, 3, 2)
    x = torch.randn(1, 2, 3)

    def fresh():
        return torch.arange(6.0).reshape(1, 2, 3)

    return [
        fresh().as_strided_(y.size(), y.stride()), fresh().resize_(y.size()), fresh().squeeze_(),
        fresh().squeeze_(0), fresh().unsqueeze_(2), fresh().transpose_(1, 2),
        fresh().squeeze_().t_(), fresh().set_(x), fresh().set_().shape,
    ]  # fmt: skip


@program
def shape_modifications(torch):
    x = torch.arange(6.0).reshape(1, 2, 3)
    y = torch.zeros(1, 3, 2)
    return [
        x.as_strided(y.size(), y.stride()), x.expand((5, 2, 3)), x.expand_as(x),
        x.sum_to_size((1,)), x.sum_to_size(1, 1, 3), torch.broadcast_tensors(x, x),
        x.reshape((1, 3, 2)), x.reshape_as(y), x.squeeze(), x.squeeze(0), x.squeeze().t(),
        x.transpose(1, 2), x.unsqueeze(2), x.view((1, 3, 2)), x.view_as(y), x.chunk(2, dim=1),
        x.split(1, dim=2), x.split_with_sizes([1, 2], dim=2), x.unfold(dimension=2, size=1, step=1),
        x.narrow(1, 1, 1), x.select(1, 1), torch.isnan(x), torch.empty((1, 3, 2), out=y).shape,
        torch.empty_like(x).shape, torch.empty_like(x, dtype=torch.int64).dtype, x.to(x),
        x.to(y.long()), x.to(x, copy=True), x.to(x) is x, x.to(x, copy=True) is x,
    ]  # fmt: skip


@error(RuntimeError, r"size \{\[2\]\} is not expandable to size \{\[3\]\}")
def sum_to_size_not_expandable(torch):
    return torch.randn(3).sum_to_size(2)


@error(RuntimeError, r"size \{\[3, 1, 1\]\} is not expandable to size \{\[2, 3\]\}\.")
def sum_to_size_longer_size(torch):
    return torch.randn(2, 3).sum_to_size(3, 1, 1)


@program
def renorm_p_norms(torch):
    x = torch.randn(5, 5, dtype=torch.float64)
    out = []
    for p in (1, 2, 3, 4, float("inf")):
        out += [x.renorm(p, 1, 1), x / x.norm(p, 0, keepdim=True).clamp(min=1)]
        out.append(torch.renorm(x, p, 0, 0.5))
    return out


@program
def is_signed_legacy_types(torch):
    return [
        torch.IntTensor(5).is_signed(), torch.ByteTensor(5).is_signed(),
        torch.CharTensor(5).is_signed(), torch.FloatTensor(5).is_signed(),
        torch.HalfTensor(10).is_signed(), torch.BoolTensor(2).is_signed(),
        torch.DoubleTensor(3).dtype, torch.LongTensor(2).dtype, torch.ShortTensor(2).dtype,
    ]  # fmt: skip


# ---- memory formats -----------------------------------------------------------------------
@program
def channels_last_preserved(torch):
    cl = torch.channels_last
    x = torch.randn(4, 3, 8, 8)
    nhwc = x.contiguous(memory_format=cl)
    y = nhwc.permute(0, 1, 3, 2).permute(0, 1, 3, 2)
    flat = torch.randn(4 * 3 * 8 * 8)
    flat.resize_as_(nhwc, memory_format=torch.preserve_format)
    out = [y.is_contiguous(memory_format=cl), flat.is_contiguous(memory_format=cl), flat.stride()]
    for src, fmt in ((nhwc, torch.preserve_format), (x, torch.preserve_format), (x, cl),
                     (nhwc, torch.contiguous_format)):  # fmt: skip
        like = torch.empty_like(src, memory_format=fmt)
        out += [like.is_contiguous(), like.is_contiguous(memory_format=cl), like.stride()]
    like = torch.empty_like(nhwc)
    out += [like.is_contiguous(), like.stride()]
    return out


@program
def channels_last_through_ops(torch):
    cl = torch.channels_last
    x = torch.randn(2, 3, 4, 4).contiguous(memory_format=cl)
    y = torch.randn(2, 3, 4, 4).abs() + 1
    fns = [
        lambda x, y: x + 3, lambda x, y: 3 * x, lambda x, y: x + y, lambda x, y: y + x,
        lambda x, y: x * y, lambda x, y: y * x, lambda x, y: x.sin(), lambda x, y: x.abs().sqrt(),
        lambda x, y: x.add(y, alpha=3), lambda x, y: x.addcdiv(y, y, value=2),
        lambda x, y: y.addcdiv(x, y, value=2), lambda x, y: x.addcmul(y, y, value=2),
        lambda x, y: x.ceil(), lambda x, y: x.div(0.5),
        lambda x, y: x.div(y), lambda x, y: x.expm1(), lambda x, y: x.floor(),
        lambda x, y: x.abs().log(), lambda x, y: x.mul(3), lambda x, y: x.neg(),
        lambda x, y: x.pow(3), lambda x, y: x.round(), lambda x, y: x.sign(),
        lambda x, y: x.trunc(), lambda x, y: x.clone(), lambda x, y: x.chunk(2, dim=1)[0] + 1,
        lambda x, y: x[0].unsqueeze(0) + 3,
    ]  # fmt: skip
    out = []
    for fn in fns:
        r = fn(x, y)
        out += [r, r.is_contiguous(memory_format=cl)]
    return out


# ---- unique -------------------------------------------------------------------------------
@program
def unique_flat_forms(torch):
    x = torch.tensor([1, 2, 3, 2, 8, 5, 2, 3])
    y = x.view(2, 2, 2)
    return [
        torch.unique(x), x.unique(return_inverse=True), x.unique(sorted=True),
        torch.unique(x, sorted=True, return_counts=True),
        torch.unique(x, sorted=True, return_inverse=True),
        torch.unique(x, sorted=True, return_inverse=True, return_counts=True),
        y.unique(sorted=True, return_inverse=True),
        torch.unique(y, sorted=True, return_inverse=True, return_counts=True),
        torch.unique(torch.tensor([2, 1, 2], dtype=torch.int32), return_inverse=True, return_counts=True),
        torch.unique(torch.tensor([2.0, 1.5, 2.1, 2.0], dtype=torch.float64), return_inverse=True, return_counts=True),
        torch.unique(torch.tensor([133, 7, 7, 7, 42, 128], dtype=torch.uint8), return_inverse=True, return_counts=True),
        torch.unique(torch.tensor([True, False, True, False]), return_inverse=True, return_counts=True),
    ]  # fmt: skip


@program
def resize_with_memory_format(torch):
    cl = torch.channels_last
    out = []
    f = torch.arange(24.0)
    f.resize_(1, 2, 3, 4, memory_format=cl)
    out += [f, f.stride()]
    g = torch.arange(24.0).reshape(1, 2, 3, 4)
    g.resize_(1, 2, 3, 4, memory_format=cl)
    out += [g, g.stride()]
    h = torch.arange(24.0).reshape(1, 2, 3, 4).contiguous(memory_format=cl)
    h.resize_(1, 2, 3, 4)
    out += [h.stride()]
    h.resize_as_(torch.zeros(1, 2, 3, 4))
    out += [h.stride()]
    k = torch.arange(24.0)
    k.resize_(1, 2, 3, 2, 2, memory_format=torch.channels_last_3d)
    out += [k, k.stride()]
    m = torch.arange(24.0)
    m.resize_as_(torch.zeros(1, 2, 3, 4).contiguous(memory_format=cl), memory_format=torch.preserve_format)  # fmt: skip
    out += [m, m.stride()]
    n = torch.arange(24.0)
    n.resize_as_(torch.zeros(1, 2, 3, 4).contiguous(memory_format=cl))
    out += [n.stride()]
    return out


@error(RuntimeError, r"Unsupported memory formatPreserve")
def resize_preserve_format(torch):
    return torch.zeros(4).resize_(2, 2, memory_format=torch.preserve_format)


@error(RuntimeError, r"required rank 4 tensor to use channels_last format")
def resize_channels_last_wrong_rank(torch):
    return torch.zeros(24).resize_(2, 12, memory_format=torch.channels_last)


@program
def addcmul_addcdiv_keep_first_layout(torch):
    cl = torch.channels_last
    x = torch.randn(2, 3, 4, 4).contiguous(memory_format=cl)
    y = torch.randn(2, 3, 4, 4).abs() + 1
    out = []
    for r in (x.addcmul(y, y), y.addcmul(x, y), x.addcdiv(y, y, value=0.5), torch.addcdiv(y, y, x),
              x.half().addcmul(y.half(), y.half())):  # fmt: skip
        out += [r, r.stride()]
    return out


# ---- unique_consecutive / erfinv / numpy ctor / dlpack / storage --------------------------
@program
def unique_consecutive_forms(torch):
    z = torch.tensor([1, 2, 2, 2, 5, 5, 2, 2, 3])
    return [
        torch.unique_consecutive(z), torch.unique_consecutive(z, return_inverse=True),
        torch.unique_consecutive(z, return_counts=True),
        torch.unique_consecutive(z, return_inverse=True, return_counts=True),
        torch.unique_consecutive(z.view(3, 3), return_inverse=True),
        torch.unique_consecutive(torch.tensor([])),
    ]  # fmt: skip


@program
def erfinv_edges(torch):
    out = []
    for dt in (torch.float32, torch.float64):
        v = torch.randn(4, 4, dtype=dt).clamp(-0.3, 0.3)
        out += [v.erf().erfinv(), torch.tensor([-1, 1], dtype=dt).erfinv()]
        out += [torch.tensor([-2, 2, float("nan")], dtype=dt).erfinv(), torch.tensor([0.5, 0.8, 0.0, -0.0], dtype=dt).erfinv()]  # fmt: skip
    return out


@program
def legacy_ctor_from_numpy(torch):
    import numpy as np

    out = []
    for npd in (np.float64, np.float32, np.float16, np.int64, np.int32, np.int16, np.int8, np.uint8, np.bool_):  # fmt: skip
        a = np.array([1, 2, 3, 4], dtype=npd)
        out += [torch.DoubleTensor(a), torch.FloatTensor(a), torch.HalfTensor(a), torch.LongTensor(a)]  # fmt: skip
    return out


@program
def dlpack_round_trip(torch):
    dl = torch.utils.dlpack
    x = torch.randn(1, 2, 3, 4)
    z = dl.from_dlpack(dl.to_dlpack(x))
    z[0, 0, 0, 0] = 7.0
    y = torch.from_dlpack(x.t() if x.dim() == 2 else x.transpose(1, 3))
    return z, x, y, y.stride()


@program
def storage_dtype(torch):
    x = torch.tensor([])
    y = torch.tensor([1, 2], dtype=torch.int32)
    return [x.storage().dtype, y.storage().dtype, y.storage().size(), len(y.untyped_storage())]


# ---- lu / max / min with inf / bincount ---------------------------------------------------
@program
def lu_and_unpack(torch):
    out = []
    for shape in ((3, 3), (2, 4, 4), (3, 2, 5, 5), (4, 2), (2, 3, 4)):
        a = torch.randn(*shape, dtype=torch.float64)
        lu, piv = torch.linalg.lu_factor(a)
        p, l, u = torch.lu_unpack(lu, piv)
        out += [lu, piv, p @ l @ u]
        out.append(torch.linalg.lu_factor_ex(a))
    ones = torch.ones(5, 3, 3)
    out.append(torch.linalg.lu_factor_ex(ones).info)
    return out


@program
def max_min_with_inf(torch):
    out = []
    inf = float("inf")
    for dt in (torch.float32, torch.float64, torch.float16):
        a = torch.tensor([[-inf, -inf, inf, 3], [inf, inf, -inf, -1]], dtype=dt)
        out += [torch.max(a, dim=1), torch.min(a, dim=1), torch.max(a), torch.min(a), a.amax(0), a.argmin(1)]  # fmt: skip
    return out


@program
def bincount_forms(torch):
    inputs = torch.tensor([[0, 0], [3, 1], [2, 1], [1, 1], [3, 4]])
    weights = torch.tensor([[0.1, 1], [0.2, 2], [0.3, 3], [0.4, 4], [0.5, 5]])
    return [
        torch.bincount(torch.tensor([], dtype=torch.long)),
        torch.bincount(torch.tensor([], dtype=torch.long), minlength=10),
        torch.tensor([0, 3, 2, 1, 3], dtype=torch.uint8).bincount(),
        torch.bincount(torch.tensor([1, 1, 1, 1]), minlength=5),
        torch.bincount(torch.tensor([0, 1, 1, 1, 4]), torch.tensor([0.1, 0.2, 0.3, 0.4, 0.5])),
        torch.bincount(torch.tensor([0, 1, 1, 1, 4]), torch.tensor([1, 2, 3, 4, 5], dtype=torch.int8)),
        torch.bincount(torch.tensor([0, 1, 1, 1, 4]), torch.tensor([1, 2, 3, 4, 5], dtype=torch.float64)),
        inputs[:, 0].bincount(), inputs[:, 1].bincount(weights[:, 1]),
        inputs[:, 1].contiguous().bincount(weights[:, 1]),
        torch.zeros((32, 2), dtype=torch.int64)[:, 0].bincount(),
        torch.ones((32, 2), dtype=torch.int64)[:, 0].bincount(),
        torch.ones(1000, dtype=torch.int8).bincount(),
    ]  # fmt: skip


@error(RuntimeError, r"bincount only supports 1-d non-negative integral inputs")
def bincount_negative(torch):
    return torch.bincount(torch.tensor([1, -1]))


@error(RuntimeError, r"bincount only supports 1-d non-negative integral inputs")
def bincount_2d(torch):
    return torch.bincount(torch.tensor([[1, 2], [3, 4]]))


@error(RuntimeError, r"\"bincount_cpu\" not implemented for 'Float'")
def bincount_float(torch):
    return torch.bincount(torch.tensor([1.0, 0.3]))


@error(RuntimeError, r"minlength should be >= 0")
def bincount_negative_minlength(torch):
    return torch.bincount(torch.tensor([1, 3]), torch.tensor([0.2, 0.2]), minlength=-1)


@error(RuntimeError, r"weights should be 1-d and have the same length as input")
def bincount_weights_length(torch):
    return torch.bincount(torch.tensor([1, 0]), torch.tensor([1.0, 0.3, 0.5]))


# ---- multinomial / var / mul intertype / hardshrink / einsum / sum ------------------------
@program
def multinomial_zero_prob_never_drawn(torch):
    out = []
    for contiguous in (True, False):
        base = torch.zeros(3, 6, 5).uniform_()
        p = base[:, :, 0].contiguous() if contiguous else base[:, :, 2]
        p[0, 1] = 0
        p[2, 4] = 0
        s = torch.multinomial(p, 12, True)
        out += [s.shape, s.dtype, bool((s[0] != 1).all()), bool((s[2] != 4).all())]
        s = torch.multinomial(p, 4, False)
        out += [s.shape, [len(set(r.tolist())) for r in s], bool((s[0] != 1).all())]
    v = torch.ones(4)
    v[1] = 0
    s = torch.multinomial(v, 20, True)
    out += [s.dim(), s.shape, bool((s != 1).all())]
    return out


@program
def var_std_unbiased_and_stable(torch):
    t = torch.randn(100)
    two = torch.FloatTensor([1.0, 2.0])
    st = torch.FloatTensor([2281.5, 2281.25])
    return [
        t.var(0), t.var(0, unbiased=True), t.var(), t.var(unbiased=False), t.std(0),
        t.std(unbiased=False), two.var(unbiased=True), two.var(unbiased=False), st.var(0),
        st.var(), st.unsqueeze(1).var(0), t.var(correction=0), t.std(correction=2),
    ]  # fmt: skip


@program
def mul_intertype_scalar(torch):
    out = []
    for dt in (torch.float32, torch.float64):
        x = torch.tensor(1.5, dtype=dt)
        y = torch.tensor(3, dtype=torch.int32)
        out += [x * y, y * x]
        x *= y
        out.append(x)
    return out


@error(RuntimeError, r"result type Float can't be cast to the desired output type Int")
def imul_int_by_float(torch):
    y = torch.tensor(3, dtype=torch.int32)
    y *= torch.tensor(1.5)
    return y


@program
def hardshrink_values_and_edges(torch):
    out = []
    for dt in (torch.float32, torch.float64):
        data = torch.tensor([1, 0.5, 0.3, 0.6], dtype=dt).view(2, 2)
        out += [data.hardshrink(0.3), data.hardshrink(0.5), data.hardshrink(), data.t().hardshrink(0.3)]  # fmt: skip
        fi = torch.finfo(dt)
        inf = float("inf")
        vals = torch.tensor([0.0, fi.tiny, -fi.tiny, 0.1, -0.1, 1.0, -1.0, fi.max, -fi.max, inf, -inf], dtype=dt)  # fmt: skip
        for lam in (0.0, fi.tiny, 0.1, 1.0, fi.max, inf):
            out.append(vals.hardshrink(lam))
    return out


@program(tol={"rtol": 1e-9, "atol": 1e-10})
def einsum_equations(torch):
    d = torch.float64
    x, y = torch.randn(5, dtype=d), torch.randn(7, dtype=d)
    A, B = torch.randn(3, 5, dtype=d), torch.randn(2, 5, dtype=d)
    C, D = torch.randn(2, 3, 5, dtype=d), torch.randn(2, 5, 7, dtype=d)
    E, F = torch.randn(7, 9, dtype=d), torch.randn(2, 3, 5, 7, dtype=d)
    G, H = torch.randn(7, 11, 13, dtype=d), torch.randn(4, 4, dtype=d)
    I = torch.randn(3, 4, 4, dtype=d)  # noqa: E741
    l, r, w = torch.randn(5, 10, dtype=d), torch.randn(5, 20, dtype=d), torch.randn(30, 10, 20, dtype=d)  # fmt: skip
    cases = [
        ("i->", x), ("i,i->", x, x), ("i,i->i", x, x), ("i,j->ij", x, y), ("ij->ji", A),
        ("ij->j", A), ("ij->i", A), ("ij,ij->ij", A, A), ("ij,j->i", A, x), ("ij,kj->ik", A, B),
        ("ij,ab->ijab", A, E), ("aij,ajk->aik", C, D), ("ijk,jk->i", C, A), ("aij,jk->aik", D, E),
        ("abcd,dfg->abcfg", F, G), ("ijk,jk->ik", C, A), ("ijk,jk->ij", C, A), ("ijk,ik->j", C, B),
        ("ijk,ik->jk", C, B), ("ii", H), ("ii->i", H), ("i...->...", H), ("ki,...k->i...", A.t(), B),
        ("k...,jk", A.t(), B), ("...ii->...i", I), ("bn,anm,bm->ba", l, w, r), ("... ii->...i  ", I),
    ]  # fmt: skip
    out = []
    for eq, *ops in cases:
        out += [torch.einsum(eq, ops), torch.einsum(eq, *ops)]
    leaves = [t.detach().requires_grad_() for t in (C, D)]
    torch.einsum("aij,ajk->aik", *leaves).sum().backward()
    out += [leaves[0].grad, leaves[1].grad, A._version]
    return out


@program
def sum_all_and_out(torch):
    x = torch.rand(20, 30, dtype=torch.float64)
    r = torch.tensor((), dtype=torch.float64)
    torch.sum(x, 1, out=r)
    y = torch.rand(5, 6, 7, dtype=torch.float64)
    r2 = torch.tensor((), dtype=torch.float64)
    torch.sum(y, (2, 1), out=r2)
    return [
        torch.tensor([1, 2, 3, 4, 5], dtype=torch.float64).sum(),
        torch.tensor([True, False, True]).sum(), torch.randn(2000, 2, dtype=torch.float64)[:, 0].sum(),
        r, r2,
    ]  # fmt: skip


# ---- memory format through to / type / clone / *_like / shortcuts -------------------------
def _format_flags(torch, transform, default_is_preserve=False):
    """The layout flags of transform(x) for a channels_last x: non-dense, dense, default."""
    cl = torch.channels_last
    out = []
    x = torch.randn(4, 3, 8, 8).clamp(0, 1).round().contiguous(memory_format=cl)
    sub = x[:, :, ::2, ::2]
    for src, kw in ((sub, {"memory_format": torch.preserve_format}),
                    (x, {"memory_format": torch.contiguous_format}), (x, {})):  # fmt: skip
        r = transform(src, **kw)
        out += [r.is_contiguous(), r.is_contiguous(memory_format=cl), r.stride(), r.dtype]
    y = torch.randn(3, 4, 5, 6, 7).permute(3, 0, 4, 1, 2)
    out.append(transform(y, memory_format=torch.preserve_format).stride())
    return out


@program
def memory_format_to_and_clone(torch):
    return [
        _format_flags(torch, lambda t, **kw: t.to(dtype=torch.float64, **kw)),
        _format_flags(torch, lambda t, **kw: t.clone(**kw)),
        _format_flags(torch, lambda t, **kw: t.to(torch.float16, **kw)),
        _format_flags(torch, lambda t, **kw: t.to("cpu", torch.int64, **kw)),
    ]  # fmt: skip


@program
def memory_format_like_factories(torch):
    fns = [
        lambda t, **kw: torch.zeros_like(t, **kw), lambda t, **kw: torch.ones_like(t, **kw),
        lambda t, **kw: torch.randint_like(t, 10, 100, **kw),
        lambda t, **kw: torch.randint_like(t, 100, **kw), lambda t, **kw: torch.randn_like(t, **kw),
        lambda t, **kw: torch.rand_like(t, **kw), lambda t, **kw: torch.full_like(t, 7, **kw),
        lambda t, **kw: torch.empty_like(t, **kw),
    ]  # fmt: skip
    return [_format_flags(torch, f) for f in fns]


@program
def memory_format_type_shortcuts(torch):
    names = ("byte", "double", "bool", "half", "int", "long", "bfloat16", "float")
    return [_format_flags(torch, lambda t, n=n, **kw: getattr(t.double(), n)(**kw)) for n in names]


@program
def half_casts_keep_layout_of_large_views(torch):
    x = torch.randn(4, 3, 40, 40).contiguous(memory_format=torch.channels_last)
    y = torch.randn(3, 4, 5, 6, 7).permute(3, 0, 4, 1, 2)
    out = []
    for v in (x, x[:, :, ::2, ::2], y, y[:, :, ::2], y.transpose(0, 1)):
        h = v.half()
        out += [h, h.stride(), h.float().stride(), v.to(torch.float16, memory_format=torch.preserve_format).stride()]  # fmt: skip
    return out


# ---- eig / ger / addr / addmv / addmm / dot with 0-strided operands -----------------------
@program(tol={"rtol": 1e-8, "atol": 1e-9})
def eigh_reuse_and_noncontiguous_out(torch):
    X = torch.randn(4, 4, dtype=torch.float64)
    X = X.t() @ X
    e = torch.zeros(4, dtype=torch.float64)
    v = torch.zeros(4, 4, dtype=torch.float64)
    torch.linalg.eigh(X, out=(e, v))
    rec = v @ torch.diag(e) @ v.t()
    e2 = torch.zeros(4, 2, dtype=torch.float64)[:, 1]
    v2 = torch.zeros(4, 2, 4, dtype=torch.float64)[:, 1]
    r = torch.linalg.eigh(X, out=(e2, v2))
    return rec, X, e, e2, r.eigenvalues is e2, type(r).__name__, torch.linalg.eigvalsh(X)


@program
def ger_addr_zero_strided(torch):
    out = []
    for dt in (torch.float32, torch.float64, torch.bfloat16):
        v0 = torch.randn(30).to(dt)
        v1 = torch.randn(30).to(dt)
        z = torch.randn(1).expand(30).to(dt)
        out += [comparable(r) for r in (torch.ger(v0, v1), torch.outer(z, v1), torch.ger(z, v1))]
        for h, w in ((10, 11), (1, 20), (20, 2)):
            m = torch.randn(h, w).to(dt)
            a, b = torch.randn(h).to(dt), torch.randn(w).to(dt)
            r = m.clone()
            torch.addr(r, a, b, out=r)
            mt = m.clone().t().contiguous().t()
            torch.addr(mt, a, b, out=mt)
            zs = torch.randn(1).expand(h).to(dt)
            out += [comparable(x) for x in (r, mt, torch.addr(m, zs, b), torch.addr(m, a, b, beta=0.5, alpha=2))]  # fmt: skip
    return out


@program(tol={"rtol": 1e-4, "atol": 1e-4})
def addmv_addmm_dot_zero_strided(torch):
    out = []
    for dt in (torch.float32, torch.float64):
        t = torch.randn(1).to(dt).expand(10)
        m = torch.randn(10, 1).to(dt).expand(10, 30)
        v = torch.randn(30).to(dt)
        M = torch.randn(10, 1).to(dt).expand(10, 25)
        m2 = torch.randn(30, 25).to(dt)
        v1 = torch.randn(1, dtype=dt).expand(30)
        o = torch.randn((), dtype=dt)
        torch.dot(v1, v, out=o)
        out += [torch.addmv(t, m, v), torch.addmm(M, m, m2), torch.dot(v1, v), o, torch.vdot(v, v1)]
    return out


@error(RuntimeError, r"1D tensors expected, but got 2D and 1D tensors")
def dot_of_matrix(torch):
    return torch.dot(torch.randn(2, 2), torch.randn(2))


@error(RuntimeError, r"inconsistent tensor size, expected tensor \[3\] and src \[2\] to have the same number of elements")  # fmt: skip
def dot_length_mismatch(torch):
    return torch.dot(torch.randn(3), torch.randn(2))


@error(RuntimeError, r"dot : expected both vectors to have same dtype, but found Float and Double")
def dot_dtype_mismatch(torch):
    return torch.dot(torch.randn(3), torch.randn(3, dtype=torch.float64))


# ---- sigmoid / diag_embed / sub / csub / threshold / reciprocal / div / floordiv / rdiv ---
@program
def sigmoid_extremes(torch):
    v = [-1000, -1, 0, 0.5, 1, 2, 1000]
    return [torch.tensor(v, dtype=d).sigmoid() for d in (torch.float32, torch.float64)]


@program
def diag_embed_offsets(torch):
    x = torch.arange(12.0).view(3, 4)
    return [
        torch.diag_embed(x), torch.stack([torch.diag(r) for r in x], 0),
        torch.diag_embed(x, offset=1, dim1=0, dim2=2), torch.diag_embed(x, offset=-2, dim1=-1, dim2=0),
        torch.stack([torch.diag(r, 1) for r in x], 1),
    ]  # fmt: skip


@program
def sub_over_dtypes(torch):
    out = []
    for dt in ("float32", "float64", "bfloat16", "float16", "int32", "int64", "uint8"):
        m1 = torch.tensor([2.34, 4.44], dtype=getattr(torch, dt))
        m2 = torch.tensor([1.23, 2.33], dtype=getattr(torch, dt))
        out.append(comparable(m1 - m2))
    a = torch.randn(10, 9)
    b = a.clone().normal_()
    out += [
        torch.add(a, b, alpha=-1),
        a.clone().sub_(b),
        torch.add(a, -123.5),
        a.clone().sub_(123.5),
    ]
    return out


@program
def threshold_and_reciprocal(torch):
    out = []
    for dt in ("float32", "float64", "int32", "int64"):
        x = torch.randn(100).sign().to(getattr(torch, dt))
        out += [torch.threshold(x, 0, 0), torch.threshold(x, 0.5, -3)]
    a = torch.randn(10, 9)
    r = a.clone()
    r.reciprocal_()
    out += [r, 1 / a, torch.tensor([0, 2, -4]).reciprocal()]
    return out


@program
def div_floordiv_rdiv(torch):
    out = []
    m = torch.randn(10, 10)
    r = m.clone()
    r[:, 3].div_(2)
    out.append(r)
    b = torch.tensor([4.2, 6.2], dtype=torch.bfloat16)
    out += [comparable(b / torch.tensor([2.0, 2.0], dtype=torch.bfloat16))]
    for dt in ("float32", "float64", "bfloat16", "int32", "int64", "uint8"):
        x = torch.randn(30).mul(10).to(getattr(torch, dt))
        d = torch.rand(30).add(1).mul(4).to(getattr(torch, dt))
        out += [comparable(x // 3), comparable(x // -3), comparable(30 / d)]
    return out


@program
def fmod_remainder_columns(torch):
    m = torch.empty(10, 10).uniform_(-10.0, 10.0)
    r = m.clone()
    r[:, 3].fmod_(2.1)
    qs = torch.arange(-5.1, 4.1)
    r2 = m.clone()
    for i, q in enumerate(qs):
        r2[:, i].remainder_(q if i % 2 else q.item())
    r3 = m.clone().remainder_(qs.unsqueeze(0).expand_as(m[:, :10]))
    lm = torch.LongTensor(10, 10).random_(-10, 10)
    lq = torch.arange(-5, 5)
    lq[5] = 5
    l2 = lm.clone()
    for i, q in enumerate(lq):
        l2[:, i].remainder_(q if i % 2 else q.item())
    return r, r2, r3, l2, lm.clone().remainder_(lq.unsqueeze(0).expand_as(lm)), lm % -3, lm.fmod(-3)


@error(RuntimeError, r"ZeroDivisionError")
def long_remainder_by_zero(torch):
    return torch.tensor([5, 3]) % torch.tensor([0, 1])


@program
def rtruediv_is_reciprocal_times(torch):
    x = torch.rand(200).mul(4).add(1)
    out = []
    for dt in ("float32", "float16", "bfloat16", "float64", "int64", "uint8"):
        out.append(comparable(30 / (x * 10).to(getattr(torch, dt))))
    leaf = torch.tensor([3.0, 5.0, 0.0, -0.0], requires_grad=True)
    y = 2.5 / leaf
    y[:2].sum().backward()
    out += [y, y.grad_fn.name(), [type(n).__name__ for n, _ in y.grad_fn.next_functions], leaf.grad]
    return out


# ---- mm / bmm / addbmm / baddbmm / elementwise on strided views / cat ---------------------
@program(tol={"rtol": 1e-4, "atol": 1e-4})
def mm_layouts_and_out(torch):
    out = []
    for n, m, p in ((6, 4, 3), (5, 3, 4)):
        for dt in ("float32", "float64", "int32", "int64"):
            d = getattr(torch, dt)

            def gen(x, y, d=d):
                return torch.randint(0, 100, (x, y)).to(d) if not d.is_floating_point else torch.randn(x, y, dtype=d)  # fmt: skip

            a, b = gen(n, m), gen(m, p)
            r = gen(n, p)
            torch.mm(gen(m, n).t(), gen(p, m).t(), out=r)
            out += [torch.mm(a, b), torch.mm(a, gen(p, m).t()), torch.mm(gen(m, n).t(), b),
                    torch.mm(a, gen(m, 1).expand(m, p)), r]  # fmt: skip
    return out


@error(RuntimeError, r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)")
def mm_shape_mismatch(torch):
    return torch.mm(torch.randn(2, 3), torch.randn(4, 5))


@error(RuntimeError, r"expected m1 and m2 to have the same dtype, but got: float != double")
def mm_dtype_mismatch(torch):
    return torch.mm(torch.randn(2, 3), torch.randn(3, 5, dtype=torch.float64))


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def bmm_addbmm_baddbmm_forms(torch):
    b1 = torch.randn(2, 2, 3)
    b2 = torch.randn(2, 3, 4)
    res = torch.bmm(b1, b2)
    r2 = torch.tensor(()).resize_as_(res[0]).zero_()
    r2.addbmm_(b1, b2)
    a = r2.clone()
    r2.addbmm_(b1, b2, alpha=0.5, beta=1.0)
    b = r2.clone()
    r3 = torch.zeros_like(res)
    r3.baddbmm_(b1, b2)
    r3.baddbmm_(b1, b2, beta=1, alpha=0.5)
    return [
        res, [torch.mm(b1[i], b2[i]) for i in range(2)], a, b, torch.addbmm(r2, b1, b2, beta=1, alpha=0),
        torch.addbmm(r2, b1, b2, beta=0.1, alpha=0.5), torch.addbmm(r2, b1, b2, beta=0),
        r3, torch.baddbmm(r3, b1, b2, beta=0.1, alpha=0.5), torch.baddbmm(r3, b1, b2, beta=0, alpha=1),
    ]  # fmt: skip


@error(RuntimeError, r"^Expected size for first two dimensions of batch2 tensor to be: \[2, 3\] but got: \[3, 3\]\.$")  # fmt: skip
def bmm_batch_mismatch(torch):
    return torch.bmm(torch.randn(2, 2, 3), torch.randn(3, 3, 4))


@error(RuntimeError, r"^Expected size for first two dimensions of batch2 tensor to be: \[2, 3\] but got: \[2, 4\]\.$")  # fmt: skip
def bmm_inner_mismatch(torch):
    return torch.bmm(torch.randn(2, 2, 3), torch.randn(2, 4, 4))


@error(RuntimeError, r"batch1 must be a 3D tensor")
def bmm_not_3d(torch):
    return torch.bmm(torch.randn(2, 3), torch.randn(2, 3, 4))


@program
def binary_ops_on_strided_views(torch):
    m1 = torch.randn(6, 6, 6)
    m2 = torch.randn(36, 36)
    sm1 = m1[:, 4]
    sm2 = m2[:, 4].as_strided((6, 6), (36 * 6, 36))
    return [
        torch.div(sm1, sm2), torch.fmod(sm1, sm2), torch.remainder(sm1, sm2), torch.mul(sm1, sm2),
        torch.pow(sm1.abs(), sm2), torch.pow(sm1, sm2), m1[4] / m2[4].view(6, 6),
    ]  # fmt: skip


@program
def prod_cross_out(torch):
    x = torch.rand(10, 10)
    r = torch.tensor(())
    torch.prod(x, 1, out=r)
    a = torch.rand(4, 3, 5)
    b = torch.rand(4, 3, 5)
    c = torch.tensor(())
    torch.cross(a, b, dim=1, out=c)
    u, v = torch.rand(7, 3), torch.rand(7, 3)
    return r, c, torch.cross(u, v, dim=1), torch.cross(u, v, dim=-1), torch.linalg.cross(u, v)


@error(RuntimeError, r"linalg.cross: inputs dimension 1 must have length 3. Got 4 and 4")
def cross_wrong_length(torch):
    return torch.linalg.cross(torch.rand(2, 4), torch.rand(2, 4), dim=1)


@program
def random_fills_bounds(torch):
    t = torch.FloatTensor(200)
    t.fill_(-1)
    t.random_(1, 4)
    a = (t.min(), t.max())
    t.fill_(-1)
    t.random_(4)
    return a, t.min(), t.max(), t.dtype


@program
def cat_transposed_and_split_roundtrip(torch):
    out = []
    for dt in (torch.float16, torch.float64, torch.int32):
        for dim in range(-3, 3):
            pos = dim % 3
            x = torch.randint(-100, 100, (5, 4, 4)).to(dt).transpose(0, pos)
            y = torch.randint(-100, 100, (6, 4, 4)).to(dt).transpose(0, pos)
            z = torch.randint(-100, 100, (7, 4, 4)).to(dt).transpose(0, pos)
            r = torch.cat((x, y, z), dim)
            out += [r, r.stride(), r.narrow(pos, 5, 6)]
        x = torch.randint(-100, 100, (20, 4, 4)).to(dt)
        out += [
            torch.cat(torch.split(x, 7)),
            torch.cat(torch.chunk(x, 7)),
            torch.cat([x, x[:1]]).shape,
        ]
    return out


@error(ValueError, r"torch.cat\(\): expected a non-empty list of Tensors")
def cat_empty_list(torch):
    return torch.cat([])


@error(TypeError, r"got None")
def cat_with_none(torch):
    return torch.cat([torch.zeros(2), None])


@error(RuntimeError, r"zero-dimensional tensor \(at position 0\) cannot be concatenated")
def cat_scalars(torch):
    return torch.cat([torch.tensor(0), torch.tensor(1)])


@error(RuntimeError, r"Tensors must have same number of dimensions: got 2 and 3")
def cat_rank_mismatch(torch):
    return torch.cat([torch.randn(2, 1), torch.randn(2, 1, 1), torch.randn(2, 1, 1)])


@error(RuntimeError, r"Sizes of tensors must match except in dimension 1. Expected size 2 but got size 1 for tensor number 1 in the list.")  # fmt: skip
def cat_size_mismatch(torch):
    return torch.cat([torch.randn(2, 1, 2), torch.randn(2, 1, 1), torch.randn(2, 2, 1)], dim=1)


# ---- device-precision checks on the CPU ---------------------------------------------------
@program
def linspace_logspace_bases(torch):
    return [
        torch.linspace(0, 10, 10), torch.logspace(1, 10, 10, dtype=torch.float64),
        torch.logspace(1, 10, 10, 2, dtype=torch.float64), torch.logspace(-2, 2, 5, base=3),
        torch.logspace(0, 3, 4, dtype=torch.int64),
    ]  # fmt: skip


@program(tol={"rtol": 1e-7, "atol": 1e-9})
def digamma_polygamma_poles(torch):
    d = torch.float64
    x = torch.randn(4, 5, dtype=d)
    poles = torch.tensor([-0.999999994, -1.999999994, -2.0000000111, -100.99999994, -1931.99999994, 0.000000111, -0.000000111, 0, -0.0, -1, -2, -931], dtype=d)  # fmt: skip
    return [x.polygamma(0), x.polygamma(1), x.digamma(), poles.digamma(), torch.tensor([0.0, -0.0, -1.0]).digamma()]  # fmt: skip


@program
def var_std_dims_and_rounding(torch):
    c = torch.randn(2, 3, 3)
    a = [-5.8, -3.5, -2.3, -1.5, -0.5, 0.5, 1.5, 2.3, 3.5, 5.8]
    x = torch.randn(1, 7, 5, 4, dtype=torch.float64).permute(0, 3, 1, 2)
    return [
        c.var(), c.var(1), c.var(2), c.std(), c.std(1), torch.randn(100).var(),
        torch.tensor(a).round(), torch.tensor(a, dtype=torch.float64).round(),
        torch.tensor(a).round(decimals=1), x.sum(), x.sum(dim=(-1, -2)), x.sum(dim=(1, 3)),
        [torch.arange(0, 10, dtype=d) for d in (torch.int32, torch.int64, torch.float32, torch.float64)],
    ]  # fmt: skip


# ---- copies across dtypes, abs of zeros, min/max with NaN, sequences, sum out -------------
@program
def copy_noncontig_across_dtypes(torch):
    x = torch.tensor([1.5, 2.5, 3.5, 4.5, 5.5, 6.5])
    y = torch.tensor([0, 0, 0, 0, 0, 0])
    y[::2].copy_(x[::2])
    z = torch.zeros(10, 5)
    z.copy_(torch.randn(5))
    return (
        y,
        z,
        torch.tensor([0.0, -0.0]).abs(),
        torch.tensor([0.0, -0.0], dtype=torch.float64).abs(),
    )


@program
def min_max_with_nan(torch):
    a = torch.arange(25.0).view(5, 5)
    a[2, 2] = float("nan")
    return [a.min(), a.max(), a.min(0), a.max(0), a.amax(1), a.argmax(), a.argmin(0), torch.aminmax(a)]  # fmt: skip


@program
def tensor_from_nested_sequence(torch):
    seq = [list(range(i * 4, i * 4 + 4)) for i in range(5)]
    return [torch.tensor(seq, dtype=getattr(torch, d)) for d in ("float32", "float64", "int32", "int64", "uint8", "int16", "int8")]  # fmt: skip


@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def sum_out_dtype_mismatch(torch):
    return torch.sum(torch.randn(20), dim=[0], dtype=torch.float32, out=torch.randn(1, dtype=torch.float64))  # fmt: skip


@program
def advanced_index_mixed(torch):
    x = torch.arange(3 * 4 * 4 * 4 * 3.0).view(3, 4, 4, 4, 3)
    ia = torch.tensor([0, 2, 1])
    ib = torch.tensor([0, 2, 1])
    c1, c2 = x.clone(), x.clone()
    c1[:, ia, None, ib, 0] = torch.arange(float(x[:, ia, None, ib, 0].numel())).view(x[:, ia, None, ib, 0].shape)  # fmt: skip
    c2[ia] = -1.0
    return x[:, ia, None, ib, 0], x[ia], c1, c2


# ---- the tensor-op table: method (and in-place variant) over dtypes -----------------------
_FLOATS = ("float32", "float64")
_ALL = ("float32", "float64", "int32", "int64", "uint8")
_SIGNED = ("float32", "float64", "int32", "int64")


def _make(torch, shape, dt, kind="any"):
    d = getattr(torch, dt)
    if not d.is_floating_point:
        t = torch.randint(0, 10, shape).to(d)
        return t.clamp(min=1) if kind == "nonzero" else t
    t = torch.randn(shape, dtype=d)
    if kind == "nonzero":
        return t.clamp(min=2**-8)
    return t.clamp(0.99, 1.01) if kind == "oneish" else t


def _unique3(torch, dt):
    return (torch.randperm(125).to(getattr(torch, dt)) + 1).view(5, 5, 5)


def _num(dt, f, i):
    return f if dt.startswith("float") else i


S3, S2, M2, M1 = (5, 5, 5), (5, 5), (12, 12), (12,)
# name, subname, self maker, args maker, dtypes, in-place variant
_OPS = [
    ("add", "", lambda T, d: _make(T, S3, d), lambda T, d: [_num(d, 3.14, 3)], _ALL, True),
    ("add", "tensor", lambda T, d: _make(T, S3, d), lambda T, d: [_make(T, S3, d)], _ALL, True),
    ("sub", "", lambda T, d: _make(T, S3, d), lambda T, d: [_num(d, 3.14, 3)], _ALL, True),
    ("mul", "tensor", lambda T, d: _make(T, S3, d), lambda T, d: [_make(T, S3, d)], _ALL, True),
    (
        "mul",
        "scalar",
        lambda T, d: _make(T, (1,), d).squeeze(),
        lambda T, d: [_make(T, (1,), "int32").squeeze()],
        _ALL,
        True,
    ),  # fmt: skip
    ("div", "", lambda T, d: _make(T, S3, d), lambda T, d: [_num(d, 3.14, 3)], _FLOATS, True),
    (
        "div",
        "tensor",
        lambda T, d: _make(T, S3, d),
        lambda T, d: [_make(T, S3, d, "nonzero")],
        _ALL,
        False,
    ),  # fmt: skip
    ("pow", "", lambda T, d: _make(T, S3, d), lambda T, d: [_num(d, 3.14, 3)], _FLOATS, True),
    ("pow", "2", lambda T, d: _make(T, S3, d), lambda T, d: [_num(d, 2.0, 2)], _ALL, True),
    ("pow", "-1", lambda T, d: _make(T, S3, d), lambda T, d: [-1.0], _FLOATS, True),
    (
        "pow",
        "tensor",
        lambda T, d: _make(T, S3, d),
        lambda T, d: [_make(T, S3, d).abs()],
        _FLOATS,
        True,
    ),  # fmt: skip
    (
        "addbmm",
        "",
        lambda T, d: _make(T, S2, d),
        lambda T, d: [_make(T, S3, d), _make(T, S3, d)],
        _FLOATS,
        True,
    ),  # fmt: skip
    (
        "baddbmm",
        "",
        lambda T, d: _make(T, S3, d),
        lambda T, d: [_make(T, S3, d), _make(T, S3, d)],
        _FLOATS,
        True,
    ),  # fmt: skip
    ("bmm", "", lambda T, d: _make(T, S3, d), lambda T, d: [_make(T, S3, d)], _FLOATS, False),
    (
        "addcdiv",
        "",
        lambda T, d: _make(T, S2, d),
        lambda T, d: [_make(T, S2, d), _make(T, S2, d, "nonzero")],
        _FLOATS,
        True,
    ),  # fmt: skip
    (
        "addcmul",
        "",
        lambda T, d: _make(T, S3, d),
        lambda T, d: [_make(T, S3, d), _make(T, S3, d)],
        _ALL,
        True,
    ),  # fmt: skip
    (
        "addmm",
        "",
        lambda T, d: _make(T, M2, d),
        lambda T, d: [_make(T, M2, d), _make(T, M2, d)],
        _FLOATS,
        True,
    ),  # fmt: skip
    (
        "addmv",
        "",
        lambda T, d: _make(T, M1, d),
        lambda T, d: [_make(T, M2, d), _make(T, M1, d)],
        _FLOATS,
        True,
    ),  # fmt: skip
    (
        "addr",
        "",
        lambda T, d: _make(T, M2, d),
        lambda T, d: [_make(T, M1, d), _make(T, M1, d)],
        _FLOATS,
        True,
    ),  # fmt: skip
    ("atan2", "", lambda T, d: _make(T, M2, d), lambda T, d: [_make(T, M2, d)], _FLOATS, True),
    ("fmod", "value", lambda T, d: _make(T, S3, d), lambda T, d: [3], _ALL, True),
    (
        "fmod",
        "tensor",
        lambda T, d: _make(T, S3, d),
        lambda T, d: [_make(T, S3, d, "nonzero")],
        _ALL,
        True,
    ),  # fmt: skip
    ("chunk", "neg_dim", lambda T, d: _make(T, M2, d), lambda T, d: [4, -2], _ALL, False),
    ("clamp", "neg", lambda T, d: _make(T, M2, d), lambda T, d: [-1, 5], _SIGNED, True),
    ("clamp", "pos", lambda T, d: _make(T, M2, d), lambda T, d: [1, 5], ("uint8",), True),
    (
        "cross",
        "",
        lambda T, d: _make(T, (4, 3, 4), d),
        lambda T, d: [_make(T, (4, 3, 4), d), 1],
        _ALL,
        False,
    ),  # fmt: skip
    ("cumprod", "neg_dim", lambda T, d: _make(T, S3, d), lambda T, d: [-1], _ALL, False),
    ("cumsum", "", lambda T, d: _make(T, S3, d), lambda T, d: [1], _ALL, False),
    (
        "dist",
        "2_5_norm",
        lambda T, d: _make(T, S2, d),
        lambda T, d: [_make(T, S2, d), 2.5],
        _FLOATS,
        False,
    ),  # fmt: skip
    ("dot", "", lambda T, d: _make(T, M1, d), lambda T, d: [_make(T, M1, d)], _FLOATS, False),
    ("element_size", "", lambda T, d: _make(T, M1, d), lambda T, d: [], _ALL, False),
    (
        "eq",
        "",
        lambda T, d: T.ones(S3, dtype=getattr(T, d)),
        lambda T, d: [_make(T, S3, d)],
        _ALL,
        True,
    ),  # fmt: skip
    (
        "ne",
        "",
        lambda T, d: T.ones(S3, dtype=getattr(T, d)),
        lambda T, d: [_make(T, S3, d)],
        _ALL,
        True,
    ),  # fmt: skip
    (
        "equal",
        "",
        lambda T, d: T.ones(S3, dtype=getattr(T, d)),
        lambda T, d: [T.ones(S3, dtype=getattr(T, d))],
        _ALL,
        False,
    ),  # fmt: skip
    (
        "expand_as",
        "",
        lambda T, d: _make(T, (6, 1, 6), d),
        lambda T, d: [_make(T, (6, 4, 6), d)],
        _ALL,
        False,
    ),  # fmt: skip
    ("ge", "", lambda T, d: _make(T, M2, d), lambda T, d: [_make(T, M2, d)], _ALL, True),
    ("lt", "", lambda T, d: _make(T, M2, d), lambda T, d: [_make(T, M2, d)], _ALL, True),
    (
        "is_same_size",
        "",
        lambda T, d: _make(T, M2, d),
        lambda T, d: [_make(T, S3, d)],
        _ALL,
        False,
    ),  # fmt: skip
    ("kthvalue", "neg_dim", lambda T, d: _unique3(T, d), lambda T, d: [3, -1], _ALL, False),
    (
        "lerp",
        "",
        lambda T, d: _make(T, S3, d),
        lambda T, d: [_make(T, S3, d), 0.3],
        _FLOATS,
        True,
    ),  # fmt: skip
    ("max", "dim", lambda T, d: _unique3(T, d), lambda T, d: [1], _ALL, False),
    (
        "min",
        "elementwise",
        lambda T, d: _make(T, M2, d),
        lambda T, d: [_make(T, M2, d)],
        _ALL,
        False,
    ),  # fmt: skip
    ("mean", "neg_dim", lambda T, d: _make(T, S3, d), lambda T, d: [-1], _FLOATS, False),
    ("mode", "dim", lambda T, d: _make(T, S3, d), lambda T, d: [1], _ALL, False),
    (
        "mvlgamma",
        "p2",
        lambda T, d: _make(T, S2, d).clamp(0.6, 10),
        lambda T, d: [2],
        _FLOATS,
        True,
    ),  # fmt: skip
    (
        "remainder",
        "negative_value",
        lambda T, d: _make(T, S3, d),
        lambda T, d: [-3],
        _SIGNED,
        True,
    ),  # fmt: skip
    (
        "remainder",
        "negative_tensor",
        lambda T, d: _make(T, S3, d),
        lambda T, d: [0 - _make(T, S3, d, "nonzero")],
        _SIGNED,
        True,
    ),  # fmt: skip
    ("std", "neg_dim", lambda T, d: _make(T, S3, d), lambda T, d: [-1], _FLOATS, False),
    ("var", "dim", lambda T, d: _make(T, S3, d), lambda T, d: [1], _FLOATS, False),
    ("ndimension", "", lambda T, d: _make(T, S3, d), lambda T, d: [], _ALL, False),
    ("nelement", "", lambda T, d: _make(T, S3, d), lambda T, d: [], _ALL, False),
    ("narrow", "neg_dim", lambda T, d: _make(T, S3, d), lambda T, d: [-1, 3, 2], _ALL, False),
    ("nonzero", "", lambda T, d: _make(T, S3, d), lambda T, d: [], _ALL, False),
    ("norm", "3_norm_neg_dim", lambda T, d: _make(T, S3, d), lambda T, d: [3, -2], _FLOATS, False),
    ("new_ones", "", lambda T, d: _make(T, S3, d), lambda T, d: [1, 2, 3, 4, 5], _ALL, False),
    (
        "permute",
        "",
        lambda T, d: _make(T, (1, 2, 3, 4), d),
        lambda T, d: [2, 1, 3, 0],
        _ALL,
        False,
    ),  # fmt: skip
    (
        "put_",
        "",
        lambda T, d: _make(T, (2, 5, 3), d),
        lambda T, d: [T.LongTensor([[0], [-2]]), T.LongTensor([[3], [4]]).to(getattr(T, d))],
        _ALL,
        False,
    ),  # fmt: skip
    (
        "put_",
        "accumulate",
        lambda T, d: _make(T, (2, 2), d),
        lambda T, d: [T.LongTensor([[1], [-3]]), T.LongTensor([[1], [2]]).to(getattr(T, d)), True],
        _ALL,
        False,
    ),  # fmt: skip
    ("prod", "", lambda T, d: _make(T, S2, d, "oneish"), lambda T, d: [], _ALL, False),
    ("sum", "neg_dim", lambda T, d: _make(T, S3, d), lambda T, d: [-1], _ALL, False),
    ("renorm", "1_5_norm", lambda T, d: _make(T, S3, d), lambda T, d: [1.5, 1, 1], _FLOATS, True),
    ("repeat", "", lambda T, d: _make(T, S2, d), lambda T, d: [2, 2, 2], _ALL, False),
    (
        "sort",
        "neg_dim_descending",
        lambda T, d: _unique3(T, d),
        lambda T, d: [-1, True],
        _ALL,
        False,
    ),  # fmt: skip
    ("split", "neg_dim", lambda T, d: _make(T, S3, d), lambda T, d: [2, -3], _ALL, False),
    ("squeeze", "neg_dim", lambda T, d: _make(T, (1, 2, 1, 4), d), lambda T, d: [-2], _ALL, True),
    ("t", "", lambda T, d: _make(T, (1, 2), d), lambda T, d: [], _ALL, True),
    (
        "take",
        "",
        lambda T, d: _make(T, (3, 4), d),
        lambda T, d: [T.LongTensor([[0], [-2]])],
        _ALL,
        False,
    ),  # fmt: skip
    (
        "transpose",
        "neg_dim",
        lambda T, d: _make(T, (1, 2, 3, 4), d),
        lambda T, d: [-1, -2],
        _ALL,
        True,
    ),  # fmt: skip
    ("tolist", "", lambda T, d: _make(T, S3, d), lambda T, d: [], _ALL, False),
    (
        "topk",
        "dim_desc_sort",
        lambda T, d: _unique3(T, d),
        lambda T, d: [2, 1, True, True],
        _ALL,
        False,
    ),  # fmt: skip
    ("trace", "", lambda T, d: _make(T, M2, d), lambda T, d: [], _ALL, False),
    ("tril", "negative", lambda T, d: _make(T, M2, d), lambda T, d: [-2], _ALL, True),
    (
        "triu",
        "zero_stride",
        lambda T, d: _make(T, (12, 1), d).expand(12, 12),
        lambda T, d: [],
        _ALL,
        False,
    ),  # fmt: skip
    ("unsqueeze", "neg_dim", lambda T, d: _make(T, (2, 3, 4), d), lambda T, d: [-2], _ALL, True),
    (
        "view_as",
        "",
        lambda T, d: _make(T, S3, d),
        lambda T, d: [_make(T, (25, 5), d)],
        _ALL,
        False,
    ),  # fmt: skip
    ("zero_", "", lambda T, d: _make(T, S3, d), lambda T, d: [], _ALL, False),
    ("new_zeros", "", lambda T, d: _make(T, S3, d), lambda T, d: [1, 2, 3, 4], _ALL, False),
    ("flip", "d20", lambda T, d: _make(T, S3, d), lambda T, d: [2, 0], _ALL, False),
    ("rot90", "k1_neg_d", lambda T, d: _make(T, S3, d), lambda T, d: [1, [1, -1]], _ALL, False),
    ("rsqrt", "", lambda T, d: _make(T, S3, d) + 1, lambda T, d: [], _FLOATS, True),
    ("sinh", "", lambda T, d: _make(T, S3, d).clamp(-1, 1), lambda T, d: [], _FLOATS, True),
    ("tan", "", lambda T, d: _make(T, S3, d).clamp(-1, 1), lambda T, d: [], _FLOATS, True),
    (
        "__lshift__",
        "",
        lambda T, d: T.pow(2, T.arange(1, 5)).to(getattr(T, d)),
        lambda T, d: [2],
        _ALL[2:],
        False,
    ),  # fmt: skip
    (
        "__rshift__",
        "",
        lambda T, d: T.pow(2, T.arange(3, 7)).to(getattr(T, d)),
        lambda T, d: [2],
        _ALL[2:],
        False,
    ),  # fmt: skip
]


def _table_program(name, sub, make_self, make_args, dtypes, inplace):
    def prog(torch):
        out = []
        for dt in dtypes:
            x = make_self(torch, dt)
            args = make_args(torch, dt)
            out.append(getattr(x.clone(), name)(*args))
            if inplace:
                y = x.clone()
                r = getattr(y, name + "_")(*args)
                out += [y, r is y]
        return out

    prog.__name__ = f"table_{name.strip('_')}_{sub}" if sub else f"table_{name.strip('_')}"
    program(tol={"rtol": 1e-4, "atol": 1e-4})(prog)


for _row in _OPS:
    _table_program(*_row)


@error(NotImplementedError, r"\"lshift_cpu\" not implemented for 'Float'")
def lshift_float(torch):
    return torch.tensor([2.0, 4.0]) << 2


@error(NotImplementedError, r"\"rshift_cpu\" not implemented for 'Double'")
def rshift_double(torch):
    return torch.tensor([2.0, 4.0], dtype=torch.float64) >> 1


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def table_unary_float_ops(torch):
    names = ("abs", "sign", "log", "log10", "log1p", "log2", "sigmoid", "sin", "sqrt", "tanh",
             "acos", "asin", "atan", "cos", "cosh", "erf", "erfc", "exp", "expm1", "reciprocal",
             "floor", "frac", "neg", "round", "trunc", "ceil", "lgamma", "digamma")  # fmt: skip
    out = []
    for dt in _FLOATS:
        x = _make(torch, S3, dt)
        for n in names:
            y = x.clone()
            out += [getattr(x, n)(), getattr(y, n + "_")(), y]
    return out


@program
def table_unary_int_ops(torch):
    out = []
    for dt in ("int32", "int64", "uint8"):
        x = _make(torch, S3, dt)
        for n in ("abs", "sign", "neg", "floor", "round", "trunc", "ceil"):
            if n == "neg" and dt == "uint8":
                continue
            y = x.clone()
            out += [getattr(x, n)(), getattr(y, n + "_")(), y]
    return out


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def table_decompositions(torch):
    out = []
    for dt in _FLOATS:
        for shape in ((5, 5), (3, 4), (4, 3)):
            a = _make(torch, shape, dt)
            q, r = torch.linalg.qr(a)
            out += [(q @ r), q.shape, r.shape, torch.linalg.qr(a, mode="complete")[0].shape]
            u, s, vh = torch.linalg.svd(a, full_matrices=False)
            out += [s, (u * s) @ vh, torch.linalg.svd(a)[0].shape]
        col = _make(torch, (5, 20), dt).t()
        out += [torch.linalg.svdvals(col), torch.linalg.svd(col, full_matrices=False)[0].shape]
    return out


class _UnknownType:
    pass


_BINARY_DUNDERS = (
    "__lt__ __le__ __gt__ __ge__ __eq__ __ne__ __add__ __radd__ __iadd__ __sub__ __rsub__ "
    "__isub__ __mul__ __rmul__ __imul__ __matmul__ __rmatmul__ __truediv__ __rtruediv__ "
    "__itruediv__ __floordiv__ __rfloordiv__ __ifloordiv__ __mod__ __rmod__ __imod__ __pow__ "
    "__rpow__ __ipow__ __lshift__ __rlshift__ __ilshift__ __rshift__ __rrshift__ __irshift__ "
    "__and__ __rand__ __iand__ __xor__ __rxor__ __ixor__ __or__ __ror__ __ior__"
).split()


@program
def binary_dunders_return_not_implemented(torch):
    out = []
    for dt in ("float32", "int64"):
        t = _make(torch, S2, dt)
        for op in _BINARY_DUNDERS:
            out.append((op, getattr(t, op)(_UnknownType()) is NotImplemented))
    return out


@error(TypeError, r"unsupported operand type\(s\) for \+: 'Tensor' and '_UnknownType'")
def add_unknown_type_raises(torch):
    return torch.ones(2) + _UnknownType()


@error(TypeError, r"unsupported operand type\(s\) for &=: 'Tensor' and 'str'")
def iand_unknown_type_raises(torch):
    b = torch.tensor([1, 2])
    b &= "x"
    return b


@program
def inplace_bitwise_operators(torch):
    a = torch.tensor([1, 2, 3])
    a &= 1
    a |= 4
    a ^= torch.tensor([1, 1, 1])
    a <<= 1
    a >>= 1
    m = torch.tensor([True, False])
    m |= torch.tensor([False, False])
    m ^= True
    return a, m


@error(RuntimeError, r"pdist only supports floating-point dtypes")
def pdist_integer_input(torch):
    return torch.pdist(torch.ones(3, 2, dtype=torch.int64))


@error(NotImplementedError, r"\"pdist\" not implemented for 'Half'")
def pdist_half_input(torch):
    return torch.pdist(torch.ones(3, 2, dtype=torch.float16))


@error(RuntimeError, r"masked_scatter_ only supports boolean masks, but got mask with dtype Long$")
def masked_scatter_long_mask(torch):
    return torch.zeros(2).masked_scatter_(torch.tensor([1, 0]), torch.ones(2))


@error(RuntimeError, r"preserve memory format is unsupported by the contiguous operator")
def contiguous_preserve_format(torch):
    x = torch.randn(2, 3, 4, 4)
    assert x.contiguous(memory_format=torch.preserve_format) is x  # already contiguous: itself
    return x.contiguous(memory_format=torch.channels_last).contiguous(memory_format=torch.preserve_format)  # fmt: skip


@error(ValueError, r"invalid type: 'int'")
def type_of_python_int(torch):
    return torch.ones(2).type(int)


@program
def legacy_type_conversions(torch):
    x = torch.randn(2, 3, 4, 4).contiguous(memory_format=torch.channels_last)
    return [
        x.type(), x.type(torch.float64).stride(), x.type("torch.DoubleTensor").dtype,
        x.type(torch.DoubleTensor).dtype, x.type(torch.float32) is x, x.type("torch.FloatTensor") is x,
        x.double().type(), torch.tensor([1], dtype=torch.uint8).type(), torch.tensor([True]).type(),
        torch.tensor([1.0], dtype=torch.float16).type(), x.type(torch.Tensor).dtype,
        x.to(torch.float64, copy=True, memory_format=torch.channels_last).stride(),
        torch.empty_strided((2, 3), (1, 2)).clone().stride(),
        (torch.empty_strided((2, 3), (1, 2)).fill_(1) + 1).stride(),
    ]  # fmt: skip


@error(RuntimeError, r"Subtraction, the `\-` operator, with a bool tensor is not supported")
def inplace_sub_bool_tensor(torch):
    return torch.tensor([1.5, 2.5]).sub_(torch.tensor([True, False]))


@error(RuntimeError, r"Subtraction, the `\-` operator, with a bool tensor is not supported")
def isub_python_bool(torch):
    x = torch.tensor([3, 4], dtype=torch.int32)
    x -= True
    return x


@program
def inplace_sub_forms(torch):
    x = torch.tensor([1.0, 2.0])
    x -= 1
    x.sub_(torch.tensor([1.0, 1.0]), alpha=2)
    y = torch.tensor([5, 6])
    y.sub_(2)
    y -= torch.tensor([1, 1])
    return x, y


@error(RuntimeError, r"result type Float can't be cast to the desired output type Int")
def inplace_bitwise_and_int_by_float(torch):
    return torch.tensor([3, 4], dtype=torch.int32).bitwise_and_(torch.tensor([1.5, 2.5]))


@error(RuntimeError, r"result type Double can't be cast to the desired output type Bool")
def iand_bool_by_double(torch):
    m = torch.tensor([True, False])
    m &= torch.tensor(1.5, dtype=torch.float64)
    return m


@error(RuntimeError, r"result type Float can't be cast to the desired output type Long")
def ilshift_long_by_float(torch):
    x = torch.tensor([1, 2])
    x <<= 1.5
    return x


@error(NotImplementedError, r"\"bitwise_and_cpu\" not implemented for 'Float'")
def inplace_bitwise_and_float_self(torch):
    return torch.tensor([1.5, 2.5]).bitwise_and_(torch.tensor([1, 2]))
