"""Trainer, callbacks, plots, exact resume, checkpoint safety and the train.py CLI."""

import os
import subprocess
import sys

import numpy as np
import pytest

import minitorch
from minitorch import nn, optim
from minitorch.data import DataLoader, TensorDataset, make_spirals
from minitorch.training import (
    CSVLogger,
    EarlyStopping,
    ModelCheckpoint,
    Trainer,
    TrainingDiverged,
    plot_history,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _data(n=256):
    x, y = make_spirals(n, generator=minitorch.Generator().manual_seed(1), noise=0.05)
    ds = TensorDataset(x, y)
    return DataLoader(ds, batch_size=32, shuffle=True), DataLoader(ds, batch_size=128)


def _model():
    return nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 2))


def _trainer(model, **kw):
    opt = optim.Adam(model.parameters(), lr=1e-2)
    return Trainer(model, opt, nn.functional.cross_entropy, progress=False, **kw)


def test_fit_trains_and_switches_modes():
    train, val = _data()
    model = _model()
    modes = []
    original = model.forward

    def spy(x):
        modes.append((model.training, minitorch.is_grad_enabled()))
        return original(x)

    model.forward = spy
    history = _trainer(model).fit(train, val, epochs=3)
    assert [r["epoch"] for r in history] == [1, 2, 3]
    assert history[-1]["train_loss"] < history[0]["train_loss"]
    assert set(history[-1]) >= {
        "train_loss",
        "val_loss",
        "val_acc",
        "lr",
        "seconds",
        "batch_losses",
    }
    assert len(history[0]["batch_losses"]) == len(train)
    assert (True, True) in modes and (False, False) in modes  # train steps and eval under no_grad
    assert model.training  # restored after evaluation


def test_evaluate_restores_eval_mode_and_predict_shapes():
    train, val = _data(64)
    model = _model()
    model.eval()
    trainer = _trainer(model)
    metrics = trainer.evaluate(val)
    assert set(metrics) == {"loss", "acc"} and 0 <= metrics["acc"] <= 1
    assert not model.training
    assert trainer.predict(val).shape == (64, 2)


def _run(tmp_path, epochs, resume_from=None, stop_after=None):
    minitorch.manual_seed(0)
    train, val = _data()
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.7)
    ckpt = ModelCheckpoint(str(tmp_path))
    trainer = Trainer(
        model, opt, nn.functional.cross_entropy, scheduler=sched, callbacks=[ckpt], progress=False
    )
    if resume_from:
        trainer.resume(resume_from)
    trainer.fit(train, val, epochs=epochs if stop_after is None else stop_after)
    return model, trainer


def test_resume_from_epoch_k_equals_uninterrupted_run(tmp_path):
    full_model, full = _run(tmp_path / "a", epochs=4)
    _run(tmp_path / "b", epochs=4, stop_after=2)
    resumed_model, resumed = _run(
        tmp_path / "c", epochs=4, resume_from=tmp_path / "b" / "last.ckpt"
    )
    for (n, p), (_, q) in zip(full_model.named_parameters(), resumed_model.named_parameters()):
        np.testing.assert_allclose(
            p.detach().numpy(), q.detach().numpy(), rtol=1e-6, atol=1e-7, err_msg=n
        )
    assert [r["val_loss"] for r in resumed.history] == pytest.approx(
        [r["val_loss"] for r in full.history], rel=1e-6
    )
    assert resumed.optimizer.param_groups[0]["lr"] == pytest.approx(
        full.optimizer.param_groups[0]["lr"]
    )


def test_nan_loss_stops_with_the_step(tmp_path):
    train, _ = _data(64)
    model = _model()

    def loss_fn(out, y):
        return nn.functional.cross_entropy(out, y) * float("nan")

    trainer = Trainer(
        model, optim.SGD(model.parameters(), lr=0.1), loss_fn, progress=False, log_every=1
    )
    with pytest.raises(TrainingDiverged, match="became nan at step 1"):
        trainer.fit(train, epochs=1)


def test_ctrl_c_saves_last_and_returns(tmp_path):
    train, _ = _data(128)
    model = _model()
    calls = {"n": 0}

    def loss_fn(out, y):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return nn.functional.cross_entropy(out, y)

    trainer = Trainer(
        model,
        optim.SGD(model.parameters(), lr=0.1),
        loss_fn,
        callbacks=[ModelCheckpoint(str(tmp_path))],
        progress=False,
    )
    history = trainer.fit(train, epochs=5)
    assert trainer.interrupted and history == []
    state = minitorch.load(tmp_path / "last.ckpt")
    assert state["step"] == 2 and state["epoch"] == 0


def test_gradient_accumulation_equals_one_big_batch():
    minitorch.manual_seed(0)
    x, y = minitorch.randn(32, 2), minitorch.randint(0, 2, (32,))
    ref = nn.Linear(2, 2)
    big, acc = nn.Linear(2, 2), nn.Linear(2, 2)
    big.load_state_dict(ref.state_dict())
    acc.load_state_dict(ref.state_dict())
    ds = TensorDataset(x, y)
    for model, batch, steps in ((big, 32, 1), (acc, 16, 2)):
        t = Trainer(
            model,
            optim.SGD(model.parameters(), lr=0.5),
            nn.functional.cross_entropy,
            accumulation_steps=steps,
            progress=False,
            metrics={},
        )
        t.fit(DataLoader(ds, batch_size=batch), epochs=1)
        assert t.step == 1
    np.testing.assert_allclose(
        big.weight.detach().numpy(), acc.weight.detach().numpy(), rtol=1e-5, atol=1e-6
    )


def test_clipping_limits_the_update():
    minitorch.manual_seed(0)
    x, y = minitorch.randn(16, 2) * 100, minitorch.randint(0, 2, (16,))
    model = nn.Linear(2, 2)
    before = model.weight.detach().numpy().copy()
    t = Trainer(
        model,
        optim.SGD(model.parameters(), lr=1.0),
        nn.functional.cross_entropy,
        clip_grad_norm=1e-3,
        progress=False,
    )
    t.fit(DataLoader(TensorDataset(x, y), batch_size=16), epochs=1)
    assert np.linalg.norm(model.weight.detach().numpy() - before) <= 1e-3 + 1e-7


def test_scheduler_waits_for_steps_the_scaler_took():
    model = _model()
    opt = optim.SGD(model.parameters(), lr=1.0)
    sched = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    t = Trainer(
        model,
        opt,
        nn.functional.cross_entropy,
        scheduler=sched,
        scheduler_interval="step",
        progress=False,
    )
    scaler = t.scaler = minitorch.amp.GradScaler("cpu")
    update = scaler.update
    scaler.step = lambda optimizer: None  # every step skipped (as on inf/NaN gradients),
    scaler.update = lambda: update(new_scale=scaler.get_scale() / 2)  # backing the scale off
    train, _ = _data(64)
    t.fit(train, epochs=1)
    assert opt.param_groups[0]["lr"] == 1.0


def test_amp_training_on_cpu_runs():
    train, val = _data(64)
    history = _trainer(_model(), amp=True).fit(train, val, epochs=1)
    assert np.isfinite(history[0]["val_loss"])


def test_callbacks_early_stopping_and_csv(tmp_path):
    train, val = _data(64)
    csv_path = tmp_path / "m.csv"
    stop = EarlyStopping(monitor="val_loss", patience=1, min_delta=10.0)  # never improves enough
    history = _trainer(_model(), callbacks=[stop, CSVLogger(str(csv_path))]).fit(
        train, val, epochs=10
    )
    assert len(history) == 2
    lines = csv_path.read_text().splitlines()
    assert lines[0] == "epoch,train_loss,val_loss,val_acc,lr,seconds" and len(lines) == 3


def test_plot_history_writes_png(tmp_path):
    history = [
        {
            "epoch": 1,
            "step": 3,
            "train_loss": 1.0,
            "val_loss": 0.9,
            "val_acc": 0.5,
            "lr": 0.1,
            "batch_losses": [1.2, 1.0, 0.9],
        },
        {
            "epoch": 2,
            "step": 6,
            "train_loss": 0.5,
            "val_loss": 0.6,
            "val_acc": 0.8,
            "lr": 0.05,
            "batch_losses": [0.7, 0.5, 0.4],
        },
    ]
    plot_history(history, tmp_path / "c.png")
    data = (tmp_path / "c.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def _cli(*args, cwd):
    return subprocess.run(
        [sys.executable, os.path.join(ROOT, "train.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_quick_run_writes_its_files(tmp_path):
    out = tmp_path / "run"
    r = _cli("--epochs", "2", "--max-steps", "5", "--no-progress", "--out", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    last = r.stdout.strip().splitlines()[-1]
    assert last.startswith("final: epoch=2 train_loss=") and "val_acc=" in last
    assert sorted(os.listdir(out)) == ["best.ckpt", "last.ckpt", "loss_curve.png", "metrics.csv"]
    assert (out / "metrics.csv").read_text().splitlines()[
        0
    ] == "epoch,train_loss,val_loss,val_acc,lr,seconds"
    r2 = _cli(
        "--epochs",
        "3",
        "--max-steps",
        "5",
        "--no-progress",
        "--out",
        str(out),
        "--resume",
        str(out / "last.ckpt"),
        cwd=tmp_path,
    )
    assert r2.returncode == 0, r2.stderr
    assert r2.stdout.strip().splitlines()[-1].startswith("final: epoch=3")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--model", "resnet"], "unknown model 'resnet'"),
        (["--dataset", "mnist", "--data-dir", "/nonexistent"], "needs --data-dir"),
        (["--device", "cuda"], "no CUDA GPU"),
        (["--epochs", "0"], "must be positive"),
        (["--model", "gpt", "--dataset", "digits"], "does not fit"),
    ],
)
def test_cli_bad_arguments_exit_with_one_line(tmp_path, args, message):
    if "cuda" in args and minitorch.cuda.is_available():
        pytest.skip("a GPU is present")
    r = _cli(*args, "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_cli_resume_of_another_model_fails_and_keeps_checkpoint(tmp_path):
    out = tmp_path / "run"
    assert (
        _cli(
            "--epochs", "1", "--max-steps", "2", "--no-progress", "--out", str(out), cwd=tmp_path
        ).returncode
        == 0
    )
    before = (out / "last.ckpt").read_bytes()
    r = _cli(
        "--model",
        "cnn",
        "--epochs",
        "2",
        "--max-steps",
        "2",
        "--no-progress",
        "--out",
        str(out),
        "--resume",
        str(out / "last.ckpt"),
        cwd=tmp_path,
    )
    assert r.returncode != 0 and "not a checkpoint of this --model cnn" in r.stderr
    assert (out / "last.ckpt").read_bytes() == before


def test_cli_final_line_leaves_out_accuracy_for_the_language_model(tmp_path):
    """The gpt model has no accuracy: the final line says nothing of it (it printed nan)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    r = subprocess.run(
        [sys.executable, os.path.join(root, "train.py"), "--model", "gpt", "--epochs", "1",
         "--no-progress", "--out", str(tmp_path / "run")],
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    last = r.stdout.strip().splitlines()[-1]
    assert last.startswith("final: epoch=1 train_loss=") and "val_loss=" in last
    assert "val_acc" not in last and "nan" not in last
