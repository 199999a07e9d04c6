#include "microcircuit.hpp"

#include <cmath>

namespace starling::examples {

namespace {

// Potjans & Diesmann (2014), as in NEST's microcircuit example (network_params.py).
constexpr double full_size[8] = {20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948};
// Connection probabilities, rows: target, columns: source.
constexpr double conn_prob[8][8] = {
    {0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0},
    {0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0},
    {0.0077, 0.0059, 0.0497, 0.1350, 0.0067, 0.0003, 0.0453, 0.0},
    {0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0},
    {0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0},
    {0.0548, 0.0269, 0.0257, 0.0022, 0.0600, 0.3158, 0.0086, 0.0},
    {0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252},
    {0.0364, 0.0010, 0.0034, 0.0005, 0.0277, 0.0080, 0.0658, 0.1443}};
constexpr double k_ext[8] = {1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100};
constexpr double v0_mean[8] = {-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43};
constexpr double v0_sd[8] = {5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48};
constexpr double bg_rate = 8.0;  // Hz
constexpr double weight = 87.8;  // pA, PSP 0.15 mV
constexpr double g = -4.0;
constexpr double weight_rel_sd = 0.1;
constexpr double delay_exc = 1.5, delay_inh = 0.75, delay_rel_sd = 0.5;  // ms
constexpr double tau_syn = 0.5;                                          // ms

distribution normal_clipped(double mu, double sigma, const char* bound, double at) {
  return distribution{"normal_clipped", {{"mu", mu}, {"sigma", sigma}, {bound, at}}};
}

}  // namespace

double microcircuit_synapses(int target, int source, double scale) {
  const double prod = full_size[target] * full_size[source];
  const double k = std::log(1.0 - conn_prob[target][source]) / std::log((prod - 1.0) / prod);
  return std::round(k * scale);
}

microcircuit build_microcircuit(simulator& sim, const microcircuit_options& o) {
  if (!(o.scale > 0.0 && o.scale <= 1.0))
    throw invalid_argument("microcircuit: scale " + std::to_string(o.scale) +
                           "; expected 0 < scale <= 1");
  microcircuit m;
  const double h = sim.resolution();
  for (int i = 0; i < 8; ++i) {
    const auto n = static_cast<std::size_t>(std::round(full_size[i] * o.scale));
    value_map params{{"C_m", 250.0},
                     {"E_L", -65.0},
                     {"V_th", -50.0},
                     {"V_reset", -65.0},
                     {"tau_m", 10.0},
                     {"t_ref", 2.0},
                     {"tau_syn_ex", tau_syn},
                     {"tau_syn_in", tau_syn},
                     {"V_m", distribution{"normal", {{"mu", v0_mean[i]}, {"sigma", v0_sd[i]}}}}};
    if (o.input == background::dc)
      params["I_e"] = bg_rate * k_ext[i] * weight * tau_syn * 1e-3;  // mean input current, pA
    m.pops[static_cast<std::size_t>(i)] = sim.create("iaf_psc_exp", n, params);
    m.neurons += n;
  }
  for (int t = 0; t < 8; ++t) {
    for (int s = 0; s < 8; ++s) {
      const double n_syn = microcircuit_synapses(t, s, o.scale);
      if (n_syn <= 0) continue;
      const bool exc = s % 2 == 0;
      double w = exc ? weight : g * weight;
      if (t == 0 && s == 2) w *= 2.0;  // L4E -> L2/3E
      const double d = exc ? delay_exc : delay_inh;
      rule r{"fixed_total_number"};
      r.total = static_cast<std::size_t>(n_syn);
      r.allow_autapses = false;
      synapse syn;
      syn.weight = exc ? normal_clipped(w, std::fabs(w) * weight_rel_sd, "low", 0.0)
                       : normal_clipped(w, std::fabs(w) * weight_rel_sd, "high", 0.0);
      syn.delay = normal_clipped(d, d * delay_rel_sd, "low", h);
      sim.connect(m.pops[static_cast<std::size_t>(s)], m.pops[static_cast<std::size_t>(t)], r, syn);
    }
  }
  if (o.input == background::poisson) {
    for (int t = 0; t < 8; ++t) {
      auto pg = sim.create("poisson_generator", 1, {{"rate", bg_rate * k_ext[t]}});
      synapse syn;
      syn.weight = weight;
      syn.delay = delay_exc;
      sim.connect(pg, m.pops[static_cast<std::size_t>(t)], {"all_to_all"}, syn);
    }
  }
  if (o.record_spikes)
    for (const population& p : m.pops) m.spikes.push_back(sim.record_spikes(p));
  return m;
}

}  // namespace starling::examples
