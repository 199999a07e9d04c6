#pragma once
/// NEST's HPC benchmark: a balanced random network of iaf_psc_alpha neurons (NE = 9000 S
/// excitatory, NI = 2250 S inhibitory) with fixed in-degrees of 9000 from E and 2250 from I per
/// neuron whatever the scale S, one Poisson drive, and E->E synapses stdp_pl_synapse_hom
/// (Morrison et al. 2007, Neural Comput. 19:1437; Kunkel et al. 2014, Front. Neuroinform. 8:78).
/// Numbers from NEST's pynest/examples/hpc_benchmark.py (nest-simulator, commit 84b06d8d).
#include <cstdint>

#include "starling/simulator.hpp"

namespace starling::examples {

constexpr std::uint64_t hpc_indegree_e = 9000;  ///< CE: synapses from E onto every neuron
constexpr std::uint64_t hpc_indegree_i = 2250;  ///< CI: synapses from I onto every neuron

struct hpc_options {
  double scale = 1.0;   ///< NE = floor(9000 scale), NI = floor(2250 scale)
  bool plastic = true;  ///< E->E stdp_pl_synapse_hom, else static_synapse of the same weight
  bool record_spikes = true;
  double record_from = 0.0;  // ms: spikes recorded at t > record_from
};

struct hpc_network {
  population e, i;
  recorder spikes_e, spikes_i;  ///< when recording
  std::uint64_t ne = 0, ni = 0;
  double je = 0.0;            // pA, E weight (I: -5 je)
  double poisson_rate = 0.0;  // spikes/s of the drive to each neuron
  std::uint64_t plastic_synapses = 0;
};

/// Population sizes at `scale`: floor(9000 scale) and floor(2250 scale), as the benchmark's
/// int(). Throws invalid_argument unless scale is finite and > 0 and each population has at
/// least 2 neurons (autapses are excluded) and NE + NI fits 32 bits.
void hpc_sizes(double scale, std::uint64_t& ne, std::uint64_t& ni);

/// The lower real branch W_{-1} of Lambert's W (w e^w = x with w <= -1), for -1/e <= x < 0.
double lambert_w_minus1(double x);

/// Time of the peak (ms) of the membrane potential of an iaf_psc_alpha neuron at rest after one
/// alpha-shaped input current (tau_m > tau_syn, both in ms).
double alpha_psp_peak_time(double tau_m, double tau_syn);

/// Synaptic weight (pA) of an alpha-shaped current whose PSP from rest peaks at 1 mV
/// (tau_m, tau_syn in ms, C_m in pF): the benchmark's conversion of JE from mV to pA.
double alpha_psc_weight_per_mv(double tau_m, double tau_syn, double C_m);

/// Creates and connects the benchmark network in `sim`.
hpc_network build_hpc_benchmark(simulator& sim, const hpc_options& options);

}  // namespace starling::examples
