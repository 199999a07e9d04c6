// Micro-benchmarks of the CPU codelets, one step each, on synthetic populations.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "codelets/common/population_io.hpp"
#include "codelets/deliver/deliver.hpp"
#include "codelets/neuron/neuron.hpp"

namespace cl = starling::codelets;

namespace {

struct population {
  std::vector<double> state, coeff;
  std::vector<std::int64_t> ring;
  std::vector<std::uint32_t> spikes;
  cl::neuron::args args;
  std::vector<void*> ptrs;

  population(std::int64_t n, std::int64_t slots) {
    using m = starling::codelets::models::iaf_psc_exp;
    state.assign(static_cast<std::size_t>(m::n_states * n), 0.0);
    for (std::int64_t i = 0; i < n; ++i)
      state[static_cast<std::size_t>(i)] = -70.0 + static_cast<double>(i % 15);
    double p[m::n_params];
    for (int k = 0; k < m::n_params; ++k) p[k] = m::parameters[k].default_value;
    p[m::I_e] = 380.0;
    double c[m::n_coeffs];
    m::derive(p, 0.1, c);
    coeff.resize(static_cast<std::size_t>(m::n_coeffs * n));
    for (int k = 0; k < m::n_coeffs; ++k)
      for (std::int64_t i = 0; i < n; ++i) coeff[static_cast<std::size_t>(k * n + i)] = c[k];
    ring.assign(static_cast<std::size_t>(slots * m::n_channels * n), 0);
    spikes.assign(static_cast<std::size_t>(cl::spike_list_words(n)), 0);
    ptrs = {state.data(), coeff.data(), ring.data(), spikes.data()};
    for (int k = 0; k < 4; ++k) args.io.add(k, starling::runtime::access::read_write);
    args.n = n;
    args.ring_slots = slots;
  }
};

void IafPscExpStep(benchmark::State& st) {
  population pop(st.range(0), 16);
  std::int64_t step = 1;
  for (auto _ : st) {
    cl::neuron::step_cpu(pop.args, pop.ptrs.data(), {step++, 0});
    benchmark::DoNotOptimize(pop.spikes[0]);
  }
  st.SetItemsProcessed(st.iterations() * st.range(0));
}
BENCHMARK(IafPscExpStep)->Arg(1000)->Arg(77169);

void DeliverSpikes(benchmark::State& st) {
  // 1,000 sources with 1,000 synapses each into 10,000 targets; range(0) sources spike per step.
  const std::int64_t n_src = 1000, fan = 1000, n_tgt = 10000, slots = 16;
  population tgt(n_tgt, slots);
  std::vector<std::int64_t> rows(n_src + 1);
  const std::int32_t bits = cl::target_bits_for(n_tgt);
  std::vector<std::uint32_t> synapses(n_src * fan);
  std::vector<float> weights(n_src * fan, 87.8f);
  for (std::int64_t i = 0; i <= n_src; ++i) rows[i] = i * fan;
  for (std::int64_t k = 0; k < n_src * fan; ++k)
    synapses[k] = cl::pack_synapse(static_cast<std::uint32_t>((k * 7919) % n_tgt),
                                   1 + static_cast<std::int32_t>(k % 15), bits);
  std::vector<std::uint32_t> spikes(cl::spike_list_words(n_src), 0);
  const cl::spike_list list = cl::make_spike_list(spikes.data(), n_src);
  *list.count = static_cast<std::uint32_t>(st.range(0));
  for (std::int64_t j = 0; j < st.range(0); ++j) {
    list.ids[j] = static_cast<std::uint32_t>(j * 3 % n_src);
    list.mult[j] = 1;
  }
  double coeff = 0.0;
  std::vector<void*> ptrs = {spikes.data(),  rows.data(),     synapses.data(),
                             weights.data(), tgt.ring.data(), &coeff};
  cl::deliver::args a;
  for (int k = 0; k < 6; ++k) a.io.add(k, starling::runtime::access::read_write);
  a.target_bits = bits;
  a.n_src = n_src;
  a.n_tgt = n_tgt;
  a.ring_slots = slots;
  a.receptors = starling::codelets::models::iaf_psc_exp::n_channels;
  std::int64_t step = 1;
  for (auto _ : st) {
    cl::deliver::step_cpu(a, ptrs.data(), {step++, 0});
    benchmark::DoNotOptimize(tgt.ring[0]);
  }
  st.SetItemsProcessed(st.iterations() * st.range(0) * fan);
}
BENCHMARK(DeliverSpikes)->Arg(10)->Arg(100);

}  // namespace

BENCHMARK_MAIN();
