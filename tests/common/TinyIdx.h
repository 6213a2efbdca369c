#pragma once
// A tiny MNIST-layout dataset the tests write themselves (torch-free, for engine and GUI tests):
// class c is a bright horizontal band at rows 2c..2c+5 on a dark, slightly noisy background, so it
// is learnable in a few steps and the class is visible.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace flowscope::test {

inline void writeBigEndian(std::ofstream& out, uint32_t v) {
  const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                     static_cast<char>(v)};
  out.write(b, 4);
}

/// train-* and t10k-* IDX files of `n` 28x28 images each in `dir`.
inline void writeIdxFolder(const std::filesystem::path& dir, int n) {
  std::filesystem::create_directories(dir);
  std::mt19937 rng(7);
  for (const std::string prefix : {"train", "t10k"}) {
    std::ofstream images(dir / (prefix + "-images-idx3-ubyte"), std::ios::binary);
    std::ofstream labels(dir / (prefix + "-labels-idx1-ubyte"), std::ios::binary);
    writeBigEndian(images, 0x803);
    writeBigEndian(images, static_cast<uint32_t>(n));
    writeBigEndian(images, 28);
    writeBigEndian(images, 28);
    writeBigEndian(labels, 0x801);
    writeBigEndian(labels, static_cast<uint32_t>(n));
    for (int i = 0; i < n; ++i) {
      const int c = i % 10;
      labels.put(static_cast<char>(c));
      for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x) {
          const bool band = y >= 2 * c && y < 2 * c + 6;
          images.put(static_cast<char>(band ? 200 + rng() % 50 : rng() % 30));
        }
    }
  }
}

}  // namespace flowscope::test
