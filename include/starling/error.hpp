#pragma once
/// Starling's exception types. Every error a user can cause is one of these.
#include <stdexcept>
#include <string>

namespace starling {

/// Base of every exception Starling throws; the message names the object, the value and what was
/// expected.
class error : public std::runtime_error {
 public:
  explicit error(const std::string& what) : std::runtime_error(what) {}
};

/// Bad input from the user: unknown names, values out of range, malformed model files.
class invalid_argument : public error {
 public:
  using error::error;
};

/// A failure of the runtime (StarPU, CUDA, MPI) or of a codelet while it ran.
class runtime_error : public error {
 public:
  using error::error;
};

}  // namespace starling
