"""MNIST and Fashion-MNIST from the standard IDX files (gzipped or not), with an optional
checked download. Mirrors ``torchvision.datasets.MNIST`` / ``FashionMNIST``.

An item is ``(image, label)`` as in torchvision: ``image`` is a uint8 tensor (28, 28) (the
pixels torchvision would put in a PIL image) after ``transform``, ``label`` a Python int after
``target_transform``. ``ToTensor()`` turns the image into float32 (1, 28, 28) in [0, 1], exactly
as torchvision's ToTensor does for the PIL image.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import struct
import zlib
from collections.abc import Callable

import numpy as np

from ..._tensor import make_tensor
from ...factories import from_numpy
from ..dataset import Dataset

_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as e:
        raise ValueError(f"{path}: damaged or truncated gzip file ({e})") from e


def read_idx(path: str, ndim: int | None = None) -> np.ndarray:
    """Reads an IDX file (the format of the MNIST files; gzipped or not) into a numpy array in
    native byte order. ``ndim`` (3 for images, 1 for labels) is checked when given. A file
    that is not IDX, has the wrong number of dims, or is truncated raises ValueError."""
    raw = _read_bytes(path)
    magic = raw[:4]
    if len(magic) < 4 or magic[0] or magic[1] or magic[2] not in _IDX_TYPES:
        raise ValueError(
            f"{path}: not an IDX file: magic number 0x{magic.hex() or '(empty)'}; an IDX file "
            "starts with two zero bytes, a type code (0x08 for uint8) and its number of dims "
            "(0x00000803 for MNIST images, 0x00000801 for labels)"
        )
    dims = magic[3]
    if ndim is not None and dims != ndim:
        raise ValueError(
            f"{path}: expected an IDX file with {ndim} dims (magic 0x{magic[:3].hex()}{ndim:02x}), "
            f"got {dims} dims (magic 0x{magic.hex()}); are images and labels swapped?"
        )
    start = 4 + 4 * dims
    if len(raw) < start:
        raise ValueError(f"{path}: truncated IDX file: its header ends after {len(raw)} bytes")
    shape = struct.unpack(f">{dims}I", raw[4:start])
    dtype = np.dtype(_IDX_TYPES[magic[2]])
    count = int(np.prod(shape))
    found = len(raw) - start
    if found != count * dtype.itemsize:
        raise ValueError(
            f"{path}: truncated or damaged IDX file: its header says shape {shape} "
            f"({count * dtype.itemsize} bytes of data), but it holds {found} bytes"
        )
    data = np.frombuffer(raw, dtype, count=count, offset=start).reshape(shape)
    return np.array(data, dtype=dtype.newbyteorder("="))  # a writable native-order copy


def _fetch(url: str) -> bytes:
    """The bytes at ``url`` (the one place that touches the network)."""
    import urllib.request  # noqa: PLC0415  (28 ms to import: only when downloading)

    request = urllib.request.Request(url, headers={"User-Agent": "minitorch"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def _batch_fn(transform) -> Callable | None:
    """What to apply to a whole batch for ``transform``: identity for None, its
    ``apply_batch`` otherwise (None when it has none)."""
    if transform is None:
        return lambda x: x
    return getattr(transform, "apply_batch", None)


class MNIST(Dataset):
    """Mirrors ``torchvision.datasets.MNIST(root, train=True, transform=None,
    target_transform=None, download=False)``: the 60,000 training or 10,000 test handwritten
    digits, read from ``root/MNIST/raw/`` (the four IDX files, ``.gz`` or not).

    ``download=True`` fetches the missing ``.gz`` files from the mirrors, checks each one's
    SHA-256 and keeps them there. ``.data`` is a uint8 tensor (N, 28, 28) and ``.targets`` an
    int64 tensor (N,). Batches are made with one fancy-index when the transforms offer
    ``apply_batch`` (all of minitorch.data.transforms but a plain ``Lambda`` do)."""

    mirrors = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ]
    resources = {
        "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    }
    classes = [
        "0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
        "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine",
    ]  # fmt: skip

    def __init__(
        self,
        root: str,
        train: bool = True,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
        download: bool = False,
    ) -> None:
        self.root = os.path.expanduser(str(root))
        self.train = train
        self.transform = transform
        self.target_transform = target_transform
        if download:
            self.download()
        split = "train" if train else "t10k"
        images = read_idx(self._find(f"{split}-images-idx3-ubyte"), ndim=3)
        labels = read_idx(self._find(f"{split}-labels-idx1-ubyte"), ndim=1)
        if images.dtype != np.uint8 or len(images) != len(labels):
            raise ValueError(
                f"{type(self).__name__}: expected uint8 images and one label per image, got "
                f"{images.dtype} images of shape {images.shape} and {len(labels)} labels"
            )
        self.data = from_numpy(images)
        self.targets = from_numpy(labels.astype(np.int64))

    @property
    def raw_folder(self) -> str:
        return os.path.join(self.root, type(self).__name__, "raw")

    @property
    def class_to_idx(self) -> dict:
        return {name: i for i, name in enumerate(self.classes)}

    def _find(self, name: str) -> str:
        for candidate in (name, name + ".gz"):
            path = os.path.join(self.raw_folder, candidate)
            if os.path.isfile(path):
                return path
        raise RuntimeError(
            f"{type(self).__name__}: {name} (or {name}.gz) not found in {self.raw_folder}. "
            f"Put the four IDX files there ({', '.join(self.resources)}; gzipped or not), or "
            f"pass download=True to fetch them from {self.mirrors[0]}"
        )

    def download(self) -> None:
        """Fetches the missing files into ``raw_folder``, each checked against its SHA-256
        (a file that fails the check is not kept; the next mirror is tried)."""
        os.makedirs(self.raw_folder, exist_ok=True)
        for name, sha256 in self.resources.items():
            path = os.path.join(self.raw_folder, name)
            if os.path.isfile(path) or os.path.isfile(path.removesuffix(".gz")):
                continue
            errors = []
            for mirror in self.mirrors:
                try:
                    payload = _fetch(mirror + name)
                except OSError as e:
                    errors.append(f"{mirror + name}: {e}")
                    continue
                digest = hashlib.sha256(payload).hexdigest()
                if digest != sha256:
                    errors.append(f"{mirror + name}: sha256 {digest}, expected {sha256}")
                    continue
                tmp = path + ".part"
                with open(tmp, "wb") as f:
                    f.write(payload)
                os.replace(tmp, path)
                break
            else:
                raise RuntimeError(
                    f"{type(self).__name__}: could not download {name}:\n  "
                    + "\n  ".join(errors)
                    + f"\nDownload it by hand and put it in {self.raw_folder}"
                )

    def __len__(self) -> int:
        return len(self.targets)

    def __getitem__(self, index: int):
        img, target = make_tensor(self.data._data[index]), int(self.targets._data[index])
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    @property
    def __getbatch__(self) -> Callable | None:
        transform, target_transform = _batch_fn(self.transform), _batch_fn(self.target_transform)
        if transform is None or target_transform is None:
            return None
        images, labels = self.data._data, self.targets._data
        return lambda idx: [
            transform(make_tensor(images[idx])),
            target_transform(make_tensor(labels[idx])),
        ]

    def __repr__(self) -> str:
        split = "Train" if self.train else "Test"
        return (
            f"Dataset {type(self).__name__}\n    Number of datapoints: {len(self)}\n"
            f"    Root location: {self.root}\n    Split: {split}"
        )


class FashionMNIST(MNIST):
    """Mirrors ``torchvision.datasets.FashionMNIST``: Zalando's 28x28 clothing images (same
    format and sizes as MNIST, 10 classes), read from ``root/FashionMNIST/raw/``."""

    mirrors = [
        "https://fashion-mnist.s3.eu-central-1.amazonaws.com/",
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    ]
    resources = {
        "train-images-idx3-ubyte.gz": "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        "train-labels-idx1-ubyte.gz": "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        "t10k-images-idx3-ubyte.gz": "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        "t10k-labels-idx1-ubyte.gz": "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    }
    classes = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]  # fmt: skip
