"""A character-level GPT trained on the built-in text corpus (the Python Language Reference
that CPython ships for ``help()``), in the manner of nanoGPT: the model code first, then a
training loop read top to bottom, then samples from the trained model.

    python examples/char_gpt.py                         # CPU default run (minutes)
    python examples/char_gpt.py --device cuda --amp     # GPU, float16 autocast + GradScaler
    python examples/char_gpt.py --smoke                 # a few steps: what the test suite runs

The model: token + position embeddings, pre-LayerNorm blocks of causal self-attention
(``F.scaled_dot_product_attention(..., is_causal=True)``) and a GELU MLP, a final LayerNorm
and an output layer tied to the token embedding. The loop: AdamW (weight decay on matrices
only), linear warmup then cosine decay, gradient clipping, optional mixed precision.

Prints the validation loss in nats per character (over the whole held-out 10% of the text, in
non-overlapping windows), a sample drawn with temperature and top-k, and the share of the
sample's words that occur in the corpus; writes ``<out>/loss_curve.png``.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import time
from dataclasses import dataclass

import minitorch as torch
from minitorch import nn
from minitorch.data import CharTokenizer, DataLoader, RandomSampler, Subset, TextDataset
from minitorch.data.datasets import default_corpus
from minitorch.nn import functional as F
from minitorch.training import smooth


# ---- the model ---------------------------------------------------------------------------
@dataclass
class GPTConfig:
    vocab_size: int
    block_size: int = 64
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 128
    dropout: float = 0.0


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg: GPTConfig) -> None:
        super().__init__()
        assert cfg.n_embd % cfg.n_head == 0
        self.c_attn = nn.Linear(cfg.n_embd, 3 * cfg.n_embd)  # q, k, v for all heads at once
        self.c_proj = nn.Linear(cfg.n_embd, cfg.n_embd)
        self.resid_dropout = nn.Dropout(cfg.dropout)
        self.n_head, self.dropout = cfg.n_head, cfg.dropout

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        y = F.scaled_dot_product_attention(
            q, k, v, is_causal=True, dropout_p=self.dropout if self.training else 0.0
        )  # (B, nh, T, hs): each position attends to itself and the positions before it
        y = y.transpose(1, 2).reshape(B, T, C)  # the heads side by side again
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):
    def __init__(self, cfg: GPTConfig) -> None:
        super().__init__()
        self.c_fc = nn.Linear(cfg.n_embd, 4 * cfg.n_embd)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * cfg.n_embd, cfg.n_embd)
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(self, x):
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class Block(nn.Module):
    def __init__(self, cfg: GPTConfig) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.n_embd)
        self.attn = CausalSelfAttention(cfg)
        self.ln_2 = nn.LayerNorm(cfg.n_embd)
        self.mlp = MLP(cfg)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, cfg: GPTConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.wte = nn.Embedding(cfg.vocab_size, cfg.n_embd)  # token embeddings
        self.wpe = nn.Embedding(cfg.block_size, cfg.n_embd)  # position embeddings
        self.drop = nn.Dropout(cfg.dropout)
        self.h = nn.ModuleList([Block(cfg) for _ in range(cfg.n_layer)])
        self.ln_f = nn.LayerNorm(cfg.n_embd)
        self.lm_head = nn.Linear(cfg.n_embd, cfg.vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight  # weight tying: one matrix reads and writes tokens
        self.apply(self._init_weights)
        for name, p in self.named_parameters():  # GPT-2: scaled init of the residual projections
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * cfg.n_layer))

    @staticmethod
    def _init_weights(module) -> None:
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def forward(self, idx, targets=None):
        B, T = idx.shape
        assert T <= self.cfg.block_size, f"sequence of {T} > block_size {self.cfg.block_size}"
        pos = torch.arange(T, device=idx.device)  # (T,)
        x = self.drop(self.wte(idx) + self.wpe(pos))  # (B, T, C)
        for block in self.h:
            x = block(x)
        logits = self.lm_head(self.ln_f(x))  # (B, T, vocab)
        if targets is None:
            return logits, None
        loss = F.cross_entropy(logits.view(B * T, -1), targets.view(B * T))
        return logits, loss

    def configure_optimizer(self, lr: float, weight_decay: float, betas=(0.9, 0.95)):
        """AdamW that decays the matrices (linear weights, embeddings) but not the biases
        and LayerNorm parameters."""
        params = list(self.parameters())  # the tied weight appears once
        groups = [
            {"params": [p for p in params if p.ndim >= 2], "weight_decay": weight_decay},
            {"params": [p for p in params if p.ndim < 2], "weight_decay": 0.0},
        ]
        return torch.optim.AdamW(groups, lr=lr, betas=betas)

    @torch.no_grad()
    def generate(self, idx, max_new_tokens: int, temperature: float = 1.0, top_k=None):
        """Continues the (B, T) index sequence ``idx`` by ``max_new_tokens`` sampled tokens."""
        for _ in range(max_new_tokens):
            logits, _ = self(idx[:, -self.cfg.block_size :])  # crop to the context window
            logits = logits[:, -1, :] / temperature  # (B, vocab): the next token's scores
            if top_k is not None:
                v, _ = torch.topk(logits, min(top_k, logits.shape[-1]))
                logits = logits.masked_fill(logits < v[:, [-1]], float("-inf"))
            probs = F.softmax(logits, dim=-1)
            idx = torch.cat([idx, torch.multinomial(probs, num_samples=1)], dim=1)
        return idx


# ---- training ----------------------------------------------------------------------------
def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--max-iters", type=int, default=600)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--block-size", type=int, default=64)
    p.add_argument("--n-layer", type=int, default=4)
    p.add_argument("--n-head", type=int, default=4)
    p.add_argument("--n-embd", type=int, default=128)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--lr", type=float, default=6e-3, help="peak learning rate")
    p.add_argument("--min-lr", type=float, default=6e-4, help="end of the cosine")
    p.add_argument("--warmup-iters", type=int, default=60)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--grad-clip", type=float, default=1.0)
    p.add_argument("--eval-interval", type=int, default=100)
    p.add_argument("--amp", action="store_true", help="float16 autocast + GradScaler")
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--seed", type=int, default=1337)
    p.add_argument("--out", default="runs/char_gpt", help="folder for the loss curve")
    p.add_argument("--smoke", action="store_true", help="a few steps, to check that it runs")
    args = p.parse_args()
    if args.smoke:
        args.max_iters, args.eval_interval, args.warmup_iters = 4, 2, 2
        args.n_layer, args.n_embd, args.batch_size = 1, 32, 8
    return args


def lr_factor(it: int, args) -> float:
    """Linear warmup to the peak, then a cosine down to min_lr (nanoGPT's get_lr), as a
    multiple of the peak for LambdaLR."""
    if it < args.warmup_iters:
        return (it + 1) / args.warmup_iters
    progress = min(1.0, (it - args.warmup_iters) / max(1, args.max_iters - args.warmup_iters))
    ratio = args.min_lr / args.lr
    return ratio + (1 - ratio) * 0.5 * (1.0 + math.cos(math.pi * progress))


@torch.no_grad()
def evaluate(model, loader, device: str, amp: bool) -> float:
    """Mean loss per character over every window of ``loader``."""
    model.eval()
    total, count = 0.0, 0
    for x, y in loader:
        with torch.autocast(device_type=device.split(":")[0], enabled=amp):
            _, loss = model(x.to(device), y.to(device))
        total += loss.item() * y.numel()
        count += y.numel()
    model.train()
    return total / count


def plot_losses(losses, val_points, path: str) -> None:
    """Training loss per step (raw and smoothed) and validation loss at each evaluation."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display needed
    import matplotlib.pyplot as plt

    steps = range(1, len(losses) + 1)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(steps, losses, color="tab:blue", alpha=0.25, lw=0.8, label="train (per step)")
    ax.plot(steps, smooth(losses), color="tab:blue", lw=1.8, label="train (smoothed)")
    ax.plot(*zip(*val_points), "o-", color="tab:orange", label="validation")
    ax.set(xlabel="optimizer step", ylabel="loss (nats / character)", title="char GPT")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    args = parse_args()
    torch.manual_seed(args.seed)
    device = args.device
    device_type = device.split(":")[0]

    text = default_corpus()
    tokenizer = CharTokenizer(text)
    n = int(0.9 * len(text))
    train_set = TextDataset(text[:n], args.block_size, tokenizer=tokenizer)
    val_set = TextDataset(text[n:], args.block_size, tokenizer=tokenizer)
    val_set = Subset(val_set, range(0, len(val_set), args.block_size))  # non-overlapping windows
    if args.smoke:
        val_set = Subset(val_set, range(16))
    sampler = RandomSampler(
        train_set, replacement=True, num_samples=args.max_iters * args.batch_size
    )
    train_loader = DataLoader(train_set, batch_size=args.batch_size, sampler=sampler)
    val_loader = DataLoader(val_set, batch_size=64)

    cfg = GPTConfig(
        tokenizer.vocab_size, args.block_size, args.n_layer, args.n_head, args.n_embd, args.dropout
    )
    model = GPT(cfg).to(device)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"{len(text):,} characters, vocabulary {tokenizer.vocab_size}, {n_params:,} parameters")
    optimizer = model.configure_optimizer(args.lr, args.weight_decay)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda it: lr_factor(it, args))
    scaler = torch.amp.GradScaler(device_type, enabled=args.amp)

    losses, val_points = [], []
    start = time.perf_counter()
    for it, (x, y) in enumerate(train_loader):
        x, y = x.to(device), y.to(device)  # (B, T) inputs and next-character targets
        with torch.autocast(device_type=device_type, enabled=args.amp):
            _, loss = model(x, y)
        scaler.scale(loss).backward()
        scaler.unscale_(optimizer)  # clip the true gradients, not the scaled ones
        nn.utils.clip_grad_norm_(model.parameters(), args.grad_clip)
        scaler.step(optimizer)  # skipped if the float16 gradients overflowed
        scaler.update()
        optimizer.zero_grad(set_to_none=True)
        scheduler.step()

        losses.append(loss.item())  # a host sync per step: fine at this size
        if (it + 1) % args.eval_interval == 0 or it + 1 == args.max_iters:
            val_loss = evaluate(model, val_loader, device, args.amp)
            val_points.append((it + 1, val_loss))
            elapsed = time.perf_counter() - start
            print(
                f"step {it + 1:5d}  train {losses[-1]:.4f}  val {val_loss:.4f}  "
                f"lr {scheduler.get_last_lr()[0]:.2e}  {elapsed:.0f} s"
            )
    elapsed = time.perf_counter() - start

    os.makedirs(args.out, exist_ok=True)
    plot_losses(losses, val_points, os.path.join(args.out, "loss_curve.png"))
    prompt = torch.tensor([tokenizer.encode("The ")], device=device)
    sample = tokenizer.decode(model.generate(prompt, 400, temperature=0.8, top_k=10)[0])
    corpus_words = set(re.findall(r"[A-Za-z]+", text))
    words = re.findall(r"[A-Za-z]+", sample)
    known = sum(w in corpus_words for w in words) / max(1, len(words))
    print(f"--- sample (temperature 0.8, top-k 10) ---\n{sample}\n---")
    print(f"trained {args.max_iters} steps in {elapsed:.0f} s on {device}")
    print(f"val_loss: {val_points[-1][1]:.4f} nats/char")
    print(f"words of the sample found in the corpus: {known:.0%} of {len(words)}")
    print(f"loss curve: {os.path.join(args.out, 'loss_curve.png')}")


if __name__ == "__main__":
    main()
