#include "hpc_benchmark.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "starling/error.hpp"

namespace starling::examples {

namespace {

// NEST's pynest/examples/hpc_benchmark.py (nest-simulator commit 84b06d8d, brunel_params): the
// values used on JUQUEEN, which that file says differ from those reported by Kunkel et al. 2014.
constexpr double ne_per_scale = 9000.0, ni_per_scale = 2250.0;
constexpr double C_m = 250.0;    // pF
constexpr double tau_m = 10.0;   // ms
constexpr double t_ref = 0.5;    // ms
constexpr double E_L = 0.0;      // mV
constexpr double V_th = 20.0;    // mV
constexpr double V_reset = 0.0;  // mV
// ms; chosen there so that the PSP peaks 1.700759 ms after the input (earlier benchmarks).
constexpr double tau_syn = 0.32582722403722841;
constexpr double tau_minus = 30.0;                 // ms, STDP depression (a neuron parameter)
constexpr double V_m_mean = 5.7, V_m_sigma = 7.2;  // mV, initial V_m ~ normal
constexpr double delay = 1.5;                      // ms, every connection
constexpr double psp_e = 0.14;                     // mV, peak of the excitatory PSP (JE)
constexpr double g = 5.0;                          // inhibitory weight -g JE
constexpr double eta = 1.685;                      // external drive relative to the threshold rate
// stdp_pl_synapse_hom (Morrison et al. 2007): alpha, lambda, mu, tau_plus (ms).
constexpr double stdp_alpha = 0.0513, stdp_lambda = 0.1, stdp_mu = 0.4, stdp_tau_plus = 15.0;

std::string text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

}  // namespace

void hpc_sizes(double scale, std::uint64_t& ne, std::uint64_t& ni) {
  if (!(std::isfinite(scale) && scale > 0.0))
    throw invalid_argument("hpc benchmark: scale " + text(scale) +
                           "; expected a finite number > 0");
  // Truncated as Python's int() in the benchmark: scale 0.02 gives 180 + 45 neurons.
  const double e = std::floor(ne_per_scale * scale), i = std::floor(ni_per_scale * scale);
  if (e + i > 4294967295.0)
    throw invalid_argument("hpc benchmark: scale " + text(scale) +
                           " gives more than 2^32 - 1 neurons; expected fewer");
  if (e < 2.0 || i < 2.0)
    throw invalid_argument("hpc benchmark: scale " + text(scale) + " gives " +
                           std::to_string(static_cast<std::uint64_t>(e)) + " excitatory and " +
                           std::to_string(static_cast<std::uint64_t>(i)) +
                           " inhibitory neurons; expected at least 2 of each (scale >= 2/2250)");
  ne = static_cast<std::uint64_t>(e);
  ni = static_cast<std::uint64_t>(i);
}

double lambert_w_minus1(double x) {
  const double branch_point = -std::exp(-1.0);
  if (!(x >= branch_point && x < 0.0))
    throw invalid_argument("lambert_w_minus1: argument " + text(x) + "; expected -1/e <= x < 0");
  // Start near the branch point from the series in p = -sqrt(2 (1 + e x)), elsewhere from the
  // asymptote log(-x) - log(-log(-x)); then Halley's iteration on f(w) = w e^w - x.
  double w;
  if (x < -0.25) {
    const double p = -std::sqrt(2.0 * (1.0 + std::exp(1.0) * x));
    w = -1.0 + p - p * p / 3.0 + 11.0 / 72.0 * p * p * p;
  } else {
    const double l1 = std::log(-x);
    w = l1 - std::log(-l1);
  }
  for (int k = 0; k < 64; ++k) {
    if (w == -1.0) break;  // the branch point itself
    const double ew = std::exp(w);
    const double f = w * ew - x;
    const double step = f / (ew * (w + 1.0) - (w + 2.0) * f / (2.0 * w + 2.0));
    w -= step;
    if (std::fabs(step) <= 1e-15 * std::fabs(w)) break;
  }
  return w;
}

double alpha_psp_peak_time(double tau_m_ms, double tau_syn_ms) {
  if (!(tau_m_ms > tau_syn_ms && tau_syn_ms > 0.0))
    throw invalid_argument("alpha_psp_peak_time: tau_m " + text(tau_m_ms) + " ms, tau_syn " +
                           text(tau_syn_ms) + " ms; expected tau_m > tau_syn > 0");
  // With b = 1/tau_syn - 1/tau_m and a = tau_m/tau_syn, dV/dt = 0 gives e^(b t) = 1 + a b t;
  // z = -(b t + 1/a) then solves z e^z = -e^(-1/a)/a, the root with t > 0 on branch -1.
  const double a = tau_m_ms / tau_syn_ms, b = 1.0 / tau_syn_ms - 1.0 / tau_m_ms;
  return (-lambert_w_minus1(-std::exp(-1.0 / a) / a) - 1.0 / a) / b;
}

double alpha_psc_weight_per_mv(double tau_m_ms, double tau_syn_ms, double C_m_pF) {
  // Input J e t/tau_syn e^(-t/tau_syn) (pA, peak J at tau_syn) into tau_m dV/dt = -V + tau_m I/C
  // from V = 0 gives V(t) = J e / (tau_syn C b) [(e^(-t/tau_m) - e^(-t/tau_syn))/b
  // - t e^(-t/tau_syn)]; its value at the peak for J = 1 pA is mV per pA.
  const double t = alpha_psp_peak_time(tau_m_ms, tau_syn_ms);
  const double b = 1.0 / tau_syn_ms - 1.0 / tau_m_ms;
  const double v_max =
      std::exp(1.0) / (tau_syn_ms * C_m_pF * b) *
      ((std::exp(-t / tau_m_ms) - std::exp(-t / tau_syn_ms)) / b - t * std::exp(-t / tau_syn_ms));
  return 1.0 / v_max;
}

hpc_network build_hpc_benchmark(simulator& sim, const hpc_options& o) {
  hpc_network net;
  hpc_sizes(o.scale, net.ne, net.ni);
  net.je = alpha_psc_weight_per_mv(tau_m, tau_syn, C_m) * psp_e;
  // Drive: the rate that brings the mean free membrane potential to threshold through CE inputs
  // of weight JE (nu_th, spikes/ms), times eta, times CE, as one Poisson train per neuron.
  const double ce = static_cast<double>(hpc_indegree_e);
  const double nu_th = V_th / (ce * tau_m / C_m * net.je * std::exp(1.0) * tau_syn);
  net.poisson_rate = eta * nu_th * ce * 1000.0;

  value_map params{{"E_L", E_L},
                   {"C_m", C_m},
                   {"tau_m", tau_m},
                   {"t_ref", t_ref},
                   {"V_th", V_th},
                   {"V_reset", V_reset},
                   {"tau_syn_ex", tau_syn},
                   {"tau_syn_in", tau_syn},
                   {"V_m", distribution{"normal", {{"mu", V_m_mean}, {"sigma", V_m_sigma}}}}};
  if (o.plastic) params["tau_minus"] = tau_minus;
  net.e = sim.create("iaf_psc_alpha", net.ne, params);
  net.i = sim.create("iaf_psc_alpha", net.ni, params);
  auto drive = sim.create("poisson_generator", 1, {{"rate", net.poisson_rate}});

  synapse exc, inh, ee;
  exc.weight = net.je;
  exc.delay = delay;
  inh.weight = -g * net.je;
  inh.delay = delay;
  ee = exc;
  if (o.plastic) {
    ee.model = "stdp_pl_synapse_hom";
    ee.params = {{"alpha", stdp_alpha},
                 {"lambda", stdp_lambda},
                 {"mu", stdp_mu},
                 {"tau_plus", stdp_tau_plus}};
    net.plastic_synapses = net.ne * hpc_indegree_e;
  }
  // Multapses allowed, autapses not; the benchmark's order of connect calls.
  rule from_e{"fixed_indegree"}, from_i{"fixed_indegree"};
  from_e.indegree = hpc_indegree_e;
  from_i.indegree = hpc_indegree_i;
  from_e.allow_autapses = from_i.allow_autapses = false;
  sim.connect(drive, net.e, {"all_to_all"}, exc);
  sim.connect(drive, net.i, {"all_to_all"}, exc);
  sim.connect(net.e, net.e, from_e, ee);
  sim.connect(net.i, net.e, from_i, inh);
  sim.connect(net.e, net.i, from_e, exc);
  sim.connect(net.i, net.i, from_i, inh);
  if (o.record_spikes) {
    recording_window w;
    w.start = o.record_from;
    net.spikes_e = sim.record_spikes(net.e, w);
    net.spikes_i = sim.record_spikes(net.i, w);
  }
  return net;
}

}  // namespace starling::examples
