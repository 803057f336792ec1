"""Loss-curve plots of a Trainer history, with matplotlib (Agg: works without a display)."""

from __future__ import annotations

import numpy as np


def smooth(values, weight: float = 0.9) -> np.ndarray:
    """Exponential moving average with bias correction (what TensorBoard's slider does)."""
    out, avg = [], 0.0
    for i, v in enumerate(values, 1):
        avg = weight * avg + (1 - weight) * v
        out.append(avg / (1 - weight**i))
    return np.asarray(out)


def plot_history(history: list, path, title: str = "Training") -> None:
    """Writes a PNG: training loss per step (raw and smoothed) and validation loss per epoch
    on one axis; validation accuracy and learning rate on two more when present."""
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    steps, losses, epoch_steps = [], [], []
    for rec in history:
        batch = rec.get("batch_losses") or []
        end = rec.get("step", len(losses) + len(batch))
        first = end - len(batch) + 1
        steps += list(range(first, end + 1))
        losses += batch
        epoch_steps.append(end)
    has_acc = any("val_acc" in r for r in history)
    has_lr = any("lr" in r for r in history)
    panels = 1 + has_acc + has_lr
    fig, axes = plt.subplots(1, panels, figsize=(5.5 * panels, 4.2), squeeze=False)
    ax = axes[0][0]
    if losses:
        ax.plot(steps, losses, color="tab:blue", alpha=0.25, lw=0.8, label="train loss (per step)")
        ax.plot(steps, smooth(losses), color="tab:blue", lw=1.8, label="train loss (smoothed)")
    elif history:
        ax.plot(
            epoch_steps,
            [r["train_loss"] for r in history],
            "o-",
            color="tab:blue",
            label="train loss",
        )
    val = [(s, r["val_loss"]) for s, r in zip(epoch_steps, history) if "val_loss" in r]
    if val:
        ax.plot(*zip(*val), "o-", color="tab:orange", lw=1.8, label="validation loss (per epoch)")
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("loss")
    ax.set_title(f"{title}: loss")
    ax.grid(alpha=0.3)
    ax.legend()
    k = 1
    epochs = [r.get("epoch", i + 1) for i, r in enumerate(history)]
    if has_acc:
        ax = axes[0][k]
        ax.plot(epochs, [r.get("val_acc", np.nan) for r in history], "o-", color="tab:green")
        ax.set_xlabel("epoch")
        ax.set_ylabel("accuracy")
        ax.set_title("validation accuracy")
        ax.grid(alpha=0.3)
        k += 1
    if has_lr:
        ax = axes[0][k]
        ax.plot(epochs, [r.get("lr", np.nan) for r in history], "o-", color="tab:purple")
        ax.set_xlabel("epoch")
        ax.set_ylabel("learning rate")
        ax.set_title("learning rate (end of epoch)")
        ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 3))
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
