// objective.name: the training objectives (Section 4, Appendix E.1; core/objectives/).

#include "core/registry/Registries.h"

namespace flowscope {

const Registry& objectiveRegistry() {
  const std::string eq46 =
      "it converts its output to a velocity through alpha_t'/alpha_t (eq. 46), which needs "
      "alpha_t > 0 for all t";
  static const Registry registry(
      "objective.name", "objectives",
      {
          {"cfm", "Conditional Flow Matching: regress u_t(x|x1) (eq. 9/14), any path"},
          {"sm", "score matching with lambda = sigma^2 (eq. 43)", {}, {}, {}, {},
           {{"path.name", {}, {"alpha_positive"}, eq46}}, {}},
          {"scoreflow", "score matching with lambda = beta(1 - t) (eq. 43, ScoreFlow)", {}, {}, {},
           {}, {{"path.name", {"vp"}, {}, "it weights by beta(1 - t), defined on the vp path"}},
           {}},
          {"ddpm", "noise matching (eq. 44-45)", {}, {}, {}, {},
           {{"path.name", {}, {"alpha_positive"}, eq46}}, {}},
      });
  return registry;
}

}  // namespace flowscope
