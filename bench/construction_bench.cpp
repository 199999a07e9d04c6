// Construction benchmark: the connectivity of the Potjans & Diesmann microcircuit (create,
// connect, prepare) on the CPU or one GPU. Prints one JSON line per run.
//   construction_bench [--scale S] [--backend cpu|cuda] [--repeat N] [--seed N]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "microcircuit/microcircuit.hpp"
#include "runtime/engine.hpp"

namespace {

double device_used_bytes(bool cuda) { return cuda ? starling::runtime::cuda_used_bytes(0) : 0.0; }

}  // namespace

int main(int argc, char** argv) {
  double scale = 1.0;
  int repeat = 3;
  std::uint64_t seed = 55;
  starling::backend where = starling::backend::automatic;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--scale")
      scale = std::stod(v);
    else if (k == "--repeat")
      repeat = std::stoi(v);
    else if (k == "--seed")
      seed = std::stoull(v);
    else if (k == "--backend")
      where = v == "cpu"    ? starling::backend::cpu
              : v == "cuda" ? starling::backend::cuda
                            : starling::backend::automatic;
    else {
      std::fprintf(stderr, "construction_bench: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  try {
    for (int r = 0; r < repeat; ++r) {
      starling::kernel_options o;
      o.where = where;
      o.seed = seed + static_cast<std::uint64_t>(r);
      starling::simulator sim(o);
      const bool cuda = sim.device() != "cpu";
      const double before = device_used_bytes(cuda);
      const auto t0 = std::chrono::steady_clock::now();
      starling::examples::microcircuit_options mo;
      mo.scale = scale;
      mo.record_spikes = false;
      const auto net = starling::examples::build_microcircuit(sim, mo);
      const auto t1 = std::chrono::steady_clock::now();
      sim.prepare();
      const auto t2 = std::chrono::steady_clock::now();
      const double build_s = std::chrono::duration<double>(t2 - t0).count();
      const double prepare_s = std::chrono::duration<double>(t2 - t1).count();
      const double resident = device_used_bytes(cuda) - before;
      rusage ru{};
      getrusage(RUSAGE_SELF, &ru);
      const double synapses = static_cast<double>(sim.num_connections());
      const double table = static_cast<double>(sim.synapse_bytes());
      std::printf(
          "{\"bench\":\"microcircuit_construction\",\"scale\":%g,\"device\":\"%s\",\"neurons\":%"
          "llu,"
          "\"synapses\":%.0f,\"build_s\":%.4f,\"prepare_s\":%.4f,\"synapses_per_s\":%.4g,\"device_"
          "resident_bytes\":%."
          "0f,"
          "\"device_bytes_per_synapse\":%.2f,\"table_bytes_per_synapse\":%.3f,\"host_peak_rss_mb\":"
          "%.0f}"
          "\n",
          scale, sim.device().c_str(), static_cast<unsigned long long>(net.neurons), synapses,
          build_s, prepare_s, synapses / build_s, resident, cuda ? resident / synapses : 0.0,
          table / synapses, static_cast<double>(ru.ru_maxrss) / 1024.0);
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "construction_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
