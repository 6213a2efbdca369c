#include "gui/views/nfe/NfeStrip.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace flowscope::gui {
namespace {

constexpr double kGap = 8, kMaxCell = 190, kPad = 6;

double labelWidth(double width) { return std::clamp(width * 0.12, 90.0, 150.0); }

double naturalCell(double width) {
  const double cols = static_cast<double>(NfeScene::stripNfes().size());
  return std::clamp((width - labelWidth(width) - 8 - cols * kGap) / cols, 24.0, kMaxCell);
}

}  // namespace

NfeStrip::NfeStrip(const NfeScene& scene, bool running, PlotStyle style)
    : scene_(scene), running_(running), style_(std::move(style)) {}

double NfeStrip::height(double width) const {
  const double header = QFontMetricsF(style_.titleFont).height() + QFontMetricsF(style_.font).height() + 3 * kPad;
  if (scene_.strip().empty()) return header + kPad;
  return header + static_cast<double>(scene_.strip().size()) * (naturalCell(width) + kGap) + 4;
}

NfeStrip::Layout NfeStrip::layout(const QRectF& rect) const {
  Layout l;
  const QFontMetricsF fm(style_.font), bfm(style_.titleFont);
  const auto& rows = scene_.strip();
  const QString solver = scene_.stripSolver();
  const QString title =
      QString("Samples at NFE 2 to 32 from the same noise (%1%2)")
          .arg(solver, rows.empty() || rows.front().sets.empty()
                           ? QString()
                           : QString(", %1 points each").arg(rows.front().sets.front().size() / 2));
  const double titleW = rect.width() - 2 * kPad;
  const QString shownTitle = bfm.elidedText(title, Qt::ElideRight, titleW);
  l.texts.push_back({QRectF(rect.left() + kPad, rect.top() + kPad / 2, std::min(titleW, bfm.horizontalAdvance(shownTitle)),
                            bfm.height()),
                     shownTitle, Qt::AlignLeft | Qt::AlignVCenter, true, false});
  const double headerTop = rect.top() + kPad + bfm.height();
  if (rows.empty()) {
    const QString hint = running_ ? QString("Sampling...") : QString("The strip of 2D runs appears after a sweep (or press Sample strip); image runs: the Image NFE tab.");
    const QString shown = fm.elidedText(hint, Qt::ElideRight, titleW);
    l.texts.push_back({QRectF(rect.left() + kPad, headerTop + kPad, std::min(titleW, fm.horizontalAdvance(shown)), fm.height()),
                       shown, Qt::AlignLeft | Qt::AlignVCenter, false, true});
    return l;
  }
  const auto& nfes = NfeScene::stripNfes();
  const double header = bfm.height() + fm.height() + 3 * kPad;
  const double labelW = labelWidth(rect.width());
  const double n = static_cast<double>(rows.size());
  l.cell = std::max(10.0, std::min(naturalCell(rect.width()), (rect.height() - header - 4) / n - kGap));
  const double left = rect.left() + labelW;
  for (size_t c = 0; c < nfes.size(); ++c) {
    // The column's NFE as solved (the first row's), which can differ from the target when the
    // solver's stages do not divide it.
    const int64_t nfe = !rows.front().nfes.empty() && c < rows.front().nfes.size() ? rows.front().nfes[c] : nfes[c];
    const QString label = QString("NFE %1").arg(nfe);
    const double w = std::min(l.cell + kGap - 2, fm.horizontalAdvance(label));
    const double x = left + static_cast<double>(c) * (l.cell + kGap);
    l.texts.push_back({QRectF(x + (l.cell - w) / 2, headerTop + kPad, w, fm.height()), fm.elidedText(label, Qt::ElideRight, w),
                       Qt::AlignCenter, false, false});
  }
  // The label column: the run's name, and its data range when the row has room for it.
  const bool showBounds = l.cell + kGap >= 3 * fm.height() + 6;
  for (size_t r = 0; r < rows.size(); ++r) {
    const NfeStripRow& row = rows[r];
    const double y = rect.top() + header + static_cast<double>(r) * (l.cell + kGap);
    const double nameTop = showBounds ? y + l.cell / 2 - fm.height() : y + (l.cell - fm.height()) / 2;
    const double nameW = labelW - 28;
    const QString name = fm.elidedText(row.run, Qt::ElideRight, nameW);
    l.texts.push_back({QRectF(rect.left() + 22, nameTop, std::min(nameW, fm.horizontalAdvance(name)), fm.height()), name,
                       Qt::AlignLeft | Qt::AlignVCenter, false, false});
    if (showBounds) {
      const QString bounds = QString("x [%1, %2]\ny [%3, %4]")
                                 .arg(row.bounds.xmin, 0, 'g', 3).arg(row.bounds.xmax, 0, 'g', 3)
                                 .arg(row.bounds.ymin, 0, 'g', 3).arg(row.bounds.ymax, 0, 'g', 3);
      const QRectF b = fm.boundingRect(QRectF(0, 0, labelW - 10, 100), Qt::AlignLeft | Qt::AlignTop, bounds);
      l.texts.push_back({QRectF(rect.left() + kPad, y + l.cell / 2 + 2, std::min(labelW - 10, b.width()), b.height()), bounds,
                         Qt::AlignLeft | Qt::AlignTop, false, true});
    }
    for (size_t c = 0; c < nfes.size(); ++c)
      l.cells.emplace_back(left + static_cast<double>(c) * (l.cell + kGap), y, l.cell, l.cell);
  }
  return l;
}

std::vector<QRectF> NfeStrip::textRects(const QRectF& rect) const {
  std::vector<QRectF> out;
  for (const Text& t : layout(rect).texts) out.push_back(t.rect);
  return out;
}

std::vector<QRectF> NfeStrip::cells(const QRectF& rect) const { return layout(rect).cells; }

void NfeStrip::paint(QPainter& p, const QRectF& rect) const {
  const Layout l = layout(rect);
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  for (const Text& t : l.texts) {
    p.setFont(t.bold ? style_.titleFont : style_.font);
    p.setPen(t.dim ? style_.faint : style_.foreground);
    p.drawText(t.rect.adjusted(-1, 0, 2, 0), t.flags, t.text);
  }
  const QColor frame = style_.frame, axis = style_.minorGrid;
  const QColor cellBg = mixColors(style_.background, style_.foreground, 0.03);
  const auto& rows = scene_.strip();
  const size_t cols = NfeScene::stripNfes().size();
  const QFontMetricsF fm(style_.font);
  for (size_t r = 0; r < rows.size(); ++r) {
    const NfeStripRow& row = rows[r];
    const QRectF first = l.cells[r * cols];
    const bool showBounds = l.cell + kGap >= 3 * fm.height() + 6;
    const double cy = showBounds ? first.center().y() - fm.height() / 2 : first.center().y();
    p.setPen(Qt::NoPen);
    p.setBrush(row.color);
    p.drawEllipse(QPointF(rect.left() + 12, cy), 5, 5);
    // Equal-aspect map of the run's data bounds into each cell.
    const double bw = row.bounds.xmax - row.bounds.xmin, bh = row.bounds.ymax - row.bounds.ymin;
    const double scale = l.cell / std::max(bw, bh);
    const double ox = (l.cell - bw * scale) / 2, oy = (l.cell - bh * scale) / 2;
    const double radius = std::clamp(l.cell / 170.0, 0.6, 1.3);
    QColor dot = row.color;
    dot.setAlphaF(style_.background.lightness() < 128 ? 0.9f : 0.6f);  // dark: keep contrast
    for (size_t c = 0; c < cols && c < row.sets.size(); ++c) {
      const QRectF cell = l.cells[r * cols + c];
      const auto toPx = [&](double dx, double dy) {
        return QPointF(cell.left() + ox + (dx - row.bounds.xmin) * scale, cell.bottom() - oy - (dy - row.bounds.ymin) * scale);
      };
      p.setPen(Qt::NoPen);
      p.setBrush(cellBg);
      p.drawRect(cell);
      p.setPen(QPen(axis, 1));  // the axes through the origin, when inside
      if (row.bounds.xmin < 0 && row.bounds.xmax > 0) p.drawLine(toPx(0, row.bounds.ymin), toPx(0, row.bounds.ymax));
      if (row.bounds.ymin < 0 && row.bounds.ymax > 0) p.drawLine(toPx(row.bounds.xmin, 0), toPx(row.bounds.xmax, 0));
      const std::vector<float>& pts = row.sets[c];
      QPainterPath dots;  // one vector path per cell: small in SVG, crisp in PDF
      dots.setFillRule(Qt::WindingFill);
      for (size_t i = 0; i + 1 < pts.size(); i += 2) {
        if (!std::isfinite(pts[i]) || !std::isfinite(pts[i + 1])) continue;
        const QPointF at = toPx(pts[i], pts[i + 1]);
        if (cell.contains(at)) dots.addEllipse(at, radius, radius);
      }
      p.setPen(Qt::NoPen);
      p.setBrush(dot);
      p.drawPath(dots);
      p.setPen(QPen(frame, 1));
      p.setBrush(Qt::NoBrush);
      p.drawRect(cell);
    }
  }
  p.restore();
}

}  // namespace flowscope::gui
