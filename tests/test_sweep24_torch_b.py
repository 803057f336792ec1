"""Sweep 24 (b): tensor behaviours that PyTorch's test/test_torch.py checks (its middle part:
comparison and bitwise ops, Size, scalar casts, meshgrid / cartesian_prod / combinations,
memory format, fill_diagonal_, negative dims, pow, neg, bitwise/logical ops, ...), written
as our own programs and compared with PyTorch."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


# ---- comparison and bitwise ops ------------------------------------------------------------
@program
def comparisons_elementwise(torch):
    x, y = torch.randn(4, 5), torch.randn(4, 5)
    y[0] = x[0]
    return [x == y, x != y, x < y, x <= y, x > y, x >= y]


@program
def comparison_out_uint8(torch):
    out = torch.empty(2, dtype=torch.uint8)
    torch.lt(torch.tensor([True, False]), torch.tensor([True, True]), out=out)
    return out


@program
def comparison_out_bool(torch):
    out = torch.empty(3, dtype=torch.bool)
    r = torch.ge(torch.tensor([1, 2, 3]), 2, out=out)
    return r, out, r is out


@program
def bitwise_bool_ops(torch):
    x, y = torch.randn(4, 4).gt(0), torch.randn(4, 4).gt(0)
    a, o, e = x.clone(), x.clone(), x.clone()
    a &= y
    o |= y
    e ^= y
    return [x & y, x | y, x ^ y, a, o, e, ~x]


@program
def invert_integers(torch):
    return [~torch.arange(5, dtype=d) for d in (torch.uint8, torch.int32, torch.int64)]


@error(TypeError, r"~")
def invert_float_raises(torch):
    return ~torch.zeros(3)


@program
def is_nonzero_cases(torch):
    return [torch.tensor(v).is_nonzero() for v in (0, 1, [0], [1], [[0]], [[1.5]])]


@error(RuntimeError, r"Boolean value of Tensor with no values is ambiguous")
def is_nonzero_empty(torch):
    torch.tensor([]).is_nonzero()


@error(RuntimeError, r"Boolean value of Tensor with more than one value is ambiguous")
def is_nonzero_many(torch):
    torch.tensor([0, 0]).is_nonzero()


# ---- Size ---------------------------------------------------------------------------------
@program
def size_behaves_like_tuple(torch):
    s = torch.Size([1, 2, 3])
    return [
        isinstance(s, tuple), s[0], len(s), type(s * 2).__name__, type(s[:-1]).__name__,
        type(s + s).__name__, s * 2, s[:-1], s + s, s.numel(),
    ]  # fmt: skip


@program
def size_from_tensors_and_iterables(torch):
    return [
        tuple(torch.Size([0, 1, torch.tensor(2), torch.tensor(3)])),
        tuple(torch.Size(iter([1, 2]))), tuple(torch.Size(range(1, 4))),
    ]  # fmt: skip


@error(TypeError, r"")
def size_from_float_tensor(torch):
    torch.Size(torch.ones(3))


@error(RuntimeError, r"t\(\) expects a tensor with <= 2 dimensions, but self is 3D")
def t_of_3d(torch):
    torch.randn(2, 3, 4).t()


@error(RuntimeError, r"t_\(\) expects a tensor with <= 2 dimensions, but self is 3D")
def t_inplace_of_3d(torch):
    torch.randn(2, 3, 4).t_()


# ---- scalar casts ---------------------------------------------------------------------------
@program
def scalar_casts(torch):
    return [int(torch.Tensor([1.5])), float(torch.zeros(1, 1, 1)), int(torch.Tensor([1, 2, 3])[2:])]


@error(ValueError, r"only one element tensors can be converted to Python scalars")
def int_of_two_elements(torch):
    int(torch.Tensor([1, 2]))


@error(ValueError, r"only one element tensors can be converted to Python scalars")
def float_of_empty(torch):
    float(torch.Tensor([]))


@program
def inplace_division_keeps_identity(torch):
    t = torch.rand(3, 3)
    before = id(t)
    t /= 2
    return id(t) == before, t


# ---- meshgrid, cartesian_prod, combinations --------------------------------------------------
@program
def meshgrid_list_and_varargs(torch):
    a, b, c = torch.tensor(1), torch.tensor([1, 2, 3]), torch.tensor([1, 2])
    return [torch.meshgrid([a, b, c], indexing="ij"), torch.meshgrid(a, b, c, indexing="ij")]


@program
def cartesian_prod_cases(torch):
    a, b, c = torch.tensor([1]), torch.tensor([1, 2, 3]), torch.tensor([1, 2])
    d = torch.empty(0, dtype=torch.int64)
    return [
        torch.cartesian_prod(a, b, c),
        torch.cartesian_prod(a, b, c, d),
        torch.cartesian_prod(b),
    ]


@program
def combinations_cases(torch):
    a = torch.tensor([1, 2, 3])
    e = torch.empty(0)
    return [
        torch.combinations(a, r=1), torch.combinations(a, r=1, with_replacement=True),
        torch.combinations(a), torch.combinations(a, with_replacement=True),
        torch.combinations(a, r=3), torch.combinations(a, r=4), torch.combinations(a, r=5),
        torch.combinations(e), torch.combinations(e, with_replacement=True),
    ]  # fmt: skip


# ---- metadata on .data / .detach() ---------------------------------------------------------
@program
def ndim_and_T(torch):
    a = torch.randn(2, 3, 4)
    s = torch.tensor(5)
    return [a.ndim, torch.randn(()).ndim, torch.randn(1, 0).ndim, a.T, torch.randn(4).T, s.T]


@program
def python_types_as_dtypes(torch):
    return [
        torch.randn((1, 2), dtype=float).dtype, torch.arange(10, 20, dtype=int).dtype,
        torch.tensor([True, False], dtype=bool).dtype, torch.zeros(2, dtype=float).dtype,
    ]  # fmt: skip


# ---- memory format ----------------------------------------------------------------------------
@program
def channels_last_contiguity(torch):
    x = torch.randn(2, 3, 4, 4)
    nhwc = x.contiguous(memory_format=torch.channels_last)
    return [nhwc.is_contiguous(), nhwc.is_contiguous(memory_format=torch.channels_last), nhwc,
            nhwc.stride()]  # fmt: skip


@program
def channels_last_contiguous_returns_alias(torch):
    x = torch.randn(2, 4, 4, 3).permute(0, 3, 1, 2)
    alias = x.contiguous(memory_format=torch.channels_last)
    alias.fill_(7)
    return x, alias is x


@error(RuntimeError, r"required rank 4 tensor to use channels_last format")
def empty_channels_last_2d(torch):
    torch.empty((3, 3), memory_format=torch.channels_last)


@program
def empty_channels_last_4d(torch):
    x = torch.empty((2, 3, 2, 2), memory_format=torch.channels_last)
    return x.is_contiguous(memory_format=torch.channels_last), x.stride()


# ---- fill_diagonal_ -----------------------------------------------------------------------------
@program
def fill_diagonal_cases(torch):
    a = torch.randn(7, 3).fill_diagonal_(1)
    b = torch.randn(7, 3).fill_diagonal_(1, wrap=True)
    c = torch.rand(3, 3, 3).fill_diagonal_(2)
    d = torch.rand(3, 3, 3)[:, 1, ...]
    d.fill_diagonal_(3)
    e = torch.rand(7, 3, 3)[:, 1, ...]
    e.fill_diagonal_(4, wrap=True)
    f = torch.zeros(3, 6).fill_diagonal_(5, wrap=True)
    return [a, b, c, d, e, f]


@error(RuntimeError, r"all dimensions of input must be of equal length")
def fill_diagonal_unequal_3d(torch):
    torch.zeros(2, 3, 3).fill_diagonal_(1)


@error(RuntimeError, r"dimensions must larger than 1")
def fill_diagonal_1d(torch):
    torch.zeros(3).fill_diagonal_(1)


# ---- negative dims: an op given dim - ndim gives what it gives with dim ----------------------
def _neg_dims(torch, x, call, ndim=None):
    ndim = x.dim() if ndim is None else ndim
    return [call(x, d) for d in range(ndim)] + [call(x, d - ndim) for d in range(ndim)]


@program
def negative_dims_shape_ops(torch):
    x = torch.randn(4, 5, 6)
    out = _neg_dims(torch, x, lambda t, d: t.narrow(d, 0, 2))
    out += _neg_dims(torch, x, lambda t, d: t.size(d))
    out += _neg_dims(torch, x, lambda t, d: torch.cat([t, t], d))
    out += _neg_dims(torch, x, lambda t, d: t.chunk(2, d))
    out += _neg_dims(torch, x, lambda t, d: torch.split(t, 2, d))
    out += _neg_dims(torch, x, lambda t, d: torch.unbind(t, d))
    out += _neg_dims(torch, x, lambda t, d: t.select(d, 1))
    out += _neg_dims(torch, x, lambda t, d: t.unfold(d, 2, 1))
    out += _neg_dims(torch, x, lambda t, d: t.transpose(d, 0))
    out += _neg_dims(torch, x, lambda t, d: t.clone().transpose_(d, -1))
    out += _neg_dims(torch, x, lambda t, d: t.unsqueeze(d), ndim=4)
    out += _neg_dims(torch, x, lambda t, d: t.clone().unsqueeze_(d), ndim=4)
    y = torch.randn(3, 1, 4, 1)
    out += _neg_dims(torch, y, lambda t, d: t.squeeze(d))
    out += _neg_dims(torch, y, lambda t, d: t.clone().squeeze_(d))
    return out


@program
def negative_dims_reductions(torch):
    x = torch.randn(4, 5)
    out = []
    for name in ("cumprod", "cumsum", "mean", "prod", "std", "sum", "var", "logsumexp"):
        out += _neg_dims(torch, x, lambda t, d, n=name: getattr(torch, n)(t, d))
    for name in ("median", "mode", "max", "min", "sort", "argmax", "argmin"):
        out += _neg_dims(torch, x, lambda t, d, n=name: getattr(t, n)(d))
    out += _neg_dims(torch, x, lambda t, d: t.norm(2, d))
    out += _neg_dims(torch, x, lambda t, d: t.kthvalue(2, d))
    out += _neg_dims(torch, x, lambda t, d: t.topk(2, d))
    out += _neg_dims(torch, x, lambda t, d: t.renorm(2, d, 1))
    out += _neg_dims(torch, x, lambda t, d: t.clone().renorm_(2, d, 1))
    return out


@program
def negative_dims_indexing(torch):
    x = torch.randn(4, 4)
    idx = torch.tensor([0, 2, 3, 1])
    full = torch.randint(0, 4, (4, 4))
    src = torch.randn(4, 4)
    out = _neg_dims(torch, x, lambda t, d: t.gather(d, full))
    out += _neg_dims(torch, x, lambda t, d: t.index_select(d, idx))
    out += _neg_dims(torch, x, lambda t, d: t.clone().index_add_(d, idx, src))
    out += _neg_dims(torch, x, lambda t, d: t.clone().index_copy_(d, idx, src))
    out += _neg_dims(torch, x, lambda t, d: t.clone().index_fill_(d, idx, 12))
    out += _neg_dims(torch, x, lambda t, d: t.clone().scatter_(d, full, src))
    return out


# ---- pow ------------------------------------------------------------------------------------------
@program
def pow_scalar_exponents(torch):
    f = torch.rand(6, 5) + 0.5
    i = torch.randint(1, 6, (6, 5))
    out = []
    for e in (-2.8, -2, -1, -0.5, 0, 0.5, 1, 2, 3, 4, 3.3):
        out += [torch.pow(f[2], e), torch.pow(f[:, 2], e), f.clone().pow_(e)]
        if not (isinstance(e, int) and e < 0):
            out.append(torch.pow(i[2], e))
    out += [torch.pow(3, f[2]), torch.pow(3, i[:, 2]), torch.pow(2.5, i[1])]
    return out


@error(RuntimeError, r"Integers to negative integer powers are not allowed\.")
def pow_int_negative_int(torch):
    torch.pow(torch.tensor([1, 2]), -2)


@error(RuntimeError, r"Integers to negative integer powers are not allowed\.")
def pow_int_negative_int_inplace(torch):
    torch.tensor([1, 2]).pow_(-1)


@program
def pow_out_resizes(torch):
    m = torch.randn(3, 4)
    out = torch.zeros(1)
    torch.pow(m, 1, out=out)
    return out


@program
def pow_tensor_exponent_ints(torch):
    b = torch.tensor([2, 3, 4])
    return [b.pow(torch.tensor([0, 1, 2])), torch.pow(b, torch.tensor(2)), b**b]


# ---- neg, bitwise_not, logical ops ----------------------------------------------------------------
@error(RuntimeError, r"Negation, the `\-` operator, on a bool tensor is not supported\. "
       r"If you are trying to invert a mask, use the `\~` or `logical_not\(\)` operator instead\.")  # fmt: skip
def neg_of_bool(torch):
    return -torch.tensor([False, True])


@program
def neg_matches_add_alpha(torch):
    out = []
    for d in (torch.float32, torch.float64, torch.int64, torch.int32, torch.int8, torch.int16):
        a = torch.randint(-100, 100, (4, 3)).to(d)
        n = a.clone()
        n.neg_()
        out += [n, a.neg(), -a, torch.add(torch.zeros_like(a), a, alpha=-1)]
    u = torch.randint(0, 200, (5,)).to(torch.uint8)
    out += [-u, torch.add(torch.zeros_like(u), u, alpha=255)]
    return out


@program
def bitwise_not_dtypes(torch):
    out = []
    for d in (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64):
        a = torch.arange(20, dtype=d)
        b = torch.empty(0, dtype=d)
        torch.bitwise_not(a, out=b)
        out += [a.bitwise_not(), b, a.clone().bitwise_not_()]
    t = torch.tensor([True, False])
    return out + [t.bitwise_not(), t.clone().bitwise_not_()]


@error(RuntimeError, r"\"bitwise_not_cpu\" not implemented for 'Float'")
def bitwise_not_float(torch):
    torch.zeros(3).bitwise_not()


@error(RuntimeError, r"not implemented for 'Double'")
def bitwise_not_double_inplace(torch):
    torch.zeros(3, dtype=torch.float64).bitwise_not_()


@program
def logical_not_dtypes(torch):
    out = []
    for d in (torch.uint8, torch.int64, torch.float32, torch.float64, torch.bool, torch.float16):
        a = torch.tensor([10, 1, 0], dtype=d)
        for od in (torch.bool, torch.float32, torch.int64, torch.uint8):
            b = torch.empty(0, dtype=od)
            torch.logical_not(a, out=b)
            out.append(b)
        out += [a.logical_not(), a.clone().logical_not_()]
    return out


@program
def logical_xor_dtypes(torch):
    out = []
    dts = (torch.uint8, torch.int64, torch.float32, torch.bool, torch.float64)
    for d in dts:
        a = torch.tensor([10, 0, 1, 0], dtype=d)
        for od in dts:
            b = torch.tensor([1, 0, 0, 10], dtype=od)
            c = torch.empty(0, dtype=torch.bool)
            torch.logical_xor(a, b, out=c)
            out += [a.logical_xor(b), c, torch.logical_and(a, b), torch.logical_or(a, b)]
        out.append(a.clone().logical_xor_(torch.tensor([1, 0, 0, 10], dtype=d)))
    return out


@program
def isinf_isnan_dtypes(torch):
    f = torch.tensor([1, float("inf"), 2, -float("inf"), float("nan")])
    out = [torch.isinf(f), torch.isnan(f), torch.isfinite(f), torch.isposinf(f), torch.isneginf(f)]
    for d in (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.bool):
        t = torch.tensor([1, 0, 1], dtype=d)
        out += [torch.isinf(t), torch.isnan(t), torch.isfinite(t)]
    return out


# ---- clamp -----------------------------------------------------------------------------------------
@program
def clamp_variants(torch):
    m = torch.rand(20).mul(5).add(-2.5)
    m[1], m[2] = -1, 1
    out = torch.empty(20)
    r = torch.clamp(m, min=-1, max=1, out=out)
    nan = torch.tensor([float("nan")])
    return [
        m.clone().clamp_(-1, 1), r is out, out, torch.clamp(m, min=-1), torch.clamp(m, max=1),
        torch.clamp(nan, -1, 1), torch.clamp(nan, min=-1), torch.clamp(nan, max=1),
        nan.clone().clamp_(-1, 1), torch.clamp(m, min=1, max=-1),
        torch.clamp(torch.arange(6), 1, 3), torch.clamp(torch.arange(6), 1.5, 3).dtype,
    ]  # fmt: skip


@error(RuntimeError, r"At least one of 'min' or 'max' must not be None")
def clamp_no_bounds(torch):
    torch.rand(3).clamp()


@error(RuntimeError, r"At least one of 'min' or 'max' must not be None")
def clamp_inplace_no_bounds(torch):
    torch.rand(3).clamp_()


# ---- cat with empty tensors --------------------------------------------------------------------------
@program
def cat_legacy_empty(torch):
    x = torch.randn(2, 3, 4)
    empty = torch.randn(0)
    return [
        torch.cat([x, empty], dim=1),
        torch.cat([empty, x], dim=1),
        torch.cat([empty, empty], dim=1),
    ]


@program
def cat_empty_along_dim(torch):
    x = torch.randn(2, 3, 4)
    empty = torch.randn(2, 0, 4)
    return [
        torch.cat([x, empty], dim=1),
        torch.cat([empty, x], dim=1),
        torch.cat([empty, empty], 1),
    ]


@error(ValueError, r"torch\.cat\(\): expected a non-empty list of Tensors")
def cat_empty_list(torch):
    torch.cat([], dim=1)


@error(
    RuntimeError,
    r"Sizes of tensors must match except in dimension 1\. Expected size 4 but got size 3 for tensor number 1 in the list",
)
def cat_size_mismatch(torch):
    torch.cat([torch.randn(2, 3, 4), torch.randn(2, 0, 3)], dim=1)


@error(RuntimeError, r"Tensors must have same number of dimensions: got 3 and 2")
def cat_ndim_mismatch(torch):
    torch.cat([torch.randn(2, 3, 4), torch.randn(2, 0)], dim=1)


# ---- diagonal, broadcast_tensors ----------------------------------------------------------------------
@program
def diagonal_multidim(torch):
    x = torch.randn(3, 4, 5, 6)
    xp = x.permute(1, 2, 3, 0)
    y = torch.randn(6, 6)
    return [
        torch.diagonal(x, 2, 2, 3), torch.diagonal(x, 2), torch.diagonal(x, -2, 1, 2),
        torch.diagonal(x, 0, -2, -1), torch.diagonal(xp, 0, -2, -1), torch.diagonal(y, 3),
        torch.diag(y, 3), torch.diag(y, -7), torch.diagonal(y, 9),
    ]  # fmt: skip


@program
def diag_out(torch):
    x = torch.rand(5, 5)
    r = torch.tensor(())
    torch.diag(x, out=r)
    return r, torch.diag(torch.tensor([1, 2]), -1)


@program
def broadcast_tensors_sizes(torch):
    ys = torch.broadcast_tensors(torch.randn(2, 1, 3), torch.randn(3), torch.randn(3, 1))
    return [tuple(y.size()) for y in ys] + list(ys)


# ---- linear algebra helpers ---------------------------------------------------------------------------
@program
def matrix_power_cases(torch):
    m = torch.randn(2, 3, 3, dtype=torch.float64) + 3 * torch.eye(3, dtype=torch.float64)
    return [torch.matrix_power(m, k) for k in (0, 1, 2, 3, 6, -1, -2)]


@program
def chain_matmul_products(torch):
    ms = [torch.randn(a, b, dtype=torch.float64) for a, b in ((4, 5), (5, 3), (3, 6), (6, 2))]
    return torch.linalg.multi_dot(ms), torch.chain_matmul(*ms)


@program
def det_slogdet_singular_and_scaled(torch):
    m = torch.randn(4, 4, dtype=torch.float64)
    s = m.clone()
    s[:, 3] = s[:, 0]
    z = m.clone()
    z[1] *= 0
    neg = m.clone()
    neg[2] *= -2
    out = []
    for a in (
        torch.eye(4, dtype=torch.float64),
        m,
        s,
        z,
        neg,
        torch.ones(2, 3, 3, dtype=torch.float64),
    ):
        out += [torch.det(a), torch.slogdet(a)[0], torch.logdet(a).isnan()]
    return out


# ---- view -------------------------------------------------------------------------------------------
@program
def view_size_inference(torch):
    t = torch.rand(15)
    empty = torch.empty(0)
    return [
        t.view_as(torch.rand(3, 5)), t.view(torch.Size([3, 5])), t.view(-1, 5), t.view(3, -1),
        empty.view_as(empty), empty.view(0), empty.view(0, 3, 0, 1), empty.view(0, 3, 0, 1).view(0),
        empty.view(-1), empty.view(10, 3, -1),
    ]  # fmt: skip


@error(RuntimeError, r"because the unspecified dimension size -1 can be any value and is ambiguous")
def view_empty_ambiguous(torch):
    torch.empty(0).view(3, 0, -1, 0)


@error(RuntimeError, r"shape '\[15, 0\]' is invalid for input of size 15")
def view_wrong_numel(torch):
    torch.rand(15).view(15, 0)


@error(RuntimeError, r"shape '\[7, -1\]' is invalid for input of size 15")
def view_not_divisible(torch):
    torch.rand(15).view(7, -1)


@error(RuntimeError, r"only one dimension can be inferred")
def view_two_inferred(torch):
    torch.rand(15).view(15, -1, -1)


@program
def view_of_partly_contiguous(torch):
    t = torch.rand(4, 2, 5, 1, 6, 2, 3).transpose(-1, 2).transpose(-2, 3)
    c = t.clone()
    sizes = ([8, 3, 2, 6, 5], [2, 4, 3, 2, 6, 5, 1], [1, 8, 3, 1, 2, 6, 1, 5])
    return [t.view(*s) for s in sizes] + [c.view(*s) for s in sizes]


@error(RuntimeError, r"view size is not compatible with input tensor's size and stride")
def view_crossing_chunks(torch):
    torch.rand(4, 2, 5, 1, 6, 2, 3).transpose(-1, 2).transpose(-2, 3).view(8, 6, 6, 5)


@program
def view_of_expanded(torch):
    t = torch.empty(1, 1).fill_(2).expand(3, 4)
    return [t.view(-1), t.view(1, -1, 1), t.view(-1, 1), t.view(6, 2, 1), t.view(1, 6, 2, 1)]


# ---- flip and rot90 ---------------------------------------------------------------------------------
@program
def flip_cases(torch):
    d = torch.arange(1, 9).view(2, 2, 2)
    e = torch.arange(1, 4).view(3, 1).expand(3, 2)
    tr = torch.arange(1, 9).view(2, 2, 2).transpose(0, 1)
    r = torch.arange(1, 7).view(2, 3)
    return [
        d.flip(0), d.flip(1), d.flip(2), d.flip(0, 1), d.flip(0, 1, 2), d.flip(-1), d.flip(0, 2),
        d.flip(2, 0), e.flip(0), tr.flip(0, 1, 2), r.flip(0), r.flip(1), torch.tensor([]).flip(0),
        torch.randn(2, 3, 4).flip((0, 2)).shape, torch.flip(d, dims=[1]),
    ]  # fmt: skip


@error(RuntimeError, r"dim 1 appears multiple times in the list of dims")
def flip_repeated_dim(torch):
    torch.arange(8).view(2, 2, 2).flip(0, 1, 1)


@error(TypeError, r"flip\(\) missing 1 required positional arguments: \"dims\"")
def flip_no_dims(torch):
    torch.arange(8).view(2, 2, 2).flip()


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-3, 2\], but got 3\)")
def flip_dim_out_of_range(torch):
    torch.arange(8).view(2, 2, 2).flip(3)


@program
def rot90_cases(torch):
    d = torch.arange(1, 5).view(2, 2)
    c = torch.arange(1, 9).view(2, 2, 2)
    return [
        d.rot90(0, [0, 1]), d.rot90(1, [0, 1]), d.rot90(2, [0, 1]), d.rot90(3, [0, 1]), d.rot90(),
        d.rot90(1, [1, 0]), d.rot90(5, [0, 1]), d.rot90(-1, [0, 1]), d.rot90(-5, [0, 1]),
        c.rot90(1, [1, 2]), c.rot90(1, [1, -1]), torch.rot90(torch.randn(2, 3), 1, (0, 1)).shape,
    ]  # fmt: skip


@error(RuntimeError, r"expected total rotation dims == 2, but got dims = 3")
def rot90_three_dims(torch):
    torch.arange(8).view(2, 2, 2).rot90(1, [0, 1, 2])


@error(RuntimeError, r"expected total rotation dims == 2, but got dims = 1")
def rot90_one_dim(torch):
    torch.arange(8).view(2, 2, 2).rot90(1, [0])


@error(RuntimeError, r"expected rotation dims to be different, but got dim0 = 1 and dim1 = 1")
def rot90_same_dims(torch):
    torch.arange(8).view(2, 2, 2).rot90(1, [1, 1])


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-3, 2\], but got 3\)")
def rot90_dim_out_of_range(torch):
    torch.arange(8).view(2, 2, 2).rot90(1, [0, 3])


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got -3\)")
def rot90_negative_dim_out_of_range(torch):
    torch.arange(4).view(2, 2).rot90(1, [0, -3])


# ---- window functions ----------------------------------------------------------------------------------
@program(tol={"rtol": 1e-5, "atol": 1e-6})
def window_functions(torch):
    out = []
    for name in ("hann", "hamming", "bartlett", "blackman"):
        fn = getattr(torch, name + "_window")
        for size in (0, 1, 2, 5, 10):
            out += [fn(size), fn(size, periodic=False), fn(size, dtype=torch.float64)]
        out += [fn(3, requires_grad=True).requires_grad, fn(3).requires_grad]
    return out


@error(RuntimeError, r"floating point")
def window_integer_dtype(torch):
    torch.hann_window(3, dtype=torch.long)


# ---- broadcasting in ops, in-place and fused matmuls ------------------------------------------------
@program
def broadcast_binary_ops_match_expanded(torch):
    small, large = torch.randn(3, 1), torch.randn(2, 1, 4)
    s2 = torch.randn(1, 4)
    se, le, s2e = small.expand(2, 3, 4), large.expand(2, 3, 4), s2.expand(2, 3, 4)
    out = []
    for fn in ("atan2", "pow", "add", "sub", "mul", "div", "fmod", "remainder", "eq", "ge",
               "max", "min", "dist"):  # fmt: skip
        f = getattr(torch, fn)
        out += [f(small.abs(), large), f(se.abs(), le)]
    out += [torch.lerp(small, large, 0.5), torch.addcmul(small, large, s2, value=2)]
    out += [torch.addcdiv(small, large, s2e.abs() + 1), torch.masked_fill(small, large < 0.5, 1.0)]
    out += [
        torch.masked_select(small, large < 0),
        large.masked_scatter(small < 0.5, torch.randn(24)),
    ]
    return out


@program
def broadcast_inplace_other_operand(torch):
    big = torch.randn(2, 3, 4)
    small = torch.randn(3, 1)
    return [
        big.clone().add_(small), big.clone().lerp_(small, 0.5), big.clone().masked_fill_(small < 0, 1.0),
        big.clone().addcmul_(small, torch.randn(4)), big.clone().copy_(small),
        big.clone().masked_scatter_(small < 0.5, torch.randn(24)),
    ]  # fmt: skip


@error(RuntimeError, r"output with shape \[3, 1\] doesn't match the broadcast shape \[2, 3, 4\]")
def broadcast_inplace_self_too_small(torch):
    torch.randn(3, 1).add_(torch.randn(2, 3, 4))


@error(RuntimeError, r"output with shape \[3, 1\] doesn't match the broadcast shape \[3, 4\]")
def broadcast_inplace_addcmul_self_too_small(torch):
    torch.randn(3, 1).addcmul_(torch.randn(3, 4), torch.randn(4))


@program
def broadcast_fused_matmul(torch):
    b, n, m, p = 2, 3, 4, 5
    return [
        torch.baddbmm(torch.randn(1, n, 1), torch.randn(b, n, m), torch.randn(b, m, p)),
        torch.addbmm(torch.randn(p), torch.randn(b, n, m), torch.randn(b, m, p)),
        torch.addmm(torch.randn(n, 1), torch.randn(n, m), torch.randn(m, p)),
        torch.addmv(torch.randn(1), torch.randn(n, m), torch.randn(m)),
        torch.addr(torch.randn(1, m), torch.randn(n), torch.randn(m)),
    ]


@program
def broadcast_batched_matmul(torch):
    full = torch.randn(2, 3, 4, 5)
    small = torch.randn(3, 5, 2)
    vec = torch.randn(5)
    out = torch.zeros(2, 3, 4, 2)
    r = torch.matmul(full, small, out=out)
    return [full @ small, full.matmul(vec), torch.matmul(torch.randn(4), full), r is out, out,
            torch.bmm(full.reshape(-1, 4, 5), small.expand(2, 3, 5, 2).reshape(-1, 5, 2))]  # fmt: skip


# ---- basic indexing ------------------------------------------------------------------------------------
@program
def index_basic_forms(torch):
    r = torch.arange(1, 28).float().view(3, 3, 3)
    f = torch.arange(243).view(3, 3, 3, 3, 3)
    return [
        r[torch.LongTensor()], r[0], r[0, 1], r[0:2], r[2, 2, 2], r[:], r[..., 2], r[0, ..., 2],
        r[0, 2, ...], r[..., 2, 2, 2], r[2, ..., 2, 2], r[2, 2, 2, ...], r[...], f[..., 1, 0],
        f[2, ..., 1, 0], f[2, 1, 0, ..., 1], r[torch.tensor([2, 0])], r[2, None], r[2, None, None],
        r[2:4, None], r[None, 2, None, None], r[None, 1:3, None, None], r[slice(0)],
        r[slice(0), 2], r[2, slice(0)], r[2, 1:1, 2], r[0:3:2], r[:, 2, 0:3:2], r[None, 2, 0:3:2],
    ]  # fmt: skip


@error(ValueError, r"slice step cannot be zero")
def index_zero_step(torch):
    torch.arange(9)[1:9:0]


@error(ValueError, r"step must be greater than zero")
def index_negative_step(torch):
    torch.arange(9)[1:9:-1]


@error(IndexError, r"too many indices for tensor of dimension 3")
def index_too_many(torch):
    torch.zeros(3, 3, 3)[1, 1, 1, 1]


@error(IndexError, r"too many indices for tensor of dimension 3")
def index_too_many_with_slice(torch):
    torch.zeros(3, 3, 3)[1, 1, 1, 1:1]


@error(
    IndexError,
    r"only integers, slices \(`:`\), ellipsis \(`\.\.\.`\), None and long or byte Variables are valid indices \(got float\)",
)
def index_with_float(torch):
    torch.zeros(3, 3)[0.0]


@error(IndexError, r"only integers, slices")
def index_float_with_slice(torch):
    torch.zeros(3, 3, 3)[0.0, :, 0.0:2.0]


@error(TypeError, r"")
def index_float_slice(torch):
    torch.zeros(3, 3, 3)[0.0:2.0]


@error(TypeError, r"Tensor does not support deleting items")
def index_delitem(torch):
    x = torch.zeros(3)
    del x[0]


# ---- advanced indexing: gets and sets ----------------------------------------------------------
_ADV_3D = [
    (slice(None), slice(None), [0, 3, 4]), (slice(None), [2, 4, 5, 7], slice(None)),
    ([2, 3], slice(None), slice(None)), (slice(None), [0, 2, 3], [1, 3, 4]),
    (slice(None), [0], [1, 2, 4]), (slice(None), [[0, 1], [1, 0]], [[2, 3]]),
    (slice(None), [[5, 6]], [[0, 3], [4, 4]]), ([[0, 1], [1, 0]], [[2, 1], [3, 5]], slice(None)),
    ([[2]], [[0, 3], [4, 1]], slice(None)), ([0, 2, 3], slice(None), [1, 3, 4]), ([0, 2],),
    ([0, 2], Ellipsis), ([0, 2], slice(None), Ellipsis), ([0, 2], Ellipsis, slice(None)),
    ([0, 2], [1, 3], Ellipsis), (Ellipsis, [1, 3], [2, 3]), (Ellipsis, [2, 3, 4]),
    (slice(None), Ellipsis, [2, 3, 4]), (slice(None), slice(None), [0, 3, 4], Ellipsis),
    ([[0, 1], [1, 0]], [[2, 1], [3, 5]], Ellipsis, slice(None)), ([-1], [0]), ([0, 2], [-1]),
]  # fmt: skip


@program
def advanced_index_get_set(torch):
    out = []
    for dtype in (torch.float64, torch.float16, torch.int32):
        ref = torch.arange(0.0, 160).view(4, 8, 5).to(dtype)
        for ix in _ADV_3D:
            a, b = ref.clone(), ref.clone()
            a[ix] = 212
            b[ix] = torch.randperm(ref[ix].numel()).view(ref[ix].shape).to(dtype)
            out += [ref[ix], a, b]
    return out


@program
def advanced_index_tensor_list_tuple(torch):
    ref = torch.arange(1.0, 7).view(3, 2)
    t = torch.tensor([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]).t_()
    rows = torch.tensor([[0, 0], [1, 2]])
    out = [
        ref[torch.tensor([0, 1, 2]), [0]], ref[(0, 1, 2), (1,)], ref[[[0, 0], [0, 1]]],
        ref[rows, ([0],)], ref[rows, torch.tensor([1, 0])], ref[[0, 2],], ref[[1], ...],
        ref[..., [1]], t[[0, 1, 2], [1]], t[[[0, 1, 1, 0, 3], [1]]], t[rows, [[0, 1], [1, 2]]],
    ]  # fmt: skip
    ref[[0], [1]] = -1
    ref[torch.tensor([0, 1, 2]), [0]] = torch.tensor([-1.0, 2, -4])
    t[rows, torch.tensor([1, 0])] = torch.tensor([[4, 6], [2, 3]])
    return out + [ref, t]


@program
def advanced_index_strided_views(torch):
    ref = torch.arange(0.0, 24).view(3, 8)
    s = ref.as_strided((2, 4), (8, 2), 1)
    w = ref.as_strided((2, 2), (7, 1), 10)
    out = [s[[0, 1], [0]], s[[1], [0, 1, 1, 0, 3]], s[[[0, 1], [1, 0]], [1, 2]], w[[0, 1], [1, 0]]]
    w[[[0], [1]], [[0, 1], [0, 1]]] = torch.tensor([[4.0, 6], [2, 3]])
    return out + [ref, w]


@error(IndexError, r"too many indices for tensor of dimension 2")
def advanced_index_too_many(torch):
    torch.zeros(3, 2)[[1], [0, 2], [3]]


@error(IndexError, r"index 10 is out of bounds for dimension 0 with size 10")
def index_int_out_of_range(torch):
    torch.zeros(10)[10]


@error(IndexError, r"index -11 is out of bounds for dimension 0 with size 10")
def index_negative_int_out_of_range(torch):
    torch.zeros(10)[-11]


@error(IndexError, r"index 10 is out of bounds for dimension 0 with size 10")
def index_list_out_of_range(torch):
    torch.zeros(10)[[10]]


@error(IndexError, r"index -11 is out of bounds for dimension 0 with size 10")
def index_tensor_out_of_range(torch):
    torch.zeros(10)[torch.tensor([-11])]


@program
def advanced_index_big(torch):
    r = torch.arange(0, 123344, dtype=torch.int)
    return r[[0, 123, 44488, 68807, 123343],]


# ---- kthvalue -------------------------------------------------------------------------------------
@program
def kthvalue_cases(torch):
    x = torch.rand(6, 7, 8, dtype=torch.float64)
    v, i = torch.empty(0, dtype=torch.float64), torch.empty(0, dtype=torch.long)
    r = torch.kthvalue(x, 3, keepdim=False, out=(v, i))
    y = torch.tensor((3.0, 5, 4, 1, 1, 5))
    n = torch.rand(5, 6)
    n[torch.arange(5), torch.tensor([0, 3, 5, 1, 1])] = float("nan")
    return [
        torch.kthvalue(x, 4), torch.sort(x)[0][..., 3], r, v, i, torch.kthvalue(x, 2, 0),
        torch.kthvalue(x.narrow(1, 0, 1), 5), torch.kthvalue(y, 3), torch.kthvalue(y, 2),
        torch.kthvalue(n, 1), torch.kthvalue(n, 6), torch.kthvalue(n, 5), torch.kthvalue(x, 1, 1, True),
    ]  # fmt: skip


@error(RuntimeError, r"kthvalue\(\): selected number k out of range for dimension 0")
def kthvalue_k_too_big(torch):
    torch.kthvalue(torch.rand(3), 4)


@program
def lu_solve_empty_and_batched(torch):
    b = torch.randn(3, 0, 3, dtype=torch.float64)
    lu, piv = torch.linalg.lu_factor(torch.randn(3, 0, 0, dtype=torch.float64))
    a = torch.randn(2, 4, 4, dtype=torch.float64) + 4 * torch.eye(4, dtype=torch.float64)
    rhs = torch.randn(2, 4, 3, dtype=torch.float64)
    lu2, piv2 = torch.linalg.lu_factor(a)
    return [torch.lu_solve(b, lu, piv).shape, torch.lu_solve(rhs, lu2, piv2), piv2]


# ---- dim reductions -------------------------------------------------------------------------------
@program
def dim_reductions_by_dtype(torch):
    out = []
    for dtype in (torch.float64, torch.float32, torch.int64, torch.int32, torch.int16, torch.uint8):
        x = torch.tensor([[1, 2, 1], [5, 3, 6]], dtype=dtype)
        y = torch.empty(0, dtype=dtype)
        torch.sum(x, 0, out=y)
        out += [
            x.sum(), x.sum(0), x.sum(1), y, x.prod(), x.prod(0), x.prod(1), x.max(), x.max(0),
            x.max(1), x.min(), x.min(0), x.argmax(), x.argmax(dim=None), x.argmax(dim=0),
            x.argmax(dim=0, keepdim=True), x[:, :2].argmax(), x.argmin(), x.argmin(dim=1, keepdim=True),
            x[:, :2].argmin(), x.sum().dtype, x.prod().dtype, x.cumsum(0).dtype,
        ]  # fmt: skip
        if dtype.is_floating_point:
            out += [x.mean(), x.mean(0), x.mean(1), x.mean((0, 1))]
    return out


@error(
    RuntimeError,
    r"mean\(\): could not infer output dtype\. Input dtype must be either a floating point or complex dtype\. Got: Long",
)
def mean_of_integers(torch):
    torch.tensor([1, 2]).mean()


@program
def dim_reductions_keepdim_and_out(torch):
    out = []
    x = torch.randn(3, 4, 5)
    one = torch.randn(1)
    s = torch.randn(3, 1, 5)
    for name in ("mean", "median", "mode", "prod", "std", "sum", "var", "max", "min", "nansum",
                 "logsumexp", "amax", "amin"):  # fmt: skip
        f = getattr(torch, name)
        for t, d in ((x, 1), (one, 0), (s, 1)):
            out += [f(t, d), f(t, d, keepdim=True)]
    for name in ("median", "mode", "max", "min"):
        y = torch.randn(5, 3)
        values, indices = torch.randn(5, 3), torch.zeros(5, 3).long() - 1
        getattr(torch, name)(y, 1, keepdim=False, out=(values[:, 1], indices[:, 1]))
        out += [values, indices]
    for name in ("mean", "prod", "sum", "std", "var"):
        z = torch.randn(5, 3)
        getattr(torch, name)(torch.randn(5, 3), 1, keepdim=False, out=z[:, 1])
        out.append(z)
    z = torch.randn(5, 3)
    torch.norm(torch.randn(5, 3), 2, 1, False, out=z[:, 1])
    return out + [z]


@program
def remainder_large_ints(torch):
    x = torch.tensor(23500, dtype=torch.int64)
    q = 392486996410368
    return [x % q, -x % q, x % -q, -x % -q, torch.fmod(-x, q), torch.remainder(x, -q)]


@program
def rpow_scalar_base(torch):
    m = torch.randn(4, 4)
    s = torch.randn(1).squeeze()
    return [
        torch.pow(2, m),
        2**m,
        torch.pow(2, s),
        2**s,
        2 ** torch.arange(5),
        2.5 ** torch.arange(3),
    ]


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def lerp_shapes(torch):
    out = []
    for a in ((), (3,), (3, 3)):
        for b in ((), (3,), (3, 3)):
            start, end = torch.randn(a), torch.randn(b)
            for w in (torch.randn(a), 0.3):
                o = torch.Tensor()
                torch.lerp(start, end, w, out=o)
                out += [torch.lerp(start, end, w), start.lerp(end, w), o]
    return out


@program
def diagflat_cases(torch):
    x = torch.randn(5)
    y = torch.randn(2, 3, 4)
    return [
        torch.diagflat(x), torch.diagflat(x, 2), torch.diagflat(x, -3), torch.diagflat(y),
        torch.diagflat(y.transpose(2, 0)), torch.diagflat(torch.tensor(3.0)),
    ]  # fmt: skip


# ---- norms and dist ------------------------------------------------------------------------------------
@program(tol={"rtol": 1e-4, "atol": 1e-5})
def norm_orders(torch):
    x = torch.randn(25)
    m = torch.randn(6, 7)
    inf = float("inf")
    out = [x.norm(p) for p in (0, 1, 2, 3, 4, inf, -inf, 0.5)]
    out += [m.norm(p, 1) for p in (0, 1, 2, 3, inf, -inf)]
    out += [
        m.norm("fro"),
        m.norm("nuc"),
        2 * torch.norm(torch.ones(100)),
        torch.norm(torch.ones(400)),
    ]
    out += [m.norm(dim=0, keepdim=True), torch.norm(m, p=2, dim=(0, 1)), m.norm(p="fro", dim=1)]
    return out


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def nuclear_norm_axes(torch):
    out = []
    for x in (torch.randn(2, 3), torch.randn(3, 2).t(), torch.randn(2, 6)[:, ::2],
              torch.randn(2, 3, 4), torch.randn(2, 3, 4)[:, ::2, ::2]):  # fmt: skip
        for axes in ((0, 1), (1, 0), (-1, -2)):
            o = torch.zeros(())
            r = torch.norm(x, "nuc", dim=axes, out=o)
            out += [torch.norm(x, "nuc", dim=axes), r is o, o.shape]
    return out


@error(RuntimeError, r"")
def nuclear_norm_1d(torch):
    torch.norm(torch.tensor([1.0, 2.0], dtype=torch.double), "nuc", (0,))


@error(RuntimeError, r"linalg\.matrix_norm: dims must be different\. Got \(0, 0\)")
def nuclear_norm_duplicate_axes(torch):
    torch.norm(torch.ones(2, 3, dtype=torch.double), "nuc", (0, 0))


@error(IndexError, r"Dimension out of range")
def nuclear_norm_invalid_axes(torch):
    torch.norm(torch.ones(2, 3, dtype=torch.double), "nuc", (0, 2))


@program
def dist_orders(torch):
    x, y = torch.randn(5), torch.randn(5)
    z, w = torch.zeros(3), torch.zeros(3)
    w[1] = 1.0
    inf = float("inf")
    return [torch.dist(a, b, p) for a, b in ((x, y), (z, w)) for p in (0, 1, 2, 3, 4, inf, -inf)]


# ---- triangular solves ---------------------------------------------------------------------------------
@program
def triangular_solve_flags(torch):
    out = []
    for upper in (True, False):
        for unit in (True, False):
            for trans in (True, False):
                a = torch.randn(2, 4, 4, dtype=torch.float64) + 4 * torch.eye(
                    4, dtype=torch.float64
                )
                a = a.triu() if upper else a.tril()
                b = torch.randn(3, 1, 4, 2, dtype=torch.float64)
                out.append(
                    torch.triangular_solve(b, a, upper=upper, unitriangular=unit, transpose=trans)
                )
                out.append(torch.linalg.solve_triangular(a, b, upper=upper, unitriangular=unit))
    return out


# ---- qr, randperm, random_ ------------------------------------------------------------------------
@program(tol={"rtol": 1e-4, "atol": 1e-5})
def qr_shapes_and_out(torch):
    out = []
    for dims in ((3, 5), (5, 5), (5, 3), (2, 5, 3)):
        a = torch.randn(*dims)
        for some in (True, False):
            q, r = torch.qr(a, some=some)
            qo, ro = torch.Tensor(), torch.Tensor()
            torch.qr(a, some=some, out=(qo, ro))
            out += [q.shape, r.shape, qo.shape, torch.matmul(q, r), r.triu()]
    return out


@program
def randperm_out_and_dtypes(torch):
    out = []
    for dtype in (torch.long, torch.half, torch.float, torch.int32):
        torch.manual_seed(3)
        a = torch.randperm(50, dtype=dtype)
        b = torch.empty(0, dtype=dtype)
        torch.manual_seed(3)
        torch.randperm(50, out=b, dtype=dtype)
        out += [a.dtype, torch.equal(a, b), a.sort()[0]]
    r = torch.tensor(5)
    torch.randperm(0, out=r)
    return out + [torch.randperm(10).dtype, torch.randperm(0).shape, r.shape]


@error(RuntimeError, r"Trying to create tensor with negative dimension -1: \[-1\]")
def randperm_negative(torch):
    torch.randperm(-1)


@program
def randperm_noncontiguous_out(torch):
    t = torch.zeros((2, 3), dtype=torch.long).t()
    torch.randperm(6, out=t)
    return t.sort(0)[0].shape, t.flatten().sort()[0]


@program
def random_negative_ranges(torch):
    out = []
    for dtype in (torch.float64, torch.float32, torch.int64, torch.int32, torch.int16):
        r = torch.rand(20, 20).to(dtype)
        r.random_(-10, -1)
        out += [bool(r.max() <= -2), bool(r.min() >= -10), r.dtype]
    return out


@error(RuntimeError, r"random_ expects 'from' to be less than 'to', but got from=5 >= to=2")
def random_from_not_below_to(torch):
    torch.empty(3).random_(5, 2)


# ---- triu / tril ---------------------------------------------------------------------------------------
@program
def triu_tril_shapes_dtypes(torch):
    out = []
    shapes = ((3, 3), (2, 3, 3), (3, 5), (5, 3), (3, 0), (0, 3, 3), (3, 1), (1, 3), (1, 2, 3, 3))
    for dtype in (torch.float32, torch.int64, torch.bool, torch.float16, torch.uint8):
        for shape in shapes:
            x = torch.empty(*shape, dtype=dtype).fill_(2)
            for d in (-2, 0, 1):
                for fn in (torch.triu, torch.tril):
                    o = torch.empty(0, dtype=dtype)
                    fn(x, diagonal=d, out=o)
                    out += [fn(x, d), o]
    return out


@program
def triu_tril_inplace_noncontiguous_and_expanded(torch):
    x = torch.arange(1.0, 25).view(2, 3, 4)
    out = []
    for s in (-3, -2):
        nc = x.clone().transpose(s, s + 1)
        was = nc.is_contiguous()
        out += [torch.triu(nc, 1), nc.triu_(1), nc.is_contiguous() == was]
        nc = x.clone().transpose(s, s + 1)
        out += [torch.tril(nc, -1), nc.tril_(-1)]
    e = torch.arange(1.0, 7).view(2, 3).expand(2, 2, 3)
    return out + [torch.triu(e), torch.tril(e, 1), e.stride()]


@error(RuntimeError, r"triu: input tensor must have at least 2 dimensions")
def triu_1d(torch):
    torch.triu(torch.ones(3))


@error(RuntimeError, r"tril: input tensor must have at least 2 dimensions")
def tril_inplace_1d(torch):
    torch.ones(3).tril_()


# ---- linear algebra on empty matrices ---------------------------------------------------------------
@program
def lapack_empty_inputs(torch):
    def r(*s):
        return torch.randn(*s)

    q1, r1 = torch.linalg.qr(r(3, 0))
    q2, r2 = torch.linalg.qr(r(0, 3))
    q3, r3 = torch.linalg.qr(r(3, 0), mode="complete")
    ev, evec = torch.linalg.eigh(r(0, 0))
    return [
        torch.inverse(r(0, 0)).shape, torch.pinverse(r(0, 5)).shape, torch.pinverse(r(5, 0)).shape,
        torch.pinverse(r(0, 0)).shape, torch.det(r(0, 0)), torch.logdet(r(0, 0)),
        torch.slogdet(r(0, 0)), ev.shape, evec.shape, q1.shape, r1.shape, q2.shape, r2.shape,
        q3.shape, r3.shape, torch.inverse(r(2, 0, 0)).shape, torch.det(r(3, 0, 0)),
    ]  # fmt: skip


# ---- roll ------------------------------------------------------------------------------------------------
@program
def roll_cases(torch):
    n = torch.arange(1, 9)
    d = n.view(2, 4)
    s = n.view(2, 4).transpose(0, 1)
    return [
        n.roll(1, 0), n.roll(-2, 0), n.view(2, 2, 2).roll(1, 0), d.roll(2, 0).roll(4, 1),
        d.roll(-20, 0).roll(-40, 1), s.roll(1, 0), d.roll(1), d.roll(1, dims=None),
        d.roll(shifts=(2, -1), dims=(1, 0)), torch.roll(d, 3, -1), torch.roll(torch.tensor([]), 2),
        torch.roll(torch.empty(0, 3), 1, 0),
    ]  # fmt: skip


@error(RuntimeError, r"`shifts` required")
def roll_no_shifts(torch):
    torch.arange(8).view(2, 4).roll(shifts=(), dims=())


@error(RuntimeError, r"shifts and dimensions must align\. shifts: 2, dims:1")
def roll_misaligned(torch):
    torch.arange(8).view(2, 4).roll(shifts=(1, 2), dims=(1,))


@error(RuntimeError, r"shifts and dimensions must align\. shifts: 1, dims:2")
def roll_misaligned_dims(torch):
    torch.arange(8).view(2, 4).roll(shifts=(1,), dims=(1, 0))


# ---- nonzero on empty and 0-d ----------------------------------------------------------------------
@program
def nonzero_empty_and_scalar(torch):
    x = torch.randn(0, 2, 0, 5, 0)
    return [
        torch.nonzero(x), torch.nonzero(x, as_tuple=True), torch.nonzero(torch.tensor(0.5)),
        torch.nonzero(torch.tensor(0.5), as_tuple=True), torch.nonzero(torch.zeros(())),
        torch.nonzero(torch.zeros(()), as_tuple=True), torch.tensor(3).nonzero(as_tuple=True),
    ]  # fmt: skip


# ---- normal and other samplers: shapes, dtypes, broadcasting ----------------------------------------
@program
def normal_forms_shapes(torch):
    mean = torch.zeros(4, 5)
    mean[2:] = 1
    std = torch.ones(4, 5)
    q = torch.zeros(4, 5)  # not empty(): uninitialised memory may hold NaN, never equal
    row = q[0:1].clone()
    q[3:4].normal_()
    return [
        torch.normal(mean).shape, torch.normal(mean, 3).shape, torch.normal(2, std).shape,
        torch.normal(mean, std).shape, torch.normal(2, 3, (4, 5)).shape, torch.equal(q[0:1], row),
        torch.normal(2.0, 3.0, size=(2,), dtype=torch.float64).dtype,
        torch.normal(mean.double(), 1.0).dtype, torch.normal(mean, std[0]).shape,
        torch.empty(3, dtype=torch.float64).normal_(2, 3).dtype,
    ]  # fmt: skip


@error(RuntimeError, r"normal expects std >= 0\.0, but found std -1")
def normal_negative_std(torch):
    torch.normal(torch.zeros(3), -1.0)


@error(RuntimeError, r"normal expects all elements of std >= 0\.0")
def normal_negative_std_tensor(torch):
    torch.normal(torch.zeros(3), torch.tensor([1.0, -1.0, 1.0]))


@program
def log_normal_and_geometric(torch):
    a = torch.tensor([10], dtype=torch.float).log_normal_()
    b = torch.tensor([10], dtype=torch.float).geometric_(0.5)
    c = torch.empty(50).geometric_(0.3)
    d = torch.empty(4, dtype=torch.float64).exponential_()
    e = torch.empty(4).cauchy_()
    return [a.dtype, a.shape, bool(a > 0), b.dtype, b.shape, bool((c >= 1).all()),
            bool((c == c.round()).all()), d.dtype, bool((d > 0).all()), e.shape]  # fmt: skip


# ---- empty_strided ----------------------------------------------------------------------------------
@program
def empty_strided_geometry(torch):
    out = []
    for shape, strides in [((2, 3, 4), st) for st in ((12, 4, 1), (2, 4, 6), (0, 0, 0))] + [
        ((0, 2, 0), (12, 4, 1)),
        ((0, 2, 0), (2, 4, 6)),
    ]:  # an empty one with all-zero strides: numpy's fresh empty arrays look alike (not asserted)
        e = torch.empty_strided(shape, strides)
        out += [e.shape, e.stride(), e.is_contiguous()]
    return out


# ---- sign -----------------------------------------------------------------------------------------------
@program
def sign_dtypes(torch):
    out = []
    for dtype in (torch.float32, torch.float64, torch.float16):
        fi = torch.finfo(dtype)
        a = torch.tensor([float("nan"), -12, 0, 71, fi.min, fi.max], dtype=dtype)
        o = torch.empty_like(a)
        torch.sign(a, out=o)
        out += [a.sign(), torch.sign(a), o, a.clone().sign_(), torch.sgn(a), a.signbit()]
    for dtype in (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64):
        ii = torch.iinfo(dtype)
        a = torch.tensor([12, 0, 71, ii.min, ii.max], dtype=dtype)
        o = torch.empty_like(a)
        torch.sign(a, out=o)
        out += [a.sign(), o, a.clone().sign_()]
    b = torch.tensor([True, True, False, float("nan")]).bool()
    ob = torch.empty_like(b)
    torch.sign(b, out=ob)
    return out + [b, b.sign(), ob, b.clone().sign_()]


# ---- any / all on uint8 and bool ------------------------------------------------------------------
@program
def any_all_uint8(torch):
    x = torch.zeros([2, 3, 40], dtype=torch.uint8)
    y = torch.ones([2, 3, 40], dtype=torch.uint8)
    out = [x.any(), x.any(0, keepdim=True), x.any(1, keepdim=True), x.any(2, keepdim=True)]
    out += [y.all(), y.all(0, keepdim=True), y.all(2, keepdim=True)]
    x[-1][-1][-1] = 1
    y[-1][-1][-1] = 0
    out += [x.any(), x.any(0, keepdim=True), x.any(1, keepdim=True), x.any(2)]
    out += [y.all(), y.all(0, keepdim=True), y.all(1, keepdim=True), y.all(2)]
    f = torch.tensor([[0.0, 2.0], [0.0, 0.0]])
    return out + [f.any(), f.any(1), f.all(0), torch.any(f, dim=(0, 1)), torch.tensor([]).all()]


# ---- pairwise distances on empty inputs ----------------------------------------------------------
@program
def pairwise_pdist_cdist_empty(torch):
    return [
        torch.pairwise_distance(torch.randn(2, 0), torch.randn(2, 0)),
        torch.pairwise_distance(torch.randn(2, 0), torch.randn(2, 0), keepdim=True),
        torch.pairwise_distance(torch.randn(0, 2), torch.randn(0, 2)),
        torch.pairwise_distance(torch.randn(0, 2), torch.randn(0, 2), keepdim=True),
        torch.pdist(torch.randn(0, 2)), torch.pdist(torch.randn(1, 2)), torch.pdist(torch.randn(3, 0)),
        torch.cdist(torch.randn(0, 5), torch.randn(4, 5)), torch.cdist(torch.randn(2, 5), torch.randn(0, 5)),
        torch.cdist(torch.randn(2, 0), torch.randn(3, 0)), torch.cdist(torch.randn(2, 0), torch.randn(0, 0)),
    ]  # fmt: skip


@program(tol={"rtol": 1e-4, "atol": 1e-4})
def cdist_orders_and_layouts(torch):
    out = []
    for p in (0, 1, 2, 3, 1.5, 2.5, float("inf")):
        x, y = torch.randn(3, 4), torch.randn(5, 4)
        out += [
            torch.cdist(x, y, p=p),
            torch.cdist(torch.randn(2, 3, 4), torch.randn(2, 5, 4), p=p),
        ]
    for cm in ("use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist"):
        out += [
            torch.cdist(torch.randn(5, 7).t(), torch.randn(5, 3).t(), compute_mode=cm),
            torch.cdist(
                torch.randn(2, 2, 5, 7).transpose(-1, -2), torch.randn(2, 3, 5), compute_mode=cm
            ),
        ]
    return out


@error(RuntimeError, r"cdist only supports at least 2D tensors, X1 got: 1D")
def cdist_1d(torch):
    torch.cdist(torch.randn(3), torch.randn(2, 3))


@error(RuntimeError, r"X1 and X2 must have the same number of columns\. X1: 3 X2: 4")
def cdist_columns_mismatch(torch):
    torch.cdist(torch.randn(2, 3), torch.randn(2, 4))


@error(RuntimeError, r"cdist only supports non-negative p values")
def cdist_negative_p(torch):
    torch.cdist(torch.randn(2, 3), torch.randn(2, 3), p=-1)


# ---- multinomial constraints -----------------------------------------------------------------------
@error(RuntimeError, r"prob_dist must be 1 or 2 dim")
def multinomial_3d(torch):
    torch.multinomial(torch.ones(1, 2, 3, dtype=torch.double), 2)


@error(RuntimeError, r"multinomial only supports floating-point dtypes for input, got: Long")
def multinomial_long_input(torch):
    torch.multinomial(torch.ones(1, 2, dtype=torch.long), 2)


@error(RuntimeError, r"multinomial expects Long tensor out, got: Double")
def multinomial_double_out(torch):
    torch.multinomial(
        torch.ones(1, 2, dtype=torch.double), 2, out=torch.empty(1, 2, dtype=torch.double)
    )


@error(RuntimeError, r"cannot sample n_sample <= 0 samples")
def multinomial_zero_samples(torch):
    torch.multinomial(torch.ones(2, dtype=torch.double), 0)


@error(RuntimeError, r"cannot sample n_sample <= 0 samples")
def multinomial_negative_samples(torch):
    torch.multinomial(torch.ones(2, dtype=torch.double), -1)


@error(RuntimeError, r"cannot sample n_sample > prob_dist\.size\(-1\) samples without replacement")
def multinomial_too_many_without_replacement(torch):
    torch.multinomial(torch.ones(2, dtype=torch.double), 3, False)


@program
def multinomial_out_and_shapes(torch):
    o = torch.empty(0, dtype=torch.long)
    torch.multinomial(torch.tensor([0.0, 1.0, 0.0]), 4, True, out=o)
    p = torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 2.0]])
    return [
        o,
        torch.multinomial(p, 1),
        torch.multinomial(p, 3, replacement=True),
        torch.multinomial(p, 1).dtype,
    ]


# ---- add / sub / mul typing ---------------------------------------------------------------------------
@program
def add_typing_cases(torch):
    m = torch.randn(4, 4)
    one = torch.tensor(1, dtype=torch.uint8)
    m2 = torch.randn(4, 4).t()
    b1 = torch.tensor([True, False, False, True, False, False])
    b2 = torch.tensor([True, True, False, False, False, True])
    r = m.clone()
    r[:, 3].add_(2)
    r[1].mul_(2)
    return [
        torch.add(m[1], m[:, 2]), r, m + 3, m + torch.tensor(3), 3 + m, torch.tensor(3) + m,
        torch.add(one, 1), torch.add(one, 1).dtype, (m + m2).is_contiguous(), m + m2,
        torch.tensor([1.0]) + torch.tensor([]), b1 + b2, torch.add(torch.zeros(2, 3, dtype=torch.bool),
        torch.zeros(2, 3, dtype=torch.bool), alpha=0), b1 * b2, torch.add(b1, b2, alpha=True),
        (torch.tensor([1.0, 2.0], dtype=torch.bfloat16) + torch.tensor([3.0, 4.0], dtype=torch.bfloat16)).float(),
        torch.add(torch.tensor([1, 2]), torch.tensor([3, 4]), alpha=2),
        torch.sub(torch.tensor([1.0]), torch.tensor([3.0]), alpha=0.5),
    ]  # fmt: skip


@error(RuntimeError, r"Boolean alpha only supported for Boolean results\.")
def add_bool_alpha_int(torch):
    torch.add(torch.tensor([1], dtype=torch.int8), torch.tensor([2], dtype=torch.int8), alpha=True)


@error(
    RuntimeError,
    r"For integral input tensors, argument alpha must not be a floating point number\.",
)
def add_float_alpha_int(torch):
    torch.add(torch.tensor([1], dtype=torch.int8), torch.tensor([2], dtype=torch.int8), alpha=1.0)


@error(RuntimeError, r"Boolean alpha only supported for Boolean results\.")
def sub_bool_alpha_int(torch):
    torch.sub(torch.tensor([1], dtype=torch.int8), torch.tensor([2], dtype=torch.int8), alpha=True)


@error(
    RuntimeError,
    r"For integral input tensors, argument alpha must not be a floating point number\.",
)
def sub_float_alpha_int(torch):
    torch.sub(torch.tensor([1]), torch.tensor([2]), alpha=1.0)


@error(RuntimeError, r"Subtraction, the `\-` operator, with two bool tensors is not supported\. "
       r"Use the `\^` or `logical_xor\(\)` operator instead\.")  # fmt: skip
def sub_two_bools(torch):
    return torch.tensor([True, False]) - torch.tensor([True, True])


@error(RuntimeError, r"Subtraction, the `\-` operator, with a bool tensor is not supported\. "
       r"If you are trying to invert a mask, use the `\~` or `logical_not\(\)` operator instead\.")  # fmt: skip
def rsub_bool(torch):
    return 1 - torch.tensor([True, False])


@error(RuntimeError, r"Subtraction, the `\-` operator, with a bool tensor is not supported\. "
       r"If you are trying to invert a mask, use the `\~` or `logical_not\(\)` operator instead\.")  # fmt: skip
def sub_bool_scalar(torch):
    return torch.tensor([True, False]) - 1


@program
def bfloat16_mul(torch):
    a1 = torch.tensor([0.1, 0.1], dtype=torch.bfloat16)
    a2 = torch.tensor([1.1, 0.1], dtype=torch.bfloat16)
    return (a1 * a2).float(), a1.mul(a2).float(), (a1 * a2).dtype


# ---- cumsum / cumprod ------------------------------------------------------------------------------
@program
def cumsum_cumprod_out_and_bool(torch):
    x = torch.rand(5, 6)
    s, p = torch.Tensor(), torch.Tensor()
    torch.cumsum(x, 1, out=s)
    torch.cumprod(x, 1, out=p)
    a = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
    b = a.byte()
    return [
        s, p, torch.cumsum(a, 0), torch.cumsum(b, 0), torch.cumsum(a, 1), torch.cumprod(a, 0),
        torch.cumprod(b, 0), torch.cumprod(a, 1), torch.cumsum(a, 0, dtype=torch.float32),
        torch.cumsum(torch.tensor([1, 2], dtype=torch.int32), 0), a.cumsum(1).dtype,
    ]  # fmt: skip


# ---- std_mean / var_mean --------------------------------------------------------------------------
@program
def std_var_mean(torch):
    x = torch.rand(5, 4, 3)
    out = []
    for dim in (0, 1, 2, (0, 2), (1, 2), None):
        for unbiased in (False, True):
            for keepdim in (False, True):
                if dim is None and keepdim:
                    continue
                kw = {} if dim is None else {"dim": dim, "keepdim": keepdim}
                out += [torch.std_mean(x, unbiased=unbiased, **kw),
                        torch.var_mean(x, unbiased=unbiased, **kw)]  # fmt: skip
    out += [torch.var_mean(x, 1, correction=0), torch.std_mean(x, dim=[0, 1], correction=2)]
    return out


# ---- apply_ / map_ / map2_ ---------------------------------------------------------------------------
@program
def apply_map_map2_values(torch):
    x = torch.arange(1, 6)
    a = torch.randn(3, 3)
    b, c = torch.randn(3), torch.randn(1, 3)
    return [
        x.clone().apply_(lambda k: k + k), torch.arange(3).apply_(lambda k: 2.7),
        torch.tensor([True, False]).apply_(lambda k: 2), a.clone().map_(b, lambda p, q: p + q),
        a.clone().map2_(b, c, lambda p, q, r: p + q * r), torch.empty(0).apply_(lambda k: "never"),
    ]  # fmt: skip


@error(TypeError, r"'str' object cannot be interpreted as an integer")
def apply_returns_str_int_tensor(torch):
    torch.arange(1, 6).apply_(lambda k: "str")


@error(TypeError, r"must be real number, not NoneType")
def apply_returns_none_float_tensor(torch):
    torch.arange(3.0).apply_(lambda k: None)


@error(TypeError, r"'str' object is not callable")
def map_not_callable(torch):
    torch.ones(3, 3).map_(torch.ones(3), "str")


@error(TypeError, r"'int' object is not callable")
def apply_not_callable(torch):
    torch.ones(3).apply_(5)


@error(
    RuntimeError,
    r"Can't call map2_\(\) on Variable that requires grad\. Use var\.detach\(\)\.map2_\(\) instead\.",
)
def map2_other_requires_grad(torch):
    torch.ones(3, 3).map2_(torch.ones(3), torch.ones(1, 3, requires_grad=True), lambda a, b, c: a)


@error(
    RuntimeError,
    r"Can't call map_\(\) on Variable that requires grad\. Use var\.detach\(\)\.map_\(\) instead\.",
)
def map_other_requires_grad(torch):
    torch.ones(3).map_(torch.ones(3, requires_grad=True), lambda a, b: a + b)


@error(RuntimeError, r"Expect a 1D vector, but got shape \[2, 2\]")
def cartesian_prod_2d(torch):
    torch.cartesian_prod(torch.ones(2), torch.ones(2, 2))


@error(RuntimeError, r"Expect a 1D vector, but got shape \[\]")
def cartesian_prod_single_0d(torch):
    torch.cartesian_prod(torch.tensor(1.0))


@error(RuntimeError, r"Expect a non-negative number, but got -1")
def combinations_negative_r(torch):
    torch.combinations(torch.ones(2), r=-1)


# ---- out= of the functions with three results, svd without U and V, geqrf -----------------------
@program
def svd_out_without_uv(torch):
    x = torch.randn(4, 3, dtype=torch.float64)
    u, s, v = (torch.empty(0, dtype=torch.float64) for _ in range(3))
    r = torch.svd(x, some=True, compute_uv=False, out=(u, s, v))
    fat = torch.svd(x.t(), compute_uv=False)
    return [u, s, v, r[0] is u, r[2] is v, fat.U, fat.V, fat.S, torch.svd(x, compute_uv=False).V]


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def three_results_out(torch):
    a = torch.randn(3, 3) + 3 * torch.eye(3)
    p, lo, up = torch.empty(0), torch.empty(0), torch.empty(0)
    r = torch.linalg.lu(a, out=(p, lo, up))
    return [p, lo, up, type(r).__name__, r.U is up]


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def geqrf_out(torch):
    a = torch.randn(4, 3)
    b, c = torch.empty(0), torch.empty(0)
    r = torch.geqrf(a, out=(b, c))
    return [torch.geqrf(a), b, c, type(r).__name__, r[0] is b]


# ---- sizes are ints: a float is a TypeError, not truncated --------------------------------------
@error(TypeError, r"type must be tuple of ints,but got float")
def view_float_size(torch):
    torch.ones(6).view(2, 3.0)


@error(TypeError, r"")
def reshape_float_size(torch):
    torch.ones(6).reshape(2.5, 2)


@error(TypeError, r"")
def expand_float_size(torch):
    torch.ones(6).expand(2.0, 6)


@error(TypeError, r"must be tuple of ints")
def repeat_float(torch):
    torch.ones(6).repeat(2.0)


@program
def sizes_from_integer_scalars(torch):
    import numpy as np

    x = torch.arange(6)
    return [x.view(torch.tensor(2), 3), x.view(np.int64(3), 2), x.reshape([torch.tensor(3), 2]),
            x.view(torch.Size([3, 2])), x.expand(2, 6).shape, x.repeat(np.int32(2))]  # fmt: skip


@program
def config_show_and_parallel_info(torch):
    show, info = torch.__config__.show(), torch.__config__.parallel_info()
    return [isinstance(show, str), "built with" in show, "get_num_threads()" in info]


@program
def config_parallel_info_follows_threads(torch):
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return "get_num_threads() : 1" in torch.__config__.parallel_info()
    finally:
        torch.set_num_threads(before)


# ---- subclassing, H / adjoint --------------------------------------------------------------------
@error(TypeError, r"type 'torch\.FloatTensor' is not an acceptable base type")
def subclass_typed_tensor(torch):
    class Foo1(torch.FloatTensor):
        pass


@program
def subclass_tensor_allowed(torch):
    class Foo2(torch.Tensor):
        def foo(self):
            return 5

    f = Foo2()
    return [f.foo(), type(f).__name__, isinstance(torch.ones(2), torch.FloatTensor)]


@error(
    RuntimeError,
    r"tensor\.H is only supported on matrices \(2-D tensors\)\. Got 3-D tensor\. For batches of matrices, consider using tensor\.mH$",
)
def H_of_3d(torch):
    torch.ones(2, 2, 2).H


@error(RuntimeError, r"tensor\.H is only supported on matrices \(2-D tensors\)\. Got 1-D tensor\.$")
def H_of_1d(torch):
    torch.ones(2).H


@error(
    RuntimeError,
    r"tensor\.adjoint\(\) is only supported on matrices or batches of matrices\. Got 1-D tensor\.",
)
def adjoint_of_1d(torch):
    torch.ones(3).adjoint()


@program
def adjoint_of_batches(torch):
    x = torch.arange(12.0).view(2, 2, 3)
    return [x.adjoint(), torch.adjoint(x[0]), x.mH, x[0].H]


@error(
    RuntimeError,
    r"The size of tensor a \(3\) must match the size of tensor b \(2\) at non-singleton dimension 1",
)
def normal_mean_std_not_broadcastable(torch):
    torch.normal(torch.zeros(2, 3), torch.ones(3, 2))


@error(
    TypeError,
    r"normal\(\) received an invalid combination of arguments - got \(Tensor, float, size=tuple\)",
)
def normal_tensor_mean_with_size(torch):
    torch.normal(torch.zeros(3), 1.0, size=(3,))


@program
def normal_broadcasts_mean_and_std(torch):
    return [torch.normal(torch.zeros(2, 1), torch.ones(3)).shape, torch.normal(torch.zeros(3), 2.0).shape,
            torch.normal(1.0, torch.ones(2, 2)).shape, torch.normal(0.0, 1.0, size=(2,)).shape]  # fmt: skip


@error(RuntimeError, r"linalg\.matrix_norm: dim must be a 2-tuple\. Got 0 1 2")
def nuclear_norm_of_3d_without_dim(torch):
    torch.ones(2, 2, 2).norm("nuc")


@error(RuntimeError, r"linalg\.matrix_norm: dim must be a 2-tuple\. Got -1 0 1")
def fro_norm_three_dims(torch):
    torch.ones(2, 2, 2).norm("fro", dim=(-1, 0, 1))


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def fro_and_nuc_norm_dims(torch):
    x = torch.randn(2, 3, 4)
    return [x.norm("fro"), x.norm("fro", dim=0), x.norm("fro", dim=(0, 2)), x.norm("fro", dim=[]),
            x[0].norm("nuc"), x[0].norm("nuc", keepdim=True), x.norm("nuc", dim=(1, 2))]  # fmt: skip


# ---- index errors name the index tensor; repeated Ellipsis ----------------------------------------
@error(IndexError, r"index 9 is out of bounds for dimension 0 with size 5")
def index_tensor_after_slices_out_of_range(torch):
    torch.zeros(3, 4, 5)[:, :, [9]]


@error(IndexError, r"index 9 is out of bounds for dimension 1 with size 5")
def second_index_tensor_out_of_range(torch):
    torch.zeros(3, 4, 5)[[0], :, [9]]


@error(IndexError, r"index -6 is out of bounds for dimension 0 with size 5")
def setitem_index_tensor_out_of_range(torch):
    x = torch.zeros(4, 5)
    x[:, [-6]] = 1.0


@error(IndexError, r"index 7 is out of bounds for dimension 0 with size 5")
def index_tensor_after_ellipsis_out_of_range(torch):
    torch.zeros(3, 4, 5)[..., [7]]


@program
def repeated_ellipsis(torch):
    x = torch.arange(60.0).view(3, 4, 5)
    y = torch.zeros(3, 4)
    y[..., 1, ...] = 5
    return [x[..., ...], x[..., 0, ...], x[0, ..., [1], ...], x[1, ..., 2, ...], y]


@program
def lerp_zero_dim_weight_of_other_dtype(torch):
    w = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    a = torch.zeros(3, requires_grad=True)
    r = torch.lerp(a, torch.ones(3), w)
    r.sum().backward()
    h = torch.zeros(3, dtype=torch.float16)
    return [r, r.grad_fn.name(), w.grad, a.grad, torch.lerp(torch.zeros(3), torch.ones(3), torch.tensor(1)),
            torch.lerp(h, torch.ones(3, dtype=torch.float16), torch.tensor(0.3, dtype=torch.float64)),
            torch.zeros(3).lerp_(torch.ones(3), torch.tensor(0.3, dtype=torch.float64))]  # fmt: skip


@error(RuntimeError, r"expected dtype float for `weight` but got dtype double")
def lerp_one_dim_weight_of_other_dtype(torch):
    torch.lerp(torch.zeros(3), torch.ones(3), torch.tensor([0.5], dtype=torch.float64))


# ---- legacy constructors given a tensor --------------------------------------------------------------
@program
def legacy_constructor_aliases_tensor(torch):
    a = torch.tensor([1, 2])
    b = torch.Tensor(a)
    c = torch.LongTensor(a)
    b[0] = 7
    return [b.dtype, c.dtype, a, c, torch.Tensor(torch.ones(2, dtype=torch.float64)).dtype]


@error(
    TypeError,
    r"expected TensorOptions\(dtype=float, device=cpu, .*\) \(got TensorOptions\(dtype=long int, device=cpu",
)
def typed_constructor_other_dtype_tensor(torch):
    torch.FloatTensor(torch.tensor([1, 2]))


@error(
    RuntimeError,
    r"The expanded size of the tensor \(3\) must match the existing size \(2\) at non-singleton dimension 1\.  Target sizes: \[2, 3\]\.  Tensor sizes: \[3, 2\]",
)
def map_other_not_broadcastable(torch):
    torch.zeros(2, 3).map_(torch.ones(3, 2), lambda a, b: a + b)


@error(
    RuntimeError,
    r"the number of sizes provided \(1\) must be greater or equal to the number of dimensions in the tensor \(2\)",
)
def map_self_smaller_than_other(torch):
    torch.zeros(3).map_(torch.ones(2, 3), lambda a, b: a + b)


@error(RuntimeError, r"The expanded size of the tensor \(3\) must match the existing size \(4\)")
def map2_other_not_broadcastable(torch):
    torch.zeros(2, 3).map2_(torch.ones(3), torch.ones(4), lambda a, b, c: a)


@error(TypeError, r"pow\(\) received an invalid combination of arguments - got \(int, int\)")
def pow_of_two_numbers(torch):
    torch.pow(2, 3)


@error(TypeError, r"pow\(\) received an invalid combination of arguments - got \(float, int\)")
def pow_of_two_numbers_negative(torch):
    torch.pow(2.0, -1)


@program
def pow_integer_dtypes(torch):
    out = []
    for d in (torch.int8, torch.uint8, torch.int16, torch.int32):
        b = torch.tensor([1, 2, 3], dtype=d)
        out += [torch.pow(b, e) for e in (0, 1, 2, 3, 0.5, 3.3)] + [torch.pow(3, b), b.pow(b)]
    return out + [
        torch.pow(torch.tensor([-2, -3], dtype=torch.int32), 3),
        torch.pow(-2, torch.tensor([1, 2, 3])),
    ]
