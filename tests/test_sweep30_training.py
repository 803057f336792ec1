"""Sweep 30 (training programs): end-to-end user programs of the kind tutorials and small
research code run (models trained a few steps, optimizers and LR schedulers with resumes,
clipping, data loading, autocast with GradScaler, checkpoints). Each program runs with
PyTorch 2.13 (the oracle) and with minitorch (tests/sweep_harness.py). At the end, plain tests
of ``Trainer(device=...)`` on the fake 'cuda' device of tests/fake_cupy.py (minitorch only)."""

from __future__ import annotations

import copy
import functools
import io
import math
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


@program(tol=TOL)
def sub_networks_used_on_alternate_steps(torch):
    # parameters without a gradient on some steps: per-parameter step counts and buffers
    O = torch.optim
    out = []
    for cls, kwargs in [
        (O.Adam, {}), (O.AdamW, dict(amsgrad=True)), (O.NAdam, {}), (O.RAdam, {}),
        (O.Adagrad, {}), (O.RMSprop, dict(momentum=0.5)), (O.ASGD, {}), (O.Adamax, {}),
        (O.Rprop, {}), (O.Adadelta, {}), (O.SGD, dict(momentum=0.9, nesterov=True)),
    ]:  # fmt: skip
        a, b, head = torch.nn.Linear(3, 3), torch.nn.Linear(3, 3), torch.nn.Linear(3, 1)
        params = [*a.parameters(), *b.parameters(), *head.parameters()]
        opt = cls(params, lr=0.01, **kwargs)
        for i in range(5):
            x = torch.randn(4, 3)
            h = a(x) if i % 2 == 0 else (b(x) if i % 3 else a(b(x)))
            opt.zero_grad()
            head(torch.tanh(h)).pow(2).mean().backward()
            opt.step()
        out.append((params, opt.state_dict()["state"]))
    return out


def _sgd_two_groups(torch, lr=0.1):
    p, q = torch.nn.Parameter(torch.ones(2)), torch.nn.Parameter(torch.ones(1))
    return torch.optim.SGD([{"params": [p]}, {"params": [q], "lr": 0.3}], lr=lr, momentum=0.9)


@program
def schedulers_with_lr_changed_by_hand(torch):
    # the chainable (recursive) forms carry a hand-set lr on; the closed forms do not
    S = torch.optim.lr_scheduler
    makers = [
        lambda o: S.CosineAnnealingLR(o, 5, eta_min=0.01), lambda o: S.StepLR(o, 2, 0.5),
        lambda o: S.MultiStepLR(o, [2, 5]), lambda o: S.LinearLR(o, 0.5, 1.0, 4),
        lambda o: S.ConstantLR(o, 0.3, 3), lambda o: S.PolynomialLR(o, 5, 1.5),
        lambda o: S.CosineAnnealingWarmRestarts(o, 3), lambda o: S.LambdaLR(o, lambda e: 0.9**e),
        lambda o: S.MultiplicativeLR(o, lambda e: 0.95),
        lambda o: S.OneCycleLR(o, [0.2, 0.4], total_steps=10),
    ]  # fmt: skip
    out = []
    for make in makers:
        opt = _sgd_two_groups(torch)
        sched = make(opt)
        lrs = [sched.get_last_lr()]
        for i in range(8):
            opt.step()
            sched.step()
            if i == 3:
                opt.param_groups[0]["lr"] = 0.05
            lrs.append((sched.get_last_lr(), [g["lr"] for g in opt.param_groups]))
        out.append(lrs)
    return out


@program
def schedulers_stepped_with_an_epoch(torch):
    S = torch.optim.lr_scheduler
    makers = [
        lambda o: S.StepLR(o, 2, 0.5), lambda o: S.MultiStepLR(o, [2, 5]),
        lambda o: S.ExponentialLR(o, 0.9), lambda o: S.CosineAnnealingLR(o, 5, 0.01),
        lambda o: S.LambdaLR(o, lambda e: 0.5**e), lambda o: S.CosineAnnealingWarmRestarts(o, 3, 2),
    ]  # fmt: skip
    out = []
    for make in makers:
        opt = _sgd_two_groups(torch)
        sched = make(opt)
        for epoch in [3, 1, 7, 7, 2]:
            opt.step()
            sched.step(epoch)
            out.append((sched.get_last_lr(), sched.last_epoch))
    opt = _sgd_two_groups(torch)
    sched = S.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=0.001)
    for epoch in range(3):
        for i in range(4):  # fractional epochs, as its documentation shows
            sched.step(epoch + i / 4)
            out.append((sched.get_last_lr(), sched.T_cur, sched.T_i))
    return out


@program
def two_schedulers_stepped_together(torch):
    S = torch.optim.lr_scheduler
    out = []
    for make in [
        lambda o: (S.LinearLR(o, 0.1, total_iters=3), S.CosineAnnealingLR(o, 10)),
        lambda o: (S.ExponentialLR(o, 0.9), S.StepLR(o, 2, 0.5)),
        lambda o: (S.CosineAnnealingWarmRestarts(o, 3), S.ConstantLR(o, 0.5, 2)),
    ]:
        opt = _sgd_two_groups(torch)
        first, second = make(opt)
        for _ in range(6):
            opt.step()
            first.step()
            second.step()
            out.append((first.get_last_lr(), second.get_last_lr()))
    return out


@program
def scheduler_resumed_after_optimizer_load(torch):
    S = torch.optim.lr_scheduler
    opt = _sgd_two_groups(torch)
    sched = S.CosineAnnealingLR(opt, 8, eta_min=0.01)
    for _ in range(3):
        opt.step()
        sched.step()
    saved_opt, saved_sched = opt.state_dict(), sched.state_dict()
    opt2 = _sgd_two_groups(torch, lr=0.5)
    opt2.load_state_dict(saved_opt)  # its groups bring 'initial_lr'
    sched2 = S.CosineAnnealingLR(opt2, 8, eta_min=0.01)
    fresh = (sched2.base_lrs, sched2.get_last_lr())
    sched2.load_state_dict(saved_sched)
    lrs = []
    for _ in range(3):
        opt2.step()
        sched2.step()
        lrs.append(sched2.get_last_lr())
    opt3 = _sgd_two_groups(torch, lr=0.5)
    opt3.load_state_dict(saved_opt)
    sched3 = S.CosineAnnealingLR(opt3, 8, eta_min=0.01, last_epoch=2)
    opt3.step()
    sched3.step()
    return fresh, lrs, sched3.get_last_lr(), saved_opt["param_groups"]


@program(tol=TOL)
def swa_and_ema_averaged_models(torch):
    swa_utils = torch.optim.swa_utils
    m = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 1))
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    swa = swa_utils.AveragedModel(m)
    ema = swa_utils.AveragedModel(m, multi_avg_fn=swa_utils.get_ema_multi_avg_fn(0.9))
    sched = swa_utils.SWALR(opt, swa_lr=0.05, anneal_epochs=2, anneal_strategy="cos")
    x = torch.randn(6, 3)
    lrs = []
    for _ in range(3):
        opt.zero_grad()
        m(x).pow(2).mean().backward()
        opt.step()
        swa.update_parameters(m)
        ema.update_parameters(m)
        sched.step()
        lrs.append(sched.get_last_lr())
    swa_utils.update_bn([torch.randn(3, 3) for _ in range(2)], swa)
    return lrs, list(swa.state_dict()), swa.n_averaged, swa(x), ema.module[0].weight


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


@program
def loader_workers_random_augmentation(torch):
    d = torch.utils.data

    class Augmented(d.Dataset):
        def __len__(self):
            return 6

        def __getitem__(self, i):
            info = d.get_worker_info()
            return torch.rand(2) + i, info.id if info is not None else -1

    g = torch.Generator().manual_seed(7)
    dl = d.DataLoader(Augmented(), batch_size=2, num_workers=2, shuffle=True, generator=g)
    return list(dl), list(d.DataLoader(Augmented(), batch_size=3)), len(dl), torch.rand(1)


@program(tol=LOW)
def autocast_cpu_on_low_precision_inputs(torch):
    # CPU autocast's op lists: lower precision (matmul-like), float32 (losses, pools, norms of
    # its fp32 list), and the rest in their inputs' dtype (softmax, layer_norm, sum...)
    F = torch.nn.functional
    cases = {
        "conv1d": lambda b: F.conv1d(b.view(1, 2, 8), torch.randn(3, 2, 3)),
        "conv_t1d": lambda b: F.conv_transpose1d(b.view(1, 2, 8), torch.randn(2, 3, 3)),
        "prelu": lambda b: F.prelu(b.view(2, 8), torch.tensor([0.25])),
        "addbmm": lambda b: torch.addbmm(torch.randn(4, 4), b.view(1, 4, 4), b.view(1, 4, 4)),
        "matmul_1d": lambda b: torch.matmul(b, b),
        "einsum": lambda b: torch.einsum("ij,jk->ik", b.view(4, 4), b.view(4, 4)),
        "avg_pool3d": lambda b: F.avg_pool3d(b.view(1, 1, 2, 2, 4), 2),
        "max_pool2d": lambda b: F.max_pool2d(b.view(1, 1, 4, 4), 2),
        "prod": lambda b: b.prod(), "quantile": lambda b: torch.quantile(b, 0.3),
        "reflect_pad": lambda b: F.pad(b.view(1, 2, 8), (2, 2), mode="reflect"),
        "nll": lambda b: F.nll_loss(b.view(4, 4), torch.tensor([0, 1, 2, 3])),
        "huber": lambda b: F.huber_loss(b, b.flip(0)),
        "kl_div": lambda b: F.kl_div(b, b.flip(0), reduction="batchmean"),
        "bce_logits": lambda b: F.binary_cross_entropy_with_logits(b, torch.rand(16)),
        "inv": lambda b: torch.linalg.inv(b.view(4, 4) + 4 * torch.eye(4)),
        "grid_sample": lambda b: F.grid_sample(
            b.view(1, 1, 4, 4), torch.rand(1, 2, 2, 2) * 2 - 1, align_corners=False
        ),
        "softmax": lambda b: F.softmax(b, 0), "layer_norm": lambda b: F.layer_norm(b, (16,)),
        "sum": lambda b: b.sum(), "exp": lambda b: b.exp(), "cumprod": lambda b: b.cumprod(0),
        "var": lambda b: b.var(), "norm": lambda b: b.norm(), "gelu": lambda b: F.gelu(b),
        "cat": lambda b: torch.cat([b, torch.ones(16)]), "add": lambda b: b + torch.ones(16),
        "index_add": lambda b: torch.zeros(16, dtype=b.dtype).index_add(0, torch.arange(16), b),
        "interpolate": lambda b: F.interpolate(b.view(1, 1, 4, 4), scale_factor=2, mode="bilinear"),
        "embedding_bag": lambda b: F.embedding_bag(torch.tensor([[0, 1]]), b.view(4, 4)),
    }  # fmt: skip
    out = {}
    for dt in (torch.bfloat16, torch.float16):
        b = (torch.randn(16) @ torch.ones(16, 16).tril()).to(dt) / 4
        for name, fn in cases.items():
            with torch.autocast("cpu", dtype=dt):
                r = fn(b)
            out[f"{name}-{str(dt).split('.')[-1]}"] = (r.dtype, r.float())
    return out


@program(tol=LOW)
def float16_autocast_scaler_backs_off_on_overflow(torch):
    m = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 4))
    opt = torch.optim.Adam(m.parameters(), lr=1e-2)
    scaler = torch.amp.GradScaler("cpu", growth_interval=3)
    x, y = torch.randn(32, 8) * 4, torch.randint(0, 4, (32,))
    out = []
    for _ in range(6):
        opt.zero_grad()
        with torch.autocast("cpu", dtype=torch.float16):
            loss = torch.nn.functional.cross_entropy(m(x), y, reduction="sum")
        scaler.scale(loss).backward()
        scaler.unscale_(opt)
        norm = torch.nn.utils.clip_grad_norm_(m.parameters(), 10.0)
        skipped = scaler.step(opt) is None
        scaler.update()
        out.append((loss.dtype, loss, norm.isfinite().item(), skipped, scaler.get_scale()))
    return out, list(m.parameters())


def _types(o):
    """The container and element types of a loaded object, as PyTorch names them."""
    if isinstance(o, dict):
        return type(o).__name__, {repr(k): _types(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return type(o).__name__, [_types(v) for v in o]
    return type(o).__name__.replace("minitorch", "torch")


@program
def optimizer_and_scheduler_state_types_after_save(torch):
    m = torch.nn.Linear(2, 2)
    opt = torch.optim.Adam(m.parameters(), betas=(0.8, 0.9))
    m(torch.ones(1, 2)).sum().backward()
    opt.step()
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, [2, 4, 4])
    loaded = []
    for obj in (opt.state_dict(), sched.state_dict(), m.state_dict()):
        buf = io.BytesIO()
        torch.save(obj, buf)
        buf.seek(0)
        loaded.append(torch.load(buf))
    return [_types(o) for o in loaded], loaded[1]["milestones"]


@program
def old_checkpoints_and_extra_state(torch):
    bn = torch.nn.BatchNorm1d(2)
    bn(torch.randn(4, 2))
    sd = bn.state_dict()
    sd.pop("num_batches_tracked")
    plain = torch.nn.BatchNorm1d(2)
    r1 = plain.load_state_dict(dict(sd))  # no metadata: an old checkpoint, the counter added
    try:
        r2 = str(torch.nn.BatchNorm1d(2).load_state_dict(sd))
    except RuntimeError as e:  # version 2 metadata: the counter is missing
        r2 = str(e)

    class Counted(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin, self.counter = torch.nn.Linear(2, 2), 0

        def get_extra_state(self):
            return {"counter": self.counter}

        def set_extra_state(self, state):
            self.counter = state["counter"] + 100

    class Renamed(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.zeros(2))

        def _load_from_state_dict(self, sd, prefix, *args):
            if prefix + "weight" in sd:
                sd[prefix + "w"] = sd.pop(prefix + "weight")
            super()._load_from_state_dict(sd, prefix, *args)

    c = Counted()
    c.counter = 5
    c2 = Counted()
    c2.load_state_dict(c.state_dict())
    renamed = Renamed()
    r3 = renamed.load_state_dict({"weight": torch.ones(2)})
    return str(r1), r2, plain.num_batches_tracked, list(c.state_dict()), c2.counter, str(r3)


# ---- tutorial and research programs ----------------------------------------------------------
@program(tol=TOL)
def dcgan_two_optimizers(torch):
    nn = torch.nn
    G = nn.Sequential(
        nn.ConvTranspose2d(4, 8, 4, 1, 0, bias=False), nn.BatchNorm2d(8), nn.ReLU(True),
        nn.ConvTranspose2d(8, 1, 4, 2, 1, bias=False), nn.Tanh(),
    )  # fmt: skip
    D = nn.Sequential(
        nn.Conv2d(1, 8, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(8, 1, 4, 1, 0, bias=False), nn.Sigmoid(),
    )  # fmt: skip

    def weights_init(m):
        if m.__class__.__name__.find("Conv") != -1:
            nn.init.normal_(m.weight.data, 0.0, 0.02)
        elif m.__class__.__name__.find("BatchNorm") != -1:
            nn.init.normal_(m.weight.data, 1.0, 0.02)
            nn.init.constant_(m.bias.data, 0)

    G.apply(weights_init)
    D.apply(weights_init)
    criterion = nn.BCELoss()
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    real = torch.rand(3, 1, 8, 8) * 2 - 1
    out = []
    for _ in range(2):
        D.zero_grad()
        label = torch.full((3,), 1.0, dtype=torch.float)
        err_real = criterion(D(real).view(-1), label)
        err_real.backward()
        fake = G(torch.randn(3, 4, 1, 1))
        label.fill_(0.0)
        err_fake = criterion(D(fake.detach()).view(-1), label)
        err_fake.backward()
        opt_d.step()
        G.zero_grad()
        label.fill_(1.0)
        err_g = criterion(D(fake).view(-1), label)
        err_g.backward()
        opt_g.step()
        out.append((err_real.item(), err_fake.item(), err_g.item()))
    return out, fake


@program(tol=TOL)
def dqn_update_with_soft_target(torch):
    nn = torch.nn
    policy = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
    target = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
    target.load_state_dict(policy.state_dict())
    opt = torch.optim.AdamW(policy.parameters(), lr=1e-3, amsgrad=True)
    for _ in range(3):
        state, action = torch.randn(8, 4), torch.randint(0, 2, (8, 1))
        reward = torch.randn(8)
        nxt = [torch.randn(1, 4) if i % 3 else None for i in range(8)]
        mask = torch.tensor(tuple(s is not None for s in nxt), dtype=torch.bool)
        q = policy(state).gather(1, action)
        next_values = torch.zeros(8)
        with torch.no_grad():
            next_values[mask] = target(torch.cat([s for s in nxt if s is not None])).max(1).values
        loss = nn.SmoothL1Loss()(q, (next_values * 0.99 + reward).unsqueeze(1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_value_(policy.parameters(), 100)
        opt.step()
        target_sd, policy_sd = target.state_dict(), policy.state_dict()
        for k in policy_sd:
            target_sd[k] = policy_sd[k] * 0.005 + target_sd[k] * (1 - 0.005)
        target.load_state_dict(target_sd)
    return loss, list(target.parameters()), policy(state).max(1).indices.view(1, -1)


@program(tol=TOL)
def tanh_gaussian_policy_with_temperature(torch):
    D = torch.distributions
    net = torch.nn.Linear(3, 4)
    opt = torch.optim.Adam(net.parameters(), lr=3e-4)
    log_alpha = torch.zeros(1, requires_grad=True)
    alpha_opt = torch.optim.Adam([log_alpha], lr=3e-4)
    out = []
    for _ in range(2):
        mu, log_std = net(torch.randn(5, 3)).chunk(2, -1)
        std = torch.clamp(log_std, -20, 2).exp()
        normal = D.Normal(mu, std)
        u = normal.rsample()
        softplus = torch.nn.functional.softplus(-2 * u)
        logp = normal.log_prob(u).sum(-1) - (2 * (math.log(2) - u - softplus)).sum(-1)
        squashed = D.TransformedDistribution(D.Normal(mu, std), [D.TanhTransform(cache_size=1)])
        a2 = squashed.rsample()
        loss = (log_alpha.exp().detach() * logp - torch.tanh(u).sum(-1)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        alpha_loss = -(log_alpha * (logp.detach() - 2)).mean()
        alpha_opt.zero_grad()
        alpha_loss.backward()
        alpha_opt.step()
        kl = D.kl_divergence(normal, D.Normal(torch.zeros_like(mu), torch.ones_like(mu))).sum()
        out.append((logp, squashed.log_prob(a2).sum(-1), loss, log_alpha.clone(), kl))
    return out


@program(tol=TOL)
def seq2seq_gru_with_attention_teacher_forcing(torch):
    nn, F = torch.nn, torch.nn.functional

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb, self.gru = nn.Embedding(10, 8), nn.GRU(8, 8, batch_first=True)
            self.drop = nn.Dropout(0.1)

        def forward(self, x):
            return self.gru(self.drop(self.emb(x)))

    class Decoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb, self.gru, self.out = (
                nn.Embedding(10, 8),
                nn.GRU(16, 8, batch_first=True),
                nn.Linear(8, 10),
            )
            self.Wa, self.Ua, self.Va = nn.Linear(8, 8), nn.Linear(8, 8), nn.Linear(8, 1)

        def forward(self, enc_out, h, target=None):
            inp = torch.empty(enc_out.size(0), 1, dtype=torch.long).fill_(0)
            outs, weights = [], []
            for i in range(4):
                q = h.permute(1, 0, 2)
                scores = self.Va(torch.tanh(self.Wa(q) + self.Ua(enc_out))).squeeze(2).unsqueeze(1)
                w = F.softmax(scores, dim=-1)
                ctx = torch.bmm(w, enc_out)
                o, h = self.gru(torch.cat((self.emb(inp), ctx), dim=2), h)
                o = self.out(o)
                outs.append(o)
                weights.append(w)
                if target is not None:
                    inp = target[:, i].unsqueeze(1)
                else:
                    inp = o.topk(1)[1].squeeze(-1).detach()
            return F.log_softmax(torch.cat(outs, 1), -1), torch.cat(weights, 1)

    enc, dec = Encoder(), Decoder()
    opt_e = torch.optim.Adam(enc.parameters(), lr=1e-3)
    opt_d = torch.optim.Adam(dec.parameters(), lr=1e-3)
    x, t = torch.randint(1, 10, (3, 5)), torch.randint(1, 10, (3, 4))
    for teacher_forcing in (True, False):
        opt_e.zero_grad()
        opt_d.zero_grad()
        enc_out, enc_h = enc(x)
        log_probs, weights = dec(enc_out, enc_h, t if teacher_forcing else None)
        loss = F.nll_loss(log_probs.view(-1, 10), t.view(-1))
        loss.backward()
        opt_e.step()
        opt_d.step()
    return loss, weights, log_probs.argmax(-1)


@program(tol=TOL)
def word_language_model_tutorial(torch):
    nn = torch.nn

    class PositionalEncoding(nn.Module):
        def __init__(self, d_model, dropout=0.1, max_len=50):
            super().__init__()
            self.dropout = nn.Dropout(p=dropout)
            position = torch.arange(max_len).unsqueeze(1)
            div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
            pe = torch.zeros(max_len, 1, d_model)
            pe[:, 0, 0::2] = torch.sin(position * div_term)
            pe[:, 0, 1::2] = torch.cos(position * div_term)
            self.register_buffer("pe", pe)

        def forward(self, x):
            return self.dropout(x + self.pe[: x.size(0)])

    class TransformerModel(nn.Module):
        def __init__(self, ntoken, d, nhead, d_hid, nlayers):
            super().__init__()
            self.pos = PositionalEncoding(d)
            layer = nn.TransformerEncoderLayer(d, nhead, d_hid, 0.1)
            self.encoder = nn.TransformerEncoder(layer, nlayers)
            self.embedding, self.d, self.linear = nn.Embedding(ntoken, d), d, nn.Linear(d, ntoken)
            self.embedding.weight.data.uniform_(-0.1, 0.1)
            self.linear.bias.data.zero_()
            self.linear.weight.data.uniform_(-0.1, 0.1)

        def forward(self, src, mask=None):
            src = self.pos(self.embedding(src) * math.sqrt(self.d))
            return self.linear(self.encoder(src, mask))

    data = torch.randint(0, 20, (41,))
    seq_len = data.size(0) // 4
    train = data[: seq_len * 4].view(4, seq_len).t().contiguous()
    model = TransformerModel(20, 8, 2, 16, 2)
    criterion = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=5.0)
    sched = torch.optim.lr_scheduler.StepLR(opt, 1.0, gamma=0.95)
    losses, bptt = [], 3
    for _ in range(2):
        model.train()
        for i in range(0, train.size(0) - 1, bptt):
            n = min(bptt, len(train) - 1 - i)
            x, y = train[i : i + n], train[i + 1 : i + 1 + n].reshape(-1)
            out = model(x, nn.Transformer.generate_square_subsequent_mask(n))
            loss = criterion(out.view(-1, 20), y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
            opt.step()
            losses.append(loss.item())
        sched.step()
    model.eval()
    with torch.no_grad():
        mask = nn.Transformer.generate_square_subsequent_mask(3)
        val = criterion(model(train[:3], mask).view(-1, 20), train[1:4].reshape(-1))
    return losses, val, sched.get_last_lr()


@program(tol=TOL)
def gpt_top_k_generation(torch):
    nn, F = torch.nn, torch.nn.functional

    class GPT(nn.Module):
        def __init__(self, vocab=11, d=8, block=6):
            super().__init__()
            self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(block, d)
            layer = nn.TransformerEncoderLayer(d, 2, 4 * d, 0.0, batch_first=True, norm_first=True)
            self.blocks = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
            self.ln_f, self.lm_head = nn.LayerNorm(d), nn.Linear(d, vocab, bias=False)
            self.wte.weight = self.lm_head.weight
            self.block = block

        def forward(self, idx, targets=None):
            t = idx.size(1)
            x = self.wte(idx) + self.wpe(torch.arange(0, t, dtype=torch.long))
            mask = nn.Transformer.generate_square_subsequent_mask(t)
            logits = self.lm_head(self.ln_f(self.blocks(x, mask=mask, is_causal=True)))
            if targets is None:
                return logits, None
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
            return logits, loss

        @torch.no_grad()
        def generate(self, idx, n, temperature=1.0, top_k=None):
            for _ in range(n):
                logits, _ = self(idx if idx.size(1) <= self.block else idx[:, -self.block :])
                logits = logits[:, -1, :] / temperature
                if top_k is not None:
                    v, _ = torch.topk(logits, min(top_k, logits.size(-1)))
                    logits[logits < v[:, [-1]]] = -float("Inf")
                probs = F.softmax(logits, dim=-1)
                idx = torch.cat((idx, torch.multinomial(probs, num_samples=1)), dim=1)
            return idx

    m = GPT()
    decay = [p for p in m.parameters() if p.dim() >= 2]
    no_decay = [p for p in m.parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=1e-2, betas=(0.9, 0.95))
    data = torch.randint(0, 11, (40,))
    losses = []
    for it in range(3):
        ix = torch.randint(len(data) - 6, (3,))
        x = torch.stack([data[i : i + 6] for i in ix])
        y = torch.stack([data[i + 1 : i + 7] for i in ix])
        for g in opt.param_groups:
            g["lr"] = 1e-2 * (it + 1) / 3
        _, loss = m(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item())
    m.eval()
    generated = m.generate(torch.zeros((2, 1), dtype=torch.long), 8, temperature=0.8, top_k=5)
    return losses, generated, sum(p.numel() for p in m.parameters())


@program(tol=TOL)
def unet_reflect_padding_instance_norm(torch):
    nn, F = torch.nn, torch.nn.functional

    def block(i, o):
        return nn.Sequential(
            nn.Conv2d(i, o, 3, padding=1, padding_mode="reflect", bias=False),
            nn.InstanceNorm2d(o, affine=True, track_running_stats=True), nn.LeakyReLU(0.1),
        )  # fmt: skip

    class UNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.d1, self.d2, self.u1 = block(1, 4), block(4, 8), block(8, 4)
            self.pool, self.up = nn.MaxPool2d(2), nn.ConvTranspose2d(8, 4, 2, stride=2)
            self.ups = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
            self.out = nn.Conv2d(4, 1, 1)

        def forward(self, x):
            a = self.d1(x)
            b = self.d2(self.pool(a))
            u = self.up(b, output_size=a.shape[-2:]) + self.ups(b)[:, :4]
            return self.out(self.u1(torch.cat([a, u], 1)))

    m = UNet()
    # SGD: the conv-transpose bias has no gradient through the instance norms (Adam would
    # scale rounding noise up to its learning rate)
    opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
    x, y = torch.rand(2, 1, 8, 8), (torch.rand(2, 1, 8, 8) > 0.5).float()
    for _ in range(2):
        opt.zero_grad()
        logits = m(x)
        p = torch.sigmoid(logits)
        dice = 1 - (2 * (p * y).sum() + 1) / (p.sum() + y.sum() + 1)
        loss = F.binary_cross_entropy_with_logits(logits, y) + dice
        loss.backward()
        opt.step()
    m.eval()
    return loss, m(x), m.d1[1].running_mean, F.interpolate(x, size=(5, 5), mode="bicubic")


@program(tol=TOL)
def text_classifier_padded_batches(torch):
    nn, R = torch.nn, torch.nn.utils.rnn
    data = [(torch.randint(1, 20, (n,)), n % 3) for n in (5, 2, 7, 3, 4, 6)]

    def collate(batch, pad):
        xs, ys = zip(*batch)
        lengths = torch.tensor([len(x) for x in xs])
        return R.pad_sequence(xs, batch_first=True, padding_value=pad), lengths, torch.tensor(ys)

    collate_fn = functools.partial(collate, pad=0)
    dl = torch.utils.data.DataLoader(data, batch_size=3, shuffle=True, collate_fn=collate_fn)

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(20, 6, padding_idx=0)
            self.lstm = nn.LSTM(6, 5, batch_first=True, bidirectional=True)
            self.fc = nn.Linear(10, 3)

        def forward(self, x, lengths):
            packed = R.pack_padded_sequence(
                self.emb(x), lengths, batch_first=True, enforce_sorted=False
            )
            _, (h, _) = self.lstm(packed)
            return self.fc(torch.cat([h[-2], h[-1]], 1))

    m = Classifier()
    opt = torch.optim.RMSprop(m.parameters(), lr=1e-2)
    out = []
    for _ in range(2):
        for x, lengths, y in dl:
            opt.zero_grad()
            loss = nn.functional.cross_entropy(m(x, lengths), y)
            loss.backward()
            nn.utils.clip_grad_norm_(m.parameters(), 1.0)
            opt.step()
            out.append((x, loss))
    return out, m.emb.weight[0], m.emb.weight.grad[0]


@program(tol=TOL)
def maml_second_order_inner_loop(torch):
    nn, F = torch.nn, torch.nn.functional
    model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
    meta_opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    out = []
    for _ in range(2):
        meta_opt.zero_grad()
        meta_loss = 0
        for _task in range(2):
            amp, phase = torch.rand(1) * 2 + 0.5, torch.rand(1) * 3
            xs, xq = torch.rand(5, 1) * 10 - 5, torch.rand(5, 1) * 10 - 5
            ys, yq = amp * torch.sin(xs + phase), amp * torch.sin(xq + phase)
            params = dict(model.named_parameters())
            for _step in range(2):
                loss = F.mse_loss(torch.func.functional_call(model, params, (xs,)), ys)
                grads = torch.autograd.grad(loss, list(params.values()), create_graph=True)
                params = {k: v - 0.01 * g for (k, v), g in zip(params.items(), grads)}
            query = torch.func.functional_call(model, params, (xq,))
            meta_loss = meta_loss + F.mse_loss(query, yq)
        meta_loss.backward()
        meta_opt.step()
        out.append((meta_loss, [p.grad for p in model.parameters()]))
    return out


@program(tol=TOL)
def wgan_gradient_penalty(torch):
    nn = torch.nn
    critic = nn.Sequential(nn.Linear(3, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))
    opt = torch.optim.Adam(critic.parameters(), lr=1e-4, betas=(0.0, 0.9))
    real, fake = torch.randn(4, 3), torch.randn(4, 3)
    for _ in range(2):
        alpha = torch.rand(4, 1)
        interp = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
        d = critic(interp)
        (g,) = torch.autograd.grad(
            d, interp, grad_outputs=torch.ones_like(d), create_graph=True, retain_graph=True
        )
        gp = ((g.norm(2, dim=1) - 1) ** 2).mean()
        loss = critic(fake).mean() - critic(real).mean() + 10 * gp
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss, gp, list(critic.parameters())


@program(tol=TOL)
def checkpointed_block_with_dropout(torch):
    cp = torch.utils.checkpoint
    block = torch.nn.Sequential(
        torch.nn.Linear(4, 8), torch.nn.Dropout(0.5), torch.nn.GELU(), torch.nn.Linear(8, 4)
    )
    x = torch.randn(3, 4, requires_grad=True)
    out = []
    for reentrant in (False, True):
        y = cp.checkpoint(block, x, use_reentrant=reentrant)
        y.pow(2).sum().backward()
        out.append((y, x.grad.clone(), block[0].weight.grad.clone()))
        x.grad = None
        block.zero_grad()
    y = cp.checkpoint_sequential(block, 2, x, use_reentrant=False)
    y.sum().backward()
    return out, y, x.grad


# ---- mistakes users make in training loops: PyTorch's errors --------------------------------
def _mistake(name: str, exc: type, match: str, fn) -> None:
    """Registers ``fn(torch)`` as an error program named ``name``."""

    def prog(torch):
        fn(torch)

    prog.__name__ = name
    SWEEP.program(raises=match, error=exc)(prog)


def _backward_twice(t):
    loss = t.nn.Linear(2, 1)(t.ones(1, 2)).exp().sum()
    loss.backward()
    loss.backward()


def _scaler_step_without_backward(t):
    m = t.nn.Linear(1, 1)
    scaler = t.amp.GradScaler("cpu")
    scaler.scale(m(t.ones(1, 1)).sum())
    scaler.step(t.optim.SGD(m.parameters(), lr=0.1))


for _name, _exc, _match, _fn in [
    ("backward_twice", RuntimeError, r"Trying to backward through the graph a second time",
     _backward_twice),
    ("class_index_out_of_bounds", IndexError, r"Target 5 is out of bounds",
     lambda t: t.nn.functional.cross_entropy(t.randn(2, 3), t.tensor([0, 5]))),
    ("linear_in_features", RuntimeError, r"mat1 and mat2 shapes cannot be multiplied \(4x3 and 5x2\)",
     lambda t: t.nn.Linear(5, 2)(t.randn(4, 3))),
    ("linear_float64_input", RuntimeError,
     r"mat1 and mat2 must have the same dtype, but got Double and Float",
     lambda t: t.nn.Linear(2, 1)(t.ones(1, 2, dtype=t.float64))),
    ("item_of_a_batch", RuntimeError, r"a Tensor with 6 elements cannot be converted to Scalar",
     lambda t: t.ones(6).item()),
    ("numpy_of_a_parameter", RuntimeError, r"Can't call numpy\(\) on Tensor that requires grad",
     lambda t: t.nn.Linear(2, 1).weight.numpy()),
    ("conv2d_unbatched_2d", RuntimeError,
     r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: \[2, 3\]",
     lambda t: t.nn.Conv2d(1, 1, 1)(t.ones(2, 3))),
    ("conv2d_channels", RuntimeError,
     r"expected input\[1, 2, 5, 5\] to have 3 channels, but got 2 channels instead",
     lambda t: t.nn.Conv2d(3, 4, 3)(t.ones(1, 2, 5, 5))),
    ("batchnorm_batch_of_one", ValueError, r"Expected more than 1 value per channel when training",
     lambda t: t.nn.BatchNorm1d(4)(t.ones(1, 4))),
    ("embedding_index_out_of_range", IndexError, r"index out of range in self",
     lambda t: t.nn.Embedding(3, 2)(t.tensor([3]))),
    ("lstm_input_size", RuntimeError, r"input.size\(-1\) must be equal to input_size. Expected 5, got 3",
     lambda t: t.nn.LSTM(5, 2)(t.ones(2, 1, 3))),
    ("nll_float_targets", RuntimeError, r"expected target dtype to be Long or Byte, but got Float",
     lambda t: t.nn.functional.nll_loss(t.randn(2, 3), t.tensor([0.0, 1.0]))),
    ("cross_entropy_batch_sizes", ValueError,
     r"Expected input batch_size \(3\) to match target batch_size \(2\)",
     lambda t: t.nn.functional.cross_entropy(t.randn(3, 4), t.zeros(2, dtype=t.long))),
    ("bce_outside_0_1", RuntimeError, r"all elements of input should be between 0 and 1",
     lambda t: t.nn.functional.binary_cross_entropy(t.tensor([1.5]), t.tensor([1.0]))),
    ("collate_unequal_samples", RuntimeError,
     r"stack expects each tensor to be equal size, but got \[3\] at entry 0 and \[2\] at entry 1",
     lambda t: list(t.utils.data.DataLoader([t.ones(3), t.ones(2)], batch_size=2))),
    ("view_after_transpose", RuntimeError, r"view size is not compatible with input tensor's size",
     lambda t: t.ones(2, 3).t().view(6)),
    ("empty_parameter_list", ValueError, r"optimizer got an empty parameter list",
     lambda t: t.optim.SGD([], lr=0.1)),
    ("plateau_step_without_metric", TypeError, r"missing 1 required positional argument: 'metrics'",
     lambda t: t.optim.lr_scheduler.ReduceLROnPlateau(t.optim.SGD([t.ones(1)], lr=0.1)).step()),
    ("onecycle_without_length", ValueError,
     r"You must define either total_steps OR \(epochs AND steps_per_epoch\)",
     lambda t: t.optim.lr_scheduler.OneCycleLR(t.optim.SGD([t.ones(1)], lr=0.1), 0.1)),
    ("load_optimizer_of_another_model", ValueError,
     r"loaded state dict contains a parameter group that doesn't match the size",
     lambda t: t.optim.SGD([t.ones(1)], lr=0.1).load_state_dict(
         t.optim.SGD([t.ones(1), t.ones(1)], lr=0.1).state_dict())),
    ("scaler_step_without_backward", AssertionError, r"No inf checks were recorded for this optimizer",
     _scaler_step_without_backward),
    ("tensor_assigned_as_parameter", TypeError,
     r"cannot assign 'torch.FloatTensor' as parameter 'weight' \(torch.nn.Parameter or None expected\)",
     lambda t: setattr(t.nn.Linear(1, 1), "weight", t.ones(1, 1))),
    ("loader_persistent_workers_without_workers", ValueError,
     r"persistent_workers option needs num_workers > 0",
     lambda t: t.utils.data.DataLoader(range(3), persistent_workers=True)),
    ("random_split_lengths", ValueError, r"Sum of input lengths does not equal the length",
     lambda t: t.utils.data.random_split(range(5), [0.5, 0.6])),
]:  # fmt: skip
    _mistake(_name, _exc, _match, _fn)


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
