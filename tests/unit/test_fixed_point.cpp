// Fixed-point accumulation: exact for representable weights, independent of summation order.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "codelets/common/fixed_point.hpp"

namespace cl = starling::codelets;

TEST(FixedPoint, RoundTripsDyadicWeightsExactly) {
  for (double w : {1.0, -2.0, 87.5, -350.25, 0.0}) EXPECT_EQ(cl::from_fixed(cl::to_fixed(w)), w);
}

TEST(FixedPoint, QuantisationErrorIsBelowHalfAnUnit) {
  for (double w : {87.8, -351.2, 0.1, 1e-6})
    EXPECT_LE(std::abs(cl::from_fixed(cl::to_fixed(w)) - w), 0.5 * cl::fixed_unit);
}

TEST(FixedPoint, SumDoesNotDependOnOrder) {
  std::mt19937_64 gen(3);
  std::normal_distribution<double> dist(0.0, 100.0);
  std::vector<double> w(10000);
  for (double& x : w) x = dist(gen);
  std::int64_t forward = 0, shuffled = 0;
  double fwd_float = 0.0, shf_float = 0.0;
  for (double x : w) {
    forward += cl::to_fixed(x);
    fwd_float += x;
  }
  std::shuffle(w.begin(), w.end(), gen);
  for (double x : w) {
    shuffled += cl::to_fixed(x);
    shf_float += x;
  }
  EXPECT_EQ(forward, shuffled);
  EXPECT_NEAR(cl::from_fixed(forward), fwd_float, 1e-6);
  (void)shf_float;
}
