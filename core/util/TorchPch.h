#pragma once
// Precompiled header for engine translation units: <torch/torch.h> costs ~15 s per TU otherwise.
#include <torch/torch.h>
