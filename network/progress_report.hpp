#pragma once
// Progress of a simulate call as finished work: lines on stderr with the simulated time done,
// wall time, real-time factor and an estimate of the time left, printed when a slice's tasks
// have finished (not when they were submitted), at each tenth of the run and at least every
// 5 s of wall time.
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/buffer.hpp"

namespace starling::network {

class progress_report {
 public:
  /// A run of `total` steps of `resolution` ms from `start_ms`; prints only where `print`
  /// (process 0 of a run).
  progress_report(std::int64_t total, double resolution, double start_ms, bool print);
  progress_report(const progress_report&) = delete;
  progress_report& operator=(const progress_report&) = delete;

  /// Reports `done` steps as finished once every task submitted so far that accesses
  /// `handles` (the data a slice writes) has finished.
  void after(const std::vector<runtime::handle>& handles, std::int64_t done);

  /// Waits until every report asked for has been made; call after the runtime's wait for all
  /// tasks.
  void finish();

 private:
  struct state;
  std::shared_ptr<state> state_;
};

}  // namespace starling::network
