"""Session 9 compatibility sweep of the Tensor's Python and numpy protocols: pickle, copy,
bool/int/float/index/format/round, len/iter/contains, torch.Size, numpy operands and numpy
functions of tensors, __array__/np.asarray/np.array(copy=), DLPack, from_numpy/as_tensor and
the factories' size and fill arguments. Each program runs with real PyTorch (the oracle) and
with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import copy
import operator
import pickle
import warnings

import numpy as np
import pytest
from sweep_harness import Sweep

import minitorch
from minitorch import _warn_once

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def _roundtrip(obj):
    return pickle.loads(pickle.dumps(obj))


# ---- pickle ---------------------------------------------------------------------------------
@program
def pickle_leaf_keeps_requires_grad_drops_grad(torch):
    x = torch.ones(2, 3, requires_grad=True)
    x.grad = torch.full((2, 3), 2.0)
    y = _roundtrip(x)
    return y, y.grad is None, y.is_leaf


@program
def pickle_non_leaf_comes_back_a_leaf(torch):
    x = torch.ones(2, requires_grad=True)
    y = _roundtrip(x * 3)
    return y, y.grad_fn is None, y.is_leaf


@program
def pickle_keeps_strides_and_storage_offset(torch):
    t = _roundtrip(torch.arange(12.0).reshape(3, 4).t())
    s = _roundtrip(torch.arange(12.0)[2:5])
    e = _roundtrip(torch.zeros(3).expand(2, 3))
    return t, t.stride(), t.is_contiguous(), s, s.stride(), s.storage_offset(), e.stride()


@program
def pickle_dict_of_results_every_dtype(torch):
    d = {
        "acc": torch.tensor(0.75),
        "ids": torch.tensor([1, 2, 3], dtype=torch.int32),
        "mask": torch.tensor([True, False]),
        "half": torch.tensor([1.5], dtype=torch.float16),
        "u8": torch.tensor([255], dtype=torch.uint8),
        "empty": torch.zeros(0, 3),
        "f64": torch.tensor([[1.0, 2.0]], dtype=torch.float64),
    }
    return _roundtrip(d)


@program
def pickle_same_tensor_twice_is_one_object(torch):
    a = torch.ones(2)
    d = _roundtrip({"a": a, "b": a})
    return d["a"] is d["b"]


@program
def pickle_views_come_back_unshared(torch):
    v = torch.arange(6.0)
    a, b = _roundtrip([v, v[1:3]])
    a[1] = 100.0
    return b


@program
def pickle_unpickled_tensor_is_writable_and_trains(torch):
    w = _roundtrip(torch.ones(3, requires_grad=True))
    (w * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    with torch.no_grad():
        w.add_(1.0)
    return w, w.grad


@program
def pickle_parameter_stays_parameter(torch):
    p = _roundtrip(torch.nn.Parameter(torch.ones(2)))
    q = _roundtrip(torch.nn.Parameter(torch.ones(2), requires_grad=False))
    return type(p).__name__, p.requires_grad, type(q).__name__, q.requires_grad


@program
def pickle_buffer_comes_back_a_tensor(torch):
    b = _roundtrip(torch.nn.Buffer(torch.ones(2)))
    return type(b).__name__, b


@program
def pickle_flipped_tensor(torch):
    u = _roundtrip(torch.arange(5.0).flip(0))
    return u, u.stride()


@program
def pickle_size(torch):
    s = _roundtrip(torch.zeros(2, 3).shape)
    return type(s).__name__, s, copy.deepcopy(s)


def test_pickle_of_a_shared_tensor_is_a_private_copy():
    t = minitorch.ones(2).share_memory_()
    u = _roundtrip(t)
    u.add_(1.0)
    assert t.tolist() == [1.0, 1.0] and u.tolist() == [2.0, 2.0]


# ---- copy -----------------------------------------------------------------------------------
@error(RuntimeError, r"graph leaves\) support the deepcopy protocol at the moment\.  If you were "
       r"attempting to deepcopy a module, this may be because of a torch\.nn\.utils\.weight_norm "
       r"usage, see https://github\.com/pytorch/pytorch/pull/103001$")  # fmt: skip
def deepcopy_of_non_leaf(torch):
    return copy.deepcopy(torch.ones(2, requires_grad=True) * 2)


@program
def deepcopy_leaf_keeps_grad(torch):
    x = torch.ones(2, requires_grad=True)
    x.grad = torch.ones(2)
    y = copy.deepcopy(x)
    return y, y.grad


# ---- bool / int / float / index / format ----------------------------------------------------
@error(RuntimeError, r"^Boolean value of Tensor with more than one value is ambiguous$")
def bool_of_two_values(torch):
    return bool(torch.ones(2))


@error(RuntimeError, r"^Boolean value of Tensor with no values is ambiguous$")
def bool_of_no_values(torch):
    return bool(torch.ones(0))


@error(RuntimeError, r"^Boolean value of Tensor with more than one value is ambiguous$")
def if_on_a_comparison(torch):
    x = torch.tensor([1.0, -1.0])
    return "pos" if x > 0 else "neg"


@program
def bool_int_float_of_one_element(torch):
    return (bool(torch.tensor([[0]])), bool(torch.tensor(float("nan"))), int(torch.tensor(-2.7)),
            float(torch.tensor([[3]])), float(torch.tensor(True)), complex(torch.tensor(2.0)),
            not torch.tensor([0.0]))  # fmt: skip


@error(ValueError, r"only one element tensors can be converted to Python scalars")
def int_of_two_values(torch):
    return int(torch.tensor([1, 2]))


@program
def index_protocol(torch):
    xs = [10, 20, 30]
    return (
        xs[torch.tensor(1)],
        xs[torch.tensor([2])],
        list(range(torch.tensor(3))),
        hex(torch.tensor(255)),
    )


@error(TypeError, r"only integer tensors of a single element can be converted to an index")
def index_of_float_tensor(torch):
    return [1, 2, 3][torch.tensor(1.0)]


@error(TypeError, r"only integer tensors of a single element can be converted to an index")
def operator_index_of_two_values(torch):
    return operator.index(torch.tensor([2, 3]))


@program
def format_of_tensors(torch):
    return (f"{torch.tensor(3.14159):.2f}", f"{torch.tensor(3):05d}", f"{torch.tensor([1.0, 2.0])}",
            f"{torch.tensor(True)}", format(torch.tensor(2.5), ""))  # fmt: skip


@error(TypeError, r"type Tensor doesn't define __round__ method")
def round_of_tensor(torch):
    return round(torch.tensor(2.567), 2)


@error(TypeError, r"unsupported operand type\(s\) for divmod\(\): 'Tensor' and 'int'")
def divmod_of_tensor(torch):
    return divmod(torch.tensor([7.0, -7.0]), 2)


# ---- len / iter / contains / hash ------------------------------------------------------------
@program
def len_iter_and_builtins(torch):
    t = torch.tensor([3, 1, 2])
    return (len(torch.zeros(3, 2)), sorted(t), max(t), sum(t), list(reversed(t)),
            [r.shape for r in torch.zeros(2, 3)])  # fmt: skip


@error(TypeError, r"len\(\) of a 0-d tensor")
def len_of_0d(torch):
    return len(torch.tensor(1.0))


@error(TypeError, r"iteration over a 0-d tensor")
def iter_of_0d(torch):
    return list(torch.tensor(1.0))


@program
def contains_scalars_and_tensors(torch):
    t = torch.tensor([1, 2])
    return (2 in t, 2.0 in t, True in t, np.int64(2) in t, torch.tensor([1, 2]) in torch.tensor([[1, 2]]),
            1 in torch.tensor([]), float("nan") in torch.tensor([float("nan")]))  # fmt: skip


@error(RuntimeError, r"Tensor.__contains__ only supports Tensor or scalar, but you passed in a "
       r"<class 'list'>\.")  # fmt: skip
def contains_list(torch):
    return [1] in torch.tensor([1, 2, 3])


@error(RuntimeError, r"Tensor.__contains__ only supports Tensor or scalar, but you passed in a "
       r"<class 'NoneType'>\.")  # fmt: skip
def contains_none(torch):
    return None in torch.tensor([1, 2])


@program
def hash_and_none_comparisons(torch):
    a, b = torch.ones(1), torch.ones(1)
    return len({a, b}), a == None, a != None, hash(a) == hash(a)  # noqa: E711


# ---- torch.Size -----------------------------------------------------------------------------
@program
def size_arithmetic(torch):
    s = torch.zeros(2, 3).shape
    return (s + (4,), (1,) + s, s * 2, 2 * s, s[1:], type(s[1:]).__name__, type(s + (1,)).__name__,
            repr(s[1:]), str(torch.Size([])), s.numel(), s == (2, 3))  # fmt: skip


@program
def size_from_numpy_ints_bools_and_tensors(torch):
    return (torch.Size(np.array([2, 3])), torch.Size([np.int64(2)]), torch.Size([True]),
            torch.Size([torch.tensor(2), 3]), torch.Size([torch.tensor([4])]),
            torch.Size(x for x in (2, 3)), [type(v).__name__ for v in torch.Size([np.int32(2), True])])  # fmt: skip


@error(TypeError, r"torch\.Size\(\) takes an iterable of 'int' \(item 0 is 'float'\)")
def size_of_float(torch):
    return torch.Size([2.5])


@error(TypeError, r"torch\.Size\(\) takes an iterable of 'int' \(item 1 is 'NoneType'\)")
def size_of_none(torch):
    return torch.Size([2, None])


@error(TypeError, r"torch\.Size\(\) takes an iterable of 'int' \(item 0 is 'Tensor'\)")
def size_of_float_tensor(torch):
    return torch.Size([torch.tensor(2.0)])


@error(TypeError, r"can only concatenate tuple \(not list\) to torch\.Size")
def size_plus_list(torch):
    return torch.Size([2]) + [3]


@error(TypeError, r"can only concatenate tuple \(not int\) to torch\.Size")
def size_plus_int(torch):
    return torch.Size([2]) + 1


@error(TypeError, r"can only concatenate list")
def list_plus_size(torch):
    return [1] + torch.Size([2])


@error(TypeError, r"can't multiply sequence by non-int of type 'float'")
def size_times_float(torch):
    return torch.Size([2]) * 2.0


# ---- numpy operands and numpy functions of tensors -------------------------------------------
@program
def numpy_ufuncs_of_tensors_give_tensors(torch):
    t = torch.tensor([1.0, 2.0])
    return (np.exp(t), np.add(t, 1), np.sqrt(torch.tensor(4.0)), np.isnan(torch.tensor([1.0, float("nan")])),
            np.matmul(torch.ones(2, 2), torch.ones(2)), np.clip(torch.tensor([1.0, 3.0]), 0, 2),
            np.exp(torch.ones(2, dtype=torch.float64)))  # fmt: skip


@program
def numpy_functions_returning_arrays(torch):
    return (np.concatenate([torch.ones(2), torch.zeros(2)]), np.stack([torch.ones(2), torch.ones(2)]),
            np.argmax(torch.tensor([1.0, 3.0, 2.0])), np.shape(torch.ones(2, 3)),
            np.allclose(torch.ones(2), np.ones(2)))  # fmt: skip


@error(RuntimeError, r"Can't call numpy\(\) on Tensor that requires grad")
def numpy_ufunc_of_requires_grad(torch):
    return np.exp(torch.ones(2, requires_grad=True))


@program
def tensor_op_numpy_array_follows_numpy(torch):
    h = torch.ones(2, dtype=torch.float16)
    return (h * np.array(3.0), torch.ones(2) * np.array([3.0, 1.0]), torch.ones(2) + np.array(2.0),
            torch.ones(2, dtype=torch.int32) * np.array(3), torch.arange(3) / np.array(2),
            torch.ones(2, dtype=torch.int32) + np.array([3], dtype=np.int8),
            torch.ones(2) ** np.array([1.0, 2.0]), torch.ones(2) @ np.ones((2, 2)))  # fmt: skip


@program
def tensor_op_numpy_scalar_stays_torch(torch):
    h = torch.ones(2, dtype=torch.float16)
    return (
        h * np.float64(3.0),
        np.float64(2.0) * h,
        h + np.float32(1.0),
        torch.ones(2) * np.int64(2),
    )


@program
def inplace_op_with_numpy_array_rebinds(torch):
    x = torch.ones(2)
    y = x
    x += np.array([1.0, 2.0])
    return x, y, x is y


@program
def equality_with_numpy_array(torch):
    t = torch.ones(2)
    a = np.array([1.0, 2.0])
    return t == a, a == t, torch.ones(2, requires_grad=True) == a, t == np.array(1.0)


@error(TypeError, r"unsupported operand type\(s\) for \*: 'numpy\.ndarray' and 'Tensor'")
def numpy_array_times_tensor(torch):
    return np.array([1.0, 2.0]) * torch.ones(2)


@error(TypeError, r"'<' not supported between instances of 'Tensor' and 'numpy\.ndarray'")
def tensor_less_than_numpy_array(torch):
    return torch.ones(2) < np.array([1.0, 2.0])


@error(RuntimeError, r"Can't call numpy\(\) on Tensor that requires grad")
def requires_grad_tensor_times_numpy_array(torch):
    return torch.ones(2, requires_grad=True) * np.array([1.0, 2.0])


@error(TypeError, r"must be Tensor, not numpy\.ndarray")
def functional_mul_of_numpy_array(torch):
    return torch.mul(torch.ones(2), np.array([1.0, 2.0]))


@error(TypeError, r"must be Tensor, not numpy\.ndarray")
def inplace_add_of_numpy_array(torch):
    return torch.ones(2).add_(np.array([1.0, 2.0]))


@program
def inplace_operators_with_tensors_stay_in_place(torch):
    x = torch.tensor([-1.2, 1.0], dtype=torch.float64, requires_grad=True)
    (x**2).sum().backward()
    with torch.no_grad():
        before = x
        x -= 0.1 * x.grad
    return x, x is before, x.grad


# ---- __array__ / np.asarray / np.array(copy=) / DLPack ---------------------------------------
@program
def np_array_copies_asarray_shares(torch):
    t, u = torch.ones(2), torch.ones(2)
    np.array(t)[0] = 5.0
    np.asarray(u)[0] = 5.0
    c = np.array(torch.ones(2), dtype=np.int32)
    return (
        t,
        u,
        c,
        np.array(torch.ones(2), copy=True),
        np.asarray([torch.tensor(1.0), torch.tensor(2.0)]),
    )


@error(ValueError, r"Unable to avoid copy while creating an array as requested")
def np_array_copy_false(torch):
    return np.array(torch.ones(2), copy=False)


@error(RuntimeError, r"Can't call numpy\(\) on Tensor that requires grad")
def np_asarray_of_requires_grad(torch):
    return np.asarray(torch.ones(2, requires_grad=True))


@program
def numpy_method(torch):
    t = torch.ones(2)
    t.numpy()[0] = 5.0
    return (t, torch.ones(2, requires_grad=True).numpy(force=True), torch.ones(2, dtype=torch.float16).numpy(),
            type(torch.tensor(2.0).numpy()).__name__)  # fmt: skip


@program
def dlpack_roundtrips_share_memory(torch):
    t = torch.arange(3.0)
    np.from_dlpack(t)[0] = 5.0
    a = np.ones(2)
    torch.from_dlpack(a).add_(1.0)
    return t, a, np.from_dlpack(torch.arange(3)), torch.from_dlpack(np.arange(3.0))


@error(BufferError, r"Can't export tensors that require gradient, use tensor\.detach\(\)")
def dlpack_of_requires_grad(torch):
    return np.from_dlpack(torch.ones(2, requires_grad=True))


# ---- from_numpy / as_tensor / tensor ---------------------------------------------------------
@program
def from_numpy_and_as_tensor_share(torch):
    a, b = np.ones(2), np.ones(2, dtype=np.float32)
    torch.from_numpy(a).mul_(3.0)
    torch.as_tensor(b).add_(1.0)
    m = np.arange(6, dtype=np.float32).reshape(2, 3)
    return a, b, torch.from_numpy(m.T).stride(), torch.from_numpy(m[:, ::2]).stride()


@error(ValueError, r"byte order different from the native byte order")
def from_numpy_big_endian(torch):
    return torch.from_numpy(np.ones(2, dtype=">f4"))


@error(TypeError, r"expected np\.ndarray \(got numpy\.float64\)")
def from_numpy_numpy_scalar(torch):
    return torch.from_numpy(np.float64(3.0))


@error(ValueError, r"At least one stride in the given numpy array is negative")
def from_numpy_negative_stride(torch):
    return torch.from_numpy(np.arange(4.0)[::-1])


@program
def tensor_of_nested_numpy_scalars_and_tensors(torch):
    return (torch.tensor([np.float32(1.5), np.float64(2.0)]), torch.tensor([np.int32(1), np.int32(2)]),
            torch.tensor([torch.tensor(1.0), torch.tensor(2.0)]), torch.tensor([True, 2, 3.5]),
            torch.tensor(np.array(2, dtype=np.int16)), torch.tensor([[], []]).shape)  # fmt: skip


# ---- factories: sizes and fill values --------------------------------------------------------
@program
def zeros_of_index_like_sizes(torch):
    return (torch.zeros(torch.tensor(2)).shape, torch.zeros([torch.tensor(2), 3]).shape,
            torch.zeros(np.array(2)).shape, torch.zeros(2, np.int64(3)).shape,
            torch.ones(torch.Size([2])).shape, torch.empty(size=(2, 1)).shape)  # fmt: skip


@error(TypeError, r"argument 'size' \(position 1\) must be tuple of ints, not numpy\.ndarray")
def zeros_of_numpy_array(torch):
    return torch.zeros(np.array([2, 3]))


@error(TypeError, r"argument 'size' \(position 1\) must be tuple of ints, not Tensor")
def zeros_of_float_tensor(torch):
    return torch.zeros(torch.tensor(2.0))


@error(TypeError, r"argument 'size' \(position 1\) must be tuple of ints, not generator")
def zeros_of_generator(torch):
    return torch.zeros(x for x in [2])


@program
def full_with_numpy_fill_values(torch):
    return (torch.full((2,), np.int32(1)), torch.full((2,), np.uint8(3)), torch.full((2,), np.float64(1.5)),
            torch.full((2,), np.bool_(True)), torch.full((2,), np.float16(1.5)))  # fmt: skip


@program
def linspace_logspace_with_tensor_steps(torch):
    return torch.linspace(0, 1, torch.tensor(3)), torch.logspace(0, 1, torch.tensor(3))


@error(
    TypeError, r"ones_like\(\): argument 'input' \(position 1\) must be Tensor, not numpy\.ndarray"
)
def ones_like_of_numpy_array(torch):
    return torch.ones_like(np.ones(2))


@error(TypeError, r"zeros_like\(\): argument 'input' \(position 1\) must be Tensor, not list")
def zeros_like_of_list(torch):
    return torch.zeros_like([1, 2])


# ---- iteration through unbind, float() of a tensor requiring grad ----------------------------
@program
def iterating_rows_unbinds(torch):
    x = torch.arange(4.0).reshape(2, 2).requires_grad_()
    rows = list(x)
    sum(r.sum() * (i + 1) for i, r in enumerate(rows)).backward()
    return [type(r.grad_fn).__name__ for r in rows], x.grad


def test_float_of_tensor_requiring_grad_warns_once_as_pytorch():
    message = "Converting a tensor with requires_grad=True to a scalar may lead to unexpected"
    _warn_once._given.discard(next((m for m in _warn_once._given if message in m), None))
    x = minitorch.tensor(2.0, requires_grad=True)
    with pytest.warns(UserWarning, match=message + r" behavior\.\nConsider using tensor\.detach"):
        assert float(x) == 2.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(x) == 2.0 and int(x) == 2 and x.item() == 2.0
