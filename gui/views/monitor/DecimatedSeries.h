#pragma once
// A drawn curve of a long history, bounded in size: consecutive points are grouped into buckets
// of `bucketWidth()` points, and each bucket keeps its lowest and its highest point (in order),
// so a one-step loss spike stays visible however long the run (PlotJuggler and TensorBoard keep
// extremes for the same reason; every k-th point would drop it). When the buckets would need
// more than maxPoints() points, neighbouring buckets merge and the width doubles; buckets start
// at multiples of the width, so the result is the same whether the points came one at a time or
// all at once. The first and the newest point are always drawn, so a curve spans the whole run and
// a live one ends at the current step.

#include <QPointF>
#include <QVector>

#include <cstdint>
#include <vector>

namespace flowscope::gui {

class DecimatedSeries {
 public:
  /// `maxPoints` >= 4: points() never returns more than maxPoints() + 2 (the first and newest).
  explicit DecimatedSeries(int maxPoints = 5000);

  void append(const QPointF& point);
  void clear();

  int maxPoints() const { return maxPoints_; }
  int64_t offered() const { return offered_; }
  int64_t bucketWidth() const { return width_; }
  bool empty() const { return offered_ == 0; }
  /// What is drawn, in the order offered.
  QVector<QPointF> points() const;

 private:
  struct Bucket {
    int64_t minIndex = 0, maxIndex = 0;
    QPointF min, max;
  };
  void mergePairs();

  int maxPoints_;
  int64_t width_ = 1;
  int64_t offered_ = 0;
  std::vector<Bucket> buckets_;
  QPointF first_, last_;
};

}  // namespace flowscope::gui
