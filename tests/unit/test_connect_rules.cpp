// Connection rules: exact counts where the rule fixes them, statistics where it does not.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "network/connect_rules.hpp"
#include "starling/error.hpp"

using starling::network::make_pairs;

namespace {
starling::rule named(const char* n) {
  starling::rule r;
  r.name = n;
  return r;
}
}  // namespace

TEST(ConnectRules, OneToOnePairsEqualIndices) {
  const auto p = make_pairs(named("one_to_one"), 5, 5, false, 1, 0);
  ASSERT_EQ(p.size(), 5u);
  for (std::uint32_t i = 0; i < 5; ++i) EXPECT_EQ(p[i], std::make_pair(i, i));
  EXPECT_THROW(make_pairs(named("one_to_one"), 5, 4, false, 1, 0), starling::invalid_argument);
}

TEST(ConnectRules, AllToAllWithoutAutapses) {
  starling::rule r = named("all_to_all");
  EXPECT_EQ(make_pairs(r, 7, 3, false, 1, 0).size(), 21u);
  r.allow_autapses = false;
  const auto p = make_pairs(r, 6, 6, true, 1, 0);
  EXPECT_EQ(p.size(), 30u);
  for (const auto& [i, j] : p) EXPECT_NE(i, j);
}

TEST(ConnectRules, FixedIndegreeGivesExactInDegrees) {
  starling::rule r = named("fixed_indegree");
  r.indegree = 10;
  r.allow_multapses = false;
  r.allow_autapses = false;
  const auto p = make_pairs(r, 50, 50, true, 42, 3);
  std::map<std::uint32_t, std::set<std::uint32_t>> in;
  for (const auto& [i, j] : p) {
    EXPECT_NE(i, j);
    EXPECT_TRUE(in[j].insert(i).second) << "multapse " << i << "->" << j;
  }
  ASSERT_EQ(in.size(), 50u);
  for (const auto& [j, s] : in) EXPECT_EQ(s.size(), 10u);
}

TEST(ConnectRules, FixedOutdegreeGivesExactOutDegrees) {
  starling::rule r = named("fixed_outdegree");
  r.outdegree = 4;
  const auto p = make_pairs(r, 30, 20, false, 42, 1);
  std::map<std::uint32_t, int> out;
  for (const auto& pr : p) ++out[pr.first];
  ASSERT_EQ(out.size(), 30u);
  for (const auto& [i, k] : out) EXPECT_EQ(k, 4);
}

TEST(ConnectRules, FixedTotalNumberGivesExactTotal) {
  starling::rule r = named("fixed_total_number");
  r.total = 123;
  EXPECT_EQ(make_pairs(r, 30, 20, false, 42, 1).size(), 123u);
  r.allow_multapses = false;
  r.total = 601;
  EXPECT_THROW(make_pairs(r, 30, 20, false, 42, 1), starling::invalid_argument);
}

TEST(ConnectRules, PairwiseBernoulliCountIsBinomial) {
  starling::rule r = named("pairwise_bernoulli");
  r.p = 0.1;
  const double n = 400.0 * 300.0;
  const double count = static_cast<double>(make_pairs(r, 400, 300, false, 9, 2).size());
  // Binomial(n, p): mean n p, sd sqrt(n p (1 - p)); 5 sigma.
  EXPECT_NEAR(count, n * 0.1, 5 * std::sqrt(n * 0.1 * 0.9));
}

TEST(ConnectRules, SameSeedSameNetworkOtherSeedOther) {
  starling::rule r = named("fixed_indegree");
  r.indegree = 20;
  EXPECT_EQ(make_pairs(r, 100, 100, false, 5, 0), make_pairs(r, 100, 100, false, 5, 0));
  EXPECT_NE(make_pairs(r, 100, 100, false, 5, 0), make_pairs(r, 100, 100, false, 6, 0));
  EXPECT_NE(make_pairs(r, 100, 100, false, 5, 0), make_pairs(r, 100, 100, false, 5, 1));
}

TEST(ConnectRules, UnknownRuleIsAnError) {
  try {
    make_pairs(named("fixed_indgree"), 2, 2, false, 1, 0);
    FAIL() << "no exception";
  } catch (const starling::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("fixed_indgree"), std::string::npos);
  }
}
