#pragma once
// A row of a model's parameter or state table: NEST name, default and unit.

namespace starling::codelets {

struct quantity {
  const char* name;
  double default_value;
  const char* unit;
};

}  // namespace starling::codelets
