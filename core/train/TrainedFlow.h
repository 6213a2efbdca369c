#pragma once
// A trained network together with its objective: the velocity field v_t(x) of a checkpoint, ready
// to sample from (eq. 1) or to evaluate likelihoods with. Immutable after loading, so one instance
// can serve several query threads that only read it.

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"
#include "core/models/TimeMLP.h"
#include "core/objectives/Objective.h"
#include "core/solvers/OdeSolver.h"

namespace flowscope {

/// Class-conditional sampling: a label per sample and the classifier-free guidance scale w,
/// v = v(x, t, null) + w (v(x, t, c) - v(x, t, null)) (sampling.guidance). No labels: the
/// unconditional field (for a conditional network: its null class).
struct ClassCondition {
  torch::Tensor labels;  ///< int64 [B], CPU or the flow's device; undefined: unconditional
  double guidance = 1.0;
};

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
  /// The guided field for a batch whose rows have `condition.labels` (see ClassCondition).
  VelocityFn velocity(const ClassCondition& condition) const;
  /// Velocity for a batch of times t [B, 1] (vector-field grids).
  torch::Tensor velocityAt(const torch::Tensor& x, const torch::Tensor& t) const;
  torch::Tensor velocityAt(const torch::Tensor& x, const torch::Tensor& t,
                           const ClassCondition& condition) const;

  /// The model's prediction of the data point x1 from x at time t (t [B, 1]): E[x1 | x_t = x]
  /// under the learned field (core/paths/AffineGaussianPath.h); on OT about x + (1 - t) v.
  torch::Tensor predictedData(const torch::Tensor& x, const torch::Tensor& t,
                              const ClassCondition& condition = {}) const;

  /// {2} or {C, H, W}: the shape of one sample; the flow works on them flattened to [B, dim()].
  std::vector<int64_t> sampleShape() const;
  int64_t dim() const;
  /// The classes a conditional network knows (0: unconditional).
  int64_t classes() const { return net_->classes(); }

  /// x0 ~ p_0 = N(0, priorStd^2 I), [n, dim()], from `seed` on the CPU (same noise on every device).
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
