#include "core/solvers/SolverMethod.h"

#include <cmath>

#include "core/util/Error.h"
#include "core/util/ValueRange.h"

namespace flowscope {

const std::vector<SolverInfo>& solverMethods() {
  static const std::vector<SolverInfo> table{
      {SolverMethod::Euler, "euler", 1, 1, false, "explicit Euler, 1 evaluation per step"},
      {SolverMethod::Midpoint, "midpoint", 2, 2, false, "explicit midpoint, 2 evaluations per step"},
      {SolverMethod::Heun, "heun", 2, 2, false, "Heun's trapezoidal method, 2 evaluations per step"},
      {SolverMethod::RK4, "rk4", 4, 4, false, "classical Runge-Kutta, 4 evaluations per step"},
      {SolverMethod::Dopri5, "dopri5", 5, 6, true,
       "Dormand-Prince 5(4), adaptive steps from atol/rtol"},
  };
  return table;
}

const SolverInfo& solverInfo(SolverMethod method) {
  for (const auto& s : solverMethods())
    if (s.method == method) return s;
  throw std::logic_error("solverInfo: a SolverMethod without a table entry");
}

SolverMethod parseSolverMethod(const std::string& name, const std::string& what) {
  std::string names;
  for (const auto& s : solverMethods()) {
    if (s.name == name) return s.method;
    names += (names.empty() ? "" : ", ") + s.name;
  }
  throw InputError(what + ": unknown solver '" + name + "' (expected one of: " + names + ")");
}

std::string solverMethodName(SolverMethod method) { return solverInfo(method).name; }
int solverOrder(SolverMethod method) { return solverInfo(method).order; }

void checkTolerances(double atol, double rtol, const std::string& atolName,
                     const std::string& rtolName) {
  const ValueRange a = ValueRange::closed(kMinTolerance, kMaxTolerance);
  const ValueRange r = ValueRange::closed(0, kMaxTolerance);
  if (!a.contains(atol))
    throw InputError(atolName + ": got " + shortestNumber(atol) + " (expected " + expectedNumber(a) + ")");
  if (!r.contains(rtol))
    throw InputError(rtolName + ": got " + shortestNumber(rtol) + " (expected " + expectedNumber(r) + ")");
}

}  // namespace flowscope
