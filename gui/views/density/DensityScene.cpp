#include "gui/views/density/DensityScene.h"

#include <QColor>

#include <algorithm>
#include <cmath>
#include <limits>

namespace flowscope::gui {
namespace {
constexpr double kPi = 3.14159265358979323846;
}

double DensityScale::toUnit(double density) const {
  if (!(vmax > 0) || !(density > 0)) return 0;
  if (!log) return std::min(1.0, density / vmax);
  return std::clamp(1.0 + std::log10(density / vmax) / decades, 0.0, 1.0);
}

// --- inputs -----------------------------------------------------------------------------------

void DensityScene::invalidateHistogram() {
  histDirty_ = true;
  invalidateField();
}

void DensityScene::invalidateField() {
  fieldDirty_ = true;
  imageDirty_ = true;
}

void DensityScene::setTrajectories(std::shared_ptr<const Trajectories> trajectories) {
  traj_ = std::move(trajectories);
  invalidateHistogram();
  overlayDirty_ = headsDirty_ = true;
}

void DensityScene::setTime(double t) {
  if (t == t_) return;
  t_ = t;
  headsDirty_ = true;
  if (!exactShown()) invalidateHistogram();
  else histDirty_ = true;  // the exact field does not depend on t; only the hidden histogram does
}

void DensityScene::setRange(const ViewBounds& range) {
  if (range == range_) return;
  range_ = range;
  invalidateHistogram();
}

void DensityScene::setResolution(int bins) {
  bins = std::max(1, bins);
  if (bins == bins_) return;
  bins_ = bins;
  invalidateHistogram();
}

void DensityScene::setLogScale(bool on) {
  if (on == log_) return;
  log_ = on;
  invalidateField();
}

void DensityScene::setColorMax(double vmax) {
  if (!(vmax > 0)) vmax = 0;
  if (vmax == fixedMax_) return;
  fixedMax_ = vmax;
  invalidateField();
}

void DensityScene::setColormap(const Colormap& colormap) {
  if (colormap.kind() == cmap_.kind()) return;
  cmap_ = colormap;
  imageDirty_ = true;
  if (coloring_ == OverlayColoring::Speed) overlayDirty_ = true;
}

void DensityScene::setOverlayCount(int count) {
  count = std::max(0, count);
  if (count == overlayCount_) return;
  overlayCount_ = count;
  overlayDirty_ = headsDirty_ = true;
}

void DensityScene::setOverlayColoring(OverlayColoring coloring) {
  if (coloring == coloring_) return;
  coloring_ = coloring;
  overlayDirty_ = headsDirty_ = true;
}

void DensityScene::setExactDensity(std::optional<DensityGrid> grid, double t) {
  exact_ = std::move(grid);
  exactT_ = t;
  invalidateField();
}

void DensityScene::setShowExact(bool on) {
  if (on == showExact_) return;
  showExact_ = on;
  invalidateField();
}

// --- interpolation and histogram --------------------------------------------------------------

std::pair<size_t, float> DensityScene::bracket(double t) const {
  if (!traj_ || traj_->times.size() < 2) return {0, 0.f};
  const std::vector<double>& times = traj_->times;
  if (!(t > times.front())) return {0, 0.f};
  if (t >= times.back()) return {times.size() - 1, 0.f};
  const size_t k = static_cast<size_t>(std::upper_bound(times.begin(), times.end(), t) - times.begin()) - 1;
  return {k, static_cast<float>((t - times[k]) / (times[k + 1] - times[k]))};
}

void DensityScene::positionsAt(double t, std::vector<float>& out) const {
  const size_t n2 = traj_ ? static_cast<size_t>(traj_->count) * 2 : 0;
  out.resize(n2);
  if (n2 == 0 || traj_->times.empty()) return;
  const auto [k, w] = bracket(t);
  const float* a = &traj_->xy[k * n2];
  const float* b = w != 0.f ? &traj_->xy[(k + 1) * n2] : a;
  for (size_t i = 0; i < n2; ++i) out[i] = a[i] + w * (b[i] - a[i]);
}

void DensityScene::computeHistogram() const {
  histDirty_ = false;
  const size_t cells = static_cast<size_t>(bins_) * static_cast<size_t>(bins_);
  counts_.assign(cells, 0u);
  density_.assign(cells, 0.f);
  densityMax_ = 0;
  if (!traj_ || traj_->count == 0 || traj_->times.empty()) return;
  const double w = range_.xmax - range_.xmin, h = range_.ymax - range_.ymin;
  if (!(w > 0) || !(h > 0)) return;

  // One pass: interpolate each particle and turn it straight into a bin index. Comparisons fail
  // for NaN, so diverged particles drop out like those outside the range.
  const size_t n = static_cast<size_t>(traj_->count);
  const auto [k, wt] = bracket(t_);
  const float* a = &traj_->xy[k * n * 2];
  const float* b = wt != 0.f ? &traj_->xy[(k + 1) * n * 2] : a;
  const float x0 = static_cast<float>(range_.xmin), y0 = static_cast<float>(range_.ymin);
  const float sx = static_cast<float>(bins_ / w), sy = static_cast<float>(bins_ / h);
  const float fb = static_cast<float>(bins_);
  const int nb = bins_;
  uint32_t* counts = counts_.data();
  for (size_t i = 0; i < n; ++i) {
    const float ax = a[2 * i], ay = a[2 * i + 1];
    const float fx = (ax + wt * (b[2 * i] - ax) - x0) * sx;
    const float fy = (ay + wt * (b[2 * i + 1] - ay) - y0) * sy;
    if (fx >= 0.f && fx < fb && fy >= 0.f && fy < fb)
      ++counts[static_cast<int>(fy) * nb + static_cast<int>(fx)];
  }
  const double toDensity = 1.0 / (static_cast<double>(n) * (w / bins_) * (h / bins_));
  uint32_t maxCount = 0;
  for (size_t c = 0; c < cells; ++c) {
    density_[c] = static_cast<float>(counts[c] * toDensity);
    maxCount = std::max(maxCount, counts[c]);
  }
  densityMax_ = maxCount * toDensity;
}

const std::vector<float>& DensityScene::density() const {
  if (histDirty_) computeHistogram();
  return density_;
}

double DensityScene::frameMax() const {
  if (exactShown()) {
    double m = -std::numeric_limits<double>::infinity();
    for (double v : exact_->logp)
      if (std::isfinite(v)) m = std::max(m, v);
    return std::isfinite(m) ? std::exp(m) : 0.0;
  }
  density();
  return densityMax_;
}

DensityScale DensityScene::scale() const {
  DensityScale s;
  s.vmax = fixedMax_ > 0 ? fixedMax_ : frameMax();
  s.log = log_;
  s.decades = kLogDecades;
  return s;
}

// --- field and image --------------------------------------------------------------------------

int DensityScene::fieldWidth() const { return exactShown() ? exact_->grid.nx : bins_; }
int DensityScene::fieldHeight() const { return exactShown() ? exact_->grid.ny : bins_; }
ViewBounds DensityScene::fieldBounds() const { return exactShown() ? exact_->grid.bounds : range_; }

void DensityScene::computeField() const {
  fieldDirty_ = false;
  imageDirty_ = true;
  ++fieldVersion_;
  const DensityScale s = scale();
  if (exactShown()) {
    // Work in log space: exp() of a very negative log p underflows long before the log scale's
    // floor, and NaN (not computed yet) shows as zero density.
    const std::vector<double>& logp = exact_->logp;
    field_.resize(logp.size());
    const double logMax = s.vmax > 0 ? std::log(s.vmax) : 0;
    const double span = s.decades * std::log(10.0);
    for (size_t i = 0; i < logp.size(); ++i) {
      const double lp = logp[i];
      double u = 0;
      if (std::isfinite(lp) && s.vmax > 0)
        u = s.log ? std::clamp(1.0 + (lp - logMax) / span, 0.0, 1.0) : std::min(1.0, std::exp(lp - logMax));
      field_[i] = static_cast<float>(u);
    }
    return;
  }
  const std::vector<float>& d = density();
  field_.resize(d.size());
  if (!(s.vmax > 0)) {
    std::fill(field_.begin(), field_.end(), 0.f);
    return;
  }
  if (!s.log) {
    const float inv = static_cast<float>(1.0 / s.vmax);
    for (size_t i = 0; i < d.size(); ++i) field_[i] = std::min(1.f, d[i] * inv);
    return;
  }
  for (size_t i = 0; i < d.size(); ++i) field_[i] = static_cast<float>(s.toUnit(d[i]));
}

const std::vector<float>& DensityScene::field() const {
  if (fieldDirty_ || (histDirty_ && !exactShown())) computeField();
  return field_;
}

uint64_t DensityScene::fieldVersion() const {
  field();
  return fieldVersion_;
}

const QImage& DensityScene::image() const {
  const std::vector<float>& f = field();
  if (!imageDirty_) return image_;
  imageDirty_ = false;
  const int w = fieldWidth(), h = fieldHeight();
  if (image_.size() != QSize(w, h)) image_ = QImage(w, h, QImage::Format_RGB32);
  const std::array<QRgb, 256>& lut = cmap_.lut();
  for (int j = 0; j < h; ++j) {
    auto* line = reinterpret_cast<QRgb*>(image_.scanLine(h - 1 - j));  // image rows go down
    const float* row = &f[static_cast<size_t>(j) * static_cast<size_t>(w)];
    for (int i = 0; i < w; ++i) line[i] = lut[static_cast<size_t>(row[i] * 255.f + 0.5f)];
  }
  return image_;
}

// --- overlay ----------------------------------------------------------------------------------

Colormap DensityScene::speedColormap() const {
  // A sequential map whose bright end differs from the heatmap's, so lines stay visible.
  const bool warm = cmap_.kind() == Colormap::Kind::Magma || cmap_.kind() == Colormap::Kind::Inferno;
  return Colormap(warm ? Colormap::Kind::Viridis : Colormap::Kind::Inferno);
}

void DensityScene::computeOverlay() const {
  overlayDirty_ = false;
  headsDirty_ = true;
  ++overlayVersion_;
  overlay_.clear();
  speedScale_ = 0;
  if (!traj_ || traj_->times.empty()) return;
  const size_t T = traj_->times.size();
  const int64_t count = std::min<int64_t>(overlayCount_, traj_->count);
  overlay_.resize(static_cast<size_t>(count));
  std::vector<double> speeds;
  for (int64_t i = 0; i < count; ++i) {
    OverlayPath& p = overlay_[static_cast<size_t>(i)];
    p.particle = i;  // the noise is i.i.d., so the first particles are a random subset
    p.points.resize(T);
    for (size_t k = 0; k < T; ++k) {
      const float* s = traj_->at(k, i);
      p.points[k] = QPointF(s[0], s[1]);
    }
    p.colors.assign(T, 0);
    if (coloring_ == OverlayColoring::StartPoint) {
      const double angle = std::atan2(p.points[0].y(), p.points[0].x());  // in (-pi, pi]
      const double hue = (angle + kPi) / (2 * kPi);
      const QRgb c = QColor::fromHsvF(static_cast<float>(std::clamp(hue, 0.0, 1.0)), 0.7f, 1.0f).rgb();
      std::fill(p.colors.begin(), p.colors.end(), c);
      p.headColor = c;
    } else {
      for (size_t k = 0; k + 1 < T; ++k) {
        const QPointF d = p.points[k + 1] - p.points[k];
        speeds.push_back(std::hypot(d.x(), d.y()) / (traj_->times[k + 1] - traj_->times[k]));
      }
    }
  }
  if (coloring_ != OverlayColoring::Speed || speeds.empty()) return;
  // The 95th percentile as the top, so a few fast particles do not wash out the rest.
  std::vector<double> sorted(speeds);
  const size_t q = static_cast<size_t>(0.95 * static_cast<double>(sorted.size() - 1));
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(q), sorted.end());
  speedScale_ = sorted[q] > 0 ? sorted[q] : 1.0;
  const Colormap map = speedColormap();
  size_t s = 0;
  for (OverlayPath& p : overlay_) {
    for (size_t k = 0; k + 1 < T; ++k) p.colors[k] = map.map(speeds[s++] / speedScale_);
    p.colors[T - 1] = T > 1 ? p.colors[T - 2] : map.map(0);
  }
}

void DensityScene::computeHeads() const {
  headsDirty_ = false;
  if (overlay_.empty()) return;
  const auto [k, w] = bracket(t_);
  const size_t T = traj_->times.size();
  for (OverlayPath& p : overlay_) {
    const QPointF a = p.points[k], b = w != 0.f ? p.points[k + 1] : a;
    p.head = a + static_cast<double>(w) * (b - a);
    if (coloring_ == OverlayColoring::Speed) p.headColor = p.colors[std::min(k, T - 1)];
  }
}

const std::vector<OverlayPath>& DensityScene::overlay() const {
  if (overlayDirty_) computeOverlay();
  if (headsDirty_) computeHeads();
  return overlay_;
}

uint64_t DensityScene::overlayVersion() const {
  if (overlayDirty_) computeOverlay();
  return overlayVersion_;
}

double DensityScene::overlaySpeedScale() const {
  if (overlayDirty_) computeOverlay();
  return speedScale_;
}

}  // namespace flowscope::gui
