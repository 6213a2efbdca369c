// data.name: the target distributions q(x1) (docs/datasets.md). The engine builds the 2D ones in
// core/data/DatasetFactory.cpp and reads the image ones in core/data/ImageDatasets.cpp. Tags:
// "points2d" (samples are [N, 2] points), "exact_log_density" (Dataset2D::hasLogDensity() with
// the default settings) and "images" (C x H x W images with labels, read from data.root).

#include "core/registry/Registries.h"

namespace flowscope {
namespace {

const std::vector<std::string> kImageKeys{"data.root", "data.flip", "data.dequantize",
                                          "data.limit", "data.loader_threads", "evaluation.classifier"};

}  // namespace

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
          {"fashion_mnist", "Fashion-MNIST, 28x28 grey, 10 classes (IDX, gzip or raw)",
           kImageKeys, {}, {{"data.root", "/usr/share/datasets/fashion-mnist"}}, {}, {},
           {"images"}},
          {"mnist", "MNIST digits, 28x28 grey, 10 classes (IDX, gzip or raw)", kImageKeys,
           {"data.root"}, {}, {}, {}, {"images"}},
          {"cifar10", "CIFAR-10 binary batches, 32x32 RGB, 10 classes", kImageKeys, {"data.root"},
           {}, {}, {}, {"images"}},
          {"imagenet32", "downsampled ImageNet 32x32 (Chrabaszcz et al. 2017, .npz), 1000 classes",
           kImageKeys, {"data.root"}, {}, {}, {}, {"images"}},
          {"imagenet64", "downsampled ImageNet 64x64 (Chrabaszcz et al. 2017, .npz), 1000 classes",
           kImageKeys, {"data.root"}, {}, {}, {}, {"images"}},
          {"image_folder", "PNG/JPEG files, centre-cropped and resized; a class per sub-folder",
           {"data.root", "data.flip", "data.dequantize", "data.limit", "data.loader_threads",
            "data.image_size", "data.resize_filter", "data.class_subfolders", "evaluation.classifier"},
           {"data.root"}, {}, {}, {}, {"images"}},
      });
  return registry;
}

const Registry& resizeFilterRegistry() {
  static const Registry registry("data.resize_filter", "resize filters",
                                 {
                                     {"nearest", "the nearest source pixel"},
                                     {"bilinear", "linear in x and y (no antialiasing)"},
                                     {"area", "the mean over each output pixel's footprint"},
                                 });
  return registry;
}

}  // namespace flowscope
