#pragma once
// Codelets run on StarPU worker threads and must not throw. They record the first error here;
// the submitting thread rethrows it once the slice has completed.
#include <mutex>
#include <optional>
#include <string>

namespace starling::runtime {

class codelet_errors {
 public:
  /// Records an error unless one is already pending. Thread-safe, never throws.
  void record(const char* what) noexcept;
  /// Throws starling::runtime_error with the first recorded message and clears it.
  void rethrow();

 private:
  std::mutex mutex_;
  std::optional<std::string> first_;
};

/// The error slot of the running engine (set while an engine is alive).
codelet_errors& errors();

/// Runs f, recording any exception instead of letting it escape a worker thread.
template <typename F>
void guarded(F&& f) noexcept {
  try {
    f();
  } catch (const std::exception& e) {
    errors().record(e.what());
  } catch (...) {
    errors().record("unknown exception in a codelet");
  }
}

}  // namespace starling::runtime
