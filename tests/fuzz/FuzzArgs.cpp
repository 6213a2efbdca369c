// libFuzzer harness for the command-line parser: NUL-separated arguments against a parser with
// every kind of option. Only UsageError may escape; untyped getters must reject or return values,
// and typed options accepted by parse() must read back within their declared range.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/util/ArgParser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> args(1);
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0) args.emplace_back();
    else args.back() += static_cast<char>(data[i]);
  }
  flowscope::ArgParser parser("fuzz", "fuzz");
  parser.option("n", "N", "count", "5").option("times", "LIST", "times").repeated("set", "K=V", "set")
      .flag("quiet", "quiet").positionals(1)
      .integer("steps", "K", "steps", flowscope::ValueRange::closed(1, 1e6), "100")
      .number("atol", "A", "atol", flowscope::ValueRange::closed(1e-12, 1))
      .integerList("counts", "L", "counts", flowscope::ValueRange::atLeast(1))
      .numberList("ts", "L", "times", flowscope::ValueRange::closed(0, 1))
      .choice("solver", "NAME", "solver", {"euler", "rk4"}, "", [](const std::string& v) { return v == "x"; }, "x");
  try {
    const flowscope::ParsedArgs a = parser.parse(args);
    // Typed options were checked by parse(): their getters must not throw, and stay in range.
    if (a.getInt("steps") < 1 || a.getInt("steps") > 1000000) std::abort();
    if (a.has("atol") && !(a.getDouble("atol") >= 1e-12 && a.getDouble("atol") <= 1)) std::abort();
    if (a.has("counts"))
      for (int64_t c : a.getIntList("counts"))
        if (c < 1) std::abort();
    if (a.has("ts"))
      for (double t : a.getDoubleList("ts"))
        if (!(t >= 0 && t <= 1)) std::abort();
    for (const char* name : {"n", "times"}) {
      if (!a.has(name)) continue;
      try { (void)a.getInt(name); } catch (const flowscope::UsageError&) {}
      try { (void)a.getDouble(name); } catch (const flowscope::UsageError&) {}
      try { (void)a.getDoubleList(name); } catch (const flowscope::UsageError&) {}
      try { (void)a.getIntList(name); } catch (const flowscope::UsageError&) {}
    }
    (void)parser.help();
  } catch (const flowscope::UsageError&) {
  }
  return 0;
}
