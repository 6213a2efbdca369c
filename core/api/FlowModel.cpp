#include "core/api/FlowModel.h"

#include <atomic>

#include "core/train/TrainedFlow.h"

namespace flowscope {
namespace {
std::atomic<uint64_t> gNextId{1};
}

FlowModel::FlowModel(std::shared_ptr<const TrainedFlow> flow, std::string runDir)
    : flow_(std::move(flow)), runDir_(std::move(runDir)), id_(gNextId++) {}

const ExperimentConfig& FlowModel::config() const { return flow_->config(); }
int64_t FlowModel::step() const { return flow_->step(); }
double FlowModel::tMin() const { return flow_->tMin(); }
double FlowModel::tMax() const { return flow_->tMax(); }

FlowModelPtr loadFlowModel(const std::string& runDir, const std::string& checkpoint, bool ema) {
  return std::make_shared<FlowModel>(TrainedFlow::load(runDir, checkpoint, ema, "cpu"), runDir);
}

}  // namespace flowscope
