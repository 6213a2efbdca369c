#include "core/paths/AffineGaussianPath.h"

#include <torch/torch.h>

namespace flowscope {

torch::Tensor AffineGaussianPath::mean(const torch::Tensor& t, const torch::Tensor& x1) const {
  return alpha(broadcastTime(t, x1)) * x1;
}

torch::Tensor AffineGaussianPath::stddev(const torch::Tensor& t, const torch::Tensor& x1) const {
  return sigma(broadcastTime(t, x1));
}

torch::Tensor AffineGaussianPath::dmean(const torch::Tensor& t, const torch::Tensor& x1) const {
  return dalpha(broadcastTime(t, x1)) * x1;
}

torch::Tensor AffineGaussianPath::dstddev(const torch::Tensor& t, const torch::Tensor& x1) const {
  return dsigma(broadcastTime(t, x1));
}

torch::Tensor AffineGaussianPath::velocityFromNoise(const torch::Tensor& t, const torch::Tensor& x,
                                                    const torch::Tensor& epsHat) const {
  const torch::Tensor tb = broadcastTime(t, x);
  const torch::Tensor a = alpha(tb);
  const torch::Tensor da = dalpha(tb);
  const torch::Tensor s = sigma(tb);
  const torch::Tensor ds = dsigma(tb);
  const torch::Tensor rate = da / a;
  return rate * x + (ds - rate * s) * epsHat;
}

torch::Tensor AffineGaussianPath::predictedData(const torch::Tensor& t, const torch::Tensor& x,
                                               const torch::Tensor& velocity) const {
  const torch::Tensor a = alpha(t), s = sigma(t), da = dalpha(t), ds = dsigma(t);
  return (ds * x - s * velocity) / (ds * a - s * da);
}

}  // namespace flowscope
