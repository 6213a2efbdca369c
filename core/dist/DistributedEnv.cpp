#include "core/dist/DistributedEnv.h"

#include <charconv>
#include <cstdlib>

#include "core/io/Printable.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

int intVariable(const std::function<const char*(const char*)>& get, const char* name, int lo, int hi,
                std::optional<int> fallback) {
  const char* text = get(name);
  if (!text || !*text) {
    if (fallback) return *fallback;
    throw InputError(std::string("environment ") + name + ": not set (a distributed launch such as torchrun sets "
                     "RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT)");
  }
  const std::string s(text);
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < lo || v > hi)
    throw InputError(std::string("environment ") + name + ": got '" + printableExcerpt(s, 32) + "' (expected an integer from " +
                     std::to_string(lo) + " to " + std::to_string(hi) + ")");
  return v;
}

}  // namespace

std::optional<DistributedEnv> DistributedEnv::fromEnvironment(const std::function<const char*(const char*)>& lookup) {
  const auto get = lookup ? lookup : [](const char* name) -> const char* { return std::getenv(name); };
  const char* world = get("WORLD_SIZE");
  if (!world || !*world) return std::nullopt;
  DistributedEnv e;
  e.worldSize = intVariable(get, "WORLD_SIZE", 1, 1 << 20, std::nullopt);
  if (e.worldSize == 1) return std::nullopt;
  e.rank = intVariable(get, "RANK", 0, e.worldSize - 1, std::nullopt);
  e.localWorldSize = intVariable(get, "LOCAL_WORLD_SIZE", 1, e.worldSize, e.worldSize);
  e.localRank = intVariable(get, "LOCAL_RANK", 0, e.localWorldSize - 1, e.rank % e.localWorldSize);
  e.masterPort = intVariable(get, "MASTER_PORT", 1, 65535, std::nullopt);
  const char* addr = get("MASTER_ADDR");
  if (!addr || !*addr) throw InputError("environment MASTER_ADDR: not set (the host of rank 0)");
  e.masterAddr = addr;
  return e;
}

}  // namespace flowscope
