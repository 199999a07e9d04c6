#pragma once
// Values drawn from distributions for members (parameters, initial states), and the keys of
// the connections' draws (weights, delays; drawn by the connect codelet). Each draw is keyed so
// that it does not depend on threads, back end or process layout: members by (seed, assignment,
// member's global id, row), connections by (seed, connect call, unit's global id, ordinal).
#include <cstdint>
#include <string>
#include <vector>

#include "codelets/common/distributions.hpp"
#include "starling/types.hpp"

namespace starling::network {

/// Checks a distribution's name and parameters; `what` names the value in messages.
codelets::distribution_params to_params(const distribution& d, const std::string& what);

/// Stream tags: what a key draws for.
enum class draw_purpose : std::uint64_t { weight = 1, delay = 2, member = 3 };

std::uint64_t draw_key(std::uint64_t seed, draw_purpose purpose, std::uint64_t id);

/// n values for members with global ids first_gid ... + n - 1, row `row` of assignment key `key`.
std::vector<double> draw_members(const codelets::distribution_params& p, std::uint64_t key,
                                 std::uint64_t first_gid, std::size_t n, std::uint32_t row,
                                 const std::string& what);

}  // namespace starling::network
