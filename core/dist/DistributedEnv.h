#pragma once
// Where this process sits in a distributed run, read from the variables torchrun (and any other
// launcher following PyTorch's convention) sets: RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE,
// MASTER_ADDR, MASTER_PORT. Torch-free, so front ends can show it and tests can build one.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace flowscope {

struct DistributedEnv {
  int rank = 0;
  int worldSize = 1;
  int localRank = 0;        ///< the GPU index on this host (cuda:LOCAL_RANK)
  int localWorldSize = 1;
  std::string masterAddr = "127.0.0.1";
  int masterPort = 29500;

  bool isMain() const { return rank == 0; }

  /// nullopt when WORLD_SIZE is unset or 1 (a single process). Throws InputError naming the
  /// variable when one is malformed or inconsistent (RANK outside [0, WORLD_SIZE), ...).
  /// `lookup` reads a variable (std::getenv by default; tests pass their own).
  static std::optional<DistributedEnv> fromEnvironment(
      const std::function<const char*(const char*)>& lookup = {});
};

}  // namespace flowscope
