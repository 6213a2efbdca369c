#pragma once
// Linear interpolation between stored frames (states of one solve at increasing times), how the
// views scrub t without calling the network: Trajectories::positionsAt and ImagePath::framesAt.
// Torch-free.

#include <algorithm>
#include <cstddef>
#include <vector>

namespace flowscope {

/// Frame at time t from `frames` ([T][frameSize], T = times.size() increasing): clamped to the
/// first and last stored times, linear between the two around t. Zeros when frames are missing.
inline void interpolateFrames(const std::vector<double>& times, const std::vector<float>& frames, size_t frameSize,
                              double t, std::vector<float>& out) {
  out.resize(frameSize);
  if (times.empty() || frames.size() < frameSize * times.size()) {
    std::fill(out.begin(), out.end(), 0.0f);
    return;
  }
  size_t k = 0;
  float w = 0;
  if (t >= times.back()) {
    k = times.size() - 1;
  } else if (t > times.front()) {
    k = static_cast<size_t>(std::upper_bound(times.begin(), times.end(), t) - times.begin()) - 1;
    w = static_cast<float>((t - times[k]) / (times[k + 1] - times[k]));
  }
  const float* a = frames.data() + k * frameSize;
  if (w == 0.0f) {
    std::copy(a, a + frameSize, out.begin());
    return;
  }
  const float* b = a + frameSize;
  for (size_t i = 0; i < frameSize; ++i) out[i] = a[i] + w * (b[i] - a[i]);
}

}  // namespace flowscope
