"""Session 8 compatibility sweep of training-loop idioms: gradient accumulation with GradScaler,
hand-written and AveragedModel EMA, freezing, layer-wise learning rates, warmup schedules,
clipping, early stopping and checkpoint resume, seeded data loading, determinism switches,
train/eval toggling, inference mode and metric idioms, run with PyTorch (the oracle) and
minitorch from the same seed."""

from __future__ import annotations

import copy
import io
import math
import random

import numpy as np
import pytest
from sweep_harness import Sweep

SWEEP = Sweep(float64={"rtol": 1e-9, "atol": 1e-11})
program = SWEEP.program
error = SWEEP.error
LOOSE = {"rtol": 1e-4, "atol": 1e-5}


test_program_matches_pytorch = SWEEP.test()


def _mlp(torch, n_in=4, hidden=8, n_out=3):
    return torch.nn.Sequential(
        torch.nn.Linear(n_in, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, n_out)
    )


def _data(torch, n=16, n_in=4, classes=3):
    x = torch.randn(n, n_in)
    y = torch.randint(0, classes, (n,))
    return x, y


def _params(model):
    return [p.detach().clone() for p in model.parameters()]


# ---- gradient accumulation and scalers -------------------------------------------------------
@program
def accumulation_every_k_steps(torch):
    model = _mlp(torch)
    x, y = _data(torch, 24)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    accum, losses = 3, []
    for i, (xb, yb) in enumerate(zip(x.split(4), y.split(4))):
        loss = torch.nn.functional.cross_entropy(model(xb), yb) / accum
        loss.backward()
        losses.append(loss.item())
        if (i + 1) % accum == 0:
            opt.step()
            opt.zero_grad(set_to_none=True)
    return losses, _params(model), [p.grad for p in model.parameters()]


@program
def scaler_cpu_accumulate_unscale_clip(torch):
    model = _mlp(torch)
    x, y = _data(torch, 16)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0**8, growth_interval=2)
    norms, scales = [], []
    for _ in range(4):
        for xb, yb in zip(x.split(8), y.split(8)):
            loss = torch.nn.functional.cross_entropy(model(xb), yb) / 2
            scaler.scale(loss).backward()
        scaler.unscale_(opt)
        norms.append(torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5))
        scaler.step(opt)
        scaler.update()
        scales.append(scaler.get_scale())
        opt.zero_grad()
    return norms, scales, _params(model), scaler.state_dict()


@program
def scaler_disabled_is_transparent(torch):
    model = _mlp(torch)
    x, y = _data(torch)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = torch.amp.GradScaler("cpu", enabled=False)
    loss = torch.nn.functional.cross_entropy(model(x), y)
    scaled = scaler.scale(loss)
    scaled.backward()
    scaler.unscale_(opt)
    out = scaler.step(opt)
    scaler.update()
    return (scaled is loss, scaler.get_scale(), scaler.is_enabled(), out is None,
            scaler.state_dict(), _params(model))  # fmt: skip


@program
def scaler_skips_inf_step_and_backs_off(torch):
    model = torch.nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = torch.amp.GradScaler("cpu", init_scale=4.0)
    before = _params(model)
    loss = model(torch.tensor([[1.0, float("inf"), 2.0]])).sum()
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
    return before, _params(model), scaler.get_scale(), scaler._get_growth_tracker()


@program
def scaler_state_dict_round_trip(torch):
    a = torch.amp.GradScaler("cpu", init_scale=16.0, growth_factor=3.0, backoff_factor=0.25)
    b = torch.amp.GradScaler("cpu")
    b.load_state_dict(a.state_dict())
    return b.state_dict(), b.get_scale(), b.get_growth_factor(), b.get_backoff_factor()


# ---- EMA ------------------------------------------------------------------------------------
@program
def ema_by_hand(torch):
    model = _mlp(torch)
    ema = copy.deepcopy(model)
    for p in ema.parameters():
        p.requires_grad_(False)
    x, y = _data(torch)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    d = 0.9
    for _ in range(3):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
        with torch.no_grad():
            for p_ema, p in zip(ema.parameters(), model.parameters()):
                p_ema.mul_(d).add_(p, alpha=1 - d)
    return _params(ema), [p.requires_grad for p in ema.parameters()], ema(x)


@program
def averaged_model_ema_multi_avg_fn(torch):
    from_swa = torch.optim.swa_utils
    model = _mlp(torch)
    ema = from_swa.AveragedModel(model, multi_avg_fn=from_swa.get_ema_multi_avg_fn(0.8))
    x, y = _data(torch)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
        ema.update_parameters(model)
    return list(ema.state_dict().keys()), list(ema.state_dict().values()), ema(x)


@program
def averaged_model_ema_avg_fn_with_buffers(torch):
    swa = torch.optim.swa_utils
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    ema = swa.AveragedModel(model, avg_fn=swa.get_ema_avg_fn(0.5), use_buffers=True)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        x = torch.randn(8, 3)
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        opt.step()
        ema.update_parameters(model)
    return ema.n_averaged, list(ema.module.state_dict().values())


@program
def swa_with_update_bn(torch):
    swa = torch.optim.swa_utils
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU())
    avg = swa.AveragedModel(model)
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    sched = swa.SWALR(opt, swa_lr=0.01, anneal_epochs=2)
    data = torch.randn(12, 3)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(data), batch_size=4)
    lrs = []
    for _ in range(3):
        for (xb,) in loader:
            opt.zero_grad()
            model(xb).sum().backward()
            opt.step()
        avg.update_parameters(model)
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    swa.update_bn(loader, avg)
    avg.eval()
    return lrs, list(avg.module.state_dict().values()), avg(data)


# ---- freezing and parameter groups ----------------------------------------------------------
@program
def freeze_first_layer_filter_params(torch):
    model = _mlp(torch)
    for p in model[0].parameters():
        p.requires_grad_(False)
    opt = torch.optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.1)
    x, y = _data(torch)
    for _ in range(2):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    return _params(model), [p.grad for p in model.parameters()], trainable, total, len(opt.param_groups[0]["params"])  # fmt: skip


@program
def unfreeze_midway_and_add_param_group(torch):
    model = _mlp(torch)
    model[0].requires_grad_(False)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-2)
    x, y = _data(torch)
    for step in range(4):
        if step == 2:
            model[0].requires_grad_(True)
            opt.add_param_group({"params": model[0].parameters(), "lr": 1e-3})
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    return _params(model), [g["lr"] for g in opt.param_groups], len(opt.state)


@program
def grad_set_to_none_skips_param(torch):
    model = _mlp(torch)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-2)
    x, y = _data(torch)
    for _ in range(3):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        model[2].bias.grad = None
        opt.step()
    return _params(model), "momentum_buffer" in opt.state[model[2].bias]


@program
def layerwise_lr_groups_and_manual_lr(torch):
    model = _mlp(torch)
    opt = torch.optim.SGD(
        [{"params": model[0].parameters(), "lr": 1e-3},
         {"params": model[2].parameters()}],
        lr=1e-1, momentum=0.9, nesterov=True,
    )  # fmt: skip
    x, y = _data(torch)
    for epoch in range(4):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
        if epoch == 1:
            for g in opt.param_groups:
                g["lr"] *= 0.5
    return _params(model), [g["lr"] for g in opt.param_groups], opt.state_dict()["param_groups"]


@program
def no_decay_for_bias_and_norm(torch):
    model = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.LayerNorm(6), torch.nn.Linear(6, 2))
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if p.ndim < 2 or "bias" in name else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                             {"params": no_decay, "weight_decay": 0.0}], lr=1e-2)  # fmt: skip
    x = torch.randn(5, 4)
    for _ in range(3):
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        opt.step()
    return _params(model), len(decay), len(no_decay)


# ---- schedules ------------------------------------------------------------------------------
@program
def warmup_lambda_then_cosine_sequential(torch):
    p = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD([p], lr=0.1)
    warm = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / 3)
    cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=5, eta_min=1e-3)
    sched = torch.optim.lr_scheduler.SequentialLR(opt, [warm, cos], milestones=[3])
    lrs = []
    for _ in range(9):
        opt.zero_grad()
        (p * p).sum().backward()
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    return lrs, p, sched.state_dict()["_last_lr"]


@program
def warmup_linear_then_cosine_per_batch(torch):
    model = torch.nn.Linear(2, 1)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    total, warm = 10, 3

    def lr_lambda(step):
        if step < warm:
            return float(step + 1) / warm
        progress = (step - warm) / max(1, total - warm)
        return 0.5 * (1.0 + math.cos(math.pi * progress))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda)
    x = torch.randn(4, 2)
    lrs = []
    for _ in range(total):
        opt.zero_grad()
        model(x).pow(2).sum().backward()
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs, _params(model)


@program
def linear_warmup_sequential_with_chained_state(torch):
    p = torch.nn.Parameter(torch.ones(1))
    opt = torch.optim.SGD([p], lr=1.0)
    s1 = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=2)
    s2 = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2)
    sched = torch.optim.lr_scheduler.SequentialLR(opt, [s1, s2], milestones=[2])
    lrs = []
    for _ in range(8):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    state = sched.state_dict()
    return lrs, state["last_epoch"], state["_milestones"], len(state["_schedulers"])


# ---- clipping -------------------------------------------------------------------------------
@program
def clip_norm_foreach_error_if_nonfinite_ok(torch):
    model = _mlp(torch)
    x, y = _data(torch)
    torch.nn.functional.cross_entropy(model(x), y).backward()
    n = torch.nn.utils.clip_grad_norm_(
        model.parameters(), 0.1, foreach=True, error_if_nonfinite=True
    )
    return n, [p.grad for p in model.parameters()]


@error(RuntimeError, r"The total norm of order 2.0 for gradients from `parameters` is non-finite")
def clip_norm_nonfinite_raises(torch):
    model = torch.nn.Linear(2, 1)
    model(torch.tensor([[float("nan"), 1.0]])).sum().backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0, foreach=True, error_if_nonfinite=True)


@program
def clip_norm_inf_type_and_value(torch):
    model = _mlp(torch)
    x, y = _data(torch)
    torch.nn.functional.cross_entropy(model(x), y).backward()
    n_inf = torch.nn.utils.clip_grad_norm_(model.parameters(), 0.05, norm_type="inf")
    torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=0.01)
    return n_inf, [p.grad for p in model.parameters()]


@program
def clip_norm_float64_model(torch):
    model = _mlp(torch).double()
    x, y = torch.randn(16, 4, dtype=torch.float64), torch.randint(0, 3, (16,))
    torch.nn.functional.cross_entropy(model(x), y).backward()
    n = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.2, norm_type=1)
    return n, [p.grad for p in model.parameters()]


@program
def clip_value_foreach(torch):
    model = _mlp(torch)
    x, y = _data(torch)
    torch.nn.functional.cross_entropy(model(x), y).backward()
    out = torch.nn.utils.clip_grad_value_(model.parameters(), 0.02, foreach=True)
    return out, [p.grad for p in model.parameters()]


# ---- early stopping and checkpoints ---------------------------------------------------------
@program
def early_stopping_deepcopy_state_dict(torch):
    model = _mlp(torch)
    x, y = _data(torch)
    opt = torch.optim.SGD(model.parameters(), lr=2.0)
    best, best_state, bad = float("inf"), None, 0
    history = []
    for epoch in range(8):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        with torch.no_grad():
            val = torch.nn.functional.cross_entropy(model(x), y).item()
        history.append(val)
        stopped_at = epoch
        if val < best:
            best, best_state, bad = val, copy.deepcopy(model.state_dict()), 0
        else:
            bad += 1
            if bad >= 2:
                break
    model.load_state_dict(best_state)
    with torch.no_grad():
        final = torch.nn.functional.cross_entropy(model(x), y).item()
    return history, best, final, stopped_at


@program
def checkpoint_resume_same_numbers(torch):
    def make():
        model = _mlp(torch)
        opt = torch.optim.Adam(model.parameters(), lr=1e-2)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
        scaler = torch.amp.GradScaler("cpu", init_scale=64.0)
        return model, opt, sched, scaler

    def train(model, opt, sched, scaler, x, y, steps):
        out = []
        for _ in range(steps):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x), y)
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()
            sched.step()
            out.append(loss.item())
        return out

    x, y = _data(torch)
    torch.manual_seed(1)
    model, opt, sched, scaler = make()
    first = train(model, opt, sched, scaler, x, y, 3)
    buf = io.BytesIO()
    torch.save({"epoch": 3, "model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "scaler": scaler.state_dict(),
                "best": 0.5}, buf)  # fmt: skip
    cont = train(model, opt, sched, scaler, x, y, 3)
    buf.seek(0)
    ck = torch.load(buf, weights_only=True)
    torch.manual_seed(2)
    model2, opt2, sched2, scaler2 = make()
    model2.load_state_dict(ck["model"])
    opt2.load_state_dict(ck["optimizer"])
    sched2.load_state_dict(ck["scheduler"])
    scaler2.load_state_dict(ck["scaler"])
    resumed = train(model2, opt2, sched2, scaler2, x, y, 3)
    return first, cont, resumed, ck["epoch"], sorted(ck), _params(model2), sched2.get_last_lr()


@program
def checkpoint_file_best_model(torch, tmp=None):
    import os
    import tempfile

    model = _mlp(torch)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "best.pt")
        torch.save(model.state_dict(), path)
        with torch.no_grad():
            for p in model.parameters():
                p.zero_()
        state = torch.load(path, map_location="cpu", weights_only=True)
        res = model.load_state_dict(state)
    return _params(model), list(res.missing_keys), list(res.unexpected_keys), str(res)


# ---- reproducibility and data ---------------------------------------------------------------
@program
def seed_everything(torch):
    def run():
        random.seed(0)
        np.random.seed(0)
        torch.manual_seed(0)
        model = _mlp(torch)
        perm = torch.randperm(10)
        return _params(model), perm, random.random(), float(np.random.rand())

    a, b = run(), run()
    return a, b


@program
def loader_generator_shuffle_drop_last(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(10.0).unsqueeze(1), torch.arange(10))
    g = torch.Generator().manual_seed(42)
    loader = torch.utils.data.DataLoader(ds, batch_size=3, shuffle=True, drop_last=True,
                                         generator=g, pin_memory=True)  # fmt: skip
    epochs = []
    for _ in range(2):
        epochs.append([(xb, yb) for xb, yb in loader])
    return epochs, len(loader)


@program
def loader_worker_init_fn_persistent(torch):
    def seed_worker(worker_id):
        worker_seed = torch.initial_seed() % 2**32
        np.random.seed(worker_seed)
        random.seed(worker_seed)

    ds = torch.utils.data.TensorDataset(torch.arange(8.0))
    g = torch.Generator()
    g.manual_seed(0)
    loader = torch.utils.data.DataLoader(ds, batch_size=2, shuffle=True, num_workers=0,
                                         worker_init_fn=seed_worker, generator=g)  # fmt: skip
    return [b for (b,) in loader], [b for (b,) in loader]


@program
def to_device_non_blocking(torch):
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    x = torch.randn(3, 2).to(device, non_blocking=True)
    model = _mlp(torch, 2, 4, 2).to(device)
    y = torch.tensor([0, 1, 1]).to(device=device, non_blocking=True)
    loss = torch.nn.functional.cross_entropy(model(x), y)
    return loss, x.device, y.device, model[0].weight.device


@program
def determinism_switches(torch):
    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.deterministic = True
    torch.use_deterministic_algorithms(True, warn_only=True)
    on = torch.are_deterministic_algorithms_enabled()
    warn = torch.is_deterministic_algorithms_warn_only_enabled()
    torch.use_deterministic_algorithms(False)
    torch.set_float32_matmul_precision("high")
    prec = torch.get_float32_matmul_precision()
    torch.set_float32_matmul_precision("highest")
    return on, warn, torch.are_deterministic_algorithms_enabled(), prec, torch.backends.cudnn.deterministic  # fmt: skip


@program
def matmul_precision_unknown_value_changes_nothing(torch):
    torch.set_float32_matmul_precision("medium")
    torch.set_float32_matmul_precision("fastest")
    prec = torch.get_float32_matmul_precision()
    torch.set_float32_matmul_precision("highest")
    return prec


@program
def detect_anomaly_training_step(torch):
    model = _mlp(torch)
    x, y = _data(torch)
    torch.autograd.set_detect_anomaly(True)
    try:
        on = torch.is_anomaly_enabled()
        torch.nn.functional.cross_entropy(model(x), y).backward()
    finally:
        torch.autograd.set_detect_anomaly(False)
    with torch.autograd.detect_anomaly(check_nan=False):
        inner = torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()
    return on, inner, torch.is_anomaly_enabled(), [p.grad for p in model.parameters()]


@error(RuntimeError, r"returned nan values in its 0th output")
def detect_anomaly_nan_raises(torch):
    x = torch.tensor([-1.0], requires_grad=True)
    with torch.autograd.detect_anomaly():
        torch.sqrt(x).sum().backward()


# ---- train / eval ---------------------------------------------------------------------------
@program
def train_eval_toggle_dropout_bn(torch):
    model = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.BatchNorm1d(6),
                                torch.nn.ReLU(), torch.nn.Dropout(0.5), torch.nn.Linear(6, 2))  # fmt: skip
    x = torch.randn(8, 4)
    model.train()
    a = model(x)
    model.eval()
    b = model(x)
    c = model(x)
    model.train()
    d = model(x)
    return a, b, c, d, model[1].running_mean, model[1].num_batches_tracked, [m.training for m in model]  # fmt: skip


@program
def eval_loop_no_grad_metrics(torch):
    model = _mlp(torch)
    x, y = _data(torch, 20)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=6)
    model.eval()
    correct, total, loss_sum = 0, 0, 0.0
    with torch.no_grad():
        for xb, yb in loader:
            out = model(xb)
            loss_sum += torch.nn.functional.cross_entropy(out, yb, reduction="sum").item()
            correct += (out.argmax(1) == yb).sum().item()
            total += yb.size(0)
    acc = (model(x).argmax(dim=1) == y).float().mean().item()
    return correct, total, loss_sum / total, acc, correct / total


@program
def inference_mode_eval_and_afterwards(torch):
    model = _mlp(torch)
    x, _ = _data(torch)
    with torch.inference_mode():
        out = model(x)
        inside = torch.is_inference_mode_enabled()
    probs = out.softmax(-1)
    return out, probs, out.is_inference(), probs.is_inference(), inside, out.requires_grad


@error(RuntimeError, r"Inference tensors cannot be saved for backward")
def inference_tensor_in_autograd_raises(torch):
    model = _mlp(torch)
    x, _ = _data(torch)
    with torch.inference_mode():
        feats = model(x)
    head = torch.nn.Linear(3, 1)
    head(feats).sum().backward()


@error(RuntimeError, r"Inplace update to inference tensor outside InferenceMode")
def inference_tensor_inplace_outside_raises(torch):
    with torch.inference_mode():
        t = torch.ones(3)
    t.add_(1)


@program
def inference_tensor_clone_then_train(torch):
    with torch.inference_mode():
        feats = torch.randn(4, 3) * 2
    feats = feats.clone()
    head = torch.nn.Linear(3, 1)
    head(feats).sum().backward()
    return feats.is_inference(), head.weight.grad, head.bias.grad


@program
def inference_mode_decorator_and_disabled(torch):
    @torch.inference_mode()
    def predict(m, x):
        return m(x)

    model = _mlp(torch)
    x, _ = _data(torch)
    a = predict(model, x)
    with torch.inference_mode(mode=False):
        b = model(x)
    return a.is_inference(), b.is_inference(), b.requires_grad, a


# ---- parameter utilities --------------------------------------------------------------------
@program
def parameters_to_vector_and_back(torch):
    model = _mlp(torch)
    vec = torch.nn.utils.parameters_to_vector(model.parameters())
    torch.nn.utils.vector_to_parameters(vec * 2, model.parameters())
    n = sum(p.numel() for p in model.parameters())
    return vec, n, _params(model), vec.requires_grad, vec.grad_fn is not None


@program
def grad_vector_and_param_count_by_name(torch):
    model = _mlp(torch)
    x, y = _data(torch)
    torch.nn.functional.cross_entropy(model(x), y).backward()
    g = torch.nn.utils.parameters_to_vector(p.grad for p in model.parameters())
    counts = {n: p.numel() for n, p in model.named_parameters()}
    return g, counts, f"{sum(counts.values()):,}"


@program
def grad_norm_logging(torch):
    model = _mlp(torch)
    x, y = _data(torch)
    torch.nn.functional.cross_entropy(model(x), y).backward()
    total = torch.norm(torch.stack([p.grad.detach().norm(2) for p in model.parameters()]), 2)
    per = {n: p.grad.norm().item() for n, p in model.named_parameters()}
    return total.item(), per, torch.nn.utils.get_total_norm([p.grad for p in model.parameters()])


# ---- batch 2: tutorial loops, metrics, RNG state in checkpoints -----------------------------
@program
def transfer_learning_phase_loop(torch):
    model = _mlp(torch)
    x, y = _data(torch, 12)
    loaders = {
        phase: torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=5)
        for phase in ("train", "val")
    }
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.1)
    log = []
    for _ in range(2):
        for phase in ("train", "val"):
            model.train() if phase == "train" else model.eval()
            running_loss, running_corrects = 0.0, 0
            for inputs, labels in loaders[phase]:
                opt.zero_grad()
                with torch.set_grad_enabled(phase == "train"):
                    outputs = model(inputs)
                    _, preds = torch.max(outputs, 1)
                    loss = torch.nn.functional.cross_entropy(outputs, labels)
                    if phase == "train":
                        loss.backward()
                        opt.step()
                running_loss += loss.item() * inputs.size(0)
                running_corrects += torch.sum(preds == labels.data)
            if phase == "train":
                sched.step()
            epoch_acc = running_corrects.double() / len(loaders[phase].dataset)
            log.append((running_loss / len(loaders[phase].dataset), epoch_acc, running_corrects))
    return log, _params(model)


@program
def imagenet_topk_accuracy(torch):
    output = torch.randn(10, 6)
    target = torch.randint(0, 6, (10,))
    with torch.no_grad():
        maxk, batch_size = 3, target.size(0)
        _, pred = output.topk(maxk, 1, True, True)
        pred = pred.t()
        correct = pred.eq(target.view(1, -1).expand_as(pred))
        res = []
        for k in (1, 3):
            correct_k = correct[:k].reshape(-1).float().sum(0, keepdim=True)
            res.append(correct_k.mul_(100.0 / batch_size))
    return res, pred, correct


@program
def confusion_matrix_bincount(torch):
    n = 4
    y = torch.randint(0, n, (30,))
    pred = torch.randint(0, n, (30,))
    cm = torch.bincount(y * n + pred, minlength=n * n).reshape(n, n)
    recall = cm.diag() / cm.sum(1).clamp(min=1)
    precision = cm.diag().float() / cm.sum(0).float()
    return cm, recall, precision, cm.trace().item() / cm.sum().item()


@program
def loss_formatting_and_tolist(torch):
    model = _mlp(torch)
    x, y = _data(torch)
    loss = torch.nn.functional.cross_entropy(model(x), y)
    preds = model(x).argmax(-1)
    return (f"{loss:.4f}", f"loss={loss.item():.6f}", preds.tolist(), preds.cpu().numpy(),
            f"{(preds == y).float().mean():.3f}", "%.3f" % loss)  # noqa: UP031  # fmt: skip


@program
def zero_grad_default_and_keep(torch):
    model = _mlp(torch)
    x, y = _data(torch)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    torch.nn.functional.cross_entropy(model(x), y).backward()
    opt.zero_grad()
    none = [p.grad for p in model.parameters()]
    torch.nn.functional.cross_entropy(model(x), y).backward()
    opt.zero_grad(set_to_none=False)
    zeros = [p.grad for p in model.parameters()]
    model.zero_grad()
    return none, zeros, [p.grad for p in model.parameters()]


@program
def retain_graph_twice_accumulates(torch):
    model = _mlp(torch)
    x, y = _data(torch)
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward(retain_graph=True)
    once = [p.grad.clone() for p in model.parameters()]
    loss.backward()
    return once, [p.grad for p in model.parameters()]


@error(RuntimeError, r"element 0 of tensors does not require grad and does not have a grad_fn")
def everything_frozen_backward_raises(torch):
    model = _mlp(torch)
    model.requires_grad_(False)
    x, y = _data(torch)
    torch.nn.functional.cross_entropy(model(x), y).backward()


@error(RuntimeError, r"you can only change requires_grad flags of leaf variables")
def requires_grad_false_on_non_leaf_raises(torch):
    model = _mlp(torch)
    out = model(torch.randn(2, 4))
    out.requires_grad_(False)


@program
def fine_tune_new_head(torch):
    model = _mlp(torch)
    for p in model.parameters():
        p.requires_grad = False
    model[2] = torch.nn.Linear(8, 5)
    opt = torch.optim.SGD(model[2].parameters(), lr=0.1, momentum=0.9)
    x = torch.randn(6, 4)
    y = torch.randint(0, 5, (6,))
    for _ in range(3):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    return _params(model), [p.requires_grad for p in model.parameters()], model[0].weight.grad


@program
def frozen_batchnorm_via_apply(torch):
    model = torch.nn.Sequential(
        torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 1)
    )
    model.train()

    def freeze_bn(m):
        if isinstance(m, torch.nn.BatchNorm1d):
            m.eval()
            m.weight.requires_grad_(False)
            m.bias.requires_grad_(False)

    model.apply(freeze_bn)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=0.01)
    x = torch.randn(5, 3)
    for _ in range(2):
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        opt.step()
    return _params(model), model[1].running_mean, model[1].num_batches_tracked, model.training, model[1].training  # fmt: skip


@program
def foreach_lerp_ema_like_timm(torch):
    model = _mlp(torch)
    ema = copy.deepcopy(model).eval().requires_grad_(False)
    x, y = _data(torch)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(3):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
        with torch.no_grad():
            ema_p = list(ema.parameters())
            torch._foreach_lerp_(ema_p, list(model.parameters()), weight=1.0 - 0.95)
    with torch.no_grad():
        ema_p2 = [p.clone() for p in ema.parameters()]
        torch._foreach_mul_(ema_p2, 0.5)
        torch._foreach_add_(ema_p2, list(model.parameters()), alpha=0.5)
    return _params(ema), ema_p2


@program
def averaged_model_default_equal_average(torch):
    swa = torch.optim.swa_utils
    model = _mlp(torch)
    avg = swa.AveragedModel(model)
    x, y = _data(torch)
    opt = torch.optim.SGD(model.parameters(), lr=0.3)
    sched = swa.SWALR(opt, swa_lr=0.05, anneal_epochs=3, anneal_strategy="linear")
    lrs = []
    for _ in range(4):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
        avg.update_parameters(model)
        sched.step()
        lrs.append(sched.get_last_lr())
    return lrs, avg.n_averaged, _params(avg.module), list(avg.state_dict())


@program
def rng_state_in_checkpoint_restores_dropout(torch):
    drop = torch.nn.Dropout(0.5)
    x = torch.ones(12)
    state = torch.get_rng_state()
    a = drop(x)
    buf = io.BytesIO()
    torch.save({"rng": state, "py": random.getstate()}, buf)
    buf.seek(0)
    ck = torch.load(buf, weights_only=True)
    torch.set_rng_state(ck["rng"])
    b = drop(x)
    return a, b, ck["rng"].dtype, ck["rng"].shape, type(ck["py"]).__name__


@error(Exception, r"Weights only load failed")
def numpy_rng_state_weights_only_fails(torch):
    buf = io.BytesIO()
    torch.save({"np": np.random.get_state()}, buf)
    buf.seek(0)
    torch.load(buf, weights_only=True)


@error(Exception, r"Weights only load failed")
def whole_model_load_default_weights_only_fails(torch):
    buf = io.BytesIO()
    torch.save(torch.nn.Linear(2, 2), buf)
    buf.seek(0)
    torch.load(buf)


@program
def whole_model_load_weights_only_false(torch):
    buf = io.BytesIO()
    model = _mlp(torch)
    torch.save(model, buf)
    buf.seek(0)
    m2 = torch.load(buf, weights_only=False)
    return type(m2).__name__, _params(m2), m2(torch.ones(1, 4))


@program
def fork_rng_keeps_global_stream(torch):
    with torch.random.fork_rng():
        torch.manual_seed(123)
        inner = torch.rand(3)
    outer = torch.rand(3)
    torch.manual_seed(0)
    return inner, outer, torch.rand(3)


@program
def generator_state_resume_shuffle(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(9))
    g = torch.Generator().manual_seed(7)
    loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True, generator=g)
    first = [b for (b,) in loader]
    state = g.get_state()
    second = [b for (b,) in loader]
    g.set_state(state)
    again = [b for (b,) in loader]
    return first, second, again, g.initial_seed()


@program
def subset_random_sampler_train_val(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(20.0), torch.arange(20))
    idx = list(range(20))
    np.random.seed(0)
    np.random.shuffle(idx)
    g = torch.Generator().manual_seed(3)
    train = torch.utils.data.DataLoader(
        ds, batch_size=4, sampler=torch.utils.data.SubsetRandomSampler(idx[:15], generator=g)
    )
    val = torch.utils.data.DataLoader(ds, batch_size=4, sampler=idx[15:])
    return [yb for _, yb in train], [yb for _, yb in val], len(train), len(val)


@program
def random_split_fractions_generator(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(10))
    tr, va = torch.utils.data.random_split(
        ds, [0.8, 0.2], generator=torch.Generator().manual_seed(42)
    )
    return list(tr.indices), list(va.indices), len(tr), [t for (t,) in torch.utils.data.DataLoader(va, batch_size=5)]  # fmt: skip


@program
def loader_attributes_and_next_iter(torch):
    ds = torch.utils.data.TensorDataset(torch.randn(10, 2), torch.arange(10))
    loader = torch.utils.data.DataLoader(ds, batch_size=4, drop_last=False, pin_memory=True,
                                         num_workers=0, persistent_workers=False)  # fmt: skip
    xb, yb = next(iter(loader))
    return len(loader), loader.batch_size, loader.drop_last, len(loader.dataset), xb, yb


@error(ValueError, r"persistent_workers option needs num_workers > 0")
def persistent_workers_without_workers_raises(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(4))
    torch.utils.data.DataLoader(ds, batch_size=2, persistent_workers=True)


@program
def multiple_optimizers_one_scaler(torch):
    gen, disc = torch.nn.Linear(2, 2), torch.nn.Linear(2, 1)
    opt_g = torch.optim.Adam(gen.parameters(), lr=1e-2)
    opt_d = torch.optim.Adam(disc.parameters(), lr=1e-2)
    scaler = torch.amp.GradScaler("cpu", init_scale=128.0, growth_interval=1)
    z = torch.randn(4, 2)
    for _ in range(3):
        opt_d.zero_grad()
        d_loss = disc(gen(z).detach()).mean()
        scaler.scale(d_loss).backward()
        scaler.step(opt_d)
        opt_g.zero_grad()
        g_loss = -disc(gen(z)).mean()
        scaler.scale(g_loss).backward()
        scaler.step(opt_g)
        scaler.update()
    return _params(gen), _params(disc), scaler.get_scale()


@program
def reduce_on_plateau_val_loss_loop(torch):
    model = _mlp(torch)
    x, y = _data(torch)
    opt = torch.optim.SGD(model.parameters(), lr=1.0)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=0)
    lrs = []
    for _ in range(5):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        with torch.no_grad():
            val = torch.nn.functional.cross_entropy(model(x), y)
        sched.step(val)
        lrs.append(sched.get_last_lr()[0])
    return lrs, sched.best, sched.num_bad_epochs, sched.state_dict()["_last_lr"]


@program
def onecycle_per_batch_with_accumulation(torch):
    model = _mlp(torch)
    x, y = _data(torch, 24)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-2, total_steps=4)
    lrs, betas = [], []
    for i, (xb, yb) in enumerate(zip(x.split(3), y.split(3))):
        (torch.nn.functional.cross_entropy(model(xb), yb) / 2).backward()
        if i % 2 == 1:
            opt.step()
            sched.step()
            opt.zero_grad()
            lrs.append(opt.param_groups[0]["lr"])
            betas.append(opt.param_groups[0]["betas"])
    return lrs, betas, _params(model)


@error(RuntimeError, r"Setting requires_grad=True on inference tensor outside InferenceMode")
def inference_tensor_requires_grad_raises(torch):
    with torch.inference_mode():
        t = torch.ones(2)
    t.requires_grad_()


@program
def inference_tensor_views_and_ops_outside(torch):
    with torch.inference_mode():
        t = torch.arange(6.0).reshape(2, 3)
    v = t.view(3, 2)
    s = t.sum(0)
    n = torch.no_grad()
    with n:
        m = t * 2
    return v, s, m, v.is_inference(), s.is_inference(), m.is_inference(), torch.is_inference(t)


@program
def no_grad_accumulated_metric_tensor(torch):
    model = _mlp(torch)
    x, y = _data(torch, 20)
    total = torch.zeros(())
    correct = torch.tensor(0)
    with torch.no_grad():
        for xb, yb in zip(x.split(6), y.split(6)):
            out = model(xb)
            total += torch.nn.functional.cross_entropy(out, yb, reduction="sum")
            correct += (out.argmax(1) == yb).sum()
    return total / len(y), correct, correct.item() / len(y), total.requires_grad


# ---- batch 3: scaler corners, determinism switches, seeds, workers, devices ------------------
@program
def scaler_scale_float64_loss_and_list(torch):
    scaler = torch.amp.GradScaler("cpu", init_scale=8.0)
    a = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    b = torch.tensor([2.0, 3.0], requires_grad=True)
    one = scaler.scale(a * 2)
    many = scaler.scale([a * 1, (b * 2, b.sum())])
    return one, many, scaler.get_scale(), scaler.state_dict()


@error(ValueError, r"Attempting to unscale FP16 gradients")
def scaler_unscale_fp16_grads_raises(torch):
    p = torch.nn.Parameter(torch.ones(2, dtype=torch.float16))
    opt = torch.optim.SGD([p], lr=0.1)
    scaler = torch.amp.GradScaler("cpu")
    scaler.scale((p.float() * 2).sum()).backward()
    scaler.unscale_(opt)


@error(RuntimeError, r"Closure use is not currently supported if GradScaler is enabled")
def scaler_step_with_closure_raises(torch):
    p = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD([p], lr=0.1)
    scaler = torch.amp.GradScaler("cpu")
    scaler.scale(p.sum()).backward()
    scaler.step(opt, closure=lambda: p.sum())


@program
def scaler_disabled_step_returns_closure_loss(torch):
    p = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
    opt = torch.optim.LBFGS([p], lr=0.5, max_iter=3)
    scaler = torch.amp.GradScaler("cpu", enabled=False)

    def closure():
        opt.zero_grad()
        loss = (p**2).sum()
        loss.backward()
        return loss

    out = scaler.step(opt, closure)
    return out, p


@error(
    RuntimeError, r"The source state dict is empty, possibly because it was saved from a disabled"
)
def scaler_load_empty_state_raises(torch):
    scaler = torch.amp.GradScaler("cpu")
    scaler.load_state_dict(torch.amp.GradScaler("cpu", enabled=False).state_dict())


@program
def scaler_fresh_state_and_new_scale(torch):
    scaler = torch.amp.GradScaler("cpu", init_scale=1024.0)
    fresh = scaler.state_dict(), scaler.get_scale(), scaler._get_growth_tracker()
    p = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD([p], lr=0.1)
    scaler.scale(p.sum()).backward()
    scaler.step(opt)
    scaler.update(new_scale=3.0)
    after = scaler.state_dict()
    scaler.scale(p.sum()).backward()
    scaler.step(opt)
    scaler.update(torch.tensor(5.0))
    return fresh, after, scaler.get_scale(), p


@program
def clip_norm_zero_grads_and_zero_max(torch):
    a = torch.nn.Parameter(torch.ones(3))
    b = torch.nn.Parameter(torch.ones(2))
    a.grad = torch.zeros(3)
    b.grad = torch.tensor([3.0, 4.0])
    n0 = torch.nn.utils.clip_grad_norm_([a], 1.0)
    n1 = torch.nn.utils.clip_grad_norm_([a, b], 0.0)
    empty = torch.nn.utils.clip_grad_norm_([], 1.0)
    return n0, n1, a.grad, b.grad, empty


@program
def clip_norm_mixed_dtypes(torch):
    a = torch.nn.Parameter(torch.ones(3, dtype=torch.float64))
    b = torch.nn.Parameter(torch.ones(2))
    a.grad = torch.tensor([1.0, 2.0, 2.0], dtype=torch.float64)
    b.grad = torch.tensor([3.0, 4.0])
    n = torch.nn.utils.clip_grad_norm_([a, b], 1.0)
    return n, a.grad, b.grad


@program
def chained_warmup_and_exponential(torch):
    p = torch.nn.Parameter(torch.ones(1))
    opt = torch.optim.SGD([p], lr=1.0)
    s1 = torch.optim.lr_scheduler.ConstantLR(opt, factor=0.1, total_iters=2)
    s2 = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    sched = torch.optim.lr_scheduler.ChainedScheduler([s1, s2], optimizer=opt)
    lrs = []
    for _ in range(5):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs, sched.get_last_lr()


@program
def lambda_per_group_and_resume_optimizer(torch):
    model = _mlp(torch)
    opt = torch.optim.Adam([{"params": model[0].parameters()},
                            {"params": model[2].parameters(), "lr": 1e-2}], lr=1e-3)  # fmt: skip
    sched = torch.optim.lr_scheduler.LambdaLR(opt, [lambda e: 0.5**e, lambda e: 1 / (e + 1)])
    x, y = _data(torch)
    for _ in range(3):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
        sched.step()
    sd = opt.state_dict()
    opt2 = torch.optim.Adam(model.parameters(), lr=0.5)
    with pytest.raises(ValueError, match="loaded state dict has a different number of parameter"):
        opt2.load_state_dict(sd)
    return sched.get_last_lr(), sorted(sd["state"]), sd["state"][0]["step"]


@program
def module_to_non_blocking_and_dict_batch(torch):
    model = _mlp(torch).to(device="cpu", dtype=torch.float64, non_blocking=True)
    batch = {"x": torch.randn(3, 4), "y": torch.tensor([0, 2, 1])}
    batch = {k: v.to("cpu", non_blocking=True) for k, v in batch.items()}
    x16 = batch["x"].to("cpu", torch.float16, non_blocking=True)
    out = model(batch["x"].double())
    return out, x16, model[0].weight.dtype, batch["y"]


@program
def backend_flags_accepted(torch):
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    flags = (torch.backends.cudnn.benchmark, torch.backends.cuda.matmul.allow_tf32,
             torch.backends.cudnn.allow_tf32, torch.backends.mps.is_available())  # fmt: skip
    torch.backends.cudnn.benchmark = False
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.cuda.manual_seed_all(0)
    torch.cuda.manual_seed(0)
    return flags, torch.backends.cudnn.benchmark, torch.backends.cuda.matmul.allow_tf32


@program
def deterministic_mode_training_step(torch):
    torch.use_deterministic_algorithms(True)
    try:
        model = _mlp(torch)
        x, y = _data(torch)
        emb = torch.nn.Embedding(5, 2)
        idx = torch.tensor([0, 1, 1, 4])
        loss = torch.nn.functional.cross_entropy(model(x), y) + emb(idx).sum()
        loss.backward()
        t = torch.zeros(5).index_add_(0, idx, torch.ones(4))
        s = torch.zeros(5).scatter_add_(0, idx, torch.ones(4))
        flag = torch.are_deterministic_algorithms_enabled()
    finally:
        torch.use_deterministic_algorithms(False)
    return loss, emb.weight.grad, t, s, flag


@program
def seed_functions(torch):
    g = torch.manual_seed(5)
    init = torch.initial_seed()
    gen = torch.Generator(device="cpu")
    gen.manual_seed(9)
    a = torch.randn(2, generator=gen)
    return type(g).__name__, init, gen.initial_seed(), a, torch.randn(2), gen.device


@program
def set_num_threads_round_trip(torch):
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    one = torch.get_num_threads()
    torch.set_num_threads(before)
    return one, torch.get_num_threads() == before


@program
def detect_anomaly_as_context_of_set(torch):
    with torch.autograd.set_detect_anomaly(True):
        inside = torch.is_anomaly_enabled()
        x = torch.tensor([1.0, 4.0], requires_grad=True)
        x.sqrt().sum().backward()
    return inside, torch.is_anomaly_enabled(), x.grad


@program
def gradient_penalty_wgan_gp(torch):
    disc = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    real, fake = torch.randn(5, 2), torch.randn(5, 2)
    alpha = torch.rand(5, 1)
    interp = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    out = disc(interp)
    grads = torch.autograd.grad(outputs=out, inputs=interp, grad_outputs=torch.ones_like(out),
                                create_graph=True, retain_graph=True)[0]  # fmt: skip
    gp = ((grads.norm(2, dim=1) - 1) ** 2).mean()
    loss = disc(fake).mean() - disc(real).mean() + 10 * gp
    loss.backward()
    return gp, loss, [p.grad for p in disc.parameters()]


@program
def model_eval_returns_self_and_functional_dropout(torch):
    model = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Dropout(0.3))
    x = torch.randn(4, 3)
    out_eval = model.eval()(x)
    same = torch.nn.functional.dropout(x, 0.5, training=model.training)
    model.train(mode=True)
    out_train = torch.nn.functional.dropout(x, 0.5, training=model.training)
    return out_eval, same, out_train, model.train(False) is model, model.training


@program
def batchnorm_cumulative_average_eval(torch):
    bn = torch.nn.BatchNorm1d(3, momentum=None)
    for _ in range(3):
        bn(torch.randn(6, 3) * 2 + 1)
    bn.eval()
    x = torch.randn(4, 3)
    return bn(x), bn.running_mean, bn.running_var, bn.num_batches_tracked


@error(TypeError, r"expected torch.Tensor, but got: list")
def vector_to_parameters_wrong_type(torch):
    torch.nn.utils.vector_to_parameters([1.0, 2.0], torch.nn.Linear(1, 1).parameters())


@program
def parameters_to_vector_frozen(torch):
    lin = torch.nn.Linear(3, 2).requires_grad_(False)
    w = torch.nn.Parameter(torch.arange(6.0).reshape(2, 3))
    v = torch.nn.utils.parameters_to_vector(list(lin.parameters()) + [w])
    return v, v.requires_grad, torch.numel(v)


@error(RuntimeError, r"view size is not compatible with input tensor's size and stride")
def parameters_to_vector_non_contiguous_raises(torch):
    w = torch.nn.Parameter(torch.arange(6.0).reshape(2, 3).t())
    torch.nn.utils.parameters_to_vector([w])


@program
def dataloader_workers_seeds(torch):
    class Seeds(torch.utils.data.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            info = torch.utils.data.get_worker_info()
            return torch.tensor([i, info.id, info.seed % 1000, torch.initial_seed() % 1000])

    loader = torch.utils.data.DataLoader(Seeds(), batch_size=2, num_workers=2,
                                         generator=torch.Generator().manual_seed(11))  # fmt: skip
    return [b for b in loader]


# ---- batch 4: state-dict aliasing, averaging corners, inference tensors in graphs ------------
@program
def state_dict_without_copy_aliases_weights(torch):
    model = _mlp(torch)
    x, y = _data(torch)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    aliased = model.state_dict()
    cloned = {k: v.clone() for k, v in model.state_dict().items()}
    on_cpu = {k: v.cpu() for k, v in model.state_dict().items()}
    deep = copy.deepcopy(model.state_dict())
    opt.zero_grad()
    torch.nn.functional.cross_entropy(model(x), y).backward()
    opt.step()
    w = model[0].weight
    return (torch.equal(aliased["0.weight"], w), torch.equal(cloned["0.weight"], w),
            torch.equal(on_cpu["0.weight"], w), torch.equal(deep["0.weight"], w),
            aliased["0.weight"].requires_grad, deep["0.weight"].requires_grad)  # fmt: skip


@program
def averaged_model_custom_avg_fn_use_buffers(torch):
    swa = torch.optim.swa_utils
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3))
    avg = swa.AveragedModel(model, avg_fn=lambda a, p, n: 0.1 * a + 0.9 * p, use_buffers=True)
    opt = torch.optim.SGD(model.parameters(), lr=0.2)
    for _ in range(2):
        opt.zero_grad()
        model(torch.randn(4, 2)).pow(2).sum().backward()
        opt.step()
        avg.update_parameters(model)
    return list(avg.module.state_dict().values()), avg.n_averaged


@program
def update_bn_dict_batches_via_list(torch):
    swa = torch.optim.swa_utils
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3, momentum=0.3))
    batches = [torch.randn(4, 2) * 3 for _ in range(3)]
    model.eval()
    swa.update_bn([[b, 0] for b in batches], model, device=torch.device("cpu"))
    return model[1].running_mean, model[1].running_var, model[1].momentum, model.training


@program
def inference_tensor_in_op_that_saves_nothing(torch):
    head = torch.nn.Linear(3, 3)
    with torch.inference_mode():
        feats = torch.randn(2, 3) * 2
    loss = (feats + head.bias).sum() + torch.cat([feats, head.weight]).sum()
    loss.backward()
    return loss, head.bias.grad, head.weight.grad, loss.is_inference()


@error(RuntimeError, r"Inference tensors cannot be saved for backward")
def inference_tensor_matmul_with_param_raises(torch):
    w = torch.nn.Parameter(torch.ones(3, 2))
    with torch.inference_mode():
        feats = torch.randn(2, 3)
    (feats @ w).sum().backward()


@program
def inference_mode_inside_no_grad_and_back(torch):
    x = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        with torch.inference_mode():
            a = x * 2
        b = x * 3
    c = x * 4
    return a.is_inference(), b.is_inference(), b.requires_grad, c.requires_grad, torch.is_grad_enabled()  # fmt: skip


@program
def accumulation_uneven_last_micro_batch(torch):
    model = _mlp(torch)
    x, y = _data(torch, 10)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=4)
    accum = 2
    for i, (xb, yb) in enumerate(loader):
        loss = torch.nn.functional.cross_entropy(model(xb), yb, reduction="sum") / len(x)
        loss.backward()
        if (i + 1) % accum == 0 or i + 1 == len(loader):
            opt.step()
            opt.zero_grad()
    return _params(model), opt.state_dict()["state"][0]["step"]


@program
def optimizer_state_deepcopy_best_and_restore(torch):
    model = _mlp(torch)
    x, y = _data(torch)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses, best = [], None
    for epoch in range(4):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if epoch == 1:
            best = (copy.deepcopy(model.state_dict()), copy.deepcopy(opt.state_dict()))
    model.load_state_dict(best[0])
    opt.load_state_dict(best[1])
    opt.zero_grad()
    torch.nn.functional.cross_entropy(model(x), y).backward()
    opt.step()
    return losses, _params(model), opt.state_dict()["state"][1]["step"]
