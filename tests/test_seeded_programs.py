"""Seeded PyTorch training programs print the same numbers under ``import minitorch as torch``.

Each program is written once against a framework module (``def program(torch)``, returning
the numbers it would print: losses, metrics, gradient norms, parameter sums) and run under
PyTorch and under minitorch from ``manual_seed(0)``. The random stream, default
initialisation, DataLoader order, dropout masks and worker seeds are PyTorch's, so the
programs agree to float32 rounding: rtol 1e-5 / atol 1e-6 for every program (up to a few
dozen optimizer steps). Measured: most agree to <= 7e-7 relative (summation order of
matmuls/reductions, numpy's vs PyTorch's log/sin/cos in normal samples); the nn.Transformer
seq2seq losses to 7e-6 (Adam divides near-cancelling LayerNorm-bias gradients by sqrt(v),
which magnifies rounding); the worker, sampler, dtype and full-batch GRU programs are
exact. Values near zero (a parameter sum, an attention output) are covered by atol. The
regression tests after the programs pin each divergence found while writing them (the
first differing dropout mask, packed batch order, worker draw, float16 normal...).
"""

import warnings

import numpy as np
import pytest
from conftest import assert_close

import minitorch
from minitorch.nn.utils._introsort import descending_order


# ---- the programs ---------------------------------------------------------------------------
def mlp_program(torch):
    """MLP classifier: TensorDataset + shuffled DataLoader + Dropout + Adam."""
    nn, data = torch.nn, torch.utils.data
    torch.manual_seed(0)
    X = torch.randn(200, 10)
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).long()
    loader = data.DataLoader(data.TensorDataset(X, y), batch_size=32, shuffle=True)
    model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 2))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    out = []
    for _ in range(3):
        model.train()
        for xb, yb in loader:
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            out.append(loss.item())
    model.eval()
    with torch.no_grad():
        out.append(model(X).argmax(1).eq(y).float().mean().item())
    return out


def cnn_program(torch):
    """Small CNN: Conv2d/BatchNorm2d/MaxPool2d/Dropout2d, SGD with momentum, StepLR."""
    nn, data = torch.nn, torch.utils.data
    torch.manual_seed(0)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
            self.bn1 = nn.BatchNorm2d(4)
            self.conv2 = nn.Conv2d(4, 8, 3)
            self.pool = nn.MaxPool2d(2)
            self.drop = nn.Dropout2d(0.25)
            self.fc = nn.Linear(8 * 3 * 3, 3)

        def forward(self, x):
            x = self.pool(torch.relu(self.bn1(self.conv1(x))))
            x = self.pool(self.drop(torch.relu(self.conv2(x))))
            return self.fc(torch.flatten(x, 1))

    X = torch.rand(64, 1, 16, 16)
    y = torch.randint(0, 3, (64,))
    loader = data.DataLoader(data.TensorDataset(X, y), batch_size=16, shuffle=True)
    model = Net()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    out = []
    for _ in range(3):
        model.train()
        for xb, yb in loader:
            opt.zero_grad()
            loss = nn.CrossEntropyLoss()(model(xb), yb)
            loss.backward()
            opt.step()
            out.append(loss.item())
        sched.step()
    model.eval()
    with torch.no_grad():
        out.append(model(X).sum().item())
    out.append(model.bn1.running_mean.sum().item())
    return out


def rnn_program(torch, cell="LSTM", batch=8):
    """Sequence classifier: Embedding, 2-layer LSTM/GRU with dropout between the layers on a
    pack_padded_sequence (unsorted, tied lengths), Adam; randint/randperm data."""
    nn = torch.nn
    rnn_utils = nn.utils.rnn
    torch.manual_seed(0)

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(20, 8, padding_idx=0)
            self.rnn = getattr(nn, cell)(8, 16, num_layers=2, dropout=0.2, batch_first=True)
            self.head = nn.Linear(16, 2)

        def forward(self, tokens, lengths):
            packed = rnn_utils.pack_padded_sequence(
                self.emb(tokens), lengths, batch_first=True, enforce_sorted=False
            )
            _, h = self.rnn(packed)
            h = h[0] if isinstance(h, tuple) else h
            return self.head(h[-1])

    lengths = torch.randint(2, 9, (24,))
    tokens = torch.randint(1, 20, (24, 8)) * (torch.arange(8)[None, :] < lengths[:, None]).long()
    labels = tokens.sum(1) % 2
    model = Tagger()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    out = []
    for _ in range(4):
        perm = torch.randperm(24)
        for i in range(0, 24, batch):
            idx = perm[i : i + batch]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(tokens[idx], lengths[idx]), labels[idx])
            loss.backward()
            opt.step()
            out.append(loss.item())
    return out


def transformer_program(torch):
    """TransformerEncoder (dropout inside, batch_first), AdamW, warmup LambdaLR,
    clip_grad_norm_ (its returned norm printed too)."""
    nn = torch.nn
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(16, 4, dim_feedforward=32, dropout=0.1, batch_first=True)
    encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
    head = nn.Linear(16, 3)
    params = list(encoder.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 5))
    x = torch.randn(32, 6, 16)
    y = torch.randint(0, 3, (32,))
    out = []
    encoder.train()
    for _ in range(12):
        idx = torch.randperm(32)[:8]
        opt.zero_grad()
        loss = nn.functional.cross_entropy(head(encoder(x[idx]).mean(1)), y[idx])
        loss.backward()
        out.append(nn.utils.clip_grad_norm_(params, 1.0).item())
        opt.step()
        sched.step()
        out.append(loss.item())
    return out


def text_program(torch):
    """Embedding + EmbeddingBag(mean, offsets) text classifier, plain SGD."""
    nn = torch.nn
    torch.manual_seed(0)

    class Text(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(50, 8)
            self.bag = nn.EmbeddingBag(50, 8, mode="mean")
            self.fc = nn.Linear(16, 4)

        def forward(self, tokens, flat, offsets):
            return self.fc(torch.cat([self.emb(tokens).mean(1), self.bag(flat, offsets)], 1))

    tokens = torch.randint(0, 50, (40, 5))
    labels = torch.randint(0, 4, (40,))
    model = Text()
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    out = []
    for _ in range(10):
        idx = torch.randperm(40)[:10]
        tb = tokens[idx]
        opt.zero_grad()
        logits = model(tb, tb.reshape(-1), torch.arange(0, 50, 5))
        loss = nn.functional.cross_entropy(logits, labels[idx])
        loss.backward()
        opt.step()
        out.append(loss.item())
    return out


def vae_program(torch):
    """VAE: randn_like reparameterisation, BCE-with-logits + KL, Adam, sampling at the end."""
    nn, data = torch.nn, torch.utils.data
    F = nn.functional
    torch.manual_seed(0)

    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Linear(12, 16)
            self.mu = nn.Linear(16, 3)
            self.logvar = nn.Linear(16, 3)
            self.dec = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 12))

        def forward(self, x):
            h = F.relu(self.enc(x))
            mu, logvar = self.mu(h), self.logvar(h)
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
            return self.dec(z), mu, logvar

    X = torch.rand(96, 12)
    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    loader = data.DataLoader(data.TensorDataset(X), batch_size=32, shuffle=True)
    out = []
    for _ in range(4):
        for (xb,) in loader:
            recon, mu, logvar = model(xb)
            rec = F.binary_cross_entropy_with_logits(recon, xb, reduction="sum")
            kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
            loss = (rec + kld) / xb.shape[0]
            opt.zero_grad()
            loss.backward()
            opt.step()
            out.append(loss.item())
    with torch.no_grad():
        out.append(model.dec(torch.randn(5, 3)).sum().item())
    return out


def gan_program(torch):
    """GAN steps: torch.randn noise for G, a D with Dropout, two Adams, BCEWithLogitsLoss."""
    nn = torch.nn
    torch.manual_seed(0)
    G = nn.Sequential(nn.Linear(4, 16), nn.LeakyReLU(0.2), nn.Linear(16, 2))
    D = nn.Sequential(nn.Linear(2, 16), nn.LeakyReLU(0.2), nn.Dropout(0.3), nn.Linear(16, 1))
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    out = []
    for _ in range(10):
        real = torch.randn(16, 2) * 0.5 + torch.tensor([2.0, -1.0])
        fake = G(torch.randn(16, 4))
        opt_d.zero_grad()
        d_loss = bce(D(real), torch.ones(16, 1)) + bce(D(fake.detach()), torch.zeros(16, 1))
        d_loss.backward()
        opt_d.step()
        opt_g.zero_grad()
        g_loss = bce(D(fake), torch.ones(16, 1))
        g_loss.backward()
        opt_g.step()
        out += [d_loss.item(), g_loss.item()]
    return out


def split_program(torch):
    """random_split (fractions) + shuffled train loader (drop_last) + validation loop, RMSprop."""
    nn, data = torch.nn, torch.utils.data
    torch.manual_seed(0)
    X = torch.randn(120, 6)
    y = X @ torch.randn(6, 1) + 0.1 * torch.randn(120, 1)
    train, val = data.random_split(data.TensorDataset(X, y), [0.75, 0.25])
    train_loader = data.DataLoader(train, batch_size=16, shuffle=True, drop_last=True)
    val_loader = data.DataLoader(val, batch_size=10)
    model = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Dropout(0.1), nn.Linear(8, 1))
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-2)
    out = []
    for _ in range(3):
        model.train()
        for xb, yb in train_loader:
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(xb), yb)
            loss.backward()
            opt.step()
            out.append(loss.item())
        model.eval()
        total = 0.0
        with torch.no_grad():
            for xb, yb in val_loader:
                total += nn.functional.mse_loss(model(xb), yb, reduction="sum").item()
        out.append(total / len(val))
    return out


def loader_generator_program(torch, **loader_kwargs):
    """A DataLoader shuffled by its own ``generator=`` (so the default stream is left to
    dropout), BCE-with-logits, SGD; the default stream's next number printed at the end."""
    nn, data = torch.nn, torch.utils.data
    torch.manual_seed(0)
    X = torch.randn(64, 5)
    y = torch.randint(0, 2, (64,)).float()
    loader = data.DataLoader(
        data.TensorDataset(X, y),
        batch_size=8,
        shuffle=True,
        generator=torch.Generator().manual_seed(123),
        **loader_kwargs,
    )
    model = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Dropout(0.2), nn.Linear(8, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    out = []
    for _ in range(2):
        for xb, yb in loader:
            opt.zero_grad()
            loss = nn.functional.binary_cross_entropy_with_logits(model(xb).squeeze(1), yb)
            loss.backward()
            opt.step()
            out.append(loss.item())
    out.append(torch.rand(1).item())
    return out


def worker_program(torch, reseed=False, **loader_kwargs):
    """A dataset whose ``__getitem__`` draws torch.rand/randn, loaded by 2 workers: each
    worker draws from its own stream seeded base_seed + worker_id; with ``reseed`` the
    ``worker_init_fn`` calls torch.manual_seed, which must not touch the main stream."""
    data = torch.utils.data
    torch.manual_seed(0)

    class Noisy(data.Dataset):
        def __len__(self):
            return 12

        def __getitem__(self, i):
            return torch.full((2,), float(i)) + torch.rand(2) + torch.randn(1)

    def init_fn(worker_id):
        if reseed:
            torch.manual_seed(100 + worker_id)

    loader = data.DataLoader(
        Noisy(), batch_size=3, shuffle=True, num_workers=2, worker_init_fn=init_fn, **loader_kwargs
    )
    out = []
    for _ in range(2):
        for xb in loader:
            out += xb.flatten().tolist()
        out.append(torch.rand(1).item())
    return out


def init_program(torch):
    """nn.init calls in ``__init__`` (kaiming_normal_, zeros_, orthogonal_, trunc_normal_),
    then ``model.apply(init_fn)`` (xavier_uniform_ with calculate_gain, uniform_), Adagrad on
    randint-sampled minibatches."""
    nn = torch.nn
    torch.manual_seed(0)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(6, 12)
            self.b = nn.Linear(12, 12)
            self.c = nn.Linear(12, 1)
            nn.init.kaiming_normal_(self.a.weight, nonlinearity="relu")
            nn.init.zeros_(self.a.bias)
            nn.init.orthogonal_(self.b.weight)
            nn.init.trunc_normal_(self.c.weight, std=0.02)

        def forward(self, x):
            return self.c(torch.relu(self.b(torch.relu(self.a(x)))))

    def init_fn(m):
        if isinstance(m, nn.Linear) and m.out_features == 12:
            nn.init.xavier_uniform_(m.weight, gain=nn.init.calculate_gain("relu"))
            nn.init.uniform_(m.bias, -0.1, 0.1)

    model = Net()
    model.apply(init_fn)
    X = torch.randn(48, 6)
    y = torch.randn(48, 1)
    opt = torch.optim.Adagrad(model.parameters(), lr=0.05)
    out = [p.sum().item() for p in model.parameters()]
    for _ in range(10):
        idx = torch.randint(0, 48, (16,))
        opt.zero_grad()
        loss = nn.functional.smooth_l1_loss(model(X[idx]), y[idx])
        loss.backward()
        opt.step()
        out.append(loss.item())
    return out


def bilstm_program(torch):
    """3-layer bidirectional LSTM (batch_first) feeding a 2-layer GRU, dropout between the
    layers of both (unpacked input), SGD."""
    nn = torch.nn
    torch.manual_seed(0)
    lstm = nn.LSTM(5, 6, num_layers=3, dropout=0.3, batch_first=True, bidirectional=True)
    gru = nn.GRU(12, 4, num_layers=2, dropout=0.25)
    head = nn.Linear(4, 1)
    params = [*lstm.parameters(), *gru.parameters(), *head.parameters()]
    opt = torch.optim.SGD(params, lr=0.1)
    x = torch.randn(7, 9, 5)
    y = torch.randn(9, 7, 1)
    out = []
    for _ in range(5):
        seq, _ = lstm(x)
        seq, _ = gru(seq.transpose(0, 1))
        loss = ((head(seq) - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        out.append(loss.item())
    return out


def seq2seq_program(torch):
    """nn.Transformer (sequence-first, dropout in every block) with a causal target mask."""
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Transformer(8, 2, 1, 2, dim_feedforward=16, dropout=0.2)
    src, tgt = torch.randn(5, 3, 8), torch.randn(4, 3, 8)
    mask = model.generate_square_subsequent_mask(4)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    out = []
    for _ in range(4):
        loss = model(src, tgt, tgt_mask=mask).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        out.append(loss.item())
    return out


def dropout_variants_program(torch):
    """AlphaDropout, FeatureAlphaDropout, Dropout1d/3d, RReLU in training, F.dropout of a
    channels-last permutation (out of place and in place), F.alpha_dropout."""
    nn, F = torch.nn, torch.nn.functional
    torch.manual_seed(0)
    x = torch.randn(4, 6, 5, 5)
    inputs = {nn.Dropout3d: x.unsqueeze(2), nn.Dropout1d: x[:, :, 0]}
    out = []
    for layer in (nn.AlphaDropout, nn.FeatureAlphaDropout, nn.Dropout3d, nn.Dropout1d):
        out.append(layer(0.3)(inputs.get(layer, x)).sum().item())
    out.append(nn.RReLU()(x).sum().item())
    channels_last = x.permute(0, 2, 3, 1)
    out.append(F.dropout(channels_last, 0.5).sum().item())
    z = x.clone().permute(0, 2, 3, 1)
    F.dropout(z, 0.5, inplace=True)
    out.append(z.sum().item())
    out.append(F.alpha_dropout(channels_last, 0.2, True).sum().item())
    return out + [torch.rand(1).item()]


def sampling_program(torch):
    """Sampling as generation loops do: multinomial (with/without replacement), bernoulli,
    normal with tensor/scalar moments, randint_like, randn_like(float64), a seeded
    Generator, get/set_rng_state."""
    torch.manual_seed(0)
    logits = torch.randn(3, 10)
    probs = torch.softmax(logits / 0.7, -1)
    out = []
    for _ in range(5):
        out += torch.multinomial(probs, 1).flatten().tolist()
    out += torch.multinomial(probs, 4, replacement=False).flatten().tolist()
    out += torch.multinomial(probs[0], 20, replacement=True).tolist()
    out += torch.bernoulli(probs).flatten().tolist()
    out += torch.normal(torch.zeros(5), torch.ones(5) * 2).tolist()
    out += torch.normal(1.0, 2.0, size=(3,)).tolist()
    out += torch.randint_like(logits, 0, 5).flatten().tolist()
    out += torch.randn_like(logits, dtype=torch.float64).flatten().tolist()
    g = torch.Generator().manual_seed(5)
    out += torch.randn(20, generator=g).tolist() + torch.randperm(30, generator=g).tolist()
    state = torch.get_rng_state()
    first = torch.rand(3).tolist()
    torch.set_rng_state(state)
    return out + first + torch.rand(3).tolist()


def samplers_program(torch):
    """WeightedRandomSampler, SubsetRandomSampler, RandomSampler (replacement / num_samples),
    a BatchSampler as batch_sampler, random_split with lengths and a generator."""
    data = torch.utils.data
    torch.manual_seed(0)
    ds = data.TensorDataset(torch.arange(30).float())
    samplers = [
        data.WeightedRandomSampler(torch.rand(30), 12),
        data.SubsetRandomSampler(list(range(0, 30, 2))),
        data.RandomSampler(ds, replacement=True, num_samples=10),
        data.RandomSampler(ds, num_samples=40),
    ]
    out = []
    for sampler in samplers:
        for _ in range(2):
            for (b,) in data.DataLoader(ds, batch_size=4, sampler=sampler):
                out += b.tolist()
    batches = data.BatchSampler(data.RandomSampler(ds), batch_size=7, drop_last=False)
    for (b,) in data.DataLoader(ds, batch_sampler=batches):
        out += b.tolist()
    gen = torch.Generator().manual_seed(42)
    a, b, _ = data.random_split(range(30), [10, 15, 5], generator=gen)
    return out + list(a) + list(b) + [torch.rand(1).item()]


def iterable_workers_program(torch):
    """An IterableDataset sharded by get_worker_info(), drawing torch.rand per item, read
    with 0 and with 2 workers."""
    data = torch.utils.data

    class Stream(data.IterableDataset):
        def __iter__(self):
            info = data.get_worker_info()
            start, step = (0, 1) if info is None else (info.id, info.num_workers)
            for i in range(start, 12, step):
                yield torch.tensor([float(i)]) + torch.rand(1)

    torch.manual_seed(0)
    out = []
    for workers in (0, 2):
        for b in data.DataLoader(Stream(), batch_size=2, num_workers=workers):
            out += b.flatten().tolist()
    return out


def augmentation_program(torch):
    """Batch augmentation written with torch ops: random flips (rand < p), randint shifts
    (roll), randn_like noise, mixup with rand and randperm."""
    torch.manual_seed(0)
    imgs = torch.rand(8, 3, 6, 6)
    out = []
    for _ in range(3):
        flip = torch.rand(8) < 0.5
        x = torch.where(flip[:, None, None, None], imgs.flip(-1), imgs)
        shift = torch.randint(-2, 3, (2,)).tolist()
        x = torch.roll(x, shifts=tuple(shift), dims=(2, 3))
        x = x + torch.randn_like(x) * 0.1
        lam = torch.rand(1)
        x = lam * x + (1 - lam) * x[torch.randperm(8)]
        out += [x.sum().item(), x.std().item()]
    return out


def dtypes_program(torch):
    """Layers built with dtype=float64, dropout of float64 and float16 data, float16
    rand/randn, a float64 default dtype."""
    nn = torch.nn
    torch.manual_seed(0)
    out = nn.Linear(5, 3, dtype=torch.float64).weight.flatten().tolist()
    out += nn.Conv1d(2, 3, 3, dtype=torch.float64).bias.tolist()
    out += nn.functional.dropout(torch.randn(4, 5, dtype=torch.float64), 0.3).flatten().tolist()
    half = torch.randn(40, dtype=torch.float16)
    out += nn.functional.dropout(half, 0.3).float().tolist()
    out += torch.rand(5, dtype=torch.float16).float().tolist()
    torch.set_default_dtype(torch.float64)
    try:
        out += torch.randn(20).tolist() + nn.Linear(3, 2).weight.flatten().tolist()
    finally:
        torch.set_default_dtype(torch.float32)
    return out + nn.Embedding(4, 3, dtype=torch.float64).weight.flatten().tolist()


def policy_gradient_program(torch):
    """REINFORCE with a Categorical policy (sample, log_prob, entropy), Adam; then Normal
    rsample/sample, Bernoulli, Uniform, MultivariateNormal draws."""
    nn, D = torch.nn, torch.distributions
    torch.manual_seed(0)
    policy = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 3))
    opt = torch.optim.Adam(policy.parameters(), lr=1e-2)
    out = []
    for _ in range(5):
        dist = D.Categorical(logits=policy(torch.randn(8, 4)))
        action = dist.sample()
        reward = (action == 1).float() - 0.5 + 0.1 * torch.randn(8)
        loss = -(dist.log_prob(action) * reward).mean() - 0.01 * dist.entropy().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        out += action.tolist() + [loss.item()]
    normal = D.Normal(torch.zeros(3), torch.ones(3))
    out += normal.rsample((2,)).flatten().tolist() + normal.sample().tolist()
    out += D.Bernoulli(probs=torch.full((5,), 0.3)).sample().tolist()
    out += D.Uniform(0.0, 2.0).sample((4,)).tolist()
    return out + D.MultivariateNormal(torch.zeros(2), torch.eye(2)).sample((3,)).flatten().tolist()


def attention_masks_program(torch):
    """MultiheadAttention with dropout and a key_padding_mask (with and without weights), a
    norm_first gelu TransformerEncoderLayer with a padding mask, an LSTM with proj_size and
    dropout between its layers."""
    nn = torch.nn
    torch.manual_seed(0)
    mha = nn.MultiheadAttention(8, 2, dropout=0.3, batch_first=True)
    x = torch.randn(3, 5, 8)
    pad = torch.tensor([[False] * 5, [False] * 3 + [True] * 2, [False] * 4 + [True]])
    out = []
    for need_weights in (True, False):
        out += mha(x, x, x, key_padding_mask=pad, need_weights=need_weights)[0].flatten().tolist()
    layer = nn.TransformerEncoderLayer(
        8, 2, 16, dropout=0.3, batch_first=True, norm_first=True, activation="gelu"
    )
    out += layer(x, src_key_padding_mask=pad).flatten().tolist()
    lstm = nn.LSTM(4, 6, num_layers=2, dropout=0.4, proj_size=3)
    return out + lstm(torch.randn(5, 2, 4))[0].flatten().tolist() + [torch.rand(1).item()]


def worker_seed_program(torch):
    """torch.initial_seed() inside workers (the per-worker seed) and the common
    ``np.random.seed(torch.initial_seed() % 2**32)`` worker_init_fn."""
    data = torch.utils.data

    class Seeds(data.Dataset):
        def __len__(self):
            return 8

        def __getitem__(self, i):
            return torch.tensor([float(torch.initial_seed() % 1000), float(i)])

    def init_fn(worker_id):
        np.random.seed(torch.initial_seed() % 2**32)

    torch.manual_seed(0)
    loader = data.DataLoader(Seeds(), batch_size=2, num_workers=2, worker_init_fn=init_fn)
    return [v for b in loader for v in b.flatten().tolist()]


def einsum_attention_program(torch):
    """Hand-written multi-head attention: einsum scores, softmax, dropout on the attention
    probabilities (its mask follows the scores' memory layout), einsum back, AdamW."""
    nn = torch.nn
    torch.manual_seed(0)

    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.qkv = nn.Linear(8, 24)
            self.out = nn.Linear(8, 8)
            self.drop = nn.Dropout(0.2)

        def forward(self, x):
            q, k, v = self.qkv(x).reshape(x.shape[0], x.shape[1], 3, 2, 4).unbind(2)
            scores = torch.einsum("bqhd,bkhd->bhqk", q, k) / 2.0
            probs = self.drop(scores.softmax(-1))
            return self.out(torch.einsum("bhqk,bkhd->bqhd", probs, v).reshape(x.shape))

    model = Attention()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    x, y = torch.randn(4, 5, 8), torch.randn(4, 5, 8)
    out = []
    for _ in range(6):
        loss = nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        out.append(loss.item())
    return out


PROGRAMS = {
    "mlp": mlp_program,
    "cnn": cnn_program,
    "lstm": rnn_program,
    "gru_full_batch": lambda torch: rnn_program(torch, "GRU", batch=24),
    "transformer": transformer_program,
    "text": text_program,
    "vae": vae_program,
    "gan": gan_program,
    "random_split": split_program,
    "loader_generator": loader_generator_program,
    "loader_generator_workers": lambda torch: loader_generator_program(torch, num_workers=2),
    "workers": worker_program,
    "workers_reseeded": lambda torch: worker_program(torch, reseed=True),
    "persistent_workers": lambda torch: worker_program(
        torch, persistent_workers=True, prefetch_factor=3
    ),
    "init": init_program,
    "bilstm_gru": bilstm_program,
    "seq2seq_transformer": seq2seq_program,
    "dropout_variants": dropout_variants_program,
    "sampling": sampling_program,
    "samplers": samplers_program,
    "iterable_workers": iterable_workers_program,
    "augmentation": augmentation_program,
    "dtypes": dtypes_program,
    "policy_gradient": policy_gradient_program,
    "attention_masks": attention_masks_program,
    "worker_seeds": worker_seed_program,
    "einsum_attention": einsum_attention_program,
}


@pytest.mark.filterwarnings("ignore:enable_nested_tensor is True")  # nn.Transformer's, both
@pytest.mark.filterwarnings("ignore:LSTM with projections")  # PyTorch's oneDNN note
@pytest.mark.parametrize("name", list(PROGRAMS))
def test_program_prints_pytorchs_numbers(torch, name):
    expected = PROGRAMS[name](torch)
    actual = PROGRAMS[name](minitorch)
    assert len(actual) == len(expected)
    assert_close(np.array(actual), np.array(expected), rtol=1e-5, atol=1e-6)


# ---- regressions: the first divergences found -----------------------------------------------
def _packed_lstm(T, lengths):
    T.manual_seed(0)
    lstm = T.nn.LSTM(3, 4, num_layers=3, dropout=0.5, batch_first=True)
    x = T.randn(len(lengths), max(lengths), 3)
    packed = T.nn.utils.rnn.pack_padded_sequence(
        x, T.tensor(lengths), batch_first=True, enforce_sorted=False
    )
    out, (h, c) = lstm(packed)
    return out.data, h, c, T.rand(1)


@pytest.mark.parametrize("lengths", [[3, 6, 2, 5, 4], [2, 5, 5, 3, 5, 1, 2, 5] * 3])
def test_rnn_dropout_between_layers_of_a_packed_input_is_drawn_over_the_packed_data(torch, lengths):
    # PyTorch draws the inter-layer mask over (sum(lengths), H), not the padded (T, N, H)
    # (24 tied lengths: the packed order is torch.sort's unstable one)
    for a, e in zip(_packed_lstm(minitorch, lengths), _packed_lstm(torch, lengths)):
        assert_close(a, e)


def _killer_keys(n: int) -> list:
    """McIlroy's adversary against median-of-three quicksort, run on descending_order:
    keys that drive the introsort to its depth limit (its heapsort)."""
    gas, val, state = n, [n] * n, {"solid": 0, "candidate": None}

    class Key:
        def __init__(self, i):
            self.i = i

        def __gt__(self, other):
            x, y = self.i, other.i
            if val[x] == gas and val[y] == gas:
                z = x if x == state["candidate"] else y
                val[z], state["solid"] = state["solid"], state["solid"] + 1
            if val[x] == gas:
                state["candidate"] = x
            elif val[y] == gas:
                state["candidate"] = y
            return val[x] < val[y]

    descending_order([Key(i) for i in range(n)])
    for i in range(n):
        if val[i] == gas:
            val[i], state["solid"] = state["solid"], state["solid"] + 1
    return [-v for v in val]


def test_pack_padded_sequence_orders_tied_lengths_as_torch_sort(torch):
    torch.manual_seed(3)
    cases = [torch.randint(1, 9, (n,)) for n in (5, 17, 40, 300)]
    cases.append(torch.tensor(_killer_keys(300)))  # reaches the heapsort
    for lengths in cases:
        expected = torch.sort(lengths, descending=True).indices
        assert descending_order(lengths.tolist()).tolist() == expected.tolist()
    lengths = cases[2]
    x = np.random.default_rng(0).standard_normal((9, 40)).astype(np.float32)
    e = torch.nn.utils.rnn.pack_padded_sequence(torch.tensor(x), lengths, enforce_sorted=False)
    a = minitorch.nn.utils.rnn.pack_padded_sequence(
        minitorch.tensor(x), minitorch.tensor(lengths.numpy()), enforce_sorted=False
    )
    assert a.sorted_indices.tolist() == e.sorted_indices.tolist()
    assert_close(a.data, e.data, rtol=0, atol=0)


def _dropout_of_views(T):
    T.manual_seed(1)
    base = T.ones(3, 5, 4)
    views = [
        base.transpose(0, 1),  # what a batch_first attention block's output is
        T.ones(2, 3, 4, 5).permute(0, 2, 3, 1),  # channels-last
        base[:, ::2],  # not dense: PyTorch's empty_like is contiguous, logical order
        T.ones(4, 4).t(),  # square: the permutation, not the shape, decides
    ]
    return [T.nn.functional.dropout(v, 0.4) for v in views] + [T.rand(1)]


def test_dropout_of_a_transposed_input_draws_its_mask_in_memory_order(torch):
    for a, e in zip(_dropout_of_views(minitorch), _dropout_of_views(torch)):
        assert_close(a, e, rtol=0, atol=0)


@pytest.mark.parametrize("name", ["rand_like", "randn_like"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_rand_like_of_a_transposed_input_fills_it_in_memory_order(torch, name, dtype):
    # randn_like of a non-contiguous tensor uses PyTorch's per-element normal sampler
    def draws(T):
        T.manual_seed(1)
        dt = getattr(T, dtype)
        views = [T.zeros(3, 5, 4, dtype=dt).transpose(0, 1), T.zeros(4, 4, dtype=dt).t()]
        views.append(T.zeros(2, 3, 4, 5, dtype=dt).permute(0, 2, 3, 1))
        return [getattr(T, name)(v) for v in views] + [T.rand(1)]

    for a, e in zip(draws(minitorch), draws(torch)):
        assert a.shape == e.shape and a.is_contiguous() == e.is_contiguous()
        assert_close(a, e, rtol=1e-6, atol=1e-7)
    grad = minitorch.rand_like(minitorch.zeros(3, 4).t(), requires_grad=True)
    assert grad.is_leaf and grad.requires_grad


def test_random_draws_in_a_worker_use_the_workers_own_stream():
    class Draws(minitorch.utils.data.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return minitorch.rand(1)

    minitorch.manual_seed(0)
    loader = minitorch.utils.data.DataLoader(Draws(), batch_size=2, num_workers=2)
    batches = [b.flatten().tolist() for b in loader]
    base = minitorch.utils.data.DataLoader(Draws(), num_workers=0)
    minitorch.manual_seed(0)
    seed = base._draw_base_seed()
    after = minitorch.rand(1).item()
    for worker, batch in enumerate(batches):
        minitorch.manual_seed(seed + worker)  # the worker's stream, as torch.manual_seed
        assert batch == pytest.approx(minitorch.rand(2).tolist())
    minitorch.manual_seed(0)
    list(loader)
    assert minitorch.rand(1).item() == after  # the main stream gave only the base seed


_VIEWS = {
    "transposed": lambda T: T.zeros(6, 4).t(),
    "strided_rows": lambda T: T.zeros(6, 8)[:, ::2],  # logical order (memory order too)
    "strided_transposed": lambda T: T.zeros(8, 6)[::2].t(),
    "permuted_3d": lambda T: T.zeros(3, 4, 5).permute(2, 0, 1),
    "float64_transposed": lambda T: T.zeros(5, 7, dtype=T.float64).t(),
}
_FILLS = {
    "uniform_": lambda v: v.uniform_(-2, 3),
    "normal_": lambda v: v.normal_(1.5, 2.0),  # per-element sampler for any view
    "bernoulli_": lambda v: v.bernoulli_(0.3),
    "bernoulli_tensor_p": lambda v: v.bernoulli_(v.new_full(v.shape, 0.6)),
    "exponential_": lambda v: v.exponential_(2.0),
    "cauchy_": lambda v: v.cauchy_(),
    "log_normal_": lambda v: v.log_normal_(0.0, 0.5),
    "geometric_": lambda v: v.geometric_(0.3),
    "random_": lambda v: v.random_(0, 10),
}


@pytest.mark.parametrize("view", list(_VIEWS))
def test_in_place_fills_of_a_view_visit_its_memory_order(torch, view):
    def fills(T):
        T.manual_seed(1)
        out = []
        for fill in _FILLS.values():
            v = _VIEWS[view](T)
            fill(v)
            out.append(v.clone())
        v = _VIEWS[view](T)
        T.nn.init.normal_(v, 0.5, 2.0)
        T.nn.init.xavier_uniform_(v)
        return out + [v, T.rand(1)]

    for a, e in zip(fills(minitorch), fills(torch)):
        assert_close(a, e, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_bernoulli_of_probabilities_draws_uniforms_of_their_dtype(torch, dtype):
    def draws(T):
        T.manual_seed(1)
        p = T.rand(40).to(getattr(T, dtype))
        return T.bernoulli(p), T.zeros(40).bernoulli_(p), T.rand(1)

    for a, e in zip(draws(minitorch), draws(torch)):
        assert_close(a, e, rtol=0, atol=0)


def test_the_layout_and_packed_draws_run_on_a_device_backend():
    # tests/fake_cupy.py's stream is the CPU one, so the device gives the CPU's numbers
    from fake_cupy import installed

    lstm = minitorch.nn.LSTM(3, 4, num_layers=2, dropout=0.5)
    x = minitorch.randn(6, 3, 3)

    def draws(device):
        minitorch.manual_seed(0)
        ones = minitorch.ones(3, 5, 4, device=device).transpose(0, 1)
        w = minitorch.zeros(6, 4, device=device)
        w.t().normal_()
        packed = minitorch.nn.utils.rnn.pack_padded_sequence(
            x.to(device), [2, 6, 4], enforce_sorted=False
        )
        out, (h, _) = lstm.to(device)(packed)
        assert packed.sorted_indices.device == out.data.device == h.device
        results = [minitorch.nn.functional.dropout(ones, 0.5), minitorch.randn_like(ones), w]
        return [t.cpu() for t in results + [out.data, h]]

    expected = draws("cpu")
    with installed():
        actual = draws("cuda")
    for a, e in zip(actual, expected):
        assert_close(a, e, rtol=1e-6, atol=1e-7)


def test_float16_normals_and_dropout_follow_pytorchs_reduced_precision_kernels(torch):
    # normal_ of >= 16 float16 values draws 16 uniforms per block, the partial last block
    # only when it is computed; dropout's 1 / (1 - p) is rounded from float32
    def draws(T):
        T.manual_seed(0)
        out = [T.randn(n, dtype=T.float16) for n in (5, 16, 20, 33)]
        w = T.empty(7, 5, dtype=T.float16)
        out += [w.normal_(0.5, 2.0).clone(), T.nn.init.kaiming_normal_(w).clone()]
        half = T.randn(64, dtype=T.float16)
        out += [T.nn.functional.dropout(half, p) for p in (0.1, 0.3, 0.77)]
        return out + [T.rand(1)]

    for a, e in zip(draws(minitorch), draws(torch)):
        assert_close(a.float(), e.float(), rtol=0, atol=0)


@pytest.mark.parametrize("dtype", ["float16", "float64"])
def test_normal_with_a_tensor_std_takes_its_dtype(torch, dtype):
    def draws(T):
        T.manual_seed(0)
        std = T.full((40,), 2.0, dtype=getattr(T, dtype))
        return T.normal(1.0, std), T.normal(1.0, std[:5]), T.rand(1)

    for a, e in zip(draws(minitorch), draws(torch)):
        assert a.dtype == getattr(minitorch, str(e.dtype).split(".")[1])
        assert_close(a.double(), e.double(), rtol=0, atol=0)


def test_einsum_of_several_operands_is_contiguous_so_dropout_of_it_matches(torch):
    # numpy's einsum often returns a transposed view where PyTorch's bmm result is
    # contiguous; dropout and rand_like draw in memory order
    equations = ["bqhd,bkhd->bhqk", "bhqd,bhkd->bhqk", "bnd,de->bne", "ij,jk->ik"]
    shapes = [[(2, 4, 3, 5)] * 2, [(2, 3, 4, 5)] * 2, [(2, 3, 4), (4, 5)], [(3, 4), (4, 5)]]

    def draws(T):
        T.manual_seed(0)
        out = []
        for equation, operand_shapes in zip(equations, shapes):
            result = T.einsum(equation, *[T.randn(s) for s in operand_shapes])
            out += [result, T.nn.functional.dropout(result, 0.5), T.rand_like(result)]
        return out

    for a, e in zip(draws(minitorch), draws(torch)):
        assert a.is_contiguous() == e.is_contiguous()
        assert_close(a, e)


@pytest.mark.parametrize("shape", [(5, 7), (5, 3, 4), (2, 5, 3, 4), (2, 5, 3, 4, 2)])
def test_dropout2d_of_other_ranks_drops_per_batch_and_channel_as_pytorch(torch, shape):
    def draws(T):
        T.manual_seed(0)
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            out = T.nn.functional.dropout2d(T.ones(shape), 0.4)
        return out, T.rand(1), [str(w.message) for w in record]

    (a, a_next, a_warn), (e, e_next, e_warn) = draws(minitorch), draws(torch)
    assert_close(a, e, rtol=0, atol=0)
    assert_close(a_next, e_next, rtol=0, atol=0)
    assert a_warn == e_warn and len(a_warn) == {2: 1, 3: 1, 4: 0, 5: 1}[len(shape)]


def test_draws_shaped_by_a_transposed_input_follow_pytorchs_layout_rules(torch):
    # multinomial and randint_like fill empty_like(input) (memory order); gumbel_softmax
    # asks for a contiguous buffer (logical order)
    def draws(T):
        T.manual_seed(0)
        weights = T.rand(5, 7).t()
        out = [T.multinomial(weights, 3), T.multinomial(weights, 1)]
        out += [T.multinomial(weights, 4, True), T.randint_like(weights, 10)]
        out.append(T.nn.functional.gumbel_softmax(weights, tau=0.5))
        return out + [T.rand(1)]

    for a, e in zip(draws(minitorch), draws(torch)):
        assert_close(a, e, rtol=1e-6, atol=1e-7)
