// Image paths, samples and noise interpolation for the image views (core/api/ImageQueries.h).

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>

#include "core/api/FrameInterpolation.h"
#include "core/api/ImageQueries.h"
#include "core/api/SolverOptions.h"
#include "core/data/ImageDatasets.h"
#include "core/images/ImageGrid.h"
#include "core/images/Preprocess.h"
#include "core/solvers/OdeSolver.h"
#include "core/train/TrainedFlow.h"
#include "core/util/Error.h"
#include "core/util/Random.h"

namespace flowscope {

bool isImageData(const DataConfig& data) { return isImageDataset(data.name); }

ImageShape imageShapeOf(const DataConfig& data) {
  const std::vector<int64_t> s = imageShape(data);
  return {s[0], s[1], s[2]};
}

std::vector<std::string> imageClassNames(const DataConfig& data) {
  if (data.name == "fashion_mnist")
    return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
  if (data.name == "cifar10")
    return {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};
  std::vector<std::string> names;
  int64_t n = 0;
  try {
    n = imageClasses(data);
  } catch (const std::exception&) {
    n = 0;  // an image folder that is not there: no class list to offer
  }
  for (int64_t k = 0; k < n; ++k) names.push_back(data.name == "mnist" ? std::to_string(k) : "class " + std::to_string(k));
  return names;
}

int64_t modelClasses(const FlowModel& model) { return model.flow().classes(); }

DatasetPage datasetPage(const DataConfig& data, const std::string& split, int64_t first, int64_t count,
                        int64_t classFilter) {
  if (first < 0 || count < 1 || count > 4096)
    throw InputError("data browser: first must be >= 0 and count in [1, 4096]");
  // Paging through one split reads its files once: the newest set is kept (one dataset at a time).
  static std::mutex mutex;
  static std::string cachedKey;
  static std::shared_ptr<const ImageSet> cached;
  const std::string key = data.name + '\n' + data.root + '\n' + split + '\n' + std::to_string(data.limit) + '\n' +
                          std::to_string(data.image_size) + '\n' + data.resize_filter + '\n' +
                          std::to_string(data.class_subfolders);
  std::shared_ptr<const ImageSet> loaded;
  {
    const std::lock_guard<std::mutex> lock(mutex);
    if (key == cachedKey) loaded = cached;
  }
  if (!loaded) {
    loaded = std::make_shared<const ImageSet>(loadImageSet(data, split));
    const std::lock_guard<std::mutex> lock(mutex);
    cachedKey = key;
    cached = loaded;
  }
  const ImageSet& set = *loaded;
  DatasetPage page;
  page.source = set.source;
  page.images.shape = {set.channels, set.height, set.width};
  const size_t bytes = set.imageBytes();
  for (int64_t i = 0; i < set.count; ++i) {
    const bool labelled = !set.labels.empty();
    if (classFilter >= 0 && (!labelled || set.labels[static_cast<size_t>(i)] != classFilter)) continue;
    const int64_t index = page.total++;
    if (index < first || index >= first + count) continue;
    const size_t at = page.images.pixels.size();
    page.images.pixels.resize(at + bytes);
    pixelsToCentered(set.image(i), bytes, page.images.pixels.data() + at);
    if (labelled) page.labels.push_back(set.labels[static_cast<size_t>(i)]);
    ++page.images.count;
  }
  return page;
}

uint8_t imageByte(float value) { return byteOfValue(value); }

double imageMse(const float* a, const float* b, int64_t size) {
  double s = 0;
  for (int64_t i = 0; i < size; ++i) {
    const double d = static_cast<double>(a[i]) - b[i];
    s += d * d;
  }
  return size > 0 ? s / static_cast<double>(size) : 0.0;
}

const float* ImagePath::at(size_t k, int64_t i, ImageKind kind) const {
  const std::vector<float>& v = kind == ImageKind::Predicted ? predicted : states;
  return v.data() + k * static_cast<size_t>(frameSize()) + static_cast<size_t>(i * shape.size());
}

void ImagePath::framesAt(double t, ImageKind kind, std::vector<float>& out) const {
  interpolateFrames(times, kind == ImageKind::Predicted ? predicted : states, static_cast<size_t>(frameSize()), t, out);
}

namespace {

void checkImageModel(const FlowModel& model, const char* what) {
  if (model.flow().sampleShape().size() != 3)
    throw InputError(std::string(what) + ": run '" + model.runDir() + "' (data.name " +
                     model.config().data.name + ") is not an image run");
}

/// The class condition of `noise` for its count (labels expanded, checked against the model).
ClassCondition condition(const TrainedFlow& flow, const ImageNoise& noise) {
  ClassCondition c;
  c.guidance = noise.guidance;
  if (noise.labels.empty()) return c;
  if (flow.classes() == 0)
    throw InputError("labels: this run's model is unconditional (train with model.classes > 0)");
  if (noise.labels.size() != 1 && static_cast<int64_t>(noise.labels.size()) != noise.count)
    throw InputError("labels: give one label or one per sample (" + std::to_string(noise.count) + ")");
  for (int64_t l : noise.labels)
    if (l < 0 || l >= flow.classes())
      throw InputError("labels: class " + std::to_string(l) + " is not in [0, " +
                       std::to_string(flow.classes() - 1) + "]");
  c.labels = noise.labels.size() == 1 ? torch::full({noise.count}, noise.labels[0], torch::kLong)
                                      : torch::tensor(noise.labels, torch::kLong);
  c.labels = c.labels.to(flow.device());
  return c;
}

void checkCount(int64_t n) {
  if (n < 1 || n > 4096) throw InputError("images: count must be in [1, 4096], got " + std::to_string(n));
}

void copyOut(const torch::Tensor& x, std::vector<float>& out) {
  const torch::Tensor c = x.to(torch::kCPU, torch::kFloat32).contiguous();
  out.insert(out.end(), c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

}  // namespace

ImagePath computeImagePath(const FlowModel& model, const ImageNoise& noise, int timeCount,
                           const SolverSpec& solver, bool predictData, const std::atomic<bool>* cancel) {
  checkImageModel(model, "image path");
  checkCount(noise.count);
  if (timeCount < 2 || timeCount > 1001) throw InputError("image path: times must be in [2, 1001]");
  torch::NoGradGuard noGrad;  // grad mode is thread-local: set on the calling worker thread
  const TrainedFlow& flow = model.flow();
  SolveOptions o = solveOptionsFor(flow, solver, cancel);
  for (int k = 0; k < timeCount; ++k)
    o.times.push_back(flow.tMin() + (flow.tMax() - flow.tMin()) * k / (timeCount - 1));
  o.times.back() = flow.tMax();

  const ClassCondition cond = condition(flow, noise);
  ImagePath path;
  path.modelId = model.id();
  path.step = model.step();
  path.shape = imageShapeOf(model.config().data);
  path.count = noise.count;
  path.times = o.times;
  const SolveResult r = solve(flow.velocity(cond), flow.sampleNoise(noise.count, noise.seed), o);
  if (!r.completed) return path;
  path.nfe = r.nfe;
  path.states.reserve(static_cast<size_t>(path.frameSize()) * r.states.size());
  for (const torch::Tensor& s : r.states) copyOut(s, path.states);
  if (predictData) {
    path.predicted.reserve(path.states.size());
    for (size_t k = 0; k < r.states.size(); ++k) {
      if (cancel && cancel->load()) return path;
      const torch::Tensor t = torch::full({noise.count, 1}, r.times[k], r.states[k].options());
      copyOut(flow.predictedData(r.states[k], t, cond), path.predicted);
    }
  }
  path.complete = true;
  return path;
}

ImageBatch sampleImages(const FlowModel& model, const ImageNoise& noise, const SolverSpec& solver,
                        const std::atomic<bool>* cancel) {
  checkImageModel(model, "image samples");
  checkCount(noise.count);
  torch::NoGradGuard noGrad;
  const TrainedFlow& flow = model.flow();
  const SolveResult r = solve(flow.velocity(condition(flow, noise)), flow.sampleNoise(noise.count, noise.seed),
                              solveOptionsFor(flow, solver, cancel));
  ImageBatch b;
  b.shape = imageShapeOf(model.config().data);
  if (!r.completed) return b;
  b.count = noise.count;
  b.nfe = r.nfe;
  copyOut(r.final(), b.pixels);
  return b;
}

ImageBatch interpolateNoise(const FlowModel& model, uint64_t seed, int64_t from, int64_t to, int steps,
                            const SolverSpec& solver, const std::atomic<bool>* cancel) {
  checkImageModel(model, "noise interpolation");
  if (from < 0 || to < 0 || from > 4095 || to > 4095 || steps < 2 || steps > 256)
    throw InputError("noise interpolation: samples must be in [0, 4095] and steps in [2, 256]");
  torch::NoGradGuard noGrad;
  const TrainedFlow& flow = model.flow();
  const torch::Tensor x0 = flow.sampleNoise(std::max(from, to) + 1, seed);
  const torch::Tensor a = x0[from], b = x0[to];
  // slerp(a, b; s) = sin((1-s) w)/sin w a + sin(s w)/sin w b, w the angle between a and b.
  const double cosw = std::clamp((a.dot(b) / (a.norm() * b.norm())).item<double>(), -1.0, 1.0);
  const double w = std::acos(cosw);
  std::vector<torch::Tensor> rows;
  for (int k = 0; k < steps; ++k) {
    const double s = static_cast<double>(k) / (steps - 1);
    if (w < 1e-6) {
      rows.push_back(a * (1 - s) + b * s);
    } else {
      rows.push_back(a * (std::sin((1 - s) * w) / std::sin(w)) + b * (std::sin(s * w) / std::sin(w)));
    }
  }
  const SolveResult r = solve(flow.velocity(), torch::stack(rows), solveOptionsFor(flow, solver, cancel));
  ImageBatch batch;
  batch.shape = imageShapeOf(model.config().data);
  if (!r.completed) return batch;
  batch.count = steps;
  batch.nfe = r.nfe;
  copyOut(r.final(), batch.pixels);
  return batch;
}

}  // namespace flowscope
