"""Trainer callbacks: EarlyStopping, ModelCheckpoint, LRLogger, CSVLogger."""

from __future__ import annotations

import csv
import math
import os


class Callback:
    """Base class; override the hooks you need. ``trainer`` is the running Trainer."""

    def on_fit_start(self, trainer) -> None:
        pass

    def on_epoch_end(self, trainer, record: dict) -> None:
        pass

    def on_fit_end(self, trainer) -> None:
        pass

    def on_interrupt(self, trainer) -> None:
        pass

    def state_dict(self) -> dict:
        return {}

    def load_state_dict(self, state: dict) -> None:
        pass


def _better(mode: str, value: float, best: float, min_delta: float = 0.0) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return value < best - min_delta if mode == "min" else value > best + min_delta


class EarlyStopping(Callback):
    """Stops ``fit`` when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs."""

    def __init__(
        self,
        monitor: str = "val_loss",
        mode: str = "min",
        patience: int = 3,
        min_delta: float = 0.0,
    ) -> None:
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.monitor, self.mode, self.patience, self.min_delta = monitor, mode, patience, min_delta
        self.best = math.inf if mode == "min" else -math.inf
        self.bad_epochs = 0

    def on_epoch_end(self, trainer, record: dict) -> None:
        value = record.get(self.monitor)
        if _better(self.mode, value, self.best, self.min_delta):
            self.best, self.bad_epochs = value, 0
        else:
            self.bad_epochs += 1
            if self.bad_epochs >= self.patience:
                trainer.should_stop = True

    def state_dict(self) -> dict:
        return {"best": self.best, "bad_epochs": self.bad_epochs}

    def load_state_dict(self, state: dict) -> None:
        self.best, self.bad_epochs = state["best"], state["bad_epochs"]


class ModelCheckpoint(Callback):
    """Writes ``last.ckpt`` after every epoch (and on Ctrl-C) and ``best.ckpt`` whenever
    ``monitor`` improves. Each file is a full resumable checkpoint, written atomically."""

    def __init__(
        self, dirpath: str, monitor: str = "val_loss", mode: str = "min", save_last: bool = True
    ) -> None:
        self.dirpath, self.monitor, self.mode, self.save_last = dirpath, monitor, mode, save_last
        self.best = math.inf if mode == "min" else -math.inf
        self.best_path = os.path.join(dirpath, "best.ckpt")
        self.last_path = os.path.join(dirpath, "last.ckpt")

    def on_fit_start(self, trainer) -> None:
        os.makedirs(self.dirpath, exist_ok=True)

    def on_epoch_end(self, trainer, record: dict) -> None:
        value = record.get(self.monitor)
        if value is None and self.monitor == "val_loss":
            value = record.get("train_loss")
        if _better(self.mode, value, self.best):
            self.best = value
            trainer.save_checkpoint(self.best_path)
        if self.save_last:
            trainer.save_checkpoint(self.last_path)

    def on_interrupt(self, trainer) -> None:
        if self.save_last:
            trainer.save_checkpoint(self.last_path)

    def state_dict(self) -> dict:
        return {"best": self.best}

    def load_state_dict(self, state: dict) -> None:
        self.best = state["best"]


class LRLogger(Callback):
    """Records every parameter group's learning rate in each epoch record (``lr``, ``lr_1``...)."""

    def on_epoch_end(self, trainer, record: dict) -> None:
        for i, group in enumerate(trainer.optimizer.param_groups):
            record["lr" if i == 0 else f"lr_{i}"] = group["lr"]


class CSVLogger(Callback):
    """Appends one row per epoch to a CSV file (the header is written once)."""

    def __init__(
        self, path: str, fields=("epoch", "train_loss", "val_loss", "val_acc", "lr", "seconds")
    ) -> None:
        self.path, self.fields = path, list(fields)

    def on_fit_start(self, trainer) -> None:
        if not trainer.is_main:  # a data-parallel job: rank 0 writes
            return
        if not os.path.exists(self.path) or trainer.epoch == 0:
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
            with open(self.path, "w", newline="") as f:
                csv.writer(f).writerow(self.fields)

    def on_epoch_end(self, trainer, record: dict) -> None:
        if not trainer.is_main:
            return
        with open(self.path, "a", newline="") as f:
            csv.writer(f).writerow([_fmt(record.get(k)) for k in self.fields])


def _fmt(v):
    if isinstance(v, float):
        return f"{v:.6g}"
    return "" if v is None else v
