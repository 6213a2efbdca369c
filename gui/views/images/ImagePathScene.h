#pragma once
// The path strip's data, without a window (Figure 6): for each shown run, the images of one
// weight snapshot stored at many times along the ODE path from the same noise, and what the
// strip draws of them as a TileGrid. Two layouts: "along t" (each sample a row, each column a
// time, the column nearest the scrubber's t framed) and "at t" (all samples at the scrubber's
// t, interpolated between stored times: scrubbing never calls the network). Optional rows: the
// model's prediction of x1, and the per-pixel difference |a - b| between the first two runs.

#include <QColor>
#include <QString>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "core/api/ImageQueries.h"
#include "gui/plot/TileGrid.h"

namespace flowscope::gui {

struct PathRun {
  QString name;
  QColor color;
  std::shared_ptr<const ImagePath> path;  ///< null while it is computed
};

class ImagePathScene {
 public:
  enum class Layout { AlongT, AtT };

  void setRuns(std::vector<PathRun> runs);
  /// Replaces the path of run `index` (a new weight snapshot arrived).
  void setPath(size_t index, std::shared_ptr<const ImagePath> path);
  const std::vector<PathRun>& runs() const { return runs_; }

  void setTime(double t) { t_ = t; }
  double time() const { return t_; }
  void setLayout(Layout layout) { layout_ = layout; }
  Layout layout() const { return layout_; }
  /// Along t: how many time columns (evenly spaced over the stored range) and sample rows.
  void setColumns(int columns) { columns_ = std::max(2, columns); }
  int columns() const { return columns_; }
  void setSampleRows(int rows) { sampleRows_ = std::max(1, rows); }
  int sampleRows() const { return sampleRows_; }
  /// At t: samples per row before the grid wraps.
  void setWrap(int wrap) { wrap_ = std::max(1, wrap); }
  int wrap() const { return wrap_; }
  void setShowPrediction(bool on) { prediction_ = on; }
  bool showPrediction() const { return prediction_; }
  void setShowDifference(bool on) { difference_ = on; }
  bool showDifference() const { return difference_; }

  /// The times of the along-t columns (the first complete path's range).
  std::vector<double> columnTimes() const;
  /// All N images of run `index` at time t (interpolated), [N][C][H][W]; empty without a path.
  std::vector<float> frame(size_t index, double t, ImageKind kind = ImageKind::State) const;
  /// Mean over channels of |a - b| per pixel between the first two runs at t: [N][H][W].
  std::vector<float> difference(double t) const;

  /// What the strip draws now.
  TileGrid grid() const;

  /// Where the tile at (row, column) of grid() comes from: its run, sample, kind and time
  /// (difference tiles and blank cells have none).
  struct TileSource {
    size_t run = 0;
    int64_t sample = 0;
    ImageKind kind = ImageKind::State;
    double t = 0;
  };
  std::optional<TileSource> sourceOf(int row, int column) const;
  /// The arrays behind the strip for export: the states (and predictions) of every run at the
  /// columns' times (along t) or at t, [runs][columns][N][C][H][W].
  std::vector<float> exportStates(ImageKind kind, std::vector<int64_t>& shape) const;

 private:
  const ImagePath* firstPath() const;
  std::vector<PathRun> runs_;
  double t_ = 1.0;
  Layout layout_ = Layout::AlongT;
  int columns_ = 9, sampleRows_ = 4, wrap_ = 16;
  bool prediction_ = false, difference_ = false;
};

}  // namespace flowscope::gui
