"""User-defined autograd.Function: ctx API, multiple outputs, None grads, in-place outputs,
error messages, and higher-order gradients through a custom backward."""

from __future__ import annotations

import pytest
from conftest import assert_close

import minitorch
from minitorch.autograd import Function, gradcheck, gradgradcheck


def leaf(values, dtype=None):
    return minitorch.tensor(values, dtype=dtype, requires_grad=True)


class ScaledSquare(Function):
    @staticmethod
    def forward(ctx, x, k):
        ctx.save_for_backward(x)
        ctx.k = k
        assert not minitorch.is_grad_enabled()  # forward runs untracked, as in PyTorch
        return x * x * k

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        ctx.seen_needs = ctx.needs_input_grad
        return g * 2 * x * ctx.k, None


def test_save_for_backward_and_plain_attributes():
    x = leaf([1.0, 2.0, 3.0])
    y = ScaledSquare.apply(x, 3.0)
    assert_close(y, [3.0, 12.0, 27.0])
    assert y.grad_fn.name() == "ScaledSquareBackward"
    y.sum().backward()
    assert_close(x.grad, [6.0, 12.0, 18.0])
    assert y.grad_fn.seen_needs == (True, False)


def test_needs_input_grad_per_input():
    class Mul(Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, g):
            a, b = ctx.saved_tensors
            na, nb = ctx.needs_input_grad
            return (g * b if na else None), (g * a if nb else None)

    a, b = leaf([2.0]), minitorch.tensor([5.0])
    y = Mul.apply(a, b)
    assert y.grad_fn.needs_input_grad == (True, False)
    y.sum().backward()
    assert a.grad.item() == 5.0 and b.grad is None


def test_without_staticmethod():
    class Cube(Function):
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x * x

    x = leaf([2.0])
    Cube.apply(x).sum().backward()
    assert x.grad.item() == 12.0


def test_multiple_outputs_and_non_differentiable_output(torch):
    for L in (minitorch, torch):

        class SplitMax(L.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                idx = x.argmax()
                ctx.mark_non_differentiable(idx)
                return x * 2, x * 3, idx

            @staticmethod
            def backward(ctx, g1, g2, gi):
                return g1 * 2 + g2 * 3

        x = L.tensor([1.0, 5.0, 3.0], requires_grad=True)
        a, b, i = SplitMax.apply(x)
        assert not i.requires_grad and i.item() == 1
        assert a.requires_grad and b.requires_grad
        a.sum().backward()  # b got no gradient: backward sees zeros for it
        assert_close(x.grad, [2.0, 2.0, 2.0])
        x.grad = None
        (a.sum() + b.sum()).backward()
        assert_close(x.grad, [5.0, 5.0, 5.0])


def test_set_materialize_grads_false_gives_none():
    seen = []

    class Two(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 1, x * 2

        @staticmethod
        def backward(ctx, g1, g2):
            seen.append(g2)
            return g1

    x = leaf([1.0])
    a, _ = Two.apply(x)
    a.sum().backward()
    assert seen == [None] and x.grad.item() == 1.0


def test_none_gradient_for_an_input():
    class OnlySecond(Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return None, g

    x, y = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    OnlySecond.apply(x, y).sum().backward()
    assert x.grad is None
    assert_close(y.grad, [1.0, 1.0])


def test_gradient_broadcast_to_input_shape_is_summed(torch):
    for L in (minitorch, torch):

        class Wide(L.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g.new_ones(2, 3)

        x = L.tensor([1.0, 1.0, 1.0], requires_grad=True)
        Wide.apply(x).sum().backward()
        assert_close(x.grad, [2.0, 2.0, 2.0])


def test_mark_dirty_rebases_the_input():
    class DoubleInPlace(Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    a = leaf([1.0, 2.0, 3.0])
    x = a * 1
    y = DoubleInPlace.apply(x)
    assert y is x and x.grad_fn.name() == "DoubleInPlaceBackward"
    assert x._version == 2  # mul_ bumped it, mark_dirty too (as in PyTorch)
    (x * minitorch.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert_close(a.grad, [2.0, 20.0, 200.0])
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        DoubleInPlace.apply(leaf([1.0]))


def test_mark_dirty_on_view_rebases_base(torch):
    for L in (minitorch, torch):

        class DoubleInPlace(L.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.mul_(2)
                ctx.mark_dirty(x)
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 2

        a = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        x = a * 1
        tail = x[1:]
        DoubleInPlace.apply(x[:2])
        assert_close(x, [2.0, 4.0, 3.0])
        (x * L.tensor([1.0, 10.0, 100.0])).sum().backward(retain_graph=True)
        assert_close(a.grad, [2.0, 20.0, 100.0])
        a.grad = None
        tail.sum().backward()  # tail was taken before the change: it must see it
        assert_close(a.grad, [0.0, 2.0, 1.0])


def test_saved_tensors_without_save_for_backward_is_empty():
    def run(lib):
        class NoSave(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x.clamp(min=0)

            @staticmethod
            def backward(ctx, g):
                seen.append(ctx.saved_tensors)
                (x,) = ctx.saved_tensors
                return g

        seen = []
        y = NoSave.apply(lib.tensor([1.0, -1.0], requires_grad=True))
        with pytest.raises(ValueError, match=r"not enough values to unpack \(expected 1, got 0\)"):
            y.sum().backward()
        return seen

    assert run(minitorch) == [()]  # PyTorch's too: () and the ValueError of unpacking it


def test_wrong_gradient_shape_raises():
    class Wrong(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return minitorch.ones(4)

    with pytest.raises(
        RuntimeError,
        match=r"Function WrongBackward returned an invalid gradient at index 0 - got \[4\] "
        r"but expected shape compatible with \[3\]",
    ):
        Wrong.apply(leaf([1.0, 2.0, 3.0])).sum().backward()


def test_wrong_number_of_gradients_raises():
    class TooMany(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g, g

    with pytest.raises(
        RuntimeError,
        match=r"function TooManyBackward returned an incorrect number of gradients "
        r"\(expected 1, got 2\)",
    ):
        TooMany.apply(leaf([1.0])).sum().backward()


def test_gradient_that_is_not_a_tensor_raises():
    class Numpy(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g.numpy()

    with pytest.raises(RuntimeError, match=r"^expected Variable or None \(got numpy.ndarray\)$"):
        Numpy.apply(leaf([1.0])).sum().backward()


def test_missing_backward_raises():
    class NoBackward(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    with pytest.raises(NotImplementedError, match="does not implement backward"):
        NoBackward.apply(leaf([1.0])).sum().backward()


def test_saved_output_modified_in_place_raises():
    class Exp(Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    y = Exp.apply(leaf([0.0, 1.0]) * 1)
    y.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation.*output 0 of Exp,"):
        y.sum().backward()


def test_custom_backward_is_differentiable():
    class Exp(Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)  # saving the output keeps it graph-connected
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    class Cube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x**2

    x = minitorch.tensor([0.5, -0.3, 1.1], dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(lambda t: Exp.apply(Cube.apply(t)), (x,))
    assert gradgradcheck(lambda t: Exp.apply(Cube.apply(t)), (x,))
    (g,) = minitorch.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
    (h,) = minitorch.autograd.grad(g.sum(), x)
    assert_close(h, 6 * x.detach())


def test_no_node_when_no_input_requires_grad():
    y = ScaledSquare.apply(minitorch.tensor([1.0, 2.0]), 2.0)
    assert y.grad_fn is None and not y.requires_grad
    with minitorch.no_grad():
        z = ScaledSquare.apply(leaf([1.0]), 2.0)
    assert z.grad_fn is None


def _held_gradient(L):
    held = L.tensor([5.0, 5.0])

    class Constant(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return held  # a tensor the Function keeps

    x = L.tensor([1.0, 1.0], requires_grad=True)
    Constant.apply(x).sum().backward()
    Constant.apply(x).sum().backward()
    return held, x.grad


def test_gradient_tensor_held_by_the_function_is_never_changed(torch):
    for L in (minitorch, torch):
        held, grad = _held_gradient(L)
        assert_close(held, [5.0, 5.0])
        assert_close(grad, [10.0, 10.0])
