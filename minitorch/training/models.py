"""The models ``train.py`` offers: an MLP, a small CNN and a character-level GPT."""

from __future__ import annotations

import math

from .. import nn
from ..factories import arange
from ..nn import functional as F


class MLP(nn.Module):
    """Flattens its input, then Linear-ReLU blocks and a classifier."""

    def __init__(
        self, in_features: int, num_classes: int, hidden=(256, 256), dropout: float = 0.1
    ) -> None:
        super().__init__()
        layers, width = [nn.Flatten()], in_features
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU(), nn.Dropout(dropout)]
            width = h
        layers.append(nn.Linear(width, num_classes))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


class CNN(nn.Module):
    """Two conv blocks (Conv-BatchNorm-ReLU-MaxPool) and a small classifier head."""

    def __init__(
        self, in_channels: int, num_classes: int, image_size: int, width: int = 32
    ) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, width, 3, padding=1),  # (B, w, H, W)
            nn.BatchNorm2d(width),
            nn.ReLU(),
            nn.MaxPool2d(2),  # (B, w, H/2, W/2)
            nn.Conv2d(width, 2 * width, 3, padding=1),
            nn.BatchNorm2d(2 * width),
            nn.ReLU(),
            nn.MaxPool2d(2),  # (B, 2w, H/4, W/4)
        )
        side = image_size // 4
        self.head = nn.Sequential(
            nn.Flatten(), nn.Dropout(0.25), nn.Linear(2 * width * side * side, 128), nn.ReLU(),
            nn.Linear(128, num_classes),
        )  # fmt: skip

    def forward(self, x):
        if x.ndim == 3:
            x = x.unsqueeze(1)  # (B, H, W) -> (B, 1, H, W)
        return self.head(self.features(x))


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd: int, n_head: int, dropout: float) -> None:
        super().__init__()
        self.n_head = n_head
        self.qkv = nn.Linear(n_embd, 3 * n_embd)
        self.proj = nn.Linear(n_embd, n_embd)
        self.dropout = dropout

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        p = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=p)  # (B, nh, T, hs)
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    """Pre-LayerNorm transformer block: x + attn(ln(x)), then x + mlp(ln(x))."""

    def __init__(self, n_embd: int, n_head: int, dropout: float) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention(n_embd, n_head, dropout)
        self.ln2 = nn.LayerNorm(n_embd)
        self.mlp = nn.Sequential(
            nn.Linear(n_embd, 4 * n_embd),
            nn.GELU(),
            nn.Linear(4 * n_embd, n_embd),
            nn.Dropout(dropout),
        )

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    """A decoder-only character model: token + position embeddings, causal blocks, a tied
    output layer. ``forward(idx)`` returns logits of shape (B, T, vocab)."""

    def __init__(
        self,
        vocab_size: int,
        block_size: int = 64,
        n_layer: int = 4,
        n_head: int = 4,
        n_embd: int = 128,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.block_size = block_size
        self.tok = nn.Embedding(vocab_size, n_embd)
        self.pos = nn.Embedding(block_size, n_embd)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(Block(n_embd, n_head, dropout) for _ in range(n_layer))
        self.ln_f = nn.LayerNorm(n_embd)
        self.head = nn.Linear(n_embd, vocab_size, bias=False)
        self.head.weight = self.tok.weight  # weight tying
        self.apply(self._init)
        for name, p in self.named_parameters():
            if name.endswith("proj.weight") or name.endswith("mlp.2.weight"):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * n_layer))

    @staticmethod
    def _init(m) -> None:
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, 0.0, 0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, idx):
        B, T = idx.shape
        if T > self.block_size:
            raise ValueError(f"sequence of length {T} is longer than block_size {self.block_size}")
        pos = arange(T, device=idx.device)
        x = self.drop(self.tok(idx) + self.pos(pos))  # (B, T, C)
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln_f(x))  # (B, T, vocab)

    def generate(
        self, idx, max_new_tokens: int, temperature: float = 1.0, top_k: int | None = None
    ):
        """Samples ``max_new_tokens`` tokens after ``idx`` (B, T), one at a time."""
        from ..autograd.grad_mode import no_grad  # noqa: PLC0415
        from ..factories import multinomial  # noqa: PLC0415
        from ..ops import cat, topk  # noqa: PLC0415

        was_training = self.training
        self.eval()
        with no_grad():
            for _ in range(max_new_tokens):
                logits = self(idx[:, -self.block_size :])[:, -1, :] / temperature
                if top_k is not None:
                    kth = topk(logits, min(top_k, logits.shape[-1]))[0][:, -1:]
                    logits = logits.masked_fill(logits < kth, float("-inf"))
                idx = cat([idx, multinomial(F.softmax(logits, dim=-1), 1)], dim=1)
        self.train(was_training)
        return idx


def sequence_loss(logits, targets):
    """Cross-entropy of (B, T, V) logits against (B, T) next-token targets."""
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
