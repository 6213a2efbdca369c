#include "core/util/TensorIo.h"

#include <torch/torch.h>

#include "core/io/Npy.h"

namespace flowscope {

torch::Tensor readNpyTensor(const std::string& path) {
  NpyArray array = readNpy(path);
  return torch::from_blob(array.data.data(), array.shape, torch::kFloat32).clone();
}

void writeNpyTensor(const std::string& path, const torch::Tensor& tensor) {
  const torch::Tensor t = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  writeNpy(path, std::vector<int64_t>(t.sizes().begin(), t.sizes().end()), t.data_ptr<float>());
}

void writeNpyTensorF64(const std::string& path, const torch::Tensor& tensor) {
  const torch::Tensor t = tensor.detach().to(torch::kCPU, torch::kFloat64).contiguous();
  writeNpy(path, std::vector<int64_t>(t.sizes().begin(), t.sizes().end()), t.data_ptr<double>());
}

}  // namespace flowscope
