#pragma once
// The NFE panel's two charts on the plot layer: numerical error against NFE (log-log, NFE in
// powers of two) and sample quality against NFE (log x), one curve per (run, solver) in the run's
// color and the solver's dash and marker, and the legend they share (runs, then solvers).

#include <QColor>
#include <QString>

#include <vector>

#include "gui/plot/Legend.h"
#include "gui/plot/LineChart.h"
#include "gui/views/nfe/NfeScene.h"

namespace flowscope::gui {

class NfeChart {
 public:
  /// The chart of `which`; `busy` words the empty chart's placeholder.
  static LineChart build(const NfeScene& scene, NfeScene::Chart which, bool busy);
  /// One entry per run (its color), then one per solver present (its dash and marker).
  static std::vector<LegendEntry> legend(const NfeScene& scene, const QColor& neutral);
  /// "sliced_w2 (lower is better)".
  static QString metricDescription(const QString& key);
};

}  // namespace flowscope::gui
