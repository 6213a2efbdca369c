#pragma once
// Building the network of model.name: one factory per choice of core/registry/Models.cpp.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/models/VelocityNet.h"
#include "core/models/unet/UNetConfig.h"

namespace flowscope {

struct ModelConfig;
struct ExperimentConfig;

/// Builds an uninitialized model for samples of shape `sampleShape` ({2} or {C, H, W}; the
/// networks take them flattened to [B, D]); initializeParameters seeds it.
using ModelFactory =
    std::function<VelocityNet(const ModelConfig&, const std::vector<int64_t>& sampleShape)>;

/// The factories by model.name; tests/engine/RegistryTest.cpp checks they match the registry.
const std::map<std::string, ModelFactory>& modelFactories();

/// The model named by config.name. Throws ConfigError naming the key.
VelocityNet makeModel(const ModelConfig& config, const std::vector<int64_t>& sampleShape);
/// The model of an experiment, for the shape of its data (core/data/DataShape.h).
VelocityNet makeModel(const ExperimentConfig& config);

/// model.preset with the model.* overrides, for images of `sampleShape` {C, H, W} (square).
/// Throws ConfigError naming the model.* key a bad value came from.
UNetConfig unetConfigFor(const ModelConfig& config, const std::vector<int64_t>& sampleShape);

}  // namespace flowscope
