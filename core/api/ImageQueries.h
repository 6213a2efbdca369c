#pragma once
// What the image views draw, computed by the engine and returned as plain values (torch-free),
// like core/api/Queries.h for points. Every function is safe to call from a worker thread and
// takes a cancel flag: a newer request supersedes an older one.
//
//   ImageNoise noise{16, /*seed*/ 7};
//   ImagePath path = computeImagePath(*model, noise, 33, {"midpoint", 50}, true);
//   std::vector<float> frame;
//   path.framesAt(0.5, ImageKind::State, frame);  // [16][C][H][W], interpolated, no network call
//
// The noise of sample i depends only on (seed, i) and the image shape, so every run with that
// shape (OT, VP, DDPM, score matching; any checkpoint) starts sample i from the same x0.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/api/FlowModel.h"
#include "core/api/Queries.h"

namespace flowscope {

/// One image's shape: channels, height, width.
struct ImageShape {
  int64_t channels = 0, height = 0, width = 0;
  int64_t size() const { return channels * height * width; }
  bool operator==(const ImageShape& o) const {
    return channels == o.channels && height == o.height && width == o.width;
  }
};

/// Whether the experiment's data are images (views for points skip those runs) and their shape.
bool isImageData(const DataConfig& data);
ImageShape imageShapeOf(const DataConfig& data);
/// Class names of the dataset (empty when unlabelled), for the class pickers.
std::vector<std::string> imageClassNames(const DataConfig& data);
/// The classes a conditional model knows (0: unconditional).
int64_t modelClasses(const FlowModel& model);

/// Which noise the views start from, and the class condition (Appendix E, guidance).
struct ImageNoise {
  int64_t count = 16;
  uint64_t seed = 0;
  /// Empty: unconditional. One label: every sample. Otherwise one per sample.
  std::vector<int64_t> labels;
  double guidance = 1.0;  ///< classifier-free guidance scale w (with labels)
};

/// Images as plain values: [count][C][H][W] in the model's data scale (about [-1, 1]).
struct ImageBatch {
  ImageShape shape;
  int64_t count = 0;
  std::vector<float> pixels;
  int64_t nfe = 0;
  const float* image(int64_t i) const { return pixels.data() + i * shape.size(); }
};

enum class ImageKind {
  State,      ///< x_t on the ODE path
  Predicted,  ///< the model's prediction of x1 at t (OT: x + (1 - t) v; eq. 20-21 in general)
};

/// Images at many times along the ODE path from one solve (Figure 6): scrubbing t interpolates.
struct ImagePath {
  uint64_t modelId = 0;
  int64_t step = 0;
  ImageShape shape;
  int64_t count = 0;
  std::vector<double> times;      ///< T increasing, tMin .. tMax
  std::vector<float> states;      ///< [T][N][C][H][W]
  std::vector<float> predicted;   ///< [T][N][C][H][W]; empty unless asked for
  int64_t nfe = 0;                ///< of the solve
  bool complete = false;

  int64_t frameSize() const { return count * shape.size(); }
  bool hasPrediction() const { return !predicted.empty(); }
  /// All N images at time t (clamped to the stored range), linearly interpolated between the
  /// two nearest stored times: [N][C][H][W].
  void framesAt(double t, ImageKind kind, std::vector<float>& out) const;
  /// Image i at stored time index k.
  const float* at(size_t k, int64_t i, ImageKind kind = ImageKind::State) const;
};

/// Solves noise.count images from noise.seed with `solver` and stores them at `timeCount`
/// evenly spaced times over the model's range; with `predictData`, also the model's prediction
/// of x1 at each stored time (one more network evaluation per time, counted apart from nfe).
/// Returns early with complete = false when `cancel` is set. Throws InputError on bad arguments.
ImagePath computeImagePath(const FlowModel& model, const ImageNoise& noise, int timeCount,
                           const SolverSpec& solver, bool predictData,
                           const std::atomic<bool>* cancel = nullptr);

/// The end points of one solve (t = tMax) from the same noise; nfe in the batch.
ImageBatch sampleImages(const FlowModel& model, const ImageNoise& noise, const SolverSpec& solver,
                        const std::atomic<bool>* cancel = nullptr);

/// The same noise at increasing NFE (Figures 16-17), each column against a high-accuracy reference.
struct ImageNfeStrip {
  uint64_t modelId = 0;
  std::string solver;            ///< the fixed-step method of the columns
  std::vector<int64_t> nfe;      ///< per column: what each solve used
  std::vector<ImageBatch> columns;
  std::vector<std::vector<double>> mse;  ///< [column][image]: per-pixel MSE to the reference
  std::vector<double> meanMse;           ///< [column]
  ImageBatch reference;          ///< `referenceSolver`'s solution from the same noise
  std::string referenceLabel;    ///< e.g. "rk4 250 (1000 NFE)"
  ImageBatch adaptive;           ///< dopri5 at `adaptiveTol`, empty when not asked for
  std::vector<double> adaptiveMse;
  bool complete = false;
};

/// For each NFE budget in `nfes`, solves with `solver` (euler | midpoint | heun | rk4) in as many
/// steps as fit the budget (at least one); adds dopri5 at `adaptiveTol` when it is > 0.
/// `partial` receives the strip after each column. Throws InputError on bad arguments.
ImageNfeStrip computeImageNfeStrip(const FlowModel& model, const ImageNoise& noise,
                                   const std::string& solver, const std::vector<int>& nfes,
                                   const SolverSpec& referenceSolver, double adaptiveTol,
                                   const std::function<void(const ImageNfeStrip&)>& partial = {},
                                   const std::atomic<bool>* cancel = nullptr);

/// The 8-bit pixel of a value in [-1, 1], as the CLI's PNG grids write it (the inverse of
/// Appendix E's pixel map, eq. 37; core/images/ImageGrid.h): views and exports agree with it.
uint8_t imageByte(float value);

/// A page of a dataset for the data browser: images first .. first + count - 1 of `split`
/// ("train" or "test") in the data scale (bin centres, no dequantization noise), keeping only
/// class `classFilter` when it is >= 0, with their labels (empty when the format has none) and
/// how many images match in all. The split's images stay cached until another dataset or split
/// is asked for, so paging does not re-read the files. Throws ConfigError/FileError naming the key
/// or file.
struct DatasetPage {
  ImageBatch images;
  std::vector<int64_t> labels;
  int64_t total = 0;
  std::string source;
};
DatasetPage datasetPage(const DataConfig& data, const std::string& split, int64_t first, int64_t count,
                        int64_t classFilter = -1);

/// Per-pixel mean squared error between image i of a and b (same shape).
double imageMse(const float* a, const float* b, int64_t size);

/// Spherical interpolation between two noise images (Shoemake's slerp): Gaussian noise keeps its
/// norm, which a straight line between two samples would shrink towards the middle. Returns
/// `steps` images from the noise of sample `from` to sample `to` of `seed`, solved to t = tMax.
ImageBatch interpolateNoise(const FlowModel& model, uint64_t seed, int64_t from, int64_t to, int steps,
                            const SolverSpec& solver, const std::atomic<bool>* cancel = nullptr);

}  // namespace flowscope
