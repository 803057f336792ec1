"""Classic PyTorch tutorial programs (pytorch.org tutorials and pytorch/examples), shrunk to
small sizes and a few training steps, written once against a library ``torch`` and run with
PyTorch and with ``import minitorch as torch``. Every module is built in both libraries and
then given PyTorch's initial state_dict, so the weights are equal; random data comes from
numpy with fixed seeds. Losses, outputs, gradients and the weights after training must agree.
Dropout is off (p=0) in the compared training steps and only compared in eval mode; values
drawn by the library's own random generator (randn_like, init.normal_) are replaced by fixed
arrays or only checked for their statistics."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import assert_close

import minitorch


def run_both(torch, program, rtol=1e-4, atol=1e-5):
    """Runs ``program(lib, share)`` with PyTorch, then with minitorch; ``share(name, module)``
    records the PyTorch module's state_dict and loads it into the minitorch twin. The two
    result dicts must agree key by key."""
    states = {}

    def record(name, module):
        states[name] = {k: v.detach().numpy().copy() for k, v in module.state_dict().items()}
        return module

    def load(name, module):
        module.load_state_dict(states[name])
        return module

    expected = program(torch, record)
    actual = program(minitorch, load)
    assert list(actual) == list(expected)
    for key, e in expected.items():
        a = actual[key]
        if isinstance(e, (str, int, bool, list, tuple)) and not hasattr(e, "shape"):
            assert a == e, key
            continue
        if hasattr(e, "shape"):
            assert tuple(a.shape) == tuple(e.shape), key
            assert str(a.dtype).split(".")[-1] == str(e.dtype).split(".")[-1], key
        try:
            assert_close(a, e, rtol=rtol, atol=atol)
        except AssertionError as err:
            raise AssertionError(f"{key}: {err}") from None
    return actual, expected


def grads(prefix, module):
    """{prefix.name: grad} for every parameter, for the result dict."""
    return {f"{prefix}.{n}.grad": p.grad.clone() for n, p in module.named_parameters()}


def params(prefix, module):
    return {f"{prefix}.{n}": p.detach().clone() for n, p in module.named_parameters()}


# ---- 1. NLP from scratch: classifying names with a character-level RNN ----------------------
LETTERS = "abcdefghijklmnopqrstuvwxyz .,;'"
NAMES = [("Nguyen", 0), ("Schmidt", 1), ("Rossi", 2), ("Tanaka", 3), ("Ng", 0), ("Bauer", 1)]


def char_rnn(torch, share):
    nn = torch.nn
    n_letters, n_hidden, n_categories, learning_rate = len(LETTERS), 16, 4, 0.005

    class RNN(nn.Module):
        def __init__(self, input_size, hidden_size, output_size):
            super().__init__()
            self.hidden_size = hidden_size
            self.i2h = nn.Linear(input_size + hidden_size, hidden_size)
            self.i2o = nn.Linear(input_size + hidden_size, output_size)
            self.softmax = nn.LogSoftmax(dim=1)

        def forward(self, input, hidden):
            combined = torch.cat((input, hidden), 1)
            hidden = self.i2h(combined)
            output = self.i2o(combined)
            output = self.softmax(output)
            return output, hidden

        def initHidden(self):
            return torch.zeros(1, self.hidden_size)

    def lineToTensor(line):
        tensor = torch.zeros(len(line), 1, n_letters)
        for li, letter in enumerate(line):
            tensor[li][0][LETTERS.find(letter.lower())] = 1
        return tensor

    rnn = share("rnn", RNN(n_letters, n_hidden, n_categories))
    criterion = nn.NLLLoss()
    out = {}

    def train(category_tensor, line_tensor):
        hidden = rnn.initHidden()
        rnn.zero_grad()
        for i in range(line_tensor.size()[0]):
            output, hidden = rnn(line_tensor[i], hidden)
        loss = criterion(output, category_tensor)
        loss.backward()
        out.update(grads("rnn", rnn))
        for p in rnn.parameters():
            p.data.add_(p.grad.data, alpha=-learning_rate)
        return output, loss.item()

    for step, (name, category) in enumerate(NAMES):
        category_tensor = torch.tensor([category], dtype=torch.long)
        output, loss = train(category_tensor, lineToTensor(name))
        top_n, top_i = output.topk(1)
        out[f"loss{step}"] = loss
        out[f"guess{step}"] = top_i[0].item()
    out["line"] = lineToTensor("Ab'")
    with torch.no_grad():
        line_tensor = lineToTensor("Rossi")
        hidden = rnn.initHidden()
        for i in range(line_tensor.size()[0]):
            output, hidden = rnn(line_tensor[i], hidden)
        topv, topi = output.topk(3, 1, True)
        out["predictions"] = [topi[0][i].item() for i in range(3)]
        out["topv"] = topv
    out.update(params("rnn", rnn))
    return out


def test_char_rnn_name_classification(torch):
    run_both(torch, char_rnn)


# ---- 2. seq2seq translation with a GRU encoder and a Bahdanau attention decoder --------------
SOS, MAX_LENGTH = 0, 5
_R2 = np.random.RandomState(2)
SRC = _R2.randint(1, 12, size=(3, MAX_LENGTH))
TGT = _R2.randint(1, 10, size=(3, MAX_LENGTH))
TGT[0, 3:] = 0


def seq2seq(torch, share):
    nn, F, optim = torch.nn, torch.nn.functional, torch.optim
    hidden_size = 8

    class EncoderRNN(nn.Module):
        def __init__(self, input_size, hidden_size, dropout_p=0.0):
            super().__init__()
            self.embedding = nn.Embedding(input_size, hidden_size)
            self.gru = nn.GRU(hidden_size, hidden_size, batch_first=True)
            self.dropout = nn.Dropout(dropout_p)

        def forward(self, input):
            embedded = self.dropout(self.embedding(input))
            output, hidden = self.gru(embedded)
            return output, hidden

    class BahdanauAttention(nn.Module):
        def __init__(self, hidden_size):
            super().__init__()
            self.Wa = nn.Linear(hidden_size, hidden_size)
            self.Ua = nn.Linear(hidden_size, hidden_size)
            self.Va = nn.Linear(hidden_size, 1)

        def forward(self, query, keys):
            scores = self.Va(torch.tanh(self.Wa(query) + self.Ua(keys)))
            scores = scores.squeeze(2).unsqueeze(1)
            weights = F.softmax(scores, dim=-1)
            context = torch.bmm(weights, keys)
            return context, weights

    class AttnDecoderRNN(nn.Module):
        def __init__(self, hidden_size, output_size, dropout_p=0.0):
            super().__init__()
            self.embedding = nn.Embedding(output_size, hidden_size)
            self.attention = BahdanauAttention(hidden_size)
            self.gru = nn.GRU(2 * hidden_size, hidden_size, batch_first=True)
            self.out = nn.Linear(hidden_size, output_size)
            self.dropout = nn.Dropout(dropout_p)

        def forward(self, encoder_outputs, encoder_hidden, target_tensor=None):
            batch_size = encoder_outputs.size(0)
            decoder_input = torch.empty(batch_size, 1, dtype=torch.long).fill_(SOS)
            decoder_hidden = encoder_hidden
            decoder_outputs, attentions = [], []
            for i in range(MAX_LENGTH):
                decoder_output, decoder_hidden, attn_weights = self.forward_step(
                    decoder_input, decoder_hidden, encoder_outputs
                )
                decoder_outputs.append(decoder_output)
                attentions.append(attn_weights)
                if target_tensor is not None:
                    decoder_input = target_tensor[:, i].unsqueeze(1)
                else:
                    _, topi = decoder_output.topk(1)
                    decoder_input = topi.squeeze(-1).detach()
            decoder_outputs = torch.cat(decoder_outputs, dim=1)
            decoder_outputs = F.log_softmax(decoder_outputs, dim=-1)
            attentions = torch.cat(attentions, dim=1)
            return decoder_outputs, decoder_hidden, attentions

        def forward_step(self, input, hidden, encoder_outputs):
            embedded = self.dropout(self.embedding(input))
            query = hidden.permute(1, 0, 2)
            context, attn_weights = self.attention(query, encoder_outputs)
            input_gru = torch.cat((embedded, context), dim=2)
            output, hidden = self.gru(input_gru, hidden)
            output = self.out(output)
            return output, hidden, attn_weights

    encoder = share("encoder", EncoderRNN(12, hidden_size))
    decoder = share("decoder", AttnDecoderRNN(hidden_size, 10))
    encoder_optimizer = optim.Adam(encoder.parameters(), lr=0.01)
    decoder_optimizer = optim.Adam(decoder.parameters(), lr=0.01)
    criterion = nn.NLLLoss()
    input_tensor, target_tensor = torch.tensor(SRC), torch.tensor(TGT)
    out = {}
    for step in range(3):
        encoder_optimizer.zero_grad()
        decoder_optimizer.zero_grad()
        encoder_outputs, encoder_hidden = encoder(input_tensor)
        decoder_outputs, _, _ = decoder(encoder_outputs, encoder_hidden, target_tensor)
        loss = criterion(decoder_outputs.view(-1, decoder_outputs.size(-1)), target_tensor.view(-1))
        loss.backward()
        encoder_optimizer.step()
        decoder_optimizer.step()
        out[f"loss{step}"] = loss.item()
    out.update(grads("encoder", encoder))
    out.update(grads("decoder", decoder))
    encoder.eval()
    decoder.eval()
    with torch.no_grad():
        encoder_outputs, encoder_hidden = encoder(input_tensor[:1])
        decoder_outputs, decoder_hidden, decoder_attn = decoder(encoder_outputs, encoder_hidden)
        _, topi = decoder_outputs.topk(1)
        decoded_ids = topi.squeeze()
    out["decoded"] = decoded_ids.tolist()
    out["decoded_requires_grad"] = decoded_ids.requires_grad
    out["attn"] = decoder_attn
    out["decoder_hidden"] = decoder_hidden
    return out


def test_seq2seq_gru_bahdanau_attention(torch):
    run_both(torch, seq2seq)


# ---- 3. text classification with nn.EmbeddingBag --------------------------------------------
_R3 = np.random.RandomState(3)
BATCH = [(int(_R3.randint(4)), _R3.randint(0, 20, size=n).tolist()) for n in (5, 1, 7, 3)]
BATCH.append((1, []))


@pytest.mark.parametrize(
    "mode, padding_idx, weighted",
    [("mean", None, False), ("sum", 0, False), ("max", None, False), ("sum", None, True)],
)
def test_text_classification_embedding_bag(torch, mode, padding_idx, weighted):
    def program(torch, share):
        nn = torch.nn

        class TextClassificationModel(nn.Module):
            def __init__(self, vocab_size, embed_dim, num_class):
                super().__init__()
                self.embedding = nn.EmbeddingBag(
                    vocab_size, embed_dim, mode=mode, padding_idx=padding_idx
                )
                self.fc = nn.Linear(embed_dim, num_class)
                self.init_weights()

            def init_weights(self):
                initrange = 0.5
                self.embedding.weight.data.uniform_(-initrange, initrange)
                self.fc.weight.data.uniform_(-initrange, initrange)
                self.fc.bias.data.zero_()

            def forward(self, text, offsets, per_sample_weights=None):
                embedded = self.embedding(text, offsets, per_sample_weights=per_sample_weights)
                return self.fc(embedded)

        def collate_batch(batch):
            label_list, text_list, offsets = [], [], [0]
            for _label, _text in batch:
                label_list.append(_label)
                processed_text = torch.tensor(_text, dtype=torch.int64)
                text_list.append(processed_text)
                offsets.append(processed_text.size(0))
            label_list = torch.tensor(label_list, dtype=torch.int64)
            offsets = torch.tensor(offsets[:-1]).cumsum(dim=0)
            text_list = torch.cat(text_list)
            return label_list, text_list, offsets

        model = share("model", TextClassificationModel(20, 6, 4))
        criterion = torch.nn.CrossEntropyLoss()
        optimizer = torch.optim.SGD(model.parameters(), lr=5)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, gamma=0.1)
        label, text, offsets = collate_batch(BATCH)
        psw = torch.linspace(0.5, 1.5, len(text)) if weighted else None
        out = {"offsets": offsets, "text": text}
        for epoch in range(3):
            model.train()
            optimizer.zero_grad()
            predicted_label = model(text, offsets, psw)
            loss = criterion(predicted_label, label)
            loss.backward()
            out.update(grads(f"model{epoch}", model))
            out[f"norm{epoch}"] = torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
            optimizer.step()
            out[f"acc{epoch}"] = (predicted_label.argmax(1) == label).sum().item()
            out[f"loss{epoch}"] = loss.item()
            scheduler.step()
            out[f"lr{epoch}"] = scheduler.get_last_lr()[0]
        model.eval()
        with torch.no_grad():
            out["eval"] = model(text, offsets, psw)
        out.update(params("model", model))
        return out

    run_both(torch, program)


# ---- 4. word language model: LSTM/GRU with tied weights -------------------------------------
_R4 = np.random.RandomState(4)
CORPUS = _R4.randint(0, 15, size=83)


@pytest.mark.parametrize("rnn_type", ["LSTM", "GRU", "RNN_TANH"])
def test_word_language_model_tied(torch, rnn_type):
    def program(torch, share):
        nn, F = torch.nn, torch.nn.functional
        ntokens, emsize, bptt, bsz, lr, clip = 15, 8, 5, 4, 20.0, 0.25

        class RNNModel(nn.Module):
            def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers, dropout=0.5):
                super().__init__()
                self.ntoken = ntoken
                self.drop = nn.Dropout(dropout)
                self.encoder = nn.Embedding(ntoken, ninp)
                if rnn_type in ["LSTM", "GRU"]:
                    self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers, dropout=dropout)
                else:
                    nonlinearity = {"RNN_TANH": "tanh", "RNN_RELU": "relu"}[rnn_type]
                    self.rnn = nn.RNN(
                        ninp, nhid, nlayers, nonlinearity=nonlinearity, dropout=dropout
                    )
                self.decoder = nn.Linear(nhid, ntoken)
                self.decoder.weight = self.encoder.weight
                self.init_weights()
                self.rnn_type, self.nhid, self.nlayers = rnn_type, nhid, nlayers

            def init_weights(self):
                initrange = 0.1
                nn.init.uniform_(self.encoder.weight, -initrange, initrange)
                nn.init.zeros_(self.decoder.bias)
                nn.init.uniform_(self.decoder.weight, -initrange, initrange)

            def forward(self, input, hidden):
                emb = self.drop(self.encoder(input))
                output, hidden = self.rnn(emb, hidden)
                output = self.drop(output)
                decoded = self.decoder(output)
                decoded = decoded.view(-1, self.ntoken)
                return F.log_softmax(decoded, dim=1), hidden

            def init_hidden(self, bsz):
                weight = next(self.parameters())
                if self.rnn_type == "LSTM":
                    return (
                        weight.new_zeros(self.nlayers, bsz, self.nhid),
                        weight.new_zeros(self.nlayers, bsz, self.nhid),
                    )
                return weight.new_zeros(self.nlayers, bsz, self.nhid)

        def batchify(data, bsz):
            nbatch = data.size(0) // bsz
            data = data.narrow(0, 0, nbatch * bsz)
            return data.view(bsz, -1).t().contiguous()

        def get_batch(source, i):
            seq_len = min(bptt, len(source) - 1 - i)
            data = source[i : i + seq_len]
            target = source[i + 1 : i + 1 + seq_len].view(-1)
            return data, target

        def repackage_hidden(h):
            if isinstance(h, torch.Tensor):
                return h.detach()
            return tuple(repackage_hidden(v) for v in h)

        model = share("model", RNNModel(rnn_type, ntokens, emsize, emsize, 2, dropout=0.5))
        criterion = nn.NLLLoss()
        data = batchify(torch.tensor(CORPUS), bsz)
        out = {"tied": model.decoder.weight is model.encoder.weight}
        out["n_params"] = len(list(model.parameters()))

        def evaluate(data_source):
            model.eval()
            total_loss = 0.0
            hidden = model.init_hidden(bsz)
            with torch.no_grad():
                for i in range(0, data_source.size(0) - 1, bptt):
                    d, targets = get_batch(data_source, i)
                    output, hidden = model(d, hidden)
                    hidden = repackage_hidden(hidden)
                    total_loss += len(d) * criterion(output, targets).item()
            return total_loss / (len(data_source) - 1)

        out["ppl_before"] = math.exp(evaluate(data))
        model.train()
        model.drop.p = 0.0
        model.rnn.dropout = 0.0
        hidden = model.init_hidden(bsz)
        for batch, i in enumerate(range(0, data.size(0) - 1, bptt)):
            d, targets = get_batch(data, i)
            model.zero_grad()
            hidden = repackage_hidden(hidden)
            output, hidden = model(d, hidden)
            loss = criterion(output, targets)
            loss.backward()
            out[f"norm{batch}"] = torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
            for p in model.parameters():
                p.data.add_(p.grad, alpha=-lr)
            out[f"loss{batch}"] = loss.item()
        out.update(grads("model", model))
        model.rnn.flatten_parameters()  # main.py does this after loading the best model
        out["ppl_after"] = math.exp(evaluate(data))
        out["hidden_is_leaf"] = [h.is_leaf for h in repackage_hidden(hidden)]
        out.update(params("model", model))
        return out

    run_both(torch, program)


# ---- 5. language modeling with nn.TransformerEncoder ----------------------------------------
_R5 = np.random.RandomState(5)
TOKENS = _R5.randint(0, 13, size=49)


def transformer_lm(torch, share):
    nn = torch.nn
    ntokens, emsize, d_hid, nlayers, nhead, bptt = 13, 8, 16, 2, 2, 6

    class PositionalEncoding(nn.Module):
        def __init__(self, d_model, dropout=0.1, max_len=50):
            super().__init__()
            self.dropout = nn.Dropout(p=dropout)
            position = torch.arange(max_len).unsqueeze(1)
            div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
            pe = torch.zeros(max_len, 1, d_model)
            pe[:, 0, 0::2] = torch.sin(position * div_term)
            pe[:, 0, 1::2] = torch.cos(position * div_term)
            self.register_buffer("pe", pe)

        def forward(self, x):
            x = x + self.pe[: x.size(0)]
            return self.dropout(x)

    class TransformerModel(nn.Module):
        def __init__(self, ntoken, d_model, nhead, d_hid, nlayers, dropout=0.5):
            super().__init__()
            self.pos_encoder = PositionalEncoding(d_model, dropout)
            encoder_layers = nn.TransformerEncoderLayer(d_model, nhead, d_hid, dropout)
            self.transformer_encoder = nn.TransformerEncoder(
                encoder_layers, nlayers, enable_nested_tensor=False
            )
            self.embedding = nn.Embedding(ntoken, d_model)
            self.d_model = d_model
            self.linear = nn.Linear(d_model, ntoken)
            self.init_weights()

        def init_weights(self):
            initrange = 0.1
            self.embedding.weight.data.uniform_(-initrange, initrange)
            self.linear.bias.data.zero_()
            self.linear.weight.data.uniform_(-initrange, initrange)

        def forward(self, src, src_mask=None, src_key_padding_mask=None):
            src = self.embedding(src) * math.sqrt(self.d_model)
            src = self.pos_encoder(src)
            if src_mask is None:
                src_mask = nn.Transformer.generate_square_subsequent_mask(len(src))
            output = self.transformer_encoder(
                src, src_mask, src_key_padding_mask=src_key_padding_mask
            )
            return self.linear(output)

    def batchify(data, bsz):
        seq_len = data.size(0) // bsz
        data = data[: seq_len * bsz]
        return data.view(bsz, seq_len).t().contiguous()

    def get_batch(source, i):
        seq_len = min(bptt, len(source) - 1 - i)
        return source[i : i + seq_len], source[i + 1 : i + 1 + seq_len].reshape(-1)

    model = TransformerModel(ntokens, emsize, nhead, d_hid, nlayers, dropout=0.2)
    out = {"pe": model.pos_encoder.pe.clone(), "buffers": [n for n, _ in model.named_buffers()]}
    out["mask"] = nn.Transformer.generate_square_subsequent_mask(4)
    share("model", model)
    train_data = batchify(torch.tensor(TOKENS), 4)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=5.0)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, gamma=0.95)

    model.eval()
    src = train_data[:bptt]
    pad = torch.zeros(4, bptt, dtype=torch.bool)
    pad[1, 4:] = True
    with torch.no_grad():
        out["eval"] = model(src)
        out["eval_padded"] = model(src, src_key_padding_mask=pad)[:4]

    model.train()
    for m in model.modules():
        if isinstance(m, nn.Dropout):
            m.p = 0.0
    for m in model.transformer_encoder.layers:
        m.self_attn.dropout = 0.0
    for batch, i in enumerate(range(0, train_data.size(0) - 1, bptt)):
        data, targets = get_batch(train_data, i)
        output = model(data)
        output_flat = output.view(-1, ntokens)
        loss = criterion(output_flat, targets)
        optimizer.zero_grad()
        loss.backward()
        out.update(grads(f"model{batch}", model))
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimizer.step()
        out[f"loss{batch}"] = loss.item()
    scheduler.step()
    out["lr"] = scheduler.get_last_lr()[0]
    model.eval()
    with torch.no_grad():
        out["ppl"] = math.exp(criterion(model(src).view(-1, ntokens), get_batch(train_data, 0)[1]))
    out.update(params("model", model))
    return out


def test_transformer_language_model(torch):
    run_both(torch, transformer_lm, rtol=2e-4, atol=2e-5)


# ---- 6. DCGAN -------------------------------------------------------------------------------
_R6 = np.random.RandomState(6)
REAL = np.tanh(_R6.randn(4, 1, 16, 16)).astype(np.float32)
NOISE = [_R6.randn(4, 6, 1, 1).astype(np.float32) for _ in range(2)]


def dcgan(torch, share):
    nn, optim = torch.nn, torch.optim
    nz, ngf, ndf, nc = 6, 4, 4, 1

    def weights_init(m):
        classname = m.__class__.__name__
        if classname.find("Conv") != -1:
            nn.init.normal_(m.weight.data, 0.0, 0.02)
        elif classname.find("BatchNorm") != -1:
            nn.init.normal_(m.weight.data, 1.0, 0.02)
            nn.init.constant_(m.bias.data, 0)

    class Generator(nn.Module):
        def __init__(self):
            super().__init__()
            self.main = nn.Sequential(
                nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False),
                nn.BatchNorm2d(ngf * 2),
                nn.ReLU(True),
                nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ngf),
                nn.ReLU(True),
                nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),
                nn.Tanh(),
            )

        def forward(self, input):
            return self.main(input)

    class Discriminator(nn.Module):
        def __init__(self):
            super().__init__()
            self.main = nn.Sequential(
                nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
                nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ndf * 2),
                nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False),
                nn.Sigmoid(),
            )

        def forward(self, input):
            return self.main(input)

    netG, netD = Generator(), Discriminator()
    netG.apply(weights_init)
    netD.apply(weights_init)
    w = netG.main[0].weight
    out = {
        "init_std_ok": abs(w.std().item() - 0.02) < 0.006 and abs(w.mean().item()) < 0.006,
        "bn_bias_zero": bool((netD.main[3].bias == 0).all()),
        "bn_weight_drawn": bool((netD.main[3].weight != 1).all()),
    }
    share("G", netG)
    share("D", netD)
    criterion = nn.BCELoss()
    real_label, fake_label = 1.0, 0.0
    optimizerD = optim.Adam(netD.parameters(), lr=0.0002, betas=(0.5, 0.999))
    optimizerG = optim.Adam(netG.parameters(), lr=0.0002, betas=(0.5, 0.999))
    real_cpu = torch.tensor(REAL)
    for i, noise in enumerate(NOISE):
        netD.zero_grad()
        b_size = real_cpu.size(0)
        label = torch.full((b_size,), real_label, dtype=torch.float)
        output = netD(real_cpu).view(-1)
        errD_real = criterion(output, label)
        errD_real.backward()
        D_x = output.mean().item()
        fake = netG(torch.tensor(noise))
        label.fill_(fake_label)
        output = netD(fake.detach()).view(-1)
        errD_fake = criterion(output, label)
        errD_fake.backward()
        D_G_z1 = output.mean().item()
        errD = errD_real + errD_fake
        out.update(grads(f"D{i}", netD))
        optimizerD.step()

        netG.zero_grad()
        label.fill_(real_label)
        output = netD(fake).view(-1)
        errG = criterion(output, label)
        errG.backward()
        D_G_z2 = output.mean().item()
        out.update(grads(f"G{i}", netG))
        optimizerG.step()
        out.update({f"errD{i}": errD.item(), f"errG{i}": errG.item(), f"D_x{i}": D_x})
        out.update({f"D_G_z1_{i}": D_G_z1, f"D_G_z2_{i}": D_G_z2})
    out.update({f"G.{k}": v.clone() for k, v in netG.state_dict().items()})
    out.update({f"D.{k}": v.clone() for k, v in netD.state_dict().items()})
    netG.eval()
    with torch.no_grad():
        out["fixed_fake"] = netG(torch.tensor(NOISE[0])).detach().cpu()
    return out


def test_dcgan(torch):
    run_both(torch, dcgan)


# ---- 7. VAE (pytorch/examples/vae) ----------------------------------------------------------
_R7 = np.random.RandomState(7)
IMAGES = (_R7.rand(2, 4, 1, 28, 28) > 0.7).astype(np.float32)
EPS = _R7.randn(2, 4, 5).astype(np.float32)


def vae(torch, share):
    nn, F = torch.nn, torch.nn.functional

    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(784, 32)
            self.fc21 = nn.Linear(32, 5)
            self.fc22 = nn.Linear(32, 5)
            self.fc3 = nn.Linear(5, 32)
            self.fc4 = nn.Linear(32, 784)
            self.eps = None

        def encode(self, x):
            h1 = F.relu(self.fc1(x))
            return self.fc21(h1), self.fc22(h1)

        def reparameterize(self, mu, logvar):
            std = torch.exp(0.5 * logvar)
            eps = torch.randn_like(std) if self.eps is None else self.eps
            return mu + eps * std

        def decode(self, z):
            h3 = F.relu(self.fc3(z))
            return torch.sigmoid(self.fc4(h3))

        def forward(self, x):
            mu, logvar = self.encode(x.view(-1, 784))
            z = self.reparameterize(mu, logvar)
            return self.decode(z), mu, logvar

    def loss_function(recon_x, x, mu, logvar):
        BCE = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction="sum")
        KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return BCE + KLD

    model = share("model", VAE())
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    out = {}
    std = torch.ones(4, 5, dtype=torch.float64)
    drawn = torch.randn_like(std)
    out["randn_like"] = (tuple(drawn.shape), str(drawn.dtype).split(".")[-1])
    model.train()
    for batch_idx, (data, eps) in enumerate(zip(IMAGES, EPS)):
        data = torch.tensor(data)
        model.eps = torch.tensor(eps)
        optimizer.zero_grad()
        recon_batch, mu, logvar = model(data)
        loss = loss_function(recon_batch, data, mu, logvar)
        loss.backward()
        out.update(grads(f"model{batch_idx}", model))
        out[f"loss{batch_idx}"] = loss.item() / len(data)
        optimizer.step()
    model.eval()
    model.eps = torch.tensor(EPS[0])
    with torch.no_grad():
        data = torch.tensor(IMAGES[1])
        recon_batch, mu, logvar = model(data)
        out["test_loss"] = loss_function(recon_batch, data, mu, logvar).item()
        n = min(data.size(0), 3)
        out["comparison"] = torch.cat([data[:n], recon_batch.view(4, 1, 28, 28)[:n]])
        out["sample"] = model.decode(torch.tensor(EPS[1]))
    return out


def test_vae(torch):
    run_both(torch, vae, rtol=1e-4, atol=1e-4)


EMB = np.random.RandomState(8).randn(10, 3).astype(np.float32)


@pytest.mark.parametrize(
    "mode, text, offsets",
    [
        ("sum", [1, 2, 3, 4, 5], [0, 1, 5]),
        ("sum", [1, 2, 3], [0, 0, 3]),
        ("mean", [1, 2, 3], [0, 1, 3]),
        ("max", [1, 2, 3], [0, 0, 3]),
    ],
)
def test_embedding_bag_include_last_offset(torch, mode, text, offsets):
    """include_last_offset=True (CSR offsets), with per_sample_weights for mode='sum'."""

    def program(lib, share):
        w = lib.tensor(EMB, requires_grad=True)
        psw = lib.linspace(0.5, 2.0, len(text)) if mode == "sum" else None
        out = lib.nn.functional.embedding_bag(
            lib.tensor(text), w, lib.tensor(offsets), mode=mode, include_last_offset=True,
            per_sample_weights=psw,
        )  # fmt: skip
        (out * lib.arange(out.numel()).view(out.shape)).sum().backward()
        return {"out": out, "grad": w.grad}

    run_both(torch, program)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("text, offsets, ilo", [([1, 2], [], False), ([], [0], True)])
def test_embedding_bag_zero_bags(torch, mode, text, offsets, ilo):
    """No bags: a (0, embedding_dim) result (it raised; PyTorch 2.13 segfaults for
    mode='max' here, so only the other modes are compared)."""

    def bag(lib, w):
        offs = lib.tensor(offsets, dtype=lib.long)
        return lib.nn.functional.embedding_bag(
            lib.tensor(text, dtype=lib.long), w, offs, mode=mode, include_last_offset=ilo
        )

    w = minitorch.tensor(EMB, requires_grad=True)
    out = bag(minitorch, w)
    assert out.shape == (0, 3)
    out.sum().backward()
    assert (w.grad.numpy() == 0).all()
    if mode != "max":
        assert tuple(bag(torch, torch.tensor(EMB)).shape) == (0, 3)


@pytest.mark.parametrize(
    "offsets, ilo, error, match",
    [
        ([1, 2], False, RuntimeError, r"offsets\[0\] has to be 0.*got 1"),
        ([0, 5], False, RuntimeError, r"offsets\[-1\] can not be greater than input's length 3"),
        ([0, 2, 1], False, RuntimeError, r"offsets has to be non-decreasing.*\[0, 2, 1\]"),
        ([], True, RuntimeError, "include_last_offset: number of offset should be at least 1"),
        ([0, 1, 2], True, ValueError, r"offsets\[-1\] \(2\) has to be the input's length 3"),
        ([0.0, 1.0], False, TypeError, r"offsets must be int64 or int32, got .*float32"),
        ([[0, 1]], False, ValueError, r"offsets has to be a 1D Tensor, but got shape \(1, 2\)"),
    ],
)
@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_bad_offsets_raise(torch, offsets, ilo, error, match, mode):
    """Offsets PyTorch rejects are rejected with its message; decreasing offsets (PyTorch:
    an internal assertion, or wrong bags for mode='max') and, with include_last_offset, a
    last offset short of the input (PyTorch: inconsistent bags, uninitialized gradients) get a clear
    error."""
    dtype = minitorch.float32 if offsets and isinstance(offsets[-1], float) else minitorch.long
    with pytest.raises(error, match=match):
        minitorch.nn.functional.embedding_bag(
            minitorch.tensor([1, 2, 3]), minitorch.tensor(EMB),
            minitorch.tensor(offsets, dtype=dtype), mode=mode, include_last_offset=ilo,
        )  # fmt: skip
    if error is RuntimeError and offsets != [0, 2, 1] and mode != "max":  # max may segfault
        with pytest.raises(RuntimeError, match=match):
            torch.nn.functional.embedding_bag(
                torch.tensor([1, 2, 3]), torch.tensor(EMB),
                torch.tensor(offsets, dtype=torch.long), mode=mode, include_last_offset=ilo,
            )  # fmt: skip


# ---- 1c. the current version of the name classifier: nn.RNN, batches of lines, confusion ----
def char_rnn_batched(torch, share):
    nn = torch.nn
    n_letters, n_hidden, classes = len(LETTERS), 16, ["vi", "de", "it", "ja"]

    class CharRNN(nn.Module):
        def __init__(self, input_size, hidden_size, output_size):
            super().__init__()
            self.rnn = nn.RNN(input_size, hidden_size)
            self.h2o = nn.Linear(hidden_size, output_size)
            self.softmax = nn.LogSoftmax(dim=1)

        def forward(self, line_tensor):
            rnn_out, hidden = self.rnn(line_tensor)
            output = self.h2o(hidden[0])
            output = self.softmax(output)
            return output

    def lineToTensor(line):
        tensor = torch.zeros(len(line), 1, n_letters)
        for li, letter in enumerate(line):
            tensor[li][0][LETTERS.find(letter.lower())] = 1
        return tensor

    def label_from_output(output, output_labels):
        top_n, top_i = output.topk(1)
        label_i = top_i[0].item()
        return output_labels[label_i], label_i

    data = [(torch.tensor([c], dtype=torch.long), lineToTensor(n), c) for n, c in NAMES]
    rnn = share("rnn", CharRNN(n_letters, n_hidden, len(classes)))
    optimizer = torch.optim.SGD(rnn.parameters(), lr=0.15)
    criterion = nn.NLLLoss()
    out = {}
    rnn.train()
    for epoch in range(2):
        rnn.zero_grad()
        batches = np.array_split(np.arange(len(data)), 2)
        for b, idx in enumerate(batches):
            batch_loss = 0
            for i in idx:
                label_tensor, text_tensor, _ = data[i]
                output = rnn.forward(text_tensor)
                loss = criterion(output, label_tensor)
                batch_loss += loss
            batch_loss.backward()
            out[f"norm{epoch}{b}"] = nn.utils.clip_grad_norm_(rnn.parameters(), 3)
            optimizer.step()
            optimizer.zero_grad()
            out[f"loss{epoch}{b}"] = batch_loss.item() / len(idx)
    confusion = torch.zeros(len(classes), len(classes))
    rnn.eval()
    with torch.no_grad():
        for _, text_tensor, label_i in data:
            output = rnn(text_tensor)
            guess, guess_i = label_from_output(output, classes)
            confusion[label_i][guess_i] += 1
    for i in range(len(classes)):
        denom = confusion[i].sum()
        if denom > 0:
            confusion[i] = confusion[i] / denom
    out["confusion"] = confusion
    out.update(params("rnn", rnn))
    return out


def test_char_rnn_batched_with_nn_rnn(torch):
    run_both(torch, char_rnn_batched)


# ---- 1b. NLP from scratch: generating names with a character-level RNN ----------------------
def char_rnn_generation(torch, share):
    nn = torch.nn
    n_letters, n_categories, hidden_size = len(LETTERS) + 1, 4, 12
    criterion = nn.NLLLoss()
    learning_rate = 0.0005

    class RNN(nn.Module):
        def __init__(self, input_size, hidden_size, output_size):
            super().__init__()
            self.hidden_size = hidden_size
            self.i2h = nn.Linear(n_categories + input_size + hidden_size, hidden_size)
            self.i2o = nn.Linear(n_categories + input_size + hidden_size, output_size)
            self.o2o = nn.Linear(hidden_size + output_size, output_size)
            self.dropout = nn.Dropout(0.1)
            self.softmax = nn.LogSoftmax(dim=1)

        def forward(self, category, input, hidden):
            input_combined = torch.cat((category, input, hidden), 1)
            hidden = self.i2h(input_combined)
            output = self.i2o(input_combined)
            output_combined = torch.cat((hidden, output), 1)
            output = self.o2o(output_combined)
            output = self.dropout(output)
            output = self.softmax(output)
            return output, hidden

        def initHidden(self):
            return torch.zeros(1, self.hidden_size)

    def categoryTensor(category):
        tensor = torch.zeros(1, n_categories)
        tensor[0][category] = 1
        return tensor

    def inputTensor(line):
        tensor = torch.zeros(len(line), 1, n_letters)
        for li in range(len(line)):
            tensor[li][0][LETTERS.find(line[li])] = 1
        return tensor

    def targetTensor(line):
        letter_indexes = [LETTERS.find(line[li]) for li in range(1, len(line))]
        letter_indexes.append(n_letters - 1)  # EOS
        return torch.LongTensor(letter_indexes)

    rnn = share("rnn", RNN(n_letters, hidden_size, n_letters))
    rnn.dropout.p = 0.0
    out = {}

    def train(category_tensor, input_line_tensor, target_line_tensor):
        target_line_tensor.unsqueeze_(-1)
        hidden = rnn.initHidden()
        rnn.zero_grad()
        loss = torch.Tensor([0])
        for i in range(input_line_tensor.size(0)):
            output, hidden = rnn(category_tensor, input_line_tensor[i], hidden)
            l = criterion(output, target_line_tensor[i])  # noqa: E741
            loss += l
        loss.backward()
        for p in rnn.parameters():
            p.data.add_(p.grad.data, alpha=-learning_rate)
        return output, loss.item() / input_line_tensor.size(0)

    for step, (name, category) in enumerate(NAMES[:4]):
        name = name.lower()
        _, out[f"loss{step}"] = train(
            categoryTensor(category), inputTensor(name), targetTensor(name)
        )
    out.update(grads("rnn", rnn))
    rnn.eval()
    with torch.no_grad():
        category_tensor = categoryTensor(2)
        input = inputTensor("r")
        hidden = rnn.initHidden()
        output_name = "r"
        for _ in range(8):
            output, hidden = rnn(category_tensor, input[0], hidden)
            topv, topi = output.topk(1)
            topi = topi[0][0]
            if topi == n_letters - 1:
                break
            letter = LETTERS[topi]
            output_name += letter
            input = inputTensor(letter)
    out["sample"] = output_name
    return out


def test_char_rnn_name_generation(torch):
    run_both(torch, char_rnn_generation)


# ---- 2b. the classic (unbatched) seq2seq tutorial: attention over max_length positions ------
def seq2seq_classic(torch, share):
    nn, F, optim = torch.nn, torch.nn.functional, torch.optim
    hidden_size, max_length, EOS = 8, MAX_LENGTH + 1, 1

    class EncoderRNN(nn.Module):
        def __init__(self, input_size, hidden_size):
            super().__init__()
            self.hidden_size = hidden_size
            self.embedding = nn.Embedding(input_size, hidden_size)
            self.gru = nn.GRU(hidden_size, hidden_size)

        def forward(self, input, hidden):
            embedded = self.embedding(input).view(1, 1, -1)
            output = embedded
            output, hidden = self.gru(output, hidden)
            return output, hidden

        def initHidden(self):
            return torch.zeros(1, 1, self.hidden_size)

    class AttnDecoderRNN(nn.Module):
        def __init__(self, hidden_size, output_size, dropout_p=0.1, max_length=max_length):
            super().__init__()
            self.hidden_size, self.output_size = hidden_size, output_size
            self.embedding = nn.Embedding(self.output_size, self.hidden_size)
            self.attn = nn.Linear(self.hidden_size * 2, max_length)
            self.attn_combine = nn.Linear(self.hidden_size * 2, self.hidden_size)
            self.dropout = nn.Dropout(dropout_p)
            self.gru = nn.GRU(self.hidden_size, self.hidden_size)
            self.out = nn.Linear(self.hidden_size, self.output_size)

        def forward(self, input, hidden, encoder_outputs):
            embedded = self.embedding(input).view(1, 1, -1)
            embedded = self.dropout(embedded)
            attn_weights = F.softmax(self.attn(torch.cat((embedded[0], hidden[0]), 1)), dim=1)
            attn_applied = torch.bmm(attn_weights.unsqueeze(0), encoder_outputs.unsqueeze(0))
            output = torch.cat((embedded[0], attn_applied[0]), 1)
            output = self.attn_combine(output).unsqueeze(0)
            output = F.relu(output)
            output, hidden = self.gru(output, hidden)
            output = F.log_softmax(self.out(output[0]), dim=1)
            return output, hidden, attn_weights

    encoder = share("encoder", EncoderRNN(12, hidden_size))
    decoder = share("decoder", AttnDecoderRNN(hidden_size, 10, dropout_p=0.0))
    encoder_optimizer = optim.SGD(encoder.parameters(), lr=0.01)
    decoder_optimizer = optim.SGD(decoder.parameters(), lr=0.01)
    criterion = nn.NLLLoss()
    out = {}

    def train(input_tensor, target_tensor, use_teacher_forcing):
        encoder_hidden = encoder.initHidden()
        encoder_optimizer.zero_grad()
        decoder_optimizer.zero_grad()
        input_length, target_length = input_tensor.size(0), target_tensor.size(0)
        encoder_outputs = torch.zeros(max_length, encoder.hidden_size)
        loss = 0
        for ei in range(input_length):
            encoder_output, encoder_hidden = encoder(input_tensor[ei], encoder_hidden)
            encoder_outputs[ei] = encoder_output[0, 0]
        decoder_input = torch.tensor([[SOS]])
        decoder_hidden = encoder_hidden
        for di in range(target_length):
            decoder_output, decoder_hidden, decoder_attention = decoder(
                decoder_input, decoder_hidden, encoder_outputs
            )
            loss += criterion(decoder_output, target_tensor[di])
            if use_teacher_forcing:
                decoder_input = target_tensor[di]
            else:
                topv, topi = decoder_output.topk(1)
                decoder_input = topi.squeeze().detach()
                if decoder_input.item() == EOS:
                    break
        loss.backward()
        encoder_optimizer.step()
        decoder_optimizer.step()
        return loss.item() / target_length

    for step, (src, tgt) in enumerate(zip(SRC, TGT)):
        input_tensor = torch.tensor(src, dtype=torch.long).view(-1, 1)
        target_tensor = torch.tensor(np.append(tgt, EOS), dtype=torch.long).view(-1, 1)
        out[f"loss{step}"] = train(input_tensor, target_tensor, step % 2 == 0)
    out.update(grads("encoder", encoder))
    out.update(grads("decoder", decoder))
    return out


def test_seq2seq_classic_unbatched(torch):
    run_both(torch, seq2seq_classic)


# ---- 4b. word_language_model's TransformerModel (a subclass of nn.Transformer) and generate --
def word_lm_transformer(torch, share):
    nn, F = torch.nn, torch.nn.functional
    ntoken, ninp, nhead, nhid, nlayers = 13, 8, 2, 16, 2

    class PositionalEncoding(nn.Module):
        def __init__(self, d_model, dropout=0.1, max_len=50):
            super().__init__()
            self.dropout = nn.Dropout(p=dropout)
            pe = torch.zeros(max_len, d_model)
            position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
            div_term = torch.exp(
                torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model)
            )
            pe[:, 0::2] = torch.sin(position * div_term)
            pe[:, 1::2] = torch.cos(position * div_term)
            pe = pe.unsqueeze(0).transpose(0, 1)
            self.register_buffer("pe", pe)

        def forward(self, x):
            x = x + self.pe[: x.size(0), :]
            return self.dropout(x)

    class TransformerModel(nn.Transformer):
        def __init__(self, ntoken, ninp, nhead, nhid, nlayers, dropout=0.5):
            super().__init__(
                d_model=ninp, nhead=nhead, dim_feedforward=nhid, num_encoder_layers=nlayers
            )
            self.model_type = "Transformer"
            self.src_mask = None
            self.pos_encoder = PositionalEncoding(ninp, dropout)
            self.input_emb = nn.Embedding(ntoken, ninp)
            self.ninp = ninp
            self.decoder = nn.Linear(ninp, ntoken)
            self.init_weights()

        def _generate_square_subsequent_mask(self, sz):
            return torch.log(torch.tril(torch.ones(sz, sz)))

        def init_weights(self):
            initrange = 0.1
            nn.init.uniform_(self.input_emb.weight, -initrange, initrange)
            nn.init.zeros_(self.decoder.bias)
            nn.init.uniform_(self.decoder.weight, -initrange, initrange)

        def forward(self, src, has_mask=True):
            if has_mask:
                device = src.device
                if self.src_mask is None or self.src_mask.size(0) != len(src):
                    self.src_mask = self._generate_square_subsequent_mask(len(src)).to(device)
            else:
                self.src_mask = None
            src = self.input_emb(src) * math.sqrt(self.ninp)
            src = self.pos_encoder(src)
            output = self.encoder(src, mask=self.src_mask)
            output = self.decoder(output)
            return F.log_softmax(output, dim=-1)

    model = share("model", TransformerModel(ntoken, ninp, nhead, nhid, nlayers, dropout=0.0))
    out = {"n_params": len(list(model.parameters())), "keys": len(model.state_dict())}
    for m in model.modules():  # nn.Transformer's own dropout=0.1 in its layers
        if isinstance(m, nn.Dropout):
            m.p = 0.0
        if isinstance(m, nn.MultiheadAttention):
            m.dropout = 0.0
    data = torch.tensor(TOKENS[:24]).view(6, 4)
    output = model(data[:-1])
    loss = F.nll_loss(output.view(-1, ntoken), data[1:].reshape(-1))
    loss.backward()
    out.update({"loss": loss, "output": output})
    out.update({k: v for k, v in grads("model", model).items() if ".decoder.layers" not in k})
    model.eval()
    input = torch.randint(ntoken, (1, 1), dtype=torch.long)
    input.fill_(3)
    words = []
    with torch.no_grad():
        for _ in range(6):
            output = model(input, False)
            word_weights = output[-1].squeeze().div(0.5).exp().cpu()
            word_idx = word_weights.argmax()
            word_input = torch.ones_like(input).fill_(word_idx)
            input = torch.cat([input, word_input], 0)
            words.append(word_idx.item())
    out["words"] = words
    out["multinomial_shape"] = tuple(torch.multinomial(word_weights, 1).shape)
    return out


def test_word_language_model_transformer_subclass(torch):
    run_both(torch, word_lm_transformer, rtol=2e-4, atol=2e-5)


# ---- regression tests for differences the programs above ran into ---------------------------
@pytest.mark.parametrize("label, dtype", [(1, None), (True, None), (1.0, "float64")])
def test_bce_loss_rejects_labels_of_another_dtype(torch, label, dtype):
    """The DCGAN slip torch.full((b,), real_label) with real_label = 1: an int64 target (or
    bool, or float64) makes PyTorch's BCELoss raise; minitorch converted it silently."""
    for lib in (torch, minitorch):
        target = lib.full((2,), label, dtype=dtype and getattr(lib, dtype))
        with pytest.raises(RuntimeError, match=r"Found dtype .* but expected (Float|.*float32)"):
            lib.nn.BCELoss()(lib.tensor([0.3, 0.6]), target)
    with pytest.raises(RuntimeError, match=r"convert it with target.to\(input.dtype\)"):
        minitorch.nn.BCELoss()(minitorch.tensor([0.3, 0.6]), target)


@pytest.mark.parametrize(
    "label, message",
    [
        (1, r"result type Float can't be cast to the desired output type Long"),
        (True, r"^Subtraction, the `-` operator, with two bool tensors is not supported"),
    ],
)
def test_bce_with_logits_rejects_integer_labels(torch, label, message):
    """PyTorch raises for integer or bool targets (its messages differ between the two)."""
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError, match=message):
            lib.nn.BCEWithLogitsLoss()(lib.tensor([0.3, 0.6]), lib.full((2,), label))


@pytest.mark.parametrize("shapes", [((1, 2, 3), (4, 3, 5)), ((4, 2, 3), (1, 3, 5))])
def test_bmm_does_not_broadcast_batches(torch, shapes):
    """bmm is matmul without broadcasting: a batch of 1 against a batch of 4 raises (it
    broadcast silently), as in PyTorch."""
    a, b = shapes
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError, match=r"Expected size for first two dimensions of batch2"):
            lib.bmm(lib.ones(a), lib.ones(b))


@pytest.mark.parametrize("k, largest", [(1, True), (1, False), (0, True)])
def test_topk_of_a_scalar(torch, k, largest):
    """topk of a 0-d tensor (e.g. an output squeezed too far) is the tensor and index 0;
    it raised IndexError. Like PyTorch, k=0 gives the scalar too."""

    def program(lib, share):
        x = lib.tensor(3.0, requires_grad=True)
        values, indices = x.topk(k, largest=largest)
        values.backward()
        return {"values": values.detach(), "indices": indices, "grad": x.grad}

    run_both(torch, program)


@pytest.mark.parametrize(
    "parts",
    [
        [([], "float32"), ([1, 2], "int64")],
        [([], "int64"), ([[1.0], [2.0]], "float64")],
        [([], "float32"), ([], "float32")],
        [([], "float32"), ([3.0], "float32")],
    ],
)
def test_cat_promotes_with_skipped_empty_tensors(torch, parts):
    """torch.cat: a legacy empty 1-D tensor (torch.tensor([]), the start of many collate
    loops) is skipped for shapes but its dtype takes part in the promotion (the result was
    int64 for float32 [] + int64); next to other 1-D tensors it gets its (empty) gradient."""

    def program(lib, share):
        xs = [lib.tensor(v, dtype=getattr(lib, d)) for v, d in parts]
        for x in xs:
            x.requires_grad_(x.dtype.is_floating_point)
        out = lib.cat(xs)
        if out.requires_grad:
            out.sum().backward()
        return {"out": out.detach(), "grads": [x.grad is not None for x in xs]}

    run_both(torch, program)


@pytest.mark.parametrize("which", ["attn_mask", "key_padding_mask"])
def test_multihead_attention_rejects_integer_masks(torch, which):
    """An int64 mask (torch.zeros(L, S, dtype=torch.long), or tril(ones) left as integers)
    was added as a float bias, so 1 = 'masked' was silently ignored; PyTorch asserts."""
    x = np.random.RandomState(9).randn(5, 3, 8).astype(np.float32)
    for lib in (torch, minitorch):
        mha = lib.nn.MultiheadAttention(8, 2)
        mask = {"attn_mask": lib.ones(5, 5, dtype=lib.long).triu(1)}
        if which == "key_padding_mask":
            mask = {"key_padding_mask": lib.zeros(3, 5, dtype=lib.long)}
        xt = lib.tensor(x)
        with pytest.raises(AssertionError, match=f"only bool and floating types of {which}"):
            mha(xt, xt, xt, **mask)


def test_multihead_attention_warns_on_mismatched_mask_types(torch):
    """A float attn_mask with a bool key_padding_mask works but PyTorch warns (deprecated)."""
    x = np.random.RandomState(9).randn(5, 3, 8).astype(np.float32)
    for lib in (torch, minitorch):
        mha = lib.nn.MultiheadAttention(8, 2)
        xt = lib.tensor(x)
        pad = lib.zeros(3, 5, dtype=lib.bool)
        with pytest.warns(UserWarning, match="mismatched key_padding_mask and attn_mask"):
            mha(xt, xt, xt, attn_mask=lib.zeros(5, 5), key_padding_mask=pad)
