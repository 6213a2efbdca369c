#include "core/train/Checkpoint.h"

#include <torch/torch.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <string_view>

#include "core/io/AtomicFile.h"
#include "core/io/ChecksumTrailer.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

// 2: the CRC-32 trailer and the training counters.
constexpr int64_t kFormatVersion = 2;

std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

/// The file's bytes, verified against their checksum trailer (core/io/ChecksumTrailer.h).
/// `legacy`: no trailer (format 1, or damage to the trailer itself: the archive's
/// format_version tells them apart).
struct VerifiedBytes {
  std::string bytes;
  size_t contentSize = 0;
  bool legacy = false;
};

VerifiedBytes readVerified(const std::string& path) {
  if (!std::filesystem::exists(path)) throw FileError(path + ": checkpoint file does not exist");
  VerifiedBytes v;
  v.bytes = readFileBytes(path);
  const TrailerCheck t = checkChecksumTrailer(v.bytes, path, "checkpoint");
  v.contentSize = t.contentSize;
  v.legacy = !t.present;
  return v;
}

void loadArchive(torch::serialize::InputArchive& archive, const std::string& path) {
  const VerifiedBytes v = readVerified(path);
  try {
    archive.load_from(v.bytes.data(), v.contentSize);
  } catch (const std::exception& e) {
    throw CheckpointDamagedError(path + ": not a readable FlowScope checkpoint (" +
                                 firstLine(e.what()) + ")");
  }
  if (v.legacy) {
    // Only format 1 was written without a trailer; a later file without one lost it to damage.
    c10::IValue version;
    if (!archive.try_read("format_version", version) || !version.isInt() || version.toInt() != 1)
      throw CheckpointDamagedError(path + ": damaged checkpoint (its checksum trailer is missing)");
  }
}

struct ModelMismatch : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Module::load replaces tensors whatever their shape; this loader checks every parameter and
/// buffer first (mirroring Module::save's nesting) so a checkpoint of another architecture is an
/// error instead of a silently different model.
void loadModuleChecked(torch::nn::Module& module, torch::serialize::InputArchive& archive,
                       const std::string& prefix) {
  torch::NoGradGuard noGrad;
  auto check = [&](const std::string& name, torch::Tensor& target, bool isBuffer) {
    torch::Tensor stored;
    if (!archive.try_read(name, stored, isBuffer))
      throw ModelMismatch("tensor '" + prefix + name + "' is missing");
    if (stored.sizes() != target.sizes())
      throw ModelMismatch("tensor '" + prefix + name + "' has shape " + c10::str(stored.sizes()) +
                      ", the model expects " + c10::str(target.sizes()));
    target.copy_(stored);
  };
  for (auto& p : module.named_parameters(/*recurse=*/false)) check(p.key(), p.value(), false);
  for (auto& b : module.named_buffers(/*recurse=*/false)) check(b.key(), b.value(), true);
  for (auto& child : module.named_children()) {
    torch::serialize::InputArchive childArchive;
    if (!archive.try_read(child.key(), childArchive))
      throw ModelMismatch("module '" + prefix + child.key() + "' is missing");
    loadModuleChecked(*child.value(), childArchive, prefix + child.key() + ".");
  }
}

}  // namespace

void writeCheckpoint(const std::string& path, const CheckpointRefs& refs, int64_t step,
                     const std::string& configYaml) {
  torch::serialize::OutputArchive archive;
  archive.write("format_version", c10::IValue(kFormatVersion));
  archive.write("step", c10::IValue(step));
  archive.write("config", c10::IValue(configYaml));
  torch::serialize::OutputArchive model;
  refs.model->save(model);
  archive.write("model", model);
  if (refs.ema) {
    torch::serialize::OutputArchive ema;
    refs.ema->save(ema);
    archive.write("ema", ema);
  }
  if (refs.optimizer) {
    torch::serialize::OutputArchive optimizer;
    refs.optimizer->save(optimizer);
    archive.write("optimizer", optimizer);
  }
  if (refs.generator) archive.write("rng_state", refs.generator->get_state());
  if (refs.counters) {
    archive.write("log_loss_sum", c10::IValue(refs.counters->logLossSum));
    archive.write("log_steps", c10::IValue(refs.counters->logSteps));
    archive.write("elapsed_s", c10::IValue(refs.counters->elapsedSec));
  }

  std::ostringstream bytes;
  try {
    archive.save_to(bytes);
  } catch (const c10::Error& e) {
    throw FileError(path + ": cannot serialize checkpoint (" + firstLine(e.what()) + ")");
  }
  std::string content = bytes.str();
  content += checksumTrailer(content);
  writeFileAtomic(path, content);
}

int64_t readCheckpoint(const std::string& path, const CheckpointRefs& refs) {
  torch::serialize::InputArchive archive;
  loadArchive(archive, path);
  try {
    c10::IValue version, step;
    archive.read("format_version", version);
    if (version.toInt() > kFormatVersion)
      throw FileError(path + ": checkpoint format " + std::to_string(version.toInt()) +
                      " is newer than this FlowScope understands (" +
                      std::to_string(kFormatVersion) + ")");
    archive.read("step", step);

    torch::serialize::InputArchive model;
    archive.read("model", model);
    loadModuleChecked(*refs.model, model, "model.");
    if (refs.ema) {
      torch::serialize::InputArchive ema;
      if (archive.try_read("ema", ema)) loadModuleChecked(*refs.ema, ema, "ema.");
      else loadModuleChecked(*refs.ema, model, "model.");
    }
    if (refs.optimizer) {
      torch::serialize::InputArchive optimizer;
      if (archive.try_read("optimizer", optimizer)) refs.optimizer->load(optimizer);
    }
    if (refs.generator) {
      torch::Tensor state;
      if (archive.try_read("rng_state", state)) refs.generator->set_state(state);
    }
    if (refs.counters) {
      // Absent from format 1: the row in progress then starts empty, as it used to.
      *refs.counters = TrainingCounters{};
      c10::IValue sum, steps, elapsed;
      if (archive.try_read("log_loss_sum", sum) && archive.try_read("log_steps", steps)) {
        refs.counters->logLossSum = sum.toDouble();
        refs.counters->logSteps = steps.toInt();
      }
      if (archive.try_read("elapsed_s", elapsed)) refs.counters->elapsedSec = elapsed.toDouble();
    }
    return step.toInt();
  } catch (const ModelMismatch& e) {
    throw FileError(path + ": checkpoint does not match this experiment's model (" + e.what() + ")");
  } catch (const c10::Error& e) {
    throw FileError(path + ": checkpoint does not match this experiment's model (" +
                    firstLine(e.what()) + ")");
  }
}

std::string readCheckpointConfig(const std::string& path) {
  torch::serialize::InputArchive archive;
  loadArchive(archive, path);
  c10::IValue config;
  try {
    archive.read("config", config);
  } catch (const c10::Error& e) {
    throw FileError(path + ": checkpoint has no config (" + firstLine(e.what()) + ")");
  }
  return config.toStringRef();
}

}  // namespace flowscope
