#pragma once
// Checkpoints: model, EMA model, optimizer state, step, RNG state and the resolved config in one
// LibTorch archive, written atomically (temp file, then rename) so a crash or a stop mid-write
// never leaves a half-written file where a good one was.

#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <cstdint>
#include <string>

namespace flowscope {

struct CheckpointRefs {
  torch::nn::Module* model = nullptr;         ///< required
  torch::nn::Module* ema = nullptr;           ///< optional
  torch::optim::Optimizer* optimizer = nullptr;  ///< optional
  at::Generator* generator = nullptr;         ///< optional
};

/// Serializes `refs` with `step` and `configYaml` to `path` atomically. Throws FileError.
void writeCheckpoint(const std::string& path, const CheckpointRefs& refs, int64_t step,
                     const std::string& configYaml);

/// Restores whatever `refs` points to (the EMA falls back to the model weights when the file has
/// none). Returns the step. Throws FileError naming the file when it is missing, corrupt, or does
/// not match the model's parameters.
int64_t readCheckpoint(const std::string& path, const CheckpointRefs& refs);

/// The resolved config YAML stored in a checkpoint. Throws FileError.
std::string readCheckpointConfig(const std::string& path);

}  // namespace flowscope
