#pragma once
// NEST's STDP synapse models, written once for the host and the GPU (tests/data/nest/stdp/README.md
// states the rules the NEST 3.10 data show). A synapse's weight changes at each spike of its
// source, at the spike's emission time t; the delay d is all dendritic, so a post spike at s is
// seen by the synapse at s + d. With t_last the source's spike before (0 before the first one):
//   1. facilitation by the post spikes s with t_last - d < s <= t - d, in order;
//   2. depression with the post trace at t - d, from post spikes strictly before t - d.
// Times are whole steps; intervals become ms only inside the exponentials. Every exponential
// and power is the portable one (codelets/common/portable_math.hpp), so host and GPU agree bit
// for bit.
//
// The post side is a history per target neuron (post_history): the steps of its last
// `capacity` spikes and the trace Kminus just after each. A synapse that needs a spike the
// history no longer holds flags it (history_lost) rather than use less than NEST would.
#include <cstdint>

#include "codelets/common/host_device.hpp"
#include "codelets/common/portable_math.hpp"

namespace starling::codelets::plasticity {

enum class stdp_rule : std::int32_t { stdp, pl_hom, nn_symm, nn_pre_centered, nn_restr };

/// One connect call's parameters (NEST's names; one value for the whole call).
struct stdp_params {
  stdp_rule rule = stdp_rule::stdp;
  double tau_plus = 20.0;  // ms
  double lambda = 0.01;
  double alpha = 1.0;
  double mu_plus = 1.0;  ///< stdp_pl_synapse_hom: mu
  double mu_minus = 1.0;
  double w_max = 100.0;  ///< unused by stdp_pl_synapse_hom
  double h = 0.1;        ///< ms per step
};

/// Whether the rule carries the source's trace Kplus (else facilitation pairs with the last pre
/// spike only).
STARLING_HOST_DEVICE inline bool uses_kplus(stdp_rule r) {
  return r == stdp_rule::stdp || r == stdp_rule::pl_hom || r == stdp_rule::nn_pre_centered;
}

/// Whether only the first post spike of the window facilitates.
STARLING_HOST_DEVICE inline bool first_post_only(stdp_rule r) {
  return r == stdp_rule::nn_pre_centered || r == stdp_rule::nn_restr;
}

/// Whether depression uses the nearest post spike only (else the summed trace).
STARLING_HOST_DEVICE inline bool nearest_depression(stdp_rule r) {
  return r == stdp_rule::nn_symm || r == stdp_rule::nn_pre_centered || r == stdp_rule::nn_restr;
}

/// x^y for x >= 0 (NEST's std::pow on the range the rules use).
STARLING_HOST_DEVICE inline double portable_pow(double x, double y) {
  if (y == 1.0) return x;
  if (y == 0.0) return 1.0;
  if (x <= 0.0) return 0.0;
  return portable_exp(y * portable_log(x));
}

STARLING_HOST_DEVICE inline double facilitate(const stdp_params& p, double w, double k) {
  if (p.rule == stdp_rule::pl_hom) return w + p.lambda * portable_pow(w, p.mu_plus) * k;
  const double norm = w / p.w_max + p.lambda * portable_pow(1.0 - w / p.w_max, p.mu_plus) * k;
  return norm < 1.0 ? norm * p.w_max : p.w_max;
}

STARLING_HOST_DEVICE inline double depress(const stdp_params& p, double w, double k) {
  if (p.rule == stdp_rule::pl_hom) {
    const double nw = w - p.lambda * p.alpha * w * k;
    return nw > 0.0 ? nw : 0.0;
  }
  const double norm = w / p.w_max - p.alpha * p.lambda * portable_pow(w / p.w_max, p.mu_minus) * k;
  return norm > 0.0 ? norm * p.w_max : 0.0;
}

/// Words (8 bytes) of the history of n neurons with `capacity` spikes each.
inline std::uint64_t history_words(std::int64_t n, std::int64_t capacity) {
  return static_cast<std::uint64_t>(n) * (2 * static_cast<std::uint64_t>(capacity) + 4);
}

/// The post history of a population, over one array of 8-byte words:
/// [capacity][n] spike steps, [capacity][n] Kminus after each spike, [n] spike counts, [n] step
/// and [n] Kminus of the newest spike overwritten, [n] tau_minus (ms; the host writes it).
struct history_view {
  std::int64_t* step;
  double* kminus;
  std::uint64_t* count;
  std::int64_t* dropped_step;
  double* dropped_kminus;
  const double* tau_minus;
  std::int64_t n;
  std::int64_t capacity;
};

STARLING_HOST_DEVICE inline history_view make_history(void* words, std::int64_t n,
                                                      std::int64_t capacity) {
  auto* w = static_cast<std::uint64_t*>(words);
  const std::int64_t hn = capacity * n;
  return {reinterpret_cast<std::int64_t*>(w),
          reinterpret_cast<double*>(w + hn),
          w + 2 * hn,
          reinterpret_cast<std::int64_t*>(w + 2 * hn + n),
          reinterpret_cast<double*>(w + 2 * hn + 2 * n),
          reinterpret_cast<const double*>(w + 2 * hn + 3 * n),
          n,
          capacity};
}

/// Neuron i spikes `mult` times at `step` (NEST's ArchivingNode::set_spiketime, once per spike):
/// Kminus = Kminus * exp(-(step - last) h / tau_minus) + 1.
STARLING_HOST_DEVICE inline void push_spike(const history_view& v, std::uint32_t i,
                                            std::int64_t step, std::uint32_t mult, double h) {
  for (std::uint32_t r = 0; r < mult; ++r) {
    const std::uint64_t c = v.count[i];
    const auto cap = static_cast<std::uint64_t>(v.capacity);
    double k = 1.0;
    if (c > 0) {
      const std::uint64_t last = ((c - 1) % cap) * static_cast<std::uint64_t>(v.n) + i;
      k = v.kminus[last] *
              portable_exp(-static_cast<double>(step - v.step[last]) * h / v.tau_minus[i]) +
          1.0;
    }
    const std::uint64_t at = (c % cap) * static_cast<std::uint64_t>(v.n) + i;
    if (c >= cap) {
      v.dropped_step[i] = v.step[at];
      v.dropped_kminus[i] = v.kminus[at];
    }
    v.step[at] = step;
    v.kminus[at] = k;
    v.count[i] = c + 1;
  }
}

/// Entry j (0 = neuron i's first spike ever) of neuron i's history.
STARLING_HOST_DEVICE inline std::uint64_t history_at(const history_view& v, std::uint32_t i,
                                                     std::uint64_t j) {
  return (j % static_cast<std::uint64_t>(v.capacity)) * static_cast<std::uint64_t>(v.n) + i;
}

/// The post spikes of neuron i with lo < step <= hi: entries [first, end); `lost` where the
/// history has overwritten one that may lie in the range.
struct post_window {
  std::uint64_t first = 0, end = 0;
  bool lost = false;
};

STARLING_HOST_DEVICE inline post_window find_window(const history_view& v, std::uint32_t i,
                                                    std::int64_t lo, std::int64_t hi) {
  const std::uint64_t c = v.count[i];
  const auto cap = static_cast<std::uint64_t>(v.capacity);
  const std::uint64_t oldest = c > cap ? c - cap : 0;
  std::uint64_t j = c;
  while (j > oldest && v.step[history_at(v, i, j - 1)] > hi) --j;
  post_window w;
  w.end = j;
  while (j > oldest && v.step[history_at(v, i, j - 1)] > lo) --j;
  w.first = j;
  w.lost = c > cap && j == oldest && v.dropped_step[i] > lo;
  return w;
}

/// The post trace of neuron i at step t from its spikes strictly before t: the summed trace
/// (NEST's get_K_value) or, `nearest`, that of the last spike alone; `lost` where the spike
/// needed has been overwritten.
STARLING_HOST_DEVICE inline double post_trace(const history_view& v, std::uint32_t i,
                                              std::int64_t t, bool nearest, double h, bool& lost) {
  const std::uint64_t c = v.count[i];
  const auto cap = static_cast<std::uint64_t>(v.capacity);
  const std::uint64_t oldest = c > cap ? c - cap : 0;
  std::uint64_t j = c;
  while (j > oldest && v.step[history_at(v, i, j - 1)] >= t) --j;
  std::int64_t s = 0;
  double k = 0.0;
  if (j > oldest) {
    s = v.step[history_at(v, i, j - 1)];
    k = v.kminus[history_at(v, i, j - 1)];
  } else if (c > cap) {
    if (v.dropped_step[i] >= t) {
      lost = true;
      return 0.0;
    }
    s = v.dropped_step[i];
    k = v.dropped_kminus[i];
  } else {
    return 0.0;  // no spike before t
  }
  const double decay = portable_exp(-static_cast<double>(t - s) * h / v.tau_minus[i]);
  return nearest ? decay : k * decay;
}

/// The weight of one synapse (delay d steps, target i) after its source's spike at step t, the
/// source's spike before at t_last (0 before the first), with the source's trace kplus_src
/// (stdp, pl) or the synapse's own (syn_kplus: stdp_nn_pre_centered_synapse, updated here).
STARLING_HOST_DEVICE inline double update_weight(const stdp_params& p, double w, double& syn_kplus,
                                                 double kplus_src, std::int64_t t_last,
                                                 std::int64_t t, std::int32_t d,
                                                 const history_view& v, std::uint32_t i,
                                                 bool& lost) {
  const double kp = p.rule == stdp_rule::nn_pre_centered ? syn_kplus : kplus_src;
  // With Kplus = 0 the facilitation changes nothing (and a reset to 0 neither): the window is
  // not needed.
  const bool need_window = !(uses_kplus(p.rule) && kp == 0.0) || p.rule == stdp_rule::nn_restr;
  const post_window win = need_window ? find_window(v, i, t_last - d, t - d) : post_window{};
  if (win.lost) {
    lost = true;
    return w;
  }
  const bool any_post = win.first < win.end;
  for (std::uint64_t j = win.first; j < win.end; ++j) {
    const double minus_dt = static_cast<double>(t_last - (v.step[history_at(v, i, j)] + d)) * p.h;
    const double k = portable_exp(minus_dt / p.tau_plus);
    w = facilitate(p, w, uses_kplus(p.rule) ? kp * k : k);
    if (first_post_only(p.rule)) break;
  }
  if (p.rule != stdp_rule::nn_restr || any_post)
    w = depress(p, w, post_trace(v, i, t - d, nearest_depression(p.rule), p.h, lost));
  if (p.rule == stdp_rule::nn_pre_centered)
    syn_kplus =
        (any_post ? 0.0 : kp) * portable_exp(static_cast<double>(t_last - t) * p.h / p.tau_plus) +
        1.0;
  return w;
}

/// The source's trace after its spike at t (stdp, pl: Kplus = Kplus e^{-(t - t_last)/tau_plus} +
/// 1).
STARLING_HOST_DEVICE inline double next_kplus(const stdp_params& p, double kplus,
                                              std::int64_t t_last, std::int64_t t) {
  return kplus * portable_exp(static_cast<double>(t_last - t) * p.h / p.tau_plus) + 1.0;
}

}  // namespace starling::codelets::plasticity
