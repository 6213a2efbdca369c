#include "gui/views/images/ImageNfeScene.h"

#include <algorithm>

namespace flowscope::gui {

namespace {
QString mseText(double v) { return QString("MSE %1").arg(v, 0, 'g', 2); }
}  // namespace

void ImageNfeScene::setStrip(std::shared_ptr<const ImageNfeStrip> strip, QString run) {
  strip_ = std::move(strip);
  run_ = std::move(run);
}

TileGrid ImageNfeScene::grid() const {
  TileGrid g;
  g.note = note_;
  if (!strip_ || strip_->reference.count == 0) return g;
  const ImageNfeStrip& s = *strip_;
  const ImageShape& shape = s.reference.shape;
  g.channels = static_cast<int>(shape.channels);
  g.height = static_cast<int>(shape.height);
  g.width = static_cast<int>(shape.width);
  g.title = QString("%1: the same noise at growing NFE (%2); MSE to %3")
                .arg(run_, QString::fromStdString(s.solver), QString::fromStdString(s.referenceLabel));
  for (int64_t n : s.nfe) g.columnLabels.push_back(QString("NFE %1").arg(n));
  const bool adaptive = s.adaptive.count > 0;
  if (adaptive) g.columnLabels.push_back(QString("dopri5 · %1").arg(s.adaptive.nfe));
  g.columnLabels.push_back("reference");
  const int64_t size = shape.size();
  auto tile = [&](const ImageBatch& b, int64_t i, QString caption) {
    Tile t;
    t.pixels.assign(b.image(i), b.image(i) + size);
    t.caption = std::move(caption);
    return t;
  };
  const int64_t rows = std::min<int64_t>(rows_, s.reference.count);
  for (int64_t i = 0; i < rows; ++i) {
    TileRow row{QString("#%1").arg(i), QColor(), {}};
    for (size_t c = 0; c < s.columns.size(); ++c) row.tiles.push_back(tile(s.columns[c], i, mseText(s.mse[c][static_cast<size_t>(i)])));
    if (adaptive) row.tiles.push_back(tile(s.adaptive, i, mseText(s.adaptiveMse[static_cast<size_t>(i)])));
    row.tiles.push_back(tile(s.reference, i, QString("%1 NFE").arg(s.reference.nfe)));
    g.rows.push_back(std::move(row));
  }
  return g;
}

QString ImageNfeScene::csv() const {
  QString out = "run,solver,nfe,mean_mse,max_mse,reference\n";
  if (!strip_) return out;
  const ImageNfeStrip& s = *strip_;
  auto line = [&](const QString& solver, int64_t nfe, const std::vector<double>& m) {
    double mean = 0, mx = 0;
    for (double v : m) mean += v, mx = std::max(mx, v);
    if (!m.empty()) mean /= static_cast<double>(m.size());
    out += QString("\"%1\",%2,%3,%4,%5,\"%6\"\n").arg(QString(run_).replace('"', "\"\""), solver).arg(nfe)
               .arg(mean, 0, 'g', 9).arg(mx, 0, 'g', 9).arg(QString::fromStdString(s.referenceLabel));
  };
  for (size_t c = 0; c < s.columns.size(); ++c) line(QString::fromStdString(s.solver), s.nfe[c], s.mse[c]);
  if (s.adaptive.count > 0) line("dopri5", s.adaptive.nfe, s.adaptiveMse);
  return out;
}

}  // namespace flowscope::gui
