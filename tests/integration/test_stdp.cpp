// Plastic synapses against NEST 3.10 (tests/data/nest/stdp): every case's weight at each pre
// spike (weight_recorder) and the final weight within 1e-9 relative, the pre and post spikes
// exact; closed forms of the pair rule; bad input; slice lengths and long runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "common/errors.hpp"
#include "common/stdp_cases.hpp"

namespace starling {
namespace {

using testing::run_stdp_case;
using testing::stdp_data;
using testing::stdp_reference;

template <typename F>
void expect_invalid(F&& f, const std::string& part) {
  const std::string m = testing::error_of(f);
  EXPECT_TRUE(testing::contains(m, part))
      << "message: '" << m << "', expected a part '" << part << "'";
}

/// The (t_pre_ms, weight) rows of a case's CSV.
std::vector<std::pair<double, double>> nest_weights(const std::string& file) {
  std::ifstream in(stdp_data(file));
  std::vector<std::pair<double, double>> rows;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream f(line);
    double t = 0.0, w = 0.0;
    char comma = 0;
    f >> t >> comma >> w;
    rows.emplace_back(t, w);
  }
  return rows;
}

void expect_close(double got, double want, const std::string& what) {
  EXPECT_LE(std::fabs(got - want), 1e-9 * std::max(1.0, std::fabs(want)))
      << what << ": Starling " << got << ", NEST " << want;
}

class NestStdp : public ::testing::TestWithParam<std::string> {};

TEST_P(NestStdp, WeightsMatchNest) {
  const nlohmann::json ref = stdp_reference();
  ASSERT_FALSE(ref.is_null()) << "missing " << stdp_data("cases.json");
  const double drive = ref.at("drive_delay");
  int checked = 0;
  for (const auto& c : ref.at("cases")) {
    if (c.at("synapse_model") != GetParam()) continue;
    const std::string name = c.at("name");
    const testing::stdp_run r = run_stdp_case(c, drive, backend::cpu);
    const auto want = nest_weights(c.at("file"));
    // The spikes NEST made (exact: both on the grid).
    const auto pre = c.at("pre_spikes").get<std::vector<double>>();
    const auto post = c.at("post_spikes").get<std::vector<double>>();
    ASSERT_EQ(r.pre.size(), pre.size()) << name;
    ASSERT_EQ(r.post.size(), post.size()) << name;
    for (std::size_t k = 0; k < pre.size(); ++k) EXPECT_NEAR(r.pre[k], pre[k], 1e-9) << name;
    for (std::size_t k = 0; k < post.size(); ++k) EXPECT_NEAR(r.post[k], post[k], 1e-9) << name;
    if (GetParam() != "static_synapse") {
      ASSERT_EQ(r.weights.time.size(), want.size()) << name;
      for (std::size_t k = 0; k < want.size(); ++k) {
        EXPECT_NEAR(r.weights.time[k], want[k].first, 1e-9) << name << " row " << k;
        expect_close(r.weights.weight[k], want[k].second, name + " row " + std::to_string(k));
      }
    }
    expect_close(r.final_weight, c.at("final_weight").get<double>(), name + " final weight");
    ++checked;
  }
  EXPECT_GT(checked, 10) << "cases of " << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Models, NestStdp,
                         ::testing::Values("stdp_synapse", "stdp_pl_synapse_hom",
                                           "stdp_nn_symm_synapse", "stdp_nn_pre_centered_synapse",
                                           "stdp_nn_restr_synapse", "static_synapse"));

/// One pre-post pair (post at t_post, pre at t_pre, delay d) on a simulator's fresh pair of
/// parrots; returns the weight after the second pre spike at t2.
double pair_weight(double t_pre, double t_post, double t2, double w0, const std::string& model,
                   double start = 0.0, std::int64_t slice_steps = 0,
                   std::map<std::string, double> params = {
                       {"lambda", 0.01}, {"alpha", 1.0}, {"mu_plus", 0.0}, {"mu_minus", 0.0}}) {
  kernel_options k;
  k.where = backend::cpu;
  k.slice_steps = slice_steps;
  simulator sim(k);
  const population pre = sim.create("parrot_neuron", 1), post = sim.create("parrot_neuron", 1);
  const population gp = sim.create("spike_generator", 1), gq = sim.create("spike_generator", 1);
  if (start > 0.0) sim.simulate(start);
  sim.set_spike_times(gp, {{start + t_pre - 1.0, start + t2 - 1.0}});
  sim.set_spike_times(gq, {{start + t_post - 1.0}});
  synapse drive;
  sim.connect(gp, pre, {"one_to_one"}, drive);
  sim.connect(gq, post, {"one_to_one"}, drive);
  synapse s;
  s.model = model;
  s.weight = w0;
  s.receptor = 1;
  s.params = params;
  sim.connect(pre, post, {"one_to_one"}, s);
  sim.simulate(t2 + 20.0);
  return sim.get_connections(pre, post).weight.at(0);
}

// Additive stdp_synapse (mu = 0), Wmax 100, tau_plus = tau_minus = 20 ms, delay 1 ms: a post
// spike 10 ms after the first pre spike (seen at 11 ms after it) facilitates at the second pre
// spike by lambda Wmax exp(-11/20); the depression at that spike is lambda alpha Wmax
// exp(-(t2 - 1 - t_post)/20).
TEST(Stdp, AdditivePairClosedForm) {
  const double t_pre = 100.0, t_post = 110.0, t2 = 300.0;
  const double w = pair_weight(t_pre, t_post, t2, 50.0, "stdp_synapse");
  // First pre spike: no post spike before 99 ms: no depression; Kplus = 0 before it.
  const double expected = 50.0 + 0.01 * 100.0 * std::exp(-(t_post + 1.0 - t_pre) / 20.0) -
                          0.01 * 100.0 * std::exp(-(t2 - 1.0 - t_post) / 20.0);
  EXPECT_NEAR(w, expected, 1e-12 * expected);
}

// Clipping: a facilitation beyond Wmax stops at Wmax exactly (alpha = 0: no depression after
// it); a depression below 0 stops at 0 exactly.
TEST(Stdp, ClipsAtWmaxAndZero) {
  EXPECT_EQ(pair_weight(100.0, 110.0, 300.0, 50.0, "stdp_synapse", 0.0, 0,
                        {{"lambda", 10.0}, {"alpha", 0.0}, {"Wmax", 80.0}}),
            80.0);
  // Post 5 ms before the second pre spike (seen 4 ms before it): the trace exp(-4/20) times
  // alpha lambda = 100 removes more than the weight.
  EXPECT_EQ(pair_weight(100.0, 295.0, 300.0, 50.0, "stdp_synapse", 0.0, 0,
                        {{"lambda", 1.0}, {"alpha", 100.0}, {"mu_plus", 0.0}, {"mu_minus", 0.0}}),
            0.0);
  EXPECT_EQ(pair_weight(100.0, 295.0, 300.0, 10.0, "stdp_pl_synapse_hom", 0.0, 0,
                        {{"lambda", 1.0}, {"alpha", 100.0}}),
            0.0);
}

// Integer steps keep every interval exact: the same pairing 10^8 steps later gives the same
// bits (a time in ms, as NEST keeps it, would have lost digits there).
TEST(Stdp, SameWeightAfterManySteps) {
  const double early = pair_weight(100.0, 110.0, 300.0, 50.0, "stdp_synapse");
  const double late = pair_weight(100.0, 110.0, 300.0, 50.0, "stdp_synapse", 1e7);
  EXPECT_EQ(early, late);
}

// Slice lengths do not change the weights.
TEST(Stdp, SliceLengthInvariance) {
  const double a = pair_weight(100.0, 95.0, 130.0, 50.0, "stdp_nn_symm_synapse", 0.0, 1);
  const double b = pair_weight(100.0, 95.0, 130.0, 50.0, "stdp_nn_symm_synapse", 0.0, 7);
  const double c = pair_weight(100.0, 95.0, 130.0, 50.0, "stdp_nn_symm_synapse", 0.0, 1000);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, c);
  EXPECT_NE(a, 50.0);
}

// describe() of the synapse models: NEST's parameters and defaults (cases.json), units, no
// states; they are not models create accepts.
TEST(Stdp, DescribeSynapseModels) {
  const nlohmann::json ref = stdp_reference();
  ASSERT_FALSE(ref.is_null()) << "missing " << stdp_data("cases.json");
  const std::vector<std::string> names = synapse_models();
  ASSERT_EQ(names.size(), 6u);
  EXPECT_EQ(names.front(), "static_synapse");
  const std::vector<std::string> created = models();
  for (const std::string& name : names) {
    EXPECT_EQ(std::count(created.begin(), created.end(), name), 0) << name;
    const model_description d = describe(name);
    EXPECT_EQ(d.name, name);
    EXPECT_TRUE(d.is_synapse) << name;
    EXPECT_FALSE(d.is_neuron) << name;
    EXPECT_EQ(d.plastic, name != "static_synapse") << name;
    EXPECT_TRUE(d.states.empty()) << name;
    const nlohmann::json& nest = ref.at("synapse_defaults").at(name);
    // NEST's defaults hold the state Kplus too; every parameter's default is NEST's.
    EXPECT_EQ(d.parameters.size(), nest.size() - nest.count("Kplus")) << name;
    ASSERT_EQ(d.parameter_defaults.size(), d.parameters.size()) << name;
    ASSERT_EQ(d.parameter_units.size(), d.parameters.size()) << name;
    for (std::size_t k = 0; k < d.parameters.size(); ++k) {
      const std::string& p = d.parameters[k];
      EXPECT_EQ(d.parameter_defaults[k], nest.at(p).get<double>()) << name << " " << p;
      EXPECT_EQ(d.parameter_units[k], p == "tau_plus" ? "ms"
                                      : p == "Wmax"   ? "pA"
                                                      : "")
          << name << " " << p;
    }
  }
  EXPECT_FALSE(describe("iaf_psc_alpha").is_synapse);
  expect_invalid([] { describe("stdp_synapsee"); }, "stdp_synapsee");
}

TEST(Stdp, RefusesBadInput) {
  kernel_options k;
  k.where = backend::cpu;
  simulator sim(k);
  const population p = sim.create("parrot_neuron", 2), q = sim.create("iaf_psc_alpha", 2);
  const population g = sim.create("poisson_generator", 1);
  synapse s;
  s.model = "stdp_synapse";
  s.params = {{"tau_pluss", 1.0}};
  expect_invalid([&] { sim.connect(p, q, {}, s); }, "has no parameter 'tau_pluss'");
  s.params = {{"tau_plus", -1.0}};
  expect_invalid([&] { sim.connect(p, q, {}, s); }, "tau_plus = -1 ms; expected > 0");
  s.params = {{"Wmax", -5.0}};
  s.weight = 2.0;
  expect_invalid([&] { sim.connect(p, q, {}, s); }, "differ in sign");
  s.params = {};
  expect_invalid([&] { sim.connect(g, q, {}, s); }, "expected a neuron source");
  s.model = "stdp_synapses";
  expect_invalid([&] { sim.connect(p, q, {}, s); }, "stdp_pl_synapse_hom");
  synapse st;
  st.weight_recorder = sim.record_weights();
  expect_invalid([&] { sim.connect(p, q, {}, st); }, "does not change its weights");
  expect_invalid([&] { sim.set(q, "tau_minus", 0.0); }, "tau_minus");
  // Nothing was connected; the simulator still runs.
  EXPECT_EQ(sim.num_connections(), 0u);
  sim.simulate(5.0);
}

// A source silent while its target spikes more often than the history holds: an error that
// names the option, not a weight computed from less than NEST would use.
TEST(Stdp, HistoryOverflowIsAnError) {
  kernel_options k;
  k.where = backend::cpu;
  k.stdp_history = 4;
  simulator sim(k);
  const population pre = sim.create("parrot_neuron", 1), post = sim.create("parrot_neuron", 1);
  const population gp = sim.create("spike_generator", 1), gq = sim.create("spike_generator", 1);
  sim.set_spike_times(gp, {{10.0, 200.0}});
  sim.set_spike_times(gq, {{20.0, 30.0, 40.0, 50.0, 60.0, 70.0}});
  sim.connect(gp, pre, {"one_to_one"});
  sim.connect(gq, post, {"one_to_one"});
  synapse s;
  s.model = "stdp_synapse";
  s.weight = 50.0;
  s.receptor = 1;
  sim.connect(pre, post, {"one_to_one"}, s);
  try {
    sim.simulate(300.0);
    FAIL() << "expected an error";
  } catch (const runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("stdp_history"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace starling
