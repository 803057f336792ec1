"""Sweep 30 (the lead's): a generator of another device type is refused with PyTorch's
message, and multinomial without replacement draws on the input's device, on the fake cupy
(tests/fake_cupy.py); layouts of cat and ``to(memory_format=)`` against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
from fake_cupy import host_syncs, installed
from sweep_harness import Sweep

import minitorch

SWEEP = Sweep()
program = SWEEP.program
test_program_matches_pytorch = SWEEP.test()


def _layouts(torch, tensors) -> list:
    return [(tuple(t.shape), t.stride(), t) for t in tensors]


@program
def cat_keeps_channels_last_when_every_input_suggests_it(torch):
    """ATen's cat_compute_output_memory_format: each input's suggest_memory_format (its
    strides' order, dense or not); numpy's concatenate chose its own strides (contiguous for
    slices of a channels-last tensor, numpy's for size-1 dims)."""
    torch.manual_seed(0)
    cl = lambda t: t.to(memory_format=torch.channels_last)  # noqa: E731
    x, c1 = cl(torch.randn(2, 4, 4, 5)), cl(torch.randn(2, 1, 4, 5))
    pixel = cl(torch.randn(2, 3, 1, 1))
    outs = [
        torch.cat(list(reversed(x.hsplit(2)))),  # slices (not dense) of channels-last
        torch.cat([x, c1], 1),
        torch.cat([c1, c1], 1),
        torch.cat([pixel, pixel]),
        torch.cat([x.unsqueeze(2)]),  # channels_last_3d by its strides
        torch.cat([x, x.contiguous()]),  # a contiguous input: contiguous
        torch.cat([x[:, :, ::2], x[:, :, 1::2]], 2),
    ]
    return _layouts(torch, outs)


@program
def to_memory_format_aliases_or_copies_as_pytorch(torch):
    """to_will_alias: the tensor itself when its suggested format is the one asked for (even a
    transposed tensor for contiguous_format, or a slice of a channels-last one), else a copy
    with the format's strides (an ambiguous (N, 1, H, W) gets channels-last strides)."""
    torch.manual_seed(0)
    t = torch.randn(2, 3, 4, 5).transpose(2, 3)
    c = torch.randn(2, 3, 4, 5).to(memory_format=torch.channels_last)
    a = torch.randn(2, 1, 4, 5)
    results = [
        t.to(memory_format=torch.contiguous_format) is t,
        c.to(memory_format=torch.channels_last) is c,
        c[:, :, ::2].to(memory_format=torch.channels_last) is not c,
        a.to(memory_format=torch.channels_last) is a,
    ]
    outs = [
        t.to(memory_format=torch.contiguous_format),
        a.to(memory_format=torch.channels_last),
        a.contiguous(memory_format=torch.channels_last),
        a.to(torch.float64, memory_format=torch.channels_last),
        a.to(memory_format=torch.channels_last, copy=True),
        torch.randn(2, 1, 1, 2, 2).to(memory_format=torch.channels_last_3d),
        c[:, :, ::2].to(memory_format=torch.channels_last),
    ]
    return results, _layouts(torch, outs)


@pytest.fixture
def fake():
    with installed(fused=False):
        yield


DRAWS = {
    "randn": lambda dev, g: minitorch.randn(3, device=dev, generator=g),
    "rand": lambda dev, g: minitorch.rand(3, device=dev, generator=g),
    "randint": lambda dev, g: minitorch.randint(0, 5, (3,), device=dev, generator=g),
    "randperm": lambda dev, g: minitorch.randperm(5, device=dev, generator=g),
    "randperm_out": lambda dev, g: minitorch.randperm(
        5, generator=g, out=minitorch.empty(5, dtype=minitorch.int64, device=dev)
    ),
    "normal_": lambda dev, g: minitorch.empty(3, device=dev).normal_(generator=g),
    "bernoulli": lambda dev, g: minitorch.ones(4, device=dev).bernoulli(generator=g),
    "poisson": lambda dev, g: minitorch.poisson(minitorch.ones(4, device=dev), generator=g),
    "multinomial": lambda dev, g: minitorch.ones(4, device=dev).multinomial(2, generator=g),
    "multinomial_replacement": lambda dev, g: minitorch.ones(4, device=dev).multinomial(
        3, True, generator=g
    ),
    "init.normal_": lambda dev, g: minitorch.nn.init.normal_(
        minitorch.empty(3, device=dev), generator=g
    ),
}


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_a_generator_of_another_device_type_is_refused(name, fake):
    """PyTorch's check_generator: "Expected a 'cuda' device type for generator but found
    'cpu'" (and the other way round); before, a CPU generator drew a device tensor's values
    (bernoulli mixed host and device arrays)."""
    draw = DRAWS[name]
    cpu_gen, cuda_gen = minitorch.Generator(), minitorch.Generator("cuda")
    with pytest.raises(RuntimeError, match=r"^Expected a 'cuda' device type for generator but found 'cpu'$"):  # fmt: skip
        draw("cuda", cpu_gen)
    with pytest.raises(RuntimeError, match=r"^Expected a 'cpu' device type for generator but found 'cuda'$"):  # fmt: skip
        draw("cpu", cuda_gen)
    for dev, gen in (("cuda", cuda_gen), ("cpu", cpu_gen), ("cuda", None), ("cpu", None)):
        assert draw(dev, gen).device.type == dev


def test_a_sampler_with_a_cuda_generator_is_refused(fake):
    """The error the DataLoader users of PyTorch meet: RandomSampler draws on the CPU."""
    sampler = minitorch.utils.data.RandomSampler(range(5), generator=minitorch.Generator("cuda"))
    with pytest.raises(RuntimeError, match="Expected a 'cpu' device type for generator"):
        list(sampler)


@pytest.mark.parametrize("num_samples", [1, 3])
def test_multinomial_without_replacement_draws_on_the_device(num_samples, fake):
    """The rows stay on the device (before: copied to the host and drawn from the CPU
    generator); the checks read back only booleans, as PyTorch's two ``.item()`` checks."""
    probs = np.array([[1.0, 2.0, 0.0, 3.0, 0.5], [0.0, 0.0, 1.0, 0.0, 2.0]])
    x = minitorch.tensor(probs, device="cuda")
    gen = minitorch.Generator("cuda").manual_seed(1)
    with host_syncs() as log:
        out = x.multinomial(num_samples, generator=gen)
    assert log and all(entry.startswith("bool() at ") for entry in log), log
    assert out.device.type == "cuda" and out.dtype == minitorch.int64
    got = out.cpu().numpy()
    assert got.shape == (2, num_samples)
    for row, picks in zip(probs, got):
        assert len(set(picks.tolist())) == num_samples  # without replacement
        first = min(num_samples, int((row > 0).sum()))  # categories of probability 0 last
        assert (row[picks[:first]] > 0).all()
    again = x.multinomial(num_samples, generator=minitorch.Generator("cuda").manual_seed(1))
    np.testing.assert_array_equal(again.cpu().numpy(), got)  # the generator's seed decides


@pytest.mark.parametrize(
    "values, message",
    [
        ([1.0, -1.0], "probability tensor contains either `inf`, `nan` or element < 0"),
        ([1.0, float("nan")], "probability tensor contains either `inf`, `nan` or element < 0"),
        ([0.0, 0.0, 0.0], r"invalid multinomial distribution \(sum of probabilities <= 0\)"),
    ],
)
def test_multinomial_without_replacement_checks_device_rows(values, message, fake):
    with pytest.raises(RuntimeError, match=message):
        minitorch.tensor(values, device="cuda").multinomial(1)


# ---- found by the tensor-level fuzzers beyond their seeds (dtypes 30108/30859, tensor_api) ----
@program
def linspace_with_infinite_bounds_in_float64(torch):
    """PyTorch's kernel: start + step * i for the first half, end - step * (steps - 1 - i)
    for the second, each fused; the float64 path gave NaN everywhere (its exact-product
    terms are NaN at infinities)."""
    torch.set_default_dtype(torch.float64)
    try:
        inf = float("inf")
        return [
            torch.linspace(1, -inf, 5),
            torch.linspace(-inf, 1, 5),
            torch.linspace(0, inf, 3, dtype=torch.float64),
            torch.linspace(0, 1, 0, dtype=torch.bool),  # no steps: no kernel, no error
        ]
    finally:
        torch.set_default_dtype(torch.float32)


@program
def a_numpy_float64_is_a_python_float_for_integer_tensors(torch):
    """np.float64 subclasses float: PyTorch refuses -1.0 for uint8 (negative floats do not
    wrap, negative ints do) in fill_, setitem and tensor(); minitorch wrapped it to 255."""
    out = []
    for store in (
        lambda t: t.fill_(np.float64(-1.0)),
        lambda t: t.__setitem__(..., np.float64(-1.0)),
        lambda t: t.__setitem__(0, np.float64(300.0)),
        lambda t: t.fill_(np.float64(2.0)),
        lambda t: t.fill_(-1),
    ):
        t = torch.tensor([1, 254, 1], dtype=torch.uint8)
        try:
            store(t)
            out.append(t)
        except RuntimeError as e:
            out.append(str(e))
    for data in ([-1.0], [np.float64(-1.0), 1], [-1, 2.0], [-1, 2.5], [True, -1]):
        try:
            out.append(torch.tensor(data, dtype=torch.uint8))
        except RuntimeError as e:
            out.append(str(e))
    return out


@program
def tensor_stores_elements_in_order_so_the_first_misfit_decides_the_error(torch):
    """An int beyond int64 raises ValueError when read; an element out of the dtype's range
    raises RuntimeError: whichever comes first (minitorch raised the ValueError first)."""
    out = []
    for data in ([float("inf"), 2, False, 2**64], [300, 2**64], [2, 2**64], [2**64, 300]):
        try:
            torch.tensor(data, dtype=torch.int8)
        except (RuntimeError, ValueError) as e:
            out.append((type(e).__name__, str(e)))
    return out


@SWEEP.error(TypeError, r"new\(\): argument 'size' failed to unpack the object at pos 2 with error \"Overflow when unpacking long long")  # fmt: skip
def legacy_constructor_size_beyond_int64(torch):
    torch.Tensor(2, 2**63)


@program
def profiler_records_the_optimizer_step_and_zero_grad_ranges(torch):
    """PyTorch's optimizers open "Optimizer.step#SGD.step" / "Optimizer.zero_grad#..." ranges
    (a user subclass's step too); minitorch's opened none."""

    class Plain(torch.optim.Optimizer):
        def __init__(self, params):
            super().__init__(params, {})

        def step(self, closure=None):
            return None

    torch.manual_seed(0)
    m = torch.nn.Linear(3, 2)
    opts = [torch.optim.SGD(m.parameters(), lr=0.1), torch.optim.Adam(m.parameters()), Plain(m.parameters())]  # fmt: skip
    with torch.profiler.profile() as prof:
        for _ in range(2):
            for opt in opts:
                opt.zero_grad()
            m(torch.randn(4, 3)).sum().backward()
            for opt in opts:
                opt.step()
    return sorted((e.key, e.count) for e in prof.key_averages() if e.key.startswith("Optimizer."))


def test_the_fake_device_refuses_bfloat16_as_the_cupy_backend(fake):
    """cupy has no bfloat16: the real backend's from_host refuses it, and now the fake's too
    (it accepted it, so a bfloat16 Linear 'ran' on the fake device)."""
    with pytest.raises(TypeError, match="minitorch has no bfloat16 tensors on cuda"):
        minitorch.ones(2, dtype=minitorch.bfloat16).to("cuda")
    with pytest.raises(TypeError, match="minitorch has no bfloat16 tensors on cuda"):
        minitorch.nn.Linear(2, 2).to(minitorch.bfloat16).to("cuda")


@program
def nextafter_of_equal_values_returns_other_in_float16(torch):
    """C's nextafter returns ``other`` where the two are equal (0 towards -0 is -0); numpy's
    half-precision nextafter returned ``input`` (special fuzzer, seed 41838)."""
    a = torch.tensor([0.0, -0.0, 1.0, 1.0, float("nan")], dtype=torch.float16)
    b = torch.tensor([-0.0, 0.0, 1.0, 2.0, 1.0], dtype=torch.float16)
    out = torch.nextafter(a, b)
    zero_d = torch.nextafter(a[0], b[0])  # (numpy returns a scalar there)
    return out, torch.signbit(out), torch.signbit(torch.nextafter(a[:2], torch.tensor(-0.0, dtype=torch.float16))), zero_d, torch.signbit(zero_d)  # fmt: skip


@program
def ldexp_of_mixed_float_dtypes(torch):
    """PyTorch's _pow2: for a float64 (or 16-bit) input, 2.0 is a 0-d tensor of its dtype, so
    a 0-d exponent promotes with it (exact: 1.5 * 2**-2.5 in float64), a dimensioned one keeps
    its dtype; the exponent's gradient comes in its own dtype (dtypes fuzzer, seed 41010)."""
    out = []
    for sd, od, self_0d, other_0d in [
        ("float64", "float16", True, True), ("float64", "float16", False, True),
        ("float64", "float16", True, False), ("float64", "float16", False, False),
        ("float16", "float32", False, True), ("bfloat16", "float16", False, True),
        ("float32", "float16", False, True), ("float64", "float32", False, True),
        ("float16", "float64", True, True),
    ]:  # fmt: skip
        s = torch.tensor(1.5 if self_0d else [1.5], dtype=getattr(torch, sd))
        o = torch.tensor(-2.5 if other_0d else [-2.5], dtype=getattr(torch, od), requires_grad=True)  # fmt: skip
        r = torch.ldexp(s, o)
        g = torch.autograd.grad(r.sum().float(), o)[0]
        out.append((r.dtype, r.double(), g.dtype, g.double()))  # (the harness reads no bfloat16)
    return out


@program
def in_place_elu_family_saves_its_result(torch):
    """elu_/selu_/celu_/leaky_relu_ (PyTorch's *Backward1 nodes) save the result, take the
    derivative from it (first and second order) and refuse a later in-place change of it
    and a negative slope; minitorch saved a private copy of the input and never refused
    (nn-level fuzzer, modules seed 20563)."""
    F = torch.nn.functional
    forms = {
        "elu": lambda y: F.elu(y, inplace=True),
        "elu2": lambda y: F.elu(y, 2.0, inplace=True),
        "leaky": lambda y: F.leaky_relu(y, 0.1, inplace=True),
        "selu": lambda y: F.selu(y, inplace=True),
        "celu": lambda y: F.celu(y, 0.5, inplace=True),
        "elu_neg": lambda y: F.elu(y, -1.0, inplace=True),
        "leaky_neg": lambda y: F.leaky_relu(y, -0.1, inplace=True),
        "celu_": lambda y: torch.celu_(y, 1.5),
    }
    out = []
    for name, form in forms.items():
        x = torch.tensor([-2.0, -0.5, 0.0, 0.7, 3.0], dtype=torch.float64, requires_grad=True)
        z = form(x * 1)
        row = [name, z.grad_fn.name(), z.detach()]
        try:
            (g,) = torch.autograd.grad(z.sum(), x, create_graph=True)
            row += [g.detach(), torch.autograd.grad(g.sum(), x)[0]]
        except RuntimeError as e:
            row.append(str(e))
        z = form(x * 1)
        w = z * 2
        z.add_(1)
        try:
            w.sum().backward()
            row.append("no error")
        except RuntimeError as e:
            row.append(str(e).split(",")[0])
        out.append(row)
    return out


@pytest.mark.parametrize("form", ["elu", "selu", "celu", "leaky_relu"])
def test_in_place_elu_family_gradcheck(form):
    """The derivative from the result, first and second order (values away from the kink)."""
    F = minitorch.nn.functional
    fn = {
        "elu": lambda x: F.elu(x * 1, 1.3, inplace=True),
        "selu": lambda x: F.selu(x * 1, inplace=True),
        "celu": lambda x: F.celu(x * 1, 0.7, inplace=True),
        "leaky_relu": lambda x: F.leaky_relu(x * 1, 0.2, inplace=True),
    }[form]
    x = minitorch.tensor([-2.0, -0.5, -0.1, 0.3, 0.7, 3.0], dtype=minitorch.float64, requires_grad=True)  # fmt: skip
    assert minitorch.autograd.gradcheck(fn, (x,))
    assert minitorch.autograd.gradgradcheck(fn, (x,))


@program
def rrelu_grad_fn_names(torch):
    """PyTorch's RreluWithNoiseBackward0/1 in training and eval (minitorch named its
    leaky_relu or mul node)."""
    names = []
    for inplace in (False, True):
        for training in (False, True):
            m = torch.nn.RReLU(inplace=inplace).train(training)
            names.append(m(torch.randn(3, requires_grad=True) * 1).grad_fn.name())
    return names


@program
def a_view_of_a_base_that_stopped_requiring_grad_drops_its_old_history(torch):
    """Once the base's version moves on, PyTorch regenerates a view's node; when the base no
    longer requires grad (detach_) that node has no edge. minitorch kept the old node: the
    view's gradient reached the leaf through the base's old history, a silently wrong
    gradient (in-place/view fuzzer, seed 31396)."""
    leaf = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=torch.float64, requires_grad=True)  # fmt: skip
    x = leaf + 1
    v = x[:, :2]
    x.detach_()
    x.mul_(2)
    seen = [v.requires_grad, v.grad_fn.name(), x.requires_grad]
    (leaf.sum() + v.sum()).backward()
    w = (leaf * 1)[:, 1:]  # the base still requires grad: the view keeps its path to leaf
    w.sum().backward()
    return seen, leaf.grad
