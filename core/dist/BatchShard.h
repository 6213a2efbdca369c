#pragma once
// Data parallelism splits every global batch of training.batch_size into equal shards, one per
// rank: rank r owns rows [offset, offset + count). Equal shards make the mean of the ranks' mean
// losses the mean over the whole batch, so averaged gradients equal one process's. Every random
// draw of a step (data, t, x0, label dropout) is made for the whole batch from the same generator
// state on every rank and then cut to the shard, which keeps N processes bit-for-bit on one
// process's trajectory up to the order of the gradient sums.
//
//   BatchShard shard = BatchShard::of(config.training.batch_size, env.rank, env.worldSize);
//   torch::Tensor mine = drawsForTheWholeBatch.narrow(0, shard.offset, shard.count);

#include <cstdint>

namespace flowscope {

struct BatchShard {
  int64_t total = 0;   ///< rows of the global batch
  int64_t offset = 0;  ///< this rank's first row
  int64_t count = 0;   ///< this rank's rows

  /// The whole batch (one process).
  static BatchShard whole(int64_t batch) { return {batch, 0, batch}; }
  /// Rank `rank` of `world`. Throws ConfigError naming training.batch_size when the batch does
  /// not split evenly.
  static BatchShard of(int64_t batch, int rank, int world);
  bool isWhole() const { return offset == 0 && count == total; }
};

}  // namespace flowscope
