// training.precision: the number formats of the training step (core/train/Trainer.cpp applies
// them on the training thread; autocast state is thread-local).

#include "core/registry/Registries.h"

namespace flowscope {

const Registry& precisionRegistry() {
  static const Registry registry(
      "training.precision", "precision policies",
      {
          {"fp32", "float32 everywhere (TF32 off on CUDA)"},
          {"tf32", "CUDA: float32 storage, matrix products and convolutions in TF32 (10-bit mantissa); "
                   "on the CPU the same as fp32"},
          {"bf16", "autocast to bfloat16 for the forward pass and loss (matrix products, convolutions) "
                   "on CUDA and CPU; float32 weights, gradients, optimizer and EMA"},
      });
  return registry;
}

}  // namespace flowscope
