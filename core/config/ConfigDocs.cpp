#include "core/config/ConfigDocs.h"

#include <algorithm>
#include <limits>
#include <sstream>
#include <type_traits>

#include "core/config/ConfigSchema.h"
#include "core/registry/Registries.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

constexpr std::string_view kBegin = "<!-- generated: ";
constexpr std::string_view kBeginEnd = " -->";
constexpr std::string_view kEnd = "<!-- end generated -->";

/// A table cell: pipes would split it.
std::string cell(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '|') out += '\\';
    out += ch == '\n' ? ' ' : ch;
  }
  return out;
}

std::string code(const std::string& s) { return "`" + s + "`"; }

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

std::string sectionOf(const std::string& key) {
  const auto dot = key.find('.');
  return dot == std::string::npos ? "top" : key.substr(0, dot);
}

std::string rangeText(const ConfigField& f, const ValueRange& r) {
  return std::visit(
      [&](auto* p) -> std::string {
        (void)p;
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
          return r.integerText(static_cast<long double>(std::numeric_limits<T>::min()),
                               static_cast<long double>(std::numeric_limits<T>::max()));
        else if constexpr (std::is_same_v<T, bool>) return "true, false";
        else if constexpr (std::is_same_v<T, std::string>) return "";
        else return r.text().empty() ? "finite" : r.text();
      },
      f.value);
}

std::string validText(const ConfigField& f) {
  if (f.choices) {
    std::vector<std::string> names;
    for (const auto& n : f.choices->names()) names.push_back(code(n));
    std::string out = join(names, ", ");
    if (f.choices->expected().find(", or ") != std::string::npos)
      out += ", " + f.choices->expected().substr(f.choices->expected().find(", or ") + 5);
    return out;
  }
  std::string out = rangeText(f, f.range);
  if (std::holds_alternative<std::string*>(f.value)) out = "any";
  for (const Registry* r : registries())
    for (const Choice& c : r->choices())
      if (auto it = c.ranges.find(f.key); it != c.ranges.end())
        out += "; " + code(c.name) + ": " + rangeText(f, it->second);
  if (!f.note.empty()) out += " (" + f.note + ")";
  return out;
}

/// "`data.name`: `gaussian`" for the choices that list the key; "always" for the others.
std::string appliesText(const ConfigField& f) {
  std::vector<std::string> parts;
  for (const Registry* r : registries()) {
    std::vector<std::string> names;
    for (const Choice& c : r->choices())
      if (c.lists(f.key)) names.push_back(code(c.name));
    if (!names.empty()) parts.push_back(code(r->key()) + " " + join(names, ", "));
  }
  return parts.empty() ? "always" : join(parts, "; ");
}

std::string defaultText(const ConfigField& f) {
  std::string text = fieldText(f);
  if (text.empty() || text == "\"\"") {
    for (const Registry* r : registries())
      for (const Choice& c : r->choices())
        if (c.defaults.count(f.key)) return "per " + code(r->key());
    return "—";
  }
  return code(text);
}

std::string keysTable(const std::string& section) {
  ExperimentConfig defaults;
  std::ostringstream os;
  os << "| key | type | default | valid | applies with | meaning |\n|---|---|---|---|---|---|\n";
  int rows = 0;
  for (const ConfigField& f : configFields(defaults)) {
    if (sectionOf(f.key) != section) continue;
    os << "| " << code(f.key) << " | " << cell(fieldType(f)) << " | " << cell(defaultText(f))
       << " | " << cell(validText(f)) << " | " << cell(appliesText(f)) << " | "
       << cell(f.doc.empty() ? f.help : f.doc) << " |\n";
    ++rows;
  }
  if (rows == 0) throw InputError("docs: no config section '" + section + "'");
  return os.str();
}

std::string choicesTable(const Registry& r) {
  std::ostringstream os;
  os << "| " << code(r.key()) << " | description | keys it uses | notes |\n|---|---|---|---|\n";
  for (const Choice& c : r.choices()) {
    std::vector<std::string> keys, notes;
    for (const auto& k : c.keys) {
      std::string entry = code(k);
      if (auto it = c.defaults.find(k); it != c.defaults.end()) entry += " (default " + it->second + ")";
      keys.push_back(entry);
    }
    for (const auto& need : c.needs) notes.push_back("needs " + code(need));
    for (const Requirement& req : c.requirements) {
      std::vector<std::string> ok;
      for (const auto& v : req.values) ok.push_back(code(v));
      if (const Registry* other = registryFor(req.key))
        for (const Choice& o : other->choices())
          for (const auto& tag : req.tags)
            if (o.hasTag(tag)) ok.push_back(code(o.name));
      notes.push_back("needs " + code(req.key) + " " + join(ok, " or "));
    }
    for (const auto& tag : c.tags) notes.push_back(tag);
    os << "| " << code(c.name) << " | " << cell(c.summary) << " | "
       << cell(keys.empty() ? "—" : join(keys, ", ")) << " | "
       << cell(notes.empty() ? "" : join(notes, "; ")) << " |\n";
  }
  return os.str();
}

}  // namespace

std::string generatedDocBlock(const std::string& id) {
  if (id.rfind("keys ", 0) == 0) return keysTable(id.substr(5));
  if (id.rfind("choices ", 0) == 0) {
    if (const Registry* r = registryFor(id.substr(8))) return choicesTable(*r);
  }
  throw InputError("docs: unknown generated block '" + id +
                   "' (expected 'keys SECTION' or 'choices KEY' for a registry key)");
}

std::vector<std::string> generatedDocIds() {
  std::vector<std::string> ids;
  ExperimentConfig defaults;
  for (const ConfigField& f : configFields(defaults)) {
    const std::string id = "keys " + sectionOf(f.key);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  for (const Registry* r : registries()) ids.push_back("choices " + r->key());
  return ids;
}

namespace {

/// Calls `block(id, lineNo)` for each begin marker and returns the text with the bodies replaced
/// by `body(id)` when `replace` is set.
template <typename OnBlock>
std::string scan(std::string_view markdown, const std::string& source, OnBlock onBlock) {
  std::string out;
  std::istringstream in{std::string(markdown)};
  std::string line;
  int lineNo = 0;
  bool inside = false;
  int beganAt = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    if (inside) {
      if (line == kEnd) {
        inside = false;
        out += line + "\n";
      }
      continue;  // the old body is dropped
    }
    out += line + "\n";
    if (line.rfind(kBegin, 0) == 0 && line.size() > kBegin.size() + kBeginEnd.size() &&
        line.compare(line.size() - kBeginEnd.size(), kBeginEnd.size(), kBeginEnd) == 0) {
      const std::string id =
          line.substr(kBegin.size(), line.size() - kBegin.size() - kBeginEnd.size());
      try {
        out += onBlock(id);
      } catch (const InputError& e) {
        throw InputError(source + ":" + std::to_string(lineNo) + ": " + e.what());
      }
      inside = true;
      beganAt = lineNo;
    }
  }
  if (inside)
    throw InputError(source + ":" + std::to_string(beganAt) + ": generated block has no '" +
                     std::string(kEnd) + "' line");
  if (!markdown.empty() && markdown.back() != '\n' && !out.empty()) out.pop_back();
  return out;
}

}  // namespace

std::string refreshGeneratedDocs(std::string_view markdown, const std::string& source) {
  return scan(markdown, source, [](const std::string& id) { return generatedDocBlock(id); });
}

std::vector<std::string> generatedDocIdsIn(std::string_view markdown) {
  std::vector<std::string> ids;
  scan(markdown, "docs", [&](const std::string& id) {
    ids.push_back(id);
    return std::string();
  });
  return ids;
}

}  // namespace flowscope
