// Tests for the 2D target distributions: shapes and reproducibility for every dataset, exact
// densities checked against independent closed forms and numerical integration, the geometry of
// the noise-free samplers, the point-cloud loader and the config errors.

#include "core/config/ExperimentConfig.h"
#include "core/data/Checkerboard.h"
#include "core/data/DatasetFactory.h"
#include "core/data/EightGaussians.h"
#include "core/data/GaussianData.h"
#include "core/data/PointCloud.h"
#include "core/data/TwoMoons.h"
#include "core/registry/Registries.h"
#include "core/util/Error.h"
#include "core/util/Random.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace flowscope {
namespace {

/// The 2D point datasets (the image datasets are tested in ImageTrainingTest and ImageDataTest).
std::vector<std::string> pointDatasets() {
  std::vector<std::string> names;
  for (const std::string& n : datasetRegistry().names())
    if (datasetRegistry().find(n)->hasTag("points2d")) names.push_back(n);
  return names;
}

namespace fs = std::filesystem;
constexpr double kPi = 3.14159265358979323846;

// --- helpers ----------------------------------------------------------------------------------

/// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("flowscope_dataset_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void writeBytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  ASSERT_TRUE(out.good()) << path;
}

/// A version 1.0 .npy file with dtype '<f4', written by hand so these tests don't depend on the
/// project's writer: magic, version, little-endian header length, a header dict padded with
/// spaces and '\n' to a multiple of 64 bytes, then the raw data.
std::string npyF4(const std::vector<int64_t>& shape, const std::vector<float>& data) {
  std::string dims;
  for (size_t i = 0; i < shape.size(); ++i) dims += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) dims += ",";
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
  const size_t unpadded = 10 + header.size() + 1;
  header += std::string((64 - unpadded % 64) % 64, ' ') + "\n";
  std::string bytes = "\x93NUMPY";
  bytes += '\x01';
  bytes += '\x00';
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>((header.size() >> 8) & 0xff);
  bytes += header;
  for (float v : data) {
    uint32_t u;
    std::memcpy(&u, &v, 4);
    for (int b = 0; b < 4; ++b) bytes += static_cast<char>((u >> (8 * b)) & 0xff);
  }
  return bytes;
}

/// Runs `f` and returns the ConfigError it throws (fails the test if it throws nothing else).
ConfigError configErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected ConfigError, got: " << e.what();
    return ConfigError("", "");
  }
  ADD_FAILURE() << "expected ConfigError, nothing was thrown";
  return ConfigError("", "");
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

DataConfig configNamed(const std::string& name) {
  DataConfig config;
  config.name = name;
  return config;
}

/// Config for every dataset name; "points" gets a small .npy in `dir`.
DataConfig configFor(const std::string& name, const fs::path& dir) {
  DataConfig config = configNamed(name);
  if (name == "gaussian") {
    config.mean = {0.5, -1.0};
    config.covariance = {1.5, 0.3, 0.3, 0.8};
  }
  if (name == "points") {
    writeBytes(dir / "cloud.npy", npyF4({4, 2}, {0, 0, 1, 0, 0, 2, -3, 1}));
    config.file = "cloud.npy";
    config.noise = 0.05;
  }
  return config;
}

torch::Tensor draw(const Dataset2D& data, int64_t n, uint64_t seed) {
  at::Generator gen = makeGenerator(seed);
  return data.sample(n, gen);
}

/// Bernoulli count check: |count/n - p| within 4 standard errors.
void expectFraction(int64_t count, int64_t n, double p, const std::string& what) {
  const double se = std::sqrt(p * (1.0 - p) / static_cast<double>(n));
  EXPECT_NEAR(static_cast<double>(count) / static_cast<double>(n), p, 4.0 * se) << what;
}

// --- every dataset ----------------------------------------------------------------------------

TEST(Datasets, EveryNameGivesExactlyNFloat32PointsOnTheCpu) {
  TempDir dir;
  for (const std::string& name : pointDatasets()) {
    SCOPED_TRACE(name);
    auto data = makeDataset(configFor(name, dir.path()), dir.path().string());
    EXPECT_EQ(data->name(), name);
    for (int64_t n : {0, 1, 7, 1000}) {
      const torch::Tensor x = draw(*data, n, 3);
      ASSERT_EQ(x.dim(), 2);
      EXPECT_EQ(x.size(0), n);
      EXPECT_EQ(x.size(1), 2);
      EXPECT_EQ(x.scalar_type(), torch::kFloat32);
      EXPECT_TRUE(x.device().is_cpu());
      EXPECT_TRUE(x.isfinite().all().item<bool>());
    }
  }
}

TEST(Datasets, SameSeedSameSamplesDifferentSeedDifferentSamples) {
  TempDir dir;
  for (const std::string& name : pointDatasets()) {
    SCOPED_TRACE(name);
    auto data = makeDataset(configFor(name, dir.path()), dir.path().string());
    const torch::Tensor a = draw(*data, 500, 42), b = draw(*data, 500, 42);
    const torch::Tensor c = draw(*data, 500, 43);
    EXPECT_TRUE(torch::equal(a, b));
    EXPECT_FALSE(torch::equal(a, c));
    // Successive draws from one generator advance it.
    at::Generator gen = makeGenerator(42);
    const torch::Tensor first = data->sample(500, gen), second = data->sample(500, gen);
    EXPECT_TRUE(torch::equal(first, a));
    EXPECT_FALSE(torch::equal(first, second));
  }
}

TEST(Datasets, BoundsHoldEssentiallyAllSamples) {
  TempDir dir;
  for (const std::string& name : pointDatasets()) {
    SCOPED_TRACE(name);
    auto data = makeDataset(configFor(name, dir.path()), dir.path().string());
    const Bounds2D b = data->bounds();
    EXPECT_LT(b.xmin, b.xmax);
    EXPECT_LT(b.ymin, b.ymax);
    EXPECT_GE(b.xmin, -6.0);
    EXPECT_LE(b.xmax, 6.0);
    const torch::Tensor x = draw(*data, 5000, 7).to(torch::kFloat64);
    const torch::Tensor inside = x.select(1, 0).ge(b.xmin) & x.select(1, 0).le(b.xmax) &
                                 x.select(1, 1).ge(b.ymin) & x.select(1, 1).le(b.ymax);
    EXPECT_GE(inside.to(torch::kFloat64).mean().item<double>(), 0.998);
  }
}

TEST(Datasets, OnlyTheAnalyticTargetsHaveALogDensity) {
  TempDir dir;
  const torch::Tensor x = torch::zeros({3, 2});
  for (const std::string& name : pointDatasets()) {
    SCOPED_TRACE(name);
    auto data = makeDataset(configFor(name, dir.path()), dir.path().string());
    const bool exact = name == "checkerboard" || name == "gaussian" || name == "eight_gaussians";
    EXPECT_EQ(data->hasLogDensity(), exact);
    if (exact) {
      const torch::Tensor lp = data->logDensity(x);
      EXPECT_EQ(lp.scalar_type(), torch::kFloat64);
      EXPECT_EQ(lp.sizes(), torch::IntArrayRef({3}));
    } else {
      EXPECT_THROW(data->logDensity(x), std::logic_error);
    }
  }
  // Eight point masses have no density.
  DataConfig config = configNamed("eight_gaussians");
  config.noise = 0.0;
  auto masses = makeDataset(config);
  EXPECT_FALSE(masses->hasLogDensity());
  EXPECT_THROW(masses->logDensity(x), std::logic_error);
}

// --- config errors ----------------------------------------------------------------------------

TEST(DatasetConfig, UnknownNameIsADataNameErrorListingTheChoices) {
  const ConfigError e = configErrorOf([] { makeDataset(configNamed("checkers")); });
  EXPECT_EQ(e.key(), "data.name");
  EXPECT_TRUE(contains(e.what(), "'checkers'")) << e.what();
  for (const std::string& name : datasetRegistry().names()) EXPECT_TRUE(contains(e.what(), name)) << name;
}

TEST(DatasetConfig, NegativeOrNonFiniteNoiseIsADataNoiseError) {
  for (const std::string& name : pointDatasets()) {
    for (double bad : {-0.1, std::numeric_limits<double>::quiet_NaN(),
                       std::numeric_limits<double>::infinity()}) {
      SCOPED_TRACE(name + " noise " + std::to_string(bad));
      DataConfig config = configNamed(name);
      config.file = "irrelevant.npy";
      config.noise = bad;
      const ConfigError e = configErrorOf([&] { makeDataset(config); });
      EXPECT_EQ(e.key(), "data.noise");
      EXPECT_TRUE(contains(e.what(), "data.noise")) << e.what();
    }
  }
  EXPECT_EQ(configErrorOf([] { const TwoMoons moons(-1.0); }).key(), "data.noise");
}

TEST(DatasetConfig, ZeroNoiseIsAllowedAndChangesTheSamples) {
  for (const std::string name :
       {"eight_gaussians", "two_moons", "circles", "spirals", "pinwheel", "swiss_roll"}) {
    SCOPED_TRACE(name);
    DataConfig config = configNamed(name);
    config.noise = 0.0;
    const torch::Tensor quiet = draw(*makeDataset(config), 200, 1);
    const torch::Tensor noisy = draw(*makeDataset(configNamed(name)), 200, 1);
    EXPECT_FALSE(torch::allclose(quiet, noisy));
  }
}

TEST(DatasetConfig, BadGaussianParametersNameTheirKey) {
  DataConfig config = configNamed("gaussian");
  config.covariance = {1.0, 2.0, 2.0, 1.0};
  ConfigError e = configErrorOf([&] { makeDataset(config); });
  EXPECT_EQ(e.key(), "data.covariance");
  EXPECT_TRUE(contains(e.what(), "[[1, 2], [2, 1]]")) << e.what();
  EXPECT_TRUE(contains(e.what(), "positive definite")) << e.what();

  config.covariance = {1.0, 0.5, 0.2, 1.0};  // not symmetric
  e = configErrorOf([&] { makeDataset(config); });
  EXPECT_EQ(e.key(), "data.covariance");
  EXPECT_TRUE(contains(e.what(), "symmetric")) << e.what();

  for (std::array<double, 4> bad : {std::array<double, 4>{-1, 0, 0, 1}, {0, 0, 0, 1}, {1, 0, 0, 0},
                                     {1, 0, 0, std::numeric_limits<double>::quiet_NaN()}}) {
    config.covariance = bad;
    EXPECT_EQ(configErrorOf([&] { makeDataset(config); }).key(), "data.covariance");
  }

  config.covariance = {1, 0, 0, 1};
  config.mean = {0.0, std::numeric_limits<double>::infinity()};
  EXPECT_EQ(configErrorOf([&] { makeDataset(config); }).key(), "data.mean");
}

TEST(DatasetConfig, GaussianParametersAreIgnoredByOtherDatasets) {
  DataConfig config = configNamed("checkerboard");
  config.covariance = {1.0, 2.0, 2.0, 1.0};
  config.mean = {std::numeric_limits<double>::quiet_NaN(), 0.0};
  EXPECT_NO_THROW(makeDataset(config));
}

// --- checkerboard -----------------------------------------------------------------------------

/// Independent of the implementation's floor(x/2) + floor(y/2): column and row indices 0..3 from
/// the board's lower-left corner; the corner square (0, 0) covers [-4, -2)^2 and is black.
bool blackByIndex(double x, double y) {
  if (x < -4 || x >= 4 || y < -4 || y >= 4) return false;
  const int i = static_cast<int>((x + 4) / 2), j = static_cast<int>((y + 4) / 2);
  return (i + j) % 2 == 0;
}

TEST(CheckerboardTest, EverySampleIsBlackAndEachBlackSquareGetsAnEighth) {
  const Checkerboard board;
  const int64_t n = 20000;
  const torch::Tensor x = draw(board, n, 11);
  auto a = x.accessor<float, 2>();
  std::array<int64_t, 16> counts{};
  double fracX = 0.0, fracY = 0.0;
  for (int64_t k = 0; k < n; ++k) {
    const double px = a[k][0], py = a[k][1];
    ASSERT_TRUE(blackByIndex(px, py)) << "(" << px << ", " << py << ")";
    ASSERT_TRUE(Checkerboard::isBlack(px, py));
    const int i = static_cast<int>((px + 4) / 2), j = static_cast<int>((py + 4) / 2);
    ++counts[static_cast<size_t>(j * 4 + i)];
    fracX += (px + 4) / 2 - i;
    fracY += (py + 4) / 2 - j;
  }
  EXPECT_TRUE(Checkerboard::blackMask(x).all().item<bool>());
  for (int j = 0; j < 4; ++j) {
    for (int i = 0; i < 4; ++i) {
      const int64_t c = counts[static_cast<size_t>(j * 4 + i)];
      if ((i + j) % 2 == 0) {
        expectFraction(c, n, 1.0 / 8.0, "square " + std::to_string(i) + "," + std::to_string(j));
      } else {
        EXPECT_EQ(c, 0);
      }
    }
  }
  // Uniform within a square: the mean position inside it is 1/2 (std 1/sqrt(12) per point).
  const double se = std::sqrt(1.0 / 12.0 / n);
  EXPECT_NEAR(fracX / n, 0.5, 4 * se);
  EXPECT_NEAR(fracY / n, 0.5, 4 * se);
}

TEST(CheckerboardTest, LogDensityIsMinusLog32OnBlackAndMinusInfElsewhere) {
  const Checkerboard board;
  const std::vector<std::array<double, 3>> cases = {
      // x, y, black?
      {0.5, 0.5, 1},   {-0.5, 0.5, 0}, {2.5, 0.5, 0},   {2.5, 2.5, 1},   {-3.5, -3.5, 1},
      {0.0, 0.0, 1},   {-2.0, 0.0, 0}, {-2.0, -2.0, 1}, {3.999, 0.5, 0}, {3.999, 2.5, 1},
      {4.0, 0.5, 0},   {0.5, 4.0, 0},  {-4.5, -3.5, 0}, {-4.0, -4.0, 1}, {10.0, 10.0, 0}};
  torch::Tensor x = torch::empty({static_cast<int64_t>(cases.size()), 2}, torch::kFloat64);
  for (size_t k = 0; k < cases.size(); ++k) {
    x[static_cast<int64_t>(k)][0] = cases[k][0];
    x[static_cast<int64_t>(k)][1] = cases[k][1];
  }
  const torch::Tensor lp = board.logDensity(x);
  const torch::Tensor mask = Checkerboard::blackMask(x);
  for (size_t k = 0; k < cases.size(); ++k) {
    const auto row = static_cast<int64_t>(k);
    const bool black = cases[k][2] != 0;
    SCOPED_TRACE("(" + std::to_string(cases[k][0]) + ", " + std::to_string(cases[k][1]) + ")");
    EXPECT_EQ(Checkerboard::isBlack(cases[k][0], cases[k][1]), black);
    EXPECT_EQ(blackByIndex(cases[k][0], cases[k][1]), black);
    EXPECT_EQ(mask[row].item<bool>(), black);
    if (black) {
      EXPECT_DOUBLE_EQ(lp[row].item<double>(), -std::log(32.0));
    } else {
      EXPECT_EQ(lp[row].item<double>(), -std::numeric_limits<double>::infinity());
    }
  }
}

TEST(CheckerboardTest, MaskAgreesWithTheScalarTestAndTheDensityIntegratesToOne) {
  at::Generator gen = makeGenerator(5);
  const torch::Tensor x = torch::rand({20000, 2}, gen) * 10.0 - 5.0;  // float32, beyond the board
  const torch::Tensor mask = Checkerboard::blackMask(x);
  auto a = x.accessor<float, 2>();
  auto m = mask.accessor<bool, 1>();
  for (int64_t k = 0; k < x.size(0); ++k) {
    ASSERT_EQ(m[k], blackByIndex(a[k][0], a[k][1])) << a[k][0] << ", " << a[k][1];
    ASSERT_EQ(m[k], Checkerboard::isBlack(a[k][0], a[k][1]));
  }
  // Midpoint rule on [-5, 5]^2 with cells aligned to the squares: exact up to rounding.
  const int64_t cells = 200;
  const double h = 10.0 / cells;
  const torch::Tensor g = torch::arange(cells, torch::kFloat64) * h - 5.0 + h / 2;
  const auto grid = torch::meshgrid({g, g}, "ij");
  const torch::Tensor pts = torch::stack({grid[0].reshape(-1), grid[1].reshape(-1)}, 1);
  const double mass = Checkerboard().logDensity(pts).exp().sum().item<double>() * h * h;
  EXPECT_NEAR(mass, 1.0, 1e-9);
}

// --- gaussian ---------------------------------------------------------------------------------

/// log N(x; m, C) as p(x0) p(x1 | x0), a different route than the Mahalanobis form.
double gaussianLogPdfByConditioning(double x0, double x1, const std::array<double, 2>& m,
                                    const std::array<double, 4>& c) {
  auto logNormal1d = [](double v, double mu, double var) {
    return -0.5 * std::log(2 * kPi * var) - 0.5 * (v - mu) * (v - mu) / var;
  };
  const double condMean = m[1] + c[1] / c[0] * (x0 - m[0]);
  const double condVar = c[3] - c[1] * c[1] / c[0];
  return logNormal1d(x0, m[0], c[0]) + logNormal1d(x1, condMean, condVar);
}

TEST(GaussianDataTest, SampleMeanAndCovarianceMatchWithinStandardError) {
  const std::array<double, 2> m{1.0, -2.0};
  const std::array<double, 4> c{2.0, 0.8, 0.8, 1.0};
  const GaussianData data(m, c);
  const int64_t n = 200000;
  const torch::Tensor x = draw(data, n, 21).to(torch::kFloat64);
  const torch::Tensor mean = x.mean(0);
  const torch::Tensor d = x - mean;
  const torch::Tensor cov = d.t().mm(d) / static_cast<double>(n - 1);
  for (int i = 0; i < 2; ++i) {
    const double se = std::sqrt(c[static_cast<size_t>(3 * i)] / n);
    EXPECT_NEAR(mean[i].item<double>(), m[static_cast<size_t>(i)], 5 * se) << "mean " << i;
    for (int j = 0; j < 2; ++j) {
      // Var of a sample covariance entry: (C_ii C_jj + C_ij^2) / n for Gaussian data.
      const double cij = c[static_cast<size_t>(2 * i + j)];
      const double seCov = std::sqrt((c[static_cast<size_t>(3 * i)] * c[static_cast<size_t>(3 * j)] +
                                      cij * cij) / n);
      EXPECT_NEAR(cov[i][j].item<double>(), cij, 5 * seCov) << "cov " << i << j;
    }
  }
  const Bounds2D b = data.bounds();
  EXPECT_DOUBLE_EQ(b.xmin, 1.0 - 4 * std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(b.xmax, 1.0 + 4 * std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(b.ymin, -6.0);
  EXPECT_DOUBLE_EQ(b.ymax, 2.0);
}

TEST(GaussianDataTest, LogDensityMatchesAnIndependentClosedForm) {
  const std::array<double, 2> m{0.3, -0.7};
  const std::array<double, 4> c{1.7, -0.6, -0.6, 0.5};
  const GaussianData data(m, c);
  const std::vector<std::array<double, 2>> pts = {
      {0.3, -0.7}, {0, 0}, {1.5, -2.0}, {-3.0, 2.5}, {4.0, 4.0}, {-0.1, 0.9}};
  torch::Tensor x = torch::empty({static_cast<int64_t>(pts.size()), 2}, torch::kFloat64);
  for (size_t k = 0; k < pts.size(); ++k) {
    x[static_cast<int64_t>(k)][0] = pts[k][0];
    x[static_cast<int64_t>(k)][1] = pts[k][1];
  }
  const torch::Tensor lp = data.logDensity(x);
  ASSERT_EQ(lp.scalar_type(), torch::kFloat64);
  for (size_t k = 0; k < pts.size(); ++k) {
    EXPECT_NEAR(lp[static_cast<int64_t>(k)].item<double>(),
                gaussianLogPdfByConditioning(pts[k][0], pts[k][1], m, c), 1e-12)
        << pts[k][0] << ", " << pts[k][1];
  }
  // float32 input gives the same values up to the input's rounding.
  EXPECT_TRUE(torch::allclose(data.logDensity(x.to(torch::kFloat32)), lp, 1e-5, 1e-5));
}

TEST(GaussianDataTest, DensityIntegratesToOne) {
  const GaussianData data({0.5, 1.0}, {0.6, 0.25, 0.25, 0.4});
  // Midpoint rule over mean +- 8 std: the mass outside is ~1e-14.
  const int64_t cells = 600;
  const double x0 = 0.5 - 8 * std::sqrt(0.6), y0 = 1.0 - 8 * std::sqrt(0.4);
  const double hx = 16 * std::sqrt(0.6) / cells, hy = 16 * std::sqrt(0.4) / cells;
  const torch::Tensor gx = torch::arange(cells, torch::kFloat64) * hx + x0 + hx / 2;
  const torch::Tensor gy = torch::arange(cells, torch::kFloat64) * hy + y0 + hy / 2;
  const auto grid = torch::meshgrid({gx, gy}, "ij");
  const torch::Tensor pts = torch::stack({grid[0].reshape(-1), grid[1].reshape(-1)}, 1);
  EXPECT_NEAR(data.logDensity(pts).exp().sum().item<double>() * hx * hy, 1.0, 1e-4);
}

TEST(GaussianDataTest, MeanLogDensityOfSamplesIsTheNegativeEntropy) {
  const std::array<double, 4> c{2.0, -0.9, -0.9, 0.7};
  const GaussianData data({-1.0, 2.0}, c);
  const double det = c[0] * c[3] - c[1] * c[2];
  const double entropy = 1.0 + std::log(2 * kPi) + 0.5 * std::log(det);  // log(2 pi e) + log|C|/2
  EXPECT_NEAR(data.entropy(), entropy, 1e-12);
  const int64_t n = 100000;
  const torch::Tensor lp = data.logDensity(draw(data, n, 8));
  const double se = lp.std().item<double>() / std::sqrt(double(n));
  EXPECT_NEAR(lp.mean().item<double>(), -entropy, 5 * se);
}

// --- eight gaussians --------------------------------------------------------------------------

TEST(EightGaussiansTest, DensityIntegratesToOneAndPeaksAtTheCenters) {
  const EightGaussians data;
  const int64_t cells = 600;
  const double h = 12.0 / cells;
  const torch::Tensor g = torch::arange(cells, torch::kFloat64) * h - 6.0 + h / 2;
  const auto grid = torch::meshgrid({g, g}, "ij");
  const torch::Tensor pts = torch::stack({grid[0].reshape(-1), grid[1].reshape(-1)}, 1);
  EXPECT_NEAR(data.logDensity(pts).exp().sum().item<double>() * h * h, 1.0, 1e-4);

  // At a center the other components contribute < 1e-8 of the density.
  const double s = 0.5 / std::sqrt(2.0), r = 4.0 / std::sqrt(2.0);
  const double peak = std::log(1.0 / 8.0 / (2 * kPi * s * s));
  torch::Tensor centers = torch::empty({8, 2}, torch::kFloat64);
  for (int k = 0; k < 8; ++k) {
    centers[k][0] = r * std::cos(k * kPi / 4);
    centers[k][1] = r * std::sin(k * kPi / 4);
  }
  EXPECT_TRUE(torch::allclose(EightGaussians::centers(), centers, 0.0, 1e-12));
  const torch::Tensor lp = data.logDensity(centers);
  for (int k = 0; k < 8; ++k) EXPECT_NEAR(lp[k].item<double>(), peak, 1e-6);
  // Far from every center the log density is finite (log-sum-exp, no underflow to -inf).
  const torch::Tensor far = torch::tensor({{30.0, -30.0}}, torch::kFloat64);
  EXPECT_TRUE(data.logDensity(far).isfinite().all().item<bool>());
}

TEST(EightGaussiansTest, SamplesHaveTheRightRadiusAndComponentWeights) {
  const double s = 0.5 / std::sqrt(2.0), r = 4.0 / std::sqrt(2.0);
  const EightGaussians data;
  const int64_t n = 40000;
  const torch::Tensor x = draw(data, n, 17).to(torch::kFloat64);
  const torch::Tensor radius = x.norm(2, 1);

  // E|x|^2 = r^2 + 2 s^2 exactly.
  const torch::Tensor r2 = radius.pow(2);
  EXPECT_NEAR(r2.mean().item<double>(), r * r + 2 * s * s,
              5 * r2.std().item<double>() / std::sqrt(double(n)));
  // E|x| = E|c + s z| by quadrature over z (grid over +-8 std).
  double expected = 0.0, weight = 0.0;
  const int cells = 400;
  const double h = 16.0 / cells;
  for (int i = 0; i < cells; ++i) {
    for (int j = 0; j < cells; ++j) {
      const double z0 = -8 + (i + 0.5) * h, z1 = -8 + (j + 0.5) * h;
      const double w = std::exp(-0.5 * (z0 * z0 + z1 * z1));
      expected += w * std::hypot(r + s * z0, s * z1);
      weight += w;
    }
  }
  expected /= weight;
  EXPECT_NEAR(radius.mean().item<double>(), expected,
              5 * radius.std().item<double>() / std::sqrt(double(n)));

  // Each component gets 1/8: nearest center by angle (misassignments cancel by symmetry).
  const torch::Tensor sector =
      (torch::atan2(x.select(1, 1), x.select(1, 0)) / (kPi / 4)).round().remainder(8).to(torch::kLong);
  const torch::Tensor counts = torch::bincount(sector, {}, 8);
  for (int k = 0; k < 8; ++k) {
    expectFraction(counts[k].item<int64_t>(), n, 1.0 / 8.0, "component " + std::to_string(k));
  }
}

// --- sampler geometry without noise -----------------------------------------------------------

std::unique_ptr<Dataset2D> noiseless(const std::string& name) {
  DataConfig config = configNamed(name);
  config.noise = 0.0;
  return makeDataset(config);
}

TEST(SamplerGeometry, TwoMoonsLieOnTheTwoArcs) {
  const int64_t n = 20000;
  const torch::Tensor x = draw(*noiseless("two_moons"), n, 2);
  auto a = x.accessor<float, 2>();
  int64_t outer = 0;
  for (int64_t k = 0; k < n; ++k) {
    // Undo FFJORD's x * 2 + (-1, -0.2) to get make_moons' coordinates.
    const double u = (a[k][0] + 1.0) / 2.0, v = (a[k][1] + 0.2) / 2.0;
    const bool onOuter = std::abs(std::hypot(u, v) - 1.0) < 1e-5 && v >= -1e-6;
    const bool onInner = std::abs(std::hypot(u - 1.0, v - 0.5) - 1.0) < 1e-5 && v <= 0.5 + 1e-6;
    ASSERT_TRUE(onOuter || onInner) << "(" << a[k][0] << ", " << a[k][1] << ")";
    outer += onOuter;
  }
  expectFraction(outer, n, 0.5, "outer arc");
}

TEST(SamplerGeometry, CirclesHaveRadii3And1Point5WithUniformAngles) {
  const int64_t n = 20000;
  const torch::Tensor x = draw(*noiseless("circles"), n, 2).to(torch::kFloat64);
  const torch::Tensor radius = x.norm(2, 1);
  const torch::Tensor onOuter = (radius - 3.0).abs().lt(1e-5);
  const torch::Tensor onInner = (radius - 1.5).abs().lt(1e-5);
  EXPECT_TRUE((onOuter | onInner).all().item<bool>());
  expectFraction(onOuter.sum().item<int64_t>(), n, 0.5, "outer circle");
  // Uniform angle: E cos = E sin = 0, each with std 1/sqrt(2) per point.
  const torch::Tensor angle = torch::atan2(x.select(1, 1), x.select(1, 0));
  const double se = std::sqrt(0.5 / n);
  EXPECT_NEAR(angle.cos().mean().item<double>(), 0.0, 5 * se);
  EXPECT_NEAR(angle.sin().mean().item<double>(), 0.0, 5 * se);
}

TEST(SamplerGeometry, CirclesNoiseIsTheStdBeforeScaling) {
  const int64_t n = 20000;
  const torch::Tensor x = draw(*makeDataset(configNamed("circles")), n, 4).to(torch::kFloat64);
  const torch::Tensor radius = x.norm(2, 1) / 3.0;
  // Radial offset from the nearer circle (radius 1 or 0.5) is ~N(0, 0.08^2).
  const torch::Tensor offset =
      torch::minimum((radius - 1.0).abs(), (radius - 0.5).abs());
  EXPECT_NEAR(offset.pow(2).mean().sqrt().item<double>(), 0.08, 0.004);
}

TEST(SamplerGeometry, SpiralPointsLieOnAnArmPlusTheUniformOffset) {
  const int64_t n = 300;
  const torch::Tensor x = draw(*noiseless("spirals"), n, 9);
  auto a = x.accessor<float, 2>();
  const int steps = 20000;
  const double maxAngle = 3 * kPi;
  int64_t positive = 0;
  for (int64_t k = 0; k < n; ++k) {
    // Some arm sign s and angle t in [0, 3 pi] must leave an offset s*3x - c(t) in [0, 0.5]^2,
    // c(t) = (-t cos t, t sin t). Searched on a grid: c moves < 2.3e-3 from the true t to the nearest grid t.
    bool found = false;
    for (int sign : {1, -1}) {
      const double px = sign * 3.0 * a[k][0], py = sign * 3.0 * a[k][1];
      for (int i = 0; i <= steps && !found; ++i) {
        const double t = maxAngle * i / steps;
        const double ox = px + std::cos(t) * t, oy = py - std::sin(t) * t;
        found = ox > -5e-3 && ox < 0.505 && oy > -5e-3 && oy < 0.505;
        if (found) positive += sign > 0;
      }
      if (found) break;
    }
    ASSERT_TRUE(found) << "(" << a[k][0] << ", " << a[k][1] << ") is on neither arm";
  }
  // Both arms are used (the point-reflected arm overlaps the box test only near the center).
  EXPECT_GT(positive, n / 4);
  EXPECT_LT(positive, 3 * n / 4);
}

TEST(SamplerGeometry, PinwheelPointsFollowTheFiveBlades) {
  const int64_t n = 20000;
  const torch::Tensor x = draw(*noiseless("pinwheel"), n, 6);
  auto a = x.accessor<float, 2>();
  std::array<int64_t, 5> counts{};
  for (int64_t k = 0; k < n; ++k) {
    // Without tangential noise a point is 2 * rho * (cos theta, -sin theta) with
    // theta = 2 pi b / 5 + 0.25 exp(rho) for its blade b (rho < 0 is rare but possible).
    const double len = std::hypot(a[k][0], a[k][1]) / 2.0;
    int blade = -1;
    for (double rho : {len, -len}) {
      for (int b = 0; b < 5 && blade < 0; ++b) {
        const double theta = 2 * kPi * b / 5 + 0.25 * std::exp(rho);
        if (std::hypot(2 * rho * std::cos(theta) - a[k][0], -2 * rho * std::sin(theta) - a[k][1]) <
            1e-4) {
          blade = b;
        }
      }
    }
    ASSERT_GE(blade, 0) << "(" << a[k][0] << ", " << a[k][1] << ") is on no blade";
    ++counts[static_cast<size_t>(blade)];
  }
  for (int b = 0; b < 5; ++b) expectFraction(counts[static_cast<size_t>(b)], n, 0.2, "blade");
}

TEST(SamplerGeometry, SwissRollPointsAreTTimesCosSinTOverFive) {
  const int64_t n = 20000;
  const torch::Tensor x = draw(*noiseless("swiss_roll"), n, 13);
  auto a = x.accessor<float, 2>();
  double sumT = 0.0;
  for (int64_t k = 0; k < n; ++k) {
    const double t = 5.0 * std::hypot(a[k][0], a[k][1]);
    ASSERT_GE(t, 1.5 * kPi - 1e-4);
    ASSERT_LE(t, 4.5 * kPi + 1e-4);
    ASSERT_NEAR(5.0 * a[k][0], t * std::cos(t), 2e-4);
    ASSERT_NEAR(5.0 * a[k][1], t * std::sin(t), 2e-4);
    sumT += t;
  }
  // t is uniform on [1.5 pi, 4.5 pi]: mean 3 pi, std 3 pi / sqrt(12).
  EXPECT_NEAR(sumT / n, 3 * kPi, 5 * 3 * kPi / std::sqrt(12.0 * n));
}

// --- points -----------------------------------------------------------------------------------

const std::vector<float> kCloud = {0.0f, 0.0f, 1.0f, 0.5f, -2.0f, 3.0f, 4.0f, -1.0f, 0.25f, 2.0f};

TEST(PointCloudTest, ReadsNpyRelativeToBaseDirAndSamplesEveryPointUniformly) {
  TempDir dir;
  writeBytes(dir.path() / "points.npy", npyF4({5, 2}, kCloud));
  DataConfig config = configNamed("points");
  config.file = "points.npy";
  auto data = makeDataset(config, dir.path().string());
  const auto& cloud = dynamic_cast<const PointCloud&>(*data);
  EXPECT_TRUE(torch::equal(cloud.points(), torch::tensor(kCloud).reshape({5, 2})));

  const int64_t n = 20000;
  const torch::Tensor x = draw(*data, n, 1);
  auto a = x.accessor<float, 2>();
  std::array<int64_t, 5> counts{};
  for (int64_t k = 0; k < n; ++k) {
    int match = -1;
    for (int p = 0; p < 5; ++p) {
      if (a[k][0] == kCloud[2 * p] && a[k][1] == kCloud[2 * p + 1]) match = p;
    }
    ASSERT_GE(match, 0) << "sample (" << a[k][0] << ", " << a[k][1] << ") is not a data point";
    ++counts[static_cast<size_t>(match)];
  }
  for (int p = 0; p < 5; ++p) expectFraction(counts[static_cast<size_t>(p)], n, 0.2, "point");

  // Range x in [-2, 4], y in [-1, 3], padded by 10% of the range.
  const Bounds2D b = data->bounds();
  EXPECT_DOUBLE_EQ(b.xmin, -2.6);
  EXPECT_DOUBLE_EQ(b.xmax, 4.6);
  EXPECT_DOUBLE_EQ(b.ymin, -1.4);
  EXPECT_DOUBLE_EQ(b.ymax, 3.4);
}

TEST(PointCloudTest, ReadsCsvWithAndWithoutHeaderAndAbsolutePaths) {
  TempDir dir;
  writeBytes(dir.path() / "with_header.csv", "x,y\n0,0\n1,0.5\n-2,3\n4,-1\n0.25,2\n");
  writeBytes(dir.path() / "plain.csv", "0,0\n1,0.5\n-2,3\n4,-1\n0.25,2\n");
  const torch::Tensor expected = torch::tensor(kCloud).reshape({5, 2});
  for (const char* file : {"with_header.csv", "plain.csv"}) {
    SCOPED_TRACE(file);
    DataConfig config = configNamed("points");
    config.file = (dir.path() / file).string();  // absolute: baseDir is not used
    auto data = makeDataset(config, "/nonexistent");
    EXPECT_TRUE(torch::equal(dynamic_cast<const PointCloud&>(*data).points(), expected));
  }
}

TEST(PointCloudTest, NoiseAddsGaussianJitterOfThatStd) {
  TempDir dir;
  writeBytes(dir.path() / "two.npy", npyF4({2, 2}, {0, 0, 100, 100}));
  DataConfig config = configNamed("points");
  config.file = "two.npy";
  config.noise = 0.5;
  auto data = makeDataset(config, dir.path().string());
  const int64_t n = 20000;
  const torch::Tensor x = draw(*data, n, 3).to(torch::kFloat64);
  const torch::Tensor offset = x - (x > 50.0).to(torch::kFloat64) * 100.0;
  EXPECT_NEAR(offset.mean().item<double>(), 0.0, 5 * 0.5 / std::sqrt(2.0 * n));
  EXPECT_NEAR(offset.std().item<double>(), 0.5, 0.02);
  EXPECT_GT(data->bounds().xmax, 110.0);  // 10% padding plus 4 std of jitter
}

ConfigError pointsError(const fs::path& dir, const std::string& file) {
  DataConfig config = configNamed("points");
  config.file = file;
  return configErrorOf([&] { makeDataset(config, dir.string()); });
}

TEST(PointCloudTest, BadFilesAreDataFileErrorsNamingTheFile) {
  TempDir dir;
  writeBytes(dir.path() / "points.npy", npyF4({10, 3}, std::vector<float>(30, 1.0f)));
  ConfigError e = pointsError(dir.path(), "points.npy");
  EXPECT_EQ(e.key(), "data.file");
  EXPECT_TRUE(contains(e.what(), "data.file: points.npy has shape [10, 3] (expected [N, 2])"))
      << e.what();

  writeBytes(dir.path() / "cube.npy", npyF4({4, 2, 1}, std::vector<float>(8, 1.0f)));
  e = pointsError(dir.path(), "cube.npy");
  EXPECT_TRUE(contains(e.what(), "cube.npy has shape [4, 2, 1]")) << e.what();

  writeBytes(dir.path() / "flat.npy", npyF4({6}, std::vector<float>(6, 1.0f)));
  e = pointsError(dir.path(), "flat.npy");
  EXPECT_TRUE(contains(e.what(), "flat.npy has shape [6]")) << e.what();

  e = pointsError(dir.path(), "missing.npy");
  EXPECT_EQ(e.key(), "data.file");
  EXPECT_TRUE(contains(e.what(), "missing.npy")) << e.what();

  writeBytes(dir.path() / "one.npy", npyF4({1, 2}, {1.0f, 2.0f}));
  e = pointsError(dir.path(), "one.npy");
  EXPECT_EQ(e.key(), "data.file");
  EXPECT_TRUE(contains(e.what(), "one.npy has 1 point (expected at least 2)")) << e.what();

  writeBytes(dir.path() / "none.csv", "x,y\n");
  e = pointsError(dir.path(), "none.csv");
  EXPECT_TRUE(contains(e.what(), "none.csv has 0 points")) << e.what();

  writeBytes(dir.path() / "nan.npy",
             npyF4({3, 2}, {0, 0, 1, std::numeric_limits<float>::quiet_NaN(), 2, 2}));
  e = pointsError(dir.path(), "nan.npy");
  EXPECT_EQ(e.key(), "data.file");
  EXPECT_TRUE(contains(e.what(), "nan.npy has a non-finite value in point 2")) << e.what();

  writeBytes(dir.path() / "wide.csv", "1,2,3\n4,5,6\n");
  e = pointsError(dir.path(), "wide.csv");
  EXPECT_EQ(e.key(), "data.file");
  EXPECT_TRUE(contains(e.what(), "wide.csv has 3 columns")) << e.what();

  writeBytes(dir.path() / "points.txt", "1 2\n3 4\n");
  e = pointsError(dir.path(), "points.txt");
  EXPECT_EQ(e.key(), "data.file");
  EXPECT_TRUE(contains(e.what(), "points.txt")) << e.what();

  writeBytes(dir.path() / "garbage.npy", "not an npy file");
  e = pointsError(dir.path(), "garbage.npy");
  EXPECT_EQ(e.key(), "data.file");
  EXPECT_TRUE(contains(e.what(), "garbage.npy")) << e.what();

  e = pointsError(dir.path(), "");
  EXPECT_EQ(e.key(), "data.file");
}

}  // namespace
}  // namespace flowscope
