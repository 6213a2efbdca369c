#pragma once
// A legend: entries (a line sample in a color and dash, an optional marker, a label) flowed into
// rows that fit the given width (labels too long for a row are elided). height() tells a layout
// how much room the entries need.

#include <QColor>
#include <QRectF>
#include <QString>

#include <vector>

#include "gui/plot/Marker.h"
#include "gui/plot/PlotStyle.h"

class QPainter;


namespace flowscope::gui {

struct LegendEntry {
  QString label;
  QColor color;
  Qt::PenStyle line = Qt::SolidLine;  ///< Qt::NoPen: a swatch (filled circle) instead of a line
  double lineWidth = 2.4;
  Marker marker = Marker::None;
};

class Legend {
 public:
  Legend(std::vector<LegendEntry> entries, PlotStyle style);

  bool empty() const { return entries_.empty(); }
  /// Height of the rows the entries need at `width`.
  double height(double width) const;
  void paint(QPainter& p, const QRectF& rect) const;
  /// Where paint() draws each label in `rect` (tests check them for clipping and overlaps).
  std::vector<QRectF> textRects(const QRectF& rect) const;

 private:
  struct Placed {
    QRectF sample;  ///< the line or swatch
    QRectF text;    ///< the label, elided to fit
    QString label;
  };
  /// Entries flowed into rows of `rect`: the one layout paint() and textRects() share.
  std::vector<Placed> place(const QRectF& rect) const;
  double entryWidth(const LegendEntry& e) const;

  std::vector<LegendEntry> entries_;
  PlotStyle style_;
};

}  // namespace flowscope::gui
