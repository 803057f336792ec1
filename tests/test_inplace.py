"""In-place ops under autograd: version counters shared by views, the errors that protect
gradients, and gradients of in-place changes (of tensors and of views) against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import assert_close

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck

A = np.random.default_rng(1).standard_normal((3, 4))
W = np.random.default_rng(2).standard_normal((3, 4))
WEIGHTS = np.arange(12.0).reshape(3, 4) - 5  # makes every element's gradient different


def _augmented_index_assign(L, x, w):
    x[0] += 1
    x[1] *= 2
    x[:, 1] -= w[:, 0]


def _shift_within_row(L, x, w):
    row = x[1]
    row[1:3] = row[0:2].clone()


def _through_reshaped_view(L, x, w):
    v = x.view(2, 6)
    v[1, ::2] = w[0, :3]


# Each case: f(lib, x, w) changes x = a * 1.5 (a non-leaf) in place, using w; the loss is
# sum(x * WEIGHTS), so a.grad and w.grad show exactly what flowed where.
CASES = {
    "add_": lambda L, x, w: x.add_(w),
    "add_alpha": lambda L, x, w: x.add_(w, alpha=-2.0),
    "iadd": lambda L, x, w: x.__iadd__(w * 2),
    "sub_": lambda L, x, w: x.sub_(w[0]),
    "mul_": lambda L, x, w: x.mul_(w),
    "mul_scalar": lambda L, x, w: x.mul_(3.0),
    "div_": lambda L, x, w: x.div_(w.abs() + 1),
    "pow_": lambda L, x, w: x.pow_(2),
    "exp_": lambda L, x, w: x.exp_(),
    "tanh_": lambda L, x, w: x.tanh_(),
    "sigmoid_": lambda L, x, w: x.sigmoid_(),
    "clamp_": lambda L, x, w: x.clamp_(-0.5, 0.5),
    "relu_": lambda L, x, w: x.relu_(),
    "neg_": lambda L, x, w: x.neg_(),
    "zero_": lambda L, x, w: x.zero_(),
    "fill_": lambda L, x, w: x.fill_(2.5),
    "fill_tensor": lambda L, x, w: x.fill_(w[1, 2]),
    "copy_": lambda L, x, w: x.copy_(w),
    "copy_broadcast": lambda L, x, w: x.copy_(w[0]),
    "masked_fill_": lambda L, x, w: x.masked_fill_(w > 0, -1.0),
    "setitem_int": lambda L, x, w: x.__setitem__(1, w[2]),
    "setitem_slice": lambda L, x, w: x.__setitem__((slice(None), slice(1, 3)), w[:, :2] * 2),
    "setitem_scalar": lambda L, x, w: x.__setitem__((0, 0), 7.0),
    "setitem_mask": lambda L, x, w: x.__setitem__(w > 0, 0.0),
    "setitem_index_list": lambda L, x, w: x.__setitem__(L.tensor([0, 2]), w[1]),
    "setitem_from_itself": lambda L, x, w: x.__setitem__(0, x[2] + 1),
    # a Python number gets no gradient, so the tensor operand is not saved and may change
    "scaled_slice_mul": lambda L, x, w: x.__setitem__((slice(None), slice(0, 2)), x[:, :2] * 0.5),
    "scaled_slice_rmul": lambda L, x, w: x.__setitem__((slice(None), slice(0, 2)), 2 * x[:, :2]),
    "scaled_slice_div": lambda L, x, w: x.__setitem__((slice(None), slice(0, 2)), x[:, :2] / 4),
    # in-place changes of views (PyTorch's CopySlices)
    "view_mul_": lambda L, x, w: x[:, 0].mul_(2),
    "view_mul_tensor": lambda L, x, w: x[:, 1].mul_(w[:, 1]),
    "view_exp_": lambda L, x, w: x[1:, 1:].exp_(),
    "view_of_view_setitem": lambda L, x, w: x[0].__setitem__(1, w[0, 2]),
    "chained_setitem": lambda L, x, w: x[1][2:].copy_(w[2, :2]),
    "strided_view": lambda L, x, w: x[:, ::2].add_(w[:, 1::2]),
    "transposed_view": lambda L, x, w: x.t().add_(w.t()),
    "reshaped_view": lambda L, x, w: x.view(12)[3:9].mul_(w.reshape(12)[:6]),
    "view_zero_": lambda L, x, w: x[1].zero_(),
    "view_masked_fill_": lambda L, x, w: x[2].masked_fill_(w[2] > 0, 3.0),
    "two_views": lambda L, x, w: (x[0].mul_(w[0]), x[:, 3].add_(w[:, 0])),
    "augmented_index_assign": _augmented_index_assign,
    "shift_within_row": _shift_within_row,
    "through_reshaped_view": _through_reshaped_view,
    # t_() makes x's own memory layout non-contiguous: views of it are found by their strides
    "view_of_transposed_base": lambda L, x, w: (x.t_(), x[1].mul_(w[:, 1]), x.t_()),
}


def node_name(t) -> str:
    """The grad_fn's name as PyTorch's class name spells it (e.g. MulBackward0)."""
    fn = t.grad_fn
    return fn.name().rsplit("::", 1)[-1] if isinstance(t, minitorch.Tensor) else type(fn).__name__


def _run(L, case):
    a = L.tensor(A, requires_grad=True)
    w = L.tensor(W, requires_grad=True)
    x = a * 1.5
    case(L, x, w)
    (x * L.tensor(WEIGHTS)).sum().backward()
    return x, a.grad, w.grad


@pytest.mark.parametrize("name", list(CASES))
def test_inplace_gradients_match_torch(torch, name):
    x, ga, gw = _run(minitorch, CASES[name])
    tx, tga, tgw = _run(torch, CASES[name])
    assert_close(x, tx.double(), rtol=1e-6)
    assert_close(ga, tga)
    assert (gw is None) == (tgw is None)
    if gw is not None:
        assert_close(gw, tgw)


def test_node_names_match_torch(torch):
    names = {}
    for L in (minitorch, torch):
        a = L.tensor(A, requires_grad=True)
        x = a * 1
        v = x[0]
        x[:, 1].mul_(2)
        names[L] = (node_name(x), node_name(v))
    assert names[minitorch] == names[torch] == ("CopySlices", "AsStridedBackward0")


def test_base_that_did_not_require_grad_is_rebased(torch):
    for L in (minitorch, torch):
        w = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        buf = L.zeros(2, 3)
        row0, row1 = buf[0], buf[1]
        buf[1] = w * w
        assert buf.requires_grad and not buf.is_leaf
        assert row1.requires_grad and row0.requires_grad  # views follow their base
        (row1 * 2).sum().backward()
        assert_close(w.grad, [4.0, 8.0, 12.0])


def test_views_rederive_their_history_after_base_changes(torch):
    # v was taken before x changed in place: its gradient must see the change
    grads = []
    for L in (minitorch, torch):
        a = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        x = a * 1
        v = x[:2]
        x.mul_(2)
        assert_close(v, [2.0, 4.0])
        v.sum().backward()
        grads.append(a.grad)
    assert_close(grads[0], grads[1])
    assert_close(grads[0], [2.0, 2.0, 0.0])


def test_sibling_view_sees_other_views_change(torch):
    grads = []
    for L in (minitorch, torch):
        a = L.tensor(A, requires_grad=True)
        x = a * 1
        col = x[:, 0]
        x[1].mul_(10)  # overlaps col at x[1, 0]
        (col * L.tensor([1.0, 2.0, 3.0])).sum().backward()
        grads.append(a.grad)
    assert_close(grads[0], grads[1])
    assert grads[0][1, 0].item() == 20.0


def test_inplace_view_gradcheck_and_gradgradcheck():
    def f(a, w):
        x = a * 1
        x[:, 1].mul_(w[0, :3])
        x[2, 2:] = w[1, :2] * w[2, :2]
        x[0].exp_()  # last: exp_ saves its result (PyTorch raises if it changes later)
        return x * x

    a = minitorch.tensor(A * 0.5, dtype=minitorch.float64, requires_grad=True)
    w = minitorch.tensor(W * 0.5, dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(f, (a, w))
    assert gradgradcheck(f, (a, w))


def test_rebased_views_survive_a_second_change():
    a = minitorch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    x = a * 1
    v = x[1:3]
    x[0].mul_(3)
    x[3].mul_(5)
    v.mul_(2)
    (x * minitorch.tensor([1.0, 10.0, 100.0, 1000.0])).sum().backward()
    assert_close(a.grad, [3.0, 20.0, 200.0, 5000.0])
    assert_close(x, [3.0, 4.0, 6.0, 20.0])


# ---- version counters ------------------------------------------------------------------------
def test_version_counter_shared_by_views():
    x = minitorch.ones(3, 4)
    v = x[1]
    t = x.t()
    assert x._version == v._version == t._version == 0
    v.add_(1)
    assert x._version == v._version == t._version == 1
    x[0, 0] = 5.0
    assert t._version == 2
    assert t[0, 0].item() == 5.0 and x[1, 2].item() == 2.0


def test_detach_shares_version_counter_but_is_not_a_view(torch):
    for L in (minitorch, torch):
        a = L.ones(3, requires_grad=True)
        x = a * 2
        d = x.detach()
        assert d._base is None and not d.requires_grad
        x.mul_(3)
        assert d._version == 1 and d[0].item() == 6.0
        w = L.ones(3, requires_grad=True)
        d.add_(w)  # a detached tensor starts a history of its own; x's stays as it was
        assert node_name(d) == "AddBackward0"
        assert node_name(x) == "MulBackward0"


def test_transpose_in_place_keeps_history(torch):
    out = []
    for L in (minitorch, torch):
        a = L.tensor(A, requires_grad=True)
        x = a * 1
        x.t_()
        assert tuple(x.shape) == (4, 3)
        (x * L.tensor(WEIGHTS.T.copy())).sum().backward()
        out.append(a.grad)
    assert_close(out[0], out[1])
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        minitorch.ones(2, 3, requires_grad=True).t_()


def test_reshape_that_copies_is_not_a_view():
    x = minitorch.ones(3, 4)
    y = x.t().reshape(12)  # numpy has to copy here, as PyTorch does
    assert y._base is None
    y.add_(1)
    assert x._version == 0 and x.sum().item() == 12


def test_no_grad_inplace_on_leaf_bumps_version_and_keeps_leaf():
    w = minitorch.ones(3, requires_grad=True)
    with minitorch.no_grad():
        w.mul_(2)
        w[0] = 5.0
    assert w.is_leaf and w.grad_fn is None and w._version == 2
    assert_close(w.detach(), [5.0, 2.0, 2.0])


def test_inplace_under_no_grad_on_non_leaf_is_not_recorded():
    a = minitorch.tensor([1.0, 2.0], requires_grad=True)
    x = a * 3
    fn = x.grad_fn
    with minitorch.no_grad():
        x.add_(1)
    assert x.grad_fn is fn
    x.sum().backward()
    assert_close(a.grad, [3.0, 3.0])


def test_copy_and_fill_keep_inf_and_nan_out_of_the_result():
    w = minitorch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = minitorch.tensor([float("inf"), float("nan"), 0.0])
    y.copy_(w)
    assert_close(y, [1.0, 2.0, 3.0])
    z = minitorch.tensor([float("inf"), 1.0, 2.0]) + w
    z.fill_(1.0)
    assert_close(z, [1.0, 1.0, 1.0])
    (z + w).sum().backward()
    assert_close(w.grad, [1.0, 1.0, 1.0])  # z no longer depends on w after fill_


def test_zero_keeps_tensor_in_graph(torch):
    a = minitorch.tensor([1.0, 2.0], requires_grad=True)
    x = a * 1
    x.zero_()
    assert not x.is_leaf and x.requires_grad  # not turned into a fake leaf
    x.add_(a)
    x.sum().backward()
    assert_close(a.grad, [1.0, 1.0])


def test_retain_grad_follows_the_new_version(torch):
    out = []
    for L in (minitorch, torch):
        a = L.tensor([1.0, 2.0], requires_grad=True)
        x = a * 1
        x.retain_grad()
        x.mul_(2)
        (x * 3).sum().backward()
        out.append((x.grad, a.grad))
    assert_close(out[0][0], out[1][0])
    assert_close(out[0][1], out[1][1])


# ---- errors ----------------------------------------------------------------------------------
def test_inplace_on_leaf_raises():
    w = minitorch.ones(3, requires_grad=True)
    for op in (lambda: w.mul_(2), lambda: w.add_(1), lambda: w.zero_(), lambda: w.exp_()):
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad.*in-place"):
            op()
    with pytest.raises(
        RuntimeError,
        match="^a leaf Variable that requires grad is being used in an in-place operation.$",
    ):
        w += 1
    assert w._version == 0 and w.sum().item() == 3


def test_inplace_on_view_of_leaf_raises():
    w = minitorch.ones(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        w[0].mul_(2)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        w[1, 1] = 4.0
    assert w.sum().item() == 6 and w.is_leaf


def test_inplace_on_view_made_under_no_grad_raises():
    w = minitorch.ones(3, requires_grad=True)
    x = w * 2
    with minitorch.no_grad():
        v = x[:2]
    with pytest.raises(RuntimeError, match="^A view was created in no_grad mode"):
        v.mul_(w[:2])


def test_inplace_on_an_output_of_split_raises_as_torch_does(torch):
    x = minitorch.ones(2, 4, requires_grad=True) * 1
    a, b = x.split(2, dim=1)
    msg = "Output 1 of Split is a view and is being modified inplace.*multiple views"
    with pytest.raises(RuntimeError, match=msg):
        b.mul_(2)
    tx = torch.ones(2, 4, requires_grad=True) * 1
    with pytest.raises(RuntimeError, match=msg):
        tx.split(2, dim=1)[1].mul_(2)
    c, d = x.detach().split(2, dim=1)  # no history: allowed, and the base sees the change
    c.add_(1)
    assert x.detach()._version == 1 and x.detach().sum().item() == 12


def test_split_backward_fills_unused_pieces_with_zeros(torch):
    for lib in (minitorch, torch):
        x = lib.arange(12.0).reshape(3, 4).requires_grad_()
        a, b, c = x.split([1, 2, 1], dim=1)
        (b * 3).sum().backward()
        assert x.grad.tolist() == [[0.0, 3.0, 3.0, 0.0]] * 3
        assert x.split(2, dim=1)[0].grad_fn.name() == "SplitBackward0"


def test_inplace_on_expanded_view_raises():
    x = minitorch.ones(3, requires_grad=True) * 1
    e = x.expand(2, 3)
    with pytest.raises(RuntimeError, match="^unsupported operation: more than one element.*clone"):
        e.mul_(2)
    with pytest.raises(RuntimeError, match="more than one element"):
        minitorch.zeros(3).expand(2, 3).add_(1)


def _exp_then(modify):
    a = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = (a * 1).exp()  # ExpBackward0 saves its output y
    modify(y)
    return y.sum()


def _mul_then(modify):
    a = minitorch.tensor([1.0, 2.0], requires_grad=True)
    x = a * 1
    y = x * a  # MulBackward0 saves its input x
    modify(x)
    return y.sum()


@pytest.mark.parametrize(
    "make, modify, where",
    [
        (_exp_then, lambda t: t.add_(1), "output 0 of Exp"),
        (_exp_then, lambda t: t[0].mul_(2), "output 0 of Exp"),
        (_exp_then, lambda t: t.__setitem__(1, 0.0), "output 0 of Exp"),
        (_mul_then, lambda t: t.zero_(), "output 0 of Zero"),  # x's grad_fn is now zero_'s
    ],
)
def test_saved_tensor_modified_inplace_raises_naming_node(make, modify, where):
    loss = make(modify)
    with pytest.raises(
        RuntimeError,
        match=r"modified by an inplace operation: \[torch\.FloatTensor \[2\]\], which is "
        rf"{where}, is at version 1; expected version 0 instead\. Hint: enable anomaly",
    ):
        loss.backward()


def test_expanded_view_rederived_after_base_changes(torch):
    grads = []
    for L in (minitorch, torch):
        a = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        x = a * 1
        e = x.expand(2, 3)  # reads each element twice
        x.mul_(L.tensor([1.0, 2.0, 3.0]))
        assert_close(e, [[1.0, 4.0, 9.0]] * 2)
        (e * L.tensor([[1.0], [10.0]])).sum().backward()
        grads.append(a.grad)
    assert_close(grads[0], grads[1])
    assert_close(grads[0], [11.0, 22.0, 33.0])
