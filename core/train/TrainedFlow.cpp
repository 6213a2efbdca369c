#include "core/train/TrainedFlow.h"

#include <algorithm>

#include "core/config/ConfigYaml.h"
#include "core/data/DataShape.h"
#include "core/models/ModelFactory.h"
#include "core/objectives/ObjectiveFactory.h"
#include "core/paths/PathFactory.h"
#include "core/solvers/OdeSolver.h"
#include "core/train/Checkpoint.h"
#include "core/train/RunDirectory.h"
#include "core/util/Device.h"
#include "core/util/Error.h"
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
  VelocityNet model = makeModel(config);
  VelocityNet emaModel = makeModel(config);
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

torch::Tensor TrainedFlow::velocityAt(const torch::Tensor& x, const torch::Tensor& t,
                                      const ClassCondition& c) const {
  if (!c.labels.defined()) return velocityAt(x, t);
  if (classes() <= 0)
    throw InputError("class labels given for a run whose network is unconditional (model.classes 0)");
  const torch::Tensor labels = c.labels.to(x.device());
  if (c.guidance == 1.0) return objective_->velocity(net_->forward(x, t, labels), x, t);
  // Both fields in one batch of 2B: the conditional rows, then the null class.
  const int64_t b = x.size(0);
  const torch::Tensor x2 = torch::cat({x, x}), t2 = torch::cat({t, t});
  const torch::Tensor l2 = torch::cat({labels, torch::full_like(labels, classes())});
  const torch::Tensor v = objective_->velocity(net_->forward(x2, t2, l2), x2, t2);
  const torch::Tensor vc = v.narrow(0, 0, b), vu = v.narrow(0, b, b);
  return vu + c.guidance * (vc - vu);
}

VelocityFn TrainedFlow::velocity() const {
  return [this](const torch::Tensor& x, double t) {
    const torch::Tensor tt = torch::full({x.size(0), 1}, t, x.options());
    return velocityAt(x, tt);
  };
}

VelocityFn TrainedFlow::velocity(const ClassCondition& condition) const {
  return [this, condition](const torch::Tensor& x, double t) {
    const torch::Tensor tt = torch::full({x.size(0), 1}, t, x.options());
    return velocityAt(x, tt, condition);
  };
}

torch::Tensor TrainedFlow::predictedData(const torch::Tensor& x, const torch::Tensor& t,
                                         const ClassCondition& condition) const {
  return objective_->path().predictedData(t, x, velocityAt(x, t, condition));
}

std::vector<int64_t> TrainedFlow::sampleShape() const { return dataShape(config_.data); }

int64_t TrainedFlow::dim() const { return dataDim(config_.data); }

torch::Tensor TrainedFlow::sampleNoise(int64_t n, uint64_t seed) const {
  at::Generator gen = makeGenerator(seed);
  return sampleNoise(n, gen);
}

torch::Tensor TrainedFlow::sampleNoise(int64_t n, at::Generator& gen) const {
  return (torch::randn({n, dim()}, gen) * priorStd()).to(device());
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
