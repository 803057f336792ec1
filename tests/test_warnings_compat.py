"""The warnings PyTorch gives (category and words) come from minitorch too: programs that
filter, record or assert them see the same ones. Names read ``torch.`` for ``minitorch.``."""

from __future__ import annotations

import re
import warnings

import pytest

import minitorch

PROGRAMS = {
    "mse_loss_broadcast": lambda T: T.nn.functional.mse_loss(T.ones(3, 1), T.ones(3)),
    "l1_loss_broadcast": lambda T: T.nn.functional.l1_loss(T.ones(3, 1), T.ones(3)),
    "smooth_l1_broadcast": lambda T: T.nn.functional.smooth_l1_loss(T.ones(3, 1), T.ones(3)),
    "upsample_deprecated": lambda T: T.nn.functional.upsample(T.ones(1, 1, 2, 2), scale_factor=2),
    "std_of_one": lambda T: T.ones(1).std(),
    "var_of_one": lambda T: T.ones(1).var(),
    "std_correction_too_big": lambda T: T.ones(2, 3).std(dim=1, correction=3),
    "std_mean_of_one": lambda T: T.std_mean(T.ones(1)),
    "var_mean_of_one": lambda T: T.var_mean(T.ones(1)),
    "var_fine": lambda T: T.ones(2).var(),
    "affine_grid_default_align": lambda T: T.nn.functional.affine_grid(
        T.eye(2, 3).unsqueeze(0), (1, 1, 2, 2)
    ),
    "grid_sample_default_align": lambda T: T.nn.functional.grid_sample(
        T.ones(1, 1, 2, 2), T.zeros(1, 1, 1, 2)
    ),
    "softmax_without_dim": lambda T: T.nn.functional.softmax(T.ones(2, 3)),
    "tensor_of_a_tensor": lambda T: T.tensor(T.ones(2)),
    "non_leaf_grad_access": lambda T: (T.ones(2, requires_grad=True) * 2).grad,
    "scheduler_step_with_epoch_before_optimizer": lambda T: T.optim.lr_scheduler.StepLR(
        T.optim.SGD([T.ones(1, requires_grad=True)], lr=0.1), 1
    ).step(1),
    "cuda_grad_scaler_without_cuda": lambda T: T.amp.GradScaler("cuda"),
    "cuda_autocast_without_cuda": lambda T: T.autocast("cuda"),
    "deprecated_cuda_amp_autocast": lambda T: T.cuda.amp.autocast(),
    "more_loader_workers_than_cpus": lambda T: T.utils.data.DataLoader([1, 2], num_workers=512),
}


def _record(T, name):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        PROGRAMS[name](T)
    words = {
        (w.category.__name__, re.sub(r" \(Triggered internally at .*\)$", "", str(w.message)))
        for w in caught
    }
    return sorted((c, m.replace("minitorch.", "torch.")) for c, m in words)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_warnings_match_torch(name, torch):
    assert _record(minitorch, name) == _record(torch, name)


def test_zero_degrees_of_freedom_warn_and_give_nan():
    with pytest.warns(UserWarning, match=r"^std\(\): degrees of freedom is <= 0"):
        out = minitorch.ones(1).std()
    assert out.isnan().item()


_WARN_ONCE_PROGRAM = r"""
import re, sys, warnings
import torch, minitorch
A = lambda T: T.eye(3)
programs = {
    "lu": lambda T: T.lu(A(T)),
    "cholesky": lambda T: T.cholesky(A(T)),
    "chain_matmul": lambda T: T.chain_matmul(A(T), A(T)),
    "qr": lambda T: T.qr(A(T)),
    "lu_solve": lambda T: T.lu_solve(T.ones(3, 1), *T.linalg.lu_factor(A(T))),
    "triangular_solve": lambda T: T.triangular_solve(T.ones(3, 1), A(T)),
    "T_of_3d": lambda T: T.ones(2, 3, 4).T,
    "T_of_2d": lambda T: T.ones(2, 3).T,
    "meshgrid_without_indexing": lambda T: T.meshgrid(T.arange(2)),
}
for name, program in programs.items():
    seen = []
    for T in (torch, minitorch):
        calls = []
        for _ in range(2):  # PyTorch warns the first time only, in the whole process
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                program(T)
            calls.append([re.sub(r" \(Triggered internally at .*\)$", "", str(w.message),
                                 flags=re.S) for w in caught])
        seen.append(calls)
    print(name, "same" if seen[0] == seen[1] else seen)
"""


def test_deprecation_warnings_given_once_per_process_as_torch(torch):
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", _WARN_ONCE_PROGRAM], capture_output=True, text=True, check=True
    )
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 9 and all(line.endswith(" same") for line in lines), run.stdout
