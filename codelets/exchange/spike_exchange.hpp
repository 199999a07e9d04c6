#pragma once
// The exchange task of several processes: a CPU task that reads the slice's outboxes (spikes of
// local populations with targets elsewhere, compacted on the device by the advance task), sends
// them point to point to the processes that have targets of them, receives the spikes of remote
// populations that have targets here, and writes them into inboxes that deliver_remote tasks
// read. An outbox is a count (the task's buffer) and entries (step in slice << 32 | id) in host
// memory the GPU writes directly; an inbox likewise (its count is the task's buffer, its entries
// host memory the GPU reads directly).
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "runtime/buffer.hpp"
#include "runtime/communicator.hpp"
#include "starling/types.hpp"

namespace starling::codelets::spike_exchange {

struct plan {
  struct outgoing {
    std::uint64_t population;  ///< id every process knows
    std::vector<int> to;       ///< processes with targets of it
    std::int64_t capacity;     ///< entries the outbox holds
    const std::uint64_t* entries;
  };
  struct incoming {
    std::uint64_t population;
    std::int64_t capacity;  ///< entries the inbox holds
    std::uint64_t* entries;
  };
  std::vector<outgoing> out;  ///< buffer k of the task is out[k]'s outbox
  std::vector<incoming> in;   ///< buffer out.size() + k is in[k]'s inbox
  std::set<int> send_to;
  std::set<int> receive_from;
  std::vector<runtime::handle> handles;
  exchange_strategy strategy = exchange_strategy::point_to_point;
  std::unique_ptr<runtime::neighbourhood> graph;  ///< for exchange_strategy::neighbourhood
  std::unique_ptr<runtime::hierarchy> levels;     ///< for exchange_strategy::hierarchical

  // Figures, written by the task.
  std::mutex figures;
  double seconds = 0.0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t slices = 0;
  std::uint64_t messages = 0;
  double node_seconds = 0.0, between_seconds = 0.0;
};

/// Submits the exchange of one slice; `p` must outlive the task.
void insert(plan& p);

}  // namespace starling::codelets::spike_exchange
