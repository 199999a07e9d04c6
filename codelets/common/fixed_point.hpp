#pragma once
// Synaptic input is accumulated as 64-bit fixed-point integers with 32 fractional bits, so the
// sum of a step's inputs does not depend on the order of the additions (CPU loop or GPU atomics).
// Range: |sum| < 2^31 (pA or nS); resolution 2^-32.
#include <cmath>
#include <cstdint>

#include "host_device.hpp"

namespace starling::codelets {

constexpr double fixed_scale = 4294967296.0;  // 2^32
constexpr double fixed_unit = 1.0 / fixed_scale;

/// Rounds x * 2^32 to the nearest integer, ties to even (identical on host and device).
STARLING_HOST_DEVICE inline std::int64_t to_fixed(double x) {
#if defined(__CUDA_ARCH__)
  return __double2ll_rn(x * fixed_scale);
#else
  return static_cast<std::int64_t>(std::nearbyint(x * fixed_scale));
#endif
}

STARLING_HOST_DEVICE inline double from_fixed(std::int64_t v) {
  return static_cast<double>(v) * fixed_unit;
}

}  // namespace starling::codelets
