"""minitorch.data.datasets: the bundled digits, synthetic sets, the text dataset, and MNIST /
FashionMNIST read from small IDX files the tests write (no network anywhere)."""

from __future__ import annotations

import gzip
import hashlib
import struct

import numpy as np
import pytest

import minitorch
from minitorch.data import DataLoader, TensorDataset
from minitorch.data.datasets import (
    MNIST,
    CharTokenizer,
    FashionMNIST,
    TextDataset,
    default_corpus,
    load_digits,
    make_blobs,
    make_moons,
    make_spirals,
    read_idx,
)
from minitorch.data.datasets import digits as digits_module
from minitorch.data.datasets import mnist as mnist_module
from minitorch.data.transforms import Compose, Lambda, Normalize, RandomCrop, ToTensor


# ---- digits -----------------------------------------------------------------------------------
def test_digits_shapes_classes_and_checksum():
    images, labels = digits_module._read_arrays()
    assert images.shape == (1797, 8, 8) and images.dtype == np.uint8 and images.max() == 16
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    digest = hashlib.sha256(images.tobytes() + labels.tobytes()).hexdigest()
    assert digest == "87ff0c9e40dc7e2c0e34e7257799c2e3f3aec1a016363bb11cad869ec428a826"
    assert digits_module._FILE.stat().st_size < 60_000
    ds = load_digits()
    assert isinstance(ds, TensorDataset) and len(ds) == 1797
    x, y = ds.tensors
    assert (
        x.shape == (1797, 1, 8, 8) and x.dtype == minitorch.float32 and y.dtype == minitorch.int64
    )
    assert float(x.max()) == 1.0 and float(x.min()) == 0.0
    np.testing.assert_array_equal(x.numpy()[:, 0] * 16, images)
    assert load_digits(flatten=True).tensors[0].shape == (1797, 64)
    assert load_digits(dtype=minitorch.float64).tensors[0].dtype == minitorch.float64


def test_digits_match_scikit_learn_when_installed():
    sklearn = pytest.importorskip("sklearn.datasets")
    ref = sklearn.load_digits()
    images, labels = digits_module._read_arrays()
    np.testing.assert_array_equal(images, ref.images)
    np.testing.assert_array_equal(labels, ref.target)


def test_damaged_digits_file_is_reported(tmp_path, monkeypatch):
    images, labels = digits_module._read_arrays()
    bad = tmp_path / "digits.npz"
    np.savez_compressed(bad, images=images[::-1], labels=labels)
    monkeypatch.setattr(digits_module, "_FILE", bad)
    with pytest.raises(RuntimeError, match="is damaged.*regenerate it with scripts/make_digits.py"):
        load_digits()


# ---- synthetic --------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [make_moons, make_spirals, make_blobs])
def test_synthetic_shapes_and_seeding(make):
    X, y = make(101)
    assert X.shape == (101, 2) and X.dtype == minitorch.float32 and y.dtype == minitorch.int64
    assert np.bincount(y.numpy()).min() >= 33
    g = minitorch.Generator().manual_seed(4)
    a = make(50, generator=g)
    b = make(50, generator=minitorch.Generator().manual_seed(4))
    assert a[0].tolist() == b[0].tolist() and a[1].tolist() == b[1].tolist()
    minitorch.manual_seed(1)
    c = make(50)
    minitorch.manual_seed(1)
    assert make(50)[0].tolist() == c[0].tolist()


def test_synthetic_geometry():
    X, y = make_moons(200, shuffle=False)
    upper, lower = X.numpy()[y.numpy() == 0], X.numpy()[y.numpy() == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0, rtol=1e-6)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, rtol=1e-6)
    X, y = make_spirals(300, n_classes=3, noise=0.0)
    assert set(y.tolist()) == {0, 1, 2} and float(np.hypot(*X.numpy().T).max()) <= 1.0 + 1e-6
    X, y = make_blobs(300, centers=[[0, 0], [20, 20]], cluster_std=0.5)
    near = np.abs(X.numpy() - 20 * y.numpy()[:, None]).max()
    assert near < 4
    with pytest.raises(ValueError, match=r"centers must be a count or a \(k, n_features\) array"):
        make_blobs(10, centers=[1.0, 2.0])


# ---- text -------------------------------------------------------------------------------------
def test_char_tokenizer_round_trip():
    tok = CharTokenizer("hello world")
    assert tok.chars == sorted(set("hello world")) and tok.vocab_size == 8
    ids = tok.encode("low")
    assert ids == [tok.stoi[c] for c in "low"] and tok.decode(ids) == "low"
    assert tok.decode(minitorch.tensor(ids)) == "low"
    with pytest.raises(ValueError, match=r"not in the vocabulary: \['z'\]"):
        tok.encode("zoo")
    unicode = CharTokenizer("naïve – café")
    assert unicode.decode(unicode.encode("café naïve")) == "café naïve"


def test_text_dataset_windows_and_batches():
    text = "abcdefghij" * 3
    ds = TextDataset(text, block_size=4)
    assert len(ds) == 26
    x, y = ds[2]
    assert ds.tokenizer.decode(x) == "cdef" and ds.tokenizer.decode(y) == "defg"
    assert ds.tokenizer.decode(ds[-1][1]) == text[-4:]
    with pytest.raises(IndexError):
        ds[26]
    for fast, slow in zip(
        DataLoader(ds, batch_size=5, shuffle=True, generator=minitorch.Generator().manual_seed(0)),
        DataLoader(
            ds,
            batch_size=5,
            shuffle=True,
            generator=minitorch.Generator().manual_seed(0),
            collate_fn=lambda b: minitorch.data.default_collate(b),
        ),
    ):
        assert fast[0].tolist() == slow[0].tolist() and fast[1].tolist() == slow[1].tolist()
        assert fast[0].dtype == minitorch.int64
    with pytest.raises(ValueError, match="need 1 <= block_size < len"):
        TextDataset("abc", block_size=3)


def test_default_corpus_needs_no_download():
    text = default_corpus()
    assert len(text) > 100_000 and "for" in text and "class" in text
    ds = TextDataset(block_size=32)
    assert len(ds) == len(text) - 32 and 60 < ds.tokenizer.vocab_size < 200


# ---- IDX files and MNIST ----------------------------------------------------------------------
def _idx_bytes(array: np.ndarray, type_code: int = 0x08) -> bytes:
    header = struct.pack(">BBBB", 0, 0, type_code, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def _write_mnist(root, name="MNIST", n_train=12, n_test=5, gz=True):
    raw = root / name / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    out = {}
    for split, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, (n, 28, 28)).astype(np.uint8)
        labels = (np.arange(n) % 10).astype(np.uint8)
        for kind, arr in (("images-idx3", images), ("labels-idx1", labels)):
            data = _idx_bytes(arr)
            path = raw / f"{split}-{kind}-ubyte"
            if gz:
                (raw / (path.name + ".gz")).write_bytes(gzip.compress(data))
            else:
                path.write_bytes(data)
        out[split] = images, labels
    return out


def test_read_idx_good_files(tmp_path):
    for dtype, code in ((np.uint8, 0x08), (np.int16, 0x0B), (np.int32, 0x0C), (np.float32, 0x0D)):
        arr = np.arange(24, dtype=dtype).reshape(2, 3, 4)
        plain, packed = tmp_path / f"a{code}", tmp_path / f"a{code}.gz"
        plain.write_bytes(_idx_bytes(arr, code))
        packed.write_bytes(gzip.compress(_idx_bytes(arr, code)))
        for path in (plain, packed):
            out = read_idx(str(path), ndim=3)
            assert out.dtype == dtype and out.dtype.isnative and out.flags.writeable
            np.testing.assert_array_equal(out, arr)


def test_read_idx_errors(tmp_path):
    arr = np.arange(60, dtype=np.uint8).reshape(3, 4, 5)
    good = _idx_bytes(arr)
    truncated = tmp_path / "truncated"
    truncated.write_bytes(good[:-7])
    with pytest.raises(
        ValueError, match=r"truncated or damaged IDX file.*\(3, 4, 5\).*60 bytes.*53"
    ):
        read_idx(str(truncated))
    short_header = tmp_path / "short"
    short_header.write_bytes(good[:9])
    with pytest.raises(ValueError, match="truncated IDX file: its header ends after 9 bytes"):
        read_idx(str(short_header))
    wrong_magic = tmp_path / "magic"
    wrong_magic.write_bytes(b"\x12\x34" + good[2:])
    with pytest.raises(ValueError, match="not an IDX file: magic number 0x12340803"):
        read_idx(str(wrong_magic))
    with pytest.raises(ValueError, match=r"expected an IDX file with 1 dims .*got 3 dims"):
        read_idx(str(tmp_path / "magic").replace("magic", "truncated"), ndim=1)
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="not an IDX file"):
        read_idx(str(empty))
    bad_gz = tmp_path / "bad.gz"
    bad_gz.write_bytes(gzip.compress(good)[:-10])
    with pytest.raises(ValueError, match="damaged or truncated gzip file"):
        read_idx(str(bad_gz))


@pytest.mark.parametrize("gz", [True, False], ids=["gzipped", "plain"])
def test_mnist_items_and_loader(tmp_path, gz):
    written = _write_mnist(tmp_path, gz=gz)
    ds = MNIST(tmp_path, train=True)
    assert len(ds) == 12 and ds.data.shape == (12, 28, 28) and ds.targets.dtype == minitorch.int64
    img, label = ds[3]
    assert img.dtype == minitorch.uint8 and img.shape == (28, 28) and label == 3
    assert isinstance(label, int)
    np.testing.assert_array_equal(img.numpy(), written["train"][0][3])
    test = MNIST(str(tmp_path), train=False)
    assert len(test) == 5 and "Split: Test" in repr(test)
    x, y = next(iter(DataLoader(ds, batch_size=4)))
    assert x.shape == (4, 28, 28) and x.dtype == minitorch.uint8 and y.tolist() == [0, 1, 2, 3]


def test_mnist_transforms_fast_path_matches_per_sample(tmp_path):
    _write_mnist(tmp_path)
    tf = Compose([ToTensor(), Normalize((0.1307,), (0.3081,))])
    ds = MNIST(tmp_path, transform=tf, target_transform=Lambda(lambda t: t + 1, batched=True))
    assert ds.__getbatch__ is not None
    img, label = ds[0]
    assert img.shape == (1, 28, 28) and img.dtype == minitorch.float32 and label == 1
    fast = list(DataLoader(ds, batch_size=5))
    slow = list(
        DataLoader(ds, batch_size=5, collate_fn=lambda b: minitorch.data.default_collate(b))
    )
    for (fx, fy), (sx, sy) in zip(fast, slow):
        assert fx.shape == sx.shape and fx.dtype == sx.dtype
        np.testing.assert_array_equal(fx.numpy(), sx.numpy())
        assert fy.tolist() == sy.tolist()
    per_sample = MNIST(tmp_path, transform=Compose([ToTensor(), Lambda(lambda x: x)]))
    assert per_sample.__getbatch__ is None  # a plain Lambda can't batch: per-sample path
    assert next(iter(DataLoader(per_sample, batch_size=3)))[0].shape == (3, 1, 28, 28)
    crop = MNIST(tmp_path, transform=Compose([RandomCrop(28, padding=2), ToTensor()]))
    assert next(iter(DataLoader(crop, batch_size=3)))[0].shape == (3, 1, 28, 28)


def test_mnist_missing_files_say_where_to_put_them(tmp_path):
    with pytest.raises(
        RuntimeError,
        match=r"train-images-idx3-ubyte \(or .*\.gz\) not found in .*MNIST/raw.*download=True",
    ):
        MNIST(tmp_path)
    with pytest.raises(RuntimeError, match="FashionMNIST/raw"):
        FashionMNIST(tmp_path, train=False)


def test_mnist_rejects_swapped_or_mismatched_files(tmp_path):
    _write_mnist(tmp_path, gz=False)
    raw = tmp_path / "MNIST" / "raw"
    images, labels = raw / "train-images-idx3-ubyte", raw / "train-labels-idx1-ubyte"
    image_bytes = images.read_bytes()
    images.write_bytes(labels.read_bytes())
    with pytest.raises(ValueError, match="expected an IDX file with 3 dims"):
        MNIST(tmp_path)
    images.write_bytes(image_bytes)
    labels.write_bytes(_idx_bytes(np.zeros(3, np.uint8)))
    with pytest.raises(ValueError, match=r"one label per image.*\(12, 28, 28\) and 3 labels"):
        MNIST(tmp_path)


def test_download_checks_sha256_and_caches(tmp_path, monkeypatch):
    payloads = {
        name: gzip.compress(_idx_bytes(np.zeros((2, 28, 28) if "images" in name else 2, np.uint8)))
        for name in MNIST.resources
    }
    resources = {name: hashlib.sha256(p).hexdigest() for name, p in payloads.items()}
    monkeypatch.setattr(FashionMNIST, "resources", resources)
    fetched = []

    def fake_fetch(url):
        fetched.append(url)
        if url.startswith(FashionMNIST.mirrors[0]):
            raise OSError("mirror down")
        return payloads[url.rsplit("/", 1)[1]]

    monkeypatch.setattr(mnist_module, "_fetch", fake_fetch)
    ds = FashionMNIST(tmp_path, download=True)
    assert len(ds) == 2 and len(fetched) == 8  # each file: first mirror fails, second serves
    assert sorted(p.name for p in (tmp_path / "FashionMNIST" / "raw").iterdir()) == sorted(payloads)
    fetched.clear()
    FashionMNIST(tmp_path, download=True)  # cached: nothing fetched again
    assert fetched == []

    monkeypatch.setattr(mnist_module, "_fetch", lambda url: b"corrupted")
    with pytest.raises(
        RuntimeError, match=r"(?s)could not download train-images.*sha256 [0-9a-f]{64}, expected"
    ):
        FashionMNIST(tmp_path / "other", download=True)
    assert not list((tmp_path / "other" / "FashionMNIST" / "raw").iterdir())  # nothing kept
