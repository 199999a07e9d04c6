#include "spike_exchange.hpp"

#include <starpu.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>

#include "codelets/common/op_task.hpp"
#include "runtime/communicator.hpp"
#include "starling/error.hpp"

namespace starling::codelets::spike_exchange {

namespace {

void run(void* /*buffers*/[], void* cl_arg) noexcept {
  auto* p = static_cast<plan*>(cl_arg);
  runtime::guarded([&] {
    const auto start = std::chrono::steady_clock::now();
    std::map<int, std::vector<std::uint64_t>> send;
    for (int to : p->send_to) send[to];
    std::uint64_t bytes = 0;
    for (std::size_t k = 0; k < p->out.size(); ++k) {
      const std::uint64_t count = *p->out[k].count;
      if (count > static_cast<std::uint64_t>(p->out[k].capacity))
        throw runtime_error("exchange: " + std::to_string(count) + " spikes of population " +
                            std::to_string(p->out[k].population) + " exceed the outbox of " +
                            std::to_string(p->out[k].capacity));
      for (int to : p->out[k].to) {
        auto& msg = send[to];
        msg.push_back(p->out[k].population);
        msg.push_back(count);
        msg.insert(msg.end(), p->out[k].entries, p->out[k].entries + count);
        bytes += (2 + count) * sizeof(std::uint64_t);
      }
    }
    const runtime::communicator& world = runtime::communicator::world();
    std::map<int, std::vector<std::uint64_t>> received;
    std::uint64_t messages = send.size();
    double node_seconds = 0.0, between_seconds = 0.0;  // hierarchical
    switch (p->strategy) {
      case exchange_strategy::point_to_point:
        received = world.neighbour_exchange(send, p->receive_from);
        break;
      case exchange_strategy::all_to_all:
        received = world.all_to_all_exchange(send);
        messages = static_cast<std::uint64_t>(world.size() - 1);
        break;
      case exchange_strategy::neighbourhood:
        received = p->graph->exchange(send);
        break;
      case exchange_strategy::hierarchical:
        received = p->levels->exchange(send, node_seconds, between_seconds);
        messages = 1;  // to the node's leader
        break;
    }
    for (const plan::incoming& box : p->in) *box.count = 0;
    for (const auto& [from, msg] : received) {
      for (std::size_t at = 0; at + 1 < msg.size();) {
        const std::uint64_t pop = msg[at], count = msg[at + 1];
        for (std::size_t k = 0; k < p->in.size(); ++k) {
          if (p->in[k].population != pop) continue;
          if (count > static_cast<std::uint64_t>(p->in[k].capacity))
            throw runtime_error("exchange: " + std::to_string(count) + " spikes of population " +
                                std::to_string(pop) + " from process " + std::to_string(from) +
                                " exceed the inbox of " + std::to_string(p->in[k].capacity));
          *p->in[k].count = count;
          std::copy(msg.begin() + static_cast<std::ptrdiff_t>(at + 2),
                    msg.begin() + static_cast<std::ptrdiff_t>(at + 2 + count), p->in[k].entries);
          // By step, then source: plastic deliveries take a source's spikes in order.
          std::sort(p->in[k].entries, p->in[k].entries + count);
        }
        at += 2 + count;
      }
    }
    std::lock_guard<std::mutex> lock(p->figures);
    p->bytes_sent += bytes;
    p->messages += messages;
    p->node_seconds += node_seconds;
    p->between_seconds += between_seconds;
    ++p->slices;
    p->seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  });
}

starpu_codelet* codelet() {
  static starpu_codelet cl = [] {
    starpu_codelet c;
    starpu_codelet_init(&c);
    c.where = STARPU_CPU;  // MPI runs on the host, in this task
    c.cpu_funcs[0] = &run;
    c.nbuffers = STARPU_VARIABLE_NBUFFERS;
    c.name = "spike_exchange";
    return c;
  }();
  return &cl;
}

}  // namespace

void insert(plan& p, const runtime::task_order& order) {
  // The task reads the plan in place (it outlives the task): no copy of the argument.
  runtime::task t = runtime::new_task(order);
  STARLING_CHECK_STARPU(starpu_task_set(t, codelet(), STARPU_CL_ARGS_NFREE, &p, sizeof(plan*), 0));
  runtime::submit(t, order);
}

}  // namespace starling::codelets::spike_exchange
