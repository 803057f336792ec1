"""class Tensor: one backend array plus autograd metadata. Mirrors ``torch.Tensor``.

The math lives in ``minitorch.ops``; the ops that are also methods (``x.sum()``,
``x.reshape(...)``) are bound onto Tensor by ``minitorch/ops/__init__.py`` from one table.
"""

from __future__ import annotations

import copy
import warnings
import weakref

import numpy as np

from . import _dtypes, _subclass
from ._dtypes import from_numpy_dtype
from ._grad_state import inference_threads as _inference_threads
from ._grad_state import state as _grad_state
from ._memory_format import strided
from ._warn_once import warn_once
from .backends import synced
from .backends.memory_order import element_strides


def version_cell() -> list:
    """A mutable version counter shared by a tensor and its views."""
    return [0]


class InferenceCell(list):
    """The version cell of an inference tensor (made inside ``inference_mode``) and of its
    views: PyTorch's inference tensors track no version; the cell's type marks them."""


INFERENCE_SAVED = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a "
    "clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`."
)
INFERENCE_REQUIRES_GRAD = (
    "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed."
)
INFERENCE_INPLACE = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
    "clone to get a normal tensor before doing inplace update.See "
    "https://github.com/pytorch/rfcs/pull/17 for more details."
)


def _creation_cell(vc):
    """The version cell a new tensor starts with: an inference cell inside inference mode."""
    if vc is None and _grad_state.inference:
        return InferenceCell((0,))
    return vc


class Size(tuple):
    """Mirrors ``torch.Size``: a tuple of dimension sizes."""

    __module__ = "minitorch"  # type(x.shape) prints <class 'minitorch.Size'>
    __slots__ = ()

    def __new__(cls, sizes=()) -> Size:
        sizes = _tuple_new(cls, sizes)
        for s in sizes:
            if type(s) is not int and not isinstance(s, np.integer):  # numpy ints stay, as there
                return _tuple_new(cls, [_size_item(i, s) for i, s in enumerate(sizes)])
        return sizes

    def numel(self) -> int:
        """Mirrors ``torch.Size.numel``: the number of elements of a tensor of this shape."""
        n = 1
        for s in self:
            n *= s
        return n

    def __repr__(self) -> str:
        return f"minitorch.Size({list(self)})"

    def __reduce__(self):
        return Size, (tuple(self),)

    def __getitem__(self, i):
        r = tuple.__getitem__(self, i)
        return _tuple_new(Size, r) if isinstance(i, slice) else r

    def __add__(self, other: tuple) -> Size:
        if not isinstance(other, tuple):
            raise TypeError(
                f"can only concatenate tuple (not {type(other).__name__}) to minitorch.Size"
            )
        return _tuple_new(Size, tuple.__add__(self, other))

    def __radd__(self, other: tuple) -> Size:
        if not isinstance(other, tuple):
            return NotImplemented
        return _tuple_new(Size, tuple.__add__(other, self))

    def __mul__(self, n: int) -> Size:
        return _tuple_new(Size, tuple(self) * n)

    __rmul__ = __mul__


_tuple_new = tuple.__new__


def _size_item(i: int, s) -> int:
    if isinstance(s, np.integer):
        return s
    try:
        return s.__index__()
    except (AttributeError, TypeError, ValueError):
        raise TypeError(
            f"minitorch.Size() takes an iterable of 'int' (item {i} is '{type(s).__name__}')"
        ) from None


def _dim_error(dim: int, ndim: int) -> IndexError:
    """PyTorch's error for a ``dim`` that names none of a tensor's ``ndim`` dims."""
    if ndim == 0:
        return IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    return IndexError(
        f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got {dim})"
    )


_forward_ad = None  # autograd.forward_ad, imported on first use (it imports this module)


def _import_forward_ad():
    global _forward_ad
    from .autograd import forward_ad  # noqa: PLC0415

    _forward_ad = forward_ad
    return forward_ad


class Tensor:
    """Mirrors ``torch.Tensor``."""

    __module__ = "minitorch"  # type(x) prints <class 'minitorch.Tensor'>, as d2l shows it
    __slots__ = (
        "_data",
        "_requires_grad",  # read through the requires_grad property, which checks writes
        "grad_fn",
        "_grad",
        "_output_nr",
        "_vc",
        "_base",
        "_hooks",
        "_accum",
        "_retains_grad",
        "_views",  # on a base tensor only (unset until its first view): see link_view
        "__weakref__",
        "__dict__",  # user attributes (t.tag = ...), as PyTorch tensors take them; made on use
    )
    __array_priority__ = 1000  # numpy scalars and arrays defer to our operators

    def __init_subclass__(cls, **kwargs) -> None:
        """A subclass that keeps the ``__torch_function__`` protocol switches it on (see
        minitorch/_subclass.py: until then plain programs pay nothing for it)."""
        super().__init_subclass__(**kwargs)
        if cls.__torch_function__ is not _subclass._disabled_torch_function_impl:
            _subclass.activate()

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        """Mirrors ``torch.Tensor.__torch_function__``: runs ``func`` and makes its tensor
        results instances of ``cls``."""
        return _subclass.default_torch_function(cls, func, types, args, kwargs)

    def __init__(self, *args, device=None, _dtype=None, **kwargs) -> None:
        # torch.Tensor(2, 3) is an uninitialised float tensor; torch.Tensor([1, 2]) copies data
        from .factories import _to_array, zeros  # noqa: PLC0415 (factories imports this module)

        if hasattr(self, "_data"):  # a subclass's __new__ built it (its own arguments too)
            return
        dtype = _dtype  # (FloatTensor(...) and the like; torch.Tensor takes no dtype)
        if kwargs:
            from ._legacy import invalid_new  # noqa: PLC0415

            raise invalid_new(args, kwargs)
        if device is not None:
            from ._legacy import _CONSTRUCTOR, check_device  # noqa: PLC0415

            check_device(args, _CONSTRUCTOR)
        if len(args) == 1 and isinstance(args[0], (float, bool, np.floating, np.bool_)):
            from ._legacy import check_sequence  # noqa: PLC0415

            check_sequence(args)
        if len(args) == 1 and isinstance(args[0], Tensor):
            from ._legacy import _options  # noqa: PLC0415

            # PyTorch's legacy constructor aliases a tensor (one requiring grad through an
            # AliasBackward0 node: here a detached alias)
            data = args[0]._data
            if dtype is not None and data.dtype != dtype.np:  # torch.FloatTensor(long_tensor)
                expected = _options(Tensor(0, _dtype=dtype))
                raise TypeError(f"expected {expected} (got {_options(args[0])})")
        elif len(args) == 1 and not isinstance(args[0], (int, np.integer, Size)):
            data = _to_array(args[0], dtype or _dtypes.get_default_dtype(), device)
        else:  # sizes (torch.Tensor() is empty, of shape (0,))
            if args and not isinstance(args[0], Size):
                from ._legacy import legacy_sizes  # noqa: PLC0415

                args = legacy_sizes(args)
            data = zeros(*(args or (0,)), dtype=dtype, device=device)._data
        _init(self, data, False, None, 0, None)

    # ---- metadata -------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        """Mirrors ``Tensor.shape``."""
        return _tuple_new(Size, self._data.shape)

    def size(self, dim: int | None = None):
        """Mirrors ``Tensor.size``."""
        if dim is None:
            return _tuple_new(Size, self._data.shape)
        try:
            return self._data.shape[dim]
        except IndexError:
            raise _dim_error(dim, self._data.ndim) from None

    @property
    def ndim(self) -> int:
        """Mirrors ``Tensor.ndim``."""
        return self._data.ndim

    def dim(self) -> int:
        """Mirrors ``Tensor.dim``."""
        return self._data.ndim

    def ndimension(self) -> int:
        """Mirrors ``Tensor.ndimension``."""
        return self._data.ndim

    def numel(self) -> int:
        """Mirrors ``Tensor.numel``."""
        return self._data.size

    def nelement(self) -> int:
        """Mirrors ``Tensor.nelement``."""
        return self._data.size

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    @property
    def dtype(self) -> _dtypes.dtype:
        """Mirrors ``Tensor.dtype``."""
        return from_numpy_dtype(self._data.dtype)

    @property
    def device(self):
        """Mirrors ``Tensor.device``."""
        from .backends import device_of  # noqa: PLC0415

        return device_of(self._data)

    @property
    def is_cuda(self) -> bool:
        """Mirrors ``Tensor.is_cuda``."""
        return self.device.type == "cuda"

    @property
    def is_cpu(self) -> bool:
        """Mirrors ``Tensor.is_cpu``."""
        return self.device.type == "cpu"

    # layouts, kinds and devices minitorch has none of: a dense, non-quantized tensor, as
    # code that checks ``p.grad.is_sparse`` or ``x.is_mps`` expects
    is_sparse = is_sparse_csr = is_quantized = is_meta = is_mkldnn = is_nested = False
    is_mps = is_xpu = is_ipu = is_xla = is_vulkan = is_maia = is_mtia = False

    def to_dense(self, dtype=None, *, masked_grad=None) -> Tensor:
        """Mirrors ``Tensor.to_dense``: a dense tensor is returned as it is."""
        return self if dtype is None else self.to(dtype)

    def const_data_ptr(self) -> int:
        """Mirrors ``Tensor.const_data_ptr``."""
        return self.data_ptr()

    def dim_order(self, ambiguity_check: bool | list = False) -> tuple:
        """Mirrors ``Tensor.dim_order``: the dims from the outermost in memory inwards."""
        from ._dim_order import dim_order  # noqa: PLC0415

        return dim_order(self, ambiguity_check)

    def get_device(self) -> int:
        """Mirrors ``Tensor.get_device``: the GPU index, -1 on the CPU."""
        index = self.device.index
        return -1 if index is None else index

    @property
    def itemsize(self) -> int:
        """Mirrors ``Tensor.itemsize``: bytes per element."""
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        """Mirrors ``Tensor.nbytes``."""
        return self._data.nbytes

    def is_floating_point(self) -> bool:
        """Mirrors ``Tensor.is_floating_point``."""
        return self._data.dtype.kind in "fV"

    def element_size(self) -> int:
        """Mirrors ``Tensor.element_size``."""
        return self._data.itemsize

    def stride(self, dim: int | None = None):
        """Mirrors ``Tensor.stride`` (in elements; a size-1 dim that numpy gives stride 0,
        as ``x[:, None]`` does, gets PyTorch's: the next dim's extent)."""
        x = self._data
        s = element_strides(x)
        try:
            return s if dim is None else s[dim]
        except IndexError:
            raise _dim_error(dim, x.ndim) from None

    @property
    def layout(self):
        """Mirrors ``Tensor.layout``: always ``torch.strided`` (dense)."""
        return strided

    def is_contiguous(self, memory_format=None) -> bool:
        """Mirrors ``Tensor.is_contiguous`` (``memory_format=torch.channels_last`` asks about
        NHWC strides)."""
        data = self._data
        name = getattr(memory_format, "name", "contiguous_format")
        if name in ("contiguous_format", "preserve_format"):
            return data.flags.c_contiguous
        perm = {"channels_last": (0, 2, 3, 1), "channels_last_3d": (0, 2, 3, 4, 1)}[name]
        return data.ndim == len(perm) and data.transpose(perm).flags.c_contiguous

    def data_ptr(self) -> int:
        """Mirrors ``Tensor.data_ptr``."""
        from .ops.inplace import _address  # noqa: PLC0415 (ops import this module)

        return _address(self._data)  # (a device array has no __array_interface__)

    def storage(self):
        """Mirrors ``Tensor.storage``: the TypedStorage of the memory this tensor views."""
        from .storage import TypedStorage  # noqa: PLC0415

        return TypedStorage(self._data)

    def untyped_storage(self):
        """Mirrors ``Tensor.untyped_storage``: the bytes of the memory this tensor views."""
        from .storage import UntypedStorage  # noqa: PLC0415

        return UntypedStorage(self._data)

    @property
    def is_leaf(self) -> bool:
        """Mirrors ``Tensor.is_leaf``: made by the user, not by a recorded op."""
        return self.grad_fn is None

    @property
    def _version(self) -> int:
        vc = self._vc
        if type(vc) is InferenceCell:
            raise RuntimeError("Inference tensors do not track version counter.")
        return vc[0] if vc else 0

    def share_memory_(self) -> Tensor:
        """Mirrors ``Tensor.share_memory_``: moves the memory (and its live views') into
        shared memory, for other processes (``minitorch.multiprocessing``)."""
        from ._sharing import share_memory_  # noqa: PLC0415 (it imports this module)

        return share_memory_(self)

    def is_shared(self) -> bool:
        """Mirrors ``Tensor.is_shared``."""
        from ._sharing import is_shared  # noqa: PLC0415

        return is_shared(self)

    def is_inference(self) -> bool:
        """Mirrors ``Tensor.is_inference``: made inside ``inference_mode`` (or a view of such
        a tensor)."""
        return type(self._vc) is InferenceCell

    @property
    def output_nr(self) -> int:
        """Mirrors ``Tensor.output_nr``: which output of its grad_fn this tensor is."""
        return self._output_nr

    @property
    def grad(self):
        """Mirrors ``Tensor.grad``: the accumulated gradient (None until backward reaches it)."""
        g = self._grad
        if g is None and self.grad_fn is not None and not self._retains_grad:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
                "Its .grad attribute won't be populated during autograd.backward(). If you "
                "indeed want the .grad field to be populated for a non-leaf Tensor, use "
                ".retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by "
                "mistake, make sure you access the leaf Tensor instead. See "
                "github.com/pytorch/pytorch/pull/30531 for more information.",
                UserWarning,
                stacklevel=2,
            )
        return g

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    "assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}"
                )
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor "
                    f"of size '{list(self.shape)}'. Please ensure that the gradient and the "
                    "tensor are the same size"
                )
            want = self._grad_np_dtype()
            if want is not None and value._data.dtype != want:
                g_name = _dtypes.CPP_NAMES.get(value._data.dtype.name, (value._data.dtype.name,))
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{g_name[0]}' to a tensor "
                    f"with grad_dtype '{_dtypes.scalar_type_name(want)}'. The gradient must "
                    "match the tensor's grad_dtype (defaults to the tensor's dtype). You can "
                    "set the tensor's grad_dtype attribute with a specific dtype, or None to "
                    "allow any dtype. Set grad_dtype with caution. Diverging the dtypes of a "
                    "tensor and its gradient may break downstream systems that assume they match."
                )
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    def _grad_np_dtype(self):
        """The numpy dtype this tensor's gradients take (None: any; see ``grad_dtype``)."""
        acc = self._accum  # falsy too for a view made under no_grad (CreationMeta)
        rule = acc._grad_dtype if acc else False
        return self._data.dtype if rule is False else None if rule is None else rule.np

    @property
    def grad_dtype(self):
        """Mirrors ``Tensor.grad_dtype``: the dtype gradients of this leaf are cast to (its
        own dtype unless set; None: gradients keep theirs)."""
        if self.grad_fn is not None:
            raise RuntimeError("grad_dtype can only be accessed on leaf tensors.")
        want = self._grad_np_dtype()
        return None if want is None else from_numpy_dtype(want)

    @grad_dtype.setter
    def grad_dtype(self, value) -> None:
        if self.grad_fn is not None:
            raise RuntimeError("grad_dtype can only be set on leaf tensors.")
        if value is not None and not isinstance(value, _dtypes.dtype):
            raise RuntimeError(
                f"grad_dtype must be a torch.dtype or None, but got {type(value).__name__}"
            )
        g = self._grad
        if g is not None and value is not None and g._data.dtype != value.np:
            have = _dtypes.CPP_NAMES.get(g._data.dtype.name, (g._data.dtype.name,))[0]
            raise RuntimeError(
                f"Cannot set grad_dtype to '{_dtypes.scalar_type_name(value.np)}' because there "
                f"is already a gradient with dtype '{have}'. Please clear the gradient (.grad = "
                "None) before changing grad_dtype, or ensure the new grad_dtype matches the "
                "existing gradient's dtype."
            )
        self._accumulator()._grad_dtype = value

    @property
    def data(self) -> Tensor:
        """A tensor sharing storage with this one, outside autograd (mirrors ``.data``): an
        inference tensor if this one is, whatever the mode."""
        vc = self._vc
        if type(vc) is not InferenceCell:
            vc = version_cell() if _grad_state.inference else None
        return make_tensor(self._data, vc=vc)

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        if self._requires_grad and value._data.dtype.kind not in "fV":
            raise RuntimeError(
                "data set to a tensor that requires gradients must be floating point or "
                "complex dtype"
            )
        self._data = value._data

    @data.deleter
    def data(self) -> None:
        raise RuntimeError("Deleting tensor data is not allowed. Delete tensor instead!")

    @property
    def T(self) -> Tensor:
        """Mirrors ``Tensor.T``: the dims reversed (deprecated for other than 2 dims: PyTorch
        warns once per process)."""
        if self._data.ndim == 0:
            warn_once(
                "Tensor.T is deprecated on 0-D tensors. This function is the identity in these "
                "cases."
            )
        elif self._data.ndim != 2:
            warn_once(
                "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
                "deprecated and it will throw an error in a future release. Consider `x.mT` to "
                "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` "
                "to reverse the dimensions of a tensor."
            )
        return self.permute(tuple(range(self._data.ndim - 1, -1, -1)))

    @property
    def mT(self) -> Tensor:
        """Mirrors ``Tensor.mT``: the last two dims swapped (a 0-d tensor itself, deprecated)."""
        if self._data.ndim == 0:
            return self._deprecated_0d("mT", "This function is the identity in these cases.")
        if self._data.ndim < 2:
            raise RuntimeError(
                f"tensor.mT is only supported on matrices or batches of matrices. Got {self._data.ndim}-D tensor."
            )
        return self.transpose(-2, -1)

    @property
    def real(self) -> Tensor:
        """Mirrors ``Tensor.real``: a real tensor is its own real part."""
        return self

    @property
    def imag(self) -> Tensor:
        """Mirrors ``Tensor.imag``: real tensors have none (no complex dtypes here)."""
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")

    @property
    def H(self) -> Tensor:
        """The conjugate transpose of a matrix (mirrors ``Tensor.H``; real dtypes only; a 0-d
        tensor itself, deprecated)."""
        if self._data.ndim == 0:
            return self._deprecated_0d("H", "Consider using x.conj().")
        if self._data.ndim != 2:
            raise RuntimeError(
                "tensor.H is only supported on matrices (2-D tensors). Got "
                f"{self._data.ndim}-D tensor."
                + (" For batches of matrices, consider using tensor.mH" * (self._data.ndim > 2))
            )
        return self.transpose(0, 1)

    @property
    def mH(self) -> Tensor:
        """The conjugate transpose of the last two dims (mirrors ``Tensor.mH``; a 0-d tensor
        itself, deprecated)."""
        if self._data.ndim == 0:
            return self._deprecated_0d("mH", "Consider using x.conj().")
        if self._data.ndim < 2:
            raise RuntimeError(
                "tensor.mH is only supported on matrices or batches of matrices. Got "
                f"{self._data.ndim}-D tensor."
            )
        return self.transpose(-2, -1)

    def _deprecated_0d(self, name: str, advice: str) -> Tensor:
        """``x.mT``, ``x.H``, ``x.mH`` of a 0-d tensor: PyTorch warns once and returns it."""
        warn_once(f"Tensor.{name} is deprecated on 0-D tensors. {advice}")
        return self

    # ---- autograd -------------------------------------------------------------------------
    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None) -> None:
        """Mirrors ``Tensor.backward``: accumulates d(self)/d(leaf) into each leaf's ``.grad``."""
        from .autograd.engine import backward  # noqa: PLC0415

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def register_hook(self, hook):
        """Mirrors ``Tensor.register_hook``: ``hook(grad)`` may return a replacement."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = {}
            hooks = self._hooks
        else:
            node = self.grad_fn
            if node._pre_hooks is None:
                node._pre_hooks = {}
            hooks = node._pre_hooks.setdefault(self._output_nr, {})
        return RemovableHandle(hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """Mirrors ``Tensor.register_post_accumulate_grad_hook``: ``hook(tensor)`` runs after
        backward has accumulated into this leaf's ``.grad`` (not for ``autograd.grad``)."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            raise RuntimeError(
                "post accumulate grad hooks cannot be registered on non-leaf tensors"
            )
        acc = self._accumulator()
        if acc is None:  # a view made under no_grad: never accumulated, the hook never runs
            return RemovableHandle({}, hook)
        if acc._post_hooks is None:
            acc._post_hooks = {}
        return RemovableHandle(acc._post_hooks, hook)

    def retain_grad(self) -> None:
        """Mirrors ``Tensor.retain_grad``: keep this non-leaf's gradient in ``.grad``."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None and not self._retains_grad:
            node = self.grad_fn
            if node._retained is None:
                node._retained = {}
            node._retained[self._output_nr] = weakref.ref(self)
            self._retains_grad = True

    @property
    def retains_grad(self) -> bool:
        """Mirrors ``Tensor.retains_grad``."""
        return self._retains_grad

    @property
    def requires_grad(self) -> bool:
        """Mirrors ``Tensor.requires_grad``."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, requires_grad: bool) -> None:
        if type(requires_grad) is not bool:
            raise RuntimeError("requires_grad must be a bool")
        if self.grad_fn is not None and requires_grad:
            raise RuntimeError("you can only change requires_grad flags of leaf variables.")
        self._set_requires_grad(requires_grad, "floating point and complex dtype")

    @requires_grad.deleter
    def requires_grad(self) -> None:
        raise RuntimeError("requires_grad must be a bool")  # PyTorch's words for a deletion

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Mirrors ``Tensor.requires_grad_``."""
        self._set_requires_grad(requires_grad, "floating point dtype")
        return self

    def _set_requires_grad(self, requires_grad: bool, allowed: str) -> None:
        """The checks PyTorch makes when a user sets the flag (``allowed``: its words)."""
        if requires_grad and type(self._vc) is InferenceCell and not _grad_state.inference:
            raise RuntimeError(INFERENCE_REQUIRES_GRAD)
        if self.grad_fn is not None and not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to "
                "use a computed variable in a subgraph that doesn't require differentiation "
                "use var_no_grad = var.detach()."
            )
        if requires_grad and self._data.dtype.kind not in "fV":
            raise RuntimeError(f"only Tensors of {allowed} can require gradients")
        if type(self._accum) is CreationMeta:  # its base requires grad: so does it
            if requires_grad:
                self._accum = None  # its own gradient from now on, as PyTorch's
            return
        self._requires_grad = bool(requires_grad)
        self._no_grad_views_follow()

    def _no_grad_views_follow(self) -> None:
        """The views made under no_grad of this base require grad as it does now (PyTorch's
        ask their base; a stale one of several views keeps its old node's flag). When it
        stopped requiring grad, its other views' nodes lead into history it left: a mark on
        the shared version cell has the next in-place change regenerate them (bump_version)."""
        stale = False
        for v in self._views.alive() if getattr(self, "_views", None) else ():
            if type(v._accum) is CreationMeta and v._accum.message is None:
                v._requires_grad = self._requires_grad
            else:
                stale = stale or v._requires_grad
        if stale and not self._requires_grad and self._vc is not None and len(self._vc) == 1:
            self._vc.append(True)

    def detach(self) -> Tensor:
        """Mirrors ``Tensor.detach``: same storage, no history."""
        if self._vc is None:
            self._vc = version_cell()
        return make_tensor(self._data, vc=self._vc)  # shares the version counter, not a view

    def as_subclass(self, cls: type) -> Tensor:
        """Mirrors ``Tensor.as_subclass``: the same memory as an instance of ``cls`` (a Tensor
        subclass, its ``__init__`` not called), a view that stays in the graph
        (``AliasBackward0``)."""
        _check_subclass(cls)
        from .autograd.function import name_node  # noqa: PLC0415 (it imports this module)
        from .ops.shape import Reshape  # noqa: PLC0415

        out = name_node(Reshape.apply(self, self._data.shape), "AliasBackward0", self)
        out.__class__ = cls
        return out

    @staticmethod
    def _make_subclass(cls: type, data: Tensor, require_grad: bool = False) -> Tensor:
        """Mirrors ``Tensor._make_subclass``: a new leaf of class ``cls`` on ``data``'s memory
        (how Parameter-like classes are built; ``cls.__init__`` is not called)."""
        _check_subclass(cls)
        out = data.detach()
        out.__class__ = cls
        return out.requires_grad_(require_grad)

    def _is_view(self) -> bool:
        """Mirrors ``Tensor._is_view``: whether this tensor is a view of another."""
        return self._base is not None

    def detach_(self) -> Tensor:
        """Mirrors ``Tensor.detach_``."""
        if _grad_state.inference:  # PyTorch's detach_ is autograd's: inference mode skips it
            return self
        if self._base is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set "
                "as True, gradients are views of DDP buckets, and hence detach_() cannot be "
                "called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
            )
        self.grad_fn, self._requires_grad, self._output_nr = None, False, 0
        self._no_grad_views_follow()
        forward_ad = _forward_ad or _import_forward_ad()
        if forward_ad.is_dual(self):  # and its tangent, as PyTorch's
            forward_ad.set_tangent(self, None)
        return self

    def _accumulator(self):
        """The AccumulateGrad node of this leaf, made once."""
        acc = self._accum
        if acc is None:
            from .autograd.engine import AccumulateGrad  # noqa: PLC0415

            acc = self._accum = AccumulateGrad(self)
        elif type(acc) is CreationMeta:  # a view made under no_grad: none (PyTorch's)
            if self._vc[0] != acc.version:
                raise acc.error("its base or another view of its base has been modified inplace")
            return None
        return acc

    # ---- conversion -----------------------------------------------------------------------
    def numpy(self, *, force: bool = False) -> np.ndarray:
        """Mirrors ``Tensor.numpy``: shares memory on CPU (refused for a tensor that requires
        grad while grad mode is on)."""
        if (
            self._requires_grad
            and not force
            and (_grad_state.enabled or _grad_state.inference_grad)
        ):
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead."
            )
        data = self._data
        if not isinstance(data, np.ndarray):
            if not force:
                raise TypeError(
                    f"can't convert {self.device} tensor to numpy. Use Tensor.cpu() to copy "
                    "the tensor to host memory first."
                )
            return synced(data).get()
        if data.dtype == _dtypes.BF16_NP:  # numpy has no bfloat16: PyTorch refuses, forced too
            raise TypeError("Got unsupported ScalarType BFloat16")
        return data

    def __array__(self, dtype=None, copy=None):
        if self._requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead."
            )
        if copy is False:  # numpy's error for PyTorch's __array__, which takes no ``copy``
            raise ValueError(
                "Unable to avoid copy while creating an array as requested.\nIf using "
                "`np.array(obj, copy=False)` replace it with `np.asarray(obj)` to allow a copy "
                "when needed (no behavior change in NumPy 1.x).\nFor more details, see "
                "https://numpy.org/devdocs/numpy_2_0_migration_guide.html"
                "#adapting-to-changes-in-the-copy-keyword."
            )
        data = self._data if isinstance(self._data, np.ndarray) else synced(self._data).get()
        if data.dtype == _dtypes.BF16_NP:
            raise TypeError("Got unsupported ScalarType BFloat16")
        if dtype is None:
            return data.copy(order="K") if copy else data  # (np.array keeps the layout)
        return data.astype(dtype, copy=bool(copy))

    def __array_wrap__(self, array, context=None, return_scalar=False):
        # PyTorch's: a numpy function of tensors gives a tensor (a bool result as uint8)
        if array.dtype == np.bool_:
            array = array.astype(np.uint8)
        return make_tensor(array)

    def item(self):
        """Mirrors ``Tensor.item``."""
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar"
            )
        return synced(self._data).item()

    def tolist(self):
        """Mirrors ``Tensor.tolist``."""
        return synced(self._data).tolist()

    def _scalar(self):
        if self._data.size != 1:  # PyTorch's ValueError here (``.item()`` raises RuntimeError)
            raise ValueError("only one element tensors can be converted to Python scalars")
        return synced(self._data).item()

    def __float__(self) -> float:
        if self._requires_grad and _grad_state.enabled:  # PyTorch warns only with grad mode on
            warn_once(
                "Converting a tensor with requires_grad=True to a scalar may lead to unexpected "
                "behavior.\nConsider using tensor.detach() first."
            )
        return float(self._scalar())

    def __int__(self) -> int:
        return int(self._scalar())

    def __bool__(self) -> bool:
        if self._data.size != 1:
            count = "no values" if self._data.size == 0 else "more than one value"
            raise RuntimeError(f"Boolean value of Tensor with {count} is ambiguous")
        return bool(synced(self._data).item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "biu" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(synced(self._data).item())

    def __hash__(self) -> int:
        return id(self)

    def __dlpack__(self, *args, **kwargs):
        if self._requires_grad:
            raise BufferError("Can't export tensors that require gradient, use tensor.detach()")
        return self._data.__dlpack__(*args, **kwargs)

    def __dlpack_device__(self):
        return self._data.__dlpack_device__()

    def __contains__(self, element) -> bool:
        if not isinstance(element, (Tensor, bool, int, float, complex, np.generic)):
            raise RuntimeError(
                "Tensor.__contains__ only supports Tensor or scalar, but you passed in a "
                f"{type(element)}."
            )
        return bool((element == self).any())

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __reversed__(self) -> Tensor:
        """Mirrors ``Tensor.__reversed__``: flipped along dim 0 (a 0-d tensor is itself)."""
        return self.flip(0) if self._data.ndim else self

    def __repr__(self) -> str:
        from ._printing import tensor_repr  # noqa: PLC0415

        cls = type(self)
        if cls is Tensor or cls.__module__.startswith("minitorch"):  # Parameter, Buffer
            return tensor_repr(self)
        return tensor_repr(self, f"{cls.__name__}(")  # a user's subclass: M([1., 2.])

    def __format__(self, spec: str) -> str:
        # a number's format for a plain 0-d tensor only (a Buffer is one in PyTorch); a
        # Parameter or a user's subclass formats as an object: str(), or a TypeError for a spec
        if self._data.ndim == 0 and (type(self) is Tensor or _is_buffer_class(type(self))):
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __reduce_ex__(self, protocol):
        # PyTorch's pickling: the whole storage with the offset and strides, requires_grad
        # (a non-leaf comes back a leaf), no .grad; a Buffer comes back a plain Tensor as there
        data = self._data
        root = data
        while isinstance(root.base, type(data)):
            root = root.base
        if isinstance(data, np.ndarray) and root.flags.c_contiguous:
            memory = root.reshape(-1).view(np.uint8)
            offset = data.__array_interface__["data"][0] - root.__array_interface__["data"][0]
            layout = (data.shape, data.dtype, offset, data.strides)
        else:  # another layout, or a GPU array (which pickles itself)
            memory, layout = data, None
        cls, state = type(self), getattr(self, "__dict__", None)
        if _is_buffer_class(cls):
            # PyTorch's Buffer is a plain tensor marked by two attributes, which pickle keeps
            cls, state = Tensor, {**(state or {}), "persistent": self.persistent, "_is_buffer": True}  # fmt: skip
        slots = _subclass_slots(self) if cls is not Tensor else None  # pickle keeps slots
        args = (cls, memory, layout, self._requires_grad, state)
        return _unpickle, (*args, slots) if slots else args

    def __copy__(self):
        # PyTorch's copy.copy rebuilds from the storage: a leaf sharing the data, no .grad
        t = type(self).__new__(type(self))
        _init(t, self._data, self._requires_grad, None, 0, None)
        if self.__dict__:  # user attributes
            t.__dict__.update(self.__dict__)
        for name, value in _subclass_slots(self).items():
            setattr(t, name, value)
        return t

    def __deepcopy__(self, memo):
        if self.grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the "
                "deepcopy protocol at the moment.  If you were attempting to deepcopy a module, "
                "this may be because of a torch.nn.utils.weight_norm usage, see "
                "https://github.com/pytorch/pytorch/pull/103001"
            )
        cls = type(self)
        if cls is not Tensor and cls.new_empty is Tensor.new_empty:
            if not cls.__module__.startswith("minitorch"):  # a user's subclass, as PyTorch
                raise RuntimeError(_DEEPCOPY_SUBCLASS)
        t = cls.__new__(cls)
        _init(t, _deepcopy_data(self._data, memo), self._requires_grad, None, 0, None)
        if self._grad is not None:
            t._grad = make_tensor(self._grad._data.copy())
        memo[id(self)] = t
        # PyTorch's: deep copies of a subclass's slots and of the user attributes
        for name, value in _subclass_slots(self).items():
            setattr(t, name, copy.deepcopy(value, memo))
        if self.__dict__:
            t.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return t


def _deepcopy_data(data, memo: dict):
    """``data`` copied for a deepcopy: the views of one memory copied in one deepcopy share
    the copy of that memory (made once, kept in ``memo``), as PyTorch's views share their
    copied storage (``deepcopy([a, a.view(-1)])``)."""
    root = data
    while isinstance(root.base, type(data)):
        root = root.base
    if not root.flags.owndata or root.dtype != data.dtype or min(data.strides, default=0) < 0:
        return data.copy()  # memory this tensor does not own, reinterpreted or reversed
    key = ("minitorch.memory", id(root))
    if key not in memo:
        memo[key] = root.copy(order="K")
    if data is root:
        return memo[key]
    from .ops.inplace import _address  # noqa: PLC0415 (ops import this module)
    from .ops.layout import strided_view  # noqa: PLC0415

    start = (_address(data) - _address(root)) // data.itemsize
    return strided_view(memo[key].ravel(order="K")[start:], data.shape, data.strides)


_DEEPCOPY_SUBCLASS = (
    "The default implementation of __deepcopy__() for non-wrapper subclasses only works for "
    "subclass types that implement new_empty() and for which that function returns another "
    "instance of the same subclass. You should either properly implement new_empty() for your "
    "subclass or override __deepcopy__() if it is intended behavior for new_empty() to return "
    "an instance of a different type."
)


def _check_subclass(cls) -> None:
    if not (isinstance(cls, type) and issubclass(cls, Tensor)):
        raise TypeError(
            "Creating a Tensor subclass from a class that does not inherit from Tensor is not "
            "possible. Make sure your class inherits from Tensor."
        )


def _unpickle(cls, memory, layout, requires_grad: bool, state, slots=None) -> Tensor:
    """Rebuilds a pickled tensor (see ``Tensor.__reduce_ex__``)."""
    if layout is not None:
        shape, dtype, offset, strides = layout
        memory = np.ndarray(shape, dtype, buffer=memory, offset=offset, strides=strides)
    t = cls.__new__(cls)
    _init(t, memory, requires_grad, None, 0, None)
    if state:
        t.__dict__.update(state)
    for name, value in (slots or {}).items():
        setattr(t, name, value)
    return t


def _is_buffer_class(cls) -> bool:
    from .nn.parameter import Buffer  # noqa: PLC0415 (nn imports this module)

    return cls is Buffer


def _subclass_slots(t: Tensor) -> dict:
    """The slots that ``t``'s subclasses of Tensor add (a Buffer's ``persistent``), set ones."""
    mro = type(t).__mro__
    names = [n for k in mro[: mro.index(Tensor)] for n in k.__dict__.get("__slots__", ())]
    return {n: getattr(t, n) for n in names if hasattr(t, n)}


def _init(t, data, requires_grad, grad_fn, output_nr, vc) -> None:
    t._data = data
    t._requires_grad = requires_grad
    t.grad_fn = grad_fn
    t._grad = None
    t._output_nr = output_nr
    t._vc = _creation_cell(vc) if _inference_threads[0] else vc
    t._base = None
    t._hooks = None
    t._accum = None
    t._retains_grad = False


_new = object.__new__
_ndarray = np.ndarray


def make_tensor(data, requires_grad=False, grad_fn=None, output_nr=0, vc=None) -> Tensor:
    """Wraps a backend array without copying (the hot path: every op output comes here).
    The slot assignments repeat ``_init`` on purpose: calling it costs ~0.4 µs an op (W4)."""
    if type(data) is not _ndarray and isinstance(data, np.generic):
        data = np.asarray(data)  # numpy reductions of 0-d arrays return scalars
    t = _new(Tensor)
    t._data = data
    t._requires_grad = requires_grad
    t.grad_fn = grad_fn
    t._grad = None
    t._output_nr = output_nr
    t._vc = _creation_cell(vc) if _inference_threads[0] else vc
    t._base = None
    t._hooks = None
    t._accum = None
    t._retains_grad = False
    return t


def link_view(view: Tensor, source: Tensor) -> None:
    """Makes ``view`` share ``source``'s version counter, records its base tensor and
    registers it there, so that an in-place change of the base (or of another view of it)
    can re-derive the view's grad_fn. A "view" that numpy had to copy stays unlinked; one of
    an inference tensor only shares its cell."""
    data, src = view._data, source._data
    if data is not src and data.base is not (src if src.base is None else src.base):
        if isinstance(data, np.ndarray) or not np.may_share_memory(data, src):
            return  # numpy copied (a reshape of a non-contiguous array): not a view
        # a device array strided over src's memory (cupy's as_strided sets no base)
    vc = source._vc
    if vc is None:
        vc = source._vc = version_cell()
    view._vc = vc
    if type(vc) is InferenceCell:
        return  # a view of an inference tensor is an inference tensor, no view (PyTorch's)
    base = source._base if source._base is not None else source
    view._base = base
    meta = source._accum
    if type(meta) is CreationMeta and meta.inference and view.grad_fn is not None:
        view.grad_fn.of_inference_view = True  # PyTorch's views of it stay of inference_mode
    try:
        views = base._views
    except AttributeError:
        views = base._views = ViewRefs()
    views.append(_weakref(view))
    if len(views) >= views.limit:
        views.prune()


_weakref = weakref.ref


class ViewRefs(list):
    """Weak references to the views of one base tensor, pruned of dead ones as it grows."""

    __slots__ = ("limit",)

    def __init__(self) -> None:
        super().__init__()
        self.limit = 16

    def prune(self) -> None:
        """Drops the references to dead views (amortised: the limit doubles)."""
        self[:] = [r for r in self if r() is not None]
        self.limit = 2 * len(self) + 16

    def alive(self) -> list:
        """The views still alive."""
        return [v for v in (r() for r in self) if v is not None]


class CreationMeta:
    """Mirrors PyTorch's view ``CreationMeta``: held in ``_accum`` by a view made under
    no_grad or inference_mode of a tensor that requires grad. Such a view requires grad
    without a gradient of its own (ops on it record; nothing reaches it or its base), may not
    be changed in place with grad mode on, and once its base changed in place, using it in a
    recorded op raises (PyTorch's errors, words of ``mode``). Falsy, so it reads as no
    accumulator. One of several views (split, unbind) whose base changed holds one too, with
    its ``message`` (``{what}`` in it) and version -1: using it raises."""

    __slots__ = ("inference", "version", "message")

    def __init__(self, version: int, inference: bool, message: str | None = None) -> None:
        self.version, self.inference, self.message = version, inference, message

    def __bool__(self) -> bool:
        return False

    def error(self, what: str, view: str = "A view was") -> RuntimeError:
        """PyTorch's error for ``what`` (the view ``is being modified inplace``, or ``its base
        or another view of its base has been modified inplace``) in grad mode; ``view``: how
        it starts (``Output 0 of Slice is a view of a view which was``, for a view of one)."""
        if self.message is not None:
            return RuntimeError(self.message.replace("{what}", what))
        mode, normal, block = (
            ("inference mode", "in normal mode", "inference_mode")
            if self.inference
            else ("no_grad mode", "with grad mode enabled", "no_grad")
        )
        return RuntimeError(
            f"{view} created in {mode} and {what} {normal}. Given that this use case is "
            "ambiguous and error-prone, it is forbidden. You can clarify your code by moving "
            f"both the view and the inplace either both inside the {block} block (if you "
            "don't want the inplace to be tracked) or both outside (if you want the inplace to "
            "be tracked)."
        )


def mark_no_grad_views(views, source: Tensor) -> None:
    """Views made without recording (no_grad, inference_mode) of a tensor that requires
    grad: they require grad too, as PyTorch's (see ``CreationMeta``; a view of one made in
    inference_mode stays one of inference_mode)."""
    meta = source._accum
    inference = _grad_state.inference or type(meta) is CreationMeta and meta.inference
    for view in views:
        if view._base is not None and view._base._requires_grad:  # (the base, not the source)
            view._requires_grad = True
            view._accum = CreationMeta(view._vc[0], inference)


def check_can_require_grad(data) -> None:
    """Only floating point tensors can require gradients (PyTorch's rule)."""
    if data.dtype.kind not in "fV":
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")


class RemovableHandle:
    """Mirrors ``torch.utils.hooks.RemovableHandle``: ``handle.remove()`` drops the hook."""

    __module__ = "minitorch.utils.hooks"  # where PyTorch's lives
    _next_id = 0

    def __init__(self, hooks_dict: dict, hook=None, *, extra_dict=None) -> None:
        RemovableHandle._next_id += 1
        self.id = RemovableHandle._next_id
        self._hooks = hooks_dict
        # PyTorch's extra_dict: a dict or list of dicts whose entry for this id goes too
        self._extra = [extra_dict] if isinstance(extra_dict, dict) else list(extra_dict or ())
        if hook is not None:  # PyTorch's form: the caller stores ``hooks_dict[handle.id]``
            hooks_dict[self.id] = hook

    def remove(self) -> None:
        """Mirrors ``RemovableHandle.remove``: unregisters the hook."""
        for d in (self._hooks, *self._extra):
            d.pop(self.id, None)

    def hooks_dict_ref(self) -> dict:
        """Mirrors ``RemovableHandle.hooks_dict_ref`` (a weak reference's call there): the
        dict that holds the hook."""
        return self._hooks

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.remove()
