"""Session 9 compatibility sweep of PyTorch's own docstring examples (second pass): the
``>>>`` examples of torch, Tensor, nn, func, distributions, storages and their neighbours,
and the edge cases next to them, run with real PyTorch (the oracle) and with minitorch
(tests/sweep_harness.py)."""

from __future__ import annotations

import builtins

import pytest
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


@pytest.mark.parametrize("name", SWEEP.programs)
def test_program_matches_pytorch(torch, name):
    SWEEP.check(name, torch)


# ---- torch.asarray: autograd history -----------------------------------------------------------
@program
def asarray_doc_history(torch):
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = a + 2
    c = torch.asarray(b, requires_grad=False)
    d = torch.asarray(b, requires_grad=True)
    e = torch.asarray(b)
    return (
        c,
        c.grad_fn is None,
        c.data_ptr() == b.data_ptr(),
        c is b,
        type(d.grad_fn).__name__,
        d is b,
        type(e.grad_fn).__name__,
    )


@program
def asarray_copy_keeps_history(torch):
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    c = torch.asarray(a * 2, copy=True)
    c.sum().backward()
    return c, type(c.grad_fn).__name__, a.grad


@program
def asarray_leaf_requires_grad_false(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    r = torch.asarray(a, requires_grad=False)
    return r is a, a.requires_grad, r.requires_grad


@program
def asarray_dtype_conversion_history(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    r = torch.asarray(a * 3, dtype=torch.float64)
    r.sum().backward()
    return r, type(r.grad_fn).__name__, a.grad


@program
def asarray_list_and_numpy(torch):
    import numpy as np

    arr = np.array([1, 2, 3])
    t1 = torch.asarray(arr)
    t2 = torch.asarray(arr, dtype=torch.float32)
    t3 = torch.asarray([1.0, 2.0], requires_grad=True)
    return (
        t1,
        arr.__array_interface__["data"][0] == t1.data_ptr(),
        arr.__array_interface__["data"][0] == t2.data_ptr(),
        t2,
        t3,
        t3.is_leaf,
        torch.asarray(np.float64(0.5)),
    )


# ---- torch.typename ----------------------------------------------------------------------------
@program
def typename_doc(torch):
    return (
        torch.typename(torch.nn.Parameter),
        torch.typename(torch.nn.Linear(2, 2)),
        torch.typename(torch.nn.Linear),
        torch.typename(3),
        torch.typename(len),
        torch.typename(torch.zeros(2, dtype=torch.int64)),
        torch.typename(int),
    )


# ---- Tensor.dim_order / empty(memory_format=) --------------------------------------------------
def _dim_orders(torch, t):
    out = []
    for check in (
        False,
        True,
        [torch.contiguous_format, torch.channels_last],
        [torch.channels_last],
    ):
        try:
            out.append(t.dim_order(ambiguity_check=check))
        except RuntimeError as e:
            out.append(str(e))
    return out


@program
def dim_order_doc(torch):
    return [
        _dim_orders(torch, t)
        for t in (
            torch.empty((2, 3, 5, 7)),
            torch.empty((2, 3, 5, 7)).transpose(1, 2),
            torch.empty((2, 3, 5, 7), memory_format=torch.channels_last),
            torch.empty((1, 2, 3, 4)),
        )
    ]


@program
def dim_order_odd_strides(torch):
    return [
        _dim_orders(torch, t)
        for t in (
            torch.empty(3, 1).expand(3, 4),
            torch.empty(2, 2, 2).permute(2, 0, 1),
            torch.empty(4, 3)[:, ::2],
            torch.empty(()),
            torch.empty(5),
            torch.empty(2, 3, 1, 1),
            torch.empty(2, 3, 1, 1, memory_format=torch.channels_last),
            torch.empty(3, 4, 5)[:, 0:1].transpose(0, 2),
        )
    ]


@error(TypeError, r"The ambiguity_check argument must be a bool or a list of memory formats")
def dim_order_bad_check(torch):
    return torch.empty((1, 2, 3, 4)).dim_order(ambiguity_check="ILLEGAL")


@error(TypeError, r"The ambiguity_check argument must be a bool or a list of memory formats")
def dim_order_bad_check_list(torch):
    return torch.empty((1, 2, 3, 4)).dim_order(ambiguity_check=[1])


@program
def empty_channels_last(torch):
    a = torch.empty(2, 3, 4, 5, memory_format=torch.channels_last)
    b = torch.empty((1, 2, 3, 4, 5), dtype=torch.float64, memory_format=torch.channels_last_3d)
    c = torch.empty(2, 3, memory_format=torch.contiguous_format)
    return (
        a.stride(),
        a.shape,
        a.is_contiguous(memory_format=torch.channels_last),
        b.stride(),
        b.dtype,
        c.stride(),
    )


@error(RuntimeError, r"required rank 4 tensor to use channels_last format")
def empty_channels_last_rank(torch):
    return torch.empty(2, 3, memory_format=torch.channels_last)


@error(RuntimeError, r"unsupported memory format Preserve")
def empty_preserve_format(torch):
    return torch.empty(2, 3, memory_format=torch.preserve_format)


@error(TypeError, r"zeros\(\) got an unexpected keyword argument 'memory_format'")
def zeros_refuses_memory_format(torch):
    return torch.zeros(2, 3, memory_format=torch.contiguous_format)


# ---- storages ---------------------------------------------------------------------------------
@program
def typed_storage_constructors(torch):
    s = torch.TypedStorage(5, dtype=torch.float32)
    v = torch.TypedStorage([1, 2, 3], dtype=torch.int64)
    e = torch.TypedStorage()
    return torch.is_storage(s), len(s), s.dtype, v.tolist(), v.dtype, len(e), e.dtype


# ---- pooling a non-tensor (nn.MaxUnpool2d example with the builtin `input`) ---------------------
@error(TypeError, r"argument 'input' \(position 1\) must be Tensor, not builtin_function_or_method")
def max_pool2d_of_builtin(torch):
    pool = torch.nn.MaxPool2d(2, stride=2, return_indices=True)
    return pool(builtins.input)


@error(TypeError, r"avg_pool2d\(\): argument 'input' \(position 1\) must be Tensor, not list")
def avg_pool2d_of_list(torch):
    return torch.nn.functional.avg_pool2d([1.0, 2.0], 2)


@program
def max_unpool2d_doc(torch):
    pool = torch.nn.MaxPool2d(2, stride=2, return_indices=True)
    unpool = torch.nn.MaxUnpool2d(2, stride=2)
    x = torch.arange(1.0, 21.0).reshape(1, 1, 4, 5).requires_grad_()
    output, indices = pool(x)
    out = unpool(output, indices, output_size=x.size())
    out.sum().backward()
    return out, indices, x.grad


# ---- softmax rounding (nn.CrossEntropyLoss example): 1/sum over the last dim, else a division --
@program
def softmax_reciprocal_last_dim(torch):
    x = torch.tensor([[0.0, -0.075], [0.0, -1.0], [0.0, -0.3]], dtype=torch.float64)
    e = torch.exp(x[:, 1])
    last = torch.softmax(x, 1)[:, 1]
    other = torch.softmax(x.t().contiguous(), 0)[1]
    return (
        last,
        (last == e * (1 / (1 + e))).tolist(),
        other,
        (other == e / (1 + e)).tolist(),
        torch.softmax(torch.tensor(2.0), 0),
    )


@program
def softmax_grad_float32(torch):
    torch.manual_seed(283)
    x = torch.randn(3, 5, requires_grad=True)
    p = torch.nn.functional.softmax(x, dim=1)
    (p * torch.arange(5.0)).sum().backward()
    return p, x.grad, torch.softmax(x.detach(), 0)
