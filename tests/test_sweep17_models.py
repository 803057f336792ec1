"""Session 10 compatibility sweep (whole seeded models, third pass): small vision, sequence,
reinforcement-learning, graph and generative models written as their authors write them,
seeded with ``torch.manual_seed`` and trained a few steps with a real optimizer; losses,
outputs, gradients and parameters must agree with PyTorch's."""

from __future__ import annotations

import importlib
import math

import pytest
from sweep_harness import Sweep

SWEEP = Sweep(float64={"rtol": 1e-9, "atol": 1e-11})
program = SWEEP.program
error = SWEEP.error
LOOSE = {"rtol": 1e-4, "atol": 1e-5}


@pytest.fixture(scope="module", autouse=True)
def _one_torch_thread():
    """PyTorch's intra-op threads spin against the other test processes on this shared
    machine (these small models ran 6x slower); one thread gives the same numbers."""
    torch = pytest.importorskip("torch")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


test_program_matches_pytorch = SWEEP.test()


def _train(torch, model, batches, loss_fn, opt, steps=3):
    """Runs ``steps`` optimizer steps; the losses as floats."""
    losses = []
    for step in range(steps):
        x, y = batches[step % len(batches)]
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


# ---- vision ----------------------------------------------------------------------------------
@program(tol=LOOSE)
def vit_classifier(torch):
    nn = torch.nn
    torch.manual_seed(0)

    class ViT(nn.Module):
        def __init__(self, img=8, patch=4, dim=16, depth=2, heads=2, classes=3):
            super().__init__()
            self.patch_embed = nn.Conv2d(3, dim, kernel_size=patch, stride=patch)
            n = (img // patch) ** 2
            self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
            self.pos_embed = nn.Parameter(torch.randn(1, n + 1, dim) * 0.02)
            layer = nn.TransformerEncoderLayer(dim, heads, dim * 2, dropout=0.1,
                                               batch_first=True, norm_first=True,
                                               activation="gelu")  # fmt: skip
            self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
            self.norm = nn.LayerNorm(dim)
            self.head = nn.Linear(dim, classes)

        def forward(self, x):
            x = self.patch_embed(x).flatten(2).transpose(1, 2)
            cls = self.cls_token.expand(x.shape[0], -1, -1)
            x = torch.cat((cls, x), dim=1) + self.pos_embed
            x = self.encoder(x)
            return self.head(self.norm(x[:, 0]))

    model = ViT()
    x = torch.randn(4, 3, 8, 8)
    y = torch.randint(0, 3, (4,))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    losses = _train(torch, model, [(x, y)], nn.CrossEntropyLoss(label_smoothing=0.1), opt)
    model.eval()
    with torch.no_grad():
        out = model(x)
    return losses, out, model.pos_embed.grad, model.cls_token.detach().clone()


@program(tol=LOOSE)
def swin_window_attention(torch):
    torch.manual_seed(1)

    def window_partition(x, ws):
        B, H, W, C = x.shape
        x = x.view(B, H // ws, ws, W // ws, ws, C)
        return x.permute(0, 1, 3, 2, 4, 5).contiguous().view(-1, ws, ws, C)

    def window_reverse(windows, ws, H, W):
        B = int(windows.shape[0] / (H * W / ws / ws))
        x = windows.view(B, H // ws, W // ws, ws, ws, -1)
        return x.permute(0, 1, 3, 2, 4, 5).contiguous().view(B, H, W, -1)

    ws, shift = 2, 1
    qkv = torch.nn.Linear(8, 24)
    x = torch.randn(2, 4, 4, 8, requires_grad=True)
    shifted = torch.roll(x, shifts=(-shift, -shift), dims=(1, 2))
    win = window_partition(shifted, ws).view(-1, ws * ws, 8)
    q, k, v = qkv(win).reshape(win.shape[0], ws * ws, 3, 2, 4).permute(2, 0, 3, 1, 4)
    img_mask = torch.zeros((1, 4, 4, 1))
    cnt = 0
    for h in (slice(0, -ws), slice(-ws, -shift), slice(-shift, None)):
        for w in (slice(0, -ws), slice(-ws, -shift), slice(-shift, None)):
            img_mask[:, h, w, :] = cnt
            cnt += 1
    mw = window_partition(img_mask, ws).view(-1, ws * ws)
    attn_mask = mw.unsqueeze(1) - mw.unsqueeze(2)
    attn_mask = attn_mask.masked_fill(attn_mask != 0, (-100.0)).masked_fill(attn_mask == 0, 0.0)
    attn = (q * 4**-0.5) @ k.transpose(-2, -1)
    nW = attn_mask.shape[0]
    attn = attn.view(-1, nW, 2, ws * ws, ws * ws) + attn_mask.unsqueeze(1).unsqueeze(0)
    attn = attn.view(-1, 2, ws * ws, ws * ws).softmax(dim=-1)
    out = (attn @ v).transpose(1, 2).reshape(-1, ws, ws, 8)
    out = torch.roll(window_reverse(out, ws, 4, 4), shifts=(shift, shift), dims=(1, 2))
    out.square().mean().backward()
    return out, attn_mask, x.grad, qkv.weight.grad


@program(tol=LOOSE)
def mlp_mixer(torch):
    nn = torch.nn
    torch.manual_seed(2)

    class MixerBlock(nn.Module):
        def __init__(self, tokens, dim):
            super().__init__()
            self.norm1 = nn.LayerNorm(dim)
            self.token_mix = nn.Sequential(nn.Linear(tokens, 8), nn.GELU(), nn.Linear(8, tokens))
            self.norm2 = nn.LayerNorm(dim)
            self.channel_mix = nn.Sequential(nn.Linear(dim, 16), nn.GELU(approximate="tanh"),
                                             nn.Dropout(0.2), nn.Linear(16, dim))  # fmt: skip

        def forward(self, x):
            x = x + self.token_mix(self.norm1(x).transpose(1, 2)).transpose(1, 2)
            return x + self.channel_mix(self.norm2(x))

    model = nn.Sequential(nn.Conv2d(1, 12, 2, 2), nn.Flatten(2))
    blocks = nn.Sequential(MixerBlock(9, 12), MixerBlock(9, 12))
    head = nn.Linear(12, 4)
    params = list(model.parameters()) + list(blocks.parameters()) + list(head.parameters())
    opt = torch.optim.SGD(params, lr=0.05, momentum=0.9, nesterov=True)
    x = torch.rand(5, 1, 6, 6)
    y = torch.tensor([0, 1, 2, 3, 0])
    losses = []
    for _ in range(3):
        opt.zero_grad()
        h = blocks(model(x).transpose(1, 2))
        loss = torch.nn.functional.cross_entropy(head(h.mean(dim=1)), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, head.weight, blocks[0].token_mix[0].weight.grad


@program(tol=LOOSE)
def convnext_block_drop_path(torch):
    nn = torch.nn
    torch.manual_seed(3)

    def drop_path(x, drop_prob, training):
        if drop_prob == 0.0 or not training:
            return x
        keep_prob = 1 - drop_prob
        shape = (x.shape[0],) + (1,) * (x.ndim - 1)
        random_tensor = keep_prob + torch.rand(shape, dtype=x.dtype, device=x.device)
        random_tensor.floor_()
        return x.div(keep_prob) * random_tensor

    class Block(nn.Module):
        def __init__(self, dim, drop=0.5, ls=1e-6):
            super().__init__()
            self.dwconv = nn.Conv2d(dim, dim, kernel_size=7, padding=3, groups=dim)
            self.norm = nn.LayerNorm(dim, eps=1e-6)
            self.pwconv1 = nn.Linear(dim, 4 * dim)
            self.act = nn.GELU()
            self.pwconv2 = nn.Linear(4 * dim, dim)
            self.gamma = nn.Parameter(ls * torch.ones(dim), requires_grad=True)
            self.drop = drop

        def forward(self, x):
            inp = x
            x = self.dwconv(x).permute(0, 2, 3, 1)
            x = self.pwconv2(self.act(self.pwconv1(self.norm(x))))
            x = (self.gamma * x).permute(0, 3, 1, 2)
            return inp + drop_path(x, self.drop, self.training)

    blk = Block(4, ls=0.5)
    nn.init.trunc_normal_(blk.pwconv1.weight, std=0.02)
    nn.init.constant_(blk.pwconv1.bias, 0)
    x = torch.randn(6, 4, 5, 5)
    opt = torch.optim.AdamW(blk.parameters(), lr=1e-2)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = blk(x).pow(2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, blk.gamma, blk.dwconv.weight.grad, blk.pwconv1.weight


@program(tol=LOOSE)
def mobilenet_v3_block(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(4)

    class SqueezeExcitation(nn.Module):
        def __init__(self, c, sq):
            super().__init__()
            self.fc1 = nn.Conv2d(c, sq, 1)
            self.fc2 = nn.Conv2d(sq, c, 1)

        def forward(self, x):
            s = F.adaptive_avg_pool2d(x, 1)
            s = self.fc2(F.relu(self.fc1(s)))
            return x * F.hardsigmoid(s, inplace=True)

    class InvertedResidual(nn.Module):
        def __init__(self, cin, exp, cout, stride):
            super().__init__()
            self.use_res = stride == 1 and cin == cout
            self.block = nn.Sequential(
                nn.Conv2d(cin, exp, 1, bias=False),
                nn.BatchNorm2d(exp),
                nn.Hardswish(inplace=True),
                nn.Conv2d(exp, exp, 3, stride, 1, groups=exp, bias=False),
                nn.BatchNorm2d(exp),
                nn.ReLU6(inplace=True),
                SqueezeExcitation(exp, 4),
                nn.Conv2d(exp, cout, 1, bias=False),
                nn.BatchNorm2d(cout),
            )

        def forward(self, x):
            r = self.block(x)
            return r + x if self.use_res else r

    model = nn.Sequential(
        nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8, eps=0.001, momentum=0.01),
        nn.Hardswish(), InvertedResidual(8, 16, 8, 1), InvertedResidual(8, 24, 12, 2),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(12, 5),
    )  # fmt: skip
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out")
        elif isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, 0.01)
            nn.init.zeros_(m.bias)
    x = torch.randn(4, 3, 12, 12)
    y = torch.tensor([1, 0, 4, 2])
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=0.0316, momentum=0.9)
    losses = _train(torch, model, [(x, y)], F.cross_entropy, opt)
    model.eval()
    return losses, model(x), model[1].running_var, model[4].block[1].running_mean


@program(tol=LOOSE)
def efficientnet_mbconv_silu(torch):
    nn = torch.nn
    torch.manual_seed(5)
    se = nn.Sequential(
        nn.AdaptiveAvgPool2d(1), nn.Conv2d(8, 2, 1), nn.SiLU(), nn.Conv2d(2, 8, 1), nn.Sigmoid()
    )
    body = nn.Sequential(nn.Conv2d(4, 8, 1), nn.BatchNorm2d(8), nn.SiLU(inplace=True),
                         nn.Conv2d(8, 8, 5, padding=2, groups=8), nn.BatchNorm2d(8), nn.SiLU())  # fmt: skip
    proj = nn.Sequential(nn.Conv2d(8, 4, 1, bias=False), nn.BatchNorm2d(4))
    params = [*body.parameters(), *se.parameters(), *proj.parameters()]
    opt = torch.optim.Adam(params, lr=3e-3, amsgrad=True)
    x = torch.randn(3, 4, 6, 6)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        h = body(x)
        out = x + proj(h * se(h))
        loss = torch.nn.functional.mse_loss(out, torch.zeros_like(out))
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, out, se[1].weight.grad, body[1].num_batches_tracked


@program(tol=LOOSE)
def densenet_inception(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(6)

    class DenseLayer(nn.Module):
        def __init__(self, cin, growth):
            super().__init__()
            self.norm = nn.BatchNorm2d(cin)
            self.conv = nn.Conv2d(cin, growth, 3, padding=1, bias=False)

        def forward(self, feats):
            x = torch.cat(feats, 1)
            return self.conv(F.relu(self.norm(x)))

    class Inception(nn.Module):
        def __init__(self, cin):
            super().__init__()
            self.b1 = nn.Conv2d(cin, 2, 1)
            self.b2 = nn.Sequential(nn.Conv2d(cin, 2, 1), nn.Conv2d(2, 3, 3, padding=1))
            self.b3 = nn.Sequential(nn.Conv2d(cin, 1, 1), nn.Conv2d(1, 2, 5, padding=2))
            self.b4 = nn.Sequential(
                nn.MaxPool2d(3, stride=1, padding=1, ceil_mode=True), nn.Conv2d(cin, 2, 1)
            )

        def forward(self, x):
            return torch.cat([self.b1(x), self.b2(x), self.b3(x), self.b4(x)], 1)

    layers = nn.ModuleList([DenseLayer(3 + 2 * i, 2) for i in range(3)])
    inc = Inception(9)
    head = nn.Linear(9, 2)
    params = [*layers.parameters(), *inc.parameters(), *head.parameters()]
    opt = torch.optim.SGD(params, lr=0.1, weight_decay=1e-4)
    x = torch.randn(2, 3, 6, 6)
    losses = []
    for _ in range(2):
        feats = [x]
        for layer in layers:
            feats.append(layer(feats))
        h = inc(torch.cat(feats, 1))
        h = F.avg_pool2d(h, 2, ceil_mode=True, count_include_pad=False)
        out = head(torch.flatten(F.adaptive_max_pool2d(h, (1, 1)), 1))
        loss = F.cross_entropy(out, torch.tensor([0, 1]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, out, inc.b3[1].weight.grad, layers[2].norm.running_mean


@program(tol=LOOSE)
def unet_segmentation(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(7)

    def double_conv(i, o):
        return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True),
                             nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True))  # fmt: skip

    class UNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.inc = double_conv(1, 4)
            self.down = nn.Sequential(nn.MaxPool2d(2), double_conv(4, 8))
            self.up = nn.ConvTranspose2d(8, 4, kernel_size=2, stride=2)
            self.conv = double_conv(8, 4)
            self.outc = nn.Conv2d(4, 2, 1)

        def forward(self, x):
            x1 = self.inc(x)
            x2 = self.down(x1)
            u = self.up(x2)
            dy, dx = x1.size()[2] - u.size()[2], x1.size()[3] - u.size()[3]
            u = F.pad(u, [dx // 2, dx - dx // 2, dy // 2, dy - dy // 2])
            return self.outc(self.conv(torch.cat([x1, u], dim=1)))

    def dice_loss(logits, target, eps=1e-6):
        probs = logits.softmax(1)
        onehot = F.one_hot(target, 2).permute(0, 3, 1, 2).float()
        inter = (probs * onehot).sum(dim=(2, 3))
        union = probs.sum(dim=(2, 3)) + onehot.sum(dim=(2, 3))
        return 1 - ((2 * inter + eps) / (union + eps)).mean()

    model = UNet()
    x = torch.randn(2, 1, 9, 9)
    target = (torch.rand(2, 9, 9) > 0.5).long()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        logits = model(x)
        loss = F.cross_entropy(logits, target) + dice_loss(logits, target)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    up = F.interpolate(logits, scale_factor=2, mode="bilinear", align_corners=True)
    up2 = F.interpolate(logits, size=(5, 7), mode="bilinear", align_corners=False)
    return losses, up, up2, model.up.weight.grad


@program(tol=LOOSE)
def deeplab_aspp(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(8)

    class ASPP(nn.Module):
        def __init__(self, cin, cout, rates=(1, 2, 3)):
            super().__init__()
            self.convs = nn.ModuleList(
                [
                    nn.Sequential(
                        nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()
                    )
                ]
            )
            for r in rates:
                self.convs.append(nn.Sequential(nn.Conv2d(cin, cout, 3, padding=r, dilation=r, bias=False),
                                                nn.BatchNorm2d(cout), nn.ReLU()))  # fmt: skip
            self.pool = nn.Sequential(
                nn.AdaptiveAvgPool2d(1), nn.Conv2d(cin, cout, 1, bias=False), nn.ReLU()
            )
            self.project = nn.Sequential(nn.Conv2d(cout * 5, cout, 1, bias=False), nn.BatchNorm2d(cout),
                                         nn.ReLU(), nn.Dropout(0.5))  # fmt: skip

        def forward(self, x):
            res = [c(x) for c in self.convs]
            p = self.pool(x)
            res.append(F.interpolate(p, size=x.shape[-2:], mode="bilinear", align_corners=False))
            return self.project(torch.cat(res, dim=1))

    aspp = ASPP(3, 4)
    cls = nn.Conv2d(4, 3, 1)
    x = torch.randn(2, 3, 7, 7)
    y = torch.randint(0, 3, (2, 14, 14))
    y[0, 0, :3] = 255
    opt = torch.optim.SGD([*aspp.parameters(), *cls.parameters()], lr=0.01, momentum=0.9)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        out = F.interpolate(cls(aspp(x)), scale_factor=2, mode="bilinear", align_corners=False)
        loss = F.cross_entropy(out, y, ignore_index=255)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, aspp.convs[2][0].weight.grad, cls.bias


@program(tol=LOOSE)
def espcn_pixel_shuffle(torch):
    nn = torch.nn
    torch.manual_seed(9)
    model = nn.Sequential(nn.Conv2d(1, 8, 5, padding=2), nn.Tanh(), nn.Conv2d(8, 4, 3, padding=1),
                          nn.Tanh(), nn.Conv2d(4, 1 * 3**2, 3, padding=1), nn.PixelShuffle(3))  # fmt: skip
    lr_img = torch.rand(2, 1, 4, 4)
    hr_img = torch.rand(2, 1, 12, 12)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = _train(torch, model, [(lr_img, hr_img)], nn.MSELoss(), opt)
    psnr = 10 * torch.log10(1 / nn.functional.mse_loss(model(lr_img), hr_img))
    unshuf = nn.PixelUnshuffle(3)(model(lr_img))
    return losses, psnr, unshuf, model[0].weight.grad


@program(tol=LOOSE)
def cyclegan_resnet_block(torch):
    nn = torch.nn
    torch.manual_seed(10)

    class ResnetBlock(nn.Module):
        def __init__(self, dim):
            super().__init__()
            self.block = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3), nn.InstanceNorm2d(dim),
                                       nn.ReLU(True), nn.Dropout(0.5), nn.ReflectionPad2d(1),
                                       nn.Conv2d(dim, dim, 3), nn.InstanceNorm2d(dim))  # fmt: skip

        def forward(self, x):
            return x + self.block(x)

    G = nn.Sequential(nn.ReflectionPad2d(3), nn.Conv2d(3, 4, 7), nn.InstanceNorm2d(4, affine=True),
                      nn.ReLU(True), ResnetBlock(4), nn.ReplicationPad2d(1), nn.Conv2d(4, 3, 3), nn.Tanh())  # fmt: skip
    D = nn.Sequential(nn.Conv2d(3, 4, 4, 2, 1), nn.LeakyReLU(0.2, True), nn.Conv2d(4, 8, 4, 2, 1),
                      nn.InstanceNorm2d(8), nn.LeakyReLU(0.2, True), nn.Conv2d(8, 1, 4, 1, 1))  # fmt: skip
    for m in [*G.modules(), *D.modules()]:
        if isinstance(m, nn.Conv2d):
            nn.init.normal_(m.weight.data, 0.0, 0.02)
    real_a, real_b = torch.randn(1, 3, 10, 10), torch.randn(1, 3, 10, 10)
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    gan = nn.MSELoss()
    l1 = nn.L1Loss()
    out = []
    for _ in range(2):
        fake = G(real_a)
        opt_g.zero_grad()
        pred = D(fake)
        loss_g = gan(pred, torch.ones_like(pred)) + 10.0 * l1(fake, real_b)
        loss_g.backward()
        opt_g.step()
        opt_d.zero_grad()
        pr, pf = D(real_b), D(fake.detach())
        loss_d = 0.5 * (gan(pr, torch.ones_like(pr)) + gan(pf, torch.zeros_like(pf)))
        loss_d.backward()
        opt_d.step()
        out += [loss_g.item(), loss_d.item()]
    return out, pred.shape, G[2].weight, D[0].weight.grad


@program(tol=LOOSE)
def yolo_iou_focal(torch):
    torch.manual_seed(11)

    def box_iou(b1, b2):
        area1 = (b1[:, 2] - b1[:, 0]) * (b1[:, 3] - b1[:, 1])
        area2 = (b2[:, 2] - b2[:, 0]) * (b2[:, 3] - b2[:, 1])
        lt = torch.max(b1[:, None, :2], b2[:, :2])
        rb = torch.min(b1[:, None, 2:], b2[:, 2:])
        wh = (rb - lt).clamp(min=0)
        inter = wh[:, :, 0] * wh[:, :, 1]
        return inter / (area1[:, None] + area2 - inter)

    def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0):
        p = torch.sigmoid(inputs)
        ce = torch.nn.functional.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
        p_t = p * targets + (1 - p) * (1 - targets)
        loss = ce * ((1 - p_t) ** gamma)
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        return (alpha_t * loss).mean()

    head = torch.nn.Conv2d(4, 3 * (5 + 2), 1)
    feat = torch.randn(2, 4, 3, 3)
    anchors = torch.tensor([[1.0, 1.5], [2.0, 1.0], [3.0, 3.0]])
    opt = torch.optim.SGD(head.parameters(), lr=0.01, momentum=0.937, nesterov=True)
    losses = []
    for _ in range(3):
        p = head(feat).view(2, 3, 7, 3, 3).permute(0, 1, 3, 4, 2).contiguous()
        gy, gx = torch.meshgrid(torch.arange(3), torch.arange(3), indexing="ij")
        grid = torch.stack((gx, gy), 2).view(1, 1, 3, 3, 2).float()
        xy = (p[..., :2].sigmoid() * 2 - 0.5 + grid) * 8
        wh = (p[..., 2:4].sigmoid() * 2) ** 2 * anchors.view(1, 3, 1, 1, 2)
        boxes = torch.cat((xy - wh / 2, xy + wh / 2), -1).view(-1, 4)
        gt = torch.tensor([[2.0, 2.0, 10.0, 12.0], [8.0, 4.0, 20.0, 18.0]])
        iou = box_iou(boxes, gt)
        best, idx = iou.max(1)
        obj_t = (best > 0.1).float()
        loss = (1 - best).mean() + sigmoid_focal_loss(p[..., 4].reshape(-1), obj_t)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, iou, idx, head.weight.grad


@program(tol=LOOSE)
def pointnet_tnet(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(12)

    class TNet(nn.Module):
        def __init__(self, k):
            super().__init__()
            self.k = k
            self.conv1 = nn.Conv1d(k, 8, 1)
            self.conv2 = nn.Conv1d(8, 16, 1)
            self.fc = nn.Linear(16, k * k)
            self.bn1 = nn.BatchNorm1d(8)

        def forward(self, x):
            b = x.size(0)
            x = F.relu(self.bn1(self.conv1(x)))
            x = torch.max(F.relu(self.conv2(x)), 2, keepdim=True)[0].view(-1, 16)
            iden = torch.eye(self.k).flatten().view(1, self.k * self.k).repeat(b, 1)
            return (self.fc(x) + iden).view(-1, self.k, self.k)

    tnet = TNet(3)
    feat = nn.Conv1d(3, 8, 1)
    cls = nn.Linear(8, 2)
    pts = torch.randn(4, 3, 10)
    y = torch.tensor([0, 1, 1, 0])
    params = [*tnet.parameters(), *feat.parameters(), *cls.parameters()]
    opt = torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999))
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    losses = []
    for _ in range(3):
        trans = tnet(pts)
        x = torch.bmm(pts.transpose(2, 1), trans).transpose(2, 1)
        x = torch.max(feat(x), 2)[0]
        out = F.log_softmax(cls(x), dim=1)
        I = torch.eye(3)[None]
        reg = torch.mean(torch.norm(torch.bmm(trans, trans.transpose(2, 1)) - I, dim=(1, 2)))
        loss = F.nll_loss(out, y) + 0.001 * reg
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
    return losses, trans, tnet.fc.weight.grad, sched.get_last_lr()


@program(tol=LOOSE)
def nerf_volume_render(torch):
    nn = torch.nn
    torch.manual_seed(13)

    def posenc(x, L):
        out = [x]
        for i in range(L):
            out += [torch.sin(2.0**i * math.pi * x), torch.cos(2.0**i * math.pi * x)]
        return torch.cat(out, -1)

    mlp = nn.Sequential(nn.Linear(3 + 3 * 2 * 3, 16), nn.ReLU(), nn.Linear(16, 4))
    rays_o = torch.randn(5, 3)
    rays_d = nn.functional.normalize(torch.randn(5, 3), dim=-1)
    near, far, n = 2.0, 6.0, 8
    t = torch.linspace(near, far, n).expand(5, n)
    mids = 0.5 * (t[..., 1:] + t[..., :-1])
    upper = torch.cat([mids, t[..., -1:]], -1)
    lower = torch.cat([t[..., :1], mids], -1)
    t = lower + (upper - lower) * torch.rand(t.shape)
    target = torch.rand(5, 3)
    opt = torch.optim.Adam(mlp.parameters(), lr=5e-4)
    losses = []
    for _ in range(3):
        pts = rays_o[..., None, :] + rays_d[..., None, :] * t[..., :, None]
        raw = mlp(posenc(pts, 3))
        rgb, sigma = torch.sigmoid(raw[..., :3]), torch.relu(raw[..., 3])
        dists = torch.cat(
            [t[..., 1:] - t[..., :-1], torch.broadcast_to(torch.tensor([1e10]), t[..., :1].shape)],
            -1,
        )
        alpha = 1.0 - torch.exp(-sigma * dists)
        trans = torch.cumprod(
            torch.cat([torch.ones_like(alpha[..., :1]), 1.0 - alpha + 1e-10], -1), -1
        )[..., :-1]
        weights = alpha * trans
        rgb_map = torch.sum(weights[..., None] * rgb, -2)
        depth = torch.sum(weights * t, -1)
        loss = torch.mean((rgb_map - target) ** 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, rgb_map, depth, mlp[0].weight.grad


@program(tol=LOOSE)
def style_transfer_lbfgs(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(14)

    def gram_matrix(inp):
        a, b, c, d = inp.size()
        features = inp.view(a * b, c * d)
        G = torch.mm(features, features.t())
        return G.div(a * b * c * d)

    cnn = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(inplace=False), nn.Conv2d(4, 4, 3, padding=1)
    )
    cnn.double()  # float32 rounding (1 ulp apart in BLAS and conv sums) grows through LBFGS
    for p in cnn.parameters():
        p.requires_grad_(False)
    content = torch.rand(1, 3, 6, 6, dtype=torch.float64)
    style = torch.rand(1, 3, 6, 6, dtype=torch.float64)
    target_f = cnn(content).detach()
    target_g = gram_matrix(cnn(style)).detach()
    img = content.clone().requires_grad_(True)
    opt = torch.optim.LBFGS([img], lr=1, max_iter=4)
    run = [0]
    history = []

    def closure():
        with torch.no_grad():
            img.clamp_(0, 1)
        opt.zero_grad()
        f = cnn(img)
        loss = 1e3 * F.mse_loss(gram_matrix(f), target_g) + F.mse_loss(f, target_f)
        loss.backward()
        run[0] += 1
        history.append(loss.item())
        return loss

    for _ in range(2):
        opt.step(closure)
    with torch.no_grad():
        img.clamp_(0, 1)
    return history, run[0], img


@program(tol=LOOSE)
def simclr_nt_xent(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(15)
    enc = nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 4))
    opt = torch.optim.SGD(enc.parameters(), lr=0.3, momentum=0.9, weight_decay=1e-6)
    x = torch.randn(4, 6)
    losses = []
    for _ in range(3):
        x1 = x + 0.1 * torch.randn_like(x)
        x2 = x * (torch.rand(4, 1) * 0.4 + 0.8)
        z = F.normalize(torch.cat([enc(x1), enc(x2)]), dim=1)
        sim = z @ z.T / 0.5
        mask = torch.eye(8, dtype=torch.bool)
        sim = sim.masked_fill(mask, -9e15)
        labels = torch.cat([torch.arange(4, 8), torch.arange(4)])
        loss = F.cross_entropy(sim, labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    pos = sim[torch.arange(8), labels]
    acc = (sim.argmax(dim=1) == labels).float().mean()
    return losses, pos, acc, enc[0].weight.grad


@program(tol=LOOSE)
def siamese_triplet(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(16)
    net = nn.Sequential(nn.Linear(5, 8), nn.PReLU(), nn.Linear(8, 3))
    a, p, n = torch.randn(6, 5), torch.randn(6, 5), torch.randn(6, 5)
    crit = nn.TripletMarginLoss(margin=1.0, p=2, swap=True)
    crit2 = nn.TripletMarginWithDistanceLoss(distance_function=nn.PairwiseDistance(), margin=0.5)
    opt = torch.optim.Adagrad(net.parameters(), lr=0.1)
    losses = []
    for _ in range(3):
        ea, ep, en = net(a), net(p), net(n)
        loss = crit(ea, ep, en) + crit2(ea, ep, en)
        d = F.pairwise_distance(ea, en, keepdim=True)
        same = torch.tensor([1.0, 0, 1, 0, 1, 0])[:, None]
        contrastive = (same * d.pow(2) + (1 - same) * F.relu(1.0 - d).pow(2)).mean()
        loss = (
            loss + contrastive + nn.CosineEmbeddingLoss(margin=0.2)(ea, ep, same.squeeze(1) * 2 - 1)
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, net[1].weight, net[0].weight.grad, d


@program
def norms_then_inplace_activation(torch):
    # PatchGAN's Conv -> InstanceNorm2d -> LeakyReLU(inplace=True): the in-place activation
    # must not change what the norm's backward saved (it once did, through y == xhat)
    torch.manual_seed(17)
    x = torch.randn(2, 3, 4, 4, dtype=torch.float64, requires_grad=True)
    w = torch.randn(2, 3, 4, 4, dtype=torch.float64)
    outs = [
        torch.nn.LeakyReLU(0.2, inplace=True)(torch.nn.InstanceNorm2d(3)(x)),
        torch.nn.functional.relu_(torch.nn.functional.layer_norm(x, (4, 4))),
        torch.nn.ReLU(inplace=True)(torch.nn.GroupNorm(1, 3, affine=False)(x)),
        torch.nn.functional.hardtanh_(torch.nn.functional.rms_norm(x, (4,)), -0.5, 0.5),
    ]
    grads = [torch.autograd.grad((y * w).sum(), x)[0] for y in outs]
    return outs, grads


# ---- sequence models -------------------------------------------------------------------------
@program(tol=LOOSE)
def transformer_seq2seq_masks(torch):
    nn = torch.nn
    torch.manual_seed(20)
    V, D = 11, 8
    emb = nn.Embedding(V, D, padding_idx=0)
    model = nn.Transformer(d_model=D, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                           dim_feedforward=16, dropout=0.1, batch_first=True)  # fmt: skip
    out_proj = nn.Linear(D, V)
    src = torch.tensor([[3, 4, 5, 0, 0], [6, 7, 8, 9, 2]])
    tgt = torch.tensor([[1, 5, 4, 3], [1, 2, 9, 8]])
    params = [*emb.parameters(), *model.parameters(), *out_proj.parameters()]
    opt = torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.98), eps=1e-9)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) ** -0.5, (s + 1) * 4**-1.5)
    )
    crit = nn.CrossEntropyLoss(ignore_index=0, label_smoothing=0.1)
    losses = []
    for _ in range(3):
        tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt_in.size(1))
        src_pad = src == 0
        h = model(emb(src) * math.sqrt(D), emb(tgt_in) * math.sqrt(D), tgt_mask=tgt_mask,
                  src_key_padding_mask=src_pad, memory_key_padding_mask=src_pad)  # fmt: skip
        logits = out_proj(h)
        loss = crit(logits.reshape(-1, V), tgt_out.reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        losses.append(loss.item())
    return losses, tgt_mask, emb.weight.grad, sched.get_last_lr()


@program(tol=LOOSE)
def t5_relative_position_bias(torch):
    nn = torch.nn
    torch.manual_seed(21)

    def relative_position_bucket(
        relative_position, bidirectional=True, num_buckets=8, max_distance=16
    ):
        relative_buckets = 0
        if bidirectional:
            num_buckets //= 2
            relative_buckets += (relative_position > 0).to(torch.long) * num_buckets
            relative_position = torch.abs(relative_position)
        else:
            relative_position = -torch.min(relative_position, torch.zeros_like(relative_position))
        max_exact = num_buckets // 2
        is_small = relative_position < max_exact
        rp_if_large = max_exact + (
            torch.log(relative_position.float() / max_exact)
            / math.log(max_distance / max_exact)
            * (num_buckets - max_exact)
        ).to(torch.long)
        rp_if_large = torch.min(rp_if_large, torch.full_like(rp_if_large, num_buckets - 1))
        relative_buckets += torch.where(is_small, relative_position, rp_if_large)
        return relative_buckets

    bias = nn.Embedding(8, 2)
    q_len = k_len = 12
    ctx = torch.arange(q_len, dtype=torch.long)[:, None]
    mem = torch.arange(k_len, dtype=torch.long)[None, :]
    buckets = relative_position_bucket(mem - ctx)
    buckets_uni = relative_position_bucket(mem - ctx, bidirectional=False)
    values = bias(buckets).permute([2, 0, 1]).unsqueeze(0)
    scores = torch.randn(1, 2, q_len, k_len) + values
    attn = nn.functional.softmax(scores.float(), dim=-1).type_as(scores)
    attn.sum(dim=(0, 1))[0].pow(2).sum().backward()
    return buckets, buckets_uni, attn, bias.weight.grad


@program(tol=LOOSE)
def wavenet_tcn(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(22)

    class CausalConv1d(nn.Conv1d):
        def __init__(self, cin, cout, k, dilation=1):
            super().__init__(cin, cout, k, dilation=dilation)
            self.left = (k - 1) * dilation

        def forward(self, x):
            return super().forward(F.pad(x, (self.left, 0)))

    class GatedBlock(nn.Module):
        def __init__(self, c, d):
            super().__init__()
            self.filt = CausalConv1d(c, c, 2, d)
            self.gate = CausalConv1d(c, c, 2, d)
            self.res = nn.utils.parametrizations.weight_norm(nn.Conv1d(c, c, 1))
            self.skip = nn.Conv1d(c, c, 1)

        def forward(self, x):
            z = torch.tanh(self.filt(x)) * torch.sigmoid(self.gate(x))
            return x + self.res(z), self.skip(z)

    inp = nn.Conv1d(1, 4, 1)
    blocks = nn.ModuleList([GatedBlock(4, 2**i) for i in range(3)])
    out = nn.Sequential(nn.ReLU(), nn.Conv1d(4, 4, 1), nn.ReLU(), nn.Conv1d(4, 5, 1))
    wave = torch.randint(0, 5, (2, 12))
    x = (wave.float() / 4.0).unsqueeze(1)
    params = [*inp.parameters(), *blocks.parameters(), *out.parameters()]
    opt = torch.optim.Adam(params, lr=1e-3)
    losses = []
    for _ in range(3):
        h = inp(x)
        skips = 0
        for b in blocks:
            h, s = b(h)
            skips = skips + s
        logits = out(skips)
        loss = F.cross_entropy(logits[:, :, :-1], wave[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    g = blocks[1].res.parametrizations.weight.original0.grad
    return losses, logits, g, blocks[2].filt.weight.grad


@program(tol=LOOSE)
def lstm_forecaster_teacher_forcing(torch):
    nn = torch.nn
    torch.manual_seed(23)

    class Seq2Seq(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.LSTM(1, 6, num_layers=2, batch_first=True, dropout=0.2)
            self.dec = nn.LSTMCell(1, 6)
            self.fc = nn.Linear(6, 1)

        def forward(self, src, tgt, tf_ratio):
            _, (h, c) = self.enc(src)
            h, c = h[-1], c[-1]
            inp = src[:, -1]
            outs = []
            for t in range(tgt.shape[1]):
                h, c = self.dec(inp, (h, c))
                pred = self.fc(h)
                outs.append(pred)
                inp = tgt[:, t] if torch.rand(1).item() < tf_ratio else pred
            return torch.stack(outs, 1)

    t = torch.linspace(0, 6, 20)
    series = torch.sin(t)[None, :, None].repeat(3, 1, 1) + 0.05 * torch.randn(3, 20, 1)
    src, tgt = series[:, :14], series[:, 14:]
    model = Seq2Seq()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(src, tgt, 0.5), tgt)
        loss.backward()
        nn.utils.clip_grad_value_(model.parameters(), 0.5)
        opt.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        pred = model(src, tgt, 0.0)
    return losses, pred, model.enc.weight_hh_l1.grad, model.dec.bias_ih


@program(tol=LOOSE)
def gru_char_classifier_packed(torch):
    nn = torch.nn
    torch.manual_seed(24)
    emb = nn.Embedding(10, 4, padding_idx=0)
    gru = nn.GRU(4, 5, batch_first=True, bidirectional=True)
    fc = nn.Linear(10, 3)
    seqs = [torch.tensor([1, 2, 3, 4]), torch.tensor([5, 6]), torch.tensor([7, 8, 9])]
    lengths = torch.tensor([len(s) for s in seqs])
    padded = nn.utils.rnn.pad_sequence(seqs, batch_first=True)
    y = torch.tensor([0, 2, 1])
    params = [*emb.parameters(), *gru.parameters(), *fc.parameters()]
    opt = torch.optim.Adam(params, lr=1e-2)
    losses = []
    for _ in range(3):
        packed = nn.utils.rnn.pack_padded_sequence(
            emb(padded), lengths, batch_first=True, enforce_sorted=False
        )
        out, h = gru(packed)
        unpacked, lens = nn.utils.rnn.pad_packed_sequence(out, batch_first=True)
        logits = fc(torch.cat([h[-2], h[-1]], dim=1))
        loss = nn.functional.cross_entropy(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, unpacked, lens, gru.weight_ih_l0_reverse.grad, emb.weight.grad


# ---- reinforcement learning ------------------------------------------------------------------
@program(tol=LOOSE)
def dqn_replay(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(30)
    policy = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
    target = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
    target.load_state_dict(policy.state_dict())
    target.eval()
    N = 20
    states = torch.randn(N, 4)
    actions = torch.randint(0, 2, (N,))
    rewards = torch.rand(N)
    next_states = torch.randn(N, 4)
    dones = (torch.rand(N) < 0.2).float()
    opt = torch.optim.AdamW(policy.parameters(), lr=1e-3, amsgrad=True)
    losses, chosen = [], []
    for step in range(4):
        eps = 0.05 + (0.9 - 0.05) * math.exp(-1.0 * step / 2)
        if torch.rand(1).item() > eps:
            with torch.no_grad():
                chosen.append(policy(states[step : step + 1]).max(1).indices.view(1, 1))
        else:
            chosen.append(torch.tensor([[torch.randint(0, 2, ()).item()]], dtype=torch.long))
        idx = torch.randint(0, N, (8,))
        q = policy(states[idx]).gather(1, actions[idx].unsqueeze(1))
        with torch.no_grad():
            nxt = target(next_states[idx]).max(1)[0]
        expected = rewards[idx] + 0.99 * nxt * (1 - dones[idx])
        loss = F.smooth_l1_loss(q, expected.unsqueeze(1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_value_(policy.parameters(), 100)
        opt.step()
        tsd, psd = target.state_dict(), policy.state_dict()
        for key in psd:
            tsd[key] = psd[key] * 0.005 + tsd[key] * (1 - 0.005)
        target.load_state_dict(tsd)
        losses.append(loss.item())
    return losses, chosen, target[2].weight, policy[0].weight.grad


@program(tol=LOOSE)
def reinforce_a2c_categorical(torch):
    nn = torch.nn
    from_dist = torch.distributions
    torch.manual_seed(31)

    class ActorCritic(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(3, 8), nn.Tanh())
            self.pi = nn.Linear(8, 4)
            self.v = nn.Linear(8, 1)

        def forward(self, s):
            h = self.body(s)
            return from_dist.Categorical(logits=self.pi(h)), self.v(h).squeeze(-1)

    ac = ActorCritic()
    opt = torch.optim.RMSprop(ac.parameters(), lr=7e-4, eps=1e-5, alpha=0.99)
    states = torch.randn(6, 3)
    out = []
    for _ in range(3):
        dist, value = ac(states)
        a = dist.sample()
        logp = dist.log_prob(a)
        r = (a == 2).float() - 0.1 * a.float()
        returns = torch.zeros(6)
        run = torch.tensor(0.0)
        for t in reversed(range(6)):
            run = r[t] + 0.9 * run
            returns[t] = run
        returns = (returns - returns.mean()) / (returns.std() + 1e-8)
        adv = returns - value.detach()
        loss = (
            -(logp * adv).mean()
            + 0.5 * (returns - value).pow(2).mean()
            - 0.01 * dist.entropy().mean()
        )
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(ac.parameters(), 0.5)
        opt.step()
        out.append(loss.item())
    return out, a, dist.probs, ac.pi.weight.grad


# ---- graphs, flows, recommenders -------------------------------------------------------------
@program(tol=LOOSE)
def gat_scatter_softmax(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(40)
    N, Fin, Fout = 5, 3, 4
    x = torch.randn(N, Fin)
    edge_index = torch.tensor([[0, 1, 2, 3, 4, 0, 2, 1], [1, 0, 1, 2, 3, 4, 4, 2]])
    W = nn.Linear(Fin, Fout, bias=False)
    a_src = nn.Parameter(torch.empty(1, Fout))
    a_dst = nn.Parameter(torch.empty(1, Fout))
    nn.init.xavier_uniform_(a_src)
    nn.init.xavier_uniform_(a_dst)
    opt = torch.optim.Adam([*W.parameters(), a_src, a_dst], lr=5e-3, weight_decay=5e-4)
    y = torch.tensor([0, 1, 0, 1, 1])
    losses = []
    for _ in range(3):
        h = W(x)
        src, dst = edge_index
        e = F.leaky_relu((h * a_src).sum(-1)[src] + (h * a_dst).sum(-1)[dst], 0.2)
        emax = torch.zeros(N).scatter_reduce(0, dst, e, reduce="amax", include_self=False)
        e = torch.exp(e - emax[dst])
        denom = torch.zeros(N).index_add_(0, dst, e)
        alpha = e / (denom[dst] + 1e-16)
        alpha = F.dropout(alpha, 0.3, training=True)
        out = torch.zeros(N, Fout).index_add(0, dst, alpha.unsqueeze(-1) * h[src])
        out = F.elu(out)
        loss = F.cross_entropy(out[:, :2], y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, alpha, out, a_src.grad, W.weight.grad


@program(tol=LOOSE)
def realnvp_flow(torch):
    nn = torch.nn
    D = torch.distributions
    torch.manual_seed(41)

    class Coupling(nn.Module):
        def __init__(self, mask):
            super().__init__()
            self.register_buffer("mask", mask)
            self.s = nn.Sequential(nn.Linear(2, 8), nn.LeakyReLU(), nn.Linear(8, 2), nn.Tanh())
            self.t = nn.Sequential(nn.Linear(2, 8), nn.LeakyReLU(), nn.Linear(8, 2))

        def forward(self, x):
            xm = x * self.mask
            s = self.s(xm) * (1 - self.mask)
            t = self.t(xm) * (1 - self.mask)
            z = xm + (1 - self.mask) * (x * torch.exp(s) + t)
            return z, s.sum(dim=1)

        def inverse(self, z):
            zm = z * self.mask
            s = self.s(zm) * (1 - self.mask)
            t = self.t(zm) * (1 - self.mask)
            return zm + (1 - self.mask) * (z - t) * torch.exp(-s)

    layers = nn.ModuleList([Coupling(torch.tensor([1.0, 0.0])), Coupling(torch.tensor([0.0, 1.0]))])
    prior = D.MultivariateNormal(torch.zeros(2), torch.eye(2))
    data = torch.randn(16, 2) @ torch.tensor([[1.0, 0.5], [0.0, 0.3]]) + torch.tensor([1.0, -1.0])
    opt = torch.optim.Adam(layers.parameters(), lr=1e-3)
    losses = []
    for _ in range(3):
        z, logdet = data, torch.zeros(16)
        for layer in layers:
            z, ld = layer(z)
            logdet = logdet + ld
        loss = -(prior.log_prob(z) + logdet).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    with torch.no_grad():
        samples = prior.sample((4,))
        for layer in reversed(layers):
            samples = layer.inverse(samples)
    return losses, samples, layers[0].s[0].weight.grad


@program(tol=LOOSE)
def matrix_factorisation_transe(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(42)

    class MF(nn.Module):
        def __init__(self, users, items, k):
            super().__init__()
            self.u = nn.Embedding(users, k)
            self.i = nn.Embedding(items, k)
            self.ub = nn.Embedding(users, 1)
            self.ib = nn.Embedding(items, 1)
            nn.init.normal_(self.u.weight, std=0.1)
            nn.init.normal_(self.i.weight, std=0.1)
            nn.init.zeros_(self.ub.weight)
            nn.init.zeros_(self.ib.weight)

        def forward(self, u, i):
            return (self.u(u) * self.i(i)).sum(1) + self.ub(u).squeeze(1) + self.ib(i).squeeze(1)

    mf = MF(6, 7, 3)
    u, i = torch.randint(0, 6, (12,)), torch.randint(0, 7, (12,))
    r = torch.randint(1, 6, (12,)).float()
    opt = torch.optim.SGD(mf.parameters(), lr=0.05, weight_decay=0.01)
    losses = _train(torch, lambda ui: mf(*ui), [((u, i), r)], F.mse_loss, opt)

    ent = nn.Embedding(5, 4, max_norm=1.0)
    rel = nn.Embedding(2, 4)
    bound = 6 / math.sqrt(4)
    nn.init.uniform_(rel.weight, -bound, bound)
    rel.weight.data = F.normalize(rel.weight.data, p=2, dim=1)
    h, rr, t = torch.tensor([0, 1, 2]), torch.tensor([0, 1, 0]), torch.tensor([3, 4, 0])
    t_neg = torch.randint(0, 5, (3,))
    opt2 = torch.optim.SGD([*ent.parameters(), *rel.parameters()], lr=0.01)
    for _ in range(2):
        pos = (ent(h) + rel(rr) - ent(t)).norm(p=1, dim=1)
        neg = (ent(h) + rel(rr) - ent(t_neg)).norm(p=1, dim=1)
        loss = nn.MarginRankingLoss(margin=1.0)(pos, neg, torch.full((3,), -1.0))
        opt2.zero_grad()
        loss.backward()
        opt2.step()
        losses.append(loss.item())
    return losses, mf.ub.weight, ent.weight, rel.weight.grad


@program(tol=LOOSE)
def mamba_selective_scan(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(43)
    B, L, D, N = 2, 5, 3, 4
    x = torch.randn(B, L, D)
    A_log = nn.Parameter(torch.log(torch.arange(1, N + 1, dtype=torch.float32).repeat(D, 1)))
    proj = nn.Linear(D, D + 2 * N)
    Dskip = nn.Parameter(torch.ones(D))
    conv = nn.Conv1d(D, D, 3, groups=D, padding=2)
    opt = torch.optim.AdamW([A_log, Dskip, *proj.parameters(), *conv.parameters()], lr=1e-3)
    losses = []
    for _ in range(3):
        xc = F.silu(conv(x.transpose(1, 2))[..., :L].transpose(1, 2))
        delta, Bm, Cm = proj(xc).split([D, N, N], dim=-1)
        delta = F.softplus(delta)
        A = -torch.exp(A_log.float())
        dA = torch.exp(torch.einsum("bld,dn->bldn", delta, A))
        dBx = torch.einsum("bld,bln,bld->bldn", delta, Bm, xc)
        h = torch.zeros(B, D, N)
        ys = []
        for t in range(L):
            h = dA[:, t] * h + dBx[:, t]
            ys.append(torch.einsum("bdn,bn->bd", h, Cm[:, t]))
        y = torch.stack(ys, dim=1) + xc * Dskip
        cs = torch.cumsum(delta, dim=1)
        loss = y.pow(2).mean() + 0.01 * cs[:, -1].mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, y, A_log.grad, conv.weight.grad


@program(tol=LOOSE)
def mixture_of_experts_topk(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(44)
    E, K, Dm = 4, 2, 6
    gate = nn.Linear(Dm, E, bias=False)
    experts = nn.ModuleList(
        [nn.Sequential(nn.Linear(Dm, 8), nn.GELU(), nn.Linear(8, Dm)) for _ in range(E)]
    )
    x = torch.randn(10, Dm)
    opt = torch.optim.Adam([*gate.parameters(), *experts.parameters()], lr=1e-3)
    losses = []
    for _ in range(3):
        logits = gate(x) + torch.randn(10, E) * 0.1
        probs = F.softmax(logits, dim=-1, dtype=torch.float)
        w, idx = torch.topk(probs, K, dim=-1)
        w = w / w.sum(dim=-1, keepdim=True)
        out = torch.zeros_like(x)
        expert_mask = F.one_hot(idx, num_classes=E).permute(2, 1, 0)
        for e in range(E):
            k_i, tok = torch.where(expert_mask[e])
            if tok.numel() == 0:
                continue
            y = experts[e](x[tok]) * w[tok, k_i, None]
            out.index_add_(0, tok, y.to(x.dtype))
        frac = expert_mask.sum(dim=(1, 2)).float() / (10 * K)
        lb = E * (frac * probs.mean(0)).sum()
        loss = (
            (out - x).pow(2).mean() + 0.01 * lb + 1e-3 * torch.logsumexp(logits, -1).pow(2).mean()
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, idx, out, gate.weight.grad


@program(tol=LOOSE)
def distillation_and_ema(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(45)
    teacher = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 3)).eval()
    student = nn.Sequential(nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 3))
    ema = torch.optim.swa_utils.AveragedModel(
        student, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(0.9)
    )
    manual_ema = {k: v.detach().clone() for k, v in student.state_dict().items()}
    opt = torch.optim.SGD(student.parameters(), lr=0.1, momentum=0.9, dampening=0.1)
    x = torch.randn(8, 5)
    y = torch.randint(0, 3, (8,))
    T = 4.0
    losses = []
    for _ in range(3):
        with torch.no_grad():
            t_logits = teacher(x)
        s_logits = student(x)
        soft = F.kl_div(
            F.log_softmax(s_logits / T, dim=-1),
            F.softmax(t_logits / T, dim=-1),
            reduction="batchmean",
        )
        loss = 0.7 * soft * T * T + 0.3 * F.cross_entropy(s_logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        ema.update_parameters(student)
        with torch.no_grad():
            for k, v in student.state_dict().items():
                manual_ema[k].mul_(0.99).add_(v, alpha=0.01)
        losses.append(loss.item())
    return losses, ema.module[0].weight, ema.n_averaged, manual_ema["2.weight"], ema(x)


# ---- more generative / meta-learning / detection pieces --------------------------------------
@program(tol=LOOSE)
def vqvae_straight_through(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(50)
    enc = nn.Sequential(nn.Conv2d(1, 4, 4, 2, 1), nn.ReLU(), nn.Conv2d(4, 3, 1))
    dec = nn.Sequential(nn.ConvTranspose2d(3, 4, 4, 2, 1), nn.ReLU(), nn.Conv2d(4, 1, 3, padding=1))
    codebook = nn.Embedding(5, 3)
    codebook.weight.data.uniform_(-1 / 5, 1 / 5)
    x = torch.rand(2, 1, 6, 6)
    opt = torch.optim.Adam([*enc.parameters(), *dec.parameters(), *codebook.parameters()], lr=2e-3)
    losses = []
    for _ in range(3):
        z = enc(x).permute(0, 2, 3, 1).contiguous()
        flat = z.view(-1, 3)
        d = (flat.pow(2).sum(1, keepdim=True) - 2 * flat @ codebook.weight.t()
             + codebook.weight.pow(2).sum(1))  # fmt: skip
        idx = torch.argmin(d, dim=1)
        idx2 = torch.cdist(flat, codebook.weight).argmin(1)
        q = codebook(idx).view(z.shape)
        loss_vq = F.mse_loss(q, z.detach()) + 0.25 * F.mse_loss(q.detach(), z)
        q = z + (q - z).detach()
        recon = dec(q.permute(0, 3, 1, 2))
        loss = F.mse_loss(recon, x) + loss_vq
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    enc_one_hot = F.one_hot(idx, 5).float()
    perplexity = torch.exp(-torch.sum(enc_one_hot.mean(0) * torch.log(enc_one_hot.mean(0) + 1e-10)))
    return losses, idx, idx2, perplexity, codebook.weight.grad


@program(tol=LOOSE)
def wgan_gp_spectral_norm(torch):
    nn = torch.nn
    torch.manual_seed(51)
    D = nn.Sequential(nn.utils.spectral_norm(nn.Linear(4, 8)), nn.LeakyReLU(0.2), nn.Linear(8, 1))
    G = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 4))
    opt_d = torch.optim.Adam(D.parameters(), lr=1e-4, betas=(0.0, 0.9))
    opt_g = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.0, 0.9))
    real = torch.randn(6, 4) + 1
    out = []
    for _ in range(2):
        fake = G(torch.randn(6, 2))
        alpha = torch.rand(6, 1).expand_as(real)
        interp = (alpha * real + (1 - alpha) * fake.detach()).requires_grad_(True)
        d_int = D(interp)
        grads = torch.autograd.grad(d_int, interp, grad_outputs=torch.ones_like(d_int),
                                    create_graph=True, retain_graph=True)[0]  # fmt: skip
        gp = ((grads.norm(2, dim=1) - 1) ** 2).mean()
        loss_d = D(fake.detach()).mean() - D(real).mean() + 10 * gp
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        loss_g = -D(G(torch.randn(6, 2))).mean()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        out += [loss_d.item(), loss_g.item(), gp.item()]
    return out, D[0].weight_orig.grad, D[0].weight_u, G[0].weight


@program(tol=LOOSE)
def maml_functional_call(torch):
    nn = torch.nn
    F = nn.functional
    from_func = torch.func
    torch.manual_seed(52)
    model = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1))
    meta_opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    tasks = [(torch.rand(1) * 2 + 0.5, torch.rand(1) * math.pi) for _ in range(2)]
    losses = []
    for _ in range(2):
        meta_opt.zero_grad()
        total = 0.0
        for amp, phase in tasks:
            xs = torch.rand(5, 1) * 10 - 5
            ys = amp * torch.sin(xs + phase)
            params = dict(model.named_parameters())
            inner = F.mse_loss(from_func.functional_call(model, params, (xs,)), ys)
            grads = torch.autograd.grad(inner, list(params.values()), create_graph=True)
            fast = {k: v - 0.01 * g for (k, v), g in zip(params.items(), grads)}
            outer = F.mse_loss(from_func.functional_call(model, fast, (xs,)), ys)
            outer.backward()
            total += outer.item()
        meta_opt.step()
        losses.append(total)
    return losses, model[0].weight.grad, model[2].bias


@program(tol=LOOSE)
def spatial_transformer(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(53)
    loc = nn.Sequential(nn.Flatten(), nn.Linear(36, 6))
    loc[1].weight.data.zero_()
    loc[1].bias.data.copy_(torch.tensor([1, 0, 0, 0, 1, 0], dtype=torch.float))
    cls = nn.Sequential(nn.Conv2d(1, 2, 3), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8, 3))
    x = torch.randn(3, 1, 6, 6)
    y = torch.tensor([0, 2, 1])
    opt = torch.optim.SGD([*loc.parameters(), *cls.parameters()], lr=0.05)
    losses = []
    for _ in range(3):
        theta = loc(x).view(-1, 2, 3) + 0.1 * torch.randn(3, 2, 3)
        grid = F.affine_grid(theta, x.size(), align_corners=False)
        xt = F.grid_sample(x, grid, align_corners=False)
        xt2 = F.grid_sample(x, grid, mode="nearest", padding_mode="border", align_corners=True)
        loss = F.cross_entropy(cls(xt), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, xt, xt2, loc[1].weight.grad


@program(tol=LOOSE)
def sac_tanh_gaussian_policy(torch):
    nn = torch.nn
    D = torch.distributions
    torch.manual_seed(54)
    net = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 4))
    q = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 1))
    log_alpha = torch.zeros(1, requires_grad=True)
    opt = torch.optim.Adam([*net.parameters()], lr=3e-4)
    a_opt = torch.optim.Adam([log_alpha], lr=3e-4)
    s = torch.randn(5, 3)
    out = []
    for _ in range(3):
        mu, log_std = net(s).chunk(2, dim=-1)
        log_std = torch.clamp(log_std, -20, 2)
        normal = D.Normal(mu, log_std.exp())
        u = normal.rsample()
        a = torch.tanh(u)
        logp = (normal.log_prob(u) - torch.log(1 - a.pow(2) + 1e-6)).sum(1, keepdim=True)
        indep = D.Independent(D.Normal(mu, log_std.exp()), 1).log_prob(u)
        alpha = log_alpha.exp()
        loss = (alpha.detach() * logp - q(torch.cat([s, a], 1))).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        a_loss = -(log_alpha * (logp + -2.0).detach()).mean()
        a_opt.zero_grad()
        a_loss.backward()
        a_opt.step()
        out += [loss.item(), a_loss.item()]
    return out, a, indep, log_alpha, net[0].weight.grad


@program(tol=LOOSE)
def fasttext_embeddingbag(torch):
    nn = torch.nn
    torch.manual_seed(55)
    bag = nn.EmbeddingBag(20, 4, mode="mean")
    fc = nn.Linear(4, 3)
    text = torch.tensor([1, 5, 7, 2, 9, 9, 11, 3, 4])
    offsets = torch.tensor([0, 3, 5])
    y = torch.tensor([2, 0, 1])
    opt = torch.optim.SGD([*bag.parameters(), *fc.parameters()], lr=4.0)
    sched = torch.optim.lr_scheduler.StepLR(opt, 1, gamma=0.9)
    losses = []
    for _ in range(3):
        loss = nn.functional.cross_entropy(fc(bag(text, offsets)), y)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_([*bag.parameters(), *fc.parameters()], 0.1)
        opt.step()
        sched.step()
        losses.append(loss.item())
    bag_sum = nn.EmbeddingBag.from_pretrained(bag.weight.detach(), mode="sum")
    w = torch.rand(9)
    return (
        losses,
        bag.weight.grad,
        bag_sum(text, offsets, per_sample_weights=w),
        sched.get_last_lr(),
    )


@program(tol=LOOSE)
def ctc_speech(torch):
    nn = torch.nn
    torch.manual_seed(56)
    rnn = nn.GRU(5, 6, batch_first=False)
    fc = nn.Linear(6, 4)
    T, B = 8, 2
    feats = torch.randn(T, B, 5)
    targets = torch.tensor([1, 2, 2, 3, 1])
    input_lengths = torch.tensor([8, 6])
    target_lengths = torch.tensor([3, 2])
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    opt = torch.optim.Adam([*rnn.parameters(), *fc.parameters()], lr=1e-2)
    losses = []
    for _ in range(3):
        out, _ = rnn(feats)
        logp = fc(out).log_softmax(2)
        loss = ctc(logp, targets, input_lengths, target_lengths)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    greedy = logp.argmax(-1).T
    return losses, greedy, fc.weight.grad


@program(tol=LOOSE)
def schedulers_warmup_cosine(torch):
    nn = torch.nn
    torch.manual_seed(57)
    model = nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=2)
    cos = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=1e-4)
    sched = torch.optim.lr_scheduler.SequentialLR(opt, [warm, cos], milestones=[2])
    opt2 = torch.optim.AdamW(nn.Linear(2, 2).parameters(), lr=1e-3)
    one = torch.optim.lr_scheduler.OneCycleLR(opt2, max_lr=0.01, total_steps=8, pct_start=0.25)
    plateau_opt = torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(plateau_opt, "min", factor=0.5, patience=1)
    x, y = torch.randn(8, 3), torch.randn(8, 1)
    lrs, lrs2, lrs3, losses = [], [], [], []
    for step in range(7):
        loss = nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        opt2.step()
        one.step()
        plateau.step([1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.6][step])
        lrs.append(opt.param_groups[0]["lr"])
        lrs2.append(opt2.param_groups[0]["lr"])
        lrs3.append(plateau_opt.param_groups[0]["lr"])
        losses.append(loss.item())
    return losses, lrs, lrs2, lrs3, opt2.param_groups[0]["betas"], model.weight


# ---- dtypes, copies, hooks, data pipelines ---------------------------------------------------
@program
def float64_default_dtype_model(torch):
    nn = torch.nn
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        torch.manual_seed(60)
        model = nn.Sequential(nn.Linear(3, 5), nn.Softplus(beta=2.0), nn.Linear(5, 1))
        x = torch.randn(7, 3)
        y = torch.sin(x.sum(1, keepdim=True))
        opt = torch.optim.LBFGS(
            model.parameters(), lr=0.5, max_iter=5, line_search_fn="strong_wolfe"
        )

        def closure():
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(x), y)
            loss.backward()
            return loss

        losses = [opt.step(closure).item() for _ in range(2)]
        return losses, model[0].weight, model[2].bias.grad, torch.tensor([1.5]).dtype, x.dtype
    finally:
        torch.set_default_dtype(old)


@program(tol=LOOSE)
def double_and_half_models(torch):
    nn = torch.nn
    torch.manual_seed(61)
    model = nn.Sequential(
        nn.Conv2d(2, 3, 3, padding=1), nn.BatchNorm2d(3), nn.ReLU(), nn.Flatten(), nn.Linear(48, 2)
    )
    m64 = model.double()
    x = torch.randn(2, 2, 4, 4, dtype=torch.float64)
    out64 = m64(x)
    out64.sum().backward()
    g = m64[0].weight.grad
    m16 = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)).half()
    out16 = m16(torch.randn(5, 4).half())
    return out64, g, m64[1].running_var.dtype, out16, m16[0].weight.dtype


@program(tol=LOOSE)
def deepcopy_target_polyak(torch):
    import copy

    nn = torch.nn
    torch.manual_seed(62)
    actor = nn.Sequential(nn.Linear(3, 6), nn.LayerNorm(6), nn.ReLU(), nn.Linear(6, 2), nn.Tanh())
    target = copy.deepcopy(actor)
    target.requires_grad_(False)
    opt = torch.optim.Adam(actor.parameters(), lr=1e-3)
    s = torch.randn(4, 3)
    losses = []
    for _ in range(3):
        loss = -(actor(s) * torch.tensor([1.0, -0.5])).sum(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            for tp, p in zip(target.parameters(), actor.parameters()):
                tp.data.mul_(0.95)
                tp.data.add_(0.05 * p.data)
            torch._foreach_lerp_(list(target.parameters()), list(actor.parameters()), 0.1)
        losses.append(loss.item())
    vec = nn.utils.parameters_to_vector(target.parameters())
    return losses, vec, target[0].weight.requires_grad, actor[1].weight.grad


@program(tol=LOOSE)
def feature_hooks_perceptual(torch):
    nn = torch.nn
    torch.manual_seed(63)
    net = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 4, 3, padding=1),
        nn.ReLU(),
    )
    feats = {}

    def save(name):
        def hook(module, inp, out):
            feats[name] = out

        return hook

    handles = [
        net[1].register_forward_hook(save("relu1")),
        net[4].register_forward_hook(save("relu2")),
    ]
    grads = []
    net[3].register_full_backward_hook(lambda m, gi, go: grads.append(go[0].abs().sum()))
    x = torch.rand(2, 3, 6, 6, requires_grad=True)
    ref = torch.rand(2, 3, 6, 6)
    net(ref)
    ref_feats = {k: v.detach() for k, v in feats.items()}
    net(x)
    loss = sum(nn.functional.l1_loss(feats[k], ref_feats[k]) for k in feats)
    loss.backward()
    for h in handles:
        h.remove()
    net(ref)
    return loss, x.grad, grads, sorted(feats), len(net[1]._forward_hooks)


@program(tol=LOOSE)
def dataloader_pipeline(torch):
    nn = torch.nn
    data = torch.utils.data
    torch.manual_seed(64)
    X = torch.randn(23, 3)
    y = (X.sum(1) > 0).long()
    ds = data.TensorDataset(X, y)
    g = torch.Generator().manual_seed(7)
    train, val = data.random_split(ds, [0.8, 0.2], generator=g)

    def collate(batch):
        xs, ys = zip(*batch)
        return torch.stack(xs) * 2, torch.tensor(ys)

    loader = data.DataLoader(train, batch_size=4, shuffle=True, drop_last=True, collate_fn=collate)
    val_loader = data.DataLoader(val, batch_size=3)
    model = nn.Linear(3, 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    losses, orders = [], []
    for _ in range(2):
        for xb, yb in loader:
            loss = nn.functional.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        orders.append(list(train.indices))
    correct = sum((model(xb).argmax(1) == yb).sum().item() for xb, yb in val_loader)
    sampler = data.WeightedRandomSampler(torch.tensor([0.1, 0.9, 0.5]), 6, replacement=True)
    batches = list(
        data.BatchSampler(data.SubsetRandomSampler([3, 1, 4, 1, 5]), batch_size=2, drop_last=False)
    )
    return losses, orders, correct, len(loader), list(sampler), batches


@program(tol=LOOSE)
def capsule_routing(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(65)

    def squash(s, dim=-1):
        n2 = (s**2).sum(dim=dim, keepdim=True)
        return n2 / (1 + n2) * s / torch.sqrt(n2 + 1e-8)

    W = nn.Parameter(0.01 * torch.randn(1, 6, 3, 4, 2))
    u = squash(torch.randn(2, 6, 2))
    opt = torch.optim.Adam([W], lr=1e-2)
    y = torch.tensor([0, 2])
    losses = []
    for _ in range(3):
        u_hat = torch.matmul(W, u[:, :, None, :, None]).squeeze(-1)
        b = torch.zeros(2, 6, 3)
        for it in range(3):
            c = F.softmax(b, dim=2)
            v = squash((c.unsqueeze(-1) * u_hat).sum(dim=1))
            if it < 2:
                b = b + (u_hat * v.unsqueeze(1)).sum(-1)
        lengths = v.norm(dim=-1)
        T = F.one_hot(y, 3).float()
        loss = (
            (T * F.relu(0.9 - lengths) ** 2 + 0.5 * (1 - T) * F.relu(lengths - 0.1) ** 2)
            .sum(1)
            .mean()
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, lengths, c, W.grad


@program(tol=LOOSE)
def siren_neural_ode(torch):
    nn = torch.nn
    torch.manual_seed(66)

    class SineLayer(nn.Module):
        def __init__(self, i, o, first=False, w0=30.0):
            super().__init__()
            self.w0 = w0
            self.linear = nn.Linear(i, o)
            with torch.no_grad():
                bound = 1 / i if first else math.sqrt(6 / i) / w0
                self.linear.weight.uniform_(-bound, bound)

        def forward(self, x):
            return torch.sin(self.w0 * self.linear(x))

    siren = nn.Sequential(SineLayer(1, 8, first=True), SineLayer(8, 8), nn.Linear(8, 1))
    coords = torch.linspace(-1, 1, 10).unsqueeze(1).requires_grad_(True)
    target = coords.detach() ** 2
    f = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2))
    opt = torch.optim.Adam([*siren.parameters(), *f.parameters()], lr=1e-4)
    losses = []
    for _ in range(2):
        out = siren(coords)
        grad = torch.autograd.grad(out, coords, torch.ones_like(out), create_graph=True)[0]
        z = torch.tensor([[1.0, 0.0]])
        traj = [z]
        for _ in range(5):
            z = z + 0.1 * f(z)
            traj.append(z)
        ode = torch.cat(traj)
        loss = ((out - target) ** 2).mean() + 0.1 * ((grad - 2 * coords.detach()) ** 2).mean()
        loss = loss + (ode[-1] - torch.tensor([0.0, 1.0])).pow(2).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, grad, ode, siren[0].linear.weight.grad


@program(tol=LOOSE)
def video_conv3d_upsample(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(67)
    model = nn.Sequential(nn.Conv3d(1, 2, (3, 3, 3), padding=1), nn.BatchNorm3d(2), nn.ReLU(),
                          nn.MaxPool3d((1, 2, 2)), nn.Conv3d(2, 2, 1), nn.Upsample(scale_factor=(1, 2, 2)))  # fmt: skip
    x = torch.randn(2, 1, 3, 4, 4)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = _train(torch, model, [(x, x.repeat(1, 2, 1, 1, 1))], F.mse_loss, opt)
    out = model(x)
    tri = F.interpolate(out, size=(4, 6, 6), mode="trilinear", align_corners=False)
    bic = F.interpolate(x[:, :, 0], scale_factor=1.5, mode="bicubic", align_corners=False)
    area = F.interpolate(x[:, :, 0], size=(3, 3), mode="area")
    return losses, tri, bic, area, model[0].weight.grad


# ---- self-supervised, augmentation, generation, optimizers -----------------------------------
@program(tol=LOOSE)
def mae_random_masking(torch):
    nn = torch.nn
    torch.manual_seed(70)
    N, L, D = 3, 8, 6
    patches = torch.randn(N, L, D)
    enc = nn.Linear(D, D)
    dec = nn.Linear(D, D)
    mask_token = nn.Parameter(torch.zeros(1, 1, D))
    nn.init.normal_(mask_token, std=0.02)
    opt = torch.optim.AdamW(
        [*enc.parameters(), *dec.parameters(), mask_token], lr=1.5e-4, betas=(0.9, 0.95)
    )
    losses = []
    for _ in range(3):
        len_keep = int(L * (1 - 0.75))
        noise = torch.rand(N, L)
        ids_shuffle = torch.argsort(noise, dim=1)
        ids_restore = torch.argsort(ids_shuffle, dim=1)
        ids_keep = ids_shuffle[:, :len_keep]
        x_masked = torch.gather(patches, dim=1, index=ids_keep.unsqueeze(-1).repeat(1, 1, D))
        mask = torch.ones([N, L])
        mask[:, :len_keep] = 0
        mask = torch.gather(mask, dim=1, index=ids_restore)
        latent = enc(x_masked)
        mask_tokens = mask_token.repeat(N, L - len_keep, 1)
        x_ = torch.cat([latent, mask_tokens], dim=1)
        x_ = torch.gather(x_, dim=1, index=ids_restore.unsqueeze(-1).repeat(1, 1, D))
        pred = dec(x_)
        target = patches
        mean, var = target.mean(dim=-1, keepdim=True), target.var(dim=-1, keepdim=True)
        target = (target - mean) / (var + 1.0e-6) ** 0.5
        loss = ((pred - target) ** 2).mean(dim=-1)
        loss = (loss * mask).sum() / mask.sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, mask, ids_restore, mask_token.grad


@program(tol=LOOSE)
def dino_centering_teacher(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(71)
    student = nn.Sequential(nn.Linear(4, 8), nn.GELU(), nn.Linear(8, 5))
    teacher = nn.Sequential(nn.Linear(4, 8), nn.GELU(), nn.Linear(8, 5))
    teacher.load_state_dict(student.state_dict())
    for p in teacher.parameters():
        p.requires_grad = False
    center = torch.zeros(1, 5)
    opt = torch.optim.SGD(student.parameters(), lr=0.05)
    x = torch.randn(6, 4)
    losses = []
    for _ in range(3):
        views = [x + 0.1 * torch.randn_like(x), x.flip(0) * 0.9]
        s_out = [F.log_softmax(student(v) / 0.1, dim=-1) for v in views]
        with torch.no_grad():
            t_raw = [teacher(v) for v in views]
            t_out = [F.softmax((t - center) / 0.04, dim=-1) for t in t_raw]
        loss = (
            sum(
                torch.sum(-t * s, dim=-1).mean()
                for i, t in enumerate(t_out)
                for j, s in enumerate(s_out)
                if i != j
            )
            / 2
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            for ps, pt in zip(student.parameters(), teacher.parameters()):
                pt.data.mul_(0.996).add_((1 - 0.996) * ps.detach().data)
            center = center * 0.9 + torch.cat(t_raw).mean(dim=0, keepdim=True) * 0.1
        losses.append(loss.item())
    return losses, center, teacher[2].weight, student[0].weight.grad


@program(tol=LOOSE)
def mixup_cutmix(torch):
    nn = torch.nn
    torch.manual_seed(72)
    model = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(4, 3),
    )
    opt = torch.optim.SGD(
        model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True
    )
    x = torch.rand(4, 3, 8, 8)
    y = torch.tensor([0, 1, 2, 1])
    beta = torch.distributions.Beta(torch.tensor([1.0]), torch.tensor([1.0]))
    losses, lams = [], []
    for step in range(3):
        lam = beta.sample().item()
        index = torch.randperm(x.size(0))
        if step % 2 == 0:
            inputs = lam * x + (1 - lam) * x[index, :]
        else:
            cut = math.sqrt(1.0 - lam)
            cw, ch = int(8 * cut), int(8 * cut)
            cx, cy = torch.randint(8, (1,)).item(), torch.randint(8, (1,)).item()
            x1, x2 = max(cx - cw // 2, 0), min(cx + cw // 2, 8)
            y1, y2 = max(cy - ch // 2, 0), min(cy + ch // 2, 8)
            inputs = x.clone()
            inputs[:, :, y1:y2, x1:x2] = x[index, :, y1:y2, x1:x2]
            lam = 1 - ((x2 - x1) * (y2 - y1) / 64)
        out = model(inputs)
        crit = nn.CrossEntropyLoss()
        loss = lam * crit(out, y) + (1 - lam) * crit(out, y[index])
        soft = torch.nn.functional.one_hot(y, 3).float() * lam + torch.nn.functional.one_hot(
            y[index], 3
        ).float() * (1 - lam)
        loss = loss + 0.1 * crit(out, soft)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        lams.append(lam)
    return losses, lams, model[0].weight.grad


@program(tol=LOOSE)
def top_p_top_k_generation(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(73)
    V = 12
    emb = nn.Embedding(V, 8)
    rnn = nn.GRU(8, 8, batch_first=True)
    head = nn.Linear(8, V)
    idx = torch.tensor([[1, 2], [3, 4]])
    outs = []
    with torch.no_grad():
        for step in range(6):
            h, _ = rnn(emb(idx))
            logits = head(h[:, -1, :]) / 0.8
            if step % 2 == 0:
                v, _ = torch.topk(logits, 5)
                logits[logits < v[:, [-1]]] = -float("Inf")
            else:
                sorted_logits, sorted_idx = torch.sort(logits, descending=True)
                cum = torch.cumsum(F.softmax(sorted_logits, dim=-1), dim=-1)
                remove = cum > 0.9
                remove[..., 1:] = remove[..., :-1].clone()
                remove[..., 0] = 0
                to_remove = remove.scatter(1, sorted_idx, remove)
                logits = logits.masked_fill(to_remove, float("-inf"))
            probs = F.softmax(logits, dim=-1)
            nxt = torch.multinomial(probs, num_samples=1)
            outs.append(probs)
            idx = torch.cat((idx, nxt), dim=1)
        greedy = torch.argmax(head(rnn(emb(idx))[0]), dim=-1)
    return idx, outs[-1], greedy


@program(tol=LOOSE)
def mha_variants(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(74)
    mha = nn.MultiheadAttention(
        6, 2, dropout=0.2, add_bias_kv=True, add_zero_attn=True, kdim=4, vdim=5
    )
    q = torch.randn(3, 2, 6, requires_grad=True)
    k, v = torch.randn(4, 2, 4), torch.randn(4, 2, 5)
    kpm = torch.tensor([[False, False, True, True], [False, False, False, False]])
    out, w = mha(q, k, v, key_padding_mask=kpm, average_attn_weights=False)
    mha2 = nn.MultiheadAttention(6, 3, batch_first=True)
    x = torch.randn(2, 4, 6)
    fmask = torch.zeros(6, 4, 4).masked_fill(
        torch.triu(torch.ones(4, 4, dtype=torch.bool), 1), float("-inf")
    )
    out2, w2 = mha2(x, x, x, attn_mask=fmask)
    mha2.eval()
    out3, w3 = mha2(
        x,
        x,
        x,
        need_weights=False,
        is_causal=True,
        attn_mask=nn.Transformer.generate_square_subsequent_mask(4),
    )
    qq, kk, vv = torch.randn(2, 2, 4, 3), torch.randn(2, 2, 5, 3), torch.randn(2, 2, 5, 3)
    sd = F.scaled_dot_product_attention(qq, kk, vv, dropout_p=0.3, scale=0.5)
    (out.sum() + out2.sum()).backward()
    return out, w, out2, w2, out3, w3, sd, q.grad, mha.bias_k.grad


@program(tol=LOOSE)
def optimizer_groups_resume(torch):
    nn = torch.nn
    torch.manual_seed(75)
    model = nn.Sequential(nn.Linear(3, 4), nn.LayerNorm(4), nn.Linear(4, 1))
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.ndim < 2]
    x, y = torch.randn(6, 3), torch.randn(6, 1)
    out = []
    for cls, kw in [(torch.optim.NAdam, {"decoupled_weight_decay": True, "momentum_decay": 4e-3}),
                    (torch.optim.RAdam, {"decoupled_weight_decay": True}), (torch.optim.Adamax, {}),
                    (torch.optim.Adadelta, {"rho": 0.8}), (torch.optim.Rprop, {"etas": (0.4, 1.3)}),
                    (torch.optim.ASGD, {"t0": 1}), (torch.optim.Adam, {"maximize": True, "foreach": False}),
                    (torch.optim.Adagrad, {"lr_decay": 0.01, "initial_accumulator_value": 0.1})]:  # fmt: skip
        opt = cls(
            [
                {"params": decay, "weight_decay": 0.1},
                {"params": no_decay, "weight_decay": 0.0, "lr": 0.02},
            ],
            lr=0.01,
            **kw,
        )
        for step in range(4):
            if step == 2:
                sd = opt.state_dict()
                opt = cls(
                    [
                        {"params": decay, "weight_decay": 0.1},
                        {"params": no_decay, "weight_decay": 0.0, "lr": 0.02},
                    ],
                    lr=0.01,
                    **kw,
                )
                opt.load_state_dict(sd)
            for micro in range(2):
                loss = (
                    nn.functional.mse_loss(
                        model(x[micro * 3 : micro * 3 + 3]), y[micro * 3 : micro * 3 + 3]
                    )
                    / 2
                )
                loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 0.5, norm_type="inf")
            opt.step()
            opt.zero_grad(set_to_none=True)
            out.append(loss.item())
    return out, model[0].weight, model[1].bias, model[2].weight.grad


# ---- autograd-heavy research code ------------------------------------------------------------
@program(tol=LOOSE)
def pinn_burgers(torch):
    nn = torch.nn
    torch.manual_seed(80)
    net = nn.Sequential(nn.Linear(2, 10), nn.Tanh(), nn.Linear(10, 10), nn.Tanh(), nn.Linear(10, 1))
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.xavier_normal_(m.weight, gain=nn.init.calculate_gain("tanh"))
            nn.init.zeros_(m.bias)
    xt = torch.rand(12, 2, requires_grad=True)
    x0 = torch.cat([torch.linspace(-1, 1, 5)[:, None], torch.zeros(5, 1)], 1)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    losses = []
    for _ in range(3):
        u = net(xt)
        du = torch.autograd.grad(u, xt, torch.ones_like(u), create_graph=True)[0]
        u_x, u_t = du[:, :1], du[:, 1:]
        u_xx = torch.autograd.grad(u_x, xt, torch.ones_like(u_x), create_graph=True)[0][:, :1]
        res = u_t + u * u_x - (0.01 / math.pi) * u_xx
        loss = res.pow(2).mean() + (net(x0) + torch.sin(math.pi * x0[:, :1])).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, u_xx, net[2].weight.grad


@program(tol=LOOSE)
def checkpoint_with_dropout(torch):
    nn = torch.nn
    from_ckpt = torch.utils.checkpoint
    torch.manual_seed(81)
    block = nn.Sequential(nn.Linear(6, 6), nn.Dropout(0.5), nn.GELU(), nn.Linear(6, 6))
    x = torch.randn(4, 6, requires_grad=True)
    outs = []
    for reentrant in (False, True):
        y = from_ckpt.checkpoint(block, x, use_reentrant=reentrant)
        y.pow(2).sum().backward()
        outs += [y, x.grad.clone(), block[0].weight.grad.clone()]
        x.grad = None
        block.zero_grad()
    seq = from_ckpt.checkpoint_sequential(block, 2, x, use_reentrant=False)
    return outs, seq, torch.rand(2)


@program(tol=LOOSE)
def gradient_reversal_dann(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(82)

    class GradReverse(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, alpha):
            ctx.alpha = alpha
            return x.view_as(x)

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output.neg() * ctx.alpha, None

    feat = nn.Sequential(nn.Linear(4, 6), nn.ReLU())
    label = nn.Linear(6, 2)
    domain = nn.Sequential(nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 1))
    params = [*feat.parameters(), *label.parameters(), *domain.parameters()]
    opt = torch.optim.SGD(params, lr=0.01, momentum=0.9)
    src, tgt = torch.randn(5, 4), torch.randn(5, 4) + 1
    ys = torch.tensor([0, 1, 0, 1, 1])
    losses = []
    for step in range(3):
        p = step / 3
        alpha = 2.0 / (1.0 + math.exp(-10 * p)) - 1
        fs, ft = feat(src), feat(tgt)
        ft.register_hook(lambda g: g.clamp(-0.1, 0.1))
        d = domain(GradReverse.apply(torch.cat([fs, ft]), alpha)).squeeze(1)
        dl = torch.cat([torch.zeros(5), torch.ones(5)])
        loss = F.cross_entropy(label(fs), ys) + F.binary_cross_entropy_with_logits(d, dl)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, feat[0].weight.grad, domain[0].weight.grad


@program(tol=LOOSE)
def per_sample_grads_vmap(torch):
    nn = torch.nn
    F = nn.functional
    fn = torch.func
    torch.manual_seed(83)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    params = {k: v.detach() for k, v in model.named_parameters()}
    x, y = torch.randn(5, 3), torch.tensor([0, 1, 1, 0, 1])

    def loss_fn(p, xb, yb):
        out = fn.functional_call(model, p, (xb.unsqueeze(0),))
        return F.cross_entropy(out, yb.unsqueeze(0))

    per = fn.vmap(fn.grad(loss_fn), in_dims=(None, 0, 0))(params, x, y)
    norms = torch.stack([g.flatten(1).norm(dim=1) for g in per.values()]).norm(dim=0)
    clip = (1.0 / (norms + 1e-6)).clamp(max=1.0)
    noisy = {
        k: (g * clip.view(-1, *[1] * (g.ndim - 1))).sum(0) + 0.1 * torch.randn_like(g[0])
        for k, g in per.items()
    }
    hvp = fn.jvp(
        fn.grad(lambda p: loss_fn(p, x[0], y[0])),
        (params,),
        ({k: torch.ones_like(v) for k, v in params.items()},),
    )[1]
    jac = torch.autograd.functional.jacobian(lambda inp: model(inp).sum(0), x[:2])
    hess = torch.autograd.functional.hessian(lambda inp: model(inp).pow(2).sum(), x[0])
    return per["0.weight"], norms, noisy["2.bias"], hvp["2.weight"], jac, hess


# ---- sampling, clustering, decompositions ----------------------------------------------------
@program(tol=LOOSE)
def nerf_hierarchical_sampling(torch):
    torch.manual_seed(90)

    def sample_pdf(bins, weights, N_samples, det=False):
        weights = weights + 1e-5
        pdf = weights / torch.sum(weights, -1, keepdim=True)
        cdf = torch.cumsum(pdf, -1)
        cdf = torch.cat([torch.zeros_like(cdf[..., :1]), cdf], -1)
        if det:
            u = torch.linspace(0.0, 1.0, steps=N_samples).expand(list(cdf.shape[:-1]) + [N_samples])
        else:
            u = torch.rand(list(cdf.shape[:-1]) + [N_samples])
        u = u.contiguous()
        inds = torch.searchsorted(cdf, u, right=True)
        below = torch.max(torch.zeros_like(inds - 1), inds - 1)
        above = torch.min((cdf.shape[-1] - 1) * torch.ones_like(inds), inds)
        inds_g = torch.stack([below, above], -1)
        matched_shape = [inds_g.shape[0], inds_g.shape[1], cdf.shape[-1]]
        cdf_g = torch.gather(cdf.unsqueeze(1).expand(matched_shape), 2, inds_g)
        bins_g = torch.gather(bins.unsqueeze(1).expand(matched_shape), 2, inds_g)
        denom = cdf_g[..., 1] - cdf_g[..., 0]
        denom = torch.where(denom < 1e-5, torch.ones_like(denom), denom)
        t = (u - cdf_g[..., 0]) / denom
        return bins_g[..., 0] + t * (bins_g[..., 1] - bins_g[..., 0])

    bins = torch.linspace(2, 6, 7).expand(3, 7)
    weights = torch.rand(3, 6, requires_grad=True)
    s = sample_pdf(bins, weights, 5)
    s_det = sample_pdf(bins, weights, 5, det=True)
    z, _ = torch.sort(torch.cat([bins, s.detach()], -1), -1)
    s.sum().backward()
    b = torch.bucketize(
        torch.tensor([0.5, 2.0, 3.3, 7.0]), torch.tensor([1.0, 2.0, 3.0]), right=False
    )
    return s, s_det, z, weights.grad, b


@program(tol=LOOSE)
def class_weights_kmeans(torch):
    nn = torch.nn
    torch.manual_seed(91)
    y = torch.tensor([0, 0, 0, 1, 2, 2, 0, 1, 0, 0])
    counts = torch.bincount(y, minlength=4)
    weights = counts.sum() / (len(counts) * counts.clamp(min=1).float())
    uniq, inv, cnt = torch.unique(y, return_inverse=True, return_counts=True)
    model = nn.Linear(3, 4)
    x = torch.randn(10, 3)
    crit = nn.CrossEntropyLoss(weight=weights)
    loss = crit(model(x), y)
    loss.backward()
    pts = torch.cat([torch.randn(6, 2) + 3, torch.randn(6, 2) - 3])
    cent = pts[torch.randperm(12)[:2]].clone()
    for _ in range(3):
        assign = torch.cdist(pts, cent).argmin(1)
        sums = torch.zeros_like(cent).scatter_add_(0, assign[:, None].expand(-1, 2), pts)
        n = torch.bincount(assign, minlength=2).clamp(min=1).unsqueeze(1)
        cent = sums / n
    med, medi = torch.median(torch.tensor([3.0, 1.0, 2.0, 2.0, 5.0, 1.0]), 0)
    q = torch.quantile(pts[:, 0], torch.tensor([0.1, 0.5, 0.9]))
    hist = torch.histc(pts[:, 1], bins=5, min=-5, max=5)
    return loss, model.weight.grad, weights, uniq, inv, cnt, cent, assign, med, medi, q, hist


@program(tol=LOOSE)
def pca_whitening_procrustes(torch):
    torch.manual_seed(92)
    X = torch.randn(20, 3, dtype=torch.float64) @ torch.tensor(
        [[2.0, 0, 0], [0.5, 1.0, 0], [0, 0.3, 0.2]], dtype=torch.float64
    )
    Xc = X - X.mean(0)
    cov = Xc.T @ Xc / (X.shape[0] - 1)
    evals, evecs = torch.linalg.eigh(cov)
    proj = Xc @ evecs
    whitened = proj / evals.sqrt()
    U, S, Vh = torch.linalg.svd(Xc, full_matrices=False)
    A, B = torch.randn(5, 3, dtype=torch.float64), torch.randn(5, 3, dtype=torch.float64)
    u, _, vh = torch.linalg.svd(A.T @ B)
    R = u @ vh
    Q, Rq = torch.linalg.qr(torch.randn(4, 4, dtype=torch.float64))
    return (evals, proj.abs(), whitened.abs(), S, (U * S) @ Vh, torch.cov(X.T), torch.corrcoef(X.T),
            R @ R.T, (Q @ Rq), Rq.diagonal().abs(), torch.linalg.matrix_rank(cov), torch.linalg.slogdet(cov))  # fmt: skip


@program(tol=LOOSE)
def lstm_proj_and_adaptive_softmax(torch):
    nn = torch.nn
    torch.manual_seed(93)
    lstm = nn.LSTM(4, 6, num_layers=2, proj_size=3, batch_first=True)
    asm = nn.AdaptiveLogSoftmaxWithLoss(3, 10, cutoffs=[4, 7], div_value=2.0)
    x = torch.randn(2, 5, 4)
    tgt = torch.randint(0, 10, (10,))
    opt = torch.optim.Adam([*lstm.parameters(), *asm.parameters()], lr=1e-2)
    losses = []
    for _ in range(3):
        out, (h, c) = lstm(x)
        res = asm(out.reshape(-1, 3), tgt)
        opt.zero_grad()
        res.loss.backward()
        opt.step()
        losses.append(res.loss.item())
    return (
        losses,
        res.output,
        h,
        c,
        asm.log_prob(out.reshape(-1, 3)),
        asm.predict(out.reshape(-1, 3)),
        lstm.weight_hr_l1.grad,
    )


@error(
    RuntimeError,
    r"The size of tensor a \(3\) must match the size of tensor b \(2\) at non-singleton dimension 1",
)
def regression_head_wrong_target_shape(torch):
    # a regression model's (N, 3) output against a transposed (3, N) target: PyTorch warns,
    # then its broadcast fails with a RuntimeError (numpy's ValueError once escaped here)
    import warnings

    torch.manual_seed(94)
    head = torch.nn.Linear(4, 3)
    out = head(torch.randn(2, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [
            loss(out, torch.randn(3, 2))
            for loss in (torch.nn.MSELoss(), torch.nn.HuberLoss(), torch.nn.SmoothL1Loss())
        ]


@program
def losses_broadcast_target_with_warning(torch):
    import warnings

    x = torch.arange(6.0, dtype=torch.float64).reshape(2, 3).requires_grad_()
    t = torch.tensor([[0.5], [4.0]], dtype=torch.float64)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = [f(x, t) for f in (torch.nn.functional.mse_loss, torch.nn.functional.l1_loss,
                                 torch.nn.functional.huber_loss, torch.nn.functional.smooth_l1_loss)]  # fmt: skip
    grads = torch.autograd.grad(sum(out), x)
    return out, grads, [str(w.message).replace("minitorch", "torch") for w in caught]


@error(
    RuntimeError,
    r"The expanded size of the tensor \(4\) must match the existing size \(5\) at non-singleton dimension 1",
)
def functional_head_wrong_bias(torch):
    # a hand-written functional model (MAML style) whose bias is one too long
    torch.manual_seed(95)
    w, b = torch.randn(4, 3), torch.randn(5)
    return torch.nn.functional.linear(torch.randn(6, 2, 3), w, b)


@error(
    RuntimeError,
    r"The size of tensor a \(3\) must match the size of tensor b \(2\) at non-singleton dimension 1",
)
def box_decoding_floor_div_shapes(torch):
    # anchor-grid decoding with // on mismatched shapes (numpy's ValueError once escaped)
    idx = torch.arange(6).reshape(2, 3)
    return idx // torch.tensor([[2, 3], [4, 5], [6, 7]])


@program
def box_decoding_floor_div(torch):
    flat = torch.tensor([0, 5, 7, 11, 13])
    stride = torch.tensor([4, 4, 4, 4, 4])
    rows, cols = flat // stride, flat % stride
    trunc = torch.div(
        torch.tensor([-7.5, 7.5]), torch.tensor([[2.0], [-2.0]]), rounding_mode="trunc"
    )
    return rows, cols, trunc, torch.floor_divide(torch.tensor([-7.0, 7.0]), 2)


# ---- conditioning, graph pooling, cross-attention --------------------------------------------
@program(tol=LOOSE)
def stylegan_modulated_conv(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(100)

    class ModConv(nn.Module):
        def __init__(self, cin, cout, k, wdim, demod=True):
            super().__init__()
            self.weight = nn.Parameter(torch.randn(1, cout, cin, k, k))
            self.scale = 1 / math.sqrt(cin * k * k)
            self.affine = nn.Linear(wdim, cin)
            self.affine.bias.data.fill_(1.0)
            self.demod, self.pad = demod, k // 2

        def forward(self, x, w):
            b, cin, h, wd = x.shape
            style = self.affine(w).view(b, 1, cin, 1, 1)
            weight = self.scale * self.weight * style
            if self.demod:
                d = torch.rsqrt(weight.pow(2).sum([2, 3, 4]) + 1e-8)
                weight = weight * d.view(b, -1, 1, 1, 1)
            weight = weight.view(b * weight.shape[1], cin, *weight.shape[3:])
            out = F.conv2d(x.view(1, b * cin, h, wd), weight, padding=self.pad, groups=b)
            return out.view(b, -1, h, wd)

    mapping = nn.Sequential(nn.Linear(4, 4), nn.LeakyReLU(0.2), nn.Linear(4, 4))
    conv = ModConv(3, 2, 3, 4)
    noise_strength = nn.Parameter(torch.zeros([]))
    opt = torch.optim.Adam(
        [*mapping.parameters(), *conv.parameters(), noise_strength],
        lr=2e-3,
        betas=(0.0, 0.99),
        eps=1e-8,
    )
    x = torch.randn(2, 3, 5, 5)
    losses = []
    for _ in range(3):
        z = torch.randn(2, 4)
        w = mapping(z * (z.square().mean(dim=1, keepdim=True) + 1e-8).rsqrt())
        out = conv(x, w)
        out = out + torch.randn(2, 1, 5, 5) * noise_strength
        out = F.leaky_relu(out, 0.2) * math.sqrt(2)
        loss = F.softplus(-out.mean((1, 2, 3))).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, out, conv.weight.grad, noise_strength.grad


@program(tol=LOOSE)
def adain_film_conditioning(torch):
    nn = torch.nn
    torch.manual_seed(101)

    def calc_mean_std(feat, eps=1e-5):
        N, C = feat.size()[:2]
        feat_var = feat.view(N, C, -1).var(dim=2) + eps
        feat_std = feat_var.sqrt().view(N, C, 1, 1)
        feat_mean = feat.view(N, C, -1).mean(dim=2).view(N, C, 1, 1)
        return feat_mean, feat_std

    def adain(content, style):
        size = content.size()
        s_mean, s_std = calc_mean_std(style)
        c_mean, c_std = calc_mean_std(content)
        normalized = (content - c_mean.expand(size)) / c_std.expand(size)
        return normalized * s_std.expand(size) + s_mean.expand(size)

    class FiLM(nn.Module):
        def __init__(self, c, cond):
            super().__init__()
            self.norm = nn.BatchNorm2d(c, affine=False)
            self.gb = nn.Linear(cond, 2 * c)

        def forward(self, x, y):
            gamma, beta = self.gb(y).unsqueeze(-1).unsqueeze(-1).chunk(2, 1)
            return self.norm(x) * (1 + gamma) + beta

    enc = nn.Conv2d(3, 4, 3, padding=1)
    dec = nn.Conv2d(4, 3, 3, padding=1, padding_mode="reflect")
    film = FiLM(4, 2)
    c, s = torch.rand(2, 3, 6, 6), torch.rand(2, 3, 6, 6)
    cond = F_onehot = torch.nn.functional.one_hot(torch.tensor([0, 1]), 2).float()
    opt = torch.optim.Adam([*enc.parameters(), *dec.parameters(), *film.parameters()], lr=1e-3)
    losses = []
    for _ in range(3):
        t = adain(enc(c), enc(s))
        out = dec(film(t, F_onehot))
        fm, fs = calc_mean_std(enc(out))
        sm, ss = calc_mean_std(enc(s))
        loss = (
            nn.functional.mse_loss(enc(out), t)
            + nn.functional.mse_loss(fm, sm)
            + nn.functional.mse_loss(fs, ss)
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, out, cond, film.norm.running_var, dec.weight.grad


@program(tol=LOOSE)
def graphsage_gin(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(102)
    N = 6
    x = torch.randn(N, 3)
    edge_index = torch.tensor([[0, 1, 1, 2, 3, 4, 5, 5], [1, 0, 2, 1, 4, 3, 0, 2]])
    batch = torch.tensor([0, 0, 0, 1, 1, 1])
    sage_l = nn.Linear(3, 4)
    sage_r = nn.Linear(3, 4, bias=False)
    gin = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 4))
    eps = nn.Parameter(torch.zeros(1))
    head = nn.Linear(8, 2)
    params = [
        *sage_l.parameters(),
        *sage_r.parameters(),
        *gin.parameters(),
        eps,
        *head.parameters(),
    ]
    opt = torch.optim.Adam(params, lr=1e-2, weight_decay=5e-4)
    y = torch.tensor([0, 1])
    losses = []
    for _ in range(3):
        src, dst = edge_index
        agg = torch.zeros(N, 3).index_reduce_(0, dst, x[src], "mean", include_self=False)
        h = F.relu(sage_l(agg) + sage_r(x))
        h = F.normalize(h, p=2.0, dim=-1)
        summed = torch.zeros_like(h).scatter_add_(0, dst.unsqueeze(1).expand(-1, 4), h[src])
        h = gin((1 + eps) * h + summed)
        mean_pool = torch.zeros(2, 4).index_add_(0, batch, h) / torch.bincount(batch).unsqueeze(1)
        max_pool = torch.full((2, 4), float("-inf")).scatter_reduce(
            0, batch.unsqueeze(1).expand(-1, 4), h, "amax"
        )
        out = head(torch.cat([mean_pool, max_pool], 1))
        loss = F.cross_entropy(out, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, out, eps.grad, sage_r.weight.grad, gin[1].running_mean


@program(tol=LOOSE)
def perceiver_cross_attention(torch):
    nn = torch.nn
    torch.manual_seed(103)

    class Perceiver(nn.Module):
        def __init__(self, in_dim, latents=4, dim=8):
            super().__init__()
            self.latents = nn.Parameter(torch.randn(latents, dim))
            self.kv = nn.Linear(in_dim, dim)
            self.cross = nn.MultiheadAttention(dim, 1, batch_first=True)
            self.self_attn = nn.TransformerEncoderLayer(
                dim, 2, 16, dropout=0.0, batch_first=True, activation=nn.functional.gelu
            )
            self.ln = nn.LayerNorm(dim)
            self.out = nn.Linear(dim, 3)

        def forward(self, x, mask=None):
            lat = self.latents.unsqueeze(0).expand(x.shape[0], -1, -1)
            kv = self.kv(x)
            lat = lat + self.cross(lat, kv, kv, key_padding_mask=mask)[0]
            lat = self.self_attn(lat)
            return self.out(self.ln(lat).mean(1))

    model = Perceiver(5)
    x = torch.randn(3, 7, 5)
    mask = torch.arange(7)[None, :] >= torch.tensor([7, 5, 3])[:, None]
    y = torch.tensor([2, 0, 1])
    opt = torch.optim.Lamb if hasattr(torch.optim, "Lamb") else torch.optim.AdamW
    opt = opt(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(3):
        loss = nn.functional.cross_entropy(model(x, mask), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, model.latents.grad, model.cross.in_proj_weight.grad


@program
def scatter_max_pool_from_minus_inf(torch):
    # global max-pool over graph nodes into a -inf initialised buffer (include_self): the
    # -inf that does not take part once made the values and gradients nan here
    torch.manual_seed(104)
    h = torch.randn(6, 4, dtype=torch.float64)
    h[0, 0] = float("inf")
    h[4, 1] = float("-inf")
    h.requires_grad_()
    batch = torch.tensor([0, 0, 0, 1, 1, 1]).unsqueeze(1).expand(-1, 4)
    start = torch.full((2, 4), float("-inf"), dtype=torch.float64, requires_grad=True)
    mx = start.scatter_reduce(0, batch, h, "amax")
    mn = torch.full((2, 4), float("inf"), dtype=torch.float64).scatter_reduce(0, batch, h, "amin")
    mean = torch.zeros(2, 4, dtype=torch.float64).index_reduce(
        0, torch.tensor([0, 0, 0, 1, 1, 1]), h, "amax"
    )
    w = torch.arange(8.0, dtype=torch.float64).reshape(2, 4)
    grads = torch.autograd.grad((mx * w).sum() + (mn * w).sum(), (h, start))
    return mx, mn, mean, grads, [t.grad_fn.name() for t in (mx, mn, mean)]


@error(ValueError, r"betas must be either both floats or both Tensors")
def stylegan_int_beta(torch):
    # StyleGAN's betas=(0, 0.99): PyTorch 2.13 refuses the int
    return torch.optim.Adam([torch.nn.Parameter(torch.ones(2))], lr=2e-3, betas=(0, 0.99))


# ---- pruning, text CNN, attention decoders ---------------------------------------------------
@program(tol=LOOSE)
def pruning_then_finetune(torch):
    nn = torch.nn
    prune = importlib.import_module(torch.__name__ + ".nn.utils.prune")
    torch.manual_seed(110)
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(16, 3))
    prune.l1_unstructured(model[0], name="weight", amount=0.3)
    prune.random_unstructured(model[3], name="weight", amount=0.25)
    prune.ln_structured(model[0], name="weight", amount=1, n=2, dim=0)
    prune.global_unstructured(
        [(model[0], "bias"), (model[3], "weight")], pruning_method=prune.L1Unstructured, amount=4
    )
    x, y = torch.randn(5, 1, 4, 4), torch.tensor([0, 1, 2, 0, 1])
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = _train(torch, model, [(x, y)], nn.functional.cross_entropy, opt)
    masks = [model[0].weight_mask, model[3].weight_mask, model[0].bias_mask]
    names = sorted(n for n, _ in model.named_buffers())
    prune.remove(model[3], "weight")
    return losses, masks, names, model[3].weight, model[0].weight_orig.grad, prune.is_pruned(model)


@program(tol=LOOSE)
def kim_text_cnn(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(111)

    class TextCNN(nn.Module):
        def __init__(self, vocab=30, dim=6, n_filters=3, sizes=(2, 3, 4), classes=2):
            super().__init__()
            self.embedding = nn.Embedding(vocab, dim, padding_idx=1)
            self.convs = nn.ModuleList([nn.Conv1d(dim, n_filters, k) for k in sizes])
            self.fc = nn.Linear(len(sizes) * n_filters, classes)
            self.dropout = nn.Dropout(0.5)

        def forward(self, text):
            emb = self.embedding(text).permute(0, 2, 1)
            conved = [F.relu(conv(emb)) for conv in self.convs]
            pooled = [F.max_pool1d(c, c.shape[2]).squeeze(2) for c in conved]
            return self.fc(self.dropout(torch.cat(pooled, dim=1)))

    model = TextCNN()
    model.embedding.weight.data[1] = torch.zeros(6)
    text = torch.randint(0, 30, (4, 9))
    text[:, 7:] = 1
    y = torch.tensor([1.0, 0.0, 1.0, 1.0])
    opt = torch.optim.Adam(model.parameters())
    crit = nn.BCEWithLogitsLoss()
    losses = []
    for _ in range(3):
        pred = model(text)[:, 0]
        loss = crit(pred, y)
        acc = (torch.round(torch.sigmoid(pred)) == y).float().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses += [loss.item(), acc.item()]
    return losses, model.embedding.weight.grad, model.convs[2].weight.grad


@program(tol=LOOSE)
def bahdanau_attention_decoder(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(112)
    H, V = 6, 9
    enc = nn.GRU(4, H, batch_first=True, bidirectional=True)
    enc_fc = nn.Linear(2 * H, H)
    attn = nn.Linear(3 * H, H)
    v = nn.Linear(H, 1, bias=False)
    emb = nn.Embedding(V, 4)
    dec = nn.GRU(4 + 2 * H, H, batch_first=True)
    out_fc = nn.Linear(3 * H + 4, V)
    modules = nn.ModuleList([enc, enc_fc, attn, v, emb, dec, out_fc])
    opt = torch.optim.Adam(modules.parameters(), lr=1e-3)
    src = torch.randn(2, 5, 4)
    trg = torch.tensor([[0, 3, 4, 2], [0, 5, 6, 2]])
    losses = []
    for _ in range(2):
        outs, h = enc(src)
        hidden = torch.tanh(enc_fc(torch.cat((h[-2], h[-1]), dim=1)))
        inp = trg[:, 0]
        logits = []
        for t in range(1, trg.shape[1]):
            e = emb(inp).unsqueeze(1)
            rep = hidden.unsqueeze(1).repeat(1, outs.shape[1], 1)
            energy = torch.tanh(attn(torch.cat((rep, outs), dim=2)))
            a = F.softmax(v(energy).squeeze(2), dim=1)
            weighted = torch.bmm(a.unsqueeze(1), outs)
            o, hidden = dec(torch.cat((e, weighted), dim=2), hidden.unsqueeze(0))
            hidden = hidden.squeeze(0)
            pred = out_fc(torch.cat((o.squeeze(1), weighted.squeeze(1), e.squeeze(1)), dim=1))
            logits.append(pred)
            inp = trg[:, t] if torch.rand(()) < 0.5 else pred.argmax(1)
        logits = torch.stack(logits, 1)
        loss = F.cross_entropy(logits.reshape(-1, V), trg[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(modules.parameters(), 1)
        opt.step()
        losses.append(loss.item())
    return losses, a, v.weight.grad, enc.weight_hh_l0_reverse.grad


@program(tol=LOOSE)
def tcn_legacy_weight_norm(torch):
    import warnings

    nn = torch.nn
    torch.manual_seed(113)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        conv1 = nn.utils.weight_norm(nn.Conv1d(2, 3, 3, padding=2, dilation=1))
        conv2 = nn.utils.weight_norm(nn.Conv1d(3, 3, 3, padding=4, dilation=2), dim=None)
    chomp = lambda x, n: x[:, :, :-n].contiguous()  # noqa: E731
    down = nn.Conv1d(2, 3, 1)
    conv1.weight_v.data.normal_(0, 0.01)
    x = torch.randn(2, 2, 8)
    params = [*conv1.parameters(), *conv2.parameters(), *down.parameters()]
    opt = torch.optim.Adam(params, lr=2e-3)
    losses = []
    for _ in range(3):
        h = nn.functional.dropout(torch.relu(chomp(conv1(x), 2)), 0.2)
        h = torch.relu(chomp(conv2(h), 4))
        out = torch.relu(h + down(x))
        loss = out[:, :, -1].pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    names = sorted(n for n, _ in conv1.named_parameters())
    return losses, names, conv1.weight_g.grad, conv2.weight_g, conv1.weight


# ---- decoders with unusual conv geometry -----------------------------------------------------
@program(tol=LOOSE)
def decoder_conv_geometry(torch):
    nn = torch.nn
    F = nn.functional
    torch.manual_seed(120)
    dec = nn.Sequential(
        nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1, output_padding=1, groups=2, dilation=1),
        nn.ReLU(),
        nn.ConvTranspose2d(
            4, 2, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(2, 1), bias=False
        ),
        nn.Upsample(scale_factor=1.5, mode="nearest-exact"),
        nn.Conv2d(2, 2, 4, padding="same", dilation=2),
        nn.Conv2d(2, 1, 3, padding="same", padding_mode="circular"),
    )
    z = torch.randn(2, 4, 3, 3)
    target = torch.rand(2, 1, 19, 10)
    opt = torch.optim.Adam(dec.parameters(), lr=1e-3)
    losses = []
    for _ in range(3):
        out = dec(z)
        loss = F.mse_loss(out, target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    per = F.pad(out, (1, 1, 2, 2), mode="circular")
    rep = F.pad(out, (1, 1, 2, 2), mode="replicate")
    rsf = F.interpolate(
        out, scale_factor=0.7, mode="bilinear", recompute_scale_factor=True, antialias=True
    )
    return losses, out.shape, per, rep, rsf, dec[0].weight.grad, dec[2].weight.grad


@program(tol=LOOSE)
def channels_last_training(torch):
    nn = torch.nn
    torch.manual_seed(121)
    model = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.Conv2d(4, 2, 1)
    )
    model = model.to(memory_format=torch.channels_last)
    x = torch.randn(2, 3, 5, 5).to(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    losses = _train(torch, model, [(x, torch.zeros(2, 2, 5, 5))], nn.functional.mse_loss, opt)
    out = model(x)
    flat = out.permute(0, 2, 3, 1).reshape(-1, 2)
    return losses, model[0].weight.stride(), flat, model[0].weight.grad
