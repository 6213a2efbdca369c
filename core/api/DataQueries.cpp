// Dataset access for the views and the data editor (core/api/Queries.h).

#include <torch/torch.h>

#include "core/api/Queries.h"
#include "core/data/Dataset2D.h"
#include "core/registry/Registries.h"
#include "core/io/Npy.h"
#include "core/train/TrainedFlow.h"
#include "core/paths/PathFactory.h"
#include "core/util/Error.h"
#include "core/util/Random.h"

namespace flowscope {

std::vector<float> sampleData(const DataConfig& data, int64_t n, uint64_t seed) {
  at::Generator gen = makeGenerator(seed);
  const torch::Tensor x = makeDataset(data)->sample(n, gen).contiguous();
  return std::vector<float>(x.data_ptr<float>(), x.data_ptr<float>() + x.numel());
}

bool isPointData(const DataConfig& data) {
  const Choice* c = datasetRegistry().find(data.name);
  return c && c->hasTag("points2d");
}

ViewBounds dataBounds(const DataConfig& data) {
  const Bounds2D b = makeDataset(data)->bounds();
  return {b.xmin, b.xmax, b.ymin, b.ymax};
}

std::pair<double, double> pathTimeRange(const PathConfig& path) {
  const auto p = makePath(path);
  return {p->tMin(), p->tMax()};
}

void writePoints(const std::string& path, const std::vector<float>& xy) {
  if (xy.size() % 2 != 0) throw InputError(path + ": odd number of coordinates");
  writeNpy(path, {static_cast<int64_t>(xy.size() / 2), 2}, xy.data());
}

}  // namespace flowscope
