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

}  // namespace starling::runtime
