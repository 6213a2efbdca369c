#pragma once
// The strip of sample scatters under the NFE charts (the paper's Figure 4, right): one row per
// run, one equal-aspect cell per strip NFE, all from the same noise, each cell over the run's
// data bounds. Drawn with QPainter for the screen and the exported figure alike; text rectangles
// come from the same layout as the drawing, so tests can check them.

#include <QRectF>
#include <QString>

#include <vector>

#include "gui/plot/PlotStyle.h"
#include "gui/views/nfe/NfeScene.h"

class QPainter;

namespace flowscope::gui {

class NfeStrip {
 public:
  /// `running`: a strip is being sampled (the empty strip says so).
  NfeStrip(const NfeScene& scene, bool running, PlotStyle style);

  /// Height the rows need at `width`.
  double height(double width) const;
  void paint(QPainter& p, const QRectF& rect) const;
  std::vector<QRectF> textRects(const QRectF& rect) const;
  /// The scatter cells, row by row (tests look at their pixels).
  std::vector<QRectF> cells(const QRectF& rect) const;

 private:
  struct Text {
    QRectF rect;
    QString text;
    int flags;
    bool bold, dim;
  };
  struct Layout {
    std::vector<Text> texts;
    std::vector<QRectF> cells;  ///< [row][column] flattened
    double cell = 0;
  };
  Layout layout(const QRectF& rect) const;

  const NfeScene& scene_;
  bool running_;
  PlotStyle style_;
};

}  // namespace flowscope::gui
