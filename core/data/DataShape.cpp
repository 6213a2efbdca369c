#include "core/data/DataShape.h"

#include "core/config/ExperimentConfig.h"
#include "core/data/ImageDatasets.h"
#include "core/registry/Registries.h"
#include "core/util/Error.h"

namespace flowscope {

std::vector<int64_t> dataShape(const DataConfig& config) {
  const Choice* choice = datasetRegistry().find(config.name);
  if (!choice)
    throw ConfigError("data.name", "data.name: '" + config.name + "' is not a known dataset "
                                       "(expected " + datasetRegistry().expected() + ")");
  if (choice->hasTag("images")) return imageShape(config);
  return {2};
}

int64_t dataDim(const DataConfig& config) {
  int64_t d = 1;
  for (int64_t s : dataShape(config)) d *= s;
  return d;
}

}  // namespace flowscope
