#pragma once
// The processes of a run: rank, size and the few collectives the network needs. Uses MPI when
// the process was started by an MPI launcher (and Starling was built with MPI); otherwise it is
// a single process. Errors throw starling::runtime_error.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace starling::runtime {

class communicator {
 public:
  /// The world of this process (MPI is initialised on first use when launched by mpirun).
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
  communicator();
  std::int64_t reduce(std::int64_t v, bool largest) const;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace starling::runtime
