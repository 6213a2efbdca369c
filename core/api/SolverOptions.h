#pragma once
// The one translation of a view's SolverSpec (core/api/Queries.h) into the engine's SolveOptions
// over a model's time range, shared by every query that solves (internal to core/api: it names
// LibTorch types through OdeSolver.h).

#include <atomic>

#include "core/api/Queries.h"
#include "core/solvers/OdeSolver.h"

namespace flowscope {

class TrainedFlow;

/// The flow's default options with spec's method, steps and tolerances. Throws InputError for
/// steps < 1 on a fixed-step method or tolerances out of range on dopri5.
SolveOptions solveOptionsFor(const TrainedFlow& flow, const SolverSpec& spec,
                             const std::atomic<bool>* cancel = nullptr);

}  // namespace flowscope
