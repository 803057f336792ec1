"""Session 8 compatibility sweep (fourth pass over whole programs): famous model code written
as its authors wrote it (nanoGPT, llama, DDPM, VAE, DCGAN, BERT MLM, CLIP, PPO, GCN, word2vec,
ResNet), small and seeded, run with real PyTorch (the oracle) and with minitorch; losses,
outputs, gradients, shapes and printed reprs must agree."""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass

from sweep_harness import Sweep

SWEEP = Sweep(float64={"rtol": 1e-9, "atol": 1e-11})
program = SWEEP.program
error = SWEEP.error
LOOSE = {"rtol": 1e-4, "atol": 1e-5}


test_program_matches_pytorch = SWEEP.test()


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
        for _micro_step in range(2):
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
    for k in list(state_dict):
        if k.startswith(unwanted_prefix):
            state_dict[k[len(unwanted_prefix) :]] = state_dict.pop(k)
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
    for _epoch in range(3):
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


# ---- DCGAN -------------------------------------------------------------------------------------
def _dcgan_init(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        m.weight.data.normal_(0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        m.weight.data.normal_(1.0, 0.02)
        m.bias.data.fill_(0)


@program(tol=LOOSE)
def dcgan_step_with_bce_with_logits_and_label_smoothing(torch):
    nn = torch.nn
    nz, ngf, ndf = 5, 4, 4
    netG = nn.Sequential(
        nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
        nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
        nn.ConvTranspose2d(ngf, 3, 4, 2, 1, bias=False), nn.Tanh(),
    )  # fmt: skip
    netD = nn.Sequential(
        nn.Conv2d(3, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2),
        nn.LeakyReLU(0.2, inplace=True), nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False),
    )  # fmt: skip
    netG.apply(_dcgan_init)
    netD.apply(_dcgan_init)
    criterion = nn.BCEWithLogitsLoss()
    optimizerD = torch.optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optimizerG = torch.optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))
    real_label, fake_label = 0.9, 0.0
    real_cpu = torch.rand(4, 3, 16, 16) * 2 - 1
    b_size = real_cpu.size(0)
    log = []
    for _ in range(2):
        netD.zero_grad()
        label = torch.full((b_size,), real_label, dtype=torch.float)
        output = netD(real_cpu).view(-1)
        errD_real = criterion(output, label)
        errD_real.backward()
        D_x = torch.sigmoid(output).mean().item()
        noise = torch.randn(b_size, nz, 1, 1)
        fake = netG(noise)
        label.fill_(fake_label)
        output = netD(fake.detach()).view(-1)
        errD_fake = criterion(output, label)
        errD_fake.backward()
        errD = errD_real + errD_fake
        optimizerD.step()
        netG.zero_grad()
        label.fill_(real_label)
        output = netD(fake).view(-1)
        errG = criterion(output, label)
        errG.backward()
        optimizerG.step()
        log.append([errD.item(), errG.item(), D_x])
    return (log, fake.shape, netG[1].running_var, netD[3].num_batches_tracked,
            netG[0].weight.grad, netD[0].weight.grad, repr(netG))  # fmt: skip


@program(tol=LOOSE)
def conv_transpose_output_size_and_groups_in_a_generator(torch):
    nn = torch.nn
    up = nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, groups=2, dilation=1)
    x = torch.randn(2, 4, 5, 5, requires_grad=True)
    a = up(x, output_size=[10, 10])
    b = up(x)
    up1 = nn.ConvTranspose1d(3, 2, 4, stride=3, padding=2, output_padding=1, bias=False)
    c = up1(torch.randn(1, 3, 6))
    (a.sum() + b.square().sum() + c.sum()).backward()
    return a.shape, b.shape, c, x.grad, up.weight.grad, up.weight.shape


# ---- BERT-style MLM -----------------------------------------------------------------------------
def _mask_tokens(torch, inputs, mask_token_id, vocab_size, special, mlm_probability=0.15):
    labels = inputs.clone()
    probability_matrix = torch.full(labels.shape, mlm_probability)
    special_tokens_mask = torch.isin(labels, torch.tensor(special))
    probability_matrix.masked_fill_(special_tokens_mask, value=0.0)
    masked_indices = torch.bernoulli(probability_matrix).bool()
    labels[~masked_indices] = -100
    indices_replaced = torch.bernoulli(torch.full(labels.shape, 0.8)).bool() & masked_indices
    inputs[indices_replaced] = mask_token_id
    indices_random = (
        torch.bernoulli(torch.full(labels.shape, 0.5)).bool() & masked_indices & ~indices_replaced
    )
    random_words = torch.randint(vocab_size, labels.shape, dtype=torch.long)
    inputs[indices_random] = random_words[indices_random]
    return inputs, labels


@program(tol=LOOSE)
def bert_mlm_masking_and_encoder_training(torch):
    nn = torch.nn
    vocab, d = 20, 16
    PAD, CLS, SEP, MASK = 0, 1, 2, 3
    ids = torch.randint(4, vocab, (4, 10))
    ids[:, 0] = CLS
    ids[:, -1] = SEP
    ids[2, 7:] = PAD
    attention_mask = (ids != PAD).long()
    inputs, labels = _mask_tokens(torch, ids.clone(), MASK, vocab, [PAD, CLS, SEP], 0.3)

    class Bert(nn.Module):
        def __init__(self):
            super().__init__()
            self.word = nn.Embedding(vocab, d, padding_idx=PAD)
            self.pos = nn.Embedding(10, d)
            self.tok_type = nn.Embedding(2, d)
            self.ln = nn.LayerNorm(d, eps=1e-12)
            layer = nn.TransformerEncoderLayer(d, 2, 32, dropout=0.0, activation="gelu", batch_first=True)  # fmt: skip
            self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
            self.transform = nn.Sequential(nn.Linear(d, d), nn.GELU(approximate="tanh"), nn.LayerNorm(d))  # fmt: skip
            self.decoder = nn.Linear(d, vocab)
            self.decoder.weight = self.word.weight

        def forward(self, input_ids, attention_mask):
            pos = torch.arange(input_ids.size(1)).expand_as(input_ids)
            h = self.ln(self.word(input_ids) + self.pos(pos) + self.tok_type(torch.zeros_like(input_ids)))  # fmt: skip
            h = self.encoder(h, src_key_padding_mask=attention_mask == 0)
            return self.decoder(self.transform(h))

    model = Bert()
    loss_fct = nn.CrossEntropyLoss(ignore_index=-100)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(3):
        logits = model(inputs, attention_mask)
        loss = loss_fct(logits.view(-1, vocab), labels.view(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    pred = logits.argmax(-1)
    acc = (pred[labels != -100] == labels[labels != -100]).float().mean()
    return inputs, labels, losses, acc, model.word.weight.grad[PAD], model.pos.weight.grad


@program
def extended_attention_mask_with_finfo_min(torch):
    attention_mask = torch.tensor([[1, 1, 1, 0], [1, 1, 0, 0]])
    dtype = torch.float16
    ext = attention_mask[:, None, None, :].to(dtype=dtype)
    ext = (1.0 - ext) * torch.finfo(dtype).min
    scores = torch.zeros(2, 1, 4, 4, dtype=dtype) + ext
    probs = torch.nn.functional.softmax(scores.float(), dim=-1).to(dtype)
    return ext, probs, torch.finfo(torch.float32).min, torch.finfo(dtype).eps


# ---- CLIP ------------------------------------------------------------------------------------------
@program(tol=LOOSE)
def clip_contrastive_loss_with_learnable_temperature(torch):
    import numpy as np

    nn = torch.nn
    F = nn.functional
    image_encoder = nn.Sequential(nn.Conv2d(3, 4, 3, 2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())  # fmt: skip
    text_embed = nn.Embedding(12, 6)
    image_projection = nn.Parameter(torch.empty(4, 5))
    text_projection = nn.Parameter(torch.empty(6, 5))
    nn.init.normal_(image_projection, std=4**-0.5)
    nn.init.normal_(text_projection, std=6**-0.5)
    logit_scale = nn.Parameter(torch.ones([]) * np.log(1 / 0.07))
    params = [*image_encoder.parameters(), *text_embed.parameters(), image_projection, text_projection, logit_scale]  # fmt: skip
    opt = torch.optim.AdamW(params, lr=1e-2, weight_decay=0.2, betas=(0.9, 0.98), eps=1e-6)
    images = torch.randn(4, 3, 9, 9)
    text = torch.randint(0, 12, (4, 7))
    eot = torch.tensor([6, 3, 4, 2])
    losses = []
    for _ in range(3):
        image_features = image_encoder(images) @ image_projection
        x = text_embed(text)
        text_features = x[torch.arange(x.shape[0]), eot] @ text_projection
        image_features = image_features / image_features.norm(dim=1, keepdim=True)
        text_features = F.normalize(text_features, dim=-1)
        scale = logit_scale.exp()
        logits_per_image = scale * image_features @ text_features.t()
        logits_per_text = logits_per_image.t()
        labels = torch.arange(len(logits_per_image), dtype=torch.long)
        loss = (F.cross_entropy(logits_per_image, labels) + F.cross_entropy(logits_per_text, labels)) / 2  # fmt: skip
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            logit_scale.clamp_(0, math.log(100))
        losses.append(loss.item())
    probs = logits_per_image.softmax(dim=-1)
    return losses, logit_scale, logit_scale.grad, probs, text_projection.grad, logit_scale.shape


@program(tol=LOOSE)
def clip_zero_shot_top5_with_similarity_and_topk(torch):
    image_features = torch.randn(3, 8)
    text_features = torch.randn(10, 8)
    image_features /= image_features.norm(dim=-1, keepdim=True)
    text_features /= text_features.norm(dim=-1, keepdim=True)
    similarity = (100.0 * image_features @ text_features.T).softmax(dim=-1)
    values, indices = similarity[0].topk(5)
    lines = [f"{i.item():>3}: {100 * v.item():.2f}%" for v, i in zip(values, indices)]
    sig = torch.nn.functional.logsigmoid(torch.tensor(10.0) * image_features @ text_features[:3].T - 10.0)  # fmt: skip
    return values, indices, lines, similarity.sum(-1), sig


# ---- PPO ----------------------------------------------------------------------------------------
def _layer_init(torch, layer, std=2**0.5, bias_const=0.0):
    torch.nn.init.orthogonal_(layer.weight, std)
    torch.nn.init.constant_(layer.bias, bias_const)
    return layer


@program(tol=LOOSE)
def cleanrl_ppo_update_with_gae_and_minibatches(torch):
    import numpy as np

    nn = torch.nn
    Categorical = torch.distributions.categorical.Categorical

    class Agent(nn.Module):
        def __init__(self, obs=4, act=3):
            super().__init__()
            self.critic = nn.Sequential(
                _layer_init(torch, nn.Linear(obs, 16)), nn.Tanh(),
                _layer_init(torch, nn.Linear(16, 1), std=1.0),
            )  # fmt: skip
            self.actor = nn.Sequential(
                _layer_init(torch, nn.Linear(obs, 16)), nn.Tanh(),
                _layer_init(torch, nn.Linear(16, act), std=0.01),
            )  # fmt: skip

        def get_value(self, x):
            return self.critic(x)

        def get_action_and_value(self, x, action=None):
            logits = self.actor(x)
            probs = Categorical(logits=logits)
            if action is None:
                action = probs.sample()
            return action, probs.log_prob(action), probs.entropy(), self.critic(x)

    num_steps, num_envs, gamma, gae_lambda = 6, 2, 0.99, 0.95
    agent = Agent()
    optimizer = torch.optim.Adam(agent.parameters(), lr=2.5e-4, eps=1e-5)
    obs = torch.zeros((num_steps, num_envs, 4))
    actions = torch.zeros((num_steps, num_envs))
    logprobs = torch.zeros((num_steps, num_envs))
    rewards = torch.zeros((num_steps, num_envs))
    dones = torch.zeros((num_steps, num_envs))
    values = torch.zeros((num_steps, num_envs))
    next_obs = torch.randn(num_envs, 4)
    next_done = torch.zeros(num_envs)
    for step in range(num_steps):
        obs[step] = next_obs
        dones[step] = next_done
        with torch.no_grad():
            action, logprob, _, value = agent.get_action_and_value(next_obs)
            values[step] = value.flatten()
        actions[step] = action
        logprobs[step] = logprob
        reward = np.array([1.0, -0.5]) * (step % 3)
        rewards[step] = torch.tensor(reward).view(-1)
        next_obs = torch.randn(num_envs, 4)
        next_done = torch.Tensor(np.array([step == 3, False], dtype=np.float32))
    with torch.no_grad():
        next_value = agent.get_value(next_obs).reshape(1, -1)
        advantages = torch.zeros_like(rewards)
        lastgaelam = 0
        for t in reversed(range(num_steps)):
            if t == num_steps - 1:
                nextnonterminal = 1.0 - next_done
                nextvalues = next_value
            else:
                nextnonterminal = 1.0 - dones[t + 1]
                nextvalues = values[t + 1]
            delta = rewards[t] + gamma * nextvalues * nextnonterminal - values[t]
            advantages[t] = lastgaelam = delta + gamma * gae_lambda * nextnonterminal * lastgaelam
        returns = advantages + values
    b_obs = obs.reshape((-1, 4))
    b_logprobs = logprobs.reshape(-1)
    b_actions = actions.reshape(-1)
    b_advantages = advantages.reshape(-1)
    b_returns = returns.reshape(-1)
    b_values = values.reshape(-1)
    b_inds = np.arange(12)
    rng = np.random.default_rng(0)
    clipfracs, log = [], []
    for _epoch in range(2):
        rng.shuffle(b_inds)
        for start in range(0, 12, 6):
            mb_inds = b_inds[start : start + 6]
            _, newlogprob, entropy, newvalue = agent.get_action_and_value(b_obs[mb_inds], b_actions.long()[mb_inds])  # fmt: skip
            logratio = newlogprob - b_logprobs[mb_inds]
            ratio = logratio.exp()
            with torch.no_grad():
                old_approx_kl = (-logratio).mean()
                approx_kl = ((ratio - 1) - logratio).mean()
                clipfracs += [((ratio - 1.0).abs() > 0.2).float().mean().item()]
            mb_advantages = b_advantages[mb_inds]
            mb_advantages = (mb_advantages - mb_advantages.mean()) / (mb_advantages.std() + 1e-8)
            pg_loss1 = -mb_advantages * ratio
            pg_loss2 = -mb_advantages * torch.clamp(ratio, 1 - 0.2, 1 + 0.2)
            pg_loss = torch.max(pg_loss1, pg_loss2).mean()
            newvalue = newvalue.view(-1)
            v_loss_unclipped = (newvalue - b_returns[mb_inds]) ** 2
            v_clipped = b_values[mb_inds] + torch.clamp(newvalue - b_values[mb_inds], -0.2, 0.2)
            v_loss_clipped = (v_clipped - b_returns[mb_inds]) ** 2
            v_loss = 0.5 * torch.max(v_loss_unclipped, v_loss_clipped).mean()
            entropy_loss = entropy.mean()
            loss = pg_loss - 0.01 * entropy_loss + v_loss * 0.5
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(agent.parameters(), 0.5)
            optimizer.step()
            log.append([loss.item(), old_approx_kl.item(), approx_kl.item()])
    y_pred, y_true = b_values.cpu().numpy(), b_returns.cpu().numpy()
    var_y = np.var(y_true)
    explained_var = np.nan if var_y == 0 else 1 - np.var(y_true - y_pred) / var_y
    return actions, advantages, returns, log, clipfracs, float(explained_var), agent.actor[2].weight.grad  # fmt: skip


@program(tol=LOOSE)
def ppo_continuous_normal_policy_with_state_independent_log_std(torch):
    nn = torch.nn
    Normal = torch.distributions.normal.Normal
    actor_mean = nn.Sequential(_layer_init(torch, nn.Linear(3, 8)), nn.Tanh(), _layer_init(torch, nn.Linear(8, 2), std=0.01))  # fmt: skip
    actor_logstd = nn.Parameter(torch.zeros(1, 2))
    x = torch.randn(5, 3)
    action_mean = actor_mean(x)
    action_logstd = actor_logstd.expand_as(action_mean)
    action_std = torch.exp(action_logstd)
    probs = Normal(action_mean, action_std)
    action = probs.sample()
    logp = probs.log_prob(action).sum(1)
    ent = probs.entropy().sum(1)
    (-(logp * torch.arange(5.0)).mean() - 0.01 * ent.mean()).backward()
    return action, logp, ent, actor_logstd.grad, actor_mean[0].weight.grad, actor_mean[0].weight


# ---- GCN ------------------------------------------------------------------------------------------
@program(tol=LOOSE)
def gcn_with_symmetric_normalisation_self_loops_and_scatter_add(torch):
    nn = torch.nn
    F = nn.functional
    num_nodes = 6
    edge_index = torch.tensor([[0, 1, 1, 2, 3, 4, 4, 5], [1, 0, 2, 1, 4, 3, 5, 4]])

    class GCNConv(nn.Module):
        def __init__(self, in_channels, out_channels):
            super().__init__()
            self.lin = nn.Linear(in_channels, out_channels, bias=False)
            self.bias = nn.Parameter(torch.empty(out_channels))
            self.reset_parameters()

        def reset_parameters(self):
            self.lin.reset_parameters()
            self.bias.data.zero_()

        def forward(self, x, edge_index):
            loops = torch.arange(x.size(0), device=x.device).unsqueeze(0).repeat(2, 1)
            edge_index = torch.cat([edge_index, loops], dim=1)
            x = self.lin(x)
            row, col = edge_index
            deg = torch.zeros(x.size(0), dtype=x.dtype).scatter_add_(0, col, torch.ones(col.size(0), dtype=x.dtype))  # fmt: skip
            deg_inv_sqrt = deg.pow(-0.5)
            deg_inv_sqrt[deg_inv_sqrt == float("inf")] = 0
            norm = deg_inv_sqrt[row] * deg_inv_sqrt[col]
            msg = norm.view(-1, 1) * x[row]
            out = torch.zeros_like(x).index_add_(0, col, msg)
            return out + self.bias

    class GCN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = GCNConv(5, 8)
            self.conv2 = GCNConv(8, 3)

        def forward(self, x, edge_index):
            x = F.dropout(x, p=0.5, training=self.training)
            x = self.conv1(x, edge_index).relu()
            x = F.dropout(x, p=0.5, training=self.training)
            return self.conv2(x, edge_index)

    x = torch.randn(num_nodes, 5)
    y = torch.tensor([0, 0, 1, 1, 2, 2])
    train_mask = torch.tensor([True, False, True, True, False, True])
    model = GCN()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
    losses = []
    for _epoch in range(3):
        model.train()
        optimizer.zero_grad()
        out = model(x, edge_index)
        loss = F.cross_entropy(out[train_mask], y[train_mask])
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    model.eval()
    pred = model(x, edge_index).argmax(dim=1)
    acc = int((pred[~train_mask] == y[~train_mask]).sum()) / int((~train_mask).sum())
    return losses, pred, acc, model.conv1.lin.weight.grad, model.conv2.bias.grad


@program(tol=LOOSE)
def graph_mean_aggregation_with_scatter_reduce_and_global_pool(torch):
    x = torch.randn(5, 3, requires_grad=True)
    index = torch.tensor([0, 1, 0, 2, 1])
    mean = torch.zeros(3, 3).scatter_reduce(0, index[:, None].expand(-1, 3), x, reduce="mean", include_self=False)  # fmt: skip
    amax = torch.full((3, 3), -1e9).scatter_reduce(0, index[:, None].expand(-1, 3), x, reduce="amax")  # fmt: skip
    batch = torch.tensor([0, 0, 1, 1, 1])
    pooled = torch.zeros(2, 3).index_reduce_(0, batch, x.detach(), "mean", include_self=False)
    counts = torch.bincount(batch, minlength=3)
    (mean.sum() + amax.pow(2).sum()).backward()
    return mean, amax, pooled, counts, x.grad


# ---- word2vec -------------------------------------------------------------------------------------
@program(tol=LOOSE)
def word2vec_sgns_with_unigram_three_quarters_noise_distribution(torch):
    import numpy as np

    nn = torch.nn
    F = nn.functional
    vocab, dim, neg = 15, 6, 4
    counts = np.arange(1, vocab + 1, dtype=np.float64)
    word_freqs = counts / counts.sum()
    unigram = word_freqs**0.75
    noise_dist = torch.from_numpy(unigram / unigram.sum()).float()

    class SkipGramNeg(nn.Module):
        def __init__(self):
            super().__init__()
            self.in_embed = nn.Embedding(vocab, dim)
            self.out_embed = nn.Embedding(vocab, dim)
            initrange = 0.5 / dim
            self.in_embed.weight.data.uniform_(-initrange, initrange)
            self.out_embed.weight.data.uniform_(-0, 0)

        def forward(self, input_words, output_words, noise_words):
            batch_size = input_words.size(0)
            input_vectors = self.in_embed(input_words).view(batch_size, dim, 1)
            output_vectors = self.out_embed(output_words).view(batch_size, 1, dim)
            noise_vectors = self.out_embed(noise_words).view(batch_size, neg, dim)
            out_loss = torch.bmm(output_vectors, input_vectors).sigmoid().log().squeeze()
            noise_loss = torch.bmm(noise_vectors.neg(), input_vectors).sigmoid().log()
            noise_loss = noise_loss.squeeze().sum(1)
            pos = F.logsigmoid(torch.bmm(output_vectors, input_vectors).squeeze())
            return -(out_loss + noise_loss).mean(), pos

    model = SkipGramNeg()
    optimizer = torch.optim.Adam(list(model.parameters()), lr=0.05)
    losses = []
    for _ in range(3):
        inputs = torch.randint(0, vocab, (8,))
        targets = torch.randint(0, vocab, (8,))
        noise = torch.multinomial(noise_dist, 8 * neg, replacement=True).view(8, neg)
        loss, pos = model(inputs, targets, noise)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    grad = model.in_embed.weight.grad
    return losses, pos, noise, grad.is_sparse, grad, model.out_embed.weight


@program(tol=LOOSE)
def word2vec_cbow_with_embedding_bag_and_dense_sgd(torch):
    nn = torch.nn
    F = nn.functional
    emb = nn.EmbeddingBag(12, 5, mode="mean")
    out = nn.Linear(5, 12)
    opt = torch.optim.SGD([*emb.parameters(), *out.parameters()], lr=0.5)
    ctx = torch.randint(0, 12, (6, 4))
    tgt = torch.randint(0, 12, (6,))
    losses = []
    for _ in range(3):
        logits = out(emb(ctx))
        loss = F.nll_loss(F.log_softmax(logits, dim=1), tgt)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    w = F.normalize(emb.weight, dim=1)
    sims = w @ w[3]
    return losses, sims.topk(3), emb.weight.grad


# ---- ResNet (torchvision's BasicBlock) -------------------------------------------------------------
def _resnet(torch, layers=(1, 1), num_classes=5, zero_init_residual=True):
    nn = torch.nn

    def conv3x3(in_planes, out_planes, stride=1, groups=1, dilation=1):
        return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=dilation,
                         groups=groups, bias=False, dilation=dilation)  # fmt: skip

    def conv1x1(in_planes, out_planes, stride=1):
        return nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False)

    class BasicBlock(nn.Module):
        expansion: int = 1

        def __init__(self, inplanes, planes, stride=1, downsample=None, norm_layer=None):
            super().__init__()
            norm_layer = norm_layer or nn.BatchNorm2d
            self.conv1 = conv3x3(inplanes, planes, stride)
            self.bn1 = norm_layer(planes)
            self.relu = nn.ReLU(inplace=True)
            self.conv2 = conv3x3(planes, planes)
            self.bn2 = norm_layer(planes)
            self.downsample = downsample
            self.stride = stride

        def forward(self, x):
            identity = x
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            if self.downsample is not None:
                identity = self.downsample(x)
            out += identity
            out = self.relu(out)
            return out

    class ResNet(nn.Module):
        def __init__(self):
            super().__init__()
            self._norm_layer = nn.BatchNorm2d
            self.inplanes = 4
            self.conv1 = nn.Conv2d(3, self.inplanes, kernel_size=7, stride=2, padding=3, bias=False)
            self.bn1 = nn.BatchNorm2d(self.inplanes)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
            self.layer1 = self._make_layer(BasicBlock, 4, layers[0])
            self.layer2 = self._make_layer(BasicBlock, 8, layers[1], stride=2)
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.fc = nn.Linear(8 * BasicBlock.expansion, num_classes)
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)
            if zero_init_residual:
                for m in self.modules():
                    if isinstance(m, BasicBlock) and m.bn2.weight is not None:
                        nn.init.constant_(m.bn2.weight, 0)

        def _make_layer(self, block, planes, blocks, stride=1):
            downsample = None
            if stride != 1 or self.inplanes != planes * block.expansion:
                downsample = nn.Sequential(
                    conv1x1(self.inplanes, planes * block.expansion, stride),
                    self._norm_layer(planes * block.expansion),
                )
            layers_ = [block(self.inplanes, planes, stride, downsample)]
            self.inplanes = planes * block.expansion
            for _ in range(1, blocks):
                layers_.append(block(self.inplanes, planes))
            return nn.Sequential(*layers_)

        def forward(self, x):
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            x = self.layer2(self.layer1(x))
            x = torch.flatten(self.avgpool(x), 1)
            return self.fc(x)

    return ResNet


@program(tol=LOOSE)
def resnet_basic_block_train_then_eval_with_sgd_nesterov_and_label_smoothing(torch):
    model = _resnet(torch, zero_init_residual=False)()
    criterion = torch.nn.CrossEntropyLoss(label_smoothing=0.1)
    parameters = [
        {
            "params": [p for n, p in model.named_parameters() if "bn" not in n and "bias" not in n],
            "weight_decay": 1e-4,
        },  # fmt: skip
        {
            "params": [p for n, p in model.named_parameters() if "bn" in n or "bias" in n],
            "weight_decay": 0.0,
        },  # fmt: skip
    ]
    optimizer = torch.optim.SGD(parameters, lr=0.1, momentum=0.9, nesterov=True)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=3)
    images = torch.randn(4, 3, 16, 16)
    target = torch.tensor([0, 3, 1, 4])
    losses = []
    model.train()
    for _ in range(3):
        output = model(images)
        loss = criterion(output, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        out_eval = model(images)
        _, pred = out_eval.topk(2, 1, True, True)
        correct = pred.t().eq(target.view(1, -1).expand_as(pred.t()))
        top2 = correct[:2].reshape(-1).float().sum(0, keepdim=True).mul_(100.0 / 4)
    return (losses, out_eval, top2, scheduler.get_last_lr(), model.layer2[0].downsample[1].running_mean,
            model.bn1.running_var, model.conv1.weight.grad, model.layer1[0].bn2.bias.grad)  # fmt: skip


@program(tol=LOOSE)
def resnet_zero_init_residual_fine_tune_head_with_frozen_bn(torch):
    model = _resnet(torch)()
    for p in model.parameters():
        p.requires_grad = False
    model.fc = torch.nn.Linear(model.fc.in_features, 2)

    def set_bn_eval(m):
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.eval()

    model.train()
    model.apply(set_bn_eval)
    opt = torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=1e-2)
    x = torch.randn(3, 3, 16, 16)
    y = torch.tensor([0, 1, 1])
    for _ in range(2):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    n_trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return (loss, model.fc.weight.grad, model.layer1[0].bn1.running_mean, model.layer1[0].bn2.weight,
            model.layer1[0].conv1.weight.grad, n_trainable, model.bn1.training, model.training)  # fmt: skip


@program(tol=LOOSE)
def resnet_channels_last_and_sync_bn_conversion(torch):
    model = _resnet(torch, zero_init_residual=False)()
    model = torch.nn.SyncBatchNorm.convert_sync_batchnorm(model)
    kinds = sorted({type(m).__name__ for m in model.modules()})
    model = torch.nn.SyncBatchNorm.revert_sync_batchnorm(model) if hasattr(torch.nn.SyncBatchNorm, "revert_sync_batchnorm") else model  # fmt: skip
    model.eval()
    model = model.to(memory_format=torch.channels_last)
    x = torch.randn(2, 3, 16, 16).to(memory_format=torch.channels_last)
    out = model(x)
    return kinds, out, model.conv1.weight.is_contiguous(memory_format=torch.channels_last)


# ---- printed tensors of model outputs (grad_fn names) ----------------------------------------------
@program
def printed_outputs_of_upsampling_and_activation_layers(torch):
    nn = torch.nn
    torch.set_printoptions(precision=3)
    try:
        x = torch.randn(1, 4, 2, 2, requires_grad=True)
        layers = [
            nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False),
            nn.Upsample(size=(3, 3), mode="bicubic", align_corners=True),
            nn.PixelShuffle(2),
            nn.PixelUnshuffle(2),
            nn.Hardswish(),
            nn.LogSigmoid(),
        ]
        outs = [repr(layer(x)) for layer in layers]
        outs.append(str(torch.nn.functional.interpolate(x[0], scale_factor=1.5, mode="linear")))
        outs.append(str(torch.nn.functional.interpolate(x[None], scale_factor=(1, 1, 2), mode="nearest-exact")))  # fmt: skip
        outs.append(str(torch.nn.functional.interpolate(x, size=(3, 3), mode="bilinear", antialias=True)))  # fmt: skip
        return outs
    finally:
        torch.set_printoptions(profile="default")


@program(tol=LOOSE)
def word2vec_logged_loss_line_with_grad_fn(torch):
    F = torch.nn.functional
    u = torch.randn(4, 1, 3, requires_grad=True)
    v = torch.randn(4, 3, 1)
    score = F.logsigmoid(torch.bmm(u, v).squeeze())
    return str(score), f"loss: {-score}", repr(F.logsigmoid(torch.tensor([-200.0, 0.0, 200.0], requires_grad=True)))  # fmt: skip


# ---- script boilerplate and smaller idioms of the same code bases -----------------------------------
@program
def nanogpt_train_script_boilerplate(torch):
    from contextlib import nullcontext

    device = "cpu"
    dtype = (
        "bfloat16" if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else "float16"
    )
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    device_type = "cuda" if "cuda" in device else "cpu"
    ptdtype = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[
        dtype
    ]
    ctx = nullcontext() if device_type == "cpu" else torch.amp.autocast(device_type=device_type, dtype=ptdtype)  # fmt: skip
    scaler = torch.amp.GradScaler("cpu", enabled=(dtype == "float16"))
    with ctx:
        y = torch.ones(2, 2) @ torch.ones(2, 2)
    tokens_per_iter = 2 * 3 * 4 * 8
    return (dtype, str(ptdtype), y, scaler.is_enabled(), scaler.get_scale(), tokens_per_iter,
            torch.backends.cuda.matmul.allow_tf32, torch.cuda.device_count())  # fmt: skip


@program(tol=LOOSE)
def nanogpt_estimate_loss_and_mfu_running_average(torch):
    import numpy as np

    GPT = _nanogpt(torch)
    model = GPT(GPTConfig(dropout=0.1))
    data = {"train": np.arange(50, dtype=np.uint16) % 13, "val": (np.arange(30, dtype=np.uint16) * 7) % 13}  # fmt: skip

    @torch.no_grad()
    def estimate_loss():
        out = {}
        model.eval()
        for split in ["train", "val"]:
            losses = torch.zeros(3)
            for k in range(3):
                X, Y = _get_batch(torch, data[split], 8, 2)
                logits, loss = model(X, Y)
                losses[k] = loss.item()
            out[split] = losses.mean()
        model.train()
        return out

    losses = estimate_loss()
    X, Y = _get_batch(torch, data["train"], 8, 2)
    _, train_loss = model(X, Y)
    running_mfu = -1.0
    for dt in (0.5, 0.25):
        mfu = model.estimate_mfu(2 * 1, dt)
        running_mfu = mfu if running_mfu == -1.0 else 0.9 * running_mfu + 0.1 * mfu
    line = f"step 0: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}"
    return losses, line, train_loss, running_mfu, model.training


@program(tol=LOOSE)
def llama_sample_top_p_with_sort_cumsum_and_gather(torch):
    def sample_top_p(probs, p):
        probs_sort, probs_idx = torch.sort(probs, dim=-1, descending=True)
        probs_sum = torch.cumsum(probs_sort, dim=-1)
        mask = probs_sum - probs_sort > p
        probs_sort[mask] = 0.0
        probs_sort.div_(probs_sort.sum(dim=-1, keepdim=True))
        next_token = torch.multinomial(probs_sort, num_samples=1)
        return torch.gather(probs_idx, -1, next_token)

    logits = torch.randn(3, 11)
    logits[1, 4] = logits[1, 6] = 5.0
    out = []
    for temperature in (0.6, 1.0):
        probs = torch.softmax(logits / temperature, dim=-1)
        out.append(sample_top_p(probs, 0.9))
    eos_reached = torch.tensor([False] * 3)
    next_token = torch.argmax(logits, dim=-1)
    eos_reached |= next_token == 4
    tokens = torch.full((3, 5), -1, dtype=torch.long)
    input_text_mask = tokens != -1
    tokens[:, 2] = torch.where(input_text_mask[:, 2], tokens[:, 2], next_token)
    return out, eos_reached, tokens, all(eos_reached) is False


@program(tol=LOOSE)
def hf_llama_causal_mask_with_finfo_min_and_padding(torch):
    dtype = torch.float32
    bsz, tgt_len, past = 2, 4, 2
    attention_mask = torch.tensor([[0, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min)
    mask_cond = torch.arange(mask.size(-1))
    mask.masked_fill_(mask_cond < (mask_cond + 1).view(mask.size(-1), 1), 0)
    mask = torch.cat([torch.zeros(tgt_len, past, dtype=dtype), mask], dim=-1)
    causal = mask[None, None, :, :].expand(bsz, 1, tgt_len, tgt_len + past)
    expanded = attention_mask[:, None, None, :].expand(bsz, 1, tgt_len, tgt_len + past).to(dtype)
    inverted = 1.0 - expanded
    inverted = inverted.masked_fill(inverted.to(torch.bool), torch.finfo(dtype).min)
    combined = causal + inverted
    q = torch.randn(bsz, 2, tgt_len, 4, requires_grad=True)
    k = torch.randn(bsz, 2, tgt_len + past, 4)
    scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(4) + combined
    probs = torch.nn.functional.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
    probs.sum().backward()
    return combined, probs, q.grad, torch.isinf(combined).any()


@program(tol=LOOSE)
def improved_ddpm_cosine_schedule_and_ema_with_foreach(torch):
    def cosine_beta_schedule(timesteps, s=0.008):
        steps = timesteps + 1
        x = torch.linspace(0, timesteps, steps, dtype=torch.float64)
        alphas_cumprod = torch.cos(((x / timesteps) + s) / (1 + s) * math.pi * 0.5) ** 2
        alphas_cumprod = alphas_cumprod / alphas_cumprod[0]
        betas = 1 - (alphas_cumprod[1:] / alphas_cumprod[:-1])
        return torch.clip(betas, 0, 0.999)

    betas = cosine_beta_schedule(20)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.SiLU(), torch.nn.Linear(4, 3))
    ema = [p.detach().clone() for p in model.parameters()]
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(3):
        loss = model(torch.randn(5, 3)).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            params = [p.detach() for p in model.parameters()]
            torch._foreach_mul_(ema, 0.9)
            torch._foreach_add_(ema, params, alpha=0.1)
    ema2 = [e.clone() for e in ema]
    for e, p in zip(ema2, model.parameters()):
        e.lerp_(p.detach(), 0.5)
    x = torch.randn(2, 3).clamp_(-1.0, 1.0)
    return betas, ema, ema2, x


@program(tol=LOOSE)
def vae_with_normal_independent_rsample_and_kl_divergence(torch):
    D = torch.distributions
    enc = torch.nn.Linear(6, 4)
    dec = torch.nn.Linear(2, 6)
    x = (torch.rand(5, 6) > 0.5).float()
    h = enc(x)
    mu, log_std = h.chunk(2, dim=-1)
    q = D.Independent(D.Normal(mu, log_std.exp()), 1)
    p = D.Independent(D.Normal(torch.zeros_like(mu), torch.ones_like(mu)), 1)
    z = q.rsample()
    px = D.Independent(D.Bernoulli(logits=dec(z)), 1)
    elbo = px.log_prob(x) - D.kl_divergence(q, p)
    (-elbo.mean()).backward()
    return (elbo, z, enc.weight.grad, q.batch_shape, q.event_shape, repr(D.Normal(0.0, 1.0)),
            D.kl_divergence(q, p).shape)  # fmt: skip


@program(tol=LOOSE)
def bert_pooler_and_next_sentence_prediction_head(torch):
    nn = torch.nn
    emb = nn.Embedding(10, 8)
    seg = nn.Embedding(2, 8)
    pooler = nn.Sequential(nn.Linear(8, 8), nn.Tanh())
    nsp = nn.Linear(8, 2)
    input_ids = torch.randint(0, 10, (3, 6))
    token_type_ids = torch.tensor([[0, 0, 0, 1, 1, 1]] * 3)
    h = emb(input_ids) + seg(token_type_ids)
    pooled = pooler(h[:, 0])
    seq_relationship_score = nsp(pooled)
    next_sentence_label = torch.tensor([0, 1, 1])
    loss = nn.CrossEntropyLoss()(seq_relationship_score.view(-1, 2), next_sentence_label.view(-1))
    loss.backward()
    return loss, seq_relationship_score, seg.weight.grad, pooler[0].bias.grad


@program
def clip_logit_scale_built_from_a_numpy_scalar(torch):
    import numpy as np

    a = torch.nn.Parameter(torch.tensor(np.log(1 / 0.07)))
    b = torch.nn.Parameter(torch.ones([]) * np.log(1 / 0.07))
    c = torch.tensor(np.float32(2.5)) * torch.ones(2)
    d = torch.ones(2) * np.float64(2.0)
    e = torch.ones(2, dtype=torch.float16) * np.float64(3.0)
    return a, b, a.exp(), b.exp(), c, d, e, (a * torch.ones(2)).dtype


@program(tol=LOOSE)
def ppo_categorical_from_probs_with_a_zero_probability(torch):
    Categorical = torch.distributions.Categorical
    probs = torch.tensor([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5]], requires_grad=True)
    dist = Categorical(probs=probs)
    a = dist.sample((4,))
    lp = dist.log_prob(torch.tensor([0, 2]))
    ent = dist.entropy()
    (lp.sum() + ent.sum()).backward()
    logits_dist = Categorical(logits=torch.tensor([[0.0, -float("inf"), 1.0]]))
    return a, lp, ent, probs.grad, logits_dist.entropy(), logits_dist.probs, dist.logits


@error(ValueError, r"support")
def ppo_log_prob_of_an_action_outside_the_support(torch):
    dist = torch.distributions.Categorical(logits=torch.zeros(2, 3))
    return dist.log_prob(torch.tensor([1, 3]))


@program(tol=LOOSE)
def gcn_dense_normalised_adjacency_with_diag_and_bincount(torch):
    edge_index = torch.tensor([[0, 1, 2, 3, 0], [1, 2, 3, 0, 2]])
    n = 4
    adj = torch.zeros(n, n)
    adj[edge_index[0], edge_index[1]] = 1
    adj = adj + adj.t() + torch.eye(n)
    deg = torch.bincount(torch.cat([edge_index[0], edge_index[1]]), minlength=n).float() + 1
    d_inv_sqrt = torch.diag(adj.sum(1).pow(-0.5))
    a_hat = d_inv_sqrt @ adj @ d_inv_sqrt
    w = torch.nn.Parameter(torch.randn(3, 2))
    x = torch.randn(n, 3)
    out = torch.relu(a_hat @ x @ w)
    out.sum().backward()
    return a_hat, deg, out, w.grad, adj.nonzero().t()


@program
def word2vec_subsampling_and_negative_draws_without_replacement(torch):
    freqs = torch.tensor([0.3, 0.2, 0.15, 0.1, 0.1, 0.05, 0.05, 0.05])
    t = 1e-1
    p_drop = 1 - torch.sqrt(t / freqs)
    words = torch.randint(0, 8, (20,))
    keep = torch.rand(20) > p_drop[words]
    kept = words[keep]
    negatives = torch.multinomial(freqs.pow(0.75), 5, replacement=False)
    many = torch.multinomial(freqs.expand(3, 8), 4)
    one_each = torch.multinomial(freqs.expand(2, 8), 1)
    strided = torch.multinomial(torch.rand(8, 6)[:, ::2].t(), 3)
    return p_drop, kept, negatives, many, one_each, strided


@program(tol=LOOSE)
def resnet_feature_extractor_from_children_and_identity_head(torch):
    model = _resnet(torch)()
    model.eval()
    backbone = torch.nn.Sequential(*list(model.children())[:-1])
    x = torch.randn(2, 3, 16, 16)
    with torch.inference_mode():
        feats = backbone(x)
        model.fc = torch.nn.Identity()
        same = model(x)
    names = [n for n, _ in backbone.named_children()]
    return feats.shape, torch.flatten(feats, 1), same, names, str(model.fc), feats.requires_grad


@error(IndexError, r"index out of range in self")
def nanogpt_position_embedding_past_block_size(torch):
    wpe = torch.nn.Embedding(8, 4)
    pos = torch.arange(0, 10, dtype=torch.long)
    return wpe(pos)


@program
def llama_kv_cache_cat_of_half_and_float(torch):
    past = torch.zeros(1, 2, 3, 4, dtype=torch.float16)
    new = torch.ones(1, 2, 1, 4)
    k = torch.cat([past, new], dim=2)
    return (
        k.dtype,
        k.shape,
        torch.cat([past, new.half()], -2).dtype,
        torch.cat([new.double(), past], 2).dtype,
    )


@error(RuntimeError, r"Expected number of channels in input to be divisible by num_groups")
def unet_group_norm_of_channels_not_divisible_by_groups(torch):
    return torch.nn.functional.group_norm(torch.randn(2, 6, 3, 3), 4)


@error(ValueError, r"Expected more than 1 value per channel when training")
def resnet_batchnorm_on_one_pooled_sample(torch):
    bn = torch.nn.BatchNorm2d(3)
    return bn(torch.randn(1, 3, 1, 1))


@error(RuntimeError, r"size of tensor a \(8\) must match the size of tensor b \(4\)")
def rotary_cos_of_the_wrong_head_dim(torch):
    q = torch.randn(1, 2, 3, 8)
    cos = torch.randn(3, 4)
    return q * cos
