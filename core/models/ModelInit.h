#pragma once
// Parameter initialization from an explicit generator, so that a seed fixes the initial weights
// without touching LibTorch's global RNG (two runs may start at once in the app).

#include <ATen/core/Generator.h>
#include <torch/nn/module.h>

namespace flowscope {

/// PyTorch's default Linear initialization, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and
/// biases, drawn from `gen` for every 2-D weight and its bias. An AdmUNet is initialised as a
/// whole by its own resetParameters (convolutions, embeddings, norms and its zeroed layers).
void initializeParameters(torch::nn::Module& module, at::Generator& gen);

/// Copies parameters and buffers of `from` into `to` (same architecture).
void copyParameters(const torch::nn::Module& from, torch::nn::Module& to);

}  // namespace flowscope
