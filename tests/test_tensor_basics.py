"""Tensor basics against PyTorch: dtypes and type promotion, factories, repr, numpy and
DLPack interop, manual_seed, and the integer-requires-grad error."""

from __future__ import annotations

import numpy as np
import pytest
from opcheck import assert_same, dtype_name

import minitorch

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
SCALARS = [True, 3, 2.5]


def _value(lib, name: str, ndim: int):
    data = np.array([[1, 2], [3, 1]]) if ndim else np.array(2)
    return lib.tensor(data.astype(np.dtype(name)))


@pytest.mark.parametrize("op", ["add", "mul", "div", "maximum", "where"])
def test_type_promotion_matches_torch(op, torch):
    """Every pair of dtypes, with and without dims, and Python scalars (weak)."""

    def run(lib, a, b):
        if op == "where":
            return lib.where(lib.tensor([[True, False], [False, True]]), a, b)
        if op == "maximum" and not isinstance(b, lib.Tensor):
            b = lib.tensor(b)
        return getattr(lib, op)(a, b)

    mismatches = []
    for da in DTYPES:
        others = [(db, nd) for db in DTYPES for nd in (0, 1)] + [(s, None) for s in SCALARS]
        for db, nd in others:
            a, ta = _value(minitorch, da, 1), _value(torch, da, 1)
            b, tb = (db, db) if nd is None else (_value(minitorch, db, nd), _value(torch, db, nd))
            try:
                expected = dtype_name(run(torch, ta, tb).dtype)
            except RuntimeError:
                continue  # PyTorch refuses (e.g. bool - bool); minitorch may too
            got = dtype_name(run(minitorch, a, b).dtype)
            if got != expected:
                mismatches.append(f"{da} {op} {db}{'' if nd is None else f'({nd}-d)'}: {got}")
    assert not mismatches, mismatches


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda m: m.tensor([1, 2]) * 2.5, "float32"),
        (lambda m: m.tensor([1, 2]) / m.tensor([2, 2]), "float32"),
        (lambda m: m.tensor([3, 4]) / 2, "float32"),
        (lambda m: m.ones(2) * 2.0, "float32"),
        (lambda m: m.ones(2) * np.float64(2.0), "float32"),
        (lambda m: m.ones(2, dtype=m.float16) * m.tensor(2.0, dtype=m.float64), "float16"),
        (lambda m: m.ones(2, dtype=m.float16) + 1e-3, "float16"),
        (lambda m: m.ones(2, dtype=m.int32) * m.tensor(3), "int32"),
        (lambda m: m.ones(2, dtype=m.int32) * m.tensor(3.0, dtype=m.float64), "float64"),
        (lambda m: m.tensor([True, False]) + m.tensor([True, True]), "bool"),
        (lambda m: m.tensor([True, False]) * 2, "int64"),
        (lambda m: m.tensor([True, False]) * 2.0, "float32"),
        (lambda m: m.tensor([1, 2]) ** 2, "int64"),
        (lambda m: m.tensor([1, 2]) ** 0.5, "float32"),
        (lambda m: 2.0 ** m.tensor([1, 2]), "float32"),
        (lambda m: m.tensor([1, 2]).exp(), "float32"),
        (lambda m: m.tensor([1, 2]).sum(), "int64"),
        (lambda m: m.tensor([True, True]).sum(), "int64"),
        (lambda m: m.tensor([1, 2], dtype=m.int32).sum(), "int64"),
        (lambda m: m.tensor([1, 2]) // 2, "int64"),
        (lambda m: m.ones(2) > 0, "bool"),
        (lambda m: m.ones(2).to(float), "float64"),
        (lambda m: m.ones(2).double().float(), "float32"),
        (lambda m: m.ones(2).half(), "float16"),
        (lambda m: m.ones(2).long().int(), "int32"),
        (lambda m: m.ones(2).type_as(m.tensor([1])), "int64"),
        (lambda m: m.ones(2).bool(), "bool"),
        (lambda m: m.ones(2).byte(), "uint8"),
    ],
)
def test_result_dtypes(make, expected, torch):
    assert dtype_name(make(torch).dtype) == expected  # the premise
    out = make(minitorch)
    assert dtype_name(out.dtype) == expected


def test_float32_training_math_never_goes_float64():
    x = minitorch.randn(4, 3, requires_grad=True)
    w = minitorch.randn(3, 2, requires_grad=True)
    y = ((x @ w).tanh() * 0.5 + 1e-3).sigmoid().log_softmax(1)
    loss = -(y.mean() + (w**2).sum() * 1e-4 + x.std() / 3.0)
    loss.backward()
    assert loss.dtype is minitorch.float32
    assert x.grad.dtype is minitorch.float32 and w.grad.dtype is minitorch.float32


# ---- factories -----------------------------------------------------------------------------
FACTORIES = {
    "tensor_int": lambda m: m.tensor([1, 2]),
    "tensor_float": lambda m: m.tensor([1.0, 2]),
    "tensor_bool": lambda m: m.tensor([True, False]),
    "tensor_0d": lambda m: m.tensor(3.5),
    "tensor_empty": lambda m: m.tensor([]),
    "tensor_nested": lambda m: m.tensor([[1, 2], [3, 4]], dtype=m.float64),
    "tensor_numpy_int32": lambda m: m.tensor(np.array([1, 2], np.int32)),
    "tensor_numpy_float64": lambda m: m.tensor(np.array([1.5])),
    "tensor_numpy_scalar": lambda m: m.tensor(np.float64(2.0)),
    "tensor_of_tensors": lambda m: m.tensor([m.tensor(1.0), m.tensor(2.0)]),
    "tensor_dtype_float": lambda m: m.tensor([1, 2], dtype=float),
    "tensor_dtype_int": lambda m: m.tensor([1.7, 2.2], dtype=m.int64),
    "tensor_big_int": lambda m: m.tensor(2**40),
    "as_tensor_list": lambda m: m.as_tensor([1, 2]),
    "as_tensor_dtype": lambda m: m.as_tensor(np.array([1, 2]), dtype=m.float32),
    "zeros": lambda m: m.zeros(2, 3),
    "zeros_tuple": lambda m: m.zeros((2, 3), dtype=m.int32),
    "zeros_0d": lambda m: m.zeros(()),
    "zeros_empty": lambda m: m.zeros(2, 0),
    "ones_bool": lambda m: m.ones(3, dtype=m.bool),
    "ones_half": lambda m: m.ones([2], dtype=m.float16),
    "full_int": lambda m: m.full((2,), 3),
    "full_float": lambda m: m.full((2,), 3.0),
    "full_bool": lambda m: m.full((2,), True),
    "full_dtype": lambda m: m.full((2, 2), 7, dtype=m.float64),
    "arange": lambda m: m.arange(5),
    "arange_start": lambda m: m.arange(1, 4),
    "arange_float_step": lambda m: m.arange(0, 1, 0.25),
    "arange_float_end": lambda m: m.arange(5.0),
    "arange_negative_step": lambda m: m.arange(10, 0, -3),
    "arange_tenths": lambda m: m.arange(0, 1, 0.1),
    "arange_dtype": lambda m: m.arange(5, dtype=m.float64),
    "arange_tensor": lambda m: m.arange(m.tensor(3)),
    "arange_empty": lambda m: m.arange(0, 0),
    "linspace": lambda m: m.linspace(0, 1, 5),
    "linspace_one": lambda m: m.linspace(0, 1, 1),
    "linspace_dtype": lambda m: m.linspace(-1, 1, 4, dtype=m.float64),
    "linspace_int": lambda m: m.linspace(0, 10, 5, dtype=m.int64),
    "logspace": lambda m: m.logspace(0, 2, 3),
    "eye": lambda m: m.eye(3),
    "eye_rect": lambda m: m.eye(2, 3),
    "eye_int": lambda m: m.eye(2, dtype=m.int64),
    "zeros_like": lambda m: m.zeros_like(m.ones(2, dtype=m.float64)),
    "ones_like": lambda m: m.ones_like(m.tensor([1, 2])),
    "ones_like_dtype": lambda m: m.ones_like(m.tensor([1, 2]), dtype=m.float32),
    "full_like": lambda m: m.full_like(m.tensor([1, 2]), 2.7),
    "full_like_float": lambda m: m.full_like(m.ones(2), 2),
}


@pytest.mark.parametrize("name", FACTORIES)
def test_factories_match_torch(name, torch):
    assert_same(FACTORIES[name](minitorch), FACTORIES[name](torch))


RANDOM = {
    "rand": lambda m: m.rand(2, 3),
    "rand_tuple": lambda m: m.rand((2, 3), dtype=m.float64),
    "randn": lambda m: m.randn(4),
    "randn_0d": lambda m: m.randn(()),
    "randn_half": lambda m: m.randn(2, dtype=m.float16),
    "rand_like": lambda m: m.rand_like(m.ones(2, dtype=m.float64)),
    "randn_like": lambda m: m.randn_like(m.ones(3, 1)),
    "randint": lambda m: m.randint(0, 10, (3,)),
    "randint_high_only": lambda m: m.randint(10, (2, 2)),
    "randint_dtype": lambda m: m.randint(3, 10, (5,), dtype=m.int32),
    "randint_like": lambda m: m.randint_like(m.ones(3), 5),
    "randperm": lambda m: m.randperm(5),
    "randperm_dtype": lambda m: m.randperm(3, dtype=m.float32),
    "normal": lambda m: m.normal(0.0, 1.0, (2, 2)),
    "normal_tensor_mean": lambda m: m.normal(m.zeros(3), 1.0),
    "empty": lambda m: m.empty(2, 3),
    "empty_like": lambda m: m.empty_like(m.ones(2, dtype=m.int32)),
}


@pytest.mark.parametrize("name", RANDOM)
def test_random_factories_shapes_and_dtypes_match_torch(name, torch):
    out, expected = RANDOM[name](minitorch), RANDOM[name](torch)
    assert dtype_name(out.dtype) == dtype_name(expected.dtype)
    assert tuple(out.shape) == tuple(expected.shape)


def test_random_ranges():
    minitorch.manual_seed(3)
    r = minitorch.rand(10000).numpy()
    assert 0.0 <= r.min() and r.max() < 1.0 and abs(r.mean() - 0.5) < 0.02
    z = minitorch.randn(10000).numpy()
    assert abs(z.mean()) < 0.05 and abs(z.std() - 1.0) < 0.05
    i = minitorch.randint(3, 7, (10000,)).numpy()
    assert set(np.unique(i).tolist()) == {3, 4, 5, 6}
    assert sorted(minitorch.randperm(50).tolist()) == list(range(50))
    assert minitorch.randperm(0).shape == (0,)
    n = minitorch.normal(5.0, 0.1, (10000,)).numpy()
    assert abs(n.mean() - 5.0) < 0.01


def test_manual_seed_makes_every_random_factory_reproducible():
    def draw():
        return [
            minitorch.rand(3).tolist(),
            minitorch.randn(2, 2).tolist(),
            minitorch.randint(0, 100, (4,)).tolist(),
            minitorch.randperm(6).tolist(),
            minitorch.normal(0.0, 1.0, (2,)).tolist(),
            minitorch.multinomial(minitorch.ones(5), 3).tolist(),
        ]

    minitorch.manual_seed(123)
    first = draw()
    minitorch.manual_seed(123)
    assert draw() == first
    minitorch.manual_seed(124)
    assert draw() != first


def test_generator_objects_and_rng_state():
    g1 = minitorch.Generator().manual_seed(7)
    g2 = minitorch.Generator().manual_seed(7)
    assert minitorch.randn(3, generator=g1).tolist() == minitorch.randn(3, generator=g2).tolist()
    minitorch.manual_seed(5)
    state = minitorch.get_rng_state()
    a = minitorch.rand(4).tolist()
    minitorch.set_rng_state(state)
    assert minitorch.rand(4).tolist() == a
    assert minitorch.initial_seed() == 5


@pytest.mark.parametrize(
    "call",
    [
        lambda: minitorch.tensor([1, 2], requires_grad=True),
        lambda: minitorch.zeros(2, dtype=minitorch.int64, requires_grad=True),
        lambda: minitorch.arange(3, requires_grad=True),
        lambda: minitorch.tensor([True]).requires_grad_(),
        lambda: minitorch.ones(2, dtype=minitorch.int32).requires_grad_(True),
    ],
)
def test_integer_tensor_cannot_require_grad(call):
    with pytest.raises(
        RuntimeError, match="[Oo]nly Tensors of floating point .*can require gradients"
    ):
        call()


@pytest.mark.parametrize(
    "call, error, text",
    [
        (
            lambda: minitorch.tensor([[1, 2], [3]]),
            ValueError,
            r"expected sequence of length 2 at dim 1 \(got 1\)",
        ),  # fmt: skip
        (lambda: minitorch.tensor([1, "a"]), TypeError, "invalid data type 'str'"),
        (lambda: minitorch.tensor("a"), TypeError, "invalid data type 'str'"),
        (lambda: minitorch.arange(3, 0), RuntimeError, "upper bound and lower bound inconsistent"),
        (lambda: minitorch.arange(0, 3, 0), RuntimeError, "step must be nonzero"),
        (lambda: minitorch.rand(2, dtype=minitorch.int64), RuntimeError, "for 'Long'"),
        (
            lambda: minitorch.ones(2).item(),
            RuntimeError,
            "a Tensor with 2 elements cannot be converted to Scalar",
        ),
        (
            lambda: bool(minitorch.ones(2)),
            RuntimeError,
            "Boolean value of Tensor with more than one value is ambiguous",
        ),
        (lambda: len(minitorch.tensor(1.0)), TypeError, "len\\(\\) of a 0-d tensor"),
        (lambda: minitorch.from_numpy([1, 2]), TypeError, "expected np.ndarray"),
        (lambda: minitorch.from_numpy(np.array(["a"])), TypeError, "can't convert np.ndarray"),
    ],
)
def test_factory_and_conversion_errors(call, error, text):
    with pytest.raises(error, match=text):
        call()


def test_scalar_conversions():
    assert minitorch.tensor(3.5).item() == 3.5 and isinstance(minitorch.tensor(3).item(), int)
    assert float(minitorch.tensor([2.5])) == 2.5 and int(minitorch.tensor(3.7)) == 3
    assert minitorch.tensor([[1, 2]]).tolist() == [[1, 2]]
    assert [1, 2, 3][minitorch.tensor(1)] == 2
    assert f"{minitorch.tensor(0.5):.2f}" == "0.50"


# ---- repr ------------------------------------------------------------------------------------
REPRS = [
    "m.tensor([1.0, 2.0, 3.0])",
    "m.tensor([1.5, -2.25])",
    "m.tensor(3.0)",
    "m.tensor(-5)",
    "m.tensor([1, 2])",
    "m.tensor([True, False])",
    "m.tensor([[1.0, 2.5], [3.0, 4.0]])",
    "m.tensor([0.1, 0.01, 0.001])",
    "m.tensor([1e-5, 1.0])",
    "m.tensor([1e10, 1.0])",
    "m.tensor([1e8, 1.0])",
    "m.tensor([123456.0, 1.5])",
    "m.tensor([1.0, 2.0], dtype=m.float64)",
    "m.tensor([1.0], dtype=m.float16)",
    "m.tensor([1, 2], dtype=m.int32)",
    "m.tensor([1, 2], dtype=m.uint8)",
    "m.tensor([float('nan'), float('inf'), -float('inf'), 1.0])",
    "m.tensor([float('nan'), 1.5])",
    "m.tensor([-0.0, 0.0])",
    "m.zeros(0)",
    "m.zeros(2, 0)",
    "m.zeros(0, dtype=m.int64)",
    "m.tensor([1.0, 2.0], requires_grad=True)",
    "m.tensor([0.5, -0.25], dtype=m.float64, requires_grad=True)",
    "m.arange(2000)",
    "m.arange(2000.0)",
    "m.arange(12.0).reshape(3, 4)",
    "m.arange(24).reshape(2, 3, 4)",
    "m.arange(30.0).reshape(3, 10) / 7",
    "m.arange(100.0).reshape(10, 10) * 1.5",
    "m.arange(2000.0).reshape(2, 1000) / 3",
    "m.linspace(0, 1, 11)",
    "m.tensor([[True], [False]])",
    "m.arange(8.0).reshape(2, 2, 2) - 3.5",
]


@pytest.mark.parametrize("expr", REPRS)
def test_repr_matches_torch(expr, torch):
    expected = repr(eval(expr, {"m": torch})).replace("torch.", "minitorch.")
    assert repr(eval(expr, {"m": minitorch})) == expected


def test_repr_of_results_names_the_backward_node():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    assert repr(x * 2) == "tensor([2., 4.], grad_fn=<MulBackward0>)"
    assert repr(x.sum()) == "tensor(3., grad_fn=<SumBackward0>)"


def test_set_printoptions_matches_torch(torch):
    values = [1.23456, 1e-6, 2.0]
    try:
        for lib in (minitorch, torch):
            lib.set_printoptions(precision=2, sci_mode=False)
        expected = repr(torch.tensor(values)).replace("torch.", "minitorch.")
        assert repr(minitorch.tensor(values)) == expected
    finally:
        for lib in (minitorch, torch):
            lib.set_printoptions(profile="default")
    assert repr(minitorch.tensor([1.5])) == "tensor([1.5000])"


# ---- numpy and DLPack interop ----------------------------------------------------------------
def test_from_numpy_shares_memory_both_ways():
    a = np.zeros(3, np.float32)
    t = minitorch.from_numpy(a)
    a[0] = 5.0
    assert t.tolist() == [5.0, 0.0, 0.0]
    with minitorch.no_grad():
        t.add_(1.0)
    assert a.tolist() == [6.0, 1.0, 1.0]
    assert t.dtype is minitorch.float32


def test_from_numpy_keeps_dtype():
    for dt in [np.float16, np.float32, np.float64, np.int32, np.int64, np.bool_, np.uint8]:
        assert minitorch.from_numpy(np.zeros(2, dt)).dtype.np == np.dtype(dt)


def test_numpy_shares_memory_and_refuses_grad():
    t = minitorch.zeros(2)
    t.numpy()[1] = 3.0
    assert t.tolist() == [0.0, 3.0]
    assert np.asarray(t).tolist() == [0.0, 3.0]
    x = minitorch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\) on Tensor that requires grad"):
        x.numpy()
    assert x.detach().numpy().tolist() == [1.0, 1.0]


def test_as_tensor_shares_numpy_memory_and_tensor():
    a = np.ones(2, np.float32)
    t = minitorch.as_tensor(a)
    a[0] = 7.0
    assert t.tolist() == [7.0, 1.0]
    assert minitorch.as_tensor(t) is t
    c = minitorch.tensor(a)  # tensor() copies
    a[1] = 9.0
    assert c.tolist() == [7.0, 1.0]


def test_dlpack_with_torch_shares_memory(torch):
    src = torch.arange(4, dtype=torch.float32)
    t = minitorch.from_dlpack(src)
    src[0] = 10.0
    assert t.dtype is minitorch.float32 and t.tolist() == [10.0, 1.0, 2.0, 3.0]
    back = torch.from_dlpack(minitorch.arange(3.0))
    assert back.tolist() == [0.0, 1.0, 2.0]
    mt = minitorch.ones(2)
    shared = torch.from_dlpack(mt)
    shared[1] = 4.0
    assert mt.tolist() == [1.0, 4.0]


def test_size_arithmetic_stays_a_size(torch):
    for lib in (minitorch, torch):
        s = lib.Size([1, 2])
        results = [s + (3,), (3,) + s, s * 2, 2 * s, s[1:], lib.zeros(2, 3).shape + (1,)]
        assert all(type(r) is lib.Size for r in results)
        assert [tuple(r) for r in results] == [
            (1, 2, 3),
            (3, 1, 2),
            (1, 2, 1, 2),
            (1, 2, 1, 2),
            (2,),
            (2, 3, 1),
        ]
