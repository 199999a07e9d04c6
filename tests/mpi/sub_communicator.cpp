// A host program that owns MPI and runs Starling on sub-communicators of MPI_COMM_WORLD
// (run with 4 processes): ranks 0 and 1 run the network together, rank 2 runs it alone, rank 3
// runs no simulator (its communicator from MPI_Comm_split is MPI_COMM_NULL, which the simulator
// must refuse). The spikes of the pair must equal those of the single process; MPI must still
// be usable by the host after the simulators are gone, and the host finalises it.
// Prints "N passed, M failed" on rank 0; the exit status says the same.
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "starling/mpi.hpp"
#include "starling/simulator.hpp"

namespace {

/// The network on `comm`; returns the gathered spikes as text, and the simulator's view of the
/// processes.
std::string run_network(MPI_Comm comm, int& rank, int& size) {
  starling::kernel_options o;
  o.where = starling::backend::cpu;
  o.seed = 77;
  o.communicator = starling::mpi_communicator(comm);
  starling::simulator sim(o);
  rank = sim.rank();
  size = sim.processes();
  std::vector<starling::population> pops;
  std::vector<starling::recorder> recs;
  for (int i = 0; i < 2; ++i) {
    pops.push_back(sim.remote_create(
        i % size, "iaf_psc_exp", 200,
        {{"V_m", starling::distribution{"uniform", {{"low", -70.0}, {"high", -56.0}}}}}));
    auto noise = sim.remote_create(i % size, "poisson_generator", 1, {{"rate", 25000.0}});
    starling::synapse s;
    s.weight = 30.0;
    sim.remote_connect(i % size, noise, i % size, pops.back(), {"all_to_all"}, s);
  }
  for (int t = 0; t < 2; ++t)
    for (int s = 0; s < 2; ++s) {
      starling::rule r{"fixed_indegree"};
      r.indegree = 20;
      starling::synapse syn;
      syn.weight = s == 0 ? 40.0 : -120.0;
      syn.delay = 1.5;
      sim.remote_connect(s % size, pops[static_cast<std::size_t>(s)], t % size,
                         pops[static_cast<std::size_t>(t)], r, syn);
    }
  for (const auto& p : pops) recs.push_back(sim.record_spikes(p));
  sim.simulate(150.0);
  std::ostringstream out;
  for (std::size_t i = 0; i < recs.size(); ++i) {
    const starling::spike_data d = sim.gather_spikes(recs[i]);
    for (std::size_t k = 0; k < d.time.size(); ++k)
      out << i << ' ' << d.time[k] << ' ' << d.index[k] << '\n';
  }
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
  int world_rank = 0, world_size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  int failed = 0, passed = 0;
  auto expect = [&](bool ok, const std::string& what) {
    if (ok) {
      ++passed;
    } else {
      ++failed;
      std::printf("rank %d: FAILED %s\n", world_rank, what.c_str());
    }
  };
  if (world_size != 4) {
    if (world_rank == 0) std::printf("sub_communicator needs 4 processes, got %d\n", world_size);
    MPI_Finalize();
    return 2;
  }
  const int color = world_rank < 2 ? 0 : (world_rank == 2 ? 1 : MPI_UNDEFINED);
  MPI_Comm sub = MPI_COMM_NULL;
  MPI_Comm_split(MPI_COMM_WORLD, color, world_rank, &sub);

  std::string spikes;
  if (sub == MPI_COMM_NULL) {
    bool refused = false;
    try {
      starling::kernel_options o;
      o.where = starling::backend::cpu;
      o.communicator = starling::mpi_communicator(sub);
      starling::simulator sim(o);
    } catch (const starling::invalid_argument& e) {
      refused = std::string(e.what()).find("MPI_COMM_NULL") != std::string::npos;
    }
    expect(refused, "a simulator on MPI_COMM_NULL is refused");
  } else {
    int rank = -1, size = -1;
    try {
      spikes = run_network(sub, rank, size);
    } catch (const starling::error& e) {
      std::printf("rank %d: error: %s\n", world_rank, e.what());
    }
    expect(size == (color == 0 ? 2 : 1), "processes() is the size of the sub-communicator");
    expect(rank == (color == 0 ? world_rank : 0), "rank() is the rank in the sub-communicator");
    expect(std::count(spikes.begin(), spikes.end(), '\n') > 200, "the network spikes");
    // A second simulator on the same communicator, one after the other.
    int rank2 = -1, size2 = -1;
    try {
      expect(run_network(sub, rank2, size2) == spikes, "a second simulator gives the same spikes");
    } catch (const starling::error& e) {
      expect(false, std::string("second simulator: ") + e.what());
    }
    MPI_Comm_free(&sub);
  }

  // MPI is still the host's: not finalised by Starling, and usable on MPI_COMM_WORLD.
  int finalized = 1;
  MPI_Finalized(&finalized);
  expect(finalized == 0, "MPI is not finalised by the simulator");
  // Rank 2 (alone) sends its spikes to rank 0 (one of the pair): they must be the same.
  if (world_rank == 2) {
    const int n = static_cast<int>(spikes.size());
    MPI_Send(&n, 1, MPI_INT, 0, 1, MPI_COMM_WORLD);
    MPI_Send(spikes.data(), n, MPI_CHAR, 0, 2, MPI_COMM_WORLD);
  } else if (world_rank == 0) {
    int n = 0;
    MPI_Recv(&n, 1, MPI_INT, 2, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    std::string alone(static_cast<std::size_t>(n), '\0');
    MPI_Recv(alone.data(), n, MPI_CHAR, 2, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    expect(!spikes.empty() && alone == spikes,
           "two processes and one process give the same spikes");
  }
  int totals[2] = {passed, failed}, sums[2] = {0, 0};
  MPI_Allreduce(totals, sums, 2, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  if (world_rank == 0) std::printf("%d passed, %d failed\n", sums[0], sums[1]);
  MPI_Finalize();
  return sums[1] == 0 ? 0 : 1;
}
