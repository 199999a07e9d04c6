#pragma once
// Checking error messages: what a call throws, and whether a text holds a part.
#include <string>

#include "starling/error.hpp"

namespace starling::testing {

/// The message of the invalid_argument `f` throws, or "" when it throws none.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const starling::invalid_argument& e) {
    return e.what();
  }
  return "";
}

inline bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace starling::testing
