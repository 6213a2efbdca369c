#pragma once
// Tensors to and from NumPy .npy files (float32 on disk, written atomically).

#include <torch/types.h>

#include <string>

namespace flowscope {

/// Reads any numeric .npy as a float32 CPU tensor of the stored shape. Throws FileError.
torch::Tensor readNpyTensor(const std::string& path);

/// Writes a tensor (any device, any floating dtype) as float32 .npy, atomically.
void writeNpyTensor(const std::string& path, const torch::Tensor& tensor);

/// Same, float64 on disk (log-likelihoods).
void writeNpyTensorF64(const std::string& path, const torch::Tensor& tensor);

}  // namespace flowscope
