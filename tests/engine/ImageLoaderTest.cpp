// ImageLoader: each epoch is a permutation, batches are a function of (seed, index) alone (any
// thread count, any order of requests, after a restart), pixels are the preprocessed set's, and
// worker errors reach the caller.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <set>

#include "core/data/ImageLoader.h"
#include "core/util/Error.h"

using namespace flowscope;

namespace {

/// `n` 1x2x3 images; image i has all pixels equal to i (mod 256) and label i % 5.
std::shared_ptr<ImageSet> countingSet(int64_t n) {
  auto s = std::make_shared<ImageSet>();
  s->count = n;
  s->channels = 1;
  s->height = 2;
  s->width = 3;
  s->classes = 5;
  s->source = "counting set";
  for (int64_t i = 0; i < n; ++i) {
    for (int k = 0; k < 6; ++k) s->pixels.push_back(static_cast<uint8_t>(i % 256));
    s->labels.push_back(i % 5);
  }
  return s;
}

ImageLoaderOptions options(int threads, bool dequantize = true, bool flip = false) {
  ImageLoaderOptions o;
  o.batchSize = 8;
  o.seed = 42;
  o.threads = threads;
  o.prefetch = 3;
  o.preprocess.dequantize = dequantize;
  o.preprocess.randomFlip = flip;
  return o;
}

}  // namespace

TEST(ImageLoader, EachEpochVisitsEveryFullBatchImageOnceAndEpochsDiffer) {
  ImageLoader loader(countingSet(100), options(2, /*dequantize=*/false));
  ASSERT_EQ(loader.batchesPerEpoch(), 12);  // 100 / 8, the last 4 images dropped
  std::vector<std::vector<int64_t>> epochs(2);
  for (int64_t k = 0; k < 24; ++k) {
    const ImageBatch b = loader.batch(k);
    ASSERT_EQ(b.index, k);
    ASSERT_EQ(b.images.sizes(), (torch::IntArrayRef{8, 1, 2, 3}));
    const std::vector<int64_t> idx = loader.indicesOf(k);
    for (int64_t j = 0; j < 8; ++j) {
      // Undequantized pixels are the centre of image idx[j]'s bin; its label is idx[j] % 5.
      const float expected = (static_cast<float>(idx[j]) + 0.5f) / 128.0f - 1.0f;
      EXPECT_EQ(b.images[j].min().item<float>(), expected);
      EXPECT_EQ(b.images[j].max().item<float>(), expected);
      EXPECT_EQ(b.labels[j].item<int64_t>(), idx[j] % 5);
      epochs[k / 12].push_back(idx[j]);
    }
  }
  for (auto& e : epochs) {
    std::set<int64_t> distinct(e.begin(), e.end());
    EXPECT_EQ(distinct.size(), 96u) << "an image repeated within an epoch";
  }
  EXPECT_NE(epochs[0], epochs[1]) << "every epoch walked the same order";
}

TEST(ImageLoader, EpochOrderIsAPermutationFixedBySeedAndEpoch) {
  const auto a = ImageLoader::epochOrder(5, 3, 1000);
  std::vector<int64_t> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (int64_t i = 0; i < 1000; ++i) ASSERT_EQ(sorted[static_cast<size_t>(i)], i);
  EXPECT_EQ(a, ImageLoader::epochOrder(5, 3, 1000));
  EXPECT_NE(a, ImageLoader::epochOrder(6, 3, 1000));
  EXPECT_NE(a, ImageLoader::epochOrder(5, 4, 1000));
  // Not the identity, and each position roughly uniform: the mean of the first 100 entries is
  // near 499.5 (standard error about 29).
  double mean = 0;
  for (int i = 0; i < 100; ++i) mean += static_cast<double>(a[static_cast<size_t>(i)]) / 100;
  EXPECT_NEAR(mean, 499.5, 120.0);
}

TEST(ImageLoader, BatchesDependOnIndexAloneWhateverTheThreadsAndRequestOrder) {
  auto set = countingSet(64);
  ImageLoader inline0(set, options(0, true, true));
  ImageLoader threaded(set, options(3, true, true));
  // Sequential, then a jump back (a resume), then a jump ahead across an epoch boundary.
  for (int64_t k : {0, 1, 2, 3, 4, 2, 3, 9, 10, 11, 17, 5}) {
    const ImageBatch a = inline0.batch(k);
    const ImageBatch b = threaded.batch(k);
    ASSERT_TRUE(torch::equal(a.images, b.images)) << "batch " << k;
    ASSERT_TRUE(torch::equal(a.labels, b.labels)) << "batch " << k;
  }
  // A fresh loader with the same seed agrees with one that has served other batches.
  ImageLoader fresh(set, options(2, true, true));
  EXPECT_TRUE(torch::equal(fresh.batch(5).images, inline0.batch(5).images));
}

TEST(ImageLoader, DequantizationAndFlipDrawDifferentNoiseForEachBatch) {
  auto set = countingSet(16);
  ImageLoaderOptions o = options(1);
  o.batchSize = 16;  // one batch per epoch: batches 0 and 1 hold the same images
  ImageLoader loader(set, o);
  const ImageBatch a = loader.batch(0), b = loader.batch(1);
  // Same images in another order; compare each image's dequantized pixels by its label/bin.
  const torch::Tensor binA = ((a.images + 1) * 128).floor(), binB = ((b.images + 1) * 128).floor();
  EXPECT_TRUE(torch::equal(std::get<0>(binA.flatten().sort()), std::get<0>(binB.flatten().sort())));
  EXPECT_FALSE(torch::equal(a.images, b.images));
  EXPECT_TRUE((a.images >= -1).all().item<bool>() && (a.images < 1).all().item<bool>());
}

TEST(ImageLoader, RejectsBadOptionsAndReportsIndexErrors) {
  auto set = countingSet(10);
  ImageLoaderOptions o = options(1);
  o.batchSize = 11;
  EXPECT_THROW(ImageLoader(set, o), InputError);
  o.batchSize = 0;
  EXPECT_THROW(ImageLoader(set, o), InputError);
  o.batchSize = 5;
  o.threads = -1;
  EXPECT_THROW(ImageLoader(set, o), InputError);
  ImageLoader ok(set, options(2));
  EXPECT_THROW(ok.batch(-1), InputError);
  EXPECT_EQ(ok.batch(3).index, 3);  // still serves after a rejected request
}

TEST(ImageLoader, ValidatesTheSetAndRethrowsAWorkerErrorToTheCallerOfThatBatch) {
  auto broken = countingSet(16);
  broken->labels.resize(3);  // labels for 3 of 16 images
  EXPECT_THROW(ImageLoader(broken, options(1)), InputError);

  // A set that goes bad after validation (the loader shares it): the worker that meets it
  // fails, and the batch() that asks for its batch throws instead of hanging or crashing.
  auto set = countingSet(16);
  ImageLoader loader(set, options(2, false));
  set->labels.resize(3);
  EXPECT_THROW(loader.batch(0), std::out_of_range);
  EXPECT_THROW(loader.batch(1), std::out_of_range);
}
