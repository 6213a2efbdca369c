// flowscope-cli sample: solves the ODE of a trained run from Gaussian noise and writes the samples
// (or the states at several times) as .npy, and for image runs a PNG grid of them.

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "CliOptions.h"
#include "Commands.h"
#include "core/eval/ChunkedSampling.h"
#include "core/images/ImageGrid.h"
#include "core/images/PngEncoder.h"
#include "core/io/NpyFileWriter.h"
#include "core/solvers/OdeSolver.h"
#include "core/train/TrainedFlow.h"
#include "core/util/ArgParser.h"
#include "core/util/Device.h"
#include "core/util/Error.h"

namespace flowscope::cli {

int runSample(const std::vector<std::string>& args) {
  ArgParser parser(
      "flowscope-cli sample --run RUN_DIR [--checkpoint latest|STEP] [--no-ema] --n N\n"
      "       [--solver NAME] [--steps K] [--atol A --rtol R]\n"
      "       [--times t0,t1,...] [--seed S] [--chunk C] [--device cpu|cuda] --out FILE.npy\n"
      "       [--grid FILE.png [--columns K] [--scale S]] [--label K|cycle] [--guidance W]",
      "Draws x0 ~ N(0, I) from --seed and integrates dx/dt = v_t(x) from t = 0 (noise) to t = 1\n"
      "(data), writing float32 [N, 2] for 2D runs and [N, C, H, W] for image runs, with a leading\n"
      "[T] axis with --times. Prints the NFE used. Image runs also write --grid: the samples (at the\n"
      "last time) as one PNG at native pixels, --scale x by nearest-neighbour.\n"
      "Class-conditional runs sample --label K (all), 'cycle' (sample i gets class i mod classes)\n"
      "or, without --label, the unconditional field; --guidance sets the classifier-free guidance\n"
      "scale w (sampling.guidance).\n"
      "Solves C points at a time and writes each chunk to the file as it is done, so memory is\n"
      "bounded by C and N only by the disk; fixed-step results do not depend on C, dopri5 picks\n"
      "its steps per chunk.\n"
      "On the vp path t stops at 1 - eps (Appendix E.1); later times are clamped.");
  parser.option("run", "RUN_DIR", "run folder", "", true)
      .option("checkpoint", "latest|STEP", "which checkpoint", "latest")
      .flag("no-ema", "use the raw weights instead of the EMA");
  addCountOption(parser, "number of samples", "", true);
  addSolverOptions(parser, false);
  parser.numberList("times", "T0,T1,...", "also return the states at these times",
                    ValueRange::closed(0, 1));
  addSeedOption(parser, "seed of the noise x0");
  addChunkOption(parser, "points solved and written at a time");
  addDeviceOption(parser);
  addThreadsOption(parser);
  parser.option("out", "FILE.npy", "output file", "", true);
  parser.option("grid", "FILE.png", "image runs: also a PNG grid of the samples");
  parser.integer("columns", "K", "images per grid row (default: about sqrt(N))", ValueRange::closed(1, 4096));
  parser.integer("scale", "S", "grid pixels per image pixel (nearest-neighbour)", ValueRange::closed(1, 64), "1");
  parser.option("label", "K|cycle", "class-conditional runs: the class of every sample, or cycle");
  parser.number("guidance", "W", "classifier-free guidance scale (sampling.guidance)",
                ValueRange::closed(0, 100));
  const ParsedArgs a = parser.parse(args);
  if (a.has("help")) {
    std::fputs(parser.help().c_str(), stdout);
    return 0;
  }
  configureThreads(static_cast<int>(a.getInt("threads")));
  const int64_t n = a.getInt("n");
  const int64_t seed = a.getInt("seed");
  const std::string out = a.get("out");
  if (std::filesystem::path(out).extension() != ".npy")
    throw UsageError("--out: '" + out + "' (expected a file name ending in .npy)");

  const auto flow = TrainedFlow::load(a.get("run"), a.get("checkpoint"), !a.has("no-ema"),
                                      a.get("device"));
  SolveOptions options = flow->defaultSolveOptions();
  // The parser has checked the choice and the ranges (sampling.*'s, core/config/ConfigSchema.cpp).
  if (a.has("solver")) options.method = parseSolverMethod(a.get("solver"), "--solver");
  if (a.has("steps")) options.steps = static_cast<int>(a.getInt("steps"));
  if (a.has("atol")) options.atol = a.getDouble("atol");
  if (a.has("rtol")) options.rtol = a.getDouble("rtol");
  if (a.has("times")) {
    for (double t : a.getDoubleList("times")) {
      if (!options.times.empty() && flow->clampTime(t) < options.times.back())
        throw UsageError("--times: expected increasing times");
      options.times.push_back(flow->clampTime(t));
    }
  }

  const std::vector<int64_t> sampleShape = flow->sampleShape();
  const bool images = sampleShape.size() == 3;
  if (a.has("grid") && !images)
    throw UsageError("--grid: this run's data are 2D points, not images");
  if (a.has("grid") && std::filesystem::path(a.get("grid")).extension() != ".png")
    throw UsageError("--grid: '" + a.get("grid") + "' (expected a file name ending in .png)");
  ClassCondition condition;
  condition.guidance = a.has("guidance") ? a.getDouble("guidance") : flow->config().sampling.guidance;
  if (a.has("label")) {
    const int64_t classes = flow->classes();
    if (classes <= 0)
      throw UsageError("--label: this run's network is unconditional (model.classes 0)");
    const std::string label = a.get("label");
    if (label == "cycle") {
      condition.labels = torch::arange(n, torch::kLong).remainder(classes);
    } else {
      char* end = nullptr;
      const long long k = std::strtoll(label.c_str(), &end, 10);
      if (label.empty() || *end != '\0' || k < 0 || k >= classes)
        throw UsageError("--label: '" + label + "' (expected cycle or a class in 0.." +
                         std::to_string(classes - 1) + ")");
      condition.labels = torch::full({n}, static_cast<int64_t>(k), torch::kLong);
    }
  } else if (a.has("guidance")) {
    throw UsageError("--guidance: needs --label (guidance mixes the class field with the null class)");
  }

  torch::NoGradGuard noGrad;
  const std::vector<double>& times = options.times;
  const int64_t frames = times.empty() ? 1 : static_cast<int64_t>(times.size());
  const int64_t dim = flow->dim();
  std::vector<int64_t> shape{n};
  shape.insert(shape.end(), sampleShape.begin(), sampleShape.end());
  if (!times.empty()) shape.insert(shape.begin(), frames);
  NpyFileWriter file(out, shape, NpyDtype::F32);
  // The grid keeps the last frame of every sample (images are small next to the .npy).
  std::vector<float> last(images && a.has("grid") ? static_cast<size_t>(n * dim) : 0);
  const ChunkedSolveSummary result =
      sampleInChunks(*flow, n, static_cast<uint64_t>(seed), options, a.getInt("chunk"),
                     [&](int64_t first, const SolveResult& r) {
                       if (!r.completed) throw SolverError("--solver: " + r.message);
                       for (int64_t f = 0; f < frames; ++f) {
                         const torch::Tensor state =
                             (times.empty() ? r.final() : r.states[static_cast<size_t>(f)])
                                 .to(torch::kCPU, torch::kFloat32).contiguous();
                         file.write((f * n + first) * dim, state.data_ptr<float>(), state.numel());
                         if (f + 1 == frames && !last.empty())
                           std::copy_n(state.data_ptr<float>(), state.numel(), last.data() + first * dim);
                       }
                     },
                     condition);
  file.commit();
  if (!last.empty()) {
    GridLayout layout;
    layout.columns = a.has("columns") ? a.getInt("columns")
                                      : static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(n))));
    layout.scale = a.getInt("scale");
    const Image grid = tileImages(last.data(), n, sampleShape[0], sampleShape[1], sampleShape[2], layout);
    writePngAtomic(a.get("grid"), grid);
    std::printf("wrote %s (%lld x %lld pixels)\n", a.get("grid").c_str(),
                static_cast<long long>(grid.width), static_cast<long long>(grid.height));
  }

  std::string dims;
  for (auto d : shape) dims += (dims.empty() ? "" : ", ") + std::to_string(d);
  const std::string chunks = result.chunks > 1 ? ", summed over " + std::to_string(result.chunks) + " chunks" : "";
  std::printf("nfe %lld (accepted %lld, rejected %lld%s) solver %s, step %lld%s: wrote %s [%s]\n",
              static_cast<long long>(result.nfe), static_cast<long long>(result.acceptedSteps),
              static_cast<long long>(result.rejectedSteps),
              chunks.c_str(),
              solverMethodName(options.method).c_str(), static_cast<long long>(flow->step()),
              a.has("no-ema") ? "" : " (EMA)", out.c_str(), dims.c_str());
  return 0;
}

}  // namespace flowscope::cli
