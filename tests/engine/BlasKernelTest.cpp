// The BLAS kernel choice: which OpenBLAS core type for which CPU, and the sgemm self-check that
// keeps a wrong kernel from ever computing silently wrong numbers.

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/util/BlasKernel.h"
#include "core/util/CpuFeatures.h"

namespace flowscope {
namespace {

CpuFeatures avx2Cpu() {
  CpuFeatures f;
  f.avx = f.avx2 = f.fma = f.osAvx = true;
  return f;
}

CpuFeatures avx512Cpu() {
  CpuFeatures f = avx2Cpu();
  f.avx512f = f.avx512dq = f.avx512cd = f.avx512bw = f.avx512vl = f.osAvx512 = true;
  return f;
}

TEST(BlasKernel, PicksTheWidestKernelTheCpuAndOsAllow) {
  EXPECT_EQ(bestOpenBlasCoreType(CpuFeatures{}), "");
  EXPECT_EQ(bestOpenBlasCoreType(avx2Cpu()), "Haswell");
  EXPECT_EQ(bestOpenBlasCoreType(avx512Cpu()), "SkylakeX");
  CpuFeatures bf16 = avx512Cpu();
  bf16.avx512bf16 = true;
  EXPECT_EQ(bestOpenBlasCoreType(bf16), "Cooperlake");
  // AVX-512 in the CPU but not enabled by the OS (XCR0): running AVX-512 code would fault.
  CpuFeatures noOsState = avx512Cpu();
  noOsState.osAvx512 = false;
  EXPECT_EQ(bestOpenBlasCoreType(noOsState), "Haswell");
  CpuFeatures noYmm = avx512Cpu();
  noYmm.osAvx = false;
  EXPECT_EQ(bestOpenBlasCoreType(noYmm), "");
}

TEST(BlasKernel, RanksCoreTypesByVectorWidth) {
  EXPECT_LT(openBlasCoreRank("Prescott"), openBlasCoreRank("Sandybridge"));
  EXPECT_LT(openBlasCoreRank("Sandybridge"), openBlasCoreRank("Haswell"));
  EXPECT_LT(openBlasCoreRank("Haswell"), openBlasCoreRank("SkylakeX"));
  EXPECT_EQ(openBlasCoreRank("NoSuchCore"), -1);
}

// Column-major reference sgemm for "N","N"; `flaw` perturbs one output element.
int flaw = -1;
void naiveSgemm(const char*, const char*, const int* m, const int* n, const int* k,
                const float* alpha, const float* a, const int* lda, const float* b,
                const int* ldb, const float* beta, float* c, const int* ldc) {
  for (int j = 0; j < *n; ++j)
    for (int i = 0; i < *m; ++i) {
      float sum = 0;
      for (int p = 0; p < *k; ++p) sum += a[i + p * *lda] * b[p + j * *ldb];
      float& out = c[i + j * *ldc];
      out = *alpha * sum + *beta * out;
      if (flaw == i + j * *m) out += 1e-2f * (1 + std::fabs(out));  // a wrong kernel: ~1% off
    }
}

TEST(BlasKernel, SelfCheckAcceptsACorrectSgemmAndCatchesOneWrongElement) {
  flaw = -1;
  EXPECT_TRUE(sgemmSelfCheck(&naiveSgemm));
  for (int where : {0, 66, 67 * 53 - 1}) {  // first, an edge row, the last element
    flaw = where;
    EXPECT_FALSE(sgemmSelfCheck(&naiveSgemm)) << "flaw at " << where;
  }
  flaw = -1;
  EXPECT_FALSE(sgemmSelfCheck(nullptr));
}

TEST(BlasKernel, TheLoadedBlasPassesTheSelfCheck) {
  torch::mm(torch::ones({4, 4}), torch::ones({4, 4}));  // LibTorch has loaded its BLAS
  const auto sgemm = reinterpret_cast<SgemmFn>(::dlsym(RTLD_DEFAULT, "sgemm_"));
  if (!sgemm) GTEST_SKIP() << "LibTorch's BLAS exports no sgemm_ (not a Fortran-ABI BLAS)";
  EXPECT_TRUE(sgemmSelfCheck(sgemm)) << blasKernel().describe();
}

TEST(CpuFeatures, ImpliedFeaturesAreConsistent) {
  const CpuFeatures& f = cpuFeatures();
  if (f.usableAvx512()) {
    EXPECT_TRUE(f.usableAvx2());
  }
  if (f.osAvx512) {
    EXPECT_TRUE(f.osAvx);  // ZMM state includes YMM state
  }
#if defined(__x86_64__)
  EXPECT_FALSE(f.vendor.empty());
  EXPECT_EQ(__builtin_cpu_supports("avx2") != 0, f.avx2);  // the compiler runtime's own CPUID reading
  EXPECT_EQ(__builtin_cpu_supports("avx512f") != 0, f.avx512f && f.osAvx512);
#endif
}

}  // namespace
}  // namespace flowscope
