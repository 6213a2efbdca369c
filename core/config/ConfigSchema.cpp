#include "core/config/ConfigSchema.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>
#include <type_traits>

#include "core/registry/Registries.h"
#include "core/solvers/SolverMethod.h"

namespace flowscope {

std::vector<ConfigField> configFields(ExperimentConfig& c) {
  using R = ValueRange;
  const R anyCoordinate = R::closed(-1e6, 1e6);
  const R count = R::closed(1, 1e12);  // steps and cadences: far beyond any run, safe in int64
  return {
      {"name", &c.name, "experiment name, used in plots and run folders", {}, nullptr, "",
       "shown in plots, legends and logs"},

      {"data.name", &c.data.name, "target distribution q(x1)", {}, &datasetRegistry(), "",
       "the target q(x1): see the table below and [datasets.md](datasets.md)"},
      {"data.mean", &c.data.mean, "gaussian: mean [m1, m2]", anyCoordinate},
      {"data.covariance", &c.data.covariance, "gaussian: covariance [[a, b], [b, c]]",
       anyCoordinate, nullptr, "", "symmetric positive definite: a > 0 and ac - b^2 > 0"},
      {"data.noise", &c.data.noise, "noise level of the dataset (unset: its default)",
       R::closed(0, 1000), nullptr, "", "noise level of the toy datasets; unset: the dataset's "
       "default (table below)"},
      {"data.file", &c.data.file, "points: .npy [N, 2] or .csv with two columns", {}, nullptr, "",
       "`.npy` of shape [N, 2] or `.csv` with two numeric columns; relative to the YAML file",
       PathKind::File, "2D points (*.npy *.csv)"},
      {"data.root", &c.data.root, "image datasets: the folder with the files", {}, nullptr, "",
       "image datasets: the folder holding the dataset's files (table below); relative to the "
       "YAML file", PathKind::Folder},
      {"data.flip", &c.data.flip, "images: random horizontal flips", {}, nullptr, "",
       "image datasets: mirror each training image left-right with probability 1/2"},
      {"data.dequantize", &c.data.dequantize, "images: uniform dequantization (eq. 36-37)", {},
       nullptr, "", "image datasets: pixels k become 2 (k + u) / 256 - 1 with u ~ U[0, 1) "
       "(Appendix C, eq. 36-37); off: u = 1/2"},
      {"data.limit", &c.data.limit, "images: first N of each split (0: all)", R::closed(0, 1e12),
       nullptr, "0 uses all", "image datasets: use only the first N images of each split"},
      {"data.image_size", &c.data.image_size, "image_folder: side in pixels", R::closed(4, 4096),
       nullptr, "", "`image_folder`: images are centre-cropped to a square and resized to this"},
      {"data.resize_filter", &c.data.resize_filter, "image_folder: nearest | bilinear | area", {},
       &resizeFilterRegistry(), "", "`image_folder`: the resize filter"},
      {"data.class_subfolders", &c.data.class_subfolders, "image_folder: a class per sub-folder",
       {}, nullptr, "", "`image_folder`: each sub-folder is a class (labels in name order)"},
      {"data.loader_threads", &c.data.loader_threads, "images: loader threads", R::closed(0, 64),
       nullptr, "0 works on the training thread",
       "image datasets: background threads that decode and augment the next batches"},

      {"path.name", &c.path.name, "probability path: cond_ot (eq. 20), vp (eq. 18), ve (eq. 16)",
       {}, &pathRegistry(), "", "the Gaussian path p_t(x|x1) (Section 4): table below"},
      {"path.sigma_min", &c.path.sigma_min, "std at t = 1 (cond_ot, ve)", R::closed(0, 100),
       nullptr, "", "std at t = 1: `cond_ot` (eq. 20, below 1) and `ve` (above 0)"},
      {"path.sigma_max", &c.path.sigma_max, "std at t = 0 (ve)", R::leftOpen(0, 1e4), nullptr, "",
       "`ve`: std at t = 0, above sigma_min; the source is N(0, sigma_max^2 I)"},
      {"path.beta_min", &c.path.beta_min, "vp: beta at diffusion time 0", R::leftOpen(0, 1000),
       nullptr, "", "`vp`: beta(s) = beta_min + s (beta_max - beta_min), s = 1 - t (eq. 18)"},
      {"path.beta_max", &c.path.beta_max, "vp: beta at diffusion time 1", R::leftOpen(0, 1000),
       nullptr, "", "`vp`: above beta_min"},
      {"path.eps", &c.path.eps, "vp: t stays in [0, 1 - eps]", R::open(0, 0.5), nullptr, "",
       "`vp`: t is restricted to [0, 1 - eps] (Appendix E.1)"},

      {"objective.name", &c.objective.name, "cfm | sm | scoreflow | ddpm", {}, &objectiveRegistry(),
       "", "the training objective (Section 4, Appendix E.1): table below. `sm`, `scoreflow` and "
       "`ddpm` sample through eq. 46"},

      {"model.name", &c.model.name, "network: mlp | unet", {}, &modelRegistry(), "",
       "the network: table below"},
      {"model.width", &c.model.width, "hidden units per layer", R::closed(1, 65536), nullptr, "",
       "`mlp`: hidden units per layer (the paper's 2D model: 512)"},
      {"model.depth", &c.model.depth, "hidden layers", R::closed(1, 64), nullptr, "",
       "`mlp`: hidden layers (the paper's 2D model: 5)"},
      {"model.activation", &c.model.activation, "silu | relu | gelu | tanh | softplus", {},
       &activationRegistry(), "", "`mlp`: the nonlinearity"},
      {"model.time_embedding", &c.model.time_embedding, "fourier | concat", {},
       &timeEmbeddingRegistry(), "",
       "`mlp`: `fourier`: [t, sin(k pi t), cos(k pi t)], k = 1..F; `concat`: [t]"},
      {"model.time_frequencies", &c.model.time_frequencies, "fourier: sin/cos pairs",
       R::closed(1, 256), nullptr, "", "F for `fourier`"},
      {"model.preset", &c.model.preset, "unet: a Table 3 configuration or the CPU model", {},
       &unetPresetRegistry(), "", "`unet`: the architecture (table below); the keys below "
       "override it. Attention resolutions are in pixels at the preset's image size and keep "
       "their downsampling factor on other sizes"},
      {"model.channels", &c.model.channels, "unet: base channels (0: the preset's)",
       R::closed(0, 4096), nullptr, "0 keeps the preset's", "`unet`: base width (model_channels); channels per attention head "
       "scale with it"},
      {"model.res_blocks", &c.model.res_blocks, "unet: ResBlocks per level (0: the preset's)",
       R::closed(0, 16), nullptr, "0 keeps the preset's", "`unet`: ResBlocks per level"},
      {"model.groups", &c.model.groups, "unet: GroupNorm groups (0: the preset's)",
       R::closed(0, 1024), nullptr, "0 keeps the preset's",
       "`unet`: GroupNorm groups; every level's channels must divide by it"},
      {"model.dropout", &c.model.dropout, "unet: ResBlock dropout (unset: the preset's)",
       R::rightOpen(0, 1), nullptr, "", "`unet`: dropout in every ResBlock"},
      {"model.time_scale", &c.model.time_scale, "unet: t is scaled by this for the embedding",
       R::leftOpen(0, 1e6), nullptr, "", "`unet`: t in [0, 1] times this enters the sinusoidal "
       "embedding (1000: guided-diffusion's timestep range; flow_matching uses 1)"},
      {"model.classes", &c.model.classes, "unet: classes to condition on (0: unconditional)",
       R::closed(0, 100000), nullptr, "0 is unconditional",
       "`unet`: class-conditional on labels 0..classes-1 with a null class for classifier-free "
       "guidance; must equal the dataset's classes"},

      {"optimizer.lr", &c.optimizer.lr, "peak learning rate (Adam)", R::leftOpen(0, 10), nullptr,
       "", "peak learning rate"},
      {"optimizer.beta1", &c.optimizer.beta1, "Adam beta1", R::rightOpen(0, 1)},
      {"optimizer.beta2", &c.optimizer.beta2, "Adam beta2", R::rightOpen(0, 1)},
      {"optimizer.eps", &c.optimizer.eps, "Adam epsilon", R::leftOpen(0, 1)},
      {"optimizer.weight_decay", &c.optimizer.weight_decay, "L2 weight decay", R::closed(0, 100)},
      {"optimizer.grad_clip", &c.optimizer.grad_clip, "max gradient norm (0: off)",
       R::closed(0, 1e30), nullptr, "0 disables clipping",
       "maximum global gradient norm; 0 disables clipping"},

      {"schedule.name", &c.schedule.name, "constant | polynomial (Appendix E.2)", {},
       &scheduleRegistry(), "", "the learning-rate schedule: table below"},
      {"schedule.warmup_steps", &c.schedule.warmup_steps, "linear warm-up steps",
       R::closed(0, 1e12), nullptr, "", "linear warm-up from `initial_lr` to `optimizer.lr`"},
      {"schedule.initial_lr", &c.schedule.initial_lr, "learning rate at step 0 of warm-up",
       R::closed(0, 10)},
      {"schedule.final_lr", &c.schedule.final_lr, "polynomial: learning rate at the last step",
       R::closed(0, 10)},
      {"schedule.power", &c.schedule.power, "polynomial: decay power (1 = linear)",
       R::leftOpen(0, 100)},

      {"ema.decay", &c.ema.decay, "EMA decay of the weights (0: off)", R::rightOpen(0, 1), nullptr,
       "0 disables the EMA",
       "EMA of the weights with warm start min(decay, (1+k)/(10+k)); 0 disables. Sampling uses "
       "the EMA weights unless asked otherwise (`--no-ema`)."},

      {"training.steps", &c.training.steps, "optimizer steps", count},
      {"training.batch_size", &c.training.batch_size, "samples per step", R::closed(1, 1 << 24),
       nullptr, "", "data points per step"},
      {"training.seed", &c.training.seed, "seed of every random draw", {}, nullptr, "",
       "seeds the initial weights and every draw of data, t and x0 (a run reproduces bit for bit "
       "on the same machine and thread count)"},
      {"training.device", &c.training.device, "cpu | cuda | cuda:N | auto", {}, &deviceRegistry(),
       "", "where the engine runs: table below"},
      {"training.precision", &c.training.precision, "fp32 | tf32 | bf16", {}, &precisionRegistry(),
       "", "number formats of the training step: table below (may change on resume)"},
      {"training.threads", &c.training.threads, "CPU threads (0: all cores)", R::closed(0, 1024),
       nullptr, "0 uses all cores", "LibTorch CPU threads; 0 uses all cores"},
      {"training.checkpoint_every", &c.training.checkpoint_every, "steps between checkpoints",
       count, nullptr, "", "steps between checkpoints (also one at the end or on stop)"},
      {"training.log_every", &c.training.log_every, "steps between metrics.csv rows", count,
       nullptr, "", "steps between `metrics.csv` rows (mean loss over the window)"},
      {"training.keep_checkpoints", &c.training.keep_checkpoints,
       "newest step checkpoints kept (0: all)", R::closed(0, 1e6), nullptr, "0 keeps all",
       "newest step checkpoints kept besides `latest.pt`; 0 keeps all (the app's checkpoint x "
       "time scrub uses them)"},
      {"training.label_dropout", &c.training.label_dropout,
       "class-conditional: share of null labels", R::rightOpen(0, 1), nullptr, "",
       "class-conditional models: labels replaced by the null class with this probability, so "
       "the network also learns the unconditional field (classifier-free guidance)"},

      {"sampling.solver", &c.sampling.solver, "euler | midpoint | heun | rk4 | dopri5", {},
       &solverRegistry(), "", "the ODE solver of `sample`, evaluation and the app: table below"},
      {"sampling.steps", &c.sampling.steps, "fixed-step solvers: steps", R::closed(1, 1e6)},
      {"sampling.atol", &c.sampling.atol, "dopri5: absolute tolerance",
       R::closed(kMinTolerance, kMaxTolerance)},
      {"sampling.rtol", &c.sampling.rtol, "dopri5: relative tolerance",
       R::closed(0, kMaxTolerance)},
      {"sampling.guidance", &c.sampling.guidance, "class-conditional: guidance scale w",
       R::closed(0, 100), nullptr, "", "class-conditional models: v = v(x, t, null) + w (v(x, t, "
       "c) - v(x, t, null)); 1: conditional, 0: unconditional (Ho & Salimans' w + 1)"},

      {"evaluation.every", &c.evaluation.every, "steps between evaluations (0: off)",
       R::closed(0, 1e12), nullptr, "0 disables evaluation",
       "steps between evaluations; 0 disables. Each samples `n_samples` points with the "
       "`sampling` solver from a fixed noise seed and writes NFE and sample metrics into "
       "`metrics.csv`"},
      {"evaluation.n_samples", &c.evaluation.n_samples, "samples per evaluation",
       R::closed(1, 1e7), nullptr, "", "samples (and reference data points) per evaluation"},
      {"evaluation.likelihood", &c.evaluation.likelihood, "also compute held-out NLL (images: BPD)", {},
       nullptr, "", "also the model NLL of held-out data (exact divergence, slower); image runs: "
       "BPD of the first `n_samples` test images (K = 1, one Hutchinson probe, dopri5 1e-5)"},
      {"evaluation.classifier", &c.evaluation.classifier, "image runs: classifier file for the FD", {},
       nullptr, "", "image runs: a classifier file from `flowscope-cli train-classifier`; each "
       "evaluation also writes the classifier FD and confidence of its samples (relative to the "
       "YAML file)", PathKind::File, "Classifiers (*.pt)"},
  };
}

const ConfigField* schemaField(const std::string& key) {
  static ExperimentConfig defaults;
  static const std::vector<ConfigField> fields = configFields(defaults);
  for (const auto& f : fields)
    if (f.key == key) return &f;
  return nullptr;
}

namespace {

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

/// The selected choice of every registry key in a config ("data.name" -> "two_moons"), read
/// once per query.
using Selections = std::map<std::string, std::string>;

Selections selectionsOf(const ExperimentConfig& c) {
  ExperimentConfig copy = c;
  Selections out;
  for (const auto& f : configFields(copy))
    if (f.choices) out[f.key] = *std::get<std::string*>(f.value);
  return out;
}

const Choice* selectedChoice(const Registry& r, const Selections& s) {
  auto it = s.find(r.key());
  return it == s.end() ? nullptr : r.find(it->second);
}

bool applies(const std::string& key, const Selections& s) {
  for (const Registry* r : registries()) {
    const auto governed = r->governedKeys();
    if (std::find(governed.begin(), governed.end(), key) == governed.end()) continue;
    if (r->key() == key || !applies(r->key(), s)) return false;
    const Choice* choice = selectedChoice(*r, s);
    if (choice && !choice->lists(key)) return false;  // unknown choices: show everything
  }
  return true;
}

ValueRange rangeUnder(const ConfigField& field, const Selections& s) {
  for (const Registry* r : registries()) {
    const Choice* choice = selectedChoice(*r, s);
    if (!choice || !choice->lists(field.key)) continue;
    if (auto it = choice->ranges.find(field.key); it != choice->ranges.end()) return it->second;
  }
  return field.range;
}

/// "in [a, b]", ">= 0", "finite": the range of each element of a list.
std::string elementRange(const ValueRange& range) {
  const std::string t = range.text();
  if (t.empty()) return "finite";
  return range.min && range.max ? "in " + t : t;
}

template <typename T>
constexpr bool isInteger = std::is_integral_v<T> && !std::is_same_v<T, bool>;

std::string withNote(std::string text, const ConfigField& f) {
  return f.note.empty() ? text : text + "; " + f.note;
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
          return shortestNumber(*p);
        } else if constexpr (std::is_same_v<T, std::optional<double>>) {
          return p->has_value() ? shortestNumber(**p) : "";
        } else if constexpr (std::is_same_v<T, std::array<double, 2>>) {
          return "[" + shortestNumber((*p)[0]) + ", " + shortestNumber((*p)[1]) + "]";
        } else if constexpr (std::is_same_v<T, std::array<double, 4>>) {
          return "[[" + shortestNumber((*p)[0]) + ", " + shortestNumber((*p)[1]) + "], [" +
                 shortestNumber((*p)[2]) + ", " + shortestNumber((*p)[3]) + "]]";
        } else {
          return std::to_string(*p);
        }
      },
      field.value);
}

std::string fieldType(const ConfigField& field) {
  return std::visit(
      [&](auto* p) -> std::string {
        (void)p;
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, std::string>) {
          if (field.choices) return "choice";
          if (field.path == PathKind::File) return "file";
          if (field.path == PathKind::Folder) return "folder";
          return "string";
        } else if constexpr (std::is_same_v<T, bool>) {
          return "bool";
        } else if constexpr (std::is_same_v<T, double>) {
          return "number";
        } else if constexpr (std::is_same_v<T, std::optional<double>>) {
          return "number or unset";
        } else if constexpr (std::is_same_v<T, std::array<double, 2>>) {
          return "[a, b]";
        } else if constexpr (std::is_same_v<T, std::array<double, 4>>) {
          return "[[a, b], [c, d]]";
        } else {
          return "integer";
        }
      },
      field.value);
}

ValueRange effectiveRange(const ConfigField& field, const ExperimentConfig& config) {
  return rangeUnder(field, selectionsOf(config));
}

namespace {

std::string expectedUnder(const ConfigField& field, const ValueRange& range) {
  return std::visit(
      [&](auto* p) -> std::string {
        (void)p;
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return field.choices ? field.choices->expected() : "a string";
        } else if constexpr (std::is_same_v<T, bool>) {
          return "true or false";
        } else if constexpr (std::is_same_v<T, double>) {
          return withNote(expectedNumber(range), field);
        } else if constexpr (std::is_same_v<T, std::optional<double>>) {
          return withNote(expectedNumber(range) + ", or unset for the default", field);
        } else if constexpr (std::is_same_v<T, std::array<double, 2>>) {
          return "a list of two numbers [a, b], each " + elementRange(range);
        } else if constexpr (std::is_same_v<T, std::array<double, 4>>) {
          return "a 2x2 matrix [[a, b], [c, d]], each entry " + elementRange(range);
        } else {
          return withNote(expectedInteger<T>(range), field);
        }
      },
      field.value);
}

}  // namespace

std::string expectedText(const ConfigField& field, const ExperimentConfig& config) {
  return expectedUnder(field, effectiveRange(field, config));
}

std::string expectedText(const ConfigField& field) { return expectedUnder(field, field.range); }

bool fieldApplies(const std::string& key, const ExperimentConfig& config) {
  return applies(key, selectionsOf(config));
}

std::string choiceDefault(const std::string& key, const ExperimentConfig& config) {
  const Selections s = selectionsOf(config);
  for (const Registry* r : registries()) {
    const Choice* choice = selectedChoice(*r, s);
    if (!choice) continue;
    if (auto it = choice->defaults.find(key); it != choice->defaults.end()) return it->second;
  }
  return "";
}

namespace {

std::optional<ConfigIssue> issueUnder(const ConfigField& field, const ValueRange& range) {
  auto issue = [&](const std::string& got) -> std::optional<ConfigIssue> {
    return ConfigIssue{field.key, "key '" + field.key + "': got " + got + " (expected " +
                                      expectedUnder(field, range) + ")"};
  };
  return std::visit(
      [&](auto* p) -> std::optional<ConfigIssue> {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, std::string>) {
          if (field.choices && !field.choices->accepts(*p)) return issue("'" + *p + "'");
        } else if constexpr (std::is_same_v<T, double>) {
          if (!range.contains(*p)) return issue(shortestNumber(*p));
        } else if constexpr (std::is_same_v<T, std::optional<double>>) {
          if (p->has_value() && !range.contains(**p)) return issue(shortestNumber(**p));
        } else if constexpr (std::is_same_v<T, std::array<double, 2>> ||
                             std::is_same_v<T, std::array<double, 4>>) {
          for (double v : *p)
            if (!range.contains(v)) return issue(fieldText(field));
        } else if constexpr (isInteger<T>) {
          if (!range.containsInteger(static_cast<long double>(*p),
                                     static_cast<long double>(std::numeric_limits<T>::min()),
                                     static_cast<long double>(std::numeric_limits<T>::max())))
            return issue(std::to_string(*p));
        }
        return std::nullopt;
      },
      field.value);
}

}  // namespace

std::optional<ConfigIssue> fieldIssue(const ConfigField& field, const ExperimentConfig& config) {
  return issueUnder(field, effectiveRange(field, config));
}

std::vector<ConfigIssue> fieldIssues(const ExperimentConfig& config) {
  const Selections s = selectionsOf(config);  // once, not per key
  ExperimentConfig copy = config;
  std::vector<ConfigIssue> out;
  for (const ConfigField& f : configFields(copy))
    if (auto issue = issueUnder(f, rangeUnder(f, s))) out.push_back(*issue);
  return out;
}

}  // namespace flowscope
