// libFuzzer harness for the experiment parser (YAML via yaml-cpp, then FlowScope's schema binder
// and validation). Any crash, sanitizer report or exception other than InputError is a bug: the
// app and the CLI show InputError messages and must never see anything else. An accepted config
// must survive toYaml -> parse unchanged.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/ConfigYaml.h"
#include "core/util/Error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The first line may carry --set overrides, so the override path is fuzzed too.
  std::vector<std::string> overrides;
  std::string_view yaml = text;
  if (text.rfind("#set ", 0) == 0) {
    const size_t end = text.find('\n');
    overrides.emplace_back(text.substr(5, end == std::string_view::npos ? std::string_view::npos : end - 5));
    yaml = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  flowscope::ExperimentConfig config;
  try {
    config = flowscope::parseExperiment(yaml, "fuzz.yaml", overrides);
  } catch (const flowscope::InputError&) {
    return 0;
  }
  const flowscope::ExperimentConfig again = flowscope::parseExperiment(flowscope::toYaml(config), "again.yaml");
  if (!flowscope::diffExperiments(config, again).empty()) std::abort();
  return 0;
}
