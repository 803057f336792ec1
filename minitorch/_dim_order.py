"""``Tensor.dim_order``: PyTorch's logical-to-physical dim permutation of a tensor's strides
(torch._prims_common.compute_elementwise_output_logical_to_physical_perm) and its
ambiguity checks."""

from __future__ import annotations

from ._memory_format import channels_last, memory_format

_BAD_CHECK = "The ambiguity_check argument must be a bool or a list of memory formats."


def _should_swap(shape, strides, a: int, b: int) -> int:
    """PyTorch's comparison of dims ``a`` and ``b`` (1: swap, -1: keep, 0: ambiguous)."""
    sa, sb = strides[a], strides[b]
    if sa == 0 or sb == 0:
        return 0
    if sa == sb:
        return 0 if shape[b] >= shape[a] else 1
    return -1 if sb >= sa else 1


def _permutation(tensor, ambiguity_check) -> tuple[list[int], bool]:
    ndim = tensor.ndim
    if ndim <= 1:
        return list(range(ndim)), False
    contiguous = tensor.is_contiguous()
    nhwc = ndim == 4 and tensor.is_contiguous(memory_format=channels_last)
    if contiguous and not nhwc:
        return list(range(ndim)), False
    if nhwc and not contiguous:
        return [0, *range(2, ndim), 1], False
    shape, strides = tensor.shape, tensor.stride()
    perm = list(reversed(range(ndim)))
    for i in range(1, ndim):
        dim1 = i
        for dim0 in reversed(range(i)):
            order = _should_swap(shape, strides, perm[dim0], perm[dim1])
            if order > 0:
                perm[dim0], perm[dim1] = perm[dim1], perm[dim0]
                dim1 = dim0
            elif order < 0:
                break
    ambiguous = bool(ambiguity_check) and any(
        _should_swap(shape, strides, perm[i], perm[i + 1]) != -1 for i in range(ndim - 1)
    )
    return list(reversed(perm)), ambiguous


def dim_order(tensor, ambiguity_check: bool | list = False) -> tuple:
    """Mirrors ``Tensor.dim_order``: the dims from the outermost in memory to the innermost;
    ``ambiguity_check`` (True or a list of memory formats) raises when that order is not
    unique."""
    if not isinstance(ambiguity_check, bool):
        if not isinstance(ambiguity_check, list) or not all(
            isinstance(f, memory_format) for f in ambiguity_check
        ):
            raise TypeError(_BAD_CHECK)
    formats = ambiguity_check if isinstance(ambiguity_check, list) else []
    check = ambiguity_check if isinstance(ambiguity_check, bool) else True
    strides = tensor.stride()
    multiple = any(x == y for x, y in zip(strides, strides[1:])) or 1 in tensor.shape
    if check and multiple:
        legal = sum(tensor.is_contiguous(memory_format=f) for f in formats)
        if legal != 1:
            raise RuntimeError(
                "The tensor does not have unique dim order, or cannot map to exact one of the "
                "given memory formats."
            )
    perm, ambiguous = _permutation(tensor, ambiguity_check)
    if ambiguous:
        raise RuntimeError("The tensor does not have unique dim order.")
    return tuple(perm)
