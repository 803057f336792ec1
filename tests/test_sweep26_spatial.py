"""Session 16 sweep of the spatial functional ops (the divergences tests/test_fuzz_spatial.py
found), run with real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py): the
memory layout of pooling results, empty batches, and the words and order of the checks."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _layout(torch, t) -> tuple:
    """Whether ``t`` is contiguous, and channels_last(_3d)-contiguous."""
    fmt = {4: torch.channels_last, 5: torch.channels_last_3d}.get(t.dim())
    return t.is_contiguous(), fmt is not None and t.is_contiguous(memory_format=fmt)


def _volume(torch, shape=(2, 3, 4, 5, 6)):
    return torch.arange(float(torch.tensor(shape).prod())).reshape(shape).sin()


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
    """Each call's error as (type name, message), or its value's shape."""
    out = []
    for call in calls:
        try:
            out.append(tuple(call().shape))
        except (RuntimeError, NotImplementedError) as e:
            out.append((type(e).__name__, str(e).split("\n")[0]))
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
