#pragma once
// Points: the empirical distribution of user-supplied 2D points (a .npy or .csv file), optionally
// smoothed with Gaussian jitter.

#include "core/data/Dataset2D.h"

namespace flowscope {

class PointCloud final : public Dataset2D {
 public:
  static constexpr double kDefaultNoise = 0.0;

  /// `points` is float [N, 2] with N >= 2 and finite values; `source` names them in messages
  /// (the data.file value). Throws ConfigError ("data.file", "data.noise") otherwise.
  explicit PointCloud(const torch::Tensor& points, double noise = kDefaultNoise,
                      std::string source = "points");

  /// Loads `file` (.npy of shape [N, 2], any numeric dtype, or .csv with two numeric columns and
  /// an optional header); a relative `file` is resolved against `baseDir`. Throws ConfigError
  /// with key "data.file" naming the file when it is missing, unreadable or malformed.
  static std::unique_ptr<PointCloud> fromFile(const std::string& file,
                                              const std::string& baseDir = "",
                                              double noise = kDefaultNoise);

  std::string name() const override { return "points"; }
  /// Draws points uniformly with replacement, plus N(0, noise^2 I) jitter when noise > 0.
  torch::Tensor sample(int64_t n, at::Generator& gen) const override;
  /// The data range padded by 10% per side (and by 4 noise std).
  Bounds2D bounds() const override { return bounds_; }

  /// The stored points, float32 [N, 2].
  const torch::Tensor& points() const { return points_; }
  double noise() const { return noise_; }

 private:
  torch::Tensor points_;
  double noise_;
  Bounds2D bounds_;
};

}  // namespace flowscope
