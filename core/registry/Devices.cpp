// training.device: where the engine runs (core/util/Device.cpp resolves it).

#include <charconv>

#include "core/registry/Registries.h"

namespace flowscope {
namespace {

/// "cuda:N" with N a plain decimal in [0, 255] (no sign, blanks or leading zeros).
bool isCudaIndex(const std::string& s) {
  if (s.rfind("cuda:", 0) != 0) return false;
  const std::string digits = s.substr(5);
  if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0')) return false;
  int index = -1;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  return ec == std::errc() && end == digits.data() + digits.size() && index >= 0 && index <= 255;
}

}  // namespace

const Registry& deviceRegistry() {
  static const Registry registry("training.device", "devices",
                                 {
                                     {"cpu", "LibTorch on the CPU"},
                                     {"cuda", "the first CUDA GPU (an error when there is none)"},
                                     {"auto", "cuda when a GPU is available, else cpu"},
                                 },
                                 isCudaIndex, "cuda:N (N in [0, 255])");
  return registry;
}

}  // namespace flowscope
