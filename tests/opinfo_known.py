"""The divergences from PyTorch's OpInfo database that tests/test_opinfo.py allows, each with
its reason: features minitorch does not have (complex numbers, fft, sparse and masked
tensors, PyTorch's private kernels), and the divergences found but not fixed yet.

Keys are an OpInfo's full name, optionally narrowed to a variant and/or dtype:
``"addcmul"``, ``"addcmul[float16]"``, ``"addcmul[inplace]"``, ``"addcmul[inplace,float16]"``;
a key ending in ``*`` matches every name it begins."""

from __future__ import annotations

OUT_OF_SCOPE = {
    "fft.*": "no fft (complex results)",
    "stft": "no fft",
    "istft": "no fft",
    "masked.*": "no masked tensors (torch.masked is a prototype)",
    "sparse.*": "no sparse tensors",
    "to_sparse": "no sparse tensors",
    "jiterator_*": "CUDA-only jiterator",
    "_softmax_backward_data": "PyTorch's private kernels",
    "_native_batch_norm_legit": "PyTorch's private kernels",
    "_batch_norm_with_update": "PyTorch's private kernels",
    "_upsample_bilinear2d_aa": "PyTorch's private kernels",
    "_unsafe_masked_index*": "PyTorch's private kernels",
    "_chunk_cat": "PyTorch's private kernels",
    "_segment_reduce*": "PyTorch's private kernels",
    "slice": "aten's slice kernel (Python slicing is __getitem__)",
    "torch.*": "PyTorch's private kernels",
    "native_dropout_backward": "PyTorch's private kernels",
    "max_pool2d_with_indices_backward": "a test of aten's backward kernel",
    "chalf": "no complex dtypes",
    "cfloat": "no complex dtypes",
    "cdouble": "no complex dtypes",
    "complex": "no complex dtypes",
    "polar": "no complex dtypes",
    "view_as_complex": "no complex dtypes",
    "conj_physical": "no complex dtypes",
    "ormqr": "not implemented (LAPACK's ormqr has no numpy counterpart)",
    "linalg.eig": "complex eigenvectors",
    "linalg.eigvals": "complex eigenvalues",
    "linalg.ldl_*": "not implemented",
    "hash_tensor": "not implemented",
    "svd_lowrank": "not implemented",
    "pca_lowrank": "not implemented",
    "L1Loss_no_reduce_complex": "common_nn test of complex inputs: no complex dtypes",
    "ReplicationPad3d_complex": "common_nn test of complex inputs: no complex dtypes",
    "EmbeddingBag_sparse": "common_nn test of sparse=True: no sparse gradients",
    "Embedding_sparse": "common_nn test of sparse=True: no sparse gradients",
}

NOT_FIXED = {
    "LBFGS[step,float32]": "float32 rounding of its dot products drifts by ~2e-5 within five "
    "steps (float64 agrees)",
    "LBFGS[scheduler,float32]": "as LBFGS[step,float32]",
    "LBFGS[error]": "a parameter listed twice raises: PyTorch warns, then moves it along both "
    "listings (a silently wrong step)",
}

KNOWN = OUT_OF_SCOPE | NOT_FIXED


def _matches(key: str, name: str) -> bool:
    return name.startswith(key[:-1]) if key.endswith("*") else name == key


def is_known(divergence) -> bool:
    """Whether a divergence is one the table allows."""
    d = divergence
    names = (
        d.op,
        f"{d.op}[{d.variant}]",
        f"{d.op}[{d.dtype}]",
        f"{d.op}[{d.variant},{d.dtype}]",
    )
    return any(_matches(key, name) for key in KNOWN for name in names)
