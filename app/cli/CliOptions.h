#pragma once
// Options several commands share, typed and ranged from the config schema and the registries
// (the same limits as the YAML keys they mirror), and --help text listing the registries.

#include <string>
#include <vector>

#include "core/registry/Registry.h"
#include "core/util/ArgParser.h"

namespace flowscope::cli {

/// --threads T: training.threads' range, 0 = all cores.
void addThreadsOption(ArgParser& parser);
/// --device DEVICE: a training.device value.
void addDeviceOption(ArgParser& parser);
/// --seed S: a non-negative 64-bit seed.
void addSeedOption(ArgParser& parser, const std::string& help);
/// --chunk C: points solved at a time (core/eval/ChunkedSampling), default 262144.
void addChunkOption(ArgParser& parser, const std::string& help);
/// --solver, --steps, --atol, --rtol with sampling.*'s choices and ranges; with `defaults` the
/// schema's defaults are filled in, else they stay unset (the run's own sampling settings).
void addSolverOptions(ArgParser& parser, bool defaults);
/// --n N: a sample count in [1, 10^8].
void addCountOption(ArgParser& parser, const std::string& help, const std::string& defaultValue,
                    bool required = false);

/// "datasets (data.name):\n  checkerboard  uniform on ...\n..." for each registry.
std::string choicesHelp(const std::vector<const Registry*>& registries);

}  // namespace flowscope::cli
