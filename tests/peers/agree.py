"""The peers' path coefficients, targets and dopri5 solutions on inputs FlowScope wrote, for
tests/engine/PeerAgreementTest.cpp. Usage: agree.py DIR (reads t.npy, x0.npy, x1.npy; writes
<peer>_<quantity>.f64, raw little-endian float64). Runs in FlowScope's torch 2.x environment (packaging/install-torch2.sh)."""
import sys

import numpy as np
import torch
from flow_matching.path import AffineProbPath
from flow_matching.path.scheduler import CondOTScheduler, VPScheduler
from torchcfm.conditional_flow_matching import ConditionalFlowMatcher, TargetConditionalFlowMatcher
from torchdiffeq import odeint

d = sys.argv[1]
t = torch.from_numpy(np.load(f"{d}/t.npy")).double()
x0 = torch.from_numpy(np.load(f"{d}/x0.npy")).double()
x1 = torch.from_numpy(np.load(f"{d}/x1.npy")).double()
out = {}

# flow_matching: OT (alpha = t, sigma = 1 - t: the paper's OT path with sigma_min = 0) and VP.
s = AffineProbPath(scheduler=CondOTScheduler()).sample(x_0=x0, x_1=x1, t=t)
out["fm_ot_xt"], out["fm_ot_dxt"] = s.x_t, s.dx_t
vp = VPScheduler(beta_min=0.1, beta_max=20.0)(t)
out["fm_vp_alpha"], out["fm_vp_sigma"] = vp.alpha_t, vp.sigma_t
out["fm_vp_dalpha"], out["fm_vp_dsigma"] = vp.d_alpha_t, vp.d_sigma_t

# torchcfm: ConditionalFlowMatcher(sigma=0) is the OT path with sigma_min = 0;
# TargetConditionalFlowMatcher(sigma) is Lipman et al.'s path with sigma_min = sigma (eq. 20-21).
torch.manual_seed(0)
_, xt, ut = ConditionalFlowMatcher(sigma=0.0).sample_location_and_conditional_flow(x0, x1, t=t)
out["cfm_xt"], out["cfm_ut"] = xt, ut
target = TargetConditionalFlowMatcher(sigma=1e-2)
mu = target.compute_mu_t(x0, x1, t)
out["cfm_target_mu"] = mu
out["cfm_target_ut"] = target.compute_conditional_flow(x0, x1, t, mu)

# torchdiffeq dopri5 on dx/dt = -x t + sin(3 t) x^2 / 4 from x0 over [0, 1] at 1e-8 (an ODE
# the C++ side integrates with its own dopri5).
def f(time, x):
    return -x * time + torch.sin(3 * time) * x * x / 4

out["tde_dopri5"] = odeint(f, x0, torch.tensor([0.0, 1.0], dtype=torch.float64), method="dopri5",
                           atol=1e-8, rtol=1e-8)[-1]
for k, v in out.items():
    v.detach().numpy().astype("<f8").tofile(f"{d}/{k}.f64")  # raw float64, C order
print("ok", len(out))
