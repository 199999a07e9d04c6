#include "advance.hpp"

#include <cstdlib>
#include <new>

#include "codelets/common/op_task.hpp"
#include "runtime/engine.hpp"
#include "runtime/task_times.hpp"

namespace starling::codelets::advance {

namespace {

struct slice_arg {
  const plan* p;
  std::int64_t first;
  std::int64_t steps;
  int side;
};

/// The plan's handles for a slice on `side`.
std::vector<runtime::handle> handles_of(const plan& p, int side) {
  std::vector<runtime::handle> h = p.handles;
  if (side == 1)
    for (const auto& [index, other] : p.odd_handles) h[static_cast<std::size_t>(index)] = other;
  return h;
}

std::vector<void*> pointers(void* buffers[], std::size_t n) {
  std::vector<void*> ptrs(n);
  buffer_pointers(buffers, static_cast<int>(n), ptrs.data());
  return ptrs;
}

/// The spike recorders' counts of a slice on `side` and the host words they are published to.
std::vector<record_spikes::publication> publications(const plan& p, void* const* ptrs, int side) {
  std::vector<record_spikes::publication> out;
  for (const op& o : p.ops)
    if (const auto* a = std::get_if<record_spikes::args>(&o))
      out.push_back(record_spikes::publication_of(*a, ptrs, side));
  return out;
}

void run_cpu(void* buffers[], void* cl_arg) noexcept {
  const auto* s = static_cast<const slice_arg*>(cl_arg);
  runtime::guarded([&] {
    const std::vector<void*> ptrs = pointers(buffers, s->p->handles.size());
    for (std::int64_t k = 1; k <= s->steps; ++k) {
      const step_context ctx{s->first + k, s->first, s->side};
      for (const op& o : s->p->ops)
        std::visit([&](const auto& a) { step_cpu(a, ptrs.data(), ctx); }, o);
    }
    const auto list = publications(*s->p, ptrs.data(), s->side);
    record_spikes::publish_cpu(list.data(), static_cast<int>(list.size()));
  });
}

#if STARLING_HAVE_CUDA
void run_cuda(void* buffers[], void* cl_arg) noexcept {
  const auto* s = static_cast<const slice_arg*>(cl_arg);
  runtime::guarded([&] {
    const std::vector<void*> ptrs = pointers(buffers, s->p->handles.size());
    void* stream = starpu_cuda_get_local_stream();
    if (!run_fused_cuda(*s->p, ptrs.data(), s->first, s->steps, s->side, stream))
      for (std::int64_t k = 1; k <= s->steps; ++k) {
        const step_context ctx{s->first + k, s->first, s->side};
        for (const op& o : s->p->ops)
          std::visit([&](const auto& a) { step_cuda(a, ptrs.data(), ctx, stream); }, o);
      }
    // One kernel after the slice's: the counts reach their host words when the task ends.
    const auto list = publications(*s->p, ptrs.data(), s->side);
    if (!list.empty())
      record_spikes::publish_cuda(list.data(), static_cast<int>(list.size()), stream);
  });
}
#endif

starpu_codelet* codelet() {
  static starpu_codelet cl = [] {
    starpu_codelet c;
    starpu_codelet_init(&c);
    c.where = STARPU_CPU;
    c.cpu_funcs[0] = &run_cpu;
#if STARLING_HAVE_CUDA
    c.where |= STARPU_CUDA;
    c.cuda_funcs[0] = &run_cuda;
    c.cuda_flags[0] = STARPU_CUDA_ASYNC;
#endif
    c.nbuffers = STARPU_VARIABLE_NBUFFERS;
    c.name = "advance";
    return c;
  }();
  return &cl;
}

}  // namespace

std::int32_t plan::handle_index(runtime::handle h, runtime::access mode) {
  for (std::size_t i = 0; i < handles.size(); ++i) {
    if (handles[i] != h) continue;
    if (modes[i] != mode) modes[i] = runtime::access::read_write;
    return static_cast<std::int32_t>(i);
  }
  handles.push_back(h);
  modes.push_back(mode);
  return static_cast<std::int32_t>(handles.size() - 1);
}

void insert(const plan& p, std::int64_t first, std::int64_t steps, int side,
            const runtime::task_order& order) {
  auto* arg = static_cast<slice_arg*>(std::malloc(sizeof(slice_arg)));
  if (arg == nullptr) throw std::bad_alloc();
  *arg = slice_arg{&p, first, steps, side};
  const std::vector<runtime::handle> handles = handles_of(p, side);
  std::vector<starpu_data_descr> descr(handles.size());
  for (std::size_t i = 0; i < descr.size(); ++i) {
    descr[i].handle = handles[i];
    descr[i].mode = starpu_mode(p.modes[i]);
  }
  // STARLING_TASK_TIMES: a callback adds the slice task's profile to the sums of "advance".
  void (*profile)(void*) = runtime::task_times_on() ? &runtime::record_task_times : nullptr;
  static char name[] = "advance";
  runtime::task t = runtime::new_task(order);
  STARLING_CHECK_STARPU(starpu_task_set(
      t, codelet(), STARPU_EXECUTE_WHERE, static_cast<unsigned long long>(runtime::compute_where()),
      STARPU_DATA_MODE_ARRAY, descr.data(), static_cast<int>(descr.size()), STARPU_CL_ARGS, arg,
      sizeof(*arg), STARPU_CALLBACK_WITH_ARG_NFREE, profile, name, 0));
  runtime::submit(t, order);
}

void insert_per_step(const plan& p, std::int64_t first, std::int64_t steps, int side,
                     const runtime::task_order& order) {
  const std::vector<runtime::handle> handles = handles_of(p, side);
  // Each operation's later steps follow its first through the data it writes.
  for (std::int64_t k = 1; k <= steps; ++k) {
    const step_context ctx{first + k, first, side};
    for (const op& o : p.ops) {
      runtime::task_order at;
      if (k == 1) at.after = order.after;
      if (k == steps && std::holds_alternative<record_spikes::args>(o)) at.keep = order.keep;
      std::visit([&](const auto& a) { insert(a, handles, ctx, at); }, o);
    }
  }
}

}  // namespace starling::codelets::advance
