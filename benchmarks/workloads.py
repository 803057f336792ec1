"""The workloads of BENCHMARKS.md, each written once as ordinary PyTorch-style code that takes
the framework module (``minitorch`` or ``torch``) as its first argument.

Each ``make_*`` builds the model, data and optimizer (seeded) and returns ``step()``: one
unit of work (a training step, an inference batch, one W4 chain) that leaves no pending work
behind (it synchronises the GPU when there is one).
"""

from __future__ import annotations


def _sync(torch, device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def make_mlp_train(torch, device: str = "cpu", batch: int = 128, amp: bool = False):
    """W1: MLP 784-512-512-10, ReLU, cross-entropy, Adam(1e-3); one training step (with
    ``amp``: autocast float16 and a GradScaler)."""
    nn, F = torch.nn, torch.nn.functional
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)
    ).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(batch, 784, device=device)
    y = torch.randint(0, 10, (batch,), device=device)
    scaler = torch.amp.GradScaler(device.split(":")[0], enabled=amp)

    def step():
        with torch.autocast(device.split(":")[0], dtype=torch.float16, enabled=amp):
            loss = F.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        _sync(torch, device)

    return step


def make_mlp_infer(torch, device: str = "cpu", batch: int = 128):
    """W1 inference: one forward batch under no_grad."""
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)
    ).to(device)
    model.eval()
    x = torch.randn(batch, 784, device=device)

    def step():
        with torch.no_grad():
            model(x)
        _sync(torch, device)

    return step


def make_cnn_train(torch, device: str = "cpu", batch: int = 64):
    """W2: conv3x3 1->16, ReLU, maxpool2, conv3x3 16->32, ReLU, maxpool2, linear->10, SGD 0.9."""
    nn, F = torch.nn, torch.nn.functional
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 10),
    ).to(device)  # fmt: skip
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(batch, 1, 28, 28, device=device)
    y = torch.randint(0, 10, (batch,), device=device)

    def step():
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        _sync(torch, device)

    return step


class _GPTParts:
    """GPT-mini built from the framework's own layers (the same code for both frameworks)."""

    @staticmethod
    def build(torch, vocab, block, n_layer, n_head, n_embd):
        nn, F = torch.nn, torch.nn.functional

        class Attention(nn.Module):
            def __init__(self):
                super().__init__()
                self.qkv = nn.Linear(n_embd, 3 * n_embd)
                self.proj = nn.Linear(n_embd, n_embd)

            def forward(self, x):
                B, T, C = x.shape
                q, k, v = self.qkv(x).split(C, dim=2)
                q = q.view(B, T, n_head, C // n_head).transpose(1, 2)  # (B, nh, T, hs)
                k = k.view(B, T, n_head, C // n_head).transpose(1, 2)
                v = v.view(B, T, n_head, C // n_head).transpose(1, 2)
                y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
                return self.proj(y.transpose(1, 2).reshape(B, T, C))

        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.ln1, self.ln2 = nn.LayerNorm(n_embd), nn.LayerNorm(n_embd)
                self.attn = Attention()
                self.mlp = nn.Sequential(
                    nn.Linear(n_embd, 4 * n_embd), nn.GELU(), nn.Linear(4 * n_embd, n_embd)
                )

            def forward(self, x):
                x = x + self.attn(self.ln1(x))
                return x + self.mlp(self.ln2(x))

        class GPT(nn.Module):
            def __init__(self):
                super().__init__()
                self.tok = nn.Embedding(vocab, n_embd)
                self.pos = nn.Embedding(block, n_embd)
                self.blocks = nn.Sequential(*[Block() for _ in range(n_layer)])
                self.ln_f = nn.LayerNorm(n_embd)
                self.head = nn.Linear(n_embd, vocab, bias=False)

            def forward(self, idx):
                T = idx.shape[1]
                x = self.tok(idx) + self.pos(torch.arange(T, device=idx.device))
                return self.head(self.ln_f(self.blocks(x)))

        return GPT()


def make_gpt_train(
    torch,
    device: str = "cpu",
    batch: int = 16,
    block: int = 64,
    n_layer: int = 4,
    n_head: int = 4,
    n_embd: int = 128,
    amp: bool = False,
):
    """W3: char-level GPT-mini (vocab 65), pre-LayerNorm, causal attention, GELU MLP, AdamW.
    One training step of ``batch * block`` tokens."""
    F = torch.nn.functional
    torch.manual_seed(0)
    model = _GPTParts.build(torch, 65, block, n_layer, n_head, n_embd).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    idx = torch.randint(0, 65, (batch, block), device=device)
    tgt = torch.randint(0, 65, (batch, block), device=device)
    scaler = torch.amp.GradScaler(device.split(":")[0], enabled=amp)

    def step():
        with torch.autocast(device.split(":")[0], dtype=torch.float16, enabled=amp):
            logits = model(idx)
            loss = F.cross_entropy(logits.reshape(-1, 65), tgt.reshape(-1))
        opt.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        _sync(torch, device)

    step.tokens = batch * block
    return step


def make_op_chain(torch, device: str = "cpu"):
    """W4: 100 x ``y = (y * 1.0001 + 0.001).tanh()`` on 16 floats, then backward (300 ops)."""
    x = torch.randn(16, requires_grad=True, device=device)

    def step():
        y = x
        for _ in range(100):
            y = (y * 1.0001 + 0.001).tanh()
        y.sum().backward()
        _sync(torch, device)

    step.ops = 300
    return step


WORKLOADS = {
    # name: (factory, kwargs, unit, how to turn seconds per step into the unit)
    "W1 train": (make_mlp_train, {}, "steps/s", lambda s, st: 1.0 / s),
    "W1 infer": (make_mlp_infer, {}, "ms/batch", lambda s, st: s * 1e3),
    "W2 train": (make_cnn_train, {}, "steps/s", lambda s, st: 1.0 / s),
    "W3 train": (make_gpt_train, {}, "tokens/s", lambda s, st: st.tokens / s),
    "W4 op": (make_op_chain, {}, "µs/op", lambda s, st: s / st.ops * 1e6),
}
GPU_EXTRA = {
    "W1 b4096": (make_mlp_train, {"batch": 4096}, "steps/s", lambda s, st: 1.0 / s),
    "nanoGPT fp32": (
        make_gpt_train,
        {"batch": 64, "block": 256, "n_layer": 6, "n_head": 6, "n_embd": 384},
        "tokens/s",
        lambda s, st: st.tokens / s,
    ),
    "nanoGPT amp": (
        make_gpt_train,
        {"batch": 64, "block": 256, "n_layer": 6, "n_head": 6, "n_embd": 384, "amp": True},
        "tokens/s",
        lambda s, st: st.tokens / s,
    ),
}
HIGHER_IS_BETTER = {"steps/s": True, "tokens/s": True, "ms/batch": False, "µs/op": False}
