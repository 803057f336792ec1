"""Session 7 compatibility sweep of printing: short programs that build what users print
(tensors of every dtype and size, print options, suffixes, return types, module, optimizer,
scheduler, distribution and finfo reprs), run with real PyTorch (the oracle) and with
minitorch. Each returns the printed text; minitorch's must be PyTorch's with ``minitorch``
read as ``torch``."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def _printed(torch, *values, **options) -> list[str]:
    """``repr`` and ``str`` of each value under ``set_printoptions(**options)``."""
    torch.set_printoptions(**options)
    try:
        return [text for v in values for text in (repr(v), str(v))]
    finally:
        torch.set_printoptions(profile="default")


# ---- tensors of every dtype and size ------------------------------------------------------
@program
def every_dtype_small(torch):
    dtypes = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
              torch.float16, torch.float32, torch.float64]  # fmt: skip
    x = torch.tensor([[0, 1, -2], [3, 4, 5]])
    return _printed(torch, *[x.to(d) for d in dtypes])


@program
def every_dtype_zero_d_and_empty(torch):
    dtypes = [torch.bool, torch.uint8, torch.int8, torch.int32, torch.int64, torch.float16,
              torch.float32, torch.float64]  # fmt: skip
    out = []
    for d in dtypes:
        out += _printed(torch, torch.tensor(3, dtype=d), torch.zeros(0, dtype=d),
                        torch.zeros(2, 0, 3, dtype=d))  # fmt: skip
    return out


@program
def three_d_float(torch):
    return _printed(torch, torch.arange(24.0).reshape(2, 3, 4) / 7)


@program
def four_d_int(torch):
    return _printed(torch, torch.arange(36).reshape(3, 2, 2, 3) - 10)


@program
def large_summarised(torch):
    return _printed(torch, torch.arange(2000.0), torch.arange(3000).reshape(30, 100),
                    torch.randn(20, 20, 20), torch.ones(1001, dtype=torch.bool))  # fmt: skip


@program
def summarised_float16_and_int8(torch):
    return _printed(torch, torch.linspace(-3, 3, 1500).half(),
                    (torch.arange(1200) % 200 - 100).to(torch.int8))  # fmt: skip


@program
def integers_in_floats(torch):
    return _printed(torch, torch.tensor([1.0, 2.0, -3.0]), torch.tensor([100.0, 2e5]),
                    torch.tensor([[1e9, 2.0]]), torch.tensor(5.0), torch.tensor([0.0, -0.0]))  # fmt: skip


@program
def scientific_mode(torch):
    return _printed(torch, torch.tensor([1e-5, 1.0]), torch.tensor([1e10, 3.0]),
                    torch.tensor([0.001, 12.0, 5000.0]), torch.tensor([1.5e-8, -2.5e-7]),
                    torch.tensor(1e-10), torch.tensor([123456789.0]), torch.tensor(1e20, dtype=torch.float64))  # fmt: skip


@program
def negative_zero_inf_nan(torch):
    inf, nan = float("inf"), float("nan")
    return _printed(torch, torch.tensor([-0.0, 1.5]), torch.tensor([inf, -inf, nan]),
                    torch.tensor([inf, 1.0, -2.0]), torch.tensor([nan, 0.5, 1e-6]),
                    torch.tensor([inf, 1e10, 2.0]), torch.tensor(nan), torch.tensor(-inf),
                    torch.tensor([-0.0]))  # fmt: skip


@program
def mixed_magnitudes_float64(torch):
    x = torch.tensor([[1.123456789, -22.5, 333.0], [0.5, 1e-3, 7.0]], dtype=torch.float64)
    return _printed(torch, x, x * 1e6, x * 1e-6)


@program
def long_row_wraps(torch):
    return _printed(torch, torch.arange(40.0) / 3, torch.arange(60), torch.randn(2, 30),
                    torch.arange(100, dtype=torch.int64) * 123456)  # fmt: skip


@program
def non_contiguous_views(torch):
    x = torch.arange(24.0).reshape(4, 6)
    return _printed(torch, x.t(), x[:, ::2], x.T[1:], x.unsqueeze(0).expand(2, 4, 6)[:, 1])


@program
def negative_small_values(torch):
    return _printed(torch, torch.tensor([-0.1234567, 0.5]), torch.tensor([-1.0, -0.5]),
                    torch.tensor([[-1e-4, 1e-4]]))  # fmt: skip


# ---- print options ------------------------------------------------------------------------
@program
def precision_option(torch):
    x = torch.tensor([3.14159265, -2.718281828, 1e-3])
    return _printed(torch, x, precision=2) + _printed(torch, x, precision=8)


@program
def threshold_and_edgeitems(torch):
    x = torch.arange(30.0).reshape(5, 6)
    return (_printed(torch, x, threshold=10) + _printed(torch, x, threshold=10, edgeitems=1)
            + _printed(torch, torch.arange(20), threshold=5, edgeitems=4))  # fmt: skip


@program
def linewidth_option(torch):
    x = torch.arange(30.0) / 7
    return _printed(torch, x, linewidth=30) + _printed(torch, x, linewidth=200)


@program
def sci_mode_forced(torch):
    x = torch.tensor([1.0, 2.5, 100.0])
    y = torch.tensor([1e-8, 1.0])
    return _printed(torch, x, y, sci_mode=True) + _printed(torch, x, y, sci_mode=False)


@program
def profiles(torch):
    x = torch.arange(1200.0).reshape(40, 30) / 3
    return _printed(torch, x, profile="short") + _printed(torch, x[:3, :3], profile="full")


@program
def sci_mode_int_tensor(torch):
    return _printed(torch, torch.arange(5), torch.tensor([1.0, 2.0]), sci_mode=True)


# ---- suffixes -----------------------------------------------------------------------------
@program
def requires_grad_and_grad_fn_suffixes(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    return _printed(torch, a, a * 2, a + 1, a.sum(), a.mean(), b.exp(), b[0], a.view(2, 1),
                    a.relu(), torch.matmul(a, a), a.t(), a.reshape(1, 2), a.unsqueeze(0),
                    a.pow(2), a / 3, -a, a.sigmoid(), a.tanh())  # fmt: skip


@program
def grad_fn_names_common(torch):
    a = torch.randn(2, 3, requires_grad=True)
    w = torch.randn(3, 4, requires_grad=True)
    return [str(t.grad_fn.name()) for t in (a @ w, a.mm(w), a.sum(0), a.max(), a.softmax(-1),
            torch.cat([a, a]), torch.stack([a, a]), a.transpose(0, 1), a.permute(1, 0),
            a.log_softmax(1), a.abs(), a.clamp(0, 1), a.squeeze(), a.expand(2, 2, 3),
            a.norm(), a[:, 1], a.flatten(), a.std(), a.var(), torch.where(a > 0, a, 0.0))]  # fmt: skip


@program
def grad_fn_nn_functional(torch):
    F = torch.nn.functional
    x = torch.randn(2, 3, 5, 5, requires_grad=True)
    w = torch.randn(4, 3, 3, 3, requires_grad=True)
    lin = torch.randn(5, 5, requires_grad=True)
    t = torch.tensor([1, 0])
    return [repr(y.grad_fn).split(" object")[0] for y in (
        F.conv2d(x, w), F.linear(x, lin), F.relu(x), F.gelu(x), F.dropout(x, 0.0),
        F.cross_entropy(x.sum((2, 3)), t), F.mse_loss(x, x.detach()), F.layer_norm(x, (5,)),
        F.batch_norm(x, None, None, training=True), F.embedding(t, lin))]  # fmt: skip


@program
def dtype_suffixes(torch):
    return _printed(torch, torch.ones(2, dtype=torch.float64, requires_grad=True),
                    torch.ones(2, dtype=torch.int32), torch.ones(2, dtype=torch.float16),
                    torch.tensor([True]), torch.tensor(1, dtype=torch.uint8),
                    torch.zeros(0, 3, dtype=torch.int16))  # fmt: skip


@program
def leaf_after_backward_and_detach(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    (a * a).sum().backward()
    with torch.no_grad():
        b = a * 2
    return _printed(torch, a.grad, a.detach(), b, a.data)


@program
def parameter_repr(torch):
    p = torch.nn.Parameter(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    q = torch.nn.Parameter(torch.tensor([1.0]), requires_grad=False)
    r = torch.nn.Parameter(torch.tensor([1.0], dtype=torch.float64))
    return _printed(torch, p, q, r, p * 2, p[0], torch.nn.Parameter(torch.zeros(0)))


# ---- scalar types, size, dtype, device ----------------------------------------------------
@program
def size_dtype_device(torch):
    x = torch.zeros(2, 3, 4)
    return [repr(x.shape), str(x.shape), repr(x.size(1)), repr(torch.Size([])),
            repr(torch.Size([5])), repr(x.shape[1:]), repr(x.dtype), str(torch.int64),
            repr(torch.float16), repr(x.device), str(x.device), repr(torch.device("cpu")),
            repr(torch.device("cuda", 1)), str(torch.device("cuda:0")), repr(torch.bool),
            repr(torch.float), repr(torch.long), repr(torch.double), repr(torch.half)]  # fmt: skip


@program
def format_specs_on_zero_d(torch):
    t = torch.tensor(3.14159)
    i = torch.tensor(7)
    return [f"{t:.3f}", f"{t:8.2f}", f"{t:e}", f"{i:d}", f"{i:>5}", f"{t}", f"{i}",
            f"{torch.tensor(0.25):.2%}", format(t), f"{t.item():.4f}",
            f"{torch.tensor(True)}", f"{torch.tensor(2.5, dtype=torch.float64):.1f}"]  # fmt: skip


@program(raises="unsupported format string|Unsupported format")
def format_spec_on_vector_raises(torch):
    return f"{torch.tensor([1.0, 2.0]):.2f}"


@program
def tolist_and_item_printed(torch):
    x = torch.tensor([[1.5, 2.0], [3.0, -0.0]])
    return [str(x.tolist()), str(x[0, 0].item()), repr(torch.tensor(3).item()),
            str(torch.tensor([True, False]).tolist()), str(torch.tensor(0.1).item()),
            str(torch.tensor(0.1, dtype=torch.float64).item()), str(torch.arange(3).tolist()),
            str(torch.tensor(2.5, dtype=torch.float16).item()), repr(torch.tensor(1e-8).item())]  # fmt: skip


@program
def finfo_iinfo(torch):
    return [repr(torch.finfo(torch.float32)), repr(torch.finfo(torch.float16)),
            repr(torch.finfo(torch.float64)), repr(torch.finfo()), repr(torch.iinfo(torch.int32)),
            repr(torch.iinfo(torch.uint8)), repr(torch.iinfo(torch.int64)),
            str(torch.finfo(torch.float32).eps), str(torch.iinfo(torch.int8).max),
            repr(torch.finfo(torch.bfloat16))]  # fmt: skip


# ---- return types -------------------------------------------------------------------------
@program
def return_types_reduction(torch):
    x = torch.tensor([[3.0, 1.0, 2.0], [0.5, 4.0, -1.0]])
    return _printed(torch, x.max(1), x.min(0), x.sort(1), x.topk(2), x.median(1), x.mode(1),
                    x.kthvalue(2, 1), torch.max(x, 1, keepdim=True), x.cummax(1), x.aminmax(),
                    torch.std_mean(x, 1), torch.var_mean(x))  # fmt: skip


@program
def return_types_linalg(torch):
    a = torch.tensor([[2.0, 1.0], [1.0, 3.0]], dtype=torch.float64)
    return [type(r).__name__ + " " + repr(r).split("(")[0] for r in (
        torch.linalg.svd(a), torch.linalg.slogdet(a), torch.linalg.eigh(a), torch.linalg.qr(a),
        torch.linalg.lu_factor(a), torch.linalg.lu(a), torch.linalg.inv_ex(a),
        torch.linalg.cholesky_ex(a), torch.svd(a), torch.slogdet(a), torch.lu_unpack(*torch.linalg.lu_factor(a)),
        torch.frexp(a), torch.histogram(a.float(), 3), torch.unique_consecutive(a))] + _printed(torch, torch.linalg.slogdet(a))  # fmt: skip


# ---- modules -------------------------------------------------------------------------------
@program
def conv_reprs(torch):
    nn = torch.nn
    return [repr(m) for m in (
        nn.Conv2d(3, 16, 3), nn.Conv2d(3, 16, (3, 5), stride=2, padding=1, dilation=2, groups=1, bias=False),
        nn.Conv2d(4, 8, 3, padding="same", padding_mode="reflect", groups=4),
        nn.Conv1d(2, 4, 5, stride=3, padding=2, padding_mode="circular"),
        nn.Conv3d(1, 2, (1, 2, 3), padding="valid"), nn.ConvTranspose2d(4, 2, 3, stride=2, output_padding=1),
        nn.ConvTranspose1d(2, 2, 3, dilation=2, bias=False), nn.Conv2d(2, 2, 1, padding=(1, 0)),
        nn.LazyLinear(4), nn.Unfold(2), nn.Fold((4, 4), 2))]  # fmt: skip


@program
def norm_and_activation_reprs(torch):
    nn = torch.nn
    return [repr(m) for m in (
        nn.BatchNorm2d(8, momentum=None), nn.BatchNorm1d(4, eps=1e-3, affine=False, track_running_stats=False),
        nn.LayerNorm(10), nn.LayerNorm((3, 4), elementwise_affine=False, bias=False), nn.GroupNorm(2, 4),
        nn.InstanceNorm2d(3, affine=True), nn.LocalResponseNorm(3), nn.ReLU(), nn.ReLU(inplace=True),
        nn.LeakyReLU(0.2), nn.ELU(alpha=0.5), nn.GELU(approximate="tanh"), nn.Softmax(dim=1),
        nn.LogSoftmax(-1), nn.Hardtanh(-2, 2), nn.PReLU(3), nn.Softplus(beta=2), nn.Threshold(0.1, 20),
        nn.Dropout(0.3), nn.Dropout2d(), nn.AlphaDropout(0.2), nn.Identity(), nn.Flatten(), nn.Unflatten(1, (2, 5)),
        nn.Tanh(), nn.Sigmoid(), nn.SiLU(), nn.Mish(), nn.Hardswish(), nn.CELU(), nn.SELU(), nn.RMSNorm(4),
        nn.Softmin(0), nn.Softmax2d(), nn.GLU(), nn.Hardshrink(), nn.Softsign(), nn.Tanhshrink(),
        nn.RReLU(0.1, 0.3), nn.CosineSimilarity(), nn.PairwiseDistance(), nn.ChannelShuffle(2))]  # fmt: skip


@program
def pooling_padding_reprs(torch):
    nn = torch.nn
    return [repr(m) for m in (
        nn.MaxPool2d(2), nn.MaxPool2d(3, stride=1, padding=1, ceil_mode=True, return_indices=True),
        nn.AvgPool2d(2, count_include_pad=False), nn.AdaptiveAvgPool2d((1, 1)), nn.AdaptiveMaxPool1d(4),
        nn.MaxPool1d(2), nn.AvgPool1d(3), nn.AdaptiveAvgPool2d(7), nn.ZeroPad2d(2), nn.ReflectionPad1d((1, 2)),
        nn.ConstantPad2d(1, 3.5), nn.ReplicationPad2d(1), nn.Upsample(scale_factor=2, mode="nearest"),
        nn.Upsample(size=(4, 4), mode="bilinear", align_corners=True), nn.PixelShuffle(2), nn.LPPool2d(2, 3),
        nn.MaxUnpool2d(2), nn.AvgPool3d(2), nn.CircularPad1d(1), nn.FractionalMaxPool2d(2, output_size=3))]  # fmt: skip


@program
def linear_embedding_loss_reprs(torch):
    nn = torch.nn
    return [repr(m) for m in (
        nn.Linear(3, 4), nn.Linear(3, 4, bias=False), nn.Bilinear(2, 3, 4), nn.Embedding(10, 3),
        nn.Embedding(10, 3, padding_idx=0, max_norm=1.0), nn.EmbeddingBag(10, 3, mode="sum"),
        nn.CrossEntropyLoss(), nn.CrossEntropyLoss(label_smoothing=0.1), nn.MSELoss(reduction="sum"),
        nn.NLLLoss(ignore_index=3), nn.BCEWithLogitsLoss(), nn.SmoothL1Loss(beta=0.5), nn.HuberLoss(),
        nn.KLDivLoss(reduction="batchmean"), nn.L1Loss(), nn.CTCLoss(), nn.TripletMarginLoss())]  # fmt: skip


@program
def recurrent_reprs(torch):
    nn = torch.nn
    return [repr(m) for m in (
        nn.LSTM(10, 20), nn.LSTM(10, 20, num_layers=2, batch_first=True, dropout=0.1, bidirectional=True),
        nn.LSTM(4, 8, proj_size=2, bias=False), nn.GRU(3, 5, 2), nn.RNN(3, 5, nonlinearity="relu"),
        nn.LSTMCell(3, 4), nn.GRUCell(3, 4, bias=False), nn.RNNCell(3, 4, nonlinearity="relu"))]  # fmt: skip


@program
def attention_transformer_reprs(torch):
    nn = torch.nn
    return [repr(m) for m in (
        nn.MultiheadAttention(8, 2), nn.MultiheadAttention(8, 2, kdim=4, vdim=6, batch_first=True),
        nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True),
        nn.TransformerDecoderLayer(8, 2, 16, norm_first=True, activation="gelu"),
        nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), num_layers=2, enable_nested_tensor=False),
        nn.Transformer(8, 2, 1, 1, 16))]  # fmt: skip


@program
def container_reprs(torch):
    nn = torch.nn
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Linear(3, 3), nn.Tanh()))
    named = nn.Sequential(__import__("collections").OrderedDict(fc=nn.Linear(1, 2), act=nn.ReLU()))
    ml = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)] + [nn.ReLU(), nn.ReLU()])
    md = nn.ModuleDict({"enc": nn.Linear(2, 2), "dec": nn.ModuleList([nn.ReLU()])})
    return [repr(m) for m in (seq, named, ml, md, nn.Sequential(), nn.ModuleList(), nn.ModuleDict(),
            nn.Sequential(*[nn.Linear(2, 2) for _ in range(4)], nn.ReLU(), nn.Linear(2, 2)),
            nn.Sequential(nn.ReLU(), nn.ReLU(), nn.Linear(2, 2), nn.ReLU(), nn.ReLU()))]  # fmt: skip


@program
def parameter_containers(torch):
    nn = torch.nn
    pl = nn.ParameterList(
        [nn.Parameter(torch.ones(2, 3)), nn.Parameter(torch.zeros(4, dtype=torch.float64))]
    )
    pd = nn.ParameterDict(
        {
            "a": nn.Parameter(torch.ones(3)),
            "b": nn.Parameter(torch.ones(1, 2, requires_grad=False), requires_grad=False),
        }
    )

    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.params = pl
            self.lin = nn.Linear(2, 2)

    return [repr(pl), repr(pd), repr(M()), repr(nn.ParameterList()), repr(nn.ParameterDict())]


@program
def custom_module_extra_repr(torch):
    nn = torch.nn

    class Block(nn.Module):
        def __init__(self, n):
            super().__init__()
            self.n = n
            self.fc = nn.Linear(n, n)
            self.register_buffer("scale", torch.ones(n))

        def extra_repr(self):
            return f"n={self.n}"

    class Empty(nn.Module):
        pass

    class Multi(nn.Module):
        def extra_repr(self):
            return "a=1,\nb=2"

    return [repr(Block(3)), repr(Empty()), repr(Multi()), repr(nn.Sequential(Block(2), Multi()))]


# ---- optimizers, schedulers, data, distributions -------------------------------------------
@program
def optimizer_reprs(torch):
    w = [torch.nn.Parameter(torch.ones(2))]
    b = [torch.nn.Parameter(torch.ones(2))]
    o = torch.optim
    return [repr(opt) for opt in (
        o.SGD(w, lr=0.1), o.SGD(w, lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4),
        o.Adam(w), o.Adam([{"params": w}, {"params": b, "lr": 1e-4}], lr=1e-3, amsgrad=True),
        o.AdamW(w, lr=3e-4, betas=(0.9, 0.95)), o.RMSprop(w), o.Adagrad(w), o.Adadelta(w),
        o.Adamax(w), o.NAdam(w), o.RAdam(w), o.ASGD(w), o.Rprop(w), o.LBFGS(w))]  # fmt: skip


@program
def optimizer_repr_after_scheduler(torch):
    w = [torch.nn.Parameter(torch.ones(2))]
    opt = torch.optim.SGD(w, lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, 2)
    sched.step()
    return [repr(opt), str(sched.get_last_lr()), type(sched).__name__, str(sched.state_dict())]


@program
def data_reprs(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(6.0), torch.arange(6))
    return [
        repr(ds[0]),
        str(list(torch.utils.data.DataLoader(ds, batch_size=4))),
        repr(torch.utils.data.default_collate([(1, 2.0), (3, 4.0)])),
    ]


@program
def distribution_reprs(torch):
    D = torch.distributions
    return [repr(d) for d in (
        D.Normal(0.0, 1.0), D.Normal(torch.zeros(2), torch.ones(2)), D.Bernoulli(probs=0.3),
        D.Bernoulli(logits=torch.tensor([0.0, 1.0])), D.Categorical(torch.tensor([0.2, 0.8])),
        D.Uniform(0.0, 2.0), D.Beta(2.0, 3.0), D.Gamma(torch.tensor([1.0]), 2.0), D.Exponential(1.5),
        D.MultivariateNormal(torch.zeros(2), torch.eye(2)), D.Poisson(3.0), D.Laplace(0.0, 1.0),
        D.Independent(D.Normal(torch.zeros(3), 1.0), 1), D.Dirichlet(torch.ones(3)),
        D.OneHotCategorical(torch.tensor([0.5, 0.5])), D.Binomial(10, torch.tensor(0.5)),
        D.Normal(torch.zeros(20), 1.0))]  # fmt: skip


# ---- batch 2: defaults, grad_fn of in-place and custom ops, errors users print -------------
@program
def default_dtype_float64_suffixes(torch):
    torch.set_default_dtype(torch.float64)
    try:
        return _printed(torch, torch.tensor([1.5, 2.0]), torch.ones(2, dtype=torch.float32),
                        torch.tensor([1, 2]), torch.zeros(0), torch.tensor(2.0, requires_grad=True),
                        torch.tensor([1e-8, 1.0])) + [repr(torch.get_default_dtype())]  # fmt: skip
    finally:
        torch.set_default_dtype(torch.float32)


@program
def grad_fn_in_place_and_slices(torch):
    a = torch.randn(2, 3, requires_grad=True)
    b = a.clone()
    c = a * 1
    c.add_(1)
    d = a.clone()
    d[0] = 5.0
    e = a.clone()
    e.mul_(2).relu_()
    f = a.detach().clone().requires_grad_()
    g = a[0].clone()
    g.zero_()
    return [repr(t).split("grad_fn=")[-1] for t in (b, c, d, e, g)] + _printed(torch, f)


@program
def grad_fn_custom_function(torch):
    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = Square.apply(x)
    return _printed(torch, y, y.sum()) + [str(y.grad_fn.name())]


@program
def grad_fn_more_ops(torch):
    a = torch.rand(2, 3, requires_grad=True)
    return [y.grad_fn.name() for y in (
        a.exp(), a.log(), a.sqrt(), a.sin(), a - 1, 1 - a, a / a, a ** 2, 2 ** a, a.mean(1),
        a.prod(), a.cumsum(1), a.sum(), a.amax(1), a.min(), a.argmax(1, keepdim=True).float() + a,
        a.split(1)[0], a.chunk(3, 1)[1], a.unbind()[0], a.narrow(1, 0, 2), a.repeat(2, 1),
        a.index_select(1, torch.tensor([0])), a.gather(1, torch.tensor([[0], [1]])), a.masked_fill(a > 0.5, 0),
        a.reshape(3, 2), a.view(-1), a.contiguous().view(6), a.double(), a.to(torch.float64),
        a.type(torch.float64), torch.nn.functional.softplus(a), a.maximum(a), a.lerp(a, 0.5),
        a.addmm(a.t(), a) if False else a.tril(), a.flip(0), a.roll(1), a.diag_embed(), a.triu(1))]  # fmt: skip


@program
def item_and_conversion_printed(torch):
    x = torch.tensor(2.75)
    return [repr(float(x)), repr(int(x)), repr(bool(torch.tensor(0))), "%d" % torch.tensor(3),  # noqa: UP031
            "%.2f" % torch.tensor(1.5),  # noqa: UP031
            f"{torch.tensor(7):.2f}", repr(x.item()),
            repr(torch.tensor(5, dtype=torch.int8).item()), repr(torch.tensor(True).item()),
            repr(torch.tensor([[1]]).item()), str(torch.tensor([1.0, 2.0]).numpy()),
            hex(torch.tensor(255)), repr([1, 2, 3][torch.tensor(1)])]  # fmt: skip


@program(raises="elements cannot be converted to Scalar")
def item_of_vector_raises(torch):
    return torch.tensor([1.0, 2.0]).item()


@program(raises="Boolean value of Tensor with more than one value is ambiguous")
def bool_of_vector_raises(torch):
    return bool(torch.tensor([1, 2]))


@program(raises="only one element tensors can be converted to Python scalars")
def float_of_vector_raises(torch):
    return float(torch.tensor([1.0, 2.0]))


@program(raises="elements cannot be converted to Scalar")
def item_of_empty_raises(torch):
    return torch.tensor([]).item()


@program(raises="requires a floating point input type")
def finfo_of_int_raises(torch):
    return torch.finfo(torch.int32)


@program(raises="requires an integer input type")
def iinfo_of_float_raises(torch):
    return torch.iinfo(torch.float32)


@program
def size_operations_printed(torch):
    s = torch.zeros(2, 3, 4).shape
    return [repr(s[1:]), repr(s + (5,)), repr(torch.Size((1, 2)) + torch.Size((3,))), str(s.numel()),
            repr(tuple(s)), repr(list(s)), f"{s}", repr(s == (2, 3, 4)), repr(s[-1]),
            repr(torch.Size([2, 3]) * 2) if False else repr(len(s)), repr(torch.zeros(()).shape)]  # fmt: skip


@program
def dtype_and_device_more(torch):
    return [repr(torch.bfloat16), repr(torch.int16), repr(torch.short), repr(torch.device("cpu", 0)),
            repr(torch.device(type="cuda", index=2)), str(torch.device("cuda")),
            str(torch.float32.is_floating_point), str(torch.int8.is_signed), str(torch.tensor(1).device.type),
            repr(torch.device("cpu").index), str(torch.float16.itemsize)]  # fmt: skip


@program
def state_dict_and_named_parameters_printed(torch):
    m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    return [
        str(m.state_dict()),
        str(list(m.named_parameters())),
        str(dict(m.named_buffers())),
        str([n for n, _ in m.named_modules()]),
        str(m[0].weight.shape),
    ]


@program
def optimizer_state_dict_printed(torch):
    w = torch.nn.Parameter(torch.tensor([1.0, -1.0]))
    opt = torch.optim.Adam([w], lr=0.1)
    (w * w).sum().backward()
    opt.step()
    return [str(opt.state_dict()), repr(opt)]


@program
def module_reprs_more(torch):
    nn = torch.nn
    seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2), nn.Dropout(0.5))
    m = nn.Module()
    m.add_module("block1", nn.Linear(2, 2))
    m.add_module("3", nn.ReLU())
    m.register_module("none", None)
    return [repr(seq[1:]), repr(seq[0]), repr(m), repr(nn.Embedding(5, 2, scale_grad_by_freq=True, norm_type=1.0)),
            repr(nn.Identity(54, unused="x")), repr(nn.Upsample(scale_factor=(2.0, 1.5), mode="bicubic")),
            repr(nn.Softmax()), repr(nn.Dropout(p=0.0, inplace=True)), repr(nn.Hardsigmoid(inplace=True)),
            repr(nn.LeakyReLU(inplace=True)), repr(nn.TransformerEncoderLayer(4, 1, 8).self_attn.out_proj)]  # fmt: skip


@program
def weight_norm_and_parametrize_reprs(torch):
    nn = torch.nn
    lin = nn.utils.parametrizations.weight_norm(nn.Linear(3, 2))
    sn = nn.utils.parametrizations.spectral_norm(nn.Linear(2, 2))
    return [repr(lin), repr(sn), repr(nn.utils.weight_norm(nn.Linear(2, 2)))]


@program
def distribution_and_constraint_reprs_more(torch):
    D = torch.distributions
    T = D.transforms
    td = D.TransformedDistribution(D.Normal(0.0, 1.0), [T.ExpTransform()])
    return [repr(td), repr(D.LogNormal(0.0, 1.0)), repr(T.ExpTransform()), repr(T.AffineTransform(1.0, 2.0)),
            repr(T.SigmoidTransform()), repr(D.constraints.positive), repr(D.constraints.real),
            repr(D.constraints.interval(0.0, 1.0)), repr(D.Normal(0.0, 1.0).support),
            repr(D.Categorical(logits=torch.zeros(2, 3))), repr(D.Normal(torch.zeros(2, 2), 1.0).expand((3, 2, 2))),
            repr(D.ComposeTransform([T.ExpTransform(), T.AffineTransform(0.0, 2.0)]))]  # fmt: skip


@program
def float16_and_edge_values(torch):
    return _printed(torch, torch.tensor([65504.0, 1e-3], dtype=torch.float16), torch.tensor([0.99999, 1.00001]),
                    torch.tensor([1e-4]), torch.tensor([100000.0, 1.0]), torch.tensor([2**62, -5]),
                    torch.tensor([1e8, 1.0]), torch.tensor([1.1e8]), torch.tensor([123.456, 0.001]))  # fmt: skip


@program
def bool_and_uint8_summarised(torch):
    return _printed(torch, torch.arange(2000) % 3 == 0, (torch.arange(1500) % 256).to(torch.uint8),
                    torch.zeros(3, 400, dtype=torch.bool), torch.tensor([[True, False]]))  # fmt: skip


@program
def lr_scheduler_printed(torch):
    w = [torch.nn.Parameter(torch.ones(1))]
    opt = torch.optim.SGD(w, lr=1.0, momentum=0.9)
    scheds = [torch.optim.lr_scheduler.CosineAnnealingLR(opt, 10)]
    for _ in range(3):
        opt.step()
        scheds[0].step()
    return [str(scheds[0].get_last_lr()), str(opt.param_groups[0]["lr"]), repr(opt),
            str(sorted(scheds[0].state_dict()))]  # fmt: skip


@program
def zero_d_and_requires_grad_str(torch):
    x = torch.tensor(1.5, requires_grad=True)
    y = x * 2
    return [str(x), str(y), f"{x}", f"{y}", f"{y:.1f}", f"loss: {y}", f"loss={y.item():.4f}",
            str([x, y]), str((torch.tensor(1),)), str({"a": torch.tensor([1.0])})]  # fmt: skip


@program
def grad_fn_of_fill_zero_copy(torch):
    a = torch.rand(2, 3, requires_grad=True)
    out = []
    for fill in (lambda t: t.zero_(), lambda t: t.fill_(1.0), lambda t: t.fill_(torch.tensor(2.0)),
                 lambda t: t.copy_(torch.ones(3))):  # fmt: skip
        b = a.clone()
        fill(b[1])
        c = a[0].clone()
        fill(c)
        out += [repr(c), b.grad_fn.name(), b[1].grad_fn.name()]
    return out


@program
def grad_fn_of_squeeze_and_t(torch):
    a = torch.rand(2, 3, requires_grad=True)
    v = torch.rand(3, requires_grad=True)
    return _printed(torch, a.squeeze(), a.squeeze(0), a.squeeze((0, 1)), a.unsqueeze(0).squeeze(),
                    v.t(), torch.t(v), a.t()) + [str(a.squeeze() is a)]  # fmt: skip


# ---- batch 3: more tensors, packed sequences, collapsed containers, schedulers --------------
@program
def empty_and_nan_only_shapes(torch):
    nan, inf = float("nan"), float("inf")
    return _printed(torch, torch.zeros(0, dtype=torch.float64), torch.empty(2, 0), torch.zeros(0, 2, 0),
                    torch.tensor([nan, 1.0, 2.0]), torch.tensor([inf]), torch.tensor([nan, nan]),
                    torch.tensor([[nan, -inf], [1e-9, 0.0]]), torch.ones(3).expand(2, 3),
                    torch.zeros(0, dtype=torch.int64, requires_grad=False), torch.full((2, 2), -0.0))  # fmt: skip


@program
def print_options_edge(torch):
    x = torch.tensor([1.23456, -1e-5, 1e5])
    return (_printed(torch, x, torch.arange(5.0), precision=0) + _printed(torch, x, linewidth=20)
            + _printed(torch, torch.arange(4), threshold=0) + _printed(torch, torch.randn(4, 4, 4), edgeitems=1,
            threshold=8) + _printed(torch, torch.tensor([1e-5, 2.0]).half(), precision=6))  # fmt: skip


@program
def requires_grad_in_no_grad_and_return_types_with_grad(torch):
    a = torch.tensor([[1.0, 5.0], [3.0, 2.0]], requires_grad=True)
    with torch.no_grad():
        printed = _printed(torch, a, a * 2)
    return printed + _printed(torch, a.max(1), a.sort(0), a.topk(1), a.min(dim=0, keepdim=True))


@program
def packed_sequence_repr(torch):
    rnn = torch.nn.utils.rnn
    x = torch.arange(12.0).reshape(3, 2, 2)
    packed = rnn.pack_padded_sequence(x, torch.tensor([3, 2]))
    padded = rnn.pad_sequence([torch.ones(3), torch.ones(1)], batch_first=True)
    return [repr(packed), repr(rnn.pad_packed_sequence(packed)), repr(padded),
            repr(rnn.pack_sequence([torch.tensor([1, 2, 3]), torch.tensor([4])]))]  # fmt: skip


@program
def repeated_blocks_collapsed(torch):
    nn = torch.nn
    blocks = nn.Sequential(*[nn.Sequential(nn.Linear(2, 2), nn.ReLU()) for _ in range(3)])
    mixed = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 3), nn.Linear(2, 3)])
    same = nn.ModuleList([nn.Linear(2, 2)] * 2)
    return [
        repr(blocks),
        repr(mixed),
        repr(same),
        repr(nn.ModuleDict({"a": nn.ReLU(), "b": nn.ReLU()})),
    ]


@program
def more_layer_reprs(torch):
    nn = torch.nn
    return [repr(m) for m in (
        nn.Flatten(start_dim=2, end_dim=-2), nn.ZeroPad1d((1, 2)), nn.PixelUnshuffle(2),
        nn.Upsample(scale_factor=2.0), nn.UpsamplingNearest2d(scale_factor=2), nn.UpsamplingBilinear2d(size=4),
        nn.Embedding.from_pretrained(torch.ones(3, 2)), nn.ConvTranspose3d(2, 2, 2, groups=2),
        nn.LazyConv2d(4, 3), nn.BatchNorm3d(2, affine=False), nn.InstanceNorm1d(4), nn.SyncBatchNorm(3),
        nn.AdaptiveMaxPool2d((None, 3)), nn.MaxPool3d(2, 2), nn.Hardtanh(inplace=True), nn.ReLU6(),
        nn.LogSigmoid(), nn.Softshrink(0.3), nn.Threshold(0.0, 0.0, inplace=True), nn.Dropout1d(0.1),
        nn.FeatureAlphaDropout(), nn.MarginRankingLoss(margin=0.5), nn.BCELoss(weight=torch.ones(2)),
        nn.CosineEmbeddingLoss(), nn.GaussianNLLLoss(), nn.PoissonNLLLoss(log_input=False),
        nn.MultiLabelSoftMarginLoss(), nn.TransformerDecoder(nn.TransformerDecoderLayer(4, 1, 8), 1))]  # fmt: skip


@program
def optimizer_repr_with_schedulers(torch):
    def opt():
        return torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=0.1, momentum=0.9)

    S = torch.optim.lr_scheduler
    out = []
    for make in (lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=10), lambda o: S.ReduceLROnPlateau(o),
                 lambda o: S.CyclicLR(o, 0.01, 0.1), lambda o: S.LambdaLR(o, lambda e: 0.5 ** e),
                 lambda o: S.ExponentialLR(o, 0.9), lambda o: S.LinearLR(o), lambda o: S.MultiStepLR(o, [1])):  # fmt: skip
        o = opt()
        make(o)
        out.append(repr(o))
    return out


@program
def distribution_reprs_more(torch):
    D = torch.distributions
    mix = D.MixtureSameFamily(D.Categorical(torch.ones(2)), D.Normal(torch.zeros(2), torch.ones(2)))
    return [repr(d) for d in (
        mix, D.RelaxedBernoulli(torch.tensor(0.5), probs=torch.tensor(0.3)), D.StudentT(3.0),
        D.Cauchy(0.0, 1.0), D.Gumbel(0.0, 1.0), D.HalfNormal(1.0), D.Geometric(0.3), D.Chi2(2.0),
        D.Multinomial(3, torch.tensor([0.5, 0.5])), D.VonMises(0.0, 1.0), D.Weibull(1.0, 2.0), D.Pareto(1.0, 2.0),
        D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(2, 1), torch.ones(2)), D.Kumaraswamy(1.0, 2.0),
        D.FisherSnedecor(1.0, 2.0), D.NegativeBinomial(3.0, 0.5), D.ContinuousBernoulli(0.3), D.LKJCholesky(2, 1.0))]  # fmt: skip


@program
def tensor_str_in_containers_and_fstrings(torch):
    a = torch.tensor([1.5, 2.0], requires_grad=True)
    b = a.sum()
    return [str([a, torch.tensor(1)]), str({"loss": b}), f"epoch 1: loss {b}", f"{b.item():.3f}",
            str((a.shape, a.dtype, a.device)), f"{a.shape}", f"{a.dtype}", f"{a.device}",
            f"{torch.tensor(1, dtype=torch.int32)}", f"{torch.tensor(-0.0)}", f"{torch.tensor(1e-9):.2e}"]  # fmt: skip


@program
def class_and_type_strings(torch):
    x = torch.ones(2)
    return [repr(type(x)), repr(type(x.max(0))), repr(torch.Tensor), repr(torch.nn.Parameter),
            repr(type(torch.float32)), repr(torch.Size), repr(type(x.shape)), repr(type(x.device)),
            x.type(), torch.ones(2, dtype=torch.int64).type(), torch.tensor([True]).type(),
            torch.ones(1, dtype=torch.float64).type(), torch.ones(1, dtype=torch.float16).type(),
            torch.ones(1, dtype=torch.uint8).type(), torch.ones(1, dtype=torch.int8).type(),
            repr(type(torch.nn.Linear(1, 1))), repr(type(torch.finfo(torch.float32)))]  # fmt: skip


@program
def finfo_attributes_printed(torch):
    out = []
    for d in (torch.float16, torch.float32, torch.float64):
        f = torch.finfo(d)
        out += [repr(f.eps), repr(f.tiny), repr(f.max), repr(f.min), repr(f.resolution),
                repr(f.smallest_normal), repr(f.bits), repr(f.dtype)]  # fmt: skip
    for d in (torch.int8, torch.int16, torch.int64, torch.uint8):
        i = torch.iinfo(d)
        out += [repr(i.min), repr(i.max), repr(i.bits), repr(i.dtype)]
    return out


@program
def grad_and_module_attributes_printed(torch):
    lin = torch.nn.Linear(2, 1)
    before = [repr(lin.weight.grad), repr(lin.training), repr(lin.eval().training)]
    lin(torch.ones(1, 2)).sum().backward()
    return before + _printed(torch, lin.weight.grad, lin.bias, lin.bias.grad, lin.weight.data)


@program
def return_type_classes(torch):
    x = torch.tensor([[1.0, 3.0], [2.0, 0.0]])
    r = x.max(0)
    return [repr(type(r)), str(isinstance(r, torch.return_types.max)), repr(type(x.sort())),
            repr(type(x.topk(1))), repr(type(x.median(0))), repr(type(torch.frexp(x)))]  # fmt: skip
