#pragma once
// A row of a model's parameter or state table: NEST name, default and unit.

#include <cstdio>
#include <string>

namespace starling::codelets {

/// A number as a message shows it: "-1", "0.05", "1e+09".
inline std::string number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

struct quantity {
  const char* name;
  double default_value;
  const char* unit;
};

}  // namespace starling::codelets
