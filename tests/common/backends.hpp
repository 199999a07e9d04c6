#pragma once
// Runs one network description on the CPU and on the GPU back end, for exact comparisons.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "starling/simulator.hpp"

namespace starling::testing {

/// What a run returns for comparison: every number a recorder or a get() produced.
using observation = std::vector<double>;

inline kernel_options on(backend where, std::int64_t slice = 0, std::uint64_t seed = 143202461) {
  kernel_options o;
  o.where = where;
  o.slice_steps = slice;
  o.seed = seed;
  return o;
}

/// Skips the calling test where no CUDA device can run it.
#define STARLING_REQUIRE_GPU()                                                            \
  do {                                                                                    \
    if (!::starling::cuda_available())                                                    \
      GTEST_SKIP() << "no CUDA device visible (or built without CUDA): GPU test skipped"; \
  } while (0)

/// Flattens spikes (time, index) and samples (time, index, values) into one vector.
inline void append(observation& out, const spike_data& s) {
  for (std::size_t k = 0; k < s.time.size(); ++k) {
    out.push_back(s.time[k]);
    out.push_back(s.index[k]);
  }
}

inline void append(observation& out, const sample_data& s) {
  for (std::size_t k = 0; k < s.time.size(); ++k) {
    out.push_back(s.time[k]);
    out.push_back(s.index[k]);
    for (const auto& v : s.values) out.push_back(v[k]);
  }
}

/// Bitwise equality of two observations, with the first difference reported.
inline ::testing::AssertionResult identical(const observation& a, const observation& b) {
  if (a.size() != b.size())
    return ::testing::AssertionFailure() << "sizes differ: " << a.size() << " vs " << b.size();
  for (std::size_t k = 0; k < a.size(); ++k)
    if (std::memcmp(&a[k], &b[k], sizeof(double)) != 0)
      return ::testing::AssertionFailure()
             << "first difference at " << k << ": " << a[k] << " vs " << b[k];
  return ::testing::AssertionSuccess();
}

}  // namespace starling::testing
