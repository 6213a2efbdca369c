// The Fréchet distance: 0 for identical statistics, the closed form for Gaussians (diagonal and
// non-commuting covariances, against an independent eigenvalue route), the streaming statistics
// against a direct covariance, and the statistics file's round trip and damage detection.

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/io/ChecksumTrailer.h"
#include "core/metrics/FrechetDistance.h"
#include "core/util/Error.h"

using namespace flowscope;

namespace {

torch::Tensor randomSpd(int64_t d, int64_t seed) {
  torch::manual_seed(seed);
  const torch::Tensor a = torch::randn({d, d}, torch::kFloat64);
  return torch::matmul(a, a.transpose(0, 1)) / d + 0.1 * torch::eye(d, torch::kFloat64);
}

FeatureStats gaussian(const torch::Tensor& mean, const torch::Tensor& cov) { return {mean, cov, 1000}; }

}  // namespace

TEST(FrechetDistance, IsZeroForIdenticalStatistics) {
  const torch::Tensor c = randomSpd(16, 1);
  torch::manual_seed(2);
  const FeatureStats s = gaussian(torch::randn({16}, torch::kFloat64), c);
  EXPECT_NEAR(frechetDistance(s, s), 0.0, 1e-9 * c.trace().item<double>());
}

TEST(FrechetDistance, MatchesTheClosedFormForDiagonalGaussians) {
  // Commuting covariances: FD = |mu1 - mu2|^2 + sum_i (sqrt(a_i) - sqrt(b_i))^2.
  const torch::Tensor a = torch::tensor({1.0, 4.0, 0.25, 9.0}, torch::kFloat64);
  const torch::Tensor b = torch::tensor({2.0, 1.0, 0.25, 16.0}, torch::kFloat64);
  const torch::Tensor m1 = torch::tensor({0.0, 1.0, -1.0, 2.0}, torch::kFloat64);
  const torch::Tensor m2 = torch::tensor({0.5, 1.0, 1.0, 0.0}, torch::kFloat64);
  const double expected = (m1 - m2).square().sum().item<double>() + (a.sqrt() - b.sqrt()).square().sum().item<double>();
  EXPECT_NEAR(frechetDistance(gaussian(m1, torch::diag(a)), gaussian(m2, torch::diag(b))), expected, 1e-10);
}

TEST(FrechetDistance, TraceTermAgreesWithTheEigenvaluesOfTheProductForNonCommutingCovariances) {
  // tr sqrt(A B) = sum sqrt(eig(A B)): A B is similar to A^1/2 B A^1/2, so its eigenvalues are
  // real and positive, computed here by a general (non-symmetric) eigensolver.
  const torch::Tensor a = randomSpd(12, 3), b = randomSpd(12, 4);
  const torch::Tensor eig = torch::real(torch::linalg_eigvals(torch::matmul(a, b)));
  const double expected = eig.sqrt().sum().item<double>();
  EXPECT_NEAR(traceSqrtProduct(a, b), expected, 1e-9 * expected);
  EXPECT_NEAR(traceSqrtProduct(b, a), expected, 1e-9 * expected);  // symmetric in its arguments
  // And the whole distance is a metric-like quantity: positive for different statistics.
  EXPECT_GT(frechetDistance(gaussian(torch::zeros({12}, torch::kFloat64), a),
                            gaussian(torch::zeros({12}, torch::kFloat64), b)), 1e-3);
}

TEST(FrechetDistance, StreamingStatisticsEqualTheDirectUnbiasedCovariance) {
  torch::manual_seed(5);
  // Offset by 1e4 so a naive sum of squares would lose most digits.
  const torch::Tensor x = torch::randn({1003, 7}, torch::kFloat64) * 0.5 + 1e4;
  FeatureStatsAccumulator acc(7);
  int64_t start = 0;
  for (int64_t len : {1, 2, 500, 300, 200}) {
    acc.add(x.narrow(0, start, len));
    start += len;
  }
  const FeatureStats s = acc.stats();
  const torch::Tensor centred = x - x.mean(0);
  const torch::Tensor cov = torch::matmul(centred.transpose(0, 1), centred) / (1003 - 1);
  EXPECT_EQ(s.count, 1003);
  EXPECT_TRUE(torch::allclose(s.mean, x.mean(0), 0, 1e-9));
  EXPECT_TRUE(torch::allclose(s.cov, cov, 1e-9, 1e-9)) << (s.cov - cov).abs().max().item<double>();
}

TEST(FrechetDistance, SampleEstimateApproachesTheGaussiansDistance) {
  const int64_t d = 4;
  const torch::Tensor ca = randomSpd(d, 7), cb = randomSpd(d, 8);
  const torch::Tensor ma = torch::zeros({d}, torch::kFloat64), mb = torch::full({d}, 0.3, torch::kFloat64);
  const double exact = frechetDistance(gaussian(ma, ca), gaussian(mb, cb));
  torch::manual_seed(9);
  const torch::Tensor la = torch::linalg_cholesky(ca), lb = torch::linalg_cholesky(cb);
  const torch::Tensor xa = torch::matmul(torch::randn({40000, d}, torch::kFloat64), la.transpose(0, 1)) + ma;
  const torch::Tensor xb = torch::matmul(torch::randn({40000, d}, torch::kFloat64), lb.transpose(0, 1)) + mb;
  EXPECT_NEAR(frechetDistance(featureStats(xa), featureStats(xb)), exact, 0.05 * exact + 0.01);
}

TEST(FrechetDistance, RejectsBadInput) {
  FeatureStatsAccumulator acc(3);
  EXPECT_THROW(acc.add(torch::zeros({4, 2})), InputError);
  EXPECT_THROW(acc.add(torch::full({4, 3}, std::nan(""))), InputError);
  acc.add(torch::zeros({1, 3}));
  EXPECT_THROW(acc.stats(), InputError);  // one vector has no covariance
  const FeatureStats a = gaussian(torch::zeros({3}, torch::kFloat64), torch::eye(3, torch::kFloat64));
  const FeatureStats b = gaussian(torch::zeros({4}, torch::kFloat64), torch::eye(4, torch::kFloat64));
  EXPECT_THROW(frechetDistance(a, b), InputError);
}

TEST(FrechetDistance, StatisticsFileRoundTripsAndDamageIsCaught) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("flowscope-fdstats-" + std::to_string(::getpid()) + ".pt")).string();
  const FeatureStats s{torch::randn({5}, torch::kFloat64), randomSpd(5, 11), 321};
  saveFeatureStats(s, "test set of something", path);
  std::string description;
  const FeatureStats back = loadFeatureStats(path, &description);
  EXPECT_EQ(description, "test set of something");
  EXPECT_EQ(back.count, 321);
  EXPECT_TRUE(torch::equal(back.mean, s.mean));
  EXPECT_TRUE(torch::equal(back.cov, s.cov));
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    char c = 0;
    f.seekg(100);
    f.get(c);
    f.seekp(100);
    f.put(static_cast<char>(c ^ 0x10));
  }
  EXPECT_THROW(loadFeatureStats(path), DamagedFileError);
  std::filesystem::remove(path);
  EXPECT_THROW(loadFeatureStats(path), FileError);
}
