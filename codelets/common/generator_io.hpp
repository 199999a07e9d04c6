#pragma once
// Buffers of generator updates (spike_generator, dc_generator, poisson_generator,
// step_current_generator, noise_generator), in this order. Generators have no input ring; they
// write the step's list of active generators. Generators with times (spike_generator,
// step_current_generator) also read a table of all members' time stamps (steps), its offsets
// ([n + 1]) and one value per stamp (spike weight, amplitude).
#include <cmath>
#include <limits>
#include <string>

#include "codelets/common/quantity.hpp"
#include "starling/error.hpp"

namespace starling::codelets {

enum generator_buffer : int { gen_state, gen_coeff, gen_spikes, gen_stamps, gen_offsets, gen_values };

/// Step count of a device time (start, stop) in ms; infinity stays beyond any run.
inline double device_steps(const char* model, const char* name, double t, double h) {
  if (std::isinf(t) && t > 0) return 4611686018427387904.0;  // 2^62
  if (!(t >= 0.0) || std::isinf(t))
    throw invalid_argument(std::string(model) + ": " + name + " = " + number(t) +
                           " ms; expected a time >= 0");
  return std::nearbyint(t / h);
}

/// A device's activity window as NEST computes it: t_min = origin + start and t_max = origin +
/// stop, in steps (each time rounded to steps), with stop >= start.
inline void device_window(const char* model, double origin, double start, double stop, double h,
                          double* t_min, double* t_max) {
  const double o = device_steps(model, "origin", origin, h);
  const double from = device_steps(model, "start", start, h);
  const double to = device_steps(model, "stop", stop, h);
  if (!(stop >= start))
    throw invalid_argument(std::string(model) + ": stop = " + number(stop) + " ms is before start = " +
                           number(start) + " ms; expected stop >= start");
  *t_min = o + from;
  *t_max = o + to;
}

/// Infinity, the default of every `stop`.
inline constexpr double forever = std::numeric_limits<double>::infinity();

}  // namespace starling::codelets
