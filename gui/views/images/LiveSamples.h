#pragma once
// Live samples while training: for each image run, a row of images from fixed noise (seed 0)
// that is resampled in the background with every weight snapshot, so the training monitor shows
// what the model makes now. Requests are keyed per run (a newer snapshot supersedes an older
// one); hidden, it asks for nothing. The row data are LiveSamplesScene numbers; a TileGridCanvas
// draws them.

#include <QElapsedTimer>
#include <QWidget>

#include <map>
#include <set>

#include "core/api/ImageQueries.h"
#include "gui/plot/TileGrid.h"

namespace flowscope::gui {

class AsyncQuery;
class RunManager;
class TileGridCanvas;

/// The rows of the live grid, widget-free: one per run, its newest samples and their step.
class LiveSamplesScene {
 public:
  struct Row {
    QString name;
    QColor color;
    ImageBatch samples;
    int64_t step = 0;
  };
  void setRow(int runId, Row row) { rows_[runId] = std::move(row); }
  void removeRow(int runId) { rows_.erase(runId); }
  const std::map<int, Row>& rows() const { return rows_; }
  TileGrid grid() const;

 private:
  std::map<int, Row> rows_;
};

class LiveSamples : public QWidget {
  Q_OBJECT
 public:
  static constexpr int kCount = 8;
  static constexpr int kSteps = 10;  ///< midpoint steps: 20 NFE keeps updates quick on a CPU

  LiveSamples(RunManager* runs, AsyncQuery* queries, QWidget* parent = nullptr);
  const LiveSamplesScene& scene() const { return scene_; }
  bool isBusy() const { return !inFlight_.empty(); }
  /// Milliseconds from each weightsUpdated to the grid showing those weights.
  const std::vector<qint64>& updateLatencies() const { return latencies_; }

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void request(int runId);
  void updateVisibility();

  RunManager* runs_;
  AsyncQuery* queries_;
  LiveSamplesScene scene_;
  TileGridCanvas* canvas_;
  std::map<int, uint64_t> shownModel_;
  std::set<int> inFlight_;
  std::map<int, QElapsedTimer> clocks_;
  std::vector<qint64> latencies_;
};

}  // namespace flowscope::gui
