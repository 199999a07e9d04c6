#pragma once
/// HDF5 output and input of recordings: SONATA spike files (/spikes/<population>/timestamps and
/// node_ids, sorted by time) and SONATA-style reports of state variables. Files are written under
/// a temporary name in the target folder and renamed when complete.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "starling/types.hpp"

namespace starling::io {

/// True when Starling was built with HDF5; otherwise the functions below throw.
bool have_hdf5();

/// The spikes of one population of a SONATA spike file.
struct spike_population {
  std::string name;
  std::size_t size = 0;  ///< members of the population (attribute n_nodes; else max id + 1)
  double t_start = 0.0;  // ms, start of the recorded time (attribute t_start; else 0)
  double t_stop = 0.0;   // ms, end of the recorded time (attribute t_stop; else last spike)
  spike_data spikes;     ///< node_ids as indices, timestamps in ms
};

/// Writes a SONATA spike file with one population: /spikes/<population> with the attribute
/// sorting = by_time, datasets timestamps (float64, units "ms") and node_ids (uint64), and the
/// attributes n_nodes, t_start and t_stop (ms) that the analysis needs. Rows are sorted by time
/// then node id. Throws `starling::invalid_argument` naming the file when it cannot be written.
void write_spikes_h5(const std::filesystem::path& file, const spike_population& population);

/// Writes variable `variable` of state samples as a SONATA report: /report/<population>/data
/// (float32 as SONATA has it, [times][members]) and mapping/node_ids, element_ids, index_pointers
/// and time (start, stop, step in ms, attribute units "ms"); `units` is the data's units attribute.
/// Every sample time must hold the same members.
void write_samples_h5(const std::filesystem::path& file, const std::string& population,
                      const sample_data& samples, std::size_t variable, double interval,
                      const std::string& units);

/// Reads every population of a SONATA spike file. Throws `starling::invalid_argument` naming the
/// file and the object when it is not one (missing group, datasets of different lengths, ...).
std::vector<spike_population> read_spikes_h5(const std::filesystem::path& file);

/// True when `file` is an HDF5 file with a group /spikes (false for state reports and others).
bool is_spike_file(const std::filesystem::path& file);

/// A temporary name beside `file` (same folder, so that the rename is atomic).
std::filesystem::path temporary_name(const std::filesystem::path& file);

/// Renames `from` to `to`, replacing it; throws `starling::invalid_argument` naming both.
void commit_file(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace starling::io
