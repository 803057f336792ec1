"""The CPU random stream is PyTorch's: after the same manual_seed, minitorch draws the
numbers PyTorch draws (exactly, or to the last bit of float32 for normal samples, whose
log/sin/cos come from another math library), so layers start from the same weights and
DataLoaders visit the same order."""

import numpy as np
import pytest

import minitorch
from minitorch.backends.cpu_random import CPUStream


def test_the_twister_is_the_reference_mt19937():
    # the first outputs of MT19937 seeded with 5489 (the reference implementation's default)
    assert CPUStream(5489).words(3).tolist() == [3499211612, 581869302, 3890346734]


def test_known_pytorch_values_without_pytorch():
    # values PyTorch 2.13 prints after torch.manual_seed(0)
    minitorch.manual_seed(0)
    np.testing.assert_allclose(minitorch.rand(3).numpy(), [0.4962566, 0.7682218, 0.08847743])
    minitorch.manual_seed(0)
    np.testing.assert_allclose(
        minitorch.randn(16).numpy()[:3], [-1.1258398, -1.1523602, -0.25057858], rtol=1e-6
    )
    minitorch.manual_seed(0)
    assert minitorch.randperm(8).tolist() == [4, 0, 7, 3, 2, 5, 1, 6]
    minitorch.manual_seed(0)
    assert minitorch.randint(0, 10, (4,)).tolist() == [4, 9, 3, 0]


def test_seeds_wrap_to_64_bits_and_out_of_range_seeds_raise():
    minitorch.manual_seed(-1)
    assert minitorch.initial_seed() == 2**64 - 1
    with pytest.raises(ValueError, match="Overflow"):
        minitorch.manual_seed(2**64)
    assert minitorch.initial_seed() == 2**64 - 1  # unchanged by the refused seed


def test_rng_state_round_trip_keeps_the_cached_normal_sample():
    minitorch.manual_seed(3)
    minitorch.randn(1)  # leaves the second value of a Box-Muller pair cached
    state = minitorch.get_rng_state()
    first = minitorch.randn(3).tolist()
    minitorch.set_rng_state(state)
    assert minitorch.randn(3).tolist() == first
    with pytest.raises(TypeError, match="expected a torch.ByteTensor, but got builtins.dict"):
        minitorch.set_rng_state({"bit_generator": "PCG64", "state": {}})


def test_copies_and_pickles_of_a_generator_continue_its_stream():
    import copy
    import pickle

    gen = minitorch.Generator().manual_seed(3)
    minitorch.randn(1, generator=gen)  # a cached normal sample is part of the state
    for twin in (copy.deepcopy(gen), pickle.loads(pickle.dumps(gen))):
        assert type(twin.rng) is CPUStream
        assert (
            minitorch.randn(3, generator=twin).tolist()
            == minitorch.randn(3, generator=copy.deepcopy(gen)).tolist()
        )
    expected = minitorch.randn(3, generator=copy.deepcopy(gen)).tolist()
    assert minitorch.randn(3, generator=gen).tolist() == expected


def _same(torch, program, rtol=0.0, atol=0.0):
    """Runs ``program(framework)`` after manual_seed(0) on both and compares the results."""
    torch.manual_seed(0)
    theirs = program(torch)
    minitorch.manual_seed(0)
    ours = program(minitorch)
    theirs = theirs if isinstance(theirs, (list, tuple)) else [theirs]
    ours = ours if isinstance(ours, (list, tuple)) else [ours]
    assert len(ours) == len(theirs)
    for o, t in zip(ours, theirs):
        o = o.numpy() if hasattr(o, "numpy") else np.asarray(o)
        t = t.numpy() if hasattr(t, "numpy") else np.asarray(t)
        assert o.dtype == t.dtype and o.shape == t.shape
        np.testing.assert_allclose(o.astype(np.float64), t.astype(np.float64), rtol, atol)


_EXACT = {
    "rand": lambda t: t.rand(7),
    "rand_float64": lambda t: t.rand(3, 2, dtype=t.float64),
    "rand_float16": lambda t: t.rand(5, dtype=t.float16),
    "randint_small_range": lambda t: t.randint(0, 10, (6,)),
    "randint_from_2_28": lambda t: t.randint(-5, 2**28, (3,)),
    "randint_int32": lambda t: t.randint(3, 90, (2, 3), dtype=t.int32),
    "randperm": lambda t: t.randperm(50),
    "rand_then_randperm": lambda t: [t.rand(3), t.randperm(9), t.rand(2)],
    "uniform_": lambda t: t.empty(4, 5).uniform_(-0.3, 0.7),
    "uniform_float64": lambda t: t.empty(6, dtype=t.float64).uniform_(2, 5),
    "random_int32": lambda t: t.empty(6, dtype=t.int32).random_(),
    "random_int64": lambda t: t.empty(6, dtype=t.int64).random_(),
    "random_uint8": lambda t: t.empty(6, dtype=t.uint8).random_(),
    "random_bool": lambda t: t.empty(6, dtype=t.bool).random_(),
    "random_float": lambda t: t.empty(6).random_(),
    "random_bounds": lambda t: t.empty(6, dtype=t.int32).random_(3, 9),
    "bernoulli_number": lambda t: t.empty(20).bernoulli_(0.3),
    "bernoulli_tensor": lambda t: t.bernoulli(t.full((20,), 0.4)),
    "exponential_": lambda t: t.empty(30).exponential_(2.5),
    "cauchy_": lambda t: t.empty(30).cauchy_(),
    "geometric_": lambda t: t.empty(30).geometric_(0.2),
    "multinomial_replacement": lambda t: t.multinomial(t.tensor([0.1, 0.5, 0.2, 0.2]), 9, True),
    "multinomial_rows": lambda t: t.multinomial(t.tensor([[0.1, 0.5, 0.4], [0.3, 0.3, 0.4]]), 2),
    "small_randn_pairs": lambda t: [t.randn(1, dtype=t.float64), t.randn(3, dtype=t.float64)],
    "randn_float64": lambda t: t.randn(37, dtype=t.float64),
    "log_normal_": lambda t: t.empty(9, dtype=t.float64).log_normal_(),
}


@pytest.mark.parametrize("name", sorted(_EXACT))
def test_draws_equal_pytorchs(torch, name):
    _same(torch, _EXACT[name])


_FLOAT32_NORMAL = {
    "randn_small": lambda t: t.randn(5),
    "randn_blocks": lambda t: t.randn(4, 8),
    "randn_tail": lambda t: t.randn(37),
    "normal_": lambda t: t.empty(3, 11).normal_(0.5, 2.0),
    "normal_numbers": lambda t: t.normal(2.0, 3.0, (20,)),
    "normal_tensor_mean": lambda t: t.normal(t.zeros(20), 2.0),
    "normal_tensors": lambda t: t.normal(t.zeros(20), t.ones(20) * 3),
    "randn_like_then_rand": lambda t: [t.randn_like(t.zeros(17)), t.rand(4)],
}


@pytest.mark.parametrize("name", sorted(_FLOAT32_NORMAL))
def test_normal_draws_equal_pytorchs_to_float32_rounding(torch, name):
    _same(torch, _FLOAT32_NORMAL[name], rtol=1e-6, atol=1e-6)


_LAYERS = {
    "linear": lambda t: t.nn.Linear(20, 7),
    "conv2d": lambda t: t.nn.Conv2d(3, 8, 3),
    "conv_transpose2d": lambda t: t.nn.ConvTranspose2d(4, 6, 3),
    "embedding": lambda t: t.nn.Embedding(30, 8, padding_idx=0),
    "lstm": lambda t: t.nn.LSTM(6, 5, num_layers=2, bidirectional=True),
    "gru": lambda t: t.nn.GRU(6, 5),
    "multihead_attention": lambda t: t.nn.MultiheadAttention(16, 4),
    "transformer_encoder_layer": lambda t: t.nn.TransformerEncoderLayer(16, 4, 32),
    "bilinear": lambda t: t.nn.Bilinear(4, 5, 3),
    "sequential": lambda t: t.nn.Sequential(t.nn.Linear(4, 8), t.nn.ReLU(), t.nn.Linear(8, 2)),
}


@pytest.mark.parametrize("name", sorted(_LAYERS))
def test_default_initialisation_equals_pytorchs(torch, name):
    def weights(t):
        return [p.detach() for p in _LAYERS[name](t).state_dict().values()]

    _same(torch, weights, rtol=1e-6, atol=1e-7)


_INITS = {
    "uniform_": lambda t, w: t.nn.init.uniform_(w, -1, 2),
    "normal_": lambda t, w: t.nn.init.normal_(w, 1, 3),
    "xavier_uniform_": lambda t, w: t.nn.init.xavier_uniform_(w),
    "xavier_normal_": lambda t, w: t.nn.init.xavier_normal_(w),
    "kaiming_uniform_": lambda t, w: t.nn.init.kaiming_uniform_(w),
    "kaiming_normal_": lambda t, w: t.nn.init.kaiming_normal_(w, mode="fan_out"),
    "trunc_normal_": lambda t, w: t.nn.init.trunc_normal_(w, std=0.02),
    "trunc_normal_tail": lambda t, w: t.nn.init.trunc_normal_(w, mean=0, std=1, a=1.5, b=3),
    "orthogonal_": lambda t, w: t.nn.init.orthogonal_(w),
    "sparse_": lambda t, w: t.nn.init.sparse_(w, 0.3),
}


@pytest.mark.parametrize("name", sorted(_INITS))
def test_init_functions_draw_as_pytorchs(torch, name):
    def run(t):
        w = t.empty(8, 12)
        return [_INITS[name](t, w).detach().clone(), t.rand(2)]  # and the stream after

    _same(torch, run, rtol=1e-5, atol=1e-6)


def _loader_order(t, **kwargs):
    data = t.utils.data if t.__name__ == "torch" else t.data
    dataset = data.TensorDataset(t.arange(50))
    loader = data.DataLoader(dataset, batch_size=8, shuffle=True, **kwargs)
    return [b[0] for epoch in range(2) for b in loader] + [t.rand(2)]


_DATA = {
    "dataloader_shuffle": _loader_order,
    "dataloader_drop_last": lambda t: _loader_order(t, drop_last=True),
    "dataloader_generator": lambda t: _loader_order(t, generator=t.Generator().manual_seed(5)),
    "random_split": lambda t: [
        t.tensor(s.indices)
        for s in (t.utils.data if t.__name__ == "torch" else t.data).random_split(
            range(10), [0.3, 0.7]
        )
    ],
    "random_sampler_replacement": lambda t: t.tensor(
        list(
            (t.utils.data if t.__name__ == "torch" else t.data).RandomSampler(
                range(7), replacement=True, num_samples=40
            )
        )
    ),
    "random_sampler_num_samples": lambda t: t.tensor(
        list(
            (t.utils.data if t.__name__ == "torch" else t.data).RandomSampler(
                range(7), num_samples=17
            )
        )
    ),
    "weighted_sampler": lambda t: t.tensor(
        list(
            (t.utils.data if t.__name__ == "torch" else t.data).WeightedRandomSampler(
                [0.1, 0.9, 0.4, 0.3], 10
            )
        )
    ),
}


@pytest.mark.parametrize("name", sorted(_DATA))
def test_data_orders_equal_pytorchs(torch, name):
    _same(torch, _DATA[name])


def _x(t):
    values = np.random.default_rng(0).standard_normal((4, 40)).astype(np.float32)
    return t.tensor(values)


_MASKS = {
    "dropout": lambda t: t.nn.functional.dropout(_x(t), 0.3),
    "dropout_module_float64": lambda t: t.nn.Dropout(0.5)(_x(t).double()),
    "dropout2d": lambda t: t.nn.Dropout2d(0.5)(_x(t).reshape(2, 4, 4, 5)),
    "alpha_dropout": lambda t: t.nn.functional.alpha_dropout(_x(t), 0.2, True),
    "attention_dropout": lambda t: t.nn.functional.scaled_dot_product_attention(
        *[_x(t).reshape(1, 2, 4, 20)] * 3, dropout_p=0.4
    ),
    "rrelu": lambda t: t.nn.functional.rrelu(_x(t), training=True),
    "gumbel_softmax": lambda t: t.nn.functional.gumbel_softmax(_x(t), tau=0.5),
}


@pytest.mark.parametrize("name", sorted(_MASKS))
def test_random_masks_and_noise_equal_pytorchs(torch, name):
    _same(torch, lambda t: [_MASKS[name](t), t.rand(2)], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    "bounds, message",
    [
        ((2.0, 1.0), r"uniform_ expects to return a \[from, to\) range, but found from=2 > to=1"),
        ((float("inf"), 1.0), "from is out of bounds for float"),
        ((0.0, 1e39), "to is out of bounds for float"),
        ((-3e38, 3e38), r"to-from <= std::numeric_limits<Float>::max\(\)"),
    ],
)
def test_uniform_bounds_are_checked_as_in_pytorch(bounds, message):
    with pytest.raises(RuntimeError, match=message):
        minitorch.empty(3).uniform_(*bounds)
    with pytest.raises(RuntimeError, match=message):
        minitorch.nn.init.uniform_(minitorch.empty(3), *bounds)
