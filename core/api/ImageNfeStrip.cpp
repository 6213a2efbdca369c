// The NFE strip of the image views (Figures 16-17; core/api/ImageQueries.h): the same noise at
// growing NFE, each image against a high-accuracy solve from that noise.

#include <algorithm>

#include "core/api/ImageQueries.h"
#include "core/solvers/SolverMethod.h"
#include "core/util/Error.h"

namespace flowscope {

ImageNfeStrip computeImageNfeStrip(const FlowModel& model, const ImageNoise& noise, const std::string& solver,
                                   const std::vector<int>& nfes, const SolverSpec& referenceSolver,
                                   double adaptiveTol, const std::function<void(const ImageNfeStrip&)>& partial,
                                   const std::atomic<bool>* cancel) {
  if (!isImageData(model.config().data))
    throw InputError("NFE strip: run '" + model.runDir() + "' (data.name " + model.config().data.name +
                     ") is not an image run");
  const SolverMethod method = parseSolverMethod(solver, "solver");
  if (solverInfo(method).adaptive) throw InputError("NFE strip: solver must be a fixed-step method, got dopri5");
  if (nfes.empty()) throw InputError("NFE strip: give at least one NFE");
  for (int n : nfes)
    if (n < 1 || n > 100000) throw InputError("NFE strip: NFE must be in [1, 100000], got " + std::to_string(n));
  if (adaptiveTol > 0) checkTolerances(adaptiveTol, adaptiveTol, "tolerance", "tolerance");

  ImageNfeStrip strip;
  strip.modelId = model.id();
  strip.solver = solver;
  strip.reference = sampleImages(model, noise, referenceSolver, cancel);
  if (strip.reference.count == 0) return strip;  // cancelled
  strip.referenceLabel = referenceSolver.solver +
                         (referenceSolver.solver == "dopri5" ? " " + std::to_string(referenceSolver.atol)
                                                             : " " + std::to_string(referenceSolver.steps)) +
                         " (" + std::to_string(strip.reference.nfe) + " NFE)";
  const int64_t size = strip.reference.shape.size();
  auto mses = [&](const ImageBatch& b) {
    std::vector<double> m;
    for (int64_t i = 0; i < b.count; ++i) m.push_back(imageMse(b.image(i), strip.reference.image(i), size));
    return m;
  };
  const int stages = solverInfo(method).stages;
  for (int budget : nfes) {
    ImageBatch b = sampleImages(model, noise, {solver, std::max(1, budget / stages)}, cancel);
    if (b.count == 0) return strip;
    strip.nfe.push_back(b.nfe);
    strip.mse.push_back(mses(b));
    double mean = 0;
    for (double v : strip.mse.back()) mean += v;
    strip.meanMse.push_back(mean / static_cast<double>(b.count));
    strip.columns.push_back(std::move(b));
    if (partial) partial(strip);
  }
  if (adaptiveTol > 0) {
    strip.adaptive = sampleImages(model, noise, {"dopri5", 0, adaptiveTol, adaptiveTol}, cancel);
    if (strip.adaptive.count == 0) return strip;
    strip.adaptiveMse = mses(strip.adaptive);
  }
  strip.complete = true;
  return strip;
}

}  // namespace flowscope
