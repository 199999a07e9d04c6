#pragma once
// Always-on checks of StarPU return codes; they throw starling::runtime_error.
#include <string>

#include "starling/error.hpp"

namespace starling::runtime {

/// Builds the message for a failed runtime call and throws.
[[noreturn]] void fail(const char* call, int code, const char* file, int line);

}  // namespace starling::runtime

#define STARLING_CHECK_STARPU(call)                                                            \
  do {                                                                                         \
    const int starling_rc_ = (call);                                                           \
    if (starling_rc_ != 0) ::starling::runtime::fail(#call, starling_rc_, __FILE__, __LINE__); \
  } while (0)
