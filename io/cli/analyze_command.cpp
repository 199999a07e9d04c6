#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <sstream>

#include "io/cli/analysis.hpp"
#include "io/cli/commands.hpp"
#include "io/csv.hpp"
#include "io/hdf5_file.hpp"

namespace starling::io::cli {

namespace fs = std::filesystem;

namespace {

std::size_t count_of(const std::string& option, const std::string& text) {
  std::size_t n = 0;
  const char* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, n);
  if (r.ec != std::errc() || r.ptr != end || n < 2)
    throw usage_error(option + " " + text + "; expected an integer >= 2");
  return n;
}

std::string fixed(double x, int digits) {
  if (std::isnan(x)) return "-";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

}  // namespace

analysis_arguments parse_analysis(const std::string& command, const std::vector<std::string>& args,
                                  bool takes_output) {
  analysis_arguments a;
  bool against = false;
  argument_reader in(args, command);
  while (in.next()) {
    const std::string& arg = in.name();
    auto operand = [&] { return in.value(); };
    if (arg == "-h" || arg == "--help") {
      a.help = true;
    } else if (arg == "--start") {
      a.options.start = number_of(command + ": --start", operand());
    } else if (arg == "--stop") {
      a.options.stop = number_of(command + ": --stop", operand());
    } else if (arg == "--bin") {
      a.options.bin = number_of(command + ": --bin", operand());
      if (!(a.options.bin > 0.0))
        throw usage_error(command + ": --bin " + std::to_string(a.options.bin) +
                          "; expected a width > 0 ms");
    } else if (arg == "--sample") {
      a.options.sample = count_of(command + ": --sample", operand());
    } else if (arg == "--json") {
      a.json = operand();
    } else if (takes_output && (arg == "-o" || arg == "--output")) {
      a.output = operand();
    } else if (takes_output && arg == "--against" && !in.attached()) {
      against = true;
    } else if (!arg.empty() && arg[0] == '-') {
      throw usage_error(command + ": unknown option " + in.raw());
    } else {
      (against ? a.against : a.files).push_back(arg);
    }
  }
  return a;
}

std::vector<fs::path> spike_files(const std::vector<std::string>& names) {
  std::vector<fs::path> files;
  for (const std::string& name : names) {
    if (fs::is_directory(name)) {
      std::vector<fs::path> found;
      for (const fs::directory_entry& e : fs::recursive_directory_iterator(name))
        if (e.path().extension() == ".h5" && is_spike_file(e.path())) found.push_back(e.path());
      if (found.empty())
        throw invalid_argument(name + " holds no SONATA spike file (*.h5 with /spikes)");
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.emplace_back(name);
    }
  }
  return files;
}

std::vector<population_stats> analyze_files(const std::vector<fs::path>& files,
                                            const stats_options& options) {
  std::vector<population_stats> out;
  for (const fs::path& f : files) {
    if (f.extension() == ".csv") {
      for (const csv_spikes& p : read_spikes_csv(f))
        out.push_back(spike_statistics(p.population, p.size, p.spikes, 0.0, p.t_stop, options));
      continue;
    }
    for (const spike_population& p : read_spikes_h5(f))
      out.push_back(spike_statistics(p.name, p.size, p.spikes, p.t_start, p.t_stop, options));
  }
  return out;
}

nlohmann::json stats_json(const std::vector<population_stats>& stats) {
  nlohmann::json pops = nlohmann::json::array();
  for (const population_stats& s : stats) {
    auto nan_null = [](double x) { return std::isnan(x) ? nlohmann::json() : nlohmann::json(x); };
    auto list = [&](const std::vector<double>& v) {
      nlohmann::json a = nlohmann::json::array();
      for (double x : v) a.push_back(nan_null(x));
      return a;
    };
    pops.push_back({{"population", s.name},
                    {"size", s.size},
                    {"spikes", s.spikes},
                    {"start_ms", s.start},
                    {"stop_ms", s.stop},
                    {"bin_ms", s.bin},
                    {"mean_rate", nan_null(s.mean_rate)},
                    {"mean_cv_isi", nan_null(s.mean_cv)},
                    {"mean_correlation", nan_null(s.mean_correlation)},
                    {"rates", list(s.rates)},
                    {"cv_isi", list(s.cv_isi)},
                    {"sampled", s.sampled},
                    {"correlations", list(s.correlations)}});
  }
  return {{"populations", pops}};
}

void write_json(const fs::path& file, const nlohmann::json& j) {
  if (file.has_parent_path()) create_output_dir(file.parent_path());
  write_file(file, [&j](std::ostream& out) { out << j.dump() << "\n"; });
}

void print_stats_table(const std::vector<population_stats>& stats, std::size_t sample) {
  std::printf("%-12s %8s %10s %9s %9s %9s %9s %7s %10s %10s %7s\n", "population", "size", "spikes",
              "rate", "rate sd", "CV ISI", "CV sd", "n CV", "corr", "corr sd", "pairs");
  for (const population_stats& s : stats)
    std::printf("%-12s %8zu %10zu %9s %9s %9s %9s %7zu %10s %10s %7zu\n", s.name.c_str(), s.size,
                s.spikes, fixed(s.mean_rate, 3).c_str(), fixed(std_of(s.rates), 3).c_str(),
                fixed(s.mean_cv, 3).c_str(), fixed(std_of(s.cv_isi), 3).c_str(), s.cv_isi.size(),
                fixed(s.mean_correlation, 5).c_str(), fixed(std_of(s.correlations), 5).c_str(),
                s.correlations.size());
  bool same = true;
  for (const population_stats& s : stats)
    same = same && s.start == stats.front().start && s.stop == stats.front().stop;
  if (!stats.empty())
    std::printf(
        "window %s, bins %g ms, up to %zu neurons per correlation sample (the first "
        "with spikes); rates in spikes/s\n",
        same ? (fixed(stats.front().start, 1) + " to " + fixed(stats.front().stop, 1) + " ms")
                   .c_str()
             : "of each recording",
        stats.front().bin, sample);
}

namespace {

int analyze_main(const std::vector<std::string>& args) {
  const analysis_arguments a = parse_analysis("analyze", args, false);
  if (a.help) {
    std::fputs(usage_of(analyze_command).c_str(), stdout);
    return 0;
  }
  if (a.files.empty()) throw usage_error("analyze: missing FILES (SONATA spike files or folders)");
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<population_stats> stats = analyze_files(spike_files(a.files), a.options);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  print_stats_table(stats, a.options.sample);
  std::printf("analysis %.3f s\n", wall);
  if (!a.json.empty()) {
    write_json(a.json, stats_json(stats));
    std::printf("wrote %s\n", a.json.c_str());
  }
  return 0;
}

}  // namespace

const command analyze_command = {
    "analyze", "FILES... [--start MS] [--stop MS] [--sample N] [--bin MS] [--json FILE]",
    "spike statistics per population of SONATA spike files (or folders of them; or spike "
    "recorders' CSV files, named one by one): mean rate, rate distribution, CV ISI, pairwise "
    "Pearson correlation of binned counts",
    "  --start MS, --stop MS  analysis window (default: the recording's, attributes t_start and\n"
    "                         t_stop of each population; of a CSV file 0 to its last spike);\n"
    "                         spikes with start <= t <= stop count\n"
    "  --sample N             neurons per correlation sample: the first N with spikes (default "
    "200)\n"
    "  --bin MS               bin width of the spike counts (default 2 ms)\n"
    "  --json FILE            also write every distribution to FILE\n"
    "  -h, --help             print this help\n",
    &analyze_main};

}  // namespace starling::io::cli
