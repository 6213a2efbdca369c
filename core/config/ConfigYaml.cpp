#include "core/config/ConfigYaml.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <type_traits>

#include "core/config/ConfigSchema.h"
#include "core/io/AtomicFile.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

/// Where a YAML value came from, for messages.
struct Origin {
  std::string source;              // file name
  std::map<std::string, std::string> overrides;  // key -> "--set key=value"

  std::string at(const std::string& key, const YAML::Node& node) const {
    auto it = overrides.find(key);
    if (it != overrides.end()) return it->second;
    const YAML::Mark m = node.Mark();
    if (m.line < 0) return source;
    return source + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
  }
};

std::string scalarText(const YAML::Node& node) {
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  if (node.IsNull()) return "an empty value";
  std::ostringstream os;
  YAML::Emitter e;
  e << YAML::Flow << node;
  return std::string(e.c_str());
}

[[noreturn]] void fail(const Origin& origin, const std::string& key, const YAML::Node& node,
                       const std::string& expected) {
  throw ConfigError(key, origin.at(key, node) + ": key '" + key + "': got " + scalarText(node) +
                             " (expected " + expected + ")");
}

/// A mapping key as text; YAML allows sequences and maps as keys, the schema does not.
std::string keyText(const Origin& o, const YAML::Node& key, const std::string& section) {
  if (key.IsScalar()) return key.Scalar();
  if (key.IsNull()) return "";
  throw ConfigError(section, o.at(section, key) + ": " +
                                 (section.empty() ? std::string("a top-level key") : "a key in '" + section + "'") +
                                 " is a " + (key.IsMap() ? "mapping" : "sequence") +
                                 "; expected a plain name such as 'model' or 'width'");
}

/// `expected` is the key's expectation from the schema ("a number in (0, 10]"), so a value
/// that is not a number at all and one out of double's range get the same guidance.
double readDouble(const Origin& o, const std::string& key, const YAML::Node& node,
                  const std::string& expected) {
  if (!node.IsScalar()) fail(o, key, node, expected);
  const std::string& s = node.Scalar();
  const std::string finite = expected.rfind("a number", 0) == 0
                                 ? "a finite number" + expected.substr(8)
                                 : "finite numbers: " + expected;
  for (const char* special : {".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "-.inf", "-.Inf",
                              "-.INF", "+.inf", "nan", "inf", "-inf"})
    if (s == special) fail(o, key, node, finite);
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    fail(o, key, node, expected);  // not a number, or beyond +-1.8e308
  }
  if (used != s.size()) fail(o, key, node, expected);
  if (!std::isfinite(v)) fail(o, key, node, finite);
  return v;
}

template <typename Int>
Int readInteger(const Origin& o, const std::string& key, const YAML::Node& node,
                const std::string& expected) {
  if (!node.IsScalar()) fail(o, key, node, expected);
  const std::string& s = node.Scalar();
  size_t used = 0;
  long double v = 0;
  try {
    v = std::stold(s, &used);  // accepts 1e5 for step counts
  } catch (const std::exception&) {
    fail(o, key, node, expected);
  }
  if (used != s.size() || v != std::floor(v) ||
      v < static_cast<long double>(std::numeric_limits<Int>::min()) ||
      v > static_cast<long double>(std::numeric_limits<Int>::max()))
    fail(o, key, node, expected);
  return static_cast<Int>(v);
}

bool readBool(const Origin& o, const std::string& key, const YAML::Node& node) {
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    if (s == "true" || s == "True" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "False" || s == "no" || s == "off") return false;
  }
  fail(o, key, node, "true or false");
}

std::string readString(const Origin& o, const std::string& key, const YAML::Node& node,
                       const std::string& expected) {
  if (!node.IsScalar()) fail(o, key, node, expected);
  return node.Scalar();
}

std::array<double, 2> readPair(const Origin& o, const std::string& key, const YAML::Node& node,
                               const std::string& expected) {
  if (!node.IsSequence() || node.size() != 2) fail(o, key, node, expected);
  return {readDouble(o, key, node[0], expected), readDouble(o, key, node[1], expected)};
}

std::array<double, 4> readMatrix(const Origin& o, const std::string& key, const YAML::Node& node,
                                 const std::string& expected) {
  if (!node.IsSequence() || node.size() != 2) fail(o, key, node, expected);
  for (const auto& row : node)
    if (!row.IsSequence() || row.size() != 2) fail(o, key, node, expected);
  return {readDouble(o, key, node[0][0], expected), readDouble(o, key, node[0][1], expected),
          readDouble(o, key, node[1][0], expected), readDouble(o, key, node[1][1], expected)};
}

void assign(const Origin& o, const ConfigField& field, const YAML::Node& node) {
  const std::string& key = field.key;
  const std::string expected = expectedText(field);
  std::visit(
      [&](auto* p) {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, std::string>) *p = readString(o, key, node, expected);
        else if constexpr (std::is_same_v<T, bool>) *p = readBool(o, key, node);
        else if constexpr (std::is_same_v<T, double>) *p = readDouble(o, key, node, expected);
        else if constexpr (std::is_same_v<T, std::optional<double>>)
          *p = node.IsNull() ? std::nullopt
                             : std::optional<double>(readDouble(o, key, node, expected));
        else if constexpr (std::is_same_v<T, std::array<double, 2>>)
          *p = readPair(o, key, node, expected);
        else if constexpr (std::is_same_v<T, std::array<double, 4>>)
          *p = readMatrix(o, key, node, expected);
        else *p = readInteger<T>(o, key, node, expected);
      },
      field.value);
}

/// Duplicate keys in one mapping: YAML forbids them, yaml-cpp keeps both and the second would
/// silently win (or a second section would merge into the first).
class SeenKeys {
 public:
  void add(const Origin& o, const std::string& key, const YAML::Node& keyNode) {
    const std::string at = o.at(key, keyNode);
    auto [it, fresh] = first_.emplace(key, at);
    if (!fresh)
      throw ConfigError(key, at + ": key '" + key + "' appears twice in the same mapping (first at " +
                                 it->second + "); give each key once");
  }

 private:
  std::map<std::string, std::string> first_;
};

std::string joinKeys(const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& k : keys) out += (out.empty() ? "" : ", ") + k;
  return out;
}

}  // namespace

namespace {

ExperimentConfig parse(std::string_view yaml, const std::string& sourceName,
                       const std::vector<std::string>& overrides, const std::string& baseDir,
                       bool requireSettings) {
  ExperimentConfig config;
  std::vector<ConfigField> fields = configFields(config);
  std::map<std::string, const ConfigField*> byKey;
  std::map<std::string, std::vector<std::string>> sectionKeys;  // "" holds top-level keys
  for (const auto& f : fields) {
    byKey[f.key] = &f;
    const auto dot = f.key.find('.');
    if (dot == std::string::npos) {
      sectionKeys[""].push_back(f.key);
    } else {
      const std::string section = f.key.substr(0, dot);
      if (sectionKeys[section].empty()) sectionKeys[""].push_back(section);
      sectionKeys[section].push_back(f.key.substr(dot + 1));
    }
  }

  Origin origin{sourceName, {}};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    throw ConfigError("", sourceName + ":" + std::to_string(e.mark.line + 1) + ":" +
                              std::to_string(e.mark.column + 1) + ": YAML syntax error: " + e.msg);
  }
  if (root.IsNull()) {
    // An empty or comment-only file would train the built-in defaults without a word.
    if (requireSettings)
      throw ConfigError("", sourceName + ": holds no settings (the file is empty or only comments; "
                                         "expected a mapping of sections such as data, path, "
                                         "model, training)");
    root = YAML::Node(YAML::NodeType::Map);
  }
  if (!root.IsMap())
    throw ConfigError("", sourceName + ": expected a mapping of sections (data, path, objective, "
                                       "model, ...) at the top level");

  // Keys given twice in the file are errors. (--set may repeat a key: the last one wins, as
  // scripts pass a base set of overrides and then one more.)
  {
    SeenKeys top;
    for (const auto& entry : root) {
      const std::string name = keyText(origin, entry.first, "");
      top.add(origin, name, entry.first);
      if (!entry.second.IsMap()) continue;
      SeenKeys inner;
      for (const auto& sub : entry.second)
        inner.add(origin, name + "." + keyText(origin, sub.first, name), sub.first);
    }
  }
  for (const std::string& item : overrides) {
    const std::string label = "--set " + item;
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw ConfigError("", label + ": expected key=value, e.g. --set model.width=512");
    const std::string key = item.substr(0, eq);
    if (!byKey.count(key))
      throw ConfigError(key, label + ": unknown key '" + key + "'");
    YAML::Node value;
    try {
      value = YAML::Load(item.substr(eq + 1));
    } catch (const YAML::Exception& e) {
      throw ConfigError(key, label + ": value is not valid YAML (" + e.msg + ")");
    }
    const auto dot = key.find('.');
    if (dot == std::string::npos) {
      root[key] = value;
    } else {
      const std::string section = key.substr(0, dot);
      if (!root[section] || root[section].IsNull()) root[section] = YAML::Node(YAML::NodeType::Map);
      if (!root[section].IsMap())
        throw ConfigError(key, label + ": section '" + section + "' in " + sourceName +
                                   " is not a mapping");
      root[section][key.substr(dot + 1)] = value;
    }
    origin.overrides[key] = label;
  }

  for (const auto& entry : root) {
    const std::string top = keyText(origin, entry.first, "");
    if (byKey.count(top)) {  // a top-level scalar such as `name`
      assign(origin, *byKey[top], entry.second);
      continue;
    }
    auto section = sectionKeys.find(top);
    if (top.empty() || section == sectionKeys.end())
      throw ConfigError(top, origin.at(top, entry.first) + ": unknown key '" + top +
                                 "' (expected one of: " + joinKeys(sectionKeys[""]) + ")");
    if (entry.second.IsNull()) continue;
    if (!entry.second.IsMap())
      throw ConfigError(top, origin.at(top, entry.second) + ": key '" + top +
                                 "' must be a mapping (expected keys: " +
                                 joinKeys(section->second) + ")");
    for (const auto& sub : entry.second) {
      const std::string key = top + "." + keyText(origin, sub.first, top);
      auto field = byKey.find(key);
      if (field == byKey.end())
        throw ConfigError(key, origin.at(key, sub.first) + ": unknown key '" + key +
                                   "' (expected one of: " + joinKeys(section->second) + ")");
      assign(origin, *field->second, sub.second);
    }
  }

  // Files and folders named relative to the YAML file (the schema's PathKind keys).
  for (std::string* path : {&config.data.file, &config.data.root, &config.evaluation.classifier}) {
    if (path->empty() || baseDir.empty()) continue;
    const std::filesystem::path p(*path);
    if (p.is_relative()) *path = (std::filesystem::path(baseDir) / p).lexically_normal().string();
  }

  const std::vector<ConfigIssue> issues = validate(config);
  if (!issues.empty()) {
    std::string message;
    for (const auto& issue : issues) {
      auto f = origin.overrides.find(issue.key);
      const std::string where = f != origin.overrides.end() ? f->second : sourceName;
      message += (message.empty() ? "" : "\n") + where + ": " + issue.message;
    }
    throw ConfigError(issues.front().key, message);
  }
  return config;
}

}  // namespace

ExperimentConfig parseExperiment(std::string_view yaml, const std::string& sourceName,
                                 const std::vector<std::string>& overrides,
                                 const std::string& baseDir) {
  return parse(yaml, sourceName, overrides, baseDir, false);
}

ExperimentConfig loadExperiment(const std::string& path, const std::vector<std::string>& overrides) {
  const std::string text = readBoundedFile(path, kMaxExperimentFileBytes, "experiment file");
  const std::string baseDir = std::filesystem::path(path).parent_path().string();
  return parse(text, path, overrides, baseDir.empty() ? "." : baseDir, true);
}

std::string toYaml(const ExperimentConfig& config) {
  ExperimentConfig copy = config;
  std::ostringstream out;
  out << "# FlowScope experiment (t = 0 is noise, t = 1 is data)\n";
  std::string section;
  for (const auto& field : configFields(copy)) {
    const auto dot = field.key.find('.');
    const std::string text = fieldText(field);
    if (dot == std::string::npos) {
      out << field.key << ": " << text << "\n";
      continue;
    }
    const std::string s = field.key.substr(0, dot);
    if (s != section) {
      out << s << ":\n";
      section = s;
    }
    if (text.empty()) continue;  // unset optional: the default applies
    out << "  " << field.key.substr(dot + 1) << ": " << text << "\n";
  }
  return out.str();
}

void saveExperiment(const ExperimentConfig& config, const std::string& path) {
  writeFileAtomic(path, toYaml(config));
}

std::vector<std::string> diffExperiments(const ExperimentConfig& a, const ExperimentConfig& b) {
  ExperimentConfig ca = a, cb = b;
  const auto fa = configFields(ca), fb = configFields(cb);
  std::vector<std::string> out;
  for (size_t i = 0; i < fa.size(); ++i) {
    const std::string ta = fieldText(fa[i]), tb = fieldText(fb[i]);
    if (ta != tb) out.push_back(fa[i].key + ": " + (ta.empty() ? "(unset)" : ta) + " -> " +
                                (tb.empty() ? "(unset)" : tb));
  }
  return out;
}

}  // namespace flowscope
