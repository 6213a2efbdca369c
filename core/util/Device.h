#pragma once
// Device and thread selection for the engine.

#include <c10/core/Device.h>

#include <string>

namespace flowscope {

/// "cpu", "cuda" (error when no GPU is usable), "auto" (cuda when available), or "cuda:N".
/// `what` names the key or argument in errors.
c10::Device resolveDevice(const std::string& name, const std::string& what = "training.device");

/// Sets LibTorch's intra-op thread count for the whole process; 0 means all cores. LibTorch
/// here defaults to 1 thread, which leaves half of a 2-core machine idle.
void configureThreads(int threads);

/// Keeps tensor-sized allocations (up to 256 MB) on the glibc heap and stops eager trimming: by
/// default each activation buffer above the dynamic mmap threshold is a fresh mmap whose pages
/// fault in every step; measured +21% training it/s for the 4x512 MLP at batch 4096 on 2 CPU
/// cores (docs/benchmarks.md). Call once at process start; a no-op off glibc.
void configureAllocator();

/// Lowers the calling thread's scheduling priority (Linux nice, per thread; threads it creates
/// later, such as its OpenMP team, inherit it) so an interactive thread keeps the CPU when cores
/// are oversubscribed. `niceness` 0..19; a no-op where unsupported.
void lowerThreadPriority(int niceness);

/// "cpu (2 threads)" or "cuda:0 (NVIDIA H200)".
std::string describeDevice(const c10::Device& device);

}  // namespace flowscope
