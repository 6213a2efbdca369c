// libFuzzer harness for parseCsvNumbers. Any crash, sanitizer report, leak or exception other
// than FileError is a bug. Accepted inputs must give a rectangular, finite table that survives
// being written back with csvEscape and std::to_chars and parsed again.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/io/Csv.h"
#include "core/util/Error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  flowscope::CsvTable table;
  try {
    table = flowscope::parseCsvNumbers(text, "fuzz.csv");
  } catch (const flowscope::FileError&) {
    return 0;  // rejecting malformed input is the expected outcome
  }

  const size_t columns = !table.header.empty()  ? table.header.size()
                         : !table.rows.empty() ? table.rows[0].size()
                                               : 0;
  for (const auto& row : table.rows) {
    if (row.size() != columns) std::abort();
    for (double v : row) {
      if (!std::isfinite(v)) std::abort();
    }
  }

  // Write the table back the way FlowScope's writers do and check it reads the same.
  std::string out;
  for (size_t i = 0; i < table.header.size(); ++i) {
    out += (i ? "," : "") + flowscope::csvEscape(table.header[i]);
  }
  if (!table.header.empty()) out += '\n';
  for (const auto& row : table.rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      char buf[64];
      const auto res = std::to_chars(buf, buf + sizeof buf, row[i]);
      if (i) out += ',';
      out.append(buf, res.ptr);
    }
    out += '\n';
  }
  const flowscope::CsvTable again = flowscope::parseCsvNumbers(out, "re-encoded.csv");
  if (again.header != table.header || again.rows != table.rows) std::abort();
  return 0;
}
