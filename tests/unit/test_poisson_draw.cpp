// Poisson counts drawn by inversion: mean and variance against the closed form (both equal
// rate * h), including means split into parts.
#include <gtest/gtest.h>

#include <cmath>

#include "codelets/poisson_generator/poisson_generator_math.hpp"

namespace pg = starling::codelets::poisson_generator;

namespace {

void check_moments(double rate_hz, double h) {
  const double p[pg::n_params] = {rate_hz, 0.0, starling::codelets::forever};
  double c[pg::n_coeffs];
  pg::derive(p, h, c);
  const double mean = rate_hz * h * 1e-3;
  const int n = 100000;
  double sum = 0.0, sq = 0.0;
  for (int k = 0; k < n; ++k) {
    const double x =
        pg::draw(c, pg::table_of(c, 1, 0), 12345, static_cast<std::uint64_t>(k % 97), k / 97 + 5);
    sum += x;
    sq += x * x;
  }
  const double m = sum / n;
  const double var = sq / n - m * m;
  // Standard error of the mean sqrt(mean / n); of the variance about mean * sqrt(2 / n).
  EXPECT_NEAR(m, mean, 5 * std::sqrt(mean / n)) << "rate " << rate_hz;
  EXPECT_NEAR(var, mean, 5 * mean * std::sqrt(2.0 / n) + 5 * std::sqrt(mean / n))
      << "rate " << rate_hz;
}

}  // namespace

TEST(PoissonDraw, SmallMeanHasPoissonMoments) { check_moments(8.0 * 1000.0, 0.1); }
TEST(PoissonDraw, LargeMeanSplitIntoPartsHasPoissonMoments) { check_moments(250000.0, 0.1); }

// The table of P(X <= k) and its continuation past the end give the count of the plain
// recurrence p(k) = p(k - 1) m / k, for uniforms across the range and deep in the tail.
TEST(PoissonDraw, TableSearchEqualsTheRecurrence) {
  for (double rate : {15000.0, 80000.0}) {  // means 1.5 and 8 per step of 0.1 ms
    const double p[pg::n_params] = {rate, 0.0, starling::codelets::forever};
    double c[pg::n_coeffs];
    pg::derive(p, 0.1, c);
    const double m = rate * 0.1 * 1e-3;
    EXPECT_DOUBLE_EQ(c[pg::cdf_first], std::exp(-m));
    int beyond = 0;
    for (double u : {0.0, 1e-9, 0.1, 0.2231, 0.5, 0.9, 0.99, 0.999999, 1.0 - 1e-9, 1.0 - 1e-13}) {
      std::uint32_t k = 0;
      double pk = std::exp(-m);
      double cdf = pk;
      while (u > cdf && k < 1000u) {
        ++k;
        pk = pk * m / static_cast<double>(k);
        cdf += pk;
      }
      EXPECT_EQ(pg::invert(u, c, pg::table_of(c, 1, 0)), k) << "mean " << m << ", u " << u;
      beyond += k >= static_cast<std::uint32_t>(pg::cdf_size) ? 1 : 0;
    }
    if (m > 5.0) {
      EXPECT_GT(beyond, 0) << "the tail past the table should be exercised";
    }
  }
}

TEST(PoissonDraw, ZeroOutsideTheActiveWindow) {
  const double p[pg::n_params] = {1000.0, 1.0, 2.0};
  double c[pg::n_coeffs];
  pg::derive(p, 0.1, c);
  EXPECT_FALSE(pg::active(c, 11));  // update starting at 1.0 ms: not after start
  EXPECT_TRUE(pg::active(c, 12));
  EXPECT_TRUE(pg::active(c, 21));  // update starting at 2.0 ms: at stop
  EXPECT_FALSE(pg::active(c, 22));
}

TEST(PoissonDraw, RejectsNegativeRate) {
  const double p[pg::n_params] = {-1.0, 0.0, starling::codelets::forever};
  double c[pg::n_coeffs];
  EXPECT_THROW(pg::derive(p, 0.1, c), starling::invalid_argument);
}
