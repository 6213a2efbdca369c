// flowscope-cli bench: throughput of the real training loop (Trainer) and of a sampling solve,
// printed as one JSON line; with --python, the same computation in Python PyTorch
// (resources/bench/reference.py; for `bench unet`, resources/bench/unet_reference.py) runs right
// after in the same invocation and the ratio is printed.

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <sstream>

#include <sys/resource.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "Commands.h"
#include "core/config/ExperimentConfig.h"
#include "core/models/ModelInit.h"
#include "core/models/TimeMLP.h"
#include "core/models/unet/AdmUNet.h"
#include "core/paths/CondOTPath.h"
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
#include "core/util/BlasKernel.h"
#include "core/util/CpuFeatures.h"
#include "core/util/ValueRange.h"

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

using Json = nlohmann::ordered_json;

/// Runs `command` and returns the JSON object on the last line it printed.
Json runJsonCommand(const std::string& command, const std::string& what) {
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw InputError(what + ": cannot run " + command);
  std::string output, last;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  const int status = ::pclose(pipe);
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty() && line.front() == '{') last = line;
  Json j = Json::parse(last, nullptr, /*allow_exceptions=*/false);
  if (status != 0 || !j.is_object())
    throw InputError(what + ": " + command + " failed or printed no JSON object:\n" + output);
  return j;
}

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// Runs a Python reference (resources/bench/SCRIPT) under Debian's python3 with the same settings.
Json runPythonReference(const std::string& args, const std::string& scriptName = "reference.py") {
  const std::string script = resourcesDir() + "/bench/" + scriptName;
  if (!fs::exists(script)) throw InputError("--python: reference script " + script + " not found");
  return runJsonCommand("/usr/bin/python3 " + quoted(script) + " " + args, "--python");
}

/// A number from a reference's JSON; a missing or non-numeric value is an error naming it.
double number(const Json& j, const std::string& key, const std::string& what) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number())
    throw InputError(what + ": the reference printed no number '" + key + "'");
  return it->get<double>();
}

/// a / b as JSON: null unless both are finite and b > 0 (JSON has no inf).
Json ratio(double a, double b) {
  if (!std::isfinite(a) || !std::isfinite(b) || b <= 0) return nullptr;
  return a / b;
}

/// The same bench command, run again in a child process with OpenBLAS's own kernel choice (the
/// one FlowScope replaced), so a kernel's speed-up is measured in one invocation.
Json runWithDetectedKernel(const std::vector<std::string>& args, const std::string& detected) {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw InputError("--blas-baseline: cannot find this executable (/proc/self/exe)");
  std::string command = "FLOWSCOPE_BLAS=off OPENBLAS_CORETYPE=" + quoted(detected) + " " +
                        quoted(self.string()) + " bench";
  for (const auto& a : args)  // the C++ measurement only: the peers do not use OpenBLAS
    if (a != "--blas-baseline" && a != "--python" && a != "--peers") command += " " + quoted(a);
  return runJsonCommand(command, "--blas-baseline");
}

/// Adds the CPU and BLAS kernel in use; with --blas-baseline, the same measurement with
/// OpenBLAS's own kernel choice and the ratio of `key` (higher-is-better when `higherBetter`).
void addBlas(Json& j, const ParsedArgs& a, const std::vector<std::string>& args,
             const std::string& key, bool higherBetter) {
  j["cpu"] = cpuFeatures().brand;
  j["blas"] = blasKernel().describe();
  j["blas_kernel"] = blasKernel().kernel;
  if (!a.has("blas-baseline")) return;
  const std::string detected = blasKernel().detected;
  if (detected.empty()) {
    j["blas_baseline"] = nullptr;  // FlowScope kept OpenBLAS's choice: nothing to compare
    return;
  }
  const Json base = runWithDetectedKernel(args, detected);
  const double mine = number(j, key, "--blas-baseline"), theirs = number(base, key, "--blas-baseline");
  j["blas_baseline"] = {{"blas_kernel", detected}, {key, theirs}};
  j["ratio_over_blas_baseline"] = higherBetter ? ratio(mine, theirs) : ratio(theirs, mine);
}

/// FlowScope's torch 2.x environment with the Python peers (packaging/install-torch2.sh).
std::string peersPython() {
  std::string venv;
  if (const char* env = std::getenv("FLOWSCOPE_VENV")) venv = env;
  else if (const char* home = std::getenv("HOME")) venv = std::string(home) + "/.cache/flowscope/venv-torch2";
  const std::string python = venv + "/bin/python";
  if (venv.empty() || !fs::exists(python))
    throw InputError("--peers: no torch 2.x environment at '" + venv +
                     "' (run packaging/install-torch2.sh, or set FLOWSCOPE_VENV)");
  return python;
}

/// One peer (resources/bench/peers.py MODE --impl IMPL ARGS) in the torch 2.x environment.
Json runPeer(const std::string& mode, const std::string& impl, const std::string& args) {
  const std::string script = resourcesDir() + "/bench/peers.py";
  if (!fs::exists(script)) throw InputError("--peers: script " + script + " not found");
  return runJsonCommand(quoted(peersPython()) + " " + quoted(script) + " " + mode + " --impl " +
                            impl + " " + args + " 2>&1",
                        "--peers (" + impl + ")");
}

/// The network's parameters (and optional named tensors) as <name>.npy files the Python sides
/// load, so every implementation runs the same weights on the same inputs.
fs::path writeWeights(const TimeMLP& net, const std::vector<std::pair<std::string, torch::Tensor>>& extra) {
  const fs::path dir = fs::temp_directory_path() / ("flowscope-bench-w-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const auto& p : net->named_parameters()) {
    std::string name = p.key();
    if (name.rfind("hidden", 0) == 0) name.insert(6, ".");  // hidden0.weight -> hidden.0.weight
    writeNpyTensor((dir / (name + ".npy")).string(), p.value().cpu());
  }
  for (const auto& [name, t] : extra) writeNpyTensor((dir / (name + ".npy")).string(), t.cpu());
  return dir;
}

/// Records each peer's `key` under j["peers"] and the ratio against the best of them.
void addPeerResults(Json& j, const std::map<std::string, Json>& peers, const std::string& key,
                    bool higherBetter) {
  Json all = Json::object();
  std::string best;
  double bestValue = 0;
  for (const auto& [name, r] : peers) {
    all[name] = r;
    const double value = number(r, key, "--peers (" + name + ")");
    if (best.empty() || (higherBetter ? value > bestValue : value < bestValue)) {
      best = name;
      bestValue = value;
    }
  }
  j["peers"] = all;
  j["fastest_peer"] = best;
  const double mine = number(j, key, "--peers");
  j["ratio_over_fastest_peer"] = higherBetter ? ratio(mine, bestValue) : ratio(bestValue, mine);
}

int benchTrain(const ParsedArgs& a, const std::vector<std::string>& args) {
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

  Json j = {{"bench", "train"}, {"impl", "cpp"}, {"device", device}, {"width", c.model.width},
            {"depth", c.model.depth}, {"batch", c.training.batch_size}, {"steps", steps},
            {"threads", at::get_num_threads()}, {"it_per_s", itPerSec}};
  addBlas(j, a, args, "it_per_s", true);
  if (a.has("python")) {
    std::ostringstream pyArgs;
    pyArgs << "train --width " << c.model.width << " --depth " << c.model.depth << " --batch "
           << c.training.batch_size << " --steps " << steps << " --warmup " << warmup
           << " --threads " << at::get_num_threads() << " --device " << c.training.device;
    const double python = number(runPythonReference(pyArgs.str()), "it_per_s", "--python");
    j["python_it_per_s"] = python;
    j["ratio_cpp_over_python"] = ratio(itPerSec, python);
  }
  if (a.has("peers")) {
    std::ostringstream pyArgs;
    pyArgs << "--width " << c.model.width << " --depth " << c.model.depth << " --batch "
           << c.training.batch_size << " --steps " << steps << " --warmup " << warmup
           << " --threads " << at::get_num_threads();
    std::map<std::string, Json> peers;
    for (const char* impl : {"eager", "compile", "flow_matching", "torchcfm"})
      peers[impl] = runPeer("train", impl, pyArgs.str());
    addPeerResults(j, peers, "it_per_s", true);
  }
  std::puts(j.dump().c_str());
  return 0;
}

int benchSample(const ParsedArgs& a, const std::vector<std::string>& args) {
  configureThreads(static_cast<int>(a.getInt("threads")));
  const torch::Device device = resolveDevice(a.get("device"), "--device");
  ModelConfig mc;
  mc.width = static_cast<int>(a.getInt("width"));
  mc.depth = static_cast<int>(a.getInt("depth"));
  at::Generator gen = makeGenerator(0);
  TimeMLP net{nullptr};
  std::shared_ptr<TrainedFlow> flow;
  if (a.has("run")) {  // a trained velocity field: realistic dopri5 step counts
    flow = TrainedFlow::load(a.get("run"));
    if (flow->config().objective.name != "cfm")
      throw UsageError("--run: bench sample needs a cfm run (its network is the velocity)");
    net = flow->net();
    mc.width = static_cast<int>(net->options().width);
    mc.depth = static_cast<int>(net->options().depth);
  } else {
    net = TimeMLP(TimeMLPOptions::fromConfig(mc, 2));
    initializeParameters(*net, gen);
  }
  net->to(device);
  net->eval();
  const int64_t n = a.getInt("n");
  const int repeats = static_cast<int>(a.getInt("repeats"));

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
  torch::Tensor x1;
  for (int r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    const SolveResult result = solve(v, x0, o);
    if (!device.is_cpu()) torch::cuda::synchronize();
    best = std::min(best, seconds(start, Clock::now()));
    nfe = result.nfe;
    x1 = result.states.back();
  }
  Json j = {{"bench", "sample"}, {"impl", "cpp"}, {"device", describeDevice(device)},
            {"width", mc.width}, {"depth", mc.depth}, {"n", n},
            {"solver", solverMethodName(o.method)}, {"nfe", nfe}, {"ms", best * 1e3}};
  addBlas(j, a, args, "ms", false);
  if (a.has("python")) {
    if (o.method != SolverMethod::Euler)
      throw UsageError("--python: the sampling reference implements --solver euler only");
    std::ostringstream pyArgs;
    pyArgs << "sample --width " << mc.width << " --depth " << mc.depth << " --n " << n << " --steps "
           << o.steps << " --repeats " << repeats << " --threads " << at::get_num_threads()
           << " --device " << a.get("device");
    const double python = number(runPythonReference(pyArgs.str()), "ms", "--python");
    j["python_ms"] = python;
    j["ratio_python_over_cpp"] = ratio(python, best * 1e3);
  }
  if (a.has("peers")) {
    // Same weights, same noise; each peer's samples are compared with ours.
    const fs::path dir = writeWeights(net, {{"noise", x0}});
    std::map<std::string, Json> peers;
    std::vector<std::string> impls = {"flow_matching"};
    if (o.method == SolverMethod::Dopri5) impls.push_back("torchdiffeq");
    else if (o.method != SolverMethod::Euler && o.method != SolverMethod::Midpoint)
      throw UsageError("--peers: bench sample compares euler, midpoint and dopri5 (got " +
                       solverMethodName(o.method) + ")");
    for (const auto& impl : impls) {
      std::ostringstream pyArgs;
      const fs::path out = dir / (impl + "-samples.npy");
      pyArgs << "--width " << mc.width << " --depth " << mc.depth << " --n " << n << " --steps "
             << o.steps << " --repeats " << repeats << " --threads " << at::get_num_threads()
             << " --solver " << solverMethodName(o.method) << " --tol " << o.atol
             << " --weights " << quoted(dir.string()) << " --save " << quoted(out.string());
      Json r = runPeer("sample", impl, pyArgs.str());
      const torch::Tensor theirs = readNpyTensor(out.string()).to(torch::kFloat64);
      r["max_abs_diff_vs_cpp"] = (theirs - x1.cpu().to(torch::kFloat64)).abs().max().item<double>();
      peers[impl] = r;
    }
    fs::remove_all(dir);
    j["atol"] = o.atol;
    j["rtol"] = o.rtol;
    addPeerResults(j, peers, "ms", false);
  }
  std::puts(j.dump().c_str());
  return 0;
}

int benchLikelihood(const ParsedArgs& a, const std::vector<std::string>& args) {
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

  Json j = {{"bench", "likelihood"}, {"impl", "cpp"}, {"device", describeDevice(torch::kCPU)},
            {"n", n}, {"divergence", "exact"}, {"solver", "dopri5 1e-5"}, {"nfe", r.nfe},
            {"ms", ms}, {"mean_nll", -r.logp.mean().item<double>()}};
  addBlas(j, a, args, "ms", false);
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
    std::ostringstream pyArgs;
    pyArgs << "likelihood --width " << net->options().width << " --depth " << net->options().depth
           << " --threads " << at::get_num_threads() << " --repeats " << repeats << " --weights " << dir.string();
    const Json py = runPythonReference(pyArgs.str());
    fs::remove_all(dir);
    const double python = number(py, "ms", "--python");
    j["repeats"] = repeats;
    j["python_ms"] = python;
    j["python_nfe"] = number(py, "nfe", "--python");
    j["python_mean_nll"] = number(py, "mean_nll", "--python");
    j["ratio_python_over_cpp"] = ratio(python, ms);
  }
  if (a.has("peers")) {
    const fs::path dir = writeWeights(net, {{"points", x}});
    std::ostringstream pyArgs;
    pyArgs << "--width " << net->options().width << " --depth " << net->options().depth
           << " --threads " << at::get_num_threads() << " --repeats " << repeats
           << " --tol 1e-5 --weights " << quoted(dir.string());
    std::map<std::string, Json> peers;
    peers["flow_matching"] = runPeer("likelihood", "flow_matching", pyArgs.str());
    fs::remove_all(dir);
    addPeerResults(j, peers, "ms", false);
  }
  std::puts(j.dump().c_str());
  return 0;
}

int benchGemm(const ParsedArgs& a, const std::vector<std::string>& args) {
  configureThreads(static_cast<int>(a.getInt("threads")));
  const int64_t n = a.getInt("size");
  const int64_t repeats = a.getInt("repeats");
  torch::NoGradGuard noGrad;
  at::Generator gen = makeGenerator(0);
  const torch::Tensor x = torch::randn({n, n}, gen), y = torch::randn({n, n}, gen);
  torch::Tensor z = torch::mm(x, y);  // warm-up (thread pool, pages)
  double best = std::numeric_limits<double>::infinity();
  for (int64_t r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    z = torch::mm(x, y);
    best = std::min(best, seconds(start, Clock::now()));
  }
  // The result must be right whatever the kernel: compare one row against double precision.
  const torch::Tensor row = torch::mm(x.slice(0, 0, 1).to(torch::kFloat64), y.to(torch::kFloat64));
  const double error = (z.slice(0, 0, 1).to(torch::kFloat64) - row).abs().max().item<double>();
  Json j = {{"bench", "gemm"}, {"impl", "cpp"}, {"n", n}, {"threads", at::get_num_threads()},
            {"ms", best * 1e3}, {"gflops", 2.0 * n * n * n / best * 1e-9},
            {"max_abs_error_vs_float64", error}};
  addBlas(j, a, args, "gflops", true);
  std::puts(j.dump().c_str());
  return 0;
}

/// The UNetConfig as the JSON object resources/bench/unet_reference.py builds its nn.Module from.
Json unetConfigJson(const UNetConfig& c) {
  return {{"in_channels", c.inChannels}, {"image_size", c.imageSize},
          {"model_channels", c.modelChannels}, {"num_res_blocks", c.numResBlocks},
          {"channel_mult", c.channelMult}, {"attention_resolutions", c.attentionResolutions},
          {"num_heads", c.numHeads}, {"num_head_channels", c.numHeadChannels},
          {"use_new_attention_order", c.useNewAttentionOrder}, {"dropout", c.dropout},
          {"groups", c.groups}, {"use_scale_shift_norm", c.useScaleShiftNorm},
          {"resblock_updown", c.resblockUpdown}, {"conv_resample", c.convResample},
          {"num_classes", c.numClasses}, {"time_scale", c.timeScale}, {"max_period", c.maxPeriod}};
}

/// This process's peak resident set size so far (getrusage ru_maxrss: KiB on Linux), in MB.
double peakRssMb() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

/// resources/bench/unet_reference.py under `python`. It must have built the same network: a
/// different parameter count is an error, not a ratio.
Json runUnetReference(const std::string& python, const std::string& args, int64_t parameters,
                      const std::string& what) {
  const std::string script = resourcesDir() + "/bench/unet_reference.py";
  if (!fs::exists(script)) throw InputError(what + ": reference script " + script + " not found");
  const Json r = runJsonCommand(quoted(python) + " " + quoted(script) + " " + args + " 2>&1", what);
  const auto theirs = static_cast<int64_t>(number(r, "parameters", what));
  if (theirs != parameters)
    throw InputError(what + ": the Python U-Net has " + std::to_string(theirs) +
                     " parameters, FlowScope's AdmUNet " + std::to_string(parameters) +
                     ": they are not the same network, so no ratio (" + script + ")");
  return r;
}

/// The ADM U-Net (core/models/unet) on random images: a training step of the conditional OT loss
/// (eq. 23) with Adam, or (--sample) an Euler solve; with --python / --peers the same network
/// and step in resources/bench/unet_reference.py.
int benchUnet(const ParsedArgs& a, const std::vector<std::string>& args) {
  configureThreads(static_cast<int>(a.getInt("threads")));
  const torch::Device device = resolveDevice(a.get("device"), "--device");
  UNetConfig config;
  try {
    config = UNetConfig::preset(a.get("preset"));
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--preset: ") + e.what());
  }
  const bool sampling = a.has("sample");
  const int64_t batch = a.getInt("batch"), steps = a.getInt("steps"), warmup = a.getInt("warmup");
  const int64_t repeats = a.getInt("repeats");
  const std::vector<int64_t> shape{batch, config.inChannels, config.imageSize, config.imageSize};

  at::Generator gen = makeGenerator(0);
  AdmUNet net(config);
  net->resetParameters(gen);
  net->to(device);
  const int64_t parameters = net->parameterCount();
  const auto sync = [&] {
    if (!device.is_cpu()) torch::cuda::synchronize();
  };

  double secondsTimed = 0;  // train: all timed steps; sample: the best solve
  if (!sampling) {
    const CondOTPath path(PathConfig{}.sigma_min);  // x_t and u_t(x|x1) of eq. 23
    torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(1e-4));
    net->train();
    const auto step = [&] {
      const torch::Tensor x1 = (torch::rand(shape, gen) * 2 - 1).to(device);
      const torch::Tensor x0 = torch::randn(shape, gen).to(device);
      const torch::Tensor t = torch::rand({batch, 1, 1, 1}, gen).to(device);
      const torch::Tensor xt = path.alpha(t) * x1 + path.sigma(t) * x0;
      const torch::Tensor target = path.dalpha(t) * x1 + path.dsigma(t) * x0;
      const torch::Tensor loss = (net->forward(xt, t) - target).square().mean();
      adam.zero_grad();
      loss.backward();
      adam.step();
    };
    for (int64_t k = 0; k < warmup; ++k) step();
    sync();
    const auto start = Clock::now();
    for (int64_t k = 0; k < steps; ++k) step();
    sync();
    secondsTimed = seconds(start, Clock::now());
  } else {
    net->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x0 = torch::randn(shape, gen).to(device);
    SolveOptions o;
    o.method = SolverMethod::Euler;
    o.steps = static_cast<int>(steps);
    const VelocityFn v = [&](const torch::Tensor& x, double t) {
      return net->forward(x, torch::full({x.size(0), 1}, t, x.options()));
    };
    for (int64_t k = 0; k < warmup; ++k) solve(v, x0, o);
    secondsTimed = std::numeric_limits<double>::infinity();
    for (int64_t r = 0; r < repeats; ++r) {
      const auto start = Clock::now();
      solve(v, x0, o);
      sync();
      secondsTimed = std::min(secondsTimed, seconds(start, Clock::now()));
    }
  }
  // Train: batch * steps images in the timed seconds. Sample: batch images per solve.
  const double imgPerSec = static_cast<double>(sampling ? batch : batch * steps) / secondsTimed;
  const double msPerStep = secondsTimed / static_cast<double>(steps) * 1e3;

  Json j = {{"bench", "unet"}, {"mode", sampling ? "sample" : "train"}, {"impl", "cpp"},
            {"device", describeDevice(device)}, {"preset", a.get("preset")},
            {"parameters", parameters}, {"batch", batch},
            {"image_shape", {config.inChannels, config.imageSize, config.imageSize}}};
  if (sampling) j.update({{"solver", "euler"}, {"euler_steps", steps}, {"repeats", repeats}});
  else j.update({{"steps", steps}, {"warmup", warmup}});
  j.update({{"threads", at::get_num_threads()}, {"img_per_s", imgPerSec},
            {"ms_per_step", msPerStep}});
  if (sampling) j["ms_per_solve"] = secondsTimed * 1e3;
  j["peak_rss_mb"] = peakRssMb();  // before any Python child runs
  addBlas(j, a, args, "img_per_s", true);

  std::ostringstream pyArgs;
  pyArgs << (sampling ? "sample" : "train") << " --config " << quoted(unetConfigJson(config).dump())
         << " --batch " << batch << " --steps " << steps << " --warmup " << warmup << " --repeats "
         << repeats << " --threads " << at::get_num_threads();
  if (a.has("python")) {
    Json py = runUnetReference("/usr/bin/python3", pyArgs.str() + " --device " + a.get("device"),
                               parameters, "--python");
    const double python = number(py, "img_per_s", "--python");
    j["python"] = py;
    j["ratio_cpp_over_python"] = ratio(imgPerSec, python);
  }
  if (a.has("peers"))  // pip torch 2.x, eager (the same script); CPU, as the other peers
    addPeerResults(j, {{"torch2_eager", runUnetReference(peersPython(), pyArgs.str(), parameters,
                                                         "--peers (torch2_eager)")}},
                   "img_per_s", true);
  std::puts(j.dump().c_str());
  return 0;
}

}  // namespace

int runBench(const std::vector<std::string>& args) {
  const std::string what = args.empty() ? "" : args[0];
  // bench unet has its own defaults for the options it shares (a U-Net step is ~1000x an MLP's).
  const bool unet = what == "unet";
  std::string presets;
  for (const auto& name : UNetConfig::presetNames()) presets += (presets.empty() ? "" : ", ") + name;
  ArgParser parser("flowscope-cli bench train|sample|likelihood|gemm|unet [options]",
                   "Prints one JSON line with the device and the throughput: it_per_s for training\n"
                   "steps (the real Trainer loop: data, loss, backward, Adam, EMA), ms per\n"
                   "sampling solve, ms for the log-likelihood of --n points (exact divergence,\n"
                   "dopri5 1e-5). --python runs the same computation in Python PyTorch\n"
                   "(/usr/bin/python3, resources/bench/reference.py) and prints the ratio.\n"
                   "gemm: GFLOP/s of a --size N float32 matrix product through LibTorch's BLAS;\n"
                   "--blas-baseline repeats a bench with OpenBLAS's own kernel choice.\n"
                   "unet: img_per_s of an ADM U-Net (--preset) training step on random images\n"
                   "(eq. 23 loss, backward, Adam 1e-4), or with --sample of an Euler solve;\n"
                   "--python runs the same network in resources/bench/unet_reference.py.");
  parser.positionals(1)
      .option("run", "RUN_DIR", "sample, likelihood: use this run's EMA weights (default: a seeded random MLP)")
      .integer("width", "W", "hidden units per layer", ValueRange::closed(1, 1 << 16), "512")
      .integer("depth", "D", "hidden layers", ValueRange::closed(1, 64), "4")
      .integer("batch", "B", "train, unet: batch size (default 4096; unet: 64)", ValueRange::closed(1, 1 << 24),
               unet ? "64" : "4096")
      .integer("n", "N", "sample/likelihood: number of points", ValueRange::closed(1, 1 << 26), "100000")
      .integer("steps", "K", "train, unet: timed steps; sample, unet --sample: solver steps (default 100; unet: 10)",
               ValueRange::closed(1, 1 << 20), unet ? "10" : "100")
      .integer("size", "N", "gemm: matrix size (N x N times N x N)", ValueRange::closed(16, 16384), "1024")
      .integer("warmup", "K", "train, unet: untimed steps first; unet --sample: untimed solves (default 10; unet: 2)",
               ValueRange::closed(0, 1 << 20), unet ? "2" : "10")
      .integer("repeats", "R", "sample, likelihood, gemm, unet --sample: timed runs (best is reported)", ValueRange::closed(1, 1000), "3")
      .option("solver", "NAME", "sample: ODE solver", "euler")
      .option("preset", "NAME", "unet: the U-Net preset (" + presets + ")", "fashion_mnist28")
      .flag("sample", "unet: time an Euler solve (--steps steps, no grad) instead of a training step")
      .integer("threads", "T", "CPU threads (0: all cores)", ValueRange::closed(0, 1024), "0")
      .option("device", "DEVICE", "cpu, cuda or auto", "cpu")
      .flag("python", "also run the Python PyTorch reference and print the ratio")
      .flag("peers", "also run the Python peers (pip torch 2.x eager and compiled, flow_matching, torchcfm, torchdiffeq; unet: pip torch 2.x eager) and print ratios")
      .flag("blas-baseline", "also run with OpenBLAS's own kernel choice (when FlowScope replaced it) and print the ratio");
  const ParsedArgs a = parser.parse(args);
  if (a.has("help")) {
    std::fputs(parser.help().c_str(), stdout);
    return 0;
  }
  if (what == "train") return benchTrain(a, args);
  if (what == "sample") return benchSample(a, args);
  if (what == "likelihood") return benchLikelihood(a, args);
  if (what == "gemm") return benchGemm(a, args);
  if (what == "unet") return benchUnet(a, args);
  throw UsageError("expected 'train', 'sample', 'likelihood', 'gemm' or 'unet' after bench (got '" +
                   what + "')");
}

}  // namespace flowscope::cli
