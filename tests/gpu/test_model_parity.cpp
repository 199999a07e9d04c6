// Every neuron model's NEST protocols on the CPU and on the GPU: bit-identical samples and
// spikes, with the batched GPU step (automatic slices) and with one step per slice.
#include <gtest/gtest.h>

#include "common/backends.hpp"
#include "common/nest_cases.hpp"

namespace st = starling::testing;

namespace {

st::observation observe(const st::nest_case& c, starling::backend where, std::int64_t slice,
                        bool sample = true) {
  const st::case_result r = st::run_nest_case(c, where, slice, sample);
  st::observation o;
  st::append(o, r.samples);
  st::append(o, r.spikes);
  o.insert(o.end(), r.final_states.begin(), r.final_states.end());
  return o;
}

class ModelParity : public ::testing::TestWithParam<st::nest_case> {};

TEST_P(ModelParity, CpuAndGpuAreBitIdentical) {
  STARLING_REQUIRE_GPU();
  const st::observation cpu = observe(GetParam(), starling::backend::cpu, 0);
  ASSERT_FALSE(cpu.empty());
  EXPECT_TRUE(st::identical(cpu, observe(GetParam(), starling::backend::cuda, 0)));
  EXPECT_TRUE(st::identical(cpu, observe(GetParam(), starling::backend::cuda, 7)));
  // Spikes only: the batched step (one update kernel per model).
  const st::observation spikes = observe(GetParam(), starling::backend::cpu, 0, false);
  EXPECT_TRUE(st::identical(spikes, observe(GetParam(), starling::backend::cuda, 0, false)));
}

std::string case_name(const ::testing::TestParamInfo<st::nest_case>& i) { return i.param.name; }

INSTANTIATE_TEST_SUITE_P(Nest, ModelParity, ::testing::ValuesIn(st::nest_cases()), case_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ModelParity);

}  // namespace
