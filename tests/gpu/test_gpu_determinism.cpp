// The promise of DESIGN.md (principle 3) on the GPU: a recurrent network with Poisson input
// gives bit-identical spikes on the CPU and the GPU, run after run, for any slice length; and
// a network too large for the GPU fails at construction with the sizes in the message.
#include <gtest/gtest.h>

#include "common/backends.hpp"
#include "common/networks.hpp"

using starling::backend;
using starling::testing::observation;
using starling::testing::on;

namespace {

observation run_brunel(backend where, std::int64_t slice, std::uint64_t seed = 11) {
  starling::simulator sim(on(where, slice, seed));
  const auto net = starling::testing::build_brunel(sim, 4000);
  sim.simulate(300.0);
  observation o;
  starling::testing::append(o, sim.spikes(net.spikes));
  for (const auto& p : {net.exc, net.inh})
    for (const char* v : {"V_m", "I_syn_ex", "I_syn_in"})
      for (double x : sim.get(p, v)) o.push_back(x);
  return o;
}

}  // namespace

TEST(GpuDeterminism, CpuAndGpuGiveBitIdenticalSpikesAndStates) {
  STARLING_REQUIRE_GPU();
  const observation cpu = run_brunel(backend::cpu, 0);
  const observation gpu = run_brunel(backend::cuda, 0);
  EXPECT_GT(cpu.size(), 2000u * 2 + 6 * 4000u) << "the network should spike";
  EXPECT_TRUE(starling::testing::identical(cpu, gpu));
}

TEST(GpuDeterminism, TwoGpuRunsAreBitIdentical) {
  STARLING_REQUIRE_GPU();
  EXPECT_TRUE(starling::testing::identical(run_brunel(backend::cuda, 0), run_brunel(backend::cuda, 0)));
}

TEST(GpuDeterminism, SliceLengthChangesNothing) {
  STARLING_REQUIRE_GPU();
  const observation sliced = run_brunel(backend::cuda, 0);
  EXPECT_TRUE(starling::testing::identical(sliced, run_brunel(backend::cuda, 1)));
  EXPECT_TRUE(starling::testing::identical(sliced, run_brunel(backend::cuda, 37)));
}

TEST(GpuDeterminism, OtherSeedOtherSpikes) {
  STARLING_REQUIRE_GPU();
  EXPECT_FALSE(starling::testing::identical(run_brunel(backend::cuda, 0, 11),
                                            run_brunel(backend::cuda, 0, 12)));
}

TEST(GpuMemory, NetworkTooLargeFailsAtConstructionWithSizes) {
  STARLING_REQUIRE_GPU();
  starling::simulator sim(on(backend::cuda));
  auto a = sim.create("iaf_psc_exp", 200000);
  try {
    sim.connect(a, a, {"all_to_all"});  // 4e10 synapses, about 800 GB
    FAIL() << "no exception";
  } catch (const starling::invalid_argument& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("needs"), std::string::npos) << msg;
    EXPECT_NE(msg.find("MiB are free"), std::string::npos) << msg;
  }
  // The simulator is still usable.
  EXPECT_EQ(sim.num_connections(), 0u);
  auto b = sim.create("iaf_psc_exp", 10, {{"I_e", 1000.0}});
  auto sr = sim.record_spikes(b);
  sim.simulate(5.0);
  EXPECT_EQ(sim.spikes(sr).time.size(), 10u);
}
