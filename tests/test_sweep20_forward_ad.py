"""Session 11 forward-mode AD sweep: each program is a divergence PyTorch's OpInfo database
found through forward-mode AD (tests/opinfo_harness.py --jvp / --fwbw), run with real PyTorch
(the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def _dual(torch, values, tangent):
    fw = torch.autograd.forward_ad
    return fw.make_dual(
        torch.tensor(values, dtype=torch.float64), torch.tensor(tangent, dtype=torch.float64)
    )


def _tangents(torch, *outs):
    return [torch.autograd.forward_ad.unpack_dual(o).tangent for o in outs]


# ---- in-place view ops ----------------------------------------------------------------------
@program
def inplace_view_ops_change_the_tangents_shape(torch):
    with torch.autograd.forward_ad.dual_level():
        x = _dual(torch, [[1.0, 2.0, 3.0]], [[0.5, -1.0, 2.0]])
        shapes = [
            _tangents(torch, x.clone().unsqueeze_(0))[0],
            _tangents(torch, x.clone().squeeze_())[0],
            _tangents(torch, x.clone().transpose_(0, 1))[0],
            _tangents(torch, x.clone().t_())[0],
            _tangents(torch, x.clone().swapdims_(0, 1))[0],
        ]
        return shapes


@program
def as_strided_inplace_of_a_partial_view_moves_the_tangent_alike(torch):
    fw = torch.autograd.forward_ad
    base = torch.arange(10.0, dtype=torch.float64)
    with fw.dual_level():
        x = fw.make_dual(base[2:6], torch.full((4,), 7.0, dtype=torch.float64))
        x.as_strided_((4,), (1,), 0)  # the tangent laid out as the primal: zeros before it
        y = fw.make_dual(torch.ones(2, 3, dtype=torch.float64), torch.ones(3, 2).double().t())
        return _tangents(torch, x)[0], _tangents(torch, y)[0], _tangents(torch, y)[0].stride()


# ---- ops that skipped their graph for inputs not requiring grad -----------------------------
@program
def selections_keep_the_tangent(torch):
    with torch.autograd.forward_ad.dual_level():
        x = _dual(torch, [3.0, 1.0, 2.0, 5.0], [1.0, 2.0, 3.0, 4.0])
        index = torch.tensor([0, 0, 1, 1])
        target = torch.zeros(2, dtype=torch.float64)
        return _tangents(
            torch,
            x.median(),
            x.nanmedian(),
            target.scatter_reduce(0, index, x, "amax"),
            target.scatter_reduce(0, index, x, "amin", include_self=False),
        )


@program
def fills_with_a_dual_value_carry_its_tangent(torch):
    with torch.autograd.forward_ad.dual_level():
        value = _dual(torch, 2.5, 3.0)
        x = torch.arange(6.0, dtype=torch.float64).reshape(2, 3)
        mask = torch.tensor([[True, False, True], [False, False, True]])
        return _tangents(
            torch,
            x.index_fill(1, torch.tensor([0, 2, 0]), value),
            x.masked_fill(mask, value),
        )


@program
def quantile_with_a_dual_q(torch):
    with torch.autograd.forward_ad.dual_level():
        x = _dual(torch, [0.5, -1.2, 3.0], [1.0, 0.0, -1.0])
        q = _dual(torch, [0.3, 0.7], [1.0, -2.0])
        return _tangents(torch, torch.quantile(x, q), torch.nanquantile(x.detach(), q))


# ---- zero tangents, no tangent --------------------------------------------------------------
@program
def draws_get_zero_tangents_and_detach_drops_it(torch):
    with torch.autograd.forward_ad.dual_level():
        p = _dual(torch, [0.2, 0.9], [1.0, 2.0])
        torch.manual_seed(0)
        draws = [torch.bernoulli(p), torch.normal(p, 1.0), torch.normal(0.0, p), torch.poisson(p)]
        a = torch.linalg.lstsq(p.reshape(2, 1).expand(2, 2) + torch.eye(2), p.reshape(2, 1))
        detached = p.clone().detach_()
        return _tangents(torch, *draws, a.residuals), _tangents(torch, detached)[0] is None


# ---- ops whose backward can't give the forward derivative -----------------------------------
@program
def max_unpool_with_a_repeated_index_keeps_one_tangent(torch):
    F = torch.nn.functional
    with torch.autograd.forward_ad.dual_level():
        x = _dual(torch, [[[1.0, 2.0, 5.0, 0.0, 3.0]]], [[[1.0, 2.0, 3.0, 4.0, 5.0]]])
        pooled, index = F.max_pool1d(x, 3, 2, return_indices=True)  # both windows pick 5
        out = F.max_unpool1d(pooled, index, 3, 2, output_size=(5,))  # its tangent once, not twice
        scattered = torch.zeros(3, dtype=torch.float64).scatter(0, torch.tensor([2, 2]), x[0, 0])
        return _tangents(torch, out, scattered)


@program
def logcumsumexp_tangent(torch):
    with torch.autograd.forward_ad.dual_level():
        x = _dual(torch, [[0.5, -1.0, 2.0], [1.0, 1.0, -3.0]], [[1.0, 2.0, -1.0], [0.5, 0.0, 1.0]])
        return _tangents(torch, torch.logcumsumexp(x, 1), torch.logcumsumexp(x, 0))
