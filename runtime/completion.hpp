#pragma once
// Completion of submitted work, seen from the host without waiting for it: a callback once every
// task submitted so far that accesses some data has finished. No data moves and the submitting
// thread does not block, so progress reports can follow finished work.
#include <functional>
#include <vector>

#include "runtime/buffer.hpp"

namespace starling::runtime {

/// Calls `done` once every task submitted so far that accesses one of `handles` has finished.
/// `done` runs on a runtime thread, must not throw and must not submit tasks. An empty list
/// calls it at once.
void when_done(const std::vector<handle>& handles, std::function<void()> done);

}  // namespace starling::runtime
