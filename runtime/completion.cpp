#include "runtime/completion.hpp"

#include <starpu.h>

#include <atomic>
#include <memory>

#include "runtime/check.hpp"

namespace starling::runtime {

namespace {

struct countdown {
  std::atomic<std::size_t> left;
  std::function<void()> done;
};

struct waiter {
  std::shared_ptr<countdown> c;
  handle h;
};

void released(void* arg) {
  std::unique_ptr<waiter> w(static_cast<waiter*>(arg));
  // Acquired on no memory node: an ordering point only, nothing was transferred.
  starpu_data_release_on_node(w->h, STARPU_ACQUIRE_NO_NODE);
  if (w->c->left.fetch_sub(1) == 1) w->c->done();
}

}  // namespace

void when_done(const std::vector<handle>& handles, std::function<void()> done) {
  if (handles.empty()) {
    done();
    return;
  }
  auto c = std::make_shared<countdown>();
  c->left = handles.size();
  c->done = std::move(done);
  for (handle h : handles) {
    auto* w = new waiter{c, h};
    const int rc = starpu_data_acquire_on_node_cb(h, STARPU_ACQUIRE_NO_NODE, STARPU_R, released, w);
    if (rc != 0) {
      delete w;
      STARLING_CHECK_STARPU(rc);
    }
  }
}

}  // namespace starling::runtime
