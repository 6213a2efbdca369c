// flowscope-cli train: runs an experiment into a run folder, with a progress bar, Ctrl-C that
// checkpoints before exiting, and --resume.

#include <cstdio>
#include <filesystem>

#include "CliOptions.h"
#include "Commands.h"
#include "Interrupt.h"
#include "ProgressBar.h"
#include "core/config/ConfigYaml.h"
#include "core/registry/Registries.h"
#include "core/train/Checkpoint.h"
#include "core/train/Evaluation.h"
#include "core/train/RunDirectory.h"
#include "core/train/Trainer.h"
#include "core/util/ArgParser.h"
#include "core/util/Error.h"

namespace flowscope::cli {

int runTrain(const std::vector<std::string>& args) {
  ArgParser parser("flowscope-cli train --config FILE [--set key=value]... --out RUN_DIR [--resume]",
                   "Trains the experiment in FILE and writes RUN_DIR/config.yaml (resolved),\n"
                   "RUN_DIR/checkpoints/ and RUN_DIR/metrics.csv. With --resume, continues the\n"
                   "run in RUN_DIR from its latest checkpoint (--config may then be omitted).");
  parser.option("config", "FILE", "experiment YAML (see resources/presets/)")
      .repeated("set", "KEY=VALUE", "override a config key, e.g. --set training.steps=5000")
      .option("out", "RUN_DIR", "run folder to create or resume", "", true)
      .flag("resume", "continue the run in RUN_DIR from checkpoints/latest.pt")
      .flag("quiet", "no progress output")
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

  const bool quiet = a.has("quiet");
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
  Trainer trainer(config, out, resume ? StartMode::Resume : StartMode::Fresh, hooks);
  if (!quiet)
    std::fprintf(stderr, "%s %s: %s on %s, step %lld of %lld\n", resume ? "resuming" : "training",
                 config.name.c_str(), out.c_str(), trainer.deviceDescription().c_str(),
                 static_cast<long long>(trainer.step()),
                 static_cast<long long>(config.training.steps));
  try {
    trainer.train(-1, &stop);
  } catch (const NonFiniteLossError& e) {
    bar.finish();
    std::fprintf(stderr, "flowscope-cli train: %s\n", e.what());
    return 3;
  } catch (...) {
    bar.finish();  // a failed write (metrics.csv, a checkpoint): main() prints it, exit 1
    throw;
  }
  bar.finish();
  if (stop.load()) {
    std::fprintf(stderr, "interrupted at step %lld; checkpoint written. Resume with:\n"
                         "  flowscope-cli train --out %s --resume\n",
                 static_cast<long long>(trainer.step()), out.c_str());
    return 128 + interruptSignal();
  }
  std::printf("trained %s to step %lld: %s\n", config.name.c_str(),
              static_cast<long long>(trainer.step()), run.latestCheckpointPath().c_str());
  return 0;
}

}  // namespace flowscope::cli
