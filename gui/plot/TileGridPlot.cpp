#include "gui/plot/TileGridPlot.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

#include "gui/plot/Colorbar.h"

namespace flowscope::gui {

namespace {
constexpr double kMargin = 8, kGap = 4, kRowGap = 4;
constexpr int kMaxScale = 32;

double snap(double v, double m) { return std::round(v * m) / m; }

ColorbarSpec differenceSpec(const TileGrid& grid, const Colormap& map) {
  ColorbarSpec s;
  s.lut = &map.lut();
  s.axis.lo = 0;
  s.axis.hi = grid.differenceMax > 0 ? grid.differenceMax : 1;
  s.axis.title = grid.differenceTitle;
  return s;
}

bool rowHasCaption(const TileRow& r) {
  return std::any_of(r.tiles.begin(), r.tiles.end(), [](const Tile& t) { return !t.caption.isEmpty(); });
}
}  // namespace

TileGridPlot::TileGridPlot(const TileGrid& grid, PlotStyle style, Colormap differenceMap)
    : grid_(grid), style_(std::move(style)), map_(differenceMap) {}

QSizeF TileGridPlot::naturalSize(const TileGrid& grid, const PlotStyle& style, int scale) {
  const QFontMetricsF fm(style.font), tfm(style.titleFont);
  double labelW = 0;
  for (const TileRow& r : grid.rows) labelW = std::max(labelW, fm.horizontalAdvance(r.label));
  if (labelW > 0) labelW += 10;
  const int cols = std::max(1, grid.columns());
  const int rows = std::max<int>(1, static_cast<int>(grid.rows.size()));
  double w = 2 * kMargin + labelW + cols * grid.width * scale + (cols - 1) * kGap;
  double h = 2 * kMargin + (grid.title.isEmpty() ? 0 : tfm.height() + 6) +
             (grid.columnLabels.empty() ? 0 : fm.height() + 4) + rows * grid.height * scale + (rows - 1) * kRowGap;
  for (const TileRow& r : grid.rows)
    if (rowHasCaption(r)) h += fm.height() + 2;
  // Captions and column labels need room of their own when the tiles are narrow.
  double textW = 0;
  for (const QString& l : grid.columnLabels) textW = std::max(textW, fm.horizontalAdvance(l) + 4);
  for (const TileRow& r : grid.rows)
    for (const Tile& t : r.tiles) textW = std::max(textW, fm.horizontalAdvance(t.caption) + 4);
  if (textW > grid.width * scale) w += cols * (textW - grid.width * scale);
  if (grid.hasDifference()) w += 90;
  return {std::max(w, 240.0), std::max(h, 120.0)};
}

TileGridPlot::Layout TileGridPlot::layout(const QRectF& rect, double m) const {
  Layout L;
  if (m <= 0) m = 1;
  const QFontMetricsF fm(style_.font), tfm(style_.titleFont);
  double y = rect.top() + kMargin;
  if (!grid_.title.isEmpty()) {
    L.texts.push_back({QRectF(rect.left() + kMargin, y, rect.width() - 2 * kMargin, tfm.height()), grid_.title,
                       Qt::AlignLeft | Qt::AlignVCenter, style_.foreground, true});
    y += tfm.height() + 6;
  }
  if (grid_.empty()) {
    if (!grid_.note.isEmpty())
      L.texts.push_back({QRectF(rect.left() + kMargin, y, rect.width() - 2 * kMargin, fm.height() * 2), grid_.note,
                         Qt::AlignCenter, style_.faint, false});
    return L;
  }
  double labelW = 0;
  for (const TileRow& r : grid_.rows) labelW = std::max(labelW, fm.horizontalAdvance(r.label));
  if (labelW > 0) labelW = std::min(labelW + 10, 0.35 * rect.width());
  const int cols = std::max(1, grid_.columns());
  const int rows = static_cast<int>(grid_.rows.size());
  const bool diff = grid_.hasDifference() && grid_.differenceMax > 0;
  const double colLabelH = grid_.columnLabels.empty() ? 0 : fm.height() + 4;
  double captions = 0;
  for (const TileRow& r : grid_.rows)
    if (rowHasCaption(r)) captions += fm.height() + 2;
  const double top = y + colLabelH;
  const double availH = rect.bottom() - kMargin - top - captions - (rows - 1) * kRowGap;
  const ColorbarSpec spec = differenceSpec(grid_, map_);
  const double cbW = diff ? colorbar::reservedWidth(spec, std::max(availH, 40.0), style_) : 0;
  const double availW = rect.width() - 2 * kMargin - labelW - cbW - (cols - 1) * kGap;
  // The largest whole factor, in device pixels, at which every tile fits.
  const double fit = std::min(availW * m / (cols * grid_.width), availH * m / (rows * grid_.height));
  L.scale = std::clamp(static_cast<int>(std::floor(fit)), 1, kMaxScale);
  const double tileW = grid_.width * L.scale / m, tileH = grid_.height * L.scale / m;
  const double x0 = snap(rect.left() + kMargin + labelW, m);

  // Column labels, centered over the columns (elided to the tile's width plus the gap).
  for (int c = 0; c < cols && c < static_cast<int>(grid_.columnLabels.size()); ++c) {
    const double x = snap(x0 + c * (tileW + kGap), m);
    const double w = tileW + kGap;
    L.texts.push_back({QRectF(x - kGap / 2, y, w, fm.height()),
                       fm.elidedText(grid_.columnLabels[static_cast<size_t>(c)], Qt::ElideRight, w),
                       Qt::AlignHCenter | Qt::AlignVCenter, style_.foreground, false});
  }
  double rowY = top;
  double firstTop = -1, lastBottom = -1;
  for (int r = 0; r < rows; ++r) {
    const TileRow& row = grid_.rows[static_cast<size_t>(r)];
    const double ty = snap(rowY, m);
    if (firstTop < 0) firstTop = ty;
    if (!row.label.isEmpty())
      L.texts.push_back({QRectF(rect.left() + kMargin, ty, labelW - 8, tileH),
                         fm.elidedText(row.label, Qt::ElideMiddle, labelW - 8), Qt::AlignRight | Qt::AlignVCenter,
                         row.color.isValid() ? row.color : style_.foreground, false});
    const bool caption = rowHasCaption(row);
    for (int c = 0; c < cols; ++c) {
      const double tx = snap(x0 + c * (tileW + kGap), m);
      const bool present = c < static_cast<int>(row.tiles.size()) && !row.tiles[static_cast<size_t>(c)].pixels.empty();
      L.tiles.push_back(present ? QRectF(tx, ty, tileW, tileH) : QRectF());
      if (present && caption && !row.tiles[static_cast<size_t>(c)].caption.isEmpty()) {
        const double w = tileW + kGap;
        L.texts.push_back({QRectF(tx - kGap / 2, ty + tileH + 1, w, fm.height()),
                           fm.elidedText(row.tiles[static_cast<size_t>(c)].caption, Qt::ElideRight, w),
                           Qt::AlignHCenter | Qt::AlignTop, style_.faint, false});
      }
    }
    lastBottom = ty + tileH;
    rowY = ty + tileH + (caption ? fm.height() + 2 : 0) + kRowGap;
  }
  if (grid_.highlightedColumn >= 0 && grid_.highlightedColumn < cols) {
    const double tx = snap(x0 + grid_.highlightedColumn * (tileW + kGap), m);
    L.highlight = QRectF(tx - 2, firstTop - 2, tileW + 4, lastBottom - firstTop + 4);
  }
  if (diff) {
    const double right = x0 + cols * tileW + (cols - 1) * kGap;
    L.colorbar = QRectF(right + colorbar::kGap, firstTop, colorbar::kWidth, std::max(lastBottom - firstTop, 20.0));
  }
  return L;
}

int TileGridPlot::pixelScale(const QRectF& rect, double deviceScale) const { return layout(rect, deviceScale).scale; }

std::vector<QRectF> TileGridPlot::tileRects(const QRectF& rect, double deviceScale) const {
  return layout(rect, deviceScale).tiles;
}

std::vector<QRectF> TileGridPlot::textRects(const QRectF& rect, double deviceScale) const {
  const Layout L = layout(rect, deviceScale);
  std::vector<QRectF> out;
  for (const Text& t : L.texts) out.push_back(t.rect);
  if (!L.colorbar.isEmpty())
    for (const QRectF& r : colorbar::textRects(L.colorbar, differenceSpec(grid_, map_), style_)) out.push_back(r);
  return out;
}

void TileGridPlot::paint(QPainter& p, const QRectF& rect) const {
  const double m = std::abs(p.worldTransform().m11()) * (p.device() ? p.device()->devicePixelRatioF() : 1.0);
  const Layout L = layout(rect, m);
  p.save();
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);  // nearest-neighbour: pixels stay pixels
  size_t k = 0;
  for (const TileRow& row : grid_.rows) {
    for (int c = 0; c < std::max(1, grid_.columns()) && k < L.tiles.size(); ++c, ++k) {
      if (L.tiles[k].isEmpty() || c >= static_cast<int>(row.tiles.size())) continue;
      const QImage img = tileImage(row.tiles[static_cast<size_t>(c)], grid_, map_);
      if (!img.isNull()) p.drawImage(L.tiles[k], img);
    }
  }
  if (!L.highlight.isEmpty()) {
    QPen pen(QColor(232, 126, 4));
    pen.setWidthF(2.0);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawRect(L.highlight);
  }
  for (const Text& t : L.texts) {
    p.setFont(t.title ? style_.titleFont : style_.font);
    p.setPen(t.color);
    p.drawText(t.rect, t.flags, t.text);
  }
  if (!L.colorbar.isEmpty()) colorbar::paint(p, L.colorbar, differenceSpec(grid_, map_), style_);
  p.restore();
}

}  // namespace flowscope::gui
