#include "core/models/ModelFactory.h"

#include "core/config/ExperimentConfig.h"
#include "core/models/TimeMLP.h"
#include "core/registry/Registries.h"
#include "core/util/Error.h"

namespace flowscope {

const std::map<std::string, ModelFactory>& modelFactories() {
  static const std::map<std::string, ModelFactory> factories{
      {"mlp", [](const ModelConfig& c, int64_t dataDim) -> VelocityNet {
         return std::make_shared<TimeMLPImpl>(TimeMLPOptions::fromConfig(c, dataDim));
       }},
  };
  return factories;
}

VelocityNet makeModel(const ModelConfig& config, int64_t dataDim) {
  const auto it = modelFactories().find(config.name);
  if (it == modelFactories().end() || !modelRegistry().find(config.name))
    throw ConfigError("model.name", "model.name: unknown model '" + config.name + "' (expected " +
                                        modelRegistry().expected() + ")");
  return it->second(config, dataDim);
}

}  // namespace flowscope
