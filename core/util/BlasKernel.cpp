#include "core/util/BlasKernel.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace flowscope {

namespace {

// Set in the re-executed process: "forced" (our choice is active) or "fallback" (it failed the
// self-check; OpenBLAS's own choice is active again).
constexpr const char* kStageVar = "FLOWSCOPE_BLAS_STAGE";
constexpr const char* kDetectedVar = "FLOWSCOPE_BLAS_DETECTED";
constexpr const char* kCoreVar = "OPENBLAS_CORETYPE";

BlasKernelReport& report() {
  static BlasKernelReport r;
  return r;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

template <class Fn>
Fn symbol(const char* name) {
  return reinterpret_cast<Fn>(::dlsym(RTLD_DEFAULT, name));
}

std::string openBlasCall(const char* name) {
  auto fn = symbol<char* (*)()>(name);
  const char* s = fn ? fn() : nullptr;
  return s ? s : "";
}

void reexec(char** argv) {
  std::fflush(stdout);
  std::fflush(stderr);
  ::execv("/proc/self/exe", argv);
  // Only reached when exec failed: carry on with the kernel we have.
}

bool checkShape(SgemmFn sgemm, int m, int n, int k, uint32_t seed) {
  std::vector<float> a(static_cast<size_t>(m) * k), b(static_cast<size_t>(k) * n),
      c(static_cast<size_t>(m) * n, 0.f);
  uint32_t s = seed;
  auto next = [&s] {  // xorshift: deterministic values in [-1, 1)
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    return static_cast<float>(s & 0xffffff) / static_cast<float>(0x800000) - 1.f;
  };
  for (auto& v : a) v = next();
  for (auto& v : b) v = next();
  const float alpha = 1.f, beta = 0.f;
  sgemm("N", "N", &m, &n, &k, &alpha, a.data(), &m, b.data(), &k, &beta, c.data(), &m);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i) {
      double exact = 0, scale = 0;
      for (int p = 0; p < k; ++p) {
        const double term = static_cast<double>(a[i + static_cast<size_t>(p) * m]) *
                            b[p + static_cast<size_t>(j) * k];
        exact += term;
        scale += std::fabs(term);
      }
      // float accumulation over k terms errs by at most ~k * 6e-8 * sum|terms|; allow 16x that.
      if (!(std::fabs(c[i + static_cast<size_t>(j) * m] - exact) <= 1e-6 * k * scale + 1e-30))
        return false;
    }
  return true;
}

}  // namespace

int openBlasCoreRank(const std::string& core) {
  static const char* const order[] = {"Prescott", "Core2",  "Penryn",  "Dunnington", "Nehalem",
                                      "Barcelona", "Bulldozer", "Piledriver", "Steamroller",
                                      "Excavator", "Sandybridge", "Haswell", "Zen", "SkylakeX",
                                      "Cooperlake", "SapphireRapids"};
  int rank = 0;
  for (const char* name : order) {
    if (core == name) return rank;
    ++rank;
  }
  return -1;
}

std::string bestOpenBlasCoreType(const CpuFeatures& f) {
  if (f.usableAvx512()) return f.avx512bf16 ? "Cooperlake" : "SkylakeX";
  if (f.usableAvx2()) return "Haswell";
  return "";
}

bool sgemmSelfCheck(SgemmFn sgemm) {
  if (!sgemm) return false;
  // Odd sizes reach the edge kernels; 96 the full blocked micro-kernels.
  return checkShape(sgemm, 67, 53, 71, 12345u) && checkShape(sgemm, 96, 96, 96, 777u) &&
         checkShape(sgemm, 1, 33, 17, 99u);
}

std::string BlasKernelReport::describe() const {
  if (library.empty()) return "not OpenBLAS (kernel chosen by the library)";
  std::string s = "OpenBLAS " + (kernel.empty() ? std::string("(unknown kernel)") : kernel) +
                  " (chosen by " + chosenBy;
  if (!detected.empty()) s += "; OpenBLAS detected " + detected;
  if (!selfCheckPassed) s += "; SELF-CHECK FAILED";
  s += ")";
  if (!note.empty()) s += "; " + note;
  return s;
}

void selectBlasKernel(char** argv) {
  BlasKernelReport& r = report();
  r.library = openBlasCall("openblas_get_config");
  r.kernel = openBlasCall("openblas_get_corename");
  r.chosenBy = "OpenBLAS";
  if (r.library.empty()) return;
  const auto sgemm = symbol<SgemmFn>("sgemm_");
  const std::string stage = env(kStageVar);

  if (env("FLOWSCOPE_BLAS") == "off") {
    r.chosenBy = env(kCoreVar).empty() ? "OpenBLAS" : "user (OPENBLAS_CORETYPE)";
    r.note = "FLOWSCOPE_BLAS=off";
    return;
  }
  if (stage == "forced") {
    r.chosenBy = "FlowScope";
    r.detected = env(kDetectedVar);
    if (sgemmSelfCheck(sgemm)) return;
    // Never run with a kernel that computes wrong numbers: back to OpenBLAS's own choice.
    ::setenv(kStageVar, "fallback", 1);
    ::setenv(kDetectedVar, r.kernel.c_str(), 1);
    ::unsetenv(kCoreVar);
    reexec(argv);
    r.selfCheckPassed = false;
    r.note = "could not re-execute after the forced kernel failed its self-check";
    return;
  }
  if (stage == "fallback") {
    r.selfCheckPassed = sgemmSelfCheck(sgemm);
    r.note = "the " + env(kDetectedVar) + " kernel failed FlowScope's sgemm self-check";
    return;
  }
  if (!env(kCoreVar).empty()) {  // the user's choice stands; only say when it is wrong
    r.chosenBy = "user (OPENBLAS_CORETYPE)";
    r.selfCheckPassed = sgemmSelfCheck(sgemm);
    if (!r.selfCheckPassed)
      std::fprintf(stderr, "warning: OpenBLAS kernel %s (OPENBLAS_CORETYPE) fails FlowScope's "
                   "sgemm self-check; results may be wrong\n", r.kernel.c_str());
    return;
  }
  const std::string best = bestOpenBlasCoreType(cpuFeatures());
  const int have = openBlasCoreRank(r.kernel);
  // Replace only a pre-AVX fallback: that is OpenBLAS not recognising the CPU. A deliberate pick
  // (Zen kernels on an AVX-512 Zen 4, say) is the library's judgement and stays.
  if (best.empty() || have < 0 || have >= openBlasCoreRank("Sandybridge")) return;
  ::setenv(kCoreVar, best.c_str(), 1);
  ::setenv(kStageVar, "forced", 1);
  ::setenv(kDetectedVar, r.kernel.c_str(), 1);
  reexec(argv);
  ::unsetenv(kCoreVar);
  ::unsetenv(kStageVar);
  r.note = "could not re-execute with OPENBLAS_CORETYPE=" + best;
}

const BlasKernelReport& blasKernel() {
  BlasKernelReport& r = report();
  if (r.chosenBy.empty()) {  // selectBlasKernel was not called: describe what is loaded
    r.library = openBlasCall("openblas_get_config");
    r.kernel = openBlasCall("openblas_get_corename");
    r.chosenBy = env(kCoreVar).empty() ? "OpenBLAS" : "user (OPENBLAS_CORETYPE)";
  }
  return r;
}

}  // namespace flowscope
