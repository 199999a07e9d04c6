#pragma once
// Turns an operation (args + CPU step + CUDA step) into a StarPU codelet that runs one step as
// one task: the literal per-step task graph. Included only by codelet .cpp files.
#include <starpu.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include "codelets/common/op.hpp"
#include "runtime/check.hpp"
#include "runtime/codelet_errors.hpp"
#include "runtime/engine.hpp"
#include "runtime/task_times.hpp"
#include "starling/config.hpp"

namespace starling::codelets {

inline starpu_data_access_mode starpu_mode(runtime::access m) {
  switch (m) {
    case runtime::access::read:
      return STARPU_R;
    case runtime::access::write:
      return STARPU_W;
    case runtime::access::read_write:
      break;
  }
  return STARPU_RW;
}

/// Fills ptrs[k] with the local address of the task's buffer k.
inline void buffer_pointers(void* buffers[], int n, void** ptrs) {
  for (int k = 0; k < n; ++k) ptrs[k] = reinterpret_cast<void*>(STARPU_VECTOR_GET_PTR(buffers[k]));
}

template <typename Args>
struct op_task_arg {
  Args args;
  step_context ctx;
};

template <typename Args, void (*Cpu)(const Args&, void* const*, const step_context&),
          void (*Cuda)(const Args&, void* const*, const step_context&, void*)>
struct op_codelet {
  static void cpu(void* buffers[], void* cl_arg) noexcept {
    const auto* t = static_cast<const op_task_arg<Args>*>(cl_arg);
    void* ptrs[max_op_buffers];
    buffer_pointers(buffers, t->args.io.count, ptrs);
    runtime::guarded([&] { Cpu(t->args, ptrs, t->ctx); });
  }
#if STARLING_HAVE_CUDA
  static void cuda(void* buffers[], void* cl_arg) noexcept {
    const auto* t = static_cast<const op_task_arg<Args>*>(cl_arg);
    void* ptrs[max_op_buffers];
    buffer_pointers(buffers, t->args.io.count, ptrs);
    runtime::guarded([&] { Cuda(t->args, ptrs, t->ctx, starpu_cuda_get_local_stream()); });
  }
#endif

  static starpu_codelet* get(const char* name) {
    static starpu_codelet cl = [name] {
      starpu_codelet c;
      starpu_codelet_init(&c);
      c.where = STARPU_CPU;
      c.cpu_funcs[0] = &cpu;
#if STARLING_HAVE_CUDA
      c.where |= STARPU_CUDA;
      c.cuda_funcs[0] = &cuda;
      c.cuda_flags[0] = STARPU_CUDA_ASYNC;
#endif
      c.nbuffers = STARPU_VARIABLE_NBUFFERS;
      c.name = name;
      return c;
    }();
    return &cl;
  }

  /// Submits one step of the operation; `handles` is the list its io indices point into.
  static void insert(const char* name, const Args& a, const std::vector<runtime::handle>& handles,
                     const step_context& ctx, const runtime::task_order& order = {}) {
    auto* arg = static_cast<op_task_arg<Args>*>(std::malloc(sizeof(op_task_arg<Args>)));
    if (arg == nullptr) throw std::bad_alloc();
    arg->args = a;
    arg->ctx = ctx;
    starpu_data_descr descr[max_op_buffers];
    for (int k = 0; k < a.io.count; ++k) {
      descr[k].handle = handles.at(static_cast<std::size_t>(a.io.index[k]));
      descr[k].mode = starpu_mode(a.io.mode[k]);
      arg->args.io.index[k] = k;
    }
    // STARLING_TASK_TIMES: a callback adds the task's profile to its codelet's sums.
    void (*profile)(void*) = runtime::task_times_on() ? &runtime::record_task_times : nullptr;
    runtime::task t = runtime::new_task(order);
    STARLING_CHECK_STARPU(starpu_task_set(t, get(name), STARPU_EXECUTE_WHERE,
                                          static_cast<unsigned long long>(runtime::compute_where()),
                                          STARPU_DATA_MODE_ARRAY, descr, a.io.count, STARPU_CL_ARGS,
                                          arg, sizeof(*arg), STARPU_CALLBACK_WITH_ARG_NFREE,
                                          profile, const_cast<char*>(name), 0));
    runtime::submit(t, order);
  }
};

}  // namespace starling::codelets
