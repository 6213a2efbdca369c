// data.name: the target distributions q(x1) (docs/datasets.md). The engine builds them in
// core/data/DatasetFactory.cpp. Tags: "points2d" (samples are [N, 2] points) and
// "exact_log_density" (Dataset2D::hasLogDensity() with the default settings).

#include "core/registry/Registries.h"

namespace flowscope {

const Registry& datasetRegistry() {
  static const Registry registry(
      "data.name", "datasets",
      {
          {"checkerboard", "uniform on the 8 black squares of a 4x4 board on [-4, 4)^2", {}, {},
           {}, {}, {}, {"points2d", "exact_log_density"}},
          {"gaussian", "N(data.mean, data.covariance)", {"data.mean", "data.covariance"}, {},
           {}, {}, {}, {"points2d", "exact_log_density"}},
          {"eight_gaussians", "8 Gaussians on a circle of radius 4/sqrt(2) (FFJORD)",
           {"data.noise"}, {}, {{"data.noise", "0.35355339059327373"}}, {}, {},
           {"points2d", "exact_log_density"}},
          {"two_moons", "two interleaved half circles (sklearn make_moons, rescaled)",
           {"data.noise"}, {}, {{"data.noise", "0.1"}}, {}, {}, {"points2d"}},
          {"circles", "two concentric circles of radii 3 and 1.5 (sklearn make_circles)",
           {"data.noise"}, {}, {{"data.noise", "0.08"}}, {}, {}, {"points2d"}},
          {"spirals", "two interleaved spirals (FFJORD 2spirals)", {"data.noise"}, {},
           {{"data.noise", "0.1"}}, {}, {}, {"points2d"}},
          {"pinwheel", "5 curved blades (FFJORD pinwheel)", {"data.noise"}, {},
           {{"data.noise", "0.1"}}, {}, {}, {"points2d"}},
          {"swiss_roll", "sklearn's swiss roll seen along its axis, / 5", {"data.noise"}, {},
           {{"data.noise", "1"}}, {}, {}, {"points2d"}},
          {"points", "your own 2D points from data.file (.npy [N, 2] or .csv)",
           {"data.file", "data.noise"}, {"data.file"}, {{"data.noise", "0"}}, {}, {},
           {"points2d"}},
      });
  return registry;
}

}  // namespace flowscope
