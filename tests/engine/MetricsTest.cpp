// Tests for the 2D sample-quality metrics: exact values on small hand-worked sets, 0 for identical
// sets, ~0 for two large samples of one distribution, strict growth with a known shift, the
// closed forms of sliced W2 (shift / sqrt 2) and the 1D Gaussian energy distance, the bounds of
// JS, chunked = unchunked, and the sampleQuality bundle on the checkerboard and a Gaussian.

#include "core/data/Checkerboard.h"
#include "core/data/GaussianData.h"
#include "core/data/TwoMoons.h"
#include "core/metrics/EnergyDistance.h"
#include "core/metrics/HistogramDivergence.h"
#include "core/metrics/SampleMetrics.h"
#include "core/metrics/SlicedWasserstein.h"
#include "core/util/Error.h"
#include "core/util/Random.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace flowscope {
namespace {

constexpr double kPi = 3.14159265358979323846;
const std::vector<double> kShifts = {0.0, 0.25, 0.5, 1.0, 2.0};

/// n standard normal points in d dimensions, float64, from `seed`.
torch::Tensor normal(int64_t n, int64_t d, uint64_t seed) {
  at::Generator gen = makeGenerator(seed);
  return torch::randn({n, d}, gen, torch::TensorOptions().dtype(torch::kFloat64));
}

/// The 1D "quantile sample" of N(0, 1): Phi^-1((i + 1/2) / n), i < n, as [n, 1]. Its pairwise
/// averages approach the population expectations with an O(1/n^1.5) error instead of the
/// O(1/sqrt(n)) noise of random draws, so closed forms can be checked tightly.
torch::Tensor normalQuantiles(int64_t n) {
  const auto u = (torch::arange(n, torch::kFloat64) + 0.5) / static_cast<double>(n);
  return (torch::erfinv(2 * u - 1) * std::sqrt(2.0)).unsqueeze(1);
}

/// x moved by s along the first axis.
torch::Tensor shiftedX(const torch::Tensor& x, double s) {
  auto y = x.clone();
  y.select(1, 0).add_(s);
  return y;
}

/// Standard normal cdf and pdf.
double Phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

/// E|Z| for Z ~ N(mu, s^2) (folded normal mean).
double foldedNormalMean(double mu, double s) {
  return s * std::sqrt(2.0 / kPi) * std::exp(-mu * mu / (2 * s * s)) + mu * (1 - 2 * Phi(-mu / s));
}

/// Values of `metric` at each shift of an independent sample; expects ~0 at shift 0 (below
/// `zeroTolerance`) and strict growth.
void expectGrowsWithShift(const std::function<double(const torch::Tensor&, const torch::Tensor&)>&
                              metric,
                          int64_t n, double zeroTolerance) {
  const auto a = normal(n, 2, 1);
  const auto b = normal(n, 2, 2);
  std::vector<double> values;
  std::string all;
  for (double s : kShifts) {
    values.push_back(metric(a, shiftedX(b, s)));
    all += " " + std::to_string(values.back());
  }
  EXPECT_LT(values[0], zeroTolerance) << "values at shifts 0 .. 2:" << all;
  EXPECT_GE(values[0], 0.0);
  for (size_t i = 1; i < values.size(); ++i)
    EXPECT_GT(values[i], values[i - 1])
        << "shift " << kShifts[i] << " vs " << kShifts[i - 1] << "; values:" << all;
}

template <typename F>
void expectInputError(F&& f) {
  EXPECT_THROW(f(), InputError);
}

// --- sliced Wasserstein -----------------------------------------------------------------------

TEST(SlicedWasserstein, IdenticalSetsGiveZeroAndPermutedSetsZeroUpToRounding) {
  const auto a = normal(500, 2, 3);
  at::Generator gen = makeGenerator(7);
  EXPECT_EQ(slicedWasserstein(a, a.clone(), 64, gen), 0.0);
  // A permutation moves rows into other GEMM tiles; AVX-512 kernels round edge tiles differently
  // (measured 5.8e-18 on a Zen 4), so only rounding-level agreement is a property of the metric.
  const auto permuted = a.index_select(0, torch::randperm(500, gen));
  EXPECT_LT(slicedWasserstein(a, permuted, 64, gen), 1e-12);
  // ...while a one-point change is far above that level.
  auto moved = permuted.clone();
  moved[0][0] += 1e-3;
  EXPECT_GT(slicedWasserstein(a, moved, 64, gen), 1e-10);
}

TEST(SlicedWasserstein, UnequalSizesInterpolateQuantileFunctions) {
  // In 1D every direction is +-1. a = {0, 1} has quantiles 0, 0.5, 1 at the K = 3 levels 1/6,
  // 1/2, 5/6 (ends held constant, middle interpolated), so it matches {0, 0.5, 1} exactly...
  const auto a = torch::tensor({0.0, 1.0}, torch::kFloat64).unsqueeze(1);
  const auto b = torch::tensor({1.0, 0.0, 0.5}, torch::kFloat64).unsqueeze(1);
  at::Generator gen = makeGenerator(1);
  EXPECT_EQ(slicedWasserstein(a, b, 8, gen), 0.0);
  // ... and is (0, 0.5, 1) against (0, 1, 2): W2^2 = (0 + 0.25 + 1) / 3, W1 = (0 + 0.5 + 1) / 3.
  const auto c = torch::tensor({2.0, 0.0, 1.0}, torch::kFloat64).unsqueeze(1);
  EXPECT_NEAR(slicedWasserstein(a, c, 8, gen), std::sqrt(1.25 / 3), 1e-14);
  EXPECT_NEAR(slicedWasserstein(c, a, 8, gen, 1.0), 0.5, 1e-14);
}

TEST(SlicedWasserstein, ShiftedCopyIsShiftOverSqrt2) {
  // Projections of a + (s, 0) are those of a moved by s cos(theta), so W2^2 = s^2 cos^2 per
  // direction and SW2 = s sqrt(E cos^2) = s / sqrt(2). Monte Carlo over 4096 directions: the
  // relative std of SW2 is sqrt(Var cos^2 / L) / (2 E cos^2) = sqrt(1/8 / 4096) ~ 0.55%. The
  // sample size does not matter here (the identity is exact per direction).
  const auto a = normal(300, 2, 4);
  for (double s : {0.5, 2.0}) {
    at::Generator gen = makeGenerator(11);
    EXPECT_NEAR(slicedWasserstein(a, shiftedX(a, s), 4096, gen), s / std::sqrt(2.0),
                0.025 * s / std::sqrt(2.0))
        << "shift " << s;
  }
}

TEST(SlicedWasserstein, IndependentGaussiansShiftedBySqrt2) {
  // N(0, I) vs N((2, 0), I) from independent samples: sqrt(2) plus finite-sample effects, mostly
  // the noise of the two sample means along x (std 0.017 in SW2). Measured over 10 seeds: mean
  // +0.010, std 0.019; tolerance 0.08 is ~4 std.
  at::Generator gen = makeGenerator(12);
  const double sw = slicedWasserstein(normal(4000, 2, 5), shiftedX(normal(3000, 2, 6), 2.0), 1024,
                                      gen);
  EXPECT_NEAR(sw, std::sqrt(2.0), 0.08);
}

TEST(SlicedWasserstein, NearZeroForOneDistributionAndGrowsWithShift) {
  expectGrowsWithShift(
      [](const torch::Tensor& a, const torch::Tensor& b) {
        at::Generator gen = makeGenerator(13);  // same directions at every shift
        return slicedWasserstein(a, b.narrow(0, 0, 3000), 256, gen);
      },
      4000, 0.06);
}

TEST(SlicedWasserstein, RejectsBadArguments) {
  at::Generator gen = makeGenerator(1);
  const auto a = normal(10, 2, 1);
  expectInputError([&] { slicedWasserstein(a, normal(10, 3, 1), 8, gen); });
  expectInputError([&] { slicedWasserstein(a, a.narrow(0, 0, 0), 8, gen); });
  expectInputError([&] { slicedWasserstein(a, a, 0, gen); });
  expectInputError([&] { slicedWasserstein(a, a, 8, gen, 0.5); });
}

// --- energy distance and MMD ------------------------------------------------------------------

/// Full-matrix reference implementations, independent of the chunking and of cdist.
torch::Tensor distances(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.unsqueeze(1) - b.unsqueeze(0)).square().sum(2).sqrt();
}

double energyDirect(const torch::Tensor& a, const torch::Tensor& b) {
  return (2 * distances(a, b).mean() - distances(a, a).mean() - distances(b, b).mean())
      .item<double>();
}

double mmdDirect(const torch::Tensor& a, const torch::Tensor& b, double h) {
  auto k = [h](const torch::Tensor& d) { return (-d.square() / (2 * h * h)).exp().mean(); };
  return (k(distances(a, a)) + k(distances(b, b)) - 2 * k(distances(a, b))).item<double>();
}

TEST(EnergyDistance, IdenticalSetsGiveExactlyZero) {
  const auto a = normal(700, 2, 8);
  EXPECT_EQ(energyDistance(a, a.clone()), 0.0);
  EXPECT_EQ(mmdRbf(a, a.clone(), 0.5), 0.0);
}

TEST(EnergyDistance, ChunkedMatchesUnchunkedAndFullMatrix) {
  const auto a = normal(600, 2, 9);
  const auto b = shiftedX(normal(500, 2, 10), 0.3).to(torch::kFloat32);
  const int64_t oneBlock = int64_t{1} << 40;
  const int64_t sevenRows = 8 * 600 * 7;  // 7-row blocks (with a remainder) for every term
  const double whole = energyDistance(a, b, oneBlock);
  EXPECT_NEAR(energyDistance(a, b, sevenRows), whole, 1e-12 * whole);
  EXPECT_NEAR(energyDistance(a, b, 1), whole, 1e-12 * whole);  // one row at a time
  EXPECT_NEAR(whole, energyDirect(a, b.to(torch::kFloat64)), 1e-12 * whole);
  const double mmdWhole = mmdRbf(a, b, 0.7, oneBlock);
  EXPECT_NEAR(mmdRbf(a, b, 0.7, sevenRows), mmdWhole, 1e-12 * mmdWhole);
  EXPECT_NEAR(mmdWhole, mmdDirect(a, b.to(torch::kFloat64), 0.7), 1e-12 * mmdWhole);
}

TEST(EnergyDistance, MatchesGaussianClosedFormIn1D) {
  // X ~ N(0, 1), Y ~ N(mu, 1): X - Y ~ N(-mu, 2), X - X' ~ N(0, 2), so
  // D^2 = 2 E|N(mu, 2)| - 2 E|N(0, 2)| with E|N(0, 2)| = 2 / sqrt(pi). On 2,000-point quantile
  // samples the statistic is within 1.2e-5 of it (measured; 3.7e-5 at n = 1,000, 3.9e-6 at 4,000).
  const auto x = normalQuantiles(2000);
  for (double mu : {0.5, 1.0, 2.0}) {
    const double exact = 2 * foldedNormalMean(mu, std::sqrt(2.0)) - 4 / std::sqrt(kPi);
    EXPECT_NEAR(energyDistance(x, x + mu), exact, 1e-4) << "mu " << mu;
  }
  // Random samples: the V-statistic's mean is D^2 + E|X - X'| / n + E|Y - Y'| / m, its std
  // ~0.031 at mu = 1, n = m = 3000 (measured over 20 seeds); tolerance ~4 std.
  const int64_t n = 3000;
  const double exact = 2 * foldedNormalMean(1.0, std::sqrt(2.0)) - 4 / std::sqrt(kPi);
  EXPECT_NEAR(energyDistance(normal(n, 1, 20), normal(n, 1, 21) + 1.0),
              exact + 2 * (2 / std::sqrt(kPi)) / n, 0.12);
}

TEST(EnergyDistance, MmdMatchesGaussianClosedFormIn1D) {
  // E exp(-Z^2 / (2 h^2)) = h / sqrt(h^2 + s^2) exp(-m^2 / (2 (h^2 + s^2))) for Z ~ N(m, s^2);
  // with X - Y ~ N(-mu, 2) and X - X' ~ N(0, 2):
  // MMD^2 = 2 h / sqrt(h^2 + 2) (1 - exp(-mu^2 / (2 (h^2 + 2)))).
  const auto x = normalQuantiles(2000);
  for (double h : {0.5, 1.0})
    for (double mu : {0.5, 1.0, 2.0}) {
      const double exact =
          2 * h / std::sqrt(h * h + 2) * (1 - std::exp(-mu * mu / (2 * (h * h + 2))));
      EXPECT_NEAR(mmdRbf(x, x + mu, h), exact, 1e-4) << "h " << h << " mu " << mu;
    }
}

TEST(EnergyDistance, NearZeroForOneDistributionAndGrowsWithShift) {
  expectGrowsWithShift(
      [](const torch::Tensor& a, const torch::Tensor& b) { return energyDistance(a, b); }, 2000,
      1e-2);  // over 20 seeds: shift 0 in [0.0007, 0.005], shift 0.25 in [0.018, 0.043]
}

TEST(EnergyDistance, MmdNearZeroForOneDistributionAndGrowsWithShift) {
  expectGrowsWithShift(
      // h = 1: MMD^2 at shift 0.25 is 0.0069, at shift 0 the V-statistic's bias
      // (2 / n)(1 - h^2 / (h^2 + 2)) = 6.7e-4 plus noise of the same size.
      [](const torch::Tensor& a, const torch::Tensor& b) { return mmdRbf(a, b, 1.0); }, 2000,
      3e-3);
}

TEST(EnergyDistance, RejectsBadArguments) {
  const auto a = normal(10, 2, 1);
  expectInputError([&] { energyDistance(a, normal(10, 1, 1)); });
  expectInputError([&] { energyDistance(a, a.narrow(0, 0, 0)); });
  expectInputError([&] { energyDistance(a.flatten(), a); });
  expectInputError([&] { mmdRbf(a, a, 0.0); });
  expectInputError([&] { mmdRbf(a, a, std::numeric_limits<double>::infinity()); });
}

// --- histograms -------------------------------------------------------------------------------

Histogram2D histogramOf(int bins, std::vector<double> counts, Bounds2D range = {}) {
  Histogram2D h;
  h.bins = bins;
  h.range = range;
  h.counts = std::move(counts);
  return h;
}

TEST(Histogram, CountsHalfOpenCellsAndDropsOutsidePoints) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto x = torch::tensor({-1.0, -1.0,     // cell (0, 0): the lower corner is inside
                                0.999, 0.5,     // (1, 1)
                                0.0, -1.0,      // (1, 0): x = 0 opens the second column
                                -0.5, 0.0,      // (0, 1)
                                0.25, 0.25,     // (1, 1)
                                1.0, 0.0,       // outside: xmax is excluded
                                0.0, 1.0,       // outside: ymax is excluded
                                -1.0001, 0.0,   // outside
                                nan, 0.0},      // outside
                               torch::kFloat64)
                       .view({-1, 2});
  const Histogram2D h = histogram2d(x.to(torch::kFloat32), {-1.0, 1.0, -1.0, 1.0}, 2);
  EXPECT_EQ(h.bins, 2);
  EXPECT_EQ(h.outside, 4);
  // counts[iy * bins + ix]
  EXPECT_EQ(h.counts, (std::vector<double>{1, 1, 1, 2}));
}

TEST(Histogram, PointJustBelowTheUpperEdgeLandsInTheLastCell) {
  const double below = std::nextafter(3.0, 0.0);
  const auto x = torch::tensor({below, below}, torch::kFloat64).view({1, 2});
  const Histogram2D h = histogram2d(x, {-3.0, 3.0, -3.0, 3.0}, 7);
  EXPECT_EQ(h.outside, 0);
  EXPECT_EQ(h.counts.back(), 1.0);
}

TEST(Histogram, KlAndJsOfSmallHistogramsMatchHandComputedValues) {
  const auto p = histogramOf(2, {1, 1, 2, 0});
  const auto q = histogramOf(2, {1, 2, 1, 0});
  // P = (1/4, 1/4, 1/2, 0), Q = (1/4, 1/2, 1/4, 0).
  const double kl = 0.25 * std::log(0.5) + 0.5 * std::log(2.0);
  EXPECT_NEAR(klDivergence(p, q, 0.0), kl, 1e-15);
  // M = (1/4, 3/8, 3/8, 0).
  const double js = 0.5 * (0.25 * std::log(0.25 / 0.375) + 0.5 * std::log(0.5 / 0.375)) +
                    0.5 * (0.5 * std::log(0.5 / 0.375) + 0.25 * std::log(0.25 / 0.375));
  EXPECT_NEAR(jsDivergence(p, q), js, 1e-15);
  // KL is not symmetric: against the uniform u, KL(P || U) = (1/2) log 2 but KL(U || P) = +inf.
  const auto u = histogramOf(2, {3, 3, 3, 3});
  EXPECT_NEAR(klDivergence(p, u, 0.0), 0.5 * std::log(2.0), 1e-15);
  EXPECT_EQ(klDivergence(u, p, 0.0), std::numeric_limits<double>::infinity());
  // Smoothing: p's mass in a cell where q is empty costs ~ log(1 / eps) instead of +inf.
  const auto r = histogramOf(2, {1, 1, 0, 0});
  EXPECT_EQ(klDivergence(p, r, 0.0), std::numeric_limits<double>::infinity());
  const double smoothed = klDivergence(p, r, 1e-10);
  EXPECT_TRUE(std::isfinite(smoothed));
  EXPECT_NEAR(smoothed, 0.25 * std::log(0.25 / 0.5) * 2 + 0.5 * std::log(0.5 / (1e-10 / 2)), 1e-6);
}

TEST(Histogram, DivergenceOfAHistogramWithItselfIsZero) {
  const auto h = histogram2d(normal(5000, 2, 30), {}, 32);
  EXPECT_EQ(klDivergence(h, h), 0.0);
  EXPECT_EQ(klDivergence(h, h, 0.0), 0.0);
  EXPECT_EQ(jsDivergence(h, h), 0.0);
}

TEST(Histogram, JsIsAtMostLog2AndLog2ForDisjointSupports) {
  const auto a = normal(4000, 2, 31);
  const auto left = histogram2d(a.select(1, 0).abs().neg().unsqueeze(1).repeat({1, 2}), {}, 16);
  const auto right = histogram2d(a.select(1, 0).abs().add(0.01).unsqueeze(1).repeat({1, 2}), {},
                                 16);
  EXPECT_NEAR(jsDivergence(left, right), std::log(2.0), 1e-12);
  for (double s : kShifts) {
    const double js = jsDivergence(histogram2d(a, {}, 16), histogram2d(shiftedX(a, 3 * s), {}, 16));
    EXPECT_LE(js, std::log(2.0) + 1e-12) << "shift " << s;
  }
}

TEST(Histogram, NearZeroForOneDistributionAndGrowsWithShift) {
  // 50,000 points on 16 x 16 cells of [-4, 4)^2, ~1,000 per cell near the mode. At shift 0 the
  // plug-in KL is biased up by ~(cells - 1) / n and by tail cells that one sample hits and the
  // other misses (each ~ (1/n) log(1/eps) ~ 5e-4); measured 0.015. The exact value at s = 0.25 is
  // s^2 / 2 = 0.031 (JS ~ KL / 8 for small shifts).
  auto hist = [](const torch::Tensor& x) { return histogram2d(x, {}, 16); };
  expectGrowsWithShift(
      [&](const torch::Tensor& a, const torch::Tensor& b) {
        return klDivergence(hist(a), hist(b));
      },
      50000, 0.025);
  expectGrowsWithShift(
      [&](const torch::Tensor& a, const torch::Tensor& b) {
        return jsDivergence(hist(a), hist(b));
      },
      50000, 0.005);
}

TEST(Histogram, RejectsDifferentGridsAndBadArguments) {
  const auto a = normal(100, 2, 1);
  const auto h = histogram2d(a, {}, 8);
  const auto otherBins = histogram2d(a, {}, 9);
  const auto otherRange = histogram2d(a, {-4.0, 4.0, -4.0, 5.0}, 8);
  expectInputError([&] { klDivergence(h, otherBins); });
  expectInputError([&] { klDivergence(h, otherRange); });
  expectInputError([&] { jsDivergence(h, otherBins); });
  expectInputError([&] { jsDivergence(h, otherRange); });
  expectInputError([&] { klDivergence(h, h, -1.0); });
  expectInputError([&] { jsDivergence(h, histogram2d(a + 100, {}, 8)); });  // empty
  expectInputError([&] { histogram2d(a, {}, 0); });
  expectInputError([&] { histogram2d(a, {1.0, 1.0, -4.0, 4.0}, 8); });
  expectInputError([&] { histogram2d(normal(10, 3, 1), {}, 8); });
}

// --- sampleQuality ----------------------------------------------------------------------------

SampleQualityOptions quickOptions() {
  SampleQualityOptions o;
  o.projections = 64;
  o.bins = 16;
  return o;
}

TEST(SampleMetrics, CheckerboardSamplesScoreAsTheData) {
  const Checkerboard data;
  at::Generator sampler = makeGenerator(40);
  const auto x = data.sample(3000, sampler);
  at::Generator gen = makeGenerator(41);
  const auto m = sampleQuality(x, data, 3000, gen, quickOptions());
  for (const char* key :
       {"sliced_w2", "energy", "kl_hist", "js_hist", "sample_nll", "off_support", "frac_black"})
    EXPECT_EQ(m.count(key), 1u) << key;
  EXPECT_EQ(m.count("mmd"), 0u);
  EXPECT_NEAR(m.at("sample_nll"), std::log(32.0), 1e-12);
  EXPECT_EQ(m.at("off_support"), 0.0);
  EXPECT_EQ(m.at("frac_black"), 1.0);
  EXPECT_LT(m.at("sliced_w2"), 0.1);
  EXPECT_LT(m.at("energy"), 5e-3);
  EXPECT_LT(m.at("js_hist"), 0.02);
  EXPECT_LT(m.at("kl_hist"), 0.05);
}

TEST(SampleMetrics, HistogramKlIsDataAgainstSamples) {
  // Samples on one black square only ([0, 2)^2): KL(data || samples) charges the 7/8 of the data
  // mass where no sample is ~ log(n 128 / eps) ~ 26 each (128 in-board cells hold data), while the
  // reverse KL(samples || data) would be only log 8 ~ 2.1. JS: with P uniform on 8 squares, Q on
  // one, JS = (1/2)[(1/8) log(2/9) + (7/8) log 2] + (1/2) log(16/9) ~ 0.497.
  const Checkerboard data;
  at::Generator sampler = makeGenerator(50);
  const auto x = torch::rand({3000, 2}, sampler) * 2;
  at::Generator gen = makeGenerator(51);
  SampleQualityOptions o = quickOptions();
  o.energy = false;
  const auto m = sampleQuality(x, data, 20000, gen, o);
  EXPECT_GT(m.at("kl_hist"), 15.0);
  EXPECT_NEAR(m.at("js_hist"), 0.497, 0.02);
  EXPECT_EQ(m.at("frac_black"), 1.0);
}

TEST(SampleMetrics, UniformPointsAreHalfOffTheCheckerboard) {
  const Checkerboard data;
  at::Generator sampler = makeGenerator(42);
  const auto x = torch::rand({20000, 2}, sampler) * 8 - 4;
  at::Generator gen = makeGenerator(43);
  SampleQualityOptions o = quickOptions();
  o.energy = false;
  const auto m = sampleQuality(x, data, 2000, gen, o);
  EXPECT_EQ(m.count("energy"), 0u);
  EXPECT_NEAR(m.at("frac_black"), 0.5, 0.02);  // binomial std 0.0035
  EXPECT_NEAR(m.at("off_support"), 1 - m.at("frac_black"), 1e-12);
  EXPECT_NEAR(m.at("sample_nll"), std::log(32.0), 1e-12);  // on-support points only
}

TEST(SampleMetrics, GaussianSampleNllIsTheEntropy) {
  // For samples of the target itself, E[-log q] is the entropy; -log q = const + chi2_2 / 2 has
  // std 1, so the mean of 20,000 is within ~0.007.
  const GaussianData data({0.5, -1.0}, {1.5, 0.3, 0.3, 0.8});
  at::Generator sampler = makeGenerator(44);
  const auto x = data.sample(20000, sampler);
  at::Generator gen = makeGenerator(45);
  SampleQualityOptions o = quickOptions();
  o.energy = false;
  const auto m = sampleQuality(x, data, 2000, gen, o);
  EXPECT_NEAR(m.at("sample_nll"), data.entropy(), 0.03);
  EXPECT_EQ(m.at("off_support"), 0.0);
  EXPECT_EQ(m.count("frac_black"), 0u);
}

TEST(SampleMetrics, SamplesFarAwayShowInSupportAndDistances) {
  const Checkerboard data;
  const auto x = normal(500, 2, 46) * 0.1 + 50.0;
  at::Generator gen = makeGenerator(47);
  const auto m = sampleQuality(x, data, 500, gen, quickOptions());
  // No sample on the support or inside the bounds: the in-support NLL and the in-bounds
  // histogram divergences are undefined (NaN), and the failure shows in the other keys.
  EXPECT_TRUE(std::isnan(m.at("sample_nll")));
  EXPECT_TRUE(std::isnan(m.at("kl_hist")));
  EXPECT_TRUE(std::isnan(m.at("js_hist")));
  EXPECT_EQ(m.at("off_support"), 1.0);
  EXPECT_EQ(m.at("frac_black"), 0.0);
  EXPECT_GT(m.at("sliced_w2"), 40.0);
  EXPECT_GT(m.at("energy"), 40.0);
}

TEST(SampleMetrics, DatasetWithoutDensityAndReproducibility) {
  const TwoMoons data;
  at::Generator sampler = makeGenerator(48);
  const auto x = data.sample(1000, sampler);
  SampleQualityOptions o = quickOptions();
  o.mmd = true;
  at::Generator gen1 = makeGenerator(49), gen2 = makeGenerator(49);
  const auto m1 = sampleQuality(x, data, 1000, gen1, o);
  const auto m2 = sampleQuality(x, data, 1000, gen2, o);
  EXPECT_EQ(m1, m2);
  EXPECT_EQ(m1.count("mmd"), 1u);
  EXPECT_EQ(m1.count("sample_nll"), 0u);
  EXPECT_EQ(m1.count("off_support"), 0u);
  EXPECT_EQ(m1.count("frac_black"), 0u);
  EXPECT_LT(m1.at("mmd"), 5e-3);
}

TEST(SampleMetrics, RejectsBadArguments) {
  const Checkerboard data;
  at::Generator gen = makeGenerator(1);
  expectInputError([&] { sampleQuality(normal(10, 3, 1), data, 10, gen); });
  expectInputError([&] { sampleQuality(normal(0, 2, 1), data, 10, gen); });
  expectInputError([&] { sampleQuality(normal(10, 2, 1), data, 0, gen); });
  SampleQualityOptions o;
  o.projections = 0;
  expectInputError([&] { sampleQuality(normal(10, 2, 1), data, 10, gen, o); });
}

}  // namespace
}  // namespace flowscope
