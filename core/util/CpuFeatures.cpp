#include "core/util/CpuFeatures.h"

#include <cstdint>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define FLOWSCOPE_X86 1
#endif

namespace flowscope {

namespace {

#ifdef FLOWSCOPE_X86
struct Regs {
  unsigned a = 0, b = 0, c = 0, d = 0;
};

Regs cpuid(unsigned leaf, unsigned sub = 0) {
  Regs r;
  __cpuid_count(leaf, sub, r.a, r.b, r.c, r.d);
  return r;
}

uint64_t xgetbv0() {
  unsigned lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

bool bit(unsigned value, int n) { return ((value >> n) & 1u) != 0; }

CpuFeatures query() {
  CpuFeatures f;
  const Regs r0 = cpuid(0);
  char vendor[13] = {};
  std::memcpy(vendor + 0, &r0.b, 4);
  std::memcpy(vendor + 4, &r0.d, 4);
  std::memcpy(vendor + 8, &r0.c, 4);
  f.vendor = vendor;
  const unsigned maxLeaf = r0.a;

  if (cpuid(0x80000000).a >= 0x80000004) {
    char brand[49] = {};
    for (unsigned i = 0; i < 3; ++i) {
      const Regs r = cpuid(0x80000002 + i);
      std::memcpy(brand + 16 * i + 0, &r.a, 4);
      std::memcpy(brand + 16 * i + 4, &r.b, 4);
      std::memcpy(brand + 16 * i + 8, &r.c, 4);
      std::memcpy(brand + 16 * i + 12, &r.d, 4);
    }
    std::string s = brand;
    const auto first = s.find_first_not_of(' ');
    const auto last = s.find_last_not_of(' ');
    f.brand = first == std::string::npos ? "" : s.substr(first, last - first + 1);
  }

  if (maxLeaf < 1) return f;
  const Regs r1 = cpuid(1);
  f.fma = bit(r1.c, 12);
  f.avx = bit(r1.c, 28);
  const bool osxsave = bit(r1.c, 27);
  if (osxsave) {
    const uint64_t xcr0 = xgetbv0();
    f.osAvx = (xcr0 & 0x6) == 0x6;       // SSE and YMM state
    f.osAvx512 = (xcr0 & 0xe6) == 0xe6;  // plus opmask, ZMM_Hi256, Hi16_ZMM
  }
  if (maxLeaf < 7) return f;
  const Regs r7 = cpuid(7, 0);
  f.avx2 = bit(r7.b, 5);
  f.avx512f = bit(r7.b, 16);
  f.avx512dq = bit(r7.b, 17);
  f.avx512cd = bit(r7.b, 28);
  f.avx512bw = bit(r7.b, 30);
  f.avx512vl = bit(r7.b, 31);
  if (cpuid(7, 0).a >= 1) f.avx512bf16 = bit(cpuid(7, 1).a, 5);
  return f;
}
#else
CpuFeatures query() { return {}; }
#endif

}  // namespace

const CpuFeatures& cpuFeatures() {
  static const CpuFeatures features = query();
  return features;
}

}  // namespace flowscope
