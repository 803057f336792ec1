"""Random short training runs, written once as PyTorch code and run with real PyTorch (the
oracle) and with minitorch from the same ``manual_seed``: a random network (an MLP, a small
CNN, a recurrent or a Transformer encoder model, an embedding model) initialised by the
layers' own seeded init, dropout in training, a DataLoader that shuffles, a random optimizer
and learning-rate scheduler, ``zero_grad`` with or without ``set_to_none``, gradient
clipping, then evaluation under ``eval()`` and ``no_grad``. Compared: the loss of every
step, the learning rates, the final parameters and buffers, and the evaluation output (float32,
with a tolerance for summation order). Seeds are fixed, so a failure names a run:
``describe(seed)``."""

from __future__ import annotations

import random

import numpy as np
import pytest

import minitorch

SEEDS = range(12)  # ~1 s each; 300 agree outside the test

MODELS = ("mlp", "cnn", "rnn", "transformer", "embedding", "conv1d", "birnn", "attention")
OPTIMIZERS = ("SGD", "SGD momentum", "Adam", "AdamW", "RMSprop", "Adagrad", "NAdam", "RAdam")
SCHEDULERS = (None, "StepLR", "CosineAnnealingLR", "OneCycleLR", "ExponentialLR", "LinearLR",
              "ReduceLROnPlateau", "CosineAnnealingWarmRestarts")  # fmt: skip


def spec(seed: int) -> dict:
    r = random.Random(seed)
    return {
        "model": r.choice(MODELS),
        "optimizer": r.choice(OPTIMIZERS),
        "scheduler": r.choice(SCHEDULERS),
        "dropout": r.choice((0.0, 0.1, 0.5)),
        "norm": r.choice((None, "batch", "layer")),
        "batch_size": r.choice((4, 5, 8)),
        "set_to_none": r.random() < 0.5,
        "clip": r.choice((None, 0.5, 5.0)),
        "label_smoothing": r.choice((0.0, 0.1)),
        "weight_decay": r.choice((0.0, 0.01)),
        "resume": r.random() < 0.4,  # a checkpoint after the first epoch, loaded into new objects
        "groups": r.random() < 0.3,  # the last layer in its own param group
        "accumulate": r.random() < 0.3,  # two backward calls per step
    }


def describe(seed: int) -> str:
    return ", ".join(f"{k}={v}" for k, v in spec(seed).items())


def _model(T, s: dict):
    nn = T.nn
    p, norm = s["dropout"], s["norm"]
    if s["model"] == "mlp":
        # a bias right before batch norm gets a gradient that is zero but for rounding,
        # which adaptive optimizers turn into steps of lr's size: PyTorch's noise then
        # decides it, so such layers have none (as models usually do)
        layers = [nn.Linear(6, 16, bias=norm != "batch")]
        if norm == "batch":
            layers.append(nn.BatchNorm1d(16))
        elif norm == "layer":
            layers.append(nn.LayerNorm(16))
        layers += [nn.ReLU(), nn.Dropout(p), nn.Linear(16, 3)]
        return nn.Sequential(*layers), (6,)
    if s["model"] == "cnn":
        layers = [nn.Conv2d(1, 4, 3, padding=1, bias=norm != "batch")]
        if norm == "batch":
            layers.append(nn.BatchNorm2d(4))
        elif norm == "layer":
            layers.append(nn.GroupNorm(2, 4))
        layers += [nn.ReLU(), nn.MaxPool2d(2), nn.Dropout2d(p), nn.Flatten(), nn.Linear(16, 3)]
        return nn.Sequential(*layers), (1, 4, 4)
    if s["model"] == "rnn":

        class Recurrent(nn.Module):
            def __init__(self):
                super().__init__()
                kind = {None: nn.LSTM, "batch": nn.GRU, "layer": nn.RNN}[norm]
                self.rnn = kind(3, 8, num_layers=2, batch_first=True, dropout=p)
                self.head = nn.Linear(8, 3)

            def forward(self, x):
                out, _ = self.rnn(x)
                return self.head(out[:, -1])

        return Recurrent(), (5, 3)
    if s["model"] == "conv1d":
        norm_layer = {
            None: nn.Identity(),
            "batch": nn.BatchNorm1d(4),
            "layer": nn.InstanceNorm1d(4),
        }
        return nn.Sequential(
            nn.Conv1d(2, 4, 3, stride=2, padding=1, bias=norm is None),  # (instance norm too)
            norm_layer[norm],
            nn.GELU(),
            nn.AvgPool1d(2),
            nn.Dropout(p),
            nn.Flatten(),
            nn.Linear(8, 3),
        ), (2, 8)
    if s["model"] == "birnn":

        class Bidirectional(nn.Module):
            def __init__(self):
                super().__init__()
                kind = nn.LSTM if norm is None else nn.GRU
                self.rnn = kind(3, 4, batch_first=True, bidirectional=True)
                self.drop = nn.Dropout(p)
                self.head = nn.Linear(8, 3)

            def forward(self, x):
                out, _ = self.rnn(x)
                return self.head(self.drop(out).mean(1))

        return Bidirectional(), (5, 3)
    if s["model"] == "attention":

        class Attend(nn.Module):
            def __init__(self):
                super().__init__()
                self.attn = nn.MultiheadAttention(8, 2, dropout=p, batch_first=True)
                self.norm = nn.LayerNorm(8)
                self.head = nn.Linear(8, 3)

            def forward(self, x):
                mask = x[..., 0] > 1.0  # some keys left out (never all of a row's)
                mask[:, 0] = False
                out, weights = self.attn(x, x, x, key_padding_mask=mask)
                return self.head(self.norm(out + x).mean(1)) + weights.mean()

        return Attend(), (4, 8)
    if s["model"] == "transformer":

        class Encoder(nn.Module):
            def __init__(self):
                super().__init__()
                layer = nn.TransformerEncoderLayer(
                    8, 2, 16, dropout=p, batch_first=True, norm_first=norm == "layer"
                )
                self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
                self.head = nn.Linear(8, 3)

            def forward(self, x):
                return self.head(self.encoder(x).mean(1))

        return Encoder(), (4, 8)

    class Bag(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(10, 6, padding_idx=0)
            self.drop = nn.Dropout(p)
            self.head = nn.Linear(6, 3)

        def forward(self, x):
            return self.head(self.drop(self.embed(x)).mean(1))

    return Bag(), None


def _param_groups(s: dict, model) -> list:
    params = list(model.parameters())
    if not s["groups"]:
        return params
    return [{"params": params[:-2]}, {"params": params[-2:], "lr": 0.002}]


def _optimizer(T, s: dict, params):
    name, wd = s["optimizer"], s["weight_decay"]
    if name == "SGD":
        return T.optim.SGD(params, lr=0.1, weight_decay=wd)
    if name == "SGD momentum":
        return T.optim.SGD(params, lr=0.05, momentum=0.9, nesterov=True, weight_decay=wd)
    cls = getattr(T.optim, name)
    return cls(params, lr=0.01, weight_decay=wd)


def _scheduler(T, s: dict, opt, steps: int):
    name = s["scheduler"]
    sched = T.optim.lr_scheduler
    if name is None:
        return None
    if name == "StepLR":
        return sched.StepLR(opt, step_size=2, gamma=0.5)
    if name == "CosineAnnealingLR":
        return sched.CosineAnnealingLR(opt, T_max=steps)
    if name == "OneCycleLR":
        return sched.OneCycleLR(opt, max_lr=0.05, total_steps=steps, cycle_momentum=False)
    if name == "ExponentialLR":
        return sched.ExponentialLR(opt, gamma=0.9)
    if name == "ReduceLROnPlateau":
        return sched.ReduceLROnPlateau(opt, factor=0.5, patience=0, threshold=0.05)
    if name == "CosineAnnealingWarmRestarts":
        return sched.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=0.001)
    return sched.LinearLR(opt, start_factor=0.5, total_iters=3)


def _resumed(T, s: dict, model, opt, scheduler, steps: int) -> tuple:
    """New model, optimizer and scheduler loaded from a checkpoint of the old ones."""
    import io  # noqa: PLC0415

    buffer = io.BytesIO()
    state = {"model": model.state_dict(), "opt": opt.state_dict()}
    if scheduler is not None:
        state["scheduler"] = scheduler.state_dict()
    T.save(state, buffer)
    buffer.seek(0)
    state = T.load(buffer)
    new_model, _ = _model(T, s)
    new_model.load_state_dict(state["model"])
    new_model.train()
    new_opt = _optimizer(T, s, _param_groups(s, new_model))
    new_opt.load_state_dict(state["opt"])
    new_scheduler = _scheduler(T, s, new_opt, steps)
    if new_scheduler is not None:
        new_scheduler.load_state_dict(state["scheduler"])
    return new_model, new_opt, new_scheduler


def _values(t, digits: int = 4) -> list:
    return np.round(np.array(t.detach().tolist(), dtype=np.float64), digits).ravel().tolist()


def run(T, seed: int) -> dict:
    s = spec(seed)
    T.manual_seed(seed)
    model, shape = _model(T, s)
    n = 12
    if shape is None:
        x = T.randint(0, 10, (n, 5))
    else:
        x = T.randn(n, *shape)
    y = T.randint(0, 3, (n,))
    loader = T.utils.data.DataLoader(
        T.utils.data.TensorDataset(x, y), batch_size=s["batch_size"], shuffle=True
    )
    epochs = 2
    steps = epochs * len(loader)
    opt = _optimizer(T, s, _param_groups(s, model))
    scheduler = _scheduler(T, s, opt, steps)
    losses, lrs = [], []
    model.train()
    for epoch in range(epochs):
        if epoch and s["resume"]:
            model, opt, scheduler = _resumed(T, s, model, opt, scheduler, steps)
        for xb, yb in loader:
            opt.zero_grad(set_to_none=s["set_to_none"])
            halves = (slice(None, 2), slice(2, None)) if s["accumulate"] else (slice(None),)
            for h in halves:
                loss = T.nn.functional.cross_entropy(
                    model(xb[h]), yb[h], label_smoothing=s["label_smoothing"]
                )
                loss.backward()
            if s["clip"] is not None:
                T.nn.utils.clip_grad_norm_(model.parameters(), s["clip"])
            opt.step()
            if s["scheduler"] == "ReduceLROnPlateau":
                scheduler.step(loss.item())
            elif scheduler is not None:
                scheduler.step()
            losses.append(round(loss.item(), 4))
            lrs.append(round(opt.param_groups[0]["lr"], 8))
    model.eval()
    with T.no_grad():
        out = model(x)
    return {
        "losses": losses,
        "lrs": lrs,
        "state": {k: _values(v) for k, v in model.state_dict().items()},
        "eval": _values(out),
    }


def _close(a, b, rtol: float = 2e-3, atol: float = 2e-3) -> bool:
    a, b = np.array(a, dtype=float), np.array(b, dtype=float)
    return np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True)


def _without_key_bias(state: dict) -> dict:
    """The state without attention's key bias (the middle third of ``in_proj_bias``): its
    gradient is zero but for rounding (softmax ignores a shift of all scores), which
    adaptive optimizers turn into steps of lr's size, so rounding noise decides it."""
    out = {}
    for k, v in state.items():
        if k.endswith("in_proj_bias"):
            third = len(v) // 3
            v = v[:third] + v[2 * third :]
        out[k] = v
    return out


def compare(mine: dict, theirs: dict) -> list:
    """The differences between two runs' outcomes (an empty list when they agree)."""
    diffs = []
    mine = {**mine, "state": _without_key_bias(mine["state"])}
    theirs = {**theirs, "state": _without_key_bias(theirs["state"])}
    if not _close(mine["losses"], theirs["losses"]):
        diffs.append(("losses", mine["losses"], theirs["losses"]))
    if mine["lrs"] != theirs["lrs"]:
        diffs.append(("lrs", mine["lrs"], theirs["lrs"]))
    if list(mine["state"]) != list(theirs["state"]):
        diffs.append(("state keys", list(mine["state"]), list(theirs["state"])))
    for k in theirs["state"]:
        if k in mine["state"] and not _close(mine["state"][k], theirs["state"][k]):
            diffs.append((k, mine["state"][k][:6], theirs["state"][k][:6]))
    if not _close(mine["eval"], theirs["eval"]):
        diffs.append(("eval", mine["eval"][:6], theirs["eval"][:6]))
    return diffs


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("seed", SEEDS)
def test_random_training_run_matches_pytorch(torch, seed):
    assert compare(run(minitorch, seed), run(torch, seed)) == [], describe(seed)
