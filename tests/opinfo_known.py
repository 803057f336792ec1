"""The divergences from PyTorch's OpInfo database that tests/test_opinfo.py allows, each with
its reason: features minitorch does not have (complex numbers, fft, sparse and masked
tensors, PyTorch's private kernels), and the divergences found but not fixed yet.

Keys are an OpInfo's full name, optionally narrowed to a variant and/or dtype:
``"addcmul"``, ``"addcmul[float16]"``, ``"addcmul[inplace]"``, ``"addcmul[inplace,float16]"``;
a key ending in ``*`` matches every name it begins; a key ``"name | text"`` matches only the
samples whose description contains ``text``."""

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
    "linalg.eig": "complex eigenvectors",
    "linalg.eigvals": "complex eigenvalues",
    "hash_tensor": "not implemented",
    "L1Loss_no_reduce_complex": "common_nn test of complex inputs: no complex dtypes",
    "ReplicationPad3d_complex": "common_nn test of complex inputs: no complex dtypes",
    "EmbeddingBag_sparse": "common_nn test of sparse=True: no sparse gradients",
    "Embedding_sparse": "common_nn test of sparse=True: no sparse gradients",
}

_FLOAT16_ORDER = "float16: 1-ulp differences where PyTorch's kernel rounds in another order"
_FLOAT32_ORDER = "float32 summation order (a few 1e-5, relative)"
_OUT_ALIAS = (
    "harness: the out= sample aliases its input's storage, which the conversion copies apart "
    "(minitorch raises for a real alias)"
)
_NUMBER_SELF = (
    "harness: PyTorch's error input calls the unbound Tensor method with a number as self"
)

NOT_FIXED = {
    "LBFGS[step,float32]": "float32 rounding of its dot products drifts by ~2e-5 within five "
    "steps (float64 agrees)",
    "LBFGS[scheduler,float32]": "as LBFGS[step,float32]",
    "LBFGS[error]": "a parameter listed twice raises: PyTorch warns, then moves it along both "
    "listings (a silently wrong step)",
    **dict.fromkeys(
        [f"__r{op}__[error]" for op in ("add", "and", "mul", "or", "xor", "mod", "pow", "sub")],
        _NUMBER_SELF,
    ),
    "rsub[error]": "a Python number as input: PyTorch raises, minitorch computes it",
    "clamp_min[error]": "a Python number as input: PyTorch raises, minitorch computes it",
    "clamp_max[error]": "a Python number as input: PyTorch raises, minitorch computes it",
    "isclose[error]": "a Python number as other is accepted on purpose",
    "amax[error]": "numpy arrays have at most 64 dims: the 65-dim sample can't be made",
    "amin[error]": "numpy arrays have at most 64 dims: the 65-dim sample can't be made",
    "aminmax[error]": "numpy arrays have at most 64 dims: the 65-dim sample can't be made",
    "gradient[error]": "its samples use the meta device",
    "masked_fill[error]": "its samples use complex values",
    **dict.fromkeys(
        [f"nn.functional.conv{n}d[error]" for n in (1, 2, 3)], "its samples use complex tensors"
    ),
    **dict.fromkeys(
        [
            f"{op}[error]"
            for op in ("bernoulli", "cat", "gather", "index_select", "masked_select", "take")
        ],
        _OUT_ALIAS,
    ),  # fmt: skip
    "as_strided_scatter[float64]": "PyTorch's input gradient is wrong (its own OpInfo marks "
    "test_fn_grad an expected failure); minitorch's zeroes the overwritten positions",
    "cov[gradgrad]": "second-order gradient with respect to aweights differs (not investigated)",
    "linalg.norm.subgradients_at_zero[gradgrad]": "second-order subgradient at zero: NaN where "
    "PyTorch gives numbers",
    "special.hermite_polynomial_he[float32]": "float32 recurrence where it cancels heavily "
    "(values ~1e7, differences of a few units)",
    "multinomial[error]": "check order: minitorch checks the probabilities before out's dtype "
    "(the sample's random probabilities are sometimes negative)",
    "linalg.eigh": "eigenvector signs are LAPACK's choice (PyTorch's MKL and numpy's OpenBLAS "
    "choose differently)",
    **dict.fromkeys(
        ["svd_lowrank", "pca_lowrank"],
        "the signs of U's and V's columns are LAPACK's choice in the SVD of the small projected "
        "matrix (PyTorch's MKL and numpy's OpenBLAS choose differently for non-square ones); the "
        "random draws, S, U and V up to those signs and the gradients of (U V^T, S) agree "
        "(tests/test_sweep22_linalg_additions.py)",
    ),  # fmt: skip
    "matrix_exp[float16]": "refuses float16 (PyTorch's float16 results on these samples overflow)",
    "matrix_exp[bfloat16]": "refuses bfloat16: PyTorch's bfloat16 results are garbage (1.3e30 "
    "for a 5x5 randn * 0.1 whose exponential is near the identity, NaN from randn * 0.5 up)",
    "native_layer_norm[bfloat16] | T[1], (1)": "a 1-D input of one element: PyTorch's kernel "
    "computes x * rstd + (-mean * rstd) with a fused multiply-add (a contraction in its "
    "AVX2/AVX512 builds) and returns the product's rounding error (~1e-4 at x * rstd ~ 2700) "
    "instead of 0; minitorch gives the exact 0 of x - mean (rows of a 2-D input agree)",
    **dict.fromkeys(
        [
            "nn.functional.interpolate.linear[bfloat16]",
            "nn.functional.interpolate.trilinear[bfloat16]",
        ],
        "PyTorch's bfloat16 linear upsampling rounds in an order not found yet: 3-9 of 36 "
        "outputs of a (2, 3, 4) sample differ by an ulp from float32 rounded once (minitorch), "
        "and also from bfloat16-rounded weights with float32 sums, bfloat16 products or "
        "bfloat16 source indices",
    ),
    **dict.fromkeys(
        [f"nn.functional.conv_transpose{n}d[bfloat16]" for n in (1, 2, 3)],
        "depends on the CPU: PyTorch's bfloat16 conv_transpose runs oneDNN's deconvolution on "
        "CPUs with AVX512 (its kernel and rounding vary with AVX512-BF16/AMX), the slow kernel "
        "elsewhere; on this AVX512-BF16 machine 345 of the 3872 outputs of the 2-d sample (no "
        "bias) differ by an ulp even from float32 rounded once (minitorch)",
    ),
    "matrix_exp[float32]": "last bits of a different Taylor-degree choice",
    "nn.functional.conv3d[float32]": _FLOAT32_ORDER,
    "nn.functional.scaled_dot_product_attention[float32]": _FLOAT32_ORDER,
    "nn.functional.multi_head_attention_forward[float32] | 4, 1, T[12, 4], T[12], T[4], T[4], "
    "False, 0.5, T[4, 4], T[4], q_proj_weight=None, k_proj_weight=None, v_proj_weight=None, "
    "attn_mask=T[3, 3], training=True": "float32 summation order: the 4-term dot products of "
    "the in-projections differ in their last bit (PyTorch's MKL vs numpy's OpenBLAS), and "
    "out_proj cancels outputs of ~1500 down to ~2 (1.2e-4 off); the dropout draws and factors "
    "(x 2.0) agree, and the attention output before out_proj is 1 ulp off",
    **dict.fromkeys(
        ["nn.functional.conv_transpose1d[float16]", "nn.functional.conv_transpose2d[float16]"],
        "depends on the CPU: PyTorch's float16 conv_transpose runs its slow kernel (columns "
        "rounded to float16, added up in float16 by col2im, as minitorch) on CPUs without "
        "AVX512-FP16 or AMX-FP16 (all samples agree there), oneDNN's (float32, rounded once) "
        "on those with them",
    ),
    "nn.functional.embedding | sparse=True": "no sparse gradients",
    **dict.fromkeys(
        [
            f"nn.functional.{op}[float64] | (T[9]"
            for op in ("hardshrink", "softshrink", "hardtanh", "relu6", "elu", "celu", "selu")
        ],
        "gradient at NaN of a short tensor: PyTorch's scalar loop (short tensors, the tail of "
        "long ones) passes the gradient where its vector kernel (every other element, and "
        "minitorch) gives 0 (shrinks, hardtanh) or NaN (elu family)",
    ),  # fmt: skip
    "where | 2j": "its reference samples mix in a complex scalar: no complex dtypes",
    **dict.fromkeys(
        [f"polygamma.polygamma_n_{n}[float32] | T[1029, 917]" for n in (1, 2, 3, 4)],
        "PyTorch's float32 polygamma(4, x) is ~2e-5 relative off near x = -1/2, where x^-5 and "
        "(x + 1)^-5 cancel; minitorch's agrees with PyTorch's float64 values there",
    ),
    "special.i0e[float16] | non-contiguous": "PyTorch's own float16 i0e differs by an ulp "
    "between its contiguous and strided kernels (minitorch matches the contiguous one)",
    "special.hermite_polynomial_h[float32]": "float32 recurrence where it cancels heavily "
    "(values ~1e8, differences of a few units)",
    "special.laguerre_polynomial_l[-]": "'over 30 s' on degree 4988429 at x = 501: PyTorch's "
    "C loop runs its 5e6 recurrence steps in ms, minitorch's vectorized one in ~30 s (values "
    "stay bounded there, so no NaN stops it early)",
    **dict.fromkeys(
        ["div.floor_rounding[float16] | T[1029, 917]", "floor_divide[float16] | T[1029, 917]"],
        "PyTorch's vector kernel (all but the tail of a long tensor) rounds each step of the "
        "floor division to float16; its scalar kernel (short tensors) and minitorch compute in "
        "float32 and round once",
    ),
    **dict.fromkeys(
        [
            f"{op}[float16]"
            for op in (
                "grid_sampler_3d",
                "native_batch_norm",
                "nn.functional.conv_transpose3d",
                "nn.functional.grid_sample",
                "nn.functional.interpolate.linear",
                "nn.functional.interpolate.trilinear",
            )
        ],
        _FLOAT16_ORDER,
    ),  # fmt: skip
}

_REV_OVER_FWD = (
    "PyTorch's reverse-mode gradient of the tangent with respect to the primal disagrees with "
    "finite differences of its own tangent (its forward formulas use saved outputs that its "
    "backward treats as constants: LU factors, mean/rstd), or is missing (logdet, slogdet: "
    "the tangent is not connected to the primal); minitorch's agrees with finite differences "
    "(checked for det, logdet, slogdet, solve, solve_ex, tensorsolve, layer/batch/instance "
    "norm, householder_product)"
)

# forward-mode AD (opinfo_harness --jvp / --fwbw; test_opinfo_jvp runs --jvp)
FORWARD_AD = {
    "cholesky_inverse[jvp]": "PyTorch's tangent disagrees with its own backward and with finite "
    "differences (0.3 off on a 4x4 lower-triangular input); minitorch's agrees with both",
    "cholesky_inverse[fwbw]": "as cholesky_inverse[jvp]",
    "triangular_solve[jvp]": "PyTorch's forward derivative of the deprecated triangular_solve "
    "reads A's ignored triangle (dB - dA X with the whole dA); its backward and "
    "linalg.solve_triangular's tangent mask it, as minitorch",
    "triangular_solve[fwbw]": "as triangular_solve[jvp]",
    "logcumsumexp[jvp]": "inputs of size 1e4: tangents ~5e-7 off (PyTorch's own OpInfo marks "
    "its test_forward_mode_AD an expected failure)",
    "linalg.norm.subgradients_at_zero[jvp]": "subgradient at zero: PyTorch's own OpInfo marks "
    "its forward-mode AD tests expected failures",
    "linalg.norm.subgradients_at_zero[fwbw]": "as linalg.norm.subgradients_at_zero[jvp]",
    "nn.functional.max_unpool2d[jvp] | non-contiguous": "repeated indices: PyTorch's kernel "
    "keeps the write its memory order ends with, so its primal (non-contiguous) and tangent "
    "(contiguous) keep different writes",
    "nn.functional.max_unpool2d[fwbw] | non-contiguous": "as max_unpool2d[jvp]",
    "cumprod[fwbw]": "PyTorch's gradient of the tangent is NaN where the input has a zero "
    "(minitorch's agrees with finite differences)",
    "linalg.eigh[fwbw]": "PyTorch's gradient of the eigenvectors' tangent is NaN on these "
    "samples (minitorch's agrees with finite differences)",
    "cov[fwbw]": "second-order derivative with respect to aweights: PyTorch's and minitorch's "
    "both differ from finite differences, and from each other (as cov[gradgrad])",
    "as_strided_scatter[fwbw]": "PyTorch's input gradient is wrong (its own OpInfo marks "
    "test_fn_grad an expected failure)",
    **dict.fromkeys(
        [
            f"{op}[fwbw]"
            for op in (
                "linalg.det",
                "logdet",
                "linalg.slogdet",
                "linalg.solve",
                "linalg.solve_ex",
                "linalg.tensorsolve",
                "linalg.householder_product",
                "native_layer_norm",
                "native_batch_norm",
                "nn.functional.layer_norm",
                "nn.functional.batch_norm",
                "nn.functional.instance_norm",
            )
        ],
        _REV_OVER_FWD,
    ),
}


# the outputs' autograd graph (opinfo_harness --graph; test_opinfo_graph runs it)
_COMPOSED = (
    "minitorch composes the op from other ops (or, for these samples, takes another op's path): "
    "its output's node is the last composing op's where PyTorch has one node of its own; "
    "requires_grad agrees, and values and gradients are compared by test_opinfo"
)
_SAME_SHAPE_EXPAND = (
    "expand to the tensor's own shape returns the tensor itself, where PyTorch's public expand "
    "makes an ExpandBackward0 view: minitorch's composites call expand as PyTorch's internal "
    "expand_outplace, which skips it (always a view changed masked_select's graph)"
)
_SAME_SIZE_POOL = (
    "an output size equal to the input's gives a copy (CloneBackward0; PyTorch's node is "
    "AdaptiveAvgPool2DBackward0/3D); other samples: " + _COMPOSED
)
_UNFOLD_0D = "unfold of a 0-d tensor is a reshape (ViewBackward0); PyTorch's UnfoldBackward0"

GRAPH = {
    **{
        f"{op}[graph]": reason
        for op, reason in (
            ("broadcast_to", _SAME_SHAPE_EXPAND),
            ("expand", _SAME_SHAPE_EXPAND),
            ("expand_as", _SAME_SHAPE_EXPAND),
            ("unfold", _UNFOLD_0D),
            ("unfold_copy", _UNFOLD_0D),
            ("nn.functional.adaptive_avg_pool2d", _SAME_SIZE_POOL),
            ("nn.functional.adaptive_avg_pool3d", _SAME_SIZE_POOL),
        )
    },
    **dict.fromkeys(
        [
            f"{op}[graph]"
            for op in (
                "block_diag",
                "combinations",
                "cdist",
                "diff",
                "diagonal_scatter",
                "ldexp",
                "lu_unpack",
                "matmul",
                "meshgrid.variadic_tensors",
                "meshgrid.list_of_tensors",
                "quantile",
                "nanquantile",
                "nn.functional.linear_cross_entropy",
                "nn.functional.linear_cross_entropy.chunked",
                "nn.functional.linear_cross_entropy.chunked_none",
                "as_strided_scatter",
                "native_group_norm",
                "nn.functional.adaptive_avg_pool1d",
                "nn.functional.adaptive_max_pool1d",
                "nn.functional.adaptive_max_pool2d",
                "nn.functional.adaptive_max_pool3d",
                "nn.functional.avg_pool3d",
                "nn.functional.conv3d",
                "nn.functional.instance_norm",
                "nn.functional.rms_norm",
                "nn.functional.pad.circular",
                "nn.functional.unfold",
                "nn.functional.interpolate.area",
                "nn.functional.soft_margin_loss",
                "nn.functional.multi_margin_loss",
                "nn.functional.multilabel_margin_loss",
                "nn.functional.fractional_max_pool2d",
                "nn.functional.fractional_max_pool3d",
                "nn.functional.max_pool3d",
                "nn.functional.max_unpool1d",
                "nn.functional.max_unpool1d.grad",
                "nn.functional.max_unpool2d",
                "nn.functional.max_unpool2d.grad",
                "nn.functional.max_unpool3d",
                "nn.functional.max_unpool3d.grad",
                "nn.functional.linear",
                "nn.functional.bilinear",
                "nn.functional.rrelu",
                "rot90",
                "__rmatmul__",
                "select_scatter",
                "slice_scatter",
                "gather",
                "index_select",
                "index_add",
                "index_put",
                "put",
                "take",
                "scatter",
                "scatter_add",
                "trapz",
                "trapezoid",
                "cumulative_trapezoid",
                "nn.functional.embedding_bag",
                "nn.functional.grid_sample",
                "grid_sampler_2d",
                "grid_sampler_3d",
                "nn.functional.ctc_loss",
                "nn.functional.pdist",
                "repeat_interleave",
                "scatter_reduce.sum",
                "scatter_reduce.prod",
                "scatter_reduce.mean",
                "scatter_reduce.amin",
                "scatter_reduce.amax",
                "linalg.vecdot",
                "linalg.cond",
                "linalg.lstsq",
                "linalg.lstsq.grad_oriented",
                "linalg.matrix_power",
                "linalg.multi_dot",
                "linalg.norm.subgradients_at_zero",
                "linalg.matrix_norm",
                "linalg.vander",
                "linalg.lu",
                "linalg.tensorinv",
                "special.ndtr",
            )
        ],
        _COMPOSED,
    ),
}

_SIMD_TAIL = (
    "PyTorch's CPU add/sub kernel rounds alpha to the 16-bit dtype and computes x + alpha * y "
    "in float32 rounded once in its vectorized body, but rounds alpha * y to the dtype first in "
    "its scalar tail (the last n % vector-width elements, which depends on the machine): "
    "minitorch computes every element as the vectorized body; the tail's elements differ"
)
# tests/test_opinfo_foreach.py: PyTorch's foreach OpInfo databases
FOREACH = {
    f"_foreach_{op}[{dtype}] | alpha=": _SIMD_TAIL
    for op in ("add", "sub")
    for dtype in ("float16", "bfloat16")
}

KNOWN = OUT_OF_SCOPE | NOT_FIXED | FORWARD_AD | GRAPH | FOREACH


def _matches(key: str, name: str, sample: str) -> bool:
    key, _, text = key.partition(" | ")
    if text and text not in sample:
        return False
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
    return any(_matches(key, name, d.sample) for key in KNOWN for name in names)
