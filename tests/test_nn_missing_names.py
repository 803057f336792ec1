"""Oracle tests for the torch.nn names added late: DataParallel, SyncBatchNorm, Container, the
*_with_indices pooling variants, upsample_nearest/bilinear and pdist."""

import importlib.util
import subprocess
import sys
import warnings

import numpy as np
import pytest
from conftest import assert_close

import minitorch as mt
from minitorch.autograd import gradcheck, gradgradcheck

F = mt.nn.functional


def _pair(torch, shape, dtype="float32"):
    a = np.random.randn(*shape).astype(dtype)
    return mt.tensor(a), torch.tensor(a)


# ---- DataParallel ------------------------------------------------------------------------------
def test_data_parallel_wraps_module_like_pytorch_without_gpu(torch):
    lin = mt.nn.Linear(2, 3)
    tlin = torch.nn.Linear(2, 3)
    tlin.load_state_dict({k: torch.tensor(v.numpy()) for k, v in lin.state_dict().items()})
    dp = mt.nn.DataParallel(lin, device_ids=None, output_device=None, dim=0)
    tdp = torch.nn.DataParallel(tlin, device_ids=None, output_device=None, dim=0)
    assert dp.module is lin and dp.device_ids == tdp.device_ids == []
    assert repr(dp) == repr(tdp)
    assert list(dp.state_dict()) == list(tdp.state_dict()) == ["module.weight", "module.bias"]
    x, tx = _pair(torch, (4, 2))
    out = dp(x)
    assert_close(out, tdp(tx))
    out.sum().backward()
    assert lin.weight.grad is not None
    assert not hasattr(dp, "output_device") and not hasattr(tdp, "output_device")
    assert mt.nn.parallel.DataParallel is mt.nn.DataParallel


def test_data_parallel_state_dict_round_trip_and_prefix_error(torch):
    dp = mt.nn.DataParallel(mt.nn.Linear(2, 3))
    dp.load_state_dict(dp.state_dict())
    with pytest.raises(RuntimeError, match=r'Missing key\(s\) in state_dict: "module.weight"'):
        dp.load_state_dict(dp.module.state_dict())


def test_data_parallel_forwards_kwargs():
    class Add(mt.nn.Module):
        def forward(self, a, b=1.0):
            return a + b

    dp = mt.nn.DataParallel(Add())
    assert_close(dp(mt.ones(2), b=2.0), np.full(2, 3.0))


# ---- SyncBatchNorm -----------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(4, 3), (4, 3, 5), (2, 3, 2, 2, 2, 2)])
@pytest.mark.parametrize("training", [True, False])
def test_sync_batchnorm_on_cpu_is_batchnorm(torch, shape, training):
    bn, tbn = mt.nn.SyncBatchNorm(3, momentum=0.3), torch.nn.SyncBatchNorm(3, momentum=0.3)
    assert repr(bn) == repr(tbn)
    bn.train(training)
    tbn.train(training)
    x, tx = _pair(torch, shape)
    assert_close(bn(x), tbn(tx), atol=1e-5)
    assert_close(bn.running_mean, tbn.running_mean)
    assert_close(bn.running_var, tbn.running_var)
    assert int(bn.num_batches_tracked) == int(tbn.num_batches_tracked)


def test_sync_batchnorm_errors_match_pytorch(torch):
    for mod in (mt.nn.SyncBatchNorm(3), torch.nn.SyncBatchNorm(3)):
        with pytest.raises(ValueError, match=r"^expected at least 2D input \(got 1D input\)$"):
            mod(mod.weight.detach())
    for mod, lib in ((mt.nn.SyncBatchNorm(0), mt), (torch.nn.SyncBatchNorm(0), torch)):
        with pytest.raises(ValueError, match="SyncBatchNorm number of input channels should be"):
            mod(lib.zeros(2, 0))


_SYNC_BN_WITH_GROUP = """
import minitorch as mt, minitorch.distributed as dist
dist.init_process_group("mpi")
bn = mt.nn.SyncBatchNorm(2)
try:
    bn(mt.randn(3, 2))
except ValueError as e:
    print(e)
bn.eval()
print(tuple(bn(mt.randn(3, 2)).shape))
dist.destroy_process_group()
"""


@pytest.mark.skipif(importlib.util.find_spec("mpi4py") is None, reason="mpi4py is not installed")
def test_sync_batchnorm_with_a_process_group_rejects_cpu_training_like_pytorch():
    # PyTorch (gloo, world_size=1) raises the same ValueError in training and runs in eval;
    # a subprocess, as MPI is initialised once per process
    run = subprocess.run(
        [sys.executable, "-c", _SYNC_BN_WITH_GROUP], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "SyncBatchNorm expected input tensor to be on GPU or XPU or privateuseone",
        "(3, 2)",
    ]


def test_convert_sync_batchnorm_shares_parameters_and_buffers(torch):
    net = mt.nn.Sequential(
        mt.nn.Conv2d(1, 2, 1),
        mt.nn.Sequential(mt.nn.BatchNorm2d(2, momentum=None), mt.nn.BatchNorm1d(2, affine=False)),
    )
    tnet = torch.nn.Sequential(
        torch.nn.Conv2d(1, 2, 1),
        torch.nn.Sequential(
            torch.nn.BatchNorm2d(2, momentum=None), torch.nn.BatchNorm1d(2, affine=False)
        ),
    )
    bn = net[1][0]
    with mt.no_grad():
        bn.running_mean.add_(1.0)
    net[1][1].eval()
    tnet[1][1].eval()
    out = mt.nn.SyncBatchNorm.convert_sync_batchnorm(net, process_group="pg")
    tout = torch.nn.SyncBatchNorm.convert_sync_batchnorm(tnet)
    assert out is net and repr(out) == repr(tout)
    sync = out[1][0]
    assert type(sync) is mt.nn.SyncBatchNorm and sync.process_group == "pg"
    assert sync.weight is bn.weight and sync.bias is bn.bias
    assert (
        sync.running_mean is bn.running_mean and sync.num_batches_tracked is bn.num_batches_tracked
    )
    assert sync.momentum is None and out[1][1].training is False and out[1][1].weight is None
    assert list(out.state_dict()) == list(tout.state_dict())
    single = mt.nn.SyncBatchNorm.convert_sync_batchnorm(mt.nn.BatchNorm1d(4, bias=False))
    assert type(single) is mt.nn.SyncBatchNorm and single.bias is None


# ---- Container ---------------------------------------------------------------------------------
def test_container_is_deprecated_module_of_kwargs(torch):
    with pytest.warns(FutureWarning, match=r"^`nn.Container` is deprecated\. All of its") as w:
        c = mt.nn.Container(a=mt.nn.Linear(1, 2), b=mt.nn.ReLU())
    assert w[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tc = torch.nn.Container(a=torch.nn.Linear(1, 2), b=torch.nn.ReLU())
    assert repr(c) == repr(tc)
    assert list(c.state_dict()) == list(tc.state_dict())


# ---- functional variants -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, shape, args",
    [
        ("max_pool1d_with_indices", (2, 3, 9), (3, 2, 1)),
        ("max_pool1d_with_indices", (3, 8), (2,)),
        ("max_pool2d_with_indices", (2, 3, 7, 6), (3, 2, 1, 1, True)),
        ("max_pool2d_with_indices", (3, 6, 6), (2,)),
        ("adaptive_max_pool1d_with_indices", (2, 3, 10), (4,)),
        ("adaptive_max_pool2d_with_indices", (2, 3, 7, 5), ((3, 2),)),
    ],
)
@pytest.mark.parametrize("return_indices", [False, True])
def test_with_indices_variants_always_return_indices(torch, name, shape, args, return_indices):
    x, tx = _pair(torch, shape)
    x.requires_grad_(True)
    tx.requires_grad_(True)
    out, idx = getattr(F, name)(x, *args, return_indices=return_indices)
    tout, tidx = getattr(torch.nn.functional, name)(tx, *args, return_indices=return_indices)
    assert_close(out, tout)
    assert idx.dtype == mt.int64
    np.testing.assert_array_equal(idx.numpy(), tidx.numpy())
    out.sum().backward()
    tout.sum().backward()
    assert_close(x.grad, tx.grad)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("upsample_nearest", {"scale_factor": 2}),
        ("upsample_nearest", {"size": (3, 5)}),
        ("upsample_bilinear", {"scale_factor": 2}),
        ("upsample_bilinear", {"size": 5}),
    ],
)
def test_deprecated_upsample_aliases(torch, name, kwargs):
    x, tx = _pair(torch, (1, 2, 3, 4))
    msg = rf"^`nn.functional.{name}` is deprecated\. Use `nn.functional.interpolate` instead\.$"
    with pytest.warns(UserWarning, match=msg) as w:
        out = getattr(F, name)(x, **kwargs)
    assert w[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_close(out, getattr(torch.nn.functional, name)(tx, **kwargs), atol=1e-5)


@pytest.mark.parametrize("p", [2, 1, 3.5, float("inf")])
def test_pdist_values_and_gradients(torch, p):
    x, tx = _pair(torch, (5, 3), "float64")
    x.requires_grad_(True)
    tx.requires_grad_(True)
    out, tout = F.pdist(x, p), torch.nn.functional.pdist(tx, p)
    assert_close(out, tout, rtol=1e-10)
    g = np.random.randn(*tout.shape)
    out.backward(mt.tensor(g))
    tout.backward(torch.tensor(g))
    assert_close(x.grad, tx.grad, rtol=1e-8, atol=1e-10)
    assert gradcheck(lambda a: F.pdist(a, p), (x.detach().requires_grad_(True),))
    if p in (2, 3.5):
        assert gradgradcheck(lambda a: F.pdist(a, p), (x.detach().requires_grad_(True),))


def test_pdist_p0_counts_differing_coordinates(torch):
    a = np.array([[0.0, 1.0, 2.0], [0.0, 3.0, 2.0], [1.0, 1.0, 5.0]], dtype="float32")
    assert_close(F.pdist(mt.tensor(a), 0), torch.nn.functional.pdist(torch.tensor(a), 0))


def test_pdist_float32_and_small_inputs(torch):
    x, tx = _pair(torch, (4, 6))
    out = F.pdist(x)
    assert out.dtype == mt.float32 and out.shape == (6,)
    assert_close(out, torch.pdist(tx), atol=1e-5)
    assert F.pdist(mt.ones(1, 3)).shape == torch.pdist(torch.ones(1, 3)).shape == (0,)
    for lib in (mt, torch):
        with pytest.raises(RuntimeError, match=r"^pdist only supports 2D tensors, got: 3D$"):
            lib.nn.functional.pdist(lib.ones(2, 2, 2))


# ---- ConvTranspose3d and the lazy transposed convolutions --------------------------------------
@pytest.mark.parametrize(
    "cin, cout, shape, kw",
    [
        (
            4,
            6,
            (2, 4, 3, 4, 5),
            dict(
                stride=(2, 1, 2),
                padding=(1, 0, 1),
                output_padding=(1, 0, 1),
                groups=2,
                dilation=(1, 2, 1),
            ),
        ),  # fmt: skip
        (2, 3, (2, 4, 3, 3), dict(stride=1)),  # unbatched
        (
            2,
            2,
            (1, 2, 2, 2, 3),
            dict(stride=3, padding=(1, 0, 0), output_padding=(2, 0, 1), dilation=(2, 1, 1)),
        ),  # fmt: skip
    ],
)
def test_conv_transpose3d_matches_pytorch(torch, cin, cout, shape, kw):
    k = (2, 3, 2)
    x, tx = _pair(torch, shape, "float64")
    w, tw = _pair(torch, (cin, cout // kw.get("groups", 1), *k), "float64")
    b, tb = _pair(torch, (cout,), "float64")
    x.requires_grad_(True)
    tx.requires_grad_(True)
    out = F.conv_transpose3d(x, w, b, **kw)
    tout = torch.nn.functional.conv_transpose3d(tx, tw, tb, **kw)
    assert_close(out, tout, rtol=1e-10, atol=1e-10)
    assert out.grad_fn.name() == tout.grad_fn.name()
    small = [t.detach().clone().requires_grad_(True) for t in (x[..., :2, :2, :2], w, b)]
    assert gradcheck(lambda a, ww, bb: F.conv_transpose3d(a, ww, bb, **kw), small)


def test_conv_transpose3d_gradgrad():
    x = mt.randn(1, 2, 2, 2, 2, dtype=mt.float64, requires_grad=True)
    w = mt.randn(2, 1, 2, 1, 2, dtype=mt.float64, requires_grad=True)
    assert gradgradcheck(lambda a, ww: F.conv_transpose3d(a, ww, stride=2), (x, w))


def test_conv_transpose3d_errors_match_pytorch(torch):
    for lib in (mt, torch):
        F_ = lib.nn.functional
        with pytest.raises(
            RuntimeError, match=r"expected input\[1, 2, 2, 2, 2\] to have 3 channels"
        ):
            F_.conv_transpose3d(lib.ones(1, 2, 2, 2, 2), lib.ones(3, 1, 2, 2, 2))
        with pytest.raises(RuntimeError, match=r"Expected 4D \(unbatched\) or 5D \(batched\)"):
            F_.conv_transpose3d(lib.ones(2, 2, 2), lib.ones(2, 1, 2, 2, 2))
        with pytest.raises(RuntimeError, match="output padding must be smaller than either"):
            F_.conv_transpose3d(lib.ones(1, 2, 2, 2, 2), lib.ones(2, 1, 2, 2, 2), output_padding=1)


def test_conv_transpose3d_module_matches_pytorch(torch):
    m = mt.nn.ConvTranspose3d(3, 4, (2, 1, 3), stride=2, padding=(0, 1, 1), bias=True)
    tm = torch.nn.ConvTranspose3d(3, 4, (2, 1, 3), stride=2, padding=(0, 1, 1), bias=True)
    assert repr(m) == repr(tm) and m.weight.shape == tuple(tm.weight.shape)
    tm.load_state_dict({k: torch.tensor(v.numpy()) for k, v in m.state_dict().items()})
    x, tx = _pair(torch, (2, 3, 3, 4, 4))
    assert_close(m(x), tm(tx), atol=1e-5)
    assert_close(m(x, output_size=(7, 6, 8)), tm(tx, output_size=(7, 6, 8)), atol=1e-5)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_lazy_conv_transpose_infers_in_channels(torch, n):
    lazy = getattr(mt.nn, f"LazyConvTranspose{n}d")(6, 3, stride=2, output_padding=1, groups=2)
    x, tx = _pair(torch, (2, 4) + (3,) * n)
    out = lazy(x)
    cls = getattr(torch.nn, f"ConvTranspose{n}d")
    assert type(lazy) is getattr(mt.nn, f"ConvTranspose{n}d")
    tm = cls(4, 6, 3, stride=2, output_padding=1, groups=2)
    assert repr(lazy) == repr(tm) and lazy.weight.shape == tuple(tm.weight.shape)
    tm.load_state_dict({k: torch.tensor(v.numpy()) for k, v in lazy.state_dict().items()})
    assert_close(out, tm(tx), atol=1e-5)
    no_bias = getattr(mt.nn, f"LazyConvTranspose{n}d")(2, 2, bias=False)
    no_bias(mt.ones((1, 3) + (2,) * n))
    assert no_bias.bias is None and no_bias.weight.shape == (3, 2) + (2,) * n


# ---- 3-D pooling: indices, adaptive max, unpool, LP ---------------------------------------------
@pytest.mark.parametrize(
    "args", [(2,), (3, 2, 1), ((2, 3, 2), (1, 2, 2), (1, 1, 0), (2, 1, 1)), (3, 2, 1, 1, True)]
)
def test_max_pool3d_indices_match_pytorch(torch, args):
    x, tx = _pair(torch, (2, 3, 5, 7, 6))
    x.requires_grad_(True)
    tx.requires_grad_(True)
    out, idx = F.max_pool3d_with_indices(x, *args)
    tout, tidx = torch.nn.functional.max_pool3d_with_indices(tx, *args)
    assert_close(out, tout)
    np.testing.assert_array_equal(idx.numpy(), tidx.numpy())
    out.sum().backward()
    tout.sum().backward()
    assert_close(x.grad, tx.grad)
    m = mt.nn.MaxPool3d(*args[:2], return_indices=True)
    tm = torch.nn.MaxPool3d(*args[:2], return_indices=True)
    np.testing.assert_array_equal(m(x[0])[1].numpy(), tm(tx[0])[1].numpy())


@pytest.mark.parametrize("size", [(2, 3, 4), (5, None, 3), 1])
def test_adaptive_max_pool3d_matches_pytorch(torch, size):
    x, tx = _pair(torch, (2, 3, 5, 7, 6))
    x.requires_grad_(True)
    tx.requires_grad_(True)
    out, idx = F.adaptive_max_pool3d_with_indices(x, size)
    tout, tidx = torch.nn.functional.adaptive_max_pool3d_with_indices(tx, size)
    assert_close(out, tout)
    np.testing.assert_array_equal(idx.numpy(), tidx.numpy())
    out.sum().backward()
    tout.sum().backward()
    assert_close(x.grad, tx.grad)
    m, tm = mt.nn.AdaptiveMaxPool3d(size), torch.nn.AdaptiveMaxPool3d(size)
    assert repr(m) == repr(tm)
    assert_close(m(x[0]), tm(tx[0]))
    assert_close(F.adaptive_max_pool3d(x, size), tout)


def test_adaptive_max_pool3d_gradcheck():
    x = mt.randn(1, 2, 4, 3, 5, dtype=mt.float64, requires_grad=True)
    assert gradcheck(lambda a: F.adaptive_max_pool3d(a, (3, 2, 2)), (x,))


def test_max_unpool3d_matches_pytorch(torch):
    x, tx = _pair(torch, (2, 3, 4, 4, 6))
    tout, tidx = torch.nn.functional.max_pool3d(tx, 2, return_indices=True)
    out, idx = F.max_pool3d(x, 2, return_indices=True)
    np.testing.assert_array_equal(idx.numpy(), tidx.numpy())
    m, tm = mt.nn.MaxUnpool3d(2), torch.nn.MaxUnpool3d(2)
    assert repr(m) == repr(tm)
    assert_close(m(out, idx), tm(tout, tidx))
    kw = dict(output_size=(5, 5, 7))
    assert_close(
        F.max_unpool3d(out, idx, 2, **kw), torch.nn.functional.max_unpool3d(tout, tidx, 2, **kw)
    )


@pytest.mark.parametrize("p", [2.0, 1.5, float("inf")])
def test_lp_pool3d_matches_pytorch(torch, p):
    x, tx = _pair(torch, (2, 3, 4, 5, 6))
    x, tx = x.abs(), tx.abs()  # a negative window sum to a fractional power is NaN in both
    m, tm = (
        mt.nn.LPPool3d(p, (2, 2, 3), stride=(1, 2, 2)),
        torch.nn.LPPool3d(p, (2, 2, 3), stride=(1, 2, 2)),
    )
    assert repr(m) == repr(tm)
    assert_close(m(x), tm(tx), atol=1e-5)
    assert_close(F.lp_pool3d(x, p, 2), torch.nn.functional.lp_pool3d(tx, p, 2), atol=1e-5)
    xd = mt.rand(1, 1, 3, 3, 3, dtype=mt.float64, requires_grad=True)
    assert gradcheck(lambda a: F.lp_pool3d(a + 0.5, p, 2, 1), (xd,))


# ---- MultiLabelMarginLoss ----------------------------------------------------------------------
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_multilabel_margin_loss_matches_pytorch(torch, reduction):
    a = np.random.randn(4, 5)
    y = np.array([[3, 0, -1, 1, 2], [1, 2, 3, 0, 4], [-1, 0, 0, 0, 0], [2, 2, -1, -1, 0]])
    x, tx = mt.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    out = F.multilabel_margin_loss(x, mt.tensor(y), reduction=reduction)
    tout = torch.nn.functional.multilabel_margin_loss(tx, torch.tensor(y), reduction=reduction)
    assert_close(out, tout, rtol=1e-10)
    out.sum().backward()
    tout.sum().backward()
    assert_close(x.grad, tx.grad, rtol=1e-10)
    loss = lambda v: F.multilabel_margin_loss(v, mt.tensor(y), reduction=reduction)  # noqa: E731
    assert gradcheck(loss, (mt.tensor(a, requires_grad=True),))
    m, tm = (
        mt.nn.MultiLabelMarginLoss(reduction=reduction),
        torch.nn.MultiLabelMarginLoss(reduction=reduction),
    )
    assert_close(m(x[0], mt.tensor(y[0])), tm(tx[0], torch.tensor(y[0])), rtol=1e-10)


def test_multilabel_margin_loss_errors_match_pytorch(torch):
    for lib in (mt, torch):
        F_ = lib.nn.functional
        with pytest.raises(
            RuntimeError, match=r"^inconsistent target size: \[2, 4\] for input of size: \[2, 3\]$"
        ):
            F_.multilabel_margin_loss(lib.ones(2, 3), lib.zeros(2, 4, dtype=lib.int64))
        with pytest.raises(RuntimeError, match="argument #2 'target' is out of range"):
            F_.multilabel_margin_loss(lib.ones(2, 3), lib.full((2, 3), 3, dtype=lib.int64))
        with pytest.raises(RuntimeError, match="expected scalar type Long but found Float"):
            F_.multilabel_margin_loss(lib.ones(2, 3), lib.zeros(2, 3))


# ---- regression: gradcheck of a non-contiguous input (fix in minitorch/autograd/gradcheck.py) ---
def test_gradcheck_perturbs_non_contiguous_inputs():
    x = mt.randn(3, 4, dtype=mt.float64)
    view = x[:, :2].detach().requires_grad_(True)
    assert not view.is_contiguous()
    assert gradcheck(lambda a: a * a, (view,))
    with pytest.raises(Exception, match="Jacobian mismatch"):
        gradcheck(lambda a: mt.tensor(a.detach().numpy() * 2.0) + a, (view,))
