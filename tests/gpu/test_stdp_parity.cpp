// Plastic synapses on the GPU: every NEST 3.10 case (tests/data/nest/stdp) within 1e-9 of NEST
// and bit-identical to the CPU; a recurrent network with each STDP model gives the same spikes
// and the same weights, bit for bit, on the CPU and the GPU and for any slice length.
#include <gtest/gtest.h>

#include "common/backends.hpp"
#include "common/stdp_cases.hpp"

using starling::backend;
using starling::testing::observation;
using starling::testing::on;

TEST(GpuStdp, NestCasesOnTheGpuEqualTheCpuBitForBit) {
  STARLING_REQUIRE_GPU();
  const nlohmann::json ref = starling::testing::stdp_reference();
  ASSERT_FALSE(ref.is_null());
  const double drive = ref.at("drive_delay");
  int cases = 0;
  for (const auto& c : ref.at("cases")) {
    if (c.at("synapse_model") == "static_synapse") continue;
    const std::string name = c.at("name");
    const auto cpu = starling::testing::run_stdp_case(c, drive, backend::cpu);
    const auto gpu = starling::testing::run_stdp_case(c, drive, backend::cuda);
    ASSERT_EQ(cpu.weights.weight.size(), gpu.weights.weight.size()) << name;
    ASSERT_FALSE(gpu.weights.weight.empty()) << name;
    for (std::size_t k = 0; k < cpu.weights.weight.size(); ++k) {
      EXPECT_EQ(cpu.weights.weight[k], gpu.weights.weight[k]) << name << " row " << k;
      EXPECT_EQ(cpu.weights.time[k], gpu.weights.time[k]) << name << " row " << k;
    }
    EXPECT_EQ(cpu.final_weight, gpu.final_weight) << name;
    const double want = c.at("final_weight");
    EXPECT_LE(std::fabs(gpu.final_weight - want), 1e-9 * std::max(1.0, std::fabs(want))) << name;
    EXPECT_EQ(cpu.post, gpu.post) << name;
    ++cases;
  }
  EXPECT_GT(cases, 140);
}

namespace {

/// 800 excitatory and 200 inhibitory iaf_psc_alpha neurons, Poisson drive, E -> E through
/// `model` (recorded), the rest static: spikes, every weight, the membranes.
observation run_plastic(backend where, const std::string& model, std::int64_t slice = 0) {
  starling::simulator sim(on(where, slice, 7));
  const starling::value_map params{
      {"V_m", starling::distribution{"uniform", {{"low", -70.0}, {"high", -55.0}}}},
      {"tau_minus", 25.0}};
  const auto e = sim.create("iaf_psc_alpha", 800, params);
  const auto i = sim.create("iaf_psc_alpha", 200, params);
  const auto noise = sim.create("poisson_generator", 1, {{"rate", 16000.0}});
  starling::synapse drive;
  drive.weight = 45.0;
  sim.connect(noise, e, {"all_to_all"}, drive);
  sim.connect(noise, i, {"all_to_all"}, drive);
  starling::rule in_e{"fixed_indegree"}, in_i{"fixed_indegree"};
  in_e.indegree = 80;
  in_i.indegree = 20;
  starling::synapse plastic;
  plastic.model = model;
  plastic.weight = 40.0;
  plastic.delay = starling::distribution{"uniform", {{"low", 0.5}, {"high", 3.0}}};
  plastic.params = {{"lambda", 0.05}, {"tau_plus", 15.0}};
  if (model != "stdp_pl_synapse_hom") plastic.params["Wmax"] = 90.0;
  const auto wr = sim.record_weights();
  plastic.weight_recorder = wr;
  sim.connect(e, e, in_e, plastic);
  starling::synapse exc, inh;
  exc.weight = 40.0;
  inh.weight = -200.0;
  sim.connect(e, i, in_e, exc);
  sim.connect(i, e, in_i, inh);
  sim.connect(i, i, in_i, inh);
  const auto spikes = sim.record_spikes(e);
  sim.simulate(150.0);
  sim.simulate(100.0);
  observation o;
  starling::testing::append(o, sim.spikes(spikes));
  for (double w : sim.get_connections(e, e).weight) o.push_back(w);
  for (double w : sim.weights(wr).weight) o.push_back(w);
  for (double v : sim.get(e, "V_m")) o.push_back(v);
  return o;
}

}  // namespace

class GpuStdpNetwork : public ::testing::TestWithParam<std::string> {};

TEST_P(GpuStdpNetwork, CpuAndGpuAndSlicesAgreeBitForBit) {
  STARLING_REQUIRE_GPU();
  const observation cpu = run_plastic(backend::cpu, GetParam());
  const observation gpu = run_plastic(backend::cuda, GetParam());
  EXPECT_GT(cpu.size(), 64000u + 1000u) << "weights, spikes and membranes";
  EXPECT_TRUE(starling::testing::identical(cpu, gpu));
  EXPECT_TRUE(starling::testing::identical(gpu, run_plastic(backend::cuda, GetParam(), 1)));
  EXPECT_TRUE(starling::testing::identical(gpu, run_plastic(backend::cuda, GetParam(), 13)));
}

INSTANTIATE_TEST_SUITE_P(Models, GpuStdpNetwork,
                         ::testing::Values("stdp_synapse", "stdp_pl_synapse_hom",
                                           "stdp_nn_symm_synapse", "stdp_nn_pre_centered_synapse",
                                           "stdp_nn_restr_synapse"));
