// flowscope-cli: the FlowScope engine without a GUI (training, sampling, benchmarks), for servers
// and scripts. Every command prints --help; errors go to stderr with a non-zero exit.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "Commands.h"
#include "core/util/ArgParser.h"
#include "core/util/BlasKernel.h"
#include "core/util/CpuFeatures.h"
#include "core/util/Process.h"
#include "core/util/Error.h"

namespace {

// LibTorch's allocators say "can't allocate memory" / "out of memory" with a backtrace; the user
// needs the plain fact and the argument that sizes the work.
bool isOutOfMemory(const std::string& what) {
  return what.find("can't allocate memory") != std::string::npos ||
         what.find("out of memory") != std::string::npos ||
         what.find("alloc_cpu.cpp") != std::string::npos;
}

std::string sizingArguments(const std::string& command) {
  if (command == "sample") return "--chunk (and --times)";
  if (command == "likelihood") return "--n, the points in --data or --batch";
  if (command == "eval") return "--chunk or --n";
  if (command == "sweep") return "--n";
  if (command == "train") return "training.batch_size or model.width";
  if (command == "bench") return "--batch or --n";
  if (command == "train-classifier") return "--batch";
  return "the size of the request";
}

std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

constexpr const char* kUsage =
    "usage: flowscope-cli <command> [options]\n"
    "\n"
    "FlowScope " FLOWSCOPE_VERSION
    ": flow matching for generative modeling (Lipman et al., ICLR 2023).\n"
    "Time convention everywhere: t = 0 is noise, t = 1 is data.\n"
    "\n"
    "commands:\n"
    "  train       train an experiment (YAML) into a run folder\n"
    "  sample      draw samples (or trajectories) from a run's checkpoint\n"
    "  likelihood  model log-likelihood of points (Appendix C), NLL and BPD\n"
    "  eval        sample-quality metrics of a run\n"
    "  sweep       numerical error and quality against NFE (Figure 7)\n"
    "  bench       measure training or sampling throughput\n"
    "  train-classifier  the image classifier behind eval --classifier (classifier FD)\n"
    "  docs        regenerate the documentation's tables of keys and choices\n"
    "\n"
    "Run 'flowscope-cli <command> --help' for a command's options.\n";

}  // namespace

int main(int argc, char** argv) {
  flowscope::selectBlasKernel(argv);  // may re-execute this process with a better BLAS kernel
  flowscope::configureAllocator();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::puts("flowscope-cli " FLOWSCOPE_VERSION);
    std::printf("CPU: %s\nBLAS: %s\n", flowscope::cpuFeatures().brand.c_str(),
                flowscope::blasKernel().describe().c_str());
    return 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "train") return flowscope::cli::runTrain(args);
    if (command == "sample") return flowscope::cli::runSample(args);
    if (command == "bench") return flowscope::cli::runBench(args);
    if (command == "likelihood") return flowscope::cli::runLikelihood(args);
    if (command == "eval") return flowscope::cli::runEval(args);
    if (command == "sweep") return flowscope::cli::runSweepCommand(args);
    if (command == "docs") return flowscope::cli::runDocs(args);
    if (command == "train-classifier") return flowscope::cli::runTrainClassifier(args);
    std::fprintf(stderr, "flowscope-cli: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return 2;
  } catch (const flowscope::UsageError& e) {
    std::fprintf(stderr, "flowscope-cli %s: %s\n(see 'flowscope-cli %s --help')\n", command.c_str(),
                 e.what(), command.c_str());
    return 2;
  } catch (const flowscope::InputError& e) {
    std::fprintf(stderr, "flowscope-cli %s: error: %s\n", command.c_str(), e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "flowscope-cli %s: error: out of memory; lower %s\n", command.c_str(),
                 sizingArguments(command).c_str());
    return 1;
  } catch (const std::exception& e) {
    // Not FlowScope's own message: its first line, without a library's backtrace.
    const std::string what = e.what();
    if (isOutOfMemory(what))
      std::fprintf(stderr, "flowscope-cli %s: error: out of memory (%s); lower %s\n", command.c_str(),
                   firstLine(what).c_str(), sizingArguments(command).c_str());
    else
      std::fprintf(stderr, "flowscope-cli %s: error: %s\n", command.c_str(), firstLine(what).c_str());
    return 1;
  }
}
