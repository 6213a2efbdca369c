#include "core/metrics/ClassifierFile.h"

#include <torch/torch.h>

#include "core/train/ArchiveFile.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

constexpr int64_t kFormat = 1;
const char* const kKind = "flowscope.feature_classifier";

std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

void saveClassifier(const ClassifierRecord& r, const std::string& path) {
  if (!r.net) throw FileError(path + ": no classifier to save");
  const FeatureClassifierOptions& o = r.net->options();
  torch::serialize::OutputArchive a;
  a.write("kind", c10::IValue(std::string(kKind)));
  a.write("format_version", c10::IValue(kFormat));
  a.write("shape", torch::tensor({o.channels, o.height, o.width, o.classes}, torch::kInt64));
  a.write("widths", torch::tensor(o.widths, torch::kInt64));
  a.write("dataset", c10::IValue(r.dataset));
  a.write("source", c10::IValue(r.source));
  a.write("test_accuracy", c10::IValue(r.testAccuracy));
  a.write("epochs", c10::IValue(r.epochs));
  a.write("reference_split", c10::IValue(r.referenceSplit));
  a.write("reference_count", c10::IValue(r.reference.count));
  a.write("reference_mean", r.reference.mean);
  a.write("reference_cov", r.reference.cov);
  torch::serialize::OutputArchive weights;
  r.net->save(weights);
  a.write("weights", weights);
  saveArchiveFile(a, path, "classifier");
}

ClassifierRecord loadClassifier(const std::string& path) {
  torch::serialize::InputArchive a;
  loadArchiveFile(a, path, "classifier");
  c10::IValue kind;
  if (!a.try_read("kind", kind) || !kind.isString() || kind.toStringRef() != kKind)
    throw FileError(path + ": not a FlowScope classifier (expected a file written by flowscope-cli train-classifier)");
  ClassifierRecord r;
  try {
    torch::Tensor shape, widths;
    a.read("shape", shape);
    a.read("widths", widths);
    if (shape.numel() != 4 || widths.dim() != 1 || widths.numel() < 1)
      throw FileError(path + ": classifier shape records are malformed");
    FeatureClassifierOptions o;
    o.channels = shape[0].item<int64_t>();
    o.height = shape[1].item<int64_t>();
    o.width = shape[2].item<int64_t>();
    o.classes = shape[3].item<int64_t>();
    o.widths.clear();
    for (int64_t i = 0; i < widths.numel(); ++i) o.widths.push_back(widths[i].item<int64_t>());
    r.net = FeatureClassifier(o);
    c10::IValue v;
    a.read("dataset", v); r.dataset = v.toStringRef();
    a.read("source", v); r.source = v.toStringRef();
    a.read("test_accuracy", v); r.testAccuracy = v.toDouble();
    a.read("epochs", v); r.epochs = v.toInt();
    a.read("reference_split", v); r.referenceSplit = v.toStringRef();
    a.read("reference_count", v); r.reference.count = v.toInt();
    a.read("reference_mean", r.reference.mean);
    a.read("reference_cov", r.reference.cov);
    const int64_t d = o.widths.back();
    if (r.reference.mean.numel() != d || r.reference.cov.dim() != 2 || r.reference.cov.size(0) != d ||
        r.reference.cov.size(1) != d)
      throw FileError(path + ": reference statistics do not match the classifier's " + std::to_string(d) + " features");
    torch::serialize::InputArchive weights;
    a.read("weights", weights);
    torch::NoGradGuard noGrad;
    // Module::load takes stored tensors whatever their shape: compare against the fresh model.
    std::vector<std::pair<std::string, std::vector<int64_t>>> expected;
    for (auto& p : r.net->named_parameters()) expected.emplace_back(p.key(), p.value().sizes().vec());
    r.net->load(weights);
    size_t i = 0;
    for (auto& p : r.net->named_parameters()) {
      if (i >= expected.size() || p.value().sizes().vec() != expected[i].second)
        throw FileError(path + ": classifier weight '" + p.key() + "' has shape " + c10::str(p.value().sizes()) +
                        ", its recorded architecture expects another");
      ++i;
    }
    for (auto& p : r.net->named_parameters())
      if (!torch::isfinite(p.value()).all().item<bool>())
        throw FileError(path + ": classifier weight '" + p.key() + "' holds non-finite values");
  } catch (const FileError&) {
    throw;
  } catch (const std::exception& e) {
    throw FileError(path + ": unreadable classifier (" + firstLine(e.what()) + ")");
  }
  r.net->eval();
  return r;
}

ClassifierRecord loadClassifierFor(const std::string& path, const std::string& dataset,
                                   const std::vector<int64_t>& shape) {
  ClassifierRecord clf = loadClassifier(path);
  const FeatureClassifierOptions& co = clf.net->options();
  if (shape.size() != 3 || clf.dataset != dataset || co.channels != shape[0] || co.height != shape[1] ||
      co.width != shape[2]) {
    std::string runShape;
    for (int64_t d : shape) runShape += (runShape.empty() ? "" : "x") + std::to_string(d);
    throw InputError(path + ": a classifier of " + clf.dataset + " (" + std::to_string(co.channels) + "x" +
                     std::to_string(co.height) + "x" + std::to_string(co.width) + "), the run's data are " +
                     dataset + " (" + runShape + "; expected a classifier trained on the run's dataset)");
  }
  return clf;
}

}  // namespace flowscope
