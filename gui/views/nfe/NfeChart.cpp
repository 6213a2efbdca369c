#include "gui/views/nfe/NfeChart.h"

namespace flowscope::gui {

QString NfeChart::metricDescription(const QString& key) {
  if (key == "frac_black") return "frac_black (fraction on black squares, higher is better)";
  if (key == "classifier_confident") return "classifier_confident (share labelled with p >= 0.9, higher is better)";
  if (key == "classifier_mean_max_prob") return "classifier_mean_max_prob (higher is better)";
  if (key == "classifier_label_entropy") return "classifier_label_entropy (nats; log 10 = 2.30 when spread evenly)";
  if (key == "classifier_fd") return "classifier_fd (classifier Frechet distance, not FID; lower is better)";
  if (key.isEmpty()) return "quality";
  return key + " (lower is better)";
}

LineChart NfeChart::build(const NfeScene& scene, NfeScene::Chart which, bool busy) {
  const bool error = which == NfeScene::Chart::Error;
  const QString metric = scene.metric();
  LineChart chart;
  chart.title = error ? (scene.reference().isEmpty() ? QString("Numerical error vs NFE")
                                                     : QString("Numerical error vs NFE (reference %1)").arg(scene.reference()))
                      : QString("Sample quality vs NFE: %1").arg(metric);
  chart.xTitle = "NFE (function evaluations, log scale)";
  chart.yTitle = error ? QString::fromUtf8("mean \u2016x \u2212 x_ref\u2016\u00b2 (log scale)") : metricDescription(metric);
  chart.xScale = AxisScale::Log;
  chart.xLogBase = 2;  // NFE doubles along a sweep
  chart.yScale = error ? AxisScale::Log : AxisScale::Linear;
  chart.placeholder = busy                      ? QString("Sweeping...")
                      : scene.results().empty() ? QString("Run a sweep to compare solvers by cost and accuracy")
                                                : QString("No %1 values to show").arg(error ? "positive error" : metric);
  for (const NfeScene::Curve& c : scene.curves(which)) {
    const NfeScene::SolverStyle st = NfeScene::styleFor(c.solver);
    LineSeries s;
    s.name = c.run + QString::fromUtf8(" \u00b7 ") + c.solver;
    s.quantity = error ? QString("error") : metric;
    s.color = c.color;
    s.line = st.line;
    s.width = NfeScene::isAdaptive(c.solver) ? 1.2 : 1.6;
    s.marker = st.marker;
    s.points = c.points;
    chart.series.push_back(std::move(s));
  }
  return chart;
}

std::vector<LegendEntry> NfeChart::legend(const NfeScene& scene, const QColor& neutral) {
  std::vector<LegendEntry> out;
  for (const auto& [run, r] : scene.results()) {
    LegendEntry e;
    e.label = run;
    e.color = scene.colorOf(run);
    out.push_back(e);
  }
  for (const QString& s : scene.solversPresent()) {
    const NfeScene::SolverStyle st = NfeScene::styleFor(s);
    LegendEntry e;
    e.label = NfeScene::isAdaptive(s) ? s + " (tolerances)" : s;
    e.color = neutral;
    e.line = st.line;
    e.lineWidth = 1.4;
    e.marker = st.marker;
    out.push_back(e);
  }
  return out;
}

}  // namespace flowscope::gui
