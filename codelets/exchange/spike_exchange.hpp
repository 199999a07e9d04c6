#pragma once
// The exchange task of several processes: a CPU task that reads the slice's outboxes (spikes of
// local populations with targets elsewhere, compacted on the device by the advance task), sends
// them point to point to the processes that have targets of them, receives the spikes of remote
// populations that have targets here, and writes them into inboxes that deliver_remote tasks
// read. An outbox is a count and entries (step in slice << 32 | id) in host memory the GPU
// writes directly (the advance task publishes the count there at its end); an inbox is a count
// and entries in host memory the GPU reads directly. The task has no data buffers: it follows
// the slice's advance and the deliver_remote tasks follow it by explicit dependencies (a count
// shared as a data handle between the GPU and this host task would be copied at every slice).
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "runtime/communicator.hpp"
#include "runtime/task_order.hpp"
#include "starling/types.hpp"

namespace starling::codelets::spike_exchange {

struct plan {
  struct outgoing {
    std::uint64_t population;    ///< id every process knows
    std::vector<int> to;         ///< processes with targets of it
    std::int64_t capacity;       ///< entries the outbox holds
    const std::uint64_t* count;  ///< the slice's entries (published by the advance task)
    const std::uint64_t* entries;
  };
  struct incoming {
    std::uint64_t population;
    std::int64_t capacity;  ///< entries the inbox holds
    std::uint64_t* count;   ///< the slice's entries, written by the task
    std::uint64_t* entries;
  };
  std::vector<outgoing> out;
  std::vector<incoming> in;
  std::set<int> send_to;
  std::set<int> receive_from;
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

/// Submits the exchange of one slice; `p` must outlive the task. It must follow (order.after)
/// the tasks that end the slice's recording into the outboxes, the exchange before it and the
/// deliveries from the inboxes before it.
void insert(plan& p, const runtime::task_order& order);

}  // namespace starling::codelets::spike_exchange
