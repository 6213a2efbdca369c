#include "gui/views/nfe/NfeScene.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "core/registry/Registries.h"

namespace flowscope::gui {

QStringList NfeScene::solverOrder() {
  QStringList out;
  for (const Choice& c : solverRegistry().choices()) out << QString::fromStdString(c.name);
  return out;
}

QStringList NfeScene::sweepSolvers() {
  QStringList out;
  for (const Choice& c : solverRegistry().choices())
    if (c.hasTag("fixed_step")) out << QString::fromStdString(c.name);
  return out;
}

bool NfeScene::isAdaptive(const QString& solver) {
  const Choice* c = solverRegistry().find(solver.toStdString());
  return c && c->hasTag("adaptive");
}

NfeScene::SolverStyle NfeScene::styleFor(const QString& solver) {
  static const Qt::PenStyle lines[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine, Qt::DashDotDotLine};
  static const Marker markers[] = {Marker::Circle, Marker::Square, Marker::Triangle, Marker::Diamond, Marker::Cross};
  const auto i = static_cast<size_t>(std::max<qsizetype>(0, solverOrder().indexOf(solver)));
  return {lines[i % 5], markers[i % 5]};
}

const std::vector<int>& NfeScene::stripNfes() {
  static const std::vector<int> nfes{2, 4, 8, 16, 32};
  return nfes;
}

void NfeScene::startSweep(const QString& reference) {
  results_.clear();
  colors_.clear();
  reference_ = reference;
}

void NfeScene::addResult(const QString& run, const QColor& color, SweepResult result) {
  results_.emplace_back(run, std::move(result));
  colors_[run] = color;
}

QColor NfeScene::colorOf(const QString& run) const {
  const auto it = colors_.find(run);
  return it == colors_.end() ? QColor(Qt::gray) : it->second;
}

QStringList NfeScene::metricKeys() const {
  std::set<QString> keys;
  for (const auto& [name, r] : results_)
    for (const SweepRow& row : r.rows)
      for (const auto& kv : row.metrics) keys.insert(QString::fromStdString(kv.first));
  return QStringList(keys.begin(), keys.end());
}

void NfeScene::setMetric(const QString& key) { metricKey_ = key; }

QString NfeScene::metric() const {
  const QStringList keys = metricKeys();
  if (!metricKey_.isEmpty() && (keys.isEmpty() || keys.contains(metricKey_))) return metricKey_;
  // Sliced W2 by default: defined for every dataset and it penalizes both spread and
  // over-concentration; frac_black rewards the latter at low NFE.
  if (keys.isEmpty() || keys.contains("sliced_w2")) return "sliced_w2";
  if (keys.contains("classifier_fd")) return "classifier_fd";  // image runs: Figure 7 (right)
  if (keys.contains("mse_per_pixel")) return "mse_per_pixel";
  return keys.front();
}

std::vector<NfeScene::Curve> NfeScene::curves(Chart chart) const {
  const std::string key = metric().toStdString();
  std::vector<Curve> out;
  for (const auto& [run, result] : results_)
    for (const QString& solver : solverOrder()) {
      Curve c{run, colorOf(run), solver, {}};
      for (const SweepRow& row : result.rows) {
        if (QString::fromStdString(row.solver) != solver || row.nfe <= 0) continue;
        double y = row.numericalError;
        if (chart == Chart::Quality) {
          const auto it = row.metrics.find(key);
          y = it == row.metrics.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
        }
        if (!std::isfinite(y) || (chart == Chart::Error && y <= 0)) continue;  // log axis
        c.points.append(QPointF(static_cast<double>(row.nfe), y));
      }
      std::stable_sort(c.points.begin(), c.points.end(), [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); });
      if (!c.points.isEmpty()) out.push_back(std::move(c));
    }
  return out;
}

QVector<QPointF> NfeScene::points(const QString& run, const QString& solver, Chart chart) const {
  for (const Curve& c : curves(chart))
    if (c.run == run && c.solver == solver) return c.points;
  return {};
}

QStringList NfeScene::solversPresent() const {
  std::set<QString> present;
  for (const auto& [run, r] : results_)
    for (const SweepRow& row : r.rows) present.insert(QString::fromStdString(row.solver));
  QStringList out;
  for (const QString& s : solverOrder())
    if (present.count(s)) out << s;
  return out;
}

void NfeScene::startStrip(const QString& solver) {
  strip_.clear();
  stripSamples_.clear();
  stripSolver_ = solver;
}

void NfeScene::addStripRow(NfeStripRow row) {
  stripSamples_[row.run] = row.sets;
  strip_.push_back(std::move(row));
}

}  // namespace flowscope::gui
