#pragma once
// poisson_generator, as in NEST: every target receives its own independent Poisson train. In
// each step a generator draws, per connection, a Poisson count with mean rate * h and sends it as
// one event with that multiplicity. The update that starts at step s (and sends events stamped
// s + 1) is active if origin + start < s*h <= origin + stop.
//
// | parameter | default | unit | meaning           |
// |-----------|---------|------|-------------------|
// | rate      | 0       | Hz   | mean firing rate  |
// | start     | 0       | ms   | activation time   |
// | stop      | inf     | ms   | deactivation time |
// | origin    | 0       | ms   | shifts start, stop|
//
// Counts come from Philox keyed by (seed, generator), counter (step, target stream, draw), and are
// drawn by inversion: the host computes the distribution function P(X <= k) for k < cdf_size once
// (exp(-mean), then only +, * and /), a draw searches that table and continues the same
// recurrence past its end, so the CPU and the GPU give identical counts. Means above 8 are split
// into equal parts whose counts are summed.
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
    {"rate", 0.0, "Hz"}, {"start", 0.0, "ms"}, {"stop", forever, "ms"}, {"origin", 0.0, "ms"}};
enum param : int { rate, start, stop, origin, n_params };
inline constexpr quantity states[] = {{"unused", 0.0, ""}};
enum state : int { n_states = 1 };
inline constexpr int n_public_states = 0;
/// Entries of the distribution-function table: P(X >= 24) < 1e-5 for the largest part mean.
inline constexpr int cdf_size = 24;
enum coeff : int {
  part_mean,
  exp_minus_part,
  parts,
  start_step,
  stop_step,
  last_pmf,   ///< P(X = cdf_size - 1), where the recurrence resumes
  cdf_first,  ///< P(X <= k) at cdf_first + k, k < cdf_size
  n_coeffs = cdf_first + cdf_size
};
/// The coefficients a draw reads as numbers; the table is read in place.
inline constexpr int n_scalar_coeffs = cdf_first;

inline constexpr double max_part_mean = 8.0;
/// Parts a draw sums at most: each part's stream is keyed by its index in 16 bits.
inline constexpr double max_parts = 65536.0;

/// One generator's distribution-function table: entry k at first[k * stride].
struct cdf_table {
  const double* first;
  std::int64_t stride;
  STARLING_HOST_DEVICE double operator[](int k) const { return first[k * stride]; }
};

/// The table of generator g of n in a [n_coeffs][n] coefficient array.
STARLING_HOST_DEVICE inline cdf_table table_of(const double* coeff, std::int64_t n,
                                               std::uint32_t g) {
  return {coeff + cdf_first * n + g, n};
}

inline void derive(const double* p, double h, double* c) {
  if (!(p[rate] >= 0.0) || std::isinf(p[rate]))
    throw invalid_argument("poisson_generator: rate = " + number(p[rate]) +
                           " Hz; expected a finite value >= 0");
  const double mean = p[rate] * h * 1e-3;
  const double n_parts = mean > max_part_mean ? std::ceil(mean / max_part_mean) : 1.0;
  if (n_parts > max_parts)
    throw invalid_argument("poisson_generator: rate = " + number(p[rate]) + " Hz is a mean of " +
                           number(mean) + " spikes per step; expected at most " +
                           number(max_parts * max_part_mean) +
                           " per step (rate <= " + number(max_parts * max_part_mean / (h * 1e-3)) +
                           " Hz at resolution " + number(h) + " ms)");
  c[part_mean] = mean / n_parts;
  c[exp_minus_part] = std::exp(-c[part_mean]);
  c[parts] = n_parts;
  device_window("poisson_generator", p[origin], p[start], p[stop], h, &c[start_step],
                &c[stop_step]);
  // The inversion's running sums, in the order a draw would add them.
  double pmf = c[exp_minus_part];
  double cdf = pmf;
  c[cdf_first] = cdf;
  for (int k = 1; k < cdf_size; ++k) {
    pmf = pmf * c[part_mean] / static_cast<double>(k);
    cdf += pmf;
    c[cdf_first + k] = cdf;
  }
  c[last_pmf] = pmf;
}

/// Whether the generator sends events stamped `step`.
STARLING_HOST_DEVICE inline bool active(const double* c, std::int64_t step) {
  const auto s = static_cast<double>(step - 1);
  return c[start_step] < s && s <= c[stop_step] && c[part_mean] > 0.0;
}

/// Poisson count by inversion for uniform u: the first k with u <= P(X <= k), from the table,
/// then from the recurrence p(k) = p(k - 1) m / k (at most 1000).
STARLING_HOST_DEVICE inline std::uint32_t invert(double u, const double* c, cdf_table table) {
  // One entry at a time: counts are small, and unrolled loads would take registers.
#if defined(__CUDA_ARCH__)
#pragma unroll 1
#endif
  for (int k = 0; k < cdf_size; ++k)
    if (!(u > table[k])) return static_cast<std::uint32_t>(k);
  auto k = static_cast<std::uint32_t>(cdf_size - 1);
  double p = c[last_pmf];
  double cdf = table[cdf_size - 1];
  while (u > cdf && k < 1000u) {
    ++k;
    p = p * c[part_mean] / static_cast<double>(k);
    cdf += p;
  }
  return k;
}

/// The count sent by a generator with scalar coefficients c and table `table` on random stream
/// `conn` (one per target and connect call) at stamp `step`.
STARLING_HOST_DEVICE inline std::uint32_t draw(const double* c, cdf_table table, std::uint64_t key,
                                               std::uint64_t conn, std::int64_t step) {
  const auto n_parts = static_cast<std::uint32_t>(c[parts]);
  std::uint32_t total = 0;
  for (std::uint32_t j = 0; j < n_parts; j += 2) {
    const philox_block r = philox4x32(
        philox_block{{static_cast<std::uint32_t>(step), static_cast<std::uint32_t>(step >> 32),
                      static_cast<std::uint32_t>(conn),
                      static_cast<std::uint32_t>(conn >> 32) ^ (j << 16)}},
        static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32));
    total += invert(uniform53(r.v[0], r.v[1]), c, table);
    if (j + 1 < n_parts) total += invert(uniform53(r.v[2], r.v[3]), c, table);
  }
  return total;
}

}  // namespace starling::codelets::poisson_generator
