#include "io/distribution_distance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace starling::io {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Scott's kernel width of a sample: n^(-1/5) times its standard deviation (ddof 1).
double scott_bandwidth(const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  double mean = 0.0;
  for (double v : x) mean += v;
  mean /= n;
  double ss = 0.0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return std::pow(n, -0.2) * std::sqrt(ss / (n - 1.0));
}

/// The Gaussian KDE of `x` with kernel width `bw` at each point of `grid`.
std::vector<double> kde(const std::vector<double>& x, double bw, const std::vector<double>& grid) {
  std::vector<double> sorted(x);
  std::sort(sorted.begin(), sorted.end());
  const double norm = 1.0 / (static_cast<double>(x.size()) * bw * std::sqrt(2.0 * M_PI));
  std::vector<double> d(grid.size(), 0.0);
  // Kernels beyond 40 widths add less than 1e-300 of a kernel's peak: skipped.
  const double reach = 40.0 * bw;
  for (std::size_t g = 0; g < grid.size(); ++g) {
    auto lo = std::lower_bound(sorted.begin(), sorted.end(), grid[g] - reach);
    auto hi = std::upper_bound(lo, sorted.end(), grid[g] + reach);
    double s = 0.0;
    for (auto it = lo; it != hi; ++it) {
      const double z = (grid[g] - *it) / bw;
      s += std::exp(-0.5 * z * z);
    }
    d[g] = s * norm;
  }
  return d;
}

}  // namespace

double earth_movers_distance(std::vector<double> a, std::vector<double> b) {
  if (a.empty() || b.empty()) return nan;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  // Integral of |F_a - F_b| over the merged support.
  std::vector<double> all(a);
  all.insert(all.end(), b.begin(), b.end());
  std::sort(all.begin(), all.end());
  double sum = 0.0;
  std::size_t ia = 0, ib = 0;
  for (std::size_t k = 0; k + 1 < all.size(); ++k) {
    while (ia < a.size() && a[ia] <= all[k]) ++ia;
    while (ib < b.size() && b[ib] <= all[k]) ++ib;
    const double fa = static_cast<double>(ia) / static_cast<double>(a.size());
    const double fb = static_cast<double>(ib) / static_cast<double>(b.size());
    sum += std::fabs(fa - fb) * (all[k + 1] - all[k]);
  }
  return sum;
}

double kde_kl_divergence(const std::vector<double>& a, const std::vector<double>& b,
                         std::size_t grid) {
  if (a.size() < 2 || b.size() < 2 || grid < 2) return nan;
  const double bw_a = scott_bandwidth(a), bw_b = scott_bandwidth(b);
  if (!(bw_a > 0.0) || !(bw_b > 0.0)) return nan;
  const double pad = 3.0 * std::max(bw_a, bw_b);
  const double lo =
      std::min(*std::min_element(a.begin(), a.end()), *std::min_element(b.begin(), b.end())) - pad;
  const double hi =
      std::max(*std::max_element(a.begin(), a.end()), *std::max_element(b.begin(), b.end())) + pad;
  std::vector<double> x(grid);
  const double step = (hi - lo) / static_cast<double>(grid - 1);
  for (std::size_t g = 0; g < grid; ++g) x[g] = lo + static_cast<double>(g) * step;
  x.back() = hi;
  const std::vector<double> p = kde(a, bw_a, x), q = kde(b, bw_b, x);
  double sp = 0.0, sq = 0.0;
  for (std::size_t g = 0; g < grid; ++g) {
    sp += p[g];
    sq += q[g];
  }
  double kl = 0.0;
  for (std::size_t g = 0; g < grid; ++g) {
    const double pg = p[g] / sp, qg = q[g] / sq;
    if (pg > 0.0) kl += qg > 0.0 ? pg * std::log(pg / qg) : std::numeric_limits<double>::infinity();
  }
  return kl;
}

}  // namespace starling::io
