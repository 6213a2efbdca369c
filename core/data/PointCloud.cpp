#include "core/data/PointCloud.h"

#include "core/data/DatasetFactory.h"
#include "core/io/Csv.h"
#include "core/io/Npy.h"
#include "core/util/Error.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>

namespace flowscope {

namespace {

constexpr double kPadding = 0.1;  // fraction of the data range added on each side of bounds()

std::string lowercaseExtension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

[[noreturn]] void fileError(const std::string& file, const std::string& problem) {
  throw ConfigError("data.file", "data.file: " + file + " " + problem);
}

torch::Tensor readNpyPoints(const std::string& file, const std::string& path) {
  NpyArray array = readNpy(path);
  if (array.shape.size() != 2 || array.shape[1] != 2) {
    std::ostringstream shape;
    shape << "[";
    for (size_t i = 0; i < array.shape.size(); ++i) shape << (i ? ", " : "") << array.shape[i];
    shape << "]";
    fileError(file, "has shape " + shape.str() + " (expected [N, 2])");
  }
  const int64_t n = array.shape[0];
  if (static_cast<int64_t>(array.data.size()) != n * 2) {
    fileError(file, "holds " + std::to_string(array.data.size()) + " values for shape [" +
                        std::to_string(n) + ", 2] (expected " + std::to_string(n * 2) + ")");
  }
  return torch::from_blob(array.data.data(), {n, 2}, torch::kFloat32).clone();
}

torch::Tensor readCsvPoints(const std::string& file, const std::string& path) {
  const CsvTable table = readCsvNumbers(path);
  const auto n = static_cast<int64_t>(table.rows.size());
  torch::Tensor points = torch::empty({n, 2}, torch::kFloat32);
  auto acc = points.accessor<float, 2>();
  for (int64_t i = 0; i < n; ++i) {
    const auto& row = table.rows[static_cast<size_t>(i)];
    if (row.size() != 2) {
      fileError(file, "has " + std::to_string(row.size()) + " columns in data row " +
                          std::to_string(i + 1) + " (expected 2 columns: x, y)");
    }
    acc[i][0] = static_cast<float>(row[0]);
    acc[i][1] = static_cast<float>(row[1]);
  }
  return points;
}

}  // namespace

PointCloud::PointCloud(const torch::Tensor& points, double noise, std::string source)
    : noise_(noise) {
  checkNoise(noise);
  if (points.dim() != 2 || points.size(1) != 2) {
    std::ostringstream s;
    s << "has shape " << points.sizes() << " (expected [N, 2])";
    fileError(source, s.str());
  }
  const int64_t n = points.size(0);
  if (n < 2) {
    fileError(source, "has " + std::to_string(n) + (n == 1 ? " point" : " points") +
                          " (expected at least 2)");
  }
  // float32 first: a finite float64 such as 1e300 would become inf.
  points_ = points.to(torch::kCPU, torch::kFloat32).contiguous();
  const torch::Tensor bad = points_.isfinite().all(1).logical_not().nonzero();
  if (bad.size(0) > 0) {
    const int64_t row = bad[0][0].item<int64_t>();
    std::ostringstream s;
    s << "has a non-finite value in point " << row + 1 << " (" << points_[row][0].item<float>()
      << ", " << points_[row][1].item<float>() << "; expected finite numbers)";
    fileError(source, s.str());
  }

  const torch::Tensor lo = points_.amin(0).to(torch::kFloat64);
  const torch::Tensor hi = points_.amax(0).to(torch::kFloat64);
  const double xmin = lo[0].item<double>(), xmax = hi[0].item<double>();
  const double ymin = lo[1].item<double>(), ymax = hi[1].item<double>();
  // A degenerate axis (all points on a line) borrows the other axis' range so plots keep a size.
  double wx = xmax - xmin, wy = ymax - ymin;
  if (wx <= 0.0) wx = wy > 0.0 ? wy : 1.0;
  if (wy <= 0.0) wy = wx;
  const double px = kPadding * wx + 4.0 * noise_, py = kPadding * wy + 4.0 * noise_;
  bounds_ = {xmin - px, xmax + px, ymin - py, ymax + py};
}

std::unique_ptr<PointCloud> PointCloud::fromFile(const std::string& file,
                                                 const std::string& baseDir, double noise) {
  if (file.empty()) {
    throw ConfigError("data.file",
                      "data.file is empty (expected a .npy or .csv file of 2D points)");
  }
  std::filesystem::path path(file);
  if (path.is_relative() && !baseDir.empty()) path = std::filesystem::path(baseDir) / path;
  const std::string ext = lowercaseExtension(path);
  if (ext != ".npy" && ext != ".csv") {
    fileError(file, "has extension '" + path.extension().string() +
                        "' (expected .npy or .csv)");
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    fileError(file, "was not found at " + path.string() + " (expected a .npy or .csv file)");
  }
  torch::Tensor points;
  try {
    points = ext == ".npy" ? readNpyPoints(file, path.string()) : readCsvPoints(file, path.string());
  } catch (const FileError& e) {
    // Re-keyed so the GUI can mark the data.file field; the reader's message names the path.
    throw ConfigError("data.file", std::string("data.file: ") + e.what());
  }
  return std::make_unique<PointCloud>(points, noise, file);
}

torch::Tensor PointCloud::sample(int64_t n, at::Generator& gen) const {
  TORCH_CHECK(n >= 0, name(), ": sample count n = ", n, " is negative (expected n >= 0)");
  const torch::Tensor index = torch::randint(0, points_.size(0), {n}, gen);
  torch::Tensor x = points_.index_select(0, index);
  if (noise_ > 0.0) x = x + torch::randn({n, 2}, gen) * noise_;
  return x;
}

}  // namespace flowscope
