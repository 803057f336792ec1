"""The graph as PyTorch shows it: ``type(y.grad_fn).__name__`` and ``grad_fn.next_functions``
(one entry per input PyTorch's node has: no entries for dims, numbers or index tensors;
``(None, 0)`` for an input that needs no gradient, a wrapped number or a left-out optional
tensor). Programs that walk or print the graph (tutorials, torchviz-style code) see the same."""

from __future__ import annotations

import pytest

import minitorch


def describe(fn):
    """(type name, name(), the next nodes' names), one level deep."""
    if fn is None:
        return None
    nexts = tuple(None if n is None else n.name() for n, _ in fn.next_functions)
    return type(fn).__name__, fn.name(), nexts


CASES = {
    "sum_dim": lambda T, a, b, i: a.sum(1),
    "sum": lambda T, a, b, i: a.sum(),
    "mean_keepdim": lambda T, a, b, i: a.mean(1, keepdim=True),
    "x_times_number": lambda T, a, b, i: a * 2,
    "number_times_x": lambda T, a, b, i: 2 * a,
    "x_plus_number": lambda T, a, b, i: a + 1,
    "number_plus_x": lambda T, a, b, i: 1 + a,
    "x_minus_number": lambda T, a, b, i: a - 1,
    "number_minus_x": lambda T, a, b, i: 1 - a,
    "x_over_number": lambda T, a, b, i: a / 2,
    "times_detached": lambda T, a, b, i: a * b.detach(),
    "times_int_tensor": lambda T, a, b, i: a * i,
    "pow_number": lambda T, a, b, i: a**2,
    "number_pow": lambda T, a, b, i: 2**a,
    "pow_tensor": lambda T, a, b, i: (a * a + 1) ** b,
    "gather": lambda T, a, b, i: a.gather(1, i),
    "where_tensors": lambda T, a, b, i: T.where(a > 0, a, b),
    "where_number": lambda T, a, b, i: T.where(a > 0, a, 0.0),
    "cat": lambda T, a, b, i: T.cat([a, b], 0),
    "stack": lambda T, a, b, i: T.stack([a, b], 1),
    "mse_loss": lambda T, a, b, i: T.nn.functional.mse_loss(a, b),
    "view": lambda T, a, b, i: a.view(-1),
    "transpose": lambda T, a, b, i: a.transpose(0, 1),
    "slice": lambda T, a, b, i: a[:, 1:],
    "select": lambda T, a, b, i: a[0],
    "clamp_numbers": lambda T, a, b, i: a.clamp(0, 1),
    "clamp_tensor_min": lambda T, a, b, i: a.clamp(b, None),
    "masked_fill": lambda T, a, b, i: a.masked_fill(a > 0, 1.0),
    "split": lambda T, a, b, i: a.split(1, 0)[1],
    "softmax": lambda T, a, b, i: a.softmax(1),
    "log_softmax": lambda T, a, b, i: a.log_softmax(-1),
    "layer_norm_no_affine": lambda T, a, b, i: T.nn.functional.layer_norm(a, (3,)),
    "batch_norm_no_affine": lambda T, a, b, i: T.nn.functional.batch_norm(
        a, None, None, training=True
    ),
    "lerp_number": lambda T, a, b, i: T.lerp(a, b, 0.5),
    "scatter": lambda T, a, b, i: a.scatter(1, i, b),
    "max_dim_values": lambda T, a, b, i: a.amax(1),
    "sort_values": lambda T, a, b, i: a.sort(1)[0],
    "cumsum": lambda T, a, b, i: a.cumsum(1),
    "gelu": lambda T, a, b, i: T.nn.functional.gelu(a),
    "leaky_relu": lambda T, a, b, i: T.nn.functional.leaky_relu(a, 0.1),
    "embedding": lambda T, a, b, i: T.nn.functional.embedding(T.tensor([0, 1]), a),
    "pad": lambda T, a, b, i: T.nn.functional.pad(a, (1, 1)),
    "to_double": lambda T, a, b, i: a.double(),
    "matmul": lambda T, a, b, i: a @ b.t(),
    "mse_of_linear_layer": lambda T, a, b, i: (
        T.nn.functional.mse_loss(
            T.nn.functional.linear(a.relu(), b, T.zeros(2, requires_grad=True)), T.zeros(2, 2)
        )
        .grad_fn.next_functions[0][0]
        .next_functions[0][0]
    ),
    "chain": lambda T, a, b, i: ((a * 2).exp() + b).relu().sum(),
}


def _run(T, case):
    T.manual_seed(0)
    a = T.randn(2, 3, requires_grad=True)
    b = T.randn(2, 3, requires_grad=True)
    i = T.tensor([[0, 1, 2], [2, 1, 0]])
    out = CASES[case](T, a, b, i)
    return describe(out if not isinstance(out, T.Tensor) else out.grad_fn)


@pytest.mark.parametrize("case", sorted(CASES))
def test_grad_fn_type_and_next_functions_match_torch(case, torch):
    assert _run(minitorch, case) == _run(torch, case)


def test_next_functions_leave_out_dims_numbers_and_index_tensors():
    a = minitorch.randn(2, 3, requires_grad=True)
    y = a.sum(1)
    assert type(y.grad_fn).__name__ == "SumBackward1"
    (edge,) = y.grad_fn.next_functions
    assert edge[0] is a.grad_fn or edge[0].variable is a
    g = a.gather(1, minitorch.tensor([[0], [1]]))
    assert [type(n).__name__ for n, _ in g.grad_fn.next_functions] == ["AccumulateGrad"]


def test_wrapped_numbers_and_optional_tensors_are_none_entries():
    a = minitorch.randn(3, requires_grad=True)
    assert (a * 2).grad_fn.next_functions[1] == (None, 0)
    assert (2 * a).grad_fn.next_functions[1] == (None, 0)  # PyTorch's mul(a, 2)
    assert len((1 - a).grad_fn.next_functions) == 1  # PyTorch's rsub(a, 1)
    ln = minitorch.nn.functional.layer_norm(a, (3,))
    assert ln.grad_fn.next_functions[1:] == ((None, 0), (None, 0))


def test_node_types_are_subclasses_of_the_function():
    class Twice(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k, idx):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2, None, None

    x = minitorch.randn(3, requires_grad=True)
    y = Twice.apply(x, 2.0, minitorch.tensor([1]))
    assert type(y.grad_fn).__name__ == y.grad_fn.name() == "TwiceBackward"
    assert isinstance(y.grad_fn, Twice)
    # a user Function's tensor arguments all have entries (an index tensor too); numbers don't
    assert [n if n is None else n.name() for n, _ in y.grad_fn.next_functions] == [
        "torch::autograd::AccumulateGrad",
        None,
    ]
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]


def test_renamed_nodes_keep_their_op_behaviour():
    a = minitorch.randn(4, 3, requires_grad=True)
    w = minitorch.randn(5, 3, requires_grad=True)
    y = minitorch.nn.functional.linear(a, w)  # named MmBackward0 in forward
    assert type(y.grad_fn).__name__ == "MmBackward0"
    y.sum().backward()
    assert a.grad.shape == (4, 3) and w.grad.shape == (5, 3)


@pytest.mark.parametrize("bias", [False, True])
def test_linear_nodes_list_inputs_in_torch_order(bias, torch):
    """addmm(bias, x, weight.t()) / mm(x, weight.t()); PyTorch's weight entry is a TBackward0
    node where minitorch's is the weight's own (no transpose node is made)."""

    def run(T):
        a = T.randn(2, 3, requires_grad=True)
        w = T.randn(2, 3, requires_grad=True)
        y = T.nn.functional.linear(a.relu(), w, T.zeros(2, requires_grad=True) if bias else None)
        names = [n.name() for n, _ in y.grad_fn.next_functions]
        return y.grad_fn.name(), names[:-1], len(names)

    assert run(minitorch) == run(torch)


def test_nodes_are_graph_nodes_with_metadata(torch):
    def run(T):
        x = T.ones(2, requires_grad=True)
        fn = (x * 2).sum().grad_fn
        fn.metadata["tag"] = 1
        acc = fn.next_functions[0][0].next_functions[0][0]
        return (
            isinstance(fn, T.autograd.graph.Node),
            isinstance(acc, T.autograd.graph.Node),
            fn.metadata,
            acc.metadata,
            acc.variable is x,
        )

    assert run(minitorch) == run(torch)
