#pragma once
// Connection generation with NEST's rules, as pure functions of counter-based random streams,
// shared by the CPU and CUDA codelets. Work is split into units that can run in parallel:
// targets for one_to_one, all_to_all, fixed_indegree and pairwise_bernoulli; sources for
// fixed_outdegree; single connections for fixed_total_number. Unit u writes its connections at
// offset[u] in generation order (NEST's order for per-connection arrays), and the k-th
// connection of a unit draws its weight and delay from stream (unit's global id, k).
#include <cstdint>

#include "codelets/common/distributions.hpp"
#include "codelets/common/host_device.hpp"
#include "codelets/common/philox.hpp"
#include "codelets/common/synapse_table.hpp"

namespace starling::codelets::connect {

enum class rule_kind : std::uint8_t {
  one_to_one,
  all_to_all,
  fixed_indegree,
  fixed_outdegree,
  fixed_total_number,
  pairwise_bernoulli
};

/// How a connection's weight or delay is given: one value, an array in generation order, or a
/// distribution.
enum class value_kind : std::uint8_t { scalar, array, distribution };

struct value_spec {
  value_kind kind = value_kind::scalar;
  double scalar = 0.0;
  distribution_params dist;
  std::uint64_t key = 0;
};

/// What failed while generating; the host turns it into a message.
enum status_word : int {
  st_error,
  st_value,
  st_index,
  st_max_delay,
  st_min_delay,
  st_max_weight,  ///< largest |weight| of the table (bounds the input a target can receive)
  n_status
};
enum error_code : int {
  err_none,
  err_delay_below_resolution,
  err_delay_too_long,
  err_weight_not_finite,
  err_no_candidates,
  err_weight_beyond_ring,
  err_weight_lost_in_float
};

constexpr double max_delay_steps = 1e6;
/// Largest |weight| (pA or nS): the input rings sum in 64-bit fixed point with 32 fractional
/// bits, so one spike of 2^31 would already wrap.
constexpr double max_weight = 2147483648.0;

struct rule_spec {
  rule_kind kind = rule_kind::all_to_all;
  std::uint32_t n_pre = 0;
  std::uint32_t n_post = 0;
  std::uint64_t degree = 0;  ///< indegree, outdegree or total
  double p = 0.0;
  bool autapses = true;
  bool multapses = true;
  bool same = false;           ///< pre and post are one population
  std::uint64_t rule_key = 0;  ///< Philox key of the rule's choices
  std::uint64_t pre_gid = 0;   ///< global id of pre's member 0
  std::uint64_t post_gid = 0;  ///< global id of post's member 0
  value_spec weight, delay;
  double h = 0.1;                // ms
  std::int32_t target_bits = 1;  ///< bits of a target index in the packed synapse
  double max_delay = 1.0;        ///< longest delay in steps the table can hold
  /// The part of the call this table holds: units [first_unit, last_unit) (a large call is
  /// generated in parts of fewer than 2^31 connections, each its own table, with the random
  /// streams of the whole call).
  std::uint64_t first_unit = 0;
  std::uint64_t last_unit = ~0ull;
};

/// Number of units of a rule.
STARLING_HOST_DEVICE inline std::uint64_t units(const rule_spec& s) {
  switch (s.kind) {
    case rule_kind::fixed_outdegree:
      return s.n_pre;
    case rule_kind::fixed_total_number:
      return s.degree;
    default:
      break;
  }
  return s.n_post;
}

/// Number of units of the part of the call that `s` generates.
STARLING_HOST_DEVICE inline std::uint64_t part_units(const rule_spec& s) {
  const std::uint64_t n = units(s);
  const std::uint64_t last = s.last_unit < n ? s.last_unit : n;
  return last > s.first_unit ? last - s.first_unit : 0;
}

/// 64 random bits number k of unit u.
STARLING_HOST_DEVICE inline std::uint64_t bits(std::uint64_t key, std::uint64_t u,
                                               std::uint64_t k) {
  const philox_block r =
      philox4x32(philox_block{{static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(k >> 32),
                               static_cast<std::uint32_t>(u), static_cast<std::uint32_t>(u >> 32)}},
                 static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32));
  return (static_cast<std::uint64_t>(r.v[0]) << 32) | r.v[1];
}

/// floor(x * n / 2^64): a uniform integer in [0, n) from 64 random bits.
STARLING_HOST_DEVICE inline std::uint32_t scale_below(std::uint64_t x, std::uint32_t n) {
  const std::uint64_t hi = (x >> 32) * n;
  const std::uint64_t lo = ((x & 0xffffffffull) * n) >> 32;
  return static_cast<std::uint32_t>((hi + lo) >> 32);
}

STARLING_HOST_DEVICE inline double unit_uniform(std::uint64_t x) {
  return static_cast<double>(x >> 11) * (1.0 / 9007199254740992.0);
}

/// Connections unit u makes (pairwise_bernoulli draws them; the other rules fix them).
STARLING_HOST_DEVICE inline std::uint64_t unit_count(const rule_spec& s, std::uint64_t u) {
  const bool no_self = s.same && !s.autapses;
  switch (s.kind) {
    case rule_kind::one_to_one:
      return no_self ? 0 : 1;
    case rule_kind::all_to_all:
      return s.n_pre - (no_self && u < s.n_pre ? 1 : 0);
    case rule_kind::fixed_indegree:
    case rule_kind::fixed_outdegree:
      return s.degree;
    case rule_kind::fixed_total_number:
      return 1;
    case rule_kind::pairwise_bernoulli:
      break;
  }
  std::uint64_t n = 0;
  for (std::uint32_t i = 0; i < s.n_pre; ++i)
    if (!(no_self && i == u) && unit_uniform(bits(s.rule_key, u, i)) < s.p) ++n;
  return n;
}

/// Where unit u's connections start, for every rule but pairwise_bernoulli (whose counts are
/// drawn and summed by a count task).
STARLING_HOST_DEVICE inline std::uint64_t unit_offset(const rule_spec& s, std::uint64_t u) {
  const bool no_self = s.same && !s.autapses;
  switch (s.kind) {
    case rule_kind::one_to_one:
      return no_self ? 0 : u;
    case rule_kind::all_to_all:
      return u * s.n_pre - (no_self ? (u < s.n_pre ? u : s.n_pre) : 0);
    case rule_kind::fixed_indegree:
    case rule_kind::fixed_outdegree:
      return u * s.degree;
    default:
      break;
  }
  return u;  // fixed_total_number: one connection per unit
}

/// Where unit u (of the whole call) starts in its part's output, for every rule but
/// pairwise_bernoulli.
STARLING_HOST_DEVICE inline std::uint64_t part_offset(const rule_spec& s, std::uint64_t u) {
  return unit_offset(s, u) - unit_offset(s, s.first_unit);
}

/// Output of generation, in generation order.
struct generated {
  std::uint32_t* source;
  std::uint32_t* target;
  float* weight;
  std::int32_t* delay;
  double* status;  ///< [n_status], written on the first error only by the CPU path
  const double* weight_array;
  const double* delay_array;
};

/// The value of connection `at` (generation index), ordinal k of the unit with global id gid.
STARLING_HOST_DEVICE inline double value_of(const value_spec& v, const double* array,
                                            std::uint64_t at, std::uint64_t gid, std::uint32_t k) {
  switch (v.kind) {
    case value_kind::scalar:
      return v.scalar;
    case value_kind::array:
      return array[at];
    case value_kind::distribution:
      break;
  }
  random_stream r(v.key, gid, k);
  return sample(v.dist, r);
}

/// Checks and stores connection `at`; returns an error code (err_none if fine).
STARLING_HOST_DEVICE inline int store(const rule_spec& s, const generated& g, std::uint64_t at,
                                      std::uint32_t i, std::uint32_t j, std::uint64_t gid,
                                      std::uint32_t k, double& bad) {
  const double w = value_of(s.weight, g.weight_array, at, gid, k);
  const double d = value_of(s.delay, g.delay_array, at, gid, k);
  g.source[at] = i;
  g.target[at] = j;
  const auto wf = static_cast<float>(w);
  g.weight[at] = wf;
  // NEST: ld_round(delay * steps_per_ms); a delay below the resolution is refused.
  const double steps =
      d == d ? static_cast<double>(static_cast<std::int64_t>(d * (1.0 / s.h) + 0.5)) : -1.0;
  g.delay[at] = steps >= 1.0 && steps <= s.max_delay ? static_cast<std::int32_t>(steps) : 0;
  if (!(wf - wf == 0.0f)) {
    bad = w;
    return err_weight_not_finite;
  }
  if (!(w > -max_weight && w < max_weight)) {
    bad = w;
    return err_weight_beyond_ring;
  }
  if (wf == 0.0f && w != 0.0) {  // below float's smallest subnormal: it would weigh nothing
    bad = w;
    return err_weight_lost_in_float;
  }
  if (!(d >= s.h * (1.0 - 1e-9)) || steps < 1.0) {
    bad = d;
    return err_delay_below_resolution;
  }
  if (steps > s.max_delay) {
    bad = d;
    return err_delay_too_long;
  }
  return err_none;
}

/// Draws `count` members of [0, n) for unit u into out[0..count), skipping `self` (if >= 0)
/// and, without multapses, repeats (by scanning what was drawn). Returns false if impossible.
STARLING_HOST_DEVICE inline bool draw_members(const rule_spec& s, std::uint64_t u,
                                              std::uint64_t count, std::uint32_t n,
                                              std::int64_t self, std::uint32_t* out) {
  const std::uint64_t available = n - (self >= 0 ? 1 : 0);
  if (count > 0 && available == 0) return false;
  if (!s.multapses && count > available) return false;
  std::uint64_t have = 0;
  for (std::uint64_t k = 0; have < count; ++k) {
    const std::uint32_t c = scale_below(bits(s.rule_key, u, k), n);
    if (static_cast<std::int64_t>(c) == self) continue;
    bool repeat = false;
    if (!s.multapses)
      for (std::uint64_t q = 0; q < have && !repeat; ++q) repeat = out[q] == c;
    if (repeat) continue;
    out[have++] = c;
  }
  return true;
}

/// Generates unit u's connections at offset `at`; returns an error code.
STARLING_HOST_DEVICE inline int generate_unit(const rule_spec& s, const generated& g,
                                              std::uint64_t u, std::uint64_t at, double& bad) {
  const bool no_self = s.same && !s.autapses;
  int err = err_none;
  auto put = [&](std::uint32_t i, std::uint32_t j, std::uint64_t gid, std::uint32_t k) {
    const int e = store(s, g, at + k, i, j, gid, k, bad);
    if (err == err_none) err = e;
  };
  const auto uu = static_cast<std::uint32_t>(u);
  switch (s.kind) {
    case rule_kind::one_to_one:
      if (!no_self) put(uu, uu, s.post_gid + u, 0);
      break;
    case rule_kind::all_to_all: {
      std::uint32_t k = 0;
      for (std::uint32_t i = 0; i < s.n_pre; ++i)
        if (!(no_self && i == uu)) put(i, uu, s.post_gid + u, k++);
      break;
    }
    case rule_kind::pairwise_bernoulli: {
      std::uint32_t k = 0;
      for (std::uint32_t i = 0; i < s.n_pre; ++i)
        if (!(no_self && i == uu) && unit_uniform(bits(s.rule_key, u, i)) < s.p)
          put(i, uu, s.post_gid + u, k++);
      break;
    }
    case rule_kind::fixed_indegree:
      if (!draw_members(s, u, s.degree, s.n_pre, no_self ? static_cast<std::int64_t>(u) : -1,
                        g.source + at))
        return err_no_candidates;
      for (std::uint32_t k = 0; k < s.degree; ++k) put(g.source[at + k], uu, s.post_gid + u, k);
      break;
    case rule_kind::fixed_outdegree:
      if (!draw_members(s, u, s.degree, s.n_post, no_self ? static_cast<std::int64_t>(u) : -1,
                        g.target + at))
        return err_no_candidates;
      for (std::uint32_t k = 0; k < s.degree; ++k) put(uu, g.target[at + k], s.pre_gid + u, k);
      break;
    case rule_kind::fixed_total_number:
      for (std::uint64_t attempt = 0;; ++attempt) {
        const std::uint32_t i = scale_below(bits(s.rule_key, u, 2 * attempt), s.n_pre);
        const std::uint32_t j = scale_below(bits(s.rule_key, u, 2 * attempt + 1), s.n_post);
        if (no_self && i == j) continue;
        // Without multapses the units run in order and refuse pairs an earlier unit made.
        bool repeat = false;
        if (!s.multapses)
          for (std::uint64_t q = 0; q < at && !repeat; ++q)
            repeat = g.source[q] == i && g.target[q] == j;
        if (repeat) continue;
        put(i, j, (1ull << 62) + u, 0);
        break;
      }
      break;
  }
  return err;
}

/// Whether units must run one after the other (fixed_total_number without multapses).
STARLING_HOST_DEVICE inline bool sequential(const rule_spec& s) {
  return s.kind == rule_kind::fixed_total_number && !s.multapses;
}

/// Sort key of a connection in the delivery table: source, then the packed word (delay, then
/// target).
STARLING_HOST_DEVICE inline std::uint64_t csr_key(std::uint32_t source, std::uint32_t target,
                                                  std::int32_t delay, std::int32_t target_bits) {
  return (static_cast<std::uint64_t>(source) << 32) | pack_synapse(target, delay, target_bits);
}

}  // namespace starling::codelets::connect
