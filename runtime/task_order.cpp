#include "task_order.hpp"

#include <starpu.h>

#include <algorithm>

#include "check.hpp"

namespace starling::runtime {

task new_task(const task_order& order) {
  task t = starpu_task_create();
  // A detached task's structure is freed at its end, after which no task may name it.
  if (order.keep != nullptr) t->detach = 0;
  return t;
}

void submit(task t, const task_order& order) {
  if (!order.after.empty())
    starpu_task_declare_deps_array(t, static_cast<unsigned>(order.after.size()),
                                   const_cast<task*>(order.after.data()));
  const int rc = starpu_task_submit(t);
  if (rc != 0) {
    t->destroy = 0;
    starpu_task_destroy(t);
    fail("starpu_task_submit", rc, __FILE__, __LINE__);
  }
  if (order.keep != nullptr) order.keep->push_back(t);
}

namespace {

// Waits for a kept task and frees it (destroy is set); at once if it has finished.
void free_task(task t) {
  const int rc = starpu_task_wait(t);  // 0: a kept task is neither detached nor synchronous
  static_cast<void>(rc);
}

}  // namespace

kept_tasks::~kept_tasks() { wait(); }

void kept_tasks::release(std::vector<task>& tasks) {
  released_.insert(released_.end(), tasks.begin(), tasks.end());
  tasks.clear();
  auto running = std::partition(released_.begin(), released_.end(), [](task t) {
    return starpu_task_finished(t) == 0;
  });
  std::for_each(running, released_.end(), free_task);
  released_.erase(running, released_.end());
}

void kept_tasks::wait() {
  std::for_each(released_.begin(), released_.end(), free_task);
  released_.clear();
}

}  // namespace starling::runtime
