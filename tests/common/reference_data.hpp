#pragma once
// Readers of the NEST reference data in tests/data.
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace starling::testing {

struct reference_row {
  double time;
  double value;
  std::string resolutions;  ///< third CSV column where present ("0.1 0.2 ...")
};

/// Rows of a reference file: whitespace- or comma-separated, '#' lines and headers skipped.
inline std::vector<reference_row> read_reference(const std::string& file) {
  std::ifstream in(std::string(STARLING_TEST_DATA) + "/" + file);
  if (!in) throw std::runtime_error("cannot open reference " + file);
  std::vector<reference_row> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("time", 0) == 0) continue;
    for (char& c : line)
      if (c == ',') c = '\t';
    std::istringstream fields(line);
    reference_row r;
    fields >> r.time >> r.value;
    std::getline(fields >> std::ws, r.resolutions);
    rows.push_back(r);
  }
  return rows;
}

/// Whether a row is checked at resolution h (rows without a resolution column always are).
inline bool checked_at(const reference_row& r, double h) {
  if (r.resolutions.empty()) return true;
  std::istringstream s(r.resolutions);
  double x;
  while (s >> x)
    if (std::abs(x - h) < 1e-12) return true;
  return false;
}

}  // namespace starling::testing
