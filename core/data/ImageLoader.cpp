#include "core/data/ImageLoader.h"

#include <ATen/Context.h>

#include <numeric>
#include <random>
#include <string>
#include <utility>

#include "core/util/Error.h"

namespace flowscope {
namespace {

// splitmix64 (Steele et al. 2014): decorrelates the (seed, stream, k) triples that seed the
// epoch orders and per-batch augmentation.
uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

uint64_t streamSeed(uint64_t seed, uint64_t stream, uint64_t k) {
  return splitmix(splitmix(seed ^ splitmix(stream)) + k);
}

constexpr uint64_t kOrderStream = 1;
constexpr uint64_t kAugmentStream = 2;
constexpr uint64_t kRowStream = 3;

// An integer in [0, bound) from one 64-bit draw (Lemire's multiply-shift): the same on every
// platform, unlike std::uniform_int_distribution.
__extension__ typedef unsigned __int128 Uint128;  // GCC and Clang; the product needs 128 bits

uint64_t below(std::mt19937_64& rng, uint64_t bound) {
  return static_cast<uint64_t>((static_cast<Uint128>(rng()) * bound) >> 64);
}

}  // namespace

ImageLoader::ImageLoader(std::shared_ptr<const ImageSet> set, ImageLoaderOptions options)
    : set_(std::move(set)), options_(options) {
  if (!set_ || set_->count <= 0) throw InputError("image loader: the image set is empty");
  validateImageSet(*set_);
  if (options_.batchSize < 1 || options_.batchSize > set_->count)
    throw InputError("image loader: batch size " + std::to_string(options_.batchSize) +
                     " for " + std::to_string(set_->count) + " images of " + set_->source +
                     " (expected 1 to the image count)");
  if (options_.threads < 0 || options_.threads > 64)
    throw InputError("image loader: " + std::to_string(options_.threads) +
                     " threads (expected 0 to 64)");
  if (options_.prefetch < 1) options_.prefetch = 1;
  if (options_.shardCount == 0) options_.shardOffset = 0;
  if (options_.shardCount < 0 || options_.shardOffset < 0 ||
      options_.shardOffset + options_.shardCount > options_.batchSize)
    throw InputError("image loader: shard of " + std::to_string(options_.shardCount) + " rows at " +
                     std::to_string(options_.shardOffset) + " (expected rows within the batch of " +
                     std::to_string(options_.batchSize) + ")");
  batchesPerEpoch_ = set_->count / options_.batchSize;
  pin_ = options_.pinMemory && at::globalContext().hasCUDA();
  for (int i = 0; i < options_.threads; ++i) workers_.emplace_back([this] { workerLoop(); });
}

ImageLoader::~ImageLoader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  workAvailable_.notify_all();
  for (std::thread& t : workers_) t.join();
}

std::vector<int64_t> ImageLoader::epochOrder(uint64_t seed, int64_t epoch, int64_t count) {
  std::vector<int64_t> order(static_cast<size_t>(count));
  std::iota(order.begin(), order.end(), int64_t{0});
  std::mt19937_64 rng(streamSeed(seed, kOrderStream, static_cast<uint64_t>(epoch)));
  for (int64_t i = count - 1; i > 0; --i)
    std::swap(order[static_cast<size_t>(i)],
              order[static_cast<size_t>(below(rng, static_cast<uint64_t>(i) + 1))]);
  return order;
}

std::shared_ptr<const std::vector<int64_t>> ImageLoader::order(int64_t epoch) {
  std::lock_guard<std::mutex> lock(orderMutex_);
  auto it = orders_.find(epoch);
  if (it != orders_.end()) return it->second;
  auto made = std::make_shared<const std::vector<int64_t>>(epochOrder(options_.seed, epoch, set_->count));
  orders_[epoch] = made;
  // Workers straddle at most two epochs at a time; keep a few around, drop older ones.
  while (orders_.size() > 3) orders_.erase(orders_.begin());
  return made;
}

std::vector<int64_t> ImageLoader::indicesOf(int64_t index) {
  if (index < 0) throw InputError("image loader: batch index " + std::to_string(index) + " (expected >= 0)");
  const int64_t epoch = index / batchesPerEpoch_;
  const int64_t pos = index % batchesPerEpoch_;
  auto perm = order(epoch);
  const auto first = perm->begin() + pos * options_.batchSize;
  return {first, first + options_.batchSize};
}

ImageBatch ImageLoader::compute(int64_t index) {
  const std::vector<int64_t> all = indicesOf(index);
  const int64_t first = options_.shardOffset;
  const int64_t rows = options_.shardCount > 0 ? options_.shardCount : options_.batchSize;
  const ImageSet& s = *set_;
  ImageBatch b;
  b.index = index;
  b.images = torch::empty({rows, s.channels, s.height, s.width},
                          torch::TensorOptions().dtype(torch::kFloat32).pinned_memory(pin_));
  float* out = b.images.data_ptr<float>();
  const uint64_t batchSeed = streamSeed(options_.seed, kAugmentStream, static_cast<uint64_t>(index));
  for (int64_t r = 0; r < rows; ++r) {
    // One rng per image: row k's noise is the same whichever shard decodes it.
    std::mt19937_64 rng(streamSeed(batchSeed, kRowStream, static_cast<uint64_t>(first + r)));
    preprocessBatch(s, &all[static_cast<size_t>(first + r)], 1, out + r * s.imageBytes(), options_.preprocess, rng);
  }
  if (!s.labels.empty()) {
    b.labels = torch::empty({rows}, torch::TensorOptions().dtype(torch::kInt64).pinned_memory(pin_));
    int64_t* labels = b.labels.data_ptr<int64_t>();
    for (int64_t r = 0; r < rows; ++r) labels[r] = s.labels.at(static_cast<size_t>(all[static_cast<size_t>(first + r)]));
  }
  return b;
}

void ImageLoader::workerLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    workAvailable_.wait(lock, [this] {
      return stopping_ || (nextToClaim_ >= 0 && nextToClaim_ < nextToServe_ + options_.prefetch);
    });
    if (stopping_) return;
    const int64_t index = nextToClaim_++;
    const uint64_t generation = generation_;
    lock.unlock();
    Ready r;
    try {
      r.batch = compute(index);
    } catch (...) {
      r.error = std::current_exception();
    }
    lock.lock();
    if (generation == generation_ && index >= nextToServe_) {
      ready_.emplace(index, std::move(r));
      batchReady_.notify_all();
    }
  }
}

ImageBatch ImageLoader::batch(int64_t index) {
  if (index < 0) throw InputError("image loader: batch index " + std::to_string(index) + " (expected >= 0)");
  if (workers_.empty()) return compute(index);
  std::unique_lock<std::mutex> lock(mutex_);
  if (index != nextToServe_ || nextToClaim_ < 0) {
    // Not the next one in sequence (the first call, a resume, a seek): restart the queue there.
    ++generation_;
    ready_.clear();
    nextToServe_ = index;
    nextToClaim_ = index;
    workAvailable_.notify_all();
  }
  batchReady_.wait(lock, [&] { return ready_.count(index) > 0; });
  Ready r = std::move(ready_.at(index));
  ready_.erase(index);
  nextToServe_ = index + 1;
  workAvailable_.notify_all();
  lock.unlock();
  if (r.error) std::rethrow_exception(r.error);
  return std::move(r.batch);
}

}  // namespace flowscope
