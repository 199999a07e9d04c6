#pragma once
/// The cortical microcircuit of Potjans & Diesmann (2014, Cereb. Cortex 24:785) with the
/// parameters of NEST's published example: 77,169 iaf_psc_exp neurons in 8 populations, about
/// 0.3 billion synapses, Poisson or DC background.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "starling/simulator.hpp"

namespace starling::examples {

enum class background { poisson, dc };

struct microcircuit_options {
  double scale = 1.0;  ///< fraction of neurons (in-degrees are kept)
  background input = background::poisson;
  bool record_spikes = true;
};

constexpr std::array<const char*, 8> microcircuit_populations = {"L23E", "L23I", "L4E", "L4I",
                                                                 "L5E",  "L5I",  "L6E", "L6I"};

struct microcircuit {
  std::array<population, 8> pops;
  std::vector<recorder> spikes;  ///< one per population when recording
  std::uint64_t neurons = 0;
};

/// Creates and connects the model in `sim`.
microcircuit build_microcircuit(simulator& sim, const microcircuit_options& options);

/// Number of synapses from population `source` to `target` at `scale` (NEST's formula).
double microcircuit_synapses(int target, int source, double scale);

}  // namespace starling::examples
