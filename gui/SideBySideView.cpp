#include "SideBySideView.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "DensityScene.h"
#include "DensityView.h"
#include "RunManager.h"
#include "core/api/Queries.h"

namespace flowscope::gui {

SideBySideView::SideBySideView(RunManager* runs, TimeController* time, AsyncQuery* queries, QWidget* parent)
    : QWidget(parent), runs_(runs), time_(time), queries_(queries) {
  setObjectName("sideBySide");
  auto* layout = new QVBoxLayout(this);
  auto* row = new QHBoxLayout;
  count_ = new QComboBox(this);
  count_->setObjectName("panelCount");
  for (int n = 2; n <= 4; ++n) count_->addItem(QString::number(n), n);
  row->addWidget(new QLabel("Runs side by side", this));
  row->addWidget(count_);
  row->addWidget(new QLabel("— same t, same noise x0, same axes, one color scale; pick each panel's run in it", this));
  row->addStretch();
  layout->addLayout(row);
  grid_ = new QGridLayout;
  layout->addLayout(grid_, 1);
  connect(count_, &QComboBox::currentIndexChanged, this, [this] { setPanelCount(count_->currentData().toInt()); });
  // Frames change with t and with new weights; one shared maximum keeps the colors comparable.
  sync_.setInterval(100);
  connect(&sync_, &QTimer::timeout, this, &SideBySideView::synchronize);
  sync_.start();
  connect(runs_, &RunManager::runAdded, this, [this] { assignDefaultRuns(); });
  rebuild(2);
}

void SideBySideView::setPanelCount(int n) {
  n = std::clamp(n, 2, 4);
  if (n == panelCount()) return;
  count_->setCurrentIndex(n - 2);
  rebuild(n);
}

void SideBySideView::rebuild(int count) {
  QList<int> previous;
  for (DensityView* p : panels_) {
    previous << p->run();
    grid_->removeWidget(p);
    p->deleteLater();
  }
  panels_.clear();
  const int columns = 2;
  for (int i = 0; i < count; ++i) {
    auto* view = new DensityView(runs_, time_, queries_, this);
    view->setObjectName(QString("sideBySidePanel%1").arg(i));
    view->setOverlayCount(0);  // a clean density per run; trajectories live in the main view
    view->setCompactControls(true);
    grid_->addWidget(view, i / columns, i % columns);
    panels_.push_back(view);
  }
  setRuns(previous);
  assignDefaultRuns();
}

void SideBySideView::assignDefaultRuns() {
  // Panels without an explicit run take the runs in order, so two runs fill two panels.
  const QList<int> ids = runs_->runIds();
  for (size_t i = 0; i < panels_.size() && i < static_cast<size_t>(ids.size()); ++i)
    if (panels_[i]->run() < 0 || !runs_->run(panels_[i]->run())) panels_[i]->setRun(ids[static_cast<int>(i)]);
  synchronize();
}

void SideBySideView::setRuns(const QList<int>& ids) {
  for (int i = 0; i < ids.size() && i < panelCount(); ++i)
    if (ids[i] >= 0 && runs_->run(ids[i])) panels_[static_cast<size_t>(i)]->setRun(ids[i]);
  synchronize();
}

void SideBySideView::synchronize() {
  // Same axes: the union of the shown runs' data ranges, padded like a single view's.
  bool any = false;
  ViewBounds u{1e300, -1e300, 1e300, -1e300};
  for (DensityView* p : panels_) {
    const RunRecord* r = runs_->run(p->run());
    if (!r) continue;
    const ViewBounds b = dataBounds(r->config.data);
    u = {std::min(u.xmin, b.xmin), std::max(u.xmax, b.xmax), std::min(u.ymin, b.ymin), std::max(u.ymax, b.ymax)};
    any = true;
  }
  if (any) {
    const double px = 0.1 * (u.xmax - u.xmin), py = 0.1 * (u.ymax - u.ymin);
    const ViewBounds padded{u.xmin - px, u.xmax + px, u.ymin - py, u.ymax + py};
    for (DensityView* p : panels_)
      if (!(p->range() == padded)) p->setCustomRange(padded);
  }
  // One color scale: the largest density any panel shows now.
  double vmax = 0;
  for (DensityView* p : panels_)
    if (p->scene().hasData()) vmax = std::max(vmax, p->scene().frameMax());
  if (vmax > 0 && std::abs(vmax - sharedMax_) > 1e-9 * vmax) {
    sharedMax_ = vmax;
    for (DensityView* p : panels_) p->setColorMax(sharedMax_);
  }
}

QSize SideBySideView::exportSize() const {
  const int rows = (panelCount() + 1) / 2;
  return {1400, 620 * rows};
}

void SideBySideView::renderExport(QPainter& painter, const QRectF& target) {
  const int columns = 2, rows = (panelCount() + 1) / 2;
  const double w = target.width() / columns, h = target.height() / rows;
  for (int i = 0; i < panelCount(); ++i) {
    const QRectF cell(target.left() + (i % columns) * w, target.top() + (i / columns) * h, w, h);
    painter.save();
    panels_[static_cast<size_t>(i)]->renderExport(painter, cell);
    painter.restore();
  }
}

QString SideBySideView::exportCsv() const {
  QString csv = "panel,run," ;
  bool header = false;
  for (int i = 0; i < panelCount(); ++i) {
    const DensityView* p = panels_[static_cast<size_t>(i)];
    const RunRecord* r = runs_->run(p->run());
    const QStringList lines = p->exportCsv().split('\n', Qt::SkipEmptyParts);
    if (lines.isEmpty()) continue;
    if (!header) {
      csv += lines.front() + "\n";
      header = true;
    }
    for (int k = 1; k < lines.size(); ++k)
      csv += QString("%1,%2,%3\n").arg(i).arg(r ? r->name : QString()).arg(lines[k]);
  }
  return header ? csv : csv + "\n";
}

void SideBySideView::refreshForExport() {
  for (DensityView* p : panels_) p->refreshForExport();
}

bool SideBySideView::isBusy() const {
  return std::any_of(panels_.begin(), panels_.end(), [](const DensityView* p) { return p->isBusy(); });
}

QJsonObject SideBySideView::saveState() const {
  QJsonObject s;
  s["panels"] = panelCount();
  QJsonArray runs;
  for (const DensityView* p : panels_) {
    const RunRecord* r = runs_->run(p->run());
    runs.append(r ? r->name : QString());
  }
  s["runs"] = runs;
  return s;
}

void SideBySideView::restoreState(const QJsonObject& s) {
  setPanelCount(s.value("panels").toInt(2));
  QList<int> ids;
  for (const QJsonValue& v : s.value("runs").toArray()) {
    int found = -1;
    for (int id : runs_->runIds())
      if (runs_->run(id)->name == v.toString()) found = id;
    ids << found;
  }
  setRuns(ids);
}

}  // namespace flowscope::gui
