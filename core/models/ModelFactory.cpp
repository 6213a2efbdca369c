#include "core/models/ModelFactory.h"

#include "core/config/ExperimentConfig.h"
#include "core/data/DataShape.h"
#include "core/models/TimeMLP.h"
#include "core/models/unet/AdmUNet.h"
#include "core/registry/Registries.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

int64_t product(const std::vector<int64_t>& shape) {
  int64_t d = 1;
  for (int64_t s : shape) d *= s;
  return d;
}

/// The model.* key a UNetConfig field comes from, for messages.
std::string keyOfField(const std::string& field) {
  if (field == "modelChannels") return "model.channels";
  if (field == "numResBlocks") return "model.res_blocks";
  if (field == "groups") return "model.groups";
  if (field == "dropout") return "model.dropout";
  if (field == "numClasses") return "model.classes";
  if (field == "timeScale") return "model.time_scale";
  return "model.preset";
}

}  // namespace

UNetConfig unetConfigFor(const ModelConfig& config, const std::vector<int64_t>& shape) {
  if (shape.size() != 3 || shape[1] != shape[2])
    throw ConfigError("model.name", "model.name: unet takes square C x H x W images (data.name "
                                    "gives samples of another shape)");
  UNetConfig u;
  try {
    u = UNetConfig::preset(config.preset);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("model.preset", std::string("model.preset: ") + e.what());
  }
  const UNetConfig preset = u;
  u.inChannels = shape[0];
  u.imageSize = shape[1];
  // The preset names attention resolutions in pixels of its own image size; on images of
  // another size they keep their downsampling factor (16 px of CIFAR's 32 is 14 px of 28).
  if (u.imageSize != preset.imageSize) {
    u.attentionResolutions.clear();
    for (int64_t r : preset.attentionResolutions)
      if (r > 0 && preset.imageSize % r == 0) u.attentionResolutions.push_back(u.imageSize / (preset.imageSize / r));
  }
  if (config.channels > 0) {
    u.modelChannels = config.channels;
    // Narrower networks keep the preset's head count: channels per head shrink with the width.
    if (preset.numHeadChannels > 0)
      u.numHeadChannels = std::max<int64_t>(1, preset.numHeadChannels * config.channels / preset.modelChannels);
  }
  if (config.res_blocks > 0) u.numResBlocks = config.res_blocks;
  if (config.groups > 0) u.groups = config.groups;
  if (config.dropout) u.dropout = *config.dropout;
  u.timeScale = config.time_scale;
  u.numClasses = config.classes;
  try {
    u.validate();
  } catch (const UNetConfigError& e) {
    const std::string key = keyOfField(e.field());
    throw ConfigError(key, key + ": " + e.what() + " (model.preset " + config.preset + " on " +
                               std::to_string(shape[0]) + "x" + std::to_string(shape[1]) + "x" +
                               std::to_string(shape[2]) + " images)");
  }
  return u;
}

const std::map<std::string, ModelFactory>& modelFactories() {
  static const std::map<std::string, ModelFactory> factories{
      {"mlp", [](const ModelConfig& c, const std::vector<int64_t>& shape) -> VelocityNet {
         return std::make_shared<TimeMLPImpl>(TimeMLPOptions::fromConfig(c, product(shape)));
       }},
      {"unet", [](const ModelConfig& c, const std::vector<int64_t>& shape) -> VelocityNet {
         return std::make_shared<AdmUNetImpl>(unetConfigFor(c, shape));
       }},
  };
  return factories;
}

VelocityNet makeModel(const ModelConfig& config, const std::vector<int64_t>& sampleShape) {
  const auto it = modelFactories().find(config.name);
  if (it == modelFactories().end() || !modelRegistry().find(config.name))
    throw ConfigError("model.name", "model.name: unknown model '" + config.name + "' (expected " +
                                        modelRegistry().expected() + ")");
  return it->second(config, sampleShape);
}

VelocityNet makeModel(const ExperimentConfig& config) {
  return makeModel(config.model, dataShape(config.data));
}

}  // namespace flowscope
