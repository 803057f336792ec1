"""Hand-written LLM / transformer code (nanoGPT, llama's model.py, LoRA tutorials, Hugging
Face modeling files without transformers) run as ``program(lib)`` on minitorch and on
PyTorch (the oracle): weights come from the same numpy arrays, and values, gradients, dtypes
and shapes must agree. Each test below the programs is a difference that was found and fixed."""

from __future__ import annotations

import math

import numpy as np
import pytest

import minitorch

rng = np.random.default_rng(0)


def _f32(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def _same(actual, expected, path="out", tol=2e-5):
    """Walks nested results: tensors (shape, dtype, values), dtypes, numbers, strings."""
    if isinstance(expected, (tuple, list)):
        assert len(actual) == len(expected), path
        for i, (a, e) in enumerate(zip(actual, expected)):
            _same(a, e, f"{path}[{i}]", tol)
    elif isinstance(expected, dict):
        assert list(actual) == list(expected), path
        for k in expected:
            _same(actual[k], expected[k], f"{path}.{k}", tol)
    elif hasattr(expected, "detach"):
        a, e = actual.detach().numpy(), expected.detach().numpy()
        assert (a.shape, a.dtype) == (e.shape, e.dtype), path
        np.testing.assert_allclose(a, e, rtol=tol, atol=tol, err_msg=path)
    elif type(expected).__name__ == "dtype":
        assert str(actual).split(".")[-1] == str(expected).split(".")[-1], path
    elif isinstance(expected, float):
        assert actual == pytest.approx(expected, rel=tol, abs=tol), path
    else:
        assert actual == expected, path


def _compare(torch, program, tol=2e-5):
    _same(program(minitorch), program(torch), tol=tol)


# ---- models, written once against ``lib`` ---------------------------------------------------
def _gpt(lib, vocab=11, block=8, n_layer=2, n_head=2, n_embd=8):
    """nanoGPT's model, condensed (LayerNorm with optional bias, flash/manual attention)."""
    nn, F = lib.nn, lib.nn.functional

    class LayerNorm(nn.Module):
        def __init__(self, ndim):
            super().__init__()
            self.weight = nn.Parameter(lib.ones(ndim))
            self.bias = nn.Parameter(lib.zeros(ndim))

        def forward(self, x):
            return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)

    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.c_attn = nn.Linear(n_embd, 3 * n_embd)
            self.c_proj = nn.Linear(n_embd, n_embd)
            self.register_buffer("bias", lib.tril(lib.ones(block, block)).view(1, 1, block, block))

        def forward(self, x, flash):
            B, T, C = x.size()
            q, k, v = self.c_attn(x).split(n_embd, dim=2)
            q, k, v = (t.view(B, T, n_head, C // n_head).transpose(1, 2) for t in (q, k, v))
            if flash:
                y = F.scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=True)
            else:
                att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
                att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
                y = F.softmax(att, dim=-1) @ v
            return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))

    class Block(nn.Module):
        def __init__(self, flash):
            super().__init__()
            self.flash = flash
            self.ln_1, self.attn, self.ln_2 = LayerNorm(n_embd), Attention(), LayerNorm(n_embd)
            self.mlp = nn.Sequential(
                nn.Linear(n_embd, 4 * n_embd),
                nn.GELU(approximate="tanh"),
                nn.Linear(4 * n_embd, n_embd),
            )

        def forward(self, x):
            x = x + self.attn(self.ln_1(x), self.flash)
            return x + self.mlp(self.ln_2(x))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = nn.ModuleDict(
                dict(
                    wte=nn.Embedding(vocab, n_embd),
                    wpe=nn.Embedding(block, n_embd),
                    h=nn.ModuleList([Block(i % 2 == 0) for i in range(n_layer)]),
                    ln_f=LayerNorm(n_embd),
                )
            )
            self.lm_head = nn.Linear(n_embd, vocab, bias=False)
            self.transformer.wte.weight = self.lm_head.weight  # weight tying
            self.apply(self._init_weights)
            for pn, p in self.named_parameters():
                if pn.endswith("c_proj.weight"):
                    nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * n_layer))

        def _init_weights(self, module):
            if isinstance(module, (nn.Linear, nn.Embedding)):
                nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if isinstance(module, nn.Linear) and module.bias is not None:
                nn.init.zeros_(module.bias)

        def forward(self, idx, targets=None):
            pos = lib.arange(0, idx.size(1), dtype=lib.long, device=idx.device)
            x = self.transformer.wte(idx) + self.transformer.wpe(pos)
            for blk in self.transformer.h:
                x = blk(x)
            x = self.transformer.ln_f(x)
            if targets is None:
                return self.lm_head(x[:, [-1], :]), None
            logits = self.lm_head(x)
            loss = F.cross_entropy(
                logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1
            )
            return logits, loss

        def configure_optimizers(self, weight_decay, lr):
            params = [p for p in self.parameters() if p.requires_grad]
            groups = [
                {"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
                {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
            ]
            return lib.optim.AdamW(groups, lr=lr, betas=(0.9, 0.95), foreach=False)

        @lib.no_grad()
        def generate(self, idx, max_new_tokens, temperature=1.0, top_k=None):
            for _ in range(max_new_tokens):
                logits, _ = self(idx[:, -block:])
                logits = logits[:, -1, :] / temperature
                if top_k is None:
                    idx_next = lib.argmax(logits, dim=-1, keepdim=True)
                else:
                    v, _ = lib.topk(logits, min(top_k, logits.size(-1)))
                    logits[logits < v[:, [-1]]] = -float("Inf")
                    idx_next = lib.multinomial(F.softmax(logits, dim=-1), num_samples=1)
                idx = lib.cat((idx, idx_next), dim=1)
            return idx

    return GPT()


def _llama(lib, dim=16, n_heads=4, n_kv_heads=2, n_layers=2, vocab=13, max_seq=12):
    """llama2.c's model.py, condensed: RMSNorm by hand, real-valued RoPE, GQA with
    repeat_kv, SwiGLU, and an in-place KV cache in non-persistent buffers."""
    nn, F = lib.nn, lib.nn.functional
    head_dim, n_rep = dim // n_heads, n_heads // n_kv_heads

    class RMSNorm(nn.Module):
        def __init__(self, d, eps=1e-6):
            super().__init__()
            self.eps, self.weight = eps, nn.Parameter(lib.ones(d))

        def forward(self, x):
            n = x.float() * lib.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + self.eps)
            return n.type_as(x) * self.weight

    def rope(x, cos, sin):
        x0, x1 = x.float().reshape(x.shape[:-1] + (-1, 2)).unbind(-1)
        cos, sin = cos.view(1, x0.size(1), 1, x0.size(3)), sin.view(1, x0.size(1), 1, x0.size(3))
        return lib.stack([x0 * cos - x1 * sin, x0 * sin + x1 * cos], dim=-1).flatten(3).type_as(x)

    def repeat_kv(x):
        bs, slen, kv, hd = x.shape
        return x[:, :, :, None, :].expand(bs, slen, kv, n_rep, hd).reshape(bs, slen, kv * n_rep, hd)

    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.wq = nn.Linear(dim, n_heads * head_dim, bias=False)
            self.wk = nn.Linear(dim, n_kv_heads * head_dim, bias=False)
            self.wv = nn.Linear(dim, n_kv_heads * head_dim, bias=False)
            self.wo = nn.Linear(n_heads * head_dim, dim, bias=False)
            for name in ("cache_k", "cache_v"):
                cache = lib.zeros(2, max_seq, n_kv_heads, head_dim)
                self.register_buffer(name, cache, persistent=False)

        def forward(self, x, start, cos, sin, mask, use_cache):
            bsz, seqlen, _ = x.shape
            xq = self.wq(x).view(bsz, seqlen, n_heads, head_dim)
            xk = self.wk(x).view(bsz, seqlen, n_kv_heads, head_dim)
            xv = self.wv(x).view(bsz, seqlen, n_kv_heads, head_dim)
            xq, xk = rope(xq, cos, sin), rope(xk, cos, sin)
            if use_cache:
                self.cache_k[:bsz, start : start + seqlen] = xk
                self.cache_v[:bsz, start : start + seqlen] = xv
                xk, xv = self.cache_k[:bsz, : start + seqlen], self.cache_v[:bsz, : start + seqlen]
            q, k, v = (
                xq.transpose(1, 2),
                repeat_kv(xk).transpose(1, 2),
                repeat_kv(xv).transpose(1, 2),
            )
            scores = lib.matmul(q, k.transpose(2, 3)) / math.sqrt(head_dim)
            if mask is not None:
                scores = scores + mask
            out = lib.matmul(F.softmax(scores.float(), dim=-1).type_as(q), v)
            return self.wo(out.transpose(1, 2).contiguous().view(bsz, seqlen, -1))

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            hidden = 8 * ((int(2 * 4 * dim / 3) + 7) // 8)
            self.attention, self.attention_norm, self.ffn_norm = (
                Attention(),
                RMSNorm(dim),
                RMSNorm(dim),
            )
            self.w1, self.w2, self.w3 = (
                nn.Linear(dim, hidden, bias=False),
                nn.Linear(hidden, dim, bias=False),
                nn.Linear(dim, hidden, bias=False),
            )

        def forward(self, x, *args):
            h = x + self.attention(self.attention_norm(x), *args)
            y = self.ffn_norm(h)
            return h + self.w2(F.silu(self.w1(y)) * self.w3(y))

    class Transformer(nn.Module):
        def __init__(self):
            super().__init__()
            self.tok_embeddings = nn.Embedding(vocab, dim)
            self.layers = nn.ModuleList([Block() for _ in range(n_layers)])
            self.norm = RMSNorm(dim)
            self.output = nn.Linear(dim, vocab, bias=False)
            freqs = 1.0 / (
                10000.0 ** (lib.arange(0, head_dim, 2)[: head_dim // 2].float() / head_dim)
            )
            freqs = lib.outer(lib.arange(max_seq * 2, device=freqs.device), freqs).float()
            self.register_buffer("freqs_cos", lib.cos(freqs), persistent=False)
            self.register_buffer("freqs_sin", lib.sin(freqs), persistent=False)

        def forward(self, tokens, start=0, use_cache=False):
            seqlen = tokens.shape[1]
            h = self.tok_embeddings(tokens)
            cos = self.freqs_cos[start : start + seqlen]
            sin = self.freqs_sin[start : start + seqlen]
            mask = None
            if seqlen > 1:
                mask = lib.triu(lib.full((seqlen, seqlen), float("-inf")), diagonal=1)
                if use_cache:
                    mask = lib.hstack([lib.zeros((seqlen, start)), mask]).type_as(h)
            for layer in self.layers:
                h = layer(h, start, cos, sin, mask, use_cache)
            return self.output(self.norm(h)).float()

    return Transformer()


def _load(lib, model, state):
    result = model.load_state_dict({k: lib.tensor(v) for k, v in state.items()})
    assert not result.missing_keys and not result.unexpected_keys
    return model


@pytest.fixture(scope="module")
def gpt_state():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    return {k: v.numpy().copy() for k, v in _gpt(torch).state_dict().items()}


@pytest.fixture(scope="module")
def llama_state():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    return {k: v.numpy().copy() for k, v in _llama(torch).state_dict().items()}


# ---- end-to-end programs ------------------------------------------------------------------
def test_nanogpt_training_loop(torch, gpt_state):
    """Gradient accumulation, clip_grad_norm_, AdamW param groups by p.dim(), a warmup +
    cosine LambdaLR, ignore_index=-1 targets, perplexity, greedy and top-k generation."""
    idx, tgt = rng.integers(0, 11, (4, 8)), rng.integers(0, 11, (4, 8))
    tgt[:, -2:] = -1

    def program(lib):
        model = _load(lib, _gpt(lib), gpt_state)
        opt = model.configure_optimizers(0.1, 1e-2)

        def lr_lambda(it, warm=2, total=10):
            if it < warm:
                return (it + 1) / (warm + 1)
            return 0.1 + 0.45 * (1.0 + math.cos(math.pi * (it - warm) / (total - warm)))

        sched = lib.optim.lr_scheduler.LambdaLR(opt, lr_lambda)
        x, y = lib.tensor(idx), lib.tensor(tgt)
        losses, norms, lrs = [], [], []
        for _ in range(3):
            for micro in range(2):
                _, loss = model(x[2 * micro : 2 * micro + 2], y[2 * micro : 2 * micro + 2])
                (loss / 2).backward()
            norms.append(lib.nn.utils.clip_grad_norm_(model.parameters(), 1.0))
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            losses.append(loss.item())
            lrs.append(sched.get_last_lr()[0])
        model.eval()
        with lib.no_grad():
            logits, loss = model(x, y)
        n_params = sum(p.numel() for p in model.parameters())
        sampled = model.generate(x[:, :3], 4, temperature=0.8, top_k=3)
        tied = model.transformer.wte.weight is model.lm_head.weight
        return (
            losses,
            norms,
            lrs,
            logits,
            lib.exp(loss),
            model.generate(x[:, :3], 4),
            tuple(sampled.shape),
            n_params,
            tied,
            [len(g["params"]) for g in opt.param_groups],
        )

    _compare(torch, program, tol=1e-4)


def test_llama_forward_backward_and_kv_cache_decode(torch, llama_state):
    """Training step gradients, then @inference_mode decoding with the KV cache written in
    place (a prompt, single tokens, and a chunk at start_pos > 0 with the hstack mask)."""
    tokens = rng.integers(0, 13, (2, 7))

    def program(lib):
        model = _load(lib, _llama(lib), llama_state)
        tok = lib.tensor(tokens)
        targets = lib.cat([tok[:, 1:], lib.full((2, 1), -1, dtype=lib.long)], dim=1)
        logits = model(tok)
        loss = lib.nn.functional.cross_entropy(
            logits.view(-1, 13), targets.view(-1), ignore_index=-1
        )
        loss.backward()
        grads = {n: p.grad for n, p in model.named_parameters()}

        @lib.inference_mode()
        def decode():
            steps = [model(tok[:, :4], 0, True)]
            steps += [model(tok[:, i : i + 1], i, True) for i in range(4, 7)]
            return lib.cat(steps, 1), model(tok[:, 4:7], 4, True)

        stepped, chunk = decode()
        return (
            logits,
            loss,
            grads,
            stepped,
            chunk,
            stepped.requires_grad,
            [n for n, _ in model.named_buffers()],
            list(model.state_dict()),
        )

    _compare(torch, program, tol=1e-4)
    m = _load(minitorch, _llama(minitorch), llama_state)
    tok = minitorch.tensor(tokens)
    with minitorch.inference_mode():
        full = m(tok)
        stepped = minitorch.cat(
            [m(tok[:, :4], 0, True)] + [m(tok[:, i : i + 1], i, True) for i in range(4, 7)], 1
        )
    np.testing.assert_allclose(stepped.numpy(), full.numpy(), rtol=1e-5, atol=1e-5)


def test_rope_gqa_and_masks_three_ways(torch):
    """Real-valued RoPE (interleaved and rotate_half), GQA by expand/reshape,
    repeat_interleave and enable_gqa=True, masks from -inf triu, a bool triu and
    finfo.min: values and input gradients."""
    q0, k0, v0 = _f32(2, 5, 4, 8), _f32(2, 5, 2, 8), _f32(2, 5, 2, 8)

    def program(lib):
        F = lib.nn.functional
        q, k, v = (lib.tensor(a, requires_grad=True) for a in (q0, k0, v0))
        freqs = 1.0 / (10000.0 ** (lib.arange(0, 8, 2)[:4].float() / 8))
        freqs = lib.outer(lib.arange(5), freqs)
        emb = lib.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]

        def rotate_half(x):
            return lib.cat((-x[..., 4:], x[..., :4]), dim=-1)

        qt = q.transpose(1, 2) * cos + rotate_half(q.transpose(1, 2)) * sin
        xu = q.unflatten(-1, (-1, 2))
        c, s = freqs.cos().view(1, 5, 1, 4), freqs.sin().view(1, 5, 1, 4)
        q_inter = lib.stack((xu[..., 0] * c - xu[..., 1] * s, xu[..., 1] * c + xu[..., 0] * s), -1)
        q_inter = q_inter.flatten(-2)
        kt, vt = k.transpose(1, 2), v.transpose(1, 2)
        k4, v4 = kt.repeat_interleave(2, dim=1), vt.repeat_interleave(2, dim=1)
        bool_mask = lib.triu(lib.ones(5, 5, dtype=lib.bool), diagonal=1)
        inf_mask = lib.full((5, 5), float("-inf")).triu(1)
        att = (qt @ k4.transpose(-2, -1)).masked_fill(bool_mask, lib.finfo(qt.dtype).min)
        outs = [
            F.scaled_dot_product_attention(qt, kt, vt, is_causal=True, enable_gqa=True),
            F.scaled_dot_product_attention(qt, k4, v4, attn_mask=~bool_mask),
            F.softmax(qt @ k4.transpose(-2, -1) / math.sqrt(8) + inf_mask, dim=-1) @ v4,
            F.softmax(att, dim=-1) @ v4,
            q_inter,
        ]
        sum(o.sin().sum() for o in outs).backward()
        return outs, q.grad, k.grad, v.grad

    _compare(torch, program, tol=1e-4)


def test_sampling_top_p_and_top_k(torch):
    """llama's sample_top_p (sort descending, cumsum, zero the tail, renormalise) and Hugging
    Face's top-p filter (scatter the sorted mask back); multinomial is compared by shape."""
    logits0 = _f32(3, 10)

    def program(lib):
        probs = lib.softmax(lib.tensor(logits0) / 0.7, dim=-1)
        probs_sort, probs_idx = lib.sort(probs, dim=-1, descending=True)
        probs_sum = lib.cumsum(probs_sort, dim=-1)
        probs_sort[probs_sum - probs_sort > 0.7] = 0.0
        probs_sort.div_(probs_sort.sum(dim=-1, keepdim=True))
        token = lib.gather(probs_idx, -1, lib.multinomial(probs_sort, num_samples=1))
        kept = bool((probs_sort.gather(-1, (probs_idx.argsort(-1)).gather(-1, token)) > 0).all())
        logits = lib.tensor(logits0)
        sorted_logits, sorted_idx = lib.sort(logits, descending=True)
        remove = lib.cumsum(lib.softmax(sorted_logits, dim=-1), dim=-1) > 0.7
        remove[..., 1:] = remove[..., :-1].clone()
        remove[..., 0] = 0
        filtered = logits.masked_fill(remove.scatter(1, sorted_idx, remove), float("-inf"))
        v, ix = lib.topk(logits, 3)
        return probs_sort, tuple(token.shape), token.dtype, kept, filtered, v, ix

    _compare(torch, program)


def test_lora_adapter_train_merge_unmerge(torch):
    """A frozen base (requires_grad_(False)), zero-initialised B, kaiming_uniform_(a=sqrt(5))
    A, one AdamW step on the adapter only, then merge/unmerge into the base weight."""
    w, b, a0, b0, x0 = _f32(6, 8), _f32(6), _f32(4, 8), _f32(6, 4), _f32(3, 8)

    def program(lib):
        nn = lib.nn

        class LoRALinear(nn.Module):
            def __init__(self, base, r=4, alpha=8):
                super().__init__()
                self.base = base.requires_grad_(False)
                self.lora_A = nn.Parameter(lib.zeros(r, base.in_features))
                self.lora_B = nn.Parameter(lib.zeros(base.out_features, r))
                nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
                self.scaling = alpha / r

            def delta(self):
                return self.lora_B @ self.lora_A * self.scaling

            def forward(self, x):
                return self.base(x) + (x @ self.lora_A.T @ self.lora_B.T) * self.scaling

        m = LoRALinear(_load(lib, nn.Linear(8, 6), {"weight": w, "bias": b}))
        bounded = bool(m.lora_A.abs().max() <= 1 / math.sqrt(8))
        r = m.load_state_dict({"lora_A": lib.tensor(a0), "lora_B": lib.tensor(b0)}, strict=False)
        x = lib.tensor(x0)
        m(x).pow(2).sum().backward()
        lib.optim.AdamW([p for p in m.parameters() if p.requires_grad], lr=0.1).step()
        with lib.no_grad():
            m.base.weight += m.delta()
            merged = m.base(x)
            m.base.weight -= m.delta()
        return (
            bounded,
            sorted(r.missing_keys),
            r.unexpected_keys,
            m.lora_A.grad,
            m.lora_B.grad,
            m.base.weight.grad,
            [n for n, p in m.named_parameters() if p.requires_grad],
            m(x),
            merged,
            m.base.weight,
        )

    _compare(torch, program, tol=1e-5)


def test_mixtral_style_moe_routing(torch):
    """Top-2 routing with softmax(dtype=float), renormalised weights, one_hot().permute
    expert masks, torch.where on them, index_add_ of expert outputs, and the
    load-balancing loss: output, input and parameter gradients."""
    torch.manual_seed(0)
    state = {k: v.detach().numpy() for k, v in _moe(torch).state_dict().items()}
    h0 = _f32(2, 5, 8)

    def program(lib):
        F, moe = lib.nn.functional, _load(lib, _moe(lib), state)
        h = lib.tensor(h0, requires_grad=True)
        out, router_logits = moe(h)
        probs = F.softmax(router_logits, dim=-1)
        tokens_per_expert = F.one_hot(lib.topk(probs, 2, dim=-1)[1], 4).float().mean(dim=0)
        aux = (tokens_per_expert * probs.mean(dim=0).unsqueeze(0)).sum() * 4
        (out.pow(2).sum() + aux).backward()
        return (
            out,
            aux,
            h.grad,
            {n: p.grad for n, p in moe.named_parameters() if p.grad is not None},
        )

    _compare(torch, program, tol=1e-4)


def _moe(lib, n_experts=4, top_k=2, d=8):
    nn, F = lib.nn, lib.nn.functional

    class Expert(nn.Module):
        def __init__(self):
            super().__init__()
            self.w1, self.w3 = nn.Linear(d, 12, bias=False), nn.Linear(d, 12, bias=False)
            self.w2 = nn.Linear(12, d, bias=False)

        def forward(self, x):
            return self.w2(F.silu(self.w1(x)) * self.w3(x))

    class MoE(nn.Module):
        def __init__(self):
            super().__init__()
            self.gate = nn.Linear(d, n_experts, bias=False)
            self.experts = nn.ModuleList([Expert() for _ in range(n_experts)])

        def forward(self, hidden):
            b, s, _ = hidden.shape
            hidden = hidden.view(-1, d)
            router_logits = self.gate(hidden)
            weights = F.softmax(router_logits, dim=1, dtype=lib.float)
            weights, selected = lib.topk(weights, top_k, dim=-1)
            weights /= weights.sum(dim=-1, keepdim=True)
            final = lib.zeros((b * s, d), dtype=hidden.dtype, device=hidden.device)
            expert_mask = F.one_hot(selected, num_classes=n_experts).permute(2, 1, 0)
            for e in lib.greater(expert_mask.sum(dim=(-1, -2)), 0).nonzero():
                idx, top_x = lib.where(expert_mask[e].squeeze(0))
                current = hidden[None, top_x].reshape(-1, d)
                out = self.experts[int(e)](current) * weights[top_x, idx, None]
                final.index_add_(0, top_x, out.to(hidden.dtype))
            return final.reshape(b, s, d), router_logits

    return MoE()


# ---- differences found and fixed ----------------------------------------------------------
def test_complex_rope_fails_early_naming_the_missing_feature():
    """minitorch has no complex dtypes: llama's precompute_freqs_cis (torch.polar) and
    apply_rotary_emb (view_as_complex / view_as_real) fail at the call, naming the feature and
    the real-valued rewrite (they were AttributeErrors; complex numpy data lost its
    imaginary part silently)."""
    freqs = minitorch.outer(minitorch.arange(4), minitorch.ones(2))
    calls = {
        "polar": lambda: minitorch.polar(minitorch.ones_like(freqs), freqs),
        "view_as_complex": lambda: minitorch.view_as_complex(minitorch.ones(2, 3, 2)),
        "view_as_real": lambda: minitorch.view_as_real(freqs),
        "complex": lambda: minitorch.complex(freqs, freqs),
    }
    for name, call in calls.items():
        with pytest.raises(NotImplementedError, match=f"torch.{name}: minitorch has no complex"):
            call()
    with pytest.raises(RuntimeError, match="real-valued form: cos/sin"):  # catchable as PyTorch's
        minitorch.polar(freqs, freqs)
    with pytest.raises(AttributeError, match="'complex64': minitorch has no complex dtypes"):
        minitorch.ones(2, dtype=minitorch.complex64)
    assert not hasattr(minitorch, "cfloat") and getattr(minitorch, "cdouble", None) is None
    with pytest.raises(AttributeError, match="^module 'minitorch' has no attribute 'nope'$"):
        minitorch.nope  # noqa: B018
    with pytest.raises(AttributeError, match="'fft': minitorch has no complex dtypes, so no Fou"):
        minitorch.fft.rfft(freqs)
    assert not hasattr(minitorch, "stft")
    for data in (np.array([1 + 2j]), [1 + 2j], 1j):
        with pytest.raises(NotImplementedError, match="tensor\\(\\) of complex128 data"):
            minitorch.tensor(data)


def test_full_refuses_fill_values_that_do_not_fit(torch):
    """full((T, T), float('-inf'), dtype=long) gave garbage integers; PyTorch raises."""
    for lib in (minitorch, torch):
        for value, dtype in (
            (float("-inf"), lib.long),
            (float("nan"), lib.int32),
            (300, lib.uint8),
        ):
            with pytest.raises(
                RuntimeError, match="cannot be converted to type .* without overflow"
            ):
                lib.full((2, 2), value, dtype=dtype)
    for value, dtype in ((-1, "uint8"), (2.7, "long"), (float("-inf"), "bool"), (True, "long")):
        a = minitorch.full((2,), value, dtype=getattr(minitorch, dtype))
        e = torch.full((2,), value, dtype=getattr(torch, dtype))
        assert a.tolist() == e.tolist() and str(a.dtype)[10:] == str(e.dtype)[6:]


def test_multinomial_checks_and_zero_probability_categories(torch):
    """Without replacement, more samples than non-zero categories worked in PyTorch but raised
    numpy's ValueError; integer and 3-d inputs were accepted silently."""
    for lib in (minitorch, torch):
        out = lib.multinomial(lib.tensor([[0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]), 4)
        assert out.shape == (2, 4) and out.dtype == lib.int64
        assert sorted(out[0, :2].tolist()) == [0, 1] and out[1, 0].item() == 3
        assert all(sorted(row) == [0, 1, 2, 3] for row in out.tolist())
        errors = [
            (
                lambda lib=lib: lib.multinomial(lib.tensor([[1, 2]]), 1),
                "only supports floating-point",
            ),
            (lambda lib=lib: lib.multinomial(lib.ones(2, 2, 3), 1), "prob_dist must be 1 or 2 dim"),
            (lambda lib=lib: lib.multinomial(lib.ones(3), 4), "n_sample > prob_dist.size\\(-1\\)"),
            (lambda lib=lib: lib.multinomial(lib.ones(3), 0), "n_sample <= 0"),
        ]
        for call, message in errors:
            with pytest.raises(RuntimeError, match=message):
                call()
    minitorch.manual_seed(0)
    draws = minitorch.multinomial(minitorch.tensor([0.1, 0.2, 0.7]).repeat(20000, 1), 2)
    assert (draws[:, 0] != draws[:, 1]).all()
    first = np.bincount(draws[:, 0].numpy(), minlength=3) / 20000
    second = np.bincount(draws[:, 1].numpy(), minlength=3) / 20000
    np.testing.assert_allclose(first, [0.1, 0.2, 0.7], atol=0.015)
    np.testing.assert_allclose(second, [0.2583, 0.4889, 0.2528], atol=0.015)


def test_adamw_fused_and_foreach_together_is_an_error(torch):
    for lib in (minitorch, torch):
        p = lib.nn.Parameter(lib.ones(2))
        for opt in (lib.optim.AdamW, lib.optim.Adam, lib.optim.SGD):
            with pytest.raises(
                RuntimeError, match="`fused` and `foreach` cannot be `True` together"
            ):
                opt([p], lr=0.1, fused=True, foreach=True)
        lib.optim.AdamW([p], fused=True)  # fused alone is accepted on the CPU


@pytest.mark.filterwarnings("ignore:Mismatch dtype between input and weight")
def test_rms_norm_of_half_input_with_float32_weight_stays_half(torch):
    """PyTorch's rms_norm returns the input's dtype (was float32 here), under CPU autocast
    too."""
    x0, w0 = _f32(3, 8), np.linspace(0.5, 1.5, 8, dtype=np.float32)

    def program(lib):
        x = lib.tensor(x0).half().requires_grad_()
        norm = lib.nn.RMSNorm(8)
        norm.weight.data.copy_(lib.tensor(w0))
        y = norm(x)
        y.float().pow(2).sum().backward()
        return y.dtype, y.float(), x.grad.dtype, norm.weight.grad.dtype, x.grad.float()

    ours, theirs = program(minitorch), program(torch)
    _same(ours[:4], theirs[:4], tol=3e-3)
    # PyTorch rounds the backward to float16 at more places (max error 0.02 against float64,
    # ours 0.004): the input gradients agree to float16 backward accuracy
    _same(ours[4], theirs[4], tol=5e-2)
    with minitorch.autocast("cpu"):  # PyTorch's CPU autocast leaves norms in float16
        assert minitorch.nn.RMSNorm(8)(minitorch.tensor(x0).half()).dtype == minitorch.float16
    with torch.autocast("cpu", dtype=torch.float16):
        assert torch.nn.RMSNorm(8)(torch.tensor(x0).half()).dtype == torch.float16


def test_sdpa_dtype_and_head_mismatch_errors(torch):
    """Mixed query/key dtypes were promoted silently; unequal heads without enable_gqa gave
    numpy's ValueError. Both are RuntimeErrors in PyTorch, with PyTorch's words."""
    for lib in (minitorch, torch):
        F, q = lib.nn.functional, lib.ones(1, 4, 3, 8)
        with pytest.raises(RuntimeError, match="to have the same dtype"):
            F.scaled_dot_product_attention(q.half(), q, q)
        with pytest.raises(RuntimeError, match=r"size of tensor a \(4\) must match the size"):
            F.scaled_dot_product_attention(q, lib.ones(1, 2, 3, 8), lib.ones(1, 2, 3, 8))


def test_cross_entropy_targets_must_be_long_or_byte(torch):
    x = _f32(3, 5)
    for lib in (minitorch, torch):
        F, logits = lib.nn.functional, lib.tensor(x)
        for dtype in (lib.int32, lib.int16, lib.bool):
            target = lib.tensor([1, 2, 3]).to(dtype)
            with pytest.raises(RuntimeError, match="expected target dtype to be Long or Byte"):
                F.cross_entropy(logits, target)
            with pytest.raises(RuntimeError, match="expected target dtype to be Long or Byte"):
                F.nll_loss(logits.log_softmax(-1), target)
    target = np.array([1, 2, 3], np.uint8)
    a = minitorch.nn.functional.cross_entropy(minitorch.tensor(x), minitorch.tensor(target))
    assert a.item() == pytest.approx(
        torch.nn.functional.cross_entropy(torch.tensor(x), torch.tensor(target)).item(), rel=1e-6
    )


def test_autocast_queries_at_top_level(torch):
    """torch.is_autocast_enabled / torch.get_autocast_dtype (were only in minitorch.amp)."""
    for lib in (minitorch, torch):
        assert lib.is_autocast_enabled("cpu") is False
        with lib.autocast("cpu", dtype=lib.float16):
            assert lib.is_autocast_enabled("cpu") is True
            assert lib.get_autocast_dtype("cpu") == lib.float16


def test_device_as_context_manager_and_default_device(torch):
    """gpt-fast / lit-gpt style ``with torch.device(device):`` around model and cache set-up
    (was TypeError) and set_/get_default_device (were AttributeError). Only the CPU can be
    the default device here; another raises naming what to do."""
    for lib in (minitorch, torch):
        with lib.device("cpu") as d:
            layer = lib.nn.Linear(2, 3)
            cache = lib.zeros(1, 4)
        assert str(d) == "cpu" and str(layer.weight.device) == "cpu" == str(cache.device)
        lib.set_default_device("cpu")
        assert str(lib.get_default_device()) == "cpu"
        lib.set_default_device(None)
    with pytest.raises(NotImplementedError, match="no ambient default device.*pass device="):
        with minitorch.device("cuda"):
            pass
    with pytest.raises(NotImplementedError, match="default device 'cuda:0'"):
        minitorch.set_default_device("cuda:0")


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_script_boilerplate_names(torch):
    """Training-script boilerplate: torch.version.cuda/hip checks, the deprecated
    torch.cpu.amp.autocast, torch.cpu queries, and nanoGPT's get_batch
    ``x.pin_memory().to(device, non_blocking=True)`` (all were AttributeErrors)."""
    for lib in (minitorch, torch):
        assert lib.version.hip is None and isinstance(lib.version.__version__, str)
        assert lib.cpu.is_available() and lib.cpu.device_count() == 1
        lib.cpu.synchronize()
        with lib.cpu.amp.autocast(enabled=False):
            assert not lib.is_autocast_enabled("cpu")
        with lib.cpu.amp.autocast(dtype=lib.float16):
            assert lib.is_autocast_enabled("cpu") and lib.get_autocast_dtype("cpu") == lib.float16
        x = lib.ones(2)
        assert x.is_pinned() is False
        if lib.cuda.is_available():
            assert x.pin_memory().to("cuda", non_blocking=True).device.type == "cuda"
        else:
            with pytest.raises(RuntimeError, match="Cannot access accelerator device"):
                x.pin_memory()
    cupy_missing = minitorch.backends.cupy_backend.cupy is None
    assert (minitorch.version.cuda is None) == cupy_missing
    assert minitorch.__version__ == minitorch.version.__version__


def test_mask_errors_are_runtime_errors(torch):
    """A mask that does not broadcast gave numpy's ValueError (masked_fill, sdpa); an integer
    sdpa mask was added as a float bias instead of PyTorch's error."""
    for lib in (minitorch, torch):
        F, x = lib.nn.functional, lib.ones(1, 2, 3, 4)
        with pytest.raises(RuntimeError, match="must match the size of tensor b"):
            lib.ones(2, 3).masked_fill(lib.ones(3, 2, dtype=lib.bool), 0.0)
        with pytest.raises(RuntimeError, match=r"size of tensor a \(3\) must match the size"):
            F.scaled_dot_product_attention(x, x, x, attn_mask=lib.ones(4, 4, dtype=lib.bool))
        with pytest.raises(RuntimeError, match="Expected attn_mask dtype to be bool or float"):
            F.scaled_dot_product_attention(x, x, x, attn_mask=lib.ones(3, 3, dtype=lib.long))


def _overflowing_fills(lib):
    scores, keep = lib.zeros(2).half(), lib.tensor([True, False])
    return [
        lambda: scores.masked_fill(keep, lib.finfo(lib.float32).min),
        lambda: scores.clone().fill_(1e5),
        lambda: lib.tensor([1, 2]).masked_fill(keep, float("-inf")),
        lambda: lib.tensor([1, 2]).fill_(float("nan")),
        lambda: lib.tensor([1, 2]).__setitem__(0, float("-inf")),
        lambda: lib.tensor([1, 2], dtype=lib.uint8).fill_(-256),
    ]


def test_fill_values_that_do_not_fit_the_dtype(torch):
    """masked_fill of a float16 score tensor with finfo(float32).min (a classic half
    inference bug) and -inf into integer tensors raise PyTorch's RuntimeError (were silently
    -inf, or OverflowError); values that fit, -inf into floats, negative integers into
    uint8, and setitem's float16 overflow to inf still work as in PyTorch."""
    for lib in (minitorch, torch):
        for call in _overflowing_fills(lib):
            with pytest.raises(
                RuntimeError, match="cannot be converted to type .* without overflow"
            ):
                call()
        scores, keep = lib.zeros(2).half(), lib.tensor([True, False])
        filled = scores.masked_fill(keep, lib.finfo(scores.dtype).min).masked_fill(
            ~keep, -float("inf")
        )
        assert filled.tolist() == [-65504.0, -float("inf")]
        assert lib.tensor([1, 2]).masked_fill(keep, 1.5).tolist() == [1, 2]
        half = lib.zeros(2).half()
        half[0] = 1e5
        assert half.tolist() == [float("inf"), 0.0]
        byte = lib.tensor([1, 2], dtype=lib.uint8)  # negative integers wrap (were OverflowError)
        byte[1] = -1
        assert byte.masked_fill(keep, -2).tolist() == [254, 255]
        assert byte.fill_(-3).tolist() == [253, 253]
