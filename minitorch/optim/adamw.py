"""AdamW: Adam with decoupled weight decay (mirrors ``torch.optim.AdamW``)."""

from __future__ import annotations

from .adam import Adam


class AdamW(Adam):
    """Mirrors ``torch.optim.AdamW``: ``p *= 1 - lr * weight_decay`` before the Adam step."""

    _loaded_group_defaults = {**Adam._loaded_group_defaults, "decoupled_weight_decay": True}

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )

    def load_state_dict(self, state_dict: dict) -> None:
        """As ``Optimizer.load_state_dict``."""
        super().load_state_dict(state_dict)
        for group in self.param_groups:  # as PyTorch: AdamW always decouples
            group["decoupled_weight_decay"] = True
