#pragma once
// Building a Dataset2D from DataConfig (makeDataset is declared in Dataset2D.h): one factory per
// data.name choice of core/registry/Datasets.cpp, plus the config checks the dataset
// constructors share.

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/data/Dataset2D.h"

namespace flowscope {

struct DataConfig;

/// Builds one dataset. `noise` is data.noise or, when unset, the registry's default for the
/// choice (0 for datasets without noise); `baseDir` resolves relative files.
using DatasetFactory =
    std::function<std::unique_ptr<Dataset2D>(const DataConfig&, double noise, const std::string& baseDir)>;

/// The factories by data.name; tests/engine/RegistryTest.cpp checks they match the registry.
const std::map<std::string, DatasetFactory>& datasetFactories();

/// Throws ConfigError with key "data.noise" unless `noise` is a finite standard deviation >= 0.
void checkNoise(double noise);

}  // namespace flowscope
