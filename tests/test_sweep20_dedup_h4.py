"""Session 11 de-duplication (engineer H4): each program runs a place where two or more
copies became one helper (distributions' BinaryProbs / ScaleTrilMatrices / CategoricalParams
/ RelaxedParams mixins, MaxPool's forward, GRU's and the decoder layer's borrowed methods,
the backward hooks' result check, the one zero_grads of Module and Optimizer) against
PyTorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


# ---- zero_grad: one helper for Module and Optimizer ------------------------------------------
@program
def optimizer_zero_grad_keeps_and_bumps_the_grad(torch):
    # Optimizer.zero_grad(set_to_none=False) zeroed the raw array: the version counter stayed
    p = torch.nn.Parameter(torch.ones(3))
    x = torch.ones(3, requires_grad=True)
    p.grad = x * 3  # a grad with a graph: detached
    q = torch.nn.Parameter(torch.ones(2))
    q.grad = torch.ones(2)
    opt = torch.optim.SGD([p, q], lr=0.1)
    versions = [q.grad._version]
    opt.zero_grad(set_to_none=False)
    versions.append(q.grad._version)
    state = [p.grad, p.grad.requires_grad, p.grad.grad_fn is None, q.grad]
    opt.zero_grad()
    return versions, state, p.grad is None, q.grad is None


@program
def module_zero_grad(torch):
    m = torch.nn.Linear(2, 2)
    m.weight.grad = torch.ones(2, 2)
    before = m.weight.grad._version
    m.zero_grad(set_to_none=False)
    kept = [m.weight.grad, m.weight.grad._version - before, m.bias.grad is None]
    m.zero_grad()
    return kept, m.weight.grad is None


# ---- nn modules --------------------------------------------------------------------------------
@program
def max_pool_modules(torch):
    x1 = torch.arange(10.0).reshape(1, 2, 5)
    x2 = torch.arange(32.0).reshape(1, 2, 4, 4).flip(-1)
    x3 = torch.arange(64.0).reshape(1, 1, 4, 4, 4).cos()
    out1, idx1 = torch.nn.MaxPool1d(3, 1, 1, return_indices=True)(x1)
    pool2 = torch.nn.MaxPool2d(2, ceil_mode=True, dilation=1)
    return out1, idx1, pool2(x2), repr(pool2), torch.nn.MaxPool3d(2, stride=1)(x3)


@program
def gru_forward(torch):
    torch.manual_seed(0)
    gru = torch.nn.GRU(3, 4, num_layers=2, batch_first=True, bidirectional=True)
    x = torch.linspace(-1, 1, 30).reshape(2, 5, 3)
    out, h = gru(x)
    out0, h0 = gru(x[0])  # unbatched
    return out, h, out0, h0


@program
def transformer_decoder_layer_self_attention(torch):
    torch.manual_seed(0)
    layer = torch.nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0, batch_first=True)
    tgt = torch.linspace(-1, 1, 48).reshape(2, 3, 8)
    memory = torch.linspace(1, -1, 64).reshape(2, 4, 8)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(3)
    return layer(tgt, memory, tgt_mask=mask, tgt_is_causal=True)


@error(RuntimeError, r"Backward pre hook returned an invalid number of grad_output, got 2")
def backward_pre_hook_returns_too_many(torch):
    m = torch.nn.Linear(2, 2)
    m.register_full_backward_pre_hook(lambda mod, g: (g[0], g[0]))
    m(torch.ones(3, 2, requires_grad=True)).sum().backward()


@program
def backward_hooks_replace_gradients(torch):
    m = torch.nn.Linear(2, 2)
    with torch.no_grad():
        m.weight.copy_(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    m.register_full_backward_pre_hook(lambda mod, g: (g[0] * 2,))
    m.register_full_backward_hook(lambda mod, gi, go: [gi[0] + 1])
    x = torch.ones(3, 2, requires_grad=True)
    m(x).sum().backward()
    return x.grad, m.weight.grad


# ---- distributions -----------------------------------------------------------------------------
@program
def binary_families_from_probs_or_logits(torch):
    D = torch.distributions
    p = torch.tensor([0.2, 0.7])
    out = []
    for make in (
        lambda **kw: D.Bernoulli(**kw),
        lambda **kw: D.ContinuousBernoulli(**kw),
        lambda **kw: D.relaxed_bernoulli.LogitRelaxedBernoulli(torch.tensor(0.5), **kw),
        lambda **kw: D.Binomial(3, **kw),
        lambda **kw: D.NegativeBinomial(3, **kw),
    ):
        for kw in ({"probs": p}, {"logits": p.logit()}, {"probs": 0.3}):
            d = make(**kw)
            e = d.expand((4, 2)) if d.batch_shape else d.expand((3,))
            out.append([d.batch_shape, d.param_shape, d.probs, d.logits, e.batch_shape])
            out.append(
                [e.param_shape, e.probs, e.logits, e.log_prob(torch.ones(e.batch_shape))]
            )  # 1: in every support
    return out


@error(ValueError, r"Either `probs` or `logits` must be specified, but not both")
def continuous_bernoulli_needs_one_parameter(torch):
    torch.distributions.ContinuousBernoulli(probs=0.3, logits=0.1)


@program
def scale_tril_families(torch):
    D = torch.distributions
    a = torch.tensor([[2.0, 0.5, 0.0], [0.5, 1.5, 0.2], [0.0, 0.2, 1.0]], dtype=torch.float64)
    out = []
    for name in ("covariance_matrix", "precision_matrix", "scale_tril"):
        m = a if name != "scale_tril" else torch.linalg.cholesky(a)
        mvn = D.MultivariateNormal(torch.zeros(2, 3, dtype=torch.float64), **{name: m})
        wish = D.Wishart(torch.tensor([4.0, 5.0], dtype=torch.float64), **{name: m})
        for d in (mvn, wish, mvn.expand((4, 2)), wish.expand((3, 2))):
            out.append([d.scale_tril, d.covariance_matrix, d.precision_matrix])
        out.append([mvn.expand((4, 2)).log_prob(torch.ones(3, dtype=torch.float64))])
    return out


@program
def categorical_families(torch):
    D = torch.distributions
    probs = torch.tensor([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
    out = []
    for d in (
        D.OneHotCategorical(probs),
        D.Multinomial(4, probs=probs),
        D.relaxed_categorical.ExpRelaxedCategorical(torch.tensor(0.5), logits=probs.log()),
        D.RelaxedOneHotCategorical(torch.tensor(0.5), probs=probs),
        D.RelaxedBernoulli(torch.tensor(0.5), probs=probs[0]),
    ):
        e = d.expand((3, 2)) if d.batch_shape == (2,) else d.expand((2, 3))
        out.append([type(d).__name__, d.batch_shape, d.event_shape, d.probs, d.logits])
        out.append([e.batch_shape, e.event_shape, e.probs.shape, e.logits.shape])
        if hasattr(d, "temperature"):
            out.append(d.temperature)
    out.append([D.OneHotCategorical(probs).param_shape, D.Multinomial(4, probs).param_shape])
    return out


@program
def cat_and_stack_transforms(torch):
    T = torch.distributions.transforms
    cat = T.CatTransform([T.ExpTransform(), T.AffineTransform(1.0, 2.0)], 0, [2, 1], 1)
    stack = T.StackTransform([T.ExpTransform(), T.SigmoidTransform()], dim=1)
    x = torch.tensor([[0.5, 1.0], [0.1, -0.2], [0.3, 0.4]], dtype=torch.float64)
    y, z = cat(x), stack(x)
    return [
        [y, cat.inv(y), cat.log_abs_det_jacobian(x, y), cat.bijective, cat.event_dim],
        [z, stack.inv(z), stack.log_abs_det_jacobian(x, z), stack.bijective],
        [cat.with_cache(0).transforms[0]._cache_size, len(stack.with_cache().transforms)],
    ]


@error(AssertionError, r"All elements of tseq must be Transform instances")
def stack_transform_of_a_non_transform(torch):
    torch.distributions.transforms.StackTransform(
        [torch.distributions.transforms.ExpTransform(), 1]
    )
