// Short slices on the GPU (DESIGN.md, principle 4): a slice costs its GPU work and a few tasks,
// so no data may move between the host and the GPU per slice. The slice's task publishes the
// spike recorders' counts in host memory beside their entries, and the host only waits for it;
// a copy of a count back to the host costs milliseconds of the runtime's latency, while the GPU
// drains and waits.
#include <gtest/gtest.h>

#include "common/backends.hpp"
#include "common/networks.hpp"
#include "runtime/engine.hpp"

using starling::backend;
using starling::testing::on;

namespace {

constexpr std::int64_t slice = 15;  // the Brunel ring's slice length with MPI

starling::testing::observation spikes_of(backend where, long long* moved) {
  starling::simulator sim(on(where, slice, 11));
  const auto net = starling::testing::build_brunel(sim, 2000);
  sim.simulate(10.0);  // the network moves to the GPU
  starling::runtime::data_transfers();
  sim.simulate(90.0);  // 60 slices
  if (moved != nullptr) *moved = starling::runtime::data_transfers();
  starling::testing::observation o;
  starling::testing::append(o, sim.spikes(net.spikes));
  return o;
}

}  // namespace

TEST(GpuSlices, ShortSlicesMoveNoDataAndGiveTheSpikesOfTheCpu) {
  STARLING_REQUIRE_GPU();
  long long moved = -1;
  const auto gpu = spikes_of(backend::cuda, &moved);
  EXPECT_GT(gpu.size(), 2u * 100) << "the network should spike";
  // Before: one copy per slice (the recorder's count), 60 or more. A new run may move a
  // generator's state once (NEST's pre_run hook).
  EXPECT_LT(moved, 10) << "copies between the host and the GPU in 60 slices of 15 steps";
  EXPECT_TRUE(starling::testing::identical(spikes_of(backend::cpu, nullptr), gpu));
}
