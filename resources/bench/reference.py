#!/usr/bin/python3
"""Python PyTorch reference for `flowscope-cli bench ... --python`.

The same computation as FlowScope's C++ Trainer step and sampling solve, written the way a
researcher would in Python: checkerboard batch, FM-OT loss (eq. 23), backward, Adam, EMA update,
NaN check via loss.item(). Prints one JSON line. Run with Debian's python3-torch (same LibTorch
version as the C++ build) so the ratio measures the front end, not the library.
"""
import argparse
import json
import math
import time

import torch


class TimeMLP(torch.nn.Module):
    """Matches core/models/TimeMLP: input [x, t, sin(k pi t), cos(k pi t)], SiLU hidden layers."""

    def __init__(self, width, depth, frequencies=8, dim=2):
        super().__init__()
        self.register_buffer("freqs", torch.arange(1, frequencies + 1, dtype=torch.float32) * math.pi)
        layers, fan_in = [], dim + 1 + 2 * frequencies
        for _ in range(depth):
            layers.append(torch.nn.Linear(fan_in, width))
            fan_in = width
        self.hidden = torch.nn.ModuleList(layers)
        self.head = torch.nn.Linear(fan_in, dim)

    def forward(self, x, t):
        phase = t * self.freqs
        h = torch.cat([x, t, torch.sin(phase), torch.cos(phase)], dim=1)
        for layer in self.hidden:
            h = torch.nn.functional.silu(layer(h))
        return self.head(h)


def checkerboard(n, gen):
    """Uniform on the black squares of the 4x4 board on [-4, 4)^2 (squares of side 2)."""
    square = torch.randint(0, 8, (n,), generator=gen)
    row = square // 2
    col = 2 * (square % 2) + (row % 2)
    u = torch.rand(n, 2, generator=gen)
    return torch.stack([col * 2.0 - 4.0, row * 2.0 - 4.0], dim=1) + 2.0 * u


def bench_train(a, device):
    gen = torch.Generator().manual_seed(0)
    model = TimeMLP(a.width, a.depth).to(device)
    ema = TimeMLP(a.width, a.depth).to(device)
    ema.load_state_dict(model.state_dict())
    for p in ema.parameters():
        p.requires_grad_(False)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    sigma_min = 1e-4

    def step(k):
        for g in opt.param_groups:
            g["lr"] = 1e-3
        x1 = checkerboard(a.batch, gen).to(device)
        t = torch.rand(a.batch, 1, generator=gen).to(device)
        x0 = torch.randn(a.batch, 2, generator=gen).to(device)
        xt = (1 - (1 - sigma_min) * t) * x0 + t * x1
        target = x1 - (1 - sigma_min) * x0
        loss = (model(xt, t) - target).square().mean()
        if not math.isfinite(loss.item()):
            raise RuntimeError("non-finite loss")
        opt.zero_grad()
        loss.backward()
        opt.step()
        d = min(0.999, (1 + k) / (10 + k))
        with torch.no_grad():
            for pe, p in zip(ema.parameters(), model.parameters()):
                pe.mul_(d).add_(p, alpha=1 - d)

    for k in range(a.warmup):
        step(k)
    sync(device)
    start = time.perf_counter()
    for k in range(a.steps):
        step(a.warmup + k)
    sync(device)
    return {"it_per_s": a.steps / (time.perf_counter() - start)}


def bench_sample(a, device):
    gen = torch.Generator().manual_seed(0)
    model = TimeMLP(a.width, a.depth).to(device).eval()
    x0 = torch.randn(a.n, 2, generator=gen).to(device)
    h = 1.0 / a.steps

    @torch.no_grad()
    def solve():
        x = x0
        for k in range(a.steps):
            t = torch.full((a.n, 1), k * h, device=device)
            x = x + h * model(x, t)
        return x

    solve()
    best = float("inf")
    for _ in range(a.repeats):
        start = time.perf_counter()
        solve()
        sync(device)
        best = min(best, time.perf_counter() - start)
    return {"ms": best * 1e3}


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["train", "sample"])
    p.add_argument("--width", type=int, default=512)
    p.add_argument("--depth", type=int, default=4)
    p.add_argument("--batch", type=int, default=4096)
    p.add_argument("--n", type=int, default=100000)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--device", default="cpu")
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    device = torch.device("cuda" if a.device in ("cuda", "auto") and torch.cuda.is_available() else "cpu")
    result = bench_train(a, device) if a.mode == "train" else bench_sample(a, device)
    result.update({"bench": a.mode, "impl": "python", "torch": torch.__version__,
                   "threads": torch.get_num_threads()})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
