#pragma once
// Building the network of model.name: one factory per choice of core/registry/Models.cpp.

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "core/models/VelocityNet.h"

namespace flowscope {

struct ModelConfig;

/// Builds an uninitialized model for data of dimension `dataDim` (initializeParameters seeds it).
using ModelFactory = std::function<VelocityNet(const ModelConfig&, int64_t dataDim)>;

/// The factories by model.name; tests/engine/RegistryTest.cpp checks they match the registry.
const std::map<std::string, ModelFactory>& modelFactories();

/// The model named by config.name. Throws ConfigError naming the key.
VelocityNet makeModel(const ModelConfig& config, int64_t dataDim);

}  // namespace flowscope
