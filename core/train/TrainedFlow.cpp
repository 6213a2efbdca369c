#include "core/train/TrainedFlow.h"

#include <algorithm>

#include "core/config/ConfigYaml.h"
#include "core/models/ModelFactory.h"
#include "core/objectives/ObjectiveFactory.h"
#include "core/paths/PathFactory.h"
#include "core/solvers/OdeSolver.h"
#include "core/train/Checkpoint.h"
#include "core/train/RunDirectory.h"
#include "core/util/Device.h"
#include "core/util/Random.h"

namespace flowscope {

TrainedFlow::TrainedFlow(ExperimentConfig config, std::shared_ptr<const Objective> objective,
                         VelocityNet net, int64_t step)
    : config_(std::move(config)), objective_(std::move(objective)), net_(std::move(net)), step_(step) {
  net_->eval();
}

std::shared_ptr<TrainedFlow> TrainedFlow::load(const std::string& runDir, const std::string& which,
                                               bool ema, const std::string& device) {
  const RunDirectory run(runDir);
  const std::string file = run.resolveCheckpoint(which);
  ExperimentConfig config = parseExperiment(readCheckpointConfig(file), file + " (stored config)");
  VelocityNet model = makeModel(config.model, 2);
  VelocityNet emaModel = makeModel(config.model, 2);
  const int64_t step = readCheckpoint(file, {model.get(), emaModel.get(), nullptr, nullptr});
  VelocityNet chosen = ema ? emaModel : model;
  chosen->to(resolveDevice(device, "device"));
  auto objective = makeObjective(config.objective, makePath(config.path));
  return std::make_shared<TrainedFlow>(std::move(config), std::move(objective), chosen, step);
}

torch::Device TrainedFlow::device() const { return net_->parameters().front().device(); }

torch::Tensor TrainedFlow::velocityAt(const torch::Tensor& x, const torch::Tensor& t) const {
  return objective_->velocity(net_->forward(x, t), x, t);
}

VelocityFn TrainedFlow::velocity() const {
  return [this](const torch::Tensor& x, double t) {
    const torch::Tensor tt = torch::full({x.size(0), 1}, t, x.options());
    return velocityAt(x, tt);
  };
}

torch::Tensor TrainedFlow::sampleNoise(int64_t n, uint64_t seed) const {
  at::Generator gen = makeGenerator(seed);
  return sampleNoise(n, gen);
}

torch::Tensor TrainedFlow::sampleNoise(int64_t n, at::Generator& gen) const {
  return (torch::randn({n, 2}, gen) * priorStd()).to(device());
}

SolveOptions TrainedFlow::defaultSolveOptions() const {
  SolveOptions o;
  o.method = parseSolverMethod(config_.sampling.solver, "sampling.solver");
  o.steps = config_.sampling.steps;
  o.atol = config_.sampling.atol;
  o.rtol = config_.sampling.rtol;
  o.t0 = tMin();
  o.t1 = tMax();
  return o;
}

double TrainedFlow::clampTime(double t) const { return std::clamp(t, tMin(), tMax()); }

}  // namespace flowscope
