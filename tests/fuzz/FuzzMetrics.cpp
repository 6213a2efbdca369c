// libFuzzer harness for parseMetrics (metrics.csv, read on resume and by the app). Damaged rows
// are skipped with a warning, never fatal: the only allowed exception is FileError. Every row
// kept has one cell per column and a finite step; at most six warnings are listed.

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "core/train/MetricsLog.h"
#include "core/util/Error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  flowscope::MetricsTable table;
  try {
    table = flowscope::parseMetrics(in, "fuzz.csv");
  } catch (const flowscope::FileError&) {
    return 0;
  }
  const int step = table.columnIndex("step");
  for (const auto& row : table.rows) {
    if (row.size() != table.columns.size()) std::abort();
    if (step >= 0 && !std::isfinite(row[static_cast<size_t>(step)])) std::abort();
  }
  if (table.warnings.size() > 6) std::abort();
  return 0;
}
