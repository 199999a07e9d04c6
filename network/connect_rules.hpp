#pragma once
// NEST's connection rules: which (source, target) pairs a connect call makes, in the order that
// per-connection weight and delay arrays follow. Random choices are counter-based, keyed by
// (seed, connect call, target or source, draw), so they do not depend on threads or processes.
#include <cstdint>
#include <utility>
#include <vector>

#include "starling/types.hpp"

namespace starling::network {

using pair_list = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

/// Pairs (source, target) of local indices. `same` says pre and post are one population (for
/// allow_autapses). Throws invalid_argument for unknown rules and impossible requests.
pair_list make_pairs(const rule& r, std::uint32_t n_pre, std::uint32_t n_post, bool same,
                     std::uint64_t seed, std::uint64_t call);

/// Number of connections the rule makes (the expectation for pairwise_bernoulli), before any
/// is generated: what a memory check needs.
double expected_connections(const rule& r, std::uint32_t n_pre, std::uint32_t n_post);

}  // namespace starling::network
