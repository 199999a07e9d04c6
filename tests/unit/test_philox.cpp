// Philox4x32-10 against the known-answer vectors published with Random123 (Salmon et al. 2011).
#include <gtest/gtest.h>

#include "codelets/common/philox.hpp"

namespace cl = starling::codelets;

TEST(Philox, MatchesKnownAnswerVectors) {
  struct kat {
    cl::philox_block counter;
    std::uint32_t k0, k1;
    std::uint32_t expect[4];
  };
  const kat cases[] = {
      {{{0, 0, 0, 0}}, 0, 0, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}},
       0xffffffff,
       0xffffffff,
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}},
       0xa4093822,
       0x299f31d0,
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (const kat& c : cases) {
    const cl::philox_block r = cl::philox4x32(c.counter, c.k0, c.k1);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(r.v[i], c.expect[i]) << "word " << i;
  }
}

TEST(Philox, UniformIsInUnitIntervalWithMeanOneHalf) {
  double sum = 0.0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const cl::philox_block r = cl::philox4x32({{static_cast<std::uint32_t>(i), 0, 0, 0}}, 7, 9);
    const double u = cl::uniform53(r.v[0], r.v[1]);
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  // Standard error of the mean of U(0,1): sqrt(1/12/n) = 6.5e-4; allow 5 sigma.
  EXPECT_NEAR(sum / n, 0.5, 5 * 6.5e-4);
}

TEST(Philox, KeysOfDifferentStreamsDiffer) {
  EXPECT_NE(cl::philox_key(1, 0), cl::philox_key(1, 1));
  EXPECT_NE(cl::philox_key(1, 0), cl::philox_key(2, 0));
}
