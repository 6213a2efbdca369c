#include "core/eval/SweepSpec.h"

#include <charconv>
#include <iomanip>
#include <set>
#include <sstream>

#include "core/config/ConfigSchema.h"
#include "core/io/Csv.h"
#include "core/io/Printable.h"
#include "core/solvers/SolverMethod.h"
#include "core/util/Error.h"
#include "core/util/ValueRange.h"

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
  // The same ranges as sampling.steps and sampling.atol (core/config/ConfigSchema.cpp).
  const ValueRange steps = schemaField("sampling.steps")->range;
  const ValueRange tolerance = ValueRange::rightOpen(kMinTolerance, kMaxTolerance);
  const std::string t = trimmed(text);
  const auto colon = t.find(':');
  SweepReference ref;
  if (colon != std::string::npos) {
    ref.solver = t.substr(0, colon);
    const std::string value = t.substr(colon + 1);
    if (ref.solver == "rk4" && parseWhole(value, ref.steps) && steps.contains(ref.steps)) return ref;
    if (ref.solver == "dopri5" && parseWhole(value, ref.tolerance) && tolerance.contains(ref.tolerance))
      return ref;
  }
  throw InputError(what + ": got '" + printableExcerpt(text, 40) + "' (expected rk4:STEPS with STEPS " +
                   expectedInteger<int>(steps) + ", or dopri5:TOLERANCE with TOLERANCE " +
                   expectedNumber(tolerance) + ")");
}

std::string sweepCsv(const std::vector<std::pair<std::string, SweepResult>>& runs) {
  std::set<std::string> keys;
  for (const auto& [name, r] : runs)
    for (const auto& row : r.rows)
      for (const auto& [k, v] : row.metrics) keys.insert(k);
  auto number = [](auto v) {
    std::ostringstream os;
    os << std::setprecision(9) << v;
    return os.str();
  };
  std::vector<std::string> header{"run", "solver", "steps", "tolerance", "nfe", "numerical_error",
                                  "wall_ms"};
  header.insert(header.end(), keys.begin(), keys.end());
  std::string out = csvRow(header);
  for (const auto& [name, r] : runs) {
    for (const auto& row : r.rows) {
      std::vector<std::string> cells{name,
                                     row.solver,
                                     number(row.steps),
                                     number(row.tolerance),
                                     number(row.nfe),
                                     number(row.numericalError),
                                     number(row.wallMs)};
      for (const auto& k : keys) {
        auto it = row.metrics.find(k);
        cells.push_back(it != row.metrics.end() ? number(it->second) : "");
      }
      out += csvRow(cells);
    }
  }
  return out;
}

}  // namespace flowscope
