#include "gui/views/monitor/DecimatedSeries.h"

#include <algorithm>

namespace flowscope::gui {

DecimatedSeries::DecimatedSeries(int maxPoints) : maxPoints_(std::max(4, maxPoints)) {}

void DecimatedSeries::clear() {
  width_ = 1;
  offered_ = 0;
  buckets_.clear();
}

void DecimatedSeries::append(const QPointF& p) {
  const int64_t index = offered_++;
  if (index == 0) first_ = p;
  last_ = p;
  if (index % width_ == 0) {
    buckets_.push_back({index, index, p, p});
    // Two points per bucket: at most maxPoints / 2 buckets.
    if (static_cast<int64_t>(buckets_.size()) * 2 > maxPoints_) mergePairs();
    return;
  }
  Bucket& b = buckets_.back();
  if (p.y() < b.min.y()) b.min = p, b.minIndex = index;
  if (p.y() > b.max.y()) b.max = p, b.maxIndex = index;
}

void DecimatedSeries::mergePairs() {
  std::vector<Bucket> merged;
  merged.reserve(buckets_.size() / 2 + 1);
  for (size_t i = 0; i < buckets_.size(); i += 2) {
    Bucket b = buckets_[i];
    if (i + 1 < buckets_.size()) {
      const Bucket& c = buckets_[i + 1];
      // Ties keep the earlier point, as a bucket of the doubled width would have.
      if (c.min.y() < b.min.y()) b.min = c.min, b.minIndex = c.minIndex;
      if (c.max.y() > b.max.y()) b.max = c.max, b.maxIndex = c.maxIndex;
    }
    merged.push_back(b);
  }
  buckets_.swap(merged);
  width_ *= 2;
}

QVector<QPointF> DecimatedSeries::points() const {
  QVector<QPointF> out;
  out.reserve(static_cast<qsizetype>(buckets_.size() * 2 + 1));
  int64_t lastIndex = -1;
  if (!buckets_.empty() && std::min(buckets_.front().minIndex, buckets_.front().maxIndex) != 0) out.append(first_);
  for (const Bucket& b : buckets_) {
    const bool minFirst = b.minIndex <= b.maxIndex;
    const int64_t i0 = minFirst ? b.minIndex : b.maxIndex, i1 = minFirst ? b.maxIndex : b.minIndex;
    out.append(minFirst ? b.min : b.max);
    lastIndex = i0;
    if (i1 != i0) {
      out.append(minFirst ? b.max : b.min);
      lastIndex = i1;
    }
  }
  if (offered_ > 0 && lastIndex != offered_ - 1) out.append(last_);
  return out;
}

}  // namespace flowscope::gui
