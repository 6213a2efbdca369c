#include "core/eval/SweepSpec.h"

#include <charconv>
#include <iomanip>
#include <set>
#include <sstream>

#include "core/io/Csv.h"
#include "core/io/Printable.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

std::string trimmed(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return {};
  return s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1);
}

/// The whole of `s` as a number, or false (from_chars ignores the C locale).
template <typename T>
bool parseWhole(const std::string& s, T& value) {
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

SweepReference parseSweepReference(const std::string& text, const std::string& what) {
  const std::string t = trimmed(text);
  const auto colon = t.find(':');
  SweepReference ref;
  if (colon != std::string::npos) {
    ref.solver = t.substr(0, colon);
    const std::string value = t.substr(colon + 1);
    if (ref.solver == "rk4" && parseWhole(value, ref.steps) && ref.steps >= 1) return ref;
    if (ref.solver == "dopri5" && parseWhole(value, ref.tolerance) && ref.tolerance > 0 &&
        ref.tolerance < 1)
      return ref;
  }
  throw InputError(what + ": got '" + printableExcerpt(text, 40) +
                   "' (expected rk4:STEPS with STEPS >= 1, or dopri5:TOLERANCE with 0 < TOLERANCE < 1)");
}

std::string sweepCsv(const std::vector<std::pair<std::string, SweepResult>>& runs) {
  std::set<std::string> keys;
  for (const auto& [name, r] : runs)
    for (const auto& row : r.rows)
      for (const auto& [k, v] : row.metrics) keys.insert(k);
  std::ostringstream os;
  os << std::setprecision(9);
  os << "run,solver,steps,tolerance,nfe,numerical_error,wall_ms";
  for (const auto& k : keys) os << "," << k;
  os << "\n";
  for (const auto& [name, r] : runs) {
    for (const auto& row : r.rows) {
      os << csvEscape(name) << "," << row.solver << "," << row.steps << "," << row.tolerance << ","
         << row.nfe << "," << row.numericalError << "," << row.wallMs;
      for (const auto& k : keys) {
        auto it = row.metrics.find(k);
        os << ",";
        if (it != row.metrics.end()) os << it->second;
      }
      os << "\n";
    }
  }
  return os.str();
}

}  // namespace flowscope
