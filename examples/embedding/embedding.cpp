// A host program that embeds Starling: builds a small network through the C++ API, runs it and
// prints the number of spikes. Built with EMBEDDING_WITH_MPI, the host owns MPI and gives the
// simulator MPI_COMM_WORLD's duplicate of its own; Starling leaves MPI to the host.
#include <cstdio>

#include "starling/simulator.hpp"
#if EMBEDDING_WITH_MPI
#include "starling/mpi.hpp"
#endif

int main(int argc, char** argv) {
#if EMBEDDING_WITH_MPI
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
#else
  (void)argc;
  (void)argv;
#endif
  int status = 0;
  try {
    starling::kernel_options o;
    o.where = starling::backend::cpu;
#if EMBEDDING_WITH_MPI
    o.communicator = starling::mpi_communicator(MPI_COMM_WORLD);
#endif
    starling::simulator sim(o);
    auto noise = sim.create("poisson_generator", 1, {{"rate", 20000.0}});
    auto n = sim.create("iaf_psc_exp", 100);
    starling::synapse s;
    s.weight = 40.0;  // pA
    s.delay = 1.0;    // ms
    sim.connect(noise, n, {"all_to_all"}, s);
    auto rec = sim.record_spikes(n);
    sim.simulate(200.0);
    const std::size_t spikes = sim.spikes(rec).time.size();
    std::printf("embedding: %zu neurons, %zu spikes in %.0f ms on %s\n", n.size, spikes, sim.time(),
                sim.device().c_str());
    status = spikes > 0 ? 0 : 1;
  } catch (const starling::error& e) {
    std::fprintf(stderr, "embedding: error: %s\n", e.what());
    status = 1;
  }
#if EMBEDDING_WITH_MPI
  MPI_Finalize();
#endif
  return status;
}
