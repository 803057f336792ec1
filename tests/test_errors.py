"""Bad input gets a clear error (type and message checked) and corrupts nothing."""

from __future__ import annotations

import pytest
from conftest import assert_close

import minitorch
from minitorch import autograd


def leaf(values):
    return minitorch.tensor(values, requires_grad=True)


def test_backward_through_freed_graph_in_a_training_loop():
    # the usual real cause: a hidden state carried across steps without .detach()
    w = leaf([0.5, 0.5])
    h = minitorch.zeros(2)
    h = h * w + 1
    h.sum().backward()
    grad_before = w.grad.tolist()
    h = h * w + 1
    with pytest.raises(RuntimeError) as err:
        h.sum().backward()
    msg = str(err.value)
    assert "backward through the graph a second time" in msg
    assert "at node MulBackward0" in msg  # names the node
    assert "retain_graph=True" in msg
    assert ".detach()" in msg
    assert w.grad.tolist() == grad_before  # nothing half-applied


def test_freed_graph_error_leaves_other_leaves_untouched():
    w, a = leaf([1.0, 1.0]), leaf([1.0, 1.0])
    y = ((w * 2) * (w * 2)).sum()
    y.backward()
    z = y + (a * a).sum()  # a's part runs first in topological order
    with pytest.raises(RuntimeError, match="second time.*retain_graph=True"):
        z.backward()
    assert a.grad is None


def test_freed_graph_is_fine_with_detach():
    w = leaf([0.5, 0.5])
    h = minitorch.zeros(2)
    for _ in range(3):
        h = h.detach() * w + 1
        h.sum().backward()
    assert_close(w.grad, [0.0 + 1.0 + 1.5, 0.0 + 1.0 + 1.5])


def test_saved_tensors_access_after_free_names_node():
    x = leaf([1.0, 2.0])
    y = x.exp()
    y.sum().backward()
    with pytest.raises(RuntimeError, match="at node ExpBackward0"):
        y.grad_fn.saved_tensors


@pytest.mark.parametrize(
    "op, name",
    [
        (lambda a, b: a + b, "add"),
        (lambda a, b: a * b, "mul"),
        (lambda a, b: a - b, "sub"),
        (lambda a, b: a / b, "div"),
    ],
)
def test_shape_mismatch_names_op_and_both_shapes(op, name):
    a, b = leaf([[1.0, 2.0, 3.0]] * 2), minitorch.ones(4)
    with pytest.raises(RuntimeError, match=rf"{name}: .*\[2, 3\] and \[4\]"):
        op(a, b)


def test_matmul_shape_mismatch():
    with pytest.raises(RuntimeError, match=r"matmul: .*2x3 and 2x3"):
        minitorch.ones(2, 3) @ minitorch.ones(2, 3)


def test_non_scalar_backward_without_gradient():
    x = leaf([1.0, 2.0])
    with pytest.raises(
        RuntimeError, match=r"grad can be implicitly created only for scalar outputs.*\(2,\)"
    ):
        (x * 2).backward()
    assert x.grad is None


def test_inplace_on_leaf():
    w = leaf([1.0, 2.0])
    with pytest.raises(
        RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"
    ):
        w.mul_(2)
    assert w.tolist() == [1.0, 2.0] and w._version == 0 and w.is_leaf


def test_saved_tensor_modified_in_place():
    a = leaf([1.0, 2.0])
    y = (a * 1).sigmoid()  # saves its output
    y.add_(1)
    with pytest.raises(
        RuntimeError,
        match=r"modified by an inplace operation: \[torch\.FloatTensor \[2\]\], which is output 0 "
        r"of Sigmoid, is at version 1; expected version 0",
    ):
        y.sum().backward()
    assert a.grad is None


def test_grad_of_tensor_that_does_not_require_grad():
    x = leaf([1.0, 2.0])
    c = minitorch.ones(2)
    with pytest.raises(
        RuntimeError, match=r"differentiated Tensors does not require grad \(inputs\[0\]\)"
    ):
        autograd.grad((x * c).sum(), c)
    with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad"):
        minitorch.ones(2).sum().backward()
    with pytest.raises(
        RuntimeError, match="can't retain_grad on Tensor that has requires_grad=False"
    ):
        (x * 2).sum().backward(inputs=[c])  # (PyTorch's engine retains each input's grad first)


@pytest.mark.parametrize(
    "make",
    [
        lambda: minitorch.tensor([1, 2], requires_grad=True),
        lambda: minitorch.zeros(2, dtype=minitorch.int64, requires_grad=True),
        lambda: minitorch.arange(3, requires_grad=True),
        lambda: minitorch.tensor([1, 2]).requires_grad_(),
        lambda: minitorch.tensor([True]).requires_grad_(),
    ],
)
def test_integer_tensor_cannot_require_grad(make):
    with pytest.raises(
        RuntimeError, match=r"^[Oo]nly Tensors of floating point .*can require gradients$"
    ):  # PyTorch's words, nothing appended
        make()


def test_wrong_gradient_shape():
    x = leaf([1.0, 2.0])
    y = x * 2
    with pytest.raises(
        RuntimeError,
        match=r"Mismatch in shape: grad_output\[0\] has a shape of minitorch.Size\(\[3\]\) and "
        r"output\[0\] has a shape of minitorch.Size\(\[2\]\)",
    ):
        y.backward(minitorch.ones(3))
    with pytest.raises(RuntimeError, match=r"Mismatch in shape"):
        autograd.grad(y, x, grad_outputs=minitorch.ones(2, 1))
    assert x.grad is None
    y.backward(minitorch.ones(2))  # the graph is intact after the errors
    assert_close(x.grad, [2.0, 2.0])


def test_wrong_number_of_gradients():
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match="got 2 gradients for 1 outputs"):
        autograd.backward([x * 2], [minitorch.ones(1), minitorch.ones(1)])


def test_assigning_grad_of_wrong_shape_or_dtype():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"gradient of size '\[3\]' to a tensor of size '\[2\]'"):
        x.grad = minitorch.ones(3)
    with pytest.raises(
        RuntimeError, match="gradient with dtype 'double' to a tensor with grad_dtype"
    ):
        x.grad = minitorch.ones(2, dtype=minitorch.float64)
    with pytest.raises(TypeError, match="expected to be a Tensor or None"):
        x.grad = [1.0, 2.0]
    assert x.grad is None


def test_numpy_of_tensor_that_requires_grad():
    with pytest.raises(RuntimeError, match=r"Use tensor.detach\(\).numpy\(\)"):
        leaf([1.0]).numpy()


def test_inf_and_nan_results_are_silent_as_in_pytorch_but_numpy_still_warns():
    import subprocess
    import sys

    code = (
        "import minitorch as t, numpy as np\n"
        "x = t.tensor([0.0, -1.0, 1000.0], requires_grad=True)\n"
        "t.log(x).sum().backward()\n"
        "print(t.exp(x).tolist(), (1 / x).tolist()[0], x.grad.tolist())\n"
        "np.log(np.zeros(1))\n"
    )
    run = subprocess.run(
        [sys.executable, "-W", "default", "-c", code], capture_output=True, text=True, check=True
    )
    assert (
        run.stdout.strip()
        == "[1.0, 0.3678794205188751, inf] inf [inf, -1.0, 0.0010000000474974513]"
    )
    assert run.stderr.count("RuntimeWarning") == 1  # numpy's own call, outside minitorch
    assert "divide by zero encountered in log" in run.stderr
