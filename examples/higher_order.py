"""Higher-order gradients with minitorch.autograd: grad of grad, Hessian-vector products (by
reverse mode twice, and by forward mode over reverse mode with dual tensors), and Newton's
method on an L2-regularised logistic regression (full Hessian, then Newton-CG with
Hessian-vector products only).

    python examples/higher_order.py            # d = 50 features
    python examples/higher_order.py --quick    # d = 8, what the test suite runs
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

import minitorch as torch
import minitorch.autograd.forward_ad as fwAD
from minitorch.autograd import functional as AF


def grad_of_grad() -> float:
    """d/dx and d2/dx2 of x^3 sin x by differentiating twice; returns the largest error."""
    x = torch.linspace(-2.0, 2.0, 9, dtype=torch.float64, requires_grad=True)
    y = x**3 * x.sin()
    (dy,) = torch.autograd.grad(y.sum(), x, create_graph=True)  # dy is differentiable
    (d2y,) = torch.autograd.grad(dy.sum(), x)
    xs = x.detach().numpy()
    want_dy = 3 * xs**2 * np.sin(xs) + xs**3 * np.cos(xs)
    want_d2y = 6 * xs * np.sin(xs) + 6 * xs**2 * np.cos(xs) - xs**3 * np.sin(xs)
    err = max(np.abs(dy.detach().numpy() - want_dy).max(), np.abs(d2y.numpy() - want_d2y).max())
    print(f"grad of grad of x^3 sin x at 9 points: max error {err:.2e}")
    return float(err)


def make_problem(d: int, n: int, seed: int = 0):
    """Random binary classification data and the regularised logistic loss L(w)."""
    rng = np.random.default_rng(seed)
    X = torch.tensor(rng.standard_normal((n, d)))
    w_true = rng.standard_normal(d)
    y = torch.tensor((X.numpy() @ w_true + 0.5 * rng.standard_normal(n) > 0).astype(np.float64))
    lam = 1e-2

    def loss(w):
        z = X @ w  # (n,)
        return (z.exp().log1p() - y * z).mean() + lam * (w * w).sum()  # log(1 + e^z) - y z

    return loss


def hvp_check(loss, d: int) -> float:
    """hvp(loss, w, v) equals hessian(loss, w) @ v; returns the largest difference."""
    w = torch.zeros(d, dtype=torch.float64)
    v = torch.randn(d, dtype=torch.float64)
    _, hv = AF.hvp(loss, w, v)
    H = AF.hessian(loss, w, vectorize=True)
    err = float((hv - H @ v).abs().max())
    print(f"hvp vs hessian @ v (d={d}): max difference {err:.2e}")
    return err


def forward_over_reverse_hvp(loss, d: int) -> float:
    """H v as the tangent of the gradient when w carries the tangent v (forward mode over
    reverse mode); returns its largest difference from hvp's (reverse over reverse)."""
    w = torch.zeros(d, dtype=torch.float64, requires_grad=True)
    v = torch.randn(d, dtype=torch.float64)
    with fwAD.dual_level():
        dual_w = fwAD.make_dual(w, v)
        (g,) = torch.autograd.grad(loss(dual_w), dual_w, create_graph=True)
        hv = fwAD.unpack_dual(g).tangent
    _, expected = AF.hvp(loss, w.detach(), v)
    err = float((hv - expected).abs().max())
    print(f"forward-over-reverse hvp vs hvp (d={d}): max difference {err:.2e}")
    return err


def newton(loss, d: int, steps: int = 10) -> float:
    """Newton's method with the full (vectorized) Hessian; returns the final gradient norm."""
    w = torch.zeros(d, dtype=torch.float64)
    for step in range(steps):
        g = AF.jacobian(loss, w)
        H = AF.hessian(loss, w, vectorize=True)
        w = w - torch.tensor(np.linalg.solve(H.numpy(), g.numpy()))
        gnorm = float(g.norm())
        print(f"  newton step {step}: loss {float(loss(w)):.6f}  |grad| before step {gnorm:.2e}")
        if gnorm < 1e-10:
            break
    return float(AF.jacobian(loss, w).norm())


def newton_cg(loss, d: int, steps: int = 10) -> float:
    """Newton-CG: each Newton system H p = -g solved by conjugate gradients that only need
    Hessian-vector products (H is never formed); returns the final gradient norm."""
    w = torch.zeros(d, dtype=torch.float64)
    for step in range(steps):
        g = AF.jacobian(loss, w)
        p, r = torch.zeros_like(w), -g
        q = r
        for _ in range(2 * d):
            _, Hq = AF.hvp(loss, w, q)
            alpha = float((r * r).sum() / (q * Hq).sum())
            p = p + alpha * q
            r_new = r - alpha * Hq
            if float(r_new.norm()) < 1e-12:
                break
            q = r_new + float((r_new * r_new).sum() / (r * r).sum()) * q
            r = r_new
        w = w + p
        gnorm = float(g.norm())
        print(f"  newton-cg step {step}: loss {float(loss(w)):.6f}  |grad| before step {gnorm:.2e}")
        if gnorm < 1e-10:
            break
    return float(AF.jacobian(loss, w).norm())


def main(quick: bool = False) -> dict:
    d, n = (8, 64) if quick else (50, 500)
    results = {"grad_of_grad_error": grad_of_grad()}
    loss = make_problem(d, n)
    results["hvp_error"] = hvp_check(loss, d)
    results["forward_hvp_error"] = forward_over_reverse_hvp(loss, d)
    t0 = time.perf_counter()
    print("Newton's method with the Hessian:")
    results["newton_grad_norm"] = newton(loss, d)
    print("Newton-CG with Hessian-vector products:")
    results["newton_cg_grad_norm"] = newton_cg(loss, d)
    print(f"done in {time.perf_counter() - t0:.2f}s")
    assert math.isfinite(results["newton_grad_norm"])
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small problem (for tests)")
    main(parser.parse_args().quick)
