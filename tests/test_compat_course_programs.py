"""Course/textbook-style programs (d2l.ai, fast.ai from scratch, makemore, micrograd) run
with ``import minitorch as torch`` and with PyTorch (the oracle): each test is a difference
that was found and fixed, or a realistic end-to-end program. Weights come from numpy arrays
so both libraries start from the same numbers; printed text must agree apart from the
``torch.``/``minitorch.`` prefix of dtype and Size reprs."""

from __future__ import annotations

import contextlib
import io
import math
import random

import numpy as np
import pytest

import minitorch


def _run(fn, lib):
    """``fn(lib)``'s result and what it printed, the module prefix made PyTorch's."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = fn(lib)
    return result, out.getvalue().replace("minitorch.", "torch.")


def _both(torch, fn):
    """(minitorch's, PyTorch's) results and printed text of ``fn``."""
    return _run(fn, minitorch), _run(fn, torch)


def _close(mine, theirs, tol=1e-5):
    """Tensors, numbers and (nested) lists of them agree; dtypes and shapes exactly."""
    if isinstance(theirs, (list, tuple)):
        assert len(mine) == len(theirs)
        for m, t in zip(mine, theirs):
            _close(m, t, tol)
        return
    if hasattr(theirs, "detach"):
        assert str(mine.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
        assert tuple(mine.shape) == tuple(theirs.shape)
        mine, theirs = mine.detach().numpy(), theirs.detach().numpy()
    np.testing.assert_allclose(mine, theirs, rtol=tol, atol=tol)


# ---- d2l: devices -------------------------------------------------------------------------
def test_d2l_devices_print_as_pytorch(torch):
    """``torch.device('cuda')`` has no index (it printed 'cuda:0'), so it is not equal to
    'cuda:0'; a tensor moved there reports the current GPU's index."""

    def program(lib):
        def try_gpu(i=0):
            if lib.cuda.device_count() >= i + 1:
                return lib.device(f"cuda:{i}")
            return lib.device("cpu")

        print(lib.device("cpu"), lib.device("cuda"), lib.device("cuda:1"), try_gpu(10))
        print(repr(lib.device("cuda")), lib.device("cuda").index, lib.device("cuda", 0))
        print(lib.device("cuda") == lib.device("cuda:0"), lib.ones(2).to("cpu").device)

    (_, mine), (_, theirs) = _both(torch, program)
    assert mine == theirs


# ---- printed grad_fn names ----------------------------------------------------------------
def test_d2l_printed_grad_fn_names(torch):
    """Outputs printed in d2l/fast.ai lessons name PyTorch's nodes: layer/batch/group norm
    were NormalizeBackward0, clamp_min/clamp_max ClampBackward1, ``1 / x`` DivBackward0,
    conv1d SqueezeBackward1, transposed convolutions AddBackward0, sort/topk values
    GatherBackward0."""

    def program(lib):
        nn = lib.nn
        X = lib.tensor([[1.0, 2.0], [2.0, 3.0]])
        ln, bn = nn.LayerNorm(2), nn.BatchNorm1d(2)
        print("layer norm:", ln(X), "\nbatch norm:", bn(X))
        bn.eval()
        print(bn(X), nn.GroupNorm(1, 2)(X[None]).grad_fn.name())
        t = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        print(t.clamp_min(0.0), lib.clamp_max(t, 1.0), t.clamp_min(lib.zeros(3)), 1 / t)
        print(lib.sort(t), t.topk(2))
        Xc = lib.tensor([[0.0, 1.0], [2.0, 3.0]]).reshape(1, 1, 2, 2)
        tconv = nn.ConvTranspose2d(1, 1, kernel_size=2, bias=False)
        tconv.weight.data = lib.tensor([[0.0, 1.0], [2.0, 3.0]]).reshape(1, 1, 2, 2)
        print(tconv(Xc))
        conv1d = nn.Conv1d(1, 1, kernel_size=2, bias=False)
        conv1d.weight.data = lib.tensor([[[1.0, -1.0]]])
        print(conv1d(lib.tensor([[[1.0, 2.0, 4.0]]])))

    (_, mine), (_, theirs) = _both(torch, program)
    assert mine == theirs


# ---- d2l: seq2seq with masked softmax cross-entropy -----------------------------------------
def _load(lib, net, seed: int = 0) -> None:
    """Deterministic float weights from numpy, the same for both libraries."""
    g = np.random.default_rng(seed)
    net.load_state_dict(
        {
            k: lib.tensor(g.standard_normal(tuple(v.shape)).astype(np.float32) * 0.3)
            for k, v in net.state_dict().items()
        }
    )


def _seq2seq(lib):
    nn = lib.nn

    class Encoder(nn.Module):
        def __init__(self, vocab_size, embed_size, num_hiddens, num_layers):
            super().__init__()
            self.embedding = nn.Embedding(vocab_size, embed_size)
            self.rnn = nn.GRU(embed_size, num_hiddens, num_layers)

        def forward(self, X, *args):
            return self.rnn(self.embedding(X).permute(1, 0, 2))

    class Decoder(nn.Module):
        def __init__(self, vocab_size, embed_size, num_hiddens, num_layers):
            super().__init__()
            self.embedding = nn.Embedding(vocab_size, embed_size)
            self.rnn = nn.GRU(embed_size + num_hiddens, num_hiddens, num_layers)
            self.dense = nn.Linear(num_hiddens, vocab_size)

        def forward(self, X, state):
            X = self.embedding(X).permute(1, 0, 2)
            context = state[-1].repeat(X.shape[0], 1, 1)
            output, state = self.rnn(lib.cat((X, context), 2), state)
            return self.dense(output).permute(1, 0, 2), state

    class EncoderDecoder(nn.Module):
        def __init__(self, encoder, decoder):
            super().__init__()
            self.encoder, self.decoder = encoder, decoder

        def forward(self, enc_X, dec_X):
            return self.decoder(dec_X, self.encoder(enc_X)[1])

    def xavier_init_weights(m):
        if type(m) == nn.Linear:  # noqa: E721  (d2l writes it so)
            nn.init.xavier_uniform_(m.weight)
        if type(m) == nn.GRU:  # noqa: E721
            for param in m._flat_weights_names:
                if "weight" in param:
                    nn.init.xavier_uniform_(m._parameters[param])

    def sequence_mask(X, valid_len, value=0):
        maxlen = X.size(1)
        mask = lib.arange((maxlen), dtype=lib.float32)[None, :] < valid_len[:, None]
        X[~mask] = value
        return X

    class MaskedSoftmaxCELoss(nn.CrossEntropyLoss):
        def forward(self, pred, label, valid_len):
            weights = sequence_mask(lib.ones_like(label), valid_len)
            self.reduction = "none"
            unweighted_loss = super().forward(pred.permute(0, 2, 1), label)
            return (unweighted_loss * weights).mean(dim=1)

    net = EncoderDecoder(Encoder(12, 8, 16, 2), Decoder(12, 8, 16, 2))
    net.apply(xavier_init_weights)
    print([len(w) for w in net.encoder.rnn.all_weights])
    _load(lib, net)
    g = np.random.default_rng(3)
    X, Y = (lib.tensor(g.integers(3, 12, (4, 6))) for _ in range(2))
    Y_valid_len = lib.tensor([6, 3, 4, 5])
    optimizer = lib.optim.Adam(net.parameters(), lr=0.005)
    loss = MaskedSoftmaxCELoss()
    losses = []
    for _ in range(3):
        optimizer.zero_grad()
        bos = lib.tensor([1] * Y.shape[0]).reshape(-1, 1)
        Y_hat, _ = net(X, lib.cat([bos, Y[:, :-1]], 1))
        l = loss(Y_hat, Y, Y_valid_len)
        l.sum().backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1)
        optimizer.step()
        with lib.no_grad():
            print(f"loss {l.sum() / Y_valid_len.sum():.3f}", Y_valid_len.sum())
        losses.append(l)
    dec_X, state, out = lib.tensor([[1]]), net.encoder(lib.tensor([[4, 5, 6]]))[1], []
    for _ in range(4):
        Y_hat, state = net.decoder(dec_X, state)
        dec_X = Y_hat.argmax(dim=2)
        out.append(dec_X.squeeze(dim=0).type(lib.int32).item())
    print(out)
    return losses + [p.grad for p in net.parameters()]


def test_d2l_seq2seq_with_xavier_init_of_gru_flat_weights(torch):
    """d2l's ``xavier_init_weights`` walks ``GRU._flat_weights_names`` (AttributeError)."""
    (mine, out), (theirs, expected) = _both(torch, _seq2seq)
    assert out == expected
    _close(mine, theirs, tol=1e-4)


# ---- d2l: ndarray conversion prints types -----------------------------------------------------
def test_d2l_printed_types_of_tensor_size_dtype_device(torch):
    """``A = X.numpy(); B = torch.from_numpy(A); print(type(A), type(B))`` printed
    <class 'minitorch._tensor.Tensor'>; Size, dtype and device named their modules too."""

    def program(lib):
        X = lib.arange(12, dtype=lib.float32).reshape((3, 4))
        A = X.numpy()
        B = lib.from_numpy(A)
        print(type(A), type(B), type(X.shape), type(X.dtype), type(X.device))
        print(lib.Tensor, lib.Size, lib.dtype, lib.device, type(lib.nn.Parameter(X)))

    (_, mine), (_, theirs) = _both(torch, program)
    assert mine == theirs


# ---- fast.ai from scratch: broadcasting --------------------------------------------------------
@pytest.mark.filterwarnings("ignore:TypedStorage is deprecated")
def test_fastai_expand_as_storage_and_strides(torch):
    """fast.ai's matmul lesson prints ``c.expand_as(m).storage()`` (AttributeError)."""

    def program(lib):
        c = lib.tensor([10.0, 20, 30])
        m = lib.tensor([[1.0, 2, 3], [4, 5, 6], [7, 8, 9]])
        t = c.expand_as(m)
        print(t)
        print(t.storage())
        print(t.stride(), t.shape, len(t.storage()), t.storage().tolist(), t.storage()[1])
        print(t.storage().data_ptr() == c.data_ptr(), lib.arange(6).view(2, 3)[:, 1].storage())
        print(c.unsqueeze(0), c[None, :].shape, c[:, None], (m + c[:, None]).storage().size())

    (_, mine), (_, theirs) = _both(torch, program)
    assert mine == theirs


# ---- d2l: concise weight decay with parameter groups --------------------------------------------
def test_d2l_weight_decay_param_groups_and_printed_optimizer(torch):
    """``print(trainer)`` of an optimizer with two groups: PyTorch leaves a blank line
    between the groups (minitorch had none)."""
    g = np.random.default_rng(2)
    X, y, w = (g.standard_normal(s).astype(np.float32) for s in ((40, 5), (40, 1), (1, 5)))

    def program(lib):
        net = lib.nn.Sequential(lib.nn.Linear(5, 1))
        with lib.no_grad():
            net[0].weight.copy_(lib.tensor(w))
            net[0].bias.fill_(0.1)
        trainer = lib.optim.SGD(
            [{"params": net[0].weight, "weight_decay": 3}, {"params": net[0].bias}], lr=0.003
        )
        for _ in range(3):
            trainer.zero_grad()
            l = ((net(lib.tensor(X)) - lib.tensor(y)) ** 2 / 2).mean()
            l.backward()
            trainer.step()
        print("w的L2范数：", f"{net[0].weight.norm().item():.5f}")
        print(trainer)
        return [net[0].weight, net[0].bias]

    (mine, out), (theirs, expected) = _both(torch, program)
    assert out == expected
    _close(mine, theirs)


# ---- end-to-end programs that already matched --------------------------------------------------
def _regression_from_scratch(lib):
    """d2l 3.2/4.2: synthetic data, a hand-written iterator, SGD under no_grad, softmax
    regression with the accuracy helper."""
    g = np.random.default_rng(1)
    true_w, true_b = lib.tensor([2, -3.4]), 4.2
    X = lib.tensor(g.standard_normal((100, 2)).astype(np.float32))
    y = (lib.matmul(X, true_w) + true_b).reshape((-1, 1))
    y += lib.tensor(g.standard_normal((100, 1)).astype(np.float32)) * 0.01
    print(lib.normal(0, 0.01, y.shape).shape, lib.normal(0, 1, (3, 2)).dtype)

    def data_iter(batch_size, features, labels):
        indices = list(range(len(features)))
        random.Random(0).shuffle(indices)
        for i in range(0, len(features), batch_size):
            batch_indices = lib.tensor(indices[i : min(i + batch_size, len(features))])
            yield features[batch_indices], labels[batch_indices]

    w = lib.tensor(np.array([[0.01], [-0.02]], np.float32), requires_grad=True)
    b = lib.zeros(1, requires_grad=True)

    def sgd(params, lr, batch_size):
        with lib.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    losses = []
    for epoch in range(3):
        for Xb, yb in data_iter(10, X, y):
            l = (lib.matmul(Xb, w) + b - yb.reshape((-1, 1))) ** 2 / 2
            l.sum().backward()
            sgd([w, b], 0.03, 10)
        with lib.no_grad():
            losses.append(((lib.matmul(X, w) + b - y) ** 2 / 2).mean())
            print(f"epoch {epoch + 1}, loss {float(losses[-1]):.4f}")
    print(f"w的估计误差: {true_w - w.reshape(true_w.shape)}")

    Xs = lib.tensor(g.standard_normal((32, 1, 4, 4)).astype(np.float32))
    ys = lib.tensor(g.integers(0, 10, 32))
    W = lib.tensor(g.normal(0, 0.01, (16, 10)).astype(np.float32), requires_grad=True)
    bs = lib.zeros(10, requires_grad=True)

    def net(X):
        X_exp = lib.exp(lib.matmul(X.reshape((-1, W.shape[0])), W) + bs)
        return X_exp / X_exp.sum(1, keepdim=True)

    def accuracy(y_hat, y):
        if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
            y_hat = y_hat.argmax(axis=1)
        return float((y_hat.type(y.dtype) == y).type(y.dtype).sum())

    for _ in range(3):
        l = -lib.log(net(Xs)[range(len(ys)), ys])
        l.mean().backward()
        with lib.no_grad():
            for p in (W, bs):
                p -= 0.1 * p.grad
                p.grad.zero_()
        acc = (net(Xs).argmax(axis=1).type(ys.dtype) == ys).float().sum()
        print(f"loss {l.mean().item():.4f}", acc, accuracy(net(Xs), ys) / len(ys))
        losses.append(l)
    return losses + [w, b, W, bs]


def test_d2l_regression_from_scratch(torch):
    (mine, out), (theirs, expected) = _both(torch, _regression_from_scratch)
    assert out == expected
    _close(mine, theirs, tol=1e-4)


def _makemore_manual_backprop(lib):
    """makemore part 4: a BatchNorm MLP's forward pass by hand, every intermediate's
    gradient derived by hand and checked against autograd with ``cmp``."""
    F = lib.nn.functional
    g = np.random.default_rng(0)
    n, block, n_embd, n_hidden, vocab = 32, 3, 4, 20, 27

    def rand(*shape, scale=1.0):
        return lib.tensor(g.standard_normal(shape).astype(np.float32)) * scale

    C, b1, W2 = rand(vocab, n_embd), rand(n_hidden, scale=0.1), rand(n_hidden, vocab, scale=0.1)
    W1 = rand(n_embd * block, n_hidden) * (5 / 3) / ((n_embd * block) ** 0.5)
    b2, bngain = rand(vocab, scale=0.1), rand(1, n_hidden, scale=0.1) + 1.0
    bnbias = rand(1, n_hidden, scale=0.1)
    parameters = [C, W1, b1, W2, b2, bngain, bnbias]
    for p in parameters:
        p.requires_grad = True
    Xb, Yb = lib.tensor(g.integers(0, vocab, (n, block))), lib.tensor(g.integers(0, vocab, n))
    emb = C[Xb]
    embcat = emb.view(emb.shape[0], -1)
    hprebn = embcat @ W1 + b1
    bnmeani = 1 / n * hprebn.sum(0, keepdim=True)
    bndiff = hprebn - bnmeani
    bnvar = 1 / (n - 1) * (bndiff**2).sum(0, keepdim=True)
    bnvar_inv = (bnvar + 1e-5) ** -0.5
    bnraw = bndiff * bnvar_inv
    hpreact = bngain * bnraw + bnbias
    h = lib.tanh(hpreact)
    logits = h @ W2 + b2
    norm_logits = logits - logits.max(1, keepdim=True).values
    counts = norm_logits.exp()
    counts_sum_inv = counts.sum(1, keepdims=True) ** -1
    probs = counts * counts_sum_inv
    logprobs = probs.log()
    loss = -logprobs[range(n), Yb].mean()
    for t in [logprobs, probs, logits, h, hpreact, bnraw, bnvar_inv, bndiff, hprebn, emb]:
        t.retain_grad()
    loss.backward()
    print(loss)

    def cmp(s, dt, t):
        app = lib.allclose(dt, t.grad, rtol=1e-4, atol=1e-6)
        print(f"{s:15s} | approximate: {str(app):5s}")

    dlogprobs = lib.zeros_like(logprobs)
    dlogprobs[range(n), Yb] = -1.0 / n
    cmp("logprobs", dlogprobs, logprobs)
    cmp("probs", (1.0 / probs) * dlogprobs, probs)
    dlogits = F.softmax(logits, 1)
    dlogits[range(n), Yb] -= 1
    dlogits /= n
    cmp("logits", dlogits, logits)
    dh = dlogits @ W2.T
    cmp("h", dh, h)
    cmp("W2", h.T @ dlogits, W2)
    dhpreact = (1.0 - h**2) * dh
    cmp("hpreact", dhpreact, hpreact)
    cmp("bngain", (bnraw * dhpreact).sum(0, keepdim=True), bngain)
    dhprebn = (
        bngain
        * bnvar_inv
        / n
        * (n * dhpreact - dhpreact.sum(0) - n / (n - 1) * bnraw * (dhpreact * bnraw).sum(0))
    )
    cmp("hprebn", dhprebn, hprebn)
    demb = (dhprebn @ W1.T).view(emb.shape)
    cmp("emb", demb, emb)
    dC = lib.zeros_like(C)
    for k in range(Xb.shape[0]):
        for j in range(Xb.shape[1]):
            dC[Xb[k, j]] += demb[k, j]
    cmp("C", dC, C)
    loss_fast = F.cross_entropy(logits, Yb)
    print(loss_fast.item() - loss.item() < 1e-6, loss_fast.grad_fn.name())
    return [loss, dC, dhprebn] + [p.grad for p in parameters]


def test_makemore_manual_backprop(torch):
    (mine, out), (theirs, expected) = _both(torch, _makemore_manual_backprop)
    assert out == expected
    assert "approximate: True " in out and "False" not in out
    _close(mine, theirs, tol=1e-4)


# ---- d2l: activation functions over arange ------------------------------------------------------
def test_d2l_float_arange_values_and_relu_gradient(torch):
    """``torch.arange(-8.0, 8.0, 0.1)`` is not start + i * step rounded once: PyTorch's
    kernel adds k * step to float32 vector starts. Element 80 is +4.4e-16 (minitorch had
    0, so relu's gradient there was 0, not 1) and ``arange(-5, 5, 0.2)`` prints in sci mode
    for its -2.98e-09."""

    def program(lib):
        x = lib.arange(-8.0, 8.0, 0.1, requires_grad=True)
        y = lib.relu(x)
        y.backward(lib.ones_like(x), retain_graph=True)
        print(x.grad[78:82], lib.arange(-5, 5, 0.2)[22:28])
        return [x, x.grad, lib.arange(-1, 1, 0.01), lib.arange(1.5, 7.3, 0.07)]

    (mine, out), (theirs, expected) = _both(torch, program)
    assert out == expected
    for m, t in zip(mine, theirs):
        np.testing.assert_array_equal(m.detach().numpy(), t.detach().numpy())


def _rnn_and_optimizers_from_scratch(lib):
    """d2l 9.5/11.x: a GRU from scratch on one-hot inputs with hand-written gradient
    clipping, then momentum/RMSProp/Adam written with state tensors updated in place."""
    F = lib.nn.functional
    V, H = 8, 6
    g = np.random.default_rng(11)
    shapes = [(V, H), (H, H), (H,)] * 3 + [(H, V), (V,)]
    params = [lib.tensor(g.standard_normal(s).astype(np.float32) * 0.1) for s in shapes]
    for p in params:
        p.requires_grad_(True)
    X, Y = lib.tensor(g.integers(0, V, (2, 5))), lib.tensor(g.integers(0, V, (2, 5)))

    def gru(inputs, state, params):
        W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q = params
        (H,) = state
        outputs = []
        for X in inputs:
            Z = lib.sigmoid((X @ W_xz) + (H @ W_hz) + b_z)
            R = lib.sigmoid((X @ W_xr) + (H @ W_hr) + b_r)
            H_tilda = lib.tanh((X @ W_xh) + ((R * H) @ W_hh) + b_h)
            H = Z * H + (1 - Z) * H_tilda
            outputs.append(H @ W_hq + b_q)
        return lib.cat(outputs, dim=0), (H,)

    def grad_clipping(params, theta):
        norm = lib.sqrt(sum(lib.sum(p.grad**2) for p in params))
        if norm > theta:
            for param in params:
                param.grad[:] *= theta / norm
        return norm

    for it in range(3):
        state = (lib.zeros((X.shape[0], H)),)
        y_hat, state = gru(F.one_hot(X.T, V).type(lib.float32), state, params)
        l = lib.nn.CrossEntropyLoss()(y_hat, Y.T.reshape(-1).long()).mean()
        l.backward()
        norm = grad_clipping(params, 0.05)
        with lib.no_grad():
            for p in params:
                p -= 1.0 * p.grad
                p.grad.zero_()
        print(it, f"{math.exp(l.item()):.4f}", norm.dtype, norm.shape)

    Xr = lib.tensor(g.standard_normal((30, 5)).astype(np.float32))
    yr = lib.tensor(g.standard_normal((30, 1)).astype(np.float32))

    def momentum(p, s, hp):
        s[0][:] = hp["momentum"] * s[0] + p.grad
        p[:] -= hp["lr"] * s[0]

    def rmsprop(p, s, hp):
        s[0][:] = 0.9 * s[0] + 0.1 * lib.square(p.grad)
        p[:] -= hp["lr"] * p.grad / lib.sqrt(s[0] + 1e-6)

    def adam(p, s, hp):
        v, sq = s
        v[:] = 0.9 * v + 0.1 * p.grad
        sq[:] = 0.999 * sq + 0.001 * lib.square(p.grad)
        v_hat, s_hat = v / (1 - 0.9 ** hp["t"]), sq / (1 - 0.999 ** hp["t"])
        p[:] -= hp["lr"] * v_hat / (lib.sqrt(s_hat) + 1e-6)

    out = list(params)
    for update, hp in ((momentum, {"lr": 0.02, "momentum": 0.5}), (rmsprop, {"lr": 0.01}),
                       (adam, {"lr": 0.01, "t": 1})):  # fmt: skip
        w = lib.full((5, 1), 0.1, requires_grad=True)
        b = lib.zeros(1, requires_grad=True)
        states = {
            id(w): (lib.zeros((5, 1)), lib.zeros((5, 1))),
            id(b): (lib.zeros(1), lib.zeros(1)),
        }
        for _ in range(5):
            l = ((Xr @ w + b - yr) ** 2 / 2).mean()
            l.backward()
            with lib.no_grad():
                for p in (w, b):
                    update(p, states[id(p)], hp)
                    p.grad.data.zero_()
            hp["t"] = hp.get("t", 0) + 1
        print(update.__name__, f"{l.item():.5f}", w.is_leaf, w.grad_fn)
        out += [w, b, *states[id(w)]]
    return out


def test_d2l_gru_and_optimizers_from_scratch(torch):
    (mine, out), (theirs, expected) = _both(torch, _rnn_and_optimizers_from_scratch)
    assert out == expected
    _close(mine, theirs, tol=1e-4)


# ---- makemore part 4: tanh's backward bit for bit -------------------------------------------------
def test_makemore_tanh_backward_is_bitwise_pytorchs(torch):
    """PyTorch's tanh backward computes 1 - y*y as one fused multiply-add, so makemore's
    ``cmp('hpreact', (1.0 - h**2) * dh, hpreact)`` prints "exact: False"; minitorch's
    rounded y*y first and printed True. Inputs are kept where both libraries' tanh agree."""
    g = np.random.default_rng(4)
    x, dh = (g.standard_normal(4000).astype(np.float32) for _ in range(2))
    same = torch.tanh(torch.tensor(x)).numpy() == minitorch.tanh(minitorch.tensor(x)).numpy()
    x, dh = x[same][:640].reshape(32, 20), dh[same][:640].reshape(32, 20)

    def program(lib):
        hpreact = lib.tensor(x, requires_grad=True)
        h = lib.tanh(hpreact)
        h.backward(lib.tensor(dh))
        manual = (1.0 - h**2) * lib.tensor(dh)
        print("hpreact | exact:", lib.all(manual == hpreact.grad).item())
        return hpreact.grad

    (mine, out), (theirs, expected) = _both(torch, program)
    assert out == expected == "hpreact | exact: False\n"
    np.testing.assert_array_equal(mine.numpy(), theirs.numpy())


# ---- makemore part 5: layouts after a transpose -------------------------------------------------
def test_ops_of_transposed_inputs_give_contiguous_outputs(torch):
    """BatchNorm1d over (B, T, C) transposed to (B, C, T), and softmax, cat, stack, sum,
    mean and masked_fill of a transposed tensor give contiguous outputs in PyTorch, so a following ``.view``
    works; minitorch kept the input's (numpy's) layout and its ``view`` raised."""

    def program(lib):
        g = np.random.default_rng(0)
        x = lib.tensor(g.standard_normal((8, 4, 16)).astype(np.float32), requires_grad=True)
        bn = lib.nn.BatchNorm1d(16)
        y = bn(x.transpose(1, 2)).view(8, -1)
        bn.eval()
        z = bn(x.transpose(1, 2)).view(8, -1)
        s = lib.softmax(x.transpose(1, 2), -1).view(-1)
        ls = lib.log_softmax(x.transpose(1, 2), 1).view(-1)
        t = x.transpose(0, 2)
        c = lib.cat([t, t]).view(-1) + lib.stack([t, t]).view(-1)
        r = t.sum(0).view(-1) + t.mean(2, keepdim=True).view(-1).sum()
        r = r + t.masked_fill(t > 0, 0.0).view(-1)[:32]
        (y.sum() + z.pow(2).sum() + (s * ls).sum() + c.sum() + r.sum()).backward()
        print(y.stride(), z.stride(), s.is_contiguous(), c.shape, r.shape)
        return [y, z, s, ls, c, r, x.grad]

    (mine, out), (theirs, expected) = _both(torch, program)
    assert out == expected
    _close(mine, theirs, tol=1e-4)
