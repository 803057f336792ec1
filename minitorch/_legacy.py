"""PyTorch's pre-0.4 API that old code still uses: the typed tensor constructors
(``torch.FloatTensor([1, 2])``, ``torch.LongTensor(3, 4)``, ``isinstance(t,
torch.FloatTensor)``), ``torch.autograd.Variable`` and ``Tensor.new``."""

from __future__ import annotations

import warnings

import numpy as np

from . import _dtypes
from ._tensor import Size, Tensor
from .autograd.function import name_node


class _TypedTensor(type):
    """Calling ``FloatTensor(...)`` builds a Tensor of that dtype (data, or sizes for an
    uninitialised one); ``isinstance(t, FloatTensor)`` checks a CPU tensor's dtype."""

    def __init__(cls, name, bases, namespace) -> None:
        for base in bases:  # PyTorch's typed tensor classes cannot be subclassed
            raise TypeError(f"type 'torch.{base.__name__}' is not an acceptable base type")
        super().__init__(name, bases, namespace)

    def __call__(cls, *args, device=None, **kwargs) -> Tensor:
        return Tensor(*args, device=device, _dtype=cls.dtype, **kwargs)

    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, Tensor) and obj.dtype == cls.dtype and obj.device.type == "cpu"


_CONSTRUCTOR = (
    "constructor of the form torch.Tensor(tensor, device=device) is not supported.  Use "
    "torch.tensor(...) or torch.as_tensor(...)"
)
_NEW = "new of the form tensor.new(tensor, device=device) is not supported.  Use torch.as_tensor(...)"  # fmt: skip


def _options(t: Tensor) -> str:
    """A tensor's TensorOptions as PyTorch's messages print them."""
    return (
        f"TensorOptions(dtype={_dtypes.CPP_NAMES[t._data.dtype.name][0]}, device={t.device}, "
        "layout=Strided, requires_grad=false (default), pinned_memory=false (default), "
        "memory_format=(nullopt))"
    )


def invalid_new(args: tuple, kwargs: dict) -> TypeError:
    """PyTorch's error of a legacy constructor whose arguments match none of its forms."""
    got = [type(a).__name__ for a in args]
    got += [f"{k}={'torch.dtype' if isinstance(v, _dtypes.dtype) else type(v).__name__}" for k, v in kwargs.items()]  # fmt: skip
    return TypeError(
        f"new() received an invalid combination of arguments - got ({', '.join(got)}), but "
        "expected one of:\n * (*, torch.device device = None)\n * (torch.Storage storage)\n"
        " * (Tensor other)\n * (tuple of ints size, *, torch.device device = None)\n"
        " * (object data, *, torch.device device = None)\n"
    )


def legacy_sizes(args: tuple) -> tuple:
    """The sizes of ``Tensor(2, 3)`` / ``x.new(2, 3)``, checked with PyTorch's words."""
    if not isinstance(args[0], (int, np.integer)):  # a float first matches no form
        raise invalid_new(args, {})
    for pos, size in enumerate(args, 1):
        if not isinstance(size, (int, np.integer)):
            raise TypeError(
                f"new(): argument 'size' failed to unpack the object at pos {pos} with error "
                f'"type must be tuple of ints,but got {type(size).__name__}"'
            )
        if not -(2**63) <= size < 2**63:
            raise TypeError(
                f"new(): argument 'size' failed to unpack the object at pos {pos} with error "
                '"Overflow when unpacking long long"'
            )
    if (negative := next((n for n in args if n < 0), None)) is not None:
        raise RuntimeError(
            f"Trying to create tensor with negative dimension {negative}: {[int(n) for n in args]}"
        )
    return args


def check_sequence(args: tuple) -> None:
    """PyTorch's error for a legacy constructor given one float or bool, not a sequence."""
    if len(args) == 1 and isinstance(args[0], (float, bool, np.floating, np.bool_)):
        kind = type(args[0])
        name = kind.__name__ if kind.__module__ == "builtins" else f"numpy.{kind.__name__}"
        raise TypeError(f"new(): data must be a sequence (got {name})")


def check_device(args: tuple, form: str) -> None:
    """PyTorch's error for ``device=`` given to a legacy constructor with a tensor to copy."""
    if len(args) == 1 and isinstance(args[0], Tensor):
        raise RuntimeError(f"Legacy tensor {form} instead.")


def _typed(name: str, dtype) -> type:
    doc = f"Mirrors the legacy ``torch.{name}``: a {dtype} Tensor constructor."
    return _TypedTensor(name, (), {"dtype": dtype, "__doc__": doc})


FloatTensor = _typed("FloatTensor", _dtypes.float32)
DoubleTensor = _typed("DoubleTensor", _dtypes.float64)
HalfTensor = _typed("HalfTensor", _dtypes.float16)
BFloat16Tensor = _typed("BFloat16Tensor", _dtypes.bfloat16)
LongTensor = _typed("LongTensor", _dtypes.int64)
IntTensor = _typed("IntTensor", _dtypes.int32)
ShortTensor = _typed("ShortTensor", _dtypes.int16)
CharTensor = _typed("CharTensor", _dtypes.int8)
ByteTensor = _typed("ByteTensor", _dtypes.uint8)
BoolTensor = _typed("BoolTensor", _dtypes.bool_)


def set_default_tensor_type(t) -> None:
    """Mirrors the deprecated ``torch.set_default_tensor_type``: ``torch.DoubleTensor`` or
    ``"torch.cuda.FloatTensor"`` sets the default dtype (and device)."""
    warnings.warn(
        "torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
        "torch.set_default_dtype() and torch.set_default_device() as alternatives.",
        UserWarning,
        stacklevel=2,
    )
    from . import _config, cuda  # noqa: PLC0415 (they import this module's package)

    if not isinstance(t, (str, type)):  # a dtype or an instance is no tensor type
        raise TypeError(
            "invalid type object: only floating-point types are supported as the default type"
        )
    name = t if isinstance(t, str) else f"torch.{t.__name__}"
    on_cuda = name.startswith("torch.cuda.")
    typed = globals().get(name.rsplit(".", 1)[-1])
    if not isinstance(typed, _TypedTensor) or name.count(".") != 1 + on_cuda:
        raise AttributeError(f"module 'torch' has no attribute '{name.rsplit('.', 1)[-1]}'")
    if not typed.dtype.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    if on_cuda and not cuda.is_available():
        raise TypeError(f"type {name} not available. Torch not compiled with CUDA enabled.")
    _dtypes.set_default_dtype(typed.dtype)
    _config.set_default_device("cuda" if on_cuda else None)


class _VariableMeta(type):
    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, Tensor)


class Variable(metaclass=_VariableMeta):
    """Mirrors the deprecated ``torch.autograd.Variable``: since PyTorch 0.4 a Variable is a
    Tensor. ``Variable(data, requires_grad=False)`` is a new leaf sharing ``data``'s memory."""

    def __new__(cls, data: Tensor, requires_grad: bool = False, volatile: bool = False):
        if volatile:
            warnings.warn(
                "volatile was removed and now has no effect. Use `with torch.no_grad():` instead.",
                stacklevel=2,
            )
        return data.detach().requires_grad_(requires_grad)


def new(self: Tensor, *args, device=None, size=None, **kwargs) -> Tensor:
    """Mirrors the legacy ``Tensor.new``: ``new(sizes...)`` (or ``size=``) an uninitialised
    tensor, ``new(data)`` a copy of ``data``, both with ``self``'s dtype and device;
    ``new(tensor)`` a view of a tensor of ``self``'s dtype."""
    if kwargs:
        raise invalid_new(args, kwargs)
    if device is not None:
        check_device(args, _NEW)
    if size is not None:
        return self.new_empty(size, device=device)
    if len(args) == 1 and isinstance(args[0], Tensor):
        source = args[0]
        if source.dtype != self.dtype:
            raise TypeError(f"expected {_options(self)} (got {_options(source)})")
        return name_node(source.view(source.shape), "AliasBackward0")
    check_sequence(args)
    if len(args) == 1 and not isinstance(args[0], (int, Size)):
        return self.new_tensor(args[0], device=device)
    if len(args) == 1 and isinstance(args[0], Size):
        return self.new_empty(args[0], device=device)
    return self.new_empty(*legacy_sizes(args), device=device) if args else self.new_empty(0, device=device)  # fmt: skip


_REMOVED = "This function was deprecated since version 1.9 and is now removed. "
_REMOVED_HOW = {
    "solve": "`torch.solve` is deprecated in favor of `torch.linalg.solve`. `torch.linalg.solve` "
    "has its arguments reversed and does not return the LU factorization.\n\nTo get the LU "
    "factorization see `torch.lu`, which can be used with `torch.lu_solve` or "
    "`torch.lu_unpack`.\nX = torch.solve(B, A).solution should be replaced with:\n"
    "X = torch.linalg.solve(A, B)",
    "symeig": "The default behavior has changed from using the upper triangular portion of the "
    "matrix by default to using the lower triangular portion.\n\nL, _ = torch.symeig(A, "
    "upper=upper) should be replaced with:\nL = torch.linalg.eigvalsh(A, UPLO='U' if upper "
    "else 'L')\n\nand\n\nL, V = torch.symeig(A, eigenvectors=True) should be replaced with:\n"
    "L, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')",
    "eig": "`torch.linalg.eig` returns complex tensors of dtype `cfloat` or `cdouble` rather "
    "than real tensors mimicking complex tensors.\n\nL, _ = torch.eig(A) should be replaced "
    "with:\nL_complex = torch.linalg.eigvals(A)\n\nand\n\nL, V = torch.eig(A, "
    "eigenvectors=True) should be replaced with:\nL_complex, V_complex = torch.linalg.eig(A)",
    "lstsq": "`torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`.\n`torch.linalg.lstsq` "
    "has reversed arguments and does not return the QR decomposition in the returned tuple "
    "(although it returns other information about the problem).\n\nTo get the QR "
    "decomposition consider using `torch.linalg.qr`.\n\nThe returned solution in "
    "`torch.lstsq` stored the residuals of the solution in the last m - n columns of the "
    "returned value whenever m > n. In torch.linalg.lstsq, the residuals are in the field "
    "'residuals' of the returned named tuple.\n\nThe unpacking of the solution, as in\n"
    "X, _ = torch.lstsq(B, A).solution[:A.size(1)]\nshould be replaced with:\n"
    "X = torch.linalg.lstsq(A, B).solution",
}


def _removed(name: str):
    def removed(*args, **kwargs):
        raise RuntimeError(_REMOVED + _REMOVED_HOW[name])

    removed.__name__ = removed.__qualname__ = name
    removed.__doc__ = f"Mirrors ``torch.{name}``, removed in PyTorch 1.9: raises its message."
    return removed


solve, symeig, eig, lstsq = (_removed(n) for n in ("solve", "symeig", "eig", "lstsq"))
