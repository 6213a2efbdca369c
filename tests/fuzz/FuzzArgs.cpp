// libFuzzer harness for the command-line parser: NUL-separated arguments against a parser with
// every kind of option. Only UsageError may escape; typed getters must reject or return values.

#include <cstdint>
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
      .flag("quiet", "quiet").positionals(1);
  try {
    const flowscope::ParsedArgs a = parser.parse(args);
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
