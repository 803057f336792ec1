"""Sweep 17: in-place writes into expanded tensors, unsafe_split/unsafe_chunk, fused graph
nodes, against PyTorch (the oracle)."""

import warnings

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
OVERLAP = r"more than one element of the written-to tensor refers to a single memory location"


def _expanded(torch):
    base = torch.zeros(3)
    return base, base.expand(2, 3)


# ---- writes into expanded tensors ---------------------------------------------------------
@program
def fill_expanded_writes_base(torch):
    base, x = _expanded(torch)
    x.fill_(5)
    return base, x, base._version, x._version


@program
def zero_expanded_int(torch):
    base = torch.arange(3)
    out = base.expand(4, 3).zero_()
    return base, out, base._version


@program
def fill_broadcast_to_and_expand_as(torch):
    a, b = torch.zeros(3), torch.zeros(3, 1)
    torch.broadcast_to(a, (2, 3)).fill_(2)
    b.expand_as(torch.ones(3, 4)).fill_(7.5)
    return a, b


@program
def setitem_row_of_expanded(torch):
    base, x = _expanded(torch)
    x[0] = 7
    x[1, 2] = -1
    return base, base._version


@program
def setitem_row_tensor_and_0d(torch):
    base, x = _expanded(torch)
    x[0] = torch.tensor([1.0, 2.0, 3.0])
    y = torch.zeros(2).expand(3, 2)
    y[1] = torch.tensor(4.0)
    return base, y


@program
def setitem_advanced_on_expanded(torch):
    base, x = _expanded(torch)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        x[torch.tensor([0])] = 3.0
        x[torch.tensor([[False, True, False], [False, False, False]])] = 9.0
    return base, [str(w.message)[:40] for w in caught]


@program
def inplace_on_non_overlapping_expanded(torch):
    a = torch.zeros(1)
    a.expand(1, 1).add_(1)
    b = torch.zeros(3)
    b.expand(2, 3)[0].mul_(2).add_(1)
    c = torch.zeros(1)
    c.expand(3).fill_(1)
    c.expand(3).zero_()
    return a, b, c, c._version


@program
def setitem_element_of_expanded_with_grad(torch):
    a = torch.ones(3, requires_grad=True)
    b = a * 2
    x = b.expand(2, 3)
    x[0, 1] = 5.0
    (b * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    return b, a.grad, type(x.grad_fn).__name__, type(b.grad_fn).__name__


@error(RuntimeError, OVERLAP)
def setitem_column_of_expanded(torch):
    _, x = _expanded(torch)
    x[:, 1] = 7.0


@error(RuntimeError, OVERLAP)
def setitem_all_of_expanded(torch):
    _, x = _expanded(torch)
    x[...] = 7.0


@error(RuntimeError, OVERLAP)
def fill_expanded_with_tensor(torch):
    _, x = _expanded(torch)
    x.fill_(torch.tensor(3.0))


@error(RuntimeError, OVERLAP)
def add_expanded(torch):
    _, x = _expanded(torch)
    x.add_(1)


@error(RuntimeError, OVERLAP)
def copy_expanded(torch):
    _, x = _expanded(torch)
    x.copy_(torch.tensor(4.0))


# ---- unsafe_split / unsafe_chunk ----------------------------------------------------------
@program
def unsafe_split_inplace(torch):
    a = torch.arange(6.0, requires_grad=True)
    pieces = torch.unsafe_split(a * 1, 2)
    pieces[0].mul_(2)
    out = pieces[0].sum() + 3 * pieces[2].sum()
    out.backward()
    node = pieces[0].grad_fn
    return a.grad, type(node).__name__, type(node.next_functions[0][0]).__name__


@program
def unsafe_chunk_writes_through(torch):
    b = torch.zeros(6)
    pieces = b.unsafe_chunk(2)
    pieces[1].add_(1)
    return b, b._version, pieces[0]._version, pieces[1]._version


@program
def unsafe_split_node_names(torch):
    a = torch.ones(6, requires_grad=True)
    y = a * 1
    return [
        type(y.unsafe_split(2)[0].grad_fn).__name__,
        type(torch.unsafe_chunk(y, 3)[1].grad_fn).__name__,
        type(torch.unsafe_split_with_sizes(y, [2, 4])[0].grad_fn).__name__,
        type(y.unsafe_split_with_sizes([1, 5])[1].grad_fn).__name__,
        type(torch.split(y, [2, 4])[0].grad_fn).__name__,
    ]


@program
def unsafe_chunk_backward_values(torch):
    a = torch.linspace(-1, 1, 8, dtype=torch.float64, requires_grad=True)
    p, q = torch.unsafe_chunk(a.exp(), 2)
    q.add_(p).relu_()
    q.pow(2).sum().backward()
    return q, a.grad


@error(RuntimeError, "is a view and is being modified inplace")
def split_pieces_still_refused(torch):
    a = torch.ones(6, requires_grad=True)
    torch.split(a * 1, 2)[0].mul_(2)


# ---- graph nodes -----------------------------------------------------------------------------
def _nodes(fn, depth=0):
    """The node names of a graph, depth first (a few levels)."""
    if fn is None or depth > 3:
        return []
    names = ["  " * depth + type(fn).__name__]
    for nxt, _ in fn.next_functions:
        names += _nodes(nxt, depth + 1)
    return names


@program
def rsub_nodes_and_grads(torch):
    x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    w = torch.ones(2, 3, requires_grad=True)
    a = torch.rsub(x, w, alpha=2)
    b = torch.rsub(x, 2)
    c = torch.rsub(x, torch.tensor([1, 2, 3]))
    (a.sum() + b.sum() + c.sum()).backward()
    return a, b, c, x.grad, w.grad, [_nodes(t.grad_fn) for t in (a, b, c)]


@program
def channel_shuffle_node_and_grad(torch):
    x = torch.arange(24.0, dtype=torch.float64).view(1, 6, 2, 2).requires_grad_()
    y = torch.nn.functional.channel_shuffle(x, 3)
    (y * torch.arange(24.0, dtype=torch.float64).view(1, 6, 2, 2)).sum().backward()
    z = torch.nn.ChannelShuffle(2)(torch.arange(8).view(1, 8, 1))
    return y, x.grad, z, _nodes(y.grad_fn)


@program
def native_channel_shuffle_values(torch):
    x = torch.arange(16.0).view(2, 4, 2).requires_grad_()
    y = torch.nn.functional.native_channel_shuffle(x, 2)
    return y, type(y.grad_fn).__name__, y.grad_fn.name(), _nodes(torch.detach_copy(x).grad_fn)


@error(RuntimeError, r"derivative for aten::native_channel_shuffle is not implemented")
def native_channel_shuffle_backward(torch):
    x = torch.ones(1, 4, 2, requires_grad=True)
    torch.nn.functional.native_channel_shuffle(x, 2).sum().backward()


@error(RuntimeError, r"Number of channels must be divisible by groups. Got 4 channels and 3 groups")
def channel_shuffle_indivisible(torch):
    torch.nn.functional.channel_shuffle(torch.ones(1, 4, 2, 2), 3)


@error(RuntimeError, r"Number of groups to divide channels in must be positive. Value of groups:0")
def channel_shuffle_zero_groups(torch):
    torch.nn.functional.native_channel_shuffle(torch.ones(1, 4, 2, 2), 0)


@error(
    RuntimeError, r"channel_shuffle expects input with > 2 dims, but got input with sizes \[1, 4\]"
)
def channel_shuffle_2d(torch):
    torch.nn.functional.channel_shuffle(torch.ones(1, 4), 2)


def test_channel_shuffle_gradcheck():
    import minitorch
    from minitorch.autograd import gradcheck, gradgradcheck

    x = minitorch.randn(2, 6, 3, dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(lambda a: minitorch.nn.functional.channel_shuffle(a, 3), (x,))
    assert gradgradcheck(lambda a: minitorch.nn.functional.channel_shuffle(a, 2), (x,))


# ---- saved indices are version-checked ---------------------------------------------------------
MODIFIED = r"modified by an inplace operation: \[torch.LongTensor \[{}\]\] is at version 1"


@program
def sort_values_changed_in_place_still_backward(torch):
    x = torch.tensor([3.0, 1.0, 2.0, 5.0], requires_grad=True)
    values, _ = x.sort()
    values.mul_(2)
    top, _ = x.topk(2)
    top.add_(1)
    (values.sum() + top.sum()).backward()
    return values, top, x.grad


@error(RuntimeError, MODIFIED.format(4))
def sort_indices_changed_in_place(torch):
    x = torch.tensor([3.0, 1.0, 2.0, 5.0], requires_grad=True)
    values, indices = x.sort(descending=True)
    indices.add_(0)
    values.sum().backward()


@error(RuntimeError, MODIFIED.format(2))
def topk_indices_changed_in_place(torch):
    x = torch.tensor([3.0, 1.0, 2.0, 5.0], requires_grad=True)
    values, indices = x.topk(2)
    indices.zero_()
    values.sum().backward()


@error(RuntimeError, MODIFIED.format(2))
def gather_index_changed_in_place(torch):
    x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
    index = torch.tensor([2, 0])
    y = x.gather(0, index)
    index[0] = 1
    y.sum().backward()


@error(RuntimeError, MODIFIED.format(2))
def max_dim_indices_changed_in_place(torch):
    x = torch.tensor([[3.0, 1.0], [2.0, 5.0]], requires_grad=True)
    values, indices = x.max(1)
    indices.zero_()
    values.sum().backward()


@error(RuntimeError, MODIFIED.format("2, 1"))
def min_keepdim_indices_changed_in_place(torch):
    x = torch.tensor([[3.0, 1.0], [2.0, 5.0]], requires_grad=True)
    values, indices = x.min(1, keepdim=True)
    indices.fill_(1)
    values.sum().backward()


@error(RuntimeError, r"modified by an inplace operation: \[torch.LongTensor \[\]\] is at version 1")
def kthvalue_indices_changed_in_place(torch):
    x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
    value, index = x.kthvalue(2)
    index.zero_()
    value.backward()


@program
def max_dim_grads_and_indices(torch):
    x = torch.tensor([[3.0, 1.0, 3.0], [2.0, 5.0, 5.0]], dtype=torch.float64, requires_grad=True)
    v, i = x.max(1)
    m, j = x.median(1, keepdim=True)
    k, n = x.mode(0)
    (v.sum() + 2 * m.sum() + 3 * k.sum()).backward()
    return v, i, m, j, k, n, x.grad


@program
def gather_int32_and_scalar_index(torch):
    x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
    y = x.gather(0, torch.tensor([2, 0], dtype=torch.int32))
    s = torch.tensor(4.0, requires_grad=True)
    z = s.gather(0, torch.tensor(0))
    (y.sum() + z).backward()
    return y, z, x.grad, s.grad


@program
def saved_hooks_see_sort_indices(torch):
    packed = []

    def pack(t):
        packed.append((tuple(t.shape), str(t.dtype)))
        return t

    x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        values, _ = x.sort()
        top, _ = x.max(0)
    (values.sum() + top).backward()
    return packed, x.grad


@program
def addcmul_addcdiv_one_node(torch):
    torch.manual_seed(0)
    a = torch.randn(3, requires_grad=True)
    t1 = torch.randn(2, 3, requires_grad=True)
    t2 = torch.rand(2, 1, requires_grad=True)
    y = torch.addcmul(a, t1, t2, value=0.5)
    z = torch.addcdiv(a, t1, t2 + 1, value=-2)
    w = torch.addcmul(a, t1, t2)
    (y.sum() + (z * z).sum() + w.sum()).backward()
    return y, z, w, a.grad, t1.grad, t2.grad, [_nodes(t.grad_fn) for t in (y, z, w)]


@program
def addcmul_inplace_and_float64(torch):
    torch.manual_seed(1)
    a = torch.randn(4, dtype=torch.float64)
    t1, t2 = torch.randn(4, dtype=torch.float64), torch.rand(4, dtype=torch.float64) + 0.5
    b = a.clone().addcmul_(t1, t2, value=3).addcdiv_(t1, t2, value=0.25)
    c = torch.addcdiv(torch.tensor([1, 2]), torch.tensor([1.0, 3.0]), torch.tensor([2.0, 4.0]))
    return b, c, torch.addcmul(torch.tensor([1, 2]), torch.tensor([3, 4]), torch.tensor([5, 6]))


def test_addc_gradcheck():
    import minitorch
    from minitorch.autograd import gradcheck, gradgradcheck

    def args():
        a = minitorch.randn(3, dtype=minitorch.float64, requires_grad=True)
        t1 = minitorch.randn(2, 3, dtype=minitorch.float64, requires_grad=True)
        t2 = (minitorch.rand(2, 1, dtype=minitorch.float64) + 0.5).requires_grad_()
        return a, t1, t2

    for fn in (minitorch.addcmul, minitorch.addcdiv):
        for value in (1, -0.7):
            f = lambda a, t1, t2, fn=fn, value=value: fn(a, t1, t2, value=value)  # noqa: E731
            assert gradcheck(f, args())
            assert gradgradcheck(f, args())


@program
def dist_renorm_pairwise_nodes(torch):
    torch.manual_seed(2)
    x = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    y = torch.randn(3, dtype=torch.float64, requires_grad=True)
    outs = [
        torch.dist(x, y),
        torch.dist(x, y, 1),
        x.dist(y, float("inf")),
        torch.renorm(x, 2, 0, 0.5),
        torch.nn.functional.pairwise_distance(x, y),
        torch.nn.PairwiseDistance(p=1, keepdim=True)(x, y),
    ]
    sum(o.sum() for o in outs).backward()
    return outs, x.grad, y.grad, [_nodes(o.grad_fn) for o in outs]


@program
def dist_without_grad_on_one_side(torch):
    x = torch.tensor([[1.0, 2.0], [3.0, 5.0]])
    y = torch.tensor([0.5, -1.0], requires_grad=True)
    d = torch.dist(x, y, 3)
    d.backward()
    return d, y.grad, _nodes(d.grad_fn), torch.dist(x, x), torch.renorm(x, 1, 1, 2.0)


@error(RuntimeError, OVERLAP)
def out_argument_expanded(torch):
    base = torch.zeros(3)
    torch.add(torch.ones(2, 3), 1, out=base[None].expand(2, 3))


@program
def out_argument_non_overlapping_expanded(torch):
    a, b = torch.zeros(1), torch.zeros(3)
    torch.add(torch.ones(1, 1), 1, out=a.expand(1, 1))
    torch.mul(torch.ones(3), 4, out=b.expand(2, 3)[1])
    return a, b, a._version, b._version


@program
def inplace_with_hooks_and_views(torch):
    a = torch.ones(4, requires_grad=True)
    b = a * 2
    b.retain_grad()
    seen = []
    b.register_hook(lambda g: seen.append(g * 1))
    v = b[1:]
    w = v[1:]
    w.mul_(5)
    (b * b).sum().backward()
    return a.grad, b.grad, seen, type(v.grad_fn).__name__, type(w.grad_fn).__name__, b._version


test_program = SWEEP.test()
