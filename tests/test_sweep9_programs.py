"""Session 7 compatibility sweep of whole programs, third pass: the "Learning PyTorch with
Examples" sequence, "What is torch.nn really", the LeNet tutorial, makemore, a 1-D GAN, a
tied-weight autoencoder, a CLS-token transformer classifier, label smoothing with mixup and
clipping with autocast on CPU, run with PyTorch (the oracle) and minitorch from the same seed."""

from __future__ import annotations

import math

import pytest
from sweep_harness import Sweep

SWEEP = Sweep(float64={"rtol": 1e-9, "atol": 1e-11})
program = SWEEP.program
error = SWEEP.error
LOOSE = {"rtol": 1e-4, "atol": 1e-5}


test_program_matches_pytorch = SWEEP.test()


# ---- Learning PyTorch with Examples ---------------------------------------------------------
@program
def polynomial_fit_with_tensors_by_hand(torch):
    dtype = torch.float
    x = torch.linspace(-math.pi, math.pi, 200, dtype=dtype)
    y = torch.sin(x)
    a, b, c, d = (torch.randn((), dtype=dtype) for _ in range(4))
    lr = 1e-6
    losses = []
    for _ in range(5):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum().item()
        losses.append(loss)
        grad_y_pred = 2.0 * (y_pred - y)
        a -= lr * grad_y_pred.sum()
        b -= lr * (grad_y_pred * x).sum()
        c -= lr * (grad_y_pred * x**2).sum()
        d -= lr * (grad_y_pred * x**3).sum()
    return losses, a, b, c, d


@program
def polynomial_fit_with_autograd_float64(torch):
    x = torch.linspace(-math.pi, math.pi, 100, dtype=torch.float64)
    y = torch.sin(x)
    a, b, c, d = (torch.randn((), dtype=torch.float64, requires_grad=True) for _ in range(4))
    for _ in range(4):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= 1e-6 * p.grad
                p.grad = None
    return loss, a, b, c, d, f"Result: y = {a.item():.6f} + {b.item():.6f} x"


@program
def legendre_polynomial3_custom_function(torch):
    class LegendrePolynomial3(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input**3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input**2 - 1)

    x = torch.linspace(-math.pi, math.pi, 50)
    y = torch.sin(x)
    a = torch.full((), 0.0, requires_grad=True)
    b = torch.full((), -1.0, requires_grad=True)
    c = torch.full((), 0.0, requires_grad=True)
    d = torch.full((), 0.3, requires_grad=True)
    P3 = LegendrePolynomial3.apply
    out = []
    for _ in range(4):
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        out.append((loss.item(), y_pred.grad_fn.name()))
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= 5e-6 * p.grad
                p.grad = None
    return out, a, b, c, d


@program(tol=LOOSE)
def sequential_flatten_0_1_mse_sum_and_rmsprop(torch):
    x = torch.linspace(-math.pi, math.pi, 100)
    y = torch.sin(x)
    p = torch.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    loss_fn = torch.nn.MSELoss(reduction="sum")
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(5):
        loss = loss_fn(model(xx), y)
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    layer = model[0]
    return xx.shape, xx.dtype, losses, layer.weight, layer.bias, layer.weight[:, 0].item()


@program(tol=LOOSE)
def dynamic_net_with_random_depth(torch):
    import random

    random.seed(0)

    class DynamicNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Parameter(torch.randn(()))
            self.b = torch.nn.Parameter(torch.randn(()))
            self.c = torch.nn.Parameter(torch.randn(()))
            self.d = torch.nn.Parameter(torch.randn(()))
            self.e = torch.nn.Parameter(torch.randn(()))

        def forward(self, x):
            y = self.a + self.b * x + self.c * x**2 + self.d * x**3
            for exp in range(4, random.randint(4, 6)):
                y = y + self.e * x**exp
            return y

        def string(self):
            return f"y = {self.a.item()} + {self.b.item()} x"

    x = torch.linspace(-math.pi, math.pi, 60)
    y = torch.sin(x)
    model = DynamicNet()
    opt = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
    crit = torch.nn.MSELoss(reduction="sum")
    losses = []
    for _ in range(5):
        loss = crit(model(x), y)
        losses.append(loss)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return losses, list(model.parameters()), len(model.string()) > 0


# ---- What is torch.nn really ----------------------------------------------------------------
@program(tol=LOOSE)
def nn_really_manual_log_softmax_and_nll(torch):
    x = torch.randn(64, 20)
    y = torch.randint(0, 10, (64,))
    weights = torch.randn(20, 10) / math.sqrt(20)
    weights.requires_grad_()
    bias = torch.zeros(10, requires_grad=True)

    def log_softmax(x):
        return x - x.exp().sum(-1).log().unsqueeze(-1)

    def model(xb):
        return log_softmax(xb @ weights + bias)

    def nll(input, target):
        return -input[range(target.shape[0]), target].mean()

    def accuracy(out, yb):
        preds = torch.argmax(out, dim=1)
        return (preds == yb).float().mean()

    res = []
    for i in range(4):
        xb, yb = x[i * 16 : (i + 1) * 16], y[i * 16 : (i + 1) * 16]
        loss = nll(model(xb), yb)
        loss.backward()
        with torch.no_grad():
            weights -= weights.grad * 0.5
            bias -= bias.grad * 0.5
            weights.grad.zero_()
            bias.grad.zero_()
        res.append((loss, accuracy(model(xb), yb)))
    return res, weights, bias


@program(tol=LOOSE)
def nn_really_mnist_logistic_module_and_fit(torch):
    nn, optim = torch.nn, torch.optim
    DataLoader, TensorDataset = torch.utils.data.DataLoader, torch.utils.data.TensorDataset
    F = nn.functional
    x_train, y_train = torch.randn(50, 16), torch.randint(0, 4, (50,))
    x_valid, y_valid = torch.randn(20, 16), torch.randint(0, 4, (20,))

    class Mnist_Logistic(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(16, 4)

        def forward(self, xb):
            return self.lin(xb)

    def loss_batch(model, loss_func, xb, yb, opt=None):
        loss = loss_func(model(xb), yb)
        if opt is not None:
            loss.backward()
            opt.step()
            opt.zero_grad()
        return loss.item(), len(xb)

    model = Mnist_Logistic()
    opt = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    train_dl = DataLoader(TensorDataset(x_train, y_train), batch_size=16, shuffle=True)
    valid_dl = DataLoader(TensorDataset(x_valid, y_valid), batch_size=32)
    hist = []
    for _ in range(2):
        model.train()
        for xb, yb in train_dl:
            loss_batch(model, F.cross_entropy, xb, yb, opt)
        model.eval()
        with torch.no_grad():
            losses, nums = zip(*[loss_batch(model, F.cross_entropy, xb, yb) for xb, yb in valid_dl])
        hist.append(sum(l * n for l, n in zip(losses, nums)) / sum(nums))
    return hist, model.lin.weight, model.lin.bias


@program(tol=LOOSE)
def nn_really_cnn_with_lambda_and_adaptive_pool(torch):
    nn = torch.nn
    F = nn.functional

    class Lambda(nn.Module):
        def __init__(self, func):
            super().__init__()
            self.func = func

        def forward(self, x):
            return self.func(x)

    def preprocess(x):
        return x.view(-1, 1, 8, 8)

    model = nn.Sequential(
        Lambda(preprocess),
        nn.Conv2d(1, 4, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(4, 4, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(4, 3, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        Lambda(lambda x: x.view(x.size(0), -1)),
    )
    x, y = torch.randn(12, 64), torch.randint(0, 3, (12,))

    class WrappedDataLoader:
        def __init__(self, dl, func):
            self.dl, self.func = dl, func

        def __len__(self):
            return len(self.dl)

        def __iter__(self):
            for b in self.dl:
                yield self.func(*b)

    dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=4)
    wdl = WrappedDataLoader(dl, lambda a, b: (a.view(-1, 1, 8, 8), b))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    losses = []
    for xb, yb in wdl:
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        opt.zero_grad()
        losses.append(loss)
    return losses, len(wdl), [p.clone() for p in model.parameters()], repr(model)


# ---- Neural networks tutorial (LeNet) -------------------------------------------------------
def _lenet(torch):
    nn = torch.nn
    F = nn.functional

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 6, 5)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, input):
            c1 = F.relu(self.conv1(input))
            s2 = F.max_pool2d(c1, (2, 2))
            c3 = F.relu(self.conv2(s2))
            s4 = F.max_pool2d(c3, 2)
            s4 = torch.flatten(s4, 1)
            f5 = F.relu(self.fc1(s4))
            f6 = F.relu(self.fc2(f5))
            return self.fc3(f6)

    return Net()


@program(tol=LOOSE)
def lenet_backward_with_random_gradient_and_grad_fn_chain(torch):
    net = _lenet(torch)
    params = list(net.parameters())
    input = torch.randn(1, 1, 32, 32)
    out = net(input)
    net.zero_grad()
    out.backward(torch.randn(1, 10))
    g1 = net.conv1.bias.grad.clone()
    output = net(input)
    target = torch.randn(10).view(1, -1)
    criterion = torch.nn.MSELoss()
    loss = criterion(output, target)
    chain = [
        loss.grad_fn.name(),
        loss.grad_fn.next_functions[0][0].name(),
    ]
    net.zero_grad()
    before = net.conv1.bias.grad
    loss.backward()
    for f in net.parameters():
        f.data.sub_(f.grad.data * 0.01)
    return len(params), params[0].size(), out, g1, chain, before, net.conv1.bias.grad, loss


@program(tol=LOOSE)
def lenet_with_optim_sgd_loop(torch):
    net = _lenet(torch)
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    crit = torch.nn.MSELoss()
    x = torch.randn(3, 1, 32, 32)
    target = torch.randn(3, 10)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = crit(net(x), target)
        loss.backward()
        opt.step()
        losses.append(loss)
    return losses, net.fc3.weight, net.conv1.weight.grad


# ---- makemore ----------------------------------------------------------------------------
@program
def makemore_bigram_counts_multinomial_with_generator(torch):
    words = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "ella"]
    chars = sorted(set("".join(words)))
    stoi = {s: i + 1 for i, s in enumerate(chars)}
    stoi["."] = 0
    itos = {i: s for s, i in stoi.items()}
    V = len(stoi)
    N = torch.zeros((V, V), dtype=torch.int32)
    for w in words:
        chs = ["."] + list(w) + ["."]
        for a, b in zip(chs, chs[1:]):
            N[stoi[a], stoi[b]] += 1
    P = (N + 1).float()
    P /= P.sum(1, keepdims=True)
    g = torch.Generator().manual_seed(2147483647)
    p = torch.rand(3, generator=g)
    p = p / p.sum()
    first = torch.multinomial(p, num_samples=20, replacement=True, generator=g)
    out = []
    for _ in range(5):
        ix, name = 0, []
        while True:
            ix = torch.multinomial(P[ix], num_samples=1, replacement=True, generator=g).item()
            name.append(itos[ix])
            if ix == 0:
                break
        out.append("".join(name))
    log_likelihood, n = 0.0, 0
    for w in words:
        chs = ["."] + list(w) + ["."]
        for a, b in zip(chs, chs[1:]):
            log_likelihood += torch.log(P[stoi[a], stoi[b]])
            n += 1
    return N, P, first, out, -log_likelihood / n, N.dtype


@program(tol=LOOSE)
def makemore_bigram_neural_net_one_hot(torch):
    F = torch.nn.functional
    xs = torch.tensor([0, 5, 13, 13, 1, 0, 3])
    ys = torch.tensor([5, 13, 13, 1, 0, 3, 0])
    g = torch.Generator().manual_seed(2147483647)
    W = torch.randn((27, 27), generator=g, requires_grad=True)
    losses = []
    for _ in range(5):
        xenc = F.one_hot(xs, num_classes=27).float()
        logits = xenc @ W
        counts = logits.exp()
        probs = counts / counts.sum(1, keepdims=True)
        loss = -probs[torch.arange(7), ys].log().mean() + 0.01 * (W**2).mean()
        losses.append(loss.item())
        W.grad = None
        loss.backward()
        W.data += -50 * W.grad
    return losses, W, F.one_hot(xs).dtype, F.one_hot(xs).shape


@program(tol=LOOSE)
def makemore_mlp_embeddings_manual_batchnorm_kaiming(torch):
    F = torch.nn.functional
    g = torch.Generator().manual_seed(2147483647)
    vocab, block, n_embd, n_hidden = 27, 3, 10, 32
    Xtr = torch.randint(0, vocab, (64, block), generator=g)
    Ytr = torch.randint(0, vocab, (64,), generator=g)
    C = torch.randn((vocab, n_embd), generator=g)
    W1 = torch.randn((n_embd * block, n_hidden), generator=g) * (5 / 3) / ((n_embd * block) ** 0.5)
    W2 = torch.randn((n_hidden, vocab), generator=g) * 0.01
    b2 = torch.randn(vocab, generator=g) * 0
    bngain = torch.ones((1, n_hidden))
    bnbias = torch.zeros((1, n_hidden))
    bnmean_running = torch.zeros((1, n_hidden))
    bnstd_running = torch.ones((1, n_hidden))
    parameters = [C, W1, W2, b2, bngain, bnbias]
    for p in parameters:
        p.requires_grad = True
    lossi = []
    for i in range(4):
        ix = torch.randint(0, Xtr.shape[0], (16,), generator=g)
        Xb, Yb = Xtr[ix], Ytr[ix]
        emb = C[Xb]
        embcat = emb.view(emb.shape[0], -1)
        hpreact = embcat @ W1
        bnmeani = hpreact.mean(0, keepdim=True)
        bnstdi = hpreact.std(0, keepdim=True)
        hpreact = bngain * (hpreact - bnmeani) / bnstdi + bnbias
        with torch.no_grad():
            bnmean_running = 0.999 * bnmean_running + 0.001 * bnmeani
            bnstd_running = 0.999 * bnstd_running + 0.001 * bnstdi
        h = torch.tanh(hpreact)
        logits = h @ W2 + b2
        loss = F.cross_entropy(logits, Yb)
        for p in parameters:
            p.grad = None
        loss.backward()
        lr = 0.1 if i < 2 else 0.01
        for p in parameters:
            p.data += -lr * p.grad
        lossi.append(loss.log10().item())
    with torch.no_grad():
        emb = C[Xtr]
        hpre = emb.view(emb.shape[0], -1) @ W1
        bnmean, bnvar = hpre.mean(0, keepdim=True), hpre.var(0, keepdim=True, unbiased=True)
    return (
        lossi,
        parameters,
        bnmean_running,
        bnstd_running,
        bnmean,
        bnvar,
        sum(p.nelement() for p in parameters),
    )


@program(tol=LOOSE)
def makemore_manual_backprop_cross_entropy_check(torch):
    F = torch.nn.functional
    g = torch.Generator().manual_seed(2147483647)
    logits = torch.randn(8, 27, generator=g, requires_grad=True)
    Yb = torch.randint(0, 27, (8,), generator=g)
    logit_maxes = logits.max(1, keepdim=True).values
    norm_logits = logits - logit_maxes
    counts = norm_logits.exp()
    counts_sum = counts.sum(1, keepdims=True)
    counts_sum_inv = counts_sum**-1
    probs = counts * counts_sum_inv
    logprobs = probs.log()
    loss = -logprobs[range(8), Yb].mean()
    for t in (logit_maxes, norm_logits, counts, counts_sum, counts_sum_inv, probs, logprobs):
        t.retain_grad()
    loss.backward()
    dlogits = F.softmax(logits, 1).detach()
    dlogits[range(8), Yb] -= 1
    dlogits /= 8
    maxdiff = (dlogits - logits.grad).abs().max().item()
    return (
        loss,
        logits.grad,
        logprobs.grad,
        counts_sum_inv.grad,
        logit_maxes.grad,
        maxdiff < 1e-6,
        torch.allclose(dlogits, logits.grad),
    )


# ---- GAN, autoencoder, transformer ------------------------------------------------------------
@program(tol=LOOSE)
def gan_on_one_dimensional_gaussian(torch):
    nn = torch.nn
    G = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
    D = nn.Sequential(nn.Linear(1, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1), nn.Sigmoid())
    optG = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
    optD = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
    bce = nn.BCELoss()
    hist = []
    for _ in range(4):
        real = torch.randn(16, 1) * 1.25 + 4.0
        z = torch.rand(16, 4)
        fake = G(z)
        optD.zero_grad()
        d_loss = bce(D(real), torch.ones(16, 1)) + bce(D(fake.detach()), torch.zeros(16, 1))
        d_loss.backward()
        optD.step()
        optG.zero_grad()
        g_loss = bce(D(fake), torch.ones(16, 1))
        g_loss.backward()
        optG.step()
        hist.append((d_loss.item(), g_loss.item(), fake.mean().item(), fake.std().item()))
    return hist, list(G.parameters())


@program(tol=LOOSE)
def autoencoder_with_tied_weights(torch):
    nn = torch.nn
    F = nn.functional

    class TiedAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Linear(12, 4)
            self.dec_bias = nn.Parameter(torch.zeros(12))

        def forward(self, x):
            h = torch.sigmoid(self.enc(x))
            return F.linear(h, self.enc.weight.t(), self.dec_bias), h

    m = TiedAE()
    opt = torch.optim.Adam(m.parameters(), lr=1e-2)
    x = torch.rand(10, 12)
    hist = []
    for _ in range(5):
        recon, h = m(x)
        loss = F.mse_loss(recon, x) + 1e-3 * h.abs().sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
        hist.append(loss)
    return hist, [n for n, _ in m.named_parameters()], m.enc.weight, m.dec_bias.grad


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def transformer_classifier_with_cls_token(torch):
    nn = torch.nn

    class Classifier(nn.Module):
        def __init__(self, vocab=20, d=16, classes=3):
            super().__init__()
            self.emb = nn.Embedding(vocab, d, padding_idx=0)
            self.cls = nn.Parameter(torch.zeros(1, 1, d))
            self.pos = nn.Parameter(torch.randn(1, 9, d) * 0.02)
            layer = nn.TransformerEncoderLayer(
                d, 2, dim_feedforward=32, dropout=0.0, batch_first=True
            )
            self.enc = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
            self.norm = nn.LayerNorm(d)
            self.head = nn.Linear(d, classes)

        def forward(self, tokens):
            x = self.emb(tokens)
            cls = self.cls.expand(x.shape[0], -1, -1)
            x = torch.cat([cls, x], dim=1) + self.pos[:, : x.shape[1] + 1]
            pad = torch.cat([torch.zeros(x.shape[0], 1, dtype=torch.bool), tokens == 0], dim=1)
            x = self.enc(x, src_key_padding_mask=pad)
            return self.head(self.norm(x[:, 0]))

    m = Classifier()
    tokens = torch.randint(1, 20, (6, 8))
    tokens[:, 6:] = 0
    y = torch.randint(0, 3, (6,))
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3)
    losses = []
    for _ in range(3):
        loss = nn.functional.cross_entropy(m(tokens), y, label_smoothing=0.1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss)
    return losses, m.cls.grad, m.head.weight, m.emb.weight.grad[0]


@program(tol=LOOSE)
def label_smoothing_with_mixup_soft_targets(torch):
    nn = torch.nn
    F = nn.functional
    model = nn.Sequential(nn.Linear(8, 16), nn.GELU(), nn.Linear(16, 4))
    opt = torch.optim.SGD(
        model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4
    )
    x, y = torch.randn(16, 8), torch.randint(0, 4, (16,))
    crit = nn.CrossEntropyLoss(label_smoothing=0.1)
    hist = []
    for _ in range(3):
        lam = float(torch.distributions.Beta(0.4, 0.4).sample())
        idx = torch.randperm(16)
        xm = lam * x + (1 - lam) * x[idx]
        out = model(xm)
        loss = lam * crit(out, y) + (1 - lam) * crit(out, y[idx])
        soft = lam * F.one_hot(y, 4).float() + (1 - lam) * F.one_hot(y[idx], 4).float()
        loss2 = crit(out, soft)
        opt.zero_grad()
        loss.backward()
        opt.step()
        hist.append((lam, loss, loss2))
    return hist, list(model.parameters())


@program(tol=LOOSE)
def clipping_by_value_and_norm_with_cpu_autocast(torch):
    nn = torch.nn
    model = nn.Sequential(nn.Linear(6, 12), nn.ReLU(), nn.Linear(12, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(8, 6) * 10, torch.randn(8, 2)
    hist = []
    for step in range(3):
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16 if False else torch.float16):
            out = model(x)
            loss = nn.functional.mse_loss(out.float(), y)
        opt.zero_grad()
        loss.backward()
        if step % 2:
            nn.utils.clip_grad_value_(model.parameters(), clip_value=0.05)
            n = None
        else:
            n = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0, norm_type=2.0)
        opt.step()
        hist.append((out.dtype, loss, n))
    return hist, [p.grad for p in model.parameters()]


# ---- fastai-style loop with callbacks -------------------------------------------------------
@program(tol=LOOSE)
def fastai_style_learner_with_callbacks(torch):
    nn = torch.nn

    class Callback:
        order = 0

    class Recorder(Callback):
        def after_batch(self, learn):
            learn.hist.append(learn.loss.item())

    class LRFinder(Callback):
        order = 1

        def before_batch(self, learn):
            for g in learn.opt.param_groups:
                g["lr"] *= 1.5

    class Learner:
        def __init__(self, model, dl, loss_func, lr, cbs):
            self.model, self.dl, self.loss_func = model, dl, loss_func
            self.opt = torch.optim.SGD(model.parameters(), lr=lr)
            self.cbs = sorted(cbs, key=lambda c: c.order)
            self.hist = []

        def callback(self, name):
            for cb in self.cbs:
                getattr(cb, name, lambda learn: None)(self)

        def fit(self, epochs):
            for _ in range(epochs):
                for xb, yb in self.dl:
                    self.xb, self.yb = xb, yb
                    self.callback("before_batch")
                    self.preds = self.model(self.xb)
                    self.loss = self.loss_func(self.preds, self.yb)
                    self.loss.backward()
                    self.opt.step()
                    self.opt.zero_grad()
                    self.callback("after_batch")

    x = torch.randn(24, 5)
    y = (x.sum(1) > 0).long()
    dl = torch.utils.data.DataLoader(list(zip(x, y)), batch_size=8, shuffle=True)
    model = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 2))
    learn = Learner(model, dl, nn.CrossEntropyLoss(), 0.05, [LRFinder(), Recorder()])
    learn.fit(2)
    return learn.hist, learn.opt.param_groups[0]["lr"], list(model.parameters())


# ---- micrograd-style comparison -------------------------------------------------------------
@program
def micrograd_expression_gradients_double(torch):
    x = torch.Tensor([-4.0]).double()
    x.requires_grad = True
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    a = torch.Tensor([-4.0]).double()
    b = torch.Tensor([2.0]).double()
    a.requires_grad = b.requires_grad = True
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    return y, x.grad, g, a.grad, b.grad, x.dtype, torch.Tensor([1, 2]).dtype


@program
def mse_loss_is_one_node_with_broadcast_target_float64(torch):
    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    t = torch.randn(4, dtype=torch.float64, requires_grad=True)
    out = []
    for reduction in ("mean", "sum", "none"):
        loss = torch.nn.functional.mse_loss(x + 1, t, reduction=reduction)
        nxt = loss.grad_fn.next_functions[0][0]
        gx, gt = torch.autograd.grad(loss.sum(), (x, t), create_graph=True)
        (ggx,) = torch.autograd.grad(gx.sum() + gt.pow(2).sum(), x)
        out.append((loss, loss.grad_fn.name(), nxt.name(), gx, gt, ggx))
    return out


def test_mse_loss_gradcheck():
    import minitorch
    from minitorch.autograd import gradcheck, gradgradcheck

    x = minitorch.randn(3, 4, dtype=minitorch.float64, requires_grad=True)
    t = minitorch.randn(4, dtype=minitorch.float64, requires_grad=True)
    for reduction in ("mean", "sum", "none"):

        def f(a, b, reduction=reduction):
            return minitorch.nn.functional.mse_loss(a, b, reduction=reduction)

        with pytest.warns(UserWarning, match="different to the input size"):
            assert gradcheck(f, (x, t))
            assert gradgradcheck(f, (x, t))


# ---- more tutorial and research programs ------------------------------------------------------
@program(tol=LOOSE)
def l1_and_smooth_l1_regression_with_huber_and_adagrad(torch):
    nn = torch.nn
    model = nn.Linear(3, 2)
    opt = torch.optim.Adagrad(
        model.parameters(), lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1
    )
    x, y = torch.randn(10, 3), torch.randn(10, 2)
    hist = []
    for _ in range(3):
        out = model(x)
        losses = [
            nn.L1Loss()(out, y),
            nn.SmoothL1Loss(beta=0.5)(out, y),
            nn.HuberLoss(delta=0.7)(out, y),
        ]
        loss = sum(losses)
        opt.zero_grad()
        loss.backward()
        opt.step()
        hist.append([(l, l.grad_fn.name()) for l in losses])
    return hist, model.weight, model.bias


@program(tol=LOOSE)
def manual_batchnorm_running_stats_vs_nn_batchnorm1d(torch):
    nn = torch.nn
    bn = nn.BatchNorm1d(5, momentum=0.1)
    x = torch.randn(8, 5) * 3 + 1
    rm, rv = torch.zeros(5), torch.ones(5)
    outs = []
    for _ in range(3):
        y = bn(x)
        m, v = x.mean(0), x.var(0, unbiased=False)
        rm = 0.9 * rm + 0.1 * m
        rv = 0.9 * rv + 0.1 * x.var(0, unbiased=True)
        manual = (x - m) / torch.sqrt(v + bn.eps)
        outs.append((y, manual))
    bn.eval()
    return outs, bn.running_mean, bn.running_var, rm, rv, bn.num_batches_tracked, bn(x)


@program(tol=LOOSE)
def kaiming_init_by_hand_vs_nn_init(torch):
    nn = torch.nn
    w = torch.empty(64, 32)
    nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity="relu")
    w2 = torch.randn(64, 32) * math.sqrt(2.0 / 32)
    w3 = torch.empty(16, 8)
    nn.init.kaiming_uniform_(w3, a=math.sqrt(5))
    w4 = torch.empty(16, 8)
    nn.init.xavier_normal_(w4, gain=nn.init.calculate_gain("tanh"))
    return w.std(), w2.std(), w3, w4, nn.init.calculate_gain("leaky_relu", 0.2)


@program(tol=LOOSE)
def rnn_name_classifier_with_nll_and_manual_sgd(torch):
    nn = torch.nn

    class RNN(nn.Module):
        def __init__(self, input_size, hidden_size, output_size):
            super().__init__()
            self.hidden_size = hidden_size
            self.i2h = nn.Linear(input_size, hidden_size)
            self.h2h = nn.Linear(hidden_size, hidden_size)
            self.h2o = nn.Linear(hidden_size, output_size)
            self.softmax = nn.LogSoftmax(dim=1)

        def forward(self, input, hidden):
            hidden = torch.tanh(self.i2h(input) + self.h2h(hidden))
            return self.softmax(self.h2o(hidden)), hidden

        def initHidden(self):
            return torch.zeros(1, self.hidden_size)

    rnn = RNN(6, 8, 3)
    crit = nn.NLLLoss()
    line = torch.zeros(4, 1, 6)
    for i, c in enumerate([0, 3, 5, 1]):
        line[i][0][c] = 1
    target = torch.tensor([2], dtype=torch.long)
    hist = []
    for _ in range(3):
        hidden = rnn.initHidden()
        rnn.zero_grad()
        for i in range(line.size()[0]):
            output, hidden = rnn(line[i], hidden)
        loss = crit(output, target)
        loss.backward()
        for p in rnn.parameters():
            p.data.add_(p.grad.data, alpha=-0.05)
        top_n, top_i = output.topk(1)
        hist.append((loss.item(), top_i[0].item(), output))
    return hist


@program(tol=LOOSE)
def lr_schedulers_chained_step_and_exponential(torch):
    nn = torch.nn
    m = nn.Linear(2, 1)
    opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
    s1 = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    s2 = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    x, y = torch.randn(6, 2), torch.randn(6, 1)
    lrs = []
    for _ in range(5):
        opt.zero_grad()
        nn.functional.mse_loss(m(x), y).backward()
        opt.step()
        s1.step()
        s2.step()
        lrs.append((s1.get_last_lr()[0], s2.get_last_lr()[0]))
    return lrs, m.weight, opt.state_dict()["param_groups"][0]["lr"]


@program(tol=LOOSE)
def autoencoder_mnist_style_conv_transpose(torch):
    nn = torch.nn
    enc = nn.Sequential(
        nn.Conv2d(1, 4, 3, stride=2, padding=1), nn.ReLU(), nn.Conv2d(4, 8, 3, stride=2, padding=1)
    )
    dec = nn.Sequential(
        nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1),
        nn.ReLU(),
        nn.ConvTranspose2d(4, 1, 3, stride=2, padding=1, output_padding=1),
        nn.Sigmoid(),
    )
    opt = torch.optim.Adam(
        list(enc.parameters()) + list(dec.parameters()), lr=1e-3, weight_decay=1e-5
    )
    x = torch.rand(4, 1, 8, 8)
    hist = []
    for _ in range(3):
        z = enc(x)
        r = dec(z)
        loss = nn.functional.binary_cross_entropy(r, x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        hist.append((z.shape, loss))
    return hist, dec[0].weight.grad, enc[0].bias


@program
def bigram_counts_float64_with_broadcast_division_and_nll(torch):
    N = torch.randint(0, 5, (6, 6)).double()
    P = (N + 1) / (N + 1).sum(1, keepdim=True)
    wrong = (N + 1) / (N + 1).sum(1)
    nll = -P.log()[torch.tensor([0, 1, 2]), torch.tensor([3, 4, 5])].mean()
    return P.sum(1), wrong.sum(1), nll, P.argmax(1), torch.multinomial(P, 2, replacement=False)


@error(RuntimeError, r"element 0 of tensors does not require grad")
def calling_backward_on_a_detached_loss(torch):
    m = torch.nn.Linear(2, 1)
    loss = m(torch.randn(3, 2)).detach().sum()
    loss.backward()


@error(RuntimeError, r"mat1 and mat2 shapes cannot be multiplied")
def forgetting_to_flatten_before_the_classifier(torch):
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.Linear(8, 2))
    net(torch.randn(1, 1, 6, 6)).sum()
