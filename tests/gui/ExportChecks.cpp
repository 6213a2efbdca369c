#include "ExportChecks.h"

#include <QDir>
#include <QPainter>

#include <cstdlib>
#include <set>
#include <sstream>

namespace flowscope::test {
namespace {

bool overlaps(const QRectF& a, const QRectF& b) {
  const QRectF i = a.intersected(b);
  return i.width() > 0.5 && i.height() > 0.5;
}

std::string str(const QRectF& r) {
  std::ostringstream s;
  s << "[" << r.x() << ", " << r.y() << " " << r.width() << "x" << r.height() << "]";
  return s.str();
}

}  // namespace

::testing::AssertionResult textFits(gui::Exportable& panel, QSize size, size_t minTexts) {
  const QRectF target(QPointF(0, 0), QSizeF(size));
  const std::vector<QRectF> rects = panel.exportTextRects(target);
  const std::string at = panel.exportName().toStdString() + " at " + std::to_string(size.width()) + "x" +
                         std::to_string(size.height());
  if (rects.size() < minTexts)
    return ::testing::AssertionFailure() << at << ": " << rects.size() << " texts, expected at least " << minTexts;
  const QRectF inside = target.adjusted(-0.5, -0.5, 0.5, 0.5);
  for (size_t i = 0; i < rects.size(); ++i) {
    if (!inside.contains(rects[i])) return ::testing::AssertionFailure() << at << ": text " << str(rects[i]) << " clipped";
    for (size_t j = i + 1; j < rects.size(); ++j)
      if (overlaps(rects[i], rects[j]))
        return ::testing::AssertionFailure() << at << ": texts " << str(rects[i]) << " and " << str(rects[j]) << " overlap";
  }
  return ::testing::AssertionSuccess();
}

QImage renderAt(gui::Exportable& panel, QSize size) {
  QImage image(size, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  {
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    panel.renderExport(p, QRectF(QPointF(0, 0), QSizeF(size)));
  }
  if (const char* dir = std::getenv("FLOWSCOPE_EXPORT_LOOK")) {
    QDir().mkpath(QString::fromLocal8Bit(dir));
    image.save(QDir(QString::fromLocal8Bit(dir))
                   .filePath(QString("%1-%2x%3.png").arg(panel.exportName()).arg(size.width()).arg(size.height())));
  }
  return image;
}

double lutFraction(const QImage& image, const QRectF& rect, const std::array<QRgb, 256>& lut) {
  const std::set<QRgb> colors(lut.begin(), lut.end());
  const QRect r = rect.toAlignedRect().adjusted(2, 2, -2, -2).intersected(image.rect());
  if (r.isEmpty()) return 0;
  long hits = 0, all = 0;
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x, ++all) hits += colors.count(image.pixel(x, y) | 0xff000000u) > 0;
  return static_cast<double>(hits) / static_cast<double>(all);
}

}  // namespace flowscope::test
