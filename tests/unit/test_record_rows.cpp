// Sampling rows of a slice: NEST records t = interval, 2 interval, ... < T in a run of T.
#include <gtest/gtest.h>

#include "codelets/record_states/record_states_math.hpp"

namespace rs = starling::codelets::record_states;

TEST(RecordRows, SlicesTogetherSampleEveryMultipleOnce) {
  const std::int64_t interval = 10;
  for (std::int64_t slice : {1, 3, 10, 25, 100}) {
    std::vector<std::int64_t> sampled;
    for (std::int64_t first = 0; first < 200; first += slice) {
      const std::int64_t steps = std::min<std::int64_t>(slice, 200 - first);
      std::int64_t rows = 0;
      for (std::int64_t s = first + 1; s <= first + steps; ++s) {
        const std::int64_t r = rs::row(s, first, interval);
        if (r < 0) continue;
        EXPECT_EQ(r, rows);
        ++rows;
        sampled.push_back(s - 1);
      }
      EXPECT_EQ(rows, rs::rows_in_slice(first, steps, interval));
    }
    ASSERT_EQ(sampled.size(), 19u) << "slice " << slice;  // 10, 20, ..., 190
    for (std::size_t k = 0; k < sampled.size(); ++k)
      EXPECT_EQ(sampled[k], static_cast<std::int64_t>(10 * (k + 1)));
  }
}
