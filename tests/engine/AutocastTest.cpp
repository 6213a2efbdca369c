// AutocastScope: lower-precision matmuls inside, the previous state after, nesting, and state that
// belongs to the calling thread only (the reason a worker must set it itself).

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <thread>

#include "core/util/Autocast.h"

using flowscope::AutocastScope;
using flowscope::autocastEnabled;

TEST(AutocastScope, CastsMatmulsInsideOnlyAndOnThisThreadOnly) {
  const auto a = torch::randn({8, 8}), b = torch::randn({8, 8});
  ASSERT_FALSE(autocastEnabled(torch::kCPU));
  EXPECT_EQ(torch::mm(a, b).scalar_type(), torch::kFloat32);
  {
    AutocastScope bf16(torch::kCPU, torch::kBFloat16);
    EXPECT_TRUE(autocastEnabled(torch::kCPU));
    EXPECT_EQ(torch::mm(a, b).scalar_type(), torch::kBFloat16);
    torch::ScalarType onOtherThread = torch::kBFloat16;
    std::thread([&] { onOtherThread = torch::mm(a, b).scalar_type(); }).join();
    EXPECT_EQ(onOtherThread, torch::kFloat32);  // thread-local: the other thread never saw it
    {
      AutocastScope inner(torch::kCPU, torch::kBFloat16);
      EXPECT_EQ(torch::mm(a, b).scalar_type(), torch::kBFloat16);
    }
    EXPECT_TRUE(autocastEnabled(torch::kCPU));  // the inner scope restored the outer one
  }
  EXPECT_FALSE(autocastEnabled(torch::kCPU));
  EXPECT_EQ(torch::mm(a, b).scalar_type(), torch::kFloat32);
}
