"""Sweep 16: the autograd graph as PyTorch builds it, third pass. Ops whose grad_fn names or
edges differed from PyTorch's: linalg factorizations (LinalgDetBackward0...), lerp with a
tensor weight, vdot, kron, scatter of a value, index_fill/index_copy/masked_select/
masked_scatter, add/sub with alpha= (one node), and nll_loss, binary_cross_entropy (with
logits) and huber/smooth_l1 as one node on (input, target). Each program compares the graph
three levels deep, the values and the leaves' gradients with PyTorch's."""

from __future__ import annotations

import pytest
from sweep_harness import Sweep, graph_program

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


def _spd(T, x):
    return x @ x.mT + T.eye(x.shape[-1], dtype=x.dtype)


def _idx(T, *rows):
    return T.tensor(rows)


F = "nn.functional"


def fn(T):
    return T.nn.functional


GRAPHS = {
    # linalg: PyTorch's Linalg* node names
    "det": (lambda T, x: T.det(x), (3, 3)),
    "linalg_det_batched": (lambda T, x: T.linalg.det(x), (2, 3, 3)),
    "inverse": (lambda T, x: T.inverse(x), (3, 3)),
    "linalg_inv_of_expression": (lambda T, x: T.linalg.inv(x * 2 + T.eye(3)), (3, 3)),
    "slogdet_logabs": (lambda T, x: T.slogdet(x)[1], (3, 3)),
    "linalg_slogdet": (lambda T, x: T.linalg.slogdet(x).logabsdet, (2, 3, 3)),
    "logdet_spd": (lambda T, x: T.logdet(_spd(T, x)), (3, 3)),
    "linalg_cholesky": (lambda T, x: T.linalg.cholesky(_spd(T, x)), (3, 3)),
    "cholesky_deprecated": (lambda T, x: T.cholesky(_spd(T, x)), (3, 3)),
    "qr_q_r": (lambda T, x: tuple(T.linalg.qr(x)), (4, 3)),
    "svdvals": (lambda T, x: T.linalg.svdvals(x), (3, 4)),
    "svd_s": (lambda T, x: T.svd(x)[1], (4, 3)),
    "eigvalsh": (lambda T, x: T.linalg.eigvalsh(x + x.mT), (3, 3)),
    "det_float64": (lambda T, x: T.det(x), (3, 3)),
    # elementwise and products
    "lerp_tensor_weight": (lambda T, x, y: T.lerp(x, y, x.sigmoid()), (3, 3), (3, 3)),
    "lerp_tensor_weight_broadcast": (lambda T, x, y, w: x.lerp(y, w), (3, 3), (3,), (3, 1)),
    "lerp_number_weight": (lambda T, x, y: T.lerp(x, y, 0.3), (3, 3), (3, 3)),
    "vdot": (lambda T, x, y: T.vdot(x, y * 2), (4,), (4,)),
    "kron": (lambda T, x, y: T.kron(x, y), (2, 3), (3, 2)),
    "kron_mixed_ndim": (lambda T, x, y: T.kron(x, y), (2,), (2, 3)),
    "add_alpha": (lambda T, x, y: T.add(x, y * 2, alpha=2), (3, 3), (3, 3)),
    "add_alpha_broadcast": (lambda T, x, y: x.add(y, alpha=-0.5), (3, 4), (4,)),
    "sub_alpha": (lambda T, x, y: T.sub(x, y, alpha=3), (3, 3), (3, 1)),
    "sub_alpha_method_float64": (lambda T, x, y: x.sub(y.exp(), alpha=0.25), (3, 3), (3, 3)),
    "add_alpha_number": (lambda T, x: x.add(2, alpha=3), (3,)),
    "sub_alpha_number": (lambda T, x: T.sub(x, 2, alpha=3), (3,)),
    "outer": (lambda T, x, y: T.outer(x, y * 2), (3,), (4,)),
    "ger_float64": (lambda T, x, y: T.ger(x.exp(), y), (2,), (3,)),
    "norm_p1": (lambda T, x: x.norm(p=1), (3, 4)),
    "norm_p1_dim_keepdim": (lambda T, x: x.norm(1, dim=1, keepdim=True), (3, 4)),
    "vector_norm_ord1_dims": (lambda T, x: T.linalg.vector_norm(x * 2, 1, dim=(0, 2)), (2, 3, 2)),
    # index writes
    "scatter_value": (lambda T, x: x.scatter(1, _idx(T, [0], [1], [2]), 1.5), (3, 3)),
    "scatter_value_kw": (lambda T, x: T.scatter(x, 0, _idx(T, [2, 0, 1]), value=-1.0), (3, 3)),
    "index_fill_number": (lambda T, x: x.index_fill(0, T.tensor([0, 2]), 1.0), (3, 3)),
    "index_fill_dim1": (lambda T, x: x.index_fill(1, T.tensor([-1]), 0.5), (2, 3)),
    "index_fill_tensor_value": (
        lambda T, x, v: x.index_fill(0, T.tensor([1]), v.sum()),
        (3, 3),
        (2,),
    ),
    "index_copy": (lambda T, x, s: x.index_copy(0, T.tensor([0, 2]), s * 2), (3, 3), (2, 3)),
    "masked_select": (lambda T, x: x.masked_select(x > 0), (3, 3)),
    "masked_select_broadcast_mask": (
        lambda T, x: x.masked_select(T.tensor([True, False, True])),
        (3, 3),
    ),
    # losses as one node on (input, target)
    "nll_loss": (lambda T, x: fn(T).nll_loss(x.log_softmax(1), T.tensor([0, 1, 2, 1])), (4, 3)),
    "nll_loss_weight_sum": (
        lambda T, x: fn(T).nll_loss(
            x, T.tensor([0, 2, 2]), T.tensor([1.0, 2.0, 3.0]), reduction="sum"
        ),
        (3, 3),
    ),
    "nll_loss_none_ignore": (
        lambda T, x: fn(T).nll_loss(x, T.tensor([0, -100, 2]), reduction="none"),
        (3, 3),
    ),
    "nll_loss_weight_ignore_mean": (
        lambda T, x: fn(T).nll_loss(x, T.tensor([1, 0, 3]), T.rand(4), ignore_index=3),
        (3, 4),
    ),
    "nll_loss_2d": (
        lambda T, x: fn(T).nll_loss(
            x.log_softmax(1), T.tensor([[[0, 1], [2, 0]], [[1, 1], [0, 2]]])
        ),
        (2, 3, 2, 2),
    ),
    "nll_loss_3d_input": (lambda T, x: fn(T).nll_loss(x, T.tensor([[0, 2], [1, 1]])), (2, 3, 2)),
    "nll_loss_5d_sum": (
        lambda T, x: fn(T).nll_loss(x, T.zeros(2, 1, 2, 1, dtype=T.long), reduction="sum"),
        (2, 3, 1, 2, 1),
    ),
    "nll_loss_3d_none": (
        lambda T, x: fn(T).nll_loss(x, T.tensor([[0, 2], [1, 1]]), reduction="none"),
        (2, 3, 2),
    ),
    "nll_loss_1d_input": (lambda T, x: fn(T).nll_loss(x, T.tensor(1)), (3,)),
    "nll_loss_float64": (lambda T, x: fn(T).nll_loss(x, T.tensor([2, 0])), (2, 3)),
    "bce": (lambda T, x: fn(T).binary_cross_entropy(x.sigmoid(), T.full((3, 3), 0.25)), (3, 3)),
    "bce_weight_sum": (
        lambda T, x: fn(T).binary_cross_entropy(
            x.sigmoid(), T.rand(2, 3), weight=T.tensor([1.0, 2.0, 0.5]), reduction="sum"
        ),
        (2, 3),
    ),
    "bce_none_target_grad": (
        lambda T, x, t: fn(T).binary_cross_entropy(x.sigmoid(), t.sigmoid(), reduction="none"),
        (2, 3),
        (2, 3),
    ),
    "bce_with_logits": (
        lambda T, x: fn(T).binary_cross_entropy_with_logits(x, T.rand(3, 3)),
        (3, 3),
    ),
    "bce_with_logits_pos_weight": (
        lambda T, x: fn(T).binary_cross_entropy_with_logits(
            x * 4, T.rand(3, 4), pos_weight=T.tensor([1.0, 2.0, 3.0, 0.5])
        ),
        (3, 4),
    ),
    "bce_with_logits_weight_none": (
        lambda T, x: fn(T).binary_cross_entropy_with_logits(
            x, T.rand(2, 3), weight=T.rand(3), reduction="none"
        ),
        (2, 3),
    ),
    "bce_with_logits_target_grad": (
        lambda T, x, t: fn(T).binary_cross_entropy_with_logits(
            x, t.sigmoid(), pos_weight=T.full((3,), 2.0)
        ),
        (2, 3),
        (2, 3),
    ),
    "bce_with_logits_module": (
        lambda T, x: T.nn.BCEWithLogitsLoss()(x, (x > 0).float()),
        (4, 2),
    ),
    "huber": (lambda T, x: fn(T).huber_loss(x * 2, T.zeros(3, 3)), (3, 3)),
    "huber_delta_sum": (
        lambda T, x, t: fn(T).huber_loss(x * 3, t, reduction="sum", delta=0.5),
        (3, 4),
        (3, 4),
    ),
    "huber_none_float64": (
        lambda T, x: fn(T).huber_loss(x, T.ones(2, 3, dtype=T.float64), reduction="none"),
        (2, 3),
    ),
    "smooth_l1": (lambda T, x: fn(T).smooth_l1_loss(x * 2, T.zeros(3, 3)), (3, 3)),
    "smooth_l1_beta_target_grad": (
        lambda T, x, t: fn(T).smooth_l1_loss(x, t, beta=0.3, reduction="none"),
        (3, 4),
        (3, 4),
    ),
    "smooth_l1_module_sum": (
        lambda T, x: T.nn.SmoothL1Loss(reduction="sum")(x, x.detach() * 0.5),
        (5,),
    ),
    "huber_module": (lambda T, x: T.nn.HuberLoss(delta=2.0)(x * 3, T.ones(4)), (4,)),
}

FLOAT64 = {
    "det_float64",
    "sub_alpha_method_float64",
    "nll_loss_float64",
    "huber_none_float64",
    "ger_float64",
}

for _name, (_make, *_shapes) in GRAPHS.items():
    graph_program(SWEEP, _name, _make, *_shapes, dtype="float64" if _name in FLOAT64 else None)


@program
def tutorial_loss_grad_fn_chain(torch):
    """The 'Neural Networks' tutorial walks loss.grad_fn.next_functions by hand."""
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU())
    loss = torch.nn.functional.nll_loss(net(torch.randn(2, 4)).log_softmax(1), torch.tensor([0, 2]))
    node = loss.grad_fn
    names = []
    while node is not None and node.next_functions:
        names.append(node.name())
        node = node.next_functions[0][0]
    return names


@program
def cross_entropy_node_names_by_ndim(torch):
    f = torch.nn.functional
    names = []
    for shape in ((3,), (2, 3), (2, 3, 2), (2, 3, 2, 2), (2, 3, 1, 2, 1)):
        x = torch.randn(*shape, requires_grad=True)
        target = torch.zeros((shape[0],) + shape[2:] if len(shape) > 1 else (), dtype=torch.long)
        names.append(f.cross_entropy(x, target).grad_fn.name())
    return names


@program
def masked_scatter_node_name(torch):
    x = torch.randn(3, 3, requires_grad=True)
    s = torch.randn(3, 3, requires_grad=True)
    out = x.masked_scatter(x > 0, s * 2)
    out.sum().backward()
    return out.grad_fn.name(), out, x.grad, s.grad


@program
def nll_loss_all_ignored(torch):
    x = torch.randn(2, 3, requires_grad=True)
    loss = torch.nn.functional.nll_loss(x, torch.tensor([-100, -100]))
    loss.backward()
    return loss, x.grad


@program
def nll_loss_zero_weights_nan_only_at_targets(torch):
    x = torch.randn(3, 4, requires_grad=True)
    loss = torch.nn.functional.nll_loss(x, torch.tensor([0, 1, 2]), weight=torch.zeros(4))
    loss.backward()
    return loss, x.grad


@program
def nll_loss_double_backward(torch):
    x = torch.randn(3, 4, requires_grad=True)
    w = torch.randn(3, 4, requires_grad=True)
    loss = torch.nn.functional.nll_loss(x * w, torch.tensor([0, 3, 1]))
    (g,) = torch.autograd.grad(loss, x, create_graph=True)
    (g * w).sum().backward()
    return g, w.grad


@program
def huber_double_backward(torch):
    x = torch.randn(6, requires_grad=True)
    loss = torch.nn.functional.huber_loss(x * 2, torch.zeros(6), delta=0.7)
    (g,) = torch.autograd.grad(loss, x, create_graph=True)
    (g**2).sum().backward()
    return g, x.grad


@program
def bce_with_logits_double_backward(torch):
    x = torch.randn(2, 3, requires_grad=True)
    t = torch.rand(2, 3)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(x, t, pos_weight=torch.ones(3) * 3)
    (g,) = torch.autograd.grad(loss, x, create_graph=True)
    g.sum().backward()
    return g, x.grad


@program(tol={"rtol": 1e-6, "atol": 1e-7})  # float32 log-sigmoid inside a float64 loss
def bce_with_logits_float64_target_float32_input(torch):
    x = torch.randn(2, 3, requires_grad=True)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(
        x, torch.rand(2, 3, dtype=torch.float64)
    )
    loss.backward()
    return loss, x.grad


@program
def smooth_l1_mixed_dtypes(torch):
    x = torch.randn(4, requires_grad=True)
    loss = torch.nn.functional.smooth_l1_loss(x, torch.zeros(4, dtype=torch.float64))
    loss.backward()
    return loss, x.grad


@program
def losses_of_empty_input(torch):
    x = torch.zeros(0, 3, requires_grad=True)
    f = torch.nn.functional
    out = (
        f.huber_loss(x, torch.zeros(0, 3), reduction="sum"),
        f.binary_cross_entropy_with_logits(x, torch.zeros(0, 3), reduction="sum"),
        f.nll_loss(x, torch.zeros(0, dtype=torch.long), reduction="sum"),
    )
    sum(out).backward()
    return out, x.grad


@program
def add_alpha_integers(torch):
    a = torch.tensor([1, 2, 3])
    return torch.add(a, torch.tensor([4, 5, 6]), alpha=2), a.sub(torch.tensor([1, 1, 1]), alpha=-3)


@program
def add_alpha_mixed_dtypes(torch):
    x = torch.randn(3, requires_grad=True)
    y = torch.randn(3, dtype=torch.float64)
    out = torch.add(x, y, alpha=0.1)
    out.sum().backward()
    return out, x.grad


@program
def add_alpha_noncontiguous(torch):
    x = torch.randn(4, 3, requires_grad=True)
    out = torch.add(x.t(), torch.ones(3, 4), alpha=2)
    out.sum().backward()
    return out, out.is_contiguous(), x.grad


@program
def add_alpha_keeps_saved_names(torch):
    x = torch.randn(3, requires_grad=True)
    y = torch.randn(3, requires_grad=True)
    out = torch.sub(x, y, alpha=2)
    out.backward(torch.ones(3))
    return out.grad_fn.name(), len(out.grad_fn.next_functions), x.grad, y.grad


@error(RuntimeError, r"Subtraction, the `-` operator, with a bool tensor is not supported")
def sub_bool_tensor_with_alpha(torch):
    return torch.randn(3).sub(torch.ones(3, dtype=torch.bool), alpha=2)


@error(RuntimeError, r"For integral input tensors, argument alpha must not be a floating point")
def add_integer_float_alpha(torch):
    return torch.add(torch.tensor([1, 2]), torch.tensor([1, 1]), alpha=0.5)


@error(RuntimeError, r"The size of tensor a \(3\) must match the size of tensor b \(4\)")
def add_alpha_shape_mismatch(torch):
    return torch.add(torch.randn(3), torch.randn(4), alpha=2)


test_program = SWEEP.test()


def _leaf(*shape, low=None):
    x = minitorch.randn(*shape, dtype=minitorch.float64)
    if low is not None:
        x = x.sigmoid() * (1 - 2 * low) + low  # in (low, 1 - low)
    return x.requires_grad_()


def _targets(*values):
    return minitorch.tensor(values)


Fm = minitorch.nn.functional
W3 = minitorch.tensor([0.5, 2.0, 1.0], dtype=minitorch.float64)
GRADCHECKS = {
    "add_alpha_broadcast": (lambda x, y: minitorch.add(x, y, alpha=-1.5), (3, 4), (4,)),
    "sub_alpha_broadcast": (lambda x, y: x.sub(y, alpha=0.5), (3, 1), (3, 4)),
    "norm_p1_dim": (lambda x: x.norm(p=1, dim=0), (3, 4)),
    "vector_norm_ord1_keepdim": (lambda x: minitorch.linalg.vector_norm(x, 1, 1, True), (3, 4)),
    "outer": (lambda x, y: minitorch.outer(x, y), (3,), (4,)),
    "nll_loss_mean_weight": (lambda x: Fm.nll_loss(x, _targets(0, 2, 1), W3), (3, 3)),
    "nll_loss_none": (lambda x: Fm.nll_loss(x, _targets(2, -100), reduction="none"), (2, 3)),
    "nll_loss_2d_sum": (
        lambda x: Fm.nll_loss(x, _targets([[0, 2]], [[1, 1]]), reduction="sum"),
        (2, 3, 1, 2),
    ),
    "nll_loss_3d_none": (
        lambda x: Fm.nll_loss(x, _targets([0, 2], [1, 1]), reduction="none"),
        (2, 3, 2),
    ),
    "huber": (lambda x, t: Fm.huber_loss(x * 3, t, delta=0.8), (3, 4), (3, 4)),
    "huber_broadcast_none": (lambda x, t: Fm.huber_loss(x, t, reduction="none"), (3, 4), (4,)),
    "smooth_l1": (lambda x, t: Fm.smooth_l1_loss(x * 3, t, beta=0.5), (3, 4), (3, 4)),
    "bce_with_logits": (
        lambda x, t: Fm.binary_cross_entropy_with_logits(x, t, weight=W3, pos_weight=W3 * 2),
        (2, 3),
        (2, 3),
    ),
    "bce_with_logits_sum": (
        lambda x, t: Fm.binary_cross_entropy_with_logits(x, t, reduction="sum"),
        (2, 3),
        (2, 3),
    ),
}


@pytest.mark.filterwarnings("ignore:Using a target size")
@pytest.mark.parametrize("name", GRADCHECKS)
def test_gradcheck(name):
    f, *shapes = GRADCHECKS[name]
    minitorch.manual_seed(0)
    args = tuple(_leaf(*s) for s in shapes)
    assert gradcheck(f, args) and gradgradcheck(f, args)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_gradcheck_binary_cross_entropy(reduction):
    minitorch.manual_seed(0)
    x, t = _leaf(2, 3, low=0.1), _leaf(2, 3, low=0.1)

    def f(x, t):
        return Fm.binary_cross_entropy(x, t, weight=W3, reduction=reduction)

    assert gradcheck(f, (x, t)) and gradgradcheck(f, (x, t))


def test_losses_one_node_on_the_input():
    x = _leaf(3, 3)
    t = minitorch.rand(3, 3, dtype=minitorch.float64)
    losses = (
        Fm.nll_loss(x, _targets(0, 1, 2), W3),
        Fm.huber_loss(x, t),
        Fm.smooth_l1_loss(x, t),
        Fm.binary_cross_entropy_with_logits(x, t, weight=W3, pos_weight=W3),
    )
    for loss in losses:
        assert loss.grad_fn.next_functions[0][0] is x._accumulator()
