#pragma once
/// CSV output of recorders: one row per spike, sample or connection, numbers written so that they
/// read back cleanly (times) or exactly (recorded values and weights).
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "starling/types.hpp"

namespace starling::io {

/// A time in ms with 12 significant digits: the step arithmetic's last-bit noise
/// (0.30000000000000004) disappears while 0.1 ms steps stay exact up to 1e10 ms.
std::string format_time(double ms);

/// A value with the fewest digits that read back to the same double (17 at most).
std::string format_value(double x);

/// Writes spikes with the header `population,index,time_ms`, rows sorted by time then index.
void write_spikes_csv(std::ostream& out, const std::string& population, const spike_data& spikes);

/// Writes samples with the header `population,index,time_ms,<variable>...`, rows sorted by time
/// then index.
void write_samples_csv(std::ostream& out, const std::string& population,
                       const sample_data& samples);

/// Writes connections with the header `source_index,target_index,weight,delay_ms,receptor`, rows
/// in the order of `connections`.
void write_connections_csv(std::ostream& out, const connection_data& connections);

/// Writes the weights of a weight recorder with the header
/// `time_ms,source_population,source_index,target_population,target_index,weight`, rows in the
/// order of `weights` (by time, then source, then target); populations by name, from
/// `population_names` indexed by population id.
void write_weights_csv(std::ostream& out, const weight_data& weights,
                       const std::vector<std::string>& population_names);

/// The spikes of a spike recorder's CSV file (`population,index,time_ms`), one entry per
/// population named in it, in order of first appearance: size = largest index + 1, window from 0
/// to the last spike (a CSV file records neither). Throws `starling::invalid_argument` naming the
/// file and line of a malformed row.
struct csv_spikes {
  std::string population;
  std::size_t size = 0;
  double t_stop = 0.0;  // ms
  spike_data spikes;
};
std::vector<csv_spikes> read_spikes_csv(const std::filesystem::path& file);

/// Creates `dir` and its parents if missing. Throws `starling::invalid_argument` naming `dir`
/// when it cannot be created or is not a directory.
void create_output_dir(const std::filesystem::path& dir);

/// Creates `dir` like `create_output_dir` and checks that a file can be written into it. Throws
/// `starling::invalid_argument` naming `dir` otherwise; called before a simulation starts.
void check_output_dir(const std::filesystem::path& dir);

/// Writes a file through `write` under a temporary name in the same folder, then renames it,
/// replacing `file`. Throws `starling::invalid_argument` naming the
/// file when it cannot be opened or written completely.
void write_file(const std::filesystem::path& file, const std::function<void(std::ostream&)>& write);

}  // namespace starling::io
