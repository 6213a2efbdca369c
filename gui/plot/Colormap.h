#pragma once
// Perceptually uniform colormaps (viridis, magma, inferno, cividis) as 256-entry lookup tables, so
// a density reads the same in every view and in exported figures. The tables are matplotlib's
// published ones (lib/matplotlib/_cm_listed.py; viridis/magma/inferno by van der Walt and Smith,
// cividis by Nuñez, Anderton and Renslow), rounded to 8 bits per channel.

#include <QRgb>
#include <QString>
#include <QStringList>

#include <array>

namespace flowscope::gui {

class Colormap {
 public:
  enum class Kind { Viridis, Magma, Inferno, Cividis };

  explicit Colormap(Kind kind = Kind::Viridis);
  /// By name as in names(); unknown names give viridis.
  static Colormap byName(const QString& name);
  /// "viridis", "magma", "inferno", "cividis", in Kind order.
  static QStringList names();

  Kind kind() const { return kind_; }
  QString name() const;
  /// The color at u in [0, 1] (clamped; NaN maps to 0): entry floor(u * 255 + 0.5).
  QRgb map(double u) const;
  /// The table itself (opaque ARGB), low to high.
  const std::array<QRgb, 256>& lut() const { return *lut_; }

 private:
  Kind kind_;
  const std::array<QRgb, 256>* lut_;
};

}  // namespace flowscope::gui
