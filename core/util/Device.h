#pragma once
// Device and LibTorch thread selection for the engine (OS-level helpers: core/util/Process.h).

#include <c10/core/Device.h>

#include <string>

namespace flowscope {

/// "cpu", "cuda" (error when no GPU is usable), "auto" (cuda when available), or "cuda:N".
/// `what` names the key or argument in errors.
c10::Device resolveDevice(const std::string& name, const std::string& what = "training.device");

/// Sets LibTorch's intra-op thread count for the whole process; 0 means all cores. LibTorch
/// here defaults to 1 thread, which leaves half of a 2-core machine idle.
void configureThreads(int threads);

/// "cpu (2 threads)" or "cuda:0 (NVIDIA H200)".
std::string describeDevice(const c10::Device& device);

}  // namespace flowscope
