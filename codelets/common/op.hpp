#pragma once
// What every codelet's args share: which of the task's buffers it reads and writes, and the
// step it runs. Trivially copyable, so args travel as StarPU cl_arg.
#include <cstdint>

#include "runtime/buffer.hpp"
#include "runtime/task_order.hpp"

namespace starling::codelets {

constexpr int max_op_buffers = 10;

/// Buffers of one operation: indices into the handle list of the task that carries it.
struct op_buffers {
  std::int32_t count = 0;
  std::int32_t index[max_op_buffers] = {};
  runtime::access mode[max_op_buffers] = {};

  /// Appends a buffer; returns its position k (the codelet reads pointer k).
  int add(std::int32_t handle_index, runtime::access m) {
    index[count] = handle_index;
    mode[count] = m;
    return count++;
  }
};

/// Where a step sits: the update that produces the state at time `step` * h, inside the slice
/// that covers the steps first + 1 ... first + steps.
struct step_context {
  std::int64_t step = 0;
  std::int64_t first = 0;
  int side = 0;  ///< the slice's side: recorders alternate buffers between slices
};

/// Pointer k of an operation, from the task's array of buffer pointers.
template <typename T>
inline T* buffer_ptr(void* const* ptrs, const op_buffers& io, int k) {
  return static_cast<T*>(ptrs[io.index[k]]);
}

}  // namespace starling::codelets
