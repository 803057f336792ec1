"""Random linear-algebra calls, run with real PyTorch (the oracle) and with minitorch: the
functions of ``torch.linalg`` and their older ``torch.*`` forms (products, einsum with random
subscripts, tensordot, kron, chain products; determinants, inverses, solvers of every kind;
the Cholesky, LU, QR, symmetric eigen and singular value decompositions; pinv, lstsq,
matrix_rank, norms and condition numbers of every order; matrix powers and exponentials;
cross products, diagonals, Householder products, Vandermonde matrices and distances) with
random batch shapes (empty batches and empty matrices too), dtypes (float32/float64, integer
or mixed operands for the errors), transposed (non-contiguous) operands, well-conditioned,
symmetric positive-definite, exactly singular, low-rank and non-square matrices, random
keywords (modes, UPLO, drivers, tolerances, ords...) and ``out=``. Compared: the values
(dtype, shape, numbers within a tolerance), the ``out=`` tensors, the error (type and
PyTorch's first words), and float64 gradients, first order or second order. The factors
that are unique only up to signs (eigenvectors, singular vectors, Q of QR) are compared
through invariants (reconstructions, projections, absolute values), as PyTorch's own tests
do, and so are the gradients. Seeds are fixed, so a failure names a call that can be
replayed with ``describe(seed)``."""

from __future__ import annotations

import math
import random
import warnings

import numpy as np
import pytest
from fuzz_compare import assert_arrays_close, assert_tree, gradient_outcomes

import minitorch

SEEDS = range(400)

FLOATS = ("float32", "float64", "float64")
MODES = ("value", "value", "grad", "grad", "grad2")


# ---- argument specs --------------------------------------------------------------------------
# ("m", shape, dtype, kind, transposed, requires_grad): a tensor whose values are of ``kind``
# (transposed: built with its last two dims swapped, then passed as ``.mT``); ("out", n,
# dtype): n empty tensors for ``out=`` (one tensor when n is 1); ("i", values): an int64
# tensor of these values; anything else is passed as it is.
def _m(shape, dtype, kind="normal", transposed=False, grad=True):
    transposed = transposed and len(shape) >= 2
    return ("m", tuple(shape), dtype, kind, transposed, grad)


def _dtype(r):
    k = r.random()
    if k < 0.04:
        return "int64"  # PyTorch's dtype errors (or integer products)
    return r.choice(FLOATS)


def _batch(r):
    return r.choice([(), (), (), (2,), (1,), (0,), (2, 1), (3,)])


def _n(r, low=0):
    return r.choice([n for n in (0, 1, 2, 2, 3, 3, 4) if n >= low])


def _square(r, kind="wellcond", dtype=None, low=0):
    n = _n(r, low)
    return _m((*_batch(r), n, n), dtype or _dtype(r), kind, r.random() < 0.3)


def _kind(r):
    return r.choice(["wellcond", "wellcond", "wellcond", "normal", "zerocol", "lowrank"])


def _out(r, n, dtype):
    """``out=`` for some calls: n empty tensors of ``dtype`` (rarely of another dtype)."""
    if r.random() < 0.85:
        return None
    return ("out", n, dtype if r.random() < 0.8 else r.choice(("float32", "float64", "int64")))


# ---- the calls -----------------------------------------------------------------------------
# Each generator returns (args, kwargs); "name" is the attribute path under the module
# (``linalg.svd`` or ``svd``). A kwargs entry "out" of None is dropped.
def g_products(r, name):
    dt = _dtype(r)
    dt2 = dt if r.random() < 0.9 else r.choice(FLOATS + ("int64",))
    n, k, m, b = _n(r), _n(r), _n(r), r.choice([0, 1, 2, 3])
    bad = r.random() < 0.08
    kw = {}
    if name == "mm":
        args = [_m((n, k), dt, transposed=r.random() < 0.3), _m((k + bad, m), dt2)]
    elif name == "bmm":
        args = [_m((b, n, k), dt, transposed=r.random() < 0.3), _m((b, k + bad, m), dt2)]
    elif name == "mv":
        args = [_m((n, k), dt, transposed=r.random() < 0.3), _m((k + bad,), dt2)]
    elif name in ("dot", "vdot"):
        args = [_m((k,), dt), _m((k + bad,), dt2)]
    elif name == "inner":
        args = [_m(r.choice([(), (k,), (n, k), (2, n, k)]), dt), _m(r.choice([(), (m, k + bad)]), dt2)]  # fmt: skip
    elif name == "outer":
        args = [_m((n,), dt), _m((m,), dt2)]
    elif name == "kron":
        args = [_m(r.choice([(n,), (n, k), (2, 1, n)]), dt), _m(r.choice([(m,), (m, 2)]), dt2)]
    elif name in ("addmm", "addbmm", "baddbmm", "addmv", "addr"):
        batch = () if name in ("addmm", "addmv", "addr") else (b,)
        left = (n,) if name == "addr" else (*batch, n, k)
        right = (m,) if name == "addr" else (k + bad,) if name == "addmv" else (*batch, k + bad, m)
        full = (n,) if name == "addmv" else (n, m) if name != "baddbmm" else (b, n, m)
        bias = r.choice([full, full[-1:], (1,) * len(full), ()])
        if name == "addmv" and 0 in (n, k):
            # PyTorch's addmv of an empty product returns the bias unbroadcast (shape (1,)
            # for a (4, 0) matrix), a PyTorch quirk minitorch does not copy
            bias = full
        args = [_m(bias, dt), _m(left, dt, transposed=r.random() < 0.3), _m(right, dt2)]
        if r.random() < 0.5:
            kw["beta"] = r.choice([0.0, 0.5, 1, 2.0])
        if r.random() < 0.5:
            kw["alpha"] = r.choice([0.0, -1.5, 2])
        kw["out"] = _out(r, 1, dt)
    else:  # matmul
        shapes = [(k,), (n, k), (b, n, k), (1, b, n, k), (2, 1, n, k)]
        right = [(k + bad,), (k + bad, m), (b, k + bad, m), (3, 1, k + bad, m), (1, k + bad, m)]
        args = [_m(r.choice(shapes), dt, transposed=r.random() < 0.3), _m(r.choice(right), dt2)]
    if name in ("mm", "bmm", "mv", "dot", "matmul", "outer", "kron", "inner"):
        kw["out"] = _out(r, 1, dt)
    return args, kw


def g_einsum(r, name):
    dt = _dtype(r)
    letters = "abcde"
    size = {c: r.choice([0, 1, 2, 3, 3]) for c in letters}
    ellipsis = r.random() < 0.2
    ops, specs = [], []
    for _ in range(r.choice([1, 2, 2, 2, 3])):
        sub = "".join(r.choice(letters) for _ in range(r.choice([0, 1, 2, 2, 3])))
        dims = [size[c] for c in sub]
        if ellipsis and r.random() < 0.7:
            extra = r.choice([(), (2,), (1,), (1, 2)])
            sub, dims = "..." + sub, [*extra, *dims]
        if r.random() < 0.05 and dims:
            dims[-1] += 1  # a size mismatch
        ops.append(sub)
        # (one dtype: PyTorch's einsum multiplies mixed dtypes when nothing is summed, and
        # refuses them otherwise; minitorch refuses them)
        specs.append(_m(dims, dt))
    eq = ",".join(ops)
    if r.random() < 0.6:
        seen = sorted(set("".join(ops).replace(".", "")))
        r.shuffle(seen)
        out = "".join(seen[: r.randint(0, len(seen))])
        if any("..." in o for o in ops) and r.random() < 0.8:
            out = "..." + out if r.random() < 0.5 else out + "..."
        if r.random() < 0.04:
            out += "z"  # a letter of no operand
        eq += "->" + out
    if r.random() < 0.3:
        eq = eq.replace(",", ", ")
    return [eq, *specs], {}


def g_tensordot(r, name):
    dt = _dtype(r)
    k = r.choice([0, 1, 2])
    shared = [r.choice([0, 1, 2, 3]) for _ in range(k)]
    a_extra = [r.choice([1, 2, 3]) for _ in range(r.choice([0, 1, 2]))]
    b_extra = [r.choice([1, 2, 3]) for _ in range(r.choice([0, 1]))]
    a, b = a_extra + shared, shared + b_extra
    if r.random() < 0.5:
        dims = k
    else:
        perm = list(range(k))
        r.shuffle(perm)
        dims = [[len(a_extra) + p for p in perm], [p for p in perm]]
        if r.random() < 0.5:
            dims = [[d - len(a) for d in dims[0]], dims[1]]
        if r.random() < 0.05 and k:
            b[0] += 1
    kw = {"dims": dims, "out": _out(r, 1, dt)}
    return [_m(a, dt), _m(b, dt if r.random() < 0.95 else "float32")], kw


def g_chain(r, name):
    dt = _dtype(r)
    count = r.choice([1, 2, 3, 4])
    sizes = [_n(r) for _ in range(count + 1)]
    shapes = [(sizes[i], sizes[i + 1]) for i in range(count)]
    if name == "linalg.multi_dot":
        if r.random() < 0.3:
            shapes[0] = shapes[0][1:]
        if r.random() < 0.3 and count > 1:
            shapes[-1] = shapes[-1][:1]
    if r.random() < 0.05 and count > 1:
        shapes[1] = (shapes[1][0] + 1, shapes[1][1])
    mats = [_m(s, dt if r.random() < 0.95 else "float32", transposed=r.random() < 0.2) for s in shapes]  # fmt: skip
    if name == "linalg.multi_dot":
        # (out= only for valid operands: PyTorch checks them before out='s autograd error)
        same = len({m[2] for m in mats}) == 1 and count > 1  # (checked first: no out=)
        return [mats], {"out": _out(r, 1, dt) if same else None}
    return mats, {}


def g_det(r, name):
    n = _n(r)
    shape = (*_batch(r), n, n) if r.random() < 0.93 else (*_batch(r), n, n + 1)
    kind = r.choice(["wellcond", "normal", "zerocol", "lowrank", "spd"])
    if "slogdet" in name and kind == "lowrank":
        kind = "zerocol"  # log|det| of a numerically singular matrix is rounding noise
    if name == "logdet":
        kind = r.choice(["spd", "normal", "zerocol"])
    kw = {"out": _out(r, 2 if "slogdet" in name else 1, "float64")} if "linalg" in name else {}
    return [_m(shape, _dtype(r), kind, r.random() < 0.3)], kw


def g_inv(r, name):
    n = _n(r)
    shape = (*_batch(r), n, n) if r.random() < 0.93 else (*_batch(r), n + 1, n)
    A = _m(shape, _dtype(r), r.choice(["wellcond", "wellcond", "normal", "zerocol"]), r.random() < 0.3)  # fmt: skip
    kw = {}
    if name == "linalg.inv_ex":
        kw["check_errors"] = r.random() < 0.3
        return [A], kw
    if name == "linalg.pinv" or name == "pinverse":
        A = _m(_rect(r), A[2], r.choice(["normal", "lowrank", "wellcond"]), r.random() < 0.3)
        # a low-rank matrix's tiny singular values are rounding noise: cut them off
        low = A[3] == "lowrank"
        if name == "pinverse":
            return [A], {"rcond": 1e-2 if low else r.choice([1e-15, 1e-2])} if r.random() < 0.3 or low else {}  # fmt: skip
        if r.random() < 0.3:
            kw["hermitian"] = True
            n = _n(r)
            A = _m((*_batch(r), n, n), A[2], r.choice(["sym", "spd", "lowsym"]), False)
            low = A[3] == "lowsym"
        k = r.random()
        if k < 0.2 or low and k < 0.4:
            kw["rtol"] = r.choice([1e-3, 0.5] if low else [0.0, 1e-3, 0.5])
        elif k < 0.4 or low and k < 0.9:
            kw["atol"] = r.choice([1e-3, 0.5] if low else [0.0, 1e-3, 0.5])
        elif k < 0.5 or low:
            kw["atol"], kw["rtol"] = 0.1, 0.2
        if "atol" in kw or "rtol" in kw:
            return [A], kw  # (no out=: PyTorch's float-tolerance pinv is a composite op)
    kw["out"] = _out(r, 1, A[2]) if name != "inverse" else None
    return [A], kw


def _rect(r):
    return (*_batch(r), _n(r), _n(r))


def g_solve(r, name):
    dt = _dtype(r)
    dt2 = dt if r.random() < 0.93 else r.choice(FLOATS)
    n, k = _n(r), r.choice([0, 1, 2, 3])
    batch = _batch(r)
    bbatch = batch if r.random() < 0.7 else r.choice([(), (1,), batch[1:], (2, *batch)])
    kind = r.choice(["wellcond", "wellcond", "wellcond", "zerocol", "normal"])
    A = _m((*batch, n, n + (r.random() < 0.05)), dt, kind, r.random() < 0.3)
    kw = {}
    if name in ("linalg.solve", "linalg.solve_ex"):
        left = r.random() < 0.7
        if not left:
            kw["left"] = False
        if r.random() < 0.25:
            B = _m((*batch, n + (r.random() < 0.05)), dt2)  # a vector right-hand side
        else:
            rows = n + (r.random() < 0.05)
            B = _m((*bbatch, rows, k) if left else (*bbatch, k, rows), dt2, transposed=r.random() < 0.3)  # fmt: skip
        if name == "linalg.solve_ex":
            kw["check_errors"] = r.random() < 0.3
        kw["out"] = _out(r, 1 if name == "linalg.solve" else 2, dt)
        return [A, B], kw
    if name == "linalg.solve_triangular":
        kw["upper"] = r.random() < 0.5
        left = r.random() < 0.7
        if not left:
            kw["left"] = False
        if r.random() < 0.3:
            kw["unitriangular"] = True
        B = _m((*bbatch, n, k) if left else (*bbatch, k, n), dt2, transposed=r.random() < 0.3)
        kw["out"] = _out(r, 1, dt)
        return [A, B], kw
    if name == "triangular_solve":  # (b, A)
        if r.random() < 0.5:
            kw["upper"] = r.random() < 0.5
        if r.random() < 0.3:
            kw["transpose"] = True
        if r.random() < 0.3:
            kw["unitriangular"] = True
        return [_m((*bbatch, n, k), dt2), A], kw
    # cholesky_solve(B, L, upper)
    L = _m((*batch, n, n), dt, "chol", r.random() < 0.3)
    if r.random() < 0.5:
        kw["upper"] = r.random() < 0.5
        if kw["upper"]:
            L = L[:3] + ("cholT",) + L[4:]
    kw["out"] = _out(r, 1, dt)
    return [_m((*bbatch, n, k), dt2), L], kw


def g_lu_solve(r, name):
    dt = _dtype(r)
    dt = "float64" if dt == "int64" else dt
    n, k = _n(r), r.choice([0, 1, 2])
    batch = _batch(r)
    A = _m((*batch, n, n), dt, "wellcond", r.random() < 0.3)
    kw = {}
    if name == "linalg.lu_solve":
        if r.random() < 0.3:
            kw["left"] = False
        if r.random() < 0.3:
            kw["adjoint"] = True
        B = _m((*batch, n, k) if kw.get("left", True) else (*batch, k, n), dt)
        return [("lu_factor", A), B], kw
    return [_m((*batch, n, k), dt), ("lu_factor", A)], kw  # torch.lu_solve(b, LU, pivots)


def g_cholesky(r, name):
    n = _n(r)
    shape = (*_batch(r), n, n) if r.random() < 0.95 else (*_batch(r), n, n + 1)
    kind = r.choice(["spd", "spd", "spd", "sym", "normal"])
    kw = {}
    if r.random() < 0.4:
        kw["upper"] = r.random() < 0.5
    if name == "linalg.cholesky_ex" and r.random() < 0.3:
        kw["check_errors"] = True
    if name != "cholesky":
        kw["out"] = _out(r, 1 if name == "linalg.cholesky" else 2, "float64")
    return [_m(shape, _dtype(r), kind, r.random() < 0.3)], kw


def g_cholesky_inverse(r, name):
    kw = {"upper": r.random() < 0.5} if r.random() < 0.5 else {}
    kind = "cholT" if kw.get("upper") else "chol"
    n = _n(r)
    return [_m((*_batch(r), n, n), _dtype(r), kind, r.random() < 0.3)], kw


def g_lu(r, name):
    shape = _rect(r) if r.random() < 0.6 else _square(r)[1]
    kind = r.choice(["normal", "wellcond", "zerocol"])
    dtype = _dtype(r)
    if dtype == "int64" and 0 in shape:
        dtype = "float32"  # PyTorch factors an empty integer matrix (its kernel never runs)
    kw = {}
    if name == "linalg.lu" and r.random() < 0.3:
        kw["pivot"] = r.random() < 0.5  # PyTorch: pivot=False only on CUDA
    if name == "lu":
        if r.random() < 0.4:
            kw["get_infos"] = True
    if name == "linalg.lu_factor_ex" and r.random() < 0.3:
        kw["check_errors"] = True
    return [_m(shape, dtype, kind, r.random() < 0.3)], kw


def g_lu_unpack(r, name):
    kw = {}
    if r.random() < 0.2:
        kw["unpack_data"] = False
    if r.random() < 0.2:
        kw["unpack_pivots"] = False
    return [("lu_factor", _m(_rect(r), r.choice(FLOATS), r.choice(["normal", "wellcond"])))], kw


def g_qr(r, name):
    A = _m(_rect(r), _dtype(r), r.choice(["normal", "normal", "lowrank"]), r.random() < 0.3)
    kw = {}
    if name == "linalg.qr" and r.random() < 0.7:
        kw["mode"] = r.choice(["reduced", "complete", "r", "r", "full"])
    if name == "qr" and r.random() < 0.5:
        kw["some"] = r.random() < 0.5
    if name == "linalg.qr":
        kw["out"] = _out(r, 2, A[2])
    return [A], kw


def g_eigh(r, name):
    n = _n(r)
    shape = (*_batch(r), n, n) if r.random() < 0.95 else (*_batch(r), n, n + 1)
    kw = {}
    if r.random() < 0.5:
        kw["UPLO"] = r.choice(["L", "U", "u", "l", "X"])
    kw["out"] = _out(r, 2 if name == "linalg.eigh" else 1, "float64")
    # "normal": only the UPLO triangle is read
    return [_m(shape, _dtype(r), r.choice(["sym", "spd", "normal"]), r.random() < 0.3)], kw


def g_svd(r, name):
    A = _m(_rect(r), _dtype(r), r.choice(["normal", "normal", "lowrank", "wellcond"]), r.random() < 0.3)  # fmt: skip
    kw = {}
    if name == "linalg.svd" and r.random() < 0.6:
        kw["full_matrices"] = r.random() < 0.5
    if name == "svd":
        if r.random() < 0.5:
            kw["some"] = r.random() < 0.5
        if r.random() < 0.3:
            kw["compute_uv"] = False
    if name.startswith("linalg"):
        kw["out"] = _out(r, 3 if name == "linalg.svd" else 1, A[2])
    return [A], kw


def g_lstsq(r, name):
    dt = _dtype(r)
    batch = _batch(r)
    m, n, k = _n(r, 1), _n(r, 1), r.choice([1, 2, 3])
    driver = r.choice([None, None, "gels", "gelsy", "gelsd", "gelss", "bad"])
    kind = "normal" if driver == "gels" or r.random() < 0.6 else "lowrank"
    if driver == "gels":
        m = max(m, n)  # gels: full rank, not underdetermined (LAPACK's result otherwise)
    A = _m((*batch, m, n), dt, kind, r.random() < 0.3)
    B = _m((*batch, m, k) if r.random() < 0.8 else (*batch, m), dt)
    kw = {}
    if driver is not None:
        kw["driver"] = driver
    if r.random() < 0.2 and driver not in (None, "gelsy"):
        # (not gelsy's: its rcond bounds the condition of a pivoted QR's R, not singular
        # values; minitorch cuts singular values, as gelsd and gelss do)
        kw["rcond"] = r.choice([1e-3, 0.5])
    return [A, B], kw


def g_matrix_rank(r, name):
    kw = {}
    A = _m(_rect(r), _dtype(r), r.choice(["normal", "lowrank", "lowrank", "zerocol"]), r.random() < 0.3)  # fmt: skip
    if r.random() < 0.2:
        kw["hermitian"] = True
        n = _n(r)
        A = _m((*_batch(r), n, n), A[2], r.choice(["lowsym", "spd", "sym"]), False)
    k = r.random()
    if k < 0.2:
        kw["rtol"] = r.choice([0.0, 0.1, 0.5])
    elif k < 0.4:
        kw["atol"] = r.choice([0.0, 0.1, 1.0])
    elif k < 0.5:
        kw["atol"], kw["rtol"] = 0.5, 0.1
    elif k < 0.55:
        kw["tol"] = 0.5
    kw["out"] = _out(r, 1, "int64")
    return [A], kw


ORDS = ("fro", "nuc", math.inf, -math.inf, 1, -1, 2, -2, 0, 3)


def g_norm(r, name):
    dt = r.choice(FLOATS) if r.random() < 0.95 else "int64"
    kw = {}
    if name == "linalg.matrix_norm":
        shape = (*_batch(r), _n(r), _n(r))
        if r.random() < 0.8:
            kw["ord"] = r.choice(ORDS)
        if r.random() < 0.2:
            kw["dim"] = r.choice([(0, -1), (-1, -2), (1, 1), (0,)])
    elif name == "linalg.vector_norm":
        shape = r.choice([(), (3,), (2, 3), (0, 3), (2, 0), (2, 3, 2)])
        if r.random() < 0.8:
            kw["ord"] = r.choice([2, 1, 0, math.inf, -math.inf, 3.5, -1, 0.5])
        if r.random() < 0.5 and shape:
            kw["dim"] = r.choice([0, -1, (0, -1), None])
    elif name == "linalg.cond":
        n = _n(r)
        shape = (*_batch(r), n, n) if r.random() < 0.8 else _rect(r)
        if r.random() < 0.85:
            kw["p"] = r.choice(ORDS[:8] + (None,))
    elif name == "dist":
        shape = r.choice([(3,), (2, 3), (0,)])
        other = r.choice([shape, shape[-1:], ()])
        p = r.choice([2, 1, 0, math.inf, -math.inf, 3.0])
        return [_m(shape, dt), _m(other, dt), p], {}
    else:  # linalg.norm, torch.norm
        shape = r.choice([(), (3,), (2, 3), (2, 2, 3), (0, 3), (3, 0)])
        if r.random() < 0.7:
            kw["ord" if name == "linalg.norm" else "p"] = r.choice(ORDS + (None,))
        if r.random() < 0.5:
            kw["dim"] = r.choice([0, -1, (0, 1), (-1, -2), None, (0,)])
    if name != "linalg.cond" and r.random() < 0.5:
        kw["keepdim"] = True
    if name != "linalg.cond" and r.random() < 0.1:
        kw["dtype"] = ("dtype", "float64")
    if name != "linalg.cond":
        kw["out"] = _out(r, 1, dt)
    kind = r.choice(["normal", "wellcond", "zerocol"]) if len(shape) >= 2 else "normal"
    if name == "linalg.cond" and kw.get("p") in (None, 2, -2, "nuc"):
        kind = r.choice(["normal", "wellcond"])  # a zero singular value is rounding noise
    return [_m(shape, dt, kind, r.random() < 0.2)], kw


def g_matrix_power(r, name):
    n = r.choice([-3, -2, -1, 0, 1, 2, 3, 5])
    A = _square(r, r.choice(["wellcond", "normal", "zerocol"]) if n < 0 else "normal")
    if r.random() < 0.05:
        A = _m(_rect(r), A[2])
    # (out= only for n >= 0: PyTorch's autograd error of out= names linalg_inv_ex for n < 0)
    return [A, n], {"out": _out(r, 1, A[2]) if n >= 0 else None}


def g_matrix_exp(r, name):
    A = _square(r, "normal")
    scale = r.choice([0.3, 1.0, 3.0])
    return [("scale", A, scale)], {}


def g_cross(r, name):
    dt = r.choice(FLOATS)
    shape = r.choice([(3,), (2, 3), (3, 2), (0, 3), (2, 1, 3), (4,)])
    other = shape if r.random() < 0.8 else r.choice([(1, 3), (3,), (2, 2, 3)])
    kw = {}
    if r.random() < 0.5:
        kw["dim"] = r.choice([-1, 0, 1])
    return [_m(shape, dt), _m(other, dt)], kw


def g_diagonal(r, name):
    shape = r.choice([(3, 3), (2, 4), (2, 3, 3), (0, 2), (3, 1, 2)])
    kw = {}
    if r.random() < 0.5:
        kw["offset"] = r.choice([0, 1, -1, 2, -5])
    if r.random() < 0.3:
        kw["dim1"], kw["dim2"] = r.choice([(0, 1), (-1, 0), (1, 1)])
    if name == "trace":
        shape = r.choice([(3, 3), (2, 4), (0, 2), (3,)])
        return [_m(shape, _dtype(r))], {}
    return [_m(shape, r.choice(FLOATS), transposed=r.random() < 0.3)], kw


def g_householder(r, name):
    dt = r.choice(FLOATS)
    batch = _batch(r)
    m = _n(r)
    n = r.choice([k for k in range(m + 1)] or [0])
    k = r.choice([k for k in range(n + 1)])
    if r.random() < 0.05:
        n = m + 1
    A = _m((*batch, m, n), dt, "small")
    tau = _m((*batch, k), dt if r.random() < 0.95 else "float32", "tau")
    return [A, tau], {"out": _out(r, 1, dt)}


def g_vander(r, name):
    shape = r.choice([(3,), (2, 3), (1,), (4,), ()])
    kw = {"N": r.choice([1, 2, 3, 5])} if r.random() < 0.5 else {}
    return [_m(shape, _dtype(r), "small")], kw


CDIST_MODES = ("use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist",
               "use_mm_for_euclid_dist_if_necessary")  # fmt: skip


def g_cdist(r, name):
    dt = r.choice(FLOATS)
    if name == "pdist":
        # (no empty input: PyTorch's pdist backward of 0 rows crashes the process)
        shape = (r.choice([1, 2, 3, 4]), r.choice([1, 2, 3]))
        p = r.choice([2, 1, 0, math.inf, 3.0, 0.5])
        return [_m(shape, dt, "spread"), p] if r.random() < 0.8 else [_m(shape, dt, "spread")], {}
    batch, d = _batch(r)[:1], r.choice([1, 2, 3])
    kw = {}
    if r.random() < 0.6:
        kw["p"] = r.choice([2.0, 1.0, 0.0, math.inf, 3.0, 0.5])
    if r.random() < 0.2:
        kw["compute_mode"] = r.choice(CDIST_MODES)
    a = _m((*batch, r.choice([0, 1, 2, 3]), d), dt, "spread")
    b = _m((*batch, r.choice([0, 1, 2, 4]), d + (r.random() < 0.05)), dt, "spread")
    return [a, b], kw


PRODUCTS = ("matmul", "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "kron", "addmm",
            "addbmm", "baddbmm", "addmv", "addr")  # fmt: skip
SOLVERS = ("linalg.solve", "linalg.solve_ex", "linalg.solve_triangular", "triangular_solve",
           "cholesky_solve")  # fmt: skip
NORMS = ("linalg.matrix_norm", "linalg.vector_norm", "linalg.norm", "norm", "linalg.cond", "dist")
FUNCTIONS = {
    **dict.fromkeys(PRODUCTS, g_products),
    "einsum": g_einsum,
    "tensordot": g_tensordot,
    **dict.fromkeys(("chain_matmul", "linalg.multi_dot"), g_chain),
    **dict.fromkeys(("det", "linalg.det", "slogdet", "linalg.slogdet", "logdet"), g_det),
    **dict.fromkeys(("inverse", "linalg.inv", "linalg.inv_ex", "linalg.pinv", "pinverse"), g_inv),
    **dict.fromkeys(SOLVERS, g_solve),
    **dict.fromkeys(("linalg.lu_solve", "lu_solve"), g_lu_solve),
    **dict.fromkeys(("cholesky", "linalg.cholesky", "linalg.cholesky_ex"), g_cholesky),
    "cholesky_inverse": g_cholesky_inverse,
    **dict.fromkeys(("linalg.lu", "linalg.lu_factor", "linalg.lu_factor_ex", "lu"), g_lu),
    "lu_unpack": g_lu_unpack,
    **dict.fromkeys(("linalg.qr", "qr"), g_qr),
    **dict.fromkeys(("linalg.eigh", "linalg.eigvalsh"), g_eigh),
    **dict.fromkeys(("linalg.svd", "linalg.svdvals", "svd"), g_svd),
    "linalg.lstsq": g_lstsq,
    "linalg.matrix_rank": g_matrix_rank,
    **dict.fromkeys(NORMS, g_norm),
    **dict.fromkeys(("linalg.matrix_power", "matrix_power"), g_matrix_power),
    **dict.fromkeys(("linalg.matrix_exp", "matrix_exp"), g_matrix_exp),
    **dict.fromkeys(("cross", "linalg.cross"), g_cross),
    **dict.fromkeys(("diagonal", "linalg.diagonal", "trace"), g_diagonal),
    "linalg.householder_product": g_householder,
    "linalg.vander": g_vander,
    **dict.fromkeys(("cdist", "pdist"), g_cdist),
}
NAMES = sorted(FUNCTIONS)


def case(seed: int) -> tuple:
    """(name, argument specs, keyword specs, mode) of call ``seed``."""
    r = random.Random(seed)
    name = NAMES[seed % len(NAMES)]
    args, kwargs = FUNCTIONS[name](r, name)
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    specs = [a for a in args if isinstance(a, tuple) and a[:1] == ("m",)]
    if any(0 in a[1] for a in specs) and (name in ("einsum", "matmul", "cholesky") or "lu" in name):
        # PyTorch's shortcuts for empty operands skip its dtype checks (mixed float dtypes
        # multiply, integers factor, pivot=False works on the CPU): all float32 here (the
        # gradients then are float32: compared as values only)
        args = [a[:2] + ("float32",) + a[3:] if a in specs else a for a in args]
        kwargs.pop("pivot", None)
    mode = MODES[r.randrange(len(MODES))]
    if "out" in kwargs and mode != "value" and r.random() < 0.7:
        mode = "value"  # out= with operands needing a gradient: mostly PyTorch's error
    return name, args, kwargs, _mode(name, args, kwargs, mode)


def _mode(name, args, kwargs, mode):
    """The mode, but for the calls whose gradients differ for known reasons (see below)."""
    kinds = [a[3] for a in args if isinstance(a, tuple) and a[:1] == ("m",)]
    shapes = [a[1] for a in args if isinstance(a, tuple) and a[:1] == ("m",)]
    if name in ("det", "linalg.det") and "lowrank" in kinds:
        return "value"  # whether the computed det is exactly 0 (a zero gradient) is rounding
    if name in ("svd", "linalg.svd", "linalg.svdvals", "qr", "linalg.qr") and "lowrank" in kinds:
        return "value"  # the singular vectors (Q's columns) of a zero singular value are any
    if name in ("linalg.solve_ex", "linalg.inv_ex") and "zerocol" in kinds:
        return "value"  # see SINGULAR_GRADIENTS
    if name in ("slogdet", "linalg.slogdet", "logdet", "linalg.cond") and "zerocol" in kinds:
        return "value"  # see SINGULAR_GRADIENTS
    if name in ("lu", "linalg.lu") and "zerocol" in kinds and mode == "grad2":
        return "grad"  # see SINGULAR_GRADIENTS
    if name == "addr" and len({a[2] for a in args if isinstance(a, tuple)}) > 1:
        return "value"  # PyTorch's backward of mixed dtypes raises (its mv refuses them)
    if name in ("pdist", "cdist"):
        return "value" if mode == "value" else "grad"  # see FIRST_ORDER
    if name == "dist" and 0 in shapes[0]:
        return "value"  # PyTorch's gradient of the distance of empty vectors raises
    if name == "dist" and args[2] == 0:
        return "value"  # PyTorch's derivative of the 0-"norm" (zero) raises
    if name == "linalg.cond" and kwargs.get("p") in (1, -1, math.inf, -math.inf, "fro"):
        return "value"  # PyTorch's backward raises (its inverse modified in place)
    if 0 in [d for s in shapes for d in s] and mode == "grad2":
        return "grad"  # PyTorch's first derivatives of empty tensors need a gradient
    return mode


# Divergences left (see the session's report):
# SINGULAR_GRADIENTS: the gradient of slogdet/logdet (and cond's) at an exactly singular
#   matrix: PyTorch's is inf/nan, minitorch's inverse raises; the second derivative of lu at
#   a singular matrix: PyTorch's is nan, minitorch's finite. SINGULAR_EX: solve_ex/inv_ex of
#   a singular matrix (check_errors=False): PyTorch's result is LAPACK getrs's (inf and
#   finite values), minitorch's NaN (documented); compared where info is 0.
# FIRST_ORDER: PyTorch's pdist and cdist have no second derivative ('_pdist_backward' is not
#   implemented), minitorch's do; dist of empty vectors: PyTorch's second derivative raises.


def describe(seed: int) -> str:
    name, args, kwargs, mode = case(seed)
    return f"{mode}: torch.{name}({args}, {kwargs})"


# ---- running a call --------------------------------------------------------------------------
def _values(rng, shape, kind):
    shape = tuple(shape)
    x = rng.standard_normal(shape)
    if kind == "small":
        return rng.uniform(-1, 1, shape)
    if kind == "tau":
        return rng.uniform(0, 1.5, shape)
    if kind == "spread":
        return (np.arange(math.prod(shape)) % 5).reshape(shape) + 0.3 * x
    if len(shape) < 2:
        return x
    m, n = shape[-2:]
    eye = np.eye(m, n)
    if kind == "wellcond":
        return x + (n + 1) * eye
    if kind in ("spd", "chol", "cholT"):
        a = x @ np.swapaxes(x, -1, -2) + n * eye if m == n else x
        if kind == "spd" or m != n:
            return a
        L = np.linalg.cholesky(a)
        return L if kind == "chol" else np.swapaxes(L, -1, -2)
    if kind == "sym":
        return (x + np.swapaxes(x, -1, -2)) / 2 if m == n else x
    if kind == "zerocol":
        if n:
            x[..., rng.integers(n)] = 0.0
        return x
    if kind in ("lowrank", "lowsym"):
        k = max(min(m, n) - 1, 0)
        left = rng.standard_normal((*shape[:-2], m, k))
        if kind == "lowsym" and m == n:
            return left @ np.swapaxes(left, -1, -2)
        return left @ rng.standard_normal((*shape[:-2], k, n))
    return x


def _build(T, spec, rng, leaves):
    if not isinstance(spec, tuple) or not spec or not isinstance(spec[0], str):
        if isinstance(spec, list):
            return [_build(T, s, rng, leaves) for s in spec]
        return spec
    if spec[0] == "m":
        _, shape, dtype, kind, transposed, grad = spec
        stored = (*shape[:-2], shape[-1], shape[-2]) if transposed else shape
        values = _values(rng, shape, kind)
        if transposed:
            values = np.swapaxes(values, -1, -2)
        if dtype == "int64":
            values = np.round(values * 3)
        t = T.tensor(values.reshape(stored), dtype=getattr(T, dtype))
        if grad and dtype == "float64":
            t.requires_grad_()
            leaves.append(t)
        return t.mT if transposed else t
    if spec[0] == "out":
        _, n, dtype = spec
        outs = tuple(T.empty(0, dtype=getattr(T, dtype)) for _ in range(n))
        return outs[0] if n == 1 else outs
    if spec[0] == "dtype":
        return getattr(T, spec[1])
    if spec[0] == "scale":
        return _build(T, spec[1], rng, leaves) * spec[2]
    if spec[0] == "lu_factor":
        A = _build(T, spec[1], rng, leaves)
        return T.linalg.lu_factor(A)
    return spec


def _function(T, name):
    f = T
    for part in name.split("."):
        f = getattr(f, part)
    return f


def _call(T, name, args, kwargs):
    """Calls torch.<name>; LU factors (a pair) are spread over two arguments."""
    flat = [x for a in args for x in (a if isinstance(a, tuple) else [a])]
    return _function(T, name)(*flat, **kwargs)


def _invariants(T, name, out, kwargs) -> list:
    """The results of call ``name`` as they are compared: sign-ambiguous factors through
    quantities that do not depend on the signs (and their gradients are gauge-invariant)."""
    if name == "linalg.eigh":
        w, V = out
        recon = (V * w.unsqueeze(-2)) @ V.mT
        return [w, recon, V.mT @ V]
    if name in ("linalg.svd", "svd"):
        U, S, V = out
        if name == "svd" and not kwargs.get("compute_uv", True):
            return [S, U.abs(), V.abs()]  # zeros
        Vh = V.mT if name == "svd" else V
        k = S.shape[-1]
        recon = (U[..., :k] * S.unsqueeze(-2)) @ Vh[..., :k, :]
        Uk, Vk = U[..., :k], Vh[..., :k, :]
        # signs drop out; the gradients only through the first k vectors (the others of
        # full_matrices are any basis of their space: PyTorch's backward ignores them)
        full = [(U.mT @ U).detach(), (Vh @ Vh.mT).detach()]
        return [S, recon, Uk.mT @ Uk, Vk @ Vk.mT, (Uk * S.unsqueeze(-2) ** 2) @ Uk.mT, *full]
    if name in ("linalg.qr", "qr"):
        Q, R = out
        if kwargs.get("mode") == "r":  # (PyTorch's empty Q of an empty A needs a gradient)
            return [Q.detach() if 0 in Q.shape else Q, R.abs()]
        return [Q @ R, Q.mT @ Q, R.abs()]
    if name == "lu_unpack" and kwargs.get("unpack_data") is False:
        # PyTorch's empty L and U of an empty LU need a gradient (their backward raises)
        return [out[0], out[1].detach(), out[2].detach()]
    if name in ("linalg.solve_ex", "linalg.inv_ex") and out[1].ne(0).any():
        X, info = out  # see SINGULAR_EX
        ok = info.eq(0).reshape(*info.shape, *[1] * (X.dim() - info.dim()))
        return [T.where(ok, X.detach(), 0.0), info]
    if name == "linalg.cholesky_ex" and out[1].ne(0).any():
        # the factor of a failed matrix: LAPACK's partial one in PyTorch, zeros in minitorch
        L, info = out
        return [T.where(info.eq(0)[..., None, None], L.detach(), 0.0), info]
    return list(out) if isinstance(out, tuple) else [out]


def _array(t):
    if t is None:
        return None
    if not hasattr(t, "dtype"):
        return ("value", t)
    fp = t.is_floating_point()
    try:
        values = np.array(t.detach().tolist(), dtype=float if fp else np.int64)
    except RuntimeError as e:  # PyTorch's ZeroTensor (a known-zero gradient) has no storage
        assert "unallocated storage" in str(e)
        values = np.zeros(tuple(t.shape))
    return ("tensor", str(t.dtype).split(".")[-1], tuple(t.shape), t.requires_grad, values)


def _error(e: Exception) -> tuple:
    return ("error", type(e).__name__, str(e).replace("minitorch", "torch"))


def run(T, seed: int) -> list:
    name, arg_specs, kw_specs, mode = case(seed)
    rng = np.random.default_rng(seed)
    result, leaves = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            args = [_build(T, s, rng, leaves) for s in arg_specs]
            kwargs = {k: _build(T, s, rng, leaves) for k, s in kw_specs.items()}
            out = _call(T, name, args, kwargs)
            results = _invariants(T, name, out, kw_specs)
            result.append([_array(t) for t in results])
            if "out" in kwargs:
                outs = kwargs["out"]
                outs = outs if isinstance(outs, tuple) else (outs,)
                result.append([_array(t) for t in _invariants(T, name, outs, kw_specs)])
            diffs = [t for t in results if getattr(t, "requires_grad", False)]
            if mode == "value" or not diffs or not leaves:
                return result
            total = 0
            for t in diffs:
                weights = T.tensor(np.cos(np.arange(t.numel())).reshape(tuple(t.shape)))
                total = total + (t * weights.to(t.dtype)).sum()
            result += gradient_outcomes(T, total, leaves, mode == "grad2", _array)
        except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
            result.append(_error(e))
        return result


TOLERANCE = {"float64": (1e-7, 1e-8), "float32": (2e-3, 2e-4)}


def _compare_tensor(actual, expected, where: str) -> None:
    """Tensors within their dtype's tolerance, the absolute one scaled by the largest finite
    magnitude (NaN == NaN)."""
    assert isinstance(actual, tuple) and actual[:4] == expected[:4], (where, actual, expected)
    a, e = actual[4], expected[4]
    rtol, atol = TOLERANCE.get(expected[1], TOLERANCE["float32"])
    scale = max(1.0, float(np.abs(e[np.isfinite(e)]).max(initial=0.0))) if e.dtype.kind == "f" else 1.0  # fmt: skip
    assert_arrays_close(a, e, rtol, atol * scale, where)


def same(actual, expected, where: str = "outcome") -> None:
    """Asserts the outcomes agree (errors: same type, PyTorch's first words)."""
    assert_tree(actual, expected, where, _compare_tensor)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_linalg_call_matches_pytorch(torch, seed):
    same(run(minitorch, seed), run(torch, seed), describe(seed))
