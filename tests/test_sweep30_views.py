"""Sweep 30 (views and in-place changes): divergences tests/test_fuzz_inplace_views.py found
on seeds beyond its test range (30000-32499), each pinned by a program against PyTorch."""

from __future__ import annotations

import warnings

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


def _versions(*tensors) -> list:
    return [t._version for t in tensors]


# ---- the gradient of an in-place change of an expanded view (seed 30089) --------------------
def _masked_into_expanded(torch, base_requires_grad: bool):
    leaf = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64, requires_grad=base_requires_grad)
    x = leaf * 1.0
    value = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    mask = torch.tensor([[True, False, True, False], [False, False, True, True]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (index_put_ on an expanded tensor is deprecated)
        x.unsqueeze(0).expand(2, 4)[mask] = value
    weights = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64)
    return x, value, (x * weights).sum()


@program
def expanded_view_change_gradient_of_the_value(torch):
    """PyTorch's CopySlices copies the base's gradient into the view's (overlapping) geometry
    only when the base needs one: the value's gradient comes through (minitorch refused)."""
    x, value, loss = _masked_into_expanded(torch, False)
    return torch.autograd.grad(loss, [value]), x, x.grad_fn.name()


@error(RuntimeError, r"^unsupported operation: more than one element of the written-to tensor")
def expanded_view_change_gradient_of_the_base(torch):
    _, _, loss = _masked_into_expanded(torch, True)
    loss.backward()


# ---- a leaf that detach_() let change in place (seed 30221) ---------------------------------
@error(RuntimeError, r"^leaf variable has been moved into the graph interior$")
def detached_leaf_changed_by_an_operand_that_requires_grad(torch):
    """The old graph still reaches the leaf's AccumulateGrad, whose leaf has a grad_fn now."""
    leaf = torch.ones(2, 3, dtype=torch.float64, requires_grad=True)
    y = leaf.clone()
    leaf.detach_()
    leaf.add_(torch.ones(2, 3, dtype=torch.float64, requires_grad=True), alpha=2)
    (y.sum() + leaf.sum()).backward()


# ---- copy_ from the same memory (seeds 30268, 30429) ----------------------------------------
@program
def copy_of_an_expanded_view_into_itself(torch):
    """PyTorch's copy_ returns at once for a source of the same memory and geometry (an
    expanded one too, refused otherwise); the version still moves on, autograd records."""
    out = []
    for mode in ("grad", "no_grad", "inference"):
        leaf = torch.ones(4, dtype=torch.float64, requires_grad=True)
        x = leaf * 2
        e = x.unsqueeze(0).expand(2, 4)
        ctx = {"grad": torch.enable_grad, "no_grad": torch.no_grad,
               "inference": torch.inference_mode}[mode]  # fmt: skip
        with ctx():
            same = e.copy_(x.unsqueeze(0).expand(2, 4)) is e
        out += [same, _versions(x, e), x.grad_fn.name(), e.grad_fn.name()]
    y = torch.arange(6.0)
    y[:3].copy_(y[:3])
    return out, y, y._version


@error(RuntimeError, r"^unsupported operation: more than one element of the written-to tensor")
def copy_of_an_expanded_view_into_itself_then_backward(torch):
    leaf = torch.ones(4, dtype=torch.float64, requires_grad=True)
    x = leaf * 2
    e = x.unsqueeze(0).expand(2, 4)
    e.copy_(e)
    x.sum().backward()


# ---- clone of an inference tensor (seeds 30076, 30494) --------------------------------------
@program
def clone_of_an_inference_tensor_outside_inference_mode(torch):
    """PyTorch's clone copies into a new normal tensor: that copy_ counts (version 1)."""
    with torch.inference_mode():
        s = torch.ones(3, 4)
        inside = s.clone()
    with torch.no_grad():
        under_no_grad = s.clone()
    plain = torch.ones(3, 4).clone()
    return [
        s.clone()._version,
        s.t().contiguous()._version,
        under_no_grad._version,
        plain._version,
        inside.is_inference(),
        s.clone().is_inference(),
    ]


# ---- which view error a view of a view raises (seed 30831) ----------------------------------
def _view_of_a_view(torch, mode: str, multi: bool, then_slice: bool = False):
    x = torch.ones(2, 3, 4, dtype=torch.float64, requires_grad=True) * 1
    with torch.inference_mode() if mode == "inference" else torch.no_grad():
        p = x[0]
    q = p.chunk(3, 0)[0] if multi else p[1:]
    if then_slice:
        q = q[:, 1:]
    q.mul_(2)


@error(RuntimeError, r"^Output 0 of Split is a view and is being modified inplace\. This view is the output of a function that returns multiple views")  # fmt: skip
def split_of_a_no_grad_view_changed_in_place(torch):
    """A split of a view made under no_grad is one of several views to PyTorch (its
    creation meta wins over no_grad's)."""
    _view_of_a_view(torch, "no_grad", multi=True)


@error(RuntimeError, r"^Output 0 of Slice is a view and is being modified inplace\. This view is the output of a function that returns multiple views")  # fmt: skip
def slice_of_a_split_of_a_no_grad_view_changed_in_place(torch):
    _view_of_a_view(torch, "no_grad", multi=True, then_slice=True)


@error(RuntimeError, r"^Output 0 of Slice is a view of a view which was created in inference mode and is being modified inplace in normal mode\. .* inference_mode block")  # fmt: skip
def slice_of_an_inference_mode_view_changed_in_place(torch):
    """A view of a view made inside inference_mode stays one of inference_mode."""
    _view_of_a_view(torch, "inference", multi=False)


@error(RuntimeError, r"^Output 0 of Split is a view of a view which was created in inference mode and is being modified inplace in normal mode")  # fmt: skip
def split_of_an_inference_mode_view_changed_in_place(torch):
    _view_of_a_view(torch, "inference", multi=True)


# ---- an operand that partly overlaps the changed tensor (seed 31586) ------------------------
@error(RuntimeError, r"^unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location")  # fmt: skip
def transposed_alias_as_the_operand_of_div_(torch):
    x = torch.ones(3, 3, dtype=torch.float64, requires_grad=True).clone()
    x.t().div_(x)


@error(RuntimeError, r"^unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location")  # fmt: skip
def shifted_slice_as_the_operand_of_iadd(torch):
    x = torch.arange(9.0)
    y = x[1:]
    y += x[:-1]


@error(RuntimeError, r"^unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location")  # fmt: skip
def permuted_alias_as_the_operand_of_mul_(torch):
    """A permuted dense tensor is non-overlapping and dense to PyTorch (not C or F order)."""
    x = torch.arange(8.0).view(2, 2, 2)
    x.permute(1, 0, 2).mul_(x)


@program
def operands_that_do_not_overlap_or_are_the_tensor(torch):
    x = torch.arange(9.0)
    x[:3].add_(x[3:6])  # disjoint
    x[::2][:4].add_(x[1::2])  # strided: too hard for PyTorch to tell, allowed
    x.mul_(x)
    x[:4].sub_(x[:4], alpha=0.5)  # the same view
    leaf = torch.ones(3, 3, requires_grad=True)
    try:
        leaf.t().add_(leaf)
    except RuntimeError as e:  # autograd's error comes before the kernel's
        return x, x._version, str(e)
    return x


# ---- saved views made under no_grad (seed 32277) --------------------------------------------
def _saved_no_grad_view(torch, make):
    leaf = torch.ones(2, 3, dtype=torch.float64, requires_grad=True)
    w = torch.full((1,), 2.0, dtype=torch.float64, requires_grad=True)
    with torch.no_grad():
        other, v = leaf[0], leaf[1]
    s = make(v, w)
    with torch.no_grad():
        other.add_(1)  # the shared version counter moves on
    s.sum().backward()
    return leaf.grad, w.grad


@program
def product_of_a_no_grad_view_with_itself_after_its_base_changed(torch):
    """PyTorch's node saves an input only for a gradient it computes: none for a view made
    under no_grad (no edge), so no version check."""
    return _saved_no_grad_view(torch, lambda v, w: v * v)


@error(RuntimeError, r"^A view was created in no_grad mode and its base or another view of its base has been modified inplace with grad mode enabled")  # fmt: skip
def product_of_a_no_grad_view_with_a_weight_after_its_base_changed(torch):
    """The weight's gradient reads the view: PyTorch reads its grad_fn, which raises first."""
    _saved_no_grad_view(torch, lambda v, w: v * w)


@error(RuntimeError, r"^one of the variables needed for gradient computation has been modified by an inplace operation: \[torch\.DoubleTensor \[3\]\], which is output 0 of Exp")  # fmt: skip
def exp_of_a_no_grad_view_changed_in_place(torch):
    """A single-input node saves its result all the same."""
    a = torch.ones(3, dtype=torch.float64, requires_grad=True)
    w = torch.full((1,), 2.0, dtype=torch.float64, requires_grad=True)
    with torch.no_grad():
        v = a[0:3]
    x = v.exp()
    x.div_(w)
    x.sum().backward()


# ---- test_fuzz_linalg seed 30124 --------------------------------------------------------------
@program
def householder_product_of_an_empty_batch_has_no_gradients(torch):
    """PyTorch's backward gives none when input or tau has no elements (a zero tensor in
    minitorch for an empty batch)."""
    out = []
    for shape, tau_shape in (((0, 3, 2), (0, 2)), ((2, 0, 0), (2, 0)), ((3, 2), (0,))):
        A = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
        tau = torch.zeros(tau_shape, dtype=torch.float64, requires_grad=True)
        q = torch.linalg.householder_product(A, tau)
        out += [q, q.grad_fn.name(), torch.autograd.grad(q.sum(), [A, tau], allow_unused=True)]
    return out


@program
def overlapping_values_pytorch_takes(torch):
    """index_fill_ reads a 0-d value as a number; masked_scatter_ takes an overlapping source."""
    x = torch.arange(6.0)
    x.index_fill_(0, torch.tensor([1]), x[0])
    y = torch.arange(6.0)
    y[2:].masked_scatter_(y[2:] > 2, y[0:4])
    return x, y
