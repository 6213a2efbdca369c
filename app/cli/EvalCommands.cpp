// flowscope-cli likelihood | eval | sweep: the measurements of the paper for a trained run
// (Appendix C likelihoods, 2D sample quality, NFE sweeps of Figure 7).

#include <torch/torch.h>

#include <cmath>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "CliOptions.h"
#include "Commands.h"
#include "ImageEval.h"
#include "core/eval/ChunkedSampling.h"
#include "core/data/Dataset2D.h"
#include "core/config/ConfigSchema.h"
#include "core/config/ExperimentConfig.h"
#include "core/registry/Registries.h"
#include "core/eval/NfeSweep.h"
#include "core/io/AtomicFile.h"
#include "core/io/MappedFile.h"
#include "core/io/Npy.h"
#include "core/io/NpyFileWriter.h"
#include "core/likelihood/BitsPerDim.h"
#include "core/likelihood/Likelihood.h"
#include "core/metrics/ClassifierScores.h"
#include "core/metrics/SampleMetrics.h"
#include "core/train/TrainedFlow.h"
#include "core/util/ArgParser.h"
#include "core/util/Device.h"
#include "core/util/Error.h"
#include "core/util/Random.h"
#include "core/util/TensorIo.h"

namespace flowscope::cli {
namespace {

template <typename F>
auto asUsage(F&& f) {
  try {
    return f();
  } catch (const UsageError&) {
    throw;
  } catch (const InputError& e) {
    throw UsageError(e.what());
  }
}

/// The parser has checked --solver's choice and the ranges (addSolverOptions).
SolveOptions solverFromArgs(const ParsedArgs& a) {
  SolveOptions o;
  o.method = parseSolverMethod(a.get("solver"), "--solver");
  o.steps = static_cast<int>(a.getInt("steps"));
  o.atol = a.getDouble("atol");
  o.rtol = a.getDouble("rtol");
  return o;
}

/// One JSON object; a non-finite value is null (JSON has no inf or nan). Integral values such as
/// n and nfe print as integers.
std::string json(const std::map<std::string, double>& values) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [k, v] : values) {
    if (!std::isfinite(v)) j[k] = nullptr;
    else if (v == std::trunc(v) && std::fabs(v) < 9.0e15) j[k] = static_cast<int64_t>(v);
    else j[k] = v;
  }
  return j.dump();
}


/// Mean and standard error of values seen a chunk at a time (Welford's update, merged per chunk).
class RunningMean {
 public:
  void add(const torch::Tensor& values) {
    const torch::Tensor v = values.to(torch::kFloat64).flatten();
    const auto m = static_cast<double>(v.numel());
    if (m == 0) return;
    const double chunkMean = v.mean().item<double>();
    const double chunkM2 = (v - chunkMean).square().sum().item<double>();
    const double total = n_ + m, delta = chunkMean - mean_;
    m2_ += chunkM2 + delta * delta * n_ * m / total;
    mean_ += delta * m / total;
    n_ = total;
  }
  double mean() const { return n_ > 0 ? mean_ : std::nan(""); }
  /// The sample standard deviation (n - 1) over sqrt(n), as torch's std() gave for all at once.
  double standardError() const { return n_ > 1 ? std::sqrt(m2_ / (n_ - 1)) / std::sqrt(n_) : std::nan(""); }

 private:
  double n_ = 0, mean_ = 0, m2_ = 0;
};

/// The points `likelihood` evaluates, read a chunk at a time.
struct PointSource {
  int64_t count = 0;
  std::function<torch::Tensor(int64_t first, int64_t n)> rows;
};

void checkPointShape(const std::vector<int64_t>& shape, const std::string& source) {
  if (shape.size() != 2 || shape[1] != 2)
    throw InputError(source + ": points have shape " + c10::str(c10::IntArrayRef(shape)) +
                     " (expected [N, 2] for this 2D model)");
}

/// A float32 C-order .npy is mapped, not read: rows come from the page cache as they are needed.
/// Other dtypes are converted in memory (8 bytes per point).
PointSource pointsFromNpy(const std::string& path) {
  auto file = std::make_shared<MappedFile>(path);
  const NpyHeader h = parseNpyHeader(file->bytes(), path);
  checkPointShape(h.shape, path);
  if (h.descr != "<f4" || h.fortranOrder) {
    const torch::Tensor x = readNpyTensor(path);
    return {x.size(0), [x](int64_t first, int64_t n) { return x.narrow(0, first, n); }};
  }
  // Copied out of the map rather than viewed: a writer other than NumPy need not align the data.
  return {h.shape[0], [file, offset = h.dataOffset](int64_t first, int64_t n) {
            torch::Tensor rows = torch::empty({n, 2}, torch::kFloat32);
            std::memcpy(rows.data_ptr<float>(), file->bytes().data() + offset + first * 2 * sizeof(float),
                        static_cast<size_t>(n) * 2 * sizeof(float));
            return rows;
          }};
}

/// Draws from one generator seeded once, chunk after chunk: a run of N points in one chunk is
/// what every earlier version drew; with more chunks the draws depend on the chunk size.
PointSource pointsFromDataset(const TrainedFlow& flow, const std::string& name, int64_t n, uint64_t seed) {
  DataConfig dc = flow.config().data;
  if (name != "run") {
    dc = DataConfig{};
    dc.name = name;
  }
  auto dataset = std::shared_ptr<Dataset2D>(makeDataset(dc));
  auto gen = std::make_shared<at::Generator>(makeGenerator(seed));
  return {n, [dataset, gen](int64_t, int64_t count) { return dataset->sample(count, *gen); }};
}
}  // namespace

int runLikelihood(const std::vector<std::string>& args) {
  ArgParser parser(
      "flowscope-cli likelihood --run RUN_DIR (--data FILE.npy | --dataset NAME --n N)\n"
      "       [--exact | --hutchinson K [--probe rademacher|gaussian]] [--solver ...]\n"
      "       [--t T] [--dequantize K] --out FILE.npy",
      "Model log-likelihood log p_1(x) in nats per point (Appendix C): the state and the\n"
      "divergence are integrated from t = 1 back to t = 0 and log p_1(x) = log p_0(x_0) - f(0)\n"
      "(eq. 33). Writes float64 [N] and prints the mean NLL and bits per dimension (continuous:\n"
      "NLL / (d ln 2)). --dequantize K treats the data as 8-bit integers in [0, 255] and reports\n"
      "the importance-weighted estimate over K uniform dequantizations (eq. 36-37, 47).");
  std::vector<std::string> datasets = datasetRegistry().names();
  datasets.insert(datasets.begin(), "run");
  parser.option("run", "RUN_DIR", "run folder", "", true)
      .option("checkpoint", "latest|STEP", "which checkpoint", "latest")
      .flag("no-ema", "use the raw weights instead of the EMA")
      .option("data", "FILE.npy", "points to evaluate, [N, d]")
      .choice("dataset", "NAME", "draw points from this dataset instead ('run': the run's)",
              datasets);
  addCountOption(parser, "with --dataset: number of points", "10000");
  parser.flag("exact", "exact divergence by automatic differentiation (default)")
      .integer("hutchinson", "K", "Hutchinson estimator with K probes per evaluation",
               ValueRange::closed(1, 4096))
      .choice("probe", "KIND", "Hutchinson probes", {"rademacher", "gaussian"}, "rademacher")
      .number("t", "T", "evaluate log p_t at this time instead of t = 1", ValueRange::leftOpen(0, 1), "1")
      .integer("dequantize", "K", "8-bit data: K uniform dequantizations (eq. 47)",
               ValueRange::closed(1, 100000))
      .integer("batch", "B", "points per solve", ValueRange::closed(1, 1 << 24), "10000");
  addChunkOption(parser, "points read, solved and written at a time (memory is bounded by it)");
  addSeedOption(parser, "seed of dataset draws, probes and dequantization");
  addDeviceOption(parser);
  addThreadsOption(parser);
  parser.option("out", "FILE.npy", "per-point log-likelihood (nats)", "", true);
  addSolverOptions(parser, true);
  const ParsedArgs a = parser.parse(args);
  if (a.has("help")) {
    std::fputs(parser.help().c_str(), stdout);
    return 0;
  }
  configureThreads(static_cast<int>(a.getInt("threads")));
  if (a.has("data") == a.has("dataset"))
    throw UsageError("give exactly one of --data FILE.npy and --dataset NAME");
  if (a.has("exact") && a.has("hutchinson"))
    throw UsageError("--exact and --hutchinson exclude each other");

  const auto flow = TrainedFlow::load(a.get("run"), a.get("checkpoint"), !a.has("no-ema"), a.get("device"));
  LikelihoodOptions o;
  o.solver = solverFromArgs(a);
  o.exact = !a.has("hutchinson");
  if (!o.exact) {
    o.probes = static_cast<int>(a.getInt("hutchinson"));
    o.probe = asUsage([&] { return parseProbeKind(a.get("probe"), "--probe"); });
  }
  o.seed = static_cast<uint64_t>(a.getInt("seed"));
  o.batchSize = a.getInt("batch");
  const double t = a.getDouble("t");

  const std::string source = a.has("data") ? a.get("data") : "--dataset";
  const PointSource points = a.has("data") ? pointsFromNpy(a.get("data"))
                                           : pointsFromDataset(*flow, a.get("dataset"), a.getInt("n"), o.seed + 101);
  if (points.count == 0)
    throw InputError(source + ": holds no points (expected at least one point to evaluate)");

  // A chunk at a time, so memory is bounded by --chunk and N by the disk: each chunk's log p goes
  // straight into the .npy, the summary is accumulated.
  const int64_t chunk = effectiveChunk(a.getInt("chunk"));
  NpyFileWriter out(a.get("out"), {points.count}, NpyDtype::F64);
  RunningMean nll, bpd;
  int64_t nfe = 0;
  at::Generator dequantGen = makeGenerator(o.seed + 7);
  const int k = a.has("dequantize") ? static_cast<int>(a.getInt("dequantize")) : 0;
  for (int64_t first = 0; first < points.count; first += chunk) {
    const torch::Tensor x = points.rows(first, std::min(chunk, points.count - first));
    torch::Tensor logp;
    if (k > 0) {
      const LogDensityFn model = [&](const torch::Tensor& y) {
        const LikelihoodResult r = logLikelihood(*flow, y, t, o);
        nfe += r.nfe;
        return r.logp;
      };
      const BpdResult r = bitsPerDim(model, x, k, dequantGen);
      logp = r.logProb.contiguous();
      bpd.add(r.bpd.contiguous());
    } else {
      const LikelihoodResult r = logLikelihood(*flow, x, t, o);
      nfe += r.nfe;
      logp = r.logp.to(torch::kFloat64).cpu().contiguous();
      bpd.add(-logp / (2 * std::log(2.0)));  // continuous: NLL / (d ln 2), d = 2
    }
    nll.add(-logp);
    out.write(first, logp.data_ptr<double>(), logp.numel());
  }
  out.commit();

  std::map<std::string, double> summary;
  summary["bpd"] = bpd.mean();
  if (k > 0) summary["k"] = k;
  summary["nll"] = nll.mean();
  summary["nll_stderr"] = nll.standardError();
  summary["nfe"] = static_cast<double>(nfe);
  summary["n"] = static_cast<double>(points.count);
  std::printf("%s\n", json(summary).c_str());
  return 0;
}

int runEval(const std::vector<std::string>& args) {
  ArgParser parser("flowscope-cli eval --run RUN_DIR [--n N] [--solver ...] [--likelihood] [--out FILE.json]\n"
                   "       image runs: [--bpd [--k K] [--probes P]]",
                   "Samples N points from a run (fixed noise seed) and prints its metrics as JSON:\n"
                   "NFE, sliced W2, energy distance, histogram KL/JS against the data, exact sample\n"
                   "NLL where the data density is known, fraction on black squares (checkerboard),\n"
                   "and with --likelihood the model NLL of N held-out data points\n"
                   "(definitions: docs/metrics.md).\n"
                   "Image runs (N defaults to 256): the sampler's NFE and, with --bpd, bits per\n"
                   "dimension of the first N test images (K dequantizations, eq. 47; dopri5 1e-5;\n"
                   "Hutchinson divergence with P probes) with its standard error.");
  parser.option("run", "RUN_DIR", "run folder", "", true)
      .option("checkpoint", "latest|STEP", "which checkpoint", "latest")
      .flag("no-ema", "use the raw weights instead of the EMA");
  addCountOption(parser, "samples and reference data points (default 20000; images 256)", "");
  addSeedOption(parser, "noise seed");
  addChunkOption(parser, "samples solved at a time; nfe is the mean over chunks");
  addImageEvalOptions(parser);
  parser.flag("likelihood", "also the model NLL of held-out data (exact divergence, dopri5 1e-5)");
  addDeviceOption(parser);
  addThreadsOption(parser);
  parser.option("out", "FILE.json", "also write the JSON here")
      .option("logp-out", "FILE.npy", "with --likelihood: per-point log p (nats, float64) of the held-out points");
  addSolverOptions(parser, true);
  const ParsedArgs a = parser.parse(args);
  if (a.has("help")) {
    std::fputs(parser.help().c_str(), stdout);
    return 0;
  }
  configureThreads(static_cast<int>(a.getInt("threads")));
  const auto flow = TrainedFlow::load(a.get("run"), a.get("checkpoint"), !a.has("no-ema"), a.get("device"));
  SolveOptions o = solverFromArgs(a);
  o.t0 = flow->tMin();
  o.t1 = flow->tMax();
  const auto finish = [&](std::map<std::string, double> values) {
    values["step"] = static_cast<double>(flow->step());
    const std::string text = json(values);
    std::printf("%s\n", text.c_str());
    if (a.has("out")) writeFileAtomic(a.get("out"), text + "\n");
    return 0;
  };
  if (flow->sampleShape().size() == 3) return finish(evaluateImageRun(a, *flow));
  if (a.has("bpd")) throw UsageError("--bpd: for image runs; this run's data are 2D points");
  const int64_t n = a.has("n") ? a.getInt("n") : 20000;
  const uint64_t seed = static_cast<uint64_t>(a.getInt("seed"));
  const auto data = makeDataset(flow->config().data);

  std::map<std::string, double> values;
  {
    torch::NoGradGuard noGrad;
    // The solve's memory is bounded by the chunk; the samples themselves (8 bytes each) are kept
    // for the metrics, which need all of them.
    torch::Tensor samples = torch::empty({n, 2});
    const ChunkedSolveSummary r = sampleInChunks(
        *flow, n, seed, o, a.getInt("chunk"), [&](int64_t first, const SolveResult& chunk) {
          samples.narrow(0, first, chunk.final().size(0)).copy_(chunk.final().cpu());
        });
    values["nfe"] = static_cast<double>(r.nfe) / static_cast<double>(std::max<int64_t>(1, r.chunks));
    at::Generator gen = makeGenerator(seed + 1);
    for (const auto& [k, v] : sampleQuality(samples, *data, n, gen)) values[k] = v;
  }
  if (a.has("likelihood")) {
    at::Generator gen = makeGenerator(seed + 2);
    const LikelihoodResult r = logLikelihood(*flow, data->sample(n, gen), 1.0, LikelihoodOptions{});
    values["nll"] = -r.logp.mean().item<double>();
    values["nll_stderr"] = r.logp.std().item<double>() / std::sqrt(static_cast<double>(n));
    values["nll_nfe"] = static_cast<double>(r.nfe);
    // Same seed, same held-out points for every run: the per-point values allow paired comparisons.
    if (a.has("logp-out")) writeNpyTensorF64(a.get("logp-out"), r.logp);
  } else if (a.has("logp-out")) {
    throw UsageError("--logp-out: needs --likelihood");
  }
  return finish(std::move(values));
}

int runSweepCommand(const std::vector<std::string>& args) {
  ArgParser parser(
      "flowscope-cli sweep --run RUN_DIR [--run RUN_DIR2 ...] [--solvers euler,midpoint,...]\n"
      "       [--steps 1,2,4,...] [--tolerances 1e-2,...] [--n N] [--reference rk4:1000] --out FILE.csv",
      "Numerical error and sample quality against NFE (Figure 7): from the same noise x0 for every\n"
      "run, each fixed-step solver at each step count and dopri5 at each tolerance; numerical error\n"
      "is the mean per-sample squared distance to a high-accuracy reference solution.\n"
      "Image runs: also mse_per_pixel (Figure 7's per-pixel MSE) and, with --classifier, the\n"
      "classifier FD and confidence of each solve's samples (--n defaults to 256 there).");
  std::vector<std::string> fixedStep;
  for (const SolverInfo& info : solverMethods())
    if (!info.adaptive) fixedStep.push_back(info.name);
  std::string defaultSolvers;
  for (const auto& name : fixedStep) defaultSolvers += (defaultSolvers.empty() ? "" : ",") + name;
  parser.repeated("run", "RUN_DIR", "run folder (several runs share the same noise)")
      .option("checkpoint", "latest|STEP", "which checkpoint", "latest")
      .option("solvers", "LIST", "fixed-step solvers", defaultSolvers)
      .integerList("steps", "LIST", "step counts", schemaField("sampling.steps")->range,
                   "1,2,4,8,16,32,64")
      .numberList("tolerances", "LIST", "dopri5 tolerances (atol = rtol)",
                  ValueRange::closed(kMinTolerance, kMaxTolerance), "1e-2,1e-3,1e-4,1e-5");
  addCountOption(parser, "samples per solve (default 5000; images 256)", "");
  addSeedOption(parser, "noise seed");
  parser.option("reference", "SPEC", "rk4:STEPS or dopri5:TOL", "rk4:1000")
      .flag("no-metrics", "numerical error only (faster)")
      .option("classifier", "FILE.pt", "image runs: score each solve with this classifier (train-classifier)");
  addDeviceOption(parser);
  addThreadsOption(parser);
  parser.option("out", "FILE.csv", "output CSV", "", true);
  const ParsedArgs a = parser.parse(args);
  if (a.has("help")) {
    std::fputs(parser.help().c_str(), stdout);
    return 0;
  }
  configureThreads(static_cast<int>(a.getInt("threads")));
  if (a.getAll("run").empty()) throw UsageError("--run is required (at least once)");
  SweepSpec spec;
  spec.solvers = a.getStringList("solvers");
  asUsage([&] { return parseSweepReference(a.get("reference"), "--reference"); });
  spec.steps.clear();
  for (int64_t k : a.getIntList("steps")) spec.steps.push_back(static_cast<int>(k));
  spec.tolerances = a.getDoubleList("tolerances");
  spec.n = a.has("n") ? a.getInt("n") : 5000;
  spec.seed = static_cast<uint64_t>(a.getInt("seed"));
  spec.reference = a.get("reference");
  spec.metrics = !a.has("no-metrics");
  spec.referenceCount = spec.n;

  // A live counter on a terminal; one line per run in a log file.
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  std::vector<std::pair<std::string, SweepResult>> results;
  for (const auto& runDir : a.getAll("run")) {
    const auto flow = TrainedFlow::load(runDir, a.get("checkpoint"), true, a.get("device"));
    const bool images = flow->sampleShape().size() == 3;
    SweepSpec runSpec = spec;
    if (images && !a.has("n")) runSpec.n = runSpec.referenceCount = 256;
    SampleScorer scorer;
    std::unique_ptr<Dataset2D> data;
    if (images) {
      if (a.has("classifier")) scorer = classifierScorer(a.get("classifier"), *flow);
    } else {
      if (a.has("classifier")) throw UsageError("--classifier: for image runs; this run's data are 2D points");
      data = makeDataset(flow->config().data);
      if (runSpec.metrics) {
        const Dataset2D* d = data.get();
        scorer = [d, runSpec](const torch::Tensor& x) {
          at::Generator metricGen = makeGenerator(runSpec.seed + 2);  // same reference draw every row
          return sampleQuality(x, *d, runSpec.referenceCount, metricGen);
        };
      }
    }
    int solves = 0;
    const SweepResult r = asUsage([&] {
      return runSweep(*flow, scorer, runSpec, [&](int done, int total) {
        solves = total;
        if (tty) std::fprintf(stderr, "\r%s: %d/%d solves", flow->config().name.c_str(), done, total);
      });
    });
    if (tty) std::fprintf(stderr, "\n");
    else std::fprintf(stderr, "%s: %d solves\n", flow->config().name.c_str(), solves);
    results.emplace_back(flow->config().name, r);
  }
  writeFileAtomic(a.get("out"), sweepCsv(results));
  std::printf("wrote %s (%zu runs)\n", a.get("out").c_str(), results.size());
  return 0;
}

}  // namespace flowscope::cli
