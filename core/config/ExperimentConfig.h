#pragma once
// An experiment: everything a training run needs, as plain values. Torch-free and Qt-free so the
// GUI's form edits it directly and the CLI loads it from the same YAML. Time convention
// throughout (the paper's): t = 0 is noise, t = 1 is data.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flowscope {

/// Target distribution q(x1).
struct DataConfig {
  /// checkerboard | gaussian | eight_gaussians | two_moons | circles | spirals | pinwheel |
  /// swiss_roll | points
  std::string name = "checkerboard";
  std::array<double, 2> mean{0.0, 0.0};                  ///< gaussian only
  std::array<double, 4> covariance{1.0, 0.0, 0.0, 1.0};  ///< gaussian only, row-major 2x2
  std::optional<double> noise;  ///< per-dataset default when unset (see docs/datasets.md)
  std::string file;             ///< points only: .npy [N,2] or .csv with two columns
};

/// Gaussian probability path p_t(x|x1) = N(mu_t(x1), sigma_t(x1)^2 I) (Section 4).
struct PathConfig {
  std::string name = "cond_ot";  ///< cond_ot (eq. 20) | vp (eq. 18) | ve (eq. 16)
  double sigma_min = 1e-4;       ///< std at t = 1: cond_ot (eq. 20) and ve (sigma_{1-t} at t=1)
  double sigma_max = 8.0;        ///< ve only: std at t = 0
  double beta_min = 0.1;         ///< vp only (Appendix E.1)
  double beta_max = 20.0;        ///< vp only
  double eps = 1e-5;             ///< vp only: t is restricted to [0, 1 - eps]
};

/// Training objective (Section 4 and Appendix E.1).
struct ObjectiveConfig {
  /// cfm (eq. 9/14, any path) | sm (eq. 43, lambda = sigma^2) | scoreflow (eq. 43,
  /// lambda = beta(1-t)) | ddpm (eq. 44-45)
  std::string name = "cfm";
};

/// The network v_t(x; theta) (model.name picks the family; core/registry/Models.cpp).
struct ModelConfig {
  int width = 256;                   ///< hidden units per layer
  int depth = 4;                     ///< number of hidden layers
  std::string activation = "silu";   ///< silu | relu | gelu | tanh | softplus
  std::string time_embedding = "fourier";  ///< fourier | concat
  int time_frequencies = 8;          ///< fourier only: number of sin/cos pairs
  /// mlp (TimeMLP); last, so that ModelConfig{width, depth} still means what it did.
  std::string name = "mlp";
};

struct OptimizerConfig {
  double lr = 1e-3;  ///< peak learning rate
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  double grad_clip = 0.0;  ///< max global gradient norm; 0 disables clipping
};

/// Learning-rate schedule (Appendix E.2).
struct ScheduleConfig {
  std::string name = "constant";  ///< constant | polynomial
  int64_t warmup_steps = 0;       ///< linear warm-up from initial_lr to optimizer.lr
  double initial_lr = 1e-8;
  double final_lr = 1e-8;         ///< polynomial only: value at the last step
  double power = 1.0;             ///< polynomial only: 1 is linear decay
};

struct EmaConfig {
  double decay = 0.999;  ///< 0 disables the exponential moving average of the weights
};

struct TrainingConfig {
  int64_t steps = 20000;
  int64_t batch_size = 1024;
  uint64_t seed = 0;
  std::string device = "cpu";   ///< cpu | cuda | cuda:N | auto
  int threads = 0;              ///< CPU threads for LibTorch; 0 uses all cores
  int64_t checkpoint_every = 1000;
  int64_t log_every = 50;       ///< metrics.csv row cadence in steps
  int keep_checkpoints = 0;     ///< newest step checkpoints kept besides latest (0: all)
};

/// Default sampler for `sample`, evaluation and the GUI.
struct SamplingConfig {
  std::string solver = "dopri5";  ///< euler | midpoint | heun | rk4 | dopri5
  int steps = 100;                ///< fixed-step solvers
  double atol = 1e-5;             ///< dopri5
  double rtol = 1e-5;             ///< dopri5
};

/// Evaluation during training (Figure 10): NFE and metrics at a cadence.
struct EvaluationConfig {
  int64_t every = 0;          ///< steps between evaluations; 0 disables
  int64_t n_samples = 2000;   ///< samples drawn (and held-out data points) per evaluation
  bool likelihood = false;    ///< also compute model NLL of held-out data (slower)
};

struct ExperimentConfig {
  std::string name = "experiment";
  DataConfig data;
  PathConfig path;
  ObjectiveConfig objective;
  ModelConfig model;
  OptimizerConfig optimizer;
  ScheduleConfig schedule;
  EmaConfig ema;
  TrainingConfig training;
  SamplingConfig sampling;
  EvaluationConfig evaluation;
};

/// One problem with a config value, for messages next to a form field.
struct ConfigIssue {
  std::string key;      ///< dotted key, e.g. "model.width"
  std::string message;  ///< what is wrong and what is expected
};

/// Range and consistency checks on an already typed config, the one check for YAML, --set, the
/// GUI form and sessions: every key's range or choices from its schema entry (fieldIssue in
/// core/config/ConfigSchema.h), the keys a choice needs and the choices it works with (from the
/// registries), then the cross-key rules. Empty when valid.
std::vector<ConfigIssue> validate(const ExperimentConfig& config);

/// The names of an enumerated key's registry (core/registry), for forms and messages; empty for
/// other keys.
std::vector<std::string> allowedValues(const std::string& key);

}  // namespace flowscope
