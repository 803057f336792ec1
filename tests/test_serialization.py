"""minitorch.save / load: round trips, atomic writes, and refusal of unsafe or broken files."""

import math
import pickle

import numpy as np
import pytest

import minitorch
from minitorch import serialization


def _state():
    return {
        "model": {"w": minitorch.randn(3, 4), "b": minitorch.zeros(4, dtype=minitorch.float64)},
        "opt": {
            "state": {0: {"step": 3, "m": minitorch.ones(2)}},
            "groups": [{"lr": 1e-3, "betas": (0.9, 0.999)}],
        },
        "rng": np.arange(5, dtype=np.int64),
        "flags": [True, None, "text", float("inf"), -2],
        "param": minitorch.ones(2, requires_grad=True),
    }


def test_round_trip_keeps_structure_values_and_types(tmp_path):
    obj = _state()
    minitorch.save(obj, tmp_path / "a.ckpt")
    out = minitorch.load(tmp_path / "a.ckpt", weights_only=False)  # numpy arrays need it
    assert np.array_equal(out["model"]["w"].numpy(), obj["model"]["w"].numpy())
    assert out["model"]["b"].dtype == minitorch.float64
    assert list(out["opt"]["state"]) == [0]  # integer keys survive
    assert out["opt"]["state"][0]["step"] == 3
    assert out["opt"]["groups"][0]["betas"] == (0.9, 0.999)
    assert isinstance(out["rng"], np.ndarray) and out["rng"].tolist() == [0, 1, 2, 3, 4]
    assert (
        out["flags"][:3] == [True, None, "text"]
        and math.isinf(out["flags"][3])
        and out["flags"][4] == -2
    )
    assert out["param"].requires_grad and out["param"].is_leaf


def test_write_is_atomic_old_file_survives_a_crash(tmp_path, monkeypatch):
    path = tmp_path / "ckpt"
    minitorch.save({"x": minitorch.ones(3)}, path)

    def crash(out, head, blobs):
        out.write(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(serialization, "_write", crash)
    with pytest.raises(KeyboardInterrupt):
        minitorch.save({"x": minitorch.zeros(3)}, path)
    monkeypatch.undo()
    assert minitorch.load(path)["x"].tolist() == [1.0, 1.0, 1.0]
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt"]  # no temp file left behind


def test_truncated_file_raises_clear_error(tmp_path):
    path = tmp_path / "a"
    minitorch.save({"w": minitorch.randn(100)}, path)
    data = path.read_bytes()
    for cut in (4, 60, len(data) - 10):
        (tmp_path / "t").write_bytes(data[:cut])
        with pytest.raises(RuntimeError, match="truncated"):
            minitorch.load(tmp_path / "t")


def test_corrupted_header_raises(tmp_path):
    path = tmp_path / "a"
    minitorch.save({"w": minitorch.randn(4)}, path)
    data = bytearray(path.read_bytes())
    data[10] = ord("{")
    path.write_bytes(bytes(data))
    with pytest.raises(RuntimeError, match="corrupted"):
        minitorch.load(path)


def test_pickle_is_refused_without_running_it(tmp_path):
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    path = tmp_path / "evil.pt"
    path.write_bytes(pickle.dumps(Evil(), protocol=4))
    with pytest.raises(RuntimeError, match="never unpickles"):
        minitorch.load(path)


def test_unsupported_objects_are_rejected(tmp_path):
    with pytest.raises(AttributeError, match="Can't pickle local object"):
        minitorch.save({"f": lambda: 1}, tmp_path / "x")


def test_map_location_and_file_objects(tmp_path):
    path = tmp_path / "a"
    minitorch.save([minitorch.arange(3)], path)
    with open(path, "rb") as fh:
        (t,) = minitorch.load(fh, map_location="cpu")
    assert t.device == minitorch.device("cpu") and t.tolist() == [0, 1, 2]


def test_pytorch_exported_safetensors_load(tmp_path, torch):
    st = pytest.importorskip("safetensors.torch")
    w = torch.randn(2, 3)
    st.save_file(
        {"weight": w, "half": torch.ones(2, dtype=torch.bfloat16) * 1.5},
        str(tmp_path / "m.safetensors"),
    )
    out = minitorch.load(tmp_path / "m.safetensors")
    np.testing.assert_array_equal(out["weight"].numpy(), w.numpy())
    assert out["half"].tolist() == [1.5, 1.5]


def test_files_we_write_are_valid_safetensors(tmp_path, torch):
    st = pytest.importorskip("safetensors.numpy")
    minitorch.save(
        {"a": minitorch.arange(6).reshape(2, 3), "b": minitorch.ones(2, dtype=minitorch.float16)},
        tmp_path / "x",
    )
    loaded = st.load_file(str(tmp_path / "x"))
    assert sorted(loaded) == ["t0", "t1"]
    assert loaded["t0"].tolist() == [[0, 1, 2], [3, 4, 5]]


def test_pytorch_model_exported_as_safetensors_loads_into_our_module(tmp_path, torch):
    st = pytest.importorskip("safetensors.torch")
    ref = torch.nn.Sequential(
        torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.LayerNorm(8), torch.nn.Linear(8, 3)
    )
    st.save_file(ref.state_dict(), str(tmp_path / "model.safetensors"))
    ours = minitorch.nn.Sequential(
        minitorch.nn.Linear(4, 8),
        minitorch.nn.ReLU(),
        minitorch.nn.LayerNorm(8),
        minitorch.nn.Linear(8, 3),
    )
    ours.load_state_dict(minitorch.load(tmp_path / "model.safetensors"))
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    expected = ref(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(
        ours(minitorch.from_numpy(x)).detach().numpy(), expected, rtol=1e-5, atol=1e-6
    )


def test_module_state_dict_round_trip(tmp_path):
    model = minitorch.nn.Sequential(minitorch.nn.Linear(3, 4), minitorch.nn.BatchNorm1d(4))
    minitorch.save(model.state_dict(), tmp_path / "m.ckpt")
    other = minitorch.nn.Sequential(minitorch.nn.Linear(3, 4), minitorch.nn.BatchNorm1d(4))
    other.load_state_dict(minitorch.load(tmp_path / "m.ckpt"))
    for (k, a), (_, b) in zip(model.state_dict().items(), other.state_dict().items()):
        assert np.array_equal(a.numpy(), b.numpy()), k
