"""Character-level language-model data: a tokenizer over characters and a dataset of
next-character windows (as in nanoGPT's char-level setup), with a built-in corpus."""

from __future__ import annotations

import numpy as np

from ..._tensor import Tensor, make_tensor
from ..dataset import Dataset


def default_corpus() -> str:
    """English text that every Python install has: the Python Language Reference topics that
    CPython ships for ``help()`` (``pydoc_data.topics``, about 465,000 characters, 79 topics,
    PSF licence), joined in topic-name order with blank lines between them."""
    try:
        from pydoc_data.topics import topics  # noqa: PLC0415  (large: only loaded when asked)
    except ImportError as e:
        raise RuntimeError(
            "TextDataset: this Python has no pydoc_data module for the default corpus; pass "
            "text=... (any string) instead"
        ) from e
    return "\n\n".join(topics[name] for name in sorted(topics))


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


class CharTokenizer:
    """Characters <-> integer ids; the vocabulary is the sorted set of characters of ``text``
    (``chars[i]`` is the character of id ``i``, ``stoi`` the reverse map)."""

    def __init__(self, text: str) -> None:
        if not text:
            raise ValueError("CharTokenizer needs a non-empty text to build its vocabulary")
        self._codes = np.unique(_codepoints(text))
        self.chars = [chr(c) for c in self._codes.tolist()]
        self.stoi = {ch: i for i, ch in enumerate(self.chars)}

    @property
    def vocab_size(self) -> int:
        return len(self.chars)

    def encode_array(self, text: str) -> np.ndarray:
        """The ids of ``text`` as an int64 numpy array (vectorised: fast on long texts)."""
        codes = _codepoints(text)
        ids = np.searchsorted(self._codes, codes)
        bad = (ids >= len(self._codes)) | (
            self._codes[np.minimum(ids, len(self._codes) - 1)] != codes
        )
        if bad.any():
            unknown = sorted({chr(c) for c in codes[bad].tolist()})
            raise ValueError(f"CharTokenizer.encode: characters not in the vocabulary: {unknown}")
        return ids.astype(np.int64)

    def encode(self, text: str) -> list[int]:
        """The ids of the characters of ``text``."""
        return self.encode_array(text).tolist()

    def decode(self, ids) -> str:
        """The text of ``ids`` (a list, numpy array or tensor of ids)."""
        if isinstance(ids, Tensor | np.ndarray):
            ids = ids.tolist()
        return "".join(self.chars[i] for i in ids)

    def __repr__(self) -> str:
        return f"CharTokenizer(vocab_size={self.vocab_size})"


class TextDataset(Dataset):
    """Next-character prediction windows over a text: sample ``i`` is ``(x, y)`` with
    ``x = ids[i : i + block_size]`` and ``y = ids[i + 1 : i + block_size + 1]`` (int64 tensors),
    so there are ``len(ids) - block_size`` samples. ``text`` defaults to
    :func:`default_corpus`; ``tokenizer`` defaults to a CharTokenizer built from ``text``
    (pass one to share a vocabulary between a train and a validation split)."""

    def __init__(
        self, text: str | None = None, block_size: int = 64, tokenizer: CharTokenizer | None = None
    ) -> None:
        text = default_corpus() if text is None else text
        self.tokenizer = tokenizer or CharTokenizer(text)
        self.block_size = int(block_size)
        self.ids = self.tokenizer.encode_array(text)
        if self.block_size < 1 or len(self.ids) <= self.block_size:
            raise ValueError(
                f"TextDataset: need 1 <= block_size < len(text), got block_size={block_size} "
                f"for a text of {len(self.ids)} characters"
            )
        self._offsets = np.arange(self.block_size + 1)

    def __len__(self) -> int:
        return len(self.ids) - self.block_size

    def __getitem__(self, index: int) -> tuple[Tensor, Tensor]:
        i = range(len(self))[index]  # bounds check, negative indices
        window = self.ids[i : i + self.block_size + 1]
        return make_tensor(window[:-1]), make_tensor(window[1:])

    def __getbatch__(self, indices: np.ndarray) -> list:
        windows = self.ids[indices[:, None] + self._offsets]  # (B, block_size + 1)
        return [
            make_tensor(np.ascontiguousarray(windows[:, :-1])),
            make_tensor(np.ascontiguousarray(windows[:, 1:])),
        ]
