#include "gui/views/density/DensityPlot.h"

#include <QFontMetricsF>
#include <QImage>
#include <QPainter>
#include <QPalette>
#include <QPolygonF>

#include <algorithm>
#include <cmath>
#include <map>

#include "gui/plot/AxisTicks.h"
#include "gui/views/density/DensityScene.h"
#include "gui/app/Theme.h"

namespace flowscope::gui {
namespace {

constexpr double kBarGap = 12, kBarWidth = 14, kTick = 4;

QColor mix(const QColor& a, const QColor& b, double w) {
  return QColor::fromRgbF(static_cast<float>(a.redF() + w * (b.redF() - a.redF())),
                          static_cast<float>(a.greenF() + w * (b.greenF() - a.greenF())),
                          static_cast<float>(a.blueF() + w * (b.blueF() - a.blueF())));
}

QString tickLabel(double v) { return QString::number(v, 'g', 4); }

/// A boxed note inside the plot, readable over any heatmap.
void drawNote(QPainter& p, const QRectF& plot, const QString& text, bool top, const DensityStyle& style) {
  if (text.isEmpty()) return;
  const QFontMetricsF fm(p.font());
  const QString shown = fm.elidedText(text, Qt::ElideRight, plot.width() - 16);
  const QSizeF size(fm.horizontalAdvance(shown) + 10, fm.height() + 4);
  const QPointF at(plot.left() + 6, top ? plot.top() + 6 : plot.bottom() - 6 - size.height());
  QColor box = style.background;
  box.setAlpha(200);
  p.setPen(Qt::NoPen);
  p.setBrush(box);
  p.drawRoundedRect(QRectF(at, size), 3, 3);
  p.setPen(style.foreground);
  p.drawText(QRectF(at, size), Qt::AlignCenter, shown);
}

}  // namespace

DensityStyle DensityStyle::fromPalette(const QPalette& palette, const QFont& font) {
  DensityStyle s;
  s.background = palette.color(QPalette::Window);
  s.foreground = palette.color(QPalette::WindowText);
  s.frame = mix(s.background, s.foreground, 0.55);
  s.font = font;
  return s;
}

DensityStyle DensityStyle::forExport(const QFont& font) {
  if (paletteIsDark()) return fromPalette(QPalette(), font);
  DensityStyle s;
  s.background = Qt::white;
  s.foreground = Qt::black;
  s.frame = QColor(90, 90, 90);
  s.font = font;
  return s;
}

DensityPlot::DensityPlot(const QRectF& target, const ViewBounds& range, const QFont& font)
    : target_(target), range_(range), font_(font) {
  const QFontMetricsF fm(font);
  const double h = fm.height();
  const double top = h * 2.0;
  const double bottom = h * 2.6 + kTick;
  const double left = fm.horizontalAdvance("-00.00") + kTick + 4 + h * 1.4;
  const double right = kBarGap + kBarWidth + kTick + 4 + fm.horizontalAdvance("0.0000") + h * 1.4 + 6;
  // Keep data units square: a checkerboard's squares must look square.
  const double availW = std::max(10.0, target.width() - left - right);
  const double availH = std::max(10.0, target.height() - top - bottom);
  const double dx = range.xmax - range.xmin, dy = range.ymax - range.ymin;
  const double aspect = dx > 0 && dy > 0 ? dx / dy : 1.0;
  double w = availW, hgt = availW / aspect;
  if (hgt > availH) {
    hgt = availH;
    w = availH * aspect;
  }
  const double x0 = target.left() + (target.width() - (left + w + right)) / 2 + left;
  const double y0 = target.top() + (target.height() - (top + hgt + bottom)) / 2 + top;
  plot_ = QRectF(x0, y0, w, hgt);
  colorbar_ = QRectF(plot_.right() + kBarGap, plot_.top(), kBarWidth, plot_.height());
}

QPointF DensityPlot::map(double x, double y) const {
  return {plot_.left() + (x - range_.xmin) / (range_.xmax - range_.xmin) * plot_.width(),
          plot_.bottom() - (y - range_.ymin) / (range_.ymax - range_.ymin) * plot_.height()};
}

QRectF DensityPlot::map(const ViewBounds& b) const {
  return QRectF(map(b.xmin, b.ymax), map(b.xmax, b.ymin));
}

void DensityPlot::paintBackground(QPainter& p, const DensityStyle& style) const {
  p.fillRect(target_, style.background);
}

void DensityPlot::paintHeatmap(QPainter& p, const DensityScene& scene, const DensityStyle& style) const {
  if (!scene.hasData()) {
    p.fillRect(plot_, mix(style.background, style.foreground, 0.07));
    return;
  }
  p.save();
  p.setClipRect(plot_);
  p.fillRect(plot_, QColor::fromRgb(scene.colormap().lut()[0]));  // where the field does not reach
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);  // bins stay crisp
  p.drawImage(map(scene.fieldBounds()), scene.image());
  p.restore();
}

void DensityPlot::paintLines(QPainter& p, const DensityScene& scene) const {
  const std::vector<OverlayPath>& paths = scene.overlay();
  if (paths.empty()) return;
  p.save();
  p.setClipRect(plot_);
  p.setRenderHint(QPainter::Antialiasing);
  p.setBrush(Qt::NoBrush);
  QPen pen;
  pen.setCosmetic(true);
  pen.setWidthF(1.0);
  if (scene.overlayColoring() == OverlayColoring::StartPoint) {
    QPolygonF line;
    for (const OverlayPath& path : paths) {
      line.resize(static_cast<qsizetype>(path.points.size()));
      for (size_t k = 0; k < path.points.size(); ++k)
        line[static_cast<qsizetype>(k)] = map(path.points[k].x(), path.points[k].y());
      QColor c = QColor::fromRgb(path.colors.front());
      c.setAlpha(170);
      pen.setColor(c);
      p.setPen(pen);
      p.drawPolyline(line);
    }
  } else {
    // Per-segment colors: one drawLines call per color keeps this fast and the export compact.
    std::map<QRgb, std::vector<QLineF>> byColor;
    for (const OverlayPath& path : paths)
      for (size_t k = 0; k + 1 < path.points.size(); ++k)
        byColor[path.colors[k]].emplace_back(map(path.points[k].x(), path.points[k].y()),
                                             map(path.points[k + 1].x(), path.points[k + 1].y()));
    for (const auto& [rgb, lines] : byColor) {
      QColor c = QColor::fromRgb(rgb);
      c.setAlpha(200);
      pen.setColor(c);
      p.setPen(pen);
      p.drawLines(lines.data(), static_cast<int>(lines.size()));
    }
  }
  p.restore();
}

void DensityPlot::paintHeads(QPainter& p, const DensityScene& scene) const {
  const std::vector<OverlayPath>& paths = scene.overlay();
  if (paths.empty()) return;
  p.save();
  p.setClipRect(plot_);
  p.setRenderHint(QPainter::Antialiasing);
  QPen pen(QColor(0, 0, 0, 200));
  pen.setWidthF(0.8);
  p.setPen(pen);
  const double r = paths.size() > 400 ? 2.0 : 2.8;
  for (const OverlayPath& path : paths) {
    p.setBrush(QColor::fromRgb(path.headColor));
    p.drawEllipse(map(path.head.x(), path.head.y()), r, r);
  }
  p.restore();
}

void DensityPlot::paintDecorations(QPainter& p, const DensityScene& scene, const DensityLabels& labels,
                                   const DensityStyle& style) const {
  p.save();
  p.setFont(font_);
  p.setRenderHint(QPainter::Antialiasing, false);
  p.setRenderHint(QPainter::TextAntialiasing);
  const QFontMetricsF fm(font_);
  const double h = fm.height();
  QPen framePen(style.frame);
  framePen.setWidthF(1.0);
  p.setPen(framePen);
  p.setBrush(Qt::NoBrush);
  p.drawRect(plot_);

  // Axes.
  for (double v : niceTicks(range_.xmin, range_.xmax, std::max(2, static_cast<int>(plot_.width() / 80)))) {
    const double x = map(v, range_.ymin).x();
    p.setPen(framePen);
    p.drawLine(QPointF(x, plot_.bottom()), QPointF(x, plot_.bottom() + kTick));
    p.setPen(style.foreground);
    p.drawText(QRectF(x - 40, plot_.bottom() + kTick + 1, 80, h), Qt::AlignHCenter | Qt::AlignTop, tickLabel(v));
  }
  for (double v : niceTicks(range_.ymin, range_.ymax, std::max(2, static_cast<int>(plot_.height() / 60)))) {
    const double y = map(range_.xmin, v).y();
    p.setPen(framePen);
    p.drawLine(QPointF(plot_.left() - kTick, y), QPointF(plot_.left(), y));
    p.setPen(style.foreground);
    p.drawText(QRectF(plot_.left() - kTick - 84, y - h / 2, 80, h), Qt::AlignRight | Qt::AlignVCenter, tickLabel(v));
  }
  p.setPen(style.foreground);
  p.drawText(QRectF(plot_.left(), plot_.bottom() + kTick + h + 2, plot_.width(), h), Qt::AlignHCenter | Qt::AlignTop,
             QStringLiteral("x₁"));
  p.save();
  p.translate(plot_.left() - kTick - 4 - fm.horizontalAdvance("-00.00") - h * 0.4, plot_.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-plot_.height() / 2, -h, plot_.height(), h), Qt::AlignHCenter | Qt::AlignBottom, QStringLiteral("x₂"));
  p.restore();

  // Title.
  QFont bold = font_;
  bold.setBold(true);
  p.setFont(bold);
  const QRectF titleRect(target_.left() + 4, plot_.top() - h * 2.0, target_.width() - 8, h * 1.8);
  p.drawText(titleRect, Qt::AlignCenter, QFontMetricsF(bold).elidedText(labels.title, Qt::ElideMiddle, titleRect.width()));
  p.setFont(font_);

  // Colorbar: the colormap bottom (low) to top (high), ticks in density units.
  const std::array<QRgb, 256>& lut = scene.colormap().lut();
  QImage strip(1, 256, QImage::Format_RGB32);
  for (int i = 0; i < 256; ++i) strip.setPixel(0, 255 - i, lut[static_cast<size_t>(i)]);
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);
  p.drawImage(colorbar_, strip);
  p.setPen(framePen);
  p.drawRect(colorbar_);
  const DensityScale scale = scene.scale();
  double labelWidth = 0;
  auto barTick = [&](double value, const QString& text) {
    const double y = colorbar_.bottom() - scale.toUnit(value) * colorbar_.height();
    p.setPen(framePen);
    p.drawLine(QPointF(colorbar_.right(), y), QPointF(colorbar_.right() + kTick, y));
    p.setPen(style.foreground);
    p.drawText(QRectF(colorbar_.right() + kTick + 3, y - h / 2, 200, h), Qt::AlignLeft | Qt::AlignVCenter, text);
    labelWidth = std::max(labelWidth, fm.horizontalAdvance(text));
  };
  if (scene.hasData() && scale.vmax > 0) {
    if (scale.log) {
      const double lo = std::log10(scale.vmax) - scale.decades, hi = std::log10(scale.vmax);
      for (int e = static_cast<int>(std::ceil(lo - 1e-9)); e <= static_cast<int>(std::floor(hi + 1e-9)); ++e)
        barTick(std::pow(10.0, e), QString::number(std::pow(10.0, e), 'g', 1));
    } else {
      for (double v : niceTicks(0, scale.vmax, std::max(2, static_cast<int>(colorbar_.height() / 70))))
        barTick(v, tickLabel(v));
    }
  }
  const QString barLabel = QString(scene.exactShown() ? "exact p_t(x)" : "p_t(x), histogram") +
                           (scale.log ? QStringLiteral(" — log scale") : QString());
  p.save();
  p.translate(colorbar_.right() + kTick + 6 + std::max(labelWidth, fm.horizontalAdvance("0.000")) + h * 0.2,
              colorbar_.center().y());
  p.rotate(90);
  p.setPen(style.foreground);
  p.drawText(QRectF(-colorbar_.height() / 2, -h, colorbar_.height(), h), Qt::AlignHCenter | Qt::AlignBottom,
             barLabel);
  p.restore();

  drawNote(p, plot_, labels.status, true, style);
  drawNote(p, plot_, labels.legend, false, style);
  p.restore();
}

void DensityPlot::paintAll(QPainter& p, const DensityScene& scene, const DensityLabels& labels,
                           const DensityStyle& style) const {
  paintBackground(p, style);
  paintHeatmap(p, scene, style);
  paintLines(p, scene);
  paintHeads(p, scene);
  paintDecorations(p, scene, labels, style);
}

}  // namespace flowscope::gui
