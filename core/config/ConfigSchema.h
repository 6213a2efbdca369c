#pragma once
// The experiment's keys as a flat list of (dotted key, typed pointer, metadata): the single place
// that names every field with its valid range or choices, used by the YAML reader and writer,
// --set overrides, validate(), config diffs, the GUI's experiment form, --help and the docs
// (core/config/ConfigDocs.h). Which keys apply to which choice comes from core/registry.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/config/ExperimentConfig.h"
#include "core/registry/Registry.h"
#include "core/util/ValueRange.h"

namespace flowscope {

using FieldPtr = std::variant<int*, int64_t*, uint64_t*, double*, std::string*, bool*,
                              std::array<double, 2>*, std::array<double, 4>*,
                              std::optional<double>*>;

/// A string key that names a file or a folder (the form offers a browse button).
enum class PathKind { None, File, Folder };

struct ConfigField {
  std::string key;   ///< dotted, e.g. "model.width"
  FieldPtr value;
  std::string help;  ///< one line, shown in forms and --help
  /// Numbers and integers (and each element of a list): the valid interval. Integers are also
  /// bounded by their type. A choice may narrow it (Choice::ranges).
  ValueRange range = {};
  /// String keys with a fixed set of values: the registry of those values.
  const Registry* choices = nullptr;
  /// Added to the expectation in messages, e.g. "0 disables clipping".
  std::string note = {};
  /// The docs' "meaning" column (markdown); empty: `help`.
  std::string doc = {};
  PathKind path = PathKind::None;
  std::string fileFilter = {};  ///< PathKind::File: a dialog filter, e.g. "2D points (*.npy *.csv)"
};

/// Every field of `config`, in document order. Pointers refer into `config`.
std::vector<ConfigField> configFields(ExperimentConfig& config);

/// The schema entry of `key` (its value points at a default config: read it, never write it);
/// nullptr for an unknown key.
const ConfigField* schemaField(const std::string& key);

/// The field's value as YAML flow text ("256", "[0, 0]", "[[1, 0], [0, 1]]", "" for unset).
std::string fieldText(const ConfigField& field);

/// "integer", "number", "string", "bool", "[a, b]", ... for --help and the docs.
std::string fieldType(const ConfigField& field);

/// The valid range of `field` under `config`'s choices (the schema's, or narrowed by a choice
/// that lists the key).
ValueRange effectiveRange(const ConfigField& field, const ExperimentConfig& config);

/// What a valid value is, for messages: "an integer in [1, 65536]", "a number in (0, 10]
/// (0 disables ...)", "one of: cond_ot, vp, ve".
std::string expectedText(const ConfigField& field, const ExperimentConfig& config);
std::string expectedText(const ConfigField& field);  ///< under the default choices

/// Whether `key` matters for `config`'s choices: a key listed by some choices of a registry
/// applies exactly when one of them is selected and the registry's own key applies. Keys no
/// registry lists always apply. (The form greys out the others.)
bool fieldApplies(const std::string& key, const ExperimentConfig& config);

/// The default the selected choice gives `key` where it differs from the schema's (YAML text),
/// else "" (e.g. data.noise for two_moons: "0.1").
std::string choiceDefault(const std::string& key, const ExperimentConfig& config);

/// The range and choice check of one field, against `config` (the config `field` points into):
/// empty when valid, else "key 'k': got ... (expected ...)". validate() runs it on every field;
/// the form and sessions call it (through validate()) for the same message.
std::optional<ConfigIssue> fieldIssue(const ConfigField& field, const ExperimentConfig& config);
/// fieldIssue() of every field of `config`, in document order.
std::vector<ConfigIssue> fieldIssues(const ExperimentConfig& config);

}  // namespace flowscope
