#pragma once
// LibTorch's intra-op thread count, for front ends that run engine work on threads of their own.

namespace flowscope {

/// Threads the engine uses for work started on the calling thread's OpenMP team (0: all cores).
/// OpenMP teams are per calling thread, so a pool thread sets its own.
void setComputeThreads(int threads);

}  // namespace flowscope
