#pragma once
// What the x86 CPU can do and what the OS lets it use (CPUID and XGETBV), torch-free: the BLAS
// kernel choice reads it before any matrix multiply runs.

#include <string>

namespace flowscope {

struct CpuFeatures {
  std::string vendor;  ///< "GenuineIntel", "AuthenticAMD"; empty off x86
  std::string brand;   ///< "Intel(R) Xeon(R) Processor", as lscpu's "Model name"
  bool avx = false, avx2 = false, fma = false;
  bool avx512f = false, avx512dq = false, avx512cd = false, avx512bw = false, avx512vl = false;
  bool avx512bf16 = false;
  /// Whether the OS saves the AVX (YMM) and AVX-512 (opmask, ZMM) register state (XCR0): a CPU
  /// that has AVX-512 in a VM or OS that does not enable it must not run AVX-512 code.
  bool osAvx = false, osAvx512 = false;

  bool usableAvx2() const { return avx && avx2 && fma && osAvx; }
  bool usableAvx512() const {
    return usableAvx2() && avx512f && avx512dq && avx512cd && avx512bw && avx512vl && osAvx512;
  }
};

/// The features of the CPU this process runs on (queried once).
const CpuFeatures& cpuFeatures();

}  // namespace flowscope
