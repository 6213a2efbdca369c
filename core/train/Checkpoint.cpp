#include "core/train/Checkpoint.h"

#include <torch/torch.h>

#include <filesystem>
#include <sstream>

#include "core/io/AtomicFile.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

constexpr int64_t kFormatVersion = 1;

std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

void loadArchive(torch::serialize::InputArchive& archive, const std::string& path) {
  if (!std::filesystem::exists(path)) throw FileError(path + ": checkpoint file does not exist");
  try {
    archive.load_from(path);
  } catch (const c10::Error& e) {
    throw FileError(path + ": not a readable FlowScope checkpoint (" + firstLine(e.what()) + ")");
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

  std::ostringstream bytes;
  try {
    archive.save_to(bytes);
  } catch (const c10::Error& e) {
    throw FileError(path + ": cannot serialize checkpoint (" + firstLine(e.what()) + ")");
  }
  writeFileAtomic(path, bytes.str());
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
