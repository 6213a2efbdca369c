#pragma once
// Mixed precision for a block of engine code. LibTorch has autocast (ops in a lower precision
// where that is safe, fp32 where it is not) but no C++ guard for it, and its state is per thread:
// a training worker must set it on its own thread, never the thread that built it.
//
//   {
//     AutocastScope bf16(torch::kCUDA, torch::kBFloat16);  // this thread only
//     loss = objective.loss(...);                          // forward in bf16 where safe
//   }                                                      // previous state restored
//   loss.backward();                                       // outside, as PyTorch recommends

#include <ATen/core/ATen_fwd.h>
#include <c10/core/DeviceType.h>
#include <c10/core/ScalarType.h>

namespace flowscope {

class AutocastScope {
 public:
  /// Enables autocast to `dtype` for `device` (kCUDA or kCPU) on the calling thread.
  AutocastScope(c10::DeviceType device, c10::ScalarType dtype);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  c10::DeviceType device_;
  bool wasEnabled_;
  c10::ScalarType previousDtype_;
};

/// Whether autocast is on for `device` on the calling thread.
bool autocastEnabled(c10::DeviceType device);

}  // namespace flowscope
