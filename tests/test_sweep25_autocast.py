"""Sweep 25: what the autocast / GradScaler fuzzer (tests/test_fuzz_autocast.py) found, one
focused program per fix, against PyTorch 2.13 on the CPU."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


def data(torch, *shape, seed=0, dtype=None):
    g = torch.Generator().manual_seed(seed)
    t = torch.randn(*shape, generator=g)
    return t if dtype is None else t.to(dtype)


def seen(t):
    """A result's dtype and its values as float32 (PyTorch's numpy refuses bfloat16)."""
    return str(t.dtype), t.detach().float()


# ---- the promote list: cat, stack, index_copy -------------------------------------------------
@program
def cat_and_stack_in_autocast_take_float32_or_the_autocast_dtype(torch):
    f, b = data(torch, 2, 3), data(torch, 2, 3, seed=1, dtype=torch.bfloat16)
    d = data(torch, 2, 3, seed=2, dtype=torch.float64)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        return [seen(torch.cat([b, f])), seen(torch.stack([f, b])), seen(torch.cat([b, d])),
                seen(torch.cat([f, d])), seen(torch.concat([b, b]))]  # fmt: skip


@error(RuntimeError, r"Unexpected floating ScalarType in at::autocast::prioritize")
def cat_of_float16_in_a_bfloat16_region(torch):
    h = data(torch, 2, 3, dtype=torch.float16)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        torch.cat([h, h])


@error(RuntimeError, r"Unexpected floating ScalarType in at::autocast::prioritize")
def stack_of_bfloat16_before_float32_in_a_float16_region(torch):
    b, f = data(torch, 3, dtype=torch.bfloat16), data(torch, 3)
    with torch.autocast("cpu", dtype=torch.float16):
        torch.stack([b, f])  # prioritize meets bfloat16 before it sees the float32


@program
def stack_with_float32_first_takes_float32(torch):
    b, f = data(torch, 3, dtype=torch.bfloat16), data(torch, 3)
    with torch.autocast("cpu", dtype=torch.float16):
        return seen(torch.stack([f, b]))


@program
def index_copy_in_autocast_promotes_self_and_source(torch):
    x = data(torch, 4, 3, dtype=torch.bfloat16)
    src = data(torch, 2, 3, seed=1)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = x.index_copy(0, torch.tensor([3, 1]), src)
        same = x.index_copy(0, torch.tensor([0]), x[:1] * 2)
    return seen(out), seen(same)


@program
def cat_in_autocast_keeps_gradients_in_leaf_dtypes(torch):
    f = data(torch, 2, 3).requires_grad_()
    b = data(torch, 2, 3, seed=1, dtype=torch.bfloat16).requires_grad_()
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = torch.cat([b, f])
    (out * torch.arange(6.0).reshape(1, 6).t()[:4, :1]).sum().backward()
    return seen(out), seen(f.grad), seen(b.grad)


# ---- lower-precision list ------------------------------------------------------------------------
@program
def vecdot_runs_in_the_autocast_dtype(torch):
    x, y = data(torch, 3, 4), data(torch, 3, 4, seed=1)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = torch.linalg.vecdot(x, y)
    with torch.autocast("cpu", dtype=torch.float16):
        half = torch.linalg.vecdot(x, y.half())
    return seen(out), seen(half)


@program(tol={"rtol": 1e-6, "atol": 1e-6})
def addmm_in_place_is_not_autocast(torch):
    x = torch.full((2, 2), 1.001)
    m = torch.tensor([[1.003, 2.0], [0.5, 1.007]])
    with torch.autocast("cpu", dtype=torch.bfloat16):
        a = x.clone().addmm_(m, m)  # float32 throughout: bfloat16 would round 1.001
        b = x[None].clone().baddbmm_(m[None], m[None])
        c = x.clone().addbmm_(m[None], m[None])
        lowered = torch.addmm(x, m, m)  # the out-of-place op is on the list
    return a, b, c, str(lowered.dtype)


@program
def einsum_in_autocast_casts_mixed_operands(torch):
    x, y = data(torch, 3, 4), data(torch, 4, 2, seed=1, dtype=torch.float16)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        return seen(torch.einsum("ij,jk->ik", x, y))


@error(RuntimeError, r"expected scalar type Half but found Double")
def einsum_in_autocast_names_the_cast_dtype(torch):
    x, y = data(torch, 3, 4), data(torch, 4, 2, seed=1, dtype=torch.float64)
    with torch.autocast("cpu", dtype=torch.float16):
        torch.einsum("ij,jk->ik", x, y)


@error(RuntimeError, r"expected scalar type Half but found Double")
def bmm_in_autocast_with_float64_gives_bmms_words(torch):
    with torch.autocast("cpu", dtype=torch.float16):
        torch.bmm(data(torch, 1, 2, 3), data(torch, 1, 3, 2, dtype=torch.float64))


@error(RuntimeError, r"expected m1 and m2 to have the same dtype, but got: double != c10::Half")
def linear_in_autocast_with_float64_input_gives_pytorchs_words(torch):
    with torch.autocast("cpu", dtype=torch.float16):
        torch.nn.functional.linear(data(torch, 3, 3, dtype=torch.float64), data(torch, 2, 3))


# ---- dtype checks before the op: only skipped when autocast casts every operand -----------------
@error(RuntimeError, r"Input type \(CPUBFloat16Type\) and weight type \(.*DoubleTensor\)")
def conv1d_in_autocast_with_float64_weight_raises(torch):
    x, w = data(torch, 1, 2, 5), data(torch, 3, 2, 1, dtype=torch.float64)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        torch.nn.functional.conv1d(x, w)


@error(RuntimeError, r"Input type \(c10::BFloat16\) and bias type \(double\)")
def conv1d_in_autocast_with_float64_bias_raises(torch):
    x, w = data(torch, 1, 2, 5), data(torch, 3, 2, 1)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        torch.nn.functional.conv1d(x, w, data(torch, 3, dtype=torch.float64))


@error(RuntimeError, r"expected scalar type Half but found Double")
def conv2d_in_float16_autocast_names_the_cast_input(torch):
    x, w = data(torch, 1, 1, 4, 4), data(torch, 1, 1, 3, 3, dtype=torch.float64)
    with torch.autocast("cpu", dtype=torch.float16):
        torch.nn.functional.conv2d(x, w)


@error(RuntimeError, r"Input type \(CPUBFloat16Type\) and weight type")
def conv3d_checks_the_weight_dtype_of_a_bfloat16_input(torch):
    x = data(torch, 1, 1, 1, 4, 4, dtype=torch.bfloat16)
    torch.nn.functional.conv3d(x, data(torch, 1, 1, 1, 3, 3))


@error(RuntimeError, r"expected scalar type Half but found Float")
def conv3d_checks_the_weight_dtype_of_a_float16_input(torch):
    x = data(torch, 1, 1, 1, 4, 4, dtype=torch.float16)
    torch.nn.functional.conv3d(x, data(torch, 1, 1, 1, 3, 3))


@error(RuntimeError, r"mixed dtype \(CPU\): expect parameter to have scalar type of Float")
def layer_norm_is_not_cast_by_cpu_autocast(torch):
    x = data(torch, 2, 4, dtype=torch.bfloat16)
    w = data(torch, 4, dtype=torch.float64)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        torch.nn.functional.layer_norm(x, (4,), w)


@program
def layer_norm_in_cpu_autocast_keeps_the_input_dtype(torch):
    x, w = data(torch, 2, 4, dtype=torch.bfloat16), data(torch, 4, seed=1)
    with torch.autocast("cpu", dtype=torch.float16):
        return seen(torch.nn.functional.layer_norm(x, (4,), w, w))


@error(RuntimeError, r"Expected query, key, and value to have the same dtype")
def sdpa_in_autocast_with_float64_key_raises(torch):
    q = data(torch, 1, 2, 4)
    kv = data(torch, 1, 2, 4, seed=1, dtype=torch.float64)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        torch.nn.functional.scaled_dot_product_attention(q, kv, kv)


# ---- found alongside ----------------------------------------------------------------------------
@error(RuntimeError, r"expected m1 and m2 to have the same dtype, but got: double != float")
def rnn_tanh_cell_multiplies_the_hidden_state_first(torch):
    x, h = data(torch, 2, 3), data(torch, 2, 4, dtype=torch.float64)
    torch.rnn_tanh_cell(x, h, data(torch, 4, 3, dtype=torch.float64), data(torch, 4, 4))


@error(RuntimeError, r"expected m1 and m2 to have the same dtype, but got: double != float")
def lstm_cell_multiplies_the_hidden_state_first(torch):
    x, h = data(torch, 2, 3), data(torch, 2, 4, dtype=torch.float64)
    torch.lstm_cell(x, (h, h), data(torch, 16, 3, dtype=torch.float64), data(torch, 16, 4))


@error(RuntimeError, r"expected m1 and m2 to have the same dtype, but got: float != double")
def gru_cell_multiplies_the_input_first(torch):
    x, h = data(torch, 2, 3), data(torch, 2, 4, dtype=torch.float64)
    torch.gru_cell(x, h, data(torch, 12, 3, dtype=torch.float64), data(torch, 12, 4))


@program
def integer_tensor_takes_values_of_a_tensor_that_requires_grad_as_data(torch):
    x = torch.zeros(3, dtype=torch.int64)
    m = torch.zeros(3, dtype=torch.bool)
    y = torch.tensor([1.5, -2.0, 3.0], requires_grad=True)
    x[0] = y[2]
    x[1:] = y[:2]
    m.copy_(y)
    return x, x.requires_grad, x.is_leaf, x.grad_fn is None, m, m.requires_grad


@error(RuntimeError, r"linalg.inv: Low precision dtypes not supported. Got BFloat16")
def inv_of_bfloat16(torch):
    torch.linalg.inv(torch.eye(3, dtype=torch.bfloat16))


@error(RuntimeError, r"linalg.inv: Low precision dtypes not supported. Got Half")
def inverse_of_float16(torch):
    torch.inverse(torch.eye(3, dtype=torch.float16))


@error(RuntimeError, r"kl_div: Integral inputs not supported.")
def kl_div_of_integer_input(torch):
    torch.nn.functional.kl_div(torch.ones(3, dtype=torch.int64), torch.ones(3), reduction="none")


@error(RuntimeError, r"kl_div: Integral inputs not supported.")
def kl_div_of_integer_target(torch):
    torch.nn.functional.kl_div(torch.zeros(3), torch.ones(3, dtype=torch.int64), reduction="sum")


@error(NotImplementedError, r"\"nll_loss_out_frame\" not implemented for 'Long'")
def nll_loss_of_integer_log_probabilities(torch):
    torch.nn.functional.nll_loss(torch.zeros(2, 3, dtype=torch.int64), torch.tensor([0, 2]))


@error(NotImplementedError, r"\"nll_loss2d_forward_out_frame\" not implemented for 'Bool'")
def nll_loss_of_boolean_images(torch):
    x = torch.zeros(2, 3, 2, 2, dtype=torch.bool)
    torch.nn.functional.nll_loss(x, torch.zeros(2, 2, 2, dtype=torch.int64))


@error(NotImplementedError, r"\"rms_norm\" not implemented for 'Long'")
def rms_norm_of_integers(torch):
    torch.nn.functional.rms_norm(torch.ones(2, 4, dtype=torch.int64), (4,))


@error(RuntimeError, r"one of the variables needed for gradient computation has been modified")
def gelu_checks_its_saved_input_version(torch):
    x = torch.ones(4, 4, requires_grad=True) * 1
    y = torch.nn.functional.gelu(x)
    x[1] = 0.0
    y.sum().backward()


@program
def gelu_saved_input_unpack_hook_fires(torch):
    seen = []
    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: seen.append(1) or t):
        y = torch.nn.functional.gelu(x)
    y.sum().backward()
    return x.grad, len(seen)


@error(NotImplementedError, r"\"log_sigmoid_cpu\" not implemented for 'Long'")
def bce_with_logits_of_integer_logits(torch):
    x = torch.ones(3, dtype=torch.int64)
    torch.nn.functional.binary_cross_entropy_with_logits(x, torch.ones(3))


@error(NotImplementedError, r"\"log_softmax_lastdim_kernel_impl\" not implemented for 'Long'")
def cross_entropy_of_integer_logits(torch):
    torch.nn.functional.cross_entropy(
        torch.ones(4, 3, dtype=torch.int64), torch.tensor([0, 1, 2, 0])
    )


@error(NotImplementedError, r"\"log_softmax_kernel_impl\" not implemented for 'Bool'")
def cross_entropy_of_boolean_images(torch):
    x = torch.ones(2, 3, 2, dtype=torch.bool)
    torch.nn.functional.cross_entropy(x, torch.zeros(2, 2, dtype=torch.int64))
