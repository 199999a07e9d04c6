#include "codelet_errors.hpp"

#include "starling/error.hpp"

namespace starling::runtime {

void codelet_errors::record(const char* what) noexcept {
  try {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!first_) first_ = what;
  } catch (...) {
  }
}

void codelet_errors::rethrow() {
  std::optional<std::string> pending;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending.swap(first_);
  }
  if (pending) throw runtime_error("codelet failed: " + *pending);
}

codelet_errors& errors() {
  static codelet_errors slot;
  return slot;
}

}  // namespace starling::runtime
