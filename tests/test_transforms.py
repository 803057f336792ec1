"""minitorch.data.transforms: per-sample results (against the torchvision formulas, written out
in numpy here since torchvision is not installed), vectorised batch versions, errors."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import DEVICES, assert_close

import minitorch
from minitorch.data import DataLoader, TensorDataset
from minitorch.data.transforms import (
    Compose,
    Lambda,
    Normalize,
    RandomCrop,
    RandomHorizontalFlip,
    ToTensor,
)


def _img(c=2, h=5, w=6, dtype=np.uint8):
    return np.arange(c * h * w).reshape(c, h, w).astype(dtype)


def test_to_tensor_numpy_hwc_and_tensors():
    hwc = np.random.default_rng(0).integers(0, 256, (4, 5, 3)).astype(np.uint8)
    out = ToTensor()(hwc)
    assert out.shape == (3, 4, 5) and out.dtype == minitorch.float32
    assert_close(out, hwc.transpose(2, 0, 1).astype(np.float32) / np.float32(255))
    assert ToTensor()(hwc[:, :, 0]).shape == (1, 4, 5)
    hw = minitorch.tensor(hwc[:, :, 0])
    assert_close(ToTensor()(hw), hwc[None, :, :, 0] / np.float32(255))
    floats = np.ones((2, 2), np.float64)  # not uint8: kept as is (torchvision's rule)
    assert ToTensor()(floats).dtype == minitorch.float64
    batch = ToTensor().apply_batch(minitorch.tensor(hwc.transpose(2, 0, 1)))  # (B=3, H, W)
    assert batch.shape == (3, 1, 4, 5)
    assert_close(batch[:, 0], hwc.transpose(2, 0, 1) / np.float32(255))
    with pytest.raises(TypeError, match="ToTensor: pic should be a Tensor or ndarray"):
        ToTensor()([1, 2])
    with pytest.raises(ValueError, match=r"pic should be 2 or 3 dimensional, got shape \(4,\)"):
        ToTensor()(np.zeros(4, np.uint8))


def test_to_tensor_matches_torch_uint8_scaling(torch):
    x = np.arange(256, dtype=np.uint8).reshape(16, 16)
    expected = torch.from_numpy(x).to(torch.float32).div(255)  # torchvision's ToTensor formula
    assert_close(ToTensor()(x)[0], expected, rtol=0, atol=0)


def test_normalize(torch):
    x = minitorch.rand(3, 4, 4)
    mean, std = (0.1, 0.2, 0.3), (0.5, 1.0, 2.0)
    out = Normalize(mean, std)(x)
    t = torch.tensor(x.numpy())
    expected = t.sub(torch.tensor(mean).view(-1, 1, 1)).div(torch.tensor(std).view(-1, 1, 1))
    assert_close(out, expected) and out.dtype == minitorch.float32
    batch = minitorch.stack([x, x * 2])
    assert_close(Normalize(mean, std).apply_batch(batch)[1], Normalize(mean, std)(x * 2))
    y = x.clone()
    v = y._version
    assert Normalize(mean, std, inplace=True)(y) is y and y._version > v
    assert_close(y, out)
    with pytest.raises(ValueError, match="std evaluated to zero"):
        Normalize((0.0,), (0.0,))(minitorch.rand(1, 2, 2))
    with pytest.raises(TypeError, match="input tensor should be a float tensor"):
        Normalize((0.0,), (1.0,))(minitorch.zeros(1, 2, 2, dtype=minitorch.uint8))
    with pytest.raises(ValueError, match=r"\(\.\.\., H, W\) with at least 3 dims"):
        Normalize((0.0,), (1.0,))(minitorch.rand(2, 2))


def test_random_crop_windows_and_padding():
    img = minitorch.tensor(_img())
    seen = set()
    for _ in range(60):
        out = RandomCrop((3, 4))(img).numpy()
        assert out.shape == (2, 3, 4)
        i, j = divmod(int(out[0, 0, 0]), 6)  # values are arange: recover the window origin
        np.testing.assert_array_equal(out, _img()[:, i : i + 3, j : j + 4])
        seen.add((i, j))
    assert seen == {(i, j) for i in range(3) for j in range(3)}  # every position reachable
    padded = RandomCrop(7, padding=1, fill=255)
    for _ in range(20):
        out = padded(img).numpy()
        full = np.pad(_img(), ((0, 0), (1, 1), (1, 1)), constant_values=255)
        hits = [
            (i, j)
            for i in range(full.shape[1] - 6)
            for j in range(full.shape[2] - 6)
            if np.array_equal(full[:, i : i + 7, j : j + 7], out)
        ]
        assert hits
    edge = RandomCrop((5, 6), padding=(2, 0), padding_mode="edge")(img).numpy()
    assert edge.shape == (2, 5, 6)
    assert RandomCrop(8, pad_if_needed=True)(img).shape == (2, 8, 8)
    with pytest.raises(
        ValueError, match=r"Required crop size \(6, 6\) is larger than input image size \(5, 6\)"
    ):
        RandomCrop(6)(img)
    with pytest.raises(ValueError, match="Padding mode should be one of"):
        RandomCrop(3, padding_mode="wrap")
    with pytest.raises(ValueError, match="Padding must be an int or a 1, 2, or 4 element tuple"):
        RandomCrop(3, padding=(1, 2, 3))
    with pytest.raises(TypeError, match="expected a Tensor image, got ndarray.*ToTensor"):
        RandomCrop(3)(_img())


def test_random_crop_batch_crops_each_image_independently():
    batch = minitorch.tensor(
        np.stack([_img(c=1, h=6, w=6, dtype=np.int64) + 100 * k for k in range(64)])
    )
    out = RandomCrop(4, padding=1).apply_batch(batch).numpy()
    assert out.shape == (64, 1, 4, 4)
    origins = set()
    for k in range(64):
        full = np.pad(_img(c=1, h=6, w=6, dtype=np.int64) + 100 * k, ((0, 0), (1, 1), (1, 1)))
        match = [
            (i, j)
            for i in range(5)
            for j in range(5)
            if np.array_equal(full[:, i : i + 4, j : j + 4], out[k])
        ]
        assert match, k
        origins.add(match[0])
    assert len(origins) > 5  # not one window for the whole batch
    hw = RandomCrop(3).apply_batch(minitorch.zeros(4, 5, 5))  # (B, H, W) batches too
    assert hw.shape == (4, 3, 3)


def test_random_horizontal_flip():
    img = minitorch.tensor(_img())
    assert RandomHorizontalFlip(p=0.0)(img) is img
    np.testing.assert_array_equal(RandomHorizontalFlip(p=1.0)(img).numpy(), _img()[..., ::-1])
    flips = sum(
        np.array_equal(RandomHorizontalFlip()(img).numpy(), _img()[..., ::-1]) for _ in range(400)
    )
    assert 150 < flips < 250
    batch = minitorch.tensor(np.stack([_img()] * 200))
    out = RandomHorizontalFlip().apply_batch(batch).numpy()
    flipped = np.array([np.array_equal(o, _img()[..., ::-1]) for o in out])
    kept = np.array([np.array_equal(o, _img()) for o in out])
    assert (flipped | kept).all() and 60 < flipped.sum() < 140


def test_random_transforms_follow_manual_seed():
    img = minitorch.tensor(_img())
    t = Compose([RandomCrop(3, padding=2), RandomHorizontalFlip()])
    minitorch.manual_seed(3)
    a = [t(img).tolist() for _ in range(5)]
    minitorch.manual_seed(3)
    assert [t(img).tolist() for _ in range(5)] == a


def test_compose_and_lambda_batching():
    double = Lambda(lambda x: x * 2, batched=True)
    per_sample = Lambda(lambda x: x + 1)
    assert Compose([ToTensor(), double]).apply_batch is not None
    assert Compose([ToTensor(), per_sample]).apply_batch is None
    assert per_sample.apply_batch is None
    x = np.full((2, 2), 51, np.uint8)
    assert_close(Compose([ToTensor(), double, per_sample])(x), np.full((1, 2, 2), 1.4))
    assert "ToTensor()" in repr(Compose([ToTensor()]))
    with pytest.raises(TypeError, match="Argument lambd should be callable, got 'int'"):
        Lambda(3)


def test_transforms_in_a_worker_are_reproducible():
    class Augmented(TensorDataset):
        def __getitem__(self, i):
            (x,) = super().__getitem__(i)
            return RandomCrop(4, padding=2)(x)

    ds = Augmented(minitorch.rand(40, 1, 6, 6))

    def run():
        minitorch.manual_seed(9)
        return [b.tolist() for b in DataLoader(ds, batch_size=4, num_workers=2)]

    assert run() == run()


@pytest.mark.parametrize("device", DEVICES)
def test_batch_pipeline_on_device_matches_cpu(device):
    raw = np.random.default_rng(0).integers(0, 256, (16, 12, 12)).astype(np.uint8)
    pipeline = Compose(
        [ToTensor(), RandomCrop(12, padding=2), RandomHorizontalFlip(), Normalize((0.5,), (0.25,))]
    )

    def run(dev):
        minitorch.manual_seed(4)  # the random choices come from the CPU generator either way
        return pipeline.apply_batch(minitorch.tensor(raw).to(dev))

    out, ref = run(device), run("cpu")
    assert out.device.type == minitorch.device(device).type and out.shape == (16, 1, 12, 12)
    assert_close(out, ref)
    minitorch.manual_seed(4)
    one = RandomCrop(8, padding=1, padding_mode="reflect")(minitorch.tensor(raw[0]).to(device))
    minitorch.manual_seed(4)
    assert_close(one, RandomCrop(8, padding=1, padding_mode="reflect")(minitorch.tensor(raw[0])))
