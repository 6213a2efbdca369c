#include "core/eval/NfeSweep.h"

#include <torch/torch.h>

#include <chrono>
#include <iomanip>
#include <set>
#include <sstream>

#include "core/data/Dataset2D.h"
#include "core/io/Csv.h"
#include "core/metrics/ClassifierFile.h"
#include "core/metrics/ClassifierScores.h"
#include "core/metrics/SampleMetrics.h"
#include <memory>
#include "core/solvers/OdeSolver.h"
#include "core/train/TrainedFlow.h"
#include "core/util/Error.h"
#include "core/util/Random.h"

namespace flowscope {
namespace {

SolveOptions referenceOptions(const std::string& spec, SolveOptions base) {
  const SweepReference ref = parseSweepReference(spec);
  base.method = parseSolverMethod(ref.solver, "reference");
  if (base.method == SolverMethod::Dopri5) base.atol = base.rtol = ref.tolerance;
  else base.steps = ref.steps;
  return base;
}

}  // namespace

SampleScorer classifierScorer(const std::string& path, const TrainedFlow& flow) {
  const std::vector<int64_t> shape = flow.sampleShape();
  auto clf = std::make_shared<ClassifierRecord>(loadClassifierFor(path, flow.config().data.name, shape));
  return [clf, shape](const torch::Tensor& x) { return classifierMetrics(*clf, asEightBitImages(x, shape)); };
}

SweepResult runSweep(const TrainedFlow& flow, const Dataset2D* data, const SweepSpec& spec,
                     const std::function<void(int, int)>& progress,
                     const std::atomic<bool>* cancel) {
  SampleScorer scorer;
  if (spec.metrics && data)
    scorer = [&](const torch::Tensor& samples) {
      at::Generator metricGen = makeGenerator(spec.seed + 2);  // same reference draw every row
      return sampleQuality(samples, *data, spec.referenceCount, metricGen);
    };
  return runSweep(flow, scorer, spec, progress, cancel);
}

SweepResult runSweep(const TrainedFlow& flow, const SampleScorer& scorer, const SweepSpec& spec,
                     const std::function<void(int, int)>& progress,
                     const std::atomic<bool>* cancel) {
  if (spec.n < 1) throw InputError("sweep: n must be >= 1");
  std::vector<SolveOptions> runs;
  const SolveOptions base = flow.defaultSolveOptions();
  for (const auto& name : spec.solvers) {
    const SolverMethod m = parseSolverMethod(name, "sweep solvers");
    if (m == SolverMethod::Dopri5)
      throw InputError("sweep solvers: dopri5 is swept over tolerances, not steps");
    for (int k : spec.steps) {
      if (k < 1) throw InputError("sweep steps: " + std::to_string(k) + " (expected >= 1)");
      SolveOptions o = base;
      o.method = m;
      o.steps = k;
      runs.push_back(o);
    }
  }
  for (double tol : spec.tolerances) {
    checkTolerances(tol, tol, "sweep tolerances", "sweep tolerances");
    SolveOptions o = base;
    o.method = SolverMethod::Dopri5;
    o.atol = o.rtol = tol;
    runs.push_back(o);
  }

  torch::NoGradGuard noGrad;
  const torch::Tensor x0 = flow.sampleNoise(spec.n, spec.seed);
  const VelocityFn v = flow.velocity();
  SweepResult result;
  const SolveResult ref = solve(v, x0, referenceOptions(spec.reference, base));
  result.referenceNfe = ref.nfe;
  const torch::Tensor xRef = ref.final();
  const bool images = flow.sampleShape().size() == 3;
  const int total = static_cast<int>(runs.size());
  for (int i = 0; i < total; ++i) {
    if (cancel && cancel->load()) {
      result.completed = false;
      break;
    }
    const SolveOptions& o = runs[static_cast<size_t>(i)];
    SweepRow row;
    row.solver = solverMethodName(o.method);
    row.steps = o.method == SolverMethod::Dopri5 ? 0 : o.steps;
    row.tolerance = o.method == SolverMethod::Dopri5 ? o.atol : 0;
    const auto start = std::chrono::steady_clock::now();
    SolveOptions tolerant = o;
    tolerant.returnPartialOnFailure = true;
    const SolveResult r = solve(v, x0, tolerant);
    row.wallMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    row.nfe = r.nfe;
    if (r.completed) {
      row.numericalError = (r.final() - xRef).square().sum(1).mean().item<double>();
      if (spec.metrics && scorer) row.metrics = scorer(r.final().cpu());
      if (images) row.metrics["mse_per_pixel"] = row.numericalError / static_cast<double>(flow.dim());
    } else {
      row.numericalError = std::numeric_limits<double>::quiet_NaN();
    }
    result.rows.push_back(std::move(row));
    if (progress) progress(i + 1, total);
  }
  return result;
}

}  // namespace flowscope
