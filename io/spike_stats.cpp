#include "io/spike_stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "starling/error.hpp"

namespace starling::io {

namespace {

/// Elephant's binning tolerance: a value within 1e-8 below an integer is taken as that integer
/// (elephant.utils.round_binning_errors).
std::int64_t bin_of(double x) {
  constexpr double tolerance = 1e-8;
  if (1.0 - tolerance <= std::fmod(x, 1.0)) x += 0.5;
  return static_cast<std::int64_t>(x);
}

std::string number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

}  // namespace

double mean_of(const std::vector<double>& v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  double s = 0.0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

double std_of(const std::vector<double>& v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double m = mean_of(v);
  double s = 0.0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size()));
}

population_stats spike_statistics(const std::string& name, std::size_t size,
                                  const spike_data& spikes, double t_start, double t_stop,
                                  const stats_options& o) {
  population_stats st;
  st.name = name;
  st.size = size;
  st.start = std::isnan(o.start) ? t_start : o.start;
  st.stop = std::isnan(o.stop) ? t_stop : o.stop;
  st.bin = o.bin;
  const std::string what = "statistics of " + name + ": ";
  if (!(std::isfinite(st.start) && std::isfinite(st.stop) && st.start < st.stop))
    throw invalid_argument(what + "window [" + number(st.start) + ", " + number(st.stop) +
                           "] ms; expected start < stop, both finite");
  if (!(o.bin > 0.0) || !std::isfinite(o.bin) || o.bin > st.stop - st.start)
    throw invalid_argument(what + "bin width " + number(o.bin) +
                           " ms; expected > 0 and at most "
                           "the window, " +
                           number(st.stop - st.start) + " ms");
  if (spikes.index.size() != spikes.time.size())
    throw invalid_argument(what + std::to_string(spikes.index.size()) + " indices for " +
                           std::to_string(spikes.time.size()) + " spike times");

  // Spikes in the window grouped by member (counting sort), each member's in time order.
  std::vector<std::size_t> offset(size + 1, 0);
  for (std::size_t k = 0; k < spikes.time.size(); ++k) {
    if (spikes.index[k] >= size)
      throw invalid_argument(what + "spike of member " + std::to_string(spikes.index[k]) +
                             "; the population has " + std::to_string(size));
    const double t = spikes.time[k];
    if (t >= st.start && t <= st.stop) ++offset[spikes.index[k] + 1];
  }
  for (std::size_t i = 0; i < size; ++i) offset[i + 1] += offset[i];
  std::vector<double> times(offset[size]);
  {
    std::vector<std::size_t> fill(offset.begin(), offset.end() - 1);
    for (std::size_t k = 0; k < spikes.time.size(); ++k) {
      const double t = spikes.time[k];
      if (t >= st.start && t <= st.stop) times[fill[spikes.index[k]]++] = t;
    }
  }
  st.spikes = times.size();
  for (std::size_t i = 0; i < size; ++i)
    if (!std::is_sorted(times.begin() + offset[i], times.begin() + offset[i + 1]))
      std::sort(times.begin() + offset[i], times.begin() + offset[i + 1]);

  // Rates: elephant.statistics.mean_firing_rate (1/ms), rescaled to 1/s.
  const double window = st.stop - st.start;
  st.rates.resize(size);
  for (std::size_t i = 0; i < size; ++i)
    st.rates[i] = static_cast<double>(offset[i + 1] - offset[i]) / window * 1000.0;

  // CV of the inter-spike intervals: std (ddof 0) / mean, members with >= 2 intervals.
  std::vector<double> isi;
  for (std::size_t i = 0; i < size; ++i) {
    const std::size_t n = offset[i + 1] - offset[i];
    if (n < 3) continue;
    isi.resize(n - 1);
    for (std::size_t k = 0; k + 1 < n; ++k)
      isi[k] = times[offset[i] + k + 1] - times[offset[i] + k];
    st.cv_isi.push_back(std_of(isi) / mean_of(isi));
  }

  // Correlations of binned counts of the first `sample` members with spikes.
  const std::int64_t n_bins = bin_of((st.stop - st.start) / o.bin);
  for (std::size_t i = 0; i < size && st.sampled.size() < o.sample; ++i)
    if (offset[i + 1] > offset[i]) st.sampled.push_back(i);
  const std::size_t m = st.sampled.size();
  // Nonzero counts as (bin, member slot, count), then sorted by bin.
  struct entry {
    std::int64_t bin;
    std::uint32_t slot;
    std::int64_t count;
  };
  std::vector<entry> entries;
  std::vector<std::int64_t> sum(m, 0);
  const double scale = 1.0 / o.bin;
  for (std::size_t s = 0; s < m; ++s) {
    const std::size_t i = st.sampled[s];
    for (std::size_t k = offset[i]; k < offset[i + 1]; ++k) {
      const std::int64_t b = bin_of((times[k] - st.start) * scale);
      if (b >= n_bins) continue;  // Elephant drops spikes past the last bin
      if (!entries.empty() && entries.back().slot == s && entries.back().bin == b)
        ++entries.back().count;
      else
        entries.push_back({b, static_cast<std::uint32_t>(s), 1});
      ++sum[s];
    }
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const entry& a, const entry& b) { return a.bin < b.bin; });
  // Products summed over bins, exact in integers.
  std::vector<std::int64_t> prod(m * m, 0);
  for (std::size_t a = 0; a < entries.size();) {
    std::size_t b = a;
    while (b < entries.size() && entries[b].bin == entries[a].bin) ++b;
    for (std::size_t x = a; x < b; ++x)
      for (std::size_t y = x; y < b; ++y) {
        const std::size_t i = std::min(entries[x].slot, entries[y].slot);
        const std::size_t j = std::max(entries[x].slot, entries[y].slot);
        prod[i * m + j] += entries[x].count * entries[y].count;
      }
    a = b;
  }
  // Pearson r = (n S_ij - s_i s_j) / sqrt((n S_ii - s_i^2)(n S_jj - s_j^2)): the numerators are
  // exact integers, so only the last division and square root round.
  const double n = static_cast<double>(n_bins);
  std::vector<double> var(m);
  for (std::size_t i = 0; i < m; ++i)
    var[i] = n * static_cast<double>(prod[i * m + i]) -
             static_cast<double>(sum[i]) * static_cast<double>(sum[i]);
  st.correlations.reserve(m * (m - (m > 0)) / 2);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = i + 1; j < m; ++j) {
      const double cov = n * static_cast<double>(prod[i * m + j]) -
                         static_cast<double>(sum[i]) * static_cast<double>(sum[j]);
      st.correlations.push_back(cov / std::sqrt(var[i] * var[j]));
    }

  st.mean_rate = mean_of(st.rates);
  st.mean_cv = mean_of(st.cv_isi);
  st.mean_correlation = mean_of(st.correlations);
  return st;
}

}  // namespace starling::io
