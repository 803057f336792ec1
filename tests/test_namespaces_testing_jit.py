"""minitorch.testing (assert_close, make_tensor) and minitorch.jit against PyTorch."""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest

import minitorch

NAN, INF = math.nan, math.inf

# each case builds (actual, expected) with a library: the same call on minitorch and torch
CASES = {
    "float32_close_value": lambda L: (L.tensor([1.0, 2.0, 3.0]), L.tensor([1.0, 2.0, 3.1])),
    "float32_equal": lambda L: (L.tensor([1.0, 2.0]), L.tensor([1.0, 2.0])),
    "float32_within_default_tol": lambda L: (L.tensor([1.0]), L.tensor([1.0 + 1e-6])),
    "dtype_mismatch": lambda L: (L.tensor([1.0]), L.tensor([1.0], dtype=L.float64)),
    "int_exact": lambda L: (L.tensor([1, 2, 3]), L.tensor([1, 2, 4])),
    "int32": lambda L: (L.tensor([1, 2], dtype=L.int32), L.tensor([1, 5], dtype=L.int32)),
    "bool_tensors": lambda L: (L.tensor([True]), L.tensor([False])),
    "float16": lambda L: (L.tensor([1.0], dtype=L.float16), L.tensor([1.01], dtype=L.float16)),
    "float16_within": lambda L: (
        L.tensor([1.0], dtype=L.float16),
        L.tensor([1.001], dtype=L.float16),
    ),
    "float64_2d": lambda L: (
        L.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=L.float64),
        L.tensor([[1.0, 2.0], [3.0, 5.0]], dtype=L.float64),
    ),
    "zero_expected": lambda L: (L.tensor([1.0, 0.0, 3.0]), L.tensor([1.0, 1e-6, 0.0])),
    "shape_mismatch": lambda L: (L.zeros(2, 2), L.zeros(3)),
    "zero_dim": lambda L: (L.tensor(1.0), L.tensor(2.0)),
    "nan": lambda L: (L.tensor([NAN, 1.0]), L.tensor([NAN, 1.0])),
    "inf_equal": lambda L: (L.tensor([INF, 1.0]), L.tensor([INF, 1.0])),
    "inf_opposite": lambda L: (L.tensor([INF, 1.0]), L.tensor([-INF, 1.0])),
    "python_floats": lambda L: (1.0, 1.1),
    "python_ints": lambda L: (1, 2),
    "int_vs_float": lambda L: (1, 1.0),
    "numpy_scalar": lambda L: (np.float32(1.0), 1.0),
    "bools": lambda L: (True, False),
    "none": lambda L: (None, 1),
    "nones": lambda L: (None, None),
    "list_of_floats": lambda L: ([1.0, 2.0], [1.0, 3.0]),
    "mapping": lambda L: ({"a": 1.0}, {"a": 2.0}),
    "mapping_keys": lambda L: ({"a": 1}, {"b": 1}),
    "sequence_length": lambda L: ([L.ones(2)], [L.ones(2), L.ones(1)]),
    "nested": lambda L: (
        [L.tensor([1.0, 2.0]), {"x": L.tensor([3.0])}],
        [L.tensor([1.0, 2.0]), {"x": L.tensor([4.0])}],
    ),
    "tensor_vs_list": lambda L: (L.tensor([1.0, 2.0]), [1.0, 2.0]),
    "tensor_vs_number": lambda L: (L.tensor(1.0), 1.0),
    "str_vs_int": lambda L: ("a", 1),
    "parameter_vs_tensor": lambda L: (L.nn.Parameter(L.tensor([1.0, 2.0])), L.tensor([1.0, 2.5])),
}
OPTIONS = {
    "default": {},
    "no_subclasses": dict(allow_subclasses=False),
    "tolerances": dict(rtol=0.1, atol=0.0),
    "only_rtol": dict(rtol=0.1),
    "no_dtype_check": dict(check_dtype=False),
    "equal_nan": dict(equal_nan=True),
    "msg": dict(msg="custom"),
    "msg_callable": dict(msg=lambda m: "Header\n" + m),
}


def _outcome(lib, case, options) -> str:
    try:
        lib.testing.assert_close(*case(lib), **options)
    except Exception as e:  # noqa: BLE001  (the outcome is compared, whatever it is)
        # the class names differ between the libraries (torch.Tensor / minitorch._tensor.Tensor)
        text = re.sub(r"\b(?:mini)?torch\.(?:_tensor\.)?", "LIB.", str(e))
        return f"{type(e).__name__}: {text}"
    return "passed"


@pytest.mark.parametrize("options", OPTIONS.values(), ids=OPTIONS.keys())
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_assert_close_matches_pytorch(torch, case, options):
    assert _outcome(minitorch, case, options) == _outcome(torch, case, options)


def test_assert_close_message_text():
    with pytest.raises(AssertionError) as info:
        minitorch.testing.assert_close(
            minitorch.tensor([1.0, 2.0, 3.0]), minitorch.tensor([1.0, 2.0, 3.5])
        )
    assert str(info.value) == (
        "Tensor-likes are not close!\n\nMismatched elements: 1 / 3 (33.3%)\n"
        "Greatest absolute difference: 0.5 at index (2,) (up to 1e-05 allowed)\n"
        "Greatest relative difference: 0.14285714924335480 at index (2,) (up to 1.3e-06 allowed)"
    ).replace("0.14285714924335480", str(float(np.float32(0.5) / np.float32(3.5))))
    with pytest.raises(AssertionError, match=r"attribute 'dtype' do not match"):
        minitorch.testing.assert_close(minitorch.ones(2), minitorch.ones(2).double())


def test_assert_close_no_dtype_check_promotes():
    minitorch.testing.assert_close(
        minitorch.tensor([1, 2]), minitorch.tensor([1.0, 2.0]), check_dtype=False
    )
    with pytest.raises(AssertionError, match="Tensor-likes are not close"):
        minitorch.testing.assert_close(
            minitorch.tensor([1, 2]), minitorch.tensor([1.0, 2.5]), check_dtype=False
        )


def test_assert_close_check_stride():
    x = minitorch.zeros(2, 3)
    minitorch.testing.assert_close(x.t(), x.t().contiguous())
    with pytest.raises(AssertionError, match=r"attribute 'stride\(\)' do not match"):
        minitorch.testing.assert_close(x.t(), x.t().contiguous(), check_stride=True)


def test_assert_close_tensor_requiring_grad():
    w = minitorch.ones(3, requires_grad=True)
    minitorch.testing.assert_close(w * 2, minitorch.full((3,), 2.0))


ALLCLOSE_CASES = {
    "float32_within_old_tolerance": lambda L: (L.tensor([1.0, 2.0]), L.tensor([1.00005, 2.0])),
    "float32_outside": lambda L: (L.tensor([1.0, 2.0]), L.tensor([1.001, 2.0])),
    "nan_equal": lambda L: (L.tensor([NAN]), L.tensor([NAN])),
    "list_expected": lambda L: (L.tensor([1.0, 2.0]), [1.0, 2.5]),
    "dtypes_not_checked": lambda L: (L.tensor([1, 2]), L.tensor([1.0, 2.0])),
    "numbers": lambda L: (1.0, 1.5),
}


@pytest.mark.parametrize("case", ALLCLOSE_CASES.values(), ids=ALLCLOSE_CASES.keys())
def test_deprecated_assert_allclose_matches_pytorch(torch, case):
    outcomes = []
    for lib in (minitorch, torch):
        with pytest.warns(FutureWarning, match="assert_allclose\\(\\)` is deprecated"):
            try:
                lib.testing.assert_allclose(*case(lib))
                outcomes.append("passed")
            except AssertionError as e:
                outcomes.append(re.sub(r"\b(?:mini)?torch\.", "LIB.", str(e)))
    assert outcomes[0] == outcomes[1]


def test_make_tensor_ranges_and_options():
    mt = minitorch.testing.make_tensor
    f = mt(200, dtype=minitorch.float32, device="cpu")
    assert f.dtype == minitorch.float32 and f.shape == (200,)
    assert float(f.min()) >= -9 and float(f.max()) < 9
    i = mt((50, 4), dtype=minitorch.int64, device="cpu", low=0, high=3)
    assert set(np.unique(i.numpy())) <= {0, 1, 2}
    u = mt(300, dtype=minitorch.uint8, device="cpu")
    assert int(u.min()) >= 0 and int(u.max()) < 10
    b = mt(20, dtype=minitorch.bool, device="cpu")
    assert b.dtype == minitorch.bool
    g = mt(3, 4, dtype=minitorch.float64, device="cpu", requires_grad=True)
    assert g.requires_grad and g.is_leaf
    nc = mt(3, 4, dtype=minitorch.float32, device="cpu", noncontiguous=True)
    assert nc.shape == (3, 4) and not nc.is_contiguous()
    nz = mt(500, dtype=minitorch.int64, device="cpu", low=-1, high=1, exclude_zero=True)
    assert not (nz == 0).any()


def test_make_tensor_errors_match_pytorch(torch):
    for lib in (minitorch, torch):
        with pytest.raises(ValueError, match="`low` must be less than `high`, but got 5 >= 1"):
            lib.testing.make_tensor(3, dtype=lib.int64, device="cpu", low=5, high=1)
        with pytest.raises(ValueError, match="`requires_grad=True` is not supported"):
            lib.testing.make_tensor(3, dtype=lib.int64, device="cpu", requires_grad=True)
        with pytest.raises(ValueError, match="cannot be NaN"):
            lib.testing.make_tensor(3, dtype=lib.float32, device="cpu", low=NAN)


# ---- jit -----------------------------------------------------------------------------------
def test_script_and_trace_return_the_code_itself():
    model = minitorch.nn.Linear(2, 3)
    x = minitorch.ones(4, 2)
    with pytest.warns(DeprecationWarning, match=r"`torch.jit.script` is deprecated"):
        scripted = minitorch.jit.script(model)
    assert scripted is model
    with pytest.warns(DeprecationWarning, match=r"`torch.jit.trace` is deprecated"):
        traced = minitorch.jit.trace(model, x)
    assert traced is model

    def double(t):
        return t * 2

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert minitorch.jit.script(double) is double
        assert minitorch.jit.trace(double, (x,)) is double
    assert minitorch.jit.freeze(model) is model
    assert minitorch.jit.optimize_for_inference(model) is model


def test_decorators_and_queries_as_in_eager_pytorch(torch):
    class Net(minitorch.nn.Module):
        scale: minitorch.jit.Final[float]

        def __init__(self):
            super().__init__()
            self.scale = 3.0

        @minitorch.jit.export
        def twice(self, x):
            return x * 2

        @minitorch.jit.ignore
        def helper(self, x):
            return x + 1

        @minitorch.jit.ignore(drop=False)
        def helper2(self, x):
            return x - 1

        @minitorch.jit.unused
        def unused(self, x):
            return x

        def forward(self, x):
            if minitorch.jit.is_scripting() or minitorch.jit.is_tracing():
                raise AssertionError("eager code never scripts")
            y = minitorch.jit.annotate(list, [])
            y.append(self.helper(self.twice(x)) * self.scale)
            return self.helper2(y[0])

    out = Net()(minitorch.tensor([1.0, 2.0]))
    assert out.tolist() == [8.0, 14.0]
    assert minitorch.jit.is_scripting() is torch.jit.is_scripting() is False
    assert minitorch.jit.is_tracing() is torch.jit.is_tracing() is False
    assert minitorch.jit.Attribute(3, int) == (3, int)
    assert minitorch.jit.wait(minitorch.jit.fork(lambda a, b: a + b, 2, b=3)) == 5


def test_save_and_load_raise_saying_what_to_do():
    with pytest.raises(RuntimeError, match=r"minitorch.save\(model.state_dict\(\), path\)"):
        minitorch.jit.save(minitorch.nn.Linear(2, 2), "model.pt")
    with pytest.raises(RuntimeError, match=r"load_state_dict"):
        minitorch.jit.load("model.pt")


def test_namespaces_are_attributes_of_the_package():
    import minitorch as torch_like  # noqa: PLC0415  (as user code imports it)

    assert torch_like.testing.assert_close is minitorch.testing.assert_close
    assert callable(torch_like.jit.script)


def test_jit_classes_for_isinstance_checks_and_legacy_subclasses(torch):
    for lib in (minitorch, torch):
        assert not isinstance(lib.nn.Linear(2, 2), lib.jit.ScriptModule)
        assert issubclass(lib.jit.TracerWarning, Warning)
        assert issubclass(lib.jit.RecursiveScriptModule, lib.jit.ScriptModule)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=lib.jit.TracerWarning)

    class Legacy(minitorch.jit.ScriptModule):
        def __init__(self):
            super().__init__()
            self.lin = minitorch.nn.Linear(2, 1)

        @minitorch.jit.script_method
        def forward(self, x):
            return self.lin(x)

    m = Legacy()
    assert isinstance(m, minitorch.nn.Module) and len(list(m.parameters())) == 2
    assert m(minitorch.ones(3, 2)).shape == (3, 1)
    assert not isinstance(len, minitorch.jit.ScriptFunction)
    assert minitorch.jit.interface(Legacy) is Legacy


def test_jit_execution_settings_match_pytorch(torch):
    for lib in (minitorch, torch):
        j = lib.jit
        with pytest.warns(DeprecationWarning, match="set_fusion_strategy` is deprecated"):
            previous = j.set_fusion_strategy([("DYNAMIC", 3)])
        assert previous == [("STATIC", 2), ("DYNAMIC", 10)]
        with pytest.warns(DeprecationWarning):
            assert j.set_fusion_strategy(previous) == [("DYNAMIC", 3)]
        assert j.onednn_fusion_enabled() is False
        with j.optimized_execution(False), j.fuser("fuser1"):
            pass
        with pytest.raises(Exception, match=r"unrecognized fuser option \(name: x\)"):
            with j.fuser("x"):
                pass
    model = minitorch.nn.Linear(2, 2)
    assert minitorch.jit.trace_module(model, {"forward": minitorch.ones(1, 2)}) is model
