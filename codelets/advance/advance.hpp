#pragma once
// The advance codelet: a whole slice (many steps) of a process's local network as one StarPU
// task. Each step runs the plan's operations in order (state sampling, generator and neuron
// updates, deliveries, spike recording); on a CUDA worker they are batched kernels replayed from
// a CUDA graph (advance.cu), or one kernel per operation, queued on the worker's stream with no
// host synchronisation inside the slice.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <variant>
#include <vector>

#include "codelets/dc_generator/dc_generator.hpp"
#include "codelets/deliver/deliver.hpp"
#include "codelets/neuron/neuron.hpp"
#include "codelets/noise_generator/noise_generator.hpp"
#include "codelets/plasticity/plasticity.hpp"
#include "codelets/poisson_generator/poisson_generator.hpp"
#include "codelets/record_spikes/record_spikes.hpp"
#include "codelets/record_states/record_states.hpp"
#include "codelets/spike_generator/spike_generator.hpp"
#include "codelets/step_current_generator/step_current_generator.hpp"

namespace starling::codelets::advance {

using op = std::variant<record_states::args, spike_generator::args, dc_generator::args,
                        poisson_generator::args, step_current_generator::args,
                        noise_generator::args, neuron::args, deliver::args, record_spikes::args,
                        plasticity::history_args, plasticity::deliver_args>;

struct fused_program;

/// Device bytes of one queued delivery unit of the batched CUDA slice: each member of a
/// population may queue, per step, one unit per part of its row of each outgoing projection
/// (the queue holds two steps).
inline constexpr std::size_t delivery_unit_bytes = 40;

/// The operations of one step and the data handles they index. Must outlive the tasks that
/// carry it.
struct plan {
  std::vector<op> ops;
  std::vector<runtime::handle> handles;
  std::vector<runtime::access> modes;
  /// Handles that odd slices use in place of handles[index]: the recorders' second sides.
  std::vector<std::pair<std::int32_t, runtime::handle>> odd_handles;
  /// The CUDA worker's batched form of the plan (advance.cu), built at its first slice.
  mutable std::shared_ptr<fused_program> fused;
  mutable bool unfusable = false;

  /// Adds a handle once; returns its index.
  std::int32_t handle_index(runtime::handle h, runtime::access mode);
};

/// Runs a slice as batched kernels replayed from a CUDA graph; false where the plan needs one
/// kernel per operation (it samples states, or records more than the batches hold).
bool run_fused_cuda(const plan& p, void* const* ptrs, std::int64_t first, std::int64_t steps,
                    int side, void* stream);

/// Submits steps first + 1 ... first + steps as one task, on recorder side `side` (0 or 1),
/// which publishes the spike recorders' counts at its end (record_spikes::args::published). The
/// task follows order.after and is the one kept in *order.keep.
void insert(const plan& p, std::int64_t first, std::int64_t steps, int side,
            const runtime::task_order& order = {});

/// Submits the same steps as the literal per-step graph: one task per operation and step. The
/// first step's tasks follow order.after; the last step's spike recordings (which end the
/// slice's recording and publish the counts) are the tasks kept in *order.keep.
void insert_per_step(const plan& p, std::int64_t first, std::int64_t steps, int side,
                     const runtime::task_order& order = {});

}  // namespace starling::codelets::advance
