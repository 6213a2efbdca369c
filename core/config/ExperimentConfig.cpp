#include "core/config/ExperimentConfig.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace flowscope {

const std::vector<std::string>& allowedValues(const std::string& key) {
  static const std::map<std::string, std::vector<std::string>> values = {
      {"data.name",
       {"checkerboard", "gaussian", "eight_gaussians", "two_moons", "circles", "spirals",
        "pinwheel", "swiss_roll", "points"}},
      {"path.name", {"cond_ot", "vp", "ve"}},
      {"objective.name", {"cfm", "sm", "scoreflow", "ddpm"}},
      {"model.activation", {"silu", "relu", "gelu", "tanh", "softplus"}},
      {"model.time_embedding", {"fourier", "concat"}},
      {"schedule.name", {"constant", "polynomial"}},
      {"training.device", {"cpu", "cuda", "auto"}},
      {"sampling.solver", {"euler", "midpoint", "heun", "rk4", "dopri5"}},
  };
  static const std::vector<std::string> none;
  auto it = values.find(key);
  return it == values.end() ? none : it->second;
}

namespace {

std::string fmt(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

class Checker {
 public:
  std::vector<ConfigIssue> issues;

  void oneOf(const std::string& key, const std::string& value) {
    const auto& allowed = allowedValues(key);
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    add(key, "got '" + value + "' (expected one of: " + list + ")");
  }
  void check(bool ok, const std::string& key, double got, const std::string& expected) {
    if (!ok) add(key, "got " + fmt(got) + " (expected " + expected + ")");
  }
  void add(const std::string& key, const std::string& message) {
    issues.push_back({key, "key '" + key + "': " + message});
  }
};

}  // namespace

std::vector<ConfigIssue> validate(const ExperimentConfig& c) {
  Checker k;
  k.oneOf("data.name", c.data.name);
  if (c.data.noise) k.check(*c.data.noise >= 0, "data.noise", *c.data.noise, ">= 0");
  if (c.data.name == "points" && c.data.file.empty())
    k.add("data.file", "is empty (expected a .npy or .csv file of 2D points for data.name points)");
  if (c.data.name == "gaussian") {
    const auto& s = c.data.covariance;
    const double det = s[0] * s[3] - s[1] * s[2];
    if (s[1] != s[2] || !(s[0] > 0) || !(det > 0))
      k.add("data.covariance", "is not symmetric positive definite (expected [[a, b], [b, c]] "
                               "with a > 0 and ac - b^2 > 0)");
  }

  k.oneOf("path.name", c.path.name);
  if (c.path.name == "cond_ot")
    k.check(c.path.sigma_min >= 0 && c.path.sigma_min < 1, "path.sigma_min", c.path.sigma_min,
            "0 <= sigma_min < 1");
  if (c.path.name == "ve") {
    k.check(c.path.sigma_min > 0, "path.sigma_min", c.path.sigma_min, "> 0");
    k.check(c.path.sigma_max > c.path.sigma_min, "path.sigma_max", c.path.sigma_max,
            "> path.sigma_min");
  }
  if (c.path.name == "vp") {
    k.check(c.path.beta_min > 0, "path.beta_min", c.path.beta_min, "> 0");
    k.check(c.path.beta_max > c.path.beta_min, "path.beta_max", c.path.beta_max,
            "> path.beta_min");
    k.check(c.path.eps > 0 && c.path.eps < 0.5, "path.eps", c.path.eps, "0 < eps < 0.5");
  }

  k.oneOf("objective.name", c.objective.name);
  if (c.objective.name == "scoreflow" && c.path.name != "vp")
    k.add("objective.name", "'scoreflow' weights by beta(1 - t) and needs path.name vp (got '" +
                                c.path.name + "')");
  if ((c.objective.name == "sm" || c.objective.name == "ddpm") && c.path.name == "cond_ot")
    k.add("objective.name", "'" + c.objective.name +
                                "' needs alpha_t > 0 for all t to convert to a velocity (eq. 46); "
                                "use path.name vp or ve");

  k.check(c.model.width >= 1 && c.model.width <= 65536, "model.width", c.model.width,
          "an integer in [1, 65536]");
  k.check(c.model.depth >= 1 && c.model.depth <= 64, "model.depth", c.model.depth,
          "an integer in [1, 64]");
  k.oneOf("model.activation", c.model.activation);
  k.oneOf("model.time_embedding", c.model.time_embedding);
  k.check(c.model.time_frequencies >= 1 && c.model.time_frequencies <= 256,
          "model.time_frequencies", c.model.time_frequencies, "an integer in [1, 256]");

  k.check(c.optimizer.lr > 0, "optimizer.lr", c.optimizer.lr, "> 0");
  k.check(c.optimizer.beta1 >= 0 && c.optimizer.beta1 < 1, "optimizer.beta1", c.optimizer.beta1,
          "0 <= beta1 < 1");
  k.check(c.optimizer.beta2 >= 0 && c.optimizer.beta2 < 1, "optimizer.beta2", c.optimizer.beta2,
          "0 <= beta2 < 1");
  k.check(c.optimizer.eps > 0, "optimizer.eps", c.optimizer.eps, "> 0");
  k.check(c.optimizer.weight_decay >= 0, "optimizer.weight_decay", c.optimizer.weight_decay,
          ">= 0");
  k.check(c.optimizer.grad_clip >= 0, "optimizer.grad_clip", c.optimizer.grad_clip,
          ">= 0 (0 disables clipping)");

  k.oneOf("schedule.name", c.schedule.name);
  k.check(c.schedule.warmup_steps >= 0, "schedule.warmup_steps",
          static_cast<double>(c.schedule.warmup_steps), ">= 0");
  k.check(c.schedule.initial_lr >= 0, "schedule.initial_lr", c.schedule.initial_lr, ">= 0");
  k.check(c.schedule.final_lr >= 0, "schedule.final_lr", c.schedule.final_lr, ">= 0");
  k.check(c.schedule.power > 0, "schedule.power", c.schedule.power, "> 0");

  k.check(c.ema.decay >= 0 && c.ema.decay < 1, "ema.decay", c.ema.decay,
          "0 <= decay < 1 (0 disables the EMA)");

  const auto& t = c.training;
  k.check(t.steps >= 1, "training.steps", static_cast<double>(t.steps), ">= 1");
  k.check(t.batch_size >= 1 && t.batch_size <= (1 << 24), "training.batch_size",
          static_cast<double>(t.batch_size), "an integer in [1, 16777216]");
  k.oneOf("training.device", t.device);
  k.check(t.threads >= 0 && t.threads <= 1024, "training.threads", t.threads,
          "0 (all cores) or a thread count up to 1024");
  k.check(t.checkpoint_every >= 1, "training.checkpoint_every",
          static_cast<double>(t.checkpoint_every), ">= 1");
  k.check(t.log_every >= 1, "training.log_every", static_cast<double>(t.log_every), ">= 1");
  k.check(t.keep_checkpoints >= 0, "training.keep_checkpoints", t.keep_checkpoints, ">= 0");

  k.oneOf("sampling.solver", c.sampling.solver);
  k.check(c.sampling.steps >= 1, "sampling.steps", c.sampling.steps, ">= 1");
  k.check(c.sampling.atol > 0, "sampling.atol", c.sampling.atol, "> 0");
  k.check(c.sampling.rtol >= 0, "sampling.rtol", c.sampling.rtol, ">= 0");

  k.check(c.evaluation.every >= 0, "evaluation.every", static_cast<double>(c.evaluation.every),
          ">= 0 (0 disables evaluation)");
  k.check(c.evaluation.n_samples >= 1, "evaluation.n_samples",
          static_cast<double>(c.evaluation.n_samples), ">= 1");
  return k.issues;
}

}  // namespace flowscope
