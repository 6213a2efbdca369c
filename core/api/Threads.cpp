#include "core/api/Threads.h"

#include "core/util/Device.h"

namespace flowscope {

void setComputeThreads(int threads) { configureThreads(threads); }

}  // namespace flowscope
