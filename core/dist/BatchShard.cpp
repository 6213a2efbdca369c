#include "core/dist/BatchShard.h"

#include <string>

#include "core/util/Error.h"

namespace flowscope {

BatchShard BatchShard::of(int64_t batch, int rank, int world) {
  if (world < 1 || rank < 0 || rank >= world)
    throw InputError("batch shard: rank " + std::to_string(rank) + " of " + std::to_string(world) +
                     " (expected 0 <= rank < world size)");
  if (batch % world != 0)
    throw ConfigError("training.batch_size",
                      "training.batch_size: " + std::to_string(batch) + " does not split evenly over " +
                          std::to_string(world) + " processes (WORLD_SIZE); expected a multiple of " +
                          std::to_string(world));
  const int64_t count = batch / world;
  return {batch, count * rank, count};
}

}  // namespace flowscope
