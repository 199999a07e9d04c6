#pragma once
// The processes of a run: rank, size and the few collectives the network needs. Uses MPI when
// the process was started by an MPI launcher (and Starling was built with MPI); otherwise it is
// a single process. Errors throw starling::runtime_error.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "starling/types.hpp"

namespace starling::runtime {

class communicator {
 public:
  /// The processes of this run: MPI_COMM_WORLD (MPI is initialised on first use when launched by
  /// mpirun), or the host's communicator while an attachment holds it.
  static communicator& world();

  int rank() const { return rank_; }
  /// The MPI communicator in use as its Fortran handle (MPI_Comm_c2f); 0 without MPI.
  std::int64_t native() const { return comm_; }
  int size() const { return size_; }

  /// Smallest value over all processes.
  std::int64_t min(std::int64_t v) const;
  /// Largest value over all processes.
  std::int64_t max(std::int64_t v) const;
  /// Every process sends send[p] to process p and receives recv[p] from it.
  void all_to_all(const std::vector<std::vector<std::uint64_t>>& send,
                  std::vector<std::vector<std::uint64_t>>& recv) const;
  /// Point-to-point exchange with neighbours only: sends send[p] to every p in `send` (possibly
  /// empty messages) and receives one message from every process in `from`.
  std::map<int, std::vector<std::uint64_t>> neighbour_exchange(
      const std::map<int, std::vector<std::uint64_t>>& send, const std::set<int>& from) const;
  /// The same exchange through MPI_Alltoall/MPI_Alltoallv over every process (empty messages to
  /// processes not in `send`); returns the non-empty messages received.
  std::map<int, std::vector<std::uint64_t>> all_to_all_exchange(
      const std::map<int, std::vector<std::uint64_t>>& send) const;
  /// Concatenation of every process's `mine` on every process, in rank order.
  std::vector<std::uint64_t> all_gather(const std::vector<std::uint64_t>& mine) const;
  /// Ends every process of the run with an error (after printing `what` on this one).
  [[noreturn]] void abort(const std::string& what) const;

 private:
  friend class attachment;
  communicator();
  std::int64_t reduce(std::int64_t v, bool largest) const;
  int rank_ = 0;
  int size_ = 1;
  std::int64_t comm_ =
      0;              // Fortran handle of the MPI communicator in use (when size_ > 1 or given)
  bool mpi_ = false;  // whether MPI is in use
};

/// While it lives, the world is a duplicate of the host's communicator (when one is given): the
/// simulator's processes are that communicator's, and its messages cannot mix with the host's.
/// Starling neither initialises nor finalises MPI for it. Throws invalid_argument when MPI is not
/// initialised, the communicator is null, or MPI allows no calls from several threads.
class attachment {
 public:
  explicit attachment(const host_communicator& host);
  ~attachment();
  attachment(const attachment&) = delete;
  attachment& operator=(const attachment&) = delete;

 private:
  bool attached_ = false;
  int rank_ = 0, size_ = 1;
  std::int64_t comm_ = 0;
  bool mpi_ = false;
};

/// An MPI distributed-graph communicator over this process's partners (collective: every
/// process of the world builds its own at the same time), weighted by the expected volume and
/// with ranks reordered as the MPI library sees fit; the exchange is a neighbourhood collective
/// (MPI_Neighbor_alltoall of the sizes, MPI_Neighbor_alltoallv of the data).
class neighbourhood {
 public:
  /// `to` / `from`: world ranks this process sends to / receives from, with weights.
  neighbourhood(const std::vector<int>& to, const std::vector<int>& to_weights,
                const std::vector<int>& from, const std::vector<int>& from_weights);
  ~neighbourhood();
  neighbourhood(const neighbourhood&) = delete;
  neighbourhood& operator=(const neighbourhood&) = delete;

  /// Sends send[p] to every partner p (an empty message where `send` has none), receives one
  /// message from every partner it receives from; keys are world ranks.
  std::map<int, std::vector<std::uint64_t>> exchange(
      const std::map<int, std::vector<std::uint64_t>>& send) const;

 private:
  std::int64_t graph_ = 0;     // Fortran handle of the graph communicator
  std::vector<int> out_, in_;  // world ranks of the partners, in the graph's order
};

/// The exchange in two levels: each process hands its messages to its node's leader (the
/// processes sharing memory, or $STARLING_NODE_SIZE consecutive ranks), the leaders exchange
/// what crosses nodes with one another, and hand each process the messages for it. Collective
/// to build, like neighbourhood.
class hierarchy {
 public:
  hierarchy();
  ~hierarchy();
  hierarchy(const hierarchy&) = delete;
  hierarchy& operator=(const hierarchy&) = delete;

  /// As neighbourhood::exchange; adds the seconds spent within the node (gather and scatter)
  /// and between the leaders to the two counters.
  std::map<int, std::vector<std::uint64_t>> exchange(
      const std::map<int, std::vector<std::uint64_t>>& send, double& node_seconds,
      double& between_seconds) const;
  int nodes() const { return nodes_; }

 private:
  std::int64_t node_ = 0, leaders_ = 0;  // Fortran handles; leaders_ only on leaders
  bool leader_ = false;
  int nodes_ = 1;
  std::vector<int> node_of_;  // node of each world rank
  std::vector<int> members_;  // world ranks of this node's processes, in node rank order
};

}  // namespace starling::runtime
