#pragma once
// ImageLoader: batches of an ImageSet as float tensors, decoded and augmented on background
// threads ahead of the consumer so the model never waits on the CPU-side work.
//
// Batch `index` is a pure function of (seed, index): epoch e = index / batchesPerEpoch() walks a
// Fisher-Yates permutation seeded from (seed, e) (the last partial batch is dropped), and the
// flip and dequantization draws of each image come from an rng seeded from (seed, index, row). So a resumed run
// that asks for batch k gets the same batch as an uninterrupted one, whatever the thread count.
//
//   ImageLoaderOptions o;
//   o.batchSize = 128; o.seed = 7; o.threads = 2;
//   ImageLoader loader(set, o);
//   for (int64_t k = start; k < end; ++k) {
//     ImageBatch b = loader.batch(k);  // b.images: float32 [B, C, H, W] in [-1, 1)
//   }
//
// Sequential requests (k, k+1, ...) are served from a bounded queue of `prefetch` batches that
// the workers fill; any other index drops the queue and restarts there. A worker's exception
// (a bad index, out of memory) is rethrown by the batch() call that asks for its batch.

#include <torch/types.h>

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/images/ImageSet.h"
#include "core/images/Preprocess.h"

namespace flowscope {

struct ImageLoaderOptions {
  int64_t batchSize = 64;
  uint64_t seed = 0;
  int threads = 2;   ///< background workers; 0 computes each batch on the caller's thread
  int prefetch = 4;  ///< batches prepared ahead of the last one asked for (>= 1)
  PreprocessOptions preprocess;
  bool pinMemory = false;  ///< page-locked batches (CUDA builds with a GPU) for non-blocking copies
  /// Data parallelism (the distributed sampler): this process's rows [shardOffset, shardOffset +
  /// shardCount) of every global batch of batchSize; shardCount 0 means the whole batch. Each
  /// image's augmentation depends on (seed, batch, row) alone, so the shards of all ranks
  /// together are exactly the batch one process gets.
  int64_t shardOffset = 0;
  int64_t shardCount = 0;
};

struct ImageBatch {
  torch::Tensor images;  ///< float32 [B, C, H, W] (B: the shard's rows when sharded)
  torch::Tensor labels;  ///< int64 [B]; undefined when the set has no labels
  int64_t index = 0;     ///< which batch this is
};

class ImageLoader {
 public:
  /// Throws InputError for a batch size outside [1, set->count] or a bad option.
  ImageLoader(std::shared_ptr<const ImageSet> set, ImageLoaderOptions options);
  ~ImageLoader();
  ImageLoader(const ImageLoader&) = delete;
  ImageLoader& operator=(const ImageLoader&) = delete;

  /// Batch `index` (>= 0). Blocks only until that batch is ready.
  ImageBatch batch(int64_t index);
  /// Full batches per pass over the set: count / batchSize.
  int64_t batchesPerEpoch() const { return batchesPerEpoch_; }
  const ImageSet& set() const { return *set_; }
  const ImageLoaderOptions& options() const { return options_; }

  /// The dataset indices of batch `index`, in order (what batch() preprocesses).
  std::vector<int64_t> indicesOf(int64_t index);
  /// Epoch `epoch`'s permutation of 0..count-1 (Fisher-Yates, platform-independent).
  static std::vector<int64_t> epochOrder(uint64_t seed, int64_t epoch, int64_t count);

 private:
  struct Ready {
    ImageBatch batch;
    std::exception_ptr error;
  };

  ImageBatch compute(int64_t index);
  std::shared_ptr<const std::vector<int64_t>> order(int64_t epoch);
  void workerLoop();

  std::shared_ptr<const ImageSet> set_;
  ImageLoaderOptions options_;
  int64_t batchesPerEpoch_ = 0;
  bool pin_ = false;

  std::mutex orderMutex_;  // guards orders_
  std::map<int64_t, std::shared_ptr<const std::vector<int64_t>>> orders_;

  std::mutex mutex_;  // guards everything below
  std::condition_variable workAvailable_;
  std::condition_variable batchReady_;
  uint64_t generation_ = 0;  // bumped on restart: results of older generations are dropped
  int64_t nextToClaim_ = -1; // next index a worker starts on; -1 before the first request
  int64_t nextToServe_ = 0;  // the index the consumer is expected to ask for next
  std::map<int64_t, Ready> ready_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace flowscope
