#!/usr/bin/python3
"""Python PyTorch reference for `flowscope-cli bench unet --python` (and `--peers`).

The ADM U-Net of core/models/unet (openai/guided-diffusion's UNetModel layout: unet.py / nn.py,
transcribed module by module) as a float32 nn.Module, built from the UNetConfig the C++ side
passes as JSON (--config), and the same timed computation:

  train:  x1 ~ U[-1, 1]^(C x H x W), x0 ~ N(0, I), t ~ U[0, 1];
          x_t = (1 - (1 - sigma_min) t) x0 + t x1, u = x1 - (1 - sigma_min) x0 (eq. 23);
          loss = mean((v(x_t, t) - u)^2); backward; Adam (lr 1e-4) step.
  sample: --steps Euler steps of dx/dt = v(x, t) from x0 ~ N(0, I), t from 0 to 1, no grad.

Prints one JSON line with the parameter count (the C++ side fails if it differs from its own),
img_per_s, ms_per_step and this process's peak RSS. Runs under Debian's python3-torch (1.13,
--python) and pip torch 2.x (--peers): it needs nothing but torch.
"""
import argparse
import json
import math
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SIGMA_MIN = 1e-4  # FlowScope's default path.sigma_min (CondOTPath)


def timestep_embedding(timesteps, dim, max_period):
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(0, half, dtype=torch.float32,
                                                           device=timesteps.device) / half)
    args = timesteps[:, None].float() * freqs[None]
    emb = torch.cat([torch.cos(args), torch.sin(args)], dim=-1)
    if dim % 2:
        emb = torch.cat([emb, torch.zeros_like(emb[:, :1])], dim=-1)
    return emb


def zero_module(m):
    for p in m.parameters():
        p.detach().zero_()
    return m


class Upsample(nn.Module):
    def __init__(self, ch, use_conv):
        super().__init__()
        self.conv = nn.Conv2d(ch, ch, 3, padding=1) if use_conv else None

    def forward(self, x):
        x = F.interpolate(x, scale_factor=2, mode="nearest")
        return self.conv(x) if self.conv is not None else x


class Downsample(nn.Module):
    def __init__(self, ch, use_conv):
        super().__init__()
        self.op = nn.Conv2d(ch, ch, 3, stride=2, padding=1) if use_conv else nn.AvgPool2d(2, 2)

    def forward(self, x):
        return self.op(x)


class ResBlock(nn.Module):
    def __init__(self, ch, emb, out, ssn, groups, dropout, up=False, down=False):
        super().__init__()
        self.ssn = ssn
        self.in_layers = nn.Sequential(nn.GroupNorm(groups, ch), nn.SiLU(), nn.Conv2d(ch, out, 3, padding=1))
        self.updown = up or down
        if up:
            self.h_upd, self.x_upd = Upsample(ch, False), Upsample(ch, False)
        elif down:
            self.h_upd, self.x_upd = Downsample(ch, False), Downsample(ch, False)
        self.emb_layers = nn.Sequential(nn.SiLU(), nn.Linear(emb, 2 * out if ssn else out))
        self.out_layers = nn.Sequential(nn.GroupNorm(groups, out), nn.SiLU(), nn.Dropout(dropout),
                                        zero_module(nn.Conv2d(out, out, 3, padding=1)))
        self.skip = nn.Identity() if out == ch else nn.Conv2d(ch, out, 1)

    def forward(self, x, emb):
        if self.updown:
            h = self.in_layers[:-1](x)
            h, x = self.h_upd(h), self.x_upd(x)
            h = self.in_layers[-1](h)
        else:
            h = self.in_layers(x)
        e = self.emb_layers(emb).type(h.dtype)[..., None, None]
        if self.ssn:
            scale, shift = torch.chunk(e, 2, dim=1)
            h = self.out_layers[0](h) * (1 + scale) + shift
            h = self.out_layers[1:](h)
        else:
            h = self.out_layers(h + e)
        return self.skip(x) + h


class AttentionBlock(nn.Module):
    def __init__(self, ch, heads, groups, new_order):
        super().__init__()
        self.heads, self.new_order = heads, new_order
        self.norm = nn.GroupNorm(groups, ch)
        self.qkv = nn.Conv1d(ch, 3 * ch, 1)
        self.proj_out = zero_module(nn.Conv1d(ch, ch, 1))

    def forward(self, x):
        b, c, *spatial = x.shape
        x = x.reshape(b, c, -1)
        qkv = self.qkv(self.norm(x))
        bs, width, length = qkv.shape
        ch = width // (3 * self.heads)
        scale = 1 / math.sqrt(math.sqrt(ch))
        if self.new_order:  # QKVAttention
            q, k, v = qkv.chunk(3, dim=1)
            w = torch.einsum("bct,bcs->bts", (q * scale).view(bs * self.heads, ch, length),
                             (k * scale).view(bs * self.heads, ch, length))
            w = torch.softmax(w.float(), dim=-1).type(w.dtype)
            a = torch.einsum("bts,bcs->bct", w, v.reshape(bs * self.heads, ch, length))
        else:  # QKVAttentionLegacy
            q, k, v = qkv.reshape(bs * self.heads, ch * 3, length).split(ch, dim=1)
            w = torch.einsum("bct,bcs->bts", q * scale, k * scale)
            w = torch.softmax(w.float(), dim=-1).type(w.dtype)
            a = torch.einsum("bts,bcs->bct", w, v)
        h = self.proj_out(a.reshape(bs, -1, length))
        return (x + h).reshape(b, c, *spatial)


class TimestepSequential(nn.Sequential):
    def forward(self, x, emb):
        for layer in self:
            x = layer(x, emb) if isinstance(layer, ResBlock) else layer(x)
        return x


class UNet(nn.Module):
    """guided-diffusion's UNetModel for a UNetConfig (core/models/unet/UNetConfig.h; the
    attention resolutions are in pixels)."""

    def __init__(self, c):
        super().__init__()
        mc, mult, nrb, g = c["model_channels"], c["channel_mult"], c["num_res_blocks"], c["groups"]
        ssn, updown, drop = c["use_scale_shift_norm"], c["resblock_updown"], c["dropout"]
        emb = 4 * mc
        self.mc, self.nc = mc, c["num_classes"]
        self.time_scale, self.max_period = c["time_scale"], c["max_period"]
        attn_px = set(c["attention_resolutions"])

        def heads(ch):
            return c["num_heads"] if c["num_head_channels"] == -1 else ch // c["num_head_channels"]

        def attention(ch):
            return AttentionBlock(ch, heads(ch), g, c["use_new_attention_order"])

        def res(ch, out, **kw):
            return ResBlock(ch, emb, out, ssn, g, drop, **kw)

        self.time_embed = nn.Sequential(nn.Linear(mc, emb), nn.SiLU(), nn.Linear(emb, emb))
        if self.nc:
            self.label_emb = nn.Embedding(self.nc + 1, emb)  # row nc: the null class
        ch = mc * mult[0]
        self.input_blocks = nn.ModuleList([TimestepSequential(nn.Conv2d(c["in_channels"], ch, 3, padding=1))])
        chans, side = [ch], c["image_size"]
        for level, mu in enumerate(mult):
            for _ in range(nrb):
                layers = [res(ch, mc * mu)]
                ch = mc * mu
                if side in attn_px:
                    layers.append(attention(ch))
                self.input_blocks.append(TimestepSequential(*layers))
                chans.append(ch)
            if level != len(mult) - 1:
                self.input_blocks.append(TimestepSequential(
                    res(ch, ch, down=True) if updown else Downsample(ch, c["conv_resample"])))
                chans.append(ch)
                side //= 2
        self.middle_block = TimestepSequential(res(ch, ch), attention(ch), res(ch, ch))
        self.output_blocks = nn.ModuleList()
        for level, mu in list(enumerate(mult))[::-1]:
            for i in range(nrb + 1):
                layers = [res(ch + chans.pop(), mc * mu)]
                ch = mc * mu
                if side in attn_px:
                    layers.append(attention(ch))
                if level and i == nrb:
                    layers.append(res(ch, ch, up=True) if updown else Upsample(ch, c["conv_resample"]))
                    side *= 2
                self.output_blocks.append(TimestepSequential(*layers))
        self.out = nn.Sequential(nn.GroupNorm(g, ch), nn.SiLU(),
                                 zero_module(nn.Conv2d(mc * mult[0], c["in_channels"], 3, padding=1)))

    def forward(self, x, t):
        emb = self.time_embed(timestep_embedding(t.reshape(-1) * self.time_scale, self.mc, self.max_period))
        if self.nc:  # unconditional evaluation: the null class, as AdmUNet::forward(x, t)
            emb = emb + self.label_emb(torch.full((x.shape[0],), self.nc, dtype=torch.long, device=x.device))
        hs, h = [], x
        for m in self.input_blocks:
            h = m(h, emb)
            hs.append(h)
        h = self.middle_block(h, emb)
        for m in self.output_blocks:
            h = m(torch.cat([h, hs.pop()], dim=1), emb)
        return self.out(h)


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def bench_train(a, c, model, device):
    gen = torch.Generator().manual_seed(0)
    shape = (a.batch, c["in_channels"], c["image_size"], c["image_size"])
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)

    def step():
        x1 = (torch.rand(shape, generator=gen) * 2 - 1).to(device)
        x0 = torch.randn(shape, generator=gen).to(device)
        t = torch.rand(a.batch, 1, 1, 1, generator=gen).to(device)
        xt = (1 - (1 - SIGMA_MIN) * t) * x0 + t * x1
        target = x1 - (1 - SIGMA_MIN) * x0
        loss = (model(xt, t) - target).square().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    model.train()
    for _ in range(a.warmup):
        step()
    sync(device)
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    sync(device)
    return time.perf_counter() - start, a.steps


def bench_sample(a, c, model, device):
    gen = torch.Generator().manual_seed(0)
    shape = (a.batch, c["in_channels"], c["image_size"], c["image_size"])
    x0 = torch.randn(shape, generator=gen).to(device)
    h = 1.0 / a.steps
    model.eval()

    @torch.no_grad()
    def solve():
        x = x0
        for k in range(a.steps):
            x = x + h * model(x, torch.full((a.batch, 1), k * h, device=device))
        return x

    for _ in range(a.warmup):
        solve()
    best = float("inf")
    for _ in range(a.repeats):
        start = time.perf_counter()
        solve()
        sync(device)
        best = min(best, time.perf_counter() - start)
    return best, 1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["train", "sample"])
    p.add_argument("--config", required=True, help="the UNetConfig as JSON (snake_case fields)")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--steps", type=int, default=10, help="train: timed steps; sample: Euler steps")
    p.add_argument("--warmup", type=int, default=2, help="untimed steps (train) or solves (sample)")
    p.add_argument("--repeats", type=int, default=1, help="sample: timed solves (best is reported)")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--device", default="cpu")
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    device = torch.device("cuda" if a.device in ("cuda", "auto") and torch.cuda.is_available() else "cpu")
    c = json.loads(a.config)
    torch.manual_seed(0)
    model = UNet(c).to(device)
    parameters = sum(p.numel() for p in model.parameters())
    seconds, units = (bench_train if a.mode == "train" else bench_sample)(a, c, model, device)
    result = {"bench": "unet", "mode": a.mode, "impl": "python", "torch": torch.__version__,
              "threads": torch.get_num_threads(), "parameters": parameters,
              "img_per_s": a.batch * units / seconds, "ms_per_step": seconds / units * 1e3,
              # ru_maxrss is in KiB on Linux
              "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}
    if a.mode == "sample":
        result.update({"euler_steps": a.steps, "ms_per_solve": seconds * 1e3,
                       "ms_per_step": seconds / a.steps * 1e3})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
