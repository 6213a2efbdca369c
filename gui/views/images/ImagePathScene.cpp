#include "gui/views/images/ImagePathScene.h"

#include <cmath>

namespace flowscope::gui {

namespace {
QString timeLabel(double t) { return QString("t = %1").arg(t, 0, 'f', 2); }
}  // namespace

void ImagePathScene::setRuns(std::vector<PathRun> runs) { runs_ = std::move(runs); }

void ImagePathScene::setPath(size_t index, std::shared_ptr<const ImagePath> path) {
  if (index < runs_.size()) runs_[index].path = std::move(path);
}

const ImagePath* ImagePathScene::firstPath() const {
  for (const PathRun& r : runs_)
    if (r.path && r.path->complete && !r.path->times.empty()) return r.path.get();
  return nullptr;
}

std::vector<double> ImagePathScene::columnTimes() const {
  std::vector<double> out;
  const ImagePath* p = firstPath();
  if (!p) return out;
  const double lo = p->times.front(), hi = p->times.back();
  for (int k = 0; k < columns_; ++k) out.push_back(lo + (hi - lo) * k / (columns_ - 1));
  return out;
}

std::vector<float> ImagePathScene::frame(size_t index, double t, ImageKind kind) const {
  std::vector<float> out;
  if (index >= runs_.size()) return out;
  const ImagePath* p = runs_[index].path.get();
  if (!p || !p->complete || (kind == ImageKind::Predicted && !p->hasPrediction())) return out;
  p->framesAt(t, kind, out);
  return out;
}

std::vector<float> ImagePathScene::difference(double t) const {
  std::vector<float> out;
  if (runs_.size() < 2) return out;
  const std::vector<float> a = frame(0, t), b = frame(1, t);
  const ImagePath* pa = runs_[0].path.get();
  const ImagePath* pb = runs_[1].path.get();
  if (a.empty() || b.empty() || !(pa->shape == pb->shape)) return out;
  const int64_t n = std::min(pa->count, pb->count);
  const int64_t c = pa->shape.channels, plane = pa->shape.height * pa->shape.width;
  out.assign(static_cast<size_t>(n * plane), 0.0f);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t j = 0; j < plane; ++j) {
        const size_t src = static_cast<size_t>((i * c + ch) * plane + j);
        out[static_cast<size_t>(i * plane + j)] += std::abs(a[src] - b[src]) / static_cast<float>(c);
      }
  return out;
}

TileGrid ImagePathScene::grid() const {
  TileGrid g;
  const ImagePath* first = firstPath();
  if (!first) {
    g.note = runs_.empty() ? QString("No image run: open or train one (e.g. the fashion-mnist-fm-ot preset).")
                           : QString("Sampling the path...");
    return g;
  }
  g.channels = static_cast<int>(first->shape.channels);
  g.height = static_cast<int>(first->shape.height);
  g.width = static_cast<int>(first->shape.width);
  const int64_t size = first->shape.size();
  const int64_t plane = first->shape.height * first->shape.width;
  const bool diff = difference_ && runs_.size() >= 2;
  g.differenceTitle = "|a - b| per pixel";
  double diffMax = 0;
  auto imageTile = [&](const std::vector<float>& f, int64_t i) {
    Tile t;
    if (!f.empty() && (i + 1) * size <= static_cast<int64_t>(f.size()))
      t.pixels.assign(f.begin() + i * size, f.begin() + (i + 1) * size);
    return t;
  };
  auto diffTile = [&](const std::vector<float>& d, int64_t i) {
    Tile t;
    t.difference = true;
    if ((i + 1) * plane <= static_cast<int64_t>(d.size())) {
      t.pixels.assign(d.begin() + i * plane, d.begin() + (i + 1) * plane);
      for (float v : t.pixels) diffMax = std::max(diffMax, static_cast<double>(v));
    }
    return t;
  };
  const QString diffLabel = diff ? QString("|%1 - %2|").arg(runs_[0].name, runs_[1].name) : QString();

  if (layout_ == Layout::AlongT) {
    const std::vector<double> times = columnTimes();
    g.title = QString("Samples along the path, same noise (columns: t from %1 to %2)")
                  .arg(times.front(), 0, 'f', 2).arg(times.back(), 0, 'f', 2);
    for (double t : times) g.columnLabels.push_back(timeLabel(t));
    // The column nearest the scrubber's t.
    double best = 1e9;
    for (size_t k = 0; k < times.size(); ++k)
      if (std::abs(times[k] - t_) < best) best = std::abs(times[k] - t_), g.highlightedColumn = static_cast<int>(k);
    std::vector<std::vector<float>> states(runs_.size() * times.size()), preds(runs_.size() * times.size()),
        diffs(times.size());
    for (size_t r = 0; r < runs_.size(); ++r)
      for (size_t k = 0; k < times.size(); ++k) {
        states[r * times.size() + k] = frame(r, times[k]);
        if (prediction_) preds[r * times.size() + k] = frame(r, times[k], ImageKind::Predicted);
      }
    if (diff)
      for (size_t k = 0; k < times.size(); ++k) diffs[k] = difference(times[k]);
    const int64_t shown = std::min<int64_t>(sampleRows_, first->count);
    for (int64_t i = 0; i < shown; ++i) {
      for (size_t r = 0; r < runs_.size(); ++r) {
        TileRow row{QString("%1 #%2").arg(runs_[r].name).arg(i), runs_[r].color, {}};
        for (size_t k = 0; k < times.size(); ++k) row.tiles.push_back(imageTile(states[r * times.size() + k], i));
        g.rows.push_back(std::move(row));
        if (prediction_ && runs_[r].path && runs_[r].path->hasPrediction()) {
          TileRow pr{QString("%1 #%2 x1 pred.").arg(runs_[r].name).arg(i), runs_[r].color, {}};
          for (size_t k = 0; k < times.size(); ++k) pr.tiles.push_back(imageTile(preds[r * times.size() + k], i));
          g.rows.push_back(std::move(pr));
        }
      }
      if (diff) {
        TileRow dr{QString("%1 #%2").arg(diffLabel).arg(i), QColor(), {}};
        for (size_t k = 0; k < times.size(); ++k) dr.tiles.push_back(diffTile(diffs[k], i));
        g.rows.push_back(std::move(dr));
      }
    }
  } else {
    g.title = QString("Samples at t = %1, same noise").arg(t_, 0, 'f', 3);
    const int64_t n = first->count;
    const int64_t cols = std::min<int64_t>(wrap_, n);
    for (int64_t c = 0; c < cols; ++c) g.columnLabels.push_back(QString("#%1").arg(c));
    auto addRows = [&](const QString& label, const QColor& color, const std::vector<float>& f, bool isDiff) {
      for (int64_t start = 0; start < n; start += cols) {
        TileRow row{start == 0 ? label : QString("%1 (#%2-)").arg(label).arg(start), color, {}};
        for (int64_t i = start; i < std::min(n, start + cols); ++i)
          row.tiles.push_back(isDiff ? diffTile(f, i) : imageTile(f, i));
        g.rows.push_back(std::move(row));
      }
    };
    for (size_t r = 0; r < runs_.size(); ++r) {
      addRows(runs_[r].name + " x_t", runs_[r].color, frame(r, t_), false);
      if (prediction_ && runs_[r].path && runs_[r].path->hasPrediction())
        addRows(runs_[r].name + " x1 pred.", runs_[r].color, frame(r, t_, ImageKind::Predicted), false);
    }
    if (diff) addRows(diffLabel, QColor(), difference(t_), true);
  }
  g.differenceMax = diffMax > 0 ? diffMax : 0;
  return g;
}

std::optional<ImagePathScene::TileSource> ImagePathScene::sourceOf(int row, int column) const {
  const ImagePath* first = firstPath();
  if (!first || row < 0 || column < 0) return std::nullopt;
  const bool diff = difference_ && runs_.size() >= 2;
  auto predicted = [&](size_t r) { return prediction_ && runs_[r].path && runs_[r].path->hasPrediction(); };
  // The same row order as grid().
  if (layout_ == Layout::AlongT) {
    const std::vector<double> times = columnTimes();
    if (static_cast<size_t>(column) >= times.size()) return std::nullopt;
    int k = 0;
    const int64_t shown = std::min<int64_t>(sampleRows_, first->count);
    for (int64_t i = 0; i < shown; ++i) {
      for (size_t r = 0; r < runs_.size(); ++r) {
        if (k++ == row) return TileSource{r, i, ImageKind::State, times[static_cast<size_t>(column)]};
        if (predicted(r) && k++ == row) return TileSource{r, i, ImageKind::Predicted, times[static_cast<size_t>(column)]};
      }
      if (diff && k++ == row) return std::nullopt;
    }
    return std::nullopt;
  }
  const int64_t n = first->count;
  const int64_t cols = std::min<int64_t>(wrap_, n);
  const int64_t blocks = (n + cols - 1) / cols;
  int k = 0;
  for (size_t r = 0; r < runs_.size(); ++r)
    for (ImageKind kind : {ImageKind::State, ImageKind::Predicted}) {
      if (kind == ImageKind::Predicted && !predicted(r)) continue;
      for (int64_t b = 0; b < blocks; ++b, ++k)
        if (k == row) {
          const int64_t i = b * cols + column;
          if (column >= cols || i >= n) return std::nullopt;
          return TileSource{r, i, kind, t_};
        }
    }
  return std::nullopt;
}

std::vector<float> ImagePathScene::exportStates(ImageKind kind, std::vector<int64_t>& shape) const {
  std::vector<float> out;
  shape.clear();
  const ImagePath* first = firstPath();
  if (!first) return out;
  const std::vector<double> times = layout_ == Layout::AlongT ? columnTimes() : std::vector<double>{t_};
  int64_t runs = 0;
  for (size_t r = 0; r < runs_.size(); ++r) {
    const ImagePath* p = runs_[r].path.get();
    if (!p || !p->complete || !(p->shape == first->shape) || p->count != first->count) continue;
    if (kind == ImageKind::Predicted && !p->hasPrediction()) continue;
    for (double t : times) {
      const std::vector<float> f = frame(r, t, kind);
      out.insert(out.end(), f.begin(), f.end());
    }
    ++runs;
  }
  if (runs == 0) return {};
  shape = {runs, static_cast<int64_t>(times.size()), first->count, first->shape.channels, first->shape.height,
           first->shape.width};
  return out;
}

}  // namespace flowscope::gui
