"""The example models run end to end in their --smoke mode (in a temporary folder), print
their result lines and write their plots; the char GPT's model is causal and weight-tied."""

from __future__ import annotations

import importlib.util
import re
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import minitorch

ROOT = Path(__file__).resolve().parents[1]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
NUMBER = r"(\d+\.\d+)"


def run_example(name: str, tmp_path: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / name), "--smoke", "--out", "out", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stdout


def result(pattern: str, out: str) -> float:
    match = re.search(pattern, out, re.MULTILINE)
    assert match, f"no line matching {pattern!r} in:\n{out}"
    return float(match.group(1))


def assert_png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC, f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    assert width > 300 and height > 300


@pytest.mark.parametrize("name", ["mlp_digits.py", "cnn_digits.py"])
def test_trainer_classifiers(name, tmp_path):
    out = run_example(name, tmp_path)
    assert 0.0 <= result(rf"^val_acc: {NUMBER}$", out) <= 1.0
    assert result(rf"train_loss: {NUMBER}", out) > 0
    assert_png(tmp_path / "out" / "loss_curve.png")


def write_idx(path: Path, array: np.ndarray) -> None:
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(
        f">{array.ndim}I", *array.shape
    )
    path.write_bytes(header + array.astype(np.uint8).tobytes())


def test_cnn_reads_mnist_idx_files(tmp_path):
    raw = tmp_path / "data" / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for split, n in (("train", 256), ("t10k", 128)):
        write_idx(raw / f"{split}-images-idx3-ubyte", rng.integers(0, 256, (n, 28, 28)))
        write_idx(raw / f"{split}-labels-idx1-ubyte", rng.integers(0, 10, n))
    out = run_example("cnn_digits.py", tmp_path, "--dataset", "mnist", "--data-dir", "data")
    assert "mnist: 256 training and 128 validation images" in out
    assert 0.0 <= result(rf"^val_acc: {NUMBER}$", out) <= 1.0


def test_cnn_asks_for_the_data_dir(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "cnn_digits.py"), "--dataset", "fashion-mnist"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--dataset fashion-mnist needs --data-dir" in done.stderr


def test_char_gpt(tmp_path):
    out = run_example("char_gpt.py", tmp_path)
    assert "--- sample (temperature 0.8, top-k 10) ---\nThe " in out
    loss = result(rf"^val_loss: {NUMBER} nats/char$", out)
    assert 0 < loss < 5.0  # four steps from log(vocab) = 4.6
    assert re.search(r"^words of the sample found in the corpus: \d+% of \d+$", out, re.M)
    assert_png(tmp_path / "out" / "loss_curve.png")


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_rnn_sequence(cell, tmp_path):
    out = run_example("rnn_sequence.py", tmp_path, "--cell", cell)
    assert result(rf"^val_rmse: {NUMBER} \(repeating the last value: 0\.\d+\)$", out) > 0
    assert re.search(r"^solved: (yes|no) \(val_rmse < 0\.\d+\)$", out, re.M)
    assert_png(tmp_path / "out" / "loss_curve.png")


def test_custom_function(tmp_path):
    out = run_example("custom_function.py", tmp_path)
    assert "gradcheck and gradgradcheck (float64, beta 0.5, 1, 3): passed" in out
    fused = re.search(r"^StableSoftplus: +\[(.*)\], grad \[(.*)\]$", out, re.M)
    values = [float(v) for v in fused.group(1).split(",")]
    grads = [float(v) for v in fused.group(2).split(",")]
    assert values[-1] == 100.0 and grads[-1] == 1.0  # where the naive form gives inf and nan
    assert re.search(r"^naive .*inf\], grad \[.*nan\]$", out, re.M)
    assert "(1): Softplus(beta=4.0)" in out
    assert result(rf"^fit_mse: {NUMBER}", out) > 0
    assert_png(tmp_path / "out" / "loss_curve.png")


def test_regression_plot(tmp_path):
    out = run_example("regression_plot.py", tmp_path)
    assert 0.0 <= result(rf"^train_acc: {NUMBER}$", out) <= 1.0
    assert_png(tmp_path / "out" / "decision_boundary.png")
    assert_png(tmp_path / "out" / "loss_curve.png")


@pytest.mark.parametrize(
    "name", ["mlp_digits", "cnn_digits", "char_gpt", "custom_function", "regression_plot"]
)
def test_examples_keep_to_the_device(name, tmp_path, monkeypatch, capsys):
    # --device cuda on tests/fake_cupy.py: a host array mixed into a device op raises
    from fake_cupy import installed

    module = load_example(name)
    monkeypatch.setattr(sys, "argv", [name, "--smoke", "--device", "cuda", "--out", str(tmp_path)])
    with installed():
        module.main()
    assert " on cuda" in capsys.readouterr().out
    assert_png(tmp_path / "loss_curve.png")


def load_example(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_char_gpt_model_is_causal_and_tied():
    gpt = load_example("char_gpt")
    minitorch.manual_seed(0)
    model = gpt.GPT(gpt.GPTConfig(vocab_size=11, block_size=8, n_layer=2, n_head=2, n_embd=16))
    assert model.lm_head.weight is model.wte.weight
    names = [n for n, _ in model.named_parameters()]
    assert "lm_head.weight" not in names and "wte.weight" in names  # counted once
    idx = minitorch.randint(0, 11, (2, 8))
    changed = idx.clone()
    changed[:, 5:] = (changed[:, 5:] + 1) % 11  # only the future of position 4 differs
    with minitorch.no_grad():
        a, _ = model(idx)
        b, _ = model(changed)
    assert minitorch.allclose(a[:, :5], b[:, :5], atol=1e-6)
    assert not minitorch.allclose(a[:, 5:], b[:, 5:])
    out = model.generate(idx[:, :3], max_new_tokens=7, top_k=3)
    assert out.shape == (2, 10) and minitorch.equal(out[:, :3], idx[:, :3])


def test_trainer_reports_no_accuracy_for_a_one_column_regression():
    # regression: (N, 1) outputs with (N, 1) float targets were scored as classification,
    # and the arg-max of one column always "matched": acc 1.0 for any regression
    from minitorch.data import DataLoader, TensorDataset
    from minitorch.training import Trainer

    minitorch.manual_seed(0)
    model = minitorch.nn.Linear(1, 1)
    trainer = Trainer(
        model,
        minitorch.optim.SGD(model.parameters(), lr=0.1),
        minitorch.nn.functional.mse_loss,
        progress=False,
    )
    x, y = minitorch.randn(64, 1), minitorch.randn(64, 1)
    metrics = trainer.evaluate(DataLoader(TensorDataset(x, y), batch_size=32))
    assert set(metrics) == {"loss"}
    assert metrics["loss"] == pytest.approx(
        minitorch.nn.functional.mse_loss(model(x), y).item(), rel=1e-5
    )
