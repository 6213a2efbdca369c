#include "core/util/ArgParser.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace flowscope {

bool ParsedArgs::has(const std::string& name) const {
  auto f = flags_.find(name);
  if (f != flags_.end()) return f->second;
  auto v = values_.find(name);
  return v != values_.end() && !v->second.empty();
}

std::string ParsedArgs::get(const std::string& name) const {
  auto v = values_.find(name);
  if (v == values_.end() || v->second.empty())
    throw UsageError("--" + name + " is required");
  return v->second.back();
}

std::string ParsedArgs::getOr(const std::string& name, const std::string& fallback) const {
  return has(name) ? get(name) : fallback;
}

const std::vector<std::string>& ParsedArgs::getAll(const std::string& name) const {
  static const std::vector<std::string> empty;
  auto v = values_.find(name);
  return v == values_.end() ? empty : v->second;
}

namespace {

int64_t toInt(const std::string& name, const std::string& text) {
  size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size())
    throw UsageError("--" + name + ": got '" + text + "' (expected an integer)");
  return v;
}

double toDouble(const std::string& name, const std::string& text) {
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(v))
    throw UsageError("--" + name + ": got '" + text + "' (expected a finite number)");
  return v;
}

std::vector<std::string> splitList(const std::string& name, const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ',')) {
    if (item.empty())
      throw UsageError("--" + name + ": got '" + text + "' (expected a comma-separated list "
                                                          "without empty items)");
    out.push_back(item);
  }
  if (out.empty() || text.back() == ',')
    throw UsageError("--" + name + ": got '" + text + "' (expected a comma-separated list)");
  return out;
}

size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

int64_t ParsedArgs::getInt(const std::string& name) const { return toInt(name, get(name)); }
double ParsedArgs::getDouble(const std::string& name) const { return toDouble(name, get(name)); }

std::vector<double> ParsedArgs::getDoubleList(const std::string& name) const {
  std::vector<double> out;
  for (const auto& item : splitList(name, get(name))) out.push_back(toDouble(name, item));
  return out;
}

std::vector<int64_t> ParsedArgs::getIntList(const std::string& name) const {
  std::vector<int64_t> out;
  for (const auto& item : splitList(name, get(name))) out.push_back(toInt(name, item));
  return out;
}

std::vector<std::string> ParsedArgs::getStringList(const std::string& name) const {
  return splitList(name, get(name));
}

ArgParser::ArgParser(std::string usageLine, std::string description)
    : usageLine_(std::move(usageLine)), description_(std::move(description)) {}

ArgParser& ArgParser::option(const std::string& name, const std::string& valueName,
                             const std::string& help, const std::string& defaultValue,
                             bool required) {
  specs_.push_back({name, valueName, help, defaultValue, true, false, required});
  return *this;
}

ArgParser& ArgParser::repeated(const std::string& name, const std::string& valueName,
                               const std::string& help) {
  specs_.push_back({name, valueName, help, "", true, true, false});
  return *this;
}

ArgParser& ArgParser::flag(const std::string& name, const std::string& help) {
  specs_.push_back({name, "", help, "", false, false, false});
  return *this;
}

ArgParser& ArgParser::positionals(int maxCount) {
  maxPositionals_ = maxCount;
  return *this;
}

const ArgParser::Spec* ArgParser::find(const std::string& name) const {
  for (const auto& s : specs_)
    if (s.name == name) return &s;
  return nullptr;
}

std::string ArgParser::suggestion(const std::string& name) const {
  const Spec* best = nullptr;
  size_t bestDistance = 3;
  for (const auto& s : specs_) {
    const size_t d = editDistance(name, s.name);
    if (d < bestDistance) {
      bestDistance = d;
      best = &s;
    }
  }
  return best ? " (did you mean --" + best->name + "?)" : "";
}

ParsedArgs ArgParser::parse(const std::vector<std::string>& args) const {
  ParsedArgs out;
  for (const auto& s : specs_) {
    if (!s.takesValue) out.flags_[s.name] = false;
    else if (!s.defaultValue.empty()) out.values_[s.name] = {s.defaultValue};
  }
  std::map<std::string, bool> given;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      out.flags_["help"] = true;
      continue;
    }
    if (arg.size() < 3 || arg.rfind("--", 0) != 0) {
      if (!arg.empty() && arg[0] == '-' && arg != "-")
        throw UsageError("unknown option '" + arg + "' (options start with --)");
      if (static_cast<int>(out.positional_.size()) >= maxPositionals_)
        throw UsageError("unexpected argument '" + arg + "'");
      out.positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inlineValue;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      inlineValue = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const Spec* spec = find(name);
    if (!spec) throw UsageError("unknown option '--" + name + "'" + suggestion(name));
    if (!spec->takesValue) {
      if (inlineValue) throw UsageError("--" + name + " takes no value (got '" + *inlineValue + "')");
      out.flags_[name] = true;
      continue;
    }
    std::string value;
    if (inlineValue) {
      value = *inlineValue;
    } else {
      if (i + 1 >= args.size())
        throw UsageError("--" + name + " needs a value (" + spec->valueName + ")");
      value = args[++i];
    }
    if (!spec->repeatable && given[name])
      throw UsageError("--" + name + " given more than once");
    if (!given[name]) out.values_[name].clear();  // drop the default
    given[name] = true;
    out.values_[name].push_back(value);
  }
  if (!out.has("help"))
    for (const auto& s : specs_)
      if (s.required && !given[s.name])
        throw UsageError("--" + s.name + " is required (" + s.help + ")");
  return out;
}

std::string ArgParser::help() const {
  std::ostringstream os;
  os << "usage: " << usageLine_ << "\n\n" << description_ << "\n\noptions:\n";
  for (const auto& s : specs_) {
    std::string left = "  --" + s.name + (s.takesValue ? " " + s.valueName : "");
    os << left;
    if (left.size() < 28) os << std::string(28 - left.size(), ' ');
    else os << "\n" << std::string(28, ' ');
    os << s.help;
    if (!s.defaultValue.empty()) os << " (default: " << s.defaultValue << ")";
    if (s.required) os << " (required)";
    if (s.repeatable) os << " (repeatable)";
    os << "\n";
  }
  os << "  -h, --help                show this help\n";
  return os.str();
}

}  // namespace flowscope
