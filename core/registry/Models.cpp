// model.name and the MLP's own choices (Appendix E; core/models/ModelFactory.cpp).

#include "core/registry/Registries.h"

namespace flowscope {

const Registry& modelRegistry() {
  static const Registry registry(
      "model.name", "models",
      {
          {"mlp", "time-conditioned MLP on [x, embed(t)] (TimeMLP, Appendix E)",
           {"model.width", "model.depth", "model.activation", "model.time_embedding"}},
          {"unet", "the ADM U-Net of Dhariwal & Nichol 2021 (AdmUNet, Table 3) on images",
           {"model.preset", "model.channels", "model.res_blocks", "model.groups", "model.dropout",
            "model.time_scale", "model.classes"},
           {}, {}, {}, {{"data.name", {}, {"images"}, "a U-Net takes images"}}, {}},
      });
  return registry;
}

const Registry& unetPresetRegistry() {
  static const Registry registry(
      "model.preset", "U-Net presets",
      {
          {"fashion_mnist28", "28x28x1 on a CPU: 32 channels, 1 ResBlock, mult 1,2,2, attention "
                              "at 7 px, 8 groups (1.19 M parameters)"},
          {"cifar10", "Table 3 CIFAR-10: 256 channels, 2 ResBlocks, mult 1,2,2,2, attention at 16 "
                      "px, 4 heads of 64 (153.1 M)"},
          {"imagenet32", "Table 3 ImageNet-32: 256, 3 ResBlocks, 1,2,2,2, attention at 16 and 8 "
                         "px, ResBlock resampling (228.1 M)"},
          {"imagenet64", "Table 3 ImageNet-64: 192, 3 ResBlocks, 1,2,3,4, attention at 32, 16, 8 "
                         "px (295.1 M)"},
          {"imagenet128", "Table 3 ImageNet-128: 256, 3 ResBlocks, 1,1,2,3,4, attention at 32, "
                          "16, 8 px (542.8 M)"},
      });
  return registry;
}

const Registry& activationRegistry() {
  static const Registry registry("model.activation", "activations",
                                 {
                                     {"silu", "x sigmoid(x)"},
                                     {"relu", "max(x, 0)"},
                                     {"gelu", "x Phi(x)"},
                                     {"tanh", "tanh(x)"},
                                     {"softplus", "log(1 + exp(x))"},
                                 });
  return registry;
}

const Registry& timeEmbeddingRegistry() {
  static const Registry registry(
      "model.time_embedding", "time embeddings",
      {
          {"fourier", "[t, sin(k pi t), cos(k pi t)], k = 1..time_frequencies",
           {"model.time_frequencies"}},
          {"concat", "[t] appended to x"},
      });
  return registry;
}

}  // namespace flowscope
