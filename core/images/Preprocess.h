#pragma once
// From uint8 pixels to the [-1, 1] floats the models see, as in the paper (Lipman et al. 2023,
// Appendix C, eq. 36-37, and Appendix E.2): pixel values k in {0..255} are mapped by
// phi^{-1}(x) = x / 2^7 - 1, i.e. y = 2 (k + u) / 256 - 1, with
//   - uniform dequantization, u ~ U[0, 1) per dimension, for training and for likelihoods: a
//     density on [-1, 1)^d then bounds the discrete data's log-probability (eq. 47, K = 1), and
//   - u = 1/2 (no noise; the centre of pixel k's bin) for deterministic evaluation and display.
// The change of variables costs log |det D phi^{-1}| = -7 log 2 = -log 128 nats per dimension:
// log p(x) = log p_model(phi^{-1}(x)) - 7 d log 2 (eq. 36), which is +7 bits per dimension in
// BPD = -log2 p(x) / d (eq. 37). core/likelihood/BitsPerDim uses the same map and offset.
//
// Randomness is a std::mt19937_64 the caller seeds; u is drawn as 53 bits of one draw (not
// std::uniform_real_distribution, whose algorithm differs between standard libraries), so a
// seed gives the same floats everywhere.

#include <cstddef>
#include <cstdint>
#include <random>

#include "core/images/ImageSet.h"

namespace flowscope {

/// y = 2 (k + 0.5) / 256 - 1: the centre of each pixel's bin, in (-1, 1).
void pixelsToCentered(const uint8_t* pixels, size_t n, float* out);

/// y = 2 (k + u) / 256 - 1 with u ~ U[0, 1) drawn from `rng` per value, in order; always < 1
/// (a value that would round up to 1.0f in float is the largest float below 1).
void pixelsToDequantized(const uint8_t* pixels, size_t n, float* out, std::mt19937_64& rng);

/// One U[0, 1) draw with 53 random bits, the same on every platform.
double uniform01(std::mt19937_64& rng);

/// The eq. 36 term per dimension: log |det D phi^{-1}| = -7 log 2 = -log 128 (nats).
double dequantLogDetPerDim();
/// The eq. 36 term for `dims` dimensions: -7 * dims * log 2 (nats); log p(x) = log p_model + this.
double dequantLogDet(int64_t dims);
/// What eq. 36 adds to bits per dimension: +7 (BPD = -log p_model / (d log 2) + 7).
double bitsPerDimOffset();

/// Mirrors a C x H x W image left-right in place.
void flipHorizontal(float* image, int64_t channels, int64_t height, int64_t width);

struct PreprocessOptions {
  bool dequantize = true;  ///< u ~ U[0,1) (training, likelihood) or u = 1/2 (evaluation, display)
  bool randomFlip = false; ///< mirror each image left-right with probability 1/2
};

/// Images `indices[0..count)` of `set` as floats into out[count * C*H*W], in that order. The
/// draws from `rng` per image are: the flip coin (when randomFlip), then one u per value (when
/// dequantize). Throws InputError for an index outside the set.
void preprocessBatch(const ImageSet& set, const int64_t* indices, size_t count, float* out,
                     const PreprocessOptions& options, std::mt19937_64& rng);

}  // namespace flowscope
