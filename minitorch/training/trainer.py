"""Trainer: the training loop a user would write, once, with the details right.

Per step (the nanoGPT order): autocast forward, scaled backward, and on each accumulation
boundary unscale, clip, step (skipped by the GradScaler on inf/NaN), update the scale,
advance the LR scheduler only if the optimizer stepped, ``zero_grad(set_to_none=True)``.
Losses stay on the device as detached tensors and become Python floats only when logged.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from .. import distributed as dist
from .. import random as _random
from .._dtypes import float64
from .._tensor import Tensor
from ..amp import GradScaler, autocast
from ..autograd.grad_mode import no_grad
from ..factories import tensor
from ..nn.modules.module import Module
from ..nn.parallel import DistributedDataParallel
from ..nn.utils import clip_grad_norm_, clip_grad_value_
from ..ops import cat, stack
from ..optim.optimizer import _copy_state
from ..serialization import load, save
from .metrics import accuracy


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite."""


class Trainer:
    """Trains ``model`` with ``optimizer`` on ``loss_fn(outputs, targets)``.

    ``scheduler_interval`` is ``"epoch"`` or ``"step"``; a ``ReduceLROnPlateau`` scheduler
    is stepped with the monitored validation loss. ``metrics`` maps names to
    ``fn(outputs, targets) -> float`` (accuracy is included for classification outputs).
    ``device`` moves the model there, with the optimizer's state and a loss module's buffers
    (default: where the model's parameters are); each batch is moved there too.

    In a data-parallel job (``init_process_group`` done, the model wrapped in
    DistributedDataParallel, loaders on DistributedSamplers) every rank runs the loop; losses
    and validation metrics are reduced across ranks, samplers get ``set_epoch`` each epoch,
    and only rank 0 shows progress and writes checkpoints (``is_main``).
    """

    def __init__(
        self,
        model,
        optimizer,
        loss_fn,
        *,
        scheduler=None,
        scheduler_interval: str = "epoch",
        clip_grad_norm: float | None = None,
        clip_grad_value: float | None = None,
        accumulation_steps: int = 1,
        amp: bool = False,
        amp_dtype=None,
        device=None,
        metrics: dict | None = None,
        callbacks=(),
        progress: bool = True,
        log_every: int = 10,
    ) -> None:
        if scheduler_interval not in ("epoch", "step"):
            raise ValueError(
                f"scheduler_interval must be 'epoch' or 'step', got {scheduler_interval!r}"
            )
        if accumulation_steps < 1:
            raise ValueError(f"accumulation_steps must be >= 1, got {accumulation_steps}")
        self.model, self.optimizer, self.loss_fn = model, optimizer, loss_fn
        self.scheduler, self.scheduler_interval = scheduler, scheduler_interval
        self.clip_grad_norm, self.clip_grad_value = clip_grad_norm, clip_grad_value
        self.accumulation_steps = accumulation_steps
        if device is not None:
            model.to(device)  # in place: the optimizer's parameters move with it
            _state_to_params(optimizer)
            if isinstance(loss_fn, Module):  # a loss's buffers (class weights) too
                loss_fn.to(device)
        self.device = device if device is not None else _model_device(model)
        self.device_type = getattr(self.device, "type", str(self.device).split(":")[0])
        self.amp = amp
        self.amp_kwargs = {} if amp_dtype is None else {"dtype": amp_dtype}
        self.scaler = GradScaler(self.device_type, enabled=amp)
        self.metrics = {"acc": accuracy} if metrics is None else dict(metrics)
        self.callbacks = list(callbacks)
        self.progress = progress
        self.log_every = max(1, log_every)
        self.history: list = []
        self.epoch = 0
        self.step = 0
        self.should_stop = False
        self.interrupted = False

    # ---- the loop ------------------------------------------------------------------------
    def fit(self, train_loader, val_loader=None, epochs: int = 1) -> list:
        """Trains until ``epochs`` epochs are done (counting those of a resumed run), early
        stopping, or Ctrl-C (which saves ``last`` through ModelCheckpoint and returns)."""
        self.should_stop = False
        for cb in self.callbacks:
            cb.on_fit_start(self)
        bar = _bar(
            range(self.epoch, epochs), self._show(), "epochs", initial=self.epoch, total=epochs
        )
        try:
            for _ in bar:
                record = self._train_epoch(train_loader, epochs)
                if val_loader is not None:
                    val = self.evaluate(val_loader)
                    record.update({f"val_{k}": v for k, v in val.items()})
                self._epoch_scheduler_step(record)
                record["lr"] = self.optimizer.param_groups[0]["lr"]
                self.epoch += 1
                self.history.append(record)
                for cb in self.callbacks:
                    cb.on_epoch_end(self, record)
                if hasattr(bar, "set_postfix"):
                    bar.set_postfix(
                        {
                            k: f"{v:.4g}"
                            for k, v in record.items()
                            if k in ("train_loss", "val_loss", "val_acc")
                        }
                    )
                if self.should_stop:
                    break
        except KeyboardInterrupt:
            for cb in self.callbacks:
                cb.on_interrupt(self)
            self.interrupted = True
            print(f"\ninterrupted at epoch {self.epoch}, step {self.step}", file=sys.stderr)
        finally:
            if hasattr(bar, "close"):
                bar.close()
        for cb in self.callbacks:
            cb.on_fit_end(self)
        return self.history

    def _train_epoch(self, loader, epochs: int) -> dict:
        self.model.train()
        if hasattr(getattr(loader, "sampler", None), "set_epoch"):
            loader.sampler.set_epoch(self.epoch)  # a DistributedSampler: this epoch's order
        start = time.perf_counter()
        total, count, seen = None, 0, 0
        pending = []  # detached losses not yet checked or logged
        step_losses = []
        bar = _bar(loader, self._show(), f"epoch {self.epoch + 1}/{epochs}", leave=False)
        self.optimizer.zero_grad(set_to_none=True)
        for i, batch in enumerate(bar):
            inputs, targets = self._to_device(batch)
            with autocast(self.device_type, enabled=self.amp, **self.amp_kwargs):
                outputs = self.model(inputs)
                loss = self.loss_fn(outputs, targets)
            self.scaler.scale(loss / self.accumulation_steps).backward()
            if (i + 1) % self.accumulation_steps == 0:
                self._optimizer_step()
            n = _batch_size(inputs)
            d = loss.detach() * n
            total = d if total is None else total + d
            count += n
            seen += n
            pending.append(loss.detach())
            if len(pending) >= self.log_every:
                step_losses += self._check(pending)
                if hasattr(bar, "set_postfix"):
                    lr = self.optimizer.param_groups[0]["lr"]
                    rate = seen / max(time.perf_counter() - start, 1e-9)
                    bar.set_postfix(
                        loss=f"{step_losses[-1]:.4f}", lr=f"{lr:.3g}", samples_s=f"{rate:.0f}"
                    )
        if (i + 1) % self.accumulation_steps:  # flush a partial accumulation
            self._optimizer_step()
        step_losses += self._check(pending)
        sums, count = _across_ranks({"loss": total}, count, self.device)
        return {
            "epoch": self.epoch + 1,
            "step": self.step,
            "train_loss": sums["loss"] / max(count, 1),
            "seconds": time.perf_counter() - start,
            "batch_losses": step_losses,
        }

    def _optimizer_step(self) -> None:
        if self.clip_grad_norm is not None or self.clip_grad_value is not None:
            self.scaler.unscale_(self.optimizer)
            params = [p for g in self.optimizer.param_groups for p in g["params"]]
            if self.clip_grad_norm is not None:
                clip_grad_norm_(params, self.clip_grad_norm)
            if self.clip_grad_value is not None:
                clip_grad_value_(params, self.clip_grad_value)
        scale = self.scaler.get_scale()
        self.scaler.step(self.optimizer)
        self.scaler.update()
        self.optimizer.zero_grad(set_to_none=True)
        self.step += 1
        stepped = self.scaler.get_scale() >= scale  # a skipped step backs the scale off
        if stepped and self.scheduler is not None and self.scheduler_interval == "step":
            self.scheduler.step()

    def _epoch_scheduler_step(self, record: dict) -> None:
        if self.scheduler is None or self.scheduler_interval != "epoch":
            return
        if type(self.scheduler).__name__ == "ReduceLROnPlateau":
            self.scheduler.step(record.get("val_loss", record["train_loss"]))
        else:
            self.scheduler.step()

    def _check(self, pending: list) -> list:
        """Turns the pending losses into floats (one host sync) and stops on NaN/inf."""
        if not pending:
            return []
        values = stack(pending).float().cpu().numpy().tolist()
        first = self.step - len(pending) + 1
        for k, v in enumerate(values):
            if not np.isfinite(v):
                raise TrainingDiverged(
                    f"the training loss became {v} at step {first + k} (epoch {self.epoch + 1}); "
                    "lower the learning rate, clip gradients (--clip-grad-norm) or check the data"
                )
        pending.clear()
        return values

    # ---- evaluation ----------------------------------------------------------------------
    def evaluate(self, loader) -> dict:
        """Mean loss and metrics over ``loader`` in eval mode under no_grad (the model's
        previous mode is restored afterwards)."""
        was_training = self.model.training
        self.model.eval()
        sums: dict = {}
        count = 0
        try:
            with no_grad(), autocast(self.device_type, enabled=self.amp, **self.amp_kwargs):
                for batch in loader:
                    inputs, targets = self._to_device(batch)
                    outputs = self.model(inputs)
                    n = _batch_size(inputs)
                    values = {"loss": self.loss_fn(outputs, targets).detach() * n}
                    for name, fn in self.metrics.items():
                        if name == "acc" and not _is_classification(outputs, targets):
                            continue
                        values[name] = fn(outputs, targets) * n
                    for k, v in values.items():
                        sums[k] = v if k not in sums else sums[k] + v
                    count += n
        finally:
            self.model.train(was_training)
        sums, count = _across_ranks(sums, count, self.device)
        return {k: v / max(count, 1) for k, v in sums.items()}

    def predict(self, loader) -> Tensor:
        """The model's outputs for every batch of ``loader`` (inputs only or (inputs, _))."""
        was_training = self.model.training
        self.model.eval()
        outs = []
        try:
            with no_grad(), autocast(self.device_type, enabled=self.amp, **self.amp_kwargs):
                for batch in loader:
                    inputs = (
                        self._to_device(batch)[0]
                        if isinstance(batch, (tuple, list))
                        else self._to_device((batch, None))[0]
                    )
                    outs.append(self.model(inputs))
        finally:
            self.model.train(was_training)
        return cat(outs)

    # ---- checkpoints ---------------------------------------------------------------------
    def state_dict(self) -> dict:
        """Everything needed to resume exactly: model, optimizer, scheduler, scaler, RNG
        state, epoch/step, history and callback states."""
        return {
            "model": _unwrap(self.model).state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict() if self.scheduler is not None else None,
            "scaler": self.scaler.state_dict(),
            "rng": _random.get_rng_state(),
            "epoch": self.epoch,
            "step": self.step,
            "history": self.history,
            "callbacks": [cb.state_dict() for cb in self.callbacks],
        }

    def load_state_dict(self, state: dict) -> None:
        """Restores what ``state_dict`` saved."""
        _unwrap(self.model).load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        if self.scheduler is not None and state.get("scheduler") is not None:
            self.scheduler.load_state_dict(state["scheduler"])
        self.scaler.load_state_dict(state["scaler"])
        _random.set_rng_state(state["rng"].cpu())  # resume(map_location=cuda) moved it
        self.epoch, self.step, self.history = state["epoch"], state["step"], list(state["history"])
        for cb, s in zip(self.callbacks, state.get("callbacks", [])):
            cb.load_state_dict(s)

    def save_checkpoint(self, path) -> None:
        """Writes a resumable checkpoint atomically (no pickle); on rank 0 only."""
        if self.is_main:
            save(self.state_dict(), path)

    def resume(self, path) -> None:
        """Loads a checkpoint written by ``save_checkpoint``; ``fit`` then continues from it."""
        self.load_state_dict(load(path, map_location=self.device))

    # ---- helpers -------------------------------------------------------------------------
    @property
    def is_main(self) -> bool:
        """Whether this process reports and writes files: rank 0, or the only process."""
        return not dist.is_initialized() or dist.get_rank() == 0

    def _show(self) -> bool:
        return self.progress and sys.stderr.isatty() and self.is_main

    def _to_device(self, batch):
        if not isinstance(batch, (tuple, list)) or len(batch) != 2:
            raise TypeError("the Trainer expects batches of (inputs, targets)")
        return tuple(x.to(self.device) if isinstance(x, Tensor) else x for x in batch)


def _unwrap(model):
    """The model itself, so checkpoints load with or without DistributedDataParallel."""
    return model.module if isinstance(model, DistributedDataParallel) else model


def _across_ranks(sums: dict, count: int, device) -> tuple[dict, int]:
    """``sums`` (tensors or numbers) as floats and ``count``, summed over every rank."""
    values = {k: float(v.item() if isinstance(v, Tensor) else v) for k, v in sums.items()}
    if not dist.is_initialized() or dist.get_world_size() == 1:
        return values, count
    packed = tensor([float(count), *values.values()], dtype=float64, device=device)
    dist.all_reduce(packed)
    total, *summed = packed.tolist()
    return dict(zip(values, summed)), int(total)


def _state_to_params(optimizer) -> None:
    """The optimizer's state (an Adam's moments, a resumed run's buffers) on its parameters'
    devices and dtypes, as ``load_state_dict`` puts it."""
    for p, state in optimizer.state.items():
        if isinstance(p, Tensor):
            optimizer.state[p] = _copy_state(state, p)


def _model_device(model):
    for p in model.parameters():
        return p.device
    return "cpu"


def _batch_size(inputs) -> int:
    return inputs.shape[0] if isinstance(inputs, Tensor) and inputs.ndim else 1


def _is_classification(outputs, targets) -> bool:
    return (
        isinstance(outputs, Tensor)
        and outputs.ndim >= 2
        and outputs.shape[-1] > 1  # one column is a regression (or one logit): no arg-max
        and isinstance(targets, Tensor)
        and (targets.dtype.is_floating_point is False or targets.shape == outputs.shape)
    )


def _bar(iterable, show: bool, desc: str, **kwargs):
    if not show:
        return iterable
    from tqdm.auto import tqdm  # noqa: PLC0415

    return tqdm(iterable, desc=desc, dynamic_ncols=True, **kwargs)
