#pragma once
// A 2D target distribution q(x1): something to sample from and, where known, its exact density.

#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <array>
#include <memory>
#include <string>

namespace flowscope {

struct DataConfig;

/// Axis-aligned plotting range [xmin, xmax] x [ymin, ymax].
struct Bounds2D {
  double xmin = -4.0, xmax = 4.0, ymin = -4.0, ymax = 4.0;
};

class Dataset2D {
 public:
  virtual ~Dataset2D() = default;

  virtual std::string name() const = 0;

  /// n i.i.d. samples, float32 [n, 2] on the CPU, drawn from the CPU generator `gen` only, so that
  /// the same generator state always gives the same points.
  virtual torch::Tensor sample(int64_t n, at::Generator& gen) const = 0;

  /// Whether logDensity() is exact (checkerboard, gaussian, eight_gaussians).
  virtual bool hasLogDensity() const { return false; }

  /// Exact log q(x) in nats for float [n, 2] points, float64 [n]; -inf off the support.
  /// Throws std::logic_error when hasLogDensity() is false.
  virtual torch::Tensor logDensity(const torch::Tensor& x) const;

  /// A range that contains essentially all the mass, for plots and histograms.
  virtual Bounds2D bounds() const = 0;
};

/// Builds the dataset named by `config.name`. Relative `config.file` paths are resolved against
/// `baseDir`. Throws ConfigError naming the key on bad values.
std::unique_ptr<Dataset2D> makeDataset(const DataConfig& config, const std::string& baseDir = "");

}  // namespace flowscope
