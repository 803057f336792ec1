"""Random elementwise math calls, run with real PyTorch (the oracle) and with minitorch: the
unary, binary and ternary elementwise functions of ``torch``, of ``Tensor`` and of
``torch.special`` (exp/log families, trigonometry, erf/gamma/Bessel functions, rounding,
clamp with scalar or tensor bounds, pow/float_power, atan2, hypot, fmod/remainder,
div with rounding modes, copysign, nextafter, ldexp, logaddexp, maximum/fmax and their NaN
rules, lerp, addcmul/addcdiv, heaviside, gcd/lcm, bitwise and logical operators, shifts,
predicates, nan_to_num...) over operands of random dtypes (bool, integers, float16, bfloat16,
float32, float64), Python scalars, 0-d tensors and broadcasting shapes, whose values come from
a pool of edges (0, -0.0, +-1, +-inf, NaN, huge, tiny, subnormal, integer extremes) and random
numbers, called as a function, a method, in place (with PyTorch's casting errors) or with
``out=``. Compared: the result's dtype, shape and values (NaN and inf placement exactly; the
sign of zeros for exactly defined ops; a tolerance for transcendental ones), the operand after
an in-place call, the error (type and PyTorch's first words), and in the gradient modes the
float64 first- and second-order gradients at those edges (PyTorch's conventions: abs'(0) = 0,
clamp's boundaries, maximum's ties split in halves, xlogy at x = 0...). Seeds are fixed, so a
failure names a call that can be replayed with ``describe(seed)``."""

from __future__ import annotations

import math
import random
import warnings

import numpy as np
import pytest
from fuzz_compare import (
    assert_tensor_outcome,
    assert_tree,
    error_outcome,
    least_precise,
    tensor_outcome,
    weighted_gradient_outcomes,
)

import minitorch

SEEDS = range(700)

DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64")  # fmt: skip
FLOATS = ("float16", "bfloat16", "float32", "float64")
SHAPES = ((), (1,), (3,), (2, 3), (2, 1), (1, 3), (0,), (0, 3))
INF, NAN = math.inf, math.nan
FLOAT_POOL = (0.0, -0.0, 1.0, -1.0, INF, -INF, NAN, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 1e300,
              -1e300, 1e-300, 5e-324, 1e30, 1e-30, 100.0, 0.25, 1.5, -2.5, 7.0, 1e4)  # fmt: skip
INT_POOL = (0, 1, -1, 2, -2, 3, -3, 5, 7, -7, 8, 63, 64, 100)
UNIT = "unit"  # a marker: values in (-1, 1) and their edges (erfinv, atanh, logit...)


# ---- the ops ----------------------------------------------------------------------------------
# name: (arity, namespace, kind, keywords drawer or None)
#   namespace: "torch" (function, method, in place, out=) or "special" (torch.special only)
#   kind: "float" (the result is floating: integer operands promote), "same" (the operands'
#   promoted dtype), "int" (integral or bool operands only), "bool" (a predicate)
def _none(r):
    return {}


def _decimals(r):
    return {"decimals": r.choice([0, 1, 2, -1, 3])} if r.random() < 0.6 else {}


def _eps(r):
    return {"eps": r.choice([None, 1e-6, 0.1, 0.5, 0.6])} if r.random() < 0.6 else {}


def _rounding(r):
    return {"rounding_mode": r.choice([None, "floor", "trunc", "trunc", "floor"])}


def _nan_to_num(r):
    kw = {}
    for k, choices in (("nan", [0.0, 1.5, -2.0]), ("posinf", [1e3, 9.0]), ("neginf", [-1e3, -1.0])):  # fmt: skip
        if r.random() < 0.5:
            kw[k] = r.choice(choices)
    return kw


def _value(r):
    return {"value": r.choice([1, 2, 0.5, -1.5, 0])} if r.random() < 0.6 else {}


def _dim(r):
    return {"dim": r.choice([0, -1])}


def _softmax(r):
    kw = {"dim": r.choice([0, -1])}
    if r.random() < 0.3:
        kw["dtype"] = ("dtype", r.choice(["float32", "float64"]))
    return kw


def _group(arity: int, namespace: str, kind: str, names: str) -> dict:
    prefix = "special." if namespace == "special" else ""
    return {prefix + n: (arity, namespace, kind, _none) for n in names.split()}


TRANSCENDENTAL = ("exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt",
                  "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh",
                  "acosh", "atanh", "arcsin", "arctanh", "sigmoid", "erf", "erfc", "erfinv",
                  "lgamma", "digamma", "i0", "sinc", "reciprocal", "deg2rad", "rad2deg",
                  "angle")  # fmt: skip
SPECIAL_UNARY = ("i0e", "i1", "i1e", "ndtr", "ndtri", "log_ndtr", "erfcx", "entr", "expit",
                 "bessel_j0", "bessel_j1", "spherical_bessel_j0", "gammaln", "psi", "exp2",
                 "expm1", "log1p", "sinc", "erfinv", "i0", "digamma", "bessel_y0", "bessel_y1",
                 "modified_bessel_i0", "modified_bessel_i1", "modified_bessel_k0",
                 "modified_bessel_k1", "scaled_modified_bessel_k0", "scaled_modified_bessel_k1",
                 "airy_ai")  # fmt: skip
OPS = {
    **{n: (1, "torch", "float", _none) for n in TRANSCENDENTAL},
    **{f"special.{n}": (1, "special", "float", _none) for n in SPECIAL_UNARY},
    "logit": (1, "torch", "float", _eps),
    "special.logit": (1, "special", "float", _eps),
    "special.round": (1, "special", "same", _decimals),
    "special.softmax": (1, "special", "float", _softmax),
    "special.log_softmax": (1, "special", "float", _softmax),
    "special.logsumexp": (1, "special", "float", _dim),
    "special.multigammaln": (1, "special", "float", lambda r: {"p": r.choice([1, 2, 3])}),
    "mvlgamma": (1, "torch", "float", lambda r: {"p": r.choice([1, 2, 3])}),
    "polygamma": (1, "torch", "float", lambda r: {"n": r.choice([0, 1, 2, 3])}),
    "special.polygamma": (1, "special", "float", lambda r: {"n": r.choice([0, 1, 2])}),
    **_group(
        1,
        "torch",
        "same",
        "abs neg sign sgn square positive floor ceil trunc fix frac absolute negative",
    ),
    "round": (1, "torch", "same", _decimals),
    "nan_to_num": (1, "torch", "same", _nan_to_num),
    **_group(
        1,
        "torch",
        "bool",
        "signbit isnan isinf isfinite isposinf isneginf isreal logical_not",
    ),
    "bitwise_not": (1, "torch", "int", _none),
    "clamp": (1, "torch", "same", None),  # bounds drawn in ``case``
    "clip": (1, "torch", "same", None),
    "clamp_min": (1, "torch", "same", None),
    "clamp_max": (1, "torch", "same", None),
    **_group(
        2,
        "torch",
        "float",
        "atan2 arctan2 hypot xlogy logaddexp logaddexp2 copysign nextafter float_power "
        "true_divide ldexp",
    ),
    **_group(2, "special", "float", "xlogy xlog1py zeta gammainc gammaincc"),
    "add": (
        2,
        "torch",
        "same",
        lambda r: {"alpha": r.choice([2, -1, 0.5, True])} if r.random() < 0.5 else {},
    ),  # fmt: skip
    "rsub": (2, "torch", "same", _none),
    **_group(
        2,
        "torch",
        "same",
        "pow fmod remainder floor_divide maximum minimum fmax fmin heaviside mul sub",
    ),
    "div": (2, "torch", "same", _rounding),
    **_group(
        2,
        "torch",
        "int",
        "gcd lcm bitwise_and bitwise_or bitwise_xor bitwise_left_shift bitwise_right_shift",
    ),
    **_group(2, "torch", "bool", "logical_and logical_or logical_xor"),
    "lerp": (3, "torch", "float", _none),
    "where": (3, "torch", "same", _none),
    "addcmul": (3, "torch", "same", _value),
    "addcdiv": (3, "torch", "same", _value),
}
# the ops whose results are exactly defined (compared exactly, the sign of zeros too)
EXACT = {"abs", "neg", "sign", "sgn", "square", "positive", "floor", "ceil", "trunc", "fix",
         "frac", "absolute", "negative", "nan_to_num", "clamp", "clip", "clamp_min",
         "clamp_max", "copysign", "nextafter", "maximum", "minimum", "fmax", "fmin",
         "heaviside", "fmod", "mul", "sub", "deg2rad", "rad2deg", "round",
         "special.round", "angle", "where"}  # fmt: skip
# the ops with (some) inputs that cannot require a gradient, by position
NO_GRAD_ARGS = {"nextafter": (0, 1), "copysign": (1,), "heaviside": (0, 1), "ldexp": (1,),
                "special.zeta": (0,), "special.gammainc": (0,), "special.gammaincc": (0,),
                "fmod": (1,), "remainder": (1,), "floor_divide": (0, 1)}  # fmt: skip
# the ops whose values come from a range: their own edges included
DOMAIN = {"erfinv": UNIT, "special.erfinv": UNIT, "atanh": UNIT, "arctanh": UNIT, "asin": UNIT,
          "arcsin": UNIT, "acos": UNIT, "special.ndtri": "prob", "logit": "prob",
          "special.logit": "prob", "special.entr": "prob"}  # fmt: skip
MODES = ("value", "value", "value", "method", "inplace", "out", "grad", "grad", "grad2")


# ---- drawing a call ---------------------------------------------------------------------------
def _values_spec(r, n, dtype, domain=None):
    if dtype == "bool":
        return [r.random() < 0.5 for _ in range(n)]
    if dtype in FLOATS:
        out = []
        for _ in range(n):
            k = r.random()
            if domain == UNIT and k < 0.7:
                out.append(r.choice([0.0, -0.0, 1.0, -1.0, 0.5, -0.999, 0.9999, r.uniform(-1, 1)]))
            elif domain == "prob" and k < 0.7:
                out.append(r.choice([0.0, 1.0, 0.5, 1e-8, 0.999, r.uniform(0, 1)]))
            elif k < 0.55:
                out.append(r.choice(FLOAT_POOL))
            else:
                out.append(round(r.uniform(-4, 4), 3) if k < 0.9 else r.randint(-5, 5) * 0.5)
        return out
    info = np.iinfo(dtype)
    extremes = (int(info.min), int(info.max), int(info.min) + 1, int(info.max) - 1)
    out = []
    for _ in range(n):
        k = r.random()
        v = r.choice(INT_POOL) if k < 0.6 else r.choice(extremes) if k < 0.75 else r.randint(-20, 20)  # fmt: skip
        out.append(min(max(v, int(info.min)), int(info.max)))
    return out


def _tensor_spec(r, shape, dtype, domain=None):
    return ("t", tuple(shape), dtype, _values_spec(r, math.prod(shape), dtype, domain))


def _scalar_spec(r, kind):
    if kind == "int" or r.random() < 0.35:
        return r.choice([0, 1, -1, 2, 3, -2, 5, 64] + ([True, False] if kind == "int" else []))
    if r.random() < 0.1:
        return r.choice([True, False])
    return r.choice([0.0, -0.0, 1.0, -1.0, 0.5, 2.0, -1.5, INF, -INF, NAN, 1e300, 3.25])


def _dtype(r, kind, mode):
    if mode in ("grad", "grad2"):
        return "float64" if r.random() < 0.9 else r.choice(("float32", "float64"))
    if kind == "int":
        return r.choice(("bool", "uint8", "int8", "int16", "int32", "int64", "int64", "float32"))
    return r.choice(DTYPES + ("float32", "float64", "float64"))


def _operand(r, shape, dtype, kind, domain, first):
    """A tensor mostly; the second and third operands are sometimes Python scalars or 0-d
    tensors, or broadcast partners."""
    k = r.random()
    if not first and k < 0.2:
        return _scalar_spec(r, kind)
    if not first and k < 0.3:
        shape = ()
    elif not first and k < 0.45:
        shape = r.choice([(), (1,), shape[-1:], (1, *shape), (2, 1, 1)])
    return _tensor_spec(r, shape, dtype, domain)


def case(seed: int) -> tuple:
    """(op name, argument specs, keyword specs, mode) of call ``seed``."""
    r = random.Random(seed)
    name = sorted(OPS)[seed % len(OPS)]
    arity, ns, kind, kwfn = OPS[name]
    mode = r.choice(MODES)
    if (ns == "special" or name == "where") and mode in ("method", "inplace"):
        mode = "value"
    if kind in ("int", "bool") and mode in ("grad", "grad2"):
        mode = "value"
    dtype = _dtype(r, kind, mode)
    shape = r.choice(SHAPES)
    domain = DOMAIN.get(name)
    args = [_tensor_spec(r, shape, dtype, domain)]
    for _ in range(arity - 1):
        other = dtype if r.random() < 0.75 or mode in ("grad", "grad2") else _dtype(r, kind, mode)
        args.append(_operand(r, shape, other, kind, domain, False))
    kwargs = kwfn(r) if kwfn else {}
    if kwfn is None:  # clamp's bounds: scalars, tensors, None, min > max
        bound = lambda: (  # noqa: E731
            r.choice([None, -1, 0, 1, 0.5, -0.5, 2.5, NAN, INF])
            if r.random() < 0.6
            else _operand(r, shape, dtype if r.random() < 0.8 else "float32", kind, None, False)
        )
        if name in ("clamp_min", "clamp_max"):
            args.append(bound())
        else:
            kwargs = {k: bound() for k in ("min", "max") if r.random() < 0.8}
    if name == "where":  # where(condition, input, other): a bool condition (sometimes not)
        cond = "bool" if r.random() < 0.95 else "uint8"
        args[0] = _tensor_spec(r, r.choice([shape, shape[-1:], ()]), cond)
    elif arity == 2 and mode == "value" and isinstance(args[1], tuple) and r.random() < 0.15:
        args[0] = _scalar_spec(r, kind)  # a number first (PyTorch's Scalar-self overloads)
    return name, args, kwargs, mode


def describe(seed: int) -> str:
    name, args, kwargs, mode = case(seed)
    return f"{mode}: {name}({args}, {kwargs})"


# ---- running a call ---------------------------------------------------------------------------
def _build(T, spec, leaves, grad_positions=None, pos=0):
    if isinstance(spec, tuple) and spec and spec[0] == "t":
        _, shape, dtype, values = spec
        if dtype in FLOATS:
            t = T.tensor(values, dtype=T.float64).reshape(shape).to(getattr(T, dtype))
        else:
            t = T.tensor(values, dtype=getattr(T, dtype)).reshape(shape)
        if grad_positions is not None and pos not in grad_positions and t.is_floating_point():
            t.requires_grad_()
            leaves.append(t)
        return t
    if isinstance(spec, tuple) and spec and spec[0] == "dtype":
        return getattr(T, spec[1])
    return spec


def _namespace(T, name):
    if name.startswith("special."):
        return T.special, name[len("special.") :]
    return T, name


def _call(T, name, args, kwargs, mode):
    space, fn = _namespace(T, name)
    if name in ("polygamma", "special.polygamma"):  # polygamma(n, x): n first
        n = kwargs["n"]
        if mode == "method":
            return args[0].polygamma(n)
        return getattr(space, fn)(n, args[0])
    if name in ("mvlgamma", "special.multigammaln") and mode != "method":
        return getattr(space, fn)(args[0], kwargs["p"])
    if mode == "method":
        return getattr(args[0], fn)(*args[1:], **kwargs)
    return getattr(space, fn)(*args, **kwargs)


def run(T, seed: int) -> list:
    name, arg_specs, kw_specs, mode = case(seed)
    leaves, out = [], []
    grad_positions = NO_GRAD_ARGS.get(name, ()) if mode in ("grad", "grad2") else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            args = [_build(T, s, leaves, grad_positions, i) for i, s in enumerate(arg_specs)]
            kwargs = {k: _build(T, s, leaves) for k, s in kw_specs.items()}
            if mode == "inplace":
                space, fn = _namespace(T, name)
                result = getattr(args[0], fn + "_")(*args[1:], **kwargs)
                return [tensor_outcome(result), result is args[0]]
            if mode == "out":
                # the result's dtype, or another one (PyTorch's casting rules for out=)
                probe = _call(T, name, [a.clone() if hasattr(a, "clone") else a for a in args], kwargs, "value")  # fmt: skip
                dtype = probe.dtype if seed % 3 else getattr(T, ("float64", "int64", "float32")[seed % 7 % 3])  # fmt: skip
                target = T.empty(2, dtype=dtype)
                result = _call(T, name, args, {**kwargs, "out": target}, "value")
                return [tensor_outcome(result), result is target]
            result = _call(T, name, args, kwargs, mode)
            out.append(tensor_outcome(result))
            if mode in ("grad", "grad2") and result.requires_grad:
                out += weighted_gradient_outcomes(
                    T, result, leaves, mode == "grad2", tensor_outcome
                )
        except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
            out.append(error_outcome(e))
    return out


TOLERANCE = {"float64": (1e-9, 1e-12), "float32": (2e-5, 1e-6), "float16": (2e-3, 1e-4),
             "bfloat16": (1.6e-2, 1e-3)}  # fmt: skip


def _lowest(specs) -> str:
    """The least precise floating dtype among the operands (a float64 result computed from
    float16 operands is as precise as they are; integers promote to float32 at most, whose
    result ``out=`` may hold in float64)."""
    return least_precise(specs, FLOATS, TOLERANCE)


def same(actual, expected, where: str, exact: bool, floor: str, nan_signs=False) -> None:
    """Asserts the outcomes agree (``fuzz_compare.assert_tree``): tensors of the same dtype,
    shape and ``requires_grad``, values exactly (``exact``, for a top-level tensor: the sign of
    zeros too) or within the dtype's tolerance (NaN and infinities in the same places), errors
    of the same type whose message holds PyTorch's first words."""
    top = exact and isinstance(expected, tuple) and expected[:1] == ("tensor",)
    assert_tree(
        actual, expected, where, lambda a, e, w: _same_tensor(a, e, w, top, floor, nan_signs)
    )


def _same_tensor(actual, expected, where: str, exact: bool, floor: str, nan_signs: bool) -> None:
    # exact: also the signs of zeros and infinities (a NaN's sign bit is the machine's default
    # NaN's, except copysign's)
    tolerance = np.maximum(TOLERANCE.get(expected[1], (0.0, 0.0)), TOLERANCE[floor])
    assert_tensor_outcome(actual, expected, where, exact, tolerance, nan_signs)


def check(torch, seed: int) -> None:
    name, args, kwargs, _ = case(seed)
    floor = _lowest([*args, *kwargs.values()])
    actual, expected = run(minitorch, seed), run(torch, seed)
    assert len(actual) == len(expected), (describe(seed), actual, expected)
    for i, (a, e) in enumerate(zip(actual, expected)):  # the value exactly, if defined so
        same(a, e, f"{describe(seed)} [{i}]", name in EXACT and i == 0, floor, name == "copysign")


@pytest.mark.parametrize("seed", SEEDS)
def test_random_elementwise_call_matches_pytorch(torch, seed):
    check(torch, seed)
