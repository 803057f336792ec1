"""The random state objects are PyTorch's: ``get_rng_state`` / ``Generator.get_state`` give
the 5056 bytes of PyTorch's CPUGeneratorImplState (uint8 tensor), and a state taken from
either library continues the other's stream with the same numbers."""

import copy
import hashlib

import numpy as np
import pytest

import minitorch
from minitorch.utils._rng import RngSnapshot

SEED, LEFT, SEEDED, NEXT, KEY, NORMAL_Y, NORMAL_VALID, FLOAT, FLOAT_VALID = (
    slice(0, 8),
    slice(8, 12),
    slice(12, 16),
    slice(16, 24),
    slice(24, 5016),
    slice(5024, 5032),
    slice(5040, 5044),
    slice(5048, 5052),
    5052,
)

DRAWS = {
    "fresh": lambda t: None,
    "rand_odd": lambda t: t.rand(7),
    "rand_625": lambda t: t.rand(625),
    "rand_2x624": lambda t: (t.rand(624), t.rand(624)),
    "rand_f64_odd": lambda t: t.rand(5, dtype=t.float64),
    "randn_1": lambda t: t.randn(1),  # leaves a cached normal sample
    "randn_3": lambda t: t.randn(3),
    "randn_17_f64": lambda t: t.randn(17, dtype=t.float64),
    "randint_randperm": lambda t: (t.randint(0, 9, (3,)), t.randperm(11)),
}


def _field(state: np.ndarray, where, dtype):
    return np.frombuffer(state[where].tobytes(), dtype)


def _mt_state(torch_state) -> minitorch.Tensor:
    return minitorch.tensor(torch_state.numpy())


# ---- without PyTorch -----------------------------------------------------------------------
def test_state_is_a_uint8_tensor_of_pytorchs_layout():
    minitorch.manual_seed(3)
    s = minitorch.get_rng_state()
    assert isinstance(s, minitorch.Tensor) and s.dtype == minitorch.uint8
    assert s.shape == (5056,) and s.is_contiguous() and not s.requires_grad
    b = s.numpy()
    assert _field(b, SEED, "<u8").tolist() == [3]
    assert _field(b, LEFT, "<i4").tolist() == [1] and _field(b, SEEDED, "<i4").tolist() == [1]
    assert _field(b, NEXT, "<u8").tolist() == [0]
    assert _field(b, KEY, "<u8")[:3].tolist() == [3, 1142332464, 3889748055]
    assert not b[5016:].any()
    minitorch.randn(3)  # two float64 Box-Muller pairs: 8 words, one value cached
    b = minitorch.get_rng_state().numpy()
    assert _field(b, LEFT, "<i4").tolist() == [617] and _field(b, NEXT, "<u8").tolist() == [8]
    assert _field(b, KEY, "<u8")[:2].tolist() == [2266350226, 522119106]  # twisted
    assert _field(b, NORMAL_Y, "<f8").tolist() == [-0.6137180077293578]  # PyTorch's value
    assert _field(b, NORMAL_VALID, "<i4").tolist() == [1]
    # the whole of PyTorch 2.13's state after manual_seed(3); randn(3)
    assert hashlib.sha256(b.tobytes()).hexdigest() == (
        "60c5d6f721840f26b3be3904dee80304f9b810d2c5e11ab1a1364c9e105d6fe1"
    )


def test_state_clone_save_load_and_set_continue_the_stream(tmp_path):
    minitorch.manual_seed(9)
    minitorch.randn(1)
    s = minitorch.get_rng_state()
    kept = s.clone()
    minitorch.save(s, tmp_path / "rng.pt")
    expected = minitorch.randn(5).tolist() + minitorch.rand(3).tolist()
    loaded = minitorch.load(tmp_path / "rng.pt")
    assert loaded.dtype == minitorch.uint8 and loaded.tolist() == kept.tolist()
    minitorch.set_rng_state(loaded)
    assert minitorch.randn(5).tolist() + minitorch.rand(3).tolist() == expected
    minitorch.random.set_rng_state(kept)
    assert minitorch.random.get_rng_state().tolist() == s.tolist()


def test_generator_state_carries_the_initial_seed():
    g = minitorch.Generator()
    assert g.initial_seed() == 67280421310721
    state = minitorch.Generator().manual_seed(2**64 - 1).get_state()
    g.set_state(state)
    assert g.initial_seed() == 2**64 - 1
    assert g.get_state().tolist() == state.tolist()
    minitorch.set_rng_state(state)
    assert minitorch.initial_seed() == minitorch.random.initial_seed() == 2**64 - 1


def test_seed_draws_a_64_bit_seed_and_reseeds():
    seeds = [minitorch.Generator().seed() for _ in range(64)]
    assert all(0 <= s < 2**64 for s in seeds) and max(seeds) >= 2**63  # all 64 bits, as PyTorch
    s = minitorch.seed()
    assert minitorch.initial_seed() == s
    a = minitorch.rand(3).tolist()
    minitorch.manual_seed(s)
    assert minitorch.rand(3).tolist() == a


def test_fork_rng_restores_state_and_initial_seed():
    minitorch.manual_seed(4)
    minitorch.randn(1)
    before = minitorch.get_rng_state().tolist()
    with minitorch.random.fork_rng():
        minitorch.manual_seed(77)
        minitorch.randn(5)
    assert minitorch.get_rng_state().tolist() == before
    assert minitorch.initial_seed() == 4


def test_rng_snapshot_replays_the_stream():
    minitorch.manual_seed(6)
    snap = RngSnapshot()
    with snap.replay(first=True):
        first = minitorch.randn(3).tolist()
    after = minitorch.get_rng_state().tolist()
    with snap.replay():
        assert minitorch.randn(3).tolist() == first
    assert minitorch.get_rng_state().tolist() == after


def test_copies_of_a_stream_keep_the_cached_normal_sample():
    g = minitorch.Generator().manual_seed(2)
    minitorch.randn(1, generator=g)
    twin = copy.deepcopy(g.rng)
    assert twin.state.tolist() == g.rng.state.tolist()
    assert twin.one_by_one_normals((3,)).tolist() == g.rng.one_by_one_normals((3,)).tolist()


def test_manual_seed_clears_a_cached_float_sample():
    b = minitorch.get_rng_state().numpy().copy()
    b[FLOAT] = np.frombuffer(np.float32(1.5).tobytes(), np.uint8)
    b[FLOAT_VALID] = 1
    minitorch.set_rng_state(minitorch.tensor(b))
    assert minitorch.get_rng_state().numpy().tolist() == b.tolist()
    minitorch.manual_seed(0)
    assert not minitorch.get_rng_state().numpy()[5048:].any()


@pytest.mark.parametrize(
    "bad, error, message",
    [
        (
            lambda s: s[:100],
            RuntimeError,
            "of size 5056 but found the input RNG state size to be 100",
        ),
        (lambda s: s[:5048].clone(), RuntimeError, "size to be 5048"),
        (lambda s: s.float(), TypeError, "RNG state must be a torch.ByteTensor"),
        (lambda s: s.to(minitorch.int8), TypeError, "RNG state must be a torch.ByteTensor"),
        (lambda s: s.numpy(), TypeError, "expected a torch.ByteTensor, but got numpy.ndarray"),
        (lambda s: s.tolist(), TypeError, "expected a torch.ByteTensor, but got builtins.list"),
        (lambda s: minitorch.cat([s, s])[::2], RuntimeError, "RNG state must be contiguous"),
    ],
)
def test_wrong_states_raise_pytorchs_errors(bad, error, message):
    s = minitorch.get_rng_state()
    for set_state in (minitorch.set_rng_state, minitorch.Generator().set_state):
        with pytest.raises(error, match=message):
            set_state(bad(s))


def _with(state: np.ndarray, where, value) -> minitorch.Tensor:
    b = state.copy()
    b[where] = np.frombuffer(value.tobytes(), np.uint8)
    return minitorch.tensor(b)


def test_invalid_twister_positions_are_refused():
    b = minitorch.get_rng_state().numpy()
    for where, value in [(LEFT, np.int32(0)), (LEFT, np.int32(625)), (SEEDED, np.int32(0))]:
        with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
            minitorch.set_rng_state(_with(b, where, value))
    with pytest.raises(RuntimeError, match="left=600 and next=0 is not one PyTorch's generator"):
        minitorch.set_rng_state(_with(b, LEFT, np.int32(600)))
    assert minitorch.get_rng_state().numpy().tolist() == b.tolist()  # left unchanged


# ---- against PyTorch -----------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 3, 2**64 - 1, -5])
@pytest.mark.parametrize("draw", DRAWS.values(), ids=DRAWS.keys())
def test_state_bytes_equal_pytorchs(torch, seed, draw):
    torch.manual_seed(seed)
    minitorch.manual_seed(seed)
    draw(torch)
    draw(minitorch)
    np.testing.assert_array_equal(minitorch.get_rng_state().numpy(), torch.get_rng_state().numpy())
    g, tg = minitorch.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)
    np.testing.assert_array_equal(g.get_state().numpy(), tg.get_state().numpy())


def test_default_generator_state_equals_pytorchs(torch):
    np.testing.assert_array_equal(
        minitorch.Generator().get_state().numpy(), torch.Generator().get_state().numpy()
    )


def _continue(t):
    return t.randn(3).tolist() + t.rand(5).tolist() + t.randint(0, 100, (4,)).tolist()


@pytest.mark.parametrize("draw", ["randn_1", "randn_3", "rand_odd", "rand_2x624"])
def test_pytorch_state_continues_in_minitorch(torch, draw):
    torch.manual_seed(123)
    DRAWS[draw](torch)
    minitorch.set_rng_state(_mt_state(torch.get_rng_state()))
    assert minitorch.initial_seed() == 123
    assert _continue(minitorch) == _continue(torch)
    np.testing.assert_array_equal(minitorch.get_rng_state().numpy(), torch.get_rng_state().numpy())


@pytest.mark.parametrize("draw", ["randn_1", "randn_3", "rand_odd", "rand_2x624"])
def test_minitorch_state_continues_in_pytorch(torch, draw):
    minitorch.manual_seed(321)
    DRAWS[draw](minitorch)
    tg = torch.Generator()
    tg.set_state(torch.from_numpy(minitorch.get_rng_state().numpy().copy()))
    assert tg.initial_seed() == 321
    ours = minitorch.randn(3).tolist() + minitorch.rand(5).tolist()
    theirs = torch.randn(3, generator=tg).tolist() + torch.rand(5, generator=tg).tolist()
    assert ours == theirs


def test_cached_float_sample_round_trips_as_in_pytorch(torch):
    torch.manual_seed(1)
    torch.randn(1)
    b = torch.get_rng_state().numpy().copy()
    b[FLOAT] = np.frombuffer(np.float32(-0.25).tobytes(), np.uint8)
    b[FLOAT_VALID] = 1
    torch.set_rng_state(torch.from_numpy(b))
    minitorch.set_rng_state(minitorch.tensor(b))
    assert _continue(minitorch) == _continue(torch)  # float32 randn uses the float64 cache
    np.testing.assert_array_equal(minitorch.get_rng_state().numpy(), torch.get_rng_state().numpy())


def test_errors_match_pytorchs_types(torch):
    b = torch.get_rng_state().numpy()
    bad = b.copy()
    bad[LEFT] = 0
    for make_t, make_m in [
        (lambda: torch.from_numpy(bad), lambda: minitorch.tensor(bad)),
        (lambda: torch.from_numpy(b[:99].copy()), lambda: minitorch.tensor(b[:99].copy())),
        (lambda: torch.from_numpy(b).float(), lambda: minitorch.tensor(b).float()),
    ]:
        with pytest.raises(Exception) as theirs:
            torch.set_rng_state(make_t())
        with pytest.raises(type(theirs.value), match=str(theirs.value)):
            minitorch.set_rng_state(make_m())


@pytest.mark.skipif(minitorch.cuda.is_available(), reason="checks the CPU-only behaviour")
def test_cuda_rng_names_without_a_gpu():
    before = minitorch.get_rng_state().tolist()
    assert minitorch.cuda.get_rng_state_all() == []  # as PyTorch without CUDA
    assert minitorch.cuda.seed() is None and minitorch.cuda.seed_all() is None
    minitorch.cuda.set_rng_state(minitorch.get_rng_state())  # deferred in PyTorch: no effect
    minitorch.cuda.set_rng_state_all([])
    assert minitorch.get_rng_state().tolist() == before  # the CPU stream untouched
    for call in (minitorch.cuda.get_rng_state, minitorch.cuda.initial_seed):
        with pytest.raises(RuntimeError, match=r"minitorch.cuda.\w+: no CUDA GPU with cupy"):
            call()
