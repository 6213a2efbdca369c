#include "gui/views/field/FieldScene.h"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <utility>

#include "gui/plot/Colormap.h"

namespace flowscope::gui {
namespace {

// Streamline tracing, in units of the separation d_sep (Jobard & Lefer 1997): a line stops when
// it comes closer than kTest * d_sep to another one; new seeds sit d_sep to either side of the
// lines already drawn.
constexpr double kTest = 0.5;
constexpr double kStep = 0.2;          // arc-length step (before turn control)
constexpr double kMaxTurn = 0.08;      // radians per step: keeps RK2 on tight circles
constexpr int kMaxHalvings = 6;
constexpr double kLowSpeed = 2e-3;     // of the largest magnitude: stagnation points
constexpr int kMaxVertices = 4000;     // per direction
constexpr double kMinLength = 1.0;     // shorter lines are dropped (stubs add noise, no flow)

double norm(QPointF p) { return std::hypot(p.x(), p.y()); }

/// Points of accepted streamlines bucketed in cells of size d_sep, so every proximity test
/// looks at 3 x 3 cells only.
class Occupancy {
 public:
  struct Entry {
    QPointF p;
    int line;
    double s;  // signed arc length from the line's seed
  };

  Occupancy(const ViewBounds& b, double cell)
      : x0_(b.xmin), y0_(b.ymin), cell_(cell),
        nx_(std::max(1, static_cast<int>(std::ceil((b.xmax - b.xmin) / cell)))),
        ny_(std::max(1, static_cast<int>(std::ceil((b.ymax - b.ymin) / cell)))),
        cells_(static_cast<size_t>(nx_) * ny_) {}

  void add(const Entry& e) { cells_[index(e.p)].push_back(e); }

  /// Removes line `line`'s entries (it was too short to keep).
  void remove(int line, const std::vector<QPointF>& points) {
    for (const QPointF& p : points) {
      auto& c = cells_[index(p)];
      c.erase(std::remove_if(c.begin(), c.end(), [line](const Entry& e) { return e.line == line; }), c.end());
    }
  }

  /// True when a point of another line lies within `radius`, or a point of `line` itself that
  /// is more than `selfArc` away along it (the line closed on itself).
  bool near(QPointF p, double radius, int line = -1, double s = 0, double selfArc = 0) const {
    const int ci = cellX(p.x()), cj = cellY(p.y());
    const double r2 = radius * radius;
    for (int j = std::max(0, cj - 1); j <= std::min(ny_ - 1, cj + 1); ++j)
      for (int i = std::max(0, ci - 1); i <= std::min(nx_ - 1, ci + 1); ++i)
        for (const Entry& e : cells_[static_cast<size_t>(j) * nx_ + i]) {
          const double dx = e.p.x() - p.x(), dy = e.p.y() - p.y();
          if (dx * dx + dy * dy >= r2) continue;
          if (e.line != line || std::abs(e.s - s) > selfArc) return true;
        }
    return false;
  }

 private:
  int cellX(double x) const { return std::clamp(static_cast<int>(std::floor((x - x0_) / cell_)), 0, nx_ - 1); }
  int cellY(double y) const { return std::clamp(static_cast<int>(std::floor((y - y0_) / cell_)), 0, ny_ - 1); }
  size_t index(QPointF p) const { return static_cast<size_t>(cellY(p.y())) * nx_ + cellX(p.x()); }

  double x0_, y0_, cell_;
  int nx_, ny_;
  std::vector<std::vector<Entry>> cells_;
};

}  // namespace

void FieldScene::setField(VectorGrid field) {
  field_ = std::move(field);
  learned_ = {};
  marginal_ = {};
  residual_ = false;
  rebuild();
}

void FieldScene::setResidual(VectorGrid learned, VectorGrid marginal) {
  field_ = difference(learned, marginal);
  learned_ = std::move(learned);
  marginal_ = std::move(marginal);
  residual_ = true;
  rebuild();
}

void FieldScene::clear() {
  field_ = learned_ = marginal_ = {};
  residual_ = false;
  rebuild();
}

VectorGrid FieldScene::difference(const VectorGrid& a, const VectorGrid& b) {
  VectorGrid d;
  d.grid = a.grid;
  d.uv.resize(a.uv.size());
  const size_t n = std::min(a.uv.size(), b.uv.size());
  for (size_t k = 0; k < a.uv.size(); ++k) d.uv[k] = k < n ? a.uv[k] - b.uv[k] : a.uv[k];
  for (size_t k = 0; k + 1 < d.uv.size(); k += 2)
    d.maxNorm = std::max(d.maxNorm, std::hypot(double(d.uv[k]), double(d.uv[k + 1])));
  return d;
}

void FieldScene::setArrowScale(double scale) {
  arrowScale_ = std::max(0.0, scale);
  buildArrows();
}

void FieldScene::setStreamSpacing(double cells) {
  streamSpacing_ = std::clamp(cells, 0.25, 8.0);
  buildStreamlines();
}

double FieldScene::spacing() const {
  const GridSpec& g = field_.grid;
  const double dx = (g.bounds.xmax - g.bounds.xmin) / std::max(1, g.nx);
  const double dy = (g.bounds.ymax - g.bounds.ymin) / std::max(1, g.ny);
  return std::min(dx, dy);
}

QPointF FieldScene::sample(double x, double y) const {
  const GridSpec& g = field_.grid;
  if (!hasField() || g.nx < 1 || g.ny < 1) return {};
  // Fractional grid index of (x, y); the edge cell's bilinear form extends half a cell outwards.
  auto locate = [](double v, double lo, double hi, int n, int& i0, double& f) {
    const double fv = (v - lo) / (hi - lo) * n - 0.5;
    i0 = n < 2 ? 0 : std::clamp(static_cast<int>(std::floor(fv)), 0, n - 2);
    f = n < 2 ? 0.0 : fv - i0;
  };
  int i0, j0;
  double fx, fy;
  locate(x, g.bounds.xmin, g.bounds.xmax, g.nx, i0, fx);
  locate(y, g.bounds.ymin, g.bounds.ymax, g.ny, j0, fy);
  const int i1 = std::min(i0 + 1, g.nx - 1), j1 = std::min(j0 + 1, g.ny - 1);
  auto at = [&](int i, int j, int c) { return double(field_.uv[(static_cast<size_t>(j) * g.nx + i) * 2 + c]); };
  double out[2];
  for (int c = 0; c < 2; ++c) {
    const double bottom = at(i0, j0, c) * (1 - fx) + at(i1, j0, c) * fx;
    const double top = at(i0, j1, c) * (1 - fx) + at(i1, j1, c) * fx;
    out[c] = bottom * (1 - fy) + top * fy;
  }
  return {out[0], out[1]};
}

void FieldScene::rebuild() {
  minMag_ = maxMag_ = 0;
  if (hasField()) {
    minMag_ = std::numeric_limits<double>::infinity();
    for (size_t k = 0; k + 1 < field_.uv.size(); k += 2) {
      const double m = std::hypot(double(field_.uv[k]), double(field_.uv[k + 1]));
      if (!std::isfinite(m)) continue;
      minMag_ = std::min(minMag_, m);
      maxMag_ = std::max(maxMag_, m);
    }
    if (!std::isfinite(minMag_)) minMag_ = 0;
  }
  buildArrows();
  buildStreamlines();
}

void FieldScene::buildArrows() {
  arrows_.clear();
  if (!hasField()) return;
  const GridSpec& g = field_.grid;
  const double len = maxMag_ > 0 ? arrowScale_ * spacing() / maxMag_ : 0.0;
  arrows_.reserve(static_cast<size_t>(g.nx) * g.ny);
  for (int j = 0; j < g.ny; ++j)
    for (int i = 0; i < g.nx; ++i) {
      const size_t k = (static_cast<size_t>(j) * g.nx + i) * 2;
      FieldArrow a;
      a.u = field_.uv[k];
      a.v = field_.uv[k + 1];
      a.magnitude = std::hypot(a.u, a.v);
      if (!std::isfinite(a.magnitude)) continue;
      const QPointF c(g.x(i), g.y(j)), half(0.5 * len * a.u, 0.5 * len * a.v);
      a.start = c - half;  // centered on the grid point (pivot "middle")
      a.end = c + half;
      arrows_.push_back(a);
    }
}

void FieldScene::buildStreamlines() {
  streamlines_.clear();
  if (!hasField() || !(maxMag_ > 0)) return;
  const ViewBounds& b = field_.grid.bounds;
  const double dsep = streamSpacing_ * spacing();
  const double dtest = kTest * dsep;
  const double h0 = kStep * dsep;
  const double maxLength = 4.0 * ((b.xmax - b.xmin) + (b.ymax - b.ymin));
  const double slow = kLowSpeed * maxMag_;
  auto inside = [&b](QPointF p) {
    return p.x() >= b.xmin && p.x() <= b.xmax && p.y() >= b.ymin && p.y() <= b.ymax;
  };
  auto direction = [this](QPointF p, double* speed = nullptr) {
    const QPointF v = sample(p.x(), p.y());
    const double n = norm(v);
    if (speed) *speed = n;
    return n > 0 ? v / n : QPointF();
  };

  Occupancy occ(b, dsep);
  int lineId = 0;

  // Traces one direction (sign +1 forward along the flow, -1 backward) from the seed; returns the
  // vertices after the seed. Midpoint rule (RK2) on the unit direction field: steps are arc
  // length, halved while the direction turns faster than kMaxTurn per step.
  auto trace = [&](QPointF seed, double sign, int id) {
    std::vector<StreamVertex> out;
    QPointF p = seed;
    double s = 0;
    while (static_cast<int>(out.size()) < kMaxVertices && s < maxLength) {
      double speed = 0;
      const QPointF k1 = direction(p, &speed) * sign;
      if (speed < slow) break;
      double h = h0;
      QPointF next;
      bool ok = false;
      for (int halving = 0; halving <= kMaxHalvings; ++halving, h *= 0.5) {
        const QPointF k2 = direction(p + 0.5 * h * k1) * sign;
        if (k2.isNull()) break;
        const double cosTurn = std::clamp(k1.x() * k2.x() + k1.y() * k2.y(), -1.0, 1.0);
        next = p + h * k2;
        ok = true;
        if (2.0 * std::acos(cosTurn) <= kMaxTurn) break;  // k1 -> k2 is half a step's turn
      }
      if (!ok || !inside(next)) break;
      const double ds = norm(next - p);
      if (occ.near(next, dtest, id, sign * (s + ds), 3.0 * dsep)) break;
      p = next;
      s += ds;
      double m = 0;
      direction(p, &m);
      out.push_back({p, m});
      occ.add({p, id, sign * s});
    }
    return out;
  };

  auto tryLine = [&](QPointF seed) {
    if (!inside(seed) || occ.near(seed, dsep)) return false;
    double speed = 0;
    direction(seed, &speed);
    if (speed < slow) return false;
    const int id = lineId++;
    occ.add({seed, id, 0.0});
    const std::vector<StreamVertex> fwd = trace(seed, 1.0, id);
    const std::vector<StreamVertex> bwd = trace(seed, -1.0, id);
    Streamline line;
    line.reserve(fwd.size() + bwd.size() + 1);
    for (auto it = bwd.rbegin(); it != bwd.rend(); ++it) line.push_back(*it);
    line.push_back({seed, speed});
    line.insert(line.end(), fwd.begin(), fwd.end());
    double length = 0;
    for (size_t k = 1; k < line.size(); ++k) length += norm(line[k].p - line[k - 1].p);
    if (length < kMinLength * dsep) {
      std::vector<QPointF> pts;
      for (const StreamVertex& v : line) pts.push_back(v.p);
      occ.remove(id, pts);
      return false;
    }
    streamlines_.push_back(std::move(line));
    return true;
  };

  // Jobard-Lefer: seeds d_sep to either side of each accepted line (every half d_sep along it),
  // then, when those are used up, the next point of a regular d_sep lattice.
  std::deque<QPointF> candidates;
  auto queueAround = [&](const Streamline& line) {
    double since = 0.5 * dsep;
    for (size_t k = 0; k < line.size(); ++k) {
      if (k > 0) since += norm(line[k].p - line[k - 1].p);
      if (since < 0.5 * dsep) continue;
      since = 0;
      const QPointF d = direction(line[k].p);
      const QPointF n(-d.y(), d.x());
      candidates.push_back(line[k].p + dsep * n);
      candidates.push_back(line[k].p - dsep * n);
    }
  };
  auto drain = [&] {
    while (!candidates.empty()) {
      const QPointF c = candidates.front();
      candidates.pop_front();
      if (tryLine(c)) queueAround(streamlines_.back());
    }
  };

  const QPointF center(0.5 * (b.xmin + b.xmax), 0.5 * (b.ymin + b.ymax));
  if (tryLine(center)) queueAround(streamlines_.back());
  drain();
  const int sx = std::max(1, static_cast<int>((b.xmax - b.xmin) / dsep));
  const int sy = std::max(1, static_cast<int>((b.ymax - b.ymin) / dsep));
  for (int j = 0; j < sy; ++j)
    for (int i = 0; i < sx; ++i) {
      const QPointF seed(b.xmin + (i + 0.5) * (b.xmax - b.xmin) / sx, b.ymin + (j + 0.5) * (b.ymax - b.ymin) / sy);
      if (tryLine(seed)) {
        queueAround(streamlines_.back());
        drain();
      }
    }
}

QColor FieldScene::colormap(double s) {
  static const Colormap viridis(Colormap::Kind::Viridis);  // perceptually uniform, as in Figures 2 and 8
  return QColor(viridis.map(std::isfinite(s) ? s : 0.0));
}

QColor FieldScene::colorFor(double magnitude) const {
  const double range = maxMag_ - minMag_;
  return colormap(range > 1e-12 * std::max(1.0, maxMag_) ? (magnitude - minMag_) / range : 0.5);
}

QString FieldScene::csv() const {
  QString out = residual_ ? "x,y,u,v,magnitude,learned_u,learned_v,marginal_u,marginal_v\n" : "x,y,u,v,magnitude\n";
  if (!hasField()) return out;
  const GridSpec& g = field_.grid;
  auto num = [](double v) { return QString::number(v, 'g', 9); };
  for (int j = 0; j < g.ny; ++j)
    for (int i = 0; i < g.nx; ++i) {
      const size_t k = (static_cast<size_t>(j) * g.nx + i) * 2;
      const double u = field_.uv[k], v = field_.uv[k + 1];
      QStringList row{num(g.x(i)), num(g.y(j)), num(u), num(v), num(std::hypot(u, v))};
      if (residual_) {
        const auto part = [k, &num](const VectorGrid& f, int c) {
          return k + c < f.uv.size() ? num(f.uv[k + c]) : QString();
        };
        row << part(learned_, 0) << part(learned_, 1) << part(marginal_, 0) << part(marginal_, 1);
      }
      out += row.join(',') + '\n';
    }
  return out;
}

}  // namespace flowscope::gui
