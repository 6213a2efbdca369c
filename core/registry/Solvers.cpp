// sampling.solver: built from the solver table of core/solvers/SolverMethod.cpp, so a new solver
// is registered there once.

#include "core/registry/Registries.h"
#include "core/solvers/SolverMethod.h"

namespace flowscope {

const Registry& solverRegistry() {
  static const Registry registry = [] {
    std::vector<Choice> choices;
    for (const SolverInfo& s : solverMethods()) {
      Choice c;
      c.name = s.name;
      c.summary = s.summary + " (order " + std::to_string(s.order) + ")";
      c.keys = s.adaptive ? std::vector<std::string>{"sampling.atol", "sampling.rtol"}
                          : std::vector<std::string>{"sampling.steps"};
      c.tags = {s.adaptive ? "adaptive" : "fixed_step"};
      choices.push_back(std::move(c));
    }
    return Registry("sampling.solver", "solvers", std::move(choices));
  }();
  return registry;
}

}  // namespace flowscope
