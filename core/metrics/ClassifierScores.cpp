#include "core/metrics/ClassifierScores.h"

#include <torch/torch.h>

#include <cmath>

#include "core/images/ImageGrid.h"
#include "core/images/Preprocess.h"
#include "core/metrics/ClassifierFile.h"
#include "core/util/Error.h"

namespace flowscope {

ClassifierScores scoreImages(FeatureClassifier& net, const torch::Tensor& images, const torch::Tensor& labels,
                             int64_t batchSize, double confidenceThreshold) {
  if (images.dim() != 4 || images.size(0) < 2)
    throw InputError("classifier scores: images of shape " + c10::str(images.sizes()) + " (expected [N >= 2, C, H, W])");
  if (labels.defined() && (labels.dim() != 1 || labels.size(0) != images.size(0)))
    throw InputError("classifier scores: " + c10::str(labels.sizes()) + " labels for " +
                     std::to_string(images.size(0)) + " images");
  torch::NoGradGuard noGrad;
  const bool wasTraining = net->is_training();
  net->eval();
  const int64_t n = images.size(0), classes = net->options().classes;
  FeatureStatsAccumulator acc(net->options().widths.back());
  ClassifierScores s;
  s.classCounts.assign(static_cast<size_t>(classes), 0);
  double sumMax = 0;
  int64_t confident = 0, correct = 0;
  for (int64_t start = 0; start < n; start += batchSize) {
    const int64_t len = std::min(batchSize, n - start);
    const torch::Tensor x = images.narrow(0, start, len).to(torch::kFloat32);
    const torch::Tensor f = net->features(x);
    acc.add(f);
    const torch::Tensor p = torch::softmax(net->logitsOf(f), 1);
    const auto [top, arg] = p.max(1);
    sumMax += top.sum().item<double>();
    confident += (top >= confidenceThreshold).sum().item<int64_t>();
    const auto counts = torch::bincount(arg, {}, classes);
    for (int64_t c = 0; c < classes; ++c) s.classCounts[static_cast<size_t>(c)] += counts[c].item<int64_t>();
    if (labels.defined()) correct += (arg == labels.narrow(0, start, len)).sum().item<int64_t>();
  }
  if (wasTraining) net->train();
  s.features = acc.stats();
  s.meanMaxProbability = sumMax / static_cast<double>(n);
  s.confidentShare = static_cast<double>(confident) / static_cast<double>(n);
  if (labels.defined()) s.accuracy = static_cast<double>(correct) / static_cast<double>(n);
  for (int64_t c : s.classCounts) {
    if (c == 0) continue;
    const double q = static_cast<double>(c) / static_cast<double>(n);
    s.labelEntropy -= q * std::log(q);
  }
  return s;
}

torch::Tensor asEightBitImages(const torch::Tensor& samples, const std::vector<int64_t>& shape) {
  if (shape.size() != 3) throw InputError("8-bit images: expected a C x H x W shape");
  const int64_t d = shape[0] * shape[1] * shape[2];
  const torch::Tensor x = samples.to(torch::kCPU, torch::kFloat32).contiguous().reshape({-1, d});
  std::vector<uint8_t> pixels(static_cast<size_t>(x.numel()));
  const float* v = x.data_ptr<float>();
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = byteOfValue(v[i]);
  torch::Tensor out = torch::empty({x.size(0), shape[0], shape[1], shape[2]}, torch::kFloat32);
  pixelsToCentered(pixels.data(), pixels.size(), out.data_ptr<float>());
  return out;
}

std::map<std::string, double> classifierMetrics(ClassifierRecord& record, const torch::Tensor& images) {
  const ClassifierScores s = scoreImages(record.net, images);
  return {{"classifier_fd", frechetDistance(s.features, record.reference)},
          {"classifier_confident", s.confidentShare},
          {"classifier_mean_max_prob", s.meanMaxProbability},
          {"classifier_label_entropy", s.labelEntropy}};
}

}  // namespace flowscope
