#pragma once
// The hyper-parameters of the ADM U-Net (Dhariwal & Nichol 2021, openai/guided-diffusion's
// UNetModel) that the flow matching paper trains on images (Table 3). A plain, torch-free struct:
// the GUI and the config layer may include it. core/models/unet/AdmUNet.h builds the network.
//
// attentionResolutions are in PIXELS (16 = attention on the 16x16 feature maps). guided-diffusion's
// script_util takes "attention_resolutions" as pixels too and converts them to downsample factors
// (ds = image_size // res) before UNetModel sees them; facebookresearch/flow_matching's configs pass
// downsample factors directly, torchcfm passes pixels. Here it is pixels, always.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace flowscope {

/// A UNetConfig field that validate() rejects; field() is the member's name ("groups").
class UNetConfigError : public std::invalid_argument {
 public:
  UNetConfigError(std::string field, const std::string& message)
      : std::invalid_argument("UNetConfig." + field + ": " + message), field_(std::move(field)) {}
  const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

struct UNetConfig {
  int64_t inChannels = 3;       ///< image channels; the output has the same (learnSigma false)
  int64_t imageSize = 32;       ///< square resolution in pixels
  int64_t modelChannels = 128;  ///< base width; level l has modelChannels * channelMult[l]
  int64_t numResBlocks = 2;     ///< per level in the encoder; the decoder has one more per level
  std::vector<int64_t> channelMult{1, 2, 2, 2};  ///< one entry per level (resolution)
  std::vector<int64_t> attentionResolutions{16};  ///< in pixels (see above); the middle always has one
  int64_t numHeads = 1;          ///< heads per attention block, used when numHeadChannels == -1
  int64_t numHeadChannels = -1;  ///< channels per head (heads = channels / this); -1: use numHeads
  bool useNewAttentionOrder = false;  ///< false: QKVAttentionLegacy (split heads, then q,k,v)
  double dropout = 0.0;        ///< in the second half of every ResBlock
  int64_t groups = 32;         ///< GroupNorm groups; every level's channel count must divide by it
  bool useScaleShiftNorm = true;  ///< FiLM: GN(h) * (1 + scale) + shift; false: h + emb
  bool resblockUpdown = false;    ///< resample with ResBlock(up/down) instead of Upsample/Downsample
  bool convResample = true;       ///< Upsample/Downsample with a conv (else nearest / avg pool)
  int64_t numClasses = 0;  ///< 0: unconditional; else labels 0..numClasses-1 and numClasses = null
  bool learnSigma = false;  ///< guided-diffusion's doubled output; not used by flow matching: false
  /// t in [0, 1] is multiplied by this before the sinusoidal embedding, so the embedding sees the
  /// 0..1000 range of guided-diffusion's discrete timesteps.
  double timeScale = 1000.0;
  double maxPeriod = 10000.0;  ///< of the sinusoidal embedding (guided-diffusion's max_period)

  /// Throws UNetConfigError (a std::invalid_argument) naming the first offending field.
  void validate() const;

  int64_t levels() const { return static_cast<int64_t>(channelMult.size()); }
  int64_t timeEmbedDim() const { return 4 * modelChannels; }
  /// The feature-map side at `level` (imageSize / 2^level).
  int64_t resolutionAt(int64_t level) const { return imageSize >> level; }
  bool attentionAt(int64_t level) const;
  /// Heads of an attention block on `channels` channels.
  int64_t headsFor(int64_t channels) const;
  /// Trainable parameters of the network this config builds, counted without building it
  /// (tests/engine/UNetTest.cpp checks it against the built module). Call validate() first.
  int64_t parameterCount() const;

  // Presets. The four image rows of the flow matching paper's Table 3 (unconditional, dropout 0,
  // 4 heads of 64 channels, scale-shift norm), and a small CPU model for 28x28 grey images.
  static UNetConfig cifar10();
  static UNetConfig imagenet32();
  static UNetConfig imagenet64();
  static UNetConfig imagenet128();
  static UNetConfig fashionMnist28();
  /// The preset named cifar10 | imagenet32 | imagenet64 | imagenet128 | fashion_mnist28.
  static UNetConfig preset(const std::string& name);
  static std::vector<std::string> presetNames();
};

}  // namespace flowscope
