#include "gui/views/density/DensityPlot.h"

#include <QImage>
#include <QPainter>
#include <QPolygonF>

#include <cmath>
#include <map>

#include "gui/views/density/DensityScene.h"

namespace flowscope::gui {
namespace {

PlotDecor densityDecor(const DensityScene& scene, const QString& title) {
  const ViewBounds r = scene.range();
  PlotDecor d;
  d.title = title;
  d.x = {r.xmin, r.xmax, AxisScale::Linear, QStringLiteral("x₁")};
  d.y = {r.ymin, r.ymax, AxisScale::Linear, QStringLiteral("x₂")};
  d.equalAspect = true;
  // The colorbar's axis is the scene's density scale: [0, vmax], or its top decades on a log scale.
  const DensityScale scale = scene.scale();
  ColorbarSpec bar;
  bar.lut = &scene.colormap().lut();
  bar.hasValues = scene.hasData() && scale.vmax > 0;
  bar.axis.title = QString(scene.exactShown() ? "exact p_t(x)" : "p_t(x), histogram") +
                   (scale.log ? QStringLiteral(" — log scale") : QString());
  if (scale.log) {
    bar.axis.scale = AxisScale::Log;
    bar.axis.lo = scale.vmax * std::pow(10.0, -scale.decades);
    bar.axis.hi = scale.vmax;
  } else {
    bar.axis.lo = 0;
    bar.axis.hi = scale.vmax;
  }
  d.colorbar = bar;
  return d;
}

}  // namespace

DensityPlot::DensityPlot(const QRectF& target, const DensityScene& scene, const DensityLabels& labels,
                         const PlotStyle& style)
    : scene_(scene), labels_(labels), frame_(target, densityDecor(scene, labels.title), style) {}

QRectF DensityPlot::map(const ViewBounds& b) const { return QRectF(map(b.xmin, b.ymax), map(b.xmax, b.ymin)); }

void DensityPlot::paintHeatmap(QPainter& p) const {
  const DensityScene& scene = scene_;
  if (!scene.hasData()) {
    p.fillRect(plot(), mixColors(frame_.style().background, frame_.style().foreground, 0.07));
    return;
  }
  p.save();
  p.setClipRect(plot());
  p.fillRect(plot(), QColor::fromRgb(scene.colormap().lut()[0]));  // where the field does not reach
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);  // bins stay crisp
  p.drawImage(map(scene.fieldBounds()), scene.image());
  p.restore();
}

void DensityPlot::paintLines(QPainter& p) const {
  const DensityScene& scene = scene_;
  const std::vector<OverlayPath>& paths = scene.overlay();
  if (paths.empty()) return;
  p.save();
  p.setClipRect(plot());
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

void DensityPlot::paintHeads(QPainter& p) const {
  const DensityScene& scene = scene_;
  const std::vector<OverlayPath>& paths = scene.overlay();
  if (paths.empty()) return;
  p.save();
  p.setClipRect(plot());
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

void DensityPlot::paintDecorations(QPainter& p) const {
  frame_.paintAxes(p);
  frame_.paintNote(p, labels_.status, Corner::TopLeft);
  frame_.paintNote(p, labels_.legend, Corner::BottomLeft);
}

void DensityPlot::paintAll(QPainter& p) const {
  paintBackground(p);
  paintHeatmap(p);
  paintLines(p);
  paintHeads(p);
  paintDecorations(p);
}

}  // namespace flowscope::gui
