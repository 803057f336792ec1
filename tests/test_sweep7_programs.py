"""Session 7 compatibility sweep of whole programs: small tutorial and research scripts run
end to end (seeded, synthetic data, a few steps) with real PyTorch (the oracle) and with
minitorch, comparing losses, metrics, parameters and gradients. Both runs start from the same
seed and the CPU random stream is PyTorch's, so layers get the same initial weights."""

from __future__ import annotations

import copy
import importlib
import io
import math

from sweep_harness import Sweep

SWEEP = Sweep(float64={"rtol": 1e-9, "atol": 1e-11})
program = SWEEP.program
error = SWEEP.error
LOOSE = {"rtol": 1e-4, "atol": 1e-5}


test_program_matches_pytorch = SWEEP.test()


def _grads(module):
    return [p.grad for p in module.parameters()]


# ---- classifiers ----------------------------------------------------------------------------
@program(tol=LOOSE)
def quickstart_classifier_with_eval_loop(torch):
    nn = torch.nn
    from_data = torch.utils.data
    x = torch.randn(40, 1, 6, 6)
    y = torch.randint(0, 3, (40,))
    train = from_data.TensorDataset(x[:32], y[:32])
    test = from_data.TensorDataset(x[32:], y[32:])
    train_loader = from_data.DataLoader(train, batch_size=8, shuffle=True)
    test_loader = from_data.DataLoader(test, batch_size=3)
    model = nn.Sequential(nn.Flatten(), nn.Linear(36, 16), nn.ReLU(), nn.Linear(16, 3))
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=1e-1, momentum=0.9, nesterov=True)
    losses = []
    for _ in range(2):
        model.train()
        for xb, yb in train_loader:
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
            losses.append(loss.item())
        model.eval()
        test_loss, correct = 0, 0
        with torch.no_grad():
            for xb, yb in test_loader:
                pred = model(xb)
                test_loss += loss_fn(pred, yb).item()
                correct += (pred.argmax(1) == yb).type(torch.float).sum().item()
        losses += [test_loss / len(test_loader), correct / len(test_loader.dataset)]
    return losses, list(model.state_dict().values())


@program(tol=LOOSE)
def classifier_with_weighted_sampler_and_class_weights(torch):
    nn = torch.nn
    data = torch.utils.data
    x = torch.randn(30, 5, dtype=torch.float64)
    y = torch.tensor([0] * 20 + [1] * 7 + [2] * 3)
    counts = torch.bincount(y)
    weights = 1.0 / counts.double()
    sampler = data.WeightedRandomSampler(weights[y], num_samples=24, replacement=True)
    loader = data.DataLoader(data.TensorDataset(x, y), batch_size=6, sampler=sampler)
    model = nn.Linear(5, 3).double()
    loss_fn = nn.CrossEntropyLoss(weight=weights, label_smoothing=0.05)
    opt = torch.optim.Adam(model.parameters(), lr=0.05, amsgrad=True)
    out = []
    for xb, yb in loader:
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        out.append(loss.detach())
    return torch.stack(out), model.weight, yb


@program(tol=LOOSE)
def mnist_style_cnn_with_dropout_and_step_lr(torch):
    nn = torch.nn
    F = torch.nn.functional

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 4, 3, 1)
            self.conv2 = nn.Conv2d(4, 8, 3, 1)
            self.dropout1 = nn.Dropout(0.25)
            self.fc1 = nn.Linear(8 * 2 * 2, 10)

        def forward(self, x):
            x = F.relu(self.conv1(x))
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = self.dropout1(x)
            x = torch.flatten(x, 1)
            return F.log_softmax(self.fc1(x), dim=1)

    model = Net()
    opt = torch.optim.Adadelta(model.parameters(), lr=1.0)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.7)
    x = torch.randn(12, 1, 8, 8)
    y = torch.randint(0, 10, (12,))
    losses = []
    for _ in range(3):
        model.train()
        for i in range(0, 12, 4):
            opt.zero_grad()
            loss = F.nll_loss(model(x[i : i + 4]), y[i : i + 4])
            loss.backward()
            opt.step()
            losses.append(loss.item())
        sched.step()
    model.eval()
    with torch.no_grad():
        out = model(x)
        test_loss = F.nll_loss(out, y, reduction="sum").item()
        pred = out.argmax(dim=1, keepdim=True)
        correct = pred.eq(y.view_as(pred)).sum().item()
    return losses, test_loss, correct, sched.get_last_lr()


# ---- sequence models ------------------------------------------------------------------------
@program(tol=LOOSE)
def char_lstm_teacher_forcing_and_multinomial_sampling(torch):
    nn = torch.nn
    text = "hello world, hello minitorch"
    chars = sorted(set(text))
    idx = torch.tensor([chars.index(c) for c in text])
    V = len(chars)

    class CharRNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(V, 8)
            self.rnn = nn.LSTM(8, 16, num_layers=2, batch_first=True, dropout=0.1)
            self.head = nn.Linear(16, V)

        def forward(self, x, state=None):
            h, state = self.rnn(self.emb(x), state)
            return self.head(h), state

    model = CharRNN()
    opt = torch.optim.RMSprop(model.parameters(), lr=0.01)
    losses = []
    for _ in range(4):
        inp, tgt = idx[:-1].unsqueeze(0), idx[1:].unsqueeze(0)
        logits, _ = model(inp)
        loss = nn.functional.cross_entropy(logits.reshape(-1, V), tgt.reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
    model.eval()
    sample = [idx[0].item()]
    state = None
    with torch.no_grad():
        for _ in range(10):
            logits, state = model(torch.tensor([[sample[-1]]]), state)
            probs = torch.softmax(logits[0, -1] / 0.8, dim=-1)
            sample.append(torch.multinomial(probs, 1).item())
    return losses, sample, state[0]


@program(tol=LOOSE)
def char_gru_truncated_bptt_with_detached_hidden(torch):
    nn = torch.nn
    V = 7
    data = torch.randint(0, V, (3, 20))
    emb = nn.Embedding(V, 5)
    gru = nn.GRU(5, 6, batch_first=True)
    head = nn.Linear(6, V)
    params = [*emb.parameters(), *gru.parameters(), *head.parameters()]
    opt = torch.optim.Adam(params, lr=3e-3)
    h = torch.zeros(1, 3, 6)
    losses = []
    for t in range(0, 15, 5):
        x, y = data[:, t : t + 5], data[:, t + 1 : t + 6]
        h = h.detach()
        out, h = gru(emb(x), h)
        loss = nn.functional.cross_entropy(head(out).transpose(1, 2), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss)
    gen = torch.Generator().manual_seed(3)
    probs = torch.softmax(head(out[:, -1]), -1)
    draws = torch.multinomial(probs, 4, replacement=True, generator=gen)
    return [l.detach() for l in losses], h, draws


@program(tol=LOOSE)
def seq2seq_gru_with_bahdanau_attention(torch):
    nn = torch.nn
    F = torch.nn.functional

    class Attn(nn.Module):
        def __init__(self, h):
            super().__init__()
            self.Wa = nn.Linear(h, h)
            self.Ua = nn.Linear(h, h)
            self.Va = nn.Linear(h, 1)

        def forward(self, query, keys):
            scores = self.Va(torch.tanh(self.Wa(query) + self.Ua(keys)))
            scores = scores.squeeze(2).unsqueeze(1)
            weights = F.softmax(scores, dim=-1)
            return torch.bmm(weights, keys), weights

    H, V = 8, 9
    enc_emb, enc = nn.Embedding(V, H), nn.GRU(H, H, batch_first=True)
    dec_emb, attn = nn.Embedding(V, H), Attn(H)
    dec, out_proj = nn.GRU(2 * H, H, batch_first=True), nn.Linear(H, V)
    mods = nn.ModuleList([enc_emb, enc, dec_emb, attn, dec, out_proj])
    opt = torch.optim.Adam(mods.parameters(), lr=1e-2)
    src = torch.randint(1, V, (4, 6))
    tgt = torch.randint(1, V, (4, 5))
    losses = []
    for step in range(3):
        enc_out, hidden = enc(enc_emb(src))
        dec_in = torch.zeros(4, 1, dtype=torch.long)
        outs, attns = [], []
        for i in range(5):
            q = hidden.permute(1, 0, 2)
            ctx, w = attn(q, enc_out)
            o, hidden = dec(torch.cat((dec_emb(dec_in), ctx), dim=2), hidden)
            outs.append(out_proj(o))
            attns.append(w)
            dec_in = tgt[:, i].unsqueeze(1) if step < 2 else o.argmax(-1).detach()
        logp = F.log_softmax(torch.cat(outs, 1), dim=-1)
        loss = F.nll_loss(logp.view(-1, V), tgt.view(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, torch.cat(attns, 1).detach(), _grads(attn)


@program(tol=LOOSE)
def packed_bilstm_tagger_with_padding_ignore_index(torch):
    nn = torch.nn
    rnn_utils = nn.utils.rnn
    seqs = [torch.randint(1, 10, (n,)) for n in (5, 3, 4)]
    tags = [torch.randint(0, 4, (len(s),)) for s in seqs]
    lengths = torch.tensor([len(s) for s in seqs])
    x = rnn_utils.pad_sequence(seqs, batch_first=True)
    y = rnn_utils.pad_sequence(tags, batch_first=True, padding_value=-100)
    emb = nn.Embedding(10, 6, padding_idx=0)
    lstm = nn.LSTM(6, 5, batch_first=True, bidirectional=True)
    head = nn.Linear(10, 4)
    packed = rnn_utils.pack_padded_sequence(emb(x), lengths, batch_first=True, enforce_sorted=False)
    out, (h, c) = lstm(packed)
    out, out_lens = rnn_utils.pad_packed_sequence(out, batch_first=True, total_length=6)
    logits = head(out)
    loss = nn.functional.cross_entropy(logits[:, :5].reshape(-1, 4), y.reshape(-1))
    loss.backward()
    return loss, out, out_lens, h, emb.weight.grad, lstm.weight_hh_l0_reverse.grad


# ---- generative models ----------------------------------------------------------------------
def _weights_init(m):
    name = m.__class__.__name__
    if name.find("Conv") != -1:
        m.weight.data.normal_(0.0, 0.02)
    elif name.find("BatchNorm") != -1:
        m.weight.data.normal_(1.0, 0.02)
        m.bias.data.fill_(0)


@program(tol={"rtol": 1e-3, "atol": 1e-4})
def dcgan_two_optimizers_batchnorm_leaky_relu(torch):
    nn = torch.nn
    nz = 4
    G = nn.Sequential(
        nn.ConvTranspose2d(nz, 8, 4, 1, 0, bias=False),
        nn.BatchNorm2d(8),
        nn.ReLU(True),
        nn.ConvTranspose2d(8, 1, 4, 2, 1, bias=False),
        nn.Tanh(),
    )
    D = nn.Sequential(
        nn.Conv2d(1, 8, 4, 2, 1, bias=False),
        nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(8, 8, 3, 1, 0, bias=False),
        nn.BatchNorm2d(8),
        nn.LeakyReLU(0.2, inplace=True),
        nn.Flatten(),
        nn.Linear(32, 1),
        nn.Sigmoid(),
    )
    G.apply(_weights_init)
    D.apply(_weights_init)
    criterion = nn.BCELoss()
    optD = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optG = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    fixed_noise = torch.randn(2, nz, 1, 1)
    real = torch.rand(4, 1, 8, 8) * 2 - 1
    log = []
    for _ in range(3):
        D.zero_grad()
        label = torch.full((4,), 1.0, dtype=torch.float)
        errD_real = criterion(D(real).view(-1), label)
        errD_real.backward()
        fake = G(torch.randn(4, nz, 1, 1))
        label.fill_(0.0)
        errD_fake = criterion(D(fake.detach()).view(-1), label)
        errD_fake.backward()
        optD.step()
        G.zero_grad()
        label.fill_(1.0)
        output = D(fake).view(-1)
        errG = criterion(output, label)
        errG.backward()
        optG.step()
        log += [errD_real.item() + errD_fake.item(), errG.item(), output.mean().item()]
    with torch.no_grad():
        sample = G(fixed_noise).detach()
    return log, sample, G[1].running_mean, G[1].num_batches_tracked, D[3].running_var


@program(tol=LOOSE)
def vae_reparameterization_with_bce_and_kld(torch):
    nn = torch.nn
    F = torch.nn.functional

    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(16, 8)
            self.fc21 = nn.Linear(8, 2)
            self.fc22 = nn.Linear(8, 2)
            self.fc3 = nn.Linear(2, 8)
            self.fc4 = nn.Linear(8, 16)

        def encode(self, x):
            h1 = F.relu(self.fc1(x))
            return self.fc21(h1), self.fc22(h1)

        def reparameterize(self, mu, logvar):
            std = torch.exp(0.5 * logvar)
            eps = torch.randn_like(std)
            return mu + eps * std

        def decode(self, z):
            return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))

        def forward(self, x):
            mu, logvar = self.encode(x.view(-1, 16))
            z = self.reparameterize(mu, logvar)
            return self.decode(z), mu, logvar

    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(6, 1, 4, 4)
    losses = []
    for _ in range(4):
        recon, mu, logvar = model(x)
        bce = F.binary_cross_entropy(recon, x.view(-1, 16), reduction="sum")
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        loss = bce + kld
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item() / len(x))
    with torch.no_grad():
        sample = model.decode(torch.randn(3, 2))
    return losses, sample, mu, logvar


@program(tol=LOOSE)
def vae_with_distributions_normal_rsample_and_kl(torch):
    D = torch.distributions
    enc = torch.nn.Linear(5, 4)
    dec = torch.nn.Linear(2, 5)
    opt = torch.optim.SGD([*enc.parameters(), *dec.parameters()], lr=0.05)
    x = torch.randn(8, 5)
    out = []
    for _ in range(3):
        mu, log_sigma = enc(x).chunk(2, dim=-1)
        q = D.Normal(mu, log_sigma.exp())
        z = q.rsample()
        prior = D.Normal(torch.zeros_like(mu), torch.ones_like(mu))
        kl = D.kl_divergence(q, prior).sum(-1).mean()
        lik = D.Independent(D.Normal(dec(z), 1.0), 1).log_prob(x).mean()
        elbo = lik - kl
        opt.zero_grad()
        (-elbo).backward()
        opt.step()
        out += [elbo.detach(), q.entropy().sum().detach()]
    return out, enc.weight.grad


# ---- transformer LM -------------------------------------------------------------------------
@program(tol={"rtol": 1e-4, "atol": 2e-5})
def tiny_transformer_lm_weight_tying_label_smoothing_adamw_warmup_cosine(torch):
    nn = torch.nn
    V, E, T = 11, 8, 6

    class LM(nn.Module):
        def __init__(self):
            super().__init__()
            self.tok = nn.Embedding(V, E)
            self.pos = nn.Parameter(torch.zeros(1, T, E))
            layer = nn.TransformerEncoderLayer(
                E, 2, 16, dropout=0.1, batch_first=True, norm_first=True, activation="gelu"
            )
            self.blocks = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
            self.ln = nn.LayerNorm(E)
            self.head = nn.Linear(E, V, bias=False)
            self.head.weight = self.tok.weight

        def forward(self, idx):
            t = idx.size(1)
            mask = nn.Transformer.generate_square_subsequent_mask(t)
            h = self.blocks(self.tok(idx) + self.pos[:, :t], mask=mask, is_causal=True)
            return self.head(self.ln(h))

    model = LM()
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
        lr=1e-2,
        betas=(0.9, 0.95),
    )
    warmup, total = 2, 6

    def lr_lambda(step):
        if step < warmup:
            return (step + 1) / warmup
        progress = (step - warmup) / max(1, total - warmup)
        return 0.5 * (1.0 + math.cos(math.pi * progress))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
    data = torch.randint(0, V, (4, T + 1))
    out = []
    for _ in range(total):
        logits = model(data[:, :-1])
        loss = loss_fn(logits.view(-1, V), data[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        norm = nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        opt.step()
        sched.step()
        out += [loss.detach(), norm, sched.get_last_lr()[0]]
    model.eval()
    with torch.no_grad():
        idx = data[:1, :2]
        for _ in range(3):
            logits = model(idx)[:, -1, :] / 0.9
            v, _ = torch.topk(logits, 3)
            logits[logits < v[:, [-1]]] = -float("Inf")
            nxt = torch.multinomial(torch.softmax(logits, -1), 1)
            idx = torch.cat((idx, nxt), dim=1)
    return out, idx, model.head.weight is model.tok.weight, len(list(model.parameters()))


# ---- reinforcement learning -----------------------------------------------------------------
@program(tol=LOOSE)
def reinforce_with_categorical_and_discounted_returns(torch):
    nn = torch.nn
    policy = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 3))
    opt = torch.optim.Adam(policy.parameters(), lr=1e-2)
    gamma, eps = 0.99, float(torch.finfo(torch.float32).eps)
    log = []
    for _ in range(3):
        state = torch.randn(4)
        log_probs, rewards, entropies = [], [], []
        for _ in range(5):
            dist = torch.distributions.Categorical(logits=policy(state))
            action = dist.sample()
            log_probs.append(dist.log_prob(action))
            entropies.append(dist.entropy())
            rewards.append(1.0 if action.item() == 1 else -0.5)
            state = state * 0.9 + 0.1 * action.float()
        R, returns = 0.0, []
        for r in reversed(rewards):
            R = r + gamma * R
            returns.insert(0, R)
        returns = torch.tensor(returns)
        returns = (returns - returns.mean()) / (returns.std() + eps)
        loss = (-torch.stack(log_probs) * returns).sum() - 0.01 * torch.stack(entropies).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
        log += [loss.item(), rewards]
    return log, policy[0].weight.grad


@program(tol=LOOSE)
def actor_critic_with_smooth_l1_and_shared_trunk(torch):
    nn = torch.nn
    trunk = nn.Linear(3, 8)
    actor, critic = nn.Linear(8, 2), nn.Linear(8, 1)
    params = [*trunk.parameters(), *actor.parameters(), *critic.parameters()]
    opt = torch.optim.Adam(params, lr=3e-2)
    states = torch.randn(6, 3)
    rewards = torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0, 1.0])
    out = []
    for _ in range(3):
        h = torch.relu(trunk(states))
        dist = torch.distributions.Categorical(probs=torch.softmax(actor(h), -1))
        actions = dist.sample()
        values = critic(h).squeeze(-1)
        advantage = rewards - values.detach()
        loss = -(dist.log_prob(actions) * advantage).mean()
        loss = loss + nn.functional.smooth_l1_loss(values, rewards)
        opt.zero_grad()
        loss.backward()
        opt.step()
        out += [actions, loss.detach(), values.detach()]
    return out


# ---- graphs, meta-learning, physics, per-sample gradients -----------------------------------
@program(tol=LOOSE)
def gcn_message_passing_with_index_add_and_scatter_add(torch):
    nn = torch.nn
    edge_index = torch.tensor([[0, 1, 1, 2, 3, 4, 4], [1, 0, 2, 1, 4, 3, 0]])
    n = 5
    x = torch.randn(n, 3)
    src, dst = edge_index
    deg = torch.zeros(n).index_add_(0, dst, torch.ones(dst.numel())) + 1
    norm = deg[src].rsqrt() * deg[dst].rsqrt()
    lin1, lin2 = nn.Linear(3, 8), nn.Linear(8, 2)
    opt = torch.optim.Adam([*lin1.parameters(), *lin2.parameters()], lr=0.01, weight_decay=5e-4)
    y = torch.tensor([0, 1, 0, 1, 1])
    out = []
    for _ in range(3):
        h = lin1(x)
        msg = h[src] * norm.unsqueeze(-1)
        agg = torch.zeros(n, 8).index_add(0, dst, msg) + h / deg.unsqueeze(-1)
        h = torch.relu(agg)
        h2 = lin2(h)
        idx = dst.unsqueeze(-1).expand(-1, 2)
        agg2 = torch.zeros(n, 2).scatter_add(0, idx, h2[src]) + h2
        pooled = torch.zeros(n, 2).scatter_reduce(
            0, idx, h2[src], reduce="amax", include_self=False
        )
        loss = nn.functional.cross_entropy(agg2 + 0.1 * pooled, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        out += [loss.detach(), agg2.detach(), pooled.detach()]
    return out, lin1.weight.grad


@program(tol=LOOSE)
def maml_inner_loop_create_graph_functional_call(torch):
    nn = torch.nn
    functional_call = torch.func.functional_call
    model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
    meta_opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    out = []
    for task in range(2):
        amp, phase = 1.0 + task, 0.5 * task
        xs, xq = torch.rand(5, 1) * 4 - 2, torch.rand(5, 1) * 4 - 2
        ys, yq = amp * torch.sin(xs + phase), amp * torch.sin(xq + phase)
        params = dict(model.named_parameters())
        for _ in range(2):
            loss = nn.functional.mse_loss(functional_call(model, params, (xs,)), ys)
            grads = torch.autograd.grad(loss, params.values(), create_graph=True)
            params = {k: v - 0.1 * g for (k, v), g in zip(params.items(), grads)}
        meta_loss = nn.functional.mse_loss(functional_call(model, params, (xq,)), yq)
        meta_opt.zero_grad()
        meta_loss.backward()
        out += [meta_loss.detach(), [p.grad.clone() for p in model.parameters()]]
        meta_opt.step()
    return out


@program(tol=LOOSE)
def pinn_poisson_with_second_derivatives(torch):
    nn = torch.nn
    net = nn.Sequential(nn.Linear(2, 12), nn.Tanh(), nn.Linear(12, 12), nn.Tanh(), nn.Linear(12, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    out = []
    for _ in range(3):
        xy = torch.rand(16, 2, requires_grad=True)
        u = net(xy)
        du = torch.autograd.grad(u, xy, torch.ones_like(u), create_graph=True)[0]
        u_xx = torch.autograd.grad(du[:, 0], xy, torch.ones_like(du[:, 0]), create_graph=True)[0][
            :, 0
        ]
        u_yy = torch.autograd.grad(du[:, 1].sum(), xy, create_graph=True)[0][:, 1]
        f = -2 * math.pi**2 * torch.sin(math.pi * xy[:, 0]) * torch.sin(math.pi * xy[:, 1])
        residual = u_xx + u_yy - f
        xb = torch.cat([torch.rand(4, 1), torch.zeros(4, 1)], 1)
        loss = residual.pow(2).mean() + net(xb).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        out += [loss.detach(), u_xx.detach()]
    return out, net[0].weight.grad


@program
def pinn_heat_equation_float64_with_hessian(torch):
    torch.set_default_dtype(torch.float64)
    try:
        net = torch.nn.Sequential(torch.nn.Linear(2, 6), torch.nn.Softplus(), torch.nn.Linear(6, 1))
    finally:
        torch.set_default_dtype(torch.float32)
    x = torch.rand(3, 2, dtype=torch.float64)
    h = torch.autograd.functional.hessian(lambda p: net(p).sum(), x[0])
    xt = x.clone().requires_grad_(True)
    u = net(xt)
    (g,) = torch.autograd.grad(u.sum(), xt, create_graph=True)
    u_t = g[:, 1]
    u_xx = torch.autograd.grad(g[:, 0].sum(), xt, create_graph=True)[0][:, 0]
    loss = (u_t - 0.1 * u_xx).pow(2).mean()
    loss.backward()
    return h, loss, net[0].weight.grad, net[0].weight.dtype


@program(tol=LOOSE)
def per_sample_gradients_with_vmap_grad(torch):
    functional_call, grad, vmap = torch.func.functional_call, torch.func.grad, torch.func.vmap

    model = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.ReLU(), torch.nn.Linear(6, 3))
    params = {k: v.detach() for k, v in model.named_parameters()}
    buffers = {k: v.detach() for k, v in model.named_buffers()}

    def compute_loss(params, buffers, sample, target):
        batch = sample.unsqueeze(0)
        predictions = functional_call(model, (params, buffers), (batch,))
        return torch.nn.functional.cross_entropy(predictions, target.unsqueeze(0))

    x = torch.randn(5, 4)
    y = torch.randint(0, 3, (5,))
    ft = vmap(grad(compute_loss), in_dims=(None, None, 0, 0))(params, buffers, x, y)
    manual = []
    for i in range(5):
        model.zero_grad()
        compute_loss(dict(model.named_parameters()), buffers, x[i], y[i]).backward()
        manual.append(model[0].weight.grad.clone())
    return ft, torch.stack(manual)


@program(tol=LOOSE)
def dp_sgd_style_clipped_per_sample_gradients(torch):
    func = torch.func
    functional_call, grad_and_value, vmap = func.functional_call, func.grad_and_value, func.vmap

    model = torch.nn.Linear(3, 2)
    params = {k: v.detach() for k, v in model.named_parameters()}

    def loss_fn(p, x, y):
        out = functional_call(model, p, (x,))
        return torch.nn.functional.mse_loss(out, y)

    x, y = torch.randn(6, 3), torch.randn(6, 2)
    grads, losses = vmap(grad_and_value(loss_fn), in_dims=(None, 0, 0))(params, x, y)
    flat = torch.cat([g.reshape(6, -1) for g in grads.values()], dim=1)
    norms = flat.norm(2, dim=1)
    factor = (1.0 / (norms / 0.5)).clamp(max=1.0)
    clipped = {k: (g * factor.view(-1, *([1] * (g.dim() - 1)))).sum(0) for k, g in grads.items()}
    noisy = {k: (v + torch.normal(0.0, 0.1, size=v.shape)) / 6 for k, v in clipped.items()}
    return losses, norms, noisy


# ---- training-loop machinery ----------------------------------------------------------------
@program(tol=LOOSE)
def gradient_accumulation_matches_the_big_batch(torch):
    nn = torch.nn
    model = nn.Sequential(nn.Linear(4, 8), nn.GELU(approximate="tanh"), nn.Linear(8, 1))
    twin = copy.deepcopy(model)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, dampening=0.1)
    opt2 = torch.optim.SGD(twin.parameters(), lr=0.1, momentum=0.9, dampening=0.1)
    x, y = torch.randn(12, 4), torch.randn(12, 1)
    accum = 3
    for step, (xb, yb) in enumerate(zip(x.split(4), y.split(4))):
        loss = nn.functional.mse_loss(model(xb), yb) / accum
        loss.backward()
        if (step + 1) % accum == 0:
            opt.step()
            opt.zero_grad()
    nn.functional.mse_loss(twin(x), y).backward()
    opt2.step()
    return [p.detach() for p in model.parameters()], [p.detach() for p in twin.parameters()]


@program(tol=LOOSE)
def early_stopping_with_deepcopied_model_and_optimizer(torch):
    nn = torch.nn
    model = nn.Sequential(
        nn.Linear(3, 5, bias=False), nn.BatchNorm1d(5), nn.ReLU(), nn.Linear(5, 1)
    )
    opt = torch.optim.Adam(model.parameters(), lr=0.1)
    x, y = torch.randn(16, 3), torch.randn(16, 1)
    xv, yv = torch.randn(8, 3), torch.randn(8, 1)
    best, best_state, best_opt, patience, bad = float("inf"), None, None, 2, 0
    history = []
    for epoch in range(8):
        model.train()
        loss = nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        model.eval()
        with torch.no_grad():
            val = nn.functional.mse_loss(model(xv), yv).item()
        history.append((epoch, val))
        if val < best - 1e-3:
            best, bad = val, 0
            best_state = copy.deepcopy(model.state_dict())
            best_opt = copy.deepcopy(opt.state_dict())
        else:
            bad += 1
            if bad >= patience:
                break
    last = [v.clone() for v in model.state_dict().values()]
    model.load_state_dict(best_state)
    opt.load_state_dict(best_opt)
    model_copy = copy.deepcopy(model)
    opt_copy = copy.deepcopy(opt)
    return (
        history,
        last,
        list(model.state_dict().values()),
        model_copy[1].running_mean,
        opt_copy.state_dict()["state"][0]["step"],
        opt.state_dict()["param_groups"],
    )


@program(tol={"rtol": 2e-3, "atol": 2e-3})
def autocast_cpu_float16_with_grad_scaler(torch):
    nn = torch.nn
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0**8, growth_interval=2)
    x, y = torch.randn(6, 8), torch.randint(0, 4, (6,))
    out = []
    for _ in range(3):
        opt.zero_grad()
        with torch.autocast(device_type="cpu", dtype=torch.float16):
            logits = model(x)
            loss = nn.functional.cross_entropy(logits, y)
        out += [logits.dtype, loss.dtype, logits.detach().float()]
        scaler.scale(loss).backward()
        scaler.unscale_(opt)
        norm = nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        scaler.step(opt)
        scaler.update()
        out += [norm, scaler.get_scale(), model[0].weight.grad.dtype]
    return out, list(model.parameters()), scaler.state_dict()


@program(tol=LOOSE)
def grad_scaler_skips_the_step_on_inf_gradients(torch):
    model = torch.nn.Linear(3, 1)
    opt = torch.optim.Adam(model.parameters(), lr=0.1)
    scaler = torch.amp.GradScaler("cpu", init_scale=4.0, backoff_factor=0.25)
    before = [p.detach().clone() for p in model.parameters()]
    x = torch.tensor([[1.0, float("inf"), 0.0]])
    scaler.scale(model(x).sum()).backward()
    scaler.step(opt)
    scaler.update()
    return before, list(model.parameters()), scaler.get_scale(), opt.state_dict()["state"]


@program(tol=LOOSE)
def ema_of_weights_with_swa_utils_and_update_bn(torch):
    nn = torch.nn
    swa_utils = torch.optim.swa_utils
    model = nn.Sequential(
        nn.Linear(3, 6, bias=False), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 1)
    )
    ema = swa_utils.AveragedModel(model, multi_avg_fn=swa_utils.get_ema_multi_avg_fn(0.9))
    swa = swa_utils.AveragedModel(model)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    swa_sched = swa_utils.SWALR(opt, swa_lr=0.05, anneal_epochs=2, anneal_strategy="cos")
    data = [(torch.randn(4, 3), torch.randn(4, 1)) for _ in range(3)]
    lrs = []
    for epoch in range(4):
        for xb, yb in data:
            opt.zero_grad()
            nn.functional.mse_loss(model(xb), yb).backward()
            opt.step()
            ema.update_parameters(model)
        if epoch >= 1:
            swa.update_parameters(model)
            swa_sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    loader = torch.utils.data.DataLoader([x for x, _ in data], batch_size=None)
    swa_utils.update_bn(loader, swa)
    return (
        lrs,
        list(ema.parameters()),
        list(swa.parameters()),
        swa.n_averaged,
        ema.n_averaged,
        swa.module[1].running_mean,
        swa.module[1].running_var,
        swa(data[0][0]),
    )


def _checkpoint_run(torch, resume_at):
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.2), nn.ReLU(), nn.Linear(8, 2))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=6)
    x, y = torch.randn(8, 4), torch.randint(0, 2, (8,))
    losses = []
    for step in range(6):
        if step == resume_at:
            buf = io.BytesIO()
            torch.save(
                {
                    "model": model.state_dict(),
                    "opt": opt.state_dict(),
                    "sched": sched.state_dict(),
                    "rng": torch.get_rng_state(),
                    "step": step,
                },
                buf,
            )
            buf.seek(0)
            ckpt = torch.load(buf, weights_only=True)
            model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.2), nn.ReLU(), nn.Linear(8, 2))
            opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
            sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=6)
            model.load_state_dict(ckpt["model"])
            opt.load_state_dict(ckpt["opt"])
            sched.load_state_dict(ckpt["sched"])
            torch.set_rng_state(ckpt["rng"])
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.detach())
    return torch.stack(losses), list(model.parameters()), sched.get_last_lr()


@program(tol=LOOSE)
def checkpoint_resume_mid_training_is_identical(torch):
    straight = _checkpoint_run(torch, resume_at=None)
    resumed = _checkpoint_run(torch, resume_at=3)
    return straight, resumed


# ---- more research patterns -----------------------------------------------------------------
@program(tol=LOOSE)
def sngan_discriminator_with_spectral_norm_and_hinge_loss(torch):
    nn = torch.nn
    sn = nn.utils.parametrizations.spectral_norm
    D = nn.Sequential(
        sn(nn.Conv2d(1, 4, 3, 2, 1)), nn.LeakyReLU(0.1), nn.Flatten(), sn(nn.Linear(16, 1))
    )
    G = nn.Sequential(nn.Linear(3, 16), nn.Unflatten(1, (1, 4, 4)), nn.Tanh())
    optD = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.0, 0.9))
    optG = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.0, 0.9))
    real = torch.randn(4, 1, 4, 4)
    out = []
    for _ in range(2):
        fake = G(torch.randn(4, 3))
        d_loss = torch.relu(1 - D(real)).mean() + torch.relu(1 + D(fake.detach())).mean()
        optD.zero_grad()
        d_loss.backward()
        optD.step()
        g_loss = -D(fake).mean()
        optG.zero_grad()
        g_loss.backward()
        optG.step()
        out += [d_loss.detach(), g_loss.detach()]
    sd = D.state_dict()
    return out, list(sd), sd["0.parametrizations.weight.0._u"], D[0].weight


@program
def spectral_norm_takes_a_power_step_when_registered(torch):
    layer = torch.nn.Linear(5, 3)
    torch.manual_seed(0)
    fresh = torch.nn.utils.parametrizations._SpectralNorm(layer.weight.detach())
    torch.manual_seed(0)
    torch.nn.utils.parametrizations.spectral_norm(layer)
    return fresh._u, layer.parametrizations.weight[0]._u, layer.parametrizations.weight[0]._v


def _take_row(torch, dtype=None):
    """A parametrization keeping the first row, or casting to ``dtype``."""

    class TakeRow(torch.nn.Module):
        def forward(self, x):
            return x[:1] if dtype is None else x.to(dtype)

    return TakeRow()


@error(ValueError, "may not change the shape")
def parametrization_that_changes_the_shape(torch):
    parametrize = torch.nn.utils.parametrize
    parametrize.register_parametrization(torch.nn.Linear(3, 2), "weight", _take_row(torch))


@error(ValueError, "may not change the dtype")
def chained_parametrization_that_changes_the_dtype(torch):
    parametrize = torch.nn.utils.parametrize
    layer = torch.nn.utils.parametrizations.weight_norm(torch.nn.Linear(3, 2))
    parametrize.register_parametrization(layer, "weight", _take_row(torch, torch.float64))


@program
def unsafe_parametrization_may_change_the_shape(torch):
    parametrize = torch.nn.utils.parametrize
    layer = torch.nn.Linear(3, 2)
    parametrize.register_parametrization(layer, "weight", _take_row(torch), unsafe=True)
    return layer.weight, layer.weight @ torch.ones(3)


@program(tol=LOOSE)
def wgan_gp_gradient_penalty(torch):
    nn = torch.nn
    critic = nn.Sequential(nn.Linear(2, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))
    opt = torch.optim.RMSprop(critic.parameters(), lr=5e-3)
    real, fake = torch.randn(6, 2), torch.randn(6, 2) + 1
    out = []
    for _ in range(3):
        alpha = torch.rand(6, 1)
        interp = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
        d = critic(interp)
        (g,) = torch.autograd.grad(
            d, interp, grad_outputs=torch.ones_like(d), create_graph=True, retain_graph=True
        )
        gp = ((g.norm(2, dim=1) - 1) ** 2).mean()
        loss = critic(fake).mean() - critic(real).mean() + 10 * gp
        opt.zero_grad()
        loss.backward()
        opt.step()
        out += [gp.detach(), loss.detach()]
    return out, _grads(critic)


@program(tol=LOOSE)
def activation_checkpointing_gives_the_same_gradients(torch):
    nn = torch.nn
    cp = torch.utils.checkpoint
    blocks = nn.ModuleList(
        nn.Sequential(nn.Linear(6, 6), nn.Dropout(0.3), nn.GELU()) for _ in range(3)
    )
    x = torch.randn(4, 6, requires_grad=True)
    h = x
    for b in blocks:
        h = cp.checkpoint(b, h, use_reentrant=False)
    h.sum().backward()
    seq = cp.checkpoint_sequential(nn.Sequential(*blocks), 2, x, use_reentrant=False)
    return h, x.grad, _grads(blocks), seq


@program(tol=LOOSE)
def warmup_then_cosine_with_sequential_lr_and_onecycle(torch):
    p = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
    s = torch.optim.lr_scheduler
    warm = s.LinearLR(opt, start_factor=0.1, total_iters=3)
    cos = s.CosineAnnealingLR(opt, T_max=5, eta_min=1e-3)
    sched = s.SequentialLR(opt, [warm, cos], milestones=[3])
    lrs = []
    for _ in range(8):
        opt.zero_grad()
        (p**2).sum().backward()
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    q = torch.nn.Parameter(torch.ones(2))
    opt2 = torch.optim.AdamW([q], lr=1e-3)
    one = s.OneCycleLR(opt2, max_lr=0.01, total_steps=6, pct_start=0.3)
    lrs2, betas = [], []
    for _ in range(6):
        (q**2).sum().backward()
        opt2.step()
        one.step()
        lrs2.append(one.get_last_lr()[0])
        betas.append(opt2.param_groups[0]["betas"][0])
    return lrs, lrs2, betas, p, q, sched.state_dict()["_milestones"]


@program(tol=LOOSE)
def reduce_lr_on_plateau_training_loop(torch):
    model = torch.nn.Linear(2, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(
        opt, mode="min", factor=0.5, patience=1, threshold=0.1, cooldown=1
    )
    x, y = torch.randn(8, 2), torch.randn(8, 1)
    out = []
    for _ in range(7):
        loss = torch.nn.functional.l1_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step(loss)
        out.append((loss.item(), opt.param_groups[0]["lr"], sched.num_bad_epochs))
    return out, sched.get_last_lr()


@program(tol=LOOSE)
def seq2seq_nn_transformer_with_padding_masks(torch):
    nn = torch.nn
    V, E, PAD = 10, 8, 0
    model = nn.Transformer(E, 2, 1, 1, 16, dropout=0.0, batch_first=True)
    emb = nn.Embedding(V, E, padding_idx=PAD)
    gen = nn.Linear(E, V)
    src = torch.tensor([[3, 4, 5, 0], [6, 7, 0, 0]])
    tgt = torch.tensor([[1, 2, 3], [1, 5, 0]])
    tgt_mask = model.generate_square_subsequent_mask(3)
    out = model(
        emb(src),
        emb(tgt),
        tgt_mask=tgt_mask,
        src_key_padding_mask=src == PAD,
        tgt_key_padding_mask=tgt == PAD,
        memory_key_padding_mask=src == PAD,
    )
    loss = nn.functional.cross_entropy(
        gen(out).reshape(-1, V), torch.tensor([2, 3, 4, 5, 0, 0]), ignore_index=PAD
    )
    loss.backward()
    return out, loss, emb.weight.grad, tgt_mask


@program(tol=LOOSE)
def embedding_bag_text_classifier(torch):
    nn = torch.nn
    text = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9])
    offsets = torch.tensor([0, 4])
    bag = nn.EmbeddingBag(10, 4, mode="mean")
    fc = nn.Linear(4, 3)
    opt = torch.optim.SGD([*bag.parameters(), *fc.parameters()], lr=5.0)
    label = torch.tensor([0, 2])
    out = []
    for _ in range(3):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(fc(bag(text, offsets)), label)
        loss.backward()
        nn.utils.clip_grad_norm_(bag.parameters(), 0.1)
        opt.step()
        out.append(loss.detach())
    return out, bag.weight


@program(tol=LOOSE)
def knowledge_distillation_with_kl_div_temperature(torch):
    nn = torch.nn
    F = nn.functional
    teacher = nn.Sequential(nn.Linear(5, 12), nn.ReLU(), nn.Linear(12, 4))
    student = nn.Linear(5, 4)
    teacher.eval()
    opt = torch.optim.SGD(student.parameters(), lr=0.1)
    x, y = torch.randn(8, 5), torch.randint(0, 4, (8,))
    T = 2.0
    out = []
    for _ in range(3):
        with torch.no_grad():
            t_logits = teacher(x)
        s_logits = student(x)
        soft = (
            F.kl_div(
                F.log_softmax(s_logits / T, -1), F.softmax(t_logits / T, -1), reduction="batchmean"
            )
            * T
            * T
        )
        soft2 = F.kl_div(
            F.log_softmax(s_logits / T, -1),
            F.log_softmax(t_logits / T, -1),
            reduction="batchmean",
            log_target=True,
        )
        loss = 0.7 * soft + 0.3 * F.cross_entropy(s_logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        out += [loss.detach(), soft2.detach()]
    return out, student.weight


@program(tol=LOOSE)
def simclr_nt_xent_contrastive_loss(torch):
    F = torch.nn.functional
    enc = torch.nn.Sequential(torch.nn.Linear(6, 8), torch.nn.ReLU(), torch.nn.Linear(8, 4))
    x = torch.randn(4, 6)
    v1, v2 = x + 0.1 * torch.randn_like(x), x * (torch.rand_like(x) > 0.2)
    z = F.normalize(torch.cat([enc(v1), enc(v2)]), dim=1)
    sim = z @ z.T / 0.5
    sim.fill_diagonal_(-float("inf"))
    n = x.shape[0]
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(n)])
    loss = F.cross_entropy(sim, targets)
    loss.backward()
    return loss, sim.detach(), enc[0].weight.grad


# ---- mistakes users make in training scripts ------------------------------------------------
@error(RuntimeError, "Trying to backward through the graph a second time")
def backward_twice_without_retain_graph(torch):
    model = torch.nn.Linear(3, 1)
    loss = model(torch.randn(2, 3)).tanh().sum()
    loss.backward()
    loss.backward()


@error(RuntimeError, "modified by an inplace operation")
def inplace_relu_on_a_saved_sigmoid_output(torch):
    x = torch.randn(4, requires_grad=True)
    y = torch.sigmoid(x)
    y.mul_(2)
    y.sum().backward()


@error(ValueError, "optimizer got an empty parameter list")
def optimizer_given_an_exhausted_generator(torch):
    model = torch.nn.Linear(2, 2)
    params = model.parameters()
    list(params)
    torch.optim.Adam(params)


@error(RuntimeError, "Missing key\\(s\\) in state_dict")
def load_state_dict_with_a_missing_key(torch):
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1))
    sd = model.state_dict()
    del sd["1.bias"]
    model.load_state_dict(sd)


@program
def load_state_dict_non_strict_reports_keys(torch):
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    sd = model.state_dict()
    del sd["1.running_var"]
    sd["extra.weight"] = torch.zeros(1)
    result = model.load_state_dict(sd, strict=False)
    return list(result.missing_keys), list(result.unexpected_keys), repr(result)


@error(RuntimeError, "size mismatch for 0.weight")
def load_state_dict_with_a_shape_mismatch(torch):
    model = torch.nn.Sequential(torch.nn.Linear(2, 3))
    model.load_state_dict({"0.weight": torch.zeros(2, 2), "0.bias": torch.zeros(3)})


@error(IndexError, "Target 5 is out of bounds")
def cross_entropy_with_a_label_out_of_range(torch):
    torch.nn.functional.cross_entropy(torch.randn(3, 4), torch.tensor([0, 5, 1]))


@error(RuntimeError, "differentiated Tensor at index 1 appears to not have been used in the graph")
def autograd_grad_of_an_unused_input(torch):
    a = torch.randn(2, requires_grad=True)
    b = torch.randn(2, requires_grad=True)
    torch.autograd.grad((a * 2).sum(), [a, b])


@program
def autograd_grad_allow_unused_and_materialize(torch):
    a = torch.randn(2, requires_grad=True)
    b = torch.randn(2, requires_grad=True)
    g1 = torch.autograd.grad((a * 2).sum(), [a, b], allow_unused=True, retain_graph=False)
    loss = (a**3).sum()
    g2 = torch.autograd.grad(loss, [a, b], allow_unused=True, materialize_grads=True)
    return g1[0], g1[1] is None, g2


@error(RuntimeError, "element 0 of tensors does not require grad and does not have a grad_fn")
def backward_of_a_loss_computed_under_no_grad(torch):
    model = torch.nn.Linear(2, 1)
    with torch.no_grad():
        loss = model(torch.randn(3, 2)).sum()
    loss.backward()


@error(RuntimeError, "grad can be implicitly created only for scalar outputs")
def backward_of_a_non_scalar_loss(torch):
    model = torch.nn.Linear(2, 2)
    model(torch.randn(3, 2)).backward()


@error(RuntimeError, "The total norm of order 2.0 for gradients from `parameters` is non-finite")
def clip_grad_norm_error_if_nonfinite(torch):
    p = torch.nn.Parameter(torch.ones(2))
    p.grad = torch.tensor([float("nan"), 1.0])
    torch.nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)


@error(ValueError, "Expected parameter probs")
def categorical_with_negative_probabilities(torch):
    torch.distributions.Categorical(probs=torch.tensor([0.5, -0.1, 0.6]))


@error(RuntimeError, "Expected all tensors to be on the same device|expected.*Long.*Int|Long")
def embedding_with_float_indices(torch):
    torch.nn.Embedding(5, 2)(torch.tensor([1.0, 2.0]))


@program(tol=LOOSE)
def clip_grad_value_and_inf_norm_and_foreach(torch):
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Linear(4, 2))
    model(torch.randn(5, 3)).pow(2).sum().backward()
    grads = [p.grad.clone() for p in model.parameters()]
    total_inf = torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5, norm_type="inf")
    after_inf = [p.grad.clone() for p in model.parameters()]
    torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=0.01)
    total_1 = torch.nn.utils.clip_grad_norm_(model.parameters(), 0.02, norm_type=1.0, foreach=True)
    return grads, total_inf, after_inf, total_1, _grads(model)


# ---- research recipes -----------------------------------------------------------------------
@program(tol=LOOSE)
def model_ensembling_with_stack_module_state_and_vmap(torch):
    func = torch.func
    models = [
        torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.ReLU(), torch.nn.Linear(5, 2))
        for _ in range(4)
    ]
    params, buffers = func.stack_module_state(models)
    base = copy.deepcopy(models[0])  # the tutorial moves it to "meta": minitorch has none

    def fmodel(params, buffers, x):
        return func.functional_call(base, (params, buffers), (x,))

    x = torch.randn(6, 3)
    same = func.vmap(fmodel, in_dims=(0, 0, None))(params, buffers, x)
    minibatches = torch.randn(4, 6, 3)
    different = func.vmap(fmodel)(params, buffers, minibatches)
    return same, different, [m(x) for m in models], {k: v.shape for k, v in params.items()}


@program(tol=LOOSE)
def ddpm_noise_prediction_training_step(torch):
    nn = torch.nn
    T = 50
    betas = torch.linspace(1e-4, 0.02, T)
    alphas = 1.0 - betas
    alphas_cumprod = torch.cumprod(alphas, dim=0)
    sqrt_ab, sqrt_1mab = alphas_cumprod.sqrt(), (1 - alphas_cumprod).sqrt()

    def timestep_embedding(t, dim):
        half = dim // 2
        freqs = torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float32) / half)
        args = t[:, None].float() * freqs[None]
        return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)

    net = nn.Sequential(nn.Linear(4 + 8, 32), nn.SiLU(), nn.Linear(32, 4))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x0 = torch.randn(8, 4)
    losses = []
    for _ in range(3):
        t = torch.randint(0, T, (8,), dtype=torch.long)
        noise = torch.randn_like(x0)
        xt = sqrt_ab.gather(-1, t).reshape(-1, 1) * x0 + sqrt_1mab[t].unsqueeze(-1) * noise
        pred = net(torch.cat([xt, timestep_embedding(t, 8)], dim=1))
        loss = nn.functional.mse_loss(pred, noise)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.detach())
    with torch.no_grad():
        x = torch.randn(2, 4)
        for i in reversed(range(T - 3, T)):
            t = torch.full((2,), i, dtype=torch.long)
            eps = net(torch.cat([x, timestep_embedding(t, 8)], 1))
            mean = (x - betas[i] / sqrt_1mab[i] * eps) / alphas[i].sqrt()
            x = mean + (betas[i].sqrt() * torch.randn_like(x) if i > 0 else 0)
    return losses, x


@program(tol=LOOSE)
def sac_tanh_squashed_gaussian_policy(torch):
    D = torch.distributions
    net = torch.nn.Linear(3, 4)
    obs = torch.randn(5, 3)
    mu, log_std = net(obs).chunk(2, -1)
    log_std = torch.clamp(log_std, -20, 2)
    normal = D.Normal(mu, log_std.exp())
    u = normal.rsample()
    a = torch.tanh(u)
    logp = normal.log_prob(u).sum(-1) - (
        2 * (math.log(2) - u - torch.nn.functional.softplus(-2 * u))
    ).sum(-1)
    squashed = D.TransformedDistribution(
        D.Normal(mu, log_std.exp()), [D.TanhTransform(cache_size=1)]
    )
    logp2 = squashed.log_prob(a).sum(-1)
    alpha = torch.zeros(1, requires_grad=True)
    loss = (alpha.exp() * logp - a.pow(2).sum(-1)).mean()
    loss.backward()
    return a, logp, logp2, net.weight.grad, alpha.grad


@program(tol=LOOSE)
def realnvp_coupling_flow_log_likelihood(torch):
    nn = torch.nn
    D = torch.distributions

    class Coupling(nn.Module):
        def __init__(self, mask):
            super().__init__()
            self.register_buffer("mask", mask)
            self.s = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2))
            self.t = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))

        def forward(self, x):
            xm = x * self.mask
            s = self.s(xm) * (1 - self.mask)
            t = self.t(xm) * (1 - self.mask)
            return xm + (1 - self.mask) * (x * torch.exp(s) + t), s.sum(dim=1)

    flows = nn.ModuleList([Coupling(torch.tensor([1.0, 0.0])), Coupling(torch.tensor([0.0, 1.0]))])
    prior = D.MultivariateNormal(torch.zeros(2), torch.eye(2))
    opt = torch.optim.Adam(flows.parameters(), lr=1e-3)
    x = torch.randn(16, 2) * torch.tensor([2.0, 0.5])
    out = []
    for _ in range(3):
        z, logdet = x, torch.zeros(16)
        for f in flows:
            z, ld = f(z)
            logdet = logdet + ld
        loss = -(prior.log_prob(z) + logdet).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        out.append(loss.detach())
    return out, z.detach(), list(flows.state_dict())


@program(tol=LOOSE)
def mixup_with_beta_and_randperm(torch):
    model = torch.nn.Linear(4, 3)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, weight_decay=1e-4)
    crit = torch.nn.CrossEntropyLoss()
    x, y = torch.randn(6, 4), torch.randint(0, 3, (6,))
    beta = torch.distributions.Beta(torch.tensor([0.4]), torch.tensor([0.4]))
    out = []
    for _ in range(3):
        lam = beta.sample().item()
        index = torch.randperm(x.size(0))
        mixed = lam * x + (1 - lam) * x[index, :]
        pred = model(mixed)
        loss = lam * crit(pred, y) + (1 - lam) * crit(pred, y[index])
        opt.zero_grad()
        loss.backward()
        opt.step()
        out += [lam, index, loss.detach()]
    soft = torch.nn.functional.one_hot(y, 3).float() * 0.9 + 0.1 / 3
    return out, crit(model(x), soft), model.weight


@program(tol=LOOSE)
def nerf_volume_rendering_with_hierarchical_sampling(torch):
    def posenc(x, L):
        freq = 2.0 ** torch.arange(L, dtype=torch.float32) * math.pi
        xb = x[..., None, :] * freq[:, None]
        return torch.cat([x, torch.sin(xb).flatten(-2), torch.cos(xb).flatten(-2)], -1)

    mlp = torch.nn.Sequential(
        torch.nn.Linear(3 + 3 * 2 * 2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 4)
    )
    rays_o, rays_d = torch.zeros(3, 3), torch.nn.functional.normalize(torch.randn(3, 3), dim=-1)
    t = torch.linspace(2.0, 6.0, 8).expand(3, 8).clone()
    mids = 0.5 * (t[..., 1:] + t[..., :-1])
    upper, lower = torch.cat([mids, t[..., -1:]], -1), torch.cat([t[..., :1], mids], -1)
    t = lower + (upper - lower) * torch.rand(t.shape)
    pts = rays_o[..., None, :] + rays_d[..., None, :] * t[..., :, None]
    raw = mlp(posenc(pts, 2))
    rgb, sigma = torch.sigmoid(raw[..., :3]), torch.relu(raw[..., 3])
    dists = torch.cat([t[..., 1:] - t[..., :-1], torch.full_like(t[..., :1], 1e10)], -1)
    alpha = 1.0 - torch.exp(-sigma * dists)
    trans = torch.cumprod(
        torch.cat([torch.ones_like(alpha[..., :1]), 1.0 - alpha + 1e-10], -1), -1
    )[..., :-1]
    weights = alpha * trans
    color = (weights[..., None] * rgb).sum(-2)
    color.sum().backward()
    pdf = (weights[..., 1:-1].detach() + 1e-5) / (weights[..., 1:-1].detach() + 1e-5).sum(
        -1, keepdim=True
    )
    cdf = torch.cat([torch.zeros_like(pdf[..., :1]), torch.cumsum(pdf, -1)], -1)
    u = torch.rand(3, 5).contiguous()
    inds = torch.searchsorted(cdf, u, right=True)
    below, above = torch.clamp(inds - 1, min=0), torch.clamp(inds, max=cdf.shape[-1] - 1)
    return color, weights, mlp[0].weight.grad, inds, torch.gather(cdf, -1, below), above


# ---- precision, hooks, pruning, data plumbing -----------------------------------------------
@program(tol={"rtol": 2e-3, "atol": 2e-3})
def half_precision_model_trained_with_sgd(torch):
    model = torch.nn.Sequential(
        torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1)
    ).half()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.5)
    x, y = torch.randn(6, 4).half(), torch.randn(6, 1).half()
    out = []
    for _ in range(3):
        loss = torch.nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        out.append(loss.detach())
    return out, list(model.parameters()), model[0].weight.grad.dtype


@program(tol={"rtol": 2e-3, "atol": 2e-3})
def autocast_float16_per_op_dtypes_with_float32_master_weights(torch):
    # PyTorch's default CPU autocast dtype is bfloat16, which minitorch lacks (numpy has none)
    model = torch.nn.Sequential(
        torch.nn.Linear(4, 8), torch.nn.LayerNorm(8), torch.nn.PReLU(), torch.nn.Linear(8, 3)
    )
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    x, y = torch.randn(5, 4), torch.randint(0, 3, (5,))
    out = []
    for _ in range(2):
        with torch.autocast("cpu", dtype=torch.float16):
            h = model[0](x)
            n = model[1](h)
            p = model[2](n)
            logits = model(x)
            probs = logits.softmax(-1)
            dist = torch.cdist(h, h)
            prod = h.prod(-1)
            mse = torch.nn.functional.mse_loss(h, torch.zeros_like(h))
            loss = torch.nn.functional.cross_entropy(logits, y)
        out += [t.dtype for t in (h, n, p, logits, probs, dist, prod, mse, loss)]
        out.append(loss.detach())
        opt.zero_grad()
        loss.backward()
        opt.step()
        out.append(model[0].weight.grad.dtype)
    return out, model[3].weight


@error(ValueError, "Attempting to unscale FP16 gradients")
def grad_scaler_refuses_fp16_parameters(torch):
    model = torch.nn.Linear(2, 1).half()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = torch.amp.GradScaler("cpu")
    scaler.scale(model(torch.randn(3, 2).half()).float().sum()).backward()
    scaler.step(opt)


@program(tol=LOOSE)
def grad_cam_with_forward_and_full_backward_hooks(torch):
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 3, 3, padding=1), nn.ReLU(), nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2),
    )  # fmt: skip
    store = {}
    h1 = model[3].register_forward_hook(lambda m, i, o: store.__setitem__("act", o.detach()))
    h2 = model[3].register_full_backward_hook(
        lambda m, gi, go: store.__setitem__("grad", go[0].detach())
    )
    x = torch.randn(1, 1, 5, 5)
    logits = model(x)
    logits[0, logits.argmax()].backward()
    h1.remove()
    h2.remove()
    weights = store["grad"].mean(dim=(2, 3), keepdim=True)
    cam = torch.relu((weights * store["act"]).sum(1))
    cam = torch.nn.functional.interpolate(
        cam.unsqueeze(1), size=(10, 10), mode="bilinear", align_corners=False
    )
    cam = (cam - cam.min()) / (cam.max() - cam.min() + 1e-8)
    store.clear()
    model(x).sum().backward()
    return logits, cam, store


@program(tol=LOOSE)
def magnitude_pruning_then_fine_tuning(torch):
    prune = importlib.import_module(f"{torch.__name__}.nn.utils.prune")
    model = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.ReLU(), torch.nn.Linear(6, 2))
    prune.l1_unstructured(model[0], name="weight", amount=0.5)
    prune.random_unstructured(model[2], name="bias", amount=1)
    prune.ln_structured(model[2], name="weight", amount=0.34, n=2, dim=0)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(8, 4), torch.randint(0, 2, (8,))
    for _ in range(2):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    keys = list(model.state_dict())
    sparsity = float(torch.sum(model[0].weight == 0)) / float(model[0].weight.nelement())
    prune.remove(model[0], "weight")
    return (
        loss.detach(),
        keys,
        sparsity,
        model[0].weight,
        model[2].weight_mask,
        list(model.state_dict()),
    )


@program
def data_plumbing_random_split_concat_subset_and_padding_collate(torch):
    data = torch.utils.data
    seqs = [torch.arange(n) + 1 for n in (3, 1, 4, 2, 5, 2)]
    ds = data.ConcatDataset([seqs[:3], data.Subset(seqs, [3, 4, 5])])
    gen = torch.Generator().manual_seed(42)
    train, val = data.random_split(ds, [0.5, 0.5], generator=gen)

    def collate(batch):
        lengths = torch.tensor([len(s) for s in batch])
        return torch.nn.utils.rnn.pad_sequence(batch, batch_first=True), lengths

    loader = data.DataLoader(train, batch_size=2, shuffle=True, collate_fn=collate, generator=gen)
    batches = list(loader)
    sampler = data.BatchSampler(data.SequentialSampler(val), batch_size=2, drop_last=False)
    return batches, train.indices, list(sampler), len(ds), ds.cumulative_sizes


@program
def iterating_a_loader_twice_reshuffles(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(10))
    loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True)
    first = [b[0] for b in loader]
    second = [b[0] for b in loader]
    it = iter(loader)
    return first, second, next(it)[0], len(loader)


def _prune(torch):
    return importlib.import_module(f"{torch.__name__}.nn.utils.prune")


@program(tol=LOOSE)
def pruning_tutorial_global_iterative_and_custom(torch):
    prune = _prune(torch)
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 4 * 4, 3))
    conv, fc = model[0], model[3]
    prune.random_structured(conv, "weight", amount=0.5, dim=0)
    prune.l1_unstructured(conv, "weight", amount=3)  # a PruningContainer now
    prune.global_unstructured(
        [(conv, "weight"), (fc, "weight")], pruning_method=prune.L1Unstructured, amount=0.4
    )
    prune.custom_from_mask(fc, "bias", mask=torch.tensor([0.0, 1.0, 1.0]))
    hooks = [type(h).__name__ for h in conv._forward_pre_hooks.values()]
    x = torch.randn(2, 1, 6, 6)
    loss = model(x).square().mean()
    loss.backward()
    sparsity = [float((m.weight == 0).sum()) / m.weight.nelement() for m in (conv, fc)]
    state = model.state_dict()
    grads = [p.grad for p in model.parameters()]
    for module, name in ((conv, "weight"), (fc, "weight"), (fc, "bias")):
        prune.remove(module, name)
    twin = copy.deepcopy(model)
    return (
        loss, hooks, sparsity, list(state), grads, list(model.state_dict()),
        prune.is_pruned(model), twin(x), model(x), conv.weight,
    )  # fmt: skip


@error(
    RuntimeError,
    "Only Tensors created explicitly by the user \\(graph leaves\\) support the deepcopy",
)
def deepcopy_of_a_pruned_model_after_a_forward(torch):
    model = torch.nn.Linear(3, 2)
    _prune(torch).l1_unstructured(model, "weight", amount=2)
    model(torch.randn(1, 3))
    copy.deepcopy(model)


@program
def pruning_method_prune_on_a_bare_tensor(torch):
    prune = _prune(torch)
    t = torch.arange(12.0).reshape(3, 4) - 5
    return (
        prune.L1Unstructured(amount=0.25).prune(t),
        prune.LnStructured(amount=1, n=1, dim=1).prune(t),
        prune.RandomUnstructured(amount=2).prune(t, importance_scores=t.abs()),
        prune.Identity().prune(t),
    )


@error(ValueError, "should either be a float in the range \\[0, 1\\] or a non-negative integer")
def pruning_amount_out_of_range(torch):
    _prune(torch).l1_unstructured(torch.nn.Linear(2, 2), "weight", amount=1.5)


@error(ValueError, "should be smaller than the number of parameters to prune")
def pruning_more_entries_than_exist(torch):
    _prune(torch).random_unstructured(torch.nn.Linear(2, 2), "weight", amount=5)


@error(ValueError, "Structured pruning can only be applied to multidimensional tensors")
def structured_pruning_of_a_bias(torch):
    _prune(torch).ln_structured(torch.nn.Linear(2, 2), "bias", amount=1, n=2, dim=0)


@error(ValueError, "has to be pruned before pruning can be removed")
def removing_a_pruning_that_was_never_applied(torch):
    _prune(torch).remove(torch.nn.Linear(2, 2), "weight")


# ---- vision backbones, fine-tuning, second-order optimisation -------------------------------
@program(tol=LOOSE)
def vit_with_trunc_normal_init_cls_token_and_drop_path(torch):
    nn = torch.nn
    F = nn.functional

    def drop_path(x, p, training):
        if p == 0.0 or not training:
            return x
        keep = 1 - p
        mask = x.new_empty((x.shape[0],) + (1,) * (x.ndim - 1)).bernoulli_(keep)
        return x * mask.div_(keep)

    class Block(nn.Module):
        def __init__(self, d, heads):
            super().__init__()
            self.norm1, self.norm2 = nn.LayerNorm(d, eps=1e-6), nn.LayerNorm(d, eps=1e-6)
            self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
            self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
            self.heads = heads

        def forward(self, x):
            B, N, C = x.shape
            qkv = (
                self.qkv(self.norm1(x))
                .reshape(B, N, 3, self.heads, C // self.heads)
                .permute(2, 0, 3, 1, 4)
            )
            q, k, v = qkv.unbind(0)
            a = F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(B, N, C)
            x = x + drop_path(self.proj(a), 0.2, self.training)
            return x + drop_path(self.mlp(self.norm2(x)), 0.2, self.training)

    class ViT(nn.Module):
        def __init__(self):
            super().__init__()
            self.patch = nn.Conv2d(3, 8, 4, 4)
            self.cls = nn.Parameter(torch.zeros(1, 1, 8))
            self.pos = nn.Parameter(torch.zeros(1, 5, 8))
            self.blocks = nn.Sequential(Block(8, 2), Block(8, 2))
            self.head = nn.Linear(8, 3)
            nn.init.trunc_normal_(self.pos, std=0.02)
            nn.init.trunc_normal_(self.cls, std=0.02)
            self.apply(self._init)

        def _init(self, m):
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.LayerNorm):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

        def forward(self, x):
            x = self.patch(x).flatten(2).transpose(1, 2)
            x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.pos
            return self.head(self.blocks(x)[:, 0])

    model = ViT()
    no_wd = {"pos", "cls"}
    groups = [
        {
            "params": [p for n, p in model.named_parameters() if p.ndim > 1 and n not in no_wd],
            "weight_decay": 0.05,
        },
        {
            "params": [p for n, p in model.named_parameters() if p.ndim <= 1 or n in no_wd],
            "weight_decay": 0.0,
        },
    ]
    opt = torch.optim.AdamW(groups, lr=1e-3)
    x, y = torch.randn(4, 3, 8, 8), torch.tensor([0, 1, 2, 1])
    out = []
    for _ in range(2):
        loss = F.cross_entropy(model(x), y, label_smoothing=0.1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        out.append(loss.detach())
    model.eval()
    return out, model(x), model.pos


def _accuracy(torch, output, target, topk=(1,)):
    with torch.no_grad():
        maxk = max(topk)
        batch_size = target.size(0)
        _, pred = output.topk(maxk, 1, True, True)
        pred = pred.t()
        correct = pred.eq(target.view(1, -1).expand_as(pred))
        res = []
        for k in topk:
            correct_k = correct[:k].reshape(-1).float().sum(0, keepdim=True)
            res.append(correct_k.mul_(100.0 / batch_size))
        return res


@program(tol=LOOSE)
def resnet_block_fine_tuning_with_frozen_backbone_and_topk_accuracy(torch):
    nn = torch.nn

    class BasicBlock(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.down = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout)
            )

        def forward(self, x):
            out = torch.relu(self.bn1(self.conv1(x)))
            return torch.relu(self.bn2(self.conv2(out)) + self.down(x))

    backbone = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1, bias=False),
        nn.BatchNorm2d(4),
        nn.ReLU(inplace=True),
        BasicBlock(4, 8, 2),
    )
    for m in backbone.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.constant_(m.weight, 1)
            nn.init.constant_(m.bias, 0)
    nn.init.constant_(backbone[3].bn2.weight, 0)
    model = nn.Sequential(backbone, nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(8, 6))
    for p in backbone.parameters():
        p.requires_grad = False
    opt = torch.optim.SGD(
        filter(lambda p: p.requires_grad, model.parameters()),
        lr=0.1,
        momentum=0.9,
        weight_decay=1e-4,
    )
    x, y = torch.randn(5, 3, 6, 6), torch.tensor([0, 3, 5, 1, 3])
    out = []
    for _ in range(2):
        model.train()
        output = model(x)
        loss = nn.functional.cross_entropy(output, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        out += [loss.detach(), *_accuracy(torch, output, y, topk=(1, 3))]
    return (
        out,
        backbone[1].running_var,
        backbone[3].bn1.num_batches_tracked,
        model[3].weight,
        backbone[0].weight.grad,
    )


@program(tol=LOOSE)
def trpo_conjugate_gradient_with_hessian_vector_products(torch):
    policy = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
    params = list(policy.parameters())
    obs = torch.randn(6, 3)
    actions = torch.randint(0, 2, (6,))
    adv = torch.randn(6)
    old_logp = torch.log_softmax(policy(obs), -1).detach()

    def surrogate():
        logp = torch.log_softmax(policy(obs), -1)
        return (
            torch.exp(
                logp.gather(1, actions[:, None]).squeeze(1)
                - old_logp.gather(1, actions[:, None]).squeeze(1)
            )
            * adv
        ).mean()

    def kl():
        logp = torch.log_softmax(policy(obs), -1)
        return (old_logp.exp() * (old_logp - logp)).sum(-1).mean()

    g = torch.nn.utils.parameters_to_vector(torch.autograd.grad(surrogate(), params))
    grads = torch.autograd.grad(kl(), params, create_graph=True)
    flat = torch.cat([gr.view(-1) for gr in grads])

    def fvp(v):
        return (
            torch.nn.utils.parameters_to_vector(
                torch.autograd.grad(flat @ v, params, retain_graph=True)
            )
            + 0.1 * v
        )

    x = torch.zeros_like(g)
    r, p = g.clone(), g.clone()
    rdotr = r @ r
    for _ in range(5):
        Ap = fvp(p)
        alpha = rdotr / (p @ Ap)
        x += alpha * p
        r -= alpha * Ap
        new_rdotr = r @ r
        p = r + new_rdotr / rdotr * p
        rdotr = new_rdotr
    step = torch.sqrt(2 * 0.01 / (x @ fvp(x))) * x
    old = torch.nn.utils.parameters_to_vector(params)
    torch.nn.utils.vector_to_parameters(old + step, params)
    return g, x, step, surrogate().detach(), kl().detach()


@program
def embedding_max_norm_renormalizes_rows_in_place(torch):
    emb = torch.nn.Embedding(5, 3, max_norm=1.0, norm_type=2.0)
    with torch.no_grad():
        emb.weight.mul_(3)
    idx = torch.tensor([[0, 2], [2, 4]])
    out = emb(idx)
    out.sum().backward()
    return out, emb.weight.detach().norm(dim=1), emb.weight.grad


# ---- more tutorials: VQ-VAE, word2vec, style transfer, adversarial examples -----------------
@program(tol=LOOSE)
def vq_vae_straight_through_with_ema_codebook(torch):
    nn = torch.nn
    F = nn.functional
    enc, dec = nn.Linear(6, 3), nn.Linear(3, 6)
    codebook = torch.randn(5, 3)
    ema_count, ema_weight = torch.ones(5), codebook.clone()
    opt = torch.optim.Adam([*enc.parameters(), *dec.parameters()], lr=1e-2)
    x = torch.randn(8, 6)
    out = []
    for _ in range(3):
        z = enc(x)
        d = torch.cdist(z.detach(), codebook)
        idx = d.argmin(dim=1)
        z_q = F.embedding(idx, codebook)
        commit = F.mse_loss(z, z_q.detach())
        z_st = z + (z_q - z).detach()
        loss = F.mse_loss(dec(z_st), x) + 0.25 * commit
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            onehot = F.one_hot(idx, 5).type(z.dtype)
            ema_count.mul_(0.99).add_(onehot.sum(0), alpha=0.01)
            ema_weight.mul_(0.99).add_(onehot.t() @ z, alpha=0.01)
            n = ema_count.sum()
            count = (ema_count + 1e-5) / (n + 5 * 1e-5) * n
            codebook = ema_weight / count.unsqueeze(1)
        perplexity = torch.exp(-(onehot.mean(0) * torch.log(onehot.mean(0) + 1e-10)).sum())
        out += [loss.detach(), idx, perplexity]
    return out, codebook, enc.weight.grad


@program(tol=LOOSE)
def word2vec_skipgram_negative_sampling(torch):
    nn = torch.nn
    F = nn.functional
    V, D = 12, 4
    counts = torch.randint(1, 20, (V,)).float()
    noise = counts.pow(0.75)
    noise = noise / noise.sum()
    u, v = nn.Embedding(V, D, sparse=False), nn.Embedding(V, D)
    nn.init.uniform_(u.weight, -0.5 / D, 0.5 / D)
    nn.init.zeros_(v.weight)
    opt = torch.optim.SGD([*u.parameters(), *v.parameters()], lr=0.5)
    center, context = torch.randint(0, V, (6,)), torch.randint(0, V, (6,))
    out = []
    for _ in range(3):
        neg = torch.multinomial(noise, 6 * 3, replacement=True).view(6, 3)
        eu = u(center)
        pos = F.logsigmoid((eu * v(context)).sum(-1))
        negs = F.logsigmoid(-torch.bmm(v(neg), eu.unsqueeze(2)).squeeze(2)).sum(-1)
        loss = -(pos + negs).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        out += [neg, loss.detach()]
    return out, u.weight


@program(tol={"rtol": 1e-3, "atol": 1e-4})
def neural_style_transfer_optimizing_the_image_with_lbfgs(torch):
    nn = torch.nn
    F = nn.functional
    features = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1)
    ).requires_grad_(False)

    def gram(t):
        a, b, c, d = t.size()
        f = t.view(a * b, c * d)
        return torch.mm(f, f.t()).div(a * b * c * d)

    content, style = torch.rand(1, 3, 6, 6), torch.rand(1, 3, 6, 6)
    target_c, target_s = features(content).detach(), gram(features(style)).detach()
    img = content.clone().requires_grad_(True)
    opt = torch.optim.LBFGS([img], lr=0.5, max_iter=4)
    log = []

    def closure():
        with torch.no_grad():
            img.clamp_(0, 1)
        opt.zero_grad()
        f = features(img)
        loss = F.mse_loss(f, target_c) + 1e3 * F.mse_loss(gram(f), target_s)
        loss.backward()
        log.append(loss.item())
        return loss

    for _ in range(2):
        opt.step(closure)
    with torch.no_grad():
        img.clamp_(0, 1)
    return log, img, opt.state_dict()["state"][0]["n_iter"]


@program(tol=LOOSE)
def fgsm_and_pgd_adversarial_examples(torch):
    F = torch.nn.functional
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 10))
    model.eval()
    data, target = torch.rand(3, 1, 4, 4), torch.tensor([1, 7, 3])
    data.requires_grad = True
    output = model(data)
    init_pred = output.max(1, keepdim=True)[1]
    loss = F.nll_loss(F.log_softmax(output, 1), target)
    model.zero_grad()
    loss.backward()
    perturbed = torch.clamp(data + 0.1 * data.grad.data.sign(), 0, 1)
    final_pred = model(perturbed).max(1, keepdim=True)[1]
    x_adv = data.detach() + torch.empty_like(data).uniform_(-0.05, 0.05)
    for _ in range(3):
        x_adv.requires_grad_(True)
        (g,) = torch.autograd.grad(F.cross_entropy(model(x_adv), target), x_adv)
        x_adv = x_adv.detach() + 0.02 * g.sign()
        x_adv = torch.min(torch.max(x_adv, data.detach() - 0.05), data.detach() + 0.05).clamp(0, 1)
    return init_pred, perturbed, final_pred, x_adv, [p.grad for p in model.parameters()]


@program
def dict_dataset_default_collate_and_set_to_none_zero_grad(torch):
    class DS(torch.utils.data.Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return {"x": torch.full((2,), float(i)), "y": i % 2, "name": f"s{i}", "w": 0.5 * i}

    loader = torch.utils.data.DataLoader(DS(), batch_size=2)
    batches = list(loader)
    model = torch.nn.Linear(2, 1)
    model(batches[0]["x"]).sum().backward()
    before = model.weight.grad.clone()
    model.zero_grad()
    with torch.set_grad_enabled(False):
        y = model(batches[1]["x"])
    return batches, before, model.weight.grad is None, y.requires_grad


# ---- structured prediction and decoding -----------------------------------------------------
@program(tol=LOOSE)
def bilstm_crf_tutorial_forward_algorithm_and_viterbi(torch):
    nn = torch.nn
    tags = {"B": 0, "I": 1, "O": 2, "<START>": 3, "<STOP>": 4}
    K, START, STOP = 5, 3, 4

    def log_sum_exp(vec):
        max_score = vec[0, torch.argmax(vec, 1).item()]
        return max_score + torch.log(
            torch.sum(torch.exp(vec - max_score.view(1, -1).expand(1, vec.size()[1])))
        )

    emb, lstm = nn.Embedding(8, 4), nn.LSTM(4, 3, num_layers=1, bidirectional=True)
    hidden2tag = nn.Linear(6, K)
    transitions = nn.Parameter(torch.randn(K, K))
    transitions.data[START, :] = -10000
    transitions.data[:, STOP] = -10000
    params = [*emb.parameters(), *lstm.parameters(), *hidden2tag.parameters(), transitions]
    opt = torch.optim.SGD(params, lr=0.01, weight_decay=1e-4)

    def features(sentence):
        hidden = (torch.randn(2, 1, 3), torch.randn(2, 1, 3))
        out, _ = lstm(emb(sentence).view(len(sentence), 1, -1), hidden)
        return hidden2tag(out.view(len(sentence), 6))

    def forward_alg(feats):
        fv = torch.full((1, K), -10000.0)
        fv[0][START] = 0.0
        for feat in feats:
            alphas = [
                log_sum_exp(
                    (fv + transitions[t] + feat[t].view(1, -1).expand(1, K)).view(1, -1)
                ).view(1)
                for t in range(K)
            ]
            fv = torch.cat(alphas).view(1, -1)
        return log_sum_exp(fv + transitions[STOP])

    def score(feats, tg):
        s = torch.zeros(1)
        tg = torch.cat([torch.tensor([START], dtype=torch.long), tg])
        for i, feat in enumerate(feats):
            s = s + transitions[tg[i + 1], tg[i]] + feat[tg[i + 1]]
        return s + transitions[STOP, tg[-1]]

    def viterbi(feats):
        backpointers = []
        fv = torch.full((1, K), -10000.0)
        fv[0][START] = 0
        for feat in feats:
            bptrs, vvars = [], []
            for t in range(K):
                nxt = fv + transitions[t]
                best = torch.argmax(nxt, 1).item()
                bptrs.append(best)
                vvars.append(nxt[0][best].view(1))
            fv = (torch.cat(vvars) + feat).view(1, -1)
            backpointers.append(bptrs)
        terminal = fv + transitions[STOP]
        best = torch.argmax(terminal, 1).item()
        path = [best]
        for bptrs in reversed(backpointers):
            best = bptrs[best]
            path.append(best)
        path.pop()
        return terminal[0][path[0]], path[::-1]

    sentence, gold = torch.tensor([1, 5, 2, 7]), torch.tensor([0, 1, 2, 2])
    out = []
    for _ in range(2):
        opt.zero_grad()
        feats = features(sentence)
        loss = forward_alg(feats) - score(feats, gold)
        loss.backward()
        opt.step()
        out.append(loss.detach())
    with torch.no_grad():
        best_score, path = viterbi(features(sentence))
    return out, best_score, path, transitions.grad, len(tags)


@program(tol=LOOSE)
def beam_search_with_lstm_cell_decoder(torch):
    nn = torch.nn
    V, H, beam = 7, 5, 3
    emb, cell, out = nn.Embedding(V, H), nn.LSTMCell(H, H), nn.Linear(H, V)
    h, c = torch.randn(1, H).expand(beam, H).contiguous(), torch.zeros(beam, H)
    tokens = torch.zeros(beam, 1, dtype=torch.long)
    scores = torch.tensor([0.0] + [-float("inf")] * (beam - 1))
    with torch.no_grad():
        for _ in range(4):
            h, c = cell(emb(tokens[:, -1]), (h, c))
            logp = torch.log_softmax(out(h), dim=-1)
            cand = (scores.unsqueeze(1) + logp).view(-1)
            top, idx = cand.topk(beam)
            origin = torch.div(idx, V, rounding_mode="floor")
            word = idx % V
            tokens = torch.cat([tokens[origin], word.unsqueeze(1)], dim=1)
            h, c, scores = h[origin], c[origin], top
    return tokens, scores, origin


@program(tol=LOOSE)
def elman_rnn_relu_cell_loop_matches_the_layer(torch):
    nn = torch.nn
    rnn = nn.RNN(3, 4, num_layers=1, nonlinearity="relu", batch_first=False)
    cell = nn.RNNCell(3, 4, nonlinearity="relu")
    cell.load_state_dict({k[:-3]: v for k, v in rnn.state_dict().items()})
    x = torch.randn(5, 2, 3)
    y, hn = rnn(x)
    h = torch.zeros(2, 4)
    steps = []
    for t in range(5):
        h = cell(x[t], h)
        steps.append(h)
    loss = y.sum() + torch.stack(steps).sum()
    loss.backward()
    return y, hn, torch.stack(steps), rnn.weight_hh_l0.grad, cell.weight_hh.grad


@program(tol=LOOSE)
def neural_ode_rk4_and_jacrev_hessian(torch):
    func = torch.func
    f = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2))
    y = torch.randn(4, 2)
    dt = 0.1
    for _ in range(3):
        k1 = f(y)
        k2 = f(y + dt * k1 / 2)
        k3 = f(y + dt * k2 / 2)
        k4 = f(y + dt * k3)
        y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    y.pow(2).sum().backward()

    def energy(p):
        return f(p).pow(2).sum()

    p0 = torch.randn(2)
    jac = func.vmap(func.jacrev(f))(torch.randn(3, 2))
    hess = func.hessian(energy)(p0)
    jf = func.jacfwd(energy)(p0)
    return y, f[0].weight.grad, jac, hess, jf


# ---- more training-loop machinery -----------------------------------------------------------
@program(tol={"rtol": 2e-3, "atol": 2e-3})
def amp_checkpoint_with_scaler_state_and_autocast_decorator(torch):
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1, self.fc2 = nn.Linear(4, 6), nn.Linear(6, 2)

        @torch.autocast("cpu", dtype=torch.float16)
        def forward(self, x):
            h = torch.relu(self.fc1(x))
            with torch.autocast("cpu", enabled=False):
                h32 = h.float() * 2
            return self.fc2(h32), h32.dtype

    model = Net()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    scaler = torch.amp.GradScaler("cpu", init_scale=1024.0, growth_interval=1)
    x, y = torch.randn(5, 4), torch.randint(0, 2, (5,))
    out = []
    for step in range(4):
        logits, inner = model(x)
        loss = nn.functional.cross_entropy(logits.float(), y)
        opt.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        out += [logits.dtype, inner, loss.detach(), scaler.get_scale()]
        if step == 1:
            buf = io.BytesIO()
            torch.save(
                {
                    "model": model.state_dict(),
                    "opt": opt.state_dict(),
                    "scaler": scaler.state_dict(),
                },
                buf,
            )
            buf.seek(0)
            ck = torch.load(buf)
            scaler = torch.amp.GradScaler("cpu")
            scaler.load_state_dict(ck["scaler"])
            opt.load_state_dict(ck["opt"])
    return out, scaler.state_dict(), list(model.parameters())


@program(tol=LOOSE)
def averaged_model_with_custom_avg_fn_and_buffers(torch):
    nn = torch.nn
    swa_utils = torch.optim.swa_utils
    model = nn.Sequential(nn.Linear(3, 4, bias=False), nn.BatchNorm1d(4), nn.Linear(4, 1))

    def ema_avg(avg_p, p, num_averaged):
        return 0.1 * avg_p + 0.9 * p

    ema = swa_utils.AveragedModel(model, avg_fn=ema_avg, use_buffers=True)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        model(torch.randn(6, 3)).pow(2).mean().backward()
        opt.step()
        ema.update_parameters(model)
    ema.eval()
    return list(ema.state_dict()), list(ema.module.state_dict().values()), ema(torch.ones(2, 3))


@program
def random_split_fractions_with_remainders_and_subsets(torch):
    data = torch.utils.data
    ds = data.TensorDataset(torch.arange(11))
    parts = data.random_split(ds, [0.3, 0.3, 0.4], generator=torch.Generator().manual_seed(1))
    parts2 = data.random_split(range(7), [2, 5])
    sub = data.Subset(parts[2], [0, -1])
    return [len(p) for p in parts], [p.indices for p in parts], list(parts2[1]), sub[1], sub[0]


@program(tol=LOOSE)
def deepcopied_optimizer_steps_its_own_parameters(torch):
    model = torch.nn.Linear(2, 1)
    opt = torch.optim.Adam(model.parameters(), lr=0.1)
    model(torch.ones(1, 2)).sum().backward()
    opt.step()
    twin_opt = copy.deepcopy(opt)
    twin_params = twin_opt.param_groups[0]["params"]
    for p in twin_params:
        p.grad = torch.ones_like(p)
    twin_opt.step()
    return (
        list(model.parameters()),
        twin_params,
        twin_params[0] is model.weight,
        twin_opt.state_dict()["state"][0]["step"],
    )


# ---- classic errors of training scripts -----------------------------------------------------
@program(tol=LOOSE)
def mse_loss_of_a_float_prediction_and_a_double_target(torch):
    model = torch.nn.Linear(2, 1)
    loss = torch.nn.functional.mse_loss(
        model(torch.randn(3, 2)), torch.randn(3, 1, dtype=torch.float64)
    )
    loss.backward()
    return loss, model.weight.grad


@error(RuntimeError, "expected target dtype to be Long or Byte, but got Int")
def nll_loss_with_int32_targets(torch):
    torch.nn.functional.nll_loss(
        torch.randn(3, 4).log_softmax(1), torch.tensor([1, 2, 3], dtype=torch.int32)
    )


@error(RuntimeError, "all elements of input should be between 0 and 1")
def bce_loss_of_logits_instead_of_probabilities(torch):
    torch.nn.BCELoss()(torch.tensor([0.5, 1.5]), torch.tensor([0.0, 1.0]))


@error(ValueError, "Expected more than 1 value per channel when training")
def batchnorm_training_on_a_batch_of_one(torch):
    torch.nn.BatchNorm1d(3)(torch.randn(1, 3))


@error(RuntimeError, "mat1 and mat2 shapes cannot be multiplied \\(4x3 and 5x2\\)")
def linear_layer_of_the_wrong_width(torch):
    torch.nn.Linear(5, 2)(torch.randn(4, 3))


@error(
    RuntimeError, "expected input\\[2, 3, 6, 6\\] to have 1 channels, but got 3 channels instead"
)
def conv_given_rgb_images_for_a_grayscale_model(torch):
    torch.nn.Conv2d(1, 4, 3)(torch.randn(2, 3, 6, 6))


@error(RuntimeError, "view size is not compatible with input tensor's size and stride")
def view_of_a_transposed_activation(torch):
    torch.randn(2, 3, 4).transpose(1, 2).view(2, 12)


@error(ValueError, "Invalid learning rate: -0.1")
def optimizer_with_a_negative_learning_rate(torch):
    torch.optim.SGD(torch.nn.Linear(1, 1).parameters(), lr=-0.1)


@error(RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation")
def in_place_update_of_a_parameter_outside_no_grad(torch):
    w = torch.nn.Parameter(torch.ones(2))
    w -= 0.1 * torch.ones(2)


@error(RuntimeError, "Expected target size \\[2, 5\\], got \\[2, 4\\]")
def cross_entropy_of_sequence_logits_not_transposed(torch):
    logits = torch.randn(2, 4, 5)  # (batch, time, classes) instead of (batch, classes, time)
    torch.nn.functional.cross_entropy(logits, torch.randint(0, 5, (2, 4)))


@error(RuntimeError, "0D or 1D target tensor expected, multi-target not supported")
def cross_entropy_with_one_hot_long_targets(torch):
    torch.nn.functional.cross_entropy(
        torch.randn(3, 4), torch.eye(4, dtype=torch.long)[:3].unsqueeze(1)
    )


@error(RuntimeError, "Expected hidden\\[0\\] size \\(1, 3, 4\\), got \\[1, 2, 4\\]")
def lstm_hidden_state_of_the_wrong_batch_size(torch):
    lstm = torch.nn.LSTM(2, 4)
    lstm(torch.randn(5, 3, 2), (torch.zeros(1, 2, 4), torch.zeros(1, 2, 4)))


@error(ValueError, "Expected input batch_size \\(2\\) to match target batch_size \\(3\\)")
def sequence_cross_entropy_with_a_target_batch_of_another_size(torch):
    torch.nn.functional.cross_entropy(torch.randn(2, 4, 5), torch.randint(0, 4, (3, 5)))


@error(
    RuntimeError,
    "only batches of spatial targets supported \\(3D tensors\\) but got targets of dimension: 4",
)
def segmentation_loss_with_a_channel_dimension_in_the_mask(torch):
    torch.nn.functional.nll_loss(torch.randn(2, 3, 4, 4), torch.randint(0, 3, (2, 1, 4, 4)))


@error(RuntimeError, "size mismatch \\(got input: \\[2, 3, 4, 4\\] , target: \\[2, 4, 2\\]")
def segmentation_loss_with_a_mask_of_another_size(torch):
    torch.nn.CrossEntropyLoss()(torch.randn(2, 3, 4, 4), torch.randint(0, 3, (2, 4, 2)))


# ---- segmentation, super-resolution, multi-label, metric learning, time series --------------
@program(tol=LOOSE)
def unet_with_skip_connections_and_dice_loss(torch):
    nn = torch.nn
    F = nn.functional

    def double_conv(cin, cout):
        return nn.Sequential(
            nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)
        )

    down1, down2 = double_conv(1, 4), double_conv(4, 8)
    up = nn.ConvTranspose2d(8, 4, 2, stride=2)
    up_conv, outc = double_conv(8, 4), nn.Conv2d(4, 2, 1)
    mods = nn.ModuleList([down1, down2, up, up_conv, outc])
    opt = torch.optim.Adam(mods.parameters(), lr=1e-3)
    x = torch.randn(2, 1, 7, 7)
    mask = (torch.rand(2, 7, 7) > 0.5).long()
    out = []
    for _ in range(2):
        x1 = down1(x)
        x2 = down2(F.max_pool2d(x1, 2))
        u = up(x2)
        dy, dx = x1.size(2) - u.size(2), x1.size(3) - u.size(3)
        u = F.pad(u, [dx // 2, dx - dx // 2, dy // 2, dy - dy // 2])
        logits = outc(up_conv(torch.cat([x1, u], dim=1)))
        probs = logits.softmax(1)
        onehot = F.one_hot(mask, 2).permute(0, 3, 1, 2).float()
        inter = (probs * onehot).sum(dim=(2, 3))
        dice = 1 - ((2 * inter + 1) / (probs.sum(dim=(2, 3)) + onehot.sum(dim=(2, 3)) + 1)).mean()
        loss = F.cross_entropy(logits, mask) + dice
        opt.zero_grad()
        loss.backward()
        opt.step()
        iou = ((logits.argmax(1) == 1) & (mask == 1)).sum() / (
            (logits.argmax(1) == 1) | (mask == 1)
        ).sum()
        out += [loss.detach(), dice.detach(), iou]
    up2 = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)(x)
    return out, up2, F.interpolate(x, size=(5, 9), mode="nearest"), up.weight.grad


@program(tol=LOOSE)
def espcn_super_resolution_with_pixel_shuffle(torch):
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 8, 5, padding=2), nn.Tanh(), nn.Conv2d(8, 4, 3, padding=1), nn.PixelShuffle(2)
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lr_img = torch.rand(2, 1, 4, 4)
    hr_img = nn.functional.interpolate(lr_img, scale_factor=2, mode="bicubic", align_corners=False)
    out = []
    for _ in range(2):
        sr = model(lr_img)
        loss = nn.functional.mse_loss(sr, hr_img)
        opt.zero_grad()
        loss.backward()
        opt.step()
        psnr = 10 * torch.log10(1 / loss.detach())
        out += [loss.detach(), psnr]
    return out, nn.PixelUnshuffle(2)(sr.detach()), hr_img


@program(tol=LOOSE)
def multilabel_focal_loss_with_pos_weight_and_f1(torch):
    F = torch.nn.functional
    model = torch.nn.Linear(5, 4)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    x, y = torch.randn(10, 5), (torch.rand(10, 4) > 0.7).float()
    pos_weight = (y.shape[0] - y.sum(0)) / y.sum(0).clamp(min=1)
    out = []
    for _ in range(3):
        logits = model(x)
        bce = F.binary_cross_entropy_with_logits(logits, y, reduction="none", pos_weight=pos_weight)
        p = torch.sigmoid(logits)
        p_t = p * y + (1 - p) * (1 - y)
        focal = ((1 - p_t) ** 2.0 * bce * (0.25 * y + 0.75 * (1 - y))).mean()
        opt.zero_grad()
        focal.backward()
        opt.step()
        pred = (p > 0.5).float()
        tp, fp, fn = (pred * y).sum(0), (pred * (1 - y)).sum(0), ((1 - pred) * y).sum(0)
        f1 = (2 * tp / (2 * tp + fp + fn).clamp(min=1e-8)).mean()
        out += [focal.detach(), f1]
    return out, torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight)(model(x), y)


@program(tol=LOOSE)
def siamese_network_with_triplet_contrastive_and_cosine_losses(torch):
    nn = torch.nn
    F = nn.functional
    net = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3))
    a, p, n = net(torch.randn(5, 6)), net(torch.randn(5, 6)), net(torch.randn(5, 6))
    same = torch.tensor([1.0, 0.0, 1.0, 0.0, 1.0])
    d = F.pairwise_distance(a, p, keepdim=True)
    contrastive = torch.mean(
        same * d.squeeze().pow(2) + (1 - same) * torch.clamp(2.0 - d.squeeze(), min=0.0).pow(2)
    )
    triplet = nn.TripletMarginLoss(margin=1.0, p=2, swap=True)(a, p, n)
    cosine = nn.CosineEmbeddingLoss(margin=0.2)(a, p, same * 2 - 1)
    (contrastive + triplet + cosine).backward()
    return d, contrastive, triplet, cosine, F.cosine_similarity(a, n), net[0].weight.grad


@program(tol=LOOSE)
def tcn_causal_convolutions_on_unfolded_windows(torch):
    nn = torch.nn
    series = torch.sin(torch.arange(30.0) * 0.3) + 0.1 * torch.randn(30)
    windows = series.unfold(0, 8, 2)
    x, y = windows[:, :-1].unsqueeze(1), windows[:, -1]

    class Chomp(nn.Module):
        def __init__(self, n):
            super().__init__()
            self.n = n

        def forward(self, t):
            return t[:, :, : -self.n].contiguous()

    tcn = nn.Sequential(
        nn.utils.parametrizations.weight_norm(nn.Conv1d(1, 4, 3, padding=2, dilation=1)), Chomp(2), nn.ReLU(),
        nn.utils.parametrizations.weight_norm(nn.Conv1d(4, 4, 3, padding=4, dilation=2)), Chomp(4), nn.ReLU(),
    )  # fmt: skip
    head = nn.Linear(4, 1)
    opt = torch.optim.Adam([*tcn.parameters(), *head.parameters()], lr=1e-2)
    out = []
    for _ in range(3):
        pred = head(tcn(x)[:, :, -1]).squeeze(-1)
        loss = nn.functional.huber_loss(pred, y, delta=0.5)
        opt.zero_grad()
        loss.backward()
        opt.step()
        out.append(loss.detach())
    return out, windows.shape, list(tcn.state_dict()), tcn[0].parametrizations.weight.original0.grad


@program
def evaluation_metrics_auc_histogram_and_bucketize(torch):
    scores = torch.rand(20)
    labels = (torch.rand(20) > 0.5).long()
    order = torch.argsort(scores, descending=True)
    tps = torch.cumsum(labels[order], 0).float()
    fps = torch.cumsum(1 - labels[order], 0).float()
    tpr, fpr = tps / tps[-1], fps / fps[-1]
    auc = torch.trapz(tpr, fpr)
    hist = torch.histc(scores, bins=4, min=0, max=1)
    bins = torch.bucketize(scores, torch.tensor([0.25, 0.5, 0.75]))
    conf = torch.zeros(2, 2, dtype=torch.long)
    conf.index_put_(
        (labels, (scores > 0.5).long()), torch.ones(20, dtype=torch.long), accumulate=True
    )
    return auc, hist, bins, conf, torch.bincount(bins, minlength=4)


# ---- compilation wrappers, full optimizer signatures, gradient-free checks ------------------
@program(tol=LOOSE)
def compiled_and_scripted_models_train_like_eager(torch):
    validating = torch.distributions.Distribution._validate_args
    try:
        return _compiled_and_scripted(torch)
    finally:  # PyTorch's compiler turns distributions' validation off for the whole process
        torch.distributions.Distribution.set_default_validate_args(validating)


def _compiled_and_scripted(torch):
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.SiLU(), torch.nn.Linear(4, 1))
    compiled = torch.compile(model, mode="reduce-overhead", fullgraph=False)
    opt = torch.optim.Adam(
        model.parameters(), lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False,
        foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
    )  # fmt: skip
    x = torch.randn(4, 3)
    losses = []
    for _ in range(2):
        loss = compiled(x).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.detach())

    @torch.compile
    def gelu_tanh(t):
        return 0.5 * t * (1 + torch.tanh(0.79788456 * (t + 0.044715 * t**3)))

    traced = torch.jit.trace(model, x)
    return losses, gelu_tanh(x), traced(x), compiled(x), list(compiled.state_dict())


@program(tol=LOOSE)
def multistep_lr_resumed_with_last_epoch(torch):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=1.0)
    for g in opt.param_groups:
        g.setdefault("initial_lr", g["lr"])
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[2, 4], gamma=0.1, last_epoch=2)
    lrs = [opt.param_groups[0]["lr"]]
    for _ in range(4):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    lam = torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 0.5**e)
    return lrs, sched.state_dict(), list(lam.state_dict())


@program
def gradcheck_of_a_custom_autograd_function_in_a_model(torch):
    class SquarePlus(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, b):
            ctx.save_for_backward(x)
            ctx.b = b
            return 0.5 * (x + torch.sqrt(x * x + b))

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 0.5 * (1 + x / torch.sqrt(x * x + ctx.b)), None

    x = torch.randn(4, dtype=torch.float64, requires_grad=True)
    ok = torch.autograd.gradcheck(lambda t: SquarePlus.apply(t, 4.0), (x,))
    y = SquarePlus.apply(x, 4.0)
    y.sum().backward()
    return ok, y, x.grad, y.grad_fn.name()


@program(tol=LOOSE)
def compiled_model_checkpoint_keys_and_unwrapping(torch):
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Dropout(0.5), torch.nn.Linear(3, 1))
    compiled = torch.compile(model)
    compiled.eval()
    raw = compiled._orig_mod
    fresh = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Dropout(0.5), torch.nn.Linear(3, 1))
    result = fresh.load_state_dict(compiled.state_dict(), strict=False)
    fixed = {k.removeprefix("_orig_mod."): v for k, v in compiled.state_dict().items()}
    fresh.load_state_dict(fixed)
    x = torch.randn(4, 2)
    return (
        type(compiled).__name__, raw is model, model.training, compiled.training,
        list(result.missing_keys), list(result.unexpected_keys), fresh(x), compiled(x),
        [n for n, _ in compiled.named_parameters()], repr(compiled),
    )  # fmt: skip


# ---- classical ML in torch: EM, k-means, Gaussian processes, MC dropout ---------------------
@program
def gaussian_mixture_em_in_float64(torch):
    D = torch.distributions
    x = torch.cat(
        [torch.randn(10, 2, dtype=torch.float64) - 2, torch.randn(12, 2, dtype=torch.float64) + 2]
    )
    mu = x[torch.randperm(22)[:2]].clone()
    cov = torch.eye(2, dtype=torch.float64).repeat(2, 1, 1)
    pi = torch.full((2,), 0.5, dtype=torch.float64)
    lls = []
    for _ in range(4):
        comp = D.MultivariateNormal(mu, covariance_matrix=cov)
        logp = comp.log_prob(x[:, None, :]) + pi.log()
        ll = torch.logsumexp(logp, dim=1)
        resp = (logp - ll[:, None]).exp()
        nk = resp.sum(0)
        mu = resp.T @ x / nk[:, None]
        diff = x[:, None, :] - mu[None]
        cov = torch.einsum("nk,nki,nkj->kij", resp, diff, diff) / nk[
            :, None, None
        ] + 1e-6 * torch.eye(2, dtype=torch.float64)
        pi = nk / 22
        lls.append(ll.sum())
    mix = D.MixtureSameFamily(D.Categorical(pi), D.MultivariateNormal(mu, cov))
    return torch.stack(lls), mu, cov, pi, mix.log_prob(x[:3]), mix.sample((2,))


@program
def kmeans_with_cdist_and_scatter_add(torch):
    x = torch.randn(30, 2)
    k = 3
    centroids = x[torch.randperm(30)[:k]]
    for _ in range(4):
        assign = torch.cdist(x, centroids).argmin(1)
        sums = torch.zeros(k, 2).scatter_add_(0, assign[:, None].expand(-1, 2), x)
        counts = torch.bincount(assign, minlength=k).clamp(min=1).unsqueeze(1)
        centroids = sums / counts
    inertia = ((x - centroids[assign]) ** 2).sum()
    means = torch.zeros(k, 2).index_reduce_(0, assign, x, "mean", include_self=False)
    return assign, centroids, inertia, means


@program
def gaussian_process_regression_marginal_likelihood(torch):
    x = torch.linspace(0, 1, 8, dtype=torch.float64).unsqueeze(1)
    y = torch.sin(6 * x).squeeze(1) + 0.05 * torch.randn(8, dtype=torch.float64)
    log_ls = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    log_sf = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    log_sn = torch.full((1,), -2.0, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([log_ls, log_sf, log_sn], lr=0.05)

    def kernel(a, b):
        return log_sf.exp() ** 2 * torch.exp(-0.5 * torch.cdist(a, b) ** 2 / log_ls.exp() ** 2)

    nlls = []
    for _ in range(4):
        K = kernel(x, x) + (log_sn.exp() ** 2 + 1e-6) * torch.eye(8, dtype=torch.float64)
        L = torch.linalg.cholesky(K)
        alpha = torch.cholesky_solve(y.unsqueeze(1), L)
        nll = (
            0.5 * (y.unsqueeze(1) * alpha).sum()
            + torch.log(torch.diagonal(L)).sum()
            + 4 * math.log(2 * math.pi)
        )
        opt.zero_grad()
        nll.backward()
        opt.step()
        nlls.append(nll.detach())
    with torch.no_grad():
        xs = torch.tensor([[0.25], [0.75]], dtype=torch.float64)
        mean = kernel(xs, x) @ alpha
        v = torch.linalg.solve_triangular(L, kernel(x, xs), upper=False)
        var = kernel(xs, xs).diagonal() - (v**2).sum(0)
    return nlls, log_ls.grad, mean, var


@program(tol=LOOSE)
def mc_dropout_uncertainty_at_test_time(torch):
    nn = torch.nn
    model = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 1))
    model.eval()
    for m in model.modules():
        if isinstance(m, nn.Dropout):
            m.train()
    x = torch.randn(4, 3)
    with torch.no_grad():
        samples = torch.stack([model(x) for _ in range(5)])
    return (
        samples.mean(0),
        samples.std(0),
        samples.var(0, unbiased=False),
        model.training,
        model[2].training,
    )


@program(tol=LOOSE)
def wgan_with_weight_clipping_and_rmsprop(torch):
    nn = torch.nn
    G, D = nn.Linear(2, 3), nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    optG, optD = (
        torch.optim.RMSprop(G.parameters(), lr=5e-3),
        torch.optim.RMSprop(D.parameters(), lr=5e-3),
    )
    real = torch.randn(6, 3) + 1
    out = []
    for it in range(4):
        for p in D.parameters():
            p.data.clamp_(-0.05, 0.05)
        lossD = D(G(torch.randn(6, 2)).detach()).mean() - D(real).mean()
        optD.zero_grad()
        lossD.backward()
        optD.step()
        if it % 2 == 1:
            lossG = -D(G(torch.randn(6, 2))).mean()
            optG.zero_grad()
            lossG.backward()
            optG.step()
            out.append(lossG.detach())
        out.append(lossD.detach())
    return out, list(D.parameters())


@program
def iterable_dataset_streaming_with_a_custom_sampler(torch):
    data = torch.utils.data

    class Stream(data.IterableDataset):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            for i in range(self.n):
                yield torch.tensor([i, i * i]), i % 3

    class EveryOther(data.Sampler):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(0, self.n, 2))

        def __len__(self):
            return (self.n + 1) // 2

    stream = list(data.DataLoader(Stream(7), batch_size=3))
    ds = data.TensorDataset(torch.arange(9.0), torch.arange(9) % 2)
    picked = list(data.DataLoader(ds, batch_size=2, sampler=EveryOther(9)))
    chained = list(data.ChainDataset([Stream(2), Stream(1)]))
    return stream, picked, chained, len(data.DataLoader(ds, batch_size=2, sampler=EveryOther(9)))


# ---- logging lines of training scripts ------------------------------------------------------
@program
def logging_lines_format_tensors_and_numbers(torch):
    loss = torch.tensor(0.123456789)
    acc = torch.tensor([0.5])
    n = torch.tensor(7)
    lines = [
        f"loss: {loss:>7f}  [{64:>5d}/{60000:>5d}]",
        f"Accuracy: {(100 * acc.item()):>0.1f}%, Avg loss: {loss.item():>8f}",
        "{:.3f} {:.2e} {}".format(loss, loss, n),  # noqa: UP032  (str.format on purpose)
        f"{n:d} {n:>4} {float(acc):.2f} {int(acc)} {acc.tolist()} {loss.item():.4g}",
        str(round(loss.item(), 3)),
    ]
    return lines, bool(acc > 0.1), n.item() + 1, type(n.item()).__name__


@error(TypeError, "unsupported format string passed to Tensor.__format__")
def formatting_a_vector_tensor_with_a_float_spec(torch):
    return f"{torch.tensor([0.5, 0.25]):.2f}"


@error(RuntimeError, "Boolean value of Tensor with more than one value is ambiguous")
def early_stopping_condition_on_a_vector(torch):
    if torch.tensor([0.1, 0.2]) < 0.5:
        return 1
    return 0


@error(RuntimeError, "a Tensor with 2 elements cannot be converted to Scalar")
def item_of_a_per_sample_loss(torch):
    return torch.nn.functional.mse_loss(torch.zeros(2), torch.ones(2), reduction="none").item()


# ---- sensitivity analysis with autograd.functional ------------------------------------------
@program
def sensitivity_analysis_with_autograd_functional(torch):
    AF = torch.autograd.functional
    torch.set_default_dtype(torch.float64)
    try:
        net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
    finally:
        torch.set_default_dtype(torch.float32)
    x = torch.randn(3, dtype=torch.float64)
    v2, v3 = torch.ones(2, dtype=torch.float64), torch.tensor([1.0, 0.0, -1.0], dtype=torch.float64)

    def scalar(t):
        return net(t).pow(2).sum()

    out, vjp = AF.vjp(net, x, v2)
    _, jvp = AF.jvp(net, x, v3)
    _, hvp = AF.hvp(scalar, x, v3)
    _, vhp = AF.vhp(scalar, x, v3)
    jac = AF.jacobian(net, x, vectorize=True)
    jac2 = AF.jacobian(lambda a, b: net(a) * b.sum(), (x, x), create_graph=True)
    hes = AF.hessian(scalar, x)
    return out, vjp, jvp, hvp, vhp, jac, jac2, hes


# ---- state_dict aliasing (Reptile, "best model" bugs) ---------------------------------------
@program(tol=LOOSE)
def reptile_outer_update_by_state_dict_interpolation(torch):
    model = torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    for outer in range(2):
        before = copy.deepcopy(model.state_dict())
        opt = torch.optim.SGD(model.parameters(), lr=0.02)
        x = torch.rand(10, 1) * 10 - 5
        y = torch.sin(x + outer)
        for _ in range(3):
            loss = torch.nn.functional.mse_loss(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        after = model.state_dict()
        eps = 0.1 * (1 - outer / 2)
        model.load_state_dict({k: before[k] + (after[k] - before[k]) * eps for k in before})
    return list(model.state_dict().values()), loss.detach()


@program
def state_dict_and_parameters_share_memory_with_in_place_edits(torch):
    model = torch.nn.Linear(2, 2)
    sd = model.state_dict()
    with torch.no_grad():
        model.weight.add_(1.0)
    sd["bias"].zero_()
    keep = model.state_dict(keep_vars=True)
    return (
        sd["weight"],
        model.bias,
        keep["weight"] is model.weight,
        sd["weight"].requires_grad,
        keep["bias"].requires_grad,
    )


# ---- optimizer in backward, left padding ----------------------------------------------------
@program(tol=LOOSE)
def optimizer_step_fused_into_backward_with_post_accumulate_grad_hooks(torch):
    model = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.ReLU(), torch.nn.Linear(5, 2))
    optimizers = {p: torch.optim.Adam([p], lr=0.05, foreach=False) for p in model.parameters()}
    order = []

    def hook(p):
        order.append(tuple(p.shape))
        optimizers[p].step()
        optimizers[p].zero_grad()

    for p in model.parameters():
        p.register_post_accumulate_grad_hook(hook)
    x = torch.randn(4, 3)
    losses = []
    for _ in range(3):
        loss = model(x).pow(2).mean()
        loss.backward()
        losses.append(loss.detach())
    return losses, order, list(model.parameters()), [p.grad for p in model.parameters()]


@program
def left_padded_batches_for_decoder_only_generation(torch):
    rnn = torch.nn.utils.rnn
    seqs = [torch.tensor([5, 6, 7]), torch.tensor([8]), torch.tensor([9, 10])]
    left = rnn.pad_sequence(seqs, batch_first=True, padding_value=0, padding_side="left")
    right = rnn.pad_sequence(seqs, padding_value=-1)
    attn = (left != 0).long()
    positions = (attn.cumsum(-1) - 1).clamp(min=0)
    return left, right, attn, positions
