#pragma once
// Checkpoints: model, EMA model, optimizer state, step, RNG state, the trainer's logging counters
// and the resolved config in one LibTorch archive, written atomically (temp file, then rename) so
// a crash or a stop mid-write never leaves a half-written file where a good one was. A trailer
// after the archive holds its length and CRC-32 (core/io/Crc32.h), verified on every load: this
// LibTorch does not check the zip's own CRCs, so a damaged byte would otherwise load silently.

#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <cstdint>
#include <string>

#include "core/io/ChecksumTrailer.h"
#include "core/util/Error.h"

namespace flowscope {

/// The trainer's running state that is not a tensor: the loss sum and step count of the
/// metrics.csv row in progress (so a resumed run logs the same means) and the training time.
struct TrainingCounters {
  double logLossSum = 0;
  int64_t logSteps = 0;
  double elapsedSec = 0;
};

struct CheckpointRefs {
  torch::nn::Module* model = nullptr;         ///< required
  torch::nn::Module* ema = nullptr;           ///< optional
  torch::optim::Optimizer* optimizer = nullptr;  ///< optional
  at::Generator* generator = nullptr;         ///< optional
  TrainingCounters* counters = nullptr;       ///< optional
};

/// The file is damaged (checksum mismatch, truncated, not an archive): another checkpoint of the
/// run may still be intact. Other FileErrors (another model, a newer format) are not damage.
using CheckpointDamagedError = DamagedFileError;

/// Serializes `refs` with `step` and `configYaml` to `path` atomically. Throws FileError.
void writeCheckpoint(const std::string& path, const CheckpointRefs& refs, int64_t step,
                     const std::string& configYaml);

/// Restores whatever `refs` points to (the EMA falls back to the model weights when the file has
/// none). Returns the step. Throws CheckpointDamagedError when the file fails its checksum or
/// cannot be read as a checkpoint, FileError naming the file when it is missing or does not
/// match the model's parameters. Nothing is restored from a damaged file.
int64_t readCheckpoint(const std::string& path, const CheckpointRefs& refs);

/// The resolved config YAML stored in a checkpoint (verified like readCheckpoint). Throws
/// FileError / CheckpointDamagedError.
std::string readCheckpointConfig(const std::string& path);

}  // namespace flowscope
