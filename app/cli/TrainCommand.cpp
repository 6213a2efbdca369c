// flowscope-cli train: runs an experiment into a run folder, with a progress bar, Ctrl-C that
// checkpoints before exiting, and --resume.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <filesystem>

#include "CliOptions.h"
#include "Commands.h"
#include "Interrupt.h"
#include "ProgressBar.h"
#include "core/config/ConfigYaml.h"
#include "core/dist/Communicator.h"
#include "core/dist/DistributedEnv.h"
#include "core/registry/Registries.h"
#include "core/train/Checkpoint.h"
#include "core/train/Evaluation.h"
#include "core/train/RunDirectory.h"
#include "core/train/Trainer.h"
#include "core/util/ArgParser.h"
#include "core/util/Device.h"
#include "core/util/Error.h"

namespace flowscope::cli {

int runTrain(const std::vector<std::string>& args) {
  ArgParser parser("flowscope-cli train --config FILE [--set key=value]... --out RUN_DIR [--resume]",
                   "Trains the experiment in FILE and writes RUN_DIR/config.yaml (resolved),\n"
                   "RUN_DIR/checkpoints/ and RUN_DIR/metrics.csv. With --resume, continues the\n"
                   "run in RUN_DIR from its latest checkpoint (--config may then be omitted).\n"
                   "Under torchrun (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT set), every process\n"
                   "trains its share of each batch (Gloo on CPUs, NCCL on GPUs) and rank 0 writes\n"
                   "RUN_DIR, which must be on a filesystem every rank sees:\n"
                   "  torchrun --nproc-per-node=2 flowscope-cli train --config FILE --out RUN_DIR");
  parser.option("config", "FILE", "experiment YAML (see resources/presets/)")
      .repeated("set", "KEY=VALUE", "override a config key, e.g. --set training.steps=5000")
      .option("out", "RUN_DIR", "run folder to create or resume", "", true)
      .flag("resume", "continue the run in RUN_DIR from checkpoints/latest.pt")
      .flag("quiet", "no progress output")
      .integer("dist-timeout", "SECONDS", "launched by torchrun: how long a rank waits for the others in a "
               "collective (an evaluation or checkpoint on rank 0 makes them wait) before it gives up",
               ValueRange::closed(1, 86400), "1800")
      .epilog("Choices of the config (docs/configuration.md):\n\n" +
              choicesHelp({&datasetRegistry(), &pathRegistry(), &objectiveRegistry(),
                           &modelRegistry(), &solverRegistry(), &deviceRegistry()}));
  const ParsedArgs a = parser.parse(args);
  if (a.has("help")) {
    std::fputs(parser.help().c_str(), stdout);
    return 0;
  }
  const std::string out = a.get("out");
  const RunDirectory run(out);
  const bool resume = a.has("resume");

  ExperimentConfig config;
  if (resume) {
    if (!run.hasCheckpoint() && run.checkpointSteps().empty())
      throw InputError("--resume: " + out + " has no checkpoint to resume (" +
                       run.latestCheckpointPath() + " is missing)");
    // The request: --config, else the run's config.yaml, with the overrides. The trainer checks
    // it against the experiment stored in the checkpoint (core/train/ResumeGuard.h).
    if (a.has("config")) {
      config = loadExperiment(a.get("config"), a.getAll("set"));
    } else {
      std::string unreadable;
      try {
        (void)loadExperiment(run.configPath());
      } catch (const InputError& e) {
        unreadable = e.what();
      }
      if (unreadable.empty() || !run.hasCheckpoint()) {
        config = loadExperiment(run.configPath(), a.getAll("set"));
      } else {
        // A lost or damaged config.yaml does not block a resume: the checkpoint has its own.
        const std::string stored = readCheckpointConfig(run.latestCheckpointPath());
        std::fprintf(stderr, "flowscope-cli train: warning: %s; using the experiment stored in %s\n",
                     unreadable.c_str(), run.latestCheckpointPath().c_str());
        config = parseExperiment(stored, run.latestCheckpointPath() + " (stored config)", a.getAll("set"));
      }
    }
  } else {
    if (!a.has("config")) throw UsageError("--config is required unless --resume is given");
    config = loadExperiment(a.get("config"), a.getAll("set"));
  }

  // Launched by torchrun: join the other ranks before anything is built.
  const std::optional<DistributedEnv> env = DistributedEnv::fromEnvironment();
  std::unique_ptr<Communicator> comm;
  TrainerDistribution dist;
  if (env) {
    c10::Device device = resolveDevice(config.training.device);
    if (device.is_cuda()) device = c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(env->localRank));
    comm = Communicator::connect(*env, device, std::chrono::seconds(a.getInt("dist-timeout")));
    dist.comm = comm.get();
    dist.localRank = env->localRank;
  }
  const bool main = !env || env->isMain();
  const bool quiet = a.has("quiet") || !main;
  ProgressBar bar;
  TrainerHooks hooks = evaluationHooks(config);
  hooks.progress = [&](const TrainProgress& p) {
    if (!quiet) bar.update(p);
  };
  hooks.warning = [&](const std::string& message) {
    bar.finish();
    std::fprintf(stderr, "flowscope-cli train: warning: %s\n", message.c_str());
  };
  auto evaluated = hooks.evaluated;
  hooks.evaluated = [&, evaluated](int64_t step, const EvalValues& v) {
    if (evaluated) evaluated(step, v);
    if (quiet) return;
    bar.finish();
    std::fprintf(stderr, "eval @ %lld:%s\n", static_cast<long long>(step),
                 formatEvalValues(v).c_str());
  };

  // Before the trainer: a signal while it loads stops the run before its first step.
  const std::atomic<bool>& stop = installInterruptHandler();
  Trainer trainer(config, out, resume ? StartMode::Resume : StartMode::Fresh, hooks, dist);
  if (!quiet)
    std::fprintf(stderr, "%s %s: %s on %s%s, step %lld of %lld\n", resume ? "resuming" : "training",
                 config.name.c_str(), out.c_str(), trainer.deviceDescription().c_str(),
                 env ? (" x " + std::to_string(env->worldSize) + " processes (" + comm->backend() + ")").c_str() : "",
                 static_cast<long long>(trainer.step()),
                 static_cast<long long>(config.training.steps));
  const auto trainStart = std::chrono::steady_clock::now();
  double trainSec = 0;
  try {
    trainer.train(-1, &stop);
    trainSec = std::chrono::duration<double>(std::chrono::steady_clock::now() - trainStart).count();
  } catch (const NonFiniteLossError& e) {
    bar.finish();
    std::fprintf(stderr, "flowscope-cli train: %s\n", e.what());
    return 3;
  } catch (...) {
    bar.finish();  // a failed write (metrics.csv, a checkpoint): main() prints it, exit 1
    throw;
  }
  bar.finish();
  if (env && !quiet)
    std::fprintf(stderr, "collectives: %.2f s of %.2f s training (%.1f%%) on rank 0\n", trainer.communicationSeconds(),
                 trainSec, 100 * trainer.communicationSeconds() / std::max(1e-9, trainSec));
  // Stopped early: this rank's Ctrl-C, or (distributed) another rank's.
  const bool interrupted = !trainer.finished();
  const int signal = interruptSignal() > 0 ? interruptSignal() : 15;
  if (!main) return interrupted ? 128 + signal : 0;
  if (interrupted) {
    std::fprintf(stderr, "interrupted at step %lld; checkpoint written. Resume with:\n"
                         "  flowscope-cli train --out %s --resume\n",
                 static_cast<long long>(trainer.step()), out.c_str());
    return 128 + signal;
  }
  std::printf("trained %s to step %lld: %s\n", config.name.c_str(),
              static_cast<long long>(trainer.step()), run.latestCheckpointPath().c_str());
  return 0;
}

}  // namespace flowscope::cli
