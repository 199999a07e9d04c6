// Machine-aware placement and the neighbourhood of the exchange, on N processes of one node:
// - each process's StarPU workers are bound (binding "auto": the launcher starts several
//   processes here) to cores of its own, distinct from the other processes' where the node has
//   a core for each;
// - on a directed ring of populations (process r feeds process r + 1), each process sends to
//   exactly its successor and receives from exactly its predecessor: 2 neighbours for N >= 3,
//   whatever N is.
// Prints "N passed, M failed" on rank 0; the exit status says the same.
#include <mpi.h>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "runtime/topology.hpp"
#include "starling/simulator.hpp"

namespace {

int failures = 0, checks = 0;

void expect(bool ok, int rank, const std::string& what) {
  ++checks;
  if (ok) return;
  ++failures;
  std::fprintf(stderr, "rank %d: FAILED %s\n", rank, what.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  int provided = 0, rank = 0, size = 1;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  {
    starling::kernel_options o;
    o.where = starling::backend::cpu;
    starling::simulator sim(o);
    expect(sim.processes() == size, rank, "the simulator sees every process");

    const auto cores = sim.worker_cores();
    const int node_cores = starling::runtime::topology::discover().cores;
    expect(!cores.empty() && !cores.front().empty() &&
               (size == 1 || static_cast<int>(cores.front().size()) < node_cores),
           rank, "workers bound to a part of the cores");
    int first = cores.empty() || cores.front().empty() ? -1 : cores.front().front();
    std::vector<int> all(static_cast<std::size_t>(size));
    MPI_Allgather(&first, 1, MPI_INT, all.data(), 1, MPI_INT, MPI_COMM_WORLD);
    if (node_cores >= size)
      expect(std::set<int>(all.begin(), all.end()).size() == all.size(), rank,
             "each process on cores of its own");

    std::vector<starling::population> ring;
    for (int r = 0; r < size; ++r) ring.push_back(sim.remote_create(r, "iaf_psc_exp", 20));
    starling::rule fixed{"fixed_indegree"};
    fixed.indegree = 5;
    starling::synapse s;
    s.weight = 10.0;
    s.delay = 1.0;
    for (int r = 0; r < size; ++r) {
      const int prev = (r + size - 1) % size;
      sim.remote_connect(prev, ring[static_cast<std::size_t>(prev)], r,
                         ring[static_cast<std::size_t>(r)], fixed, s);
    }
    const starling::exchange_neighbours n = sim.neighbours();
    if (size > 1) {
      expect(n.send_to == std::vector<int>{(rank + 1) % size}, rank, "sends to its successor only");
      expect(n.receive_from == std::vector<int>{(rank + size - 1) % size}, rank,
             "receives from its predecessor only");
      std::set<int> both(n.send_to.begin(), n.send_to.end());
      both.insert(n.receive_from.begin(), n.receive_from.end());
      expect(static_cast<int>(both.size()) == (size >= 3 ? 2 : 1), rank, "neighbour count");
    } else {
      expect(n.send_to.empty() && n.receive_from.empty(), rank, "no neighbours alone");
    }
    sim.simulate(10.0);
  }
  int total_failures = 0, total_checks = 0;
  MPI_Reduce(&failures, &total_failures, 1, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD);
  MPI_Reduce(&checks, &total_checks, 1, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD);
  if (rank == 0)
    std::printf("%d passed, %d failed\n", total_checks - total_failures, total_failures);
  MPI_Finalize();
  return total_failures == 0 ? 0 : 1;
}
