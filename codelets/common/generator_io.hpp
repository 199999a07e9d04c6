#pragma once
// Buffers of generator updates (spike_generator, dc_generator, poisson_generator), in this order.
// Generators have no input ring; they write the step's list of active generators.
#include <cmath>
#include <limits>
#include <string>

#include "codelets/common/quantity.hpp"
#include "starling/error.hpp"

namespace starling::codelets {

enum generator_buffer : int { gen_state, gen_coeff, gen_spikes, gen_stamps, gen_offsets };

/// Step count of a device time (start, stop) in ms; infinity stays beyond any run.
inline double device_steps(const char* model, const char* name, double t, double h) {
  if (std::isinf(t) && t > 0) return 4611686018427387904.0;  // 2^62
  if (!(t >= 0.0) || std::isinf(t))
    throw invalid_argument(std::string(model) + ": " + name + " = " + number(t) +
                           " ms; expected a time >= 0");
  return std::nearbyint(t / h);
}

/// Infinity, the default of every `stop`.
inline constexpr double forever = std::numeric_limits<double>::infinity();

}  // namespace starling::codelets
