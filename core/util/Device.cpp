#include "core/util/Device.h"

#include <torch/torch.h>

#include <algorithm>
#include <thread>

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "core/util/Error.h"

namespace flowscope {

c10::Device resolveDevice(const std::string& name, const std::string& what) {
  if (name == "cpu") return torch::kCPU;
  if (name == "auto") return torch::cuda::is_available() ? c10::Device(torch::kCUDA, 0) : c10::Device(torch::kCPU);
  if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
    if (!torch::cuda::is_available())
      throw InputError(what + ": '" + name +
                       "' requested but no CUDA device is available to this LibTorch build "
                       "(use cpu or auto)");
    c10::Device device(torch::kCUDA, 0);
    if (name.size() > 5) {
      try {
        device = c10::Device(name);
      } catch (const c10::Error&) {
        throw InputError(what + ": '" + name + "' is not a device (expected cuda:N)");
      }
    }
    if (device.index() >= static_cast<int>(torch::cuda::device_count()))
      throw InputError(what + ": '" + name + "' but only " +
                       std::to_string(torch::cuda::device_count()) + " CUDA device(s) exist");
    return device;
  }
  throw InputError(what + ": unknown device '" + name + "' (expected cpu, cuda, cuda:N or auto)");
}

void configureThreads(int threads) {
  const int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (at::get_num_threads() != n) at::set_num_threads(n);
}

void configureAllocator() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 64 << 20);
#endif
}

void lowerThreadPriority(int niceness) {
#if defined(__linux__)
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  ::setpriority(PRIO_PROCESS, tid, std::clamp(niceness, 0, 19));
#else
  (void)niceness;
#endif
}

std::string describeDevice(const c10::Device& device) {
  if (device.is_cpu()) return "cpu (" + std::to_string(at::get_num_threads()) + " threads)";
  return device.str();
}

}  // namespace flowscope
