#pragma once
// The LibTorch side of a Trainer, visible to engine code (evaluation, the API) only.

#include <torch/torch.h>

#include <memory>
#include <string>

#include "core/data/TrainingData.h"
#include "core/dist/BatchShard.h"
#include "core/dist/Communicator.h"
#include "core/io/RunFolderLock.h"
#include "core/models/VelocityNet.h"
#include "core/objectives/Objective.h"
#include "core/train/Ema.h"
#include "core/train/LrSchedule.h"
#include "core/train/MetricsLog.h"
#include "core/train/RunDirectory.h"
#include "core/train/Trainer.h"

namespace flowscope {

struct Trainer::State {
  std::unique_ptr<RunFolderLock> lock;  ///< first member: released after everything else
  ExperimentConfig config;
  std::string configYaml;
  RunDirectory run;
  TrainerHooks hooks;
  torch::Device device{torch::kCPU};
  Communicator* comm = nullptr;  ///< data parallelism; null for one process
  BatchShard shard;              ///< this rank's rows of every batch
  bool isMain() const { return comm == nullptr || comm->rank() == 0; }
  std::unique_ptr<TrainingData> data;
  std::shared_ptr<const Objective> objective;
  VelocityNet model;
  VelocityNet emaModel;  ///< the EMA weights (a copy of the model when EMA is off)
  std::unique_ptr<Ema> ema;
  std::unique_ptr<torch::optim::Adam> optimizer;
  std::unique_ptr<LrSchedule> schedule;
  at::Generator generator;
  int64_t step = 0;
  int64_t lastCheckpointStep = -1;
  std::unique_ptr<MetricsLog> metrics;
  double elapsedSec = 0;
  double commSec = 0;  ///< time in collectives (this process), for the all-reduce share
  double logLossSum = 0;  ///< the metrics.csv row in progress (kept across train() calls and
  int64_t logSteps = 0;   ///< in checkpoints, so an interrupted run logs the same means)

  explicit State(const std::string& runDir) : run(runDir) {}
};

}  // namespace flowscope
