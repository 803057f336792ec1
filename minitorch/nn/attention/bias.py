"""``minitorch.nn.attention.bias``: mirrors ``torch.nn.attention.bias``, the causal biases
``causal_upper_left`` and ``causal_lower_right`` that ``F.scaled_dot_product_attention``
takes as its ``attn_mask``."""

from __future__ import annotations

import warnings
from enum import IntEnum, auto

from ... import bool as bool_
from ... import factories, ops
from ..._subclass import _disabled_torch_function_impl
from ..._tensor import Tensor

__all__ = ["causal_upper_left", "causal_lower_right", "CausalVariant", "CausalBias"]


class CausalVariant(IntEnum):
    """Mirrors ``torch.nn.attention.bias.CausalVariant``: UPPER_LEFT keeps ``tril`` of the
    (L, S) scores (``is_causal=True``), LOWER_RIGHT the triangle aligned to the lower right
    corner."""

    UPPER_LEFT = auto()
    LOWER_RIGHT = auto()


class CausalBias(Tensor):
    """Mirrors ``torch.nn.attention.bias.CausalBias``: a Tensor (as PyTorch's, of the
    uninitialised shape (variant, L, S)) that ``F.scaled_dot_product_attention`` reads as the
    causal mask it describes. PyTorch routes that call through ``__torch_function__``;
    minitorch's attention asks for it (``CausalBias._dispatch``), so the protocol stays off."""

    __torch_function__ = _disabled_torch_function_impl

    def __init__(self, variant: CausalVariant, seq_len_q: int, seq_len_kv: int) -> None:
        if not isinstance(variant, CausalVariant):
            raise AssertionError(f"variant must be a CausalVariant, got {type(variant).__name__}")
        super().__init__(int(variant), seq_len_q, seq_len_kv)
        self.variant = variant
        self.seq_len_q = seq_len_q
        self.seq_len_kv = seq_len_kv
        if seq_len_q > seq_len_kv and variant == CausalVariant.LOWER_RIGHT:
            warnings.warn(
                "Lower right causal bias will produce NaNs in the output when seq_len_q > "
                "seq_len_kv!",
                stacklevel=2,
            )

    def _materialize(self, device=None) -> Tensor:
        """Mirrors ``CausalBias._materialize``: the (L, S) bool mask, True where attention is
        allowed."""
        ones = factories.ones(self.seq_len_q, self.seq_len_kv, dtype=bool_, device=device)
        lower_right = self.variant == CausalVariant.LOWER_RIGHT
        return ops.tril(ones, diagonal=self.seq_len_kv - self.seq_len_q if lower_right else 0)

    @staticmethod
    def _dispatch(query, key, value, attn_mask: CausalBias, dropout_p: float = 0.0,
                  is_causal: bool = False, scale=None, enable_gqa: bool = False) -> Tensor:  # fmt: skip
        """Mirrors ``CausalBias._dispatch`` on CPU: ``is_causal=True`` for UPPER_LEFT (or equal
        lengths), the materialized mask for LOWER_RIGHT."""
        from ..functional import scaled_dot_product_attention  # noqa: PLC0415  (functional imports this lazily)

        if is_causal:
            raise ValueError("CausalBias should not be used with causal=True")
        upper_left = attn_mask.variant == CausalVariant.UPPER_LEFT
        if upper_left or attn_mask.seq_len_q == attn_mask.seq_len_kv:
            return scaled_dot_product_attention(query, key, value, None, dropout_p, True, scale,
                                                enable_gqa)  # fmt: skip
        mask = attn_mask._materialize(query.device)
        return scaled_dot_product_attention(query, key, value, mask, dropout_p, False, scale,
                                            enable_gqa)  # fmt: skip

    def __repr__(self) -> str:
        return repr(self._materialize())

    __str__ = __repr__


def causal_upper_left(*size) -> CausalBias:
    """Mirrors ``torch.nn.attention.bias.causal_upper_left(L, S)``."""
    if len(size) != 2:
        raise AssertionError("causal_upper_left only supports 2D tensors")
    return CausalBias(CausalVariant.UPPER_LEFT, *size)


def causal_lower_right(*size) -> CausalBias:
    """Mirrors ``torch.nn.attention.bias.causal_lower_right(L, S)``."""
    if len(size) != 2:
        raise AssertionError("causal_lower_right only supports 2D tensors")
    return CausalBias(CausalVariant.LOWER_RIGHT, *size)
