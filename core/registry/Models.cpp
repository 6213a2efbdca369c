// model.name and the MLP's own choices (Appendix E; core/models/ModelFactory.cpp).

#include "core/registry/Registries.h"

namespace flowscope {

const Registry& modelRegistry() {
  static const Registry registry(
      "model.name", "models",
      {
          {"mlp", "time-conditioned MLP on [x, embed(t)] (TimeMLP, Appendix E)",
           {"model.width", "model.depth", "model.activation", "model.time_embedding"}},
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
