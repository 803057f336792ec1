"""Sweep 22: float16/bfloat16 results rounded where PyTorch's CPU kernels round them (found by
the OpInfo harness at 40 samples per dtype).

- log_softmax over the last dim keeps the sum of exponentials and its log in the 16-bit
  dtype (its other dims work in float32 and round once);
- cross_entropy of 16-bit floats is PyTorch's composition, each step rounded: log_softmax,
  times the probabilities, times the class weights, summed (probabilities); nll_loss of the
  log_softmax (class indices), plus its label-smoothing term;
- nll_loss (and nll_loss2d) of 16-bit floats add the loss and the weights in the dtype
  itself, over PyTorch's 8 levels of partial sums;
- conv_transpose1d/2d of float16 round the product's columns to float16 and add them up in
  it (col2im), then add the bias: PyTorch's slow kernel, which it runs on CPUs without
  AVX512-FP16 or AMX-FP16 (the others run oneDNN's, rounding once: those programs skip).

The tolerances are the harness's (1e-3); each program's inputs give a larger error
without its fix."""

from __future__ import annotations

import pytest
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
test_program_matches_pytorch = SWEEP.test()
CONV = Sweep()  # PyTorch's float16 conv_transpose kernel depends on the CPU (see below)

# the OpInfo samples (torch.testing's make_tensor) that showed the divergences
_LOGITS = [[-8.4765625, -1.765625, -4.32421875], [-2.400390625, -7.94921875, 3.611328125]]
_PROBABILITIES = [[0.05178833, 0.46801758, 0.67382812], [0.33154297, 0.78369141, 0.56298828]]
_WEIGHT = [-8.0703125, -0.57373046875, 3.12890625]
_MAPS = [
    [
        [[-8.4765625, -1.765625], [-4.32421875, -2.400390625]],
        [[-7.94921875, 3.611328125], [-8.0703125, -0.57373046875]],
        [[3.12890625, -3.033203125], [5.10546875, 1.134765625]],
    ],
    [
        [[4.94921875, 5.7734375], [-3.97265625, 3.271484375]],
        [[-3.89453125, 2.8203125], [-4.703125, 4.1640625]],
        [[1.822265625, -3.521484375], [-4.4140625, 2.328125]],
    ],
]
_CT_INPUT = [
    [
        [-8.4765625, -1.765625, -4.32421875, -2.400390625],
        [-7.94921875, 3.611328125, -8.0703125, -0.57373046875],
        [3.12890625, -3.033203125, 5.10546875, 1.134765625],
    ]
]
_CT_WEIGHT = [
    [[4.94921875, 5.7734375, -3.97265625], [3.271484375, -3.89453125, 2.8203125],
     [-4.703125, 4.1640625, 1.822265625]],
    [[-3.521484375, -4.4140625, 2.328125], [8.3984375, 4.3203125, -0.869140625],
     [-0.436767578125, 5.1171875, -6.25390625]],
    [[2.9921875, -2.982421875, 5.20703125], [-3.2109375, 0.445068359375, 3.0390625],
     [6.18359375, -1.3232421875, 8.2109375]],
]  # fmt: skip
_CT_BIAS = [-7.61328125, -1.60546875, -8.9765625]


def _half(torch, values):
    return torch.tensor(values, dtype=torch.float16)


def _pattern(torch, rows: int, cols: int, dtype):
    """Deterministic values in [-6, 6) on a 1/16 grid (exact in float16 and bfloat16)."""
    return ((torch.arange(rows * cols) * 37 % 193).reshape(rows, cols) / 16.0 - 6.0).to(dtype)


@program
def log_softmax_bfloat16_last_dim_rounds_its_sum(torch):
    x = _pattern(torch, 8, 24, torch.bfloat16)
    return torch.log_softmax(x, -1).float(), torch.log_softmax(x.t(), 0).float()


@program
def cross_entropy_float16_probabilities_weighted(torch):
    x, p, w = _half(torch, _LOGITS), _half(torch, _PROBABILITIES), _half(torch, _WEIGHT)
    F = torch.nn.functional
    return [F.cross_entropy(x, p, weight=w, reduction=r) for r in ("none", "sum", "mean")]


@program
def cross_entropy_float16_class_indices(torch):
    x = _pattern(torch, 40, 7, torch.float16) * 2
    t = torch.arange(40) * 3 % 7
    w = _pattern(torch, 1, 7, torch.float16)[0].abs() + 0.5
    F = torch.nn.functional
    return [
        F.cross_entropy(x, t, weight=w, reduction="none"),
        F.cross_entropy(x, t, reduction="sum"),
        F.cross_entropy(x, t, weight=w, label_smoothing=0.3),
        F.cross_entropy(x, t, label_smoothing=0.3, reduction="sum"),
    ]


@program
def nll_loss2d_float16_weighted_mean(torch):
    x = _half(torch, _MAPS)
    t = torch.tensor([[[2, 0], [1, 0]], [[0, 0], [2, 2]]])
    w = _half(torch, [5.20703125, -3.2109375, 0.445068359375])
    return torch.nn.functional.nll_loss(x, t, weight=w)


@program
def nll_loss_float16_cascade_of_partial_sums(torch):
    x = (_pattern(torch, 700, 3, torch.float16) * 4).abs()  # sums of one sign: big roundings
    t = torch.arange(700) * 5 % 4 - 1  # every fourth target ignored (-1)
    w = _half(torch, [0.75, 1.25, 3.0])
    F = torch.nn.functional
    return [
        F.nll_loss(x, t, ignore_index=-1, reduction="sum"),
        F.nll_loss(x, t, weight=w, ignore_index=-1, reduction="sum"),
        F.nll_loss(x, t, weight=w, ignore_index=-1),
        F.nll_loss(x.bfloat16(), t, ignore_index=-1).float(),  # 525 kept: not 256 + 1 + ...
    ]


@CONV.program
def conv_transpose1d_float16_adds_columns_in_float16(torch):
    x, w, b = _half(torch, _CT_INPUT), _half(torch, _CT_WEIGHT), _half(torch, _CT_BIAS)
    F = torch.nn.functional
    return F.conv_transpose1d(x, w, b, stride=2, padding=2, output_padding=1)


@CONV.program
def conv_transpose2d_float16_adds_columns_in_float16(torch):
    x = _pattern(torch, 2 * 3 * 5, 4, torch.float16).reshape(2, 3, 5, 4)
    w = _pattern(torch, 3 * 2 * 3, 3, torch.float16).reshape(3, 2, 3, 3)
    b = _half(torch, [-7.61328125, 1.60546875])
    return torch.nn.functional.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1)


def _col2im_in_float16(torch) -> bool:
    """Whether PyTorch runs its slow float16 conv_transpose kernel here (CPUs without
    AVX512-FP16 or AMX-FP16); the others run oneDNN's, which rounds once."""
    x, w = (
        torch.zeros(1, 1, 1, 2, dtype=torch.float16),
        torch.zeros(1, 1, 1, 1, dtype=torch.float16),
    )
    args = (x, w, None, [1, 1], [0, 0], [1, 1], True, [0, 0], 1, None)
    return str(torch._C._select_conv_backend(*args)).endswith("SlowTranspose2d")


@pytest.mark.parametrize("name", CONV.programs)
def test_conv_transpose_float16_matches_pytorch(torch, name):
    if not _col2im_in_float16(torch):
        pytest.skip("PyTorch runs oneDNN's float16 conv_transpose on this CPU")
    CONV.check(name, torch)
