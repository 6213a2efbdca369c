#pragma once
// A registry: the choices of one config key (data.name, path.name, model.name, sampling.solver,
// ...) as torch-free metadata. The config schema, validate(), --help, the GUI form and the docs
// read it; the engine keys its factories by the same names (tests/engine/RegistryTest.cpp checks
// that both sides list the same names).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/util/ValueRange.h"

namespace flowscope {

/// "this choice needs `key` to be one of `values` (or any choice tagged with one of `tags`)".
struct Requirement {
  std::string key = {};                  ///< the other selector, e.g. "path.name"
  std::vector<std::string> values = {};  ///< accepted choices of it
  std::vector<std::string> tags = {};    ///< or: accepted when its choice carries one of these tags
  std::string why = {};                  ///< shown after the message, cites the paper
};

struct Choice {
  std::string name = {};     ///< the value written in the config, e.g. "eight_gaussians"
  std::string summary = {};  ///< one line: --help, combo-box tooltips, the docs' tables
  /// Keys that apply only with this choice (greyed out in the form otherwise). A key listed by
  /// some choice of a registry applies exactly when one of those choices is selected.
  std::vector<std::string> keys = {};
  /// Of `keys`, those that must be set (a non-empty text) for this choice.
  std::vector<std::string> needs = {};
  /// Per-key defaults where this choice differs from the schema's (YAML text), e.g. data.noise.
  std::map<std::string, std::string> defaults = {};
  /// Per-key valid ranges where this choice narrows the schema's, e.g. cond_ot's sigma_min < 1.
  std::map<std::string, ValueRange> ranges = {};
  std::vector<Requirement> requirements = {};  ///< other selectors this choice works with
  /// Free-form properties other registries' requirements and the docs can refer to, e.g.
  /// "points2d" (a family of datasets) or "exact_log_density".
  std::vector<std::string> tags = {};

  bool hasTag(const std::string& tag) const;
  bool lists(const std::string& key) const;
  /// The choice's default for `key` as a number, when it has one.
  std::optional<double> numberDefault(const std::string& key) const;
};

class Registry {
 public:
  /// `key`: the config key whose value picks a choice; `what`: a plural noun for messages and
  /// --help ("datasets"); `alsoAccepted`: values beyond the names (e.g. "cuda:N" for devices),
  /// with `alsoAcceptedText` describing them.
  Registry(std::string key, std::string what, std::vector<Choice> choices,
           std::function<bool(const std::string&)> alsoAccepted = {},
           std::string alsoAcceptedText = "");

  const std::string& key() const { return key_; }
  const std::string& what() const { return what_; }
  const std::vector<Choice>& choices() const { return choices_; }
  std::vector<std::string> names() const;
  const Choice* find(const std::string& name) const;
  /// A listed name, or a value `alsoAccepted` takes.
  bool accepts(const std::string& value) const;
  /// Whether values beyond the names are accepted (a form lets them be typed).
  bool acceptsMore() const { return static_cast<bool>(alsoAccepted_); }
  /// "one of: cpu, cuda, auto, or cuda:N"
  std::string expected() const;
  /// Every key some choice lists (the keys whose applicability this registry decides).
  std::vector<std::string> governedKeys() const;

 private:
  std::string key_, what_;
  std::vector<Choice> choices_;
  std::function<bool(const std::string&)> alsoAccepted_;
  std::string alsoAcceptedText_;
};

}  // namespace flowscope
