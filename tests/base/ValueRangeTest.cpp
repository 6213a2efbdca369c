// ValueRange: the interval every config key and typed option is checked against, and its text.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/util/ValueRange.h"

using namespace flowscope;

TEST(ValueRange, BoundsOpenAndClosed) {
  const ValueRange r = ValueRange::leftOpen(0, 10);
  EXPECT_FALSE(r.contains(0));
  EXPECT_TRUE(r.contains(1e-300));
  EXPECT_TRUE(r.contains(10));
  EXPECT_FALSE(r.contains(std::nextafter(10.0, 11.0)));
  EXPECT_FALSE(r.contains(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_FALSE(ValueRange{}.contains(std::numeric_limits<double>::infinity()));
  EXPECT_TRUE(ValueRange{}.contains(-1e300));
  EXPECT_TRUE(ValueRange::rightOpen(0, 1).contains(0));
  EXPECT_FALSE(ValueRange::rightOpen(0, 1).contains(1));
}

TEST(ValueRange, IntegersAreAlsoBoundedByTheirType) {
  const ValueRange none;
  EXPECT_TRUE(none.containsInteger(5, 0, 10));
  EXPECT_FALSE(none.containsInteger(11, 0, 10));
  EXPECT_FALSE(ValueRange::closed(1, 1e6).containsInteger(0, -100, 1e9));
  EXPECT_EQ(expectedInteger<int>(ValueRange::closed(1, 65536)), "an integer in [1, 65536]");
  EXPECT_EQ(expectedInteger<uint64_t>(none), "an integer in [0, 18446744073709551615]");
  EXPECT_EQ(expectedInteger<int64_t>(ValueRange::atLeast(0)), "an integer in [0, 9223372036854775807]");
  // Open integer bounds become the next integer inside.
  EXPECT_EQ(expectedInteger<int>(ValueRange::open(0, 5)), "an integer in [1, 4]");
}

TEST(ValueRange, Text) {
  EXPECT_EQ(expectedNumber(ValueRange::leftOpen(0, 10)), "a number in (0, 10]");
  EXPECT_EQ(expectedNumber(ValueRange::closed(1e-12, 1)), "a number in [1e-12, 1]");
  EXPECT_EQ(expectedNumber(ValueRange::atLeast(0)), "a number >= 0");
  EXPECT_EQ(expectedNumber(ValueRange::above(0)), "a number > 0");
  EXPECT_EQ(expectedNumber(ValueRange{}), "a finite number");
  EXPECT_EQ(shortestNumber(0.0003), "0.0003");
  EXPECT_EQ(shortestNumber(1e308), "1e+308");
  EXPECT_EQ(shortestNumber(20), "20");
  EXPECT_EQ(std::stod(shortestNumber(0.1 + 0.2)), 0.1 + 0.2);
}
