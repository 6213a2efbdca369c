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
  // Image datasets (core/data/ImageDatasets.h).
  std::string root;             ///< the folder holding the dataset's files
  bool flip = false;            ///< random horizontal flips while training
  bool dequantize = true;       ///< uniform dequantization, eq. 36-37 (else bin centres)
  int64_t limit = 0;            ///< use only the first N images of each split (0: all)
  int64_t image_size = 32;      ///< image_folder: side after centre crop and resize
  std::string resize_filter = "area";  ///< image_folder: nearest | bilinear | area
  bool class_subfolders = true; ///< image_folder: one class per sub-folder
  int loader_threads = 2;       ///< background decode/augment threads (0: on the training thread)
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
  /// mlp (TimeMLP) | unet (AdmUNet); after width and depth, so that ModelConfig{width, depth}
  /// still means what it did.
  std::string name = "mlp";
  // unet only: a preset of core/models/unet/UNetConfig.h and overrides (0 / unset: the preset's).
  std::string preset = "fashion_mnist28";
  int64_t channels = 0;         ///< base width (model_channels)
  int64_t res_blocks = 0;       ///< ResBlocks per level
  int64_t groups = 0;           ///< GroupNorm groups
  std::optional<double> dropout = std::nullopt;
  double time_scale = 1000.0;   ///< t in [0, 1] is scaled by this before the sinusoidal embedding
  int64_t classes = 0;          ///< > 0: class-conditional on labels 0..classes-1 (plus a null class)
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
  std::string precision = "fp32";  ///< fp32 | tf32 | bf16 (the precision registry)
  int threads = 0;              ///< CPU threads for LibTorch; 0 uses all cores
  int64_t checkpoint_every = 1000;
  int64_t log_every = 50;       ///< metrics.csv row cadence in steps
  int keep_checkpoints = 0;     ///< newest step checkpoints kept besides latest (0: all)
  /// Class-conditional models: the share of labels replaced by the null class, so that one
  /// network learns both fields classifier-free guidance mixes (Ho & Salimans 2022).
  double label_dropout = 0.1;
};

/// Default sampler for `sample`, evaluation and the GUI.
struct SamplingConfig {
  std::string solver = "dopri5";  ///< euler | midpoint | heun | rk4 | dopri5
  int steps = 100;                ///< fixed-step solvers
  double atol = 1e-5;             ///< dopri5
  double rtol = 1e-5;             ///< dopri5
  /// Class-conditional models: v = v(x, t, null) + w (v(x, t, c) - v(x, t, null)); 1 is the plain
  /// conditional field, 0 the unconditional one (Ho & Salimans' w is this minus 1).
  double guidance = 1.0;
};

/// Evaluation during training (Figure 10): NFE and metrics at a cadence.
struct EvaluationConfig {
  int64_t every = 0;          ///< steps between evaluations; 0 disables
  int64_t n_samples = 2000;   ///< samples drawn (and held-out data points) per evaluation
  bool likelihood = false;    ///< also compute model NLL of held-out data (slower); BPD on images
  std::string classifier;     ///< image runs: a classifier file (train-classifier) for the FD
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
