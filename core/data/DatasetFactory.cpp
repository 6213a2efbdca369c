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
#include "core/registry/Registries.h"
#include "core/util/Error.h"

#include <cmath>
#include <sstream>

namespace flowscope {

const std::map<std::string, DatasetFactory>& datasetFactories() {
  using Ptr = std::unique_ptr<Dataset2D>;
  static const std::map<std::string, DatasetFactory> factories{
      {"checkerboard", [](const DataConfig&, double, const std::string&) -> Ptr {
         return std::make_unique<Checkerboard>();
       }},
      {"gaussian", [](const DataConfig& c, double, const std::string&) -> Ptr {
         return std::make_unique<GaussianData>(c.mean, c.covariance);
       }},
      {"eight_gaussians", [](const DataConfig&, double noise, const std::string&) -> Ptr {
         return std::make_unique<EightGaussians>(noise);
       }},
      {"two_moons", [](const DataConfig&, double noise, const std::string&) -> Ptr {
         return std::make_unique<TwoMoons>(noise);
       }},
      {"circles", [](const DataConfig&, double noise, const std::string&) -> Ptr {
         return std::make_unique<Circles>(noise);
       }},
      {"spirals", [](const DataConfig&, double noise, const std::string&) -> Ptr {
         return std::make_unique<Spirals>(noise);
       }},
      {"pinwheel", [](const DataConfig&, double noise, const std::string&) -> Ptr {
         return std::make_unique<Pinwheel>(noise);
       }},
      {"swiss_roll", [](const DataConfig&, double noise, const std::string&) -> Ptr {
         return std::make_unique<SwissRoll>(noise);
       }},
      {"points", [](const DataConfig& c, double noise, const std::string& baseDir) -> Ptr {
         return PointCloud::fromFile(c.file, baseDir, noise);
       }},
  };
  return factories;
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
  const Registry& registry = datasetRegistry();
  const Choice* choice = registry.find(config.name);
  const auto factory = datasetFactories().find(config.name);
  if (choice && choice->hasTag("images"))
    throw ConfigError("data.name", "data.name: '" + config.name + "' is an image dataset; this "
                                   "needs 2D points (one of the datasets tagged points2d)");
  if (!choice || factory == datasetFactories().end())
    throw ConfigError("data.name", "data.name: '" + config.name +
                                       "' is not a known dataset (expected " + registry.expected() + ")");
  const double noise = config.noise.value_or(choice->numberDefault("data.noise").value_or(0.0));
  return factory->second(config, noise, baseDir);
}

}  // namespace flowscope
