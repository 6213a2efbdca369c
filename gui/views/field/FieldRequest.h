#pragma once
// What the vector field view asks of the engine, as a value copied on the GUI thread (the worker
// touches nothing else), and what comes back: the FieldScene built on the worker (tracing
// streamlines takes a few ms) with the title of the picture.

#include <QPointF>
#include <QString>

#include <cstdint>
#include <optional>

#include "core/api/FlowModel.h"
#include "core/api/Queries.h"
#include "core/config/ExperimentConfig.h"
#include "gui/views/field/FieldScene.h"

namespace flowscope::gui {

/// The fields the view shows: v_t, u_t(x|x1) (eq. 15), u_t (eq. 8) and v_t - u_t.
enum class FieldSource { Learned, Conditional, Marginal, Residual };

/// "learned", "conditional", "marginal", "residual" (session files, export names).
QString fieldSourceKey(FieldSource s);
std::optional<FieldSource> fieldSourceFromKey(const QString& key);
/// For the source menu: "learned v_t", "marginal u_t (closed form)", ...
QString fieldSourceLabel(FieldSource s, bool closedForm);

struct FieldRequest {
  /// Data points behind the empirical marginal field (eq. 8) and their fixed seed.
  static constexpr int kMarginalPoints = 2000;
  static constexpr uint64_t kMarginalSeed = 20230501;

  FieldSource source = FieldSource::Learned;
  bool hasRun = false;
  QString runName;
  PathConfig path;
  DataConfig data;
  FlowModelPtr model;
  int grid = 24;  ///< points along the longer side
  double t = 1;
  QPointF x1;
  bool closedForm = false;  ///< Gaussian data: the marginal in closed form
  double arrowScale = 1, streamSpacing = 1;

  bool needsWeights() const { return source == FieldSource::Learned || source == FieldSource::Residual; }
  /// Why this request cannot be computed ("Choose a run ..."), empty when it can.
  QString problem() const;
};

struct FieldResult {
  FieldRequest request;
  FieldScene scene;
  int64_t step = -1;  ///< of the weights used, -1 without
  /// "learned v_t at t = 0.50 — tiny, step 200"
  QString title() const;
};

/// The range fields are drawn over: the data's plotting range widened to hold the noise at t = 0
/// (N(0, I) to 3.5 sigma), so the whole path from noise to data is on screen.
ViewBounds fieldBounds(const DataConfig* data);
/// `n` points along the longer side of `b`, square cells.
GridSpec fieldGrid(const ViewBounds& b, int n);

/// Computes the request (worker thread; throws what the queries throw).
FieldResult computeField(const FieldRequest& request);

}  // namespace flowscope::gui
