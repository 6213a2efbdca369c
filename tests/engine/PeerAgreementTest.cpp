// FlowScope's numbers against the Python peers on identical inputs: flow_matching's and torchcfm's
// path coefficients and CFM targets, torchdiffeq's dopri5. Runs when FlowScope's torch 2.x
// environment exists (packaging/install-torch2.sh; FLOWSCOPE_VENV overrides where), skips otherwise.
// Conventions that differ from the paper's are compared only where they coincide (noted inline).

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>
#include <string>

#include <unistd.h>

#include "core/paths/CondOTPath.h"
#include "core/paths/VPDiffusionPath.h"
#include "core/solvers/OdeSolver.h"
#include "core/util/TensorIo.h"

namespace fs = std::filesystem;

namespace flowscope {
namespace {

std::string venvPython() {
  std::string venv;
  if (const char* v = std::getenv("FLOWSCOPE_VENV")) venv = v;
  else if (const char* home = std::getenv("HOME")) venv = std::string(home) + "/.cache/flowscope/venv-torch2";
  const std::string python = venv + "/bin/python";
  return fs::exists(python) ? python : "";
}

class PeerAgreement : public ::testing::Test {
 protected:
  // The peers run once for the suite (importing torch 2.x takes seconds).
  static void SetUpTestSuite() {
    const std::string python = venvPython();
    if (python.empty()) return;
    dir_ = fs::temp_directory_path() / ("flowscope-peers-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    torch::manual_seed(3);
    t_ = torch::rand({64}, torch::kFloat64) * 0.98 + 0.01;
    x0_ = torch::randn({64, 2}, torch::kFloat64);
    x1_ = torch::randn({64, 2}, torch::kFloat64) * 2;
    writeNpyTensorF64((dir_ / "t.npy").string(), t_);
    writeNpyTensorF64((dir_ / "x0.npy").string(), x0_);
    writeNpyTensorF64((dir_ / "x1.npy").string(), x1_);
    const std::string command = python + " " + FLOWSCOPE_SOURCE_DIR "/tests/peers/agree.py " +
                                dir_.string() + " > " + (dir_ / "log.txt").string() + " 2>&1";
    ran_ = std::system(command.c_str()) == 0;
  }
  static void TearDownTestSuite() {
    if (ran_) fs::remove_all(dir_);
  }
  void SetUp() override {
    if (venvPython().empty()) GTEST_SKIP() << "no torch 2.x environment (packaging/install-torch2.sh)";
    ASSERT_TRUE(ran_) << "agree.py failed; see " << (dir_ / "log.txt");
  }
  static torch::Tensor peer(const std::string& name) {
    // Raw little-endian float64 (agree.py's .f64 files): no float32 round trip in between.
    std::ifstream in(dir_ / (name + ".f64"), std::ios::binary | std::ios::ate);
    EXPECT_TRUE(in.good()) << name;
    std::vector<double> values;
    const auto bytes = static_cast<size_t>(in.tellg());
    values.resize(bytes / sizeof(double));
    in.seekg(0);
    in.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(bytes));
    return torch::tensor(values, torch::kFloat64);
  }
  static double maxDiff(const torch::Tensor& a, const torch::Tensor& b) {
    EXPECT_EQ(a.numel(), b.numel());
    return (a.reshape(-1) - b.reshape(-1)).abs().max().item<double>();
  }

  static inline fs::path dir_;
  static inline bool ran_ = false;
  static inline torch::Tensor t_, x0_, x1_;
};

TEST_F(PeerAgreement, OtPathAndTargetEqualFlowMatchingsAndTorchcfmsAtSigmaMinZero) {
  const CondOTPath ot(0.0);  // flow_matching's CondOTScheduler and torchcfm's sigma=0 matcher
  const torch::Tensor t = t_.unsqueeze(1);
  const torch::Tensor xt = ot.psi(t, x0_, x1_), dxt = ot.dpsi(t, x0_, x1_);
  EXPECT_LT(maxDiff(xt, peer("fm_ot_xt")), 1e-12);
  EXPECT_LT(maxDiff(dxt, peer("fm_ot_dxt")), 1e-12);
  EXPECT_LT(maxDiff(xt, peer("cfm_xt")), 1e-12);
  EXPECT_LT(maxDiff(dxt, peer("cfm_ut")), 1e-12);
}

TEST_F(PeerAgreement, OtPathWithSigmaMinEqualsTorchcfmsTargetMatcher) {
  // torchcfm's TargetConditionalFlowMatcher(sigma) is eq. 20-21 with sigma_min = sigma.
  const CondOTPath ot(1e-2);
  const torch::Tensor t = t_.unsqueeze(1);
  EXPECT_LT(maxDiff(ot.mean(t, x1_), peer("cfm_target_mu")), 1e-12);
  // Its target is u_t at x = mu_t (the path's mean), eq. 21.
  EXPECT_LT(maxDiff(ot.conditionalVectorField(t, ot.mean(t, x1_), x1_), peer("cfm_target_ut")), 1e-10);
}

TEST_F(PeerAgreement, VpScheduleEqualsFlowMatchingsVpScheduler) {
  const VPDiffusionPath vp(0.1, 20.0, 1e-5);  // flow_matching's VPScheduler defaults
  EXPECT_LT(maxDiff(vp.alpha(t_), peer("fm_vp_alpha")), 1e-12);
  EXPECT_LT(maxDiff(vp.sigma(t_), peer("fm_vp_sigma")), 1e-12);
  EXPECT_LT(maxDiff(vp.dalpha(t_), peer("fm_vp_dalpha")), 1e-9);
  EXPECT_LT(maxDiff(vp.dsigma(t_), peer("fm_vp_dsigma")), 1e-9);
}

TEST_F(PeerAgreement, Dopri5AgreesWithTorchdiffeqWithinTheTolerance) {
  SolveOptions o;
  o.method = SolverMethod::Dopri5;
  o.atol = o.rtol = 1e-8;
  const VelocityFn f = [](const torch::Tensor& x, double t) {
    return -x * t + std::sin(3 * t) * x * x / 4;
  };
  const torch::Tensor mine = solve(f, x0_, o).states.back();
  // Both solutions carry a global error of order the tolerance; they agree far below the scale
  // of the solution (|x| ~ 1) and any error from a wrong tableau (~1e-3 at these step sizes).
  EXPECT_LT(maxDiff(mine, peer("tde_dopri5")), 1e-6);
}

}  // namespace
}  // namespace flowscope
