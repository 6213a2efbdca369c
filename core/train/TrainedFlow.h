#pragma once
// A trained network together with its objective: the velocity field v_t(x) of a checkpoint, ready
// to sample from (eq. 1) or to evaluate likelihoods with. Immutable after loading, so one instance
// can serve several query threads that only read it.

#include <torch/torch.h>

#include <memory>
#include <string>

#include "core/config/ExperimentConfig.h"
#include "core/models/TimeMLP.h"
#include "core/objectives/Objective.h"
#include "core/solvers/OdeSolver.h"

namespace flowscope {

class TrainedFlow {
 public:
  TrainedFlow(ExperimentConfig config, std::shared_ptr<const Objective> objective, VelocityNet net,
              int64_t step);

  /// Loads RUN/checkpoints/<which> ("latest" or a step) with the EMA weights unless `ema` is
  /// false. Throws InputError/FileError naming the run folder or file.
  static std::shared_ptr<TrainedFlow> load(const std::string& runDir,
                                           const std::string& which = "latest", bool ema = true,
                                           const std::string& device = "cpu");

  /// v_t(x) for the ODE solvers. Call under torch::NoGradGuard when no gradients are needed.
  VelocityFn velocity() const;
  /// Velocity for a batch of times t [B, 1] (vector-field grids).
  torch::Tensor velocityAt(const torch::Tensor& x, const torch::Tensor& t) const;

  /// x0 ~ p_0 = N(0, priorStd^2 I), [n, 2], from `seed` on the CPU (same noise on every device).
  torch::Tensor sampleNoise(int64_t n, uint64_t seed) const;
  /// The next n points of noise from `gen` (chunked sampling draws them in order).
  torch::Tensor sampleNoise(int64_t n, at::Generator& gen) const;

  /// Solver options spanning the model's time range [tMin, tMax] with the config's defaults.
  SolveOptions defaultSolveOptions() const;

  /// Maps a user time in [0, 1] into [tMin, tMax] (clamps 1 to 1 - eps on the VP path).
  double clampTime(double t) const;

  const ExperimentConfig& config() const { return config_; }
  const Objective& objective() const { return *objective_; }
  const GaussianPath& path() const { return objective_->path(); }
  double tMin() const { return objective_->path().tMin(); }
  double tMax() const { return objective_->path().tMax(); }
  double priorStd() const { return objective_->path().priorStd(); }
  int64_t step() const { return step_; }
  torch::Device device() const;
  const VelocityNet& velocityNet() const { return net_; }
  /// The network as a TimeMLP (model.name mlp), empty for other model families: for the
  /// benchmarks that compare it with the Python reference MLP.
  TimeMLP net() const { return TimeMLP(std::dynamic_pointer_cast<TimeMLPImpl>(net_)); }

 private:
  ExperimentConfig config_;
  std::shared_ptr<const Objective> objective_;
  VelocityNet net_;
  int64_t step_;
};

}  // namespace flowscope
