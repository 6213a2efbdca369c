#pragma once
// The shape of one sample x1 of a run's data, from its config alone: {2} for the 2D datasets,
// {C, H, W} for images. The engine works on samples flattened to R^D (the paper's x in R^d:
// paths, objectives, solvers and likelihoods never look at the layout); the networks and the
// views restore the shape. Torch-free.

#include <cstdint>
#include <vector>

namespace flowscope {

struct DataConfig;

/// {2} or {C, H, W} (core/data/ImageDatasets.h). Throws ConfigError for an unknown data.name.
std::vector<int64_t> dataShape(const DataConfig& config);

/// The product of dataShape(config): D.
int64_t dataDim(const DataConfig& config);

}  // namespace flowscope
