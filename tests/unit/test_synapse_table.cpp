// The packed synapse word: target and delay round-trip at the edges of their fields, and the
// delay limit follows from the target population's size.
#include <gtest/gtest.h>

#include <algorithm>

#include "codelets/common/synapse_table.hpp"

namespace cl = starling::codelets;

TEST(SynapseTable, TargetBitsCoverThePopulation) {
  EXPECT_EQ(cl::target_bits_for(1), 1);
  EXPECT_EQ(cl::target_bits_for(2), 1);
  EXPECT_EQ(cl::target_bits_for(3), 2);
  EXPECT_EQ(cl::target_bits_for(21915), 15);  // L2/3e of the microcircuit
  EXPECT_EQ(cl::target_bits_for(1u << 20), 20);
  EXPECT_EQ(cl::target_bits_for((1u << 20) + 1), 21);
}

TEST(SynapseTable, DelayLimitIsWhatTheRemainingBitsHold) {
  EXPECT_EQ(cl::packed_delay_limit(15), 131072.0);
  EXPECT_EQ(cl::packed_delay_limit(31), 2.0);
  EXPECT_EQ(cl::packed_delay_limit(32), 0.0);
}

TEST(SynapseTable, PackedWordsRoundTripAndSortByDelayThenTarget) {
  for (std::int32_t bits : {1, 15, 24, 31}) {
    const std::uint32_t last_target = (1u << bits) - 1u;
    // Connect caps delays at 1e6 steps besides the packing limit.
    const auto longest = static_cast<std::int32_t>(std::min(cl::packed_delay_limit(bits), 1e6));
    for (std::uint32_t t : {0u, last_target})
      for (std::int32_t d : {1, longest}) {
        const std::uint32_t p = cl::pack_synapse(t, d, bits);
        EXPECT_EQ(cl::synapse_target(p, bits), t) << bits;
        EXPECT_EQ(cl::synapse_delay(p, bits), d) << bits;
      }
    EXPECT_LT(cl::pack_synapse(last_target, 1, bits), cl::pack_synapse(0, 2, bits));
  }
}

TEST(SynapseTable, ChannelFollowsTheWeightSign) {
  const cl::channels c{0, 1};
  EXPECT_EQ(c.of(87.8f), 0);
  EXPECT_EQ(c.of(0.0f), 0);
  EXPECT_EQ(c.of(-351.2f), 1);
}
