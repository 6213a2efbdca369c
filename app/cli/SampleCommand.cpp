// flowscope-cli sample: solves the ODE of a trained run from Gaussian noise and writes the samples
// (or the states at several times) as .npy.

#include <torch/torch.h>

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "Commands.h"
#include "core/solvers/OdeSolver.h"
#include "core/train/TrainedFlow.h"
#include "core/util/ArgParser.h"
#include "core/util/Device.h"
#include "core/util/Error.h"
#include "core/util/TensorIo.h"

namespace flowscope::cli {
namespace {

std::string formatNumber(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

int runSample(const std::vector<std::string>& args) {
  ArgParser parser(
      "flowscope-cli sample --run RUN_DIR [--checkpoint latest|STEP] [--no-ema] --n N\n"
      "       [--solver euler|midpoint|heun|rk4|dopri5] [--steps K] [--atol A --rtol R]\n"
      "       [--times t0,t1,...] [--seed S] [--device cpu|cuda] --out FILE.npy",
      "Draws x0 ~ N(0, I) from --seed and integrates dx/dt = v_t(x) from t = 0 (noise) to t = 1\n"
      "(data), writing float32 [N, 2], or [T, N, 2] with --times. Prints the NFE used.\n"
      "On the vp path t stops at 1 - eps (Appendix E.1); later times are clamped.");
  parser.option("run", "RUN_DIR", "run folder", "", true)
      .option("checkpoint", "latest|STEP", "which checkpoint", "latest")
      .flag("no-ema", "use the raw weights instead of the EMA")
      .option("n", "N", "number of samples", "", true)
      .option("solver", "NAME", "ODE solver (default: the run's sampling.solver)")
      .option("steps", "K", "steps of a fixed-step solver (default: the run's sampling.steps)")
      .option("atol", "A", "dopri5 absolute tolerance (default: the run's sampling.atol)")
      .option("rtol", "R", "dopri5 relative tolerance (default: the run's sampling.rtol)")
      .option("times", "T0,T1,...", "also return the states at these times in [0, 1]")
      .option("seed", "S", "seed of the noise x0", "0")
      .option("device", "DEVICE", "cpu, cuda or auto", "cpu")
      .option("threads", "T", "CPU threads (0: all cores)", "0")
      .option("out", "FILE.npy", "output file", "", true);
  const ParsedArgs a = parser.parse(args);
  if (a.has("help")) {
    std::fputs(parser.help().c_str(), stdout);
    return 0;
  }
  configureThreads(static_cast<int>(a.getInt("threads")));
  const int64_t n = a.getInt("n");
  if (n < 1) throw UsageError("--n: got " + std::to_string(n) + " (expected >= 1)");
  const int64_t seed = a.getInt("seed");
  if (seed < 0) throw UsageError("--seed: expected a non-negative integer");
  const std::string out = a.get("out");
  if (std::filesystem::path(out).extension() != ".npy")
    throw UsageError("--out: '" + out + "' (expected a file name ending in .npy)");

  const auto flow = TrainedFlow::load(a.get("run"), a.get("checkpoint"), !a.has("no-ema"),
                                      a.get("device"));
  SolveOptions options = flow->defaultSolveOptions();
  if (a.has("solver")) {
    try {
      options.method = parseSolverMethod(a.get("solver"), "--solver");
    } catch (const InputError& e) {
      throw UsageError(e.what());
    }
  }
  if (a.has("steps")) {
    options.steps = static_cast<int>(a.getInt("steps"));
    if (options.steps < 1) throw UsageError("--steps: expected >= 1");
  }
  if (a.has("atol")) options.atol = a.getDouble("atol");
  if (a.has("rtol")) options.rtol = a.getDouble("rtol");
  if (!(options.atol > 0) || !(options.rtol >= 0))
    throw UsageError("--atol/--rtol: expected atol > 0 and rtol >= 0");
  if (a.has("times")) {
    for (double t : a.getDoubleList("times")) {
      if (t < 0 || t > 1)
        throw UsageError("--times: " + formatNumber(t) + " is outside [0, 1]");
      if (!options.times.empty() && flow->clampTime(t) < options.times.back())
        throw UsageError("--times: expected increasing times");
      options.times.push_back(flow->clampTime(t));
    }
  }

  torch::NoGradGuard noGrad;
  const torch::Tensor x0 = flow->sampleNoise(n, static_cast<uint64_t>(seed));
  const SolveResult result = solve(flow->velocity(), x0, options);
  const torch::Tensor samples = a.has("times") ? result.stacked() : result.final();
  writeNpyTensor(out, samples);

  std::string shape;
  for (auto d : samples.sizes()) shape += (shape.empty() ? "" : ", ") + std::to_string(d);
  std::printf("nfe %lld (accepted %lld, rejected %lld) solver %s, step %lld%s: wrote %s [%s]\n",
              static_cast<long long>(result.nfe), static_cast<long long>(result.acceptedSteps),
              static_cast<long long>(result.rejectedSteps),
              solverMethodName(options.method).c_str(), static_cast<long long>(flow->step()),
              a.has("no-ema") ? "" : " (EMA)", out.c_str(), shape.c_str());
  return 0;
}

}  // namespace flowscope::cli
