"""Sweep 30 (training programs): end-to-end user programs of the kind tutorials and small
research code run (models trained a few steps, optimizers and LR schedulers with resumes,
clipping, data loading, autocast with GradScaler, checkpoints). Each program runs with
PyTorch 2.13 (the oracle) and with minitorch (tests/sweep_harness.py). At the end, plain tests
of ``Trainer(device=...)`` on the fake 'cuda' device of tests/fake_cupy.py (minitorch only)."""

from __future__ import annotations

import copy
import os
import tempfile

import numpy as np
import pytest
from fake_cupy import installed
from sweep_harness import Sweep

import minitorch
from minitorch.training import Trainer

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()

TOL = {"rtol": 1e-4, "atol": 1e-5}  # a few training steps of float32 arithmetic
LOW = {"rtol": 2e-2, "atol": 2e-2}  # bfloat16 / float16 results


def _mlp(torch):
    return torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))


def _train(torch, model, opt, steps, x, sched=None) -> list:
    """``steps`` steps on the mean square of the outputs: the losses (and the scheduler's
    ``get_last_lr()`` after each step)."""
    out = []
    for _ in range(steps):
        opt.zero_grad()
        loss = model(x).pow(2).mean()
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step()
            out.append(sched.get_last_lr())
        out.append(loss.detach())
    return out


def _two_groups(torch, model, cls, **kwargs):
    return cls(
        [{"params": model[0].parameters(), "lr": 0.05}, {"params": model[2].parameters()}],
        **kwargs,
    )


# ---- models trained a few steps ------------------------------------------------------------
@program(tol=TOL)
def cnn_batchnorm_dropout_training(torch):
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
        nn.Dropout(0.2), nn.Conv2d(4, 6, 3), nn.ReLU(), nn.AdaptiveAvgPool2d((1, 1)),
        nn.Flatten(), nn.Linear(6, 3),
    )  # fmt: skip
    opt = torch.optim.SGD(
        model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3
    )
    x, y = torch.randn(8, 1, 8, 8), torch.randint(0, 3, (8,))
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.detach())
    model.eval()
    bn = model[1]
    return losses, model(x), bn.running_mean, bn.running_var, bn.num_batches_tracked


@program(tol=TOL)
def lstm_bidirectional_amsgrad_training(torch):
    nn = torch.nn
    lstm = nn.LSTM(5, 7, num_layers=2, batch_first=True, bidirectional=True, dropout=0.3)
    head = nn.Linear(14, 2)
    params = list(lstm.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-2, amsgrad=True)
    x = torch.randn(3, 6, 5)
    out = []
    for _ in range(2):
        opt.zero_grad()
        o, (h, c) = lstm(x)
        loss = head(o[:, -1]).pow(2).mean()
        loss.backward()
        opt.step()
        out.append((o.shape, h.shape, c.shape, loss.detach()))
    return out, [n for n, _ in lstm.named_parameters()], lstm.weight_hh_l1_reverse.grad


@program(tol=TOL)
def gru_packed_padded_sequences(torch):
    rnn = torch.nn.utils.rnn
    seqs = [torch.randn(n, 4) for n in (5, 3, 2)]
    gru = torch.nn.GRU(4, 6, batch_first=True, bidirectional=True)
    packed = rnn.pack_padded_sequence(
        rnn.pad_sequence(seqs, batch_first=True), torch.tensor([5, 3, 2]), batch_first=True
    )
    o, h = gru(packed)
    unpacked, lengths = rnn.pad_packed_sequence(o, batch_first=True, padding_value=-1.0)
    (unpacked.clamp(min=0).sum() + h.sum()).backward()
    return unpacked, lengths, h, o.batch_sizes, gru.weight_ih_l0.grad


@program(tol=TOL)
def transformer_encoder_causal_and_padding_masks(torch):
    nn = torch.nn
    layer = nn.TransformerEncoderLayer(
        d_model=8, nhead=2, dim_feedforward=16, dropout=0.1, batch_first=True, norm_first=True
    )
    enc = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
    x = torch.randn(2, 5, 8)
    mask = nn.Transformer.generate_square_subsequent_mask(5)
    pad = torch.tensor([[False] * 5, [False, False, False, True, True]])
    opt = torch.optim.AdamW(enc.parameters(), lr=1e-3)
    y = enc(x, mask=mask, src_key_padding_mask=pad, is_causal=True)
    y.pow(2).mean().backward()
    opt.step()
    enc.eval()
    with torch.no_grad():
        z = enc(x, mask=mask, src_key_padding_mask=pad)
    return y, z, mask


@program(tol=TOL)
def tied_embedding_language_model(torch):
    nn = torch.nn

    class LM(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(10, 6, padding_idx=0)
            self.ln = nn.LayerNorm(6)
            self.head = nn.Linear(6, 10, bias=False)
            self.head.weight = self.emb.weight

        def forward(self, x):
            return self.head(self.ln(self.emb(x)))

    m = LM()
    opt = torch.optim.SGD(m.parameters(), lr=0.5)
    x = torch.randint(0, 10, (4, 5))
    for _ in range(2):
        opt.zero_grad()
        logits = m(x).flatten(0, 1)
        loss = nn.functional.cross_entropy(logits, x.flatten(), ignore_index=0, label_smoothing=0.1)
        loss.backward()
        opt.step()
    names = [n for n, _ in m.named_parameters()]
    return loss, list(m.state_dict()), names, m.emb.weight


@program(tol=TOL)
def vae_reparameterisation_training(torch):
    nn = torch.nn

    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc, self.mu, self.lv = nn.Linear(8, 8), nn.Linear(8, 2), nn.Linear(8, 2)
            self.dec = nn.Sequential(nn.Linear(2, 8), nn.Sigmoid())

        def forward(self, x):
            h = torch.relu(self.enc(x))
            mu, lv = self.mu(h), self.lv(h)
            z = mu + torch.randn_like(lv) * torch.exp(0.5 * lv)
            return self.dec(z), mu, lv

    m = VAE()
    opt = torch.optim.Adam(m.parameters(), lr=1e-2)
    x = torch.rand(5, 8)
    out = []
    for _ in range(3):
        opt.zero_grad()
        r, mu, lv = m(x)
        bce = nn.functional.binary_cross_entropy(r, x, reduction="sum")
        kld = -0.5 * torch.sum(1 + lv - mu.pow(2) - lv.exp())
        (bce + kld).backward()
        opt.step()
        out.append((bce + kld).detach())
    return out


@program(tol=TOL)
def finetune_frozen_backbone_keep_best(torch):
    nn = torch.nn
    m = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    m[0].requires_grad_(False)
    m[3] = nn.Linear(4, 3)
    opt = torch.optim.Adam(filter(lambda p: p.requires_grad, m.parameters()), lr=0.01)
    x, y = torch.randn(6, 3), torch.randint(0, 3, (6,))
    loss_fn = nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5]), label_smoothing=0.05)
    best, best_loss = None, float("inf")
    for _ in range(3):
        m.train()
        opt.zero_grad()
        loss_fn(m(x), y).backward()
        opt.step()
        m.eval()
        with torch.no_grad():
            val = nn.functional.cross_entropy(m(x), y).item()
            acc = (m(x).argmax(dim=1) == y).float().mean().item()
        if val < best_loss:
            best_loss, best = val, copy.deepcopy(m.state_dict())
    m.load_state_dict(best)
    return best_loss, acc, m[0].weight.grad, m[3].weight, m[1].num_batches_tracked


@program
def module_containers_edited(torch):
    nn = torch.nn
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    seq.append(nn.Tanh())
    seq.insert(1, nn.Dropout())
    del seq[2]
    ml = nn.ModuleList([nn.Linear(1, 1) for _ in range(2)])
    ml.extend([nn.Identity()])
    ml.insert(0, nn.ReLU())
    md = nn.ModuleDict({"b": nn.Linear(1, 2), "a": nn.ReLU()})
    md.update({"c": nn.Tanh()})
    md.pop("b")
    pl = nn.ParameterList([nn.Parameter(torch.ones(2)), torch.zeros(3)])
    pl.append(torch.ones(1))
    root = nn.Module()
    root.seq, root.ml, root.md, root.pl = seq, ml, md, pl
    root.pd = nn.ParameterDict({"x": nn.Parameter(torch.ones(1))})
    kinds = [type(m).__name__ for m in root.modules()]
    return list(root.state_dict()), kinds, repr(root), list(md.keys()), len(list(root.parameters()))


# ---- optimizers and schedulers ---------------------------------------------------------------
@program(tol=TOL)
def optimizers_state_dict_round_trip_mid_training(torch):
    out = []
    for cls, kwargs in [
        (torch.optim.Adam, dict(amsgrad=True, weight_decay=0.1)),
        (torch.optim.AdamW, dict(amsgrad=True)),
        (torch.optim.RMSprop, dict(centered=True, momentum=0.5, weight_decay=0.01)),
        (torch.optim.Adagrad, dict(lr_decay=0.01, initial_accumulator_value=0.1)),
        (torch.optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.1)),
    ]:
        m = _mlp(torch)
        opt = _two_groups(torch, m, cls, **kwargs)
        x = torch.randn(5, 3)
        out.append(_train(torch, m, opt, 2, x))
        saved, weights = copy.deepcopy(opt.state_dict()), copy.deepcopy(m.state_dict())
        m2 = _mlp(torch)
        m2.load_state_dict(weights)
        opt2 = _two_groups(torch, m2, cls, **kwargs)
        opt2.load_state_dict(saved)
        out.append(_train(torch, m2, opt2, 2, x))
        out.append(opt2.state_dict())
    return out


@program(tol=TOL)
def add_param_group_and_lr_change_midway(torch):
    m = _mlp(torch)
    x = torch.randn(5, 3)
    opt = torch.optim.Adam(m[0].parameters(), lr=0.01)
    out = _train(torch, m, opt, 2, x)
    opt.add_param_group({"params": m[2].parameters(), "lr": 0.1, "betas": (0.5, 0.6)})
    out += _train(torch, m, opt, 2, x)
    opt.param_groups[0]["lr"] = 0.001
    out += _train(torch, m, opt, 1, x)
    return out, [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]


@program(tol=TOL)
def lr_schedulers_get_last_lr_each_step(torch):
    S = torch.optim.lr_scheduler
    makers = [
        lambda o: S.StepLR(o, 2, 0.5),
        lambda o: S.MultiStepLR(o, [1, 3], 0.3),
        lambda o: S.CosineAnnealingLR(o, 4, eta_min=0.001),
        lambda o: S.OneCycleLR(o, max_lr=[0.5, 0.2], total_steps=7),
        lambda o: S.LambdaLR(o, [lambda e: 1 / (e + 1), lambda e: 0.9**e]),
        lambda o: S.SequentialLR(
            o, [S.LinearLR(o, 0.1, total_iters=2), S.ExponentialLR(o, 0.8)], milestones=[2]
        ),
        lambda o: S.ChainedScheduler(
            [S.ConstantLR(o, 0.5, total_iters=2), S.ExponentialLR(o, 0.9)]
        ),
        lambda o: S.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2, eta_min=0.01),
        lambda o: S.CyclicLR(o, 0.01, 0.1, step_size_up=2, mode="triangular2"),
    ]
    out = []
    for make in makers:
        m = _mlp(torch)
        opt = _two_groups(torch, m, torch.optim.SGD, lr=0.1, momentum=0.9)
        sched = make(opt)
        out.append(sched.get_last_lr())
        out.append(_train(torch, m, opt, 6, torch.randn(5, 3), sched))
    return out


@program
def reduce_lr_on_plateau_per_group_min_lr(torch):
    m = _mlp(torch)
    opt = _two_groups(torch, m, torch.optim.SGD, lr=0.1)
    s = torch.optim.lr_scheduler.ReduceLROnPlateau(
        opt, factor=0.5, patience=1, threshold=0.1, cooldown=1, min_lr=[0.01, 0.02]
    )
    out = []
    for v in [1.0, 0.99, 0.98, 0.97, 0.5, 0.49, 0.48, 0.47, 0.46, 0.45]:
        s.step(v)
        out.append((s.get_last_lr(), s.num_bad_epochs, s.cooldown_counter, s.best))
    return out


@program(tol=TOL)
def custom_optimizer_and_scheduler_subclasses(torch):
    class MomentumSGD(torch.optim.Optimizer):
        def __init__(self, params, lr=0.1, momentum=0.9):
            super().__init__(params, dict(lr=lr, momentum=momentum))

        @torch.no_grad()
        def step(self, closure=None):
            loss = None
            if closure is not None:
                with torch.enable_grad():
                    loss = closure()
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    st = self.state[p]
                    if "buf" not in st:
                        st["buf"], st["n"] = torch.clone(p.grad).detach(), 0
                    else:
                        st["buf"].mul_(group["momentum"]).add_(p.grad)
                    st["n"] += 1
                    p.add_(st["buf"], alpha=-group["lr"])
            return loss

    class Warmup(torch.optim.lr_scheduler.LRScheduler):
        def __init__(self, opt, warm, last_epoch=-1):
            self.warm = warm
            super().__init__(opt, last_epoch)

        def get_lr(self):
            return [b * min(1.0, (self.last_epoch + 1) / self.warm) for b in self.base_lrs]

    m = _mlp(torch)
    opt = MomentumSGD(m.parameters())
    sched = Warmup(opt, 3)
    x = torch.randn(4, 3)

    def closure():
        opt.zero_grad()
        loss = m(x).pow(2).sum()
        loss.backward()
        return loss

    out = []
    for _ in range(3):
        out.append(opt.step(closure))
        sched.step()
        out.append(sched.get_last_lr())
    saved = opt.state_dict()
    opt2 = MomentumSGD(m.parameters(), lr=0.5)
    opt2.load_state_dict(saved)
    out.append(opt2.step(closure))
    return out, saved["param_groups"], repr(opt2), list(m.parameters()), sched.state_dict()


@program(tol=TOL)
def clip_grad_norm_and_value(torch):
    U = torch.nn.utils
    m = _mlp(torch)
    unused = torch.nn.Linear(2, 2)
    m(torch.randn(4, 3)).sum().backward()
    params = list(m.parameters()) + list(unused.parameters())
    out = [
        U.clip_grad_norm_(params, 0.5),
        U.clip_grad_norm_(m.parameters(), 0.1, norm_type=float("inf")),
        U.clip_grad_norm_(m.parameters(), 0.5, norm_type=1, foreach=True),
        U.clip_grad_norm_(m[0].weight, 100.0),
        U.clip_grad_norm_([], 1.0),
    ]
    U.clip_grad_value_(m.parameters(), 0.01)
    out.append([p.grad for p in m.parameters()])
    v = U.parameters_to_vector(m.parameters())
    U.vector_to_parameters(v * 2, m.parameters())
    return out, v, list(m.parameters())


@error(RuntimeError, r"The total norm of order 2.0 for gradients from `parameters` is non-finite")
def clip_grad_norm_error_if_nonfinite(torch):
    p = torch.nn.Parameter(torch.ones(3))
    p.grad = torch.tensor([1.0, float("nan"), 2.0])
    torch.nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)


@error(TypeError, r"^optimizer can only optimize Tensors, but one of the params is int")
def optimizer_given_a_number(torch):
    torch.optim.SGD([torch.nn.Parameter(torch.ones(1)), 1], lr=0.1)


@error(TypeError, r"^optimizer can only optimize Tensors, but one of the params is numpy.ndarray")
def optimizer_given_a_numpy_array(torch):
    torch.optim.SGD([np.ones(2)], lr=0.1)


@error(TypeError, r"iterable of Tensors or dicts, but got torch.DoubleTensor")
def optimizer_given_one_tensor(torch):
    torch.optim.Adam(torch.ones(2, dtype=torch.float64, requires_grad=True))


# ---- data ------------------------------------------------------------------------------------
@program
def loaders_samplers_and_splits(torch):
    d = torch.utils.data
    ds = d.TensorDataset(torch.arange(10.0), torch.arange(10) % 3)
    g = torch.Generator().manual_seed(3)
    out = []
    for kwargs in [
        dict(batch_size=3, shuffle=True, generator=g),
        dict(batch_size=4, drop_last=True),
        dict(batch_size=3, shuffle=True),
    ]:
        dl = d.DataLoader(ds, **kwargs)
        out.append((len(dl), [list(b) for b in dl], [list(b) for b in dl]))
    a, b = d.random_split(ds, [7, 3], generator=torch.Generator().manual_seed(42))
    parts = d.random_split(range(7), [0.5, 0.5], generator=g)
    out.append((a.indices, b.indices, [p.indices for p in parts]))
    out.append(list(d.WeightedRandomSampler([0.1, 0.9, 0.4, 0.0], 6, generator=g)))
    batches = d.BatchSampler(d.RandomSampler(ds, generator=g), 3, drop_last=False)
    dl = d.DataLoader(ds, batch_sampler=batches)
    out.append((len(dl), list(dl)))
    return out, torch.rand(2)


@program
def loader_dict_samples_and_custom_collate(torch):
    d = torch.utils.data

    class Records(d.Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return {"x": torch.full((2,), float(i)), "y": i, "meta": ("a", i * 0.5)}

    def collate(batch):
        return torch.stack([b["x"] for b in batch]).sum(0), len(batch)

    return (
        list(d.DataLoader(Records(), batch_size=2)),
        list(d.DataLoader(Records(), batch_size=3, collate_fn=collate)),
        list(d.DataLoader(Records(), batch_size=None))[:2],
    )


# ---- mixed precision ---------------------------------------------------------------------------
@program(tol=LOW)
def autocast_cpu_op_classes(torch):
    F = torch.nn.functional
    x, w = torch.randn(4, 6), torch.randn(3, 6)
    img, k = torch.randn(1, 2, 5, 5), torch.randn(3, 2, 3, 3)
    out = {}
    for dt in (torch.bfloat16, torch.float16):
        with torch.autocast("cpu", dtype=dt):
            y = x @ w.T
            r = {
                "linear": F.linear(x, w), "conv": F.conv2d(img, k), "bmm": torch.bmm(x[None], w.T[None]),
                "softmax": F.softmax(x, -1), "sum": y.sum(), "relu": F.relu(y), "add": y + x[:, :3],
                "cat": torch.cat([y, x[:, :3]]), "layer_norm": F.layer_norm(y, (3,)),
                "mse": F.mse_loss(y, x[:, :3]), "ce": F.cross_entropy(y, torch.tensor([0, 1, 2, 0])),
                "sdpa": F.scaled_dot_product_attention(x[None], x[None], x[None]),
                "norm": y.norm(), "gelu": F.gelu(y), "cumsum": y.cumsum(0), "prod": y.prod(),
                "group_norm": F.group_norm(img, 1), "cdist": torch.cdist(x, x),
            }  # fmt: skip
        out[str(dt).split(".")[-1]] = {k: (v.dtype, v.float()) for k, v in r.items()}
    return out


@program(tol=LOW)
def autocast_bfloat16_grad_scaler_loop(torch):
    m = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.LayerNorm(5), torch.nn.Linear(5, 2))
    x = torch.randn(3, 4)
    scaler = torch.amp.GradScaler("cpu")
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    out = []
    for _ in range(3):
        with torch.autocast("cpu", dtype=torch.bfloat16):
            y = m(x)
            loss = torch.nn.functional.cross_entropy(y, torch.tensor([0, 1, 1]))
        scaler.scale(loss).backward()
        scaler.unscale_(opt)
        norm = torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
        scaler.step(opt)
        scaler.update()
        opt.zero_grad()
        out.append((y.dtype, loss.dtype, norm, scaler.get_scale()))
    return out, scaler.state_dict(), list(m.parameters())


@program
def grad_scaler_skips_inf_steps(torch):
    m = torch.nn.Linear(2, 1)
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    s = torch.amp.GradScaler("cpu", init_scale=4.0, growth_interval=2)
    out = []
    for i in range(5):
        loss = m(torch.ones(1, 2)).sum() * (float("inf") if i == 1 else 1.0)
        s.scale(loss).backward()
        out.append(s.step(opt))
        s.update()
        opt.zero_grad()
        out.append((s.get_scale(), m.weight.clone()))
    disabled = torch.amp.GradScaler("cpu", enabled=False)
    scaled = disabled.scale(m(torch.ones(1, 2)).sum())
    return out, scaled, disabled.get_scale(), disabled.state_dict()


# ---- checkpoints ------------------------------------------------------------------------------
@program
def checkpoint_round_trip_then_resume(torch):
    def make():
        return torch.nn.Sequential(torch.nn.BatchNorm1d(2), torch.nn.Linear(2, 3))

    m = make()
    opt = torch.optim.Adam(m.parameters())
    x = torch.randn(4, 2)
    m(x).pow(3).sum().backward()
    opt.step()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "ck.pt")
        t = torch.arange(6.0).view(2, 3)
        torch.save({"model": m.state_dict(), "opt": opt.state_dict(), "t": t, "col": t[:, 1]}, path)
        ck = torch.load(path, weights_only=True, map_location="cpu")
    m2 = make()
    result = m2.load_state_dict(ck["model"])
    opt2 = torch.optim.Adam(m2.parameters())
    opt2.load_state_dict(ck["opt"])
    opt2.zero_grad()
    m2(x).pow(3).sum().backward()
    opt2.step()
    return ck, str(result), ck["col"].stride(), list(m2.parameters())


@program
def load_state_dict_strict_false_and_buffers(torch):
    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = torch.nn.Linear(2, 2)
            self.register_buffer("a", torch.ones(2))
            self.register_buffer("b", torch.zeros(1), persistent=False)
            self.register_buffer("c", None)

    m = M()
    sd = m.state_dict()
    sd2 = dict(sd)
    sd2.pop("lin.bias")
    sd2["extra"] = torch.ones(1)
    r = m.load_state_dict(sd2, strict=False)
    buffers = [n for n, _ in m.named_buffers()]
    return list(sd), r.missing_keys, r.unexpected_keys, repr(r), buffers


# ---- minitorch's Trainer on a device (no PyTorch counterpart) ---------------------------------
def _fit(device: str):
    """A small classifier whose Adam has taken one CPU step (so it has state to move), fit
    for two epochs with a class-weighted loss module by a Trainer given ``device``: its
    losses, weights and predictions."""
    minitorch.manual_seed(0)
    nn = minitorch.nn
    m = nn.Sequential(nn.Linear(3, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))
    opt = minitorch.optim.Adam(m.parameters(), lr=0.05)
    x = minitorch.randn(16, 3, generator=minitorch.Generator().manual_seed(1))
    y = (x[:, 0] > 0).long()
    nn.functional.cross_entropy(m(x), y).backward()
    opt.step()
    opt.zero_grad()
    sched = minitorch.optim.lr_scheduler.StepLR(opt, 1, 0.5)
    loss_fn = nn.CrossEntropyLoss(weight=minitorch.tensor([1.0, 2.0]))
    trainer = Trainer(m, opt, loss_fn, scheduler=sched, device=device, clip_grad_norm=1.0,
                      progress=False)  # fmt: skip
    tensors = [*m.parameters(), *m.buffers(), *loss_fn.buffers()]
    devices = {t.device.type for t in tensors}
    state = opt.state[m[0].weight]
    moved = {k: v.device.type for k, v in state.items()}
    ds = minitorch.utils.data.TensorDataset(x, y)
    history = trainer.fit(minitorch.utils.data.DataLoader(ds, batch_size=4), epochs=2)
    pred = trainer.predict(minitorch.utils.data.DataLoader(ds, batch_size=8))
    losses = [r["train_loss"] for r in history]
    return devices, moved, losses, m[3].weight.detach().cpu().numpy(), pred


@pytest.mark.parametrize("fused", [False, True])
def test_trainer_device_moves_the_model_and_the_optimizer_state(fused):
    # Trainer(device=...) moved the batches only: the first step mixed devices (the model's
    # parameters and buffers, the loss's class weights)
    _, _, losses, weight, _ = _fit("cpu")
    with installed(fused=fused):
        devices, moved, dev_losses, dev_weight, pred = _fit("cuda")
        assert pred.device.type == "cuda"
    assert devices == {"cuda"}
    # the moments follow their parameters; the step counts stay on the host, as PyTorch's
    assert moved == {"step": "cpu", "exp_avg": "cuda", "exp_avg_sq": "cuda"}
    np.testing.assert_allclose(dev_losses, losses, rtol=1e-5)
    np.testing.assert_allclose(dev_weight, weight, rtol=1e-5, atol=1e-6)


def test_optimizer_state_left_on_the_host_after_model_to_device_raises():
    # PyTorch's first op between the state and the gradient raises a RuntimeError (a
    # TypeError of the array module before)
    with installed(fused=False):
        m = minitorch.nn.Linear(3, 2)
        opt = minitorch.optim.Adam(m.parameters(), lr=0.1)
        m(minitorch.randn(4, 3)).sum().backward()
        opt.step()
        m.to("cuda")
        m(minitorch.randn(4, 3, device="cuda")).sum().backward()
        with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
            opt.step()


def test_load_state_dict_keeps_step_counts_on_the_host():
    # PyTorch's load_state_dict leaves 'step' as it is (unless capturable or fused); the other
    # state moves to the parameter's device
    src = minitorch.nn.Linear(3, 2)
    opt = minitorch.optim.Adam(src.parameters())
    src(minitorch.randn(4, 3)).sum().backward()
    opt.step()
    with installed(fused=False):
        m = minitorch.nn.Linear(3, 2).to("cuda")
        opt2 = minitorch.optim.Adam(m.parameters())
        opt2.load_state_dict(opt.state_dict())
        state = opt2.state[m.weight]
        assert state["step"] is opt.state[src.weight]["step"]
        assert state["exp_avg"].device.type == "cuda"
