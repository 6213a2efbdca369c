#pragma once
// Random numbers come from an explicit CPU generator owned by whoever needs reproducibility (the
// trainer, a sampling request). Drawing on the CPU and moving to the device makes the same seed
// give the same noise x0 on every device, which the side-by-side views rely on.

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/Generator.h>

#include <cstdint>

namespace flowscope {

inline at::Generator makeGenerator(uint64_t seed) { return at::detail::createCPUGenerator(seed); }

}  // namespace flowscope
