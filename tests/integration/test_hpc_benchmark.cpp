// NEST's HPC benchmark (examples/hpc_benchmark, `starling bench hpc`): the weight conversion and
// sizes of pynest/examples/hpc_benchmark.py, the network's connectivity at a small scale, and the
// command's JSON line and errors.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "common/errors.hpp"
#include "hpc_benchmark/hpc_benchmark.hpp"

namespace {

namespace fs = std::filesystem;
namespace ex = starling::examples;
using starling::testing::contains;
using starling::testing::error_of;

constexpr double tau_syn = 0.32582722403722841;  // ms, the benchmark's

TEST(HpcBenchmark, LambertWMinusOneMatchesScipy) {
  // scipy.special.lambertw(x, k=-1).real
  EXPECT_NEAR(ex::lambert_w_minus1(-0.1), -3.577152063957297, 1e-13);
  EXPECT_NEAR(ex::lambert_w_minus1(-1e-10), -26.295238819246926, 1e-12);
  EXPECT_NEAR(ex::lambert_w_minus1(-0.3678), -1.020927239409425, 1e-9);
  EXPECT_DOUBLE_EQ(ex::lambert_w_minus1(-std::exp(-1.0)), -1.0);
  EXPECT_TRUE(contains(error_of([] { ex::lambert_w_minus1(0.1); }), "expected -1/e <= x < 0"));
}

TEST(HpcBenchmark, WeightFromPspAsTheBenchmark) {
  // The benchmark chose tau_syn for a PSP peak 1.700759 ms after the input.
  EXPECT_NEAR(ex::alpha_psp_peak_time(10.0, tau_syn), 1.700759, 1e-6);
  // Its convert_synapse_weight(10, tau_syn, 250) * 0.14 mV with scipy: 45.609600316540956 pA.
  EXPECT_NEAR(ex::alpha_psc_weight_per_mv(10.0, tau_syn, 250.0) * 0.14, 45.609600316540956, 1e-9);
}

TEST(HpcBenchmark, SizesTruncateAsPythonInt) {
  std::uint64_t ne = 0, ni = 0;
  ex::hpc_sizes(0.02, ne, ni);
  EXPECT_EQ(ne, 180u);
  EXPECT_EQ(ni, 45u);
  ex::hpc_sizes(0.07, ne, ni);  // 157.5 inhibitory
  EXPECT_EQ(ne, 630u);
  EXPECT_EQ(ni, 157u);
  ex::hpc_sizes(1.0, ne, ni);
  EXPECT_EQ(ne, 9000u);
  EXPECT_EQ(ni, 2250u);
  for (double bad : {0.0, -1.0, std::nan(""), HUGE_VAL})
    EXPECT_TRUE(contains(error_of([&] { ex::hpc_sizes(bad, ne, ni); }), "expected a finite number"))
        << bad;
  EXPECT_TRUE(contains(error_of([&] { ex::hpc_sizes(0.0005, ne, ni); }), "at least 2 of each"));
}

TEST(HpcBenchmark, FixedInDegreesWithoutAutapses) {
  starling::kernel_options o;
  o.where = starling::backend::cpu;
  starling::simulator sim(o);
  ex::hpc_options ho;
  ho.scale = 0.02;
  ho.plastic = false;
  const ex::hpc_network net = ex::build_hpc_benchmark(sim, ho);
  EXPECT_EQ(net.ne + net.ni, 225u);
  EXPECT_NEAR(net.je, 45.609600316540956, 1e-9);
  // nu_th = V_th / (CE tau_m / C_m JE e tau_syn) per ms, times eta = 1.685 and CE, in Hz.
  EXPECT_NEAR(net.poisson_rate, 20856.037200898867, 1e-6);
  EXPECT_EQ(sim.num_connections(), 225u * 11250u + 225u);  // + one Poisson input each
  for (const auto& [pre, indegree, weight] :
       {std::tuple{net.e, 9000u, net.je}, std::tuple{net.i, 2250u, -5.0 * net.je}}) {
    for (const starling::population& post : {net.e, net.i}) {
      const starling::connection_data c = sim.get_connections(pre, post);
      std::vector<unsigned> in(post.size, 0);
      std::size_t autapses = 0;
      for (std::size_t k = 0; k < c.target.size(); ++k) {
        ++in[c.target[k]];
        autapses += pre.id == post.id && c.source[k] == c.target[k];
        ASSERT_FLOAT_EQ(static_cast<float>(c.weight[k]),
                        static_cast<float>(weight));  // float tables
        ASSERT_DOUBLE_EQ(c.delay[k], 1.5);
      }
      for (unsigned n : in) ASSERT_EQ(n, indegree);
      EXPECT_EQ(autapses, 0u);
    }
  }
  const std::vector<double> v = sim.get(net.e, "V_m");  // normal(5.7, 7.2) mV
  double mean = 0.0;
  for (double x : v) mean += x / static_cast<double>(v.size());
  EXPECT_NEAR(mean, 5.7, 3.0 * 7.2 / std::sqrt(180.0));
  EXPECT_DOUBLE_EQ(sim.get(net.i, "t_ref")[0], 0.5);
  EXPECT_DOUBLE_EQ(sim.get(net.i, "tau_syn_in")[0], tau_syn);
}

/// A command's exit status, stdout and stderr.
struct outcome {
  int status = -1;
  std::string out, err;
};

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

outcome run_bench(const std::string& options) {
  const fs::path dir =
      fs::temp_directory_path() / ("starling_bench_hpc_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const int status = std::system((std::string(STARLING_CLI) + " bench hpc " + options + " > " +
                                  (dir / "out").string() + " 2> " + (dir / "err").string())
                                     .c_str());
  outcome r;
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(dir / "out");
  r.err = read_text(dir / "err");
  fs::remove_all(dir);
  return r;
}

TEST(BenchHpcCli, StaticJsonLineHasSaneFigures) {
  const outcome r = run_bench("--scale 0.02 --t-sim 50 --plastic 0 --backend cpu");
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("bench"), "hpc");
  EXPECT_EQ(j.at("scale").get<double>(), 0.02);
  EXPECT_EQ(j.at("plastic"), false);
  EXPECT_EQ(j.at("device"), "cpu");
  EXPECT_EQ(j.at("neurons").get<int>(), 225);  // floor(180) + floor(45)
  EXPECT_EQ(j.at("synapses").get<long>(), 225L * 11250L + 225L);
  EXPECT_EQ(j.at("plastic_synapses").get<long>(), 0L);
  EXPECT_EQ(j.at("plastic_events_per_s").get<double>(), 0.0);
  const double sim_s = j.at("sim_s"), rate_e = j.at("rates").at("E"),
               rate_i = j.at("rates").at("I");
  EXPECT_GT(j.at("build_s").get<double>(), 0.0);
  EXPECT_GT(sim_s, 0.0);
  // sim_s is printed to 0.1 ms (0.001 of rtf for 50 ms), rtf and rates to 4 decimals.
  const double sim_tolerance = 0.5e-4 / sim_s + 1e-3;  // relative
  EXPECT_NEAR(j.at("rtf").get<double>(), sim_s / 0.05, 1.1e-3);
  // Asynchronous irregular at a few spikes per second, not silent nor saturated (1 / t_ref).
  EXPECT_GT(rate_e, 1.0);
  EXPECT_LT(rate_e, 100.0);
  EXPECT_GT(rate_i, 1.0);
  EXPECT_LT(rate_i, 100.0);
  const double spikes_e = rate_e * 180.0 * 0.05, spikes_i = rate_i * 45.0 * 0.05;
  EXPECT_NEAR(j.at("spikes").get<double>(), spikes_e + spikes_i, 0.01);
  // Each spike reaches its source's mean out-degree: CE (NE + NI) / NE or CI (NE + NI) / NI.
  const double events = spikes_e * 9000.0 * 225.0 / 180.0 + spikes_i * 2250.0 * 225.0 / 45.0;
  EXPECT_NEAR(j.at("events_per_s").get<double>() * sim_s, events, sim_tolerance * events);
}

TEST(BenchHpcCli, PlasticJsonLineCountsPlasticEvents) {
  const outcome r = run_bench("--scale 0.02 --t-sim 50 --plastic 1 --backend cpu");
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("plastic"), true);
  EXPECT_EQ(j.at("plastic_synapses").get<long>(), 180L * 9000L);
  const double sim_s = j.at("sim_s"), spikes_e = j.at("rates").at("E").get<double>() * 9.0;
  EXPECT_GT(spikes_e, 0.0);
  EXPECT_NEAR(j.at("plastic_events_per_s").get<double>() * sim_s, spikes_e * 9000.0,
              (0.5e-4 / sim_s + 1e-3) * spikes_e * 9000.0);  // sim_s printed to 0.1 ms
}

TEST(BenchHpcCli, BadScaleExitsWithTwoAndSaysWhy) {
  for (const char* scale : {"0", "-1", "nan", "inf"}) {
    const outcome r = run_bench(std::string("--scale ") + scale + " --plastic 0 --backend cpu");
    EXPECT_EQ(r.status, 2) << scale;
    EXPECT_TRUE(contains(
        r.err, std::string("bench hpc: --scale ") + scale + "; expected a finite number > 0"))
        << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
  const outcome tiny = run_bench("--scale 0.0005 --plastic 0 --backend cpu");
  EXPECT_EQ(tiny.status, 2);
  EXPECT_TRUE(contains(tiny.err, "gives 4 excitatory and 1 inhibitory neurons")) << tiny.err;
  const outcome word = run_bench("--scale ten");
  EXPECT_EQ(word.status, 2);
  EXPECT_TRUE(contains(word.err, "--scale ten; expected a number")) << word.err;
}

}  // namespace
