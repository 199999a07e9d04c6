#pragma once
/// Spike statistics of a population, as in the validation of the cortical microcircuit
/// (firing rates, CV of inter-spike intervals, Pearson correlation of binned spike counts),
/// defined to give the numbers Elephant 1.2.1 gives on the same spikes:
/// - window [start, stop] (ms): spikes with start <= t <= stop count;
/// - rate of a member: its spikes in the window / (stop - start), in spikes/s, for every member
///   of the population (silent ones too): elephant.statistics.mean_firing_rate;
/// - CV ISI of a member with at least 3 spikes in the window: standard deviation (ddof 0) over
///   mean of its inter-spike intervals, elephant.statistics.cv(isi(...));
/// - correlation: the first `sample` members (by index) with a spike in the window, their spike
///   counts in bins of `bin` ms from `start` (elephant.conversion.BinnedSpikeTrain, its rounding
///   tolerance 1e-8 included), the Pearson coefficient of each pair i < j
///   (elephant.spike_train_correlation.correlation_coefficient).
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "starling/types.hpp"

namespace starling::io {

/// Options of the statistics.
struct stats_options {
  double start = std::numeric_limits<double>::quiet_NaN();  // ms; NaN: the recording's start
  double stop = std::numeric_limits<double>::quiet_NaN();   // ms; NaN: the recording's end
  std::size_t sample = 200;  ///< members whose pairwise correlations are computed
  double bin = 2.0;          // ms, bin width of the spike counts
};

/// Statistics of one population.
struct population_stats {
  std::string name;
  std::size_t size = 0;              ///< members of the population
  std::size_t spikes = 0;            ///< spikes in the window
  double start = 0.0;                // ms
  double stop = 0.0;                 // ms
  double bin = 0.0;                  // ms
  std::vector<double> rates;         ///< spikes/s of every member, by index
  std::vector<double> cv_isi;        ///< of the members with >= 3 spikes, by index
  std::vector<std::size_t> sampled;  ///< members in the correlation sample
  std::vector<double> correlations;  ///< pairs (i < j) of the sample, row by row
  double mean_rate = 0.0;            // spikes/s
  double mean_cv = 0.0;              ///< NaN without a member with 3 spikes
  double mean_correlation = 0.0;     ///< NaN with fewer than 2 sampled members
};

/// Computes the statistics of a population of `size` members whose recording covers
/// [t_start, t_stop] ms. Throws `starling::invalid_argument` naming the population for an empty
/// or inverted window, a bin width <= 0 or longer than the window, or a spike index >= size.
population_stats spike_statistics(const std::string& name, std::size_t size,
                                  const spike_data& spikes, double t_start, double t_stop,
                                  const stats_options& options = {});

/// The mean of `v` (NaN when empty) and its standard deviation (ddof 0).
double mean_of(const std::vector<double>& v);
double std_of(const std::vector<double>& v);

}  // namespace starling::io
