// The TorchScript Inception path of FID, with a stand-in module of the same interface
// (forward(uint8 [N, 3, H, W], return_features) -> [N, D]) compiled here: the images reach it as
// the exact 8-bit pixels, gray is repeated over 3 channels, and bad files are named errors.

#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/images/Preprocess.h"
#include "core/metrics/FrechetDistance.h"
#include "core/metrics/InceptionFeatures.h"
#include "core/util/Error.h"

using namespace flowscope;

namespace {

std::string tempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("flowscope-inc-" + name + "-" + std::to_string(::getpid()))).string();
}

/// A module that fails unless given uint8 [N, 3, H, W] and return_features=True, and returns
/// per-channel sums of the pixel values and the first pixel: [N, 6].
std::string writeStandIn() {
  torch::jit::Module m("StandIn");
  m.define(R"(
def forward(self, img, return_features: bool = False):
    assert img.dtype == 0  # torch.uint8 (ScalarType::Byte)
    assert img.size(1) == 3
    assert return_features
    x = img.double()
    return torch.cat([x.sum(dim=[2, 3]), x[:, :, 0, 0]], 1)
)");
  const std::string path = tempPath("standin.pt");
  m.save(path);
  return path;
}

}  // namespace

TEST(InceptionFeatures, FeedsTheExactEightBitPixelsAndRepeatsGray) {
  const std::string path = writeStandIn();
  InceptionFeatures inc(path);
  // Gray images at pixel-bin centres: the module must see the original bytes on all 3 channels.
  std::vector<uint8_t> bytes(5 * 4 * 4);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>((i * 37) % 256);
  torch::Tensor gray = torch::empty({5, 1, 4, 4});
  pixelsToCentered(bytes.data(), bytes.size(), gray.data_ptr<float>());
  const torch::Tensor f = inc.features(gray, /*batchSize=*/2);  // three batches: 2, 2, 1
  ASSERT_EQ(f.sizes(), (torch::IntArrayRef{5, 6}));
  for (int64_t n = 0; n < 5; ++n) {
    double sum = 0;
    for (int k = 0; k < 16; ++k) sum += bytes[static_cast<size_t>(n * 16 + k)];
    for (int c = 0; c < 3; ++c) {
      EXPECT_EQ(f[n][c].item<double>(), sum);
      EXPECT_EQ(f[n][3 + c].item<double>(), bytes[static_cast<size_t>(n * 16)]);
    }
  }
  // FD of a set against itself in these features is 0.
  const FeatureStats s = featureStats(f.to(torch::kFloat64));
  EXPECT_NEAR(frechetDistance(s, s), 0.0, 1e-6);
  std::filesystem::remove(path);
}

TEST(InceptionFeatures, MissingOrForeignFilesAreNamedErrors) {
  const std::string missing = tempPath("missing.pt");
  try {
    InceptionFeatures inc(missing);
    FAIL();
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos);
  }
  const std::string junk = tempPath("junk.pt");
  std::ofstream(junk) << "not a zip archive";
  EXPECT_THROW(InceptionFeatures{junk}, FileError);
  std::filesystem::remove(junk);
  // A module whose forward rejects the input: an InputError naming the file, not a crash.
  torch::jit::Module m("Bad");
  m.define(R"(
def forward(self, img, return_features: bool = False):
    assert img.dtype == 6  # torch.float32
    return img
)");
  const std::string bad = tempPath("bad.pt");
  m.save(bad);
  InceptionFeatures inc(bad);
  EXPECT_THROW(inc.features(torch::zeros({2, 3, 4, 4})), InputError);
  EXPECT_THROW(inc.features(torch::zeros({2, 2, 4, 4})), InputError);
  std::filesystem::remove(bad);
}
