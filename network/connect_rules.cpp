#include "connect_rules.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "codelets/common/philox.hpp"
#include "starling/error.hpp"

namespace starling::network {

namespace {

/// Counter-based random stream of one connect call.
class stream {
 public:
  stream(std::uint64_t seed, std::uint64_t call) : key_(codelets::philox_key(seed, call + (1ull << 40))) {}

  /// 64 random bits for draw `k` of unit `unit` (a target or a source).
  std::uint64_t bits(std::uint64_t unit, std::uint64_t k) const {
    const codelets::philox_block r = codelets::philox4x32(
        {{static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(k >> 32),
          static_cast<std::uint32_t>(unit), static_cast<std::uint32_t>(unit >> 32)}},
        static_cast<std::uint32_t>(key_), static_cast<std::uint32_t>(key_ >> 32));
    return (static_cast<std::uint64_t>(r.v[0]) << 32) | r.v[1];
  }
  /// Uniform integer in [0, n).
  std::uint32_t below(std::uint32_t n, std::uint64_t unit, std::uint64_t k) const {
    __extension__ using u128 = unsigned __int128;
    return static_cast<std::uint32_t>((static_cast<u128>(bits(unit, k)) * n) >> 64);
  }
  /// Uniform double in [0, 1).
  double uniform(std::uint64_t unit, std::uint64_t k) const {
    return static_cast<double>(bits(unit, k) >> 11) * (1.0 / 9007199254740992.0);
  }

 private:
  std::uint64_t key_;
};

[[noreturn]] void impossible(const std::string& rule, const std::string& why) {
  throw invalid_argument("connect: rule " + rule + ": " + why);
}

/// Draws `count` members of [0, n) for `unit`, skipping `self` (if < n) and, without multapses,
/// repeats.
std::vector<std::uint32_t> draw(const stream& s, std::uint64_t unit, std::size_t count,
                                std::uint32_t n, std::int64_t self, bool multapses,
                                const std::string& rule) {
  const std::size_t available = n - (self >= 0 ? 1 : 0);
  if (count > 0 && available == 0) impossible(rule, "no candidates to draw from");
  if (!multapses && count > available)
    impossible(rule, "degree " + std::to_string(count) + " exceeds the " +
                         std::to_string(available) + " candidates while allow_multapses is false");
  std::vector<std::uint32_t> out;
  out.reserve(count);
  std::set<std::uint32_t> seen;
  for (std::uint64_t k = 0; out.size() < count; ++k) {
    const std::uint32_t c = s.below(n, unit, k);
    if (static_cast<std::int64_t>(c) == self) continue;
    if (!multapses && !seen.insert(c).second) continue;
    out.push_back(c);
  }
  return out;
}

}  // namespace

double expected_connections(const rule& r, std::uint32_t n_pre, std::uint32_t n_post) {
  const double pre = n_pre, post = n_post;
  if (r.name == "one_to_one") return pre;
  if (r.name == "fixed_indegree") return post * static_cast<double>(r.indegree);
  if (r.name == "fixed_outdegree") return pre * static_cast<double>(r.outdegree);
  if (r.name == "fixed_total_number") return static_cast<double>(r.total);
  if (r.name == "pairwise_bernoulli") return pre * post * r.p;
  return pre * post;
}

pair_list make_pairs(const rule& r, std::uint32_t n_pre, std::uint32_t n_post, bool same,
                     std::uint64_t seed, std::uint64_t call) {
  const stream s(seed, call);
  const bool no_self = same && !r.allow_autapses;
  pair_list pairs;
  if (r.name == "one_to_one") {
    if (n_pre != n_post)
      impossible(r.name, "sizes " + std::to_string(n_pre) + " and " + std::to_string(n_post) +
                             " differ; expected equal sizes");
    for (std::uint32_t i = 0; i < n_pre; ++i)
      if (!no_self) pairs.emplace_back(i, i);
  } else if (r.name == "all_to_all") {
    for (std::uint32_t j = 0; j < n_post; ++j)
      for (std::uint32_t i = 0; i < n_pre; ++i)
        if (!(no_self && i == j)) pairs.emplace_back(i, j);
  } else if (r.name == "fixed_indegree") {
    for (std::uint32_t j = 0; j < n_post; ++j)
      for (std::uint32_t i :
           draw(s, j, r.indegree, n_pre, no_self ? j : -1, r.allow_multapses, r.name))
        pairs.emplace_back(i, j);
  } else if (r.name == "fixed_outdegree") {
    for (std::uint32_t i = 0; i < n_pre; ++i)
      for (std::uint32_t j :
           draw(s, i, r.outdegree, n_post, no_self ? i : -1, r.allow_multapses, r.name))
        pairs.emplace_back(i, j);
  } else if (r.name == "fixed_total_number") {
    const std::uint64_t candidates =
        static_cast<std::uint64_t>(n_pre) * n_post - (no_self ? std::min(n_pre, n_post) : 0);
    if (!r.allow_multapses && r.total > candidates)
      impossible(r.name, "N = " + std::to_string(r.total) + " exceeds the " +
                             std::to_string(candidates) + " possible pairs while allow_multapses is false");
    if (r.total > 0 && candidates == 0) impossible(r.name, "no possible pairs");
    std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
    for (std::uint64_t k = 0; pairs.size() < r.total; ++k) {
      const std::uint32_t i = s.below(n_pre, 0, 2 * k);
      const std::uint32_t j = s.below(n_post, 0, 2 * k + 1);
      if (no_self && i == j) continue;
      if (!r.allow_multapses && !seen.insert({i, j}).second) continue;
      pairs.emplace_back(i, j);
    }
  } else if (r.name == "pairwise_bernoulli") {
    if (!(r.p >= 0.0 && r.p <= 1.0))
      impossible(r.name, "p = " + std::to_string(r.p) + "; expected 0 <= p <= 1");
    for (std::uint32_t j = 0; j < n_post; ++j)
      for (std::uint32_t i = 0; i < n_pre; ++i)
        if (!(no_self && i == j) && s.uniform(j, i) < r.p) pairs.emplace_back(i, j);
  } else {
    throw invalid_argument("connect: unknown rule '" + r.name +
                           "'; expected one_to_one, all_to_all, fixed_indegree, fixed_outdegree, "
                           "fixed_total_number or pairwise_bernoulli");
  }
  return pairs;
}

}  // namespace starling::network
