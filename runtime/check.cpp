#include "check.hpp"

#include <cstring>

namespace starling::runtime {

void fail(const char* call, int code, const char* file, int line) {
  std::string what = std::string("runtime: ") + call + " failed with code " + std::to_string(code);
  if (code < 0) what += " (" + std::string(std::strerror(-code)) + ")";
  what += " at " + std::string(file) + ":" + std::to_string(line);
  throw runtime_error(what);
}

}  // namespace starling::runtime
