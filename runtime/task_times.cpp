#include "task_times.hpp"

#include <starpu.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>

namespace starling::runtime {

namespace {

struct phases {
  long tasks = 0;
  double submit_us = 0, queued_us = 0, acquire_us = 0, body_us = 0;
};

struct task_clock {
  std::mutex lock;
  std::map<std::string, phases> by_name;
  ~task_clock() {
    for (const auto& [name, p] : by_name)
      std::fprintf(stderr,
                   "tasks %s: %ld, per task (us): submission %.1f, waiting for a worker %.1f, "
                   "data acquisition %.1f, codelet %.1f\n",
                   name.c_str(), p.tasks, p.submit_us / p.tasks, p.queued_us / p.tasks,
                   p.acquire_us / p.tasks, p.body_us / p.tasks);
  }
};

task_clock& clock_of_tasks() {
  static task_clock c;
  return c;
}

}  // namespace

bool task_times_on() {
  static const bool on = std::getenv("STARLING_TASK_TIMES") != nullptr;
  return on;
}

void start_task_times() {
  if (!task_times_on()) return;
  clock_of_tasks();  // constructed before StarPU's tasks call back into it
  starpu_profiling_status_set(STARPU_PROFILING_ENABLE);
}

void record_task_times(void* name) {
  starpu_task* t = starpu_task_get_current();
  if (t == nullptr || t->profiling_info == nullptr) return;
  starpu_profiling_task_info* p = t->profiling_info;
  task_clock& c = clock_of_tasks();
  std::lock_guard<std::mutex> hold(c.lock);
  phases& s = c.by_name[static_cast<const char*>(name)];
  ++s.tasks;
  s.submit_us += starpu_timing_timespec_delay_us(&p->submit_time, &p->push_end_time);
  s.queued_us += starpu_timing_timespec_delay_us(&p->push_end_time, &p->pop_end_time);
  s.acquire_us +=
      starpu_timing_timespec_delay_us(&p->acquire_data_start_time, &p->acquire_data_end_time);
  s.body_us += starpu_timing_timespec_delay_us(&p->start_time, &p->end_time);
}

}  // namespace starling::runtime
