#pragma once
// Picks the fastest correct OpenBLAS kernel for this CPU before any matrix multiply runs.
//
// Debian's OpenBLAS 0.3.21 does not recognise recent Xeons (Sapphire Rapids and later) and falls
// back to its SSE3 "Prescott" kernels: a 1024^3 sgemm runs ~6x slower than with its AVX-512
// "SkylakeX" kernels. OpenBLAS reads OPENBLAS_CORETYPE only when it loads, so the executable
// re-executes itself once with the variable set. The forced kernel must then pass a small sgemm
// self-check, or the process re-executes again with OpenBLAS's own choice. A value the user set
// is never overridden. FLOWSCOPE_BLAS=off skips all of it.
//
// Usage, first thing in main():
//   flowscope::selectBlasKernel(argv);   // may not return (exec)
//   std::puts(flowscope::blasKernel().describe().c_str());

#include <string>

#include "core/util/CpuFeatures.h"

namespace flowscope {

struct BlasKernelReport {
  std::string library;   ///< "OpenBLAS 0.3.21 ..." (openblas_get_config), empty if not OpenBLAS
  std::string kernel;    ///< the core type in use ("SkylakeX"), empty if unknown
  std::string detected;  ///< what OpenBLAS picked by itself, when FlowScope replaced it
  std::string chosenBy;  ///< "OpenBLAS", "FlowScope", "user (OPENBLAS_CORETYPE)", "disabled"
  bool selfCheckPassed = true;
  std::string note;  ///< e.g. why a forced kernel was abandoned

  /// One line for --version and logs: "OpenBLAS SkylakeX (chosen by FlowScope; OpenBLAS
  /// detected Prescott)".
  std::string describe() const;
};

/// The best OpenBLAS core type for these features, or "" to keep OpenBLAS's own choice.
std::string bestOpenBlasCoreType(const CpuFeatures& features);

/// Ranks OpenBLAS x86 core types by the widest vector ISA their kernels use (higher is better);
/// -1 for names it does not know (which are then never replaced).
int openBlasCoreRank(const std::string& coreType);

/// sgemm of odd and blocked shapes against a double-precision reference; `sgemm` has the
/// Fortran BLAS signature. False if any element is off by more than a float tolerance.
using SgemmFn = void (*)(const char*, const char*, const int*, const int*, const int*,
                         const float*, const float*, const int*, const float*, const int*,
                         const float*, float*, const int*);
bool sgemmSelfCheck(SgemmFn sgemm);

/// Inspects the loaded BLAS and, when a better kernel exists, re-executes /proc/self/exe with
/// OPENBLAS_CORETYPE set (argv unchanged). Returns when no exec is needed or the exec failed.
void selectBlasKernel(char** argv);

/// What selectBlasKernel decided (the loaded BLAS as it is, if it was never called).
const BlasKernelReport& blasKernel();

}  // namespace flowscope
