"""Sweep 27: in-place changes of views under autograd, the behaviours the in-place-on-views
fuzzer (tests/test_fuzz_inplace_views.py) found diverging, each pinned by a focused program:
a view's grad_fn regenerated once its version moved on under no_grad or inference_mode,
in-place view ops (t_, as_strided_) of a base with live views, the "view of a leaf" check
of a base that no longer requires grad (and its place before the kernel's overlap check),
detach_() inside inference_mode, and a leaf detach_()ed after its views were made."""

from __future__ import annotations

import warnings

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


def _leaf(torch, *shape):
    """A float64 leaf that requires grad (no view: made by ``tensor``)."""
    values = torch.linspace(-1, 2, 24, dtype=torch.float64)[: int(torch.Size(shape).numel())]
    return torch.tensor(values.reshape(shape).tolist(), dtype=torch.float64, requires_grad=True)


@program
def view_node_regenerated_after_no_grad_change_of_the_view(torch):
    a = _leaf(torch, 3, 4)
    v = a[:, 2:]
    with torch.no_grad():
        v.mul_(2)
    return v.grad_fn.name(), v._version, a.grad_fn, a._version


@program
def view_node_regenerated_after_no_grad_change_of_the_base(torch):
    a = _leaf(torch, 3, 4)
    x = a * 1.5
    u, w = x[1], x.t()[1:]
    with torch.no_grad():
        x.mul_(2)
    names = [u.grad_fn.name(), w.grad_fn.name(), x.grad_fn.name()]
    (u.sum() + (w * w).sum()).backward()
    return names, u.grad_fn.next_functions[0][0] is x.grad_fn, a.grad


@program
def view_node_regenerated_after_inference_mode_change(torch):
    a = _leaf(torch, 2, 3)
    x = a * 1.5
    v = x.diagonal()
    with torch.inference_mode():
        x[0].zero_()
    name = v.grad_fn.name()
    (v * torch.tensor([2.0, 3.0], dtype=torch.float64)).sum().backward()
    return name, v, a.grad


@program
def view_node_after_a_no_grad_change_of_another_view(torch):
    a = _leaf(torch, 4)
    x = a * 2
    v, w = x[:2], x[1:].unsqueeze(0)
    with torch.no_grad():
        v.add_(10)
    names = v.grad_fn.name(), w.grad_fn.name()
    w.sum().backward()
    return names, w, a.grad


@program
def transpose_in_place_of_a_base_with_a_view(torch):
    a = _leaf(torch, 2, 3)
    w = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=torch.float64)
    x = a * 1
    v = x[0]
    with torch.no_grad():
        v.mul_(3)
    x.t_()
    (x * w).sum().backward()
    return x.grad_fn.name(), v.grad_fn.name(), a.grad


@program
def as_strided_in_place_of_a_base_with_a_view(torch):
    a = _leaf(torch, 6)
    y = a.clone()
    v = y[1:3]
    y.as_strided_((2, 2), (1, 2), 1)
    (y * torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64)).sum().backward()
    return y.grad_fn.name(), v.grad_fn.name(), a.grad


@error(RuntimeError, r"^a view of a leaf Variable that requires grad is being used in an in-place")
def view_of_a_detached_leaf_changed_in_place(torch):
    a = _leaf(torch, 2, 3, 4)
    v = a[1, ::2]
    a.detach_()
    v.tanh_()


@error(RuntimeError, r"^a view of a leaf Variable that requires grad is being used in an in-place")
def view_of_a_leaf_that_stopped_requiring_grad_changed_in_place(torch):
    a = _leaf(torch, 4, 3)
    v = a.narrow(0, 1, 2)
    a.requires_grad_(False)
    v.mul_(v)


@error(RuntimeError, r"^a view of a leaf Variable that requires grad is being used in an in-place")
def expanded_view_of_a_leaf_refused_before_its_overlap(torch):
    a = _leaf(torch, 3, 4)
    v = a.unsqueeze(0).expand(2, 3, 4)
    v.masked_fill_(torch.tensor([[[True]], [[False]]]), 1.0)


@program
def detach_in_place_inside_inference_mode_is_a_no_op(torch):
    a = _leaf(torch, 3)
    x = a * 2
    v = x[1:]
    with torch.inference_mode():
        a.detach_()
        x.detach_()
        v.detach_()
    return a.requires_grad, x.grad_fn.name(), v.grad_fn.name(), v._base is x


@program
def leaf_detached_after_its_view_gets_no_gradient(torch):
    a = _leaf(torch, 2, 3)
    v = a[1]
    a.detach_()
    (v * 2).sum().backward()
    b = _leaf(torch, 3)
    u = b.unsqueeze(0)
    b.requires_grad_(False)
    u.sum().backward()
    return a.grad, a.requires_grad, b.grad, v.requires_grad


@program
def no_grad_view_of_a_view_of_a_leaf_that_stopped_requiring_grad(torch):
    a = _leaf(torch, 4, 3)
    v = a[1:]
    a.requires_grad_(False)
    with torch.no_grad():
        w = v.reshape(1, -1)
        u = a[0]
    return w.requires_grad, w.grad_fn, u.requires_grad, v.requires_grad


@program
def view_of_a_reshape_copy_of_a_no_grad_view_changed_in_place(torch):
    a = _leaf(torch, 2, 3, 4)
    with torch.no_grad():
        p = a.permute(1, 2, 0)
    r = p.reshape(-1)  # a copy (UnsafeViewBackward0): no view of the no_grad view
    s = r[3]
    s.mul_(2)
    r.sum().backward()
    return r.grad_fn.name(), s.grad_fn.name(), r


@program
def no_grad_view_follows_its_base_requires_grad(torch):
    a = _leaf(torch, 3, 4)
    with torch.no_grad():
        m = a.mT
    flags = [m.requires_grad]
    with torch.no_grad():
        a.requires_grad_(False)
    flags += [m.requires_grad, m.sigmoid().requires_grad]
    a.requires_grad_(True)
    flags.append(m.requires_grad)
    x = a * 2
    with torch.no_grad():
        v = x[0]
    x.detach_()
    return flags, v.requires_grad, (v * 2).requires_grad


@program
def masked_fill_of_an_expanded_tensor(torch):
    x = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64)
    e = x.unsqueeze(0).expand(2, 4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        e.masked_fill_(torch.tensor([True, False, True, False]), 3.0)
    a = _leaf(torch, 4)
    y = a * 1
    f = y.unsqueeze(0).expand(3, 4)
    f.masked_fill_(torch.tensor([[False, True, False, True]]), 0.5)
    return x, e._version, str(caught[0].message)[:50], y, f.grad_fn.name()


@error(RuntimeError, r"^unsupported operation: more than one element of the written-to tensor")
def backward_through_masked_fill_of_an_expanded_view(torch):
    a = _leaf(torch, 4)
    y = a * 1
    y.unsqueeze(0).expand(3, 4).masked_fill_(torch.tensor([[False, True, False, True]]), 0.5)
    y.sum().backward()


@program
def no_grad_view_of_a_leaf_that_stopped_requiring_grad_changed_in_place(torch):
    a = _leaf(torch, 4)
    with torch.no_grad():
        v = a[-1]
        w = a[:2]
    a.requires_grad_(False)
    v.sigmoid_()
    w.mul_(3)
    w[0] = 1.5
    return a, v.requires_grad, v._version


@program
def masked_fill_and_index_put_of_an_expanded_view_write_the_selected_elements(torch):
    y = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64)
    y.unsqueeze(0).expand(2, 4).masked_fill_(torch.tensor([[True, False], [False, True]]).repeat(1, 2), 7.0)  # fmt: skip
    a = _leaf(torch, 4)
    x = a * 1
    e = x.unsqueeze(0).expand(2, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (PyTorch's deprecation of both)
        e[torch.tensor([0])] = 0.5
        e.masked_fill_(torch.tensor([[True, False, False, False], [False, True, False, False]]), 7.0)  # fmt: skip
    return y, x, e.grad_fn.name(), e._version


@error(RuntimeError, r"^Output 0 of Split is a view and its base or another view of its base has")
def view_of_a_split_output_after_its_base_changed_is_refused(torch):
    a = _leaf(torch, 4, 2)
    x = a * 2
    s = x.split(2)[0]
    x.mul_(2)
    s[..., ::2]


@program
def split_output_after_its_base_changed(torch):
    a = _leaf(torch, 2, 3)
    x = a * 2
    u = x.unbind(0)[1]
    early = u * 3  # used before the change: its gradient flows
    with torch.no_grad():
        x.add_(1)
    errors = []
    for use in (lambda: u.sigmoid(), lambda: u.unsqueeze(0), lambda: u.add_(1)):
        try:
            use()
        except RuntimeError as e:
            errors.append(str(e)[:60])
    with torch.no_grad():
        late = u * 2  # unrecorded: allowed
    early.sum().backward()
    return errors, late, u.requires_grad, a.grad


@error(RuntimeError, r"^A view was created in inference mode and its base or another view of its")
def view_of_an_inference_mode_view_keeps_its_mode(torch):
    a = _leaf(torch, 3, 3)
    x = a * 1
    with torch.inference_mode():
        d = x.diagonal()
    with torch.no_grad():
        v = d[::2]
        x.mul_(2)
    v.pow(2)


@program
def view_of_a_no_grad_view_after_its_base_changed(torch):
    a = _leaf(torch, 3, 4)
    with torch.no_grad():
        p = a[1, ::2]
    n = p.narrow(0, 0, 1)  # made in grad mode: it inherits p's creation mode
    with torch.no_grad():
        p.sub_(1)
    errors = []
    for use in (lambda: n[..., ::1], lambda: n * 2, lambda: n.mul_(2)):
        try:
            use()
        except RuntimeError as e:
            errors.append(str(e)[:100])
    return errors, n.requires_grad


@program
def out_into_an_inference_tensor_outside_inference_mode(torch):
    with torch.inference_mode():
        t = torch.zeros(3, dtype=torch.float64)
    a = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
    errors = []
    for f in (lambda: torch.mul(a, 2, out=t), lambda: torch.sigmoid(a, out=t)):
        try:
            f()
        except RuntimeError as e:
            errors.append(str(e)[:60])
    first = t.clone()  # PyTorch wrote the values before it refused
    with torch.inference_mode():
        torch.add(a, 1, out=t)
    return errors, first, t
