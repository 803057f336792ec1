"""Weight averaging: stochastic weight averaging (SWA) and exponential moving averages
(EMA) of a model's parameters, the SWALR schedule, and update_bn (mirrors
``torch.optim.swa_utils``)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from copy import deepcopy
from typing import Any

from .._tensor import Tensor
from ..autograd import no_grad
from ..factories import tensor
from ..nn.modules.module import Module
from ..nn.modules.normalization import _BatchNorm
from ..ops.foreach import FUNCTIONS as _FOREACH
from .lr_scheduler import LRScheduler, _per_group
from .optimizer import Optimizer

__all__ = [
    "AveragedModel",
    "SWALR",
    "get_ema_avg_fn",
    "get_ema_multi_avg_fn",
    "get_swa_avg_fn",
    "get_swa_multi_avg_fn",
    "update_bn",
]


def _check_decay(decay: float) -> None:
    if decay < 0.0 or decay > 1.0:
        raise ValueError(
            f"Invalid decay value {decay} provided. Please provide a value in [0,1] range."
        )


def get_ema_multi_avg_fn(decay: float = 0.999) -> Callable:
    """Mirrors ``swa_utils.get_ema_multi_avg_fn``: updates lists of averaged tensors in
    place, ``ema = lerp(ema, current, 1 - decay)``."""
    _check_decay(decay)

    @no_grad()
    def ema_update(ema_param_list: list, current_param_list: list, _) -> None:
        floating = ema_param_list[0].is_floating_point()
        for p_ema, p_model in zip(ema_param_list, current_param_list):
            if floating:
                p_ema.lerp_(p_model, 1 - decay)
            else:
                p_ema.copy_(p_ema * decay + p_model * (1 - decay))

    return ema_update


def get_swa_multi_avg_fn() -> Callable:
    """Mirrors ``swa_utils.get_swa_multi_avg_fn``: updates lists of averaged tensors in
    place to the running mean after ``num_averaged`` earlier models."""

    @no_grad()
    def swa_update(averaged_param_list: list, current_param_list: list, num_averaged) -> None:
        if averaged_param_list[0].is_floating_point():
            for p_avg, p_model in zip(averaged_param_list, current_param_list):
                p_avg.lerp_(p_model, 1 / (num_averaged + 1))
            return
        # integer tensors go through PyTorch's foreach ops, with their refusals
        diffs = _FOREACH["_foreach_sub"](current_param_list, averaged_param_list)
        if isinstance(num_averaged, Tensor):
            counts = [num_averaged + 1] * len(averaged_param_list)
            _FOREACH["_foreach_addcdiv_"](averaged_param_list, diffs, counts)
        else:
            _FOREACH["_foreach_add_"](averaged_param_list, diffs, alpha=1.0 / (num_averaged + 1))

    return swa_update


def get_ema_avg_fn(decay: float = 0.999) -> Callable:
    """Mirrors ``swa_utils.get_ema_avg_fn``: ``decay * ema + (1 - decay) * current``."""
    _check_decay(decay)

    @no_grad()
    def ema_update(ema_param: Tensor, current_param: Tensor, num_averaged) -> Tensor:
        return decay * ema_param + (1 - decay) * current_param

    return ema_update


def get_swa_avg_fn() -> Callable:
    """Mirrors ``swa_utils.get_swa_avg_fn``: the running mean after ``num_averaged``."""

    @no_grad()
    def swa_update(averaged_param: Tensor, current_param: Tensor, num_averaged) -> Tensor:
        return averaged_param + (current_param - averaged_param) / (num_averaged + 1)

    return swa_update


class AveragedModel(Module):
    """Mirrors ``torch.optim.swa_utils.AveragedModel``: a copy of ``model`` whose
    parameters (and buffers when ``use_buffers``) are averaged over the models given to
    ``update_parameters``: an equal-weight mean by default, or ``avg_fn`` / ``multi_avg_fn``
    (e.g. ``get_ema_multi_avg_fn(0.999)``). Without ``use_buffers`` the buffers are copied."""

    def __init__(
        self,
        model: Module,
        device=None,
        avg_fn: Callable | None = None,
        multi_avg_fn: Callable | None = None,
        use_buffers: bool = False,
    ) -> None:
        super().__init__()
        if avg_fn is not None and multi_avg_fn is not None:
            raise AssertionError("Only one of avg_fn and multi_avg_fn should be provided")
        self.module = deepcopy(model)
        if device is not None:
            self.module = self.module.to(device)
        self.register_buffer("n_averaged", tensor(0, device=device))
        self.avg_fn = avg_fn
        self.multi_avg_fn = multi_avg_fn
        self.use_buffers = use_buffers

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def _averaged(self, model: Module) -> tuple:
        if self.use_buffers:
            return (
                itertools.chain(self.module.parameters(), self.module.buffers()),
                itertools.chain(model.parameters(), model.buffers()),
            )
        return self.module.parameters(), model.parameters()

    @no_grad()
    def update_parameters(self, model: Module) -> None:
        """Mirrors ``AveragedModel.update_parameters``: folds ``model``'s current weights
        into the average (the first call copies them)."""
        ours, theirs = [], []
        first = int(self.n_averaged) == 0
        for p_avg, p_model in zip(*self._averaged(model)):
            p_model = p_model.detach().to(p_avg.device)
            ours.append(p_avg.detach())
            theirs.append(p_model)
            if first:
                ours[-1].copy_(p_model)
        if not first:
            self._average(ours, theirs)
        if not self.use_buffers:
            for b_avg, b_model in zip(self.module.buffers(), model.buffers()):
                b_avg.detach().copy_(b_model.detach().to(b_avg.device))
        self.n_averaged += 1

    def _average(self, ours: list, theirs: list) -> None:
        if self.avg_fn is not None:
            for p_avg, p_model in zip(ours, theirs):
                p_avg.copy_(self.avg_fn(p_avg, p_model, self.n_averaged.to(p_avg.device)))
            return
        groups: dict = {}  # PyTorch averages each (device, dtype) group as one list
        for p_avg, p_model in zip(ours, theirs):
            group = groups.setdefault((str(p_avg.device), p_avg.dtype), ([], []))
            group[0].append(p_avg)
            group[1].append(p_model)
        for (device, _), (group_ours, group_theirs) in groups.items():
            n = self.n_averaged.to(device)
            if self.multi_avg_fn is not None:
                self.multi_avg_fn(group_ours, group_theirs, n)
            else:
                swa = get_swa_avg_fn()
                for p_avg, p_model in zip(group_ours, group_theirs):
                    p_avg.copy_(swa(p_avg, p_model, n))


@no_grad()
def update_bn(loader: Iterable[Any], model: Module, device=None) -> None:
    """Mirrors ``swa_utils.update_bn``: recomputes every BatchNorm's running statistics as
    the plain mean over one pass of ``loader`` (the first item of tuple/list batches)."""
    momenta = {}
    for module in model.modules():
        if isinstance(module, _BatchNorm):
            module.reset_running_stats()
            momenta[module] = module.momentum
    if not momenta:
        return
    was_training = model.training
    model.train()
    for module in momenta:
        module.momentum = None
    for batch in loader:
        if isinstance(batch, (list, tuple)):
            batch = batch[0]
        if device is not None:
            batch = batch.to(device)
        model(batch)
    for module, momentum in momenta.items():
        module.momentum = momentum
    model.train(was_training)


class SWALR(LRScheduler):
    """Mirrors ``torch.optim.swa_utils.SWALR``: anneals each group's learning rate to
    ``swa_lr`` over ``anneal_epochs`` steps ('cos' or 'linear'), then holds it."""

    def __init__(
        self,
        optimizer: Optimizer,
        swa_lr,
        anneal_epochs: int = 10,
        anneal_strategy: str = "cos",
        last_epoch: int = -1,
    ) -> None:
        for value, group in zip(_per_group("swa_lr", optimizer, swa_lr), optimizer.param_groups):
            group["swa_lr"] = value
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(
                f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}"
            )
        self._anneal_strategy = anneal_strategy
        if not isinstance(anneal_epochs, int) or anneal_epochs < 0:
            raise ValueError(f"anneal_epochs must be equal or greater than 0, got {anneal_epochs}")
        self.anneal_epochs = anneal_epochs
        super().__init__(optimizer, last_epoch)

    def anneal_func(self, t: float) -> float:
        """The fraction of the way from the starting rate to ``swa_lr`` at time t in [0, 1]."""
        return (1 - math.cos(math.pi * t)) / 2 if self._anneal_strategy == "cos" else t

    @staticmethod
    def _get_initial_lr(lr, swa_lr, alpha):
        return swa_lr if alpha == 1 else (lr - alpha * swa_lr) / (1 - alpha)

    def get_lr(self) -> list:
        self._warn_if_called_directly()
        step = self._step_count - 1
        if self.anneal_epochs == 0:
            step = max(1, step)
        prev_alpha = self.anneal_func(max(0, min(1, (step - 1) / max(1, self.anneal_epochs))))
        groups = self.optimizer.param_groups
        prev_lrs = [self._get_initial_lr(g["lr"], g["swa_lr"], prev_alpha) for g in groups]
        alpha = self.anneal_func(max(0, min(1, step / max(1, self.anneal_epochs))))
        return [g["swa_lr"] * alpha + lr * (1 - alpha) for g, lr in zip(groups, prev_lrs)]
