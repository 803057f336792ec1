"""Data transforms. Mirrors ``torchvision.transforms`` (Compose, ToTensor, Normalize,
RandomCrop, RandomHorizontalFlip, Lambda) for tensor images.

A transform called on one sample takes a tensor image ``(..., H, W)`` (``(C, H, W)`` or
``(H, W)``; ToTensor also takes numpy ``(H, W)`` / ``(H, W, C)`` arrays, as torchvision does).
``t.apply_batch(x)`` applies it to a batch ``(B, ..., H, W)`` in one vectorised step, with
independent random choices per sample; it is ``None`` where a transform can't do that (a
``Lambda`` not marked ``batched``, a ``Compose`` holding one). Datasets with a vectorised
``__getbatch__`` (MNIST) use ``apply_batch`` when their transforms have it. Random choices come
from the default generator, or inside a DataLoader worker thread from the worker's own seeded
stream.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .. import _dtypes
from .._tensor import Tensor, make_tensor
from ..backends import device_of, get_backend, to_backend
from ..ops.inplace import bump_version
from . import _worker


def _xp(array):
    return get_backend(device_of(array)).xp


def _image(x, name: str, min_ndim: int = 2) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{name}: expected a Tensor image, got {type(x).__name__} (use ToTensor() first)"
        )
    if x.ndim < min_ndim:
        raise ValueError(
            f"{name}: expected a tensor image of shape (..., H, W) with at least {min_ndim} "
            f"dims, got shape {tuple(x.shape)}"
        )
    return x


class Compose:
    """Mirrors ``torchvision.transforms.Compose``: the transforms one after another."""

    def __init__(self, transforms: Sequence[Callable]) -> None:
        self.transforms = list(transforms)

    def __call__(self, x):
        for t in self.transforms:
            x = t(x)
        return x

    @property
    def apply_batch(self) -> Callable | None:
        fns = [getattr(t, "apply_batch", None) for t in self.transforms]
        if any(fn is None for fn in fns):
            return None

        def run(x):
            for fn in fns:
                x = fn(x)
            return x

        return run

    def __repr__(self) -> str:
        body = "".join(f"\n    {t}" for t in self.transforms)
        return f"{type(self).__name__}({body}\n)"


def _scaled(arr) -> Tensor:
    """uint8 -> default float dtype in [0, 1] (x / 255); other dtypes unchanged."""
    if arr.dtype != np.uint8:
        return make_tensor(arr)
    out = arr.astype(_dtypes.get_default_dtype().np)
    out /= 255
    return make_tensor(out)


class ToTensor:
    """Mirrors ``torchvision.transforms.ToTensor``: an image to a ``(C, H, W)`` tensor, uint8
    scaled to floats in [0, 1]. numpy arrays are ``(H, W)`` or ``(H, W, C)`` (as torchvision
    reads them); tensors are ``(H, W)`` or already ``(C, H, W)``."""

    def __call__(self, pic) -> Tensor:
        return self._convert(pic, batched=False)

    def apply_batch(self, pics) -> Tensor:
        """``(B, H, W)`` / ``(B, C, H, W)`` tensors, or numpy ``(B, H, W, C)``, to
        ``(B, C, H, W)``."""
        return self._convert(pics, batched=True)

    def _convert(self, pic, batched: bool) -> Tensor:
        lead = int(batched)
        if isinstance(pic, Tensor):
            arr = pic._data
        elif isinstance(pic, np.ndarray):
            arr = pic
        else:
            raise TypeError(f"ToTensor: pic should be a Tensor or ndarray, got {type(pic)}")
        if arr.ndim not in (2 + lead, 3 + lead):
            raise ValueError(
                f"ToTensor: pic should be {2 + lead} or {3 + lead} dimensional, got shape "
                f"{tuple(arr.shape)}"
            )
        if arr.ndim == 2 + lead:
            arr = arr[(slice(None),) * lead + (None,)]
        elif isinstance(pic, np.ndarray):
            arr = np.ascontiguousarray(np.moveaxis(arr, -1, lead))
        return _scaled(arr)

    def __repr__(self) -> str:
        return "ToTensor()"


class Normalize:
    """Mirrors ``torchvision.transforms.Normalize``: ``(x - mean[c]) / std[c]`` per channel of a
    float tensor ``(..., C, H, W)`` (so one call also serves a batch)."""

    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> None:
        self.mean = mean
        self.std = std
        self.inplace = inplace

    def __call__(self, tensor: Tensor) -> Tensor:
        x = _image(tensor, "Normalize", min_ndim=3)
        if not x.is_floating_point():
            raise TypeError(f"Normalize: input tensor should be a float tensor, got {x.dtype}")
        xp = _xp(x._data)
        mean = xp.asarray(self.mean, dtype=x._data.dtype).reshape(-1, 1, 1)
        std = xp.asarray(self.std, dtype=x._data.dtype).reshape(-1, 1, 1)
        if (std == 0).any():
            raise ValueError(
                f"std evaluated to zero after conversion to {x.dtype}, leading to division by zero."
            )
        if not self.inplace:
            return make_tensor((x._data - mean) / std)
        x._data -= mean
        x._data /= std
        bump_version(x)
        return x

    apply_batch = __call__

    def __repr__(self) -> str:
        return f"{type(self).__name__}(mean={self.mean}, std={self.std})"


def _pad_widths(padding) -> tuple:
    """torchvision's padding forms -> ((top, bottom), (left, right))."""
    if isinstance(padding, int):
        padding = (padding,)
    padding = tuple(int(p) for p in padding)
    if len(padding) == 1:
        left = top = right = bottom = padding[0]
    elif len(padding) == 2:
        (left, top), (right, bottom) = padding, padding
    elif len(padding) == 4:
        left, top, right, bottom = padding
    else:
        raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, got {padding}")
    return (top, bottom), (left, right)


class RandomCrop:
    """Mirrors ``torchvision.transforms.RandomCrop``: optionally pad (``padding`` as int,
    (left/right, top/bottom) or (left, top, right, bottom); ``padding_mode`` constant with
    ``fill``, edge, reflect or symmetric), then cut a ``size`` window at a random place."""

    _MODES = ("constant", "edge", "reflect", "symmetric")

    def __init__(
        self,
        size: int | Sequence[int],
        padding=None,
        pad_if_needed: bool = False,
        fill: float = 0,
        padding_mode: str = "constant",
    ) -> None:
        self.size = (int(size), int(size)) if isinstance(size, int) else tuple(size)
        if len(self.size) != 2:
            raise ValueError(f"RandomCrop: size must be an int or (h, w), got {size}")
        if padding_mode not in self._MODES:
            raise ValueError(f"Padding mode should be one of {self._MODES}, got {padding_mode!r}")
        self.padding = None if padding is None else _pad_widths(padding)
        self.pad_if_needed = pad_if_needed
        self.fill = fill
        self.padding_mode = padding_mode

    def _pad(self, arr):
        """``arr`` (..., H, W) padded as configured."""
        (top, bottom), (left, right) = self.padding or ((0, 0), (0, 0))
        th, tw = self.size
        if self.pad_if_needed:
            h, w = arr.shape[-2] + top + bottom, arr.shape[-1] + left + right
            left, right = (left + tw - w, right + tw - w) if w < tw else (left, right)
            top, bottom = (top + th - h, bottom + th - h) if h < th else (top, bottom)
        if not (top or bottom or left or right):
            return arr
        widths = ((0, 0),) * (arr.ndim - 2) + ((top, bottom), (left, right))
        kwargs = {"constant_values": self.fill} if self.padding_mode == "constant" else {}
        return _xp(arr).pad(arr, widths, mode=self.padding_mode, **kwargs)

    def _free_room(self, arr) -> tuple[int, int]:
        (h, w), (th, tw) = arr.shape[-2:], self.size
        if h < th or w < tw:
            raise ValueError(
                f"Required crop size {(th, tw)} is larger than input image size {(h, w)}"
            )
        return h - th + 1, w - tw + 1

    def __call__(self, img: Tensor) -> Tensor:
        arr = self._pad(_image(img, "RandomCrop")._data)
        rows, cols = self._free_room(arr)
        rng = _worker.rng()
        i, j = int(rng.integers(rows)), int(rng.integers(cols))
        th, tw = self.size
        return make_tensor(arr[..., i : i + th, j : j + tw].copy())

    def apply_batch(self, imgs: Tensor) -> Tensor:
        """Each image of ``imgs`` (B, ..., H, W) cropped at its own random place."""
        arr = self._pad(_image(imgs, "RandomCrop.apply_batch", min_ndim=3)._data)
        rows, cols = self._free_room(arr)
        n, (th, tw) = arr.shape[0], self.size
        rng = _worker.rng()
        i, j = rng.integers(rows, size=n), rng.integers(cols, size=n)
        r = to_backend((i[:, None] + np.arange(th))[:, :, None], arr)  # (B, th, 1)
        c = to_backend((j[:, None] + np.arange(tw))[:, None, :], arr)  # (B, 1, tw)
        b = to_backend(np.arange(n)[:, None, None], arr)
        flat = arr.reshape(n, -1, *arr.shape[-2:])  # (B, M, H, W)
        out = flat[b, :, r, c]  # (B, th, tw, M): advanced indices around a slice go first
        out = _xp(arr).ascontiguousarray(out.transpose(0, 3, 1, 2))
        return make_tensor(out.reshape(arr.shape[:-2] + (th, tw)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(size={self.size}, padding={self.padding})"


class RandomHorizontalFlip:
    """Mirrors ``torchvision.transforms.RandomHorizontalFlip``: mirror the image left-right
    with probability ``p``."""

    def __init__(self, p: float = 0.5) -> None:
        self.p = p

    def __call__(self, img: Tensor) -> Tensor:
        arr = _image(img, "RandomHorizontalFlip")._data
        if _worker.rng().random(dtype=np.float32) < self.p:  # torch.rand(1) < p
            return make_tensor(arr[..., ::-1].copy())
        return img

    def apply_batch(self, imgs: Tensor) -> Tensor:
        """Each image of ``imgs`` (B, ..., H, W) flipped with probability ``p`` on its own."""
        arr = _image(imgs, "RandomHorizontalFlip.apply_batch", min_ndim=3)._data
        flip = to_backend(_worker.rng().random(arr.shape[0], np.float32) < self.p, arr)
        out = arr.copy()
        out[flip] = arr[flip][..., ::-1]
        return make_tensor(out)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(p={self.p})"


class Lambda:
    """Mirrors ``torchvision.transforms.Lambda``: a user function as a transform. With
    ``batched=True`` the function also accepts a batch (it must treat the leading dim as the
    batch, as elementwise functions do) and is used as ``apply_batch``."""

    def __init__(self, lambd: Callable, batched: bool = False) -> None:
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {type(lambd).__name__!r}")
        self.lambd = lambd
        self.batched = batched

    def __call__(self, x):
        return self.lambd(x)

    @property
    def apply_batch(self) -> Callable | None:
        return self.lambd if self.batched else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
