#pragma once
// Numbers a view restores from a session (.flowscope JSON, a file anyone may edit or hand over)
// are clamped to the ranges below, in one place: a hostile value (overlays 1e9, particles 1e12,
// -5 or 0, NaN) must neither make an export slow or huge nor reach a worker as a bad size. The
// setters of the views clamp to the same ranges, so the GUI and sessions agree.
//
//   const int64_t n = sessionInteger(state, "particles", session::kScrubParticles, 20000);

#include <QJsonObject>
#include <QString>

#include <cstdint>

namespace flowscope::gui {

/// A closed range [lo, hi] of a session value.
struct SessionRange {
  double lo, hi;
  double clamp(double v) const { return v < lo ? lo : v > hi ? hi : v; }
};

namespace session {
// Density path view (and each side-by-side panel).
/// Particles: 65 stored states of 2 floats, 520 bytes each, so 2M keep about 1 GB.
inline constexpr SessionRange kDensityParticles{100, 2000000};
inline constexpr SessionRange kDensityBins{8, 512};  ///< histogram cells per axis (CSV: bins² rows)
inline constexpr SessionRange kOverlays{0, 1000};    ///< trajectories drawn (CSV: 65 rows each)
inline constexpr SessionRange kRangeBound{-1000, 1000};  ///< custom axis range, data units
inline constexpr SessionRange kColorMax{0, 1e6};     ///< fixed top of the color scale (0: automatic)
inline constexpr SessionRange kTime{0, 1};           ///< t (0 noise, 1 data)
// Side by side.
inline constexpr SessionRange kPanels{2, 4};
// Checkpoint x time: one solve per checkpoint, cached.
inline constexpr SessionRange kScrubParticles{100, 200000};
inline constexpr SessionRange kCheckpointIndex{0, 1e6};  ///< then clamped to the run's checkpoints
// Vector field view.
inline constexpr SessionRange kFieldGrid{16, 48};      ///< grid points per side
inline constexpr SessionRange kArrowScale{0.1, 3.0};   ///< longest arrow in grid cells
inline constexpr SessionRange kPoint{-1000, 1000};     ///< x1 coordinates, data units
// Data panel.
inline constexpr SessionRange kDrawnPoints{0, 200000};  ///< points kept from "drawn"
inline constexpr SessionRange kNoise{-0.001, 5.0};      ///< data.noise (below 0: the default)
// Image views.
inline constexpr SessionRange kImageSamples{1, 64};      ///< images from the same noise
inline constexpr SessionRange kImageSeed{0, 2147483647};
inline constexpr SessionRange kImageColumns{2, 17};      ///< times along the path strip
inline constexpr SessionRange kImageRows{1, 16};         ///< samples shown along t
inline constexpr SessionRange kGuidance{0, 20};          ///< classifier-free guidance scale w
inline constexpr SessionRange kClassChoice{-2, 100000};  ///< -1: unconditional, -2: cycle classes
}  // namespace session

/// `o[key]` clamped to `range`; `fallback` when the key is missing or not a finite number.
double sessionNumber(const QJsonObject& o, const QString& key, SessionRange range, double fallback);
/// The same, rounded to an integer.
int64_t sessionInteger(const QJsonObject& o, const QString& key, SessionRange range, int64_t fallback);

}  // namespace flowscope::gui
