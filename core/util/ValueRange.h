#pragma once
// The valid interval of a number (a config key, a command-line option), with the text that error
// messages, --help and the documentation show. Torch-free.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace flowscope {

struct ValueRange {
  std::optional<double> min, max;  ///< unset: unbounded on that side (integers: the type's limit)
  bool minOpen = false, maxOpen = false;  ///< strict bounds, e.g. (0, 1]

  static ValueRange closed(double lo, double hi) { return {lo, hi, false, false}; }
  static ValueRange atLeast(double lo) { return {lo, std::nullopt, false, false}; }
  static ValueRange above(double lo) { return {lo, std::nullopt, true, false}; }
  /// (lo, hi], [lo, hi) and (lo, hi)
  static ValueRange leftOpen(double lo, double hi) { return {lo, hi, true, false}; }
  static ValueRange rightOpen(double lo, double hi) { return {lo, hi, false, true}; }
  static ValueRange open(double lo, double hi) { return {lo, hi, true, true}; }

  bool bounded() const { return min.has_value() || max.has_value(); }
  bool contains(double v) const;
  /// Integers of a type with limits [typeMin, typeMax]: both bounds apply.
  bool containsInteger(long double v, long double typeMin, long double typeMax) const;

  /// "[1, 65536]", "(0, 10]", ">= 0", "> 0"; "" when unbounded.
  std::string text() const;
  /// Integer keys: "[1, 65536]" with missing bounds filled from the type's limits.
  std::string integerText(long double typeMin, long double typeMax) const;
};

/// "an integer in [1, 65536]" / "a number in (0, 10]" / "a finite number".
std::string expectedNumber(const ValueRange& range);
template <typename Int>
std::string expectedInteger(const ValueRange& range) {
  return "an integer in " + range.integerText(static_cast<long double>(std::numeric_limits<Int>::min()),
                                              static_cast<long double>(std::numeric_limits<Int>::max()));
}

/// Shortest text that reads back to the same double ("0.0003", "1e-12", "20").
std::string shortestNumber(double v);

}  // namespace flowscope
