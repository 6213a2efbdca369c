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


DOPRI_C = [1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0]
DOPRI_A = [[1 / 5], [3 / 40, 9 / 40], [44 / 45, -56 / 15, 32 / 9],
           [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
           [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656]]
DOPRI_B = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84]
DOPRI_E = [35 / 384 - 5179 / 57600, 0, 500 / 1113 - 7571 / 16695, 125 / 192 - 393 / 640,
           -2187 / 6784 + 92097 / 339200, 11 / 84 - 187 / 2100, -1 / 40]


def rms(x):
    return math.sqrt(x.double().square().mean().item())


def dopri5(f, y0, t0, t1, atol, rtol):
    """Dormand-Prince 5(4), Hairer's initial step and step-size control (as torchdiffeq)."""
    direction = 1.0 if t1 > t0 else -1.0
    t, y = t0, y0
    k1 = f(t, y)
    nfe = 1
    scale = atol + rtol * y.abs()
    d0, d1 = rms(y / scale), rms(k1 / scale)
    h0 = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
    f1 = f(t + direction * h0, y + direction * h0 * k1)
    nfe += 1
    d2 = rms((f1 - k1) / scale) / h0
    h1 = max(1e-6, h0 * 1e-3) if max(d1, d2) <= 1e-15 else (0.01 / max(d1, d2)) ** 0.2
    h = min(100 * h0, h1)
    while (t1 - t) * direction > 0:
        h = min(h, abs(t1 - t))
        last = h >= abs(t1 - t) * (1 - 1e-12)
        hs = direction * h
        ks = [k1]
        for i, a in enumerate(DOPRI_A):
            yi = y + hs * sum(aj * kj for aj, kj in zip(a, ks))
            ks.append(f(t + DOPRI_C[i] * hs, yi))
        t_new = t1 if last else t + hs
        y_new = y + hs * sum(b * k for b, k in zip(DOPRI_B, ks) if b != 0)
        k7 = f(t_new, y_new)
        nfe += 6
        err = hs * sum(e * k for e, k in zip(DOPRI_E, ks + [k7]) if e != 0)
        err_norm = rms(err / (atol + rtol * torch.maximum(y.abs(), y_new.abs())))
        factor = 10.0 if err_norm == 0 else min(10.0, max(0.2, 0.9 * err_norm ** -0.2))
        if err_norm <= 1:
            t, y, k1 = t_new, y_new, k7
        else:
            factor = min(factor, 1.0)
        h *= factor
    return y, nfe


def bench_likelihood(a, device):
    """log p_1 of N points: [x, f] integrated from t = 1 to 0 with f' = -div v (exact)."""
    import numpy as np
    model = TimeMLP(a.width, a.depth).to(device).eval()
    state = {}
    for name, _ in model.named_parameters():
        state[name] = torch.from_numpy(np.load(f"{a.weights}/{name}.npy"))
    model.load_state_dict(state, strict=False)
    x1 = torch.from_numpy(np.load(f"{a.weights}/points.npy")).to(device)

    def f(t, state):
        with torch.enable_grad():
            x = state[:, :2].detach().requires_grad_(True)
            v = model(x, torch.full((x.shape[0], 1), t, device=device))
            div = torch.zeros(x.shape[0], device=device)
            for i in range(2):
                div = div + torch.autograd.grad(v[:, i].sum(), x, retain_graph=i < 1)[0][:, i]
        return torch.cat([v.detach(), -div.detach().unsqueeze(1)], 1)

    def run():
        y0 = torch.cat([x1, torch.zeros(x1.shape[0], 1, device=device)], 1)
        y, nfe = dopri5(f, y0, 1.0, 0.0, 1e-5, 1e-5)
        logp0 = -0.5 * y[:, :2].double().square().sum(1) - math.log(2 * math.pi)
        return logp0 - y[:, 2].double(), nfe

    best = float("inf")
    for _ in range(a.repeats):  # best of R, as on the C++ side
        start = time.perf_counter()
        logp, nfe = run()
        sync(device)
        best = min(best, time.perf_counter() - start)
    return {"ms": best * 1e3, "nfe": nfe, "mean_nll": -logp.mean().item()}


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["train", "sample", "likelihood"])
    p.add_argument("--weights", default="", help="likelihood: folder of <param>.npy and points.npy")
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
    bench = {"train": bench_train, "sample": bench_sample, "likelihood": bench_likelihood}[a.mode]
    result = bench(a, device)
    result.update({"bench": a.mode, "impl": "python", "torch": torch.__version__,
                   "threads": torch.get_num_threads()})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
