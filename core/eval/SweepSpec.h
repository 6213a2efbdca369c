#pragma once
// What an NFE sweep (Figure 7; Figure 4 right) asks for and returns, as plain values: the CLI,
// the engine and the app share these types and the one parser of the reference solve.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace flowscope {

struct SweepSpec {
  std::vector<std::string> solvers{"euler", "midpoint", "heun", "rk4"};  ///< fixed-step methods
  std::vector<int> steps{1, 2, 4, 8, 16, 32, 64};
  std::vector<double> tolerances{1e-2, 1e-3, 1e-4, 1e-5};  ///< dopri5, atol = rtol
  int64_t n = 5000;           ///< samples per solve (the same x0 for all)
  uint64_t seed = 0;          ///< noise seed
  std::string reference = "rk4:1000";  ///< "rk4:K" or "dopri5:TOL"
  bool metrics = true;        ///< also sample-quality metrics against the data
  int64_t referenceCount = 5000;  ///< data points drawn for the two-sample metrics
  /// Image runs: a classifier file (flowscope-cli train-classifier) that scores every solve's
  /// samples (classifier_fd, classifier_confident, ...); empty: none.
  std::string classifier;
};

/// The high-accuracy solve that numerical errors are measured against.
struct SweepReference {
  std::string solver;    ///< "rk4" or "dopri5"
  int steps = 0;         ///< rk4: step count >= 1
  double tolerance = 0;  ///< dopri5: atol = rtol in (0, 1)
};

/// Parses "rk4:STEPS" or "dopri5:TOLERANCE" (surrounding blanks allowed, nothing else: "rk4:10abc"
/// is an error). Throws InputError naming `what`.
SweepReference parseSweepReference(const std::string& text, const std::string& what = "reference");

struct SweepRow {
  std::string solver;
  int steps = 0;           ///< fixed-step solvers
  double tolerance = 0;    ///< dopri5
  int64_t nfe = 0;
  double numericalError = 0;  ///< mean over samples of ||x - x_ref||^2
  double wallMs = 0;
  std::map<std::string, double> metrics;
};

struct SweepResult {
  int64_t referenceNfe = 0;
  std::vector<SweepRow> rows;
  bool completed = true;
};

/// CSV with columns run, solver, steps, tolerance, nfe, numerical_error, wall_ms and the metric
/// keys (union over rows); one block of rows per run.
std::string sweepCsv(const std::vector<std::pair<std::string, SweepResult>>& runs);

}  // namespace flowscope
