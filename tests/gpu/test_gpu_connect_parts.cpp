// A connect call generated in parts (each its own table, STARLING_CONNECT_PART lowering the
// part size from 2^30 connections) gives on the GPU the very connections, device-side largest
// weights and spikes of one table on the CPU, for every rule that splits.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <vector>

#include "common/backends.hpp"
#include "common/parts_network.hpp"

namespace {

using starling::testing::build_in_parts;
using starling::testing::built;

TEST(GpuConnectParts, PartsOnTheGpuEqualOneTableOnTheCpu) {
  STARLING_REQUIRE_GPU();
  std::vector<starling::rule> rules;
  starling::rule r{"fixed_indegree"};
  r.indegree = 20;
  rules.push_back(r);
  rules.push_back(starling::rule{"all_to_all"});
  r = {"pairwise_bernoulli"};
  r.p = 0.05;
  rules.push_back(r);
  r = {"fixed_outdegree"};
  r.outdegree = 15;
  rules.push_back(r);
  r = {"fixed_total_number"};
  r.total = 5000;
  rules.push_back(r);
  for (const starling::rule& rule : rules) {
    const built cpu = build_in_parts(starling::backend::cpu, rule, nullptr);
    const built gpu = build_in_parts(starling::backend::cuda, rule, "700");
    EXPECT_FALSE(cpu.connections.empty()) << rule.name;
    EXPECT_EQ(gpu.connections, cpu.connections) << rule.name;
    EXPECT_GT(cpu.spikes.size(), 100u) << rule.name;
    EXPECT_EQ(gpu.spikes, cpu.spikes) << rule.name;
  }
}

}  // namespace
