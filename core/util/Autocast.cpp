#include "core/util/Autocast.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace flowscope {
namespace {

// LibTorch 2.x names autocast state per device type; 1.13 has one function pair per device.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
bool isEnabled(c10::DeviceType d) { return at::autocast::is_autocast_enabled(d); }
void setEnabled(c10::DeviceType d, bool on) { at::autocast::set_autocast_enabled(d, on); }
c10::ScalarType dtypeOf(c10::DeviceType d) { return at::autocast::get_autocast_dtype(d); }
void setDtype(c10::DeviceType d, c10::ScalarType t) { at::autocast::set_autocast_dtype(d, t); }
#else
bool isEnabled(c10::DeviceType d) { return d == c10::DeviceType::CPU ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled(); }
void setEnabled(c10::DeviceType d, bool on) {
  if (d == c10::DeviceType::CPU) at::autocast::set_cpu_enabled(on);
  else at::autocast::set_enabled(on);
}
c10::ScalarType dtypeOf(c10::DeviceType d) {
  return d == c10::DeviceType::CPU ? at::autocast::get_autocast_cpu_dtype() : at::autocast::get_autocast_gpu_dtype();
}
void setDtype(c10::DeviceType d, c10::ScalarType t) {
  if (d == c10::DeviceType::CPU) at::autocast::set_autocast_cpu_dtype(t);
  else at::autocast::set_autocast_gpu_dtype(t);
}
#endif

}  // namespace

AutocastScope::AutocastScope(c10::DeviceType device, c10::ScalarType dtype)
    : device_(device), wasEnabled_(isEnabled(device)), previousDtype_(dtypeOf(device)) {
  setEnabled(device_, true);
  setDtype(device_, dtype);
  at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
  // Leaving the outermost scope frees the cast weights cached for it.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  setEnabled(device_, wasEnabled_);
  setDtype(device_, previousDtype_);
}

bool autocastEnabled(c10::DeviceType device) { return isEnabled(device); }

}  // namespace flowscope
