// flowscope-cli train-classifier: the FeatureClassifier of the offline "classifier FD"
// (core/metrics/ClassifierTraining.h), trained on an image dataset's training split and
// written with its test accuracy and the test split's feature statistics.

#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "CliOptions.h"
#include "Commands.h"
#include "core/config/ConfigYaml.h"
#include "core/config/ExperimentConfig.h"
#include "core/data/ImageDatasets.h"
#include "core/metrics/ClassifierFile.h"
#include "core/metrics/ClassifierTraining.h"
#include "core/util/ArgParser.h"
#include "core/util/Device.h"
#include "core/util/Error.h"

namespace flowscope::cli {

int runTrainClassifier(const std::vector<std::string>& args) {
  ArgParser parser("flowscope-cli train-classifier (--config EXPERIMENT.yaml | --run RUN_DIR) --out FILE.pt\n"
                   "       [--epochs E] [--batch B] [--lr LR] [--seed S]",
                   "Trains the small convolutional classifier of the classifier Fréchet distance on the\n"
                   "training split of the experiment's image dataset (data.*), then stores its weights,\n"
                   "its test accuracy and the feature statistics of the test split in FILE.pt.\n"
                   "`flowscope-cli eval --classifier FILE.pt` then scores a run's samples: the FD in\n"
                   "this classifier's features (not FID: comparable only between runs scored with\n"
                   "the same file) and how confidently it labels them (docs/metrics.md).");
  parser.option("config", "FILE.yaml", "experiment whose data.* names the dataset")
      .option("run", "RUN_DIR", "or: a run folder (its config.yaml)")
      .option("out", "FILE.pt", "classifier file to write", "", true)
      .integer("epochs", "E", "passes over the training split", ValueRange::closed(1, 1000), "2")
      .integer("batch", "B", "images per step", ValueRange::closed(1, 65536), "128")
      .number("lr", "LR", "peak Adam learning rate (cosine decay to 0)", ValueRange::open(0, 1), "2e-3")
      .integer("loader-threads", "T", "background decode threads", ValueRange::closed(0, 64), "2");
  addSeedOption(parser, "weight initialisation and batch order");
  addThreadsOption(parser);
  const ParsedArgs a = parser.parse(args);
  if (a.has("help")) {
    std::fputs(parser.help().c_str(), stdout);
    return 0;
  }
  if (a.has("config") == a.has("run")) throw UsageError("give exactly one of --config and --run");
  configureThreads(static_cast<int>(a.getInt("threads")));
  const std::string configPath =
      a.has("config") ? a.get("config") : (std::filesystem::path(a.get("run")) / "config.yaml").string();
  const ExperimentConfig config = loadExperiment(configPath);
  if (!isImageDataset(config.data.name))
    throw ConfigError("data.name", configPath + ": data.name '" + config.data.name +
                                       "' is not an image dataset (expected one of docs/datasets.md's image datasets)");
  const std::string baseDir = std::filesystem::path(configPath).parent_path().string();
  auto train = std::make_shared<ImageSet>(loadImageSet(config.data, "train", baseDir));
  const ImageSet test = loadImageSet(config.data, "test", baseDir);

  ClassifierTrainingOptions o;
  o.epochs = a.getInt("epochs");
  o.batchSize = a.getInt("batch");
  o.learningRate = a.getDouble("lr");
  o.seed = static_cast<uint64_t>(a.getInt("seed"));
  o.loaderThreads = static_cast<int>(a.getInt("loader-threads"));
  o.flip = config.data.flip;
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  std::fprintf(stderr, "train-classifier: %lld training and %lld test images of %s (%lldx%lldx%lld, %lld classes)\n",
               static_cast<long long>(train->count), static_cast<long long>(test.count), config.data.name.c_str(),
               static_cast<long long>(train->channels), static_cast<long long>(train->height),
               static_cast<long long>(train->width), static_cast<long long>(train->classes));
  const auto start = std::chrono::steady_clock::now();
  int64_t lastDecile = -1;
  ClassifierRecord r = trainFeatureClassifier(train, test, o, [&](const ClassifierProgress& p) {
    const int64_t decile = 10 * p.step / p.steps;
    if (tty) {
      std::fprintf(stderr, "\rstep %lld/%lld  loss %.4f  train accuracy %.3f   ", static_cast<long long>(p.step),
                   static_cast<long long>(p.steps), p.loss, p.trainAccuracy);
    } else if (decile != lastDecile) {
      std::fprintf(stderr, "step %lld/%lld  loss %.4f  train accuracy %.3f\n", static_cast<long long>(p.step),
                   static_cast<long long>(p.steps), p.loss, p.trainAccuracy);
    }
    lastDecile = decile;
  });
  if (tty) std::fprintf(stderr, "\n");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.dataset = config.data.name;
  saveClassifier(r, a.get("out"));
  nlohmann::ordered_json j;
  j["out"] = a.get("out");
  j["dataset"] = r.dataset;
  j["test_accuracy"] = r.testAccuracy;
  j["reference_n"] = r.reference.count;
  j["epochs"] = r.epochs;
  j["train_s"] = seconds;
  j["images_per_s"] = static_cast<double>(r.epochs * train->count) / seconds;
  std::printf("%s\n", j.dump().c_str());
  return 0;
}

}  // namespace flowscope::cli
