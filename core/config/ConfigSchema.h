#pragma once
// The experiment's keys as a flat list of (dotted key, typed pointer, help): the single place that
// names every field, used by the YAML reader and writer, --set overrides, config diffs and the
// GUI's experiment form.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/config/ExperimentConfig.h"

namespace flowscope {

using FieldPtr = std::variant<int*, int64_t*, uint64_t*, double*, std::string*, bool*,
                              std::array<double, 2>*, std::array<double, 4>*,
                              std::optional<double>*>;

struct ConfigField {
  std::string key;   ///< dotted, e.g. "model.width"
  FieldPtr value;
  std::string help;  ///< one line, shown in forms and --help
};

/// Every field of `config`, in document order. Pointers refer into `config`.
std::vector<ConfigField> configFields(ExperimentConfig& config);

/// The field's value as YAML flow text ("256", "[0, 0]", "[[1, 0], [0, 1]]", "" for unset).
std::string fieldText(const ConfigField& field);

}  // namespace flowscope
