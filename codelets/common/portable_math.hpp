#pragma once
// log and exp from +, -, *, / and exact scaling only, so the host and the GPU compute the same
// bits (libm and CUDA's math library may differ in the last place). Relative error about 1e-16.
#include <cmath>

#include "host_device.hpp"

namespace starling::codelets {

constexpr double ln2_hi = 6.93147180369123816490e-01;  // ln 2, upper bits (exact product with ints)
constexpr double ln2_lo = 1.90821492927058770002e-10;  // ln 2 - ln2_hi

/// Natural logarithm of x > 0.
STARLING_HOST_DEVICE inline double portable_log(double x) {
  int e = 0;
  double m = std::frexp(x, &e);  // x = m 2^e, m in [0.5, 1)
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    --e;
  }
  // log m = 2 atanh(f), f = (m - 1)/(m + 1), |f| <= 0.1716: series in s = f^2 to s^12.
  const double f = (m - 1.0) / (m + 1.0);
  const double s = f * f;
  double p = 1.0 / 25.0;
  for (int k = 11; k >= 0; --k) p = 1.0 / (2 * k + 1) + s * p;
  const double de = static_cast<double>(e);
  return de * ln2_hi + (2.0 * f * p + de * ln2_lo);
}

/// e^x.
STARLING_HOST_DEVICE inline double portable_exp(double x) {
  if (x > 709.0) return HUGE_VAL;
  if (x < -745.0) return 0.0;
  const double k = std::nearbyint(x / 0.69314718055994530942);
  const double r = (x - k * ln2_hi) - k * ln2_lo;  // |r| <= 0.35
  double p = 1.0;
  for (int n = 16; n >= 1; --n) p = 1.0 + r * p / n;
  return std::ldexp(p, static_cast<int>(k));
}

}  // namespace starling::codelets
