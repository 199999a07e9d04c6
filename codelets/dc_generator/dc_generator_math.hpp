#pragma once
// dc_generator: a constant current, as in NEST. The events of a current generator are stamped
// with the end of the step; an event stamped T is sent if origin + start <= T*h < origin + stop,
// so that with delay d the current acts on the membrane from start + d to stop + d (NEST's
// alignment of current generators). Its weight multiplies the amplitude.
//
// | parameter | default | unit | meaning           |
// |-----------|---------|------|-------------------|
// | amplitude | 0       | pA   | current           |
// | start     | 0       | ms   | activation time   |
// | stop      | inf     | ms   | deactivation time |
// | origin    | 0       | ms   | shifts start, stop|
#include <cstdint>

#include "codelets/common/generator_io.hpp"
#include "codelets/common/host_device.hpp"
#include "codelets/common/quantity.hpp"

namespace starling::codelets::dc_generator {

inline constexpr quantity parameters[] = {
    {"amplitude", 0.0, "pA"}, {"start", 0.0, "ms"}, {"stop", forever, "ms"}, {"origin", 0.0, "ms"}};
enum param : int { amplitude, start, stop, origin, n_params };
inline constexpr quantity states[] = {{"unused", 0.0, ""}};
enum state : int { n_states = 1 };
inline constexpr int n_public_states = 0;
enum coeff : int { c_amplitude, start_step, stop_step, n_coeffs };

inline void derive(const double* p, double h, double* c) {
  c[c_amplitude] = p[amplitude];
  device_window("dc_generator", p[origin], p[start], p[stop], h, &c[start_step], &c[stop_step]);
}

STARLING_HOST_DEVICE inline bool active(const double* c, std::int64_t step) {
  const auto t = static_cast<double>(step);
  return c[start_step] <= t && t < c[stop_step] && c[c_amplitude] != 0.0;
}

}  // namespace starling::codelets::dc_generator
