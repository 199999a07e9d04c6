#pragma once
/// Distances between two samples of a statistic (rates, CV ISI, correlations of two sets of
/// runs), defined to give scipy's numbers:
/// - earth_movers_distance: the first Wasserstein distance of the two empirical distributions,
///   scipy.stats.wasserstein_distance(a, b);
/// - kde_kl_divergence: KL(P || Q) of Gaussian kernel density estimates with Scott's bandwidth
///   (scipy.stats.gaussian_kde: kernel sd n^(-1/5) times the sample's sd, ddof 1), evaluated on
///   `grid` points evenly spaced from the smallest value of both samples minus 3 bandwidths (the
///   larger) to the largest plus 3, normalised to sum 1 on the grid: scipy.stats.entropy(p, q).
#include <cstddef>
#include <vector>

namespace starling::io {

/// NaN when a sample is empty.
double earth_movers_distance(std::vector<double> a, std::vector<double> b);

/// NaN when a sample has fewer than 2 values or no spread.
double kde_kl_divergence(const std::vector<double>& a, const std::vector<double>& b,
                         std::size_t grid = 512);

}  // namespace starling::io
