#include "core/train/Evaluation.h"

#include <chrono>
#include <cstdio>

#include "core/data/Checkerboard.h"
#include "core/solvers/OdeSolver.h"
#include "core/train/TrainedFlow.h"
#include "core/train/TrainerState.h"
#include "core/util/Random.h"

namespace flowscope {
namespace {

constexpr uint64_t kEvalNoiseSeed = 0x5eed;

}  // namespace

TrainerHooks evaluationHooks(const ExperimentConfig& config) {
  TrainerHooks hooks;
  if (config.evaluation.every <= 0) return hooks;
  hooks.evalColumns = {"nfe", "eval_s"};
  const bool checkerboard = config.data.name == "checkerboard";
  if (checkerboard) hooks.evalColumns.push_back("frac_black");
  hooks.evaluate = [checkerboard](Trainer& trainer) {
    const auto start = std::chrono::steady_clock::now();
    Trainer::State& s = trainer.state();
    torch::NoGradGuard noGrad;
    s.emaModel->eval();
    const TrainedFlow flow(s.config, s.objective, s.emaModel, s.step);
    SolveOptions options = flow.defaultSolveOptions();
    const torch::Tensor x0 = flow.sampleNoise(s.config.evaluation.n_samples, kEvalNoiseSeed);
    const SolveResult result = solve(flow.velocity(), x0, options);
    EvalValues values{{"nfe", static_cast<double>(result.nfe)}};
    if (checkerboard)
      values["frac_black"] =
          Checkerboard::blackMask(result.final().cpu()).to(torch::kFloat64).mean().item<double>();
    values["eval_s"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return values;
  };
  return hooks;
}

std::string formatEvalValues(const EvalValues& values) {
  std::string out;
  char buffer[64];
  for (const auto& [key, value] : values) {
    std::snprintf(buffer, sizeof buffer, " %s %.4g", key.c_str(), value);
    out += buffer;
  }
  return out;
}

}  // namespace flowscope
