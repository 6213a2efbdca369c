#include "core/util/ValueRange.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

namespace flowscope {

bool ValueRange::contains(double v) const {
  if (!std::isfinite(v)) return false;
  if (min && (minOpen ? !(v > *min) : !(v >= *min))) return false;
  if (max && (maxOpen ? !(v < *max) : !(v <= *max))) return false;
  return true;
}

bool ValueRange::containsInteger(long double v, long double typeMin, long double typeMax) const {
  if (!(v >= typeMin && v <= typeMax)) return false;
  if (min && (minOpen ? !(v > *min) : !(v >= *min))) return false;
  if (max && (maxOpen ? !(v < *max) : !(v <= *max))) return false;
  return true;
}

std::string shortestNumber(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    return buf;
  }
  for (int p = 1; p <= 17; ++p) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*g", p, v);
    double back = 0;
    const auto [end, ec] = std::from_chars(buf, buf + std::char_traits<char>::length(buf), back);
    (void)end;
    if (ec == std::errc() && back == v) return buf;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

namespace {

std::string integerBound(long double v) {
  // Type limits up to 2^64 - 1 are exact in long double (64-bit mantissa on x86).
  char buf[48];
  if (v < 0) std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  else std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

std::string ValueRange::text() const {
  if (min && max)
    return std::string(minOpen ? "(" : "[") + shortestNumber(*min) + ", " + shortestNumber(*max) +
           (maxOpen ? ")" : "]");
  if (min) return std::string(minOpen ? "> " : ">= ") + shortestNumber(*min);
  if (max) return std::string(maxOpen ? "< " : "<= ") + shortestNumber(*max);
  return "";
}

std::string ValueRange::integerText(long double typeMin, long double typeMax) const {
  // Integer bounds are whole numbers: an open bound is the next integer inside.
  long double lo = typeMin, hi = typeMax;
  if (min) lo = std::max<long double>(lo, minOpen ? std::floor(*min) + 1 : std::ceil(*min));
  if (max) hi = std::min<long double>(hi, maxOpen ? std::ceil(*max) - 1 : std::floor(*max));
  return "[" + integerBound(lo) + ", " + integerBound(hi) + "]";
}

std::string expectedNumber(const ValueRange& range) {
  const std::string t = range.text();
  if (t.empty()) return "a finite number";
  if (range.min && range.max) return "a number in " + t;
  return "a number " + t;
}

}  // namespace flowscope
