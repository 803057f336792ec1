"""TypedStorage: the flat memory a tensor views (``Tensor.storage()``), as PyTorch shows it."""

from __future__ import annotations

from ._dtypes import from_numpy_dtype, get_default_dtype, to_numpy_dtype


class TypedStorage:
    """Mirrors ``torch.TypedStorage``: the elements of the memory a tensor and its views
    share, in memory order (an expanded tensor's storage holds only the original elements)."""

    def __init__(self, *args, dtype=None, device=None) -> None:
        array = (
            args[0] if len(args) == 1 and hasattr(args[0], "ravel") else _new(args, dtype, device)
        )
        root = array
        while isinstance(root.base, type(array)):
            root = root.base
        self._array = root.ravel(order="K")  # a view: a root array owns contiguous memory

    @property
    def dtype(self):
        """Mirrors ``TypedStorage.dtype``."""
        return from_numpy_dtype(self._array.dtype)

    @property
    def device(self):
        """Mirrors ``TypedStorage.device``."""
        from .backends import device_of  # noqa: PLC0415

        return device_of(self._array)

    def size(self) -> int:
        """Mirrors ``TypedStorage.size``: the number of elements."""
        return self._array.size

    __len__ = size

    def element_size(self) -> int:
        """Mirrors ``TypedStorage.element_size``."""
        return self._array.itemsize

    def nbytes(self) -> int:
        """Mirrors ``TypedStorage.nbytes``."""
        return self._array.nbytes

    def data_ptr(self) -> int:
        """Mirrors ``TypedStorage.data_ptr``: the address of the first element."""
        from .ops.inplace import _address  # noqa: PLC0415 (ops import this module)

        return _address(self._array)  # (a device array has no __array_interface__)

    def tolist(self) -> list:
        """Mirrors ``TypedStorage.tolist``."""
        return self._array.tolist()

    def __getitem__(self, index: int):
        return self._array[index].tolist()

    def __iter__(self):
        return iter(self.tolist())

    def __str__(self) -> str:
        info = f"[minitorch.storage.TypedStorage(dtype={self.dtype}, device={self.device}) "
        return " " + "\n ".join(map(str, self.tolist())) + "\n" + info + f"of size {len(self)}]"

    __repr__ = __str__


class UntypedStorage(TypedStorage):
    """Mirrors ``torch.UntypedStorage`` (``Tensor.untyped_storage()``): the same memory as
    ``TypedStorage``, counted in bytes."""

    def __init__(self, array) -> None:
        super().__init__(array)
        self._array = self._array.view("uint8")

    def __str__(self) -> str:
        info = f"[minitorch.storage.UntypedStorage(device={self.device}) of size {len(self)}]"
        return " " + "\n ".join(map(str, self.tolist())) + "\n" + info

    __repr__ = __str__


def _new(args: tuple, dtype, device):
    """The memory of ``torch.TypedStorage(size_or_sequence, dtype=..., device=...)``."""
    from .backends import get_backend  # noqa: PLC0415

    xp = get_backend(device).xp
    dt = to_numpy_dtype(dtype or get_default_dtype())
    data = args[0] if args else 0
    return xp.empty(data, dtype=dt) if isinstance(data, int) else xp.asarray(data, dtype=dt)


def is_storage(obj) -> bool:
    """Mirrors ``torch.is_storage``: whether ``obj`` is a storage (``Tensor.storage()``)."""
    return isinstance(obj, TypedStorage)
