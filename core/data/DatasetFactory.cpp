#include "core/data/DatasetFactory.h"

#include "core/config/ExperimentConfig.h"
#include "core/data/Checkerboard.h"
#include "core/data/Circles.h"
#include "core/data/EightGaussians.h"
#include "core/data/GaussianData.h"
#include "core/data/Pinwheel.h"
#include "core/data/PointCloud.h"
#include "core/data/Spirals.h"
#include "core/data/SwissRoll.h"
#include "core/data/TwoMoons.h"
#include "core/util/Error.h"

#include <cmath>
#include <sstream>

namespace flowscope {

const std::vector<std::string>& datasetNames() {
  static const std::vector<std::string> names{"checkerboard", "gaussian",   "eight_gaussians",
                                              "two_moons",    "circles",    "spirals",
                                              "pinwheel",     "swiss_roll", "points"};
  return names;
}

void checkNoise(double noise) {
  if (std::isfinite(noise) && noise >= 0.0) return;
  std::ostringstream s;
  s << "data.noise: " << noise << " is not a valid noise level (expected a standard deviation >= 0)";
  throw ConfigError("data.noise", s.str());
}

std::unique_ptr<Dataset2D> makeDataset(const DataConfig& config, const std::string& baseDir) {
  // An explicit noise is checked even where the dataset has none, so a typo never goes unseen.
  if (config.noise) checkNoise(*config.noise);
  const std::string& name = config.name;
  if (name == "checkerboard") return std::make_unique<Checkerboard>();
  if (name == "gaussian") return std::make_unique<GaussianData>(config.mean, config.covariance);
  if (name == "eight_gaussians") {
    return std::make_unique<EightGaussians>(config.noise.value_or(EightGaussians::kDefaultNoise));
  }
  if (name == "two_moons") {
    return std::make_unique<TwoMoons>(config.noise.value_or(TwoMoons::kDefaultNoise));
  }
  if (name == "circles") {
    return std::make_unique<Circles>(config.noise.value_or(Circles::kDefaultNoise));
  }
  if (name == "spirals") {
    return std::make_unique<Spirals>(config.noise.value_or(Spirals::kDefaultNoise));
  }
  if (name == "pinwheel") {
    return std::make_unique<Pinwheel>(config.noise.value_or(Pinwheel::kDefaultNoise));
  }
  if (name == "swiss_roll") {
    return std::make_unique<SwissRoll>(config.noise.value_or(SwissRoll::kDefaultNoise));
  }
  if (name == "points") {
    return PointCloud::fromFile(config.file, baseDir,
                                config.noise.value_or(PointCloud::kDefaultNoise));
  }
  std::string allowed;
  for (const auto& n : datasetNames()) allowed += (allowed.empty() ? "" : ", ") + n;
  throw ConfigError("data.name",
                    "data.name: '" + name + "' is not a known dataset (expected one of: " + allowed + ")");
}

}  // namespace flowscope
