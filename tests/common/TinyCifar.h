#pragma once
// A tiny CIFAR-10 binary folder the tests write themselves (torch-free): records of one label
// byte and 3 x 32 x 32 channel-planar pixels, class c a colour of its own (red, green, blue, ...)
// on a noisy grey background, so RGB images are learnable in a few steps and their colour shows.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace flowscope::test {

/// data_batch_1..5.bin and test_batch.bin with `perBatch` images each in `dir`.
inline void writeCifarFolder(const std::filesystem::path& dir, int perBatch) {
  std::filesystem::create_directories(dir);
  std::mt19937 rng(11);
  for (const std::string name : {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                                 "data_batch_5.bin", "test_batch.bin"}) {
    std::ofstream out(dir / name, std::ios::binary);
    for (int i = 0; i < perBatch; ++i) {
      const int c = i % 10;
      out.put(static_cast<char>(c));
      for (int ch = 0; ch < 3; ++ch) {
        const bool lit = ((c + 1) >> ch) & 1;  // 1: red, 2: green, 3: yellow, 4: blue, ...
        for (int p = 0; p < 32 * 32; ++p) out.put(static_cast<char>(lit ? 180 + rng() % 60 : 40 + rng() % 40));
      }
    }
  }
}

}  // namespace flowscope::test
