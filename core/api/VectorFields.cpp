// Vector fields on a grid for the views (core/api/Queries.h): learned, conditional (eq. 15),
// marginal (eq. 8) and the Gaussian closed form.

#include <torch/torch.h>

#include <algorithm>

#include "core/api/Queries.h"
#include "core/paths/PathFactory.h"
#include "core/train/TrainedFlow.h"

namespace flowscope {
namespace {

torch::Tensor gridPoints(const GridSpec& g) {
  std::vector<float> xy;
  xy.reserve(static_cast<size_t>(g.nx) * g.ny * 2);
  for (int j = 0; j < g.ny; ++j)
    for (int i = 0; i < g.nx; ++i) {
      xy.push_back(static_cast<float>(g.x(i)));
      xy.push_back(static_cast<float>(g.y(j)));
    }
  return torch::from_blob(xy.data(), {g.nx * g.ny, 2}, torch::kFloat32).clone();
}

VectorGrid toGrid(const GridSpec& g, const torch::Tensor& uv) {
  const torch::Tensor c = uv.to(torch::kCPU, torch::kFloat32).contiguous();
  VectorGrid out;
  out.grid = g;
  out.uv.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  out.maxNorm = c.numel() ? c.norm(2, 1).max().item<double>() : 0.0;
  return out;
}

torch::Tensor timeColumn(double t, int64_t n, torch::ScalarType type) {
  return torch::full({n, 1}, t, torch::TensorOptions().dtype(type));
}

}  // namespace

VectorGrid learnedField(const FlowModel& model, const GridSpec& grid, double t) {
  torch::NoGradGuard noGrad;
  const TrainedFlow& flow = model.flow();
  const torch::Tensor x = gridPoints(grid).to(flow.device());
  const torch::Tensor tt = torch::full({x.size(0), 1}, flow.clampTime(t), x.options());
  return toGrid(grid, flow.velocityAt(x, tt));
}

VectorGrid conditionalField(const PathConfig& pathConfig, const GridSpec& grid, double t, double x1x,
                            double x1y) {
  torch::NoGradGuard noGrad;
  const auto path = makePath(pathConfig);
  const torch::Tensor x = gridPoints(grid).to(torch::kFloat64);
  const torch::Tensor x1 = torch::tensor({x1x, x1y}, torch::kFloat64).expand_as(x);
  const double tc = std::clamp(t, path->tMin(), path->tMax());
  return toGrid(grid, path->conditionalVectorField(timeColumn(tc, x.size(0), torch::kFloat64), x, x1));
}

VectorGrid marginalField(const PathConfig& pathConfig, const std::vector<float>& data,
                         const GridSpec& grid, double t) {
  torch::NoGradGuard noGrad;
  const auto path = makePath(pathConfig);
  const double tc = std::clamp(t, path->tMin(), path->tMax());
  const torch::Tensor x = gridPoints(grid).to(torch::kFloat64);  // [G, 2]
  const int64_t n = static_cast<int64_t>(data.size() / 2);
  const torch::Tensor x1 =
      torch::from_blob(const_cast<float*>(data.data()), {n, 2}, torch::kFloat32).to(torch::kFloat64);
  const int64_t g = x.size(0);
  // All (grid point, data point) pairs: [G, N, 2], processed in row blocks to bound memory.
  std::vector<torch::Tensor> rows;
  const int64_t block = std::max<int64_t>(1, (1 << 22) / std::max<int64_t>(n, 1));
  for (int64_t start = 0; start < g; start += block) {
    const int64_t len = std::min(block, g - start);
    const torch::Tensor xs = x.narrow(0, start, len).unsqueeze(1).expand({len, n, 2}).reshape({len * n, 2});
    const torch::Tensor x1s = x1.unsqueeze(0).expand({len, n, 2}).reshape({len * n, 2});
    const torch::Tensor tt = timeColumn(tc, len * n, torch::kFloat64);
    // eq. 8: u_t(x) = sum_i u_t(x|x1_i) p_t(x|x1_i) / sum_j p_t(x|x1_j) for q = (1/N) sum delta.
    const torch::Tensor logw = path->conditionalLogDensity(tt, xs, x1s).reshape({len, n});
    const torch::Tensor w = torch::softmax(logw, 1).unsqueeze(2);
    const torch::Tensor u = path->conditionalVectorField(tt, xs, x1s).reshape({len, n, 2});
    rows.push_back((w * u).sum(1));
  }
  return toGrid(grid, torch::cat(rows, 0));
}

VectorGrid gaussianMarginalField(const PathConfig& pathConfig, const std::array<double, 2>& mean,
                                 const std::array<double, 4>& cov, const GridSpec& grid, double t) {
  torch::NoGradGuard noGrad;
  const auto path = makePath(pathConfig);
  const double tc = std::clamp(t, path->tMin(), path->tMax());
  const torch::Tensor tt = torch::tensor({tc}, torch::kFloat64);
  const double a = path->alpha(tt).item<double>(), da = path->dalpha(tt).item<double>();
  const double s = path->sigma(tt).item<double>(), ds = path->dsigma(tt).item<double>();
  const torch::Tensor m = torch::tensor({mean[0], mean[1]}, torch::kFloat64);
  const torch::Tensor S = torch::tensor({cov[0], cov[1], cov[2], cov[3]}, torch::kFloat64).reshape({2, 2});
  // x = a x1 + s x0 with x1 ~ N(m, S), x0 ~ N(0, I): C = a^2 S + s^2 I,
  // E[x0|x] = s C^{-1}(x - a m), E[x1|x] = m + a S C^{-1}(x - a m).
  const torch::Tensor c = a * a * S + s * s * torch::eye(2, torch::kFloat64);
  const torch::Tensor x = gridPoints(grid).to(torch::kFloat64);
  const torch::Tensor r = torch::linalg_solve(c, (x - a * m).t()).t();
  const torch::Tensor eps = s * r;
  const torch::Tensor x1 = m + a * torch::matmul(r, S.t());
  return toGrid(grid, da * x1 + ds * eps);
}

}  // namespace flowscope
