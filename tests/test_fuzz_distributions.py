"""Random torch.distributions programs, run with real PyTorch (the oracle) and with minitorch:
a distribution of every family minitorch has (the continuous and discrete ones, the
multivariate normals with covariance_matrix / precision_matrix / scale_tril, Independent,
TransformedDistribution with random chains of transforms, MixtureSameFamily...) built from
parameters of random broadcasting shapes (0-d numbers too), probs or logits, float32 or
float64, requiring a gradient or not, with validate_args True, False or left to the default
(``Distribution.set_default_validate_args`` too); then a random sequence of calls: sample and
rsample with a sample_shape after ``manual_seed`` (minitorch draws PyTorch's stream, the
rejection samplers of gamma, poisson, binomial... included, so the numbers are compared),
log_prob of values in and out of the support, cdf/icdf, entropy, mean/mode/variance/stddev,
perplexity, enumerate_support, expand, the shapes and the support, kl_divergence against
a random partner (registered pairs and the NotImplementedError of the others), repr, and the
gradients of each differentiable result wrt the parameters. Compared: values (dtype, shape,
numbers within the dtype's tolerance), gradients, and errors (type and PyTorch's first
words). Seeds are fixed, so a failure names a program that ``describe(seed)`` spells out."""

from __future__ import annotations

import functools
import math
import random
import re
import warnings

import numpy as np
import pytest
from fuzz_compare import assert_same

import minitorch

SEEDS = range(200)
TRANSFORM_SEEDS = range(-1, -81, -1)  # negative seeds: transforms and constraint registries

BATCHES = ((), (), (3,), (2, 3), (2, 1), (1, 3), (4,))


# ---- parameter specs ----------------------------------------------------------------------
# ("p", shape, kind): a floating tensor of the program's dtype whose values are of ``kind``
# (requiring a gradient when the program says so); ("n", kind): a Python number; anything
# else is passed as it is.
def _shape(r, batch, event=()):
    """``batch`` or a shape that broadcasts to it (a suffix, ones in place of sizes), rarely
    one that does not."""
    k = r.random()
    if k < 0.015:
        return (5, *batch, *event) if batch else (5, *event)
    if k < 0.6 or not batch:
        return (*batch, *event)
    if k < 0.8:
        return (*batch[r.randint(0, len(batch)) :], *event)
    return (*(1 if r.random() < 0.5 else n for n in batch), *event)


def _p(r, batch, kind, event=()):
    if not event and r.random() < 0.1:
        return ("n", kind)
    if r.random() < 0.04:  # a value outside the parameter's constraint
        kind += "_bad"
    return ("p", _shape(r, batch, event), kind)


def _probs_or_logits(r, batch, event=(), edges=True):
    k = r.random()
    if k < 0.02:  # PyTorch's ValueError: both, or neither
        return {"probs": _p(r, batch, "prob"), "logits": _p(r, batch, "real")} if k < 0.01 else {}
    if r.random() < 0.5:
        edge = "_edge" if r.random() < 0.2 and edges else ""  # probabilities of 0 or 1
        return {"probs": _p(r, batch, ("simplex" if event else "prob") + edge, event)}
    return {"logits": _p(r, batch, "real", event)}


def _two(kind_a, kind_b, name_a, name_b):
    return lambda r, b: {name_a: _p(r, b, kind_a), name_b: _p(r, b, kind_b)}


def _one(kind, name):
    return lambda r, b: {name: _p(r, b, kind)}


def g_uniform(r, b):
    return {"low": _p(r, b, "negative"), "high": _p(r, b, "positive")}


def g_binomial(r, b):
    count = ("n", "count") if r.random() < 0.4 else _p(r, b, "count")
    return {"total_count": count, **_probs_or_logits(r, b)}


def g_negative_binomial(r, b):
    # (probabilities in (0, 1): a probability of 1, outside the support, draws counts near
    # 1e15 whose log_prob is a difference of lgamma's there, all rounding)
    return {"total_count": _p(r, b, "positive"), **_probs_or_logits(r, b, edges=False)}


def g_categorical(r, b):
    return _probs_or_logits(r, b, (r.choice([1, 2, 3, 4]),))


def g_multinomial(r, b):
    return {"total_count": r.choice([1, 3, 5]), **_probs_or_logits(r, b, (r.choice([2, 3]),))}


def g_dirichlet(r, b):
    return {"concentration": _p(r, b, "positive", (r.choice([2, 3, 4]),))}


def g_relaxed(r, b, event=()):
    t = ("n", "temperature") if r.random() < 0.5 else ("p", (), "temperature")
    return {"temperature": t, **_probs_or_logits(r, b, event)}


def g_relaxed_one_hot(r, b):
    return g_relaxed(r, b, (r.choice([2, 3]),))


def g_mvn(r, b):
    d = r.choice([1, 2, 3])
    kw = {"loc": _p(r, b, "real", (d,))}
    which = r.choice(["covariance_matrix", "precision_matrix", "scale_tril"])
    kw[which] = _p(r, b, "tril" if which == "scale_tril" else "posdef", (d, d))
    if r.random() < 0.03:  # PyTorch's ValueError: more than one matrix
        kw["covariance_matrix"] = _p(r, b, "posdef", (d, d))
        kw["scale_tril"] = _p(r, b, "tril", (d, d))
    return kw


def g_lowrank(r, b):
    d, k = r.choice([1, 2, 3]), r.choice([1, 2])
    # (a cov_factor of finite values: minitorch's cholesky of a NaN matrix gives NaNs where
    # PyTorch's raises 'not positive-definite', left for linalg)
    return {"loc": _p(r, b, "real", (d,)), "cov_factor": ("p", _shape(r, b, (d, k)), "real"),
            "cov_diag": _p(r, b, "positive", (d,))}  # fmt: skip


def g_student(r, b):
    kw = {"df": _p(r, b, "df")}
    if r.random() < 0.8:
        kw["loc"] = _p(r, b, "real")
        kw["scale"] = _p(r, b, "positive")
    return kw


def g_von_mises(r, b):
    return {"loc": _p(r, b, "real"), "concentration": _p(r, b, "positive")}


def g_lkj(r, b):
    return {"dim": r.choice([2, 3]), "concentration": _p(r, b, "positive")}


def g_wishart(r, b):
    d = r.choice([1, 2, 3])
    return {"df": ("p", _shape(r, b), "df_wishart" + str(d)),
            r.choice(["covariance_matrix", "scale_tril", "precision_matrix"]):
            _p(r, b, "posdef", (d, d)) if r.random() < 0.7 else _p(r, b, "tril", (d, d))}  # fmt: skip


def g_generalized_pareto(r, b):
    return {"loc": _p(r, b, "real"), "scale": _p(r, b, "positive"),
            "concentration": _p(r, b, "small")}  # fmt: skip


def g_logistic_normal(r, b):
    return {"loc": _p(r, b, "real", (r.choice([1, 2, 3]),)), "scale": _p(r, b, "positive")}


FAMILIES = {
    "Normal": _two("real", "positive", "loc", "scale"),
    "Uniform": g_uniform,
    "Bernoulli": lambda r, b: _probs_or_logits(r, b),
    "Categorical": g_categorical,
    "OneHotCategorical": g_categorical,
    "OneHotCategoricalStraightThrough": g_categorical,
    "Beta": _two("positive", "positive", "concentration1", "concentration0"),
    "Gamma": _two("positive", "positive", "concentration", "rate"),
    "InverseGamma": _two("positive", "positive", "concentration", "rate"),
    "Dirichlet": g_dirichlet,
    "Exponential": _one("positive", "rate"),
    "Laplace": _two("real", "positive", "loc", "scale"),
    "Cauchy": _two("real", "positive", "loc", "scale"),
    "Poisson": _one("positive", "rate"),
    "Binomial": g_binomial,
    "NegativeBinomial": g_negative_binomial,
    "Geometric": lambda r, b: _probs_or_logits(r, b),
    "Multinomial": g_multinomial,
    "MultivariateNormal": g_mvn,
    "LowRankMultivariateNormal": g_lowrank,
    "LogNormal": _two("real", "positive", "loc", "scale"),
    "LogisticNormal": g_logistic_normal,
    "StudentT": g_student,
    "Chi2": _one("df", "df"),
    "Gumbel": _two("real", "positive", "loc", "scale"),
    "HalfNormal": _one("positive", "scale"),
    "HalfCauchy": _one("positive", "scale"),
    "VonMises": g_von_mises,
    "Weibull": _two("positive", "positive", "scale", "concentration"),
    "Pareto": _two("positive", "df", "scale", "alpha"),
    "Kumaraswamy": _two("positive", "positive", "concentration1", "concentration0"),
    "RelaxedBernoulli": g_relaxed,
    "RelaxedOneHotCategorical": g_relaxed_one_hot,
    "ContinuousBernoulli": lambda r, b: _probs_or_logits(r, b),
    "FisherSnedecor": _two("df", "df", "df1", "df2"),
    "LKJCholesky": g_lkj,
    "Wishart": g_wishart,
    "GeneralizedPareto": g_generalized_pareto,
}
NAMES = sorted(FAMILIES) + ["Independent", "TransformedDistribution", "MixtureSameFamily"]

# transforms of a real base: (name, arguments)
TRANSFORMS = (
    ("ExpTransform", ()), ("SigmoidTransform", ()), ("TanhTransform", ()),
    ("AffineTransform", ("loc", "scale")), ("AffineTransform", (0.5, -2.0)),
    ("SoftplusTransform", ()), ("PowerTransform", (2.0,)), ("AbsTransform", ()),
)  # fmt: skip

OPS = ("sample", "rsample", "log_prob", "log_prob", "log_prob_out", "cdf", "icdf", "entropy",
       "moments", "perplexity", "enumerate", "expand", "shapes", "kl", "kl", "repr",
       "log_prob_cast", "cdf_out", "icdf_out", "check", "log_prob_edge")  # fmt: skip


def _family(r, batch, depth=0):
    """(name, keyword specs, extra) of a random distribution over ``batch``."""
    name = r.choice(NAMES if depth == 0 else sorted(FAMILIES))
    if name == "Independent":
        inner = _family(r, batch, 1)
        return name, {"base": inner}, r.randint(0, len(batch))
    if name == "TransformedDistribution":
        base = r.choice(["Normal", "Uniform", "Exponential"])
        chain = [r.choice(TRANSFORMS) for _ in range(r.choice([1, 1, 2, 3]))]
        if r.random() < 0.2:
            base, chain = "Dirichlet", [("StickBreakingTransform", ())]
            return name, {"base": (base, {"concentration": ("p", (*batch, 3), "positive")},
                                   None)}, (chain, False)  # fmt: skip
        compose = r.random() < 0.3
        return name, {"base": (base, FAMILIES[base](r, batch), None)}, (chain, compose)
    if name == "MixtureSameFamily":
        k = r.choice([1, 2, 3])
        comp = r.choice(["Normal", "Gamma", "MultivariateNormal", "IndependentNormal", "Bernoulli"])
        mix = ("Categorical", _probs_or_logits(r, batch, (k,)), None)
        cb = (*batch, k)
        if comp == "IndependentNormal":
            event = (r.choice([1, 2]),)
            kw = {"loc": ("p", (*cb, *event), "real"), "scale": ("p", (*cb, *event), "positive")}
            return name, {"mixture": mix, "component": ("Independent", {"base": (
                "Normal", kw, None)}, 1)}, None  # fmt: skip
        kw = FAMILIES[comp](r, cb)
        for key, spec in kw.items():  # the components' batch shape must end in k
            if spec[0] == "p":
                event = spec[1][
                    len(spec[1])
                    - (
                        2
                        if key.endswith(("matrix", "tril"))
                        else 1
                        if key == "loc" and comp[0] == "M"
                        else 0
                    ) :
                ]
                kw[key] = ("p", (*cb, *event), spec[2])
            else:
                kw[key] = ("p", cb, spec[1])
        return name, {"mixture": mix, "component": (comp, kw, None)}, None
    if name == "Dirichlet" and depth == 0 and r.random() < 0.2:
        name = "Beta"
    return name, FAMILIES[name](r, batch), None


def case(seed: int) -> dict:
    """The program ``seed``: its dtype, gradient flag, validation, distribution and calls."""
    r = random.Random(seed)
    batch = r.choice(BATCHES)
    dtype = r.choice(["float32", "float64", "float64"])
    grad = r.random() < 0.5 and dtype == "float64"
    validate = r.choice([True, False, None, None])
    default = r.choice([None, None, True, False])
    dist = _family(r, batch)
    ops = []
    for _ in range(r.randint(3, 7)):
        op = r.choice(OPS)
        if op == "rsample" and grad and dist[0] == "Wishart":
            # PyTorch's Wishart.rsample changes a tensor its backward saved (backward raises
            # 'modified by an inplace operation'); minitorch differentiates it: left out
            op = "sample"
        arg = None
        if op in ("sample", "rsample", "log_prob", "log_prob_out", "cdf", "icdf", "cdf_out",
                  "icdf_out", "check", "log_prob_cast", "log_prob_edge"):  # fmt: skip
            arg = r.choice([(), (), (2,), (1, 2)])
        if op in ("sample", "rsample") and r.random() < 0.15:  # a list, an int: its TypeError
            arg = r.choice([[2], 3, (0,)])
        if op in ("log_prob_out", "cdf_out", "check"):
            # (no inf matrices into Wishart's positive-definite check: minitorch's cholesky_ex
            # factors [[inf, 0], [0, 1]], PyTorch's reports it; no inf values into the normals'
            # triangular solves, whose inf - inf NaNs follow the solver's order: linalg)
            solves = ("Wishart", "MultivariateNormal", "LowRankMultivariateNormal")
            infs = ["inf"] if dist[0] not in solves else []
            arg = (arg, r.choice(["neg", "half", "big", "nan", "shape", "zero", "one", *infs]))
        if op == "log_prob_cast":
            # (not integers or bools into a matrix support's check: minitorch's cholesky_ex
            # names 'cholesky_cpu' not implemented where PyTorch says 'Expected a floating
            # point or complex tensor')
            # (no lists: minitorch's log/exp/lgamma... take a list as a tensor where
            # PyTorch's raise 'must be Tensor, not list'; left for the elementwise ops)
            integers = [] if dist[0] in ("Wishart", "LKJCholesky") else ["int64", "bool"]
            arg = (arg, r.choice(["float64", "float32", "bcast", *integers]))
        if op == "enumerate":
            arg = r.random() < 0.5
        if op == "expand":
            arg = (r.choice([(2,), (1,), (5,)]) + batch, r.choice(OPS[:9]))
        if op == "kl":
            arg = _family(r, batch, 1) if r.random() < 0.6 else dist
        ops.append((op, arg))
    return {"dtype": dtype, "grad": grad, "validate": validate, "default": default,
            "dist": dist, "ops": ops}  # fmt: skip


# ---- transforms and constraint registries (negative seeds) ----------------------------------
# name: (arguments, the event shape its input needs (None: any), the input's kind)
TRANSFORM_SPECS = {
    "ExpTransform": ((), None, "real"),
    "SigmoidTransform": ((), None, "real"),
    "TanhTransform": ((), None, "real"),
    "SoftplusTransform": ((), None, "real"),
    "AbsTransform": ((), None, "real"),
    "PowerTransform": (("exponent",), None, "positive"),
    "AffineTransform": (("loc", "scale"), None, "real"),
    "SoftmaxTransform": ((), (3,), "real"),
    "StickBreakingTransform": ((), (3,), "real"),
    "LowerCholeskyTransform": ((), (3, 3), "real"),
    "PositiveDefiniteTransform": ((), (2, 2), "real"),
    "CorrCholeskyTransform": ((), (3,), "real"),
    "ReshapeTransform": ((), (2, 3), "real"),
    "IndependentTransform": ((), None, "real"),
    "CatTransform": ((), (4,), "real"),
    "StackTransform": ((), (2,), "real"),
    "CumulativeDistributionTransform": ((), None, "real"),
    "ComposeTransform": ((), None, "real"),
}
CONSTRAINTS = ("real", "positive", "nonnegative", "unit_interval", "simplex", "real_vector",
               "lower_cholesky", "positive_definite", "corr_cholesky", "greater_than",
               "less_than", "interval", "half_open_interval", "independent", "cat", "stack",
               "lower_triangular", "square", "symmetric", "positive_semidefinite",
               "boolean", "nonnegative_integer")  # fmt: skip
TRANSFORM_OPS = ("forward", "inverse", "ladj", "ladj", "shapes", "repr", "sign", "flags",
                 "inv_forward", "cache", "equal")  # fmt: skip


def transform_case(seed: int) -> dict:
    """Program ``seed`` < 0: a transform (or a registry's transform for a constraint) and
    calls on it."""
    r = random.Random(seed)
    dtype = r.choice(["float32", "float64", "float64"])
    grad = dtype == "float64" and r.random() < 0.6
    batch = r.choice([(), (2,), (3, 2)])
    if r.random() < 0.25:
        kind = ("registry", r.choice(["biject_to", "transform_to"]), r.choice(CONSTRAINTS))
    else:
        kind = ("transform", r.choice(sorted(TRANSFORM_SPECS)), r.random() < 0.3)
    ops = [r.choice(TRANSFORM_OPS) for _ in range(r.randint(2, 6))]
    return {"dtype": dtype, "grad": grad, "batch": batch, "kind": kind, "ops": ops,
            "cache": r.choice([0, 0, 1])}  # fmt: skip


def _constraint(C, name, dtype, T):
    if name in ("greater_than", "less_than"):
        return getattr(C, name)(T.tensor(0.5, dtype=dtype))
    if name in ("interval", "half_open_interval"):
        return getattr(C, name)(-1.0, 2.0)
    if name == "independent":
        return C.independent(C.positive, 1)
    if name == "cat":
        return C.cat([C.real, C.positive], dim=-1, lengths=[2, 2])
    if name == "stack":
        return C.stack([C.real, C.positive], dim=-1)
    return getattr(C, name)


def _transform(T, c, ctx):
    """(transform, the input's event shape) of program ``c``."""
    D = T.distributions
    tr = D.transforms
    dt = getattr(T, c["dtype"])
    if c["kind"][0] == "registry":
        _, registry, name = c["kind"]
        con = _constraint(D.constraints, name, dt, T)
        shape = {"simplex": (3,), "real_vector": (3,), "lower_cholesky": (3, 3),
                 "positive_definite": (2, 2), "corr_cholesky": (3,), "independent": (3,),
                 "cat": (4,), "stack": (2,)}.get(name, ())  # fmt: skip
        return getattr(D, registry)(con), shape
    _, name, inverse = c["kind"]
    args, event, _ = TRANSFORM_SPECS[name]
    cache = {"cache_size": c["cache"]}
    if name == "PowerTransform":
        t = tr.PowerTransform(_leaf(T, ctx, np.array(1.5)), **cache)
    elif name == "AffineTransform":
        event_dim = ctx["rng"].integers(0, 2)
        t = tr.AffineTransform(_leaf(T, ctx, np.array([0.5, -1.0])), _leaf(T, ctx, np.array(
            [2.0, -0.5])), event_dim=int(event_dim), **cache)  # fmt: skip
        event = (2,)
    elif name == "ReshapeTransform":
        t = tr.ReshapeTransform((2, 3), (3, 2), **cache)
    elif name == "IndependentTransform":
        t = tr.IndependentTransform(tr.SigmoidTransform(), 1, **cache)
        event = (2,)
    elif name == "CatTransform":
        t = tr.CatTransform([tr.ExpTransform(), tr.SigmoidTransform()], -1, [1, 3], **cache)
    elif name == "StackTransform":
        t = tr.StackTransform([tr.ExpTransform(), tr.TanhTransform()], -1, **cache)
    elif name == "CumulativeDistributionTransform":
        t = tr.CumulativeDistributionTransform(D.Normal(0.5, 2.0), **cache)
    elif name == "ComposeTransform":
        t = tr.ComposeTransform([tr.ExpTransform(), tr.AffineTransform(1.0, 2.0),
                                 tr.SigmoidTransform()], **cache)  # fmt: skip
    else:
        t = getattr(tr, name)(**cache)
    return (t.inv if inverse else t), event


def _leaf(T, ctx, values):
    t = T.tensor(values, dtype=getattr(T, ctx["dtype"]))
    if ctx["grad"]:
        t.requires_grad_()
        ctx["leaves"].append(t)
    return t


def _transform_op(T, t, op, x, ctx):
    if op == "forward":
        return t(x)
    if op == "inverse":
        return t.inv(t(x).detach())
    if op == "inv_forward":
        return t(t.inv(x))
    if op == "ladj":
        y = t(x)
        return [y, t.log_abs_det_jacobian(x, y)]
    if op == "shapes":
        shape = tuple(x.shape)
        return [tuple(t.forward_shape(shape)), tuple(t.inverse_shape(shape)), t.domain.event_dim,
                t.codomain.event_dim]  # fmt: skip
    if op == "repr":
        return [repr(t).replace("minitorch", "torch"), str(t.domain), str(t.codomain)]
    if op == "sign":
        return t.sign if isinstance(t.sign, int) else t.sign
    if op == "flags":
        return [t.bijective, t.event_dim, type(t.inv).__name__, t.inv.inv is t]
    if op == "cache":
        y = t(x)
        return [t(x) is y, t.inv(y) is x]
    if op == "equal":
        return [t == t, t == t.inv, t != t.inv]
    raise AssertionError(op)


def run_transform(T, seed: int) -> list:
    c = transform_case(seed)
    ctx = {"rng": np.random.default_rng(-seed), "dtype": c["dtype"], "grad": c["grad"],
           "leaves": []}  # fmt: skip
    try:
        t, event = _transform(T, c, ctx)
    except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
        return [_error(e)]
    shape = (*c["batch"], *(event or ()))
    x = _leaf(T, ctx, ctx["rng"].standard_normal(shape) * 0.8)
    out = []
    for op in c["ops"]:
        try:
            _record(T, _transform_op(T, t, op, x, ctx), ctx, out)
        except Exception as e:  # noqa: BLE001
            out.append(_error(e))
    return out


def describe(seed: int) -> str:
    c = case(seed) if seed >= 0 else transform_case(seed)
    return " ".join(f"{k}={v}" for k, v in c.items())


# ---- building ---------------------------------------------------------------------------------
def _values(rng, shape, kind):
    if kind.endswith("_bad"):
        kind = kind[:-4]
        v = np.array(_values(rng, shape, kind), dtype=float)
        if v.size:
            v.reshape(-1)[0] = math.nan if kind == "real" else -1.0
        return v
    if kind == "real":
        return rng.standard_normal(shape)
    if kind == "negative":
        return rng.uniform(-2.0, -0.2, shape)
    if kind in ("positive", "temperature"):
        return rng.uniform(0.4, 2.5, shape)
    if kind == "df":
        return rng.uniform(2.5, 6.0, shape)
    if kind.startswith("df_wishart"):
        return rng.uniform(0.5, 3.0, shape) + int(kind[-1])
    if kind == "small":
        return rng.uniform(-0.3, 0.3, shape)
    if kind == "prob":
        return rng.uniform(0.05, 0.95, shape)
    if kind == "prob_edge":
        return rng.choice([0.0, 1.0, 0.5, 0.3], shape)
    if kind == "simplex_edge":
        v = rng.choice([0.0, 0.0, 1.0, 0.5], shape)
        v[..., 0] = 1.0  # no row of zeros
        return v
    if kind == "simplex":
        v = rng.uniform(0.1, 1.0, shape)
        return v / v.sum(-1, keepdims=True) if rng.random() < 0.7 else v
    if kind == "count":
        return rng.integers(0, 8, shape).astype(float)
    d = shape[-1]
    a = rng.standard_normal(shape) * 0.5
    tril = np.tril(a, -1) + np.eye(d) * rng.uniform(0.5, 1.5, shape[:-1])[..., None, :]
    if kind == "tril":
        return tril
    return tril @ np.swapaxes(tril, -1, -2)  # posdef


def _number(kind):
    return {"count": 4, "temperature": 0.7, "positive": 1.5, "real": 0.3, "prob": 0.3,
            "negative": -1.0, "df": 3.0, "small": 0.1}[kind]  # fmt: skip


def _build(T, spec, ctx):
    """The distribution of ``spec`` (name, keyword specs, extra)."""
    name, kw_specs, extra = spec
    D = T.distributions
    kw = {}
    for key, s in kw_specs.items():
        if isinstance(s, tuple) and s and s[0] == "p":
            t = T.tensor(_values(ctx["rng"], s[1], s[2]), dtype=getattr(T, ctx["dtype"]))
            if ctx["grad"]:
                t.requires_grad_()
                ctx["leaves"].append(t)
            kw[key] = t
        elif isinstance(s, tuple) and s and s[0] == "n":
            kw[key] = _number(s[1])
        elif isinstance(s, tuple) and len(s) == 3 and isinstance(s[0], str) and s[0] != "p":
            kw[key] = _build(T, s, ctx)
        else:
            kw[key] = s
    v = ctx["validate"]
    vkw = {} if v is None else {"validate_args": v}
    if name == "Independent":
        return D.Independent(kw["base"], extra, **vkw)
    if name == "TransformedDistribution":
        chain, compose = extra
        ts = []
        for tname, targs in chain:
            if targs == ("loc", "scale"):
                targs = (kw["base"].mean.detach() * 0 + 0.5, 2.0)
            ts.append(getattr(D.transforms, tname)(*targs))
        if compose:
            ts = D.transforms.ComposeTransform(ts)
        return D.TransformedDistribution(kw["base"], ts, **vkw)
    if name == "MixtureSameFamily":
        return D.MixtureSameFamily(kw["mixture"], kw["component"], **vkw)
    if name == "LKJCholesky":
        return D.LKJCholesky(kw.pop("dim"), **kw, **vkw)
    return getattr(D, name)(**kw, **vkw)


# ---- running ----------------------------------------------------------------------------------
def _array(t):
    if t is None:
        return None
    values = np.array(
        t.detach().double().tolist() if t.is_floating_point() else t.tolist(),
        dtype=float if t.is_floating_point() else np.int64,
    )
    return ("tensor", str(t.dtype).split(".")[-1], tuple(t.shape), t.requires_grad, values)


def _warnings(caught) -> list:
    return sorted(
        (w.category.__name__, str(w.message).replace("minitorch", "torch")[:40]) for w in caught
    )


def _error(e: Exception) -> tuple:
    return ("error", type(e).__name__, str(e).replace("minitorch", "torch"))


def _out_of_support(T, v, how):
    if how == "neg":
        return -v.abs() - 0.5
    if how == "half":
        return v + 0.5
    if how == "big":
        return v * 0 + 1e3
    if how == "nan":
        return v * float("nan")
    if how in ("zero", "one", "inf"):
        return v * 0 + {"zero": 0.0, "one": 1.0, "inf": float("inf")}[how]
    return T.cat([v, v[..., :1]], -1) if v.dim() else T.zeros(3)


def _cast(T, v, how):
    """A sampled value as another dtype, or of a shape that broadcasts with it."""
    if how == "bcast":
        return v[..., :1, :] if v.dim() > 1 else v.unsqueeze(0)
    return v.to(getattr(T, how))


def _outcome(T, ctx, value, out):
    """Appends ``value`` (a tensor, a tuple of them, a string...) and, for a tensor needing a
    gradient, the gradients wrt the parameters."""
    if isinstance(value, T.Tensor):
        out.append(_array(value))
        if value.requires_grad and value.numel():
            w = T.tensor(np.cos(np.arange(value.numel())).reshape(tuple(value.shape)))
            total = (value * w.to(value.dtype)).sum()
            grads = T.autograd.grad(total, ctx["leaves"], allow_unused=True, retain_graph=True)
            out.append([_array(g) for g in grads])
        return
    out.append(value)


def _op(T, d, op, arg, ctx, seed):
    D = T.distributions
    if op in ("sample", "rsample"):
        T.manual_seed(seed)
        x = getattr(d, op)(arg)
        return [x, T.rand(2)]  # the stream after the draw
    if op in ("log_prob", "log_prob_out", "cdf", "cdf_out", "check", "log_prob_cast"):
        shape, how = (arg, None) if op in ("log_prob", "cdf") else arg
        T.manual_seed(seed)
        with T.no_grad():
            v = d.sample(shape)
        if op == "log_prob_cast":
            return d.log_prob(_cast(T, v, how))
        if how:
            v = _out_of_support(T, v, how)
        if op == "check":
            return d.support.check(v)
        return getattr(d, "cdf" if op in ("cdf", "cdf_out") else "log_prob")(v)
    if op == "log_prob_edge":  # the support's edges: 0, 1, the bounds of an interval
        v = d.mean.detach()
        return d.log_prob(v * 0 + float(np.random.default_rng(seed).choice([0.0, 1.0, -1.0])))
    if op in ("icdf", "icdf_out"):
        low, high = (0.05, 0.95) if op == "icdf" else (-0.5, 1.5)
        q = T.tensor(np.random.default_rng(seed).uniform(low, high, (*arg, *d.batch_shape)),
                     dtype=getattr(T, ctx["dtype"]))  # fmt: skip
        if op == "icdf_out":
            q = T.where(q < 0.2, 0.0, T.where(q > 1.2, 1.0, q))
        return d.icdf(q)
    if op == "entropy":
        return d.entropy()
    if op == "perplexity":
        return d.perplexity()
    if op == "moments":
        out = []
        for name in ("mean", "mode", "variance", "stddev"):
            try:
                out.append(getattr(d, name))
            except Exception as e:  # noqa: BLE001 (the error is part of the outcome)
                out.append(_error(e))
        return out
    if op == "enumerate":
        return d.enumerate_support(expand=arg)
    if op == "expand":
        shape, then = arg
        e = d.expand(shape)
        return [tuple(e.batch_shape), _op(T, e, then, (), ctx, seed)]
    if op == "shapes":
        return [
            tuple(d.batch_shape),
            tuple(d.event_shape),
            d.has_rsample,
            d.has_enumerate_support,
            str(d.support).replace("minitorch", "torch"),
        ]
    if op == "kl":
        other = d if arg is ctx["spec"] else _build(T, arg, ctx)
        return D.kl_divergence(d, other)
    if op == "repr":  # numbers to 6 digits: float32 logits from probs differ in the last bit
        shown = repr(d).replace("minitorch", "torch")
        return re.sub(r"-?\d+\.\d+(e[-+]?\d+)?", lambda m: f"{float(m.group()):.6g}", shown)
    raise AssertionError(op)


def _record(T, value, ctx, out):
    if isinstance(value, list):
        inner = []
        for v in value:
            _record(T, v, ctx, inner)
        out.append(inner)
    else:
        _outcome(T, ctx, value, out)


def run(T, seed: int) -> list:
    c = case(seed)
    D = T.distributions
    ctx = {"rng": np.random.default_rng(seed), "dtype": c["dtype"], "grad": c["grad"],
           "validate": c["validate"], "leaves": [], "spec": c["dist"]}  # fmt: skip
    out = []
    before = D.Distribution._validate_args
    try:
        if c["default"] is not None:
            D.Distribution.set_default_validate_args(c["default"])
        try:
            d = _build(T, c["dist"], ctx)
        except Exception as e:  # noqa: BLE001
            return [_error(e)]
        for i, (op, arg) in enumerate(c["ops"]):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    _record(T, _op(T, d, op, arg, ctx, 1000 * seed + i), ctx, out)
                except Exception as e:  # noqa: BLE001 (the error is part of the outcome)
                    out.append(_error(e))
            out.append(_warnings(caught))
        return out
    finally:
        D.Distribution.set_default_validate_args(before)


TOLERANCE = {"float64": (1e-6, 1e-8), "float32": (2e-4, 2e-5)}


def loosest(seed: int) -> str:
    """float32 where program ``seed`` computes in float32 anywhere: its dtype, a float32 value
    given to a float64 distribution, or a float64 one to a float32 distribution (the result
    is float64, its precision float32's), or a value of the default dtype."""
    if seed < 0:
        return transform_case(seed)["dtype"]
    c = case(seed)
    mixed = any(
        op == "log_prob_cast" and arg[1] in ("float32", "float64") and arg[1] != c["dtype"]
        or op in ("log_prob_out", "cdf_out", "check") and arg[1] == "shape"
        for op, arg in c["ops"]
    )  # fmt: skip
    return "float32" if mixed else c["dtype"]


same = functools.partial(assert_same, tolerance=TOLERANCE)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_distribution_program_matches_pytorch(torch, seed):
    same(run(minitorch, seed), run(torch, seed), describe(seed), loosest(seed))


@pytest.mark.parametrize("seed", TRANSFORM_SEEDS)
def test_random_transform_program_matches_pytorch(torch, seed):
    same(run_transform(minitorch, seed), run_transform(torch, seed), describe(seed), loosest(seed))
