#pragma once
// The simulator's private state, shared by the files that implement the API
// (simulator.cpp, simulator_prepare.cpp, simulator_connect.cpp).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "codelets/advance/advance.hpp"
#include "population.hpp"
#include "projection.hpp"
#include "random_values.hpp"
#include "recorders.hpp"
#include "runtime/buffer.hpp"
#include "runtime/engine.hpp"
#include "starling/simulator.hpp"

namespace starling {

/// Steps per slice when the options leave it open.
constexpr std::int64_t default_slice_steps = 100;

/// The engine options for the kernel options; sets use_cuda. Throws for impossible requests.
runtime::engine_options engine_for(const kernel_options& o, bool& use_cuda);

struct simulator::impl {
  kernel_options opts;
  bool use_cuda = false;
  runtime::engine engine;
  std::vector<std::unique_ptr<network::population_data>> pops;
  std::vector<std::unique_ptr<network::projection>> projections;
  std::vector<std::unique_ptr<network::spike_recorder>> spike_recs;
  std::vector<std::unique_ptr<network::state_recorder>> state_recs;
  std::vector<bool> recorder_is_spikes;
  std::vector<std::size_t> recorder_slot;
  std::uint64_t next_gid = 0;
  std::uint64_t next_conn = 0;
  std::uint64_t connect_calls = 0;
  std::uint64_t member_draws = 0;  // assignments so far (each keys its own random draws)
  std::int64_t now = 0;  // steps simulated
  std::int64_t slice = 0;
  bool prepared = false;
  std::vector<std::uint64_t> mailbox{0, 0};
  runtime::buffer outbox, inbox;
  codelets::advance::plan plan;

  explicit impl(const kernel_options& o) : opts(o), engine(engine_for(o, use_cuda)) {}
  ~impl() { unprepare(); }

  network::population_data& pop(const population& p) {
    if (p.id >= pops.size() || pops[p.id]->n != static_cast<std::int64_t>(p.size))
      throw invalid_argument("population " + std::to_string(p.id) + " of size " +
                             std::to_string(p.size) + " does not exist; " +
                             std::to_string(pops.size()) + " populations were created");
    return *pops[p.id];
  }

  void unprepare();
  void prepare();
  void check_device_memory() const;
  /// Throws if the network grown by `extra` bytes would not fit in the GPU's memory.
  void check_fits(double extra, const std::string& what) const;
  std::size_t network_bytes() const;
  codelets::op_buffers population_io(network::population_data& p);
  std::uint64_t next_member_key() {
    return network::draw_key(opts.seed, network::draw_purpose::member, member_draws++);
  }
};

}  // namespace starling
