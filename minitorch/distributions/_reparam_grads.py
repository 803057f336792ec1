"""PyTorch's reparameterisation gradients of Gamma and Dirichlet draws (ATen's
``_standard_gamma_grad`` and ``_dirichlet_grad``): piecewise approximations (Taylor series,
Rice saddle-point expansions, fitted rational functions) of dx/dalpha, accurate to about 1e-4
and reproduced here so that rsample gradients are PyTorch's numbers. Every piece is evaluated
on the whole array (in float64, or in the input dtype where ATen keeps it) and the piece that
applies is selected per element."""

from __future__ import annotations

import numpy as np

from ..ops.gamma import digamma_array

_F = np.float32  # ATen compares against float literals (0.8f, 0.9f, ...)

_GAMMA_UV = np.array(
    [
        [0.16009398, -0.094634809, 0.025146376, -0.0030648343, 1, 0.32668115, 0.10406089, 0.0014179084],
        [0.53487893, 0.1298071, 0.065735949, -0.0015649758, 0.16639465, 0.020070113, -0.0035938915, -0.00058392623],
        [0.040121004, -0.0065914022, -0.0026286047, -0.0013441777, 0.017050642, -0.0021309326, 0.00085092367, -1.5247877e-07],
    ]
)  # fmt: skip


def _gamma_small_x(a, x):
    """-(dP/da) / p from the Taylor series of P(a, x) in x (x < 0.8)."""
    term, n = np.ones_like(x), a.copy()
    s1, s2 = 1 / a, 1 / (a * a)
    for i in range(1, 6):
        term = term * (-x / i)
        n = n + 1
        s1, s2 = s1 + term / n, s2 + term / (n * n)
    x_a = x**a
    cdf_da = (np.log(x) - digamma_array(a)) * (x_a * s1) - x_a * s2
    out = -cdf_da / (x ** (a - 1) * np.exp(-x))
    return np.where(np.isnan(out), 0.0, out)


def _gamma_large_alpha(a, x):
    """Rice's saddle-point expansion (a > 8), with its own form near the mode."""
    near = (
        (1 + 24 * a * (1 + 12 * a))
        * (1440 * a * a + 6 * x * (53 - 120 * x) - 65 * x * x / a + a * (107 + 3600 * x))
        / (1244160 * (a * a) * (a * a))
    )
    root = np.sqrt(8 * a)
    t2 = root / (a - x)
    t3 = (x - a - a * np.log(x / a)) ** -1.5
    t1 = np.log(x / a) * np.where(x < a, t2 - t3, t2 + t3) - np.sqrt(2 / a) * (a + x) / (
        (a - x) * (a - x)
    )
    stirling = 1 + 1 / (12 * a) * (1 + 1 / (24 * a))
    far = -stirling * (x * t1) / root
    return np.where((_F(0.9) * a <= x) & (x <= _F(1.1) * a), near, far)


def _gamma_rational(a, x):
    """A bivariate rational fit in log(x / a) and log(a)."""
    u, v = np.log(x / a), np.log(a)
    c = _GAMMA_UV[0][:, None] + u.ravel() * (
        _GAMMA_UV[1][:, None] + u.ravel() * _GAMMA_UV[2][:, None]
    )
    c = c.reshape((8,) + u.shape)
    p = c[0] + v * (c[1] + v * (c[2] + v * c[3]))
    q = c[4] + v * (c[5] + v * (c[6] + v * c[7]))
    return np.exp(p / q)


def standard_gamma_grad_array(a, x):
    """Mirrors ``torch._standard_gamma_grad``: dx/da of standard Gamma(a) draws x (arrays of
    one float dtype)."""
    a64, x64 = np.broadcast_arrays(a.astype(np.float64), x.astype(np.float64))
    with np.errstate(all="ignore"):
        out = np.where(
            x64 < _F(0.8),
            _gamma_small_x(a64, x64),
            np.where(a64 > 8, _gamma_large_alpha(a64, x64), _gamma_rational(a64, x64)),
        )
    return out.astype(a.dtype, copy=False)


# ---- Dirichlet: dx/dalpha of the Beta(alpha, total - alpha) marginal, divided by (1 - x) ----
def _beta_grad_alpha_small(x, a, b):
    """Taylor series in x, for x near 0."""
    factor = digamma_array(a) - digamma_array(a + b) - np.log(x)
    term = np.ones_like(x)
    series = term / a * (factor + 1 / a)
    for i in range(1, 11):
        term = term * ((i - b) * x / i)
        n = a + i
        series = series + term / n * (factor + 1 / n)
    out = x * (1 - x) ** -b * series
    return np.where(np.isnan(out), 0.0, out)


def _beta_grad_beta_small(x, a, b):
    """Taylor series in x of the gradient w.r.t. beta, for x near 0."""
    factor = digamma_array(a + b) - digamma_array(b)
    term, betas, dbetas = np.ones_like(x), np.ones_like(x), np.zeros_like(x)
    series = factor / a
    for i in range(1, 9):
        term = term * (-x / i)
        dbetas = dbetas * (b - i) + betas
        betas = betas * (b - i)
        series = series + term / (a + i) * (dbetas + factor * betas)
    out = -((1 - x) ** (1 - b)) * series
    return np.where(np.isnan(out), 0.0, out)


def _beta_grad_alpha_mid(x, a, b):
    """Rice's saddle-point expansion for large alpha and beta."""
    total = a + b
    mean = a / total
    std = np.sqrt(a * b / (total + 1)) / total
    b2 = b * b
    poly = 47 * x * b2 * b2 + a * (
        (43 + 20 * (16 + 27 * b) * x) * b2 * b
        + a * (3 * (59 + 180 * b - 90 * x) * b2
               + a * ((453 + 1620 * b * (1 - x) - 455 * x) * b + a * (8 * (1 - x) * (135 * b - 11))))
    )  # fmt: skip
    pre_num = (1 + 12 * a) * (1 + 12 * b) / (total * total)
    pre_den = 12960 * a * a * a * b * b * (1 + 12 * total)
    near = pre_num / (1 - x) * poly / pre_den
    prefactor = -x / np.sqrt(2 * a * b / total)
    stirling = (
        (1 + 1 / (12 * a) + 1 / (288 * a * a))
        * (1 + 1 / (12 * b) + 1 / (288 * b * b))
        / (1 + 1 / (12 * total) + 1 / (288 * total * total))
    )
    axbx = a * (x - 1) + b * x
    t1 = (2 * (a * a) * (x - 1) + a * b * (x - 1) - x * b2) / (
        np.sqrt(2 * a / b) * total**1.5 * axbx * axbx
    )
    t2 = 0.5 * np.log(a / (total * x))
    t3 = np.sqrt(8 * a * b / total) / axbx
    t4 = (b * np.log(b / (total * (1 - x))) + a * np.log(a / (total * x))) ** -1.5
    far = stirling * prefactor * (t1 + t2 * (t3 + np.where(x < mean, t4, -t4)))
    return np.where((mean - 0.1 * std <= x) & (x <= mean + 0.1 * std), near, far)


_DIRICHLET_PQ = np.array(
    [
        [
            [
                [1.003668233, -0.01061107488, -0.0657888334, 0.01201642863],
                [0.6336835991, -0.3557432599, 0.05486251648, -0.001465281033],
                [-0.03276231906, 0.004474107445, 0.002429354597, -0.0001557569013],
            ],
            [
                [0.221950385, -0.3187676331, 0.01799915743, 0.01074823814],
                [-0.2951249643, 0.06219954479, 0.01535556598, 0.001550077057],
                [0.02155310298, 0.004170831599, 0.001292462449, 6.976601077e-05],
            ],
            [
                [-0.05980841433, 0.008441916499, 0.01085618172, 0.002319392565],
                [0.02911413504, 0.01400243777, -0.002721828457, 0.000751041181],
                [0.005900514878, -0.001936558688, -9.495446725e-06, 5.385558597e-05],
            ],
        ],
        [
            [
                [1, -0.02924021934, -0.04438342661, 0.007285809825],
                [0.6357567472, -0.3473456711, 0.05454656494, -0.002407477521],
                [-0.03301322327, 0.004845219414, 0.00231480583, -0.0002307248149],
            ],
            [
                [0.5925320577, -0.1757678135, 0.01505928619, 0.000564515273],
                [0.1014815858, -0.06589186703, 0.01272886114, -0.0007316646956],
                [-0.007258481865, 0.001096195486, 0.0003934994223, -4.12701925e-05],
            ],
            [
                [0.06469649321, -0.0236701437, 0.002902096474, -5.896963079e-05],
                [0.001925008108, -0.002869809258, 0.0008000589141, -6.063713228e-05],
                [-0.0003477407336, 6.959756487e-05, 1.097287507e-05, -1.650964693e-06],
            ],
        ],
    ]
)  # fmt: skip  (p and q, by power of log x, power of log(alpha / x), power of b)


def _dirichlet_rational(x, a, total):
    """A rational correction, fitted in (log x, log(alpha / x), log total - that), to the
    analytic approximation x (psi(total) - psi(alpha)) / beta."""
    u = np.log(x)
    la = np.log(a) - u
    b = np.log(total) - la
    coef = _DIRICHLET_PQ[..., 3, None]
    for k in (2, 1, 0):  # Horner in b
        coef = _DIRICHLET_PQ[..., k, None] + b.ravel() * coef
    coef = coef.reshape((2, 3, 3) + x.shape)
    powers_u, powers_a = (1.0, u, u * u), (1.0, la, la * la)
    p = sum(powers_u[i] * powers_a[j] * coef[0, i, j] for i in range(3) for j in range(3))
    q = sum(powers_u[i] * powers_a[j] * coef[1, i, j] for i in range(3) for j in range(3))
    return p / q * (x * (digamma_array(total) - digamma_array(a)) / (total - a))


def dirichlet_grad_array(x, alpha, total):
    """Mirrors ``torch._dirichlet_grad``: -(dP/dalpha) / p / (1 - x) of x ~ Beta(alpha,
    total - alpha), per element (arrays of one float dtype)."""
    x, alpha, total = np.broadcast_arrays(x, alpha, total)
    x64, a64, t64 = (v.astype(np.float64) for v in (x, alpha, total))
    beta = total - alpha  # the series near 0 and 1 run in the input dtype, as ATen's
    with np.errstate(all="ignore"):
        boundary = total * x * (1 - x)
        out = np.where(
            (x64 <= 0.5) & (boundary < 2.5),
            _beta_grad_alpha_small(x, alpha, beta),
            np.where(
                (x64 >= 0.5) & (boundary < 0.75),
                -_beta_grad_beta_small(1 - x, beta, alpha),
                np.where(
                    (a64 > 6) & (beta > 6),
                    _beta_grad_alpha_mid(x64, a64, t64 - a64),
                    _dirichlet_rational(x64, a64, t64),
                ),
            ),
        )
    return out.astype(x.dtype, copy=False)
