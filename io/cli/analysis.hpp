#pragma once
/// What `starling analyze`, `plot` and `compare` share: their options, the spike files named on
/// the command line and the statistics as JSON.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/spike_stats.hpp"

namespace starling::io::cli {

/// Options common to the analysis commands.
struct analysis_arguments {
  std::vector<std::string> files;    ///< files and folders, in order
  std::vector<std::string> against;  ///< plot: the second set, after --against
  stats_options options;
  std::string json;    ///< --json FILE
  std::string output;  ///< --output DIR (plot)
  bool help = false;
};

/// Parses the analysis options of `command`; --output is accepted where `takes_output`.
analysis_arguments parse_analysis(const std::string& command, const std::vector<std::string>& args,
                                  bool takes_output);

/// The SONATA spike files named: files as given, folders replaced by the *.h5 spike files in them
/// and in their sub-folders (a folder of runs).
std::vector<std::filesystem::path> spike_files(const std::vector<std::string>& names);

/// Statistics of every population of every file, in order.
std::vector<population_stats> analyze_files(const std::vector<std::filesystem::path>& files,
                                            const stats_options& options);

/// The statistics with every distribution; NaN as null.
nlohmann::json stats_json(const std::vector<population_stats>& stats);

/// Prints the table of `starling analyze` on stdout.
void print_stats_table(const std::vector<population_stats>& stats, std::size_t sample);

/// Writes JSON to `file` (temporary name, then renamed).
void write_json(const std::filesystem::path& file, const nlohmann::json& j);

}  // namespace starling::io::cli
