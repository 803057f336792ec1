"""linear(x, W, b) = x @ W.T + b as one op: one matrix product over all leading dimensions
at once, the bias added in place into the product's output, and a backward that makes
three products (no batched matmul followed by a sum over the batch, no transposed copies)."""

from __future__ import annotations

import math

import numpy as np

from .. import _dtypes
from .._tensor import Tensor, make_tensor
from ..amp.autocast_mode import is_autocast_enabled
from ..autograd.function import Op
from ..autograd.grad_mode import state
from .index import tensor_arg
from .linalg import matmul_arrays
from .reduce import sum_array


class Linear(Op):
    checks_dtypes = True  # forward raises PyTorch's words for inputs autocast leaves apart

    def _torch_edges(self, edges: tuple) -> tuple:
        """PyTorch's addmm(bias, x, weight.t()) has the bias first."""
        if self.torch_name == "AddmmBackward0":
            return edges[2], edges[0], edges[1]
        return Op._torch_edges(edges)

    _saved_for = ((1,), (0,))  # x for the weight's gradient, the weight for x's

    @staticmethod
    def forward(ctx, x, weight, bias):
        if x.dtype != weight.dtype or (bias is not None and bias.dtype != weight.dtype):
            raise _dtype_error(x, weight, bias)  # checked here, after autocast has cast the inputs
        if x.dtype == np.bool_:
            raise NotImplementedError("\"addmm_impl_cpu_\" not implemented for 'Bool'")
        ctx.save_for_backward(x, weight)
        if x.ndim == 2:  # PyTorch's node names: addmm / mm, else a view of the product
            ctx.torch_name = "MmBackward0" if bias is None else "AddmmBackward0"
        else:
            ctx.torch_name = "UnsafeViewBackward0" if bias is None else "ViewBackward0"
        out = matmul_arrays(_rows(x), weight.T, bias)
        return out.reshape(x.shape[:-1] + weight.shape[:1])

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        nx, nw, nb = ctx.needs_input_grad
        if state.enabled:  # create_graph: the products are recorded
            g2 = _rows(g)
            gx = (g2 @ w).reshape(x.shape) if nx else None
            gw = g2.mT @ _rows(x) if nw else None
            gb = g2.sum(0) if nb else None
            return gx, gw, gb
        xd, gd = x._data, g._data
        g2 = _rows(gd)
        gx = make_tensor(matmul_arrays(g2, w._data).reshape(xd.shape)) if nx else None
        gw = make_tensor(matmul_arrays(g2.T, _rows(xd))) if nw else None
        gb = make_tensor(sum_array(g2, (0,))) if nb else None
        return gx, gw, gb


def _rows(a):
    """``a`` (an array or a Tensor) as the matrix of its last dimension's rows; no -1 in the
    shape, which a dimension of size 0 would make ambiguous."""
    return a.reshape(math.prod(a.shape[:-1]), a.shape[-1])


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """Mirrors ``torch.nn.functional.linear``: ``input @ weight.T + bias``."""
    try:
        x, w = input._data, weight._data
    except AttributeError:  # not a Tensor: PyTorch's TypeError
        tensor_arg("linear", "input", 1, input)
        tensor_arg("linear", "weight", 2, weight)
        raise
    if w.ndim != 2 or x.ndim == 0:  # PyTorch's checks, in its order
        if x.ndim == 0 or w.ndim == 0:
            raise RuntimeError(
                "both arguments to linear need to be at least 1D, but they are "
                f"{x.ndim}D and {w.ndim}D"
            )
        if w.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {w.ndim}D")
        if bias is not None and (x.ndim == 2 or bias.dim() == 1 and input.is_contiguous()):
            # PyTorch's addmm (of a flattened contiguous input when the bias is 1-D)
            raise RuntimeError("mat2 must be a matrix, got 1-D tensor")
        out = input @ weight  # PyTorch's matmul by a vector (and its errors)
        return out if bias is None else out + bias
    if x.shape[-1] != w.shape[1]:
        mixed = bias is not None and (bias.dtype != weight.dtype or input.dtype != weight.dtype)
        if mixed and not is_autocast_enabled(input.device.type):  # autocast casts them alike
            raise _dtype_error(x, w, bias._data)  # PyTorch's addmm checks the dtypes first
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({math.prod(x.shape[:-1])}x"
            f"{x.shape[-1]} and {w.shape[1]}x{w.shape[0]}); input {list(x.shape)}, weight "
            f"{list(w.shape)} (weight must be (out_features, in_features))"
        )
    try:
        return Linear.apply(input, weight, bias)
    except ValueError:  # numpy's broadcast of the bias failed
        raise _bias_error(_rows(x).shape[0], w.shape[0], bias.shape) from None
    except RuntimeError:  # a weight that requires grad: PyTorch's matmul folds the input
        if (
            x.dtype == w.dtype
            or not weight._requires_grad
            or is_autocast_enabled(input.device.type)
        ):
            raise
        raise _dtype_error(x, w, None if bias is None else bias._data, folds=True) from None


def _bias_error(rows: int, out: int, bias_shape) -> RuntimeError:
    """PyTorch's error (addmm expanding the bias to the product's shape) for a bias that
    does not broadcast against the (rows, out_features) product."""
    target = [rows, out]
    if len(bias_shape) > 2:
        return RuntimeError(
            f"expand({list(bias_shape)}, size={target}): the number of sizes provided (2) must "
            f"be greater or equal to the number of dimensions in the tensor ({len(bias_shape)})"
        )
    dim = max(
        i for i in (0, 1) if i >= 2 - len(bias_shape) and bias_shape[i - 2] not in (1, target[i])
    )
    return RuntimeError(
        f"The expanded size of the tensor ({target[dim]}) must match the existing size "
        f"({bias_shape[dim - 2]}) at non-singleton dimension {dim}.  Target sizes: {target}.  "
        f"Tensor sizes: {list(bias_shape)}"
    )


def _rows_fold(x) -> bool:
    """Whether ``x``'s leading dims view as rows without a copy (PyTorch's matmul then folds
    them into one mm)."""
    st, sh = x.strides, x.shape
    return all(st[i] == st[i + 1] * sh[i + 1] for i in range(x.ndim - 2))


def _dtype_error(x, weight, bias, folds: bool = False) -> RuntimeError:
    """PyTorch's message for mixed dtypes: addmm's where linear adds the bias in the product (a
    2-D input, or a contiguous one flattened into rows), else that of its matmul's kernel: mm's
    where the input's leading dims fold into rows without a copy (always when ``folds``: the
    weight requires grad), else bmm's."""
    a, w = x.dtype.name, weight.dtype.name
    hint = "; convert the input with .to(weight.dtype) or the module with .to(dtype)"
    flattened = (
        x.ndim == 2 or x.flags.c_contiguous and (x.ndim == 3 or getattr(bias, "ndim", 0) == 1)
    )
    if a != w and (bias is None or not flattened):
        if x.ndim > 2 and x.size and not folds and not _rows_fold(x):
            names = [_dtypes.scalar_type_name(d) for d in (x.dtype, weight.dtype)]
            return RuntimeError("expected scalar type {} but found {}".format(*names))
        cpp = _dtypes.CPP_NAMES
        return RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {cpp[a][0]} != {cpp[w][0]}" + hint
        )
    names = [_dtypes.scalar_type_name(d) for d in (x.dtype, weight.dtype, bias.dtype)]
    if bias.dtype != weight.dtype:
        return RuntimeError(
            f"self and mat2 must have the same dtype, but got {names[2]} and {names[1]}" + hint
        )
    return RuntimeError(
        f"mat1 and mat2 must have the same dtype, but got {names[0]} and {names[1]}" + hint
    )
