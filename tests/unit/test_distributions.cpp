// Distributions drawn from counter-based streams: portable log/exp against libm, and moments
// against closed forms at 5 standard errors.
#include <gtest/gtest.h>

#include <cmath>

#include "codelets/common/distributions.hpp"

namespace cl = starling::codelets;

TEST(PortableMath, LogAndExpAgreeWithLibmToAFewUlp) {
  for (double x = 1e-300; x < 1e300; x *= 1.7) {
    EXPECT_NEAR(cl::portable_log(x), std::log(x), 4e-16 * std::max(1.0, std::fabs(std::log(x))))
        << x;
  }
  for (double x = -700.0; x < 700.0; x += 0.37) {
    EXPECT_NEAR(cl::portable_exp(x) / std::exp(x), 1.0, 1e-15) << x;
  }
  EXPECT_EQ(cl::portable_exp(0.0), 1.0);
  EXPECT_EQ(cl::portable_log(1.0), 0.0);
}

namespace {

struct moments {
  double mean, var, min, max;
};

moments draw(const cl::distribution_params& p, int n = 200000) {
  double s = 0, sq = 0, lo = INFINITY, hi = -INFINITY;
  const std::uint64_t key = cl::philox_key(99, 1);
  for (int i = 0; i < n; ++i) {
    cl::random_stream r(key, static_cast<std::uint64_t>(i / 10),
                        static_cast<std::uint32_t>(i % 10));
    const double x = cl::sample(p, r);
    s += x;
    sq += x * x;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  const double m = s / n;
  return {m, sq / n - m * m, lo, hi};
}

/// Mean within 5 standard errors, variance within 5 of its standard errors (4th moment bound).
void expect_moments(const cl::distribution_params& p, double mean, double var,
                    double kurtosis_excess, int n = 200000) {
  const moments m = draw(p, n);
  EXPECT_NEAR(m.mean, mean, 5 * std::sqrt(var / n));
  EXPECT_NEAR(m.var, var, 5 * var * std::sqrt((2.0 + kurtosis_excess) / n));
}

using kind = cl::distribution_kind;

}  // namespace

TEST(Distributions, UniformMoments) {
  expect_moments({kind::uniform, -2.0, 6.0, 0, 0}, 2.0, 64.0 / 12.0, -1.2);
  const moments m = draw({kind::uniform, -2.0, 6.0, 0, 0});
  EXPECT_GE(m.min, -2.0);
  EXPECT_LT(m.max, 6.0);
}

TEST(Distributions, NormalMoments) {
  expect_moments({kind::normal, 87.8, 8.78, 0, 0}, 87.8, 8.78 * 8.78, 0.0);
}

TEST(Distributions, NormalClippedIsTheTruncatedNormal) {
  // Clipped at the mean: half-normal, mean mu + sigma sqrt(2/pi), variance sigma^2 (1 - 2/pi).
  const double pi = 3.14159265358979323846;
  const cl::distribution_params p{kind::normal_clipped, 1.5, 0.75, 1.5, INFINITY};
  expect_moments(p, 1.5 + 0.75 * std::sqrt(2 / pi), 0.5625 * (1 - 2 / pi), 0.87);
  EXPECT_GE(draw(p).min, 1.5);
}

TEST(Distributions, LognormalMoments) {
  const double mu = 0.2, s = 0.5;
  const double mean = std::exp(mu + s * s / 2),
               var = (std::exp(s * s) - 1) * std::exp(2 * mu + s * s);
  // Excess kurtosis of this lognormal is about 5.9.
  expect_moments({kind::lognormal, mu, s, 0, 0}, mean, var, 5.9);
}

TEST(Distributions, ExponentialMoments) {
  expect_moments({kind::exponential, 3.0, 0, 0, 0}, 3.0, 9.0, 6.0);
}

TEST(Distributions, GammaMomentsBelowAndAboveShapeOne) {
  expect_moments({kind::gamma, 0.5, 2.0, 0, 0}, 1.0, 2.0, 12.0);
  expect_moments({kind::gamma, 3.0, 1.5, 0, 0}, 4.5, 6.75, 2.0);
}

TEST(Distributions, SameCounterSameValue) {
  const std::uint64_t key = cl::philox_key(5, 2);
  cl::random_stream a(key, 77, 3), b(key, 77, 3), c(key, 78, 3);
  const cl::distribution_params p{kind::normal, 0.0, 1.0, 0, 0};
  const double x = cl::sample(p, a);
  EXPECT_EQ(x, cl::sample(p, b));
  EXPECT_NE(x, cl::sample(p, c));
}
