#pragma once
// poisson_generator, as in NEST: every target receives its own independent Poisson train. In
// each step a generator draws, per connection, a Poisson count with mean rate * h and sends it as
// one event with that multiplicity. The update that starts at step s (and sends events stamped
// s + 1) is active if start < s*h <= stop.
//
// | parameter | default | unit | meaning           |
// |-----------|---------|------|-------------------|
// | rate      | 0       | Hz   | mean firing rate  |
// | start     | 0       | ms   | activation time   |
// | stop      | inf     | ms   | deactivation time |
//
// Counts come from Philox keyed by (seed, generator), counter (step, target stream, draw), and are
// drawn by inversion with only +, *, / and a host-computed exp(-mean), so the CPU and the GPU
// give identical counts. Means above 8 are split into equal parts whose counts are summed.
#include <cmath>
#include <cstdint>
#include <string>

#include "codelets/common/generator_io.hpp"
#include "codelets/common/host_device.hpp"
#include "codelets/common/philox.hpp"
#include "codelets/common/quantity.hpp"
#include "starling/error.hpp"

namespace starling::codelets::poisson_generator {

inline constexpr quantity parameters[] = {
    {"rate", 0.0, "Hz"}, {"start", 0.0, "ms"}, {"stop", forever, "ms"}};
enum param : int { rate, start, stop, n_params };
inline constexpr quantity states[] = {{"unused", 0.0, ""}};
enum state : int { n_states = 1 };
inline constexpr int n_public_states = 0;
enum coeff : int { part_mean, exp_minus_part, parts, start_step, stop_step, n_coeffs };

inline constexpr double max_part_mean = 8.0;

inline void derive(const double* p, double h, double* c) {
  if (!(p[rate] >= 0.0) || std::isinf(p[rate]))
    throw invalid_argument("poisson_generator: rate = " + number(p[rate]) +
                           " Hz; expected a finite value >= 0");
  const double mean = p[rate] * h * 1e-3;
  const double n_parts = mean > max_part_mean ? std::ceil(mean / max_part_mean) : 1.0;
  c[part_mean] = mean / n_parts;
  c[exp_minus_part] = std::exp(-c[part_mean]);
  c[parts] = n_parts;
  c[start_step] = device_steps("poisson_generator", "start", p[start], h);
  c[stop_step] = device_steps("poisson_generator", "stop", p[stop], h);
}

/// Whether the generator sends events stamped `step`.
STARLING_HOST_DEVICE inline bool active(const double* c, std::int64_t step) {
  const auto s = static_cast<double>(step - 1);
  return c[start_step] < s && s <= c[stop_step] && c[part_mean] > 0.0;
}

/// Poisson count by inversion for uniform u, mean `m`, exp(-m) = `p0`.
STARLING_HOST_DEVICE inline std::uint32_t invert(double u, double m, double p0) {
  std::uint32_t k = 0;
  double p = p0;
  double cdf = p;
  while (u > cdf && k < 1000u) {
    ++k;
    p = p * m / static_cast<double>(k);
    cdf += p;
  }
  return k;
}

/// The count sent by a generator with coefficients c on random stream `conn` (one per target and
/// connect call) at stamp `step`.
STARLING_HOST_DEVICE inline std::uint32_t draw(const double* c, std::uint64_t key,
                                               std::uint64_t conn, std::int64_t step) {
  const auto n_parts = static_cast<std::uint32_t>(c[parts]);
  std::uint32_t total = 0;
  for (std::uint32_t j = 0; j < n_parts; j += 2) {
    const philox_block r = philox4x32(
        philox_block{{static_cast<std::uint32_t>(step), static_cast<std::uint32_t>(step >> 32),
                      static_cast<std::uint32_t>(conn),
                      static_cast<std::uint32_t>(conn >> 32) ^ (j << 16)}},
        static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32));
    total += invert(uniform53(r.v[0], r.v[1]), c[part_mean], c[exp_minus_part]);
    if (j + 1 < n_parts)
      total += invert(uniform53(r.v[2], r.v[3]), c[part_mean], c[exp_minus_part]);
  }
  return total;
}

}  // namespace starling::codelets::poisson_generator
