"""PyTorch 2.13's ``weight=`` of mse_loss, l1_loss and huber_loss: values, gradients and
errors against PyTorch."""

import pytest
from conftest import assert_close

import minitorch

LOSSES = ["mse_loss", "l1_loss", "huber_loss"]


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_weighted_losses_match_pytorch(torch, name, reduction):
    results = []
    for lib in (torch, minitorch):
        lib.manual_seed(0)
        x = lib.randn(3, 4, requires_grad=True)
        t, w = lib.randn(3, 4), lib.rand(3, 4)
        loss = getattr(lib.nn.functional, name)(x, t, reduction=reduction, weight=w)
        (grad,) = lib.autograd.grad(loss.sum(), x)
        results.append((loss, grad))
    (tl, tg), (ml, mg) = results
    assert_close(ml, tl)
    assert_close(mg, tg)


@pytest.mark.parametrize("name", LOSSES)
def test_weight_errors(name):
    f = getattr(minitorch.nn.functional, name)
    x, t = minitorch.randn(3, 4), minitorch.randn(3, 4)
    with pytest.raises(ValueError, match="^Weights and input must have the same size.$"):
        f(x, t, weight=minitorch.ones(4))
    with pytest.raises(ValueError, match="Invalid reduction mode: avg. Expected one of"):
        f(x, t, reduction="avg", weight=minitorch.ones(3, 4))
