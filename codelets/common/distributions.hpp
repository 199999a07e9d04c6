#pragma once
// Random values with NEST's distributions (uniform, normal, normal_clipped, lognormal,
// exponential, gamma), drawn from a counter-based stream: the value for (key, unit, index) is the
// same wherever and in whatever order it is drawn, on the host and on the GPU.
#include <cstdint>

#include "host_device.hpp"
#include "philox.hpp"
#include "portable_math.hpp"

namespace starling::codelets {

enum class distribution_kind : std::uint8_t {
  uniform,         // low, high
  normal,          // mu, sigma
  normal_clipped,  // mu, sigma, low, high (values outside are redrawn)
  lognormal,       // mu, sigma of the underlying normal
  exponential,     // beta (the mean)
  gamma,           // k, theta
};

/// A distribution with its parameters in a fixed order (see distribution_kind).
struct distribution_params {
  distribution_kind kind = distribution_kind::uniform;
  double a = 0.0, b = 1.0, c = 0.0, d = 0.0;
};

/// Uniforms in [0, 1) for one (key, unit, index): block n of Philox gives two of them.
class random_stream {
 public:
  STARLING_HOST_DEVICE random_stream(std::uint64_t key, std::uint64_t unit, std::uint32_t index)
      : key_(key), unit_(unit), index_(index) {}

  STARLING_HOST_DEVICE double uniform() {
    if (have_ == 0) {
      block_ = philox4x32(philox_block{{static_cast<std::uint32_t>(unit_),
                                        static_cast<std::uint32_t>(unit_ >> 32), index_, next_++}},
                          static_cast<std::uint32_t>(key_), static_cast<std::uint32_t>(key_ >> 32));
      have_ = 2;
    }
    --have_;
    return have_ == 1 ? uniform53(block_.v[0], block_.v[1]) : uniform53(block_.v[2], block_.v[3]);
  }

  /// Standard normal by Marsaglia's polar method (only log and sqrt).
  STARLING_HOST_DEVICE double normal() {
    for (;;) {
      const double v1 = 2.0 * uniform() - 1.0;
      const double v2 = 2.0 * uniform() - 1.0;
      const double s = v1 * v1 + v2 * v2;
      if (s > 0.0 && s < 1.0) return v1 * std::sqrt(-2.0 * portable_log(s) / s);
    }
  }

 private:
  std::uint64_t key_;
  std::uint64_t unit_;
  std::uint32_t index_;
  std::uint32_t next_ = 0;
  int have_ = 0;
  philox_block block_{};
};

/// Gamma(k, 1) by Marsaglia and Tsang (2000), with the boost u^(1/k) for k < 1.
STARLING_HOST_DEVICE inline double standard_gamma(random_stream& r, double k) {
  const double boost = k < 1.0 ? portable_exp(portable_log(1.0 - r.uniform()) / k) : 1.0;
  const double d = (k < 1.0 ? k + 1.0 : k) - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    const double z = r.normal();
    double v = 1.0 + c * z;
    if (v <= 0.0) continue;
    v = v * v * v;
    const double u = 1.0 - r.uniform();
    if (portable_log(u) < 0.5 * z * z + d - d * v + d * portable_log(v)) return d * v * boost;
  }
}

/// One value of distribution p from stream r (NaN if normal_clipped finds nothing in bounds).
STARLING_HOST_DEVICE inline double sample(const distribution_params& p, random_stream& r) {
  switch (p.kind) {
    case distribution_kind::uniform:
      return p.a + (p.b - p.a) * r.uniform();
    case distribution_kind::normal:
      return p.a + p.b * r.normal();
    case distribution_kind::normal_clipped:
      for (int attempt = 0; attempt < 1000000; ++attempt) {
        const double x = p.a + p.b * r.normal();
        if (x >= p.c && x <= p.d) return x;
      }
      return NAN;  // no value in [low, high]: the caller reports it
    case distribution_kind::lognormal:
      return portable_exp(p.a + p.b * r.normal());
    case distribution_kind::exponential:
      return -p.a * portable_log(1.0 - r.uniform());
    case distribution_kind::gamma:
      break;
  }
  return p.b * standard_gamma(r, p.a);
}

}  // namespace starling::codelets
