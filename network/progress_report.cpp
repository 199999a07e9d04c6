#include "network/progress_report.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>

#include "runtime/completion.hpp"

namespace starling::network {

using steady = std::chrono::steady_clock;

struct progress_report::state {
  std::int64_t total;
  double resolution;  // ms
  double start_ms;
  bool print;
  steady::time_point start = steady::now();
  steady::time_point last_line = start;
  std::int64_t last_tenth = 0;
  std::int64_t asked = 0;     ///< reports asked for
  std::int64_t answered = 0;  ///< reports made
  std::int64_t done = 0;      ///< steps finished
  std::mutex m;
  std::condition_variable cv;

  void report(std::int64_t steps) {
    std::lock_guard<std::mutex> lock(m);
    ++answered;
    if (steps > done) done = steps;
    const steady::time_point now = steady::now();
    const std::int64_t tenth = done * 10 / total;
    const bool line = done == total || tenth > last_tenth ||
                      std::chrono::duration<double>(now - last_line).count() >= 5.0;
    if (print && line && done > 0) {
      last_tenth = tenth;
      last_line = now;
      const double wall = std::chrono::duration<double>(now - start).count();
      const double sim_ms = static_cast<double>(done) * resolution;
      const double left = wall / static_cast<double>(done) * static_cast<double>(total - done);
      std::fprintf(stderr,
                   "simulate: %.1f of %.1f ms done (%3.0f%%, model time %.1f ms), wall %.2f s, "
                   "RTF %.3f, left %.2f s\n",
                   sim_ms, static_cast<double>(total) * resolution,
                   100.0 * static_cast<double>(done) / static_cast<double>(total),
                   start_ms + sim_ms, wall, wall / (sim_ms / 1000.0), left);
    }
    cv.notify_all();
  }
};

progress_report::progress_report(std::int64_t total, double resolution, double start_ms, bool print)
    : state_(std::make_shared<state>()) {
  state_->total = total;
  state_->resolution = resolution;
  state_->start_ms = start_ms;
  state_->print = print;
}

void progress_report::after(const std::vector<runtime::handle>& handles, std::int64_t done) {
  if (state_->total <= 0) return;
  {
    std::lock_guard<std::mutex> lock(state_->m);
    ++state_->asked;
  }
  // The state outlives this object while a report is pending.
  runtime::when_done(handles, [s = state_, done] { s->report(done); });
}

void progress_report::finish() {
  std::unique_lock<std::mutex> lock(state_->m);
  state_->cv.wait(lock, [this] { return state_->answered >= state_->asked; });
}

}  // namespace starling::network
