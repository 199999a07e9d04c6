#pragma once
// Args of a generator update: its buffers (see generator_io.hpp) and size.
#include <cstdint>

#include "codelets/common/op.hpp"

namespace starling::codelets {

struct generator_args {
  op_buffers io;
  std::int64_t n = 0;
};

}  // namespace starling::codelets
