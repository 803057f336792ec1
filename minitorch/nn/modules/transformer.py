"""Attention and transformer layers: MultiheadAttention, TransformerEncoderLayer,
TransformerEncoder, TransformerDecoderLayer, TransformerDecoder, Transformer (mirror
``torch.nn``; same parameter names, so state_dicts load)."""

from __future__ import annotations

import copy
import warnings

from ... import bool as bool_
from ... import factories, ops
from ..._tensor import Tensor
from ...amp.autocast_mode import get_autocast_dtype, is_autocast_enabled
from ...autograd.grad_mode import is_grad_enabled
from ...backends import mha as mha_backend
from .. import functional as F
from .. import init
from ..functional_conv import canonical_masks
from ..parameter import Parameter
from .activation import GELU, ReLU
from .container import ModuleList
from .dropout import Dropout
from .linear import Linear
from .module import Module
from .normalization import LayerNorm

__all__ = [
    "MultiheadAttention",
    "NonDynamicallyQuantizableLinear",
    "Transformer",
    "TransformerDecoder",
    "TransformerDecoderLayer",
    "TransformerEncoder",
    "TransformerEncoderLayer",
]


class NonDynamicallyQuantizableLinear(Linear):
    """Mirrors the Linear subclass PyTorch uses for ``MultiheadAttention.out_proj``."""


class MultiheadAttention(Module):
    """Mirrors ``torch.nn.MultiheadAttention``. ``forward(query, key, value,
    key_padding_mask=None, need_weights=True, attn_mask=None, average_attn_weights=True,
    is_causal=False)`` returns (output, weights or None); inputs are (L, N, E), or (N, L, E)
    with ``batch_first``. Masks: bool True = not allowed, or float added to the scores."""

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim=None,
        vdim=None,
        batch_first: bool = False,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(
                f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} "
                f"and num_heads={num_heads} instead"
            )
        if embed_dim % num_heads:
            raise AssertionError("embed_dim must be divisible by num_heads")
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        kw = {"device": device, "dtype": dtype}
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(factories.empty((3 * embed_dim, embed_dim), **kw))
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.q_proj_weight = Parameter(factories.empty((embed_dim, embed_dim), **kw))
            self.k_proj_weight = Parameter(factories.empty((embed_dim, self.kdim), **kw))
            self.v_proj_weight = Parameter(factories.empty((embed_dim, self.vdim), **kw))
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(factories.empty(3 * embed_dim, **kw))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, **kw)
        if add_bias_kv:
            self.bias_k = Parameter(factories.empty((1, 1, embed_dim), **kw))
            self.bias_v = Parameter(factories.empty((1, 1, embed_dim), **kw))
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        """PyTorch's default: xavier_uniform_ projections, zero biases, xavier_normal_
        bias_k/bias_v."""
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            init.xavier_uniform_(self.q_proj_weight)
            init.xavier_uniform_(self.k_proj_weight)
            init.xavier_uniform_(self.v_proj_weight)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
            init.xavier_normal_(self.bias_v)

    def forward(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        key_padding_mask=None,
        need_weights: bool = True,
        attn_mask=None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple:
        batched = query.ndim == 3
        if self.batch_first and batched:  # (N, L, E) -> (L, N, E), one view per distinct input
            if key is value:
                if query is key:
                    query = key = value = query.transpose(1, 0)
                else:
                    query, key = query.transpose(1, 0), key.transpose(1, 0)
                    value = key
            else:
                query, key, value = (t.transpose(1, 0) for t in (query, key, value))
        masked = attn_mask is not None or key_padding_mask is not None
        if query.shape[-1] != self.embed_dim and self._fast_path(
            query, key, value, attn_mask, key_padding_mask
        ):
            raise _embed_dim_error(self.embed_dim, query)
        # PyTorch's fast path ignores is_causal and softmaxes explicitly (a fully masked row
        # comes out NaN), as the need_weights path does
        fast = (masked or is_causal) and self._fast_path(
            query, key, value, attn_mask, key_padding_mask
        )
        explicit, is_causal = need_weights or (fast and masked), is_causal and not fast
        # PyTorch's forward makes a bool mask one of the query's dtype (checking the two
        # masks' dtypes), then multi_head_attention_forward checks them again: mismatched
        # dtypes warn twice
        key_padding_mask, attn_mask = canonical_masks(
            key_padding_mask, attn_mask, query, ("key_padding_mask", "attn_mask")
        )
        if fast and masked:  # PyTorch's fast path merges them first (its view errors)
            self.merge_masks(attn_mask, key_padding_mask, query.transpose(1, 0))
        out, weights = F.multi_head_attention_forward(
            query,
            key,
            value,
            self.embed_dim,
            self.num_heads,
            self.in_proj_weight,
            self.in_proj_bias,
            self.bias_k,
            self.bias_v,
            self.add_zero_attn,
            self.dropout,
            self.out_proj.weight,
            self.out_proj.bias,
            training=self.training,
            key_padding_mask=key_padding_mask,
            need_weights=explicit,
            attn_mask=attn_mask,
            use_separate_proj_weight=not self._qkv_same_embed_dim,
            q_proj_weight=self.q_proj_weight,
            k_proj_weight=self.k_proj_weight,
            v_proj_weight=self.v_proj_weight,
            average_attn_weights=average_attn_weights,
            is_causal=is_causal,
        )
        if self.batch_first and batched:
            out = out.transpose(1, 0)
        return out, weights if need_weights else None

    def merge_masks(self, attn_mask, key_padding_mask, query: Tensor) -> tuple:
        """Mirrors ``MultiheadAttention.merge_masks``: (mask, mask type) for (N, L, E)
        ``query``: the key padding mask (type 1), or the attention mask expanded to (N, heads,
        L, L) (type 2) plus the expanded key padding mask when both are given."""
        merged, mask_type = None, None
        if key_padding_mask is not None:
            merged, mask_type = key_padding_mask, 1
        if attn_mask is not None:
            batch_size, seq_len, _ = query.shape
            mask_type = 2
            if attn_mask.ndim == 3:
                merged = attn_mask.view(batch_size, -1, seq_len, seq_len)
            else:
                merged = attn_mask.view(1, 1, seq_len, seq_len).expand(
                    batch_size, self.num_heads, -1, -1
                )
            if key_padding_mask is not None:
                merged = merged + key_padding_mask.view(batch_size, 1, 1, seq_len).expand(
                    -1, self.num_heads, -1, -1
                )
        return merged, mask_type

    def _fast_path(self, query: Tensor, key: Tensor, value: Tensor, attn_mask, key_padding_mask):
        """Whether PyTorch's forward runs ``torch._native_multi_head_attention`` (its
        inference fast path) on these inputs (already (L, N, E) views when batch_first)."""
        if any(m is not None and m.is_floating_point() for m in (attn_mask, key_padding_mask)):
            return False
        weight, bias = self.in_proj_weight, self.in_proj_bias
        return (
            mha_backend.get_fastpath_enabled()
            and query.ndim == 3
            and query is key
            and key is value
            and not self.training
            and self.batch_first
            and self.num_heads % 2 == 0
            and self.bias_k is None
            and self.bias_v is None
            and not self.add_zero_attn
            and weight is not None
            and bias is not None
            and query.dtype == weight.dtype == bias.dtype
            and not is_autocast_enabled()
            and not _need_grad((query, weight, bias, *self.out_proj.parameters()))
        )


def _embed_dim_error(embed_dim: int, query: Tensor) -> RuntimeError:
    """PyTorch's fused attention's error for a query of another feature size."""
    return RuntimeError(
        f"passed-in embed_dim {embed_dim} didn't match last dim of query {query.shape[-1]}"
    )


def _need_grad(tensors) -> bool:
    """PyTorch's fast paths' grad check: grad mode on and one of ``tensors`` requires grad."""
    return is_grad_enabled() and any(t is not None and t.requires_grad for t in tensors)


def _get_activation_fn(activation: str):
    """Mirrors ``torch.nn.modules.transformer._get_activation_fn``: F.relu or F.gelu."""
    if activation == "relu":
        return F.relu
    if activation == "gelu":
        return F.gelu
    raise RuntimeError(f"activation should be relu/gelu, not {activation}")


def _get_clones(module: Module, N: int) -> ModuleList:
    """Mirrors ``torch.nn.modules.transformer._get_clones``: N deep copies of ``module``."""
    return ModuleList([copy.deepcopy(module) for _ in range(N)])


def _generate_square_subsequent_mask(sz: int, device=None, dtype=None) -> Tensor:
    """Mirrors ``torch.nn.modules.transformer._generate_square_subsequent_mask``: a (sz, sz)
    float mask, -inf above the diagonal (future positions) and 0 elsewhere."""
    mask = factories.full((sz, sz), float("-inf"), dtype=dtype, device=device)
    return ops.triu(mask, diagonal=1)


def _get_seq_len(src: Tensor, batch_first: bool) -> int:
    """Mirrors ``torch.nn.modules.transformer._get_seq_len``: the sequence length of src."""
    return src.shape[0] if src.ndim == 2 else src.shape[1 if batch_first else 0]


def _detect_is_causal_mask(mask, is_causal=None, size=None) -> bool:
    """Mirrors ``torch.nn.modules.transformer._detect_is_causal_mask``: ``is_causal`` when
    given, else whether ``mask`` is the causal mask (of ``size``)."""
    if is_causal is not None or mask is None:
        return is_causal is True
    causal = _generate_square_subsequent_mask(
        size if size is not None else mask.shape[-2], device=mask.device, dtype=mask.dtype
    )
    return mask.shape == causal.shape and bool((mask == causal).all())


def _relu_or_gelu(activation) -> int:
    """PyTorch's ``activation_relu_or_gelu`` of a layer: 1 for ReLU, 2 for GELU, else 0."""
    if activation is F.relu or isinstance(activation, ReLU):
        return 1
    return 2 if activation is F.gelu or isinstance(activation, GELU) else 0


class TransformerEncoderLayer(Module):
    """Mirrors ``torch.nn.TransformerEncoderLayer``: self-attention then a feed-forward
    block, each with dropout and a residual, LayerNorm after (or before, ``norm_first``)."""

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation="relu",
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        kw = {"device": device, "dtype": dtype}
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first, **kw
        )
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, **kw)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, **kw)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        if isinstance(activation, str):
            activation = _get_activation_fn(activation)
        self.activation_relu_or_gelu = _relu_or_gelu(activation)
        self.activation = activation

    def forward(
        self, src: Tensor, src_mask=None, src_key_padding_mask=None, is_causal: bool = False
    ) -> Tensor:
        names = ("src_key_padding_mask", "src_mask")
        src_key_padding_mask, src_mask = canonical_masks(src_key_padding_mask, src_mask, src, names)
        out_dtype = None
        if self._fast_path(src):
            if src.shape[-1] != self.self_attn.embed_dim and not self.norm_first:
                raise _embed_dim_error(self.self_attn.embed_dim, src)  # (else norm1's error)
            # PyTorch's fused layer (no _sa_block) ignores is_causal and softmaxes explicitly
            # (a fully masked row comes out NaN); CPU autocast runs it in its low dtype
            masked = src_mask is not None or src_key_padding_mask is not None
            if is_autocast_enabled(src.device.type):
                out_dtype = get_autocast_dtype(src.device.type)
            # and reads a float mask as a bool one: any nonzero value masks its position out
            src_mask, src_key_padding_mask = _as_bool_masks(src, src_mask, src_key_padding_mask)

            def sa_block(y: Tensor) -> Tensor:
                return self.self_attn(
                    y, y, y, key_padding_mask=src_key_padding_mask, need_weights=masked,
                    attn_mask=src_mask,
                )[0]  # fmt: skip
        else:

            def sa_block(y: Tensor) -> Tensor:
                return self._sa_block(y, src_mask, src_key_padding_mask, is_causal=is_causal)

        x = src
        if self.norm_first:
            x = x + sa_block(self.norm1(x))
            x = x + self._ff_block(self.norm2(x))
        else:
            x = self.norm1(x + sa_block(x))
            x = self.norm2(x + self._ff_block(x))
        return x if out_dtype is None else x.to(out_dtype)

    def _fast_path(self, src: Tensor) -> bool:
        """Whether PyTorch's forward runs ``torch._transformer_encoder_layer_fwd`` (its
        inference fast path) on ``src``."""
        attn = self.self_attn
        return (
            mha_backend.get_fastpath_enabled()
            and src.ndim == 3
            and not self.training
            and attn.batch_first
            and attn.in_proj_bias is not None
            and attn._qkv_same_embed_dim
            and bool(self.activation_relu_or_gelu)
            and self.norm1.eps == self.norm2.eps
            and attn.num_heads % 2 == 0
            and not is_autocast_enabled()
            and not any(m._forward_hooks or m._forward_pre_hooks for m in self.modules())
            and not _need_grad((src, *attn.parameters(), *self.norm1.parameters(),
                                *self.norm2.parameters(), *self.linear1.parameters(),
                                *self.linear2.parameters()))
        )  # fmt: skip

    def _sa_block(self, x: Tensor, attn_mask, key_padding_mask, is_causal: bool = False) -> Tensor:
        x = self.self_attn(
            x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
            need_weights=False, is_causal=is_causal,
        )[0]  # fmt: skip
        return self.dropout1(x)

    def _ff_block(self, x: Tensor) -> Tensor:
        x = self.linear2(self.dropout(self.activation(self.linear1(x))))
        return self.dropout2(x)


def _as_bool_masks(like: Tensor, *masks) -> tuple:
    """Float masks as PyTorch's fused kernels read them (as bool ones): -inf where nonzero,
    else 0, in ``like``'s dtype."""
    return tuple(
        None
        if m is None
        else factories.zeros_like(m, dtype=like.dtype).masked_fill(m != 0, float("-inf"))
        for m in masks
    )


def _why_not_nested(layer) -> str:
    """Why PyTorch's TransformerEncoder would not use nested tensors with ``layer`` ("" if
    it would), in PyTorch's words."""
    name = "encoder_layer"
    attn = getattr(layer, "self_attn", None)
    if not isinstance(layer, TransformerEncoderLayer):
        return f"{name} was not TransformerEncoderLayer"
    if layer.norm_first:
        return f"{name}.norm_first was True"
    if not attn.batch_first:
        return (
            f"{name}.self_attn.batch_first was not True"
            "(use batch_first for better inference performance)"
        )
    if not attn._qkv_same_embed_dim:
        return f"{name}.self_attn._qkv_same_embed_dim was not True"
    if attn.in_proj_bias is None:
        return f"{name}.self_attn was passed bias=False"
    if not layer.activation_relu_or_gelu:
        return f"{name}.activation_relu_or_gelu was not True"
    if layer.norm1.eps != layer.norm2.eps:
        return f"{name}.norm1.eps was not equal to {name}.norm2.eps"
    if attn.num_heads % 2 == 1:
        return f"{name}.self_attn.num_heads is odd"
    return ""


class TransformerEncoder(Module):
    """Mirrors ``torch.nn.TransformerEncoder``: ``num_layers`` copies of ``encoder_layer``,
    then an optional final ``norm``."""

    def __init__(
        self,
        encoder_layer: TransformerEncoderLayer,
        num_layers: int,
        norm=None,
        enable_nested_tensor: bool = True,
        mask_check: bool = True,
    ) -> None:
        super().__init__()
        self.layers = _get_clones(encoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm
        self.enable_nested_tensor = enable_nested_tensor
        self.use_nested_tensor = enable_nested_tensor
        self.mask_check = mask_check
        why_not = _why_not_nested(encoder_layer)
        if enable_nested_tensor and why_not:
            warnings.warn(
                "enable_nested_tensor is True, but self.use_nested_tensor is False because "
                + why_not,
                stacklevel=2,
            )
            self.use_nested_tensor = False

    def forward(self, src: Tensor, mask=None, src_key_padding_mask=None, is_causal=None) -> Tensor:
        names = ("src_key_padding_mask", "mask")
        src_key_padding_mask, mask = canonical_masks(src_key_padding_mask, mask, src, names)
        keep = self._nested_keep(src, mask, src_key_padding_mask)
        if keep is not None:  # PyTorch's nested-tensor path: the kept positions attend
            if not bool(keep.any()):  # (its nested tensor of empty sequences cannot be padded)
                raise RuntimeError(
                    "to_padded_tensor: at least one constituent tensor should have non-zero numel"
                )
            d = self.layers[0].self_attn.embed_dim
            if src.shape[-1] != d:
                raise RuntimeError(
                    "Shape mismatch for NestedTensor Matmul: Expected input's (a nested tensor) "
                    f"'last_dim' to equal 'weight.size(0), but got: last_dim = {src.shape[-1]}, "
                    f"and weight.size(0) = {d}"
                )
            src_key_padding_mask = ~keep.squeeze(-1)
        seq_len = _get_seq_len(src, self.layers[0].self_attn.batch_first)
        is_causal = _detect_is_causal_mask(mask, is_causal, seq_len)
        out = src
        for layer in self.layers:
            out = layer(
                out, src_mask=mask, src_key_padding_mask=src_key_padding_mask, is_causal=is_causal
            )
        if keep is not None:  # and the others come out 0
            out = ops.where(keep, out, 0.0)
        return self.norm(out) if self.norm is not None else out

    def _nested_keep(self, src: Tensor, mask, src_key_padding_mask):
        """Where PyTorch would run the layers on a nested tensor (inference with a padding
        mask, ``use_nested_tensor``): the (N, S, 1) mask of the positions it keeps, each
        sequence's first n for its n non-padded ones (any nonzero float marks padding); else
        None."""
        if (
            not mha_backend.get_fastpath_enabled()
            or not self.use_nested_tensor
            or self.layers[0].training
            or src.ndim != 3
            or src_key_padding_mask is None
        ):
            return None
        padded = src_key_padding_mask
        keep = ~padded if padded.dtype == bool_ else padded == 0
        if self.mask_check:  # (PyTorch's first check of the padding mask, then the others)
            if padded.ndim != 2:
                raise RuntimeError("Padding mask should be 2D")
            if padded.shape != src.shape[:2]:
                raise RuntimeError("Mask size should match input size")
            if bool((keep[:, 1:] & ~keep[:, :-1]).any()):
                return None  # not left-aligned: PyTorch keeps the padded tensor
        if mask is not None or is_autocast_enabled():  # PyTorch's check: CUDA's autocast only
            return None
        first = self.layers[0]
        if _need_grad(
            (src, *first.self_attn.parameters(), *first.linear1.parameters(),
             *first.linear2.parameters(), *first.norm1.parameters(), *first.norm2.parameters())
        ):  # fmt: skip
            return None
        steps = factories.arange(keep.shape[1], device=keep.device)
        return (steps < keep.sum(1, keepdim=True)).unsqueeze(-1)


class TransformerDecoderLayer(Module):
    """Mirrors ``torch.nn.TransformerDecoderLayer``: self-attention, attention over the
    encoder's ``memory``, then a feed-forward block, each with dropout and a residual,
    LayerNorm after (or before, ``norm_first``)."""

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation="relu",
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        kw = {"device": device, "dtype": dtype}
        attn = {"dropout": dropout, "bias": bias, "batch_first": batch_first, **kw}
        self.self_attn = MultiheadAttention(d_model, nhead, **attn)
        self.multihead_attn = MultiheadAttention(d_model, nhead, **attn)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, **kw)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, **kw)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.norm3 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.dropout3 = Dropout(dropout)
        self.activation = (
            _get_activation_fn(activation) if isinstance(activation, str) else activation
        )

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask=None,
        memory_mask=None,
        tgt_key_padding_mask=None,
        memory_key_padding_mask=None,
        tgt_is_causal: bool = False,
        memory_is_causal: bool = False,
    ) -> Tensor:
        x = tgt
        self_masks = (tgt_mask, tgt_key_padding_mask, tgt_is_causal)
        memory_masks = (memory_mask, memory_key_padding_mask, memory_is_causal)
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), *self_masks)
            x = x + self._mha_block(self.norm2(x), memory, *memory_masks)
            return x + self._ff_block(self.norm3(x))
        x = self.norm1(x + self._sa_block(x, *self_masks))
        x = self.norm2(x + self._mha_block(x, memory, *memory_masks))
        return self.norm3(x + self._ff_block(x))

    def __setstate__(self, state: dict) -> None:
        # PyTorch's: a copy (deepcopy, as TransformerDecoder makes its layers, or unpickling)
        # whose attributes lack "activation" (a module activation sits in _modules) gets
        # F.relu, which then shadows that module: such copies compute with ReLU
        if "activation" not in state:
            state["activation"] = F.relu
        self.__dict__.update(state)

    _sa_block = TransformerEncoderLayer._sa_block  # self-attention, dropout1

    def _mha_block(
        self, x: Tensor, mem: Tensor, attn_mask, key_padding_mask, is_causal: bool = False
    ) -> Tensor:
        x = self.multihead_attn(
            x, mem, mem, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
            is_causal=is_causal, need_weights=False,
        )[0]  # fmt: skip
        return self.dropout2(x)

    def _ff_block(self, x: Tensor) -> Tensor:
        x = self.linear2(self.dropout(self.activation(self.linear1(x))))
        return self.dropout3(x)


class TransformerDecoder(Module):
    """Mirrors ``torch.nn.TransformerDecoder``: ``num_layers`` copies of ``decoder_layer``,
    then an optional final ``norm``."""

    def __init__(self, decoder_layer: TransformerDecoderLayer, num_layers: int, norm=None) -> None:
        super().__init__()
        self.layers = _get_clones(decoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask=None,
        memory_mask=None,
        tgt_key_padding_mask=None,
        memory_key_padding_mask=None,
        tgt_is_causal=None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        seq_len = _get_seq_len(tgt, self.layers[0].self_attn.batch_first)
        tgt_is_causal = _detect_is_causal_mask(tgt_mask, tgt_is_causal, seq_len)
        out = tgt
        for layer in self.layers:
            out = layer(
                out, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                tgt_key_padding_mask=tgt_key_padding_mask,
                memory_key_padding_mask=memory_key_padding_mask,
                tgt_is_causal=tgt_is_causal, memory_is_causal=memory_is_causal,
            )  # fmt: skip
        return self.norm(out) if self.norm is not None else out


class Transformer(Module):
    """Mirrors ``torch.nn.Transformer``: a TransformerEncoder and a TransformerDecoder (each
    ending in a LayerNorm) with PyTorch's init (xavier_uniform_ for every matrix).
    ``forward(src, tgt, src_mask, tgt_mask, memory_mask, *_key_padding_mask, ...)``."""

    def __init__(
        self,
        d_model: int = 512,
        nhead: int = 8,
        num_encoder_layers: int = 6,
        num_decoder_layers: int = 6,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation="relu",
        custom_encoder=None,
        custom_decoder=None,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        kw = {"device": device, "dtype": dtype}
        args = (d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                batch_first, norm_first, bias)  # fmt: skip
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
            layer = TransformerEncoderLayer(*args, **kw)
            self.encoder = TransformerEncoder(layer, num_encoder_layers, norm)
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
            layer = TransformerDecoderLayer(*args, **kw)
            self.decoder = TransformerDecoder(layer, num_decoder_layers, norm)
        self._reset_parameters()
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = batch_first

    def forward(
        self,
        src: Tensor,
        tgt: Tensor,
        src_mask=None,
        tgt_mask=None,
        memory_mask=None,
        src_key_padding_mask=None,
        tgt_key_padding_mask=None,
        memory_key_padding_mask=None,
        src_is_causal=None,
        tgt_is_causal=None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        batch_dim = 0 if self.batch_first else 1
        if src.ndim == 3 and src.shape[batch_dim] != tgt.shape[batch_dim]:
            raise RuntimeError("the batch number of src and tgt must be equal")
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise RuntimeError("the feature number of src and tgt must be equal to d_model")
        memory = self.encoder(
            src, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal
        )
        return self.decoder(
            tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
            tgt_is_causal=tgt_is_causal, memory_is_causal=memory_is_causal,
        )  # fmt: skip

    def _reset_parameters(self) -> None:
        """Mirrors ``Transformer._reset_parameters``: xavier_uniform_ for every matrix."""
        for p in self.parameters():
            if p.ndim > 1:
                init.xavier_uniform_(p)

    @staticmethod
    def generate_square_subsequent_mask(sz: int, device=None, dtype=None) -> Tensor:
        """Mirrors ``Transformer.generate_square_subsequent_mask``: a (sz, sz) float mask,
        -inf above the diagonal (future positions) and 0 elsewhere."""
        return _generate_square_subsequent_mask(sz, device, dtype)
