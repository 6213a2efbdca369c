#include "ImageEval.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>

#include <unistd.h>

#include "core/data/ImageDatasets.h"
#include "core/eval/ChunkedSampling.h"
#include "core/likelihood/BitsPerDim.h"
#include "core/likelihood/Likelihood.h"
#include "core/images/ImageGrid.h"
#include "core/images/Preprocess.h"
#include "core/metrics/ClassifierFile.h"
#include "core/metrics/ClassifierScores.h"
#include "core/metrics/InceptionFeatures.h"
#include "core/io/AtomicFile.h"
#include "core/solvers/SolverMethod.h"
#include "core/util/Error.h"
#include "core/util/Random.h"

namespace flowscope::cli {

void addImageEvalOptions(ArgParser& parser) {
  parser.flag("bpd", "image runs: bits per dimension of the first N test images (eq. 37, 47)")
      .integer("k", "K", "image runs: dequantization samples per image for --bpd (eq. 47)",
               ValueRange::closed(1, 1000), "1")
      .integer("probes", "P", "image runs: Hutchinson probes per evaluation for --bpd "
               "(0: exact divergence, D backward passes)", ValueRange::closed(0, 64), "1")
      .option("classifier", "FILE.pt", "image runs: the classifier FD of the samples and how confidently "
              "that classifier (flowscope-cli train-classifier) labels them")
      .option("inception", "FILE.pt", "image runs: FID with NVIDIA's TorchScript inception-2015-12-05.pt "
              "(docs/metrics.md)")
      .option("fid-reference", "SPLIT", "image runs: the split FID compares with (train or test)", "train")
      .option("fid-cache", "DIR", "image runs: where the reference split's Inception statistics are cached "
              "(default $XDG_CACHE_HOME/flowscope/fid or ~/.cache/flowscope/fid)");
}

namespace {

std::string fidCacheDir(const ParsedArgs& a) {
  if (a.has("fid-cache")) return a.get("fid-cache");
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/flowscope/fid";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/flowscope/fid";
  return ".flowscope-fid-cache";
}

/// The reference split's Inception statistics, from the cache when its description (dataset,
/// files, image count, Inception file and size) matches, else computed and cached.
FeatureStats inceptionReference(const ParsedArgs& a, const TrainedFlow& flow, InceptionFeatures& inc) {
  const std::string split = a.get("fid-reference");
  if (split != "train" && split != "test")
    throw UsageError("--fid-reference: '" + split + "' (expected train or test)");
  const ImageSet set = loadImageSet(flow.config().data, split);
  const std::string description = flow.config().data.name + " " + split + " " + set.source + " n=" +
                                  std::to_string(set.count) + " inception=" + inc.path() + " bytes=" +
                                  std::to_string(std::filesystem::file_size(inc.path()));
  const std::string dir = fidCacheDir(a);
  const std::string file = dir + "/" + flow.config().data.name + "-" + split + "-" +
                           std::to_string(std::hash<std::string>{}(description)) + ".pt";
  if (std::filesystem::exists(file)) {
    std::string stored;
    try {
      FeatureStats s = loadFeatureStats(file, &stored);
      if (stored == description) return s;
    } catch (const FileError&) {
      // A damaged cache entry is recomputed below.
    }
  }
  std::fprintf(stderr, "fid: Inception statistics of %lld %s images (cached in %s)\n",
               static_cast<long long>(set.count), split.c_str(), file.c_str());
  FeatureStatsAccumulator acc(1);
  bool first = true;
  for (int64_t start = 0; start < set.count; start += 500) {
    const int64_t len = std::min<int64_t>(500, set.count - start);
    torch::Tensor x = torch::empty({len, set.channels, set.height, set.width});
    pixelsToCentered(set.image(start), static_cast<size_t>(len) * set.imageBytes(), x.data_ptr<float>());
    const torch::Tensor f = inc.features(x);
    if (first) acc = FeatureStatsAccumulator(f.size(1));
    first = false;
    acc.add(f);
  }
  FeatureStats s = acc.stats();
  std::filesystem::create_directories(dir);
  saveFeatureStats(s, description, file);
  return s;
}

}  // namespace

std::map<std::string, double> evaluateImageRun(const ParsedArgs& a, const TrainedFlow& flow) {
  if (a.has("likelihood") || a.has("logp-out"))
    throw UsageError("--likelihood/--logp-out: for 2D runs; image runs use --bpd");
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  const int64_t n = a.has("n") ? a.getInt("n") : 256;
  const uint64_t seed = static_cast<uint64_t>(a.getInt("seed"));
  std::map<std::string, double> values;
  {
    // NFE of the sampler from fixed noise (Table 1's "NFE" column with dopri5).
    SolveOptions o = flow.defaultSolveOptions();
    o.method = parseSolverMethod(a.get("solver"), "--solver");
    o.steps = static_cast<int>(a.getInt("steps"));
    o.atol = a.getDouble("atol");
    o.rtol = a.getDouble("rtol");
    torch::NoGradGuard noGrad;
    const std::vector<int64_t> shape = flow.sampleShape();
    torch::Tensor samples;
    if (a.has("classifier") || a.has("inception")) samples = torch::empty({n, flow.dim()});
    const ChunkedSolveSummary r = sampleInChunks(
        flow, n, seed, o, a.getInt("chunk"), [&](int64_t first, const SolveResult& chunk) {
          if (samples.defined()) samples.narrow(0, first, chunk.final().size(0)).copy_(chunk.final().cpu());
        });
    if (a.has("inception")) {
      InceptionFeatures inc(a.get("inception"));
      const FeatureStats ref = inceptionReference(a, flow, inc);
      const FeatureStats gen = featureStats(inc.features(asEightBitImages(samples, shape)));
      values["fid"] = frechetDistance(gen, ref);
      values["fid_reference_n"] = static_cast<double>(ref.count);
    }
    if (a.has("classifier")) {
      ClassifierRecord clf = loadClassifierFor(a.get("classifier"), flow.config().data.name, flow.sampleShape());
      for (const auto& [k, v] : classifierMetrics(clf, asEightBitImages(samples, shape))) values[k] = v;
      values["classifier_fd_reference_n"] = static_cast<double>(clf.reference.count);
      // The same scores of N real training images: what a perfect generator reaches at this N
      // (FD is biased upward at small N; the classifier is not perfectly confident on data).
      const ImageSet real = loadImageSet(flow.config().data, "train");
      const int64_t m = std::min<int64_t>(n, real.count);
      torch::Tensor realImages = torch::empty({m, shape[0], shape[1], shape[2]});
      pixelsToCentered(real.pixels.data(), static_cast<size_t>(m) * real.imageBytes(), realImages.data_ptr<float>());
      for (const auto& [k, v] : classifierMetrics(clf, realImages)) values["real_" + k] = v;
      values["classifier_test_accuracy"] = clf.testAccuracy;
    }
    values["nfe"] = static_cast<double>(r.nfe) / static_cast<double>(std::max<int64_t>(1, r.chunks));
    values["n"] = static_cast<double>(n);
  }
  if (a.has("bpd")) {
    // Table 4's protocol: uniform dequantization, K importance samples (eq. 47), dopri5
    // atol = rtol = 1e-5, Hutchinson divergence (eq. 34-35).
    const ImageSet test = loadImageSet(flow.config().data, "test");
    const int64_t count = std::min<int64_t>(n, test.count);
    const torch::Tensor x = torch::from_blob(const_cast<uint8_t*>(test.pixels.data()),
                                             {count, flow.dim()}, torch::kUInt8).clone();
    LikelihoodOptions lo;
    const int probes = static_cast<int>(a.getInt("probes"));
    lo.exact = probes == 0;
    lo.probes = std::max(1, probes);
    lo.seed = seed + 3;
    lo.batchSize = a.getInt("chunk");
    int64_t nfe = 0, done = 0;
    const int k = static_cast<int>(a.getInt("k"));
    at::Generator gen = makeGenerator(seed + 2);
    const BpdResult r = bitsPerDim(
        [&](const torch::Tensor& y) {
          const LikelihoodResult l = logLikelihood(flow, y, 1.0, lo);
          nfe += l.nfe;
          ++done;
          if (tty) std::fprintf(stderr, "\rbpd: %lld/%d dequantization passes", static_cast<long long>(done), k);
          return l.logp;
        },
        x, k, gen);
    if (tty) std::fprintf(stderr, "\n");
    values["bpd"] = r.meanBpd;
    values["bpd_stderr"] = count > 1 ? r.bpd.std().item<double>() / std::sqrt(static_cast<double>(count)) : 0.0;
    values["bpd_k"] = k;
    values["bpd_n"] = static_cast<double>(count);
    values["bpd_nfe"] = static_cast<double>(nfe) / k;
    values["bpd_probes"] = probes;
  }
  return values;
}

}  // namespace flowscope::cli
