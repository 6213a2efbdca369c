#pragma once
// The ODE solvers by name, torch-free: what the config, the CLI, the GUI and the docs offer
// (core/registry/Solvers.cpp builds the sampling.solver registry from this table). solve()
// itself lives in core/solvers/OdeSolver.h.

#include <string>
#include <vector>

namespace flowscope {

enum class SolverMethod { Euler, Midpoint, Heun, RK4, Dopri5 };

struct SolverInfo {
  SolverMethod method;
  std::string name;     ///< as written in configs and on the command line
  int order;            ///< convergence order (dopri5: its 5th-order solution)
  int stages;           ///< function evaluations per step (dopri5: 6, first same as last)
  bool adaptive;        ///< step size from atol/rtol instead of a step count
  std::string summary;  ///< one line for --help, the form and the docs
};

/// Every solver, in documentation order.
const std::vector<SolverInfo>& solverMethods();
const SolverInfo& solverInfo(SolverMethod method);

/// "euler" | "midpoint" | "heun" | "rk4" | "dopri5"; throws InputError naming `what` otherwise.
SolverMethod parseSolverMethod(const std::string& name, const std::string& what = "solver");
std::string solverMethodName(SolverMethod method);
/// Convergence order (dopri5: 5).
int solverOrder(SolverMethod method);

/// Adaptive tolerances: atol in [kMinTolerance, kMaxTolerance], rtol in [0, kMaxTolerance].
/// Below ~1e-12 the error scale atol + rtol |x| underflows in float32 and the step size turns
/// into NaN; above 1 a "tolerance" no longer controls anything.
constexpr double kMinTolerance = 1e-12;
constexpr double kMaxTolerance = 1.0;
/// Throws InputError naming `atolName` or `rtolName` when a tolerance is out of range.
void checkTolerances(double atol, double rtol, const std::string& atolName = "atol",
                     const std::string& rtolName = "rtol");

}  // namespace flowscope
