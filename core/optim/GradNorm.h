#pragma once
// Gradient-norm clipping without a host read (LibTorch's clip_grad_norm_ returns a double, which
// syncs the device and cannot be captured in a CUDA graph): the total norm and the scale stay
// device tensors.

#include <torch/types.h>

#include <vector>

namespace flowscope {

/// Scales the gradients so that their joint L2 norm is at most `maxNorm` (as
/// torch.nn.utils.clip_grad_norm_: scale = min(1, maxNorm / (norm + 1e-6))). Returns the norm
/// before clipping as a 0-dim device tensor.
torch::Tensor clipGradNorm(const std::vector<torch::Tensor>& parameters, double maxNorm);

}  // namespace flowscope
