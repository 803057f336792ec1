"""Session 8 compatibility sweep (fourth pass over whole programs): famous model code written
as its authors wrote it (nanoGPT, llama, DDPM, VAE, DCGAN, BERT MLM, CLIP, PPO, GCN, word2vec,
ResNet), small and seeded, run with real PyTorch (the oracle) and with minitorch; losses,
outputs, gradients, shapes and printed reprs must agree."""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass

import pytest
from sweep_harness import Sweep

SWEEP = Sweep(float64={"rtol": 1e-9, "atol": 1e-11})
program = SWEEP.program
error = SWEEP.error
LOOSE = {"rtol": 1e-4, "atol": 1e-5}


@pytest.mark.parametrize("name", SWEEP.programs)
def test_program_matches_pytorch(torch, name):
    SWEEP.check(name, torch)


# ---- nanoGPT (model.py and train.py idioms) -------------------------------------------------
@dataclass
class GPTConfig:
    block_size: int = 8
    vocab_size: int = 13
    n_layer: int = 2
    n_head: int = 2
    n_embd: int = 8
    dropout: float = 0.0
    bias: bool = True


def _nanogpt(torch):
    nn = torch.nn
    F = nn.functional

    class LayerNorm(nn.Module):
        def __init__(self, ndim, bias):
            super().__init__()
            self.weight = nn.Parameter(torch.ones(ndim))
            self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

        def forward(self, input):
            return F.layer_norm(input, self.weight.shape, self.weight, self.bias, 1e-5)

    class CausalSelfAttention(nn.Module):
        def __init__(self, config):
            super().__init__()
            assert config.n_embd % config.n_head == 0
            self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)
            self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
            self.attn_dropout = nn.Dropout(config.dropout)
            self.resid_dropout = nn.Dropout(config.dropout)
            self.n_head = config.n_head
            self.n_embd = config.n_embd
            self.dropout = config.dropout
            self.flash = hasattr(torch.nn.functional, "scaled_dot_product_attention")
            self.register_buffer(
                "bias",
                torch.tril(torch.ones(config.block_size, config.block_size)).view(
                    1, 1, config.block_size, config.block_size
                ),
            )

        def forward(self, x):
            B, T, C = x.size()
            q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
            k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
            q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
            v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
            if self.flash:
                y = torch.nn.functional.scaled_dot_product_attention(
                    q, k, v, attn_mask=None,
                    dropout_p=self.dropout if self.training else 0, is_causal=True,
                )  # fmt: skip
            else:
                att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
                att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
                att = F.softmax(att, dim=-1)
                att = self.attn_dropout(att)
                y = att @ v
            y = y.transpose(1, 2).contiguous().view(B, T, C)
            return self.resid_dropout(self.c_proj(y))

    class MLP(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)
            self.gelu = nn.GELU()
            self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, bias=config.bias)
            self.dropout = nn.Dropout(config.dropout)

        def forward(self, x):
            return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))

    class Block(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.ln_1 = LayerNorm(config.n_embd, bias=config.bias)
            self.attn = CausalSelfAttention(config)
            self.ln_2 = LayerNorm(config.n_embd, bias=config.bias)
            self.mlp = MLP(config)

        def forward(self, x):
            x = x + self.attn(self.ln_1(x))
            x = x + self.mlp(self.ln_2(x))
            return x

    class GPT(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.config = config
            self.transformer = nn.ModuleDict(dict(
                wte=nn.Embedding(config.vocab_size, config.n_embd),
                wpe=nn.Embedding(config.block_size, config.n_embd),
                drop=nn.Dropout(config.dropout),
                h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
                ln_f=LayerNorm(config.n_embd, bias=config.bias),
            ))  # fmt: skip
            self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
            self.transformer.wte.weight = self.lm_head.weight
            self.apply(self._init_weights)
            for pn, p in self.named_parameters():
                if pn.endswith("c_proj.weight"):
                    torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))

        def get_num_params(self, non_embedding=True):
            n_params = sum(p.numel() for p in self.parameters())
            if non_embedding:
                n_params -= self.transformer.wpe.weight.numel()
            return n_params

        def _init_weights(self, module):
            if isinstance(module, nn.Linear):
                torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
                if module.bias is not None:
                    torch.nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Embedding):
                torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

        def forward(self, idx, targets=None):
            device = idx.device
            b, t = idx.size()
            assert t <= self.config.block_size, f"Cannot forward sequence of length {t}"
            pos = torch.arange(0, t, dtype=torch.long, device=device)
            tok_emb = self.transformer.wte(idx)
            pos_emb = self.transformer.wpe(pos)
            x = self.transformer.drop(tok_emb + pos_emb)
            for block in self.transformer.h:
                x = block(x)
            x = self.transformer.ln_f(x)
            if targets is not None:
                logits = self.lm_head(x)
                loss = F.cross_entropy(
                    logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1
                )
            else:
                logits = self.lm_head(x[:, [-1], :])
                loss = None
            return logits, loss

        def crop_block_size(self, block_size):
            assert block_size <= self.config.block_size
            self.config.block_size = block_size
            self.transformer.wpe.weight = nn.Parameter(self.transformer.wpe.weight[:block_size])
            for block in self.transformer.h:
                if hasattr(block.attn, "bias"):
                    block.attn.bias = block.attn.bias[:, :, :block_size, :block_size]

        def configure_optimizers(self, weight_decay, learning_rate, betas, device_type):
            param_dict = {pn: p for pn, p in self.named_parameters()}
            param_dict = {pn: p for pn, p in param_dict.items() if p.requires_grad}
            decay_params = [p for n, p in param_dict.items() if p.dim() >= 2]
            nodecay_params = [p for n, p in param_dict.items() if p.dim() < 2]
            optim_groups = [
                {"params": decay_params, "weight_decay": weight_decay},
                {"params": nodecay_params, "weight_decay": 0.0},
            ]
            num_decay_params = sum(p.numel() for p in decay_params)
            num_nodecay_params = sum(p.numel() for p in nodecay_params)
            self.counts = (len(decay_params), num_decay_params, len(nodecay_params),
                           num_nodecay_params)  # fmt: skip
            fused_available = "fused" in inspect.signature(torch.optim.AdamW).parameters
            use_fused = fused_available and device_type == "cuda"
            extra_args = dict(fused=True) if use_fused else dict()
            optimizer = torch.optim.AdamW(optim_groups, lr=learning_rate, betas=betas, **extra_args)
            self.fused_available = fused_available
            return optimizer

        def estimate_mfu(self, fwdbwd_per_iter, dt):
            N = self.get_num_params()
            cfg = self.config
            L, H, Q, T = cfg.n_layer, cfg.n_head, cfg.n_embd // cfg.n_head, cfg.block_size
            flops_per_token = 6 * N + 12 * L * H * Q * T
            flops_per_fwdbwd = flops_per_token * T
            flops_per_iter = flops_per_fwdbwd * fwdbwd_per_iter
            flops_achieved = flops_per_iter * (1.0 / dt)
            flops_promised = 312e12
            return flops_achieved / flops_promised

        @torch.no_grad()
        def generate(self, idx, max_new_tokens, temperature=1.0, top_k=None):
            for _ in range(max_new_tokens):
                idx_cond = (
                    idx if idx.size(1) <= self.config.block_size
                    else idx[:, -self.config.block_size:]
                )  # fmt: skip
                logits, _ = self(idx_cond)
                logits = logits[:, -1, :] / temperature
                if top_k is not None:
                    v, _ = torch.topk(logits, min(top_k, logits.size(-1)))
                    logits[logits < v[:, [-1]]] = -float("Inf")
                probs = F.softmax(logits, dim=-1)
                idx_next = torch.multinomial(probs, num_samples=1)
                idx = torch.cat((idx, idx_next), dim=1)
            return idx

    return GPT


def _get_batch(torch, data, block_size, batch_size):
    ix = torch.randint(len(data) - block_size, (batch_size,))
    x = torch.stack([torch.from_numpy((data[i : i + block_size]).astype("int64")) for i in ix])
    y = torch.stack([torch.from_numpy((data[i + 1 : i + 1 + block_size]).astype("int64")) for i in ix])  # fmt: skip
    return x, y


def _get_lr(it, warmup_iters=2, lr_decay_iters=6, learning_rate=6e-3, min_lr=6e-4):
    if it < warmup_iters:
        return learning_rate * (it + 1) / (warmup_iters + 1)
    if it > lr_decay_iters:
        return min_lr
    decay_ratio = (it - warmup_iters) / (lr_decay_iters - warmup_iters)
    coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
    return min_lr + coeff * (learning_rate - min_lr)


@program(tol=LOOSE)
def nanogpt_train_loop_with_memmap_batches_lr_schedule_and_clipping(torch):
    import numpy as np

    GPT = _nanogpt(torch)
    model = GPT(GPTConfig())
    data = np.arange(64, dtype=np.uint16) % 13
    optimizer = model.configure_optimizers(0.1, 6e-3, (0.9, 0.95), "cpu")
    ctx = torch.amp.autocast(device_type="cpu", dtype=torch.bfloat16, enabled=False)
    scaler = torch.cuda.amp.GradScaler(enabled=False)
    losses, lrs = [], []
    X, Y = _get_batch(torch, data, 8, 4)
    for it in range(5):
        lr = _get_lr(it)
        for param_group in optimizer.param_groups:
            param_group["lr"] = lr
        for micro_step in range(2):
            with ctx:
                logits, loss = model(X, Y)
                loss = loss / 2
            X, Y = _get_batch(torch, data, 8, 4)
            scaler.scale(loss).backward()
        scaler.unscale_(optimizer)
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item() * 2)
        lrs.append(lr)
    return (losses, lrs, norm, model.counts, model.fused_available, model.get_num_params(),
            model.get_num_params(False), model.lm_head.weight is model.transformer.wte.weight,
            [len(g["params"]) for g in optimizer.param_groups], model.transformer.h[0].attn.c_proj.weight)  # fmt: skip


@program(tol=LOOSE)
def nanogpt_init_std_and_scaled_c_proj(torch):
    GPT = _nanogpt(torch)
    model = GPT(GPTConfig(n_embd=16, n_layer=3))
    return [
        (n, round(p.std().item(), 4) if p.dim() >= 2 else p.sum().item())
        for n, p in model.named_parameters()
    ]


@program(tol=LOOSE)
def nanogpt_generate_with_temperature_and_top_k(torch):
    GPT = _nanogpt(torch)
    model = GPT(GPTConfig())
    model.eval()
    start = torch.zeros((2, 1), dtype=torch.long)
    out = model.generate(start, 12, temperature=0.8, top_k=5)
    out2 = model.generate(start, 3, temperature=1.0, top_k=None)
    logits, loss = model(out[:, :8])
    return out, out2, logits, loss


@program(tol=LOOSE)
def nanogpt_crop_block_size_then_forward_and_backward(torch):
    GPT = _nanogpt(torch)
    model = GPT(GPTConfig(bias=False))
    model.crop_block_size(5)
    x = torch.randint(0, 13, (3, 5))
    logits, loss = model(x, torch.roll(x, -1, 1))
    loss.backward()
    bufs = [tuple(b.shape) for _, b in model.named_buffers()]
    return (logits.shape, loss, model.transformer.wpe.weight.shape,
            model.transformer.wpe.weight.grad, bufs, model.transformer.h[1].ln_1.bias)  # fmt: skip


@program(tol=LOOSE)
def nanogpt_manual_attention_path_equals_flash(torch):
    GPT = _nanogpt(torch)
    model = GPT(GPTConfig())
    x = torch.randint(0, 13, (2, 7))
    y = torch.randint(0, 13, (2, 7))
    y[0, :3] = -1
    a, la = model(x, y)
    for block in model.transformer.h:
        block.attn.flash = False
    b, lb = model(x, y)
    lb.backward()
    return a, la, b, lb, model.transformer.wte.weight.grad


@program
def nanogpt_repr_and_state_dict_keys(torch):
    GPT = _nanogpt(torch)
    model = GPT(GPTConfig(n_layer=1))
    sd = model.state_dict()
    sd_keys = [k for k in sd.keys() if not k.endswith(".attn.bias")]
    return repr(model), sd_keys, list(sd.keys())[:3], len(list(model.parameters()))


@program(tol=LOOSE)
def nanogpt_checkpoint_round_trip_with_unwanted_prefix(torch):
    import io

    GPT = _nanogpt(torch)
    model = GPT(GPTConfig(n_layer=1))
    opt = model.configure_optimizers(0.1, 1e-3, (0.9, 0.95), "cpu")
    x = torch.randint(0, 13, (2, 8))
    _, loss = model(x, x)
    loss.backward()
    opt.step()
    sd = {"_orig_mod." + k: v for k, v in model.state_dict().items()}
    buf = io.BytesIO()
    torch.save({"model": sd, "optimizer": opt.state_dict(), "iter_num": 1,
                "best_val_loss": loss.detach(), "config": {"n_layer": 1}}, buf)  # fmt: skip
    buf.seek(0)
    checkpoint = torch.load(buf, map_location="cpu")
    state_dict = checkpoint["model"]
    unwanted_prefix = "_orig_mod."
    for k, v in list(state_dict.items()):
        if k.startswith(unwanted_prefix):
            state_dict[k[len(unwanted_prefix):]] = state_dict.pop(k)
    model2 = GPT(GPTConfig(n_layer=1))
    model2.load_state_dict(state_dict)
    opt2 = model2.configure_optimizers(0.1, 1e-3, (0.9, 0.95), "cpu")
    opt2.load_state_dict(checkpoint["optimizer"])
    _, l1 = model(x, x)
    _, l2 = model2(x, x)
    st = opt2.state_dict()["state"][0]
    return l1, l2, checkpoint["best_val_loss"], st["step"], st["exp_avg"], model2.lm_head.weight is model2.transformer.wte.weight  # fmt: skip


# ---- llama-style block ------------------------------------------------------------------------
def _llama(torch, dim=16, n_heads=4, n_kv_heads=2, max_seq=16, vocab=11, n_layers=2):
    nn = torch.nn
    F = nn.functional

    class RMSNorm(torch.nn.Module):
        def __init__(self, dim: int, eps: float = 1e-6):
            super().__init__()
            self.eps = eps
            self.weight = nn.Parameter(torch.ones(dim))

        def _norm(self, x):
            return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)

        def forward(self, x):
            output = self._norm(x.float()).type_as(x)
            return output * self.weight

    def precompute_cos_sin(dim, end, theta=10000.0):
        freqs = 1.0 / (theta ** (torch.arange(0, dim, 2)[: (dim // 2)].float() / dim))
        t = torch.arange(end, device=freqs.device, dtype=torch.float32)
        freqs = torch.outer(t, freqs)
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos(), emb.sin()

    def rotate_half(x):
        x1 = x[..., : x.shape[-1] // 2]
        x2 = x[..., x.shape[-1] // 2 :]
        return torch.cat((-x2, x1), dim=-1)

    def apply_rotary_pos_emb(q, k, cos, sin, position_ids):
        cos = cos[position_ids].unsqueeze(1)
        sin = sin[position_ids].unsqueeze(1)
        return (q * cos) + (rotate_half(q) * sin), (k * cos) + (rotate_half(k) * sin)

    def repeat_kv(hidden_states, n_rep):
        batch, num_key_value_heads, slen, head_dim = hidden_states.shape
        if n_rep == 1:
            return hidden_states
        hidden_states = hidden_states[:, :, None, :, :].expand(
            batch, num_key_value_heads, n_rep, slen, head_dim
        )
        return hidden_states.reshape(batch, num_key_value_heads * n_rep, slen, head_dim)

    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.n_heads, self.n_kv = n_heads, n_kv_heads
            self.head_dim = dim // n_heads
            self.wq = nn.Linear(dim, n_heads * self.head_dim, bias=False)
            self.wk = nn.Linear(dim, n_kv_heads * self.head_dim, bias=False)
            self.wv = nn.Linear(dim, n_kv_heads * self.head_dim, bias=False)
            self.wo = nn.Linear(n_heads * self.head_dim, dim, bias=False)

        def forward(self, x, cos, sin, position_ids, past_kv=None):
            bsz, q_len, _ = x.size()
            q = self.wq(x).view(bsz, q_len, self.n_heads, self.head_dim).transpose(1, 2)
            k = self.wk(x).view(bsz, q_len, self.n_kv, self.head_dim).transpose(1, 2)
            v = self.wv(x).view(bsz, q_len, self.n_kv, self.head_dim).transpose(1, 2)
            q, k = apply_rotary_pos_emb(q, k, cos, sin, position_ids)
            if past_kv is not None:
                k = torch.cat([past_kv[0], k], dim=2)
                v = torch.cat([past_kv[1], v], dim=2)
            present = (k, v)
            k = repeat_kv(k, self.n_heads // self.n_kv)
            v = repeat_kv(v, self.n_heads // self.n_kv)
            out = F.scaled_dot_product_attention(q, k, v, is_causal=past_kv is None and q_len > 1)
            out = out.transpose(1, 2).contiguous().view(bsz, q_len, -1)
            return self.wo(out), present

    class FeedForward(nn.Module):
        def __init__(self, hidden_dim=None, multiple_of=8, ffn_dim_multiplier=None):
            super().__init__()
            hidden_dim = hidden_dim or 4 * dim
            hidden_dim = int(2 * hidden_dim / 3)
            if ffn_dim_multiplier is not None:
                hidden_dim = int(ffn_dim_multiplier * hidden_dim)
            hidden_dim = multiple_of * ((hidden_dim + multiple_of - 1) // multiple_of)
            self.w1 = nn.Linear(dim, hidden_dim, bias=False)
            self.w2 = nn.Linear(hidden_dim, dim, bias=False)
            self.w3 = nn.Linear(dim, hidden_dim, bias=False)

        def forward(self, x):
            return self.w2(F.silu(self.w1(x)) * self.w3(x))

    class TransformerBlock(nn.Module):
        def __init__(self):
            super().__init__()
            self.attention = Attention()
            self.feed_forward = FeedForward()
            self.attention_norm = RMSNorm(dim)
            self.ffn_norm = RMSNorm(dim)

        def forward(self, x, cos, sin, pos, past_kv=None):
            a, present = self.attention(self.attention_norm(x), cos, sin, pos, past_kv)
            h = x + a
            return h + self.feed_forward(self.ffn_norm(h)), present

    class Transformer(nn.Module):
        def __init__(self):
            super().__init__()
            self.tok_embeddings = nn.Embedding(vocab, dim)
            self.layers = torch.nn.ModuleList([TransformerBlock() for _ in range(n_layers)])
            self.norm = RMSNorm(dim)
            self.output = nn.Linear(dim, vocab, bias=False)
            cos, sin = precompute_cos_sin(dim // n_heads, max_seq * 2)
            self.register_buffer("cos", cos, persistent=False)
            self.register_buffer("sin", sin, persistent=False)

        def forward(self, tokens, start_pos=0, cache=None):
            _bsz, seqlen = tokens.shape
            h = self.tok_embeddings(tokens)
            pos = torch.arange(start_pos, start_pos + seqlen).unsqueeze(0).expand(_bsz, -1)
            presents = []
            for i, layer in enumerate(self.layers):
                h, present = layer(h, self.cos, self.sin, pos, None if cache is None else cache[i])
                presents.append(present)
            return self.output(self.norm(h)).float(), presents

    return Transformer, RMSNorm, repeat_kv


@program(tol=LOOSE)
def llama_training_steps_with_gqa_and_rope(torch):
    Transformer, _, _ = _llama(torch)
    model = Transformer()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, betas=(0.9, 0.95), weight_decay=0.1, eps=1e-5)  # fmt: skip
    tokens = torch.randint(0, 11, (2, 9))
    losses = []
    for _ in range(3):
        logits, _ = model(tokens[:, :-1])
        loss = torch.nn.functional.cross_entropy(logits.transpose(1, 2), tokens[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, model.layers[0].attention.wk.weight.grad, model.norm.weight.grad, list(model.state_dict())  # fmt: skip


@program(tol=LOOSE)
def llama_kv_cache_decode_matches_full_forward(torch):
    Transformer, _, _ = _llama(torch)
    model = Transformer().eval()
    tokens = torch.randint(0, 11, (2, 6))
    with torch.inference_mode():
        full, _ = model(tokens)
        prefix, cache = model(tokens[:, :4])
        outs = [prefix[:, -1]]
        for t in range(4, 6):
            step, cache = model(tokens[:, t : t + 1], start_pos=t, cache=cache)
            outs.append(step[:, -1])
        greedy = torch.argmax(full[:, -1], dim=-1, keepdim=True)
    return full[:, 3:], torch.stack(outs, 1), cache[0][0].shape, greedy, full.is_inference()


@program(tol=LOOSE)
def llama_rmsnorm_bf16_and_half_type_as(torch):
    _, RMSNorm, repeat_kv = _llama(torch)
    norm = RMSNorm(8)
    x = torch.randn(2, 3, 8)
    outs = [norm(x), norm(x.half()).dtype, norm.half()(x.half()).dtype]
    ref = torch.nn.RMSNorm(8, eps=1e-6)
    kv = torch.randn(1, 2, 3, 4)
    r = repeat_kv(kv, 3)
    return outs, ref(x), r, r.is_contiguous(), torch.repeat_interleave(kv, 3, dim=1).equal(r)


@program(tol=LOOSE)
def llama_sdpa_with_boolean_and_float_masks_and_gqa_flag(torch):
    F = torch.nn.functional
    q = torch.randn(2, 4, 5, 8, requires_grad=True)
    k = torch.randn(2, 2, 7, 8, requires_grad=True)
    v = torch.randn(2, 2, 7, 8)
    mask = torch.ones(5, 7, dtype=torch.bool).tril(diagonal=2)
    a = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=True)
    fmask = torch.zeros(5, 7).masked_fill(~mask, float("-inf"))
    b = F.scaled_dot_product_attention(q, k.repeat_interleave(2, 1), v.repeat_interleave(2, 1),
                                       attn_mask=fmask, scale=0.5)  # fmt: skip
    (a.sum() + b.pow(2).sum()).backward()
    return a, b, q.grad, k.grad


@program
def llama_causal_sdpa_given_an_attn_mask_too(torch):
    q = torch.randn(1, 2, 3, 4)
    return torch.nn.functional.scaled_dot_product_attention(
        q, q, q, attn_mask=torch.ones(3, 3, dtype=torch.bool), is_causal=True
    )


# ---- DDPM UNet piece ----------------------------------------------------------------------------
def _timestep_embedding(torch, timesteps, embedding_dim):
    half_dim = embedding_dim // 2
    emb = math.log(10000) / (half_dim - 1)
    emb = torch.exp(torch.arange(half_dim, dtype=torch.float32) * -emb)
    emb = emb.to(device=timesteps.device)
    emb = timesteps.float()[:, None] * emb[None, :]
    emb = torch.cat([torch.sin(emb), torch.cos(emb)], dim=1)
    if embedding_dim % 2 == 1:
        emb = torch.nn.functional.pad(emb, (0, 1, 0, 0))
    return emb


def _unet(torch, ch=8, temb_ch=16):
    nn = torch.nn
    F = nn.functional

    def Normalize(c):
        return nn.GroupNorm(num_groups=4, num_channels=c, eps=1e-6, affine=True)

    def nonlinearity(x):
        return x * torch.sigmoid(x)

    class ResnetBlock(nn.Module):
        def __init__(self, in_channels, out_channels, dropout=0.1):
            super().__init__()
            self.norm1 = Normalize(in_channels)
            self.conv1 = nn.Conv2d(in_channels, out_channels, 3, 1, 1)
            self.temb_proj = nn.Linear(temb_ch, out_channels)
            self.norm2 = Normalize(out_channels)
            self.dropout = nn.Dropout(dropout)
            self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1)
            self.nin_shortcut = (
                nn.Conv2d(in_channels, out_channels, 1) if in_channels != out_channels else None
            )

        def forward(self, x, temb):
            h = self.conv1(nonlinearity(self.norm1(x)))
            h = h + self.temb_proj(nonlinearity(temb))[:, :, None, None]
            h = self.conv2(self.dropout(nonlinearity(self.norm2(h))))
            if self.nin_shortcut is not None:
                x = self.nin_shortcut(x)
            return x + h

    class AttnBlock(nn.Module):
        def __init__(self, c):
            super().__init__()
            self.norm = Normalize(c)
            self.q, self.k, self.v = (nn.Conv2d(c, c, 1) for _ in range(3))
            self.proj_out = nn.Conv2d(c, c, 1)

        def forward(self, x):
            h_ = self.norm(x)
            q, k, v = self.q(h_), self.k(h_), self.v(h_)
            b, c, h, w = q.shape
            q = q.reshape(b, c, h * w).permute(0, 2, 1)
            k = k.reshape(b, c, h * w)
            w_ = torch.bmm(q, k) * (int(c) ** (-0.5))
            w_ = F.softmax(w_, dim=2)
            v = v.reshape(b, c, h * w)
            h_ = torch.bmm(v, w_.permute(0, 2, 1)).reshape(b, c, h, w)
            return x + self.proj_out(h_)

    class UNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.temb = nn.Module()
            self.temb.dense = nn.ModuleList([nn.Linear(ch, temb_ch), nn.Linear(temb_ch, temb_ch)])
            self.conv_in = nn.Conv2d(1, ch, 3, 1, 1)
            self.down = ResnetBlock(ch, 2 * ch)
            self.downsample = nn.Conv2d(2 * ch, 2 * ch, 3, 2, 0)
            self.mid = AttnBlock(2 * ch)
            self.up = ResnetBlock(4 * ch, ch)
            self.upconv = nn.Conv2d(2 * ch, 2 * ch, 3, 1, 1)
            self.norm_out = Normalize(ch)
            self.conv_out = nn.Conv2d(ch, 1, 3, 1, 1)

        def forward(self, x, t):
            temb = _timestep_embedding(torch, t, ch)
            temb = self.temb.dense[1](nonlinearity(self.temb.dense[0](temb)))
            h0 = self.down(self.conv_in(x), temb)
            h = self.downsample(F.pad(h0, (0, 1, 0, 1), mode="constant", value=0))
            h = self.mid(h)
            h = F.interpolate(h, scale_factor=2.0, mode="nearest")
            h = self.upconv(h)
            h = self.up(torch.cat([h, h0], dim=1), temb)
            return self.conv_out(nonlinearity(self.norm_out(h)))

    return UNet


def _extract(a, t, x_shape):
    b, *_ = t.shape
    out = a.gather(-1, t)
    return out.reshape(b, *((1,) * (len(x_shape) - 1)))


@program(tol=LOOSE)
def ddpm_unet_training_with_linear_beta_schedule_and_gather(torch):
    F = torch.nn.functional
    T = 50
    betas = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
    alphas = 1.0 - betas
    alphas_cumprod = torch.cumprod(alphas, dim=0)
    alphas_cumprod_prev = F.pad(alphas_cumprod[:-1], (1, 0), value=1.0)
    to32 = lambda a: a.to(torch.float32)  # noqa: E731
    sqrt_ac = to32(torch.sqrt(alphas_cumprod))
    sqrt_1mac = to32(torch.sqrt(1.0 - alphas_cumprod))
    posterior_variance = betas * (1.0 - alphas_cumprod_prev) / (1.0 - alphas_cumprod)
    posterior_log_var = torch.log(posterior_variance.clamp(min=1e-20))
    model = _unet(torch)()
    opt = torch.optim.Adam(model.parameters(), lr=2e-4)
    x_start = torch.rand(3, 1, 8, 8) * 2 - 1
    losses = []
    for _ in range(3):
        t = torch.randint(0, T, (x_start.shape[0],), device=x_start.device).long()
        noise = torch.randn_like(x_start)
        x_noisy = _extract(sqrt_ac, t, x_start.shape) * x_start + _extract(sqrt_1mac, t, x_start.shape) * noise  # fmt: skip
        predicted = model(x_noisy, t)
        loss = F.mse_loss(noise, predicted)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return (losses, posterior_log_var[:4], alphas_cumprod_prev[:3], model.mid.q.weight.grad,
            model.temb.dense[0].bias.grad, model.down.norm1.weight)  # fmt: skip


@program(tol=LOOSE)
def ddpm_reverse_sampling_loop_in_eval_mode(torch):
    T = 10
    betas = torch.linspace(0.0001, 0.02, T)
    alphas = 1.0 - betas
    alphas_cumprod = torch.cumprod(alphas, axis=0)
    alphas_cumprod_prev = torch.nn.functional.pad(alphas_cumprod[:-1], (1, 0), value=1.0)
    sqrt_recip_alphas = torch.sqrt(1.0 / alphas)
    posterior_variance = betas * (1.0 - alphas_cumprod_prev) / (1.0 - alphas_cumprod)
    model = _unet(torch)().eval()
    img = torch.randn((2, 1, 8, 8))
    imgs = []
    with torch.no_grad():
        for i in reversed(range(0, T)):
            t = torch.full((2,), i, dtype=torch.long)
            beta_t = _extract(betas, t, img.shape)
            s1m = _extract(torch.sqrt(1.0 - alphas_cumprod), t, img.shape)
            mean = _extract(sqrt_recip_alphas, t, img.shape) * (img - beta_t * model(img, t) / s1m)
            if i == 0:
                img = mean
            else:
                img = mean + torch.sqrt(_extract(posterior_variance, t, img.shape)) * torch.randn_like(img)  # fmt: skip
            imgs.append(img.clamp(-1, 1).cpu().numpy())
    return img, imgs[-1], _timestep_embedding(torch, torch.tensor([0, 3, 49]), 7)


# ---- VAE ------------------------------------------------------------------------------------------
@program(tol=LOOSE)
def vae_with_bce_with_logits_kl_and_sampling(torch):
    nn = torch.nn
    F = nn.functional

    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(16, 12)
            self.fc21 = nn.Linear(12, 3)
            self.fc22 = nn.Linear(12, 3)
            self.fc3 = nn.Linear(3, 12)
            self.fc4 = nn.Linear(12, 16)

        def encode(self, x):
            h1 = F.relu(self.fc1(x))
            return self.fc21(h1), self.fc22(h1)

        def reparameterize(self, mu, logvar):
            std = torch.exp(0.5 * logvar)
            eps = torch.randn_like(std)
            return mu + eps * std

        def decode(self, z):
            return self.fc4(F.relu(self.fc3(z)))

        def forward(self, x):
            mu, logvar = self.encode(x.view(-1, 16))
            z = self.reparameterize(mu, logvar)
            return self.decode(z), mu, logvar

    def loss_function(recon_logits, x, mu, logvar):
        BCE = F.binary_cross_entropy_with_logits(recon_logits, x.view(-1, 16), reduction="sum")
        KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return BCE + KLD, BCE, KLD

    model = VAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    data = (torch.rand(6, 1, 4, 4) > 0.5).float()
    log = []
    model.train()
    for epoch in range(3):
        optimizer.zero_grad()
        recon, mu, logvar = model(data)
        loss, bce, kld = loss_function(recon, data, mu, logvar)
        loss.backward()
        optimizer.step()
        log.append((loss.item() / len(data), bce.item(), kld.item()))
    model.eval()
    with torch.no_grad():
        sample = torch.randn(4, 3)
        sample = torch.sigmoid(model.decode(sample)).cpu()
        recon, mu, _ = model(data)
        comparison = torch.cat([data[:2], torch.sigmoid(recon).view(6, 1, 4, 4)[:2]])
    return log, sample, comparison.shape, mu, model.fc22.weight.grad


@program(tol=LOOSE)
def conv_vae_with_beta_kl_annealing_and_logvar_clamp(torch):
    nn = torch.nn
    F = nn.functional
    enc = nn.Sequential(nn.Conv2d(1, 4, 3, 2, 1), nn.LeakyReLU(), nn.Conv2d(4, 8, 3, 2, 1),
                        nn.LeakyReLU(), nn.Flatten(start_dim=1))  # fmt: skip
    fc_mu, fc_var = nn.Linear(32, 2), nn.Linear(32, 2)
    dec_in = nn.Linear(2, 32)
    dec = nn.Sequential(nn.Unflatten(1, (8, 2, 2)),
                        nn.ConvTranspose2d(8, 4, 3, 2, 1, output_padding=1), nn.LeakyReLU(),
                        nn.ConvTranspose2d(4, 1, 3, 2, 1, output_padding=1))  # fmt: skip
    params = [*enc.parameters(), *fc_mu.parameters(), *fc_var.parameters(), *dec_in.parameters(), *dec.parameters()]  # fmt: skip
    opt = torch.optim.Adam(params, lr=5e-3)
    x = torch.rand(4, 1, 8, 8)
    out = []
    for step in range(3):
        h = enc(x)
        mu, log_var = fc_mu(h), torch.clamp(fc_var(h), -10, 10)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * log_var)
        recon = dec(dec_in(z))
        recons_loss = F.mse_loss(recon, x)
        kld_loss = torch.mean(-0.5 * torch.sum(1 + log_var - mu**2 - log_var.exp(), dim=1), dim=0)
        beta = min(1.0, step / 2)
        loss = recons_loss + beta * 0.01 * kld_loss
        opt.zero_grad()
        loss.backward()
        opt.step()
        out.append([loss.item(), recons_loss.detach(), -kld_loss.detach()])
    return out, recon.shape, dec[1].weight.grad, str(enc)


@program
def randn_like_of_an_image_batch_with_one_channel(torch):
    x = torch.rand(3, 1, 8, 8)
    noise = torch.randn_like(x)
    masks = torch.rand_like(x[:, :1]), torch.randn_like(torch.zeros(2, 1, 1, 4))
    return noise, masks, torch.randn_like(x.permute(0, 2, 3, 1)).shape
