#pragma once
// Inception-v3 pool features for FID from the TorchScript file that the Python FID tools use:
// NVIDIA's inception-2015-12-05.pt (StyleGAN2-ADA, clean-fid; the TF-FID Inception weights,
// traced), read with torch::jit::load. Nothing is downloaded: the user supplies the file.
//
// Its interface (StyleGAN2-ADA, metrics/metric_utils.py): forward(images, return_features=True)
// with images uint8 [N, 3, H, W] in 0..255 (it resizes to 299 x 299 inside) gives [N, 2048].
// FlowScope feeds it the samples as 8-bit images (core/metrics/ClassifierScores.h,
// asEightBitImages), gray images repeated over 3 channels.
//
//   InceptionFeatures inception("inception-2015-12-05.pt");
//   torch::Tensor f = inception.features(images);   // images [N, C, H, W] in [-1, 1] -> [N, 2048]
//
// Statistics: FlowScope's FeatureStats divide the covariance by N - 1 (pytorch-fid); StyleGAN2-
// ADA divides by N. Report the protocol next to the number (docs/metrics.md).

#include <torch/script.h>

#include <string>

namespace flowscope {

class InceptionFeatures {
 public:
  /// Loads the TorchScript file. Throws FileError naming it when it is missing or not a
  /// TorchScript module with a forward method.
  explicit InceptionFeatures(const std::string& path);
  /// Pool features [N, D] (float32, CPU) of images [N, 1 or 3, H, W] in [-1, 1], `batchSize`
  /// at a time. Throws InputError when the module's output is not [N, D].
  torch::Tensor features(const torch::Tensor& images, int64_t batchSize = 100);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  torch::jit::Module module_;
};

}  // namespace flowscope
