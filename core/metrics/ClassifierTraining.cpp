#include "core/metrics/ClassifierTraining.h"

#include <torch/torch.h>

#include <cmath>

#include "core/data/ImageLoader.h"
#include "core/images/Preprocess.h"
#include "core/metrics/ClassifierScores.h"
#include "core/util/Error.h"

namespace flowscope {

std::pair<torch::Tensor, torch::Tensor> centeredImages(const ImageSet& set) {
  torch::Tensor x = torch::empty({set.count, set.channels, set.height, set.width}, torch::kFloat32);
  pixelsToCentered(set.pixels.data(), set.pixels.size(), x.data_ptr<float>());
  torch::Tensor y;
  if (!set.labels.empty()) y = torch::tensor(set.labels, torch::kInt64);
  return {x, y};
}

ClassifierRecord trainFeatureClassifier(std::shared_ptr<const ImageSet> train, const ImageSet& test,
                                        const ClassifierTrainingOptions& options,
                                        const std::function<void(const ClassifierProgress&)>& progress) {
  if (!train || train->labels.empty() || train->classes < 2)
    throw InputError("train-classifier: " + (train ? train->source : std::string("no data")) +
                     " has no class labels (expected a labelled dataset)");
  if (test.labels.empty() || test.channels != train->channels || test.height != train->height ||
      test.width != train->width || test.classes != train->classes)
    throw InputError("train-classifier: the test split " + test.source +
                     " does not match the training split's shape and classes");
  if (options.epochs < 1 || options.batchSize < 1 || !(options.learningRate > 0))
    throw InputError("train-classifier: epochs, batch size and learning rate must be positive");
  torch::manual_seed(options.seed);
  FeatureClassifierOptions co;
  co.channels = train->channels;
  co.height = train->height;
  co.width = train->width;
  co.classes = train->classes;
  co.widths = options.widths;
  FeatureClassifier net(co);

  ImageLoaderOptions lo;
  lo.batchSize = std::min<int64_t>(options.batchSize, train->count);
  lo.seed = options.seed ^ 0xc1a55f1e5ull;
  lo.threads = options.loaderThreads;
  lo.preprocess.dequantize = true;
  lo.preprocess.randomFlip = options.flip;
  ImageLoader loader(train, lo);
  const int64_t steps = options.epochs * loader.batchesPerEpoch();
  torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(options.learningRate));
  net->train();
  ClassifierProgress p;
  p.steps = steps;
  double lossSum = 0, correct = 0, seen = 0;
  for (int64_t k = 0; k < steps; ++k) {
    // Cosine decay to zero over the run.
    const double lr = 0.5 * options.learningRate * (1 + std::cos(M_PI * static_cast<double>(k) / static_cast<double>(steps)));
    for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
    const ImageBatch b = loader.batch(k);
    const torch::Tensor logits = net->forward(b.images);
    const torch::Tensor loss = torch::nn::functional::cross_entropy(logits, b.labels);
    opt.zero_grad();
    loss.backward();
    opt.step();
    const double l = loss.item<double>();
    if (!std::isfinite(l)) throw InputError("train-classifier: the loss became " + std::to_string(l) + " at step " + std::to_string(k));
    lossSum += l * static_cast<double>(b.images.size(0));
    correct += static_cast<double>((logits.argmax(1) == b.labels).sum().item<int64_t>());
    seen += static_cast<double>(b.images.size(0));
    if (progress && ((k + 1) % 50 == 0 || k + 1 == steps)) {
      p.step = k + 1;
      p.loss = lossSum / seen;
      p.trainAccuracy = correct / seen;
      progress(p);
      lossSum = correct = seen = 0;
    }
  }
  net->eval();
  auto [x, y] = centeredImages(test);
  const ClassifierScores s = scoreImages(net, x, y);
  ClassifierRecord r;
  r.net = net;
  r.source = train->source;
  r.testAccuracy = s.accuracy;
  r.reference = s.features;
  r.referenceSplit = "test";
  r.epochs = options.epochs;
  return r;
}

}  // namespace flowscope
