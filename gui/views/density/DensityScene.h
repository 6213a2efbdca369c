#pragma once
// The density view's data, without a window: the trajectories of one model snapshot, the 2D
// histogram of the particles at time t (p_t estimated by counting), an optional exact log p_t grid
// shown instead, and the overlay of a few trajectories. Scrubbing t only interpolates stored
// states (never the network), straight into bin indices in one pass with no allocation, so a
// million particles fit in a frame. Outputs are computed on first use after an input changes.

#include <QImage>
#include <QPointF>
#include <QRgb>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "gui/plot/Colormap.h"
#include "core/api/Queries.h"

namespace flowscope::gui {

enum class OverlayColoring {
  StartPoint,  ///< hue from the angle of x0: neighbours in the noise keep one color
  Speed,       ///< |dx/dt| along the path through a colormap
};

/// One overlay trajectory: its stored states, a color per state, and where it is at t.
struct OverlayPath {
  int64_t particle = 0;
  std::vector<QPointF> points;  ///< at the trajectories' stored times
  std::vector<QRgb> colors;     ///< per point (the segment from point k uses colors[k])
  QPointF head;                 ///< position at the scene's t
  QRgb headColor = 0;
};

/// What the color scale shows: density in [0, vmax], or on a log axis in
/// [vmax * 10^-decades, vmax].
struct DensityScale {
  double vmax = 1;
  bool log = false;
  double decades = 4;
  /// The colormap coordinate in [0, 1] of a density.
  double toUnit(double density) const;
};

class DensityScene {
 public:
  static constexpr double kLogDecades = 4;  ///< dynamic range of the log scale

  DensityScene() = default;

  // --- inputs -------------------------------------------------------------------------------
  void setTrajectories(std::shared_ptr<const Trajectories> trajectories);
  const std::shared_ptr<const Trajectories>& trajectories() const { return traj_; }
  void setTime(double t);  ///< the view's t; clamped to the stored times when interpolating
  double time() const { return t_; }
  void setRange(const ViewBounds& range);
  const ViewBounds& range() const { return range_; }
  void setResolution(int bins);  ///< bins per axis (>= 1)
  int resolution() const { return bins_; }
  void setLogScale(bool on);
  bool logScale() const { return log_; }
  /// Fixes the top of the color scale (views side by side share one); <= 0 or NaN: automatic.
  void setColorMax(double vmax);
  double fixedColorMax() const { return fixedMax_; }
  void setColormap(const Colormap& colormap);
  const Colormap& colormap() const { return cmap_; }
  void setOverlayCount(int count);
  int overlayCount() const { return overlayCount_; }
  void setOverlayColoring(OverlayColoring coloring);
  OverlayColoring overlayColoring() const { return coloring_; }
  /// The exact log p_t grid and the t it was computed at (nullopt clears it).
  void setExactDensity(std::optional<DensityGrid> grid, double t = 0);
  const std::optional<DensityGrid>& exactDensity() const { return exact_; }
  double exactTime() const { return exactT_; }
  /// Show the exact grid (when there is one) instead of the histogram.
  void setShowExact(bool on);
  bool showExact() const { return showExact_; }
  /// True when the heatmap currently comes from the exact grid.
  bool exactShown() const { return showExact_ && exact_.has_value(); }
  /// False until there is something to draw (trajectories, or a shown exact grid).
  bool hasData() const { return exactShown() || (traj_ && traj_->count > 0 && !traj_->times.empty()); }

  // --- outputs (as of the current inputs) ---------------------------------------------------
  /// Histogram density at t, [bins][bins] row-major, y ascending: count / (N * cell area), so it
  /// integrates to the fraction of the N particles inside the range.
  const std::vector<float>& density() const;
  /// The largest value of what is shown (histogram density, or exp of the exact grid).
  double frameMax() const;
  DensityScale scale() const;
  /// What the heatmap shows as colormap coordinates in [0, 1], [fieldHeight][fieldWidth].
  const std::vector<float>& field() const;
  int fieldWidth() const;
  int fieldHeight() const;
  /// The area the field covers (the exact grid keeps the range it was computed for).
  ViewBounds fieldBounds() const;
  /// The field through the colormap, top row = largest y.
  const QImage& image() const;
  /// Changes whenever field() does (texture uploads) / whenever the overlay lines or colors do.
  uint64_t fieldVersion() const;
  uint64_t overlayVersion() const;

  /// The overlay trajectories with their heads at t.
  const std::vector<OverlayPath>& overlay() const;
  /// The speed that maps to the top of the speed colormap (95th percentile of the overlay).
  double overlaySpeedScale() const;
  /// The colormap used for speed: one that stands out against the heatmap's.
  Colormap speedColormap() const;

  /// All particle positions at t, [N][2], with the same interpolation as the histogram.
  void positionsAt(double t, std::vector<float>& out) const;
  /// The stored-time bracket of t: index k and weight w of state k + 1 (w = 0 past the ends).
  std::pair<size_t, float> bracket(double t) const;

 private:
  void computeHistogram() const;
  void computeField() const;
  void computeOverlay() const;
  void computeHeads() const;
  void invalidateHistogram();
  void invalidateField();

  std::shared_ptr<const Trajectories> traj_;
  double t_ = 1.0;
  ViewBounds range_;
  int bins_ = 256;
  bool log_ = false;
  double fixedMax_ = 0;
  Colormap cmap_;
  int overlayCount_ = 200;
  OverlayColoring coloring_ = OverlayColoring::StartPoint;
  std::optional<DensityGrid> exact_;
  double exactT_ = 0;
  bool showExact_ = false;

  // Caches: reused between frames so scrubbing allocates nothing once warmed up.
  mutable bool histDirty_ = true, fieldDirty_ = true, imageDirty_ = true, overlayDirty_ = true,
               headsDirty_ = true;
  mutable std::vector<uint32_t> counts_;
  mutable std::vector<float> density_;
  mutable double densityMax_ = 0;
  mutable std::vector<float> field_;
  mutable QImage image_;
  mutable std::vector<OverlayPath> overlay_;
  mutable double speedScale_ = 0;
  mutable uint64_t fieldVersion_ = 1, overlayVersion_ = 1;
};

}  // namespace flowscope::gui
