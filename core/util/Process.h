#pragma once
// Process- and thread-level OS settings, torch-free so the GUI can use them as well.

namespace flowscope {

/// Keeps tensor-sized allocations (up to 256 MB) on the glibc heap and stops eager trimming: by
/// default each activation buffer above the dynamic mmap threshold is a fresh mmap whose pages
/// fault in every step; measured +21% training it/s for the 4x512 MLP at batch 4096 on 2 CPU
/// cores (docs/benchmarks.md). Call once at process start; a no-op off glibc.
void configureAllocator();

/// Lowers the calling thread's scheduling priority (Linux nice, per thread; threads it creates
/// later, such as its OpenMP team, inherit it) so an interactive thread keeps the CPU when cores
/// are oversubscribed. `niceness` 0..19; a no-op where unsupported.
void lowerThreadPriority(int niceness);

/// Logical cores available to this process (at least 1).
int hardwareThreads();

}  // namespace flowscope
