#pragma once
// Building a Dataset2D from DataConfig (makeDataset is declared in Dataset2D.h), plus the config
// checks the dataset constructors share.

#include <string>
#include <vector>

namespace flowscope {

/// Values accepted by data.name, in the order the documentation lists them.
const std::vector<std::string>& datasetNames();

/// Throws ConfigError with key "data.noise" unless `noise` is a finite standard deviation >= 0.
void checkNoise(double noise);

}  // namespace flowscope
