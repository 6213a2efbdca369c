// NFE sweeps (Figure 7): NFE accounting, numerical error against the reference shrinking with the
// step count at the solver's order, and the CSV layout.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "core/data/Dataset2D.h"
#include "core/eval/NfeSweep.h"
#include "core/solvers/OdeSolver.h"
#include "core/train/TrainedFlow.h"
#include "core/train/Trainer.h"
#include "core/util/Error.h"

using namespace flowscope;
namespace fs = std::filesystem;

namespace {

std::shared_ptr<TrainedFlow> tinyFlow() {
  static std::shared_ptr<TrainedFlow> flow = [] {
    const fs::path dir = fs::temp_directory_path() / ("flowscope-sweep-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    ExperimentConfig c;
    c.model.width = 32;
    c.model.depth = 2;
    c.training.steps = 200;
    c.training.batch_size = 256;
    c.optimizer.lr = 3e-3;
    c.training.threads = 1;
    Trainer(c, dir.string(), StartMode::Fresh).train();
    auto f = TrainedFlow::load(dir.string());
    fs::remove_all(dir);
    return f;
  }();
  return flow;
}

}  // namespace

TEST(Sweep, NfeAndErrorBehaveAsTheSolversPromise) {
  const auto flow = tinyFlow();
  const auto data = makeDataset(flow->config().data);
  SweepSpec spec;
  spec.solvers = {"euler", "midpoint", "rk4"};
  spec.steps = {4, 8, 16, 32};
  spec.tolerances = {1e-3, 1e-5};
  spec.n = 500;
  spec.referenceCount = 500;
  const SweepResult r = runSweep(*flow, data.get(), spec);
  ASSERT_TRUE(r.completed);
  EXPECT_EQ(r.referenceNfe, 4000);
  ASSERT_EQ(r.rows.size(), 3u * 4u + 2u);
  const int stages[] = {1, 2, 4};
  for (size_t s = 0; s < 3; ++s) {
    for (size_t k = 0; k < 4; ++k) {
      const SweepRow& row = r.rows[s * 4 + k];
      EXPECT_EQ(row.nfe, row.steps * stages[s]) << row.solver;
      if (k > 0) {
        const SweepRow& prev = r.rows[s * 4 + k - 1];
        // Doubling the steps divides the squared error by about 4^order (error ~ h^order).
        const double observed = std::log2(prev.numericalError / row.numericalError) / 2;
        EXPECT_GT(observed, 0.6 * solverOrder(parseSolverMethod(row.solver))) << row.solver << " " << row.steps;
      }
    }
  }
  // At equal NFE (32), the higher-order solvers are more accurate.
  EXPECT_LT(r.rows[1 * 4 + 2].numericalError, r.rows[0 * 4 + 3].numericalError);  // midpoint 16 vs euler 32
  EXPECT_LT(r.rows[2 * 4 + 1].numericalError, r.rows[1 * 4 + 2].numericalError);  // rk4 8 vs midpoint 16
  // dopri5: tighter tolerance, more NFE, smaller error; quality metrics present.
  const SweepRow& loose = r.rows[12];
  const SweepRow& tight = r.rows[13];
  EXPECT_EQ(loose.solver, "dopri5");
  EXPECT_GT(tight.nfe, loose.nfe);
  EXPECT_LT(tight.numericalError, loose.numericalError);
  EXPECT_EQ(tight.metrics.count("frac_black"), 1u);
  EXPECT_EQ(tight.metrics.count("sliced_w2"), 1u);
}

TEST(Sweep, CsvHasOneRowPerSolveAndAllMetricColumns) {
  const auto flow = tinyFlow();
  SweepSpec spec;
  spec.solvers = {"heun"};
  spec.steps = {2, 4};
  spec.tolerances = {};
  spec.n = 100;
  spec.metrics = false;
  const SweepResult r = runSweep(*flow, nullptr, spec);
  const std::string csv = sweepCsv({{"a", r}, {"b, quoted", r}});
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "run,solver,steps,tolerance,nfe,numerical_error,wall_ms");
  int rows = 0;
  while (std::getline(in, line)) ++rows;
  EXPECT_EQ(rows, 4);
  EXPECT_NE(csv.find("\"b, quoted\",heun,4,0,8,"), std::string::npos) << csv;
}

TEST(Sweep, BadSpecsAreInputErrors) {
  const auto flow = tinyFlow();
  SweepSpec spec;
  spec.solvers = {"dopri5"};
  EXPECT_THROW(runSweep(*flow, nullptr, spec), InputError);
  spec.solvers = {"euler"};
  spec.reference = "rk4:lots";
  EXPECT_THROW(runSweep(*flow, nullptr, spec), InputError);
  spec.reference = "rk4:100";
  spec.steps = {0};
  EXPECT_THROW(runSweep(*flow, nullptr, spec), InputError);
}
