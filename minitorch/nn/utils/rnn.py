"""Variable-length sequences (mirrors ``torch.nn.utils.rnn``): ``pad_sequence``,
``PackedSequence``, ``pack_padded_sequence`` / ``pad_packed_sequence``, ``pack_sequence``,
``unpad_sequence``, ``unpack_sequence``.

A PackedSequence holds PyTorch's layout: ``data`` has the valid steps time-major (step 0 of
every sequence, longest first, then step 1, ...), ``batch_sizes[t]`` says how many sequences
have a step t. Packing and unpacking are a boolean-mask gather and scatter, so gradients
flow through both; RNN, LSTM and GRU accept a PackedSequence and stop each sequence at its
length."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from ... import _dtypes, factories, ops
from ..._tensor import Tensor, make_tensor
from .. import functional as F
from ._introsort import descending_order


class PackedSequence_(NamedTuple):
    """Mirrors ``torch.nn.utils.rnn.PackedSequence_``: PackedSequence's four fields."""

    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """Mirrors ``torch.nn.utils.rnn.invert_permutation``: the permutation that undoes
    ``permutation`` (None for None)."""
    if permutation is None:
        return None
    steps = factories.arange(permutation.numel(), device=permutation.device)
    return factories.empty_like(permutation).scatter_(0, permutation, steps)


class PackedSequence(PackedSequence_):
    """Mirrors ``torch.nn.utils.rnn.PackedSequence``: built as ``PackedSequence(data,
    batch_sizes, sorted_indices=None, unsorted_indices=None)`` (the unsorted indices
    default to the sorted ones inverted) or ``PackedSequence((data, batch_sizes))``."""

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:
            data, batch_sizes = data
        elif batch_sizes.device.type != "cpu":
            raise ValueError(
                "batch_sizes should always be on CPU. Instances of PackedSequence should never "
                "be created manually. They should be instantiated by functions like "
                "pack_sequence and pack_padded_sequences in nn.utils.rnn."
            )
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs) -> PackedSequence:
        """Mirrors ``PackedSequence.to``: moves or casts ``data`` (and the index tensors to
        its device), itself when nothing changes; ``batch_sizes`` stays on the CPU."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        indices = [None if i is None else i.to(data.device) for i in self[2:]]
        return type(self)(data, self.batch_sizes, *indices)

    def cpu(self) -> PackedSequence:
        """Mirrors ``PackedSequence.cpu``."""
        return self.to("cpu")

    def cuda(self, device=None, non_blocking: bool = False) -> PackedSequence:
        """Mirrors ``PackedSequence.cuda``."""
        return self.to("cuda" if device is None else device, non_blocking=non_blocking)

    def pin_memory(self) -> PackedSequence:
        """Mirrors ``PackedSequence.pin_memory``."""
        return self._replace(data=self.data.pin_memory())

    def is_pinned(self) -> bool:
        """Mirrors ``PackedSequence.is_pinned``."""
        return self.data.is_pinned()

    @property
    def is_cuda(self) -> bool:
        """Whether ``data`` is on a GPU."""
        return self.data.is_cuda


def _cast(name: str, dtype_name: str):
    def cast(self: PackedSequence) -> PackedSequence:
        return self.to(getattr(_dtypes, dtype_name))

    cast.__name__ = name
    cast.__doc__ = f"Mirrors ``PackedSequence.{name}``: ``data`` cast to {dtype_name}."
    return cast


for _name, _dtype_name in (
    ("double", "float64"), ("float", "float32"), ("half", "float16"), ("long", "int64"),
    ("int", "int32"), ("short", "int16"), ("char", "int8"), ("byte", "uint8"),
):  # fmt: skip
    setattr(PackedSequence, _name, _cast(_name, _dtype_name))
del _name, _dtype_name


def pad_sequence(
    sequences, batch_first: bool = False, padding_value: float = 0.0, padding_side: str = "right"
) -> Tensor:
    """Mirrors ``torch.nn.utils.rnn.pad_sequence``: stacks tensors of shapes (L_i, *) into
    (max L, B, *) (or (B, max L, *) with ``batch_first``), padding each at its end (or its
    start with ``padding_side='left'``) with ``padding_value``."""
    if padding_side not in ("left", "right"):
        raise RuntimeError(
            f"Expected padding_side to be one of left or right, but got {padding_side}."
        )
    if not isinstance(sequences, Iterable):
        raise RuntimeError(
            "pad_sequence: Expected iterable for input sequences, but got arg of type: "
            f"{type(sequences)}"
        )
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("pad_sequence: received an empty list of sequences")
    if any(s.ndim == 0 for s in sequences):
        raise RuntimeError(
            "pad_sequence: every sequence needs a first (length) dimension, but got a 0-d tensor"
        )
    first = sequences[0]
    sequences = [
        s if s.shape[1:] == first.shape[1:] else _broadcast_to_first(s, first) for s in sequences
    ]
    # One gather from the concatenated sequences and a padding row (index `total`), instead
    # of one pad per sequence: sequence b's step t sits at starts[b] + t - (left padding).
    lengths = np.array([s.shape[0] for s in sequences])
    longest, total = int(lengths.max()), int(lengths.sum())
    rows = ops.cat(sequences + [first[:0]], 0)
    pad_row = F.pad(rows[:0], (0, 0) * (first.ndim - 1) + (0, 1), value=padding_value)
    t = np.arange(longest) - (longest - lengths[:, None] if padding_side == "left" else 0)
    starts = np.cumsum(lengths) - lengths
    index = np.where((t >= 0) & (t < lengths[:, None]), starts[:, None] + t, total)
    index = index if batch_first else index.T
    flat = make_tensor(index.reshape(-1)).to(first.device)
    return ops.cat([rows, pad_row], 0).index_select(0, flat).unflatten(0, index.shape)


def _broadcast_to_first(s: Tensor, first: Tensor) -> Tensor:
    """A sequence whose trailing sizes differ from the first's, broadcast to them as
    PyTorch's copy into the padded output does, or PyTorch's error."""
    target = (s.shape[0],) + tuple(first.shape[1:])
    for k in range(1, min(len(target), s.ndim) + 1):
        if s.shape[-k] not in (1, target[-k]):
            raise RuntimeError(
                f"The size of tensor a ({target[-k]}) must match the size of tensor b "
                f"({s.shape[-k]}) at non-singleton dimension {max(len(target), s.ndim) - k}"
            )
    if s.ndim > len(target):
        raise RuntimeError(
            f"output with shape {list(target)} doesn't match the broadcast shape "
            f"{list(s.shape[: s.ndim - len(target)]) + list(target)}"
        )
    return s.expand(target)


def _steps_mask(lengths: np.ndarray, like: Tensor, steps: int | None = None) -> Tensor:
    """(steps, B) bool tensor on ``like``'s device: whether sequence b has a step t (steps
    defaults to the longest length)."""
    steps = int(lengths.max()) if steps is None else steps
    return make_tensor(np.arange(steps)[:, None] < lengths[None, :]).to(like.device)


def _lengths_array(lengths, batch_size: int | None = None, sorted_: bool = False) -> np.ndarray:
    """``lengths`` as an int64 array, checked in PyTorch's order: rank, count against
    ``batch_size``, then positive (only the last, shortest one when they must be sorted)."""
    if isinstance(lengths, Tensor):
        lengths = lengths.cpu()._data
    lengths = np.asarray(lengths, dtype=np.int64)
    if lengths.ndim != 1:
        raise RuntimeError(
            "'lengths' argument should be a 1D CPU int64 tensor, but got "
            f"{lengths.ndim}D cpu Long tensor"
        )
    if batch_size is not None and lengths.size != batch_size:
        raise RuntimeError(
            f"Expected `len(lengths)` to be equal to batch_size, but got {lengths.size} "
            f"(batch_size={batch_size})"
        )
    if lengths.size and (lengths[-1:] if sorted_ else lengths).min() <= 0:
        raise RuntimeError(
            "pack_padded_sequence: Length of all samples has to be greater than 0, but found "
            f"an element in 'lengths' that is <= 0 ({lengths.tolist()})"
        )
    return lengths


def _pack(padded: Tensor, lengths: np.ndarray, order: np.ndarray | None) -> PackedSequence:
    """Packs a time-major (T, B, *) tensor whose batch entries have ``lengths``, taking the
    entries in ``order`` (longest first; None when they already are)."""
    if lengths.size != padded.shape[1]:
        raise RuntimeError(
            f"Expected `len(lengths)` to be equal to batch_size, but got {lengths.size} "
            f"(batch_size={padded.shape[1]})"
        )
    if order is not None:
        padded = padded.index_select(1, make_tensor(order).to(padded.device))
        lengths = lengths[order]
    if padded.shape[0] < lengths.max():
        raise RuntimeError(
            f"pack_padded_sequence: a length ({int(lengths.max())}) exceeds the padded "
            f"sequence length {padded.shape[0]}"
        )
    data = padded[_steps_mask(lengths, padded, padded.shape[0])]
    batch_sizes = factories.tensor((np.arange(lengths.max())[:, None] < lengths).sum(1))
    if order is None:
        return PackedSequence(data, batch_sizes)
    unsorted = np.empty_like(order)
    unsorted[order] = np.arange(order.size)
    indices = (factories.tensor(i, device=padded.device) for i in (order, unsorted))
    return PackedSequence(data, batch_sizes, *indices)  # indices on data's device, as PyTorch


def pack_padded_sequence(
    input: Tensor, lengths, batch_first: bool = False, enforce_sorted: bool = True
) -> PackedSequence:
    """Mirrors ``torch.nn.utils.rnn.pack_padded_sequence``: ``input`` is (T, B, *) (or
    (B, T, *) with ``batch_first``) and ``lengths`` the B sequence lengths, longest first
    unless ``enforce_sorted=False``."""
    lengths = _lengths_array(lengths, input.shape[0 if batch_first else 1], enforce_sorted)
    order = None
    if enforce_sorted:
        if np.any(np.diff(lengths) > 0):
            raise RuntimeError(
                "`lengths` array must be sorted in decreasing order when `enforce_sorted` is "
                "True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or "
                "pack_sequence to sidestep this requirement if you do not need ONNX "
                "exportability."
            )
    else:
        order = descending_order(lengths)  # torch.sort's order of ties
    if batch_first:
        input = input.transpose(0, 1)
    return _pack(input, lengths, order)


def _sorted_lengths(sequence: PackedSequence) -> np.ndarray:
    """Each sequence's length, in the packed (longest first) order."""
    sizes = sequence.batch_sizes.cpu()._data
    return (sizes[None, :] > np.arange(int(sizes[0]))[:, None]).sum(1)


def pad_packed_sequence(
    sequence: PackedSequence,
    batch_first: bool = False,
    padding_value: float = 0.0,
    total_length: int | None = None,
) -> tuple:
    """Mirrors ``torch.nn.utils.rnn.pad_packed_sequence``: the inverse of
    ``pack_padded_sequence``; returns (padded, lengths) in the original batch order."""
    lengths = _sorted_lengths(sequence)
    steps = int(lengths.max())
    if total_length is not None:
        if total_length < steps:
            raise ValueError(
                "Expected total_length to be at least the length of the longest sequence in "
                f"input, but got total_length={total_length} and max sequence length being "
                f"{steps}"
            )
        steps = total_length
    data = sequence.data
    shape = (steps, lengths.size) + tuple(data.shape[1:])
    out = factories.full(shape, padding_value, dtype=data.dtype, device=data.device)
    out[_steps_mask(lengths, data, steps)] = data
    if sequence.unsorted_indices is not None:
        out = out.index_select(1, sequence.unsorted_indices)
        lengths = lengths[sequence.unsorted_indices.cpu()._data]
    if batch_first:
        out = out.transpose(0, 1)
    return out, factories.tensor(lengths)


def pack_sequence(sequences, enforce_sorted: bool = True) -> PackedSequence:
    """Mirrors ``torch.nn.utils.rnn.pack_sequence``: packs a list of (L_i, *) tensors."""
    sequences = list(sequences)
    lengths = [s.shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpad_sequence(padded_sequences: Tensor, lengths, batch_first: bool = False) -> list:
    """Mirrors ``torch.nn.utils.rnn.unpad_sequence``: the inverse of ``pad_sequence``, a list
    of the (L_i, *) sequences, copies taken by a mask as PyTorch's (IndexBackward0); like
    PyTorch, a time-major input is transposed in place."""
    if not batch_first:
        padded_sequences.transpose_(0, 1)
    steps = np.arange(padded_sequences.shape[1])
    masks = [make_tensor(steps < n).to(padded_sequences.device) for n in _lengths_array(lengths)]
    return [seq[mask] for seq, mask in zip(padded_sequences, masks)]


def unpack_sequence(packed_sequences: PackedSequence) -> list:
    """Mirrors ``torch.nn.utils.rnn.unpack_sequence``: the inverse of ``pack_sequence``."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)


def unpacked_input(input, batch_first: bool) -> tuple:
    """For the recurrent layers: (padded input, lengths array in the original batch order,
    the PackedSequence or None)."""
    if not isinstance(input, PackedSequence):
        return input, None, None
    padded, lengths = pad_packed_sequence(input, batch_first)
    return padded, lengths._data, input


def repacked_output(output: Tensor, lengths: np.ndarray, packed, batch_first: bool):
    """The recurrent layers' output packed like their PackedSequence input."""
    if packed is None:
        return output
    if batch_first:
        output = output.transpose(0, 1)
    order = None if packed.sorted_indices is None else packed.sorted_indices.cpu()._data
    return _pack(output, lengths, order)
