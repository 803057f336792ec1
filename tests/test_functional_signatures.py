"""nn.functional signatures of PyTorch 2.13: ``weight=`` of mse_loss, l1_loss and huber_loss
(values, gradients, errors against PyTorch) and softmax's ``_stacklevel``."""

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


def test_functional_softmax_takes_stacklevel(torch):
    x = minitorch.randn(2, 3)
    F, TF = minitorch.nn.functional, torch.nn.functional
    out = F.softmax(
        x, 1, 5, minitorch.float64
    )  # PyTorch's positional order: dim, _stacklevel, dtype
    assert out.dtype == minitorch.float64
    assert_close(out, TF.softmax(torch.tensor(x.numpy()), 1, 5, torch.float64))
    assert F.log_softmax(x, dim=-1, _stacklevel=5).shape == (2, 3)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax") as seen:
        F.softmax(x)
    assert seen[0].filename == __file__
