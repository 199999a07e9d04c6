#pragma once
// NEST's connection rules: the checks of a connect call and the specification the connect
// codelet generates from (codelets/connect).
#include <cstdint>

#include "codelets/connect/connect_math.hpp"
#include "starling/types.hpp"

namespace starling::network {

/// Validates the rule for populations of n_pre and n_post members (`same`: one population) and
/// fills the rule part of a codelet spec. Throws invalid_argument for unknown rules and
/// impossible requests.
codelets::connect::rule_spec make_rule_spec(const rule& r, std::uint32_t n_pre,
                                            std::uint32_t n_post, bool same, std::uint64_t seed,
                                            std::uint64_t call);

/// Number of connections the rule makes (the expectation for pairwise_bernoulli), before any
/// is generated: what a memory check needs.
double expected_connections(const rule& r, std::uint32_t n_pre, std::uint32_t n_post);

}  // namespace starling::network
