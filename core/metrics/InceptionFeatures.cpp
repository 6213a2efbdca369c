#include "core/metrics/InceptionFeatures.h"

#include <filesystem>

#include "core/util/Error.h"

namespace flowscope {
namespace {

std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

InceptionFeatures::InceptionFeatures(const std::string& path) : path_(path) {
  if (!std::filesystem::is_regular_file(path))
    throw FileError(path + ": Inception file does not exist (expected NVIDIA's TorchScript "
                           "inception-2015-12-05.pt, see docs/metrics.md)");
  try {
    module_ = torch::jit::load(path, torch::kCPU);
  } catch (const std::exception& e) {
    throw FileError(path + ": not a TorchScript module (" + firstLine(e.what()) + ")");
  }
  if (!module_.find_method("forward"))
    throw FileError(path + ": the TorchScript module has no forward method");
  module_.eval();
}

torch::Tensor InceptionFeatures::features(const torch::Tensor& images, int64_t batchSize) {
  if (images.dim() != 4 || (images.size(1) != 1 && images.size(1) != 3))
    throw InputError("Inception features: images of shape " + c10::str(images.sizes()) +
                     " (expected [N, 1 or 3, H, W])");
  torch::NoGradGuard noGrad;
  std::vector<torch::Tensor> out;
  for (int64_t start = 0; start < images.size(0); start += batchSize) {
    const int64_t len = std::min(batchSize, images.size(0) - start);
    torch::Tensor x = images.narrow(0, start, len);
    // [-1, 1] bin centres back to their 8-bit values: (y + 1) * 128 - 0.5, rounded.
    x = ((x.to(torch::kFloat32) + 1) * 128 - 0.5).round().clamp(0, 255).to(torch::kUInt8);
    if (x.size(1) == 1) x = x.expand({len, 3, x.size(2), x.size(3)});
    torch::jit::IValue y;
    try {
      y = module_.forward({x.contiguous()}, {{"return_features", true}});
    } catch (const std::exception& e) {
      throw InputError(path_ + ": the Inception module failed on a [" + std::to_string(len) + ", 3, " +
                       std::to_string(x.size(2)) + ", " + std::to_string(x.size(3)) + "] uint8 batch (" +
                       firstLine(e.what()) + ")");
    }
    if (!y.isTensor() || y.toTensor().dim() != 2 || y.toTensor().size(0) != len)
      throw InputError(path_ + ": the Inception module returned something other than [N, D] features");
    out.push_back(y.toTensor().to(torch::kCPU, torch::kFloat32));
  }
  return torch::cat(out);
}

}  // namespace flowscope
