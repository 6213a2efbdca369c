#pragma once
// What the NFE panel shows, as numbers and widget-free (Figure 7; Figure 4 right): the sweep
// results of each run, the quality metric drawn, which (run, solver) curves there are and their
// points against NFE, and the strip of samples at NFE 2..32. Solvers and their order come from
// the solver registry (core/registry), so a new solver shows up here without an edit.

#include <QColor>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>

#include <map>
#include <utility>
#include <vector>

#include "core/api/Queries.h"
#include "core/api/Sweeps.h"
#include "gui/plot/Marker.h"

namespace flowscope::gui {

/// One run's strip: a point set per stripNfes() entry, solved with `steps` and costing `nfes`.
struct NfeStripRow {
  QString run;
  QColor color;
  ViewBounds bounds;
  std::vector<std::vector<float>> sets;  ///< [n][2] each
  std::vector<int64_t> nfes;             ///< what each solve cost
};

class NfeScene {
 public:
  enum class Chart { Error, Quality };
  struct Curve {
    QString run;
    QColor color;
    QString solver;
    QVector<QPointF> points;  ///< (NFE, value), ascending NFE; only what a log axis can show
  };
  /// Dash and marker of a solver (the run gives the color), so curves stay apart in print.
  struct SolverStyle {
    Qt::PenStyle line;
    Marker marker;
  };

  /// The registry's fixed-step solvers (swept over step counts), in registry order.
  static QStringList sweepSolvers();
  /// Every solver of the registry, in its order: the order curves and legend entries take.
  static QStringList solverOrder();
  /// Whether `solver` is adaptive (swept over tolerances), by its registry tag.
  static bool isAdaptive(const QString& solver);
  static SolverStyle styleFor(const QString& solver);
  /// NFE of the strip's columns.
  static const std::vector<int>& stripNfes();

  /// Forgets the results (a new sweep against `reference` starts).
  void startSweep(const QString& reference);
  void addResult(const QString& run, const QColor& color, SweepResult result);
  const std::vector<std::pair<QString, SweepResult>>& results() const { return results_; }
  const QString& reference() const { return reference_; }
  QColor colorOf(const QString& run) const;

  /// Every metric key of the results, sorted.
  QStringList metricKeys() const;
  /// An explicit choice sticks while it is present; empty returns to the default.
  void setMetric(const QString& key);
  const QString& chosenMetric() const { return metricKey_; }
  /// The metric drawn: the choice, else sliced_w2 (defined for every dataset), else the first.
  QString metric() const;

  std::vector<Curve> curves(Chart chart) const;
  QVector<QPointF> points(const QString& run, const QString& solver, Chart chart) const;
  /// The solvers that have rows, in solverOrder().
  QStringList solversPresent() const;

  void startStrip(const QString& solver);
  void addStripRow(NfeStripRow row);
  const std::vector<NfeStripRow>& strip() const { return strip_; }
  const QString& stripSolver() const { return stripSolver_; }
  /// Run name -> its strip's point sets.
  const std::map<QString, std::vector<std::vector<float>>>& stripSamples() const { return stripSamples_; }

 private:
  std::vector<std::pair<QString, SweepResult>> results_;
  std::map<QString, QColor> colors_;
  QString reference_;
  QString metricKey_;
  std::vector<NfeStripRow> strip_;
  std::map<QString, std::vector<std::vector<float>>> stripSamples_;
  QString stripSolver_;
};

}  // namespace flowscope::gui
