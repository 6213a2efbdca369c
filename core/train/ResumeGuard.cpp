#include "core/train/ResumeGuard.h"

#include "core/config/ConfigYaml.h"

namespace flowscope {

bool mayChangeOnResume(const std::string& key) {
  static const char* const kTraining[] = {"training.steps",      "training.keep_checkpoints",
                                          "training.checkpoint_every", "training.log_every",
                                          "training.threads",    "training.device",       "training.precision",
                                          "data.loader_threads"};
  for (const char* k : kTraining)
    if (key == k) return true;
  return key == "name" || key.rfind("sampling.", 0) == 0 || key.rfind("evaluation.", 0) == 0;
}

std::vector<std::string> resumeConflicts(const ExperimentConfig& stored,
                                         const ExperimentConfig& requested) {
  std::vector<std::string> out;
  for (const std::string& line : diffExperiments(stored, requested))
    if (!mayChangeOnResume(line.substr(0, line.find(':')))) out.push_back(line);
  return out;
}

}  // namespace flowscope
