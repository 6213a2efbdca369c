#pragma once
// What the views draw, computed by the engine and returned as plain values (torch-free). Every
// function is safe to call from a worker thread; long ones take a cancel flag (a newer request
// supersedes an older one) and report partial results through a callback.

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/api/FlowModel.h"
#include "core/config/ExperimentConfig.h"

namespace flowscope {

struct ViewBounds {
  double xmin = -4.5, xmax = 4.5, ymin = -4.5, ymax = 4.5;
  bool operator==(const ViewBounds& o) const {
    return xmin == o.xmin && xmax == o.xmax && ymin == o.ymin && ymax == o.ymax;
  }
};

/// A regular grid of cell centers over `bounds`, nx columns by ny rows, row-major, y ascending.
struct GridSpec {
  ViewBounds bounds;
  int nx = 24, ny = 24;
  double x(int i) const { return bounds.xmin + (i + 0.5) * (bounds.xmax - bounds.xmin) / nx; }
  double y(int j) const { return bounds.ymin + (j + 0.5) * (bounds.ymax - bounds.ymin) / ny; }
};

struct SolverSpec {
  std::string solver = "midpoint";  ///< euler | midpoint | heun | rk4 | dopri5
  int steps = 16;
  double atol = 1e-5, rtol = 1e-5;
};

/// Particle states at many times from one solve: scrubbing interpolates, it never evaluates the
/// network (design.md, data flow 5).
struct Trajectories {
  uint64_t modelId = 0;
  int64_t count = 0;            ///< N particles
  std::vector<double> times;    ///< T increasing times in [tMin, tMax]
  std::vector<float> xy;        ///< [T][N][2]
  int64_t nfe = 0;              ///< for the last chunk's solve
  bool complete = false;        ///< all requested particles present

  /// Positions at time t (clamped), linearly interpolated between stored times: [N][2].
  void positionsAt(double t, std::vector<float>& out) const;
  /// Position of particle i at stored time index k.
  const float* at(size_t k, int64_t i) const { return &xy[(k * static_cast<size_t>(count) + static_cast<size_t>(i)) * 2]; }
};

/// Solves N particles from noise seed `seed` and stores them at `timeCount` evenly spaced times.
/// Particles are computed in chunks of `chunk`; `partial` receives the growing result after each
/// chunk (same object type, complete = false until the end). Returns early (complete = false)
/// when `cancel` is set.
Trajectories computeTrajectories(const FlowModel& model, int64_t n, uint64_t seed, int timeCount,
                                 const SolverSpec& solver, int64_t chunk = 16384,
                                 const std::function<void(const Trajectories&)>& partial = {},
                                 const std::atomic<bool>* cancel = nullptr);

/// End points of one solve from the same noise (sample strips at several NFE): [N][2].
std::vector<float> samplePoints(const FlowModel& model, int64_t n, uint64_t seed,
                                const SolverSpec& solver, int64_t* nfe = nullptr);

/// A vector field sampled on a grid: [ny][nx][2], plus the largest magnitude.
struct VectorGrid {
  GridSpec grid;
  std::vector<float> uv;
  double maxNorm = 0;
};

/// The learned velocity v_t(x) of a model (after its objective's conversion, eq. 46).
VectorGrid learnedField(const FlowModel& model, const GridSpec& grid, double t);
/// The conditional field u_t(x|x1) of eq. 15 on `path` (Figure 2).
VectorGrid conditionalField(const PathConfig& path, const GridSpec& grid, double t, double x1x,
                            double x1y);
/// The marginal field u_t(x) of eq. 8 for the empirical data set `data` ([N][2]): the
/// p_t(x|x1_i)-weighted mixture of conditional fields, exact for this finite set.
VectorGrid marginalField(const PathConfig& path, const std::vector<float>& data,
                         const GridSpec& grid, double t);
/// The marginal field for q = N(mean, cov) in closed form: u = alpha' E[x1|x] + sigma' E[x0|x].
VectorGrid gaussianMarginalField(const PathConfig& path, const std::array<double, 2>& mean,
                                 const std::array<double, 4>& cov, const GridSpec& grid, double t);

/// log-density on a grid: [ny][nx], NaN where not computed.
struct DensityGrid {
  GridSpec grid;
  std::vector<double> logp;
  int64_t nfe = 0;
};

/// Model log p_t(x) on the grid (exact divergence, dopri5 1e-5 unless `solver` says otherwise).
DensityGrid modelLogDensity(const FlowModel& model, const GridSpec& grid, double t,
                            const SolverSpec& solver = {"dopri5", 0, 1e-5, 1e-5},
                            const std::atomic<bool>* cancel = nullptr);
/// log p_t(x) of the marginal path for an empirical data set (eq. 6 with q the data).
DensityGrid empiricalLogDensity(const PathConfig& path, const std::vector<float>& data,
                                const GridSpec& grid, double t);

/// n points of the experiment's dataset ([n][2]) and its plotting range.
std::vector<float> sampleData(const DataConfig& data, int64_t n, uint64_t seed);
/// Whether data.name is a 2D point dataset, the kind the 2D views show (image runs have the
/// image views, core/api/ImageQueries.h).
bool isPointData(const DataConfig& data);
ViewBounds dataBounds(const DataConfig& data);

/// Time range [tMin, tMax] of a path config.
std::pair<double, double> pathTimeRange(const PathConfig& path);

/// Writes user points [n][2] as a float32 .npy (atomically), for data.name: points.
void writePoints(const std::string& path, const std::vector<float>& xy);

}  // namespace flowscope
