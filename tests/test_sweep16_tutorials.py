"""Session 9 compatibility sweep of PyTorch's official tutorials and recipes run whole: "What is
torch.nn really?", Learn the Basics, the torch.func tutorials (Jacobians/Hessians, per-sample
gradients, ensembling, NTK), forward-mode AD, double backward and conv-bn fusion with custom
functions, parametrizations, pruning, the profiler and checkpoint recipes and knowledge
distillation, with small synthetic data, run with real PyTorch (the oracle) and with minitorch
(tests/sweep_harness.py)."""

from __future__ import annotations

import importlib
import io
import math

from sweep_harness import Sweep

SWEEP = Sweep(float64={"rtol": 1e-9, "atol": 1e-11})
program = SWEEP.program
error = SWEEP.error
LOOSE = {"rtol": 1e-4, "atol": 1e-5}


test_program_matches_pytorch = SWEEP.test()


def _mnist(torch, n=64):
    torch.manual_seed(0)
    x = torch.rand(n, 784)
    y = torch.randint(0, 10, (n,))
    return x, y


# ---- "What is torch.nn really?" ------------------------------------------------------------------
@program(tol=LOOSE)
def nn_really_from_scratch(torch):
    x_train, y_train = _mnist(torch)
    weights = torch.randn(784, 10) / math.sqrt(784)
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

    bs, lr = 16, 0.5
    preds = model(x_train[0:bs])
    first = (preds[0], preds.shape, nll(preds, y_train[0:bs]), accuracy(preds, y_train[0:bs]))
    for _epoch in range(2):
        for i in range((64 - 1) // bs + 1):
            xb = x_train[i * bs : i * bs + bs]
            yb = y_train[i * bs : i * bs + bs]
            loss = nll(model(xb), yb)
            loss.backward()
            with torch.no_grad():
                weights -= weights.grad * lr
                bias -= bias.grad * lr
                weights.grad.zero_()
                bias.grad.zero_()
    return first, loss, accuracy(model(x_train), y_train), bias


@program(tol=LOOSE)
def nn_really_refactor_module_optim_dataloader(torch):
    F = torch.nn.functional
    nn, optim = torch.nn, torch.optim
    DataLoader, TensorDataset = torch.utils.data.DataLoader, torch.utils.data.TensorDataset

    x_train, y_train = _mnist(torch)
    x_valid, y_valid = _mnist(torch, 32)

    class Mnist_Logistic(nn.Module):
        def __init__(self):
            super().__init__()
            self.weights = nn.Parameter(torch.randn(784, 10) / math.sqrt(784))
            self.bias = nn.Parameter(torch.zeros(10))

        def forward(self, xb):
            return xb @ self.weights + self.bias

    loss_func = F.cross_entropy
    train_ds = TensorDataset(x_train, y_train)
    valid_ds = TensorDataset(x_valid, y_valid)

    def get_data(train_ds, valid_ds, bs):
        return (
            DataLoader(train_ds, batch_size=bs, shuffle=True),
            DataLoader(valid_ds, batch_size=bs * 2),
        )

    def loss_batch(model, loss_func, xb, yb, opt=None):
        loss = loss_func(model(xb), yb)
        if opt is not None:
            loss.backward()
            opt.step()
            opt.zero_grad()
        return loss.item(), len(xb)

    losses = []

    def fit(epochs, model, loss_func, opt, train_dl, valid_dl):
        for _epoch in range(epochs):
            model.train()
            for xb, yb in train_dl:
                loss_batch(model, loss_func, xb, yb, opt)
            model.eval()
            with torch.no_grad():
                ls, nums = zip(*[loss_batch(model, loss_func, xb, yb) for xb, yb in valid_dl])
            import numpy as np

            losses.append(np.sum(np.multiply(ls, nums)) / np.sum(nums))

    train_dl, valid_dl = get_data(train_ds, valid_ds, 16)
    model = Mnist_Logistic()
    opt = optim.SGD(model.parameters(), lr=0.5)
    fit(2, model, loss_func, opt, train_dl, valid_dl)
    m2 = nn.Linear(784, 10)
    return losses, model.bias, m2.weight[0, :5], len(train_dl), len(valid_dl)


@program(tol=LOOSE)
def nn_really_cnn_lambda_wrapped_loader(torch):
    F = torch.nn.functional
    nn, optim = torch.nn, torch.optim
    DataLoader, TensorDataset = torch.utils.data.DataLoader, torch.utils.data.TensorDataset

    x_train, y_train = _mnist(torch, 32)

    class Lambda(nn.Module):
        def __init__(self, func):
            super().__init__()
            self.func = func

        def forward(self, x):
            return self.func(x)

    def preprocess(x, y):
        return x.view(-1, 1, 28, 28), y

    class WrappedDataLoader:
        def __init__(self, dl, func):
            self.dl = dl
            self.func = func

        def __len__(self):
            return len(self.dl)

        def __iter__(self):
            for b in self.dl:
                yield (self.func(*b))

    train_dl = WrappedDataLoader(
        DataLoader(TensorDataset(x_train, y_train), batch_size=8, shuffle=True), preprocess
    )
    model = nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        Lambda(lambda x: x.view(x.size(0), -1)),
    )
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    out = []
    for xb, yb in train_dl:
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        opt.zero_grad()
        out.append(loss.item())
    return out, model[0].bias, str(model), len(train_dl)


@program(tol=LOOSE)
def nn_really_cnn_avg_pool_lambda(torch):
    F = torch.nn.functional
    nn = torch.nn

    x_train, y_train = _mnist(torch, 8)

    class Mnist_CNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1)
            self.conv2 = nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1)
            self.conv3 = nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1)

        def forward(self, xb):
            xb = xb.view(-1, 1, 28, 28)
            xb = F.relu(self.conv1(xb))
            xb = F.relu(self.conv2(xb))
            xb = F.relu(self.conv3(xb))
            xb = F.avg_pool2d(xb, 4)
            return xb.view(-1, xb.size(1))

    model = Mnist_CNN()
    loss = F.cross_entropy(model(x_train), y_train)
    loss.backward()
    return loss, model.conv1.weight.grad.sum(), model.conv3.bias.grad


# ---- Learn the Basics ----------------------------------------------------------------------------
@program
def basics_tensors(torch):
    import numpy as np

    data = [[1, 2], [3, 4]]
    x_data = torch.tensor(data)
    np_array = np.array(data)
    x_np = torch.from_numpy(np_array)
    torch.manual_seed(0)
    x_ones = torch.ones_like(x_data)
    x_rand = torch.rand_like(x_data, dtype=torch.float)
    shape = (2, 3)
    rand_tensor = torch.rand(shape)
    tensor = torch.ones(4, 4)
    tensor[:, 1] = 0
    t1 = torch.cat([tensor, tensor, tensor], dim=1)
    y1 = tensor @ tensor.T
    y2 = tensor.matmul(tensor.T)
    y3 = torch.rand_like(y1)
    torch.matmul(tensor, tensor.T, out=y3)
    z1 = tensor * tensor
    z3 = torch.rand_like(tensor)
    torch.mul(tensor, tensor, out=z3)
    agg = tensor.sum()
    agg_item = agg.item()
    tensor.add_(5)
    t = torch.ones(5)
    n = t.numpy()
    t.add_(1)
    n2 = np.ones(5)
    t2 = torch.from_numpy(n2)
    np.add(n2, 1, out=n2)
    return (x_data, x_np, x_ones, x_rand, rand_tensor, tensor.shape, tensor.dtype, str(tensor.device),
            t1, y1, y2, y3, z1, z3, agg_item, type(agg_item).__name__, tensor, n.copy(), t2,
            str(x_ones), str(x_rand), str(tensor[..., -1]), f"{tensor[0]}")  # fmt: skip


class _CustomData:
    pass


@program
def basics_custom_dataset_dataloader(torch):
    DataLoader, Dataset = torch.utils.data.DataLoader, torch.utils.data.Dataset

    torch.manual_seed(0)
    images = torch.rand(10, 1, 4, 4)
    labels = torch.randint(0, 10, (10,))

    class CustomImageDataset(Dataset):
        def __init__(self, transform=None, target_transform=None):
            self.transform = transform
            self.target_transform = target_transform

        def __len__(self):
            return len(labels)

        def __getitem__(self, idx):
            image = images[idx]
            label = int(labels[idx])
            if self.transform:
                image = self.transform(image)
            if self.target_transform:
                label = self.target_transform(label)
            return image, label

    def target_transform(y):
        return torch.zeros(10, dtype=torch.float).scatter_(0, torch.tensor(y), value=1)

    ds = CustomImageDataset(target_transform=target_transform)
    dl = DataLoader(ds, batch_size=4, shuffle=True)
    train_features, train_labels = next(iter(dl))
    img = train_features[0].squeeze()
    return train_features.size(), train_labels.size(), train_labels, img, ds[3][1], len(dl)


@program(tol=LOOSE)
def basics_build_model(torch):
    nn = torch.nn

    torch.manual_seed(0)

    class NeuralNetwork(nn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = nn.Flatten()
            self.linear_relu_stack = nn.Sequential(
                nn.Linear(28 * 28, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 10)
            )

        def forward(self, x):
            x = self.flatten(x)
            return self.linear_relu_stack(x)

    model = NeuralNetwork()
    X = torch.rand(1, 28, 28)
    logits = model(X)
    pred_probab = nn.Softmax(dim=1)(logits)
    y_pred = pred_probab.argmax(1)
    input_image = torch.rand(3, 28, 28)
    flat_image = nn.Flatten()(input_image)
    layer1 = nn.Linear(in_features=28 * 28, out_features=20)
    hidden1 = layer1(flat_image)
    relu = nn.ReLU()(hidden1)
    seq_modules = nn.Sequential(nn.Flatten(), layer1, nn.ReLU(), nn.Linear(20, 10))
    logits2 = seq_modules(input_image)
    names = [(name, tuple(param.size()), param[:2]) for name, param in model.named_parameters()]
    return str(model), logits, y_pred, flat_image.size(), hidden1.size(), relu, logits2, names


@program
def basics_autograd(torch):
    x = torch.ones(5)
    y = torch.zeros(3)
    torch.manual_seed(0)
    w = torch.randn(5, 3, requires_grad=True)
    b = torch.randn(3, requires_grad=True)
    z = torch.matmul(x, w) + b
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
    gz, gl = str(z.grad_fn).split(" object")[0], str(loss.grad_fn).split(" object")[0]
    loss.backward()
    z = torch.matmul(x, w) + b
    r1 = z.requires_grad
    with torch.no_grad():
        z = torch.matmul(x, w) + b
    r2 = z.requires_grad
    z = torch.matmul(x, w) + b
    z_det = z.detach()
    inp = torch.eye(4, 5, requires_grad=True)
    out = (inp + 1).pow(2).t()
    out.backward(torch.ones_like(out), retain_graph=True)
    g1 = inp.grad.clone()
    out.backward(torch.ones_like(out), retain_graph=True)
    g2 = inp.grad.clone()
    inp.grad.zero_()
    out.backward(torch.ones_like(out), retain_graph=True)
    return gz, gl, w.grad, b.grad, r1, r2, z_det.requires_grad, g1, g2, inp.grad


@program(tol=LOOSE)
def basics_optimization_loop(torch):
    nn = torch.nn
    DataLoader, TensorDataset = torch.utils.data.DataLoader, torch.utils.data.TensorDataset

    torch.manual_seed(0)
    X = torch.rand(40, 28, 28)
    Y = torch.randint(0, 10, (40,))
    train_dataloader = DataLoader(TensorDataset(X, Y), batch_size=8, shuffle=True)
    test_dataloader = DataLoader(TensorDataset(X[:16], Y[:16]), batch_size=8)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 16), nn.ReLU(), nn.Linear(16, 10))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    printed = []

    def train_loop(dataloader, model, loss_fn, optimizer):
        size = len(dataloader.dataset)
        model.train()
        for batch, (X, y) in enumerate(dataloader):
            pred = model(X)
            loss = loss_fn(pred, y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            if batch % 2 == 0:
                loss, current = loss.item(), batch * 8 + len(X)
                printed.append((loss, current, size))

    def test_loop(dataloader, model, loss_fn):
        model.eval()
        size = len(dataloader.dataset)
        num_batches = len(dataloader)
        test_loss, correct = 0, 0
        with torch.no_grad():
            for X, y in dataloader:
                pred = model(X)
                test_loss += loss_fn(pred, y).item()
                correct += (pred.argmax(1) == y).type(torch.float).sum().item()
        test_loss /= num_batches
        correct /= size
        printed.append((f"Accuracy: {(100 * correct):>0.1f}%", test_loss))

    for _t in range(2):
        train_loop(train_dataloader, model, loss_fn, optimizer)
        test_loop(test_dataloader, model, loss_fn)
    return printed


@program
def basics_save_load(torch):
    nn = torch.nn

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    buf.seek(0)
    model2 = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    res = model2.load_state_dict(torch.load(buf, weights_only=True))
    model2.eval()
    buf2 = io.BytesIO()
    torch.save(model, buf2)
    buf2.seek(0)
    model3 = torch.load(buf2, weights_only=False)
    x = torch.ones(2, 4)
    return str(res), model2(x), model3(x), list(model3.state_dict().keys()), type(model3).__name__


# ---- torch.func: Jacobians, Hessians, hvp --------------------------------------------------------
def _predict(torch):
    F = torch.nn.functional

    def predict(weight, bias, x):
        return F.linear(x, weight, bias).tanh()

    return predict


@program
def func_jacobians_vjp_jacrev_jacfwd(torch):
    jacfwd, jacrev, vjp = torch.func.jacfwd, torch.func.jacrev, torch.func.vjp

    torch.manual_seed(0)
    D = 4
    weight = torch.randn(D, D, dtype=torch.float64)
    bias = torch.randn(D, dtype=torch.float64)
    x = torch.randn(D, dtype=torch.float64)
    predict = _predict(torch)
    xp = x.clone().requires_grad_()
    unit_vectors = torch.eye(D, dtype=torch.float64)

    def compute_jac(xp):
        jacobian_rows = [
            torch.autograd.grad(predict(weight, bias, xp), xp, vec)[0] for vec in unit_vectors
        ]
        return torch.stack(jacobian_rows)

    jacobian = compute_jac(xp)
    _, vjp_fn = vjp(partial_predict := (lambda x: predict(weight, bias, x)), x)
    (ft_jacobian,) = torch.vmap(vjp_fn)(unit_vectors)
    ft_jac = jacrev(predict, argnums=2)(weight, bias, x)
    ft_jac_weight, ft_jac_bias = jacrev(predict, argnums=(0, 1))(weight, bias, x)
    fwd = jacfwd(predict, argnums=2)(weight, bias, x)
    del partial_predict
    return jacobian, ft_jacobian, ft_jac, ft_jac_weight, ft_jac_bias, fwd


@program
def func_hessian_and_batch_jacobian(torch):
    hessian, jacfwd, jacrev, vmap = (
        torch.func.hessian,
        torch.func.jacfwd,
        torch.func.jacrev,
        torch.func.vmap,
    )

    torch.manual_seed(0)
    batch_size, Din, Dout = 3, 4, 2
    weight = torch.randn(Dout, Din, dtype=torch.float64)
    bias = torch.randn(Dout, dtype=torch.float64)
    x = torch.randn(batch_size, Din, dtype=torch.float64)
    predict = _predict(torch)
    compute_batch_jacobian = vmap(jacrev(predict, argnums=2), in_dims=(None, None, 0))
    batch_jacobian0 = compute_batch_jacobian(weight, bias, x)

    def predict_with_output_summed(weight, bias, x):
        return predict(weight, bias, x).sum(0)

    batch_jacobian1 = jacrev(predict_with_output_summed, argnums=2)(weight, bias, x).movedim(1, 0)
    hess_api = hessian(predict, argnums=2)(weight, bias, x[0])
    hess_fwdfwd = jacfwd(jacfwd(predict, argnums=2), argnums=2)(weight, bias, x[0])
    hess_revrev = jacrev(jacrev(predict, argnums=2), argnums=2)(weight, bias, x[0])
    compute_batch_hessian = vmap(hessian(predict, argnums=2), in_dims=(None, None, 0))
    batch_hess = compute_batch_hessian(weight, bias, x)
    return (
        batch_jacobian0,
        batch_jacobian1,
        hess_api,
        hess_fwdfwd,
        hess_revrev,
        batch_hess.shape,
        batch_hess,
    )


@program
def func_hvp_rev_fwd(torch):
    grad, jvp, vjp = torch.func.grad, torch.func.jvp, torch.func.vjp

    def hvp(f, primals, tangents):
        return jvp(grad(f), primals, tangents)[1]

    def hvp_revrev(f, primals, tangents):
        _, vjp_fn = vjp(grad(f), *primals)
        return vjp_fn(*tangents)

    def f(x):
        return x.sin().sum()

    torch.manual_seed(0)
    x = torch.randn(2048 // 256, dtype=torch.float64)
    tangent = torch.randn(8, dtype=torch.float64)
    return hvp(f, (x,), (tangent,)), hvp_revrev(f, (x,), (tangent,)), -x.sin() * tangent


# ---- torch.func: per-sample gradients -------------------------------------------------------------
@program(tol=LOOSE)
def func_per_sample_grads(torch):
    F = torch.nn.functional
    nn = torch.nn
    functional_call, grad, vmap = torch.func.functional_call, torch.func.grad, torch.func.vmap

    torch.manual_seed(0)

    class SimpleCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 4, 3, 1)
            self.conv2 = nn.Conv2d(4, 8, 3, 1)
            self.fc1 = nn.Linear(8 * 2 * 2, 16)
            self.fc2 = nn.Linear(16, 10)

        def forward(self, x):
            x = F.relu(self.conv1(x))
            x = F.relu(self.conv2(x))
            x = F.max_pool2d(x, 2)
            x = torch.flatten(x, 1)
            x = F.relu(self.fc1(x))
            x = self.fc2(x)
            return F.log_softmax(x, dim=1)

    def loss_fn(predictions, targets):
        return F.nll_loss(predictions, targets)

    batch_size = 4
    data = torch.randn(batch_size, 1, 8, 8)
    targets = torch.randint(10, (batch_size,))
    model = SimpleCNN()

    def compute_grad(sample, target):
        sample = sample.unsqueeze(0)
        target = target.unsqueeze(0)
        prediction = model(sample)
        loss = loss_fn(prediction, target)
        return torch.autograd.grad(loss, list(model.parameters()))

    def compute_sample_grads(data, targets):
        sample_grads = [compute_grad(data[i], targets[i]) for i in range(batch_size)]
        sample_grads = zip(*sample_grads)
        return [torch.stack(shards) for shards in sample_grads]

    per_sample_grads = compute_sample_grads(data, targets)
    params = {k: v.detach() for k, v in model.named_parameters()}
    buffers = {k: v.detach() for k, v in model.named_buffers()}

    def compute_loss(params, buffers, sample, target):
        batch = sample.unsqueeze(0)
        targets = target.unsqueeze(0)
        predictions = functional_call(model, (params, buffers), (batch,))
        return loss_fn(predictions, targets)

    ft_compute_grad = grad(compute_loss)
    ft_compute_sample_grad = vmap(ft_compute_grad, in_dims=(None, None, 0, 0))
    ft_per_sample_grads = ft_compute_sample_grad(params, buffers, data, targets)
    return per_sample_grads, ft_per_sample_grads, list(ft_per_sample_grads.keys())


# ---- torch.func: model ensembling ----------------------------------------------------------------
@program(tol=LOOSE)
def func_model_ensembling(torch):
    import copy

    F = torch.nn.functional
    nn = torch.nn
    functional_call, stack_module_state = torch.func.functional_call, torch.func.stack_module_state

    torch.manual_seed(0)

    class SimpleMLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(784, 16)
            self.fc2 = nn.Linear(16, 8)
            self.fc3 = nn.Linear(8, 10)

        def forward(self, x):
            x = x.flatten(1)
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            return self.fc3(x)

    num_models = 3
    data = torch.randn(6, 1, 28, 28)
    minibatches = data[:num_models]
    models = [SimpleMLP() for _ in range(num_models)]
    minibatch = minibatches[0]
    predictions1 = [model(minibatch) for model in models]
    predictions2 = [model(minibatch) for model in models]
    params, buffers = stack_module_state(models)
    base_model = copy.deepcopy(models[0])
    # the tutorial moves base_model to 'meta' (out of minitorch's scope); functional_call replaces
    # every parameter and buffer, so the numbers are the same

    def fmodel(params, buffers, x):
        return functional_call(base_model, (params, buffers), (x,))

    predictions1_vmap = torch.vmap(fmodel, in_dims=(0, 0, None))(params, buffers, minibatch)
    predictions2_vmap = torch.vmap(fmodel)(
        params, buffers, minibatches.unsqueeze(1).expand(3, 1, 1, 28, 28).reshape(3, 1, 1, 28, 28)
    )
    return (torch.stack(predictions1), predictions1_vmap, torch.stack([p[:1] for p in predictions2]),
            predictions2_vmap, sorted(params.keys()), params["fc1.weight"].shape,
            params["fc1.weight"].requires_grad)  # fmt: skip


# ---- torch.func: neural tangent kernels -----------------------------------------------------------
@program(tol=LOOSE)
def func_ntk(torch):
    nn = torch.nn
    functional_call, jacrev, jvp, vjp, vmap = (
        torch.func.functional_call,
        torch.func.jacrev,
        torch.func.jvp,
        torch.func.vjp,
        torch.func.vmap,
    )

    torch.manual_seed(0)

    class CNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 4, (3, 3))
            self.conv2 = nn.Conv2d(4, 4, (3, 3))
            self.fc = nn.Linear(4, 3)

        def forward(self, x):
            x = self.conv1(x).relu()
            x = self.conv2(x).relu()
            x = x.mean(dim=(-2, -1))
            return self.fc(x)

    x_train = torch.randn(3, 3, 6, 6)
    x_test = torch.randn(2, 3, 6, 6)
    net = CNN()
    params = {k: v.detach() for k, v in net.named_parameters()}

    def fnet_single(params, x):
        return functional_call(net, params, (x.unsqueeze(0),)).squeeze(0)

    def empirical_ntk_jacobian_contraction(fnet_single, params, x1, x2, compute="full"):
        jac1 = vmap(jacrev(fnet_single), (None, 0))(params, x1)
        jac1 = jac1.values()
        jac1 = [j.flatten(2) for j in jac1]
        jac2 = vmap(jacrev(fnet_single), (None, 0))(params, x2)
        jac2 = jac2.values()
        jac2 = [j.flatten(2) for j in jac2]
        einsum_expr = {"full": "Naf,Mbf->NMab", "trace": "Naf,Maf->NM", "diagonal": "Naf,Maf->NMa"}[
            compute
        ]
        result = torch.stack([torch.einsum(einsum_expr, j1, j2) for j1, j2 in zip(jac1, jac2)])
        return result.sum(0)

    def empirical_ntk_ntk_vps(func, params, x1, x2, compute="full"):
        def get_ntk(x1, x2):
            def func_x1(params):
                return func(params, x1)

            def func_x2(params):
                return func(params, x2)

            output, vjp_fn = vjp(func_x1, params)

            def get_ntk_slice(vec):
                vjps = vjp_fn(vec)
                _, jvps = jvp(func_x2, (params,), vjps)
                return jvps

            basis = torch.eye(output.numel(), dtype=output.dtype, device=output.device).view(
                output.numel(), -1
            )
            return vmap(get_ntk_slice)(basis)

        result = vmap(vmap(get_ntk, (None, 0)), (0, None))(x1, x2)
        if compute == "trace":
            return torch.einsum("NMKK->NM", result)
        return result

    r1 = empirical_ntk_jacobian_contraction(fnet_single, params, x_train, x_test)
    r2 = empirical_ntk_jacobian_contraction(fnet_single, params, x_train, x_test, "trace")
    r3 = empirical_ntk_jacobian_contraction(fnet_single, params, x_train, x_test, "diagonal")
    r4 = empirical_ntk_ntk_vps(fnet_single, params, x_train, x_test)
    r5 = empirical_ntk_ntk_vps(fnet_single, params, x_train, x_test, "trace")
    return r1, r2, r3, r4, r5


# ---- forward-mode AD -----------------------------------------------------------------------------
@program
def fwad_basics(torch):
    fwAD = torch.autograd.forward_ad

    torch.manual_seed(0)
    primal = torch.randn(10, 10, dtype=torch.float64)
    tangent = torch.randn(10, 10, dtype=torch.float64)

    def fn(x, y):
        return x**2 + y**2

    with fwAD.dual_level():
        dual_input = fwAD.make_dual(primal, tangent)
        plain_tensor = torch.randn(10, 10, dtype=torch.float64)
        dual_output = fn(dual_input, plain_tensor)
        jvp = fwAD.unpack_dual(dual_output).tangent
        unpacked = fwAD.unpack_dual(dual_output)
        is_ut = type(unpacked).__name__
        tan_none = fwAD.unpack_dual(plain_tensor).tangent is None
    after = fwAD.unpack_dual(dual_output).tangent is None
    return jvp, unpacked.primal, is_ut, tan_none, after, unpacked._fields


@program(tol=LOOSE)
def fwad_modules_functional_call(torch):
    fwAD = torch.autograd.forward_ad
    functional_call = torch.func.functional_call
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Linear(5, 5)
    input = torch.randn(16, 5)
    params = {name: p for name, p in model.named_parameters()}
    tangents = {name: torch.rand_like(p) for name, p in params.items()}
    with fwAD.dual_level():
        for name, p in params.items():
            delattr(model, name)
            setattr(model, name, fwAD.make_dual(p, tangents[name]))
        out = model(input)
        jvp = fwAD.unpack_dual(out).tangent
    model2 = nn.Linear(5, 5)
    params2 = {name: p for name, p in model2.named_parameters()}
    with fwAD.dual_level():
        dual_params = {name: fwAD.make_dual(p, tangents[name]) for name, p in params2.items()}
        out2 = functional_call(model2, dual_params, input)
        jvp2 = fwAD.unpack_dual(out2).tangent
    return jvp, jvp2, out


@program
def fwad_custom_function_jvp(torch):
    fwAD = torch.autograd.forward_ad

    class Fn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, foo):
            result = torch.exp(foo)
            ctx.result = result
            return result

        @staticmethod
        def jvp(ctx, gI):
            gO = gI * ctx.result
            del ctx.result
            return gO

    fn = Fn.apply
    torch.manual_seed(0)
    primal = torch.randn(10, 10, dtype=torch.double, requires_grad=True)
    tangent = torch.randn(10, 10, dtype=torch.double)
    with fwAD.dual_level():
        dual_input = fwAD.make_dual(primal, tangent)
        dual_output = fn(dual_input)
        jvp = fwAD.unpack_dual(dual_output).tangent
    ok = torch.autograd.gradcheck(Fn.apply, (primal,), check_forward_ad=True, check_backward_ad=False,
                                  check_undefined_grad=False, check_batched_grad=False)  # fmt: skip
    return jvp, ok


@program
def fwad_functorch_jvp_api(torch):
    import functools

    functional_call, jvp = torch.func.functional_call, torch.func.jvp

    nn = torch.nn
    torch.manual_seed(0)
    x = torch.randn(10, dtype=torch.float64)
    t = torch.randn(10, dtype=torch.float64)
    y = torch.randn(10, dtype=torch.float64)

    def func(x, y):
        return x.sin() + y

    primal_out, tangent_out = jvp(functools.partial(func, y=y), (x,), (t,))
    model = nn.Linear(5, 5).double()
    input = torch.randn(16, 5, dtype=torch.float64)
    params = {k: v.detach() for k, v in model.named_parameters()}
    tangents = {k: torch.rand_like(v) for k, v in params.items()}

    def f(params):
        return functional_call(model, params, (input,))

    _, jvp_out = jvp(f, (params,), (tangents,))
    return primal_out, tangent_out, jvp_out


# ---- double backward with custom functions -------------------------------------------------------
@program
def double_backward_custom_square_and_sinh(torch):
    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**2

        @staticmethod
        def backward(ctx, grad_out):
            (x,) = ctx.saved_tensors
            return grad_out * 2 * x

    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            result = torch.exp(x)
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_out):
            (result,) = ctx.saved_tensors
            return result * grad_out

    class Sinh(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            expx = torch.exp(x)
            expnegx = torch.exp(-x)
            ctx.save_for_backward(expx, expnegx)
            return (expx - expnegx) / 2, expx, expnegx

        @staticmethod
        def backward(ctx, grad_out, _grad_out_exp, _grad_out_negexp):
            expx, expnegx = ctx.saved_tensors
            grad_input = grad_out * (expx + expnegx) / 2
            grad_input += _grad_out_exp * expx
            grad_input -= _grad_out_negexp * expnegx
            return grad_input

    def sinh(x):
        return Sinh.apply(x)[0]

    torch.manual_seed(0)
    x = torch.rand(3, 3, requires_grad=True, dtype=torch.double)
    g1 = torch.autograd.gradcheck(Square.apply, x)
    g2 = torch.autograd.gradgradcheck(Square.apply, x)
    g3 = torch.autograd.gradcheck(Exp.apply, x)
    g4 = torch.autograd.gradgradcheck(Exp.apply, x)
    g5 = torch.autograd.gradcheck(sinh, x)
    g6 = torch.autograd.gradgradcheck(sinh, x)
    y = Square.apply(x)
    (gx,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    (ggx,) = torch.autograd.grad(gx.sum(), x)
    return g1, g2, g3, g4, g5, g6, gx, ggx, type(gx.grad_fn).__name__


@error(RuntimeError, r"one of the variables needed for gradient computation has been modified")
def double_backward_wrong_exp_inplace(torch):
    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            result = torch.exp(x)
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_out):
            (result,) = ctx.saved_tensors
            return result * grad_out

    x = torch.rand(3, requires_grad=True, dtype=torch.double)
    y = Exp.apply(x)
    y.mul_(2)
    y.sum().backward()


@program
def double_backward_cube_once_differentiable(torch):
    def cube_forward(x):
        return x**3

    def cube_backward(grad_out, x):
        return grad_out * 3 * x**2

    def cube_backward_backward(grad_out, sav_grad_out, x):
        return grad_out * sav_grad_out * 6 * x

    def cube_backward_backward_grad_out(grad_out, x):
        return grad_out * 3 * x**2

    class Cube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return cube_forward(x)

        @staticmethod
        def backward(ctx, grad_out):
            (x,) = ctx.saved_tensors
            return CubeBackward.apply(grad_out, x)

    class CubeBackward(torch.autograd.Function):
        @staticmethod
        def forward(ctx, grad_out, x):
            ctx.save_for_backward(x, grad_out)
            return cube_backward(grad_out, x)

        @staticmethod
        def backward(ctx, grad_out):
            x, sav_grad_out = ctx.saved_tensors
            dx = cube_backward_backward(grad_out, sav_grad_out, x)
            dgrad_out = cube_backward_backward_grad_out(grad_out, x)
            return dgrad_out, dx

    torch.manual_seed(0)
    x = torch.tensor(2.0, requires_grad=True, dtype=torch.double)
    g1 = torch.autograd.gradcheck(Cube.apply, x)
    g2 = torch.autograd.gradgradcheck(Cube.apply, x)

    class Once(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 2

        @staticmethod
        @torch.autograd.function.once_differentiable
        def backward(ctx, g):
            return g * 2

    y = torch.rand(3, dtype=torch.double, requires_grad=True)
    (gy,) = torch.autograd.grad(Once.apply(y).sum(), y, create_graph=True)
    return g1, g2, gy, gy.requires_grad


@error(RuntimeError, r"does not require grad and does not have a grad_fn")
def double_backward_once_differentiable_raises(torch):
    class Once(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**2

        @staticmethod
        @torch.autograd.function.once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2 * x

    y = torch.rand(3, dtype=torch.double, requires_grad=True)
    (gy,) = torch.autograd.grad(Once.apply(y).sum(), y, create_graph=True)
    gy.sum().backward()


@program
def custom_function_output_is_the_forward_tensor(torch):
    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            result = x.exp()
            ctx.result = result
            return result

        @staticmethod
        def backward(ctx, g):
            return g * ctx.result

    x = torch.tensor([0.5, 1.0], dtype=torch.float64, requires_grad=True)
    y = Exp.apply(x)
    (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    (gg,) = torch.autograd.grad(g.sum(), x)
    return y is y.grad_fn.result, g, g.requires_grad, gg


# ---- fusing convolution and batch norm with custom functions -------------------------------------
@program(tol=LOOSE)
def fused_conv_bn(torch):
    F = torch.nn.functional
    nn = torch.nn

    def convolution_backward(grad_out, X, weight):
        grad_input = F.conv2d(X.transpose(0, 1), grad_out.transpose(0, 1)).transpose(0, 1)
        grad_X = torch.nn.grad.conv2d_input(X.shape, weight, grad_out)
        return grad_X, grad_input

    class Conv2D(torch.autograd.Function):
        @staticmethod
        def forward(ctx, X, weight):
            ctx.save_for_backward(X, weight)
            return F.conv2d(X, weight)

        @staticmethod
        def backward(ctx, grad_out):
            X, weight = ctx.saved_tensors
            return convolution_backward(grad_out, X, weight)

    def unsqueeze_all(t):
        return t[None, :, None, None]

    def batch_norm_backward(grad_out, X, sum, sqrt_var, N, eps):
        tmp = ((X - unsqueeze_all(sum) / N) * grad_out).sum(dim=(0, 2, 3))
        tmp *= -1
        d_denom = tmp / (sqrt_var + eps) ** 2
        d_var = d_denom / (2 * sqrt_var)
        d_mean_dx = grad_out / unsqueeze_all(sqrt_var + eps)
        d_mean_dx = unsqueeze_all(-d_mean_dx.sum(dim=(0, 2, 3)) / N)
        grad_input = X * unsqueeze_all(d_var * N)
        grad_input += unsqueeze_all(-d_var * sum)
        grad_input *= 2 / ((N - 1) * N)
        grad_input += d_mean_dx
        grad_input *= unsqueeze_all(sqrt_var + eps)
        grad_input += grad_out
        grad_input /= unsqueeze_all(sqrt_var + eps)
        return grad_input

    class BatchNorm(torch.autograd.Function):
        @staticmethod
        def forward(ctx, X, eps=1e-3):
            sum = X.sum(dim=(0, 2, 3))
            var = X.var(unbiased=True, dim=(0, 2, 3))
            N = X.numel() / X.size(1)
            sqrt_var = torch.sqrt(var)
            ctx.save_for_backward(X)
            ctx.eps = eps
            ctx.sum = sum
            ctx.N = N
            ctx.sqrt_var = sqrt_var
            mean = sum / N
            denom = sqrt_var + eps
            out = X - unsqueeze_all(mean)
            out /= unsqueeze_all(denom)
            return out

        @staticmethod
        def backward(ctx, grad_out):
            (X,) = ctx.saved_tensors
            return batch_norm_backward(grad_out, X, ctx.sum, ctx.sqrt_var, ctx.N, ctx.eps)

    class FusedConvBN2DFunction(torch.autograd.Function):
        @staticmethod
        def forward(ctx, X, conv_weight, eps=1e-3):
            assert X.ndim == 4
            ctx.save_for_backward(X, conv_weight)
            X = F.conv2d(X, conv_weight)
            sum = X.sum(dim=(0, 2, 3))
            var = X.var(unbiased=True, dim=(0, 2, 3))
            N = X.numel() / X.size(1)
            sqrt_var = torch.sqrt(var)
            ctx.eps = eps
            ctx.sum = sum
            ctx.N = N
            ctx.sqrt_var = sqrt_var
            mean = sum / N
            denom = sqrt_var + eps
            out = X - unsqueeze_all(mean)
            out /= unsqueeze_all(denom)
            return out

        @staticmethod
        def backward(ctx, grad_out):
            X, conv_weight = ctx.saved_tensors
            X_conv_out = F.conv2d(X, conv_weight)
            grad_out = batch_norm_backward(
                grad_out, X_conv_out, ctx.sum, ctx.sqrt_var, ctx.N, ctx.eps
            )
            grad_X, grad_input = convolution_backward(grad_out, X, conv_weight)
            return grad_X, grad_input, None, None, None, None, None

    class FusedConvBN(nn.Module):
        def __init__(self, in_channels, out_channels, kernel_size, exp_avg_factor=0.1, eps=1e-3):
            super().__init__()
            weight_shape = (out_channels, in_channels, kernel_size, kernel_size)
            self.conv_weight = nn.Parameter(torch.empty(*weight_shape))
            self.eps = eps
            self.reset_parameters()

        def forward(self, X):
            return FusedConvBN2DFunction.apply(X, self.conv_weight, self.eps)

        def reset_parameters(self):
            nn.init.kaiming_uniform_(self.conv_weight, a=math.sqrt(5))

    torch.manual_seed(0)
    weight = torch.rand(2, 3, 3, 3, requires_grad=True, dtype=torch.double)
    X = torch.rand(2, 3, 4, 4, requires_grad=True, dtype=torch.double)
    c1 = torch.autograd.gradcheck(Conv2D.apply, (X, weight))
    a = torch.rand(1, 2, 3, 4, requires_grad=True, dtype=torch.double)
    c2 = torch.autograd.gradcheck(BatchNorm.apply, (a,), fast_mode=False)
    weight = torch.rand(3, 2, 2, 2, requires_grad=True, dtype=torch.double)
    X = torch.rand(2, 2, 3, 3, requires_grad=True, dtype=torch.double)
    c3 = torch.autograd.gradcheck(FusedConvBN2DFunction.apply, (X, weight))
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3), FusedConvBN(4, 6, 3), nn.ReLU(), nn.Flatten(), nn.Linear(6 * 4 * 4, 3)
    )
    x = torch.rand(5, 1, 8, 8)
    target = torch.tensor([0, 1, 2, 1, 0])
    opt = torch.optim.Adadelta(model.parameters(), lr=1.0)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = F.nll_loss(F.log_softmax(model(x), dim=1), target)
        loss.backward()
        opt.step()
        losses.append(loss)
    return c1, c2, c3, losses, model[1].conv_weight.grad


# ---- extending torch.func with autograd.Function -------------------------------------------------
@program
def func_extending_setup_context(torch):
    import numpy as np

    def to_numpy(tensor):
        return tensor.cpu().numpy()

    class NumpySort(torch.autograd.Function):
        @staticmethod
        def forward(x, dim):
            device = x.device
            x = to_numpy(x)
            ind = np.argsort(x, axis=dim)
            ind_inv = np.argsort(ind, axis=dim)
            result = np.take_along_axis(x, ind, axis=dim)
            return (torch.tensor(result, device=device), torch.tensor(ind, device=device),
                    torch.tensor(ind_inv, device=device))  # fmt: skip

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, dim = inputs
            _, ind, ind_inv = output
            ctx.mark_non_differentiable(ind, ind_inv)
            ctx.save_for_backward(ind, ind_inv)
            ctx.dim = dim

        @staticmethod
        def backward(ctx, grad_output, _0, _1):
            ind, ind_inv = ctx.saved_tensors
            return NumpyTake.apply(grad_output, ind_inv, ind, ctx.dim), None

    class NumpyTake(torch.autograd.Function):
        @staticmethod
        def forward(x, ind, ind_inv, dim):
            device = x.device
            x = to_numpy(x)
            ind = to_numpy(ind)
            return torch.tensor(np.take_along_axis(x, ind, dim), device=device)

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, ind, ind_inv, dim = inputs
            ctx.save_for_backward(ind, ind_inv)
            ctx.dim = dim

        @staticmethod
        def backward(ctx, grad_output):
            ind, ind_inv = ctx.saved_tensors
            result = NumpyTake.apply(grad_output, ind_inv, ind, ctx.dim)
            return result, None, None, None

    def numpy_sort(x, dim=-1):
        result, _, _ = NumpySort.apply(x, dim)
        return result

    torch.manual_seed(0)
    x = torch.randn(2, 3)
    grad_x = torch.func.grad(lambda x: numpy_sort(x).sum())(x)
    y = torch.randn(2, 3, requires_grad=True)
    s, ind, inv = NumpySort.apply(y, 1)
    (s * torch.arange(3.0)).sum().backward()
    return grad_x, s, ind, inv, ind.requires_grad, y.grad


@program
def func_extending_vmap_staticmethod_and_generate_rule(torch):
    import numpy as np

    def to_numpy(tensor):
        return tensor.cpu().numpy()

    class NumpyExp_(torch.autograd.Function):
        @staticmethod
        def forward(x):
            x_np = to_numpy(x)
            np.exp(x_np, x_np)
            return x

        @staticmethod
        def setup_context(ctx, inputs, output):
            (x,) = inputs
            ctx.mark_dirty(x)

        @staticmethod
        def backward(ctx, grad_output):
            raise NotImplementedError

    class MyCube(torch.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(x):
            result = x**3
            dx = 3 * x**2
            return result, dx

        @staticmethod
        def setup_context(ctx, inputs, output):
            (x,) = inputs
            result, dx = output
            ctx.save_for_backward(x, dx)

        @staticmethod
        def backward(ctx, grad_output, grad_dx):
            x, dx = ctx.saved_tensors
            return grad_output * dx + grad_dx * 6 * x

    class NumpyMul(torch.autograd.Function):
        @staticmethod
        def forward(x, y):
            return torch.tensor(to_numpy(x) * to_numpy(y), device=x.device)

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(*inputs)

        @staticmethod
        def backward(ctx, grad_output):
            x, y = ctx.saved_tensors
            gx = None
            if ctx.needs_input_grad[0]:
                gx = NumpyMul.apply(grad_output, y)
            gy = None
            if ctx.needs_input_grad[1]:
                gy = NumpyMul.apply(grad_output, x)
            return gx, gy

        @staticmethod
        def vmap(info, in_dims, x, y):
            x_bdim, y_bdim = in_dims
            x = x.movedim(x_bdim, -1) if x_bdim is not None else x.unsqueeze(-1)
            y = y.movedim(y_bdim, -1) if y_bdim is not None else y.unsqueeze(-1)
            result = NumpyMul.apply(x, y)
            result = result.movedim(-1, 0)
            return result, 0

    def my_cube(x):
        result, _ = MyCube.apply(x)
        return result

    torch.manual_seed(0)
    x = torch.randn(3)
    y = torch.randn(3)
    e = x.clone()
    NumpyExp_.apply(e)
    cube_grad = torch.func.grad(my_cube)(torch.tensor(2.0))
    cube_ggrad = torch.func.grad(torch.func.grad(my_cube))(torch.tensor(2.0))
    xs = torch.randn(4, 3)
    vcube = torch.vmap(my_cube)(xs)
    vmul = torch.vmap(NumpyMul.apply, in_dims=(0, None))(xs, y)
    vmul2 = torch.vmap(NumpyMul.apply)(xs, xs)
    return e, x.exp(), cube_grad, cube_ggrad, vcube, vmul, vmul2


# ---- parametrizations ----------------------------------------------------------------------------
@program
def parametrizations_symmetric_orthogonal(torch):
    nn = torch.nn
    parametrize = torch.nn.utils.parametrize

    class Symmetric(nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

    class Skew(nn.Module):
        def forward(self, X):
            A = X.triu(1)
            return A - A.transpose(-1, -2)

    class CayleyMap(nn.Module):
        def __init__(self, n):
            super().__init__()
            self.register_buffer("Id", torch.eye(n))

        def forward(self, X):
            return torch.linalg.solve(self.Id - X, self.Id + X)

    torch.manual_seed(0)
    layer = nn.Linear(3, 3)
    parametrize.register_parametrization(layer, "weight", Symmetric())
    A = layer.weight
    sym = torch.allclose(A, A.T)
    s = str(layer)
    keys = sorted(layer.state_dict().keys())
    orig = layer.parametrizations.weight.original
    layer2 = nn.Linear(3, 3)
    parametrize.register_parametrization(layer2, "weight", Skew())
    parametrize.register_parametrization(layer2, "weight", CayleyMap(3))
    X = layer2.weight
    orth = torch.dist(X.T @ X, torch.eye(3))
    out = layer2(torch.ones(2, 3))
    out.sum().backward()
    g = layer2.parametrizations.weight.original.grad
    is_p = (parametrize.is_parametrized(layer), parametrize.is_parametrized(layer, "bias"),
            parametrize.is_parametrized(layer2, "weight"))  # fmt: skip
    return A, sym, s, keys, orig, orth < 1e-5, out, g, is_p, type(layer).__name__


@program
def parametrizations_cached_and_right_inverse(torch):
    nn = torch.nn
    parametrize = torch.nn.utils.parametrize
    calls = []

    class NoisyParametrization(nn.Module):
        def forward(self, X):
            calls.append("forward")
            return X

    class Symmetric(nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

        def right_inverse(self, A):
            return A.triu()

    class PlusOne(nn.Module):
        def forward(self, X):
            return X + 1

        def right_inverse(self, A):
            return A - 1

    class MinusOne(nn.Module):
        def forward(self, X):
            return X - 1

        def right_inverse(self, A):
            return A + 1

    torch.manual_seed(0)
    layer = nn.Linear(4, 4)
    parametrize.register_parametrization(layer, "weight", NoisyParametrization())
    _ = layer.weight
    _ = layer.weight
    n1 = len(calls)
    with parametrize.cached():
        _ = layer.weight
        _ = layer.weight
    n2 = len(calls)
    layer2 = nn.Linear(3, 3)
    parametrize.register_parametrization(layer2, "weight", Symmetric())
    X = torch.rand(3, 3)
    X = X + X.T
    layer2.weight = X
    ok = torch.allclose(layer2.weight, X)
    orig2 = layer2.parametrizations.weight.original
    layer3 = nn.Linear(4, 4)
    parametrize.register_parametrization(layer3, "weight", PlusOne())
    parametrize.register_parametrization(layer3, "weight", MinusOne())
    w3 = layer3.weight
    plist = str(layer3.parametrizations.weight)
    before = layer3.parametrizations.weight.original
    orig_w = layer3.parametrizations.weight.original.clone()
    parametrize.remove_parametrizations(layer3, "weight", leave_parametrized=False)
    after = layer3.weight
    layer4 = nn.Linear(3, 3)
    parametrize.register_parametrization(layer4, "weight", PlusOne())
    w4 = layer4.weight.detach().clone()
    parametrize.remove_parametrizations(layer4, "weight", leave_parametrized=True)
    return (n1, n2, ok, orig2, w3, plist, before, after, orig_w, w4, layer4.weight,
            type(layer4.weight).__name__, type(layer3).__name__)  # fmt: skip


@program
def parametrizations_builtin_orthogonal_weight_norm(torch):
    nn = torch.nn
    P = torch.nn.utils.parametrizations
    torch.manual_seed(0)
    lin = P.orthogonal(nn.Linear(4, 4).double())
    Q = lin.weight
    wn = P.weight_norm(nn.Linear(3, 2))
    sn = P.spectral_norm(nn.Linear(3, 2))
    x = torch.ones(1, 3)
    sn_out = sn(x)
    return (torch.dist(Q.T @ Q, torch.eye(4, dtype=torch.float64)) < 1e-8, wn.weight,
            sorted(wn.state_dict().keys()), wn.parametrizations.weight.original0,
            sorted(sn.state_dict().keys()), sn_out.shape)  # fmt: skip


# ---- pruning -------------------------------------------------------------------------------------
def _lenet(torch):
    nn = torch.nn
    F = torch.nn.functional

    class LeNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 6, 3)
            self.conv2 = nn.Conv2d(6, 16, 3)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = x.view(-1, int(x.nelement() / x.shape[0]))
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            return self.fc3(x)

    torch.manual_seed(0)
    return LeNet()


@program
def pruning_random_l1_ln(torch):
    prune = importlib.import_module(torch.__name__ + ".nn.utils.prune")
    model = _lenet(torch)
    module = model.conv1
    before = [n for n, _ in module.named_parameters()]
    prune.random_unstructured(module, name="weight", amount=0.3)
    params = [n for n, _ in module.named_parameters()]
    buffers = [n for n, _ in module.named_buffers()]
    mask_sum = module.weight_mask.sum()
    hooks = [type(h).__name__ for h in module._forward_pre_hooks.values()]
    prune.l1_unstructured(module, name="bias", amount=3)
    bias = module.bias
    prune.ln_structured(module, name="weight", amount=0.5, n=2, dim=0)
    w = module.weight
    hook = next(iter(module._forward_pre_hooks.values()))
    hist = [type(h).__name__ for h in hook] if hasattr(hook, "__iter__") else None
    prune.remove(module, "weight")
    after = [n for n, _ in module.named_parameters()]
    after_buf = [n for n, _ in module.named_buffers()]
    out = model(torch.rand(1, 1, 28, 28) if False else torch.ones(1, 1, 28, 28))
    return before, params, buffers, mask_sum, hooks, bias, w, hist, after, after_buf, out


@program
def pruning_multiple_and_global(torch):
    prune = importlib.import_module(torch.__name__ + ".nn.utils.prune")
    nn = torch.nn
    new_model = _lenet(torch)
    for module in new_model.modules():
        if isinstance(module, torch.nn.Conv2d):
            prune.l1_unstructured(module, name="weight", amount=0.2)
        elif isinstance(module, torch.nn.Linear):
            prune.l1_unstructured(module, name="weight", amount=0.4)
    keys = list(dict(new_model.named_buffers()).keys())
    model = _lenet(torch)
    parameters_to_prune = (
        (model.conv1, "weight"), (model.conv2, "weight"), (model.fc1, "weight"),
        (model.fc2, "weight"), (model.fc3, "weight"),
    )  # fmt: skip
    prune.global_unstructured(parameters_to_prune, pruning_method=prune.L1Unstructured, amount=0.2)
    sparsity = [
        float(torch.sum(m.weight == 0)) / float(m.weight.nelement()) for m, _ in parameters_to_prune
    ]
    total = sum(torch.sum(m.weight == 0) for m, _ in parameters_to_prune)
    zeros = float(torch.sum(model.conv1.weight == 0))
    printed = (
        f"Sparsity in conv1.weight: {100.0 * zeros / float(model.conv1.weight.nelement()):.2f}%"
    )

    class FooBarPruningMethod(prune.BasePruningMethod):
        PRUNING_TYPE = "unstructured"

        def compute_mask(self, t, default_mask):
            mask = default_mask.clone()
            mask.view(-1)[::2] = 0
            return mask

    def foobar_unstructured(module, name):
        FooBarPruningMethod.apply(module, name)
        return module

    foobar_unstructured(model.fc3, name="bias")
    lin = nn.Linear(3, 2)
    prune.identity(lin, "weight")
    return keys, sparsity, total, printed, model.fc3.bias_mask, sorted(lin.state_dict().keys())


# ---- profiler recipe -----------------------------------------------------------------------------
@program
def profiler_record_function_key_averages(torch):
    prof_mod = torch.profiler
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 4), torch.nn.ReLU())
    inputs = torch.randn(5, 8)
    with prof_mod.profile(activities=[prof_mod.ProfilerActivity.CPU], record_shapes=True) as prof:
        with prof_mod.record_function("model_inference"):
            model(inputs)
    names = {e.key for e in prof.key_averages()}
    table = prof.key_averages().table(sort_by="cpu_time_total", row_limit=10)
    header = [c for c in ("Name", "Self CPU %", "Self CPU", "CPU total %", "CPU total",
                          "CPU time avg", "# of Calls") if c in table]  # fmt: skip
    grouped = prof.key_averages(group_by_input_shape=True).table(
        sort_by="cpu_time_total", row_limit=10
    )
    counts = {e.key: e.count for e in prof.key_averages() if e.key == "model_inference"}
    return "model_inference" in names, header, "Input Shapes" in grouped, counts


@program
def nn_grad_conv_input_weight(torch):
    torch.manual_seed(0)
    x = torch.randn(2, 4, 6, 6, dtype=torch.float64)
    w = torch.randn(6, 2, 3, 3, dtype=torch.float64, requires_grad=True)
    go = torch.randn(2, 6, 3, 3, dtype=torch.float64)
    gi = torch.nn.grad.conv2d_input(x.shape, w, go, stride=2, padding=1, groups=2)
    gw = torch.nn.grad.conv2d_weight(x, w.shape, go, stride=2, padding=1, groups=2)
    gi.sum().backward()
    x1 = torch.randn(1, 2, 7, dtype=torch.float64)
    w1 = torch.randn(3, 2, 3, dtype=torch.float64)
    go1 = torch.randn(1, 3, 3, dtype=torch.float64)
    x3 = torch.randn(1, 1, 3, 3, 3, dtype=torch.float64)
    w3 = torch.randn(2, 1, 2, 2, 2, dtype=torch.float64)
    go3 = torch.randn(1, 2, 2, 2, 2, dtype=torch.float64)
    return (gi, gw, gi.requires_grad, gw.requires_grad, w.grad,
            torch.nn.grad.conv1d_input(x1.shape, w1, go1, dilation=2),
            torch.nn.grad.conv1d_weight(x1, w1.shape, go1, dilation=2),
            torch.nn.grad.conv3d_input(x3.shape, w3, go3), torch.nn.grad.conv3d_weight(x3, w3.shape, go3))  # fmt: skip


@program
def numpy_of_a_tensor_requiring_grad_under_no_grad(torch):
    x = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        a = x.numpy()
    return a.copy()


@error(RuntimeError, r"Can't call numpy\(\) on Tensor that requires grad")
def numpy_of_a_tensor_requiring_grad_raises(torch):
    torch.ones(2, requires_grad=True).numpy()


# ---- recipes: zeroing gradients, warmstarting, general checkpoint ---------------------------------
def _net(torch):
    nn = torch.nn
    F = torch.nn.functional

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 6, 5)
            self.pool = nn.MaxPool2d(2, 2)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 12)
            self.fc2 = nn.Linear(12, 10)

        def forward(self, x):
            x = self.pool(F.relu(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = x.view(-1, 16 * 5 * 5)
            x = F.relu(self.fc1(x))
            return self.fc2(x)

    return Net()


@program(tol=LOOSE)
def recipe_zeroing_gradients(torch):
    nn = torch.nn
    torch.manual_seed(0)
    net = _net(torch)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    inputs = torch.randn(4, 3, 32, 32)
    labels = torch.tensor([1, 0, 3, 9])
    running_loss, out = 0.0, []
    for _ in range(3):
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
        out.append(net.fc2.bias.grad.clone())
    optimizer.zero_grad(set_to_none=False)
    z = net.fc2.bias.grad
    net.zero_grad()
    return running_loss, out, z, net.fc2.bias.grad


@program
def recipe_warmstarting_strict_false(torch):
    nn = torch.nn
    torch.manual_seed(0)
    netA = _net(torch)

    class NetB(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 6, 5)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 12)
            self.fc3 = nn.Linear(12, 5)

    netB = NetB()
    buf = io.BytesIO()
    torch.save(netA.state_dict(), buf)
    buf.seek(0)
    res = netB.load_state_dict(torch.load(buf, weights_only=True), strict=False)
    same = torch.equal(netA.conv1.weight, netB.conv1.weight)
    sd = {("renamed_" + k if k.startswith("fc2") else k): v for k, v in netA.state_dict().items()}
    res2 = netB.load_state_dict(sd, strict=False)
    return (str(res), res.missing_keys, res.unexpected_keys, same, sorted(res2.unexpected_keys),
            tuple(res), len(res), bool(res))  # fmt: skip


@error(RuntimeError, r"Error\(s\) in loading state_dict for NetB:\s+Missing key\(s\) in state_dict")
def recipe_warmstarting_strict_raises(torch):
    nn = torch.nn
    torch.manual_seed(0)
    netA = _net(torch)

    class NetB(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 6, 5)
            self.fc3 = nn.Linear(12, 5)

    NetB().load_state_dict(netA.state_dict())


@error(
    RuntimeError,
    r"size mismatch for fc1.weight: copying a param with shape torch.Size\(\[12, 400\]\)",
)
def recipe_warmstarting_shape_mismatch_raises(torch):
    nn = torch.nn
    torch.manual_seed(0)
    netA = _net(torch)

    class NetB(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(400, 8)

    NetB().load_state_dict(netA.state_dict(), strict=False)


@program(tol=LOOSE)
def recipe_general_checkpoint(torch):
    nn = torch.nn
    torch.manual_seed(0)
    net = _net(torch)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    x = torch.randn(2, 3, 32, 32)
    y = torch.tensor([3, 4])
    loss = nn.functional.cross_entropy(net(x), y)
    loss.backward()
    optimizer.step()
    EPOCH = 5
    LOSS = 0.4
    buf = io.BytesIO()
    torch.save({"epoch": EPOCH, "model_state_dict": net.state_dict(),
                "optimizer_state_dict": optimizer.state_dict(), "loss": LOSS}, buf)  # fmt: skip
    buf.seek(0)
    model = _net(torch)
    opt2 = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
    checkpoint = torch.load(buf, weights_only=True)
    model.load_state_dict(checkpoint["model_state_dict"])
    opt2.load_state_dict(checkpoint["optimizer_state_dict"])
    epoch = checkpoint["epoch"]
    loss2 = checkpoint["loss"]
    model.train()
    nn.functional.cross_entropy(model(x), y).backward()
    opt2.step()
    state = opt2.state_dict()
    return (epoch, loss2, sorted(checkpoint.keys()), model.fc2.bias, state["param_groups"],
            state["state"][7]["momentum_buffer"], list(checkpoint["optimizer_state_dict"]["state"].keys()))  # fmt: skip


@program(tol=LOOSE)
def recipe_save_load_across_optimizers_and_devices(torch):
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(4, 8, bias=False), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2)
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    x = torch.randn(6, 4)
    for _ in range(2):
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        opt.step()
    buf = io.BytesIO()
    torch.save({"model": model.state_dict(), "opt": opt.state_dict()}, buf)
    buf.seek(0)
    ck = torch.load(buf, map_location=torch.device("cpu"), weights_only=True)
    m2 = nn.Sequential(nn.Linear(4, 8, bias=False), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))
    m2.load_state_dict(ck["model"])
    o2 = torch.optim.Adam(m2.parameters(), lr=1e-2)
    o2.load_state_dict(ck["opt"])
    o2.zero_grad()
    m2(x).pow(2).mean().backward()
    o2.step()
    m2.eval()
    return (
        m2(x),
        m2[1].running_mean,
        m2[1].num_batches_tracked,
        o2.state_dict()["state"][0]["step"],
        list(ck["model"].keys()),
    )


# ---- knowledge distillation ----------------------------------------------------------------------
@program(tol=LOOSE)
def knowledge_distillation(torch):
    nn = torch.nn
    F = torch.nn.functional
    torch.manual_seed(0)

    class DeepNN(nn.Module):
        def __init__(self, num_classes=10):
            super().__init__()
            self.features = nn.Sequential(
                nn.Conv2d(3, 8, kernel_size=3, padding=1), nn.ReLU(),
                nn.Conv2d(8, 4, kernel_size=3, padding=1), nn.ReLU(),
                nn.MaxPool2d(kernel_size=2, stride=2),
            )  # fmt: skip
            self.classifier = nn.Sequential(nn.Linear(4 * 4 * 4, 16), nn.ReLU(), nn.Dropout(0.1),
                                            nn.Linear(16, num_classes))  # fmt: skip

        def forward(self, x):
            x = self.features(x)
            flattened_conv_output = torch.flatten(x, 1)
            x = self.classifier(flattened_conv_output)
            flattened_conv_output_after_pooling = torch.nn.functional.avg_pool1d(
                flattened_conv_output, 2
            )
            return x, flattened_conv_output_after_pooling

    class LightNN(nn.Module):
        def __init__(self, num_classes=10):
            super().__init__()
            self.features = nn.Sequential(
                nn.Conv2d(3, 4, kernel_size=3, padding=1), nn.ReLU(),
                nn.Conv2d(4, 2, kernel_size=3, padding=1), nn.ReLU(),
                nn.MaxPool2d(kernel_size=2, stride=2),
            )  # fmt: skip
            self.classifier = nn.Sequential(
                nn.Linear(32, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, num_classes)
            )

        def forward(self, x):
            x = self.features(x)
            flattened_conv_output = torch.flatten(x, 1)
            x = self.classifier(flattened_conv_output)
            return x, flattened_conv_output

    teacher = DeepNN()
    student = LightNN()
    inputs = torch.randn(4, 3, 8, 8)
    labels = torch.tensor([1, 2, 3, 4])
    T, soft_target_loss_weight, ce_loss_weight = 2, 0.25, 0.75
    ce_loss = nn.CrossEntropyLoss()
    cosine_loss = nn.CosineEmbeddingLoss()
    optimizer = torch.optim.Adam(student.parameters(), lr=0.01)
    teacher.eval()
    student.train()
    total = []
    for _ in range(2):
        optimizer.zero_grad()
        with torch.no_grad():
            teacher_logits, teacher_hidden = teacher(inputs)
        student_logits, student_hidden = student(inputs)
        soft_targets = nn.functional.softmax(teacher_logits / T, dim=-1)
        soft_prob = nn.functional.log_softmax(student_logits / T, dim=-1)
        soft_targets_loss = (
            torch.sum(soft_targets * (soft_targets.log() - soft_prob))
            / soft_prob.size()[0]
            * (T**2)
        )
        kl = F.kl_div(soft_prob, soft_targets, reduction="batchmean") * T**2
        hidden_rep_loss = cosine_loss(
            student_hidden, teacher_hidden, target=torch.ones(inputs.size(0))
        )
        label_loss = ce_loss(student_logits, labels)
        loss = (
            soft_target_loss_weight * soft_targets_loss
            + ce_loss_weight * label_loss
            + 0.1 * hidden_rep_loss
        )
        loss.backward()
        optimizer.step()
        total.append((loss, kl, soft_targets_loss, hidden_rep_loss))
    student.eval()
    _, predicted = torch.max(student(inputs)[0].data, 1)
    correct = (predicted == labels).sum().item()
    total_params = sum(p.numel() for p in teacher.parameters())
    return total, predicted, correct, total_params, teacher_hidden.shape


@program(tol=LOOSE)
def knowledge_distillation_feature_map_regressor(torch):
    nn = torch.nn
    torch.manual_seed(0)
    regressor = nn.Conv2d(2, 4, kernel_size=3, padding=1)
    mse = nn.MSELoss()
    student_fm = torch.randn(3, 2, 4, 4, requires_grad=True)
    teacher_fm = torch.randn(3, 4, 4, 4)
    loss = mse(regressor(student_fm), teacher_fm)
    loss.backward()
    kl = nn.KLDivLoss(reduction="batchmean", log_target=True)
    a = torch.log_softmax(torch.randn(3, 5), 1)
    b = torch.log_softmax(torch.randn(3, 5), 1)
    return loss, student_fm.grad, regressor.weight.grad.sum(), kl(a, b)


# ---- torch.utils.benchmark, as the torch.func tutorials time their variants -----------------------
@program
def func_tutorial_benchmark_timer(torch):
    Timer = importlib.import_module(torch.__name__ + ".utils.benchmark").Timer
    jacrev = torch.func.jacrev
    torch.manual_seed(0)
    weight, bias, x = torch.randn(4, 4), torch.randn(4), torch.randn(4)
    predict = _predict(torch)
    env = {"jacrev": jacrev, "predict": predict, "weight": weight, "bias": bias, "x": x}
    with_vmap = Timer(stmt="jacrev(predict, argnums=2)(weight, bias, x)", globals=env)
    m = with_vmap.timeit(5)

    def get_perf(first, second):
        faster, slower = second.times[0], first.times[0]
        return (slower - faster) / slower

    lines = repr(m).splitlines()
    auto = Timer(stmt="x.sin()", globals={"x": x}, label="sin", sub_label="4").blocked_autorange(
        min_run_time=0.01
    )
    return (type(m).__name__, len(m.times), m.number_per_run, m.times[0] > 0, m.mean == m.median,
            lines[1], lines[-1], isinstance(get_perf(m, m), float), repr(auto).splitlines()[1],
            len(auto.times) >= 1, auto.iqr >= 0)  # fmt: skip


@program
def func_extending_vmap_rules_and_jvp(torch):
    import numpy as np

    class NumpyTake(torch.autograd.Function):
        @staticmethod
        def forward(x, ind, ind_inv, dim):
            return torch.tensor(np.take_along_axis(x.cpu().numpy(), ind.cpu().numpy(), dim))

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, ind, ind_inv, dim = inputs
            ctx.save_for_backward(ind, ind_inv)
            ctx.dim = dim

        @staticmethod
        def backward(ctx, grad_output):
            ind, ind_inv = ctx.saved_tensors
            return NumpyTake.apply(grad_output, ind_inv, ind, ctx.dim), None, None, None

        @staticmethod
        def vmap(info, in_dims, x, ind, ind_inv, dim):
            x_bdim, ind_bdim, ind_inv_bdim, _ = in_dims
            logical_dim = x.dim() if x_bdim is None else x.dim() - 1
            dim = dim if dim >= 0 else dim + logical_dim

            def maybe_expand_bdim_at_front(x, x_bdim):
                if x_bdim is None:
                    return x.expand(info.batch_size, *x.shape)
                return x.movedim(x_bdim, 0)

            x = maybe_expand_bdim_at_front(x, x_bdim)
            ind = maybe_expand_bdim_at_front(ind, ind_bdim)
            ind_inv = maybe_expand_bdim_at_front(ind_inv, ind_inv_bdim)
            return NumpyTake.apply(x, ind, ind_inv, dim + 1), 0

    class MyExp(torch.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(x):
            return x.exp()

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_forward(output)
            ctx.save_for_backward(output)

        @staticmethod
        def backward(ctx, g):
            (result,) = ctx.saved_tensors
            return g * result

        @staticmethod
        def jvp(ctx, x_t):
            (result,) = ctx.saved_tensors
            return x_t * result

    torch.manual_seed(0)
    x = torch.randn(2, 3, dtype=torch.float64)
    ind = torch.tensor([[2, 0, 1], [1, 2, 0]])
    inv = torch.argsort(ind, dim=1)
    xs = torch.randn(4, 2, 3, dtype=torch.float64)
    vt = torch.vmap(NumpyTake.apply, in_dims=(0, None, None, None))(xs, ind, inv, 1)
    vt2 = torch.vmap(NumpyTake.apply, in_dims=(1, None, None, None))(xs.movedim(0, 1), ind, inv, -1)
    g = torch.func.grad(lambda x: (NumpyTake.apply(x, ind, inv, 1) * torch.arange(3.0, dtype=torch.float64)).sum())(x)  # fmt: skip
    primal, tangent = torch.func.jvp(MyExp.apply, (x,), (torch.ones_like(x),))
    jf = torch.func.jacfwd(MyExp.apply)(torch.tensor([0.5, 1.0], dtype=torch.float64))
    jr = torch.func.jacrev(MyExp.apply)(torch.tensor([0.5, 1.0], dtype=torch.float64))
    return vt, vt2, g, primal, tangent, jf, jr


@program
def pruning_state_dict_custom_mask_importance(torch):
    prune = importlib.import_module(torch.__name__ + ".nn.utils.prune")
    model = _lenet(torch)
    prune.l1_unstructured(model.fc1, name="weight", amount=0.5)
    keys = list(model.state_dict().keys())
    weight_repr = repr(model.fc3.weight)[:40]
    pruned = (prune.is_pruned(model), prune.is_pruned(model.conv1))
    prune.custom_from_mask(model.fc3, name="bias", mask=torch.tensor([0, 1] * 5))
    scores = torch.arange(84.0 * 120).view(84, 120)
    prune.l1_unstructured(model.fc2, name="weight", amount=0.25, importance_scores=scores)
    prune.random_structured(model.conv1, name="weight", amount=2, dim=0)
    out = model(torch.ones(1, 1, 28, 28))
    out.sum().backward()
    g = model.fc3.bias_orig.grad
    return (keys, weight_repr, pruned, model.fc3.bias, model.fc2.weight_mask.sum(), model.fc2.weight_mask[0, :3],
            model.fc2.weight_mask[-1, -3:], model.conv1.weight_mask.sum(), out, g, repr(model.fc3.bias)[-30:])  # fmt: skip


@error(
    ValueError,
    r"amount=1.5 should either be a float in the range \[0, 1\] or a non-negative integer",
)
def pruning_bad_amount_raises(torch):
    prune = importlib.import_module(torch.__name__ + ".nn.utils.prune")
    prune.l1_unstructured(torch.nn.Linear(3, 2), name="weight", amount=1.5)


@error(ValueError, r"amount=2 should be smaller than the number of parameters to prune=1")
def pruning_structured_amount_too_large_raises(torch):
    prune = importlib.import_module(torch.__name__ + ".nn.utils.prune")
    prune.random_structured(torch.nn.Conv2d(1, 6, 3), name="weight", amount=2, dim=1)


@program
def parametrizations_skew_matrix_exp(torch):
    nn = torch.nn
    parametrize = torch.nn.utils.parametrize

    class Skew(nn.Module):
        def forward(self, X):
            A = X.triu(1)
            return A - A.transpose(-1, -2)

    class MatrixExponential(nn.Module):
        def forward(self, X):
            return torch.matrix_exp(X)

    torch.manual_seed(0)
    layer_orthogonal = nn.Linear(3, 3)
    parametrize.register_parametrization(layer_orthogonal, "weight", Skew())
    parametrize.register_parametrization(layer_orthogonal, "weight", MatrixExponential())
    X = layer_orthogonal.weight
    layer_orthogonal(torch.ones(2, 3)).sum().backward()
    big = (torch.randn(3, 3, dtype=torch.float64) * 10).requires_grad_()
    return (torch.dist(X.T @ X, torch.eye(3)) < 1e-5, X, repr(X).split("grad_fn=")[1],
            layer_orthogonal.parametrizations.weight.original.grad,
            type(torch.linalg.matrix_exp(big).grad_fn).__name__)  # fmt: skip
