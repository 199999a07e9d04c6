#pragma once
// noise_generator: a Gaussian current redrawn every dt, a different draw for every target, as
// in NEST. In the active updates (events stamped T with origin + start <= T*h < origin + stop,
// as dc_generator) the generator first turns its oscillator (y_0, y_1) by omega h where std_mod
// is not 0, then, from the first active update on and every dt steps after the last draw, draws
// afresh: each target's current is mean + N sqrt(std^2 + y_1 std_mod^2), N standard normal.
// Every simulate call restarts the oscillator at (cos(omega t + phase), sin(omega t + phase)),
// t the time it starts at (NEST's pre_run_hook), and new targets mean a draw at the next active
// update.
//
// | parameter | default       | unit | meaning                                      |
// |-----------|---------------|------|----------------------------------------------|
// | mean      | 0             | pA   | mean current                                 |
// | std       | 0             | pA   | standard deviation                           |
// | dt        | 10 resolution | ms   | interval between draws (a multiple of h)     |
// | std_mod   | 0             | pA   | modulation of the standard deviation (<= std)|
// | frequency | 0             | Hz   | of the modulation                            |
// | phase     | 0             | deg  | of the modulation                            |
// | start     | 0             | ms   | activation time                              |
// | stop      | inf           | ms   | deactivation time                            |
// | origin    | 0             | ms   | shifts start and stop                        |
//
// A draw is a pure function of (seed, generator) and (draw step, target stream): the deliveries
// compute it where they need it (Philox, then Marsaglia's polar method with portable_log and
// sqrt only), so the CPU and the GPU give identical currents whatever the order. The generator
// keeps the mean, the standard deviation and the step of its last draw, copied each step into the
// rows of the step's parity, which the deliveries read (the delivery of step t reads them while
// the update of step t + 1 may already write).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "codelets/common/generator_io.hpp"
#include "codelets/common/host_device.hpp"
#include "codelets/common/philox.hpp"
#include "codelets/common/portable_math.hpp"
#include "codelets/common/quantity.hpp"
#include "starling/error.hpp"

namespace starling::codelets::noise_generator {

inline constexpr quantity parameters[] = {
    {"mean", 0.0, "pA"},      {"std", 0.0, "pA"},   {"dt", 1.0, "ms"},
    {"std_mod", 0.0, "pA"},   {"frequency", 0.0, "Hz"}, {"phase", 0.0, "deg"},
    {"start", 0.0, "ms"},     {"stop", forever, "ms"},  {"origin", 0.0, "ms"}};
enum param : int { mean, std_dev, dt, std_mod, frequency, phase, start, stop, origin, n_params };
/// NEST's default dt: 10 resolution steps.
inline constexpr double default_dt_steps = 10.0;
inline constexpr quantity states[] = {
    {"y_0", 0.0, ""},       {"y_1", 0.0, ""},       {"_next_draw", 0.0, ""},
    {"_mean", 0.0, "pA"},   {"_sigma", 0.0, "pA"},  {"_drawn", 0.0, ""},
    {"_mean_0", 0.0, "pA"}, {"_sigma_0", 0.0, "pA"}, {"_drawn_0", 0.0, ""},
    {"_mean_1", 0.0, "pA"}, {"_sigma_1", 0.0, "pA"}, {"_drawn_1", 0.0, ""}};
enum state : int {
  y_0,
  y_1,
  next_draw,  ///< stamp of the next draw (0: at the next active update)
  drawn_mean,
  drawn_sigma,
  drawn_step,
  deliver_rows,  ///< (mean, sigma, draw step) of parity 0, then of parity 1
  n_states = deliver_rows + 6
};
inline constexpr int n_public_states = 2;
enum coeff : int {
  start_step,
  stop_step,
  dt_steps,
  a_00,
  a_01,
  a_10,
  a_11,
  c_mean,
  c_std,
  c_std_mod,
  omega,    ///< rad/ms
  phi_rad,  ///< rad
  n_coeffs
};

inline void derive(const double* p, double h, double* c) {
  const auto fail = [](const char* name, double v, const char* unit, const std::string& expected) {
    throw invalid_argument(std::string("noise_generator: ") + name + " = " + number(v) + " " +
                           unit + "; expected " + expected);
  };
  if (!(p[std_dev] >= 0.0)) fail("std", p[std_dev], "pA", "a standard deviation >= 0");
  if (!(p[std_mod] >= 0.0)) fail("std_mod", p[std_mod], "pA", "a standard deviation >= 0");
  if (p[std_mod] > p[std_dev])
    fail("std_mod", p[std_mod], "pA",
         "at most std = " + number(p[std_dev]) + " pA (the modulation may not exceed it)");
  const double steps = p[dt] / h;
  const double rounded = std::nearbyint(steps);
  if (!(p[dt] >= 0.0) || std::isinf(p[dt]) ||
      std::fabs(steps - rounded) > 1e-9 * std::max(1.0, rounded))
    fail("dt", p[dt], "ms", "a multiple of the resolution " + number(h) + " ms, >= 0");
  device_window("noise_generator", p[origin], p[start], p[stop], h, &c[start_step],
                &c[stop_step]);
  c[dt_steps] = rounded;
  c[omega] = 2.0 * 3.14159265358979323846 * p[frequency] / 1000.0;
  c[phi_rad] = p[phase] * 2.0 * 3.14159265358979323846 / 360.0;
  c[a_00] = std::cos(c[omega] * h);
  c[a_01] = -std::sin(c[omega] * h);
  c[a_10] = std::sin(c[omega] * h);
  c[a_11] = std::cos(c[omega] * h);
  c[c_mean] = p[mean];
  c[c_std] = p[std_dev];
  c[c_std_mod] = p[std_mod];
}

/// The oscillator at the start of a simulate call at time t (ms): NEST's pre_run_hook.
inline void restart(const double* c, double t, double* y0, double* y1) {
  *y0 = std::cos(c[omega] * t + c[phi_rad]);
  *y1 = std::sin(c[omega] * t + c[phi_rad]);
}

/// One generator's update stamped `step` on its states s (y_0, y_1, next_draw, drawn_*); returns
/// 1 where it sends (is active).
STARLING_HOST_DEVICE inline std::uint32_t advance(double* s, const double* c, std::int64_t step) {
  const auto t = static_cast<double>(step);
  if (!(c[start_step] <= t && t < c[stop_step])) return 0u;
  if (c[c_std_mod] != 0.0) {
    const double y0 = s[y_0];
    s[y_0] = c[a_00] * y0 + c[a_01] * s[y_1];
    s[y_1] = c[a_10] * y0 + c[a_11] * s[y_1];
  }
  if (t >= s[next_draw]) {
    s[drawn_mean] = c[c_mean];
    s[drawn_sigma] =
        std::sqrt(std::fmax(0.0, c[c_std] * c[c_std] + s[y_1] * c[c_std_mod] * c[c_std_mod]));
    s[drawn_step] = t;
    s[next_draw] = t + c[dt_steps];
  }
  return 1u;
}

/// A standard normal number for (key, stream, draw step): Marsaglia's polar method on Philox
/// blocks with counter (step, stream, attempt).
STARLING_HOST_DEVICE inline double standard_normal(std::uint64_t key, std::uint64_t stream,
                                                   std::int64_t step) {
  for (std::uint32_t j = 0; j < 64; ++j) {
    const philox_block r = philox4x32(
        philox_block{{static_cast<std::uint32_t>(step), static_cast<std::uint32_t>(step >> 32),
                      static_cast<std::uint32_t>(stream),
                      static_cast<std::uint32_t>(stream >> 32) ^ (j << 16)}},
        static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32));
    const double v1 = 2.0 * uniform53(r.v[0], r.v[1]) - 1.0;
    const double v2 = 2.0 * uniform53(r.v[2], r.v[3]) - 1.0;
    const double q = v1 * v1 + v2 * v2;
    if (q > 0.0 && q < 1.0) return v1 * std::sqrt(-2.0 * portable_log(q) / q);
  }
  return 0.0;  // 64 rejections: probability (1 - pi/4)^64, below 1e-42
}

/// The current (pA) a target on random stream `stream` receives at stamp `step`, from the
/// (mean, sigma, draw step) rows of the step's parity, d[0 .. 5].
STARLING_HOST_DEVICE inline double current(const double* d, std::uint64_t key,
                                           std::uint64_t stream, std::int64_t step) {
  const double* at = d + 3 * (step & 1);
  if (at[1] == 0.0) return at[0];
  return at[0] + at[1] * standard_normal(key, stream, static_cast<std::int64_t>(at[2]));
}

}  // namespace starling::codelets::noise_generator
