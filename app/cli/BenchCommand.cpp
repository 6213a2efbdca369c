// flowscope-cli bench: throughput of the real training loop (Trainer) and of a sampling solve,
// printed as one JSON line; with --python, the same computation in Python PyTorch
// (resources/bench/reference.py) runs right after in the same invocation and the ratio is printed.

#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <sstream>

#include <unistd.h>

#include "Commands.h"
#include "core/config/ExperimentConfig.h"
#include "core/models/ModelInit.h"
#include "core/models/TimeMLP.h"
#include "core/likelihood/Likelihood.h"
#include "core/train/TrainedFlow.h"
#include "core/data/Dataset2D.h"
#include "core/util/TensorIo.h"
#include "core/config/ConfigYaml.h"
#include "core/solvers/OdeSolver.h"
#include "core/train/Trainer.h"
#include "core/util/ArgParser.h"
#include "core/util/Device.h"
#include "core/util/Error.h"
#include "core/util/Random.h"

namespace fs = std::filesystem;

namespace flowscope::cli {

std::string resourcesDir() {
  if (const char* env = std::getenv("FLOWSCOPE_RESOURCES")) return env;
  return std::string(FLOWSCOPE_SOURCE_DIR) + "/resources";
}

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

/// Runs the Python reference with the same settings and returns the value of `key` from the
/// JSON line it prints.
std::string lastPythonOutput;

double runPythonReference(const std::string& args, const std::string& key) {
  const std::string script = resourcesDir() + "/bench/reference.py";
  if (!fs::exists(script)) throw InputError("--python: reference script " + script + " not found");
  const std::string command = "/usr/bin/python3 " + script + " " + args;
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw InputError("--python: cannot run " + command);
  std::string output;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  const int status = ::pclose(pipe);
  const std::string needle = "\"" + key + "\": ";
  const auto pos = output.rfind(needle);
  if (status != 0 || pos == std::string::npos)
    throw InputError("--python: reference failed (" + command + "):\n" + output);
  lastPythonOutput = output;
  return std::stod(output.substr(pos + needle.size()));
}

/// Another value from the reference's last JSON line (it ran once already).
double runPythonReferenceValue(const std::string&, const std::string& key) {
  const std::string needle = "\"" + key + "\": ";
  const auto pos = lastPythonOutput.rfind(needle);
  if (pos == std::string::npos) throw InputError("--python: reference printed no '" + key + "'");
  return std::stod(lastPythonOutput.substr(pos + needle.size()));
}

int benchTrain(const ParsedArgs& a) {
  ExperimentConfig c;
  c.name = "bench";
  c.model.width = static_cast<int>(a.getInt("width"));
  c.model.depth = static_cast<int>(a.getInt("depth"));
  c.training.batch_size = a.getInt("batch");
  c.training.device = a.get("device");
  c.training.threads = static_cast<int>(a.getInt("threads"));
  const int64_t steps = a.getInt("steps"), warmup = a.getInt("warmup");
  if (steps < 1 || warmup < 0) throw UsageError("--steps: expected >= 1 (and --warmup >= 0)");
  c.training.steps = steps + warmup;
  c.training.checkpoint_every = c.training.steps + 1;
  c.training.log_every = c.training.steps + 1;
  if (auto issues = validate(c); !issues.empty())
    throw UsageError("bench train: " + issues.front().message);

  const fs::path dir = fs::temp_directory_path() /
                       ("flowscope-bench-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  double itPerSec = 0;
  std::string device;
  {
    Trainer trainer(c, dir.string(), StartMode::Fresh);
    device = trainer.deviceDescription();
    trainer.train(warmup, nullptr, false);
    if (c.training.device != "cpu") torch::cuda::synchronize();
    const auto start = Clock::now();
    trainer.train(steps, nullptr, false);
    if (c.training.device != "cpu") torch::cuda::synchronize();
    itPerSec = static_cast<double>(steps) / seconds(start, Clock::now());
  }
  fs::remove_all(dir);

  std::ostringstream json;
  json << "{\"bench\": \"train\", \"impl\": \"cpp\", \"device\": \"" << device
       << "\", \"width\": " << c.model.width << ", \"depth\": " << c.model.depth
       << ", \"batch\": " << c.training.batch_size << ", \"steps\": " << steps
       << ", \"it_per_s\": " << itPerSec;
  if (a.has("python")) {
    std::ostringstream args;
    args << "train --width " << c.model.width << " --depth " << c.model.depth << " --batch "
         << c.training.batch_size << " --steps " << steps << " --warmup " << warmup
         << " --threads " << at::get_num_threads() << " --device " << c.training.device;
    const double python = runPythonReference(args.str(), "it_per_s");
    json << ", \"python_it_per_s\": " << python << ", \"ratio_cpp_over_python\": "
         << itPerSec / python;
  }
  json << "}";
  std::puts(json.str().c_str());
  return 0;
}

int benchSample(const ParsedArgs& a) {
  configureThreads(static_cast<int>(a.getInt("threads")));
  const torch::Device device = resolveDevice(a.get("device"), "--device");
  ModelConfig mc;
  mc.width = static_cast<int>(a.getInt("width"));
  mc.depth = static_cast<int>(a.getInt("depth"));
  TimeMLP net(TimeMLPOptions::fromConfig(mc, 2));
  at::Generator gen = makeGenerator(0);
  initializeParameters(*net, gen);
  net->to(device);
  net->eval();
  const int64_t n = a.getInt("n");
  const int repeats = static_cast<int>(a.getInt("repeats"));
  if (n < 1 || repeats < 1) throw UsageError("--n and --repeats: expected >= 1");

  SolveOptions o;
  o.method = parseSolverMethod(a.get("solver"), "--solver");
  o.steps = static_cast<int>(a.getInt("steps"));
  torch::NoGradGuard noGrad;
  const torch::Tensor x0 = torch::randn({n, 2}, gen).to(device);
  const VelocityFn v = [&](const torch::Tensor& x, double t) {
    return net->forward(x, torch::full({x.size(0), 1}, t, x.options()));
  };
  solve(v, x0, o);  // warm-up
  double best = 1e300;
  int64_t nfe = 0;
  for (int r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    const SolveResult result = solve(v, x0, o);
    if (!device.is_cpu()) torch::cuda::synchronize();
    best = std::min(best, seconds(start, Clock::now()));
    nfe = result.nfe;
  }
  std::ostringstream json;
  json << "{\"bench\": \"sample\", \"impl\": \"cpp\", \"device\": \"" << describeDevice(device)
       << "\", \"width\": " << mc.width << ", \"depth\": " << mc.depth << ", \"n\": " << n
       << ", \"solver\": \"" << solverMethodName(o.method) << "\", \"nfe\": " << nfe
       << ", \"ms\": " << best * 1e3;
  if (a.has("python")) {
    if (o.method != SolverMethod::Euler)
      throw UsageError("--python: the sampling reference implements --solver euler only");
    std::ostringstream args;
    args << "sample --width " << mc.width << " --depth " << mc.depth << " --n " << n << " --steps "
         << o.steps << " --repeats " << repeats << " --threads " << at::get_num_threads()
         << " --device " << a.get("device");
    const double python = runPythonReference(args.str(), "ms");
    json << ", \"python_ms\": " << python << ", \"ratio_python_over_cpp\": " << python / (best * 1e3);
  }
  json << "}";
  std::puts(json.str().c_str());
  return 0;
}

int benchLikelihood(const ParsedArgs& a) {
  configureThreads(static_cast<int>(a.getInt("threads")));
  const int64_t n = a.getInt("n");
  if (n < 1) throw UsageError("--n: expected >= 1");
  // The network: a trained run's EMA weights, or a seeded random one of the given size.
  std::shared_ptr<TrainedFlow> flow;
  TimeMLP net{nullptr};
  if (a.has("run")) {
    flow = TrainedFlow::load(a.get("run"));
    if (a.has("python") && flow->config().objective.name != "cfm")
      throw UsageError("--python: the likelihood reference needs a cfm run (its network is the velocity)");
    net = flow->net();
  } else {
    ModelConfig mc;
    mc.width = static_cast<int>(a.getInt("width"));
    mc.depth = static_cast<int>(a.getInt("depth"));
    net = TimeMLP(TimeMLPOptions::fromConfig(mc, 2));
    at::Generator gen = makeGenerator(0);
    initializeParameters(*net, gen);
  }
  net->eval();
  DataConfig checkerboard;
  at::Generator dataGen = makeGenerator(1);
  const torch::Tensor x = makeDataset(checkerboard)->sample(n, dataGen);
  const VelocityFn v = [&](const torch::Tensor& xs, double t) {
    return net->forward(xs, torch::full({xs.size(0), 1}, t, xs.options()));
  };
  LikelihoodOptions o;  // exact divergence, dopri5 atol = rtol = 1e-5 (Appendix E.2)
  o.batchSize = n;
  const int64_t repeats = a.getInt("repeats");
  if (repeats < 1) throw UsageError("--repeats: expected >= 1");
  LikelihoodResult r;
  double ms = std::numeric_limits<double>::infinity();
  for (int64_t k = 0; k < repeats; ++k) {  // best of R, as for the reference
    const auto start = Clock::now();
    r = logLikelihood(v, x, 1.0, 0.0, 1.0, o);
    ms = std::min(ms, seconds(start, Clock::now()) * 1e3);
  }

  std::ostringstream json;
  json << "{\"bench\": \"likelihood\", \"impl\": \"cpp\", \"device\": \"" << describeDevice(torch::kCPU)
       << "\", \"n\": " << n << ", \"divergence\": \"exact\", \"solver\": \"dopri5 1e-5\", \"nfe\": " << r.nfe
       << ", \"ms\": " << ms << ", \"mean_nll\": " << -r.logp.mean().item<double>();
  if (a.has("python")) {
    // The same weights and points for the reference, as .npy files named like its parameters.
    const fs::path dir = fs::temp_directory_path() / ("flowscope-bench-ll-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    for (const auto& p : net->named_parameters()) {
      std::string name = p.key();
      if (name.rfind("hidden", 0) == 0) name.insert(6, ".");  // hidden0.weight -> hidden.0.weight
      writeNpyTensor((dir / (name + ".npy")).string(), p.value());
    }
    writeNpyTensor((dir / "points.npy").string(), x);
    std::ostringstream args;
    args << "likelihood --width " << net->options().width << " --depth " << net->options().depth
         << " --threads " << at::get_num_threads() << " --repeats " << repeats << " --weights " << dir.string();
    const double python = runPythonReference(args.str(), "ms");
    const double pythonNfe = runPythonReferenceValue(args.str(), "nfe");
    const double pythonNll = runPythonReferenceValue(args.str(), "mean_nll");
    fs::remove_all(dir);
    json << ", \"repeats\": " << repeats << ", \"python_ms\": " << python << ", \"python_nfe\": " << pythonNfe
         << ", \"python_mean_nll\": " << pythonNll
         << ", \"ratio_python_over_cpp\": " << python / ms;
  }
  json << "}";
  std::puts(json.str().c_str());
  return 0;
}

}  // namespace

int runBench(const std::vector<std::string>& args) {
  const std::string what = args.empty() ? "" : args[0];
  ArgParser parser("flowscope-cli bench train|sample|likelihood [options]",
                   "Prints one JSON line with the device and the throughput: it_per_s for training\n"
                   "steps (the real Trainer loop: data, loss, backward, Adam, EMA), ms per\n"
                   "sampling solve, ms for the log-likelihood of --n points (exact divergence,\n"
                   "dopri5 1e-5). --python runs the same computation in Python PyTorch\n"
                   "(/usr/bin/python3, resources/bench/reference.py) and prints the ratio.");
  parser.positionals(1)
      .option("run", "RUN_DIR", "likelihood: use this run's EMA weights (default: a seeded random MLP)")
      .option("width", "W", "hidden units per layer", "512")
      .option("depth", "D", "hidden layers", "4")
      .option("batch", "B", "train: batch size", "4096")
      .option("n", "N", "sample/likelihood: number of points", "100000")
      .option("steps", "K", "train: timed steps; sample: solver steps", "100")
      .option("warmup", "K", "train: untimed steps first", "10")
      .option("repeats", "R", "sample, likelihood: timed solves (best is reported)", "3")
      .option("solver", "NAME", "sample: ODE solver", "euler")
      .option("threads", "T", "CPU threads (0: all cores)", "0")
      .option("device", "DEVICE", "cpu, cuda or auto", "cpu")
      .flag("python", "also run the Python PyTorch reference and print the ratio");
  const ParsedArgs a = parser.parse(args);
  if (a.has("help")) {
    std::fputs(parser.help().c_str(), stdout);
    return 0;
  }
  if (what == "train") return benchTrain(a);
  if (what == "sample") return benchSample(a);
  if (what == "likelihood") return benchLikelihood(a);
  throw UsageError("expected 'train', 'sample' or 'likelihood' after bench (got '" + what + "')");
}

}  // namespace flowscope::cli
