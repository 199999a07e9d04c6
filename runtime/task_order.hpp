#pragma once
// Explicit dependencies between tasks that share no data handle. A handle that a CUDA task
// writes and a CPU task then reads (or the reverse) moves between the GPU and the host at each
// such use, through requests the runtime serves with milliseconds of latency, even when it
// holds no data (a void handle goes through the same requests). Where what the tasks exchange
// already lies in host memory that both reach (host_block) and only their order matters, the
// later task names the earlier one instead: it may start once that one has finished.
#include <vector>

struct starpu_task;

namespace starling::runtime {

using task = starpu_task*;

/// The explicit dependencies of a submission.
struct task_order {
  /// Tasks the submitted ones follow, besides those their data accesses order them after.
  std::vector<task> after;
  /// When set, receives the submitted tasks that later submissions may name in `after`. They
  /// stay valid after their end until handed to kept_tasks::release.
  std::vector<task>* keep = nullptr;
};

/// A task to fill (starpu_task_set) and submit with `order`: not detached if it is to be kept.
task new_task(const task_order& order);

/// Declares t's dependencies on order.after, submits it and adds it to *order.keep if set.
/// Throws (freeing t) if the runtime refuses it.
void submit(task t, const task_order& order);

/// Kept tasks that no later submission names any more: each is freed once it has finished.
/// The destructor waits for the rest.
class kept_tasks {
 public:
  kept_tasks() = default;
  ~kept_tasks();
  kept_tasks(const kept_tasks&) = delete;
  kept_tasks& operator=(const kept_tasks&) = delete;

  /// No later submission will name `tasks` (which is emptied): frees those that have finished.
  void release(std::vector<task>& tasks);
  /// Waits for every released task and frees it.
  void wait();

 private:
  std::vector<task> released_;
};

}  // namespace starling::runtime
