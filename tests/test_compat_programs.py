"""Regression tests from the PyTorch-compatibility sweep: each checks one thing that real
PyTorch programs do (seeding boilerplate, setup flags, in-place random init, in-place forms
of ops, repeat_interleave, ...) against PyTorch itself, where minitorch used to crash or
differ."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import assert_close
from opcheck import Case, check_against_torch, check_gradients

import minitorch


def both(torch, fn):
    """``fn(lib)`` run with minitorch and with PyTorch."""
    return fn(minitorch), fn(torch)


# ---- setup boilerplate: seeding, flags, threads, compile ---------------------------------------
@pytest.mark.skipif(minitorch.cuda.is_available(), reason="checks the CPU-only behaviour")
def test_seed_everything_boilerplate_runs_without_a_gpu(torch):
    def seed_everything(lib):
        lib.manual_seed(3)
        lib.cuda.manual_seed(3)
        lib.cuda.manual_seed_all(3)
        lib.cuda.empty_cache()
        lib.backends.cudnn.deterministic = True
        lib.backends.cudnn.benchmark = False
        lib.use_deterministic_algorithms(True)
        return (
            lib.cuda.memory_allocated(),
            lib.cuda.max_memory_allocated(),
            lib.are_deterministic_algorithms_enabled(),
            lib.backends.cudnn.deterministic,
            lib.backends.cudnn.is_available(),
            lib.backends.mps.is_available(),
        )

    mine, theirs = both(torch, seed_everything)
    assert mine == theirs == (0, 0, True, True, False, False)
    minitorch.use_deterministic_algorithms(False)
    torch.use_deterministic_algorithms(False)
    first = minitorch.randn(3)
    seed_everything(minitorch)
    minitorch.use_deterministic_algorithms(False)
    assert minitorch.equal(minitorch.randn(3), first)


def test_setup_flags_threads_and_matmul_precision(torch):
    minitorch.backends.cuda.matmul.allow_tf32 = True
    minitorch.backends.cudnn.allow_tf32 = True
    assert minitorch.backends.cuda.matmul.allow_tf32 and minitorch.backends.cudnn.allow_tf32
    minitorch.backends.cuda.matmul.allow_tf32 = False
    threads = minitorch.get_num_threads()
    minitorch.set_num_threads(1)
    assert minitorch.get_num_threads() == 1
    minitorch.set_num_threads(threads)
    with pytest.raises(RuntimeError, match="positive integer"):
        minitorch.set_num_threads(0)
    for lib in (minitorch, torch):
        assert lib.get_float32_matmul_precision() == "highest"
        lib.set_float32_matmul_precision("high")
        assert lib.get_float32_matmul_precision() == "high"
        with pytest.warns(UserWarning, match="no effect"):
            lib.set_float32_matmul_precision("fastest")
        assert lib.get_float32_matmul_precision() == "high"
        lib.set_float32_matmul_precision("highest")


def test_compile_returns_a_callable_with_the_same_numbers():
    model = minitorch.nn.Linear(3, 2)
    x = minitorch.randn(4, 3)
    compiled = minitorch.compile(model)  # PyTorch's OptimizedModule wrapping the model
    assert compiled._orig_mod is model
    assert_close(compiled(x), model(x).detach().numpy())

    @minitorch.compile
    def f(t):
        return t * 2

    @minitorch.compile(mode="max-autotune", fullgraph=True)
    def g(t):
        return t + 1

    assert_close(f(x), x.numpy() * 2)
    assert_close(g(x), x.numpy() + 1)


# ---- in-place random fills ---------------------------------------------------------------------
RANDOM_FILLS = {
    "uniform_": lambda t: t.uniform_(-0.1, 0.1),
    "normal_": lambda t: t.normal_(0.0, 0.02),
    "bernoulli_": lambda t: t.bernoulli_(0.3),
    "bernoulli_tensor_p": lambda t: t.bernoulli_(minitorch.full(t.shape, 0.3)),
    "random_": lambda t: t.random_(0, 7),
    "random_to": lambda t: t.random_(7),
    "exponential_": lambda t: t.exponential_(2.0),
}


@pytest.mark.parametrize("fill", RANDOM_FILLS.values(), ids=RANDOM_FILLS.keys())
def test_random_fill_is_in_place_and_seeded(fill):
    minitorch.manual_seed(5)
    t = minitorch.zeros(200, 50)
    version = t._version
    assert fill(t) is t
    assert t._version > version and t.dtype == minitorch.float32
    minitorch.manual_seed(5)
    assert minitorch.equal(fill(minitorch.zeros(200, 50)), t)
    assert not minitorch.equal(fill(minitorch.zeros(200, 50)), t)


def test_random_fill_distributions():
    minitorch.manual_seed(0)
    u = minitorch.empty(100_000).uniform_(2.0, 3.0)
    assert 2.0 <= u.min().item() and u.max().item() < 3.0
    assert abs(u.mean().item() - 2.5) < 0.01
    n = minitorch.empty(100_000).normal_(5.0, 2.0)
    assert abs(n.mean().item() - 5.0) < 0.05 and abs(n.std().item() - 2.0) < 0.05
    b = minitorch.empty(100_000).bernoulli_(0.3)
    assert set(b.unique().tolist()) == {0.0, 1.0} and abs(b.mean().item() - 0.3) < 0.01
    e = minitorch.empty(100_000).exponential_(4.0)
    assert e.min().item() >= 0 and abs(e.mean().item() - 0.25) < 0.01
    r = minitorch.empty(10_000).random_(3, 6)
    assert set(r.unique().tolist()) == {3.0, 4.0, 5.0}
    i = minitorch.zeros(1000, dtype=minitorch.int64).random_()
    assert i.dtype == minitorch.int64 and i.min().item() >= 0
    h = minitorch.zeros(1000, dtype=minitorch.float16).uniform_()
    assert h.dtype == minitorch.float16
    p = minitorch.tensor([0.0, 1.0, 0.0, 1.0])
    assert minitorch.bernoulli(p).tolist() == [0.0, 1.0, 0.0, 1.0]
    assert minitorch.zeros(4).bernoulli_(p).tolist() == [0.0, 1.0, 0.0, 1.0]


def test_random_fill_autograd_and_errors_match_pytorch(torch):
    for lib in (minitorch, torch):
        w = lib.ones(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            w.uniform_()
        with lib.no_grad():
            w.normal_()  # the init idiom
        w.data.uniform_(-0.1, 0.1)  # the other init idiom
        assert w.requires_grad and w.is_leaf
        x = lib.ones(2, requires_grad=True)
        y = x * 1
        y.uniform_()
        y.sum().backward()
        assert x.grad.tolist() == [0.0, 0.0]  # the values no longer depend on x
        with pytest.raises(NotImplementedError):
            lib.zeros(2, dtype=lib.int64).uniform_()
        with pytest.raises(RuntimeError, match="normal expects std >= 0.0"):
            lib.zeros(2).normal_(0.0, -1.0)
        with pytest.raises(RuntimeError, match="exponential_ expects lambda > 0.0"):
            lib.zeros(2).exponential_(0.0)
        with pytest.raises(RuntimeError, match=r"bernoulli_ expects p to be in \[0, 1\]"):
            lib.zeros(2).bernoulli_(1.5)
        with pytest.raises(RuntimeError, match="random_ expects 'from' to be less than 'to'"):
            lib.zeros(2).random_(5, 2)


def test_module_init_with_tensor_methods_like_the_word_language_model(torch):
    """``self.encoder.weight.data.uniform_(-initrange, initrange)`` and HF-style
    ``module.weight.data.normal_(mean=0.0, std=0.02)`` (PyTorch's examples)."""
    for lib in (minitorch, torch):
        lib.manual_seed(0)
        emb, dec = lib.nn.Embedding(10, 4), lib.nn.Linear(4, 10)
        emb.weight.data.uniform_(-0.1, 0.1)
        dec.bias.data.zero_()
        dec.weight.data.normal_(mean=0.0, std=0.02)
        assert emb.weight.abs().max().item() <= 0.1 and dec.bias.abs().sum().item() == 0
        assert 0.005 < dec.weight.std().item() < 0.05
        assert emb.weight.requires_grad and emb.weight.is_leaf


# ---- in-place forms of ops ---------------------------------------------------------------------
INPLACE = {
    "floor_": lambda m, x: x.floor_(),
    "ceil_": lambda m, x: x.ceil_(),
    "round_": lambda m, x: x.round_(),
    "round_decimals": lambda m, x: x.round_(decimals=1),
    "trunc_": lambda m, x: x.trunc_(),
    "sign_": lambda m, x: x.sign_(),
    "log1p_": lambda m, x: x.abs_().log1p_(),
    "expm1_": lambda m, x: x.expm1_(),
    "tril_": lambda m, x: x.tril_(),
    "triu_": lambda m, x: x.triu_(1),
    "cumsum_": lambda m, x: x.cumsum_(1),
    "lt_": lambda m, x: x.lt_(0.5),
    "fmod_": lambda m, x: x.fmod_(0.7),
    "index_add_": lambda m, x: x.index_add_(0, m.tensor([0, 0, 2]), m.ones(3, 4)),
    "index_add_alpha": lambda m, x: x.index_add_(1, m.tensor([3, 3]), m.ones(3, 2), alpha=2),
    "scatter_add_": lambda m, x: x.scatter_add_(
        1, m.tensor([[0, 0], [1, 3], [2, 2]]), x[:, :2] * 1
    ),
    "addmm_": lambda m, x: x.addmm_(m.ones(3, 2), m.ones(2, 4), beta=0.5),
    "unsqueeze_": lambda m, x: x.unsqueeze_(1),
    "squeeze_": lambda m, x: x.unsqueeze_(0).squeeze_(),
    "transpose_": lambda m, x: x.transpose_(0, 1),
    "swapaxes_": lambda m, x: x.swapaxes_(1, 0),
}


@pytest.mark.parametrize("fn", INPLACE.values(), ids=INPLACE.keys())
def test_inplace_forms_match_pytorch(torch, fn):
    data = np.linspace(-2.3, 2.9, 12, dtype=np.float32).reshape(3, 4)
    x, tx = minitorch.tensor(data), torch.tensor(data)
    assert fn(minitorch, x) is x and fn(torch, tx) is tx
    assert tuple(x.shape) == tuple(tx.shape)
    assert_close(x, tx)


def test_inplace_forms_rebase_the_gradient_like_pytorch(torch):
    def run(lib):
        w = lib.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
        y = w * w
        y.index_add_(0, lib.tensor([1, 1]), w * 3)
        y.scatter_add_(1, lib.tensor([[1], [0]]), w[:, :1] * 2)
        y.unsqueeze_(0)
        y.sum().backward()
        return y, w.grad

    (y, g), (ty, tg) = both(torch, run)
    assert_close(y, ty)
    assert_close(g, tg)


# ---- repeat_interleave, ravel, moveaxis, argwhere, isin, tril/triu_indices ---------------------
REPEAT = {
    "int_flat": Case(lambda m, a: m.repeat_interleave(a, 2), [(2, 3)]),
    "int_dim0": Case(lambda m, a: a.repeat_interleave(3, dim=0), [(2, 3)]),
    "tensor_dim1": Case(lambda m, a: a.repeat_interleave(m.tensor([2, 0, 1]), dim=1), [(2, 3)]),
    "negative_dim": Case(lambda m, a: a.repeat_interleave(m.tensor([1]), dim=-2), [(2, 3)]),
    "gqa_heads": Case(lambda m, a: a.repeat_interleave(2, dim=1) * 1.5, [(1, 2, 3, 2)]),
}


@pytest.mark.parametrize("case", REPEAT.values(), ids=REPEAT.keys())
def test_repeat_interleave_matches_pytorch(torch, case):
    check_against_torch(case, torch, "float32")


@pytest.mark.parametrize("case", REPEAT.values(), ids=REPEAT.keys())
def test_repeat_interleave_gradients(case):
    check_gradients(case)


def test_repeat_interleave_counts_and_errors(torch):
    for lib in (minitorch, torch):
        counts = lib.tensor([1, 0, 3])
        assert lib.repeat_interleave(counts).tolist() == [0, 2, 2, 2]
        with pytest.raises(RuntimeError, match="repeats must have the same size as input"):
            lib.repeat_interleave(lib.ones(3), lib.tensor([1, 2]), dim=0)
        with pytest.raises(RuntimeError, match="Repeats must be non-negative"):
            lib.repeat_interleave(lib.ones(3), -1)


def test_small_tensor_helpers_match_pytorch(torch):
    def run(lib):
        x = lib.arange(24.0).reshape(2, 3, 4)
        return [
            x.transpose(0, 2).ravel(),
            lib.ravel(x[:, 1]),
            x.moveaxis(0, -1),
            lib.moveaxis(x, 2, 0),
            lib.argwhere(x % 5 == 0),
            (x > 20).argwhere(),
            lib.isin(lib.tensor([1, 2, 3, 4]), lib.tensor([2, 4, 9])),
            lib.isin(lib.tensor([1, 2, 3, 4]), 3, invert=True),
            lib.tril_indices(3, 4),
            lib.tril_indices(4, 3, offset=-1),
            lib.triu_indices(3, 3, 1),
            lib.triu_indices(2, 4, offset=-1, dtype=lib.int32),
        ]

    mine, theirs = both(torch, run)
    for a, b in zip(mine, theirs):
        assert str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1]
        assert_close(a, b)


# ---- variable-length sequences and recurrent cells ---------------------------------------------
def _copy_params(src, dst, torch):
    with torch.no_grad():
        for (name, p), (tname, tp) in zip(src.named_parameters(), dst.named_parameters()):
            assert name == tname
            tp.copy_(torch.tensor(p.detach().numpy()))


def test_pad_sequence_matches_pytorch(torch):
    def run(lib):
        ints = [lib.tensor([1, 2, 3]), lib.tensor([4, 5]), lib.tensor([6])]
        feats = [lib.ones(2, 3), lib.ones(4, 3) * 2]
        return [
            lib.nn.utils.rnn.pad_sequence(ints, batch_first=True),
            lib.nn.utils.rnn.pad_sequence(ints, padding_value=-1),
            lib.nn.utils.rnn.pad_sequence(ints, batch_first=True, padding_side="left"),
            lib.nn.utils.rnn.pad_sequence(feats, batch_first=True, padding_value=0.5),
        ]

    for a, b in zip(*both(torch, run)):
        assert str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1]
        assert_close(a, b)


@pytest.mark.parametrize("enforce_sorted", [True, False])
@pytest.mark.parametrize("batch_first", [True, False])
def test_pack_padded_sequence_round_trip_matches_pytorch(torch, batch_first, enforce_sorted):
    lengths = [4, 3, 1] if enforce_sorted else [2, 4, 1]
    data = np.arange(24, dtype=np.float32).reshape(3, 4, 2)
    if not batch_first:
        data = data.transpose(1, 0, 2).copy()

    def run(lib):
        rnn = lib.nn.utils.rnn
        x = lib.tensor(data, requires_grad=True)
        packed = rnn.pack_padded_sequence(x, lengths, batch_first, enforce_sorted)
        out, lens = rnn.pad_packed_sequence(packed, batch_first, padding_value=-1.0)
        (out * out).sum().backward()
        idx = [packed.sorted_indices, packed.unsorted_indices]
        return [packed.data, packed.batch_sizes, out, lens, x.grad] + [
            i for i in idx if i is not None
        ]

    mine, theirs = both(torch, run)
    assert len(mine) == len(theirs)
    for a, b in zip(mine, theirs):
        assert_close(a, b)


def test_pack_errors_match_pytorch(torch):
    for lib in (minitorch, torch):
        rnn = lib.nn.utils.rnn
        with pytest.raises(RuntimeError, match="must be sorted in decreasing order"):
            rnn.pack_padded_sequence(lib.ones(3, 2, 1), [1, 3])
        packed = rnn.pack_sequence([lib.ones(3), lib.ones(2)])
        with pytest.raises(ValueError, match="Expected total_length to be at least"):
            rnn.pad_packed_sequence(packed, total_length=2)
        out, lens = rnn.pad_packed_sequence(packed, total_length=5)
        assert tuple(out.shape) == (5, 2) and lens.tolist() == [3, 2]


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_recurrent_layers_on_packed_sequences_match_pytorch(torch, kind):
    """The classic NLP pipeline: embedding -> pack -> bidirectional 2-layer RNN -> unpack."""
    rng = np.random.default_rng(0)
    tokens = np.array([[3, 1, 4, 0, 0], [1, 5, 9, 2, 6], [5, 3, 0, 0, 0]])
    lengths = [3, 5, 2]

    def run(lib, layer):
        rnn = lib.nn.utils.rnn
        emb = lib.tensor(rng_emb, requires_grad=True)
        x = lib.nn.functional.embedding(lib.tensor(tokens), emb)
        packed = rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, hidden = layer(packed)
        padded, lens = rnn.pad_packed_sequence(out, batch_first=True)
        h = hidden[0] if kind == "LSTM" else hidden
        (padded.sum() + (h * h).sum()).backward()
        return [out.data, padded, lens, h, emb.grad, layer.weight_hh_l1_reverse.grad]

    rng_emb = rng.normal(size=(10, 3)).astype(np.float32)
    mine_layer = getattr(minitorch.nn, kind)(
        3, 4, num_layers=2, batch_first=True, bidirectional=True
    )
    torch_layer = getattr(torch.nn, kind)(3, 4, num_layers=2, batch_first=True, bidirectional=True)
    _copy_params(mine_layer, torch_layer, torch)
    for a, b in zip(run(minitorch, mine_layer), run(torch, torch_layer)):
        assert_close(a, b, rtol=1e-4, atol=1e-5)


CELLS = {
    "RNNCell": dict(nonlinearity="relu"),
    "LSTMCell": {},
    "GRUCell": dict(bias=False),
}


@pytest.mark.parametrize("kind", CELLS.keys())
def test_recurrent_cells_match_pytorch(torch, kind):
    mine = getattr(minitorch.nn, kind)(3, 4, **CELLS[kind])
    theirs = getattr(torch.nn, kind)(3, 4, **CELLS[kind])
    _copy_params(mine, theirs, torch)
    assert repr(mine) == repr(theirs)
    assert [n for n, _ in mine.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    xs = np.random.default_rng(1).normal(size=(5, 2, 3)).astype(np.float32)

    def run(lib, cell):
        x = lib.tensor(xs, requires_grad=True)
        state, outs = None, []
        for t in range(5):  # the usual hand-written loop over time
            state = cell(x[t], state)
            outs.append(state[0] if kind == "LSTMCell" else state)
        lib.stack(outs).sum().backward()
        one = cell(x[0, 0].detach())  # unbatched input
        return [lib.stack(outs), x.grad, cell.weight_hh.grad, one[0] if kind == "LSTMCell" else one]

    for a, b in zip(run(minitorch, mine), run(torch, theirs)):
        assert_close(a, b, rtol=1e-4, atol=1e-5)
    for lib, cell in ((minitorch, mine), (torch, theirs)):
        with pytest.raises(RuntimeError, match="input has inconsistent input_size: got 5"):
            cell(lib.ones(2, 5))
        with pytest.raises(ValueError, match="Expected input to be 1D or 2D, got 3D"):
            cell(lib.ones(1, 2, 3))


# ---- nn.Transformer and its decoder ------------------------------------------------------------
@pytest.mark.filterwarnings("ignore:enable_nested_tensor is True")
@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_transformer_matches_pytorch(torch, batch_first, norm_first):
    """The seq2seq tutorial model: nn.Transformer with masks, padding masks and gradients."""
    kw = dict(d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=2,
              dim_feedforward=16, dropout=0.0, batch_first=batch_first, norm_first=norm_first)  # fmt: skip
    mine, theirs = minitorch.nn.Transformer(**kw), torch.nn.Transformer(**kw)
    assert list(mine.state_dict()) == list(theirs.state_dict())
    _copy_params(mine, theirs, torch)
    rng = np.random.default_rng(2)
    src = rng.normal(size=(2, 5, 8)).astype(np.float32)
    tgt = rng.normal(size=(2, 4, 8)).astype(np.float32)
    if not batch_first:
        src, tgt = src.transpose(1, 0, 2).copy(), tgt.transpose(1, 0, 2).copy()
    pad = np.array([[False] * 5, [False, False, False, True, True]])

    def run(lib, model):
        s, t = lib.tensor(src, requires_grad=True), lib.tensor(tgt)
        out = model(
            s, t, tgt_mask=lib.nn.Transformer.generate_square_subsequent_mask(4),
            src_key_padding_mask=lib.tensor(pad), memory_key_padding_mask=lib.tensor(pad),
        )  # fmt: skip
        (out * out).sum().backward()
        return [out, s.grad, model.decoder.layers[1].multihead_attn.in_proj_weight.grad]

    for a, b in zip(run(minitorch, mine), run(torch, theirs)):
        assert_close(a, b, rtol=1e-4, atol=1e-5)


@pytest.mark.filterwarnings("ignore:enable_nested_tensor is True")
def test_transformer_init_mask_and_errors_match_pytorch(torch):
    for lib in (minitorch, torch):
        lib.manual_seed(0)
        model = lib.nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1,
                                   num_decoder_layers=1, dim_feedforward=16)  # fmt: skip
        w = model.decoder.layers[0].linear1.weight
        bound = (6 / (8 + 16)) ** 0.5  # xavier_uniform_ on every matrix
        assert w.abs().max().item() <= bound and w.abs().max().item() > 0.8 * bound
        assert model.encoder.norm is not None and model.decoder.num_layers == 1
        mask = lib.nn.Transformer.generate_square_subsequent_mask(3)
        assert mask.tolist() == [[0.0, -np.inf, -np.inf], [0.0, 0.0, -np.inf], [0.0] * 3]
        with pytest.raises(RuntimeError, match="the batch number of src and tgt must be equal"):
            model(lib.ones(3, 2, 8), lib.ones(3, 1, 8))
        with pytest.raises(RuntimeError, match="the feature number of src and tgt"):
            model(lib.ones(3, 2, 8), lib.ones(3, 2, 4))
    layer = minitorch.nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0, activation="gelu")
    decoder = minitorch.nn.TransformerDecoder(layer, num_layers=2)
    assert decoder(minitorch.ones(3, 2, 8), minitorch.ones(5, 2, 8)).shape == (3, 2, 8)


# ---- image layers: Upsample, PixelShuffle, AdaptiveMaxPool, InstanceNorm, 'area' -----------------
IMAGE_OPS = {
    "upsample_nearest": Case(lambda m, a: m.nn.Upsample(scale_factor=2)(a), [(1, 2, 3, 3)]),
    "upsample_bilinear": Case(
        lambda m, a: m.nn.Upsample(size=(5, 4), mode="bilinear", align_corners=False)(a),
        [(2, 1, 3, 3)],
    ),
    "upsampling_bilinear2d": Case(
        lambda m, a: m.nn.UpsamplingBilinear2d(scale_factor=2)(a), [(1, 2, 2, 3)]
    ),
    "upsampling_nearest2d": Case(lambda m, a: m.nn.UpsamplingNearest2d(size=4)(a), [(1, 1, 2, 3)]),
    "upsample_linear_1d": Case(
        lambda m, a: m.nn.Upsample(scale_factor=1.5, mode="linear")(a), [(2, 3, 4)]
    ),
    "pixel_shuffle": Case(lambda m, a: m.nn.PixelShuffle(2)(a), [(2, 8, 2, 3)]),
    "pixel_unshuffle": Case(lambda m, a: m.nn.functional.pixel_unshuffle(a, 2), [(1, 2, 4, 6)]),
    "pixel_unbatched": Case(lambda m, a: m.nn.functional.pixel_shuffle(a, 3), [(9, 1, 2)]),
    "adaptive_max2d": Case(lambda m, a: m.nn.AdaptiveMaxPool2d((2, 3))(a), [(2, 2, 5, 7)]),
    "adaptive_max2d_global": Case(
        lambda m, a: m.nn.functional.adaptive_max_pool2d(a, 1), [(2, 3, 4, 4)]
    ),
    "adaptive_max2d_none": Case(lambda m, a: m.nn.AdaptiveMaxPool2d((None, 2))(a), [(3, 5, 4)]),
    "adaptive_max1d": Case(lambda m, a: m.nn.AdaptiveMaxPool1d(3)(a), [(2, 3, 7)]),
    "instance_norm2d": Case(lambda m, a: m.nn.InstanceNorm2d(3)(a), [(2, 3, 4, 5)]),
    "instance_norm2d_affine": Case(
        lambda m, a: m.nn.InstanceNorm2d(2, affine=True, dtype=a.dtype)(a) * 2, [(2, 2, 3, 3)]
    ),
    "instance_norm1d_unbatched": Case(lambda m, a: m.nn.InstanceNorm1d(3)(a), [(3, 6)]),
    "interpolate_area": Case(
        lambda m, a: m.nn.functional.interpolate(a, size=(3, 2), mode="area"), [(1, 2, 7, 5)]
    ),
    "interpolate_area_1d": Case(
        lambda m, a: m.nn.functional.interpolate(a, scale_factor=0.5, mode="area"), [(1, 2, 6)]
    ),
}


@pytest.mark.parametrize("case", IMAGE_OPS.values(), ids=IMAGE_OPS.keys())
def test_image_layers_match_pytorch(torch, case):
    check_against_torch(case, torch, "float32")


@pytest.mark.parametrize("case", IMAGE_OPS.values(), ids=IMAGE_OPS.keys())
def test_image_layers_gradients(case):
    check_gradients(case)


def test_image_layers_repr_and_errors_match_pytorch(torch):
    def reprs(lib):
        nn = lib.nn
        return [repr(m) for m in (
            nn.Upsample(scale_factor=2), nn.Upsample(size=(3, 4), mode="bilinear"),
            nn.UpsamplingNearest2d(scale_factor=2), nn.UpsamplingBilinear2d(size=5),
            nn.PixelShuffle(2), nn.PixelUnshuffle(3), nn.AdaptiveMaxPool2d((2, 3)),
            nn.AdaptiveMaxPool1d(4), nn.InstanceNorm2d(3), nn.InstanceNorm1d(4, affine=True),
        )]  # fmt: skip

    assert reprs(minitorch) == reprs(torch)
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError, match="pixel_shuffle expects its input's 'channel'"):
            lib.nn.functional.pixel_shuffle(lib.ones(1, 3, 2, 2), 2)
        with pytest.raises(ValueError, match="align_corners option can only be set"):
            lib.nn.functional.interpolate(
                lib.ones(1, 1, 4, 4), size=2, mode="area", align_corners=True
            )
        assert [n for n, _ in lib.nn.InstanceNorm2d(3, affine=True).named_parameters()] == [
            "weight",
            "bias",
        ]


# ---- custom autograd.Function styles -----------------------------------------------------------
def _custom_functions(lib):
    class Cube(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        @lib.autograd.function.once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x * x * g

    class MulSetup(lib.autograd.Function):  # PyTorch 2's style: forward without ctx
        @staticmethod
        def forward(x, y, scale):
            return x * y * scale

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, y, scale = inputs
            ctx.save_for_backward(x, y)
            ctx.scale = scale

        @staticmethod
        def backward(ctx, g):
            x, y = ctx.saved_tensors
            return g * y * ctx.scale, g * x * ctx.scale, None

    return Cube, MulSetup


def test_once_differentiable_and_setup_context_match_pytorch(torch):
    def run(lib):
        cube, mul = _custom_functions(lib)
        x = lib.tensor([1.0, -2.0, 0.5], requires_grad=True)
        y = lib.tensor([3.0, 4.0, 5.0], requires_grad=True)
        (g,) = lib.autograd.grad(cube.apply(x).sum(), x, create_graph=True)
        out = mul.apply(x, y, 2.0)
        out.sum().backward()
        return [g, g.requires_grad, out, x.grad, y.grad, out.grad_fn.name()]

    mine, theirs = both(torch, run)
    assert mine[1] is theirs[1] is False  # once_differentiable: no graph of the gradient
    assert mine[5] == theirs[5] == "MulSetupBackward"
    for i in (0, 2, 3, 4):
        assert_close(mine[i], theirs[i])
    _, mul = _custom_functions(minitorch)
    xs = [minitorch.tensor([0.5, 1.5], dtype=minitorch.float64, requires_grad=True)] * 2
    assert minitorch.autograd.gradcheck(lambda a, b: mul.apply(a, b, 3.0), xs)


# ---- indexing with range/tuple, out= -----------------------------------------------------------
def test_index_with_range_and_tuple_like_the_nn_tutorial(torch):
    """``-input[range(target.shape[0]), target].mean()`` ("What is torch.nn really?")."""

    def run(lib):
        logits = lib.tensor(
            np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3), requires_grad=True
        )
        target = lib.tensor([2, 0, 1, 1])
        loss = -logits.log_softmax(-1)[range(target.shape[0]), target].mean()
        loss.backward()
        x = lib.arange(12).reshape(4, 3)
        x[range(1, 3), 0] = -1
        return [loss, logits.grad, x, x[(0, 2), :], x[range(4), (0, 1, 2, 0)], x[:, range(2)]]

    for a, b in zip(*both(torch, run)):
        assert_close(a, b)


def test_out_keyword_like_the_tensors_tutorial(torch):
    def run(lib):
        t = lib.ones(4, 4)
        t[:, 1] = 0
        y3 = lib.rand_like(t)
        same = lib.matmul(t, t.T, out=y3) is y3
        z3 = lib.empty(4, 4)
        lib.mul(t, t, out=z3)
        v, i = lib.empty(0), lib.empty(0, dtype=lib.int64)
        r = lib.max(lib.tensor([[1.0, 3.0], [4.0, 2.0]]), 1, out=(v, i))
        o64 = lib.zeros(2, dtype=lib.float64)
        lib.add(lib.ones(2), 1.5, out=o64)
        cat = lib.cat([lib.ones(1), lib.zeros(1)], out=lib.empty(2))
        return [same, y3, z3, r.values, r.indices, v, i, o64, cat, lib.arange(3, out=lib.empty(3))]

    mine, theirs = both(torch, run)
    assert mine[0] is theirs[0] is True
    for a, b in zip(mine[1:], theirs[1:]):
        assert str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1]
        assert_close(a, b)
    assert minitorch.add.__name__ == "add" and "torch.add" in minitorch.add.__doc__


def test_out_keyword_errors_and_resize_match_pytorch(torch):
    for lib in (minitorch, torch):
        a = lib.ones(2, requires_grad=True)
        with pytest.raises(
            RuntimeError, match=r"mul\(\): functions with out=\.\.\. arguments don't"
        ):
            lib.mul(a, 2, out=lib.empty(2))
        with lib.no_grad():
            assert lib.mul(a, 2, out=lib.empty(2)).tolist() == [2.0, 2.0]
        with pytest.raises(RuntimeError, match="can't be cast to the desired output type"):
            lib.add(lib.ones(2), 1.5, out=lib.zeros(2, dtype=lib.int64))
        with pytest.warns(UserWarning, match="An output with one or more elements was resized"):
            out = lib.add(lib.ones(2), 1, out=lib.empty(3))
        assert tuple(out.shape) == (2,)
        empty = lib.empty(0)
        lib.add(lib.ones(2), 1, out=empty)  # zero elements: resized silently
        assert empty.tolist() == [2.0, 2.0]


# ---- the pre-0.4 API of old code ---------------------------------------------------------------
def test_legacy_typed_tensors_variable_and_new_match_pytorch(torch):
    def run(lib):
        t = lib.ones(2, 3)
        v = lib.autograd.Variable(lib.ones(2) * 3, requires_grad=True)
        (v * v).sum().backward()
        return [
            lib.FloatTensor([1, 2]), lib.LongTensor(np.array([1, 2])), lib.ByteTensor([1, 0]),
            lib.BoolTensor([True, False]), lib.DoubleTensor([1.5]), lib.IntTensor([3]),
            lib.HalfTensor([0.5]), lib.FloatTensor(2, 3).shape, lib.LongTensor(4).shape,
            lib.Tensor().shape, lib.Tensor(lib.Size([2, 3])).shape, lib.Tensor((2, 3)),
            isinstance(t, lib.FloatTensor), isinstance(t, lib.LongTensor),
            isinstance(t, lib.autograd.Variable), lib.tensor([1, 2]).type(lib.FloatTensor),
            v.grad, v.is_leaf, t.new(3).shape, t.new([1, 2]), t.new(2, 2).dtype, t.new().shape,
            lib.tensor([1, 2]).new(2).dtype,
        ]  # fmt: skip

    for a, b in zip(*both(torch, run)):
        if hasattr(b, "detach"):
            assert str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1]
            assert_close(a, b)
        elif isinstance(b, tuple):
            assert tuple(a) == tuple(b)
        else:
            assert str(a).split(".")[-1] == str(b).split(".")[-1]


# ---- module backward hooks (Grad-CAM style) ----------------------------------------------------
def test_full_backward_hooks_match_pytorch(torch):
    rng = np.random.default_rng(3)
    image = rng.normal(size=(2, 1, 5, 5)).astype(np.float32)

    def build(lib):
        lib.manual_seed(0)
        return lib.nn.Sequential(
            lib.nn.Conv2d(1, 3, 3), lib.nn.ReLU(), lib.nn.Flatten(), lib.nn.Linear(27, 4)
        )

    mine, theirs = build(minitorch), build(torch)
    _copy_params(mine, theirs, torch)

    def run(lib, model):
        seen = []

        def save(module, grad_input, grad_output):
            seen.append([g for g in (*grad_input, *grad_output) if g is not None])

        def scale(module, grad_input, grad_output):
            return tuple(g * 10 for g in grad_input)

        conv_hook = model[0].register_full_backward_hook(save)  # no input requires grad
        model[1].register_full_backward_hook(save)
        relu_scale = model[1].register_full_backward_hook(scale)
        x = lib.tensor(image)
        out = model(x)
        out[:, 1].sum().backward()
        first = [model[0].weight.grad.clone()] + seen[0] + seen[1]
        relu_scale.remove()
        conv_hook.remove()
        model.zero_grad()
        x2 = lib.tensor(image, requires_grad=True)
        model(x2).sum().backward()
        return first + [model[0].weight.grad, x2.grad, len(seen)]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the no-input-grad warning, in both libraries
        got, want = run(minitorch, mine), run(torch, theirs)
    assert got[-1] == want[-1] == 3
    assert len(got) == len(want)
    for a, b in zip(got[:-1], want[:-1]):
        assert_close(a, b, rtol=1e-4, atol=1e-5)


def test_backward_hook_warning_and_bad_return_match_pytorch(torch):
    for lib in (minitorch, torch):
        layer = lib.nn.Linear(2, 2)
        layer.register_full_backward_hook(lambda m, gi, go: None)
        with pytest.warns(UserWarning, match="Full backward hook is firing when gradients"):
            layer(lib.ones(1, 2)).sum().backward()
        layer.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
        with pytest.raises(
            RuntimeError, match="Backward hook returned an invalid number of grad_input"
        ):
            layer(lib.ones(1, 2, requires_grad=True)).sum().backward()


# ---- error types of common mistakes ------------------------------------------------------------
MISTAKES = {
    "negative_size": (lambda lib: lib.ones(2, -3), "negative dimension -3"),
    "negative_size_randn": (lambda lib: lib.randn(-1), "negative dimension -1"),
    "randint_empty_range": (lambda lib: lib.randint(5, 2, (3,)), "'from' to be less than 'to'"),
    "multinomial_negative": (
        lambda lib: lib.multinomial(lib.tensor([-1.0, 2.0]), 1),
        "element < 0",
    ),
    "multinomial_zero": (
        lambda lib: lib.multinomial(lib.tensor([0.0, 0.0]), 1),
        "sum of probabilities",
    ),
    "int_floordiv_zero": (lambda lib: lib.tensor([1, 2]) // 0, "ZeroDivisionError"),
    "int_mod_zero": (lambda lib: lib.tensor([5, 3]) % lib.tensor([2, 0]), "ZeroDivisionError"),
    "setitem_shape": (lambda lib: lib.zeros(3, 4).__setitem__(0, lib.ones(5)), r"\(5\)|\[5\]"),
    "setitem_mask_shape": (
        lambda lib: lib.zeros(3, 4).__setitem__(lib.ones(3, 4) > 0, lib.ones(2)),
        "shape mismatch",
    ),
}


@pytest.mark.parametrize("mistake", MISTAKES.values(), ids=MISTAKES.keys())
def test_common_mistakes_raise_runtime_error_like_pytorch(torch, mistake):
    fn, message = mistake
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError, match=message):
            fn(lib)


def test_float_division_by_zero_still_gives_inf(torch):
    for lib in (minitorch, torch):
        assert (lib.tensor([1.0, -1.0]) // 0).tolist() == [np.inf, -np.inf]
        assert (lib.tensor([7, -7]) // 2).tolist() == [3, -4]


# ---- losses of batches whose targets are all ignored (padding-only batches) ---------------------
ALL_IGNORED = {
    "cross_entropy": lambda lib, x: lib.nn.functional.cross_entropy(x, lib.full((3,), -100)),
    "cross_entropy_smoothing": lambda lib, x: lib.nn.functional.cross_entropy(
        x, lib.full((3,), 1), ignore_index=1, label_smoothing=0.1
    ),
    "cross_entropy_weight": lambda lib, x: lib.nn.functional.cross_entropy(
        x, lib.full((3,), -100), weight=lib.tensor([1.0, 2.0, 3.0, 4.0])
    ),
    "cross_entropy_zero_weights": lambda lib, x: lib.nn.functional.cross_entropy(
        x, lib.tensor([0, 1, 2]), weight=lib.tensor([0.0, 0.0, 0.0, 1.0])
    ),
    "nll_loss": lambda lib, x: lib.nn.functional.nll_loss(x.log_softmax(1), lib.full((3,), -100)),
    "nll_loss_zero_weights": lambda lib, x: lib.nn.functional.nll_loss(
        x, lib.tensor([0, 1, 2]), weight=lib.tensor([0.0, 0.0, 0.0, 1.0])
    ),
    "nll_loss_some_ignored": lambda lib, x: lib.nn.functional.nll_loss(x, lib.tensor([0, -100, 2])),
}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("loss", ALL_IGNORED.values(), ids=ALL_IGNORED.keys())
def test_all_ignored_targets_give_nan_loss_and_pytorchs_gradient(torch, loss):
    """PyTorch: nan loss (0 / 0) but a zero gradient when every target is ignored (a NaN
    gradient would poison the weights); nan where kept samples have zero total weight."""
    data = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)

    def run(lib):
        x = lib.tensor(data, requires_grad=True)
        out = loss(lib, x)
        out.backward()
        return out, x.grad

    (out, grad), (tout, tgrad) = both(torch, run)
    assert_close(out, tout)
    assert_close(grad, tgrad)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("fused", [False, True], ids=["arrays", "fused-kernel"])
def test_all_ignored_cross_entropy_on_the_fake_gpu_backend(fused):
    from fake_cupy import installed

    with installed(fused=fused):
        x = minitorch.tensor(np.ones((3, 4), np.float32), device="cuda", requires_grad=True)
        target = minitorch.tensor([-100, -100, -100], device="cuda")
        loss = minitorch.nn.functional.cross_entropy(x, target)
        loss.backward()
        assert np.isnan(loss.item())
        assert x.grad.cpu().tolist() == [[0.0] * 4] * 3


def test_device_and_size_attributes_match_pytorch(torch):
    def run(lib):
        x = lib.ones(3, 2, dtype=lib.float64)
        i = lib.ones(5, dtype=lib.int32)
        return [x.is_cpu, x.get_device(), x.itemsize, x.nbytes, i.itemsize, i.nbytes, x.is_cuda]

    mine, theirs = both(torch, run)
    assert mine == theirs == [True, -1, 8, 48, 4, 20, False]


def test_t_of_a_vector_is_a_new_view_like_pytorch(torch):
    for lib in (minitorch, torch):
        x = lib.ones(3, requires_grad=True)
        y = x.t()
        assert y is not x and not y.is_leaf and y.grad_fn is not None
        (y * lib.tensor([1.0, 2.0, 3.0])).sum().backward()
        assert x.grad.tolist() == [1.0, 2.0, 3.0]
        v = lib.zeros(2)
        v.t()[0] = 5  # writes through the view
        assert v.tolist() == [5.0, 0.0] and lib.tensor(2.0).t().item() == 2.0


@pytest.mark.skipif(minitorch.cuda.is_available(), reason="checks the CPU-only behaviour")
@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_deprecated_cuda_amp_without_a_gpu_matches_pytorch(torch):
    """Older AMP code: ``from torch.cuda.amp import autocast, GradScaler``."""
    from minitorch.cuda.amp import GradScaler, autocast

    for lib, (ac, scaler_cls) in ((minitorch, (autocast, GradScaler)),
                                  (torch, (torch.cuda.amp.autocast, torch.cuda.amp.GradScaler))):  # fmt: skip
        with pytest.warns(UserWarning, match="CUDA is not available"):
            scaler = scaler_cls()
        assert not scaler.is_enabled()
        model = lib.nn.Linear(2, 2)
        with pytest.warns(UserWarning, match="(?i)cuda is not available"), ac():
            out = model(lib.ones(1, 2))
        loss = scaler.scale(out.sum())  # disabled: the loss itself
        loss.backward()
        assert str(out.dtype).split(".")[-1] == "float32" and model.weight.grad is not None
    with pytest.warns(FutureWarning, match="minitorch.cuda.amp.GradScaler"):
        with pytest.warns(UserWarning):
            GradScaler()


# ---- metric learning: distances and margin losses ----------------------------------------------
METRIC = {
    "pairwise_distance": Case(
        lambda m, a, b: m.nn.functional.pairwise_distance(a, b), [(4, 3), (4, 3)]
    ),
    "pairwise_p1_keepdim": Case(
        lambda m, a, b: m.nn.PairwiseDistance(p=1.0, keepdim=True)(a, b), [(2, 4, 3), (4, 3)]
    ),
    "cosine_similarity_module": Case(
        lambda m, a, b: m.nn.CosineSimilarity(dim=0)(a, b), [(4, 3), (4, 3)]
    ),
    "triplet": Case(lambda m, a, p, n: m.nn.TripletMarginLoss(margin=2.0)(a, p, n), [(5, 3)] * 3),
    "triplet_swap_p1": Case(
        lambda m, a, p, n: m.nn.functional.triplet_margin_loss(
            a, p, n, p=1, swap=True, reduction="sum"
        ),
        [(5, 3)] * 3,
    ),
    "margin_ranking": Case(
        lambda m, a, b: m.nn.MarginRankingLoss(0.5)(a, b, m.tensor([1.0, -1.0, 1.0, -1.0])),
        [(4,), (4,)],
    ),
    "cosine_embedding": Case(
        lambda m, a, b: m.nn.CosineEmbeddingLoss(margin=0.1, reduction="none")(
            a, b, m.tensor([1, -1, 1, -1])
        ),
        [(4, 3), (4, 3)],
    ),
    "hinge_embedding": Case(
        lambda m, a: m.nn.HingeEmbeddingLoss(margin=1.5)(
            a, m.tensor([[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0]])
        ),
        [(2, 3)],
    ),
    "dist": Case(lambda m, a, b: m.dist(a, b), [(3, 4), (4,)]),
    "dist_p3_method": Case(lambda m, a, b: a.dist(b, 3), [(3, 4), (3, 4)]),
}


@pytest.mark.parametrize("case", METRIC.values(), ids=METRIC.keys())
def test_metric_learning_ops_match_pytorch(torch, case):
    check_against_torch(case, torch, "float32")


@pytest.mark.parametrize("case", METRIC.values(), ids=METRIC.keys())
def test_metric_learning_ops_gradients(case):
    check_gradients(case)


def test_broadcast_shapes_and_metric_module_reprs_match_pytorch(torch):
    for lib in (minitorch, torch):
        assert tuple(lib.broadcast_shapes((3, 1), (1, 4), (4,))) == (3, 4)
        assert tuple(lib.broadcast_shapes(2, (3, 1))) == (3, 2)
        with pytest.raises(RuntimeError, match="broadcast"):
            lib.broadcast_shapes((2,), (3,))
    reprs = [
        [
            repr(m)
            for m in (
                lib.nn.PairwiseDistance(),
                lib.nn.CosineSimilarity(),
                lib.nn.TripletMarginLoss(),
            )
        ]
        for lib in (minitorch, torch)
    ]
    assert reprs[0] == reprs[1]


# ---- EmbeddingBag (the text classification tutorial) -------------------------------------------
BAG_INDEX = [1, 2, 4, 5, 4, 3, 2, 9]


def _bag(mode, offsets=(0, 4, 4), **kw):
    return lambda m, w: m.nn.functional.embedding_bag(
        m.tensor(BAG_INDEX), w, m.tensor(list(offsets)), mode=mode, **kw
    )


BAGS = {
    "mean": Case(_bag("mean"), [(10, 3)]),
    "sum": Case(_bag("sum"), [(10, 3)]),
    "max": Case(_bag("max"), [(10, 3)], fd=False),
    "padding_idx": Case(_bag("mean", padding_idx=4), [(10, 3)]),
    "last_offset": Case(_bag("sum", offsets=(0, 3, 8), include_last_offset=True), [(10, 3)]),
    "per_sample_weights": Case(
        lambda m, w, p: m.nn.functional.embedding_bag(
            m.tensor(BAG_INDEX), w, m.tensor([0, 5]), mode="sum", per_sample_weights=p
        ),
        [(10, 3), (8,)],
    ),
    "rows_2d": Case(
        lambda m, w: m.nn.functional.embedding_bag(m.tensor([[1, 2], [3, 3], [0, 9]]), w), [(10, 3)]
    ),
}


@pytest.mark.parametrize("case", BAGS.values(), ids=BAGS.keys())
def test_embedding_bag_matches_pytorch(torch, case):
    check_against_torch(case, torch, "float32")


@pytest.mark.parametrize(
    "case", [c for c in BAGS.values() if c.fd], ids=[k for k, c in BAGS.items() if c.fd]
)
def test_embedding_bag_gradients(case):
    check_gradients(case)


def test_text_classification_tutorial_matches_pytorch(torch):
    """TextClassificationModel: EmbeddingBag + Linear, offsets from the lengths' cumsum."""
    texts = [[3, 1, 4], [1, 5], [9, 2, 6, 5], [3]]
    labels = [0, 2, 1, 3]

    def run(lib, model):
        opt = lib.optim.SGD(model.parameters(), lr=5.0)
        lengths = [len(t) for t in texts]
        offsets = lib.tensor([0] + lengths[:-1]).cumsum(dim=0)
        text = lib.cat([lib.tensor(t, dtype=lib.int64) for t in texts])
        losses = []
        for _ in range(3):
            opt.zero_grad()
            loss = lib.nn.functional.cross_entropy(model(text, offsets), lib.tensor(labels))
            loss.backward()
            lib.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
            opt.step()
            losses.append(loss.item())
        return losses, model[0].weight

    def build(lib):
        class Model(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.embedding = lib.nn.EmbeddingBag(10, 4, sparse=False)
                self.fc = lib.nn.Linear(4, 4)

            def forward(self, text, offsets):
                return self.fc(self.embedding(text, offsets))

            def __getitem__(self, i):
                return [self.embedding, self.fc][i]

        return Model()

    mine, theirs = build(minitorch), build(torch)
    assert repr(mine.embedding) == repr(theirs.embedding)
    _copy_params(mine, theirs, torch)
    (a, wa), (b, wb) = run(minitorch, mine), run(torch, theirs)
    np.testing.assert_allclose(a, b, rtol=1e-5)
    assert_close(wa, wb, rtol=1e-4, atol=1e-6)


# ---- scatter_reduce ----------------------------------------------------------------------------
SCATTER_INDEX = [[0, 1, 0, 2], [2, 2, 0, 1]]


def _scatter_reduce(reduce, include_self=True, dim=1):
    def fn(m, a, b):
        return a.scatter_reduce(dim, m.tensor(SCATTER_INDEX), b, reduce, include_self=include_self)

    return fn


SCATTER_REDUCE = {
    f"{r}_{'self' if s else 'noself'}": Case(_scatter_reduce(r, s), [(2, 3), (2, 4)])
    for r in ("sum", "mean", "amax", "amin")
    for s in (True, False)
}
SCATTER_REDUCE["sum_dim0"] = Case(
    lambda m, a, b: m.scatter_reduce(a, 0, m.tensor([[1, 0, 1], [1, 1, 0]]), b, "mean"),
    [(2, 3), (2, 3)],
)


@pytest.mark.parametrize("case", SCATTER_REDUCE.values(), ids=SCATTER_REDUCE.keys())
def test_scatter_reduce_matches_pytorch(torch, case):
    check_against_torch(case, torch, "float32")


@pytest.mark.parametrize("case", SCATTER_REDUCE.values(), ids=SCATTER_REDUCE.keys())
def test_scatter_reduce_gradients(case):
    check_gradients(case)


def test_scatter_reduce_ties_prod_ints_and_errors_match_pytorch(torch):
    def run(lib):
        x = lib.tensor([1.0, 5.0, 2.0], requires_grad=True)
        src = lib.tensor([5.0, 5.0, 2.0, 3.0], requires_grad=True)
        index = lib.tensor([1, 1, 2, 0])
        out = x.scatter_reduce(0, index, src, "amax")  # a three-way tie at position 1
        (out * lib.tensor([1.0, 2.0, 3.0])).sum().backward()
        with lib.no_grad():
            prod = x.scatter_reduce(0, index, src, "prod", include_self=False)
        ints = lib.tensor([7, 1, 2]).scatter_reduce(
            0, lib.tensor([0, 0]), lib.tensor([2, 4]), "mean"
        )
        inplace = lib.zeros(3).scatter_reduce_(0, index, src.detach(), "sum")
        return [out, x.grad, src.grad, prod, ints, inplace]

    for a, b in zip(*both(torch, run)):
        assert str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1]
        assert_close(a, b)
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError, match="reduce argument must be either"):
            lib.zeros(3).scatter_reduce(0, lib.tensor([0]), lib.ones(1), "maxx")


def test_save_load_keeps_zero_dim_tensors_like_pytorch(torch, tmp_path):
    """A checkpoint's scalars (best accuracy, BatchNorm's num_batches_tracked, Adam's step)
    come back 0-d (they came back with shape (1,))."""
    for lib in (minitorch, torch):
        bn = lib.nn.BatchNorm1d(2)
        bn(lib.ones(3, 2))
        path = tmp_path / f"{lib.__name__}.pt"
        lib.save({"best": lib.tensor(0.93), "n": lib.tensor(7), "bn": bn.state_dict()}, path)
        ck = lib.load(path)
        assert tuple(ck["best"].shape) == () and tuple(ck["n"].shape) == ()
        assert tuple(ck["bn"]["num_batches_tracked"].shape) == ()
        assert abs(ck["best"].item() - 0.93) < 1e-6 and ck["bn"]["num_batches_tracked"].item() == 1


def test_checkpoints_whose_header_length_looks_like_pickle_magic_load():
    """A header of 640, 896, 1152 or 1408 bytes starts the file with 80 02..80 05 (pickle's
    magic): such checkpoints were refused as pickles (about 2% of small ones)."""
    import io

    targets = {0x280, 0x380, 0x480, 0x580}
    found = set()
    for n in range(1500):
        buf = io.BytesIO()
        minitorch.save({"w": minitorch.ones(2), "note": "x" * n}, buf)
        length = int.from_bytes(buf.getvalue()[:8], "little")
        if length in targets and length not in found:
            found.add(length)
            buf.seek(0)
            ck = minitorch.load(buf)
            assert ck["note"] == "x" * n and ck["w"].tolist() == [1.0, 1.0]
    assert found == targets


# ---- custom optimizers and schedulers written against PyTorch's base classes --------------------
@pytest.mark.filterwarnings("ignore:Detected call of `lr_scheduler.step\\(\\)` before")
def test_custom_optimizer_and_schedulers_match_pytorch(torch):
    """A momentum SGD written like PyTorch's own (zeros_like(p, memory_format=
    torch.preserve_format)), a warmup-cosine LRScheduler and an old-style _LRScheduler."""

    def run(lib):
        class MySGD(lib.optim.Optimizer):
            def __init__(self, params, lr=0.01, momentum=0.9):
                super().__init__(params, dict(lr=lr, momentum=momentum))

            @lib.no_grad()
            def step(self, closure=None):
                loss = None
                if closure is not None:
                    with lib.enable_grad():
                        loss = closure()
                for group in self.param_groups:
                    for p in group["params"]:
                        if p.grad is None:
                            continue
                        state = self.state[p]
                        if len(state) == 0:
                            state["buf"] = lib.zeros_like(p, memory_format=lib.preserve_format)
                        state["buf"].mul_(group["momentum"]).add_(p.grad)
                        p.add_(state["buf"], alpha=-group["lr"])
                return loss

        class Warmup(lib.optim.lr_scheduler.LRScheduler):
            def get_lr(self):
                return [b * min(1.0, (self.last_epoch + 1) / 3) for b in self.base_lrs]

        class Halving(lib.optim.lr_scheduler._LRScheduler):
            def get_lr(self):
                return [b * 0.5**self.last_epoch for b in self.base_lrs]

        w = lib.tensor([[0.5, -0.25, 1.0]], requires_grad=True)
        x = lib.tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3))
        opt = MySGD([w], lr=0.1)
        warm = Warmup(opt)
        losses = []
        for _ in range(4):

            def closure():
                opt.zero_grad()
                loss = ((x @ w.T) ** 2).mean()
                loss.backward()
                return loss

            losses.append(opt.step(closure).item())
            warm.step()
        halving = Halving(lib.optim.SGD([lib.nn.Parameter(lib.ones(1))], lr=1.0))
        halving_lrs = [(halving.step(), halving.get_last_lr()[0])[1] for _ in range(3)]
        return losses, warm.get_last_lr(), halving_lrs, w, repr(lib.preserve_format)

    mine, theirs = both(torch, run)
    np.testing.assert_allclose(mine[0], theirs[0], rtol=1e-5)
    np.testing.assert_allclose(mine[1] + mine[2], theirs[1] + theirs[2], rtol=1e-7)
    assert_close(mine[3], theirs[3])
    assert mine[4] == theirs[4] == "torch.preserve_format"
