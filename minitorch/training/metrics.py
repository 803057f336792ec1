"""Metrics for the Trainer: each takes (outputs, targets) tensors and returns a float."""

from __future__ import annotations


def accuracy(outputs, targets) -> float:
    """Share of rows whose arg-max class equals the target index (or the arg-max of
    one-hot / probability targets)."""
    pred = outputs.argmax(-1)
    if targets.ndim == outputs.ndim:
        targets = targets.argmax(-1)
    return float((pred == targets).float().mean().item())
