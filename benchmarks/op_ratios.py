"""Per-op speed ratios against PyTorch: finds ops that are pathologically slow (a Python loop
over elements, rows or windows; needless copies or float64 work). Each case runs at two sizes,
tiny (per-call overhead dominates) and moderate (the algorithm dominates), on one thread in
both frameworks, sampled alternately; prints one table sorted by the minitorch / PyTorch
time ratio (medians of 5 samples). On a shared machine rerun the top rows with --filter.

    python benchmarks/op_ratios.py [--filter SUBSTR] [--top N] [--budget SECONDS]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

TINY, MOD = "tiny", "mod"
CASES: dict = {}


def case(name: str):
    """Registers ``fn(t, size) -> step`` under ``name``; ``step()`` is the timed call."""

    def deco(fn):
        CASES[name] = fn
        return fn

    return deco


def _arr(shape, seed=0, positive=False, dtype=np.float32):
    a = np.random.default_rng(seed).standard_normal(shape).astype(dtype)
    return np.abs(a) + 0.1 if positive else a


def vec(t, size, positive=False, grad=False, seed=0):
    """A float32 tensor: 10 elements or 128x128."""
    shape = (10,) if size == TINY else (128, 128)
    return t.tensor(_arr(shape, seed, positive), requires_grad=grad)


def mat(t, size, seed=0, grad=False):
    """A square float32 matrix: 4x4 or 128x128."""
    n = 4 if size == TINY else 128
    return t.tensor(_arr((n, n), seed), requires_grad=grad)


def img(t, size, channels=3, grad=False):
    """An NCHW float32 batch: 1x3x6x6 or 8x3x32x32."""
    shape = (1, channels, 6, 6) if size == TINY else (8, channels, 32, 32)
    return t.tensor(_arr(shape), requires_grad=grad)


def seq(t, size, feat=8):
    """A (batch, seq, feature) float32 batch: 1x3x8 or 16x32x64."""
    shape = (1, 3, feat) if size == TINY else (16, 32, feat)
    return t.tensor(_arr(shape))


UNARY = (
    "abs neg exp exp2 expm1 log log2 log10 log1p sqrt rsqrt sin cos tan asin acos atan sinh cosh "
    "tanh asinh acosh atanh sigmoid relu erf erfc erfinv floor ceil round trunc frac sign sgn "
    "reciprocal square lgamma digamma i0 sinc deg2rad rad2deg logit nan_to_num signbit isnan "
    "isinf isfinite angle positive fix"
).split()
POSITIVE = {"log", "log2", "log10", "sqrt", "rsqrt", "lgamma", "digamma", "acosh", "reciprocal"}
UNIT = {"asin", "acos", "atanh", "erfinv", "logit"}
for _name in UNARY:

    def _unary(t, size, _name=_name):
        x = vec(t, size, positive=_name in POSITIVE)
        if _name in UNIT:
            x = x.tanh() * 0.9 if _name != "logit" else x.sigmoid()
        if _name == "acosh":
            x = x + 1
        fn = getattr(t, _name)
        return lambda: fn(x)

    case(_name)(_unary)

BINARY = (
    "add sub mul div pow maximum minimum fmax fmin atan2 hypot remainder fmod floor_divide "
    "copysign logaddexp logaddexp2 xlogy eq ne lt le gt ge isclose nextafter heaviside "
    "true_divide ldexp"
).split()
for _name in BINARY:

    def _binary(t, size, _name=_name):
        x, y = vec(t, size, positive=True), vec(t, size, positive=True, seed=1)
        fn = getattr(t, _name)
        return lambda: fn(x, y)

    case(_name)(_binary)

REDUCE = (
    "sum mean prod std var amax amin max min argmax argmin logsumexp norm median nanmedian "
    "nansum nanmean all any count_nonzero cumsum cumprod cummax cummin logcumsumexp sort argsort "
    "msort softmax log_softmax var_mean std_mean aminmax mode unique"
).split()
DIM_REDUCE = {
    "logsumexp",
    "cumsum",
    "cumprod",
    "cummax",
    "cummin",
    "logcumsumexp",
    "softmax",
    "log_softmax",
    "mode",
}
for _name in REDUCE:

    def _reduce(t, size, _name=_name):
        x = vec(t, size, positive=True)
        fn = getattr(t, _name)
        if _name in DIM_REDUCE:
            return lambda: fn(x, -1)
        if _name in {"all", "any"}:
            x = x > 0.5
        return lambda: fn(x)

    case(_name)(_reduce)

for _k in ("topk", "kthvalue"):

    @case(_k)
    def _topk(t, size, _k=_k):
        x = vec(t, size)
        fn = getattr(t, _k)
        return lambda: fn(x, 3)


@case("quantile")
def _quantile(t, size):
    x, q = vec(t, size), t.tensor([0.1, 0.5, 0.9])
    return lambda: t.quantile(x, q, dim=-1)


@case("histc")
def _histc(t, size):
    x = vec(t, size)
    return lambda: t.histc(x, bins=10)


@case("bincount")
def _bincount(t, size):
    x = t.tensor(np.random.default_rng(0).integers(0, 50, 10 if size == TINY else 16384))
    return lambda: t.bincount(x)


@case("searchsorted")
def _searchsorted(t, size):
    s = t.sort(vec(t, size).flatten()).values
    v = vec(t, size, seed=1).flatten()
    return lambda: t.searchsorted(s, v)


@case("bucketize")
def _bucketize(t, size):
    b = t.linspace(-2, 2, 20)
    x = vec(t, size)
    return lambda: t.bucketize(x, b)


@case("clamp")
def _clamp(t, size):
    x = vec(t, size)
    return lambda: t.clamp(x, -0.5, 0.5)


@case("where")
def _where(t, size):
    x, y = vec(t, size), vec(t, size, seed=1)
    return lambda: t.where(x > 0, x, y)


@case("lerp")
def _lerp(t, size):
    x, y = vec(t, size), vec(t, size, seed=1)
    return lambda: t.lerp(x, y, 0.3)


@case("addcmul")
def _addcmul(t, size):
    x, y, z = vec(t, size), vec(t, size, seed=1), vec(t, size, seed=2)
    return lambda: t.addcmul(x, y, z, value=0.5)


@case("diff")
def _diff(t, size):
    x = vec(t, size)
    return lambda: t.diff(x)


@case("cdist")
def _cdist(t, size):
    x, y = mat(t, size), mat(t, size, seed=1)
    return lambda: t.cdist(x, y)


@case("cross")
def _cross(t, size):
    n = 2 if size == TINY else 4096
    x, y = t.tensor(_arr((n, 3))), t.tensor(_arr((n, 3), 1))
    return lambda: t.linalg.cross(x, y)


@case("roll")
def _roll(t, size):
    x = vec(t, size)
    return lambda: t.roll(x, 3, 0)


@case("flip")
def _flip(t, size):
    x = vec(t, size)
    return lambda: t.flip(x, (0,))


@case("rot90")
def _rot90(t, size):
    x = mat(t, size)
    return lambda: t.rot90(x, 1, (0, 1))


@case("tril")
def _tril(t, size):
    x = mat(t, size)
    return lambda: t.tril(x)


@case("triu_indices")
def _triu_indices(t, size):
    n = 4 if size == TINY else 256
    return lambda: t.triu_indices(n, n)


@case("diag_embed")
def _diag_embed(t, size):
    x = mat(t, size)
    return lambda: t.diag_embed(x)


@case("kron")
def _kron(t, size):
    n = 2 if size == TINY else 32
    x, y = t.tensor(_arr((n, n))), t.tensor(_arr((n, n), 1))
    return lambda: t.kron(x, y)


@case("cat")
def _cat(t, size):
    x = vec(t, size)
    parts = [x] * 8
    return lambda: t.cat(parts)


@case("stack")
def _stack(t, size):
    x = vec(t, size)
    parts = [x] * 8
    return lambda: t.stack(parts)


@case("split")
def _split(t, size):
    x = vec(t, size)
    return lambda: t.split(x, 2)


@case("chunk")
def _chunk(t, size):
    x = vec(t, size)
    return lambda: t.chunk(x, 4)


@case("unbind")
def _unbind(t, size):
    x = mat(t, size)
    return lambda: t.unbind(x)


@case("gather")
def _gather(t, size):
    x = mat(t, size)
    idx = t.tensor(np.random.default_rng(0).integers(0, x.shape[1], x.shape))
    return lambda: t.gather(x, 1, idx)


@case("scatter_add")
def _scatter_add(t, size):
    x = mat(t, size)
    idx = t.tensor(np.random.default_rng(0).integers(0, x.shape[1], x.shape))
    return lambda: t.zeros_like(x).scatter_add(1, idx, x)


@case("scatter_reduce")
def _scatter_reduce(t, size):
    x = mat(t, size)
    idx = t.tensor(np.random.default_rng(0).integers(0, x.shape[1], x.shape))
    return lambda: t.zeros_like(x).scatter_reduce(1, idx, x, "amax")


@case("index_select")
def _index_select(t, size):
    x = mat(t, size)
    idx = t.tensor(np.random.default_rng(0).integers(0, x.shape[0], x.shape[0]))
    return lambda: t.index_select(x, 0, idx)


@case("index_add")
def _index_add(t, size):
    x = mat(t, size)
    idx = t.tensor(np.random.default_rng(0).integers(0, x.shape[0], x.shape[0]))
    return lambda: x.index_add(0, idx, x)


@case("index_put_accumulate")
def _index_put(t, size):
    x = mat(t, size)
    idx = t.tensor(np.random.default_rng(0).integers(0, x.shape[0], x.shape[0]))
    return lambda: x.clone().index_put_((idx,), x, accumulate=True)


@case("masked_select")
def _masked_select(t, size):
    x = vec(t, size)
    return lambda: t.masked_select(x, x > 0)


@case("masked_fill")
def _masked_fill(t, size):
    x = vec(t, size)
    m = x > 0
    return lambda: x.masked_fill(m, 0.0)


@case("nonzero")
def _nonzero(t, size):
    x = vec(t, size)
    return lambda: t.nonzero(x > 0)


@case("getitem_bool")
def _getitem_bool(t, size):
    x = vec(t, size)
    return lambda: x[x > 0]


@case("getitem_fancy")
def _getitem_fancy(t, size):
    x = mat(t, size)
    idx = t.tensor([0, 2, 1, 3])
    return lambda: x[idx, 1:]


@case("setitem_slice")
def _setitem(t, size):
    x = mat(t, size)

    def step():
        x[1:3] = 0.5

    return step


@case("unique_consecutive")
def _unique_consecutive(t, size):
    x = t.tensor(np.random.default_rng(0).integers(0, 4, 10 if size == TINY else 16384))
    return lambda: t.unique_consecutive(x, return_counts=True)


@case("unique_dim")
def _unique_dim(t, size):
    x = t.tensor(np.random.default_rng(0).integers(0, 2, (10 if size == TINY else 4096, 4)))
    return lambda: t.unique(x, dim=0)


@case("repeat_interleave")
def _repeat_interleave(t, size):
    x = vec(t, size)
    return lambda: t.repeat_interleave(x, 3)


@case("tensor_repeat")
def _repeat(t, size):
    x = mat(t, size)
    return lambda: x.repeat(2, 3)


@case("expand_contig")
def _expand(t, size):
    x = vec(t, size).reshape(1, -1)
    return lambda: x.expand(8, -1).contiguous()


@case("permute_contig")
def _permute(t, size):
    x = img(t, size)
    return lambda: x.permute(0, 2, 3, 1).contiguous()


@case("tensor_from_list")
def _from_list(t, size):
    n = 10 if size == TINY else 4096
    data = [float(i) for i in range(n)]
    return lambda: t.tensor(data)


@case("tensor_from_nested_list")
def _from_nested(t, size):
    n = 3 if size == TINY else 128
    data = [[float(i + j) for j in range(n)] for i in range(n)]
    return lambda: t.tensor(data)


@case("tolist")
def _tolist(t, size):
    x = vec(t, size)
    return lambda: x.tolist()


@case("item")
def _item(t, size):
    x = vec(t, size).sum()
    return lambda: x.item()


@case("from_numpy")
def _from_numpy(t, size):
    a = _arr((10,) if size == TINY else (128, 128))
    return lambda: t.from_numpy(a)


@case("numpy")
def _numpy(t, size):
    x = vec(t, size)
    return lambda: x.numpy()


@case("to_float64")
def _to64(t, size):
    x = vec(t, size)
    return lambda: x.to(t.float64)


@case("clone")
def _clone(t, size):
    x = vec(t, size)
    return lambda: x.clone()


FACTORIES = {
    "zeros": lambda t, s: t.zeros(s),
    "ones": lambda t, s: t.ones(s),
    "empty": lambda t, s: t.empty(s),
    "full": lambda t, s: t.full(s, 2.0),
    "eye": lambda t, s: t.eye(s[-1]),
    "arange": lambda t, s: t.arange(int(np.prod(s))),
    "linspace": lambda t, s: t.linspace(0, 1, int(np.prod(s))),
    "logspace": lambda t, s: t.logspace(0, 1, int(np.prod(s))),
    "rand": lambda t, s: t.rand(s),
    "randn": lambda t, s: t.randn(s),
    "randint": lambda t, s: t.randint(0, 10, s),
    "randperm": lambda t, s: t.randperm(int(np.prod(s))),
    "rand_float64": lambda t, s: t.rand(s, dtype=t.float64),
    "randn_float64": lambda t, s: t.randn(s, dtype=t.float64),
    "normal": lambda t, s: t.normal(0.0, 1.0, s),
    "bernoulli": lambda t, s: t.bernoulli(t.full(s, 0.5)),
    "poisson": lambda t, s: t.poisson(t.full(s, 3.0)),
    "multinomial": lambda t, s: t.multinomial(t.ones(s[-1]), s[-1] // 2, replacement=False),
    "multinomial_repl": lambda t, s: t.multinomial(t.ones(s[-1]), s[-1] * 4, replacement=True),
    "uniform_": lambda t, s: t.empty(s).uniform_(),
    "normal_": lambda t, s: t.empty(s).normal_(),
    "exponential_": lambda t, s: t.empty(s).exponential_(),
    "cauchy_": lambda t, s: t.empty(s).cauchy_(),
    "geometric_": lambda t, s: t.empty(s).geometric_(0.3),
    "log_normal_": lambda t, s: t.empty(s).log_normal_(),
    "random_": lambda t, s: t.empty(s).random_(0, 100),
    "bernoulli_": lambda t, s: t.empty(s).bernoulli_(0.3),
    "randn_like": lambda t, s: t.randn_like(t.zeros(s)),
    "dropout": lambda t, s: t.nn.functional.dropout(t.ones(s), 0.5),
}
for _name, _fn in FACTORIES.items():

    def _factory(t, size, _fn=_fn):
        shape = (10,) if size == TINY else (128, 128)
        return lambda: _fn(t, shape)

    case(_name)(_factory)


@case("matmul")
def _matmul(t, size):
    x, y = mat(t, size), mat(t, size, seed=1)
    return lambda: x @ y


@case("bmm")
def _bmm(t, size):
    b = 2 if size == TINY else 16
    n = 4 if size == TINY else 64
    x, y = t.tensor(_arr((b, n, n))), t.tensor(_arr((b, n, n), 1))
    return lambda: t.bmm(x, y)


@case("einsum")
def _einsum(t, size):
    x, y = mat(t, size), mat(t, size, seed=1)
    return lambda: t.einsum("ij,jk->ik", x, y)


@case("tensordot")
def _tensordot(t, size):
    x, y = mat(t, size), mat(t, size, seed=1)
    return lambda: t.tensordot(x, y, dims=1)


LINALG = {
    "linalg.inv": lambda t, a: t.linalg.inv(a),
    "linalg.det": lambda t, a: t.linalg.det(a),
    "linalg.slogdet": lambda t, a: t.linalg.slogdet(a),
    "linalg.solve": lambda t, a: t.linalg.solve(a, a),
    "linalg.qr": lambda t, a: t.linalg.qr(a),
    "linalg.svd": lambda t, a: t.linalg.svd(a),
    "linalg.svdvals": lambda t, a: t.linalg.svdvals(a),
    "linalg.eigh": lambda t, a: t.linalg.eigh(a @ a.mT),
    "linalg.cholesky": lambda t, a: t.linalg.cholesky(a @ a.mT + t.eye(a.shape[0])),
    "linalg.lstsq": lambda t, a: t.linalg.lstsq(a, a),
    "linalg.pinv": lambda t, a: t.linalg.pinv(a),
    "linalg.matrix_norm": lambda t, a: t.linalg.matrix_norm(a),
    "linalg.vector_norm": lambda t, a: t.linalg.vector_norm(a, 3),
    "linalg.matrix_rank": lambda t, a: t.linalg.matrix_rank(a),
    "linalg.matrix_exp": lambda t, a: t.linalg.matrix_exp(a * 0.01),
    "linalg.matrix_power": lambda t, a: t.linalg.matrix_power(a, 5),
    "linalg.lu_factor": lambda t, a: t.linalg.lu_factor(a),
    "linalg.eigvals": lambda t, a: t.linalg.eigvals(a),
    "linalg.cond": lambda t, a: t.linalg.cond(a),
    "triangular_solve": lambda t, a: t.linalg.solve_triangular(
        t.triu(a) + 10 * t.eye(a.shape[0]), a, upper=True
    ),
    "trace": lambda t, a: t.trace(a),
    "diagonal": lambda t, a: t.diagonal(a),
}
for _name, _fn in LINALG.items():

    def _linalg(t, size, _fn=_fn):
        a = mat(t, size)
        return lambda: _fn(t, a)

    case(_name)(_linalg)

SPECIAL = (
    "erfcx log_ndtr ndtr ndtri i0e i1 i1e expit logit entr gammaln digamma sinc xlog1py "
    "bessel_j0 bessel_j1 multigammaln polygamma zeta log1p round softmax"
).split()
for _name in SPECIAL:

    def _special(t, size, _name=_name):
        x = vec(t, size, positive=True)
        if _name in {"ndtri", "logit"}:
            x = x.sigmoid()
        fn = getattr(t.special, _name)
        if _name in {"xlog1py", "zeta"}:
            y = x + 1
            return lambda: fn(y, x)
        if _name == "multigammaln":
            y = x + 2
            return lambda: fn(y, 2)
        if _name == "polygamma":
            return lambda: fn(1, x)
        if _name == "softmax":
            return lambda: fn(x, -1)
        return lambda: fn(x)

    case("special." + _name)(_special)

F_ACT = (
    "relu relu6 elu selu celu gelu silu mish softplus softsign hardtanh hardswish hardsigmoid "
    "leaky_relu logsigmoid tanhshrink softshrink hardshrink glu normalize"
).split()
for _name in F_ACT:

    def _act(t, size, _name=_name):
        x = vec(t, size, grad=True)
        fn = getattr(t.nn.functional, _name)

        def step():
            fn(x).sum().backward()

        return step

    case("F." + _name + "+bw")(_act)

LAYERS = {
    "Linear": (lambda t: t.nn.Linear(64, 32), lambda t, s: seq(t, s, 64)),
    "Conv1d": (lambda t: t.nn.Conv1d(3, 8, 3, padding=1), lambda t, s: img(t, s)[:, :, 0]),
    "Conv2d": (lambda t: t.nn.Conv2d(3, 16, 3, padding=1), img),
    "Conv2d_stride2": (lambda t: t.nn.Conv2d(3, 16, 3, stride=2), img),
    "Conv2d_groups": (
        lambda t: t.nn.Conv2d(4, 8, 3, groups=4, padding=1),
        lambda t, s: img(t, s, 4),
    ),
    "Conv2d_dilation": (lambda t: t.nn.Conv2d(3, 8, 3, dilation=2, padding=2), img),
    "ConvTranspose2d": (lambda t: t.nn.ConvTranspose2d(3, 8, 3, stride=2), img),
    "ConvTranspose1d": (
        lambda t: t.nn.ConvTranspose1d(3, 8, 3, stride=2),
        lambda t, s: img(t, s)[:, :, 0],
    ),
    "Conv3d": (
        lambda t: t.nn.Conv3d(3, 4, 3, padding=1),
        lambda t, s: img(t, s).unsqueeze(2).expand(-1, -1, 4, -1, -1),
    ),
    "MaxPool2d": (lambda t: t.nn.MaxPool2d(2), img),
    "MaxPool2d_k3s1": (lambda t: t.nn.MaxPool2d(3, 1, 1), img),
    "AvgPool2d": (lambda t: t.nn.AvgPool2d(2), img),
    "AvgPool2d_k3s1p1": (lambda t: t.nn.AvgPool2d(3, 1, 1), img),
    "MaxPool1d": (lambda t: t.nn.MaxPool1d(2), lambda t, s: img(t, s)[:, :, 0]),
    "AvgPool1d": (lambda t: t.nn.AvgPool1d(3, 1, 1), lambda t, s: img(t, s)[:, :, 0]),
    "LPPool2d": (lambda t: t.nn.LPPool2d(2, 2), img),
    "AdaptiveAvgPool2d": (lambda t: t.nn.AdaptiveAvgPool2d((5, 7)), img),
    "AdaptiveMaxPool2d": (lambda t: t.nn.AdaptiveMaxPool2d((5, 7)), img),
    "AdaptiveAvgPool1d": (lambda t: t.nn.AdaptiveAvgPool1d(5), lambda t, s: img(t, s)[:, :, 0]),
    "AdaptiveMaxPool1d": (lambda t: t.nn.AdaptiveMaxPool1d(5), lambda t, s: img(t, s)[:, :, 0]),
    "MaxPool3d": (
        lambda t: t.nn.MaxPool3d(2),
        lambda t, s: img(t, s).unsqueeze(2).expand(-1, -1, 4, -1, -1),
    ),
    "AdaptiveAvgPool3d": (
        lambda t: t.nn.AdaptiveAvgPool3d(3),
        lambda t, s: img(t, s).unsqueeze(2).expand(-1, -1, 4, -1, -1),
    ),
    "FractionalMaxPool2d": (lambda t: t.nn.FractionalMaxPool2d(2, output_size=3), img),
    "BatchNorm2d": (lambda t: t.nn.BatchNorm2d(3), img),
    "BatchNorm1d": (lambda t: t.nn.BatchNorm1d(64), lambda t, s: seq(t, s, 64)[:, 0]),
    "LayerNorm": (lambda t: t.nn.LayerNorm(64), lambda t, s: seq(t, s, 64)),
    "GroupNorm": (lambda t: t.nn.GroupNorm(1, 3), img),
    "InstanceNorm2d": (lambda t: t.nn.InstanceNorm2d(3), img),
    "LocalResponseNorm": (lambda t: t.nn.LocalResponseNorm(2), img),
    "RMSNorm": (lambda t: t.nn.RMSNorm(64), lambda t, s: seq(t, s, 64)),
    "Embedding": (
        lambda t: t.nn.Embedding(100, 32),
        lambda t, s: t.randint(0, 100, (2, 5) if s == TINY else (64, 64)),
    ),
    "EmbeddingBag": (
        lambda t: t.nn.EmbeddingBag(100, 32),
        lambda t, s: t.randint(0, 100, (2, 5) if s == TINY else (64, 64)),
    ),
    "RNN": (lambda t: t.nn.RNN(8, 16, batch_first=True), seq),
    "LSTM": (lambda t: t.nn.LSTM(8, 16, batch_first=True), seq),
    "GRU": (lambda t: t.nn.GRU(8, 16, batch_first=True), seq),
    "LSTM_bidir2": (lambda t: t.nn.LSTM(8, 16, 2, batch_first=True, bidirectional=True), seq),
    "MultiheadAttention": (
        lambda t: t.nn.MultiheadAttention(64, 4, batch_first=True),
        lambda t, s: seq(t, s, 64),
    ),
    "TransformerEncoderLayer": (
        lambda t: t.nn.TransformerEncoderLayer(64, 4, 128, batch_first=True),
        lambda t, s: seq(t, s, 64),
    ),
    "Upsample_nearest": (lambda t: t.nn.Upsample(scale_factor=2), img),
    "Upsample_bilinear": (lambda t: t.nn.Upsample(scale_factor=2, mode="bilinear"), img),
    "Upsample_bicubic": (lambda t: t.nn.Upsample(scale_factor=2, mode="bicubic"), img),
    "PixelShuffle": (lambda t: t.nn.PixelShuffle(2), lambda t, s: img(t, s, 4)),
    "Unfold": (lambda t: t.nn.Unfold(3, padding=1), img),
    "Fold": (
        lambda t: t.nn.Fold((6, 6) if False else 6, 3, padding=1),
        lambda t, s: t.nn.Unfold(3, padding=1)(img(t, TINY)),
    ),
    "ZeroPad2d": (lambda t: t.nn.ZeroPad2d(2), img),
    "ReflectionPad2d": (lambda t: t.nn.ReflectionPad2d(2), img),
    "ReplicationPad2d": (lambda t: t.nn.ReplicationPad2d(2), img),
    "CircularPad2d": (lambda t: t.nn.CircularPad2d(2), img),
    "Dropout2d": (lambda t: t.nn.Dropout2d(0.3), img),
    "PReLU": (lambda t: t.nn.PReLU(3), img),
    "Softmax2d": (lambda t: t.nn.Softmax2d(), img),
    "ChannelShuffle": (lambda t: t.nn.ChannelShuffle(2), lambda t, s: img(t, s, 4)),
    "Bilinear": (lambda t: t.nn.Bilinear(8, 8, 4), lambda t, s: seq(t, s)),
}
for _name, (_make, _inp) in LAYERS.items():

    def _layer(t, size, _make=_make, _inp=_inp, _name=_name):
        t.manual_seed(0)
        m = _make(t)
        x = _inp(t, size)
        if x.is_floating_point():
            x = x.detach().clone().requires_grad_(True)

        def step():
            out = (
                m(x, x)
                if _name in {"Bilinear"}
                else m(x, x, x)
                if _name == "MultiheadAttention"
                else m(x)
            )
            out = out[0] if isinstance(out, tuple) else out
            out.sum().backward()

        return step

    case("nn." + _name + "+bw")(_layer)


def _grid_sample(t, size, mode):
    x = img(t, size, grad=True)
    g = t.tensor(_arr((x.shape[0], 5, 5, 2))).tanh()

    def step():
        t.nn.functional.grid_sample(x, g, mode=mode, align_corners=False).sum().backward()

    return step


case("F.grid_sample_bilinear+bw")(lambda t, s: _grid_sample(t, s, "bilinear"))
case("F.grid_sample_nearest+bw")(lambda t, s: _grid_sample(t, s, "nearest"))


@case("F.affine_grid")
def _affine_grid(t, size):
    theta = t.tensor(_arr((2, 2, 3)))
    shape = (2, 3, 6, 6) if size == TINY else (2, 3, 64, 64)
    return lambda: t.nn.functional.affine_grid(theta, shape, align_corners=False)


@case("F.interpolate_area")
def _interp_area(t, size):
    x = img(t, size)
    return lambda: t.nn.functional.interpolate(x, size=(5, 7), mode="area")


@case("F.interpolate_linear_1d")
def _interp_lin(t, size):
    x = img(t, size)[:, :, 0]
    return lambda: t.nn.functional.interpolate(x, scale_factor=3, mode="linear")


@case("F.one_hot")
def _one_hot(t, size):
    x = t.randint(0, 10, (10,) if size == TINY else (4096,))
    return lambda: t.nn.functional.one_hot(x, 10)


@case("F.scaled_dot_product_attention+bw")
def _sdpa(t, size):
    shape = (1, 2, 3, 8) if size == TINY else (4, 4, 64, 32)
    q = t.tensor(_arr(shape), requires_grad=True)

    def step():
        t.nn.functional.scaled_dot_product_attention(q, q, q, is_causal=True).sum().backward()

    return step


@case("F.pad_reflect_1d")
def _pad_reflect(t, size):
    x = img(t, size)[:, :, 0]
    return lambda: t.nn.functional.pad(x, (2, 2), mode="reflect")


@case("F.embedding_bag_sum")
def _embag(t, size):
    w = t.tensor(_arr((100, 16)))
    n = 10 if size == TINY else 4096
    idx = t.tensor(np.random.default_rng(0).integers(0, 100, n))
    offs = t.arange(0, n, 5)
    return lambda: t.nn.functional.embedding_bag(idx, w, offs, mode="sum")


LOSSES = {
    "mse_loss": lambda t, x, y, c: t.nn.functional.mse_loss(x, y),
    "l1_loss": lambda t, x, y, c: t.nn.functional.l1_loss(x, y),
    "smooth_l1_loss": lambda t, x, y, c: t.nn.functional.smooth_l1_loss(x, y),
    "huber_loss": lambda t, x, y, c: t.nn.functional.huber_loss(x, y),
    "cross_entropy": lambda t, x, y, c: t.nn.functional.cross_entropy(x, c),
    "cross_entropy_smooth": lambda t, x, y, c: t.nn.functional.cross_entropy(
        x, c, label_smoothing=0.1
    ),
    "cross_entropy_probs": lambda t, x, y, c: t.nn.functional.cross_entropy(x, y.softmax(-1)),
    "nll_loss": lambda t, x, y, c: t.nn.functional.nll_loss(x.log_softmax(-1), c),
    "bce_with_logits": lambda t, x, y, c: t.nn.functional.binary_cross_entropy_with_logits(
        x, y.sigmoid()
    ),
    "bce": lambda t, x, y, c: t.nn.functional.binary_cross_entropy(x.sigmoid(), y.sigmoid()),
    "kl_div": lambda t, x, y, c: t.nn.functional.kl_div(
        x.log_softmax(-1), y.softmax(-1), reduction="batchmean"
    ),
    "multi_margin_loss": lambda t, x, y, c: t.nn.functional.multi_margin_loss(x, c),
    "multilabel_margin_loss": lambda t, x, y, c: t.nn.functional.multilabel_margin_loss(
        x, (y > 0).long() * c[:, None].clamp(max=0) + (c[:, None] * 0 + 1)
    ),
    "multilabel_soft_margin": lambda t, x, y, c: t.nn.functional.multilabel_soft_margin_loss(
        x, (y > 0).float()
    ),
    "soft_margin_loss": lambda t, x, y, c: t.nn.functional.soft_margin_loss(x, y.sign()),
    "hinge_embedding": lambda t, x, y, c: t.nn.functional.hinge_embedding_loss(x, y.sign()),
    "cosine_embedding": lambda t, x, y, c: t.nn.functional.cosine_embedding_loss(
        x, y, c.float() * 2 - 1 if False else t.ones(x.shape[0])
    ),
    "margin_ranking": lambda t, x, y, c: t.nn.functional.margin_ranking_loss(
        x[:, 0], y[:, 0], t.ones(x.shape[0])
    ),
    "triplet_margin": lambda t, x, y, c: t.nn.functional.triplet_margin_loss(x, y, x.flip(0)),
    "poisson_nll": lambda t, x, y, c: t.nn.functional.poisson_nll_loss(x, y.abs()),
    "gaussian_nll": lambda t, x, y, c: t.nn.functional.gaussian_nll_loss(x, y, t.ones_like(x)),
    "ctc_loss": lambda t, x, y, c: t.nn.functional.ctc_loss(
        x[:, None, :].log_softmax(-1).expand(-1, 2, -1),
        t.ones(2, 3, dtype=t.long),
        t.tensor([x.shape[0]] * 2),
        t.tensor([3, 3]),
    ),
}
for _name, _fn in LOSSES.items():

    def _loss(t, size, _fn=_fn):
        n, k = (2, 5) if size == TINY else (256, 100)
        x = t.tensor(_arr((n, k)), requires_grad=True)
        y = t.tensor(_arr((n, k), 1))
        c = t.tensor(np.random.default_rng(0).integers(0, k, n))

        def step():
            _fn(t, x, y, c).backward()

        return step

    case("loss." + _name + "+bw")(_loss)

OPTIMS = {
    "SGD": lambda t, p: t.optim.SGD(p, lr=0.1),
    "SGD_momentum_nesterov": lambda t, p: t.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    "Adam": lambda t, p: t.optim.Adam(p, lr=1e-3),
    "AdamW": lambda t, p: t.optim.AdamW(p, lr=1e-3),
    "Adam_amsgrad": lambda t, p: t.optim.Adam(p, lr=1e-3, amsgrad=True),
    "RMSprop": lambda t, p: t.optim.RMSprop(p, lr=1e-3),
    "Adagrad": lambda t, p: t.optim.Adagrad(p, lr=1e-2),
    "Adadelta": lambda t, p: t.optim.Adadelta(p),
    "Adamax": lambda t, p: t.optim.Adamax(p),
    "NAdam": lambda t, p: t.optim.NAdam(p),
    "RAdam": lambda t, p: t.optim.RAdam(p),
    "ASGD": lambda t, p: t.optim.ASGD(p),
    "Rprop": lambda t, p: t.optim.Rprop(p),
    "LBFGS": None,
}
for _name, _make in OPTIMS.items():

    def _optim(t, size, _make=_make):
        shapes = [(4,), (3, 2)] if size == TINY else [(256, 256), (256,)] * 3
        params = [t.nn.Parameter(t.tensor(_arr(s, i))) for i, s in enumerate(shapes)]
        for p in params:
            p.grad = t.tensor(_arr(p.shape, 7)) * 0.01
        if _make is None:
            opt = t.optim.LBFGS(params, max_iter=5)

            def closure():
                opt.zero_grad()
                loss = sum((p * p).sum() for p in params)
                loss.backward()
                return loss

            return lambda: opt.step(closure)
        opt = _make(t, params)
        return opt.step

    case("optim." + _name)(_optim)

DISTS = {
    "Normal": lambda D, t, x: D.Normal(x, x.abs() + 0.5),
    "Categorical": lambda D, t, x: D.Categorical(logits=x),
    "Bernoulli": lambda D, t, x: D.Bernoulli(logits=x),
    "Beta": lambda D, t, x: D.Beta(x.abs() + 0.5, x.abs() + 1),
    "Gamma": lambda D, t, x: D.Gamma(x.abs() + 0.5, 1.0),
    "Dirichlet": lambda D, t, x: D.Dirichlet(x.abs() + 0.5),
    "Poisson": lambda D, t, x: D.Poisson(x.abs() + 1),
    "Binomial": lambda D, t, x: D.Binomial(10, logits=x),
    "MultivariateNormal": lambda D, t, x: D.MultivariateNormal(
        t.zeros(x.shape[-1]), t.eye(x.shape[-1])
    ),
    "StudentT": lambda D, t, x: D.StudentT(3.0, x, 1.0),
    "Multinomial": lambda D, t, x: D.Multinomial(10, logits=x),
    "VonMises": lambda D, t, x: D.VonMises(x, x.abs() + 1),
    "Laplace": lambda D, t, x: D.Laplace(x, 1.0),
    "Exponential": lambda D, t, x: D.Exponential(x.abs() + 0.5),
    "LogNormal": lambda D, t, x: D.LogNormal(x, 1.0),
    "RelaxedOneHotCategorical": lambda D, t, x: D.RelaxedOneHotCategorical(t.tensor(0.5), logits=x),
    "LKJCholesky": lambda D, t, x: D.LKJCholesky(4, 0.5),
    "Geometric": lambda D, t, x: D.Geometric(logits=x),
    "Kumaraswamy": lambda D, t, x: D.Kumaraswamy(x.abs() + 0.5, x.abs() + 0.5),
    "Wishart": lambda D, t, x: D.Wishart(t.tensor(6.0), t.eye(4)),
}
for _name, _make in DISTS.items():
    for _what in ("sample", "log_prob"):

        def _dist(t, size, _make=_make, _what=_what):
            t.manual_seed(0)
            x = t.tensor(_arr((2, 5) if size == TINY else (128, 128)))
            d = _make(t.distributions, t, x)
            if _what == "sample":
                return lambda: d.sample()
            v = d.sample()
            return lambda: d.log_prob(v)

        case(f"dist.{_name}.{_what}")(_dist)


@case("DataLoader_epoch")
def _dataloader(t, size):
    n = 40 if size == TINY else 4096
    ds = t.utils.data.TensorDataset(t.tensor(_arr((n, 16))), t.arange(n))
    dl = t.utils.data.DataLoader(ds, batch_size=8 if size == TINY else 64, shuffle=True)

    def step():
        for _ in dl:
            pass

    return step


@case("DataLoader_list_dataset")
def _dataloader_list(t, size):
    n = 40 if size == TINY else 2048
    ds = [(t.tensor(_arr((16,), i % 7)), i) for i in range(n)]
    dl = t.utils.data.DataLoader(ds, batch_size=8 if size == TINY else 64)

    def step():
        for _ in dl:
            pass

    return step


@case("clip_grad_norm_")
def _clip(t, size):
    shapes = [(4,), (3, 2)] if size == TINY else [(256, 256), (256,)] * 3
    params = [t.nn.Parameter(t.tensor(_arr(s, i))) for i, s in enumerate(shapes)]
    for p in params:
        p.grad = t.tensor(_arr(p.shape, 7))
    return lambda: t.nn.utils.clip_grad_norm_(params, 1.0)


@case("pad_sequence")
def _pad_sequence(t, size):
    n = 4 if size == TINY else 256
    seqs = [t.tensor(_arr((1 + i % 17, 8), i)) for i in range(n)]
    return lambda: t.nn.utils.rnn.pad_sequence(seqs, batch_first=True)


@case("pack_padded_LSTM+bw")
def _packed(t, size):
    b = 3 if size == TINY else 32
    lens = t.tensor(sorted([5 + i % 7 for i in range(b)], reverse=True))
    x = t.tensor(_arr((b, 12, 8)), requires_grad=True)
    t.manual_seed(0)
    lstm = t.nn.LSTM(8, 16, batch_first=True)

    def step():
        p = t.nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True)
        out, _ = lstm(p)
        t.nn.utils.rnn.pad_packed_sequence(out, batch_first=True)[0].sum().backward()

    return step


def _inner(step, budget: float) -> int:
    """Calls of ``step`` per sample so that a sample lasts about budget/5 (after a warm-up)."""
    step()
    t0 = time.perf_counter()
    step()
    return max(1, int(budget / 5 / max(time.perf_counter() - t0, 1e-7)))


def _sample(step, inner: int) -> float:
    t0 = time.perf_counter()
    for _ in range(inner):
        step()
    return (time.perf_counter() - t0) / inner


def _time_pair(mt_step, pt_step, budget: float) -> tuple:
    """Median seconds per call of each step over 5 samples taken alternately (A B A B ...),
    so that load from other processes hits both alike."""
    inner = _inner(mt_step, budget), _inner(pt_step, budget)
    samples: tuple = ([], [])
    for _ in range(5):
        for k, step in enumerate((mt_step, pt_step)):
            samples[k].append(_sample(step, inner[k]))
    return statistics.median(samples[0]), statistics.median(samples[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--filter", default="", help="only cases whose name contains this")
    parser.add_argument("--top", type=int, default=0, help="print only the N worst ratios")
    parser.add_argument("--budget", type=float, default=0.01, help="seconds per measurement")
    args = parser.parse_args()

    import warnings

    import torch
    from threadpoolctl import threadpool_limits

    import minitorch

    warnings.filterwarnings("ignore")
    torch.set_num_threads(1)
    minitorch.set_num_threads(1)
    rows, failed = [], []
    with threadpool_limits(1):
        for name, make in CASES.items():
            if args.filter not in name:
                continue
            for size in (TINY, MOD):
                try:
                    pt_step = make(torch, size)
                    pt_step()
                except Exception:  # noqa: BLE001 - a case PyTorch itself refuses is skipped
                    continue
                try:
                    mt_step = make(minitorch, size)
                    mt_step()
                except Exception as exc:  # noqa: BLE001 - a benchmark reports, never stops
                    failed.append(f"{name}[{size}]: {type(exc).__name__}: {str(exc)[:80]}")
                    continue
                mt, pt = _time_pair(mt_step, pt_step, args.budget)
                rows.append((mt / pt, name, size, mt, pt))
    rows.sort(reverse=True)
    if args.top:
        rows = rows[: args.top]
    print(f"{'ratio':>8}  {'case':<40} {'size':<5} {'minitorch us':>13} {'pytorch us':>11}")
    for ratio, name, size, mt, pt in rows:
        print(f"{ratio:8.1f}  {name:<40} {size:<5} {mt * 1e6:13.1f} {pt * 1e6:11.1f}")
    for line in failed:
        print("minitorch failed:", line)


if __name__ == "__main__":
    main()
