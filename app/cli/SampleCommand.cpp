// flowscope-cli sample: solves the ODE of a trained run from Gaussian noise and writes the samples
// (or the states at several times) as .npy.

#include <torch/torch.h>

#include <cstdio>
#include <filesystem>

#include "CliOptions.h"
#include "Commands.h"
#include "core/eval/ChunkedSampling.h"
#include "core/io/NpyFileWriter.h"
#include "core/solvers/OdeSolver.h"
#include "core/train/TrainedFlow.h"
#include "core/util/ArgParser.h"
#include "core/util/Device.h"
#include "core/util/Error.h"

namespace flowscope::cli {

int runSample(const std::vector<std::string>& args) {
  ArgParser parser(
      "flowscope-cli sample --run RUN_DIR [--checkpoint latest|STEP] [--no-ema] --n N\n"
      "       [--solver NAME] [--steps K] [--atol A --rtol R]\n"
      "       [--times t0,t1,...] [--seed S] [--chunk C] [--device cpu|cuda] --out FILE.npy",
      "Draws x0 ~ N(0, I) from --seed and integrates dx/dt = v_t(x) from t = 0 (noise) to t = 1\n"
      "(data), writing float32 [N, 2], or [T, N, 2] with --times. Prints the NFE used.\n"
      "Solves C points at a time and writes each chunk to the file as it is done, so memory is\n"
      "bounded by C and N only by the disk; fixed-step results do not depend on C, dopri5 picks\n"
      "its steps per chunk.\n"
      "On the vp path t stops at 1 - eps (Appendix E.1); later times are clamped.");
  parser.option("run", "RUN_DIR", "run folder", "", true)
      .option("checkpoint", "latest|STEP", "which checkpoint", "latest")
      .flag("no-ema", "use the raw weights instead of the EMA");
  addCountOption(parser, "number of samples", "", true);
  addSolverOptions(parser, false);
  parser.numberList("times", "T0,T1,...", "also return the states at these times",
                    ValueRange::closed(0, 1));
  addSeedOption(parser, "seed of the noise x0");
  addChunkOption(parser, "points solved and written at a time");
  addDeviceOption(parser);
  addThreadsOption(parser);
  parser.option("out", "FILE.npy", "output file", "", true);
  const ParsedArgs a = parser.parse(args);
  if (a.has("help")) {
    std::fputs(parser.help().c_str(), stdout);
    return 0;
  }
  configureThreads(static_cast<int>(a.getInt("threads")));
  const int64_t n = a.getInt("n");
  const int64_t seed = a.getInt("seed");
  const std::string out = a.get("out");
  if (std::filesystem::path(out).extension() != ".npy")
    throw UsageError("--out: '" + out + "' (expected a file name ending in .npy)");

  const auto flow = TrainedFlow::load(a.get("run"), a.get("checkpoint"), !a.has("no-ema"),
                                      a.get("device"));
  SolveOptions options = flow->defaultSolveOptions();
  // The parser has checked the choice and the ranges (sampling.*'s, core/config/ConfigSchema.cpp).
  if (a.has("solver")) options.method = parseSolverMethod(a.get("solver"), "--solver");
  if (a.has("steps")) options.steps = static_cast<int>(a.getInt("steps"));
  if (a.has("atol")) options.atol = a.getDouble("atol");
  if (a.has("rtol")) options.rtol = a.getDouble("rtol");
  if (a.has("times")) {
    for (double t : a.getDoubleList("times")) {
      if (!options.times.empty() && flow->clampTime(t) < options.times.back())
        throw UsageError("--times: expected increasing times");
      options.times.push_back(flow->clampTime(t));
    }
  }

  torch::NoGradGuard noGrad;
  const std::vector<double>& times = options.times;
  const int64_t frames = times.empty() ? 1 : static_cast<int64_t>(times.size());
  const std::vector<int64_t> shape = times.empty() ? std::vector<int64_t>{n, 2} : std::vector<int64_t>{frames, n, 2};
  NpyFileWriter file(out, shape, NpyDtype::F32);
  const ChunkedSolveSummary result =
      sampleInChunks(*flow, n, static_cast<uint64_t>(seed), options, a.getInt("chunk"),
                     [&](int64_t first, const SolveResult& r) {
                       if (!r.completed) throw SolverError("--solver: " + r.message);
                       for (int64_t f = 0; f < frames; ++f) {
                         const torch::Tensor state =
                             (times.empty() ? r.final() : r.states[static_cast<size_t>(f)])
                                 .to(torch::kCPU, torch::kFloat32).contiguous();
                         file.write((f * n + first) * 2, state.data_ptr<float>(), state.numel());
                       }
                     });
  file.commit();

  std::string dims;
  for (auto d : shape) dims += (dims.empty() ? "" : ", ") + std::to_string(d);
  const std::string chunks = result.chunks > 1 ? ", summed over " + std::to_string(result.chunks) + " chunks" : "";
  std::printf("nfe %lld (accepted %lld, rejected %lld%s) solver %s, step %lld%s: wrote %s [%s]\n",
              static_cast<long long>(result.nfe), static_cast<long long>(result.acceptedSteps),
              static_cast<long long>(result.rejectedSteps),
              chunks.c_str(),
              solverMethodName(options.method).c_str(), static_cast<long long>(flow->step()),
              a.has("no-ema") ? "" : " (EMA)", out.c_str(), dims.c_str());
  return 0;
}

}  // namespace flowscope::cli
