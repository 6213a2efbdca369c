#include "core/images/ImageSet.h"

#include <limits>

#include "core/util/Error.h"

namespace flowscope {

void validateImageSet(const ImageSet& set) {
  const auto fail = [&](const std::string& what) {
    throw InputError((set.source.empty() ? std::string("image set") : set.source) + ": " + what);
  };
  const int64_t dims[] = {set.count, set.channels, set.height, set.width};
  uint64_t total = 1;
  for (const int64_t d : dims) {
    if (d < 0) fail("negative dimension in " + std::to_string(set.count) + "x" + std::to_string(set.channels) + "x" +
                    std::to_string(set.height) + "x" + std::to_string(set.width));
    if (d != 0 && total > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d))
      fail("dimensions overflow 64 bits");
    total *= static_cast<uint64_t>(d);
  }
  if (total != set.pixels.size())
    fail("holds " + std::to_string(set.pixels.size()) + " pixel bytes, expected N*C*H*W = " + std::to_string(total));
  if (set.classes < 0) fail("negative number of classes " + std::to_string(set.classes));
  if (!set.labels.empty()) {
    if (set.labels.size() != static_cast<size_t>(set.count))
      fail(std::to_string(set.labels.size()) + " labels for " + std::to_string(set.count) + " images (expected one per image)");
    for (size_t i = 0; i < set.labels.size(); ++i) {
      if (set.labels[i] < 0 || set.labels[i] >= set.classes)
        fail("label " + std::to_string(set.labels[i]) + " of image " + std::to_string(i) + " is outside [0, " +
             std::to_string(set.classes) + ")");
    }
  }
  if (!set.classNames.empty() && set.classNames.size() != static_cast<size_t>(set.classes))
    fail(std::to_string(set.classNames.size()) + " class names for " + std::to_string(set.classes) + " classes");
}

}  // namespace flowscope
