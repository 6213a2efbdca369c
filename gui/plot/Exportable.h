#pragma once
// A panel that can be exported as a figure: it paints itself with QPainter at any size (vector
// output stays vector: SVG and PDF painters receive paths and text, not pixels) and gives the
// data it draws as CSV.

#include <QPainter>
#include <QRectF>
#include <QSize>
#include <QString>

#include <cstdint>
#include <vector>

namespace flowscope::gui {

/// An array behind a figure, written as DIR/<name><suffix>.npy (float32) beside it.
struct ExportArray {
  QString suffix;               ///< e.g. "-states"
  std::vector<int64_t> shape;
  std::vector<float> values;
};

class Exportable {
 public:
  virtual ~Exportable() = default;
  /// File-name stem, e.g. "training-loss".
  virtual QString exportName() const = 0;
  /// Natural size in device-independent pixels.
  virtual QSize exportSize() const { return {800, 600}; }
  /// Draws the panel into `target` (white background for light, palette otherwise).
  virtual void renderExport(QPainter& painter, const QRectF& target) = 0;
  /// The rectangles renderExport(target) writes text into (titles, tick labels, colorbar labels):
  /// layout tests check that none is clipped by `target` and no two overlap.
  /// Empty for a panel that does not report them.
  virtual std::vector<QRectF> exportTextRects(const QRectF& /*target*/) { return {}; }
  /// The numbers behind the figure, with a header row.
  virtual QString exportCsv() const = 0;
  /// Arrays written beside the figure as .npy (image panels: the pixels they show).
  virtual std::vector<ExportArray> exportArrays() const { return {}; }
  /// True while the panel still computes what it will draw (scripted export waits for it).
  virtual bool isBusy() const { return false; }
  /// The newest background computation's error ("Trajectories failed: ..."), empty when the
  /// picture is what was asked for. Scripted exports log it and exit non-zero.
  virtual QString failure() const { return {}; }
  /// Hidden panels skip recomputing on new weights while training (they would starve it);
  /// an export asks them to catch up first.
  virtual void refreshForExport() {}
};

}  // namespace flowscope::gui
