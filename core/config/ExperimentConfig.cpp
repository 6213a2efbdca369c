#include "core/config/ExperimentConfig.h"

#include <algorithm>

#include "core/config/ConfigSchema.h"
#include "core/registry/Registries.h"
#include "core/util/ValueRange.h"

namespace flowscope {

std::vector<std::string> allowedValues(const std::string& key) {
  const Registry* r = registryFor(key);
  return r ? r->names() : std::vector<std::string>{};
}

namespace {

std::string quoted(const std::string& s) { return "'" + s + "'"; }

/// "path.name vp or ve" for a requirement, naming the tagged choices too.
std::string acceptedChoices(const Requirement& req) {
  std::vector<std::string> names = req.values;
  if (const Registry* other = registryFor(req.key))
    for (const Choice& c : other->choices())
      for (const auto& tag : req.tags)
        if (c.hasTag(tag) && std::find(names.begin(), names.end(), c.name) == names.end())
          names.push_back(c.name);
  std::string out;
  for (size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return req.key + " " + out;
}

bool satisfied(const Requirement& req, const std::string& value) {
  if (std::find(req.values.begin(), req.values.end(), value) != req.values.end()) return true;
  const Registry* other = registryFor(req.key);
  const Choice* c = other ? other->find(value) : nullptr;
  if (!c) return true;  // an unknown value has its own message
  for (const auto& tag : req.tags)
    if (c->hasTag(tag)) return true;
  return false;
}

}  // namespace

std::vector<ConfigIssue> validate(const ExperimentConfig& config) {
  std::vector<ConfigIssue> issues;
  auto add = [&](const std::string& key, const std::string& message) {
    issues.push_back({key, "key '" + key + "': " + message});
  };
  ExperimentConfig c = config;
  const std::vector<ConfigField> fields = configFields(c);
  auto find = [&](const std::string& key) -> const ConfigField* {
    for (const auto& f : fields)
      if (f.key == key) return &f;
    return nullptr;
  };
  auto text = [&](const std::string& key) {
    const ConfigField* f = find(key);
    return f ? fieldText(*f) : std::string();
  };
  // A needed key is set when a string is not empty and an optional has a value.
  auto isSet = [&](const std::string& key) {
    const ConfigField* f = find(key);
    if (!f) return false;
    if (auto* s = std::get_if<std::string*>(&f->value)) return !(*s)->empty();
    if (auto* o = std::get_if<std::optional<double>*>(&f->value)) return (*o)->has_value();
    return true;
  };

  // Every key against its schema entry (range, integer-ness, choices).
  issues = fieldIssues(c);

  // What the selected choices need and which other choices they work with (the registries).
  for (const ConfigField& f : fields) {
    if (!f.choices || !fieldApplies(f.key, c)) continue;
    const std::string value = *std::get<std::string*>(f.value);
    const Choice* choice = f.choices->find(value);
    if (!choice) continue;
    for (const std::string& need : choice->needs) {
      if (isSet(need)) continue;
      const ConfigField* needed = find(need);
      add(need, "is empty (" + f.key + " " + value + " needs it: " +
                    (needed ? needed->help : need) + ")");
    }
    for (const Requirement& req : choice->requirements) {
      const ConfigField* otherField = find(req.key);
      auto* otherValue = otherField ? std::get_if<std::string*>(&otherField->value) : nullptr;
      const std::string other = otherValue ? **otherValue : text(req.key);
      if (satisfied(req, other)) continue;
      add(f.key, quoted(value) + " needs " + acceptedChoices(req) + " (got " + quoted(other) +
                     ")" + (req.why.empty() ? "" : ": " + req.why));
    }
  }

  // Rules across keys that no single range expresses.
  if (fieldApplies("data.covariance", c)) {
    const auto& s = c.data.covariance;
    const double det = s[0] * s[3] - s[1] * s[2];
    if (s[1] != s[2] || !(s[0] > 0) || !(det > 0))
      add("data.covariance", "is not symmetric positive definite (expected [[a, b], [b, c]] "
                             "with a > 0 and ac - b^2 > 0)");
  }
  if (fieldApplies("path.sigma_max", c) && !(c.path.sigma_max > c.path.sigma_min))
    add("path.sigma_max", "got " + shortestNumber(c.path.sigma_max) +
                              " (expected > path.sigma_min = " + shortestNumber(c.path.sigma_min) + ")");
  if (fieldApplies("path.beta_max", c) && !(c.path.beta_max > c.path.beta_min))
    add("path.beta_max", "got " + shortestNumber(c.path.beta_max) +
                             " (expected > path.beta_min = " + shortestNumber(c.path.beta_min) + ")");
  return issues;
}

}  // namespace flowscope
