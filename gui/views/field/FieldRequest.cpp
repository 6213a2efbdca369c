#include "gui/views/field/FieldRequest.h"

#include <algorithm>
#include <cmath>

namespace flowscope::gui {
namespace {
const QString kEmDash = QString::fromUtf8(" \u2014 ");
const QString kMinus = QString::fromUtf8("\u2212");
}  // namespace

QString fieldSourceKey(FieldSource s) {
  switch (s) {
    case FieldSource::Learned: return "learned";
    case FieldSource::Conditional: return "conditional";
    case FieldSource::Marginal: return "marginal";
    case FieldSource::Residual: return "residual";
  }
  return "learned";
}

std::optional<FieldSource> fieldSourceFromKey(const QString& key) {
  for (FieldSource s : {FieldSource::Learned, FieldSource::Conditional, FieldSource::Marginal, FieldSource::Residual})
    if (fieldSourceKey(s) == key) return s;
  return std::nullopt;
}

QString fieldSourceLabel(FieldSource s, bool closedForm) {
  switch (s) {
    case FieldSource::Learned: return "learned v_t";
    case FieldSource::Conditional: return "conditional u_t(x|x1)";
    case FieldSource::Marginal: return closedForm ? "marginal u_t (closed form)" : "marginal u_t (eq. 8)";
    case FieldSource::Residual: return "residual v_t " + kMinus + " u_t";
  }
  return {};
}

QString FieldRequest::problem() const {
  if (!hasRun && source != FieldSource::Conditional)
    return "Choose a run to show its " + fieldSourceLabel(source, false) + ".";
  if (needsWeights() && !model) return runName + " has no weights yet: start training.";
  return {};
}

QString FieldResult::title() const {
  const FieldRequest& q = request;
  const QString at = QString(" at t = %1").arg(q.t, 0, 'f', 2);
  const QString stepText = step >= 0 ? QString(", step %1").arg(step) : QString();
  switch (q.source) {
    case FieldSource::Learned: return "learned v_t" + at + kEmDash + q.runName + stepText;
    case FieldSource::Conditional:
      return "conditional u_t(x|x1)" + at + kEmDash + QString::fromStdString(q.path.name) +
             QString(" path, x1 = (%1, %2)").arg(q.x1.x(), 0, 'f', 2).arg(q.x1.y(), 0, 'f', 2);
    case FieldSource::Marginal:
      return (q.closedForm ? QString("marginal u_t (closed form)")
                           : QString("marginal u_t (eq. 8, N = %1)").arg(FieldRequest::kMarginalPoints)) +
             at + kEmDash + q.runName;
    case FieldSource::Residual: return "residual v_t " + kMinus + " u_t" + at + kEmDash + q.runName + stepText;
  }
  return {};
}

ViewBounds fieldBounds(const DataConfig* data) {
  ViewBounds b{-3.5, 3.5, -3.5, 3.5};
  if (!data) return b;
  const ViewBounds d = dataBounds(*data);
  return {std::min(b.xmin, d.xmin), std::max(b.xmax, d.xmax), std::min(b.ymin, d.ymin), std::max(b.ymax, d.ymax)};
}

GridSpec fieldGrid(const ViewBounds& b, int n) {
  GridSpec g;
  g.bounds = b;
  const double w = b.xmax - b.xmin, h = b.ymax - b.ymin;
  if (w >= h) {
    g.nx = n;
    g.ny = std::max(2, static_cast<int>(std::lround(n * h / w)));
  } else {
    g.ny = n;
    g.nx = std::max(2, static_cast<int>(std::lround(n * w / h)));
  }
  return g;
}

FieldResult computeField(const FieldRequest& req) {
  FieldResult out;
  out.request = req;
  const GridSpec g = fieldGrid(fieldBounds(req.hasRun ? &req.data : nullptr), req.grid);
  auto marginal = [&] {
    // eq. 8 for the empirical data set; Gaussian data has the closed form.
    if (req.closedForm) return gaussianMarginalField(req.path, req.data.mean, req.data.covariance, g, req.t);
    return marginalField(req.path, sampleData(req.data, FieldRequest::kMarginalPoints, FieldRequest::kMarginalSeed), g,
                         req.t);
  };
  out.scene.setArrowScale(req.arrowScale);
  out.scene.setStreamSpacing(req.streamSpacing);
  switch (req.source) {
    case FieldSource::Learned: out.scene.setField(learnedField(*req.model, g, req.t)); break;
    case FieldSource::Conditional:
      out.scene.setField(conditionalField(req.path, g, req.t, req.x1.x(), req.x1.y()));
      break;
    case FieldSource::Marginal: out.scene.setField(marginal()); break;
    case FieldSource::Residual: out.scene.setResidual(learnedField(*req.model, g, req.t), marginal()); break;
  }
  if (req.model) out.step = req.model->step();
  return out;
}

}  // namespace flowscope::gui
