#pragma once
// What the vector field view draws, computed from a sampled field (no widgets, so tests check the
// numbers): arrows at the grid points and evenly spaced streamlines, both carrying the local
// magnitude |u| for coloring (the paper's Figures 2 and 8 color by magnitude). Coordinates are
// data coordinates; the view maps them to pixels.

#include <QColor>
#include <QPointF>
#include <QString>

#include <vector>

#include "core/api/Queries.h"

namespace flowscope::gui {

/// One arrow, centered on its grid point: end - start = scale * spacing * (u, v) / maxNorm, so the
/// longest arrow of the field spans `scale` grid cells and lengths compare across the picture.
struct FieldArrow {
  QPointF start, end;
  double u = 0, v = 0;   ///< the field value at the grid point
  double magnitude = 0;  ///< |(u, v)|
};

struct StreamVertex {
  QPointF p;
  double magnitude = 0;  ///< |u| interpolated at p
};
using Streamline = std::vector<StreamVertex>;

class FieldScene {
 public:
  /// Shows `field`; arrows and streamlines are rebuilt.
  void setField(VectorGrid field);
  /// Shows the residual learned - marginal (same grid) and keeps both parts for the CSV.
  void setResidual(VectorGrid learned, VectorGrid marginal);
  void clear();

  /// a - b elementwise on a's grid (both must share it).
  static VectorGrid difference(const VectorGrid& a, const VectorGrid& b);

  bool hasField() const { return !field_.uv.empty(); }
  bool isResidual() const { return residual_; }
  const VectorGrid& field() const { return field_; }
  const VectorGrid& learnedPart() const { return learned_; }   ///< residual only
  const VectorGrid& marginalPart() const { return marginal_; } ///< residual only

  /// Longest arrow in grid cells (default 0.9).
  void setArrowScale(double scale);
  double arrowScale() const { return arrowScale_; }
  /// Distance between neighbouring streamlines in grid cells (default 1.0).
  void setStreamSpacing(double cells);
  double streamSpacing() const { return streamSpacing_; }

  /// Grid spacing (the smaller of the two axes) in data units.
  double spacing() const;
  /// The field at (x, y) by bilinear interpolation between grid points, extended linearly over
  /// the half cell between the outer grid points and the range edge (so an affine field is
  /// reproduced exactly everywhere); (0, 0) without a field.
  QPointF sample(double x, double y) const;

  const std::vector<FieldArrow>& arrows() const { return arrows_; }
  const std::vector<Streamline>& streamlines() const { return streamlines_; }

  /// Range of |u| over the grid points: the colorbar's range.
  double minMagnitude() const { return minMag_; }
  double maxMagnitude() const { return maxMag_; }
  /// Colormap color of a magnitude within [minMagnitude, maxMagnitude] (clamped).
  QColor colorFor(double magnitude) const;
  /// The colormap at s in [0, 1].
  static QColor colormap(double s);

  /// x,y,u,v,magnitude per grid point (residual: plus the learned and marginal parts).
  QString csv() const;

 private:
  void rebuild();
  void buildArrows();
  void buildStreamlines();

  VectorGrid field_, learned_, marginal_;
  bool residual_ = false;
  double arrowScale_ = 0.9;
  double streamSpacing_ = 1.0;
  double minMag_ = 0, maxMag_ = 0;
  std::vector<FieldArrow> arrows_;
  std::vector<Streamline> streamlines_;
};

}  // namespace flowscope::gui
