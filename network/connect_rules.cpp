#include "connect_rules.hpp"

#include <string>

#include "codelets/common/quantity.hpp"
#include "starling/error.hpp"

namespace starling::network {

namespace {

using codelets::connect::rule_kind;

struct rule_row {
  const char* name;
  rule_kind kind;
};

constexpr rule_row rules[] = {
    {"one_to_one", rule_kind::one_to_one},
    {"all_to_all", rule_kind::all_to_all},
    {"fixed_indegree", rule_kind::fixed_indegree},
    {"fixed_outdegree", rule_kind::fixed_outdegree},
    {"fixed_total_number", rule_kind::fixed_total_number},
    {"pairwise_bernoulli", rule_kind::pairwise_bernoulli},
};

[[noreturn]] void impossible(const std::string& rule, const std::string& why) {
  throw invalid_argument("connect: rule " + rule + ": " + why);
}

/// Without multapses a unit cannot draw more members than there are candidates.
void check_degree(const rule& r, std::uint64_t degree, std::uint32_t n, bool self_excluded) {
  const std::uint64_t available = n - (self_excluded ? 1 : 0);
  if (degree > 0 && available == 0) impossible(r.name, "no candidates to draw from");
  if (!r.allow_multapses && degree > available)
    impossible(r.name, "degree " + std::to_string(degree) + " exceeds the " +
                           std::to_string(available) +
                           " candidates while allow_multapses is false");
}

}  // namespace

codelets::connect::rule_spec make_rule_spec(const rule& r, std::uint32_t n_pre,
                                            std::uint32_t n_post, bool same, std::uint64_t seed,
                                            std::uint64_t call) {
  codelets::connect::rule_spec s;
  const rule_row* row = nullptr;
  for (const rule_row& c : rules)
    if (r.name == c.name) row = &c;
  if (row == nullptr)
    throw invalid_argument("connect: unknown rule '" + r.name +
                           "'; expected one_to_one, all_to_all, fixed_indegree, fixed_outdegree, "
                           "fixed_total_number or pairwise_bernoulli");
  s.kind = row->kind;
  s.n_pre = n_pre;
  s.n_post = n_post;
  s.autapses = r.allow_autapses;
  s.multapses = r.allow_multapses;
  s.same = same;
  s.rule_key = codelets::philox_key(seed, call + (1ull << 40));
  const bool no_self = same && !r.allow_autapses;
  switch (s.kind) {
    case rule_kind::one_to_one:
      if (n_pre != n_post)
        impossible(r.name, "sizes " + std::to_string(n_pre) + " and " + std::to_string(n_post) +
                               " differ; expected equal sizes");
      break;
    case rule_kind::all_to_all:
      break;
    case rule_kind::fixed_indegree:
      s.degree = r.indegree;
      check_degree(r, s.degree, n_pre, no_self);
      break;
    case rule_kind::fixed_outdegree:
      s.degree = r.outdegree;
      check_degree(r, s.degree, n_post, no_self);
      break;
    case rule_kind::fixed_total_number: {
      s.degree = r.total;
      const std::uint64_t candidates = static_cast<std::uint64_t>(n_pre) * n_post -
                                       (no_self ? (n_pre < n_post ? n_pre : n_post) : 0);
      if (r.total > 0 && candidates == 0) impossible(r.name, "no possible pairs");
      if (!r.allow_multapses && r.total > candidates)
        impossible(r.name, "N = " + std::to_string(r.total) + " exceeds the " +
                               std::to_string(candidates) +
                               " possible pairs while allow_multapses is false");
      break;
    }
    case rule_kind::pairwise_bernoulli:
      if (!(r.p >= 0.0 && r.p <= 1.0))
        impossible(r.name, "p = " + codelets::number(r.p) + "; expected 0 <= p <= 1");
      s.p = r.p;
      break;
  }
  return s;
}

double expected_connections(const rule& r, std::uint32_t n_pre, std::uint32_t n_post) {
  const double pre = n_pre, post = n_post;
  if (r.name == "one_to_one") return pre;
  if (r.name == "fixed_indegree") return post * static_cast<double>(r.indegree);
  if (r.name == "fixed_outdegree") return pre * static_cast<double>(r.outdegree);
  if (r.name == "fixed_total_number") return static_cast<double>(r.total);
  if (r.name == "pairwise_bernoulli") return pre * post * r.p;
  return pre * post;
}

}  // namespace starling::network
