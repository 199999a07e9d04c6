// Spike statistics, distances between distributions and SONATA spike files (io/), on cases
// worked out by hand; tests/analysis checks the same functions against Elephant and scipy.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "io/csv.hpp"
#include "io/distribution_distance.hpp"
#include "io/hdf5_file.hpp"
#include "io/spike_stats.hpp"
#include "starling/error.hpp"

namespace fs = std::filesystem;
using starling::spike_data;
using namespace starling::io;

namespace {

spike_data spikes(std::vector<std::uint32_t> index, std::vector<double> time) {
  spike_data s;
  s.index = std::move(index);
  s.time = std::move(time);
  return s;
}

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("starling_test_analysis_" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

}  // namespace

TEST(SpikeStatistics, RatesCvAndCorrelationByHand) {
  // Member 0: 10, 20, 40 ms; member 1: 10, 45 ms; member 2 silent. Window [0, 100] ms.
  stats_options o;
  o.bin = 10.0;
  const auto st = spike_statistics("p", 3, spikes({0, 1, 0, 0, 1}, {10.0, 10.0, 20.0, 40.0, 45.0}),
                                   0.0, 100.0, o);
  ASSERT_EQ(st.rates.size(), 3u);
  EXPECT_DOUBLE_EQ(st.rates[0], 30.0);
  EXPECT_DOUBLE_EQ(st.rates[1], 20.0);
  EXPECT_DOUBLE_EQ(st.rates[2], 0.0);
  EXPECT_DOUBLE_EQ(st.mean_rate, 50.0 / 3.0);
  // Intervals 10 and 20 ms: mean 15, standard deviation 5.
  ASSERT_EQ(st.cv_isi.size(), 1u);
  EXPECT_NEAR(st.cv_isi[0], 1.0 / 3.0, 1e-15);
  // Counts in 10 bins: [0,1,1,0,1,0...] and [0,1,0,0,1,0...]: r = 14 / sqrt(21 * 16).
  EXPECT_EQ(st.sampled, (std::vector<std::size_t>{0, 1}));
  ASSERT_EQ(st.correlations.size(), 1u);
  EXPECT_NEAR(st.correlations[0], 3.5 / std::sqrt(21.0), 1e-15);
  EXPECT_EQ(st.spikes, 5u);
}

TEST(SpikeStatistics, WindowBinEdgesAndSample) {
  stats_options o;
  o.bin = 10.0;
  o.start = 10.0;
  o.stop = 50.0;
  o.sample = 2;
  // 19.99999999999 is within Elephant's 1e-8 of a bin edge: counted in the next bin. The spike
  // at the window's end (50) counts in the rate but falls past the last bin.
  const auto st = spike_statistics(
      "p", 4, spikes({0, 1, 1, 2, 0, 3, 3}, {5.0, 10.0, 12.0, 14.0, 19.99999999999, 20.0, 50.0}),
      0.0, 100.0, o);
  EXPECT_DOUBLE_EQ(st.rates[0], 1.0 / 40.0 * 1000.0);  // the spike at 5 ms is outside
  EXPECT_DOUBLE_EQ(st.rates[3], 2.0 / 40.0 * 1000.0);
  EXPECT_EQ(st.sampled, (std::vector<std::size_t>{0, 1}));
  // Counts in 4 bins: member 0 [0,1,0,0] (not [1,0,0,0]), member 1 [2,0,0,0]:
  // r = (4*0 - 1*2) / sqrt((4*1 - 1)(4*4 - 4)) = -1/3.
  ASSERT_EQ(st.correlations.size(), 1u);
  EXPECT_NEAR(st.correlations[0], -1.0 / 3.0, 1e-15);
}

TEST(SpikeStatistics, BadInputNamesThePopulation) {
  stats_options o;
  EXPECT_THROW(spike_statistics("p", 2, spikes({2}, {1.0}), 0.0, 10.0, o),
               starling::invalid_argument);
  o.bin = 0.0;
  try {
    spike_statistics("L4E", 2, spikes({}, {}), 0.0, 10.0, o);
    FAIL() << "no error";
  } catch (const starling::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("L4E: bin width 0 ms"), std::string::npos) << e.what();
  }
  o.bin = 2.0;
  o.start = 10.0;
  EXPECT_THROW(spike_statistics("p", 2, spikes({}, {}), 0.0, 10.0, o), starling::invalid_argument);
}

TEST(DistributionDistance, EarthMoversDistanceByHand) {
  EXPECT_DOUBLE_EQ(earth_movers_distance({0.0, 1.0}, {0.0, 2.0}), 0.5);
  EXPECT_DOUBLE_EQ(earth_movers_distance({0.0}, {3.0}), 3.0);
  EXPECT_DOUBLE_EQ(earth_movers_distance({1.0, 2.0, 3.0}, {3.0, 1.0, 2.0}), 0.0);
  EXPECT_TRUE(std::isnan(earth_movers_distance({}, {1.0})));
}

TEST(DistributionDistance, KlDivergenceOfKdes) {
  const std::vector<double> a{0.0, 0.5, 1.0, 1.5, 2.0}, b{1.0, 1.5, 2.0, 2.5, 3.0};
  EXPECT_NEAR(kde_kl_divergence(a, a), 0.0, 1e-15);
  EXPECT_GT(kde_kl_divergence(a, b), 0.1);
  EXPECT_TRUE(std::isnan(kde_kl_divergence({1.0, 1.0}, b)));  // no spread: no bandwidth
}

TEST(SonataFiles, RoundTripSortedAndRenamed) {
  if (!have_hdf5()) GTEST_SKIP() << "built without HDF5";
  const fs::path d = fresh_dir("round_trip");
  spike_population p{"L4E", 5, 0.0, 30.0, spikes({3, 1, 4, 0}, {20.0, 10.0, 10.0, 30.0})};
  write_spikes_h5(d / "s.h5", p);
  EXPECT_EQ(std::distance(fs::directory_iterator(d), fs::directory_iterator()), 1);
  EXPECT_TRUE(is_spike_file(d / "s.h5"));
  const auto back = read_spikes_h5(d / "s.h5");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].name, "L4E");
  EXPECT_EQ(back[0].size, 5u);
  EXPECT_EQ(back[0].t_stop, 30.0);
  EXPECT_EQ(back[0].spikes.index, (std::vector<std::uint32_t>{1, 4, 3, 0}));
  EXPECT_EQ(back[0].spikes.time, (std::vector<double>{10.0, 10.0, 20.0, 30.0}));
  // A folder that is not there: an error naming the file, and nothing left behind.
  try {
    write_spikes_h5(d / "missing" / "s.h5", p);
    FAIL() << "no error";
  } catch (const starling::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("missing/s.h5"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(d / "missing"));
  // A CSV file is not a spike file.
  std::ofstream(d / "x.h5") << "population,index,time_ms\n";
  EXPECT_FALSE(is_spike_file(d / "x.h5"));
  EXPECT_THROW(read_spikes_h5(d / "x.h5"), starling::invalid_argument);
  fs::remove_all(d);
}

TEST(OutputDir, CheckedBeforeWritingAndFilesReplacedWhole) {
  const fs::path d = fresh_dir("output_dir");
  std::ofstream(d / "file") << "x";
  EXPECT_THROW(check_output_dir(d / "file"), starling::invalid_argument);
  EXPECT_THROW(check_output_dir(d / "file" / "sub"), starling::invalid_argument);
  check_output_dir(d / "new");
  EXPECT_TRUE(fs::is_directory(d / "new"));
  EXPECT_EQ(std::distance(fs::directory_iterator(d / "new"), fs::directory_iterator()), 0);
  // A writer that fails half-way leaves the previous file as it was and no temporary file.
  write_file(d / "new" / "a.csv", [](std::ostream& out) { out << "old\n"; });
  EXPECT_THROW(write_file(d / "new" / "a.csv",
                          [](std::ostream& out) {
                            out << "half";
                            throw starling::invalid_argument("stop");
                          }),
               starling::invalid_argument);
  std::ifstream in(d / "new" / "a.csv");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "old");
  EXPECT_EQ(std::distance(fs::directory_iterator(d / "new"), fs::directory_iterator()), 1);
  fs::remove_all(d);
}
