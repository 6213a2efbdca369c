#include "core/registry/Registry.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace flowscope {

bool Choice::hasTag(const std::string& tag) const {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

bool Choice::lists(const std::string& key) const {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::optional<double> Choice::numberDefault(const std::string& key) const {
  auto it = defaults.find(key);
  if (it == defaults.end()) return std::nullopt;
  double v = 0;
  const std::string& s = it->second;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

Registry::Registry(std::string key, std::string what, std::vector<Choice> choices,
                   std::function<bool(const std::string&)> alsoAccepted,
                   std::string alsoAcceptedText)
    : key_(std::move(key)),
      what_(std::move(what)),
      choices_(std::move(choices)),
      alsoAccepted_(std::move(alsoAccepted)),
      alsoAcceptedText_(std::move(alsoAcceptedText)) {
  // Registrations are code: a duplicate or a "needs" outside "keys" is a programming error.
  for (size_t i = 0; i < choices_.size(); ++i) {
    for (size_t j = 0; j < i; ++j)
      if (choices_[i].name == choices_[j].name)
        throw std::logic_error(key_ + ": choice '" + choices_[i].name + "' registered twice");
    for (const auto& need : choices_[i].needs)
      if (!choices_[i].lists(need))
        throw std::logic_error(key_ + ": '" + choices_[i].name + "' needs " + need +
                               " but does not list it among its keys");
  }
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> out;
  for (const auto& c : choices_) out.push_back(c.name);
  return out;
}

const Choice* Registry::find(const std::string& name) const {
  for (const auto& c : choices_)
    if (c.name == name) return &c;
  return nullptr;
}

bool Registry::accepts(const std::string& value) const {
  return find(value) != nullptr || (alsoAccepted_ && alsoAccepted_(value));
}

std::string Registry::expected() const {
  std::string out = "one of: ";
  for (size_t i = 0; i < choices_.size(); ++i) out += (i ? ", " : "") + choices_[i].name;
  if (!alsoAcceptedText_.empty()) out += ", or " + alsoAcceptedText_;
  return out;
}

std::vector<std::string> Registry::governedKeys() const {
  std::vector<std::string> out;
  for (const auto& c : choices_)
    for (const auto& k : c.keys)
      if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
  return out;
}

}  // namespace flowscope
