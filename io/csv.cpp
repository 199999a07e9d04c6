#include "io/csv.hpp"
#include "io/hdf5_file.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numeric>
#include <system_error>
#include <vector>

#include "starling/error.hpp"

namespace starling::io {

namespace {

/// A field quoted as RFC 4180 asks when it holds a separator, a quote or a line break.
std::string field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

/// Row order by (time, index): the identity when the rows are already sorted.
std::vector<std::size_t> time_order(const std::vector<double>& time,
                                    const std::vector<std::uint32_t>& index) {
  std::vector<std::size_t> order(time.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  auto before = [&](std::size_t a, std::size_t b) {
    return time[a] < time[b] || (time[a] == time[b] && index[a] < index[b]);
  };
  if (!std::is_sorted(order.begin(), order.end(), before))
    std::stable_sort(order.begin(), order.end(), before);
  return order;
}

std::string system_reason() { return std::strerror(errno); }

}  // namespace

std::string format_time(double ms) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.12g", ms);
  return buf;
}

std::string format_value(double x) {
  char buf[40];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

void write_spikes_csv(std::ostream& out, const std::string& population, const spike_data& spikes) {
  const std::string pop = field(population);
  out << "population,index,time_ms\n";
  for (std::size_t k : time_order(spikes.time, spikes.index))
    out << pop << ',' << spikes.index[k] << ',' << format_time(spikes.time[k]) << '\n';
}

void write_samples_csv(std::ostream& out, const std::string& population,
                       const sample_data& samples) {
  const std::string pop = field(population);
  out << "population,index,time_ms";
  for (const std::string& v : samples.variables) out << ',' << field(v);
  out << '\n';
  for (std::size_t k : time_order(samples.time, samples.index)) {
    out << pop << ',' << samples.index[k] << ',' << format_time(samples.time[k]);
    for (const std::vector<double>& column : samples.values) out << ',' << format_value(column[k]);
    out << '\n';
  }
}

void write_connections_csv(std::ostream& out, const connection_data& connections) {
  out << "source_index,target_index,weight,delay_ms,receptor\n";
  for (std::size_t k = 0; k < connections.source.size(); ++k)
    out << connections.source[k] << ',' << connections.target[k] << ','
        << format_value(connections.weight[k]) << ',' << format_time(connections.delay[k]) << ','
        << connections.receptor[k] << '\n';
}

void write_weights_csv(std::ostream& out, const weight_data& weights,
                       const std::vector<std::string>& population_names) {
  auto name = [&](std::size_t id) {
    return field(id < population_names.size() ? population_names[id] : std::to_string(id));
  };
  out << "time_ms,source_population,source_index,target_population,target_index,weight\n";
  for (std::size_t k = 0; k < weights.time.size(); ++k)
    out << format_time(weights.time[k]) << ',' << name(weights.source_population[k]) << ','
        << weights.source[k] << ',' << name(weights.target_population[k]) << ','
        << weights.target[k] << ',' << format_value(weights.weight[k]) << '\n';
}

void create_output_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw invalid_argument("output: cannot create the directory " + dir.string() + ": " +
                           ec.message());
  if (!std::filesystem::is_directory(dir, ec))
    throw invalid_argument("output: " + dir.string() + " is not a directory");
}

std::vector<csv_spikes> read_spikes_csv(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw invalid_argument("csv: cannot read " + file.string() + ": " + system_reason());
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line != "population,index,time_ms")
    throw invalid_argument("csv: " + file.string() + ": header \"" + line.substr(0, 80) +
                           "\"; expected population,index,time_ms (a spike recorder's file)");
  std::vector<csv_spikes> out;
  std::size_t row = 1;
  while (std::getline(in, line)) {
    ++row;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto bad = [&](const std::string& what) {
      return invalid_argument("csv: " + file.string() + ":" + std::to_string(row) + ": " + what +
                              " in \"" + line.substr(0, 80) + "\"");
    };
    const std::size_t c1 = line.find(',');
    const std::size_t c2 = c1 == std::string::npos ? c1 : line.find(',', c1 + 1);
    if (c2 == std::string::npos) throw bad("expected 3 fields");
    const char* end = line.data() + line.size();
    std::uint32_t index = 0;
    double t = 0.0;
    const auto r1 = std::from_chars(line.data() + c1 + 1, line.data() + c2, index);
    if (r1.ec != std::errc() || r1.ptr != line.data() + c2) throw bad("index is not an integer");
    const auto r2 = std::from_chars(line.data() + c2 + 1, end, t);
    if (r2.ec != std::errc() || r2.ptr != end || !(t == t)) throw bad("time is not a number");
    const std::string name = line.substr(0, c1);
    if (out.empty() || out.back().population != name) {
      auto it = std::find_if(out.begin(), out.end(),
                             [&name](const csv_spikes& p) { return p.population == name; });
      if (it == out.end()) {
        out.push_back({name, 0, 0.0, {}});
      } else {
        std::rotate(it, it + 1, out.end());  // the current population last, order kept otherwise
      }
    }
    csv_spikes& p = out.back();
    p.spikes.index.push_back(index);
    p.spikes.time.push_back(t);
    p.size = std::max<std::size_t>(p.size, std::size_t{index} + 1);
    p.t_stop = std::max(p.t_stop, t);
  }
  if (out.empty()) throw invalid_argument("csv: " + file.string() + " holds no spike");
  return out;
}

void check_output_dir(const std::filesystem::path& dir) {
  create_output_dir(dir);
  // A file made and removed now: an unwritable folder fails before the simulation, not after.
  const std::filesystem::path probe = temporary_name(dir / "starling-probe");
  {
    std::ofstream out(probe, std::ios::binary | std::ios::trunc);
    if (!out)
      throw invalid_argument("output: cannot write into the directory " + dir.string() + ": " +
                             system_reason());
  }
  std::error_code ec;
  std::filesystem::remove(probe, ec);
}

void write_file(const std::filesystem::path& file,
                const std::function<void(std::ostream&)>& write) {
  // Written under a temporary name and renamed when complete: a reader never sees half a file.
  const std::filesystem::path tmp = temporary_name(file);
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out)
    throw invalid_argument("output: cannot write " + file.string() + ": " + system_reason());
  try {
    write(out);
  } catch (...) {
    out.close();
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw;
  }
  out.close();
  if (!out) {
    const std::string reason = system_reason();
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw invalid_argument("output: writing " + file.string() + " failed: " + reason);
  }
  commit_file(tmp, file);
}

}  // namespace starling::io
