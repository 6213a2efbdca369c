#pragma once
// flowscope-cli subcommands. Each takes the arguments after its name and returns the exit code.

#include <string>
#include <vector>

namespace flowscope::cli {

int runTrain(const std::vector<std::string>& args);
int runSample(const std::vector<std::string>& args);
int runBench(const std::vector<std::string>& args);
int runLikelihood(const std::vector<std::string>& args);
int runEval(const std::vector<std::string>& args);
int runSweepCommand(const std::vector<std::string>& args);
int runDocs(const std::vector<std::string>& args);
int runTrainClassifier(const std::vector<std::string>& args);

/// Where presets and bench references live: $FLOWSCOPE_RESOURCES, else the source tree's.
std::string resourcesDir();

}  // namespace flowscope::cli
