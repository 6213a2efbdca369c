// The engine on the test device: FLOWSCOPE_TEST_DEVICE=cuda (packaging/build-cuda.sh) runs these on
// the GPU, otherwise on the CPU. Training, checkpoints and sampling must agree across devices.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdlib>
#include <filesystem>

#include "core/solvers/OdeSolver.h"
#include "core/train/TrainedFlow.h"
#include "core/train/Trainer.h"
#include "core/util/Device.h"

using namespace flowscope;
namespace fs = std::filesystem;

namespace {

std::string testDevice() {
  const char* env = std::getenv("FLOWSCOPE_TEST_DEVICE");
  return env ? env : "cpu";
}

}  // namespace

TEST(Device, TrainSampleAndReloadOnTheTestDevice) {
  const std::string device = testDevice();
  if (device != "cpu") {
    ASSERT_TRUE(torch::cuda::is_available()) << "FLOWSCOPE_TEST_DEVICE=" << device;
  }
  const fs::path dir = fs::temp_directory_path() / ("flowscope-device-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  ExperimentConfig c;
  c.model.width = 64;
  c.model.depth = 2;
  c.training.steps = 30;
  c.training.batch_size = 256;
  c.training.device = device;
  c.training.threads = 1;
  Trainer trainer(c, dir.string(), StartMode::Fresh);
  trainer.train();
  EXPECT_NE(trainer.deviceDescription().find(device == "cpu" ? "cpu" : "cuda"), std::string::npos);

  // The same checkpoint sampled on the device and on the CPU from the same seed agrees.
  const auto onDevice = TrainedFlow::load(dir.string(), "latest", true, device);
  const auto onCpu = TrainedFlow::load(dir.string(), "latest", true, "cpu");
  EXPECT_EQ(onDevice->device().type(), resolveDevice(device).type());
  torch::NoGradGuard noGrad;
  SolveOptions o = onCpu->defaultSolveOptions();
  o.method = SolverMethod::RK4;
  o.steps = 20;
  const torch::Tensor a = solve(onDevice->velocity(), onDevice->sampleNoise(512, 5), o).final().cpu();
  const torch::Tensor b = solve(onCpu->velocity(), onCpu->sampleNoise(512, 5), o).final();
  EXPECT_LT((a - b).abs().max().item<double>(), 1e-3);
  fs::remove_all(dir);
}
