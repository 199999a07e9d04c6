// The Potjans & Diesmann microcircuit at a quarter of its size (in-degrees kept): per-population
// rates near those NEST reports for the full model with Poisson input (Potjans & Diesmann 2014;
// NEST's microcircuit example): L2/3e 0.9, L2/3i 3.0, L4e 4.4, L4i 5.9, L5e 7.7, L5i 8.7,
// L6e 1.1, L6i 7.8 spikes/s.
#include <gtest/gtest.h>

#include <cmath>

#include "microcircuit/microcircuit.hpp"

TEST(Microcircuit, QuarterScaleRatesAreNestRates) {
  const double nest[8] = {0.9, 3.0, 4.4, 5.9, 7.7, 8.7, 1.1, 7.8};
  starling::kernel_options o;
  o.where = starling::backend::cpu;
  o.seed = 55;
  starling::simulator sim(o);
  starling::examples::microcircuit_options mo;
  mo.scale = 0.25;
  const auto net = starling::examples::build_microcircuit(sim, mo);
  EXPECT_EQ(net.neurons, 19294u);
  // Synapse counts follow NEST's formula K = log(1 - p) / log(1 - 1 / (N_pre N_post)).
  double expected_synapses = 0;
  for (int t = 0; t < 8; ++t)
    for (int s = 0; s < 8; ++s)
      expected_synapses += starling::examples::microcircuit_synapses(t, s, 0.25);
  EXPECT_EQ(static_cast<double>(sim.num_connections()), expected_synapses + 19294.0);  // + Poisson
  const double t_presim = 200.0, t_sim = 1000.0;
  sim.simulate(t_presim);
  sim.simulate(t_sim);
  for (std::size_t p = 0; p < 8; ++p) {
    const starling::spike_data& s = sim.spikes(net.spikes[p]);
    std::size_t n = 0;
    for (double t : s.time) n += t > t_presim ? 1 : 0;
    const double rate =
        static_cast<double>(n) / static_cast<double>(net.pops[p].size) / (t_sim * 1e-3);
    // Within 30% of NEST's full-scale rate (the quarter-scale network is not the full one).
    EXPECT_NEAR(rate, nest[p], 0.3 * nest[p]) << starling::examples::microcircuit_populations[p];
  }
}
