"""The Python peers of `flowscope-cli bench ... --peers`, run in FlowScope's torch 2.x virtual
environment (packaging/install-torch2.sh): pip torch eager and torch.compile, facebookresearch's
`flow_matching` (its 2D example's training loop, ODESolver, compute_likelihood), `torchcfm`'s
ConditionalFlowMatcher and `torchdiffeq`'s dopri5. Same model (reference.TimeMLP, FlowScope's
TimeMLP), batch, data, weights and tolerances as the C++ side. Prints one JSON line.
"""
import argparse
import json
import math
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402  (same model and data as the Debian-torch reference)

SIGMA_MIN = 1e-4  # FlowScope's default path.sigma_min


def load_weights(model, folder):
    import numpy as np
    state = {name: torch.from_numpy(np.load(f"{folder}/{name}.npy")) for name, _ in model.named_parameters()}
    model.load_state_dict(state, strict=False)


def train_eager(a, device, compiled=False):
    """reference.py's loop (eq. 23, Adam, EMA, NaN check) under pip torch, optionally compiled."""
    gen = torch.Generator().manual_seed(0)
    model = reference.TimeMLP(a.width, a.depth).to(device)
    ema = reference.TimeMLP(a.width, a.depth).to(device)
    ema.load_state_dict(model.state_dict())
    for p in ema.parameters():
        p.requires_grad_(False)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def loss_fn(x0, x1, t):
        xt = (1 - (1 - SIGMA_MIN) * t) * x0 + t * x1
        return (model(xt, t) - (x1 - (1 - SIGMA_MIN) * x0)).square().mean()

    loss_of = torch.compile(loss_fn) if compiled else loss_fn

    def step(k):
        x1 = reference.checkerboard(a.batch, gen).to(device)
        t = torch.rand(a.batch, 1, generator=gen).to(device)
        x0 = torch.randn(a.batch, 2, generator=gen).to(device)
        loss = loss_of(x0, x1, t)
        if not math.isfinite(loss.item()):
            raise RuntimeError("non-finite loss")
        opt.zero_grad()
        loss.backward()
        opt.step()
        d = min(0.999, (1 + k) / (10 + k))
        with torch.no_grad():
            torch._foreach_lerp_(list(ema.parameters()), list(model.parameters()), 1 - d)

    return timed_steps(a, device, step)


def train_flow_matching(a, device):
    """flow_matching's 2D example loop: AffineProbPath(CondOTScheduler), MSE on dx_t, Adam."""
    from flow_matching.path import AffineProbPath
    from flow_matching.path.scheduler import CondOTScheduler
    gen = torch.Generator().manual_seed(0)
    model = reference.TimeMLP(a.width, a.depth).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    path = AffineProbPath(scheduler=CondOTScheduler())

    def step(k):
        x1 = reference.checkerboard(a.batch, gen).to(device)
        x0 = torch.randn(a.batch, 2, generator=gen).to(device)
        t = torch.rand(a.batch, generator=gen).to(device)
        s = path.sample(t=t, x_0=x0, x_1=x1)
        loss = (model(s.x_t, s.t.unsqueeze(1)) - s.dx_t).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    return timed_steps(a, device, step)


def train_torchcfm(a, device):
    """torchcfm's ConditionalFlowMatcher (sigma 0: the OT path with sigma_min 0)."""
    from torchcfm.conditional_flow_matching import ConditionalFlowMatcher
    gen = torch.Generator().manual_seed(0)
    model = reference.TimeMLP(a.width, a.depth).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    matcher = ConditionalFlowMatcher(sigma=0.0)

    def step(k):
        x1 = reference.checkerboard(a.batch, gen).to(device)
        x0 = torch.randn(a.batch, 2, generator=gen).to(device)
        t, xt, ut = matcher.sample_location_and_conditional_flow(x0, x1)
        loss = (model(xt, t.unsqueeze(1)) - ut).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    return timed_steps(a, device, step)


def timed_steps(a, device, step):
    for k in range(a.warmup):
        step(k)
    reference.sync(device)
    start = time.perf_counter()
    for k in range(a.steps):
        step(a.warmup + k)
    reference.sync(device)
    return {"it_per_s": a.steps / (time.perf_counter() - start)}


def velocity_model(a, device):
    model = reference.TimeMLP(a.width, a.depth).to(device).eval()
    if a.weights:
        load_weights(model, a.weights)
    return model


def best_of(a, device, run):
    run()  # warm-up
    best, out = float("inf"), None
    for _ in range(a.repeats):
        start = time.perf_counter()
        out = run()
        reference.sync(device)
        best = min(best, time.perf_counter() - start)
    return best * 1e3, out


def sample(a, device):
    """Fixed steps through flow_matching's ODESolver, or dopri5 through torchdiffeq / ODESolver."""
    model = velocity_model(a, device)
    if a.weights and os.path.exists(f"{a.weights}/noise.npy"):  # FlowScope's own noise
        import numpy as np
        x0 = torch.from_numpy(np.load(f"{a.weights}/noise.npy")).to(device)
    else:
        x0 = torch.randn(a.n, 2, generator=torch.Generator().manual_seed(0)).to(device)
    nfe = [0]

    def v(t, x):
        nfe[0] += 1
        return model(x, torch.full((x.shape[0], 1), float(t), device=device))

    grid = torch.tensor([0.0, 1.0], device=device)
    if a.impl == "torchdiffeq":
        from torchdiffeq import odeint

        def run():
            nfe[0] = 0
            with torch.no_grad():
                return odeint(v, x0, grid, method="dopri5", atol=a.tol, rtol=a.tol)[-1]
    else:
        from flow_matching.solver import ODESolver

        class Wrapped(torch.nn.Module):
            def forward(self, x, t):
                return v(t, x)

        solver = ODESolver(velocity_model=Wrapped())

        def run():
            nfe[0] = 0
            with torch.no_grad():
                if a.solver == "dopri5":
                    return solver.sample(x_init=x0, time_grid=grid, method="dopri5", step_size=None, atol=a.tol, rtol=a.tol)
                return solver.sample(x_init=x0, time_grid=grid, method=a.solver, step_size=1.0 / a.steps)

    ms, x1 = best_of(a, device, run)
    out = {"ms": ms, "nfe": nfe[0]}
    if a.save:
        import numpy as np
        np.save(a.save, x1.detach().cpu().numpy())
    return out


def likelihood(a, device):
    """flow_matching's compute_likelihood: exact divergence, dopri5, from t = 1 to 0."""
    import numpy as np
    from flow_matching.solver import ODESolver
    model = velocity_model(a, device)
    x1 = torch.from_numpy(np.load(f"{a.weights}/points.npy")).to(device)
    nfe = [0]

    class Wrapped(torch.nn.Module):
        def forward(self, x, t):
            nfe[0] += 1
            return model(x, torch.full((x.shape[0], 1), float(t), device=device))

    solver = ODESolver(velocity_model=Wrapped())

    def log_p0(x):
        return -0.5 * x.square().sum(1) - math.log(2 * math.pi)

    def run():
        nfe[0] = 0
        _, logp = solver.compute_likelihood(x_1=x1, log_p0=log_p0, step_size=None, time_grid=torch.tensor([1.0, 0.0], device=device),
                                            method="dopri5", atol=a.tol, rtol=a.tol, exact_divergence=True)
        return logp

    ms, logp = best_of(a, device, run)
    return {"ms": ms, "nfe": nfe[0], "mean_nll": -logp.double().mean().item()}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["train", "sample", "likelihood"])
    p.add_argument("--impl", required=True,
                   help="train: eager|compile|flow_matching|torchcfm; sample: flow_matching|torchdiffeq")
    p.add_argument("--weights", default="")
    p.add_argument("--save", default="", help="sample: also write the samples to this .npy")
    p.add_argument("--width", type=int, default=512)
    p.add_argument("--depth", type=int, default=4)
    p.add_argument("--batch", type=int, default=4096)
    p.add_argument("--n", type=int, default=100000)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--solver", default="euler")
    p.add_argument("--tol", type=float, default=1e-5)
    p.add_argument("--threads", type=int, default=0)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    device = torch.device("cpu")
    if a.mode == "train":
        fn = {"eager": train_eager, "compile": lambda a, d: train_eager(a, d, compiled=True),
              "flow_matching": train_flow_matching, "torchcfm": train_torchcfm}[a.impl]
        result = fn(a, device)
    elif a.mode == "sample":
        result = sample(a, device)
    else:
        result = likelihood(a, device)
    result.update({"bench": a.mode, "impl": a.impl, "torch": torch.__version__,
                   "threads": torch.get_num_threads()})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
