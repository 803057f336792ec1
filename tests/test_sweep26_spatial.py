"""Session 16 sweep of the spatial functional ops (the divergences tests/test_fuzz_spatial.py
found), run with real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py): the
memory layout of pooling results, empty batches, and the words and order of the checks."""

from __future__ import annotations

import re

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _layout(torch, t) -> tuple:
    """Whether ``t`` is contiguous, and channels_last(_3d)-contiguous."""
    fmt = {4: torch.channels_last, 5: torch.channels_last_3d}.get(t.dim())
    return t.is_contiguous(), fmt is not None and t.is_contiguous(memory_format=fmt)


def _volume(torch, shape=(2, 3, 4, 5, 6), dtype=None):
    """Distinct values of ``shape``: sines computed in float64 (not float32's SIMD kernels)."""
    n = int(torch.tensor(shape).prod())
    return torch.arange(n, dtype=torch.float64).reshape(shape).sin().to(dtype or torch.float32)


@program
def pool3d_results_are_contiguous(torch):
    """The 3-d pools computed per depth slice gave a transposed (non-contiguous) view."""
    F = torch.nn.functional
    x = _volume(torch)
    out, idx = F.max_pool3d(x, 2, ceil_mode=True, return_indices=True)
    results = [out, idx, F.avg_pool3d(x, (1, 2, 2), stride=1), F.lp_pool3d(x.abs(), 2, 1)]
    results.append(F.adaptive_max_pool3d(x, (3, 2, None)))
    return [(r, _layout(torch, r)) for r in results]


@program
def pool2d_results_keep_channels_last(torch):
    """PyTorch's CPU 2-d pools keep a channels_last input's layout (minitorch's were
    contiguous)."""
    F = torch.nn.functional
    x = _volume(torch, (2, 3, 5, 6)).contiguous(memory_format=torch.channels_last)
    out, idx = F.max_pool2d(x, 2, stride=1, return_indices=True)
    results = [out, idx, F.avg_pool2d(x, 2, count_include_pad=False), F.lp_pool2d(x, 1, 2)]
    results += [*F.adaptive_max_pool2d(x, (2, 4), return_indices=True)]
    results.append(F.adaptive_avg_pool2d(x, (4, None)))
    return [(r, _layout(torch, r)) for r in results]


@program
def pool3d_results_keep_channels_last_3d(torch):
    F = torch.nn.functional
    x = _volume(torch).contiguous(memory_format=torch.channels_last_3d)
    out, idx = F.max_pool3d(x, 2, return_indices=True)
    # PyTorch's avg_pool3d and adaptive pools give contiguous results
    results = [out, idx, F.avg_pool3d(x, 2, stride=1), F.adaptive_max_pool3d(x, 2)]
    results.append(F.adaptive_avg_pool3d(x, (2, 1, 3)))
    return [(r, _layout(torch, r)) for r in results]


@program
def unbatched_pools_are_contiguous(torch):
    """An unbatched 3-d pool of a 4-d channels_last-strided input is contiguous; the
    unbatched adaptive_max_pool2d was a transposed view."""
    F = torch.nn.functional
    x = _volume(torch, (2, 3, 4, 5)).contiguous(memory_format=torch.channels_last)
    results = [F.lp_pool3d(x.abs(), 1.5, 2, stride=1), F.avg_pool3d(x, 2)]
    results.append(F.adaptive_max_pool2d(_volume(torch, (3, 6, 6)), (5, 5)))
    return [(r, _layout(torch, r)) for r in results]


@program
def adaptive_max_pool_empty_batch_with_indices(torch):
    """The indices of an empty batch: minitorch's gather of the windows failed to reshape."""
    F = torch.nn.functional
    x = torch.zeros(0, 4, 4, 5, 3, dtype=torch.float64, requires_grad=True)
    out, idx = F.adaptive_max_pool3d(x, (None, 1, None), return_indices=True)
    out2, idx2 = F.adaptive_max_pool2d(x[:, 0], (2, 1), return_indices=True)
    (out.sum() + out2.sum()).backward()
    return out, idx, out2, idx2, x.grad


def _fractional3d(torch, size, output_size):
    x = _volume(torch, size)
    samples = torch.full((1, 1, 3), 0.5)
    return torch.nn.functional.fractional_max_pool3d(
        x, 2, output_size=output_size, _random_samples=samples
    )


@program
def fractional_max_pool3d_size_checks_are_strict(torch):
    """PyTorch's 3-d pool needs output + kernel - 1 < input (2-d: <=), checked in the order
    time, width, height; minitorch allowed the equality and checked height before width."""
    results = []
    for size, output_size in [((1, 1, 5, 5, 5), (4, 4, 4)), ((1, 4, 5, 3), (2, 4, 2)),
                              ((1, 3, 3, 5), (1, 1, 1)), ((1, 5, 5, 3), (3, 4, 1)),
                              ((1, 5, 5, 5), (3, 3, 3))]:  # fmt: skip
        try:
            results.append(_fractional3d(torch, size, output_size))
        except RuntimeError as e:
            results.append(str(e))
    return results


def _errors(torch, calls) -> list:
    """Each call's error as (type name, the first 60 characters of its message, less the
    op's name that minitorch puts first), or its value's shape."""
    out = []
    for call in calls:
        try:
            out.append(tuple(call().shape))
        except (RuntimeError, NotImplementedError) as e:
            out.append((type(e).__name__, re.sub(r"^[a-z_0-9]+: ", "", str(e))[:60]))
    return out


@program
def adaptive_pool3d_integer_kernel_names(torch):
    """PyTorch's 3-d adaptive pools name their CPU kernels with a ``_cpu`` suffix."""
    F = torch.nn.functional
    x = torch.ones(1, 2, 3, 4, 4, dtype=torch.int64)
    return _errors(
        torch, [lambda: F.adaptive_max_pool3d(x, 2), lambda: F.adaptive_avg_pool3d(x, 2)]
    )


@program
def unfold_fold_refuse_integers_and_empty_dims(torch):
    """im2col/col2im have no integer CPU kernel (bool is taken), and refuse an empty
    non-batch dim before computing the blocks (minitorch returned empty results)."""
    F = torch.nn.functional
    calls = [
        lambda: F.unfold(torch.ones(1, 2, 3, 3, dtype=torch.int64), 2),
        lambda: F.unfold(torch.ones(1, 2, 3, 3, dtype=torch.int8), 2),
        lambda: F.unfold(torch.ones(1, 2, 3, 3, dtype=torch.bool), 2),
        lambda: F.fold(torch.ones(1, 4, 4, dtype=torch.int64), (3, 3), 2),
        lambda: F.unfold(torch.ones(1, 0, 3, 3), 2),
        lambda: F.unfold(torch.ones(0, 3, 3), 2),
        lambda: F.unfold(torch.ones(0, 2, 3, 3), 2),
        lambda: F.fold(torch.ones(2, 18, 0), (1, 2), 3, dilation=2),
        lambda: F.fold(torch.ones(0, 4), (3, 3), 2),
        lambda: F.fold(torch.ones(0, 4, 4), (3, 3), 2),
    ]
    return _errors(torch, calls)


@program
def pad_negative_amounts_leaving_too_little(torch):
    """Negative pads: a 1-d reflect/replicate pad needs an output of at least 1, the 2-d and
    3-d ones refuse a negative size, circular refuses a negative one (empty is fine);
    minitorch returned empty or cropped results."""
    F = torch.nn.functional
    calls = [
        lambda: F.pad(torch.ones(4, 5, 1), (-1, -1), mode="reflect"),
        lambda: F.pad(torch.ones(4, 5, 2), (-1, -1), mode="replicate"),
        lambda: F.pad(torch.ones(4, 5, 3), (-1, -1), mode="reflect"),
        lambda: F.pad(torch.ones(4, 5, 2), (-1, -1), mode="circular"),
        lambda: F.pad(torch.ones(4, 5, 3), (-2, -2), mode="circular"),
        lambda: F.pad(torch.ones(1, 4, 5, 3), (0, 0, -3, -3), mode="replicate"),
        lambda: F.pad(torch.ones(1, 4, 5, 3), (-2, -1, 0, 0), mode="reflect"),
        lambda: F.pad(torch.ones(1, 1, 4, 5, 3), (-3, -4, 0, 0, -5, -5), mode="reflect"),
        lambda: F.pad(torch.ones(0, 2, 6, 3, 1), (1, -1, 0, 3, 3, 0), mode="circular"),
    ]
    return _errors(torch, calls)


@program
def reflect_and_replicate_pads_keep_channels_last(torch):
    F = torch.nn.functional
    x = _volume(torch, (2, 3, 4, 5)).contiguous(memory_format=torch.channels_last)
    v = _volume(torch).contiguous(memory_format=torch.channels_last_3d)
    results = []
    for mode in ("reflect", "replicate", "circular"):
        results += [F.pad(x, (1, 2, 0, 1), mode=mode), F.pad(x, (1, 1, 1, 1, 1, 1), mode=mode)]
        results.append(F.pad(v, (1, 0, 1, 2, 0, 1), mode=mode))
    return [(r, _layout(torch, r)) for r in results]


@program(tol={"rtol": 1e-5, "atol": 1e-5})  # float32 sums in another order
def convolutions_keep_channels_last(torch):
    """PyTorch's CPU convolutions keep a channels_last input's layout (conv3d and
    conv_transpose3d but in float64, which oneDNN lacks); minitorch's were contiguous, and
    its 3-d and transposed results were transposed views."""
    F = torch.nn.functional
    results = []
    for dtype in (torch.float32, torch.float64):
        x = _volume(torch, (2, 4, 5, 6), dtype).contiguous(memory_format=torch.channels_last)
        v = _volume(torch, (2, 4, 5, 6, 3), dtype)
        w, w5 = torch.ones(4, 2, 2, 2, dtype=dtype), torch.ones(4, 2, 2, 2, 2, dtype=dtype)
        for vol in (v, v.contiguous(memory_format=torch.channels_last_3d)):
            results += [F.conv3d(vol, w5, groups=2), F.conv_transpose3d(vol, w5, stride=2)]
        results += [F.conv2d(x, w, groups=2, stride=2), F.conv_transpose2d(x, w, stride=(2, 1))]
        results.append(F.conv2d(x[:, :, :, :1], w[..., :1], groups=2))  # channels_last-like
        results.append(F.conv_transpose1d(x[:, :, 0], w[..., 0], padding=1))
    return [(r, _layout(torch, r)) for r in results]


@program
def conv_transpose_argument_checks(torch):
    """Negative padding and output_padding are refused (minitorch computed them, and its
    backward failed), checks run in PyTorch's order (weight rank, groups dividing the
    weight, dilation before output_padding) and a 1-d op names its height of 1."""
    F = torch.nn.functional
    x1, x2 = torch.ones(1, 6, 4), torch.ones(1, 2, 4, 4)
    calls = [
        lambda: F.conv_transpose1d(x1, torch.ones(6, 1, 2), padding=-1),
        lambda: F.conv_transpose1d(x1, torch.ones(6, 1, 2), output_padding=-1),
        lambda: F.conv_transpose1d(x1[:, :2], torch.ones(2, 1, 2, 2)),
        lambda: F.conv_transpose1d(x1[:, :2], torch.ones(2, 1)),
        lambda: F.conv_transpose2d(x2, torch.ones(2, 1, 2), stride=2),
        lambda: F.conv_transpose3d(x2, torch.ones(2, 1, 3, 3), stride=2),
        lambda: F.conv_transpose1d(
            torch.ones(1, 7, 4), torch.ones(7, 1, 2), torch.ones(9), groups=3
        ),
        lambda: F.conv_transpose1d(x1[:, :1], torch.ones(1, 1, 2), dilation=0, output_padding=1),
        lambda: F.conv_transpose2d(x2, torch.ones(2, 1, 2, 2), dilation=(1, 0)),
        lambda: F.conv_transpose1d(torch.ones(2, 3), torch.ones(2, 2, 1), padding=2, dilation=2),
    ]
    return _errors(torch, calls)


@program
def conv_transpose_of_an_empty_batch(torch):
    """An empty batch skips PyTorch's kernel and its checks (output_padding, dtypes); the
    gradients are zeros of the operands' shapes."""
    F = torch.nn.functional
    x = torch.ones(0, 2, 4, dtype=torch.float64, requires_grad=True)
    w = torch.ones(2, 2, 3, dtype=torch.float64, requires_grad=True)
    b = torch.ones(4, dtype=torch.float64, requires_grad=True)
    out = F.conv_transpose1d(x, w, b, output_padding=2, groups=2)
    out.sum().backward()
    mixed = F.conv_transpose2d(torch.ones(0, 1, 2, 2, dtype=torch.bfloat16), torch.ones(1, 1, 3, 3))
    return out, x.grad, w.grad, b.grad, mixed.float()


@program
def conv_checks_of_weight_rank_and_padding_strings(torch):
    """A weight of another rank: PyTorch's stride-length error (but with padding='same');
    a padding string is checked before everything else."""
    F = torch.nn.functional
    calls = [
        lambda: F.conv2d(torch.ones(1, 1, 4), torch.ones(1, 2, 2), torch.ones(2)),
        lambda: F.conv2d(torch.ones(1, 1, 4, 4), torch.ones(1, 1, 3), padding="valid"),
        lambda: F.conv2d(torch.ones(1, 1, 4, 4), torch.ones(1, 1, 3), padding="same"),
        lambda: F.conv3d(torch.ones(1, 1, 4, 4, 4), torch.ones(1, 1, 3, 3)),
        lambda: F.conv1d(
            torch.ones(2, 2, 5), torch.ones(1, 2, 2), torch.ones(2), stride=2, padding="same"
        ),
        lambda: F.conv1d(torch.ones(2, 7), torch.ones(1, 1), padding="full"),
    ]
    return _errors(torch, calls)


@program
def shuffles_in_pytorchs_layouts(torch):
    """pixel_(un)shuffle results are contiguous (minitorch's could be views) or channels_last
    as the input; channel_shuffle keeps channels_last(_3d); pixel_unshuffle copies an empty
    input as it is (PyTorch's CPU kernel)."""
    F = torch.nn.functional
    x = _volume(torch, (2, 4, 4, 6))
    results = [F.pixel_unshuffle(x[:1, :1], 2), F.pixel_unshuffle(x[0, :1, :, :2], 2)]
    results.append(F.pixel_unshuffle(x.contiguous(memory_format=torch.channels_last), 2))
    results.append(F.pixel_shuffle(x.contiguous(memory_format=torch.channels_last), 2))
    results.append(F.channel_shuffle(x.contiguous(memory_format=torch.channels_last), 2))
    v = _volume(torch, (2, 4, 3, 5, 2)).contiguous(memory_format=torch.channels_last_3d)
    results += [F.channel_shuffle(v, 2), F.channel_shuffle(x.transpose(2, 3), 2)]
    # (empty results without their layout: minitorch's empty arrays carry no strides)
    empty = [F.pixel_unshuffle(torch.ones(2, 0, 2, 2, 4), 2), F.pixel_unshuffle(x[:0], 2)]
    return [(r, _layout(torch, r)) for r in results], empty


@program
def kernels_refusing_the_other_channels_last(torch):
    """PyTorch's CPU max_pool3d refuses a 4-d channels_last input (before its other checks),
    pixel_(un)shuffle a 5-d channels_last_3d one (after them)."""
    F = torch.nn.functional
    x = _volume(torch, (3, 5, 5, 4)).contiguous(memory_format=torch.channels_last)
    v = _volume(torch, (2, 8, 1, 4, 4)).contiguous(memory_format=torch.channels_last_3d)
    calls = [
        lambda: F.max_pool3d(x, 2),
        lambda: F.max_pool3d(x, 2, padding=2),
        lambda: F.pixel_shuffle(v, 2),
        lambda: F.pixel_unshuffle(v, 2),
        lambda: F.pixel_shuffle(v[:, :2], 2),
        lambda: F.avg_pool3d(x, 2),
    ]
    return _errors(torch, calls)


@program
def interpolate_keeps_channels_last(torch):
    """Every mode but 'area' keeps a channels_last(_3d) input's layout (minitorch's results
    were contiguous); 16-bit antialias has no kernel."""
    F = torch.nn.functional
    x = _volume(torch, (2, 3, 4, 5)).contiguous(memory_format=torch.channels_last)
    v = _volume(torch, (2, 3, 4, 5, 3)).contiguous(memory_format=torch.channels_last_3d)
    results = []
    for mode in ("nearest", "nearest-exact", "bilinear", "bicubic", "area"):
        results.append(F.interpolate(x, scale_factor=1.5, mode=mode))
    results.append(F.interpolate(x, size=(3, 7), mode="bilinear", antialias=True))
    results.append(F.interpolate((x * 50 + 100).to(torch.uint8), size=(6, 7), mode="bilinear"))
    for mode in ("nearest", "trilinear", "area"):
        results.append(F.interpolate(v, scale_factor=(2, 1.5, 1), mode=mode))
    layouts = [(r.float(), _layout(torch, r)) for r in results]
    half = x.half()
    return layouts, _errors(
        torch, [lambda: F.interpolate(half, size=2, mode="bicubic", antialias=True)]
    )


@program
def convolution_dtype_checks_and_empty_batches(torch):
    """Transposed convolutions check sizes (output_padding, output size) before dtypes; an
    empty batch runs no kernel, so no weight dtype check, and a negative size fails as
    PyTorch's view of the empty result."""
    F = torch.nn.functional
    f64 = torch.float64
    calls = [
        lambda: F.conv_transpose2d(
            torch.ones(2, 6, 5), torch.ones(2, 1, 3, 4, dtype=f64), output_padding=1
        ),
        lambda: F.conv_transpose3d(
            torch.ones(1, 2, 4, 5, 3, dtype=f64), torch.ones(2, 1, 3, 3, 2), padding=(1, 1, 2)
        ),
        lambda: F.conv2d(
            torch.ones(0, 2, 5, 5, dtype=torch.float16), torch.ones(2, 2, 3, 3, dtype=f64)
        ),
        lambda: F.conv3d(torch.ones(0, 2, 4, 4, 4), torch.ones(2, 2, 3, 3, 3, dtype=f64)),
        lambda: F.conv1d(torch.ones(0, 2, 5), torch.ones(2, 2, 3, dtype=f64), padding="same"),
        lambda: F.conv2d(
            torch.ones(0, 2, 5, 5, dtype=torch.float16),
            torch.ones(2, 2, 3, 3),
            torch.ones(2, dtype=f64),
        ),
        lambda: F.conv_transpose1d(
            torch.ones(0, 6, 1), torch.ones(6, 1, 1), padding=2, dilation=2, groups=3
        ),
        lambda: F.conv_transpose3d(
            torch.ones(0, 6, 2, 4, 1), torch.ones(6, 1, 3, 2, 3), padding=2, groups=3
        ),
        lambda: F.conv_transpose3d(torch.ones(0, 1, 3, 2, 5), torch.ones(1, 1, 2, 1, 2), padding=2),
    ]
    return _errors(torch, calls)


@program
def max_unpool2d_keeps_channels_last(torch):
    F = torch.nn.functional
    x = _volume(torch, (2, 3, 4, 6)).contiguous(memory_format=torch.channels_last)
    y, i = F.max_pool2d(x, 2, return_indices=True)
    results = [F.max_unpool2d(y, i, 2), F.max_unpool2d(y.contiguous(), i, 2)]
    v = _volume(torch, (2, 3, 4, 6, 4)).contiguous(memory_format=torch.channels_last_3d)
    results.append(F.max_unpool3d(*F.max_pool3d(v, 2, return_indices=True), 2))
    return [(r, _layout(torch, r)) for r in results]


@program
def embedding_bag_per_sample_weights_of_another_dtype(torch):
    F = torch.nn.functional
    idx, offsets = torch.tensor([0, 1, 2]), torch.tensor([0])
    calls = [
        lambda: F.embedding_bag(
            idx,
            torch.ones(4, 2),
            offsets,
            per_sample_weights=torch.ones(3, dtype=torch.float64),
            mode="sum",
        ),
        lambda: F.embedding_bag(
            idx[None],
            torch.ones(4, 2, dtype=torch.float64),
            per_sample_weights=torch.ones(1, 3),
            mode="sum",
        ),
    ]
    return _errors(torch, calls)


@program
def dilated_max_pool_padding_limit(torch):
    """After the dilated kernel's limit, PyTorch's max pools check the padding against half
    the kernel itself (minitorch pooled a dilated kernel with such padding)."""
    F = torch.nn.functional
    x, v = _volume(torch, (1, 1, 6, 6)), _volume(torch, (1, 1, 6, 6, 6))
    calls = [
        lambda: F.max_pool2d(x, 3, padding=2, dilation=2),
        lambda: F.max_pool2d(x, (3, 5), padding=(1, 3), dilation=2, return_indices=True)[0],
        lambda: F.max_pool3d(v, 3, padding=(2, 1, 1), dilation=2),
        lambda: F.max_pool1d(x[0], 3, padding=2, dilation=2, return_indices=True)[0],
        lambda: F.max_pool2d(x, 3, padding=1, dilation=2),
    ]
    return _errors(torch, calls)
