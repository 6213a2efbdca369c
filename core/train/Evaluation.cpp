#include "core/train/Evaluation.h"

#include <chrono>
#include <cstdio>
#include <iterator>
#include <memory>

#include "core/data/Dataset2D.h"
#include "core/data/ImageDatasets.h"
#include "core/likelihood/BitsPerDim.h"
#include "core/likelihood/Likelihood.h"
#include "core/metrics/ClassifierFile.h"
#include "core/metrics/ClassifierScores.h"
#include "core/metrics/SampleMetrics.h"
#include "core/solvers/OdeSolver.h"
#include "core/train/TrainedFlow.h"
#include "core/train/TrainerState.h"
#include "core/util/Random.h"

namespace flowscope {
namespace {

// Fixed seeds: every evaluation of a run (and of runs compared side by side) sees the same noise
// and the same held-out data, so the curves show the model changing, not the draw.
constexpr uint64_t kEvalNoiseSeed = 0x5eed;
constexpr uint64_t kEvalDataSeed = 0xda7a;
// The classifier metrics an image evaluation records (of classifierMetrics' keys).
constexpr const char* kClassifierColumns[] = {"classifier_fd", "classifier_confident", "classifier_label_entropy"};

/// Image runs (Figure 10): the NFE of the config's solver from fixed noise; with
/// evaluation.classifier the classifier FD and confidence of those samples; with
/// evaluation.likelihood the BPD of the first n_samples test images (eq. 37, K = 1, one
/// Hutchinson probe, dopri5 1e-5: Table 4's protocol at a cost a training run can afford).
TrainerHooks imageEvaluationHooks(const ExperimentConfig& config) {
  TrainerHooks hooks;
  hooks.evalColumns = {"nfe", "eval_s"};
  // Loaded once, here: a wrong file stops the run before its first step, not at step `every`.
  std::shared_ptr<ClassifierRecord> clf;
  if (!config.evaluation.classifier.empty()) {
    clf = std::make_shared<ClassifierRecord>(
        loadClassifierFor(config.evaluation.classifier, config.data.name, imageShape(config.data)));
    hooks.evalColumns.insert(hooks.evalColumns.end(), std::begin(kClassifierColumns), std::end(kClassifierColumns));
  }
  std::shared_ptr<torch::Tensor> testPixels;  // uint8 [n, D], read at the first evaluation
  if (config.evaluation.likelihood) {
    testPixels = std::make_shared<torch::Tensor>();
    hooks.evalColumns.push_back("bpd");
  }
  hooks.evaluate = [clf, testPixels](Trainer& trainer) {
    const auto start = std::chrono::steady_clock::now();
    Trainer::State& s = trainer.state();
    s.emaModel->eval();
    const TrainedFlow flow(s.config, s.objective, s.emaModel, s.step);
    const int64_t n = s.config.evaluation.n_samples;
    EvalValues values;
    {
      torch::NoGradGuard noGrad;
      const SolveResult result = solve(flow.velocity(), flow.sampleNoise(n, kEvalNoiseSeed), flow.defaultSolveOptions());
      values["nfe"] = static_cast<double>(result.nfe);
      if (clf) {
        const auto m = classifierMetrics(*clf, asEightBitImages(result.final().cpu(), flow.sampleShape()));
        for (const char* k : kClassifierColumns) values[k] = m.at(k);
      }
    }
    if (testPixels) {
      if (!testPixels->defined()) {
        const ImageSet test = loadImageSet(s.config.data, "test");
        const int64_t count = std::min<int64_t>(n, test.count);
        *testPixels = torch::from_blob(const_cast<uint8_t*>(test.pixels.data()), {count, flow.dim()}, torch::kUInt8)
                          .clone();
      }
      LikelihoodOptions lo;
      lo.exact = false;
      lo.probes = 1;
      lo.seed = kEvalDataSeed;
      at::Generator gen = makeGenerator(kEvalDataSeed + 2);
      values["bpd"] = bitsPerDim([&](const torch::Tensor& y) { return logLikelihood(flow, y, 1.0, lo).logp; },
                                 *testPixels, 1, gen)
                          .meanBpd;
    }
    values["eval_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return values;
  };
  return hooks;
}

}  // namespace

TrainerHooks evaluationHooks(const ExperimentConfig& config) {
  TrainerHooks hooks;
  if (config.evaluation.every <= 0) return hooks;
  if (isImageDataset(config.data.name)) return imageEvaluationHooks(config);
  const auto probe = makeDataset(config.data);
  hooks.evalColumns = {"nfe", "eval_s", "sliced_w2", "energy", "kl_hist", "js_hist"};
  if (probe->hasLogDensity()) {
    hooks.evalColumns.push_back("sample_nll");
    hooks.evalColumns.push_back("off_support");
  }
  if (probe->name() == "checkerboard") hooks.evalColumns.push_back("frac_black");
  if (config.evaluation.likelihood) hooks.evalColumns.push_back("nll");

  hooks.evaluate = [](Trainer& trainer) {
    const auto start = std::chrono::steady_clock::now();
    Trainer::State& s = trainer.state();
    s.emaModel->eval();
    const TrainedFlow flow(s.config, s.objective, s.emaModel, s.step);
    const int64_t n = s.config.evaluation.n_samples;
    EvalValues values;
    {
      torch::NoGradGuard noGrad;
      const SolveResult result =
          solve(flow.velocity(), flow.sampleNoise(n, kEvalNoiseSeed), flow.defaultSolveOptions());
      values["nfe"] = static_cast<double>(result.nfe);
      at::Generator gen = makeGenerator(kEvalDataSeed);
      for (const auto& [k, v] : sampleQuality(result.final().cpu(), *s.data->target2D(), n, gen)) values[k] = v;
    }
    if (s.config.evaluation.likelihood) {
      // Model NLL of held-out data (fresh draws from q), exact divergence, dopri5 1e-5.
      at::Generator gen = makeGenerator(kEvalDataSeed + 1);
      const torch::Tensor heldOut = s.data->target2D()->sample(n, gen);
      values["nll"] = -logLikelihood(flow, heldOut, 1.0, LikelihoodOptions{}).logp.mean().item<double>();
    }
    values["eval_s"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return values;
  };
  return hooks;
}

std::string formatEvalValues(const EvalValues& values) {
  std::string out;
  char buffer[64];
  for (const auto& [key, value] : values) {
    std::snprintf(buffer, sizeof buffer, " %s %.4g", key.c_str(), value);
    out += buffer;
  }
  return out;
}

}  // namespace flowscope
