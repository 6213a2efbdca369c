#pragma once
// Reading and writing experiments as YAML (the same file for the CLI and the GUI). Every error
// names the source (file:line:column or the --set argument), the key, the bad value and what is
// expected; unknown keys are errors, so a typo never silently falls back to a default.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/ExperimentConfig.h"

namespace flowscope {

/// Experiment files larger than this are refused (a real one is a few kilobytes).
constexpr size_t kMaxExperimentFileBytes = size_t{1} << 20;

/// Parses YAML text (empty text gives the defaults). `sourceName` labels errors; `overrides` are "dotted.key=value" strings
/// (--set) applied on top, the value read as YAML. Relative data.file paths are resolved against
/// `baseDir` when it is not empty. Validates ranges; throws ConfigError.
ExperimentConfig parseExperiment(std::string_view yaml, const std::string& sourceName,
                                 const std::vector<std::string>& overrides = {},
                                 const std::string& baseDir = "");

/// Reads and parses a YAML file; throws FileError when it cannot be read, is not a regular file
/// or is over kMaxExperimentFileBytes, ConfigError when invalid or when it holds no settings
/// (empty or only comments).
ExperimentConfig loadExperiment(const std::string& path,
                                const std::vector<std::string>& overrides = {});

/// The complete config as YAML, every key written (a resolved config).
std::string toYaml(const ExperimentConfig& config);

/// Writes toYaml(config) atomically.
void saveExperiment(const ExperimentConfig& config, const std::string& path);

/// Keys whose values differ, as "key: <a> -> <b>" lines (empty when equal).
std::vector<std::string> diffExperiments(const ExperimentConfig& a, const ExperimentConfig& b);

}  // namespace flowscope
