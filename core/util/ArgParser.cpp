#include "core/util/ArgParser.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/io/Printable.h"

namespace flowscope {
namespace {

std::string shown(const std::string& text) { return "'" + printableExcerpt(text, 60) + "'"; }

[[noreturn]] void bad(const std::string& name, const std::string& text, const std::string& expected) {
  throw UsageError("--" + name + ": got " + shown(text) + " (expected " + expected + ")");
}

/// The whole text as an int64, or nullopt (from_chars: no locale, no blanks, no "1e5").
std::optional<int64_t> wholeInt(const std::string& text) {
  std::string s = text;
  if (!s.empty() && s[0] == '+') s.erase(0, 1);
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

/// Is `text` a (too large) integer, as opposed to no integer at all?
bool looksIntegral(const std::string& text) {
  size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  if (i >= text.size()) return false;
  for (; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  return true;
}

std::optional<double> wholeDouble(const std::string& text) {
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used == 0 || used != text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::vector<std::string> splitList(const std::string& name, const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ',')) {
    if (item.empty())
      throw UsageError("--" + name + ": got " + shown(text) + " (expected a comma-separated list "
                                                               "without empty items)");
    out.push_back(item);
  }
  if (out.empty() || text.back() == ',')
    throw UsageError("--" + name + ": got " + shown(text) + " (expected a comma-separated list)");
  return out;
}

int64_t toInt(const ArgSpec& spec, const std::string& text) {
  const bool typed = spec.kind == ArgSpec::Kind::Integer || spec.kind == ArgSpec::Kind::IntegerList;
  const std::string expected = typed ? expectedInteger<int64_t>(spec.range) : "an integer";
  const auto v = wholeInt(text);
  if (!v) {
    // 4294967297 is an integer, just not one that fits: say which range does.
    bad(spec.name, text, looksIntegral(text) ? expectedInteger<int64_t>(spec.range) : expected);
  }
  if (typed && !spec.range.containsInteger(static_cast<long double>(*v),
                                           static_cast<long double>(std::numeric_limits<int64_t>::min()),
                                           static_cast<long double>(std::numeric_limits<int64_t>::max())))
    bad(spec.name, text, expected);
  return *v;
}

double toDouble(const ArgSpec& spec, const std::string& text) {
  const bool typed = spec.kind == ArgSpec::Kind::Number || spec.kind == ArgSpec::Kind::NumberList;
  const std::string expected = typed ? expectedNumber(spec.range) : "a finite number";
  const auto v = wholeDouble(text);
  if (!v || (typed && !spec.range.contains(*v))) bad(spec.name, text, expected);
  return *v;
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

std::string ArgSpec::expected() const {
  switch (kind) {
    case Kind::Integer: return expectedInteger<int64_t>(range);
    case Kind::Number: return expectedNumber(range);
    case Kind::IntegerList:
      return "comma-separated integers, each in " +
             range.integerText(static_cast<long double>(std::numeric_limits<int64_t>::min()),
                               static_cast<long double>(std::numeric_limits<int64_t>::max()));
    case Kind::NumberList: {
      const std::string r = range.text();
      if (r.empty()) return "comma-separated finite numbers";
      return "comma-separated numbers, each " + (range.min && range.max ? "in " + r : r);
    }
    case Kind::Choice: {
      std::string out = "one of: ";
      for (size_t i = 0; i < choices.size(); ++i) out += (i ? ", " : "") + choices[i];
      if (!alsoAcceptedText.empty()) out += ", or " + alsoAcceptedText;
      return out;
    }
    case Kind::Text: break;
  }
  return "";
}

void ArgSpec::check(const std::string& value) const {
  switch (kind) {
    case Kind::Integer: (void)toInt(*this, value); break;
    case Kind::Number: (void)toDouble(*this, value); break;
    case Kind::IntegerList:
      for (const auto& item : splitList(name, value)) (void)toInt(*this, item);
      break;
    case Kind::NumberList:
      for (const auto& item : splitList(name, value)) (void)toDouble(*this, item);
      break;
    case Kind::Choice:
      if (std::find(choices.begin(), choices.end(), value) == choices.end() &&
          !(alsoAccepted && alsoAccepted(value)))
        bad(name, value, expected());
      break;
    case Kind::Text: break;
  }
}

const ArgSpec* ParsedArgs::spec(const std::string& name) const {
  auto it = specs_.find(name);
  return it == specs_.end() ? nullptr : &it->second;
}

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
ArgSpec untyped(const std::string& name) {
  ArgSpec s;
  s.name = name;
  return s;
}
}  // namespace

int64_t ParsedArgs::getInt(const std::string& name) const {
  const ArgSpec* s = spec(name);
  return toInt(s ? *s : untyped(name), get(name));
}

double ParsedArgs::getDouble(const std::string& name) const {
  const ArgSpec* s = spec(name);
  return toDouble(s ? *s : untyped(name), get(name));
}

std::vector<double> ParsedArgs::getDoubleList(const std::string& name) const {
  const ArgSpec* s = spec(name);
  std::vector<double> out;
  for (const auto& item : splitList(name, get(name))) out.push_back(toDouble(s ? *s : untyped(name), item));
  return out;
}

std::vector<int64_t> ParsedArgs::getIntList(const std::string& name) const {
  const ArgSpec* s = spec(name);
  std::vector<int64_t> out;
  for (const auto& item : splitList(name, get(name))) out.push_back(toInt(s ? *s : untyped(name), item));
  return out;
}

std::vector<std::string> ParsedArgs::getStringList(const std::string& name) const {
  return splitList(name, get(name));
}

ArgParser::ArgParser(std::string usageLine, std::string description)
    : usageLine_(std::move(usageLine)), description_(std::move(description)) {}

ArgParser& ArgParser::add(ArgSpec spec) {
  specs_.push_back(std::move(spec));
  return *this;
}

ArgParser& ArgParser::option(const std::string& name, const std::string& valueName,
                             const std::string& help, const std::string& defaultValue,
                             bool required) {
  ArgSpec s;
  s.name = name, s.valueName = valueName, s.help = help, s.defaultValue = defaultValue;
  s.required = required;
  return add(std::move(s));
}

ArgParser& ArgParser::integer(const std::string& name, const std::string& valueName,
                              const std::string& help, const ValueRange& range,
                              const std::string& defaultValue, bool required) {
  option(name, valueName, help, defaultValue, required);
  specs_.back().kind = ArgSpec::Kind::Integer;
  specs_.back().range = range;
  return *this;
}

ArgParser& ArgParser::number(const std::string& name, const std::string& valueName,
                             const std::string& help, const ValueRange& range,
                             const std::string& defaultValue, bool required) {
  option(name, valueName, help, defaultValue, required);
  specs_.back().kind = ArgSpec::Kind::Number;
  specs_.back().range = range;
  return *this;
}

ArgParser& ArgParser::integerList(const std::string& name, const std::string& valueName,
                                  const std::string& help, const ValueRange& range,
                                  const std::string& defaultValue) {
  option(name, valueName, help, defaultValue);
  specs_.back().kind = ArgSpec::Kind::IntegerList;
  specs_.back().range = range;
  return *this;
}

ArgParser& ArgParser::numberList(const std::string& name, const std::string& valueName,
                                 const std::string& help, const ValueRange& range,
                                 const std::string& defaultValue) {
  option(name, valueName, help, defaultValue);
  specs_.back().kind = ArgSpec::Kind::NumberList;
  specs_.back().range = range;
  return *this;
}

ArgParser& ArgParser::choice(const std::string& name, const std::string& valueName,
                             const std::string& help, std::vector<std::string> values,
                             const std::string& defaultValue,
                             std::function<bool(const std::string&)> alsoAccepted,
                             const std::string& alsoText) {
  option(name, valueName, help, defaultValue);
  ArgSpec& s = specs_.back();
  s.kind = ArgSpec::Kind::Choice;
  s.choices = std::move(values);
  s.alsoAccepted = std::move(alsoAccepted);
  s.alsoAcceptedText = alsoText;
  return *this;
}

ArgParser& ArgParser::repeated(const std::string& name, const std::string& valueName,
                               const std::string& help) {
  ArgSpec s;
  s.name = name, s.valueName = valueName, s.help = help, s.repeatable = true;
  return add(std::move(s));
}

ArgParser& ArgParser::flag(const std::string& name, const std::string& help) {
  ArgSpec s;
  s.name = name, s.help = help, s.takesValue = false;
  return add(std::move(s));
}

ArgParser& ArgParser::positionals(int maxCount) {
  maxPositionals_ = maxCount;
  return *this;
}

ArgParser& ArgParser::epilog(const std::string& text) {
  epilog_ = text;
  return *this;
}

const ArgSpec* ArgParser::find(const std::string& name) const {
  for (const auto& s : specs_)
    if (s.name == name) return &s;
  return nullptr;
}

std::string ArgParser::suggestion(const std::string& name) const {
  const ArgSpec* best = nullptr;
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
    out.specs_[s.name] = s;
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
        throw UsageError("unknown option " + shown(arg) + " (options start with --)");
      if (static_cast<int>(out.positional_.size()) >= maxPositionals_)
        throw UsageError("unexpected argument " + shown(arg));
      out.positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inlineValue;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      inlineValue = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const ArgSpec* spec = find(name);
    if (!spec) throw UsageError("unknown option '--" + printableExcerpt(name, 60) + "'" + suggestion(name));
    if (!spec->takesValue) {
      if (inlineValue) throw UsageError("--" + name + " takes no value (got " + shown(*inlineValue) + ")");
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
    // An empty value is never meant: `--out ''` would write a run into the current folder.
    if (value.empty())
      throw UsageError("--" + name + ": got an empty value (expected " +
                       (spec->expected().empty() ? spec->valueName : spec->expected()) + ")");
    if (!spec->repeatable && given[name])
      throw UsageError("--" + name + " given more than once");
    spec->check(value);
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
    std::vector<std::string> notes;
    if (s.kind != ArgSpec::Kind::Text) notes.push_back(s.expected());
    if (!s.defaultValue.empty()) notes.push_back("default: " + s.defaultValue);
    if (s.required) notes.push_back("required");
    if (s.repeatable) notes.push_back("repeatable");
    for (const auto& n : notes) os << " (" << n << ")";
    os << "\n";
  }
  os << "  -h, --help                show this help\n";
  if (!epilog_.empty()) os << "\n" << epilog_;
  return os.str();
}

}  // namespace flowscope
