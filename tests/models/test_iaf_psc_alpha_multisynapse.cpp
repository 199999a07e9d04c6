// iaf_psc_alpha_multisynapse: per-receptor alpha currents and PSPs against closed forms, the
// receptor list and ports, NEST's parameter checks.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "codelets/models/iaf_psc_alpha_multisynapse.hpp"
#include "common/model_member.hpp"
#include "starling/error.hpp"
#include "starling/simulator.hpp"

namespace models = starling::codelets::models;
using m = models::iaf_psc_alpha_multisynapse;

namespace {

/// A member with the receptors of `tau_syn`; a step takes each receptor's input in order.
struct member : starling::testing::model_member<m> {
  explicit member(std::vector<double> tau_syn, double h = 0.1) : model_member(h) {
    for (std::size_t k = 0; k < tau_syn.size(); ++k) p[m::tau_syn_1 + k] = tau_syn[k];
    p[m::tau_syn_count] = static_cast<double>(tau_syn.size());
    derive();
  }
  std::uint32_t step(std::vector<double> spikes = {}, double current = 0.0) {
    double x[m::n_channels] = {};
    for (std::size_t k = 0; k < spikes.size(); ++k) x[k] = spikes[k];
    x[m::rec_current] = current;
    return models::step<m>(s, c, x);
  }
};

/// V - E_L at t after a spike of weight w into an alpha current of rise time tau_s, from rest.
double psp(double w, double t, double tau_s) {
  const double tau_m = 10.0, c_m = 250.0;
  const double k = w * m::e / (tau_s * c_m);
  const double a = 1.0 / tau_s - 1.0 / tau_m;
  if (a == 0.0) return k * std::exp(-t / tau_m) * t * t / 2.0;
  return k * std::exp(-t / tau_m) * (1.0 - std::exp(-a * t) * (1.0 + a * t)) / (a * a);
}

/// The alpha current at t after a spike of weight w.
double alpha(double w, double t, double tau_s) { return w * t / tau_s * std::exp(1.0 - t / tau_s); }

starling::kernel_options cpu() {
  starling::kernel_options o;
  o.where = starling::backend::cpu;
  return o;
}

}  // namespace

TEST(IafPscAlphaMultisynapse, DefaultIsOneReceptorOfTwoMs) {
  const starling::model_description d = starling::describe("iaf_psc_alpha_multisynapse");
  EXPECT_EQ(d.parameter_lists.at("tau_syn"), std::vector<double>{2.0});
  member n({2.0});
  EXPECT_EQ(n.c[m::n_rec], 1.0);
}

TEST(IafPscAlphaMultisynapse, EachReceptorHasItsOwnTimeConstant) {
  member n({2.0, 10.0, 0.5});  // receptor 2: tau_syn == tau_m, NEST's singular propagator
  n.step({100.0, 0.0, 0.0});
  n.step({0.0, 50.0, 0.0});
  n.step({0.0, 0.0, 400.0});
  for (int k = 0; k < 100; ++k) n.step();
  // Receptor 1 arrived 102 steps before the end, 2 101, 3 100.
  EXPECT_NEAR(n.s[m::I_syn_1], alpha(100.0, 10.2, 2.0), 1e-10);
  EXPECT_NEAR(n.s[m::I_syn_1 + 1], alpha(50.0, 10.1, 10.0), 1e-10);
  EXPECT_NEAR(n.s[m::I_syn_1 + 2], alpha(400.0, 10.0, 0.5), 1e-10);
  EXPECT_NEAR(n.s[m::I_syn], n.s[m::I_syn_1] + n.s[m::I_syn_1 + 1] + n.s[m::I_syn_1 + 2], 1e-12);
  const double v = psp(100.0, 10.2, 2.0) + psp(50.0, 10.1, 10.0) + psp(400.0, 10.0, 0.5);
  EXPECT_NEAR(n.s[m::V_m] + 70.0, v, 1e-12);
  EXPECT_GT(v, 0.5);
}

TEST(IafPscAlphaMultisynapse, CurrentPeaksAtWeightAfterTauSyn) {
  member n({2.0, 3.0});
  n.step({0.0, 80.0});
  for (int k = 0; k < 30; ++k) n.step();
  EXPECT_NEAR(n.s[m::I_syn_1 + 1], 80.0, 1e-12);
  EXPECT_EQ(n.s[m::I_syn_1], 0.0);
}

TEST(IafPscAlphaMultisynapse, VminBoundsTheMembrane) {
  member n({2.0});
  n.p[m::V_min] = -71.0;
  m::derive(n.p, 0.1, n.c);
  n.step({-5000.0});
  for (int k = 0; k < 50; ++k) n.step();
  EXPECT_NEAR(n.s[m::V_m], -71.0, 1e-12);
}

TEST(IafPscAlphaMultisynapse, RefractoryPeriodClampsForTrefSteps) {
  member n({2.0});
  n.p[m::I_e] = 1000.0;
  n.p[m::t_ref] = 3.0;
  m::derive(n.p, 0.1, n.c);
  int first = -1;
  for (int k = 0; k < 200; ++k) {
    if (n.step()) {
      if (first >= 0) {
        // 30 clamped steps, then 48 to climb 15 mV under R I = 40 mV: tau_m ln(40 / 25).
        EXPECT_EQ(k - first, 30 + static_cast<int>(std::ceil(10.0 * std::log(40.0 / 25.0) / 0.1)));
        return;
      }
      first = k;
    }
    if (first >= 0 && k > first && k <= first + 30) {
      EXPECT_EQ(n.s[m::V_m], -70.0);
    }
  }
  ADD_FAILURE() << "no second spike";
}

TEST(IafPscAlphaMultisynapse, ReceptorsBeyondTheListAreRefused) {
  starling::simulator sim(cpu());
  auto g = sim.create("spike_generator", 1, {{"spike_times", std::vector<double>{1.0}}});
  auto n =
      sim.create("iaf_psc_alpha_multisynapse", 1, {{"tau_syn", std::vector<double>{1.0, 3.0}}});
  EXPECT_EQ(sim.get(n, "tau_syn"), (std::vector<double>{1.0, 3.0}));
  starling::synapse s;
  s.weight = 100.0;
  s.delay = 1.0;
  s.receptor = 2;
  sim.connect(g, n, {"one_to_one"}, s);
  s.receptor = 3;
  EXPECT_THROW(sim.connect(g, n, {"one_to_one"}, s), starling::invalid_argument);
  s.receptor = 0;
  EXPECT_THROW(sim.connect(g, n, {"one_to_one"}, s), starling::invalid_argument);
  auto rec = sim.record_states(n, {"I_syn_2", "I_syn"}, 0.1);
  sim.simulate(5.0);
  // Arrives at 2 ms; at 5 ms the alpha current of rise time 3 ms peaks at the weight.
  EXPECT_NEAR(sim.get(n, "I_syn_2").at(0), 100.0, 1e-9);
  EXPECT_NEAR(sim.get(n, "I_syn").at(0), 100.0, 1e-9);
  EXPECT_EQ(sim.get(n, "I_syn_1").at(0), 0.0);
  EXPECT_FALSE(sim.samples(rec).time.empty());
}

TEST(IafPscAlphaMultisynapse, RejectsBadParameters) {
  auto refused = [](std::vector<double> tau_syn, int k, double x, const char* what) {
    member n({2.0});
    for (std::size_t r = 0; r < tau_syn.size(); ++r) n.p[m::tau_syn_1 + r] = tau_syn[r];
    n.p[m::tau_syn_count] = static_cast<double>(tau_syn.size());
    if (k >= 0) n.p[k] = x;
    try {
      m::derive(n.p, 0.1, n.c);
      ADD_FAILURE() << what << " accepted";
    } catch (const starling::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("iaf_psc_alpha_multisynapse"), std::string::npos);
    }
  };
  refused({2.0, -1.0}, -1, 0.0, "tau_syn[2]");
  refused({2.0}, m::C_m, 0.0, "C_m");
  refused({2.0}, m::tau_m, -1.0, "tau_m");
  refused({2.0}, m::t_ref, -1.0, "t_ref");
  refused({2.0}, m::V_reset, -50.0, "V_reset");
  refused({2.0}, m::tau_syn_count, 9.0, "tau_syn has 9 values");
  starling::simulator sim(cpu());
  EXPECT_THROW(
      sim.create("iaf_psc_alpha_multisynapse", 1, {{"tau_syn", std::vector<double>(9, 1.0)}}),
      starling::invalid_argument);
}
