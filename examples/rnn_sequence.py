"""An LSTM (or GRU) that learns to continue sine waves it has never seen, trained with
truncated backpropagation through time (TBPTT).

    python examples/rnn_sequence.py                  # LSTM on the CPU (a minute or two)
    python examples/rnn_sequence.py --cell gru       # the same with a GRU
    python examples/rnn_sequence.py --device cuda    # on a GPU
    python examples/rnn_sequence.py --smoke          # a few steps: what the test suite runs

The task: each sequence is ``a * sin(w * t + phase)`` with its own amplitude ``a`` in
[0.5, 1.5], angular frequency ``w`` in [0.1, 0.6] rad/step (periods of 10 to 63 steps) and
phase; at every step the model sees the current value and predicts the next one, so it must
infer ``a`` and ``w`` from what it has seen so far and keep them in its state.

Dynamic graphs: every batch has its own length (60 to 180 steps) and is cut into chunks of
``--bptt`` steps, the last one shorter, so each optimizer step builds a graph of a different
shape. Truncated BPTT: after each chunk the recurrent state is detached, so the next chunk
starts from its values but gradients stop at the chunk boundary.

The metric: next-step RMSE on 256 held-out sequences of 200 steps, over the steps after a
burn-in of 10 (where the frequency cannot be known yet), next to the RMSE of repeating the last
value. The task counts as solved when the model's RMSE is below 0.02 (2% of the mean
amplitude, a tenth of the error of repeating the last value). Writes ``<out>/loss_curve.png``.
"""

from __future__ import annotations

import argparse
import math
import os
import time

import minitorch as torch
from minitorch import nn
from minitorch.nn import functional as F
from minitorch.training import smooth

BURN_IN = 10  # steps before the frequency can be known: not scored
SOLVED = 0.02  # val RMSE that counts as solving the task


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cell", default="lstm", choices=["lstm", "gru"])
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--batches-per-epoch", type=int, default=25)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--bptt", type=int, default=30, help="steps per truncated-BPTT chunk")
    p.add_argument("--lr", type=float, default=1e-2)
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="runs/rnn_sequence", help="folder for the loss curve")
    p.add_argument("--smoke", action="store_true", help="a few steps, to check that it runs")
    args = p.parse_args()
    if args.smoke:
        args.epochs, args.batches_per_epoch = 2, 2
    return args


def sine_batch(batch: int, length: int, gen, device: str):
    """(inputs, targets), each (batch, length, 1): the wave and the wave one step ahead."""
    amp = 0.5 + torch.rand(batch, 1, generator=gen)
    freq = 0.1 + 0.5 * torch.rand(batch, 1, generator=gen)
    phase = 2 * math.pi * torch.rand(batch, 1, generator=gen)
    t = torch.arange(length + 1, dtype=torch.float32)
    wave = amp * torch.sin(freq * t + phase)  # (batch, length + 1)
    return wave[:, :-1, None].to(device), wave[:, 1:, None].to(device)


class SineRNN(nn.Module):
    """A recurrent layer and a linear read-out of the next value at every step."""

    def __init__(self, cell: str, hidden: int) -> None:
        super().__init__()
        rnn = nn.LSTM if cell == "lstm" else nn.GRU
        self.rnn = rnn(input_size=1, hidden_size=hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x, state=None):
        out, state = self.rnn(x, state)  # out: (B, T, hidden)
        return self.head(out), state  # (B, T, 1)


def detach(state):
    """The recurrent state cut from its graph: (h, c) for an LSTM, h for a GRU."""
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


@torch.no_grad()
def rmse_after_burn_in(model, x, y) -> tuple[float, float]:
    """Next-step RMSE of the model and of repeating the last value, steps >= BURN_IN."""
    model.eval()
    pred, _ = model(x)
    model.train()
    err = (pred - y)[:, BURN_IN:]
    base = (x - y)[:, BURN_IN:]
    return (err**2).mean().sqrt().item(), (base**2).mean().sqrt().item()


def plot_losses(losses, val_points, baseline_mse: float, path: str) -> None:
    """Training MSE per step and validation MSE per epoch, on a log scale, with the MSE of
    repeating the last value for reference."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display needed
    import matplotlib.pyplot as plt

    steps = range(1, len(losses) + 1)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(
        steps,
        losses,
        color="tab:blue",
        alpha=0.25,
        lw=0.8,
        label="train (per chunk, first steps included)",
    )
    ax.plot(steps, smooth(losses), color="tab:blue", lw=1.8, label="train (smoothed)")
    ax.plot(*zip(*val_points), "o-", color="tab:orange", label="validation (after burn-in)")
    ax.axhline(baseline_mse, color="gray", ls="--", label="repeating the last value")
    ax.set(xlabel="optimizer step (one per chunk)", ylabel="mean squared error", yscale="log")
    ax.set_title("next-value prediction on sine waves")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    args = parse_args()
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    val_x, val_y = sine_batch(256, 200, torch.Generator().manual_seed(10_000), args.device)

    model = SineRNN(args.cell, args.hidden).to(args.device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)

    losses, val_points = [], []
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        for _ in range(args.batches_per_epoch):
            length = int(torch.randint(60, 181, (1,), generator=gen).item())
            x, y = sine_batch(args.batch_size, length, gen, args.device)
            state = None  # each batch is a fresh set of waves
            for s in range(0, length, args.bptt):  # the last chunk may be shorter
                pred, state = model(x[:, s : s + args.bptt], state)
                loss = F.mse_loss(pred, y[:, s : s + args.bptt])
                optimizer.zero_grad(set_to_none=True)
                loss.backward()  # through this chunk only
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                state = detach(state)  # keep the values, drop the graph behind them
                losses.append(loss.item())
        scheduler.step()
        val_rmse, base_rmse = rmse_after_burn_in(model, val_x, val_y)
        val_points.append((len(losses), val_rmse**2))
        print(f"epoch {epoch:3d}  step {len(losses):5d}  val rmse {val_rmse:.4f}")
    elapsed = time.perf_counter() - start

    os.makedirs(args.out, exist_ok=True)
    plot_losses(losses, val_points, base_rmse**2, os.path.join(args.out, "loss_curve.png"))
    print(
        f"trained {len(losses)} TBPTT steps ({args.epochs} epochs) in {elapsed:.0f} s on {args.device}"
    )
    print(f"val_rmse: {val_rmse:.4f} (repeating the last value: {base_rmse:.4f})")
    print(f"solved: {'yes' if val_rmse < SOLVED else 'no'} (val_rmse < {SOLVED})")
    print(f"loss curve: {os.path.join(args.out, 'loss_curve.png')}")


if __name__ == "__main__":
    main()
