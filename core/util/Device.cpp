#include "core/util/Device.h"

#include <torch/torch.h>

#include "core/config/ConfigSchema.h"
#include "core/registry/Registries.h"
#include "core/util/Error.h"
#include "core/util/Process.h"

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
  throw InputError(what + ": unknown device '" + name + "' (expected " +
                   deviceRegistry().expected() + ")");
}

void configureThreads(int threads) {
  // The config's and the CLI's range (training.threads): negative counts are not "all cores",
  // and thousands of threads only thrash.
  const ValueRange range = schemaField("training.threads")->range;
  if (!range.contains(threads))
    throw InputError("threads: got " + std::to_string(threads) + " (expected " +
                     expectedInteger<int>(range) + "; 0 uses all cores)");
  const int n = threads > 0 ? threads : hardwareThreads();
  if (at::get_num_threads() != n) at::set_num_threads(n);
}

std::string describeDevice(const c10::Device& device) {
  if (device.is_cpu()) return "cpu (" + std::to_string(at::get_num_threads()) + " threads)";
  return device.str();
}

}  // namespace flowscope
