#include "core/config/ConfigSchema.h"

#include <cctype>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <type_traits>

namespace flowscope {

std::vector<ConfigField> configFields(ExperimentConfig& c) {
  return {
      {"name", &c.name, "experiment name, used in plots and run folders"},
      {"data.name", &c.data.name, "target distribution q(x1)"},
      {"data.mean", &c.data.mean, "gaussian: mean [m1, m2]"},
      {"data.covariance", &c.data.covariance, "gaussian: covariance [[a, b], [b, c]]"},
      {"data.noise", &c.data.noise, "noise level of the dataset (unset: its default)"},
      {"data.file", &c.data.file, "points: .npy [N, 2] or .csv with two columns"},
      {"path.name", &c.path.name, "probability path: cond_ot (eq. 20), vp (eq. 18), ve (eq. 16)"},
      {"path.sigma_min", &c.path.sigma_min, "std at t = 1 (cond_ot, ve)"},
      {"path.sigma_max", &c.path.sigma_max, "std at t = 0 (ve)"},
      {"path.beta_min", &c.path.beta_min, "vp: beta at diffusion time 0"},
      {"path.beta_max", &c.path.beta_max, "vp: beta at diffusion time 1"},
      {"path.eps", &c.path.eps, "vp: t stays in [0, 1 - eps]"},
      {"objective.name", &c.objective.name, "cfm | sm | scoreflow | ddpm"},
      {"model.width", &c.model.width, "hidden units per layer"},
      {"model.depth", &c.model.depth, "hidden layers"},
      {"model.activation", &c.model.activation, "silu | relu | gelu | tanh | softplus"},
      {"model.time_embedding", &c.model.time_embedding, "fourier | concat"},
      {"model.time_frequencies", &c.model.time_frequencies, "fourier: sin/cos pairs"},
      {"optimizer.lr", &c.optimizer.lr, "peak learning rate (Adam)"},
      {"optimizer.beta1", &c.optimizer.beta1, "Adam beta1"},
      {"optimizer.beta2", &c.optimizer.beta2, "Adam beta2"},
      {"optimizer.eps", &c.optimizer.eps, "Adam epsilon"},
      {"optimizer.weight_decay", &c.optimizer.weight_decay, "L2 weight decay"},
      {"optimizer.grad_clip", &c.optimizer.grad_clip, "max gradient norm (0: off)"},
      {"schedule.name", &c.schedule.name, "constant | polynomial (Appendix E.2)"},
      {"schedule.warmup_steps", &c.schedule.warmup_steps, "linear warm-up steps"},
      {"schedule.initial_lr", &c.schedule.initial_lr, "learning rate at step 0 of warm-up"},
      {"schedule.final_lr", &c.schedule.final_lr, "polynomial: learning rate at the last step"},
      {"schedule.power", &c.schedule.power, "polynomial: decay power (1 = linear)"},
      {"ema.decay", &c.ema.decay, "EMA decay of the weights (0: off)"},
      {"training.steps", &c.training.steps, "optimizer steps"},
      {"training.batch_size", &c.training.batch_size, "samples per step"},
      {"training.seed", &c.training.seed, "seed of every random draw"},
      {"training.device", &c.training.device, "cpu | cuda | auto"},
      {"training.threads", &c.training.threads, "CPU threads (0: all cores)"},
      {"training.checkpoint_every", &c.training.checkpoint_every, "steps between checkpoints"},
      {"training.log_every", &c.training.log_every, "steps between metrics.csv rows"},
      {"training.keep_checkpoints", &c.training.keep_checkpoints, "newest step checkpoints kept (0: all)"},
      {"sampling.solver", &c.sampling.solver, "euler | midpoint | heun | rk4 | dopri5"},
      {"sampling.steps", &c.sampling.steps, "fixed-step solvers: steps"},
      {"sampling.atol", &c.sampling.atol, "dopri5: absolute tolerance"},
      {"sampling.rtol", &c.sampling.rtol, "dopri5: relative tolerance"},
      {"evaluation.every", &c.evaluation.every, "steps between evaluations (0: off)"},
      {"evaluation.n_samples", &c.evaluation.n_samples, "samples per evaluation"},
      {"evaluation.likelihood", &c.evaluation.likelihood, "also compute held-out NLL"},
  };
}

namespace {

std::string number(double v) {
  // Whole numbers print as integers ("20", not "2e+01"); others as the shortest round trip.
  if (v == std::floor(v) && std::abs(v) < 1e15) {
    std::ostringstream whole;
    whole << static_cast<long long>(v);
    return whole.str();
  }
  std::ostringstream os;
  os << std::setprecision(17) << v;
  // Shortest text that reads back to the same double.
  for (int p = 1; p <= 17; ++p) {
    std::ostringstream s;
    s << std::setprecision(p) << v;
    if (std::stod(s.str()) == v) return s.str();
  }
  return os.str();
}

std::string yamlScalar(const std::string& s) {
  // Plain scalars are fine for identifiers and paths; quote anything YAML could misread.
  bool plain = !s.empty();
  for (char ch : s)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.' ||
          ch == '/'))
      plain = false;
  if (plain && s != "true" && s != "false" && s != "null" && s != "~" &&
      !std::isdigit(static_cast<unsigned char>(s[0])) && s[0] != '-' && s[0] != '.')
    return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

std::string fieldText(const ConfigField& field) {
  return std::visit(
      [](auto* p) -> std::string {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return yamlScalar(*p);
        } else if constexpr (std::is_same_v<T, bool>) {
          return *p ? "true" : "false";
        } else if constexpr (std::is_same_v<T, double>) {
          return number(*p);
        } else if constexpr (std::is_same_v<T, std::optional<double>>) {
          return p->has_value() ? number(**p) : "";
        } else if constexpr (std::is_same_v<T, std::array<double, 2>>) {
          return "[" + number((*p)[0]) + ", " + number((*p)[1]) + "]";
        } else if constexpr (std::is_same_v<T, std::array<double, 4>>) {
          return "[[" + number((*p)[0]) + ", " + number((*p)[1]) + "], [" + number((*p)[2]) +
                 ", " + number((*p)[3]) + "]]";
        } else {
          return std::to_string(*p);
        }
      },
      field.value);
}

}  // namespace flowscope
