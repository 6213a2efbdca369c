#include "CliOptions.h"

#include "core/config/ConfigSchema.h"
#include "core/registry/Registries.h"

namespace flowscope::cli {
namespace {

const ConfigField& field(const std::string& key) { return *schemaField(key); }

std::string defaultOf(const std::string& key, bool defaults) {
  return defaults ? fieldText(field(key)) : "";
}

}  // namespace

void addThreadsOption(ArgParser& parser) {
  parser.integer("threads", "T", "CPU threads (0: all cores)", field("training.threads").range, "0");
}

void addDeviceOption(ArgParser& parser) {
  const Registry& devices = deviceRegistry();
  parser.choice("device", "DEVICE", "where to run", devices.names(), "cpu",
                [&devices](const std::string& v) { return devices.accepts(v); }, "cuda:N");
}

void addChunkOption(ArgParser& parser, const std::string& help) {
  parser.integer("chunk", "C", help + " (rounded down to a multiple of 8)", ValueRange::atLeast(8), "262144");
}

void addSeedOption(ArgParser& parser, const std::string& help) {
  parser.integer("seed", "S", help, ValueRange::atLeast(0), "0");
}

void addSolverOptions(ArgParser& parser, bool defaults) {
  parser.choice("solver", "NAME",
                defaults ? "ODE solver" : "ODE solver (default: the run's sampling.solver)",
                solverRegistry().names(), defaultOf("sampling.solver", defaults))
      .integer("steps", "K",
               defaults ? "fixed-step solvers: steps" : "fixed-step solvers: steps (default: the run's)",
               field("sampling.steps").range, defaultOf("sampling.steps", defaults))
      .number("atol", "A", defaults ? "dopri5 absolute tolerance" : "dopri5 absolute tolerance (default: the run's)",
              field("sampling.atol").range, defaultOf("sampling.atol", defaults))
      .number("rtol", "R", defaults ? "dopri5 relative tolerance" : "dopri5 relative tolerance (default: the run's)",
              field("sampling.rtol").range, defaultOf("sampling.rtol", defaults));
}

void addCountOption(ArgParser& parser, const std::string& help, const std::string& defaultValue,
                    bool required) {
  parser.integer("n", "N", help, ValueRange::closed(1, 1e8), defaultValue, required);
}

std::string choicesHelp(const std::vector<const Registry*>& registries) {
  std::string out;
  for (const Registry* r : registries) {
    out += r->what() + " (" + r->key() + "):\n";
    for (const Choice& c : r->choices()) {
      std::string left = "  " + c.name;
      left += left.size() < 20 ? std::string(20 - left.size(), ' ') : "  ";
      out += left + c.summary + "\n";
    }
  }
  return out;
}

}  // namespace flowscope::cli
