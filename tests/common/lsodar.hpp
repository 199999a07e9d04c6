#pragma once
// NEST's LSODAR reference of the AdEx models (tests/data/test_aeif_data_lsodar.dat, from NEST's
// test_aeif_lsodar.py): rows of time (ms), V_m (mV), w (pA), and interpolation in them.
#include <cstddef>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace starling::testing {

inline std::vector<std::vector<double>> read_lsodar() {
  std::ifstream f(std::string(STARLING_TEST_DATA) + "/test_aeif_data_lsodar.dat");
  std::vector<std::vector<double>> rows;
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    double t, v, w;
    if (ls >> t >> v >> w) rows.push_back({t, v, w});
  }
  return rows;
}

/// Linear interpolation of column `col` at time t (t within the table).
inline double interpolate(const std::vector<std::vector<double>>& r, double t, int col) {
  std::size_t k = 1;
  while (k + 1 < r.size() && r[k][0] < t) ++k;
  const double f = (t - r[k - 1][0]) / (r[k][0] - r[k - 1][0]);
  return r[k - 1][col] + f * (r[k][col] - r[k - 1][col]);
}

}  // namespace starling::testing
