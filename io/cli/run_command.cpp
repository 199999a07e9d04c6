#include <charconv>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "io/cli/analysis.hpp"
#include "io/cli/commands.hpp"
#include "io/csv.hpp"
#include "io/model_file.hpp"

namespace starling::io::cli {

namespace {

struct run_arguments {
  std::string model;
  std::string output;
  run_options options;
  output_formats formats;
  bool stats = false;
  bool help = false;
};

std::int64_t slice_steps_of(const std::string& text) {
  std::int64_t n = 0;
  const char* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, n);
  if (r.ec != std::errc() || r.ptr != end || n < 1)
    throw usage_error("run: --slice-steps " + text + "; expected an integer >= 1");
  return n;
}

run_arguments parse(const std::vector<std::string>& args) {
  run_arguments a;
  argument_reader in(args, "run");
  while (in.next()) {
    const std::string& arg = in.name();
    auto operand = [&] { return in.value(); };
    if (arg == "-h" || arg == "--help") {
      a.help = true;
    } else if (arg == "-o" || arg == "--output") {
      a.output = operand();
    } else if (arg == "--backend") {
      const std::string name = operand();
      a.options.where = backend_from_name(name);
      if (!a.options.where)
        throw usage_error("run: --backend " + name + "; expected cpu, cuda or auto");
    } else if (arg == "--slice-steps") {
      a.options.slice_steps = slice_steps_of(operand());
    } else if (arg == "--format") {
      try {
        a.formats = formats_from_names(operand());
      } catch (const invalid_argument& e) {
        throw usage_error(std::string("run: --format: ") + e.what());
      }
    } else if (arg == "--stats" && !in.attached()) {
      a.stats = true;
    } else if (arg == "--progress" && !in.attached()) {
      a.options.progress = true;
    } else if (arg == "--verbose" && !in.attached()) {
      a.options.verbose = true;
    } else if (arg == "--exchange") {
      const std::string name = operand();
      a.options.exchange = exchange_from_name(name);
      if (!a.options.exchange)
        throw usage_error("run: --exchange " + name +
                          "; expected point_to_point, all_to_all, neighbourhood or hierarchical");
    } else if (arg == "--bind") {
      const std::string name = operand();
      a.options.bind = binding_from_name(name);
      if (!a.options.bind)
        throw usage_error("run: --bind " + name + "; expected auto, cores or none");
    } else if (!arg.empty() && arg[0] == '-') {
      throw usage_error("run: unknown option " + in.raw());
    } else if (a.model.empty()) {
      a.model = arg;
    } else {
      throw usage_error("run: unexpected argument " + arg + " after the model file " + a.model);
    }
  }
  if (a.help) return a;
  if (a.model.empty()) throw usage_error("run: missing the model file MODEL.json");
  if (a.output.empty()) throw usage_error("run: missing --output DIR");
  return a;
}

void print_summary(const run_arguments& a, const run_result& r,
                   const std::vector<std::filesystem::path>& files) {
  std::printf("model        %s\n", a.model.c_str());
  std::printf("device       %s\n", r.device.c_str());
  std::printf("neurons      %zu\n", r.neurons);
  std::printf("generators   %zu\n", r.devices);
  std::printf("connections  %zu\n", r.connections);
  std::printf("build        %.3f s\n", r.build_seconds);
  std::printf("simulate     %.3f s for %g ms\n", r.sim_seconds, r.model_time);
  std::printf("slice        %lld steps\n", static_cast<long long>(r.slice_steps));
  std::printf("RTF          %.3f\n", r.real_time_factor);
  if (r.processes > 1)
    std::printf(
        "processes    %d; exchange %.3f s (%.1f%% of simulate), %llu bytes in %llu messages sent "
        "by process 0 in %llu slices\n",
        r.processes, r.exchange.seconds,
        r.sim_seconds > 0.0 ? 100.0 * r.exchange.seconds / r.sim_seconds : 0.0,
        static_cast<unsigned long long>(r.exchange.bytes_sent),
        static_cast<unsigned long long>(r.exchange.messages),
        static_cast<unsigned long long>(r.exchange.slices));
  bool header = false;
  for (const population_summary& p : r.populations) {
    if (!p.recorded) continue;
    if (!header)
      std::printf("%-20s %10s %10s %16s\n", "population", "size", "spikes", "rate (spikes/s)");
    header = true;
    std::printf("%-20s %10zu %10zu %16.3f\n", p.name.c_str(), p.size, p.spikes, p.rate);
  }
  for (const std::filesystem::path& f : files) std::printf("wrote        %s\n", f.string().c_str());
}

}  // namespace

int run_main(const std::vector<std::string>& args) {
  const run_arguments a = parse(args);
  if (a.help) {
    std::fputs(usage_of(run_command).c_str(), stdout);
    return 0;
  }
  const model_file model = read_model_file(a.model);
  // Before the simulation: an unwritable folder must not cost a run.
  check_output_dir(a.output);
  const run_result result = run(model, a.options);
  const std::vector<std::filesystem::path> files = write_recordings(result, a.output, a.formats);
  if (result.rank == 0) print_summary(a, result, files);
  if (a.stats && result.rank == 0) {
    // From the spikes this process gathered, over each recorder's window, analyze's defaults.
    std::vector<population_stats> stats;
    for (const recording& rec : result.recordings)
      if (rec.type == recorder_type::spike_recorder && rec.t_stop > rec.t_start)
        stats.push_back(
            spike_statistics(rec.population, rec.size, rec.spikes, rec.t_start, rec.t_stop));
    print_stats_table(stats, stats_options{}.sample);
  }
  return 0;
}

const command run_command = {
    "run",
    "MODEL.json --output DIR [--format csv,hdf5] [--backend cpu|cuda|auto] [--slice-steps N] "
    "[--progress] [--stats] [--bind auto|cores|none] [--exchange S] [--verbose]",
    "build the network of a JSON model file, simulate it, write each recorder to "
    "DIR/<name>.csv and DIR/<name>.h5",
    "  -o, --output DIR     folder for the recordings, created if missing and checked before the\n"
    "                       simulation\n"
    "  --format F           csv, hdf5 or csv,hdf5 (default): CSV files and SONATA HDF5 files\n"
    "  --backend B          cpu, cuda or auto; overrides kernel.backend\n"
    "  --slice-steps N      simulation steps per slice (N >= 1); overrides kernel.slice_steps\n"
    "  --stats              print the spike statistics of each spike recorder (as starling\n"
    "                       analyze with its defaults)\n"
    "  --progress           report finished simulated time, wall time, RTF and time left on\n"
    "                       stderr (process 0)\n"
    "  --bind B             threads to the cores near the process's GPU (hwloc): auto (when\n"
    "                       the launcher starts several processes per node), cores or none\n"
    "  --exchange S         spikes between processes: point_to_point (default), all_to_all,\n"
    "                       neighbourhood (MPI graph communicator, neighbourhood collectives) or\n"
    "                       hierarchical (through one leader per node)\n"
    "  --verbose            print the topology and each process's GPU and cores on stderr\n"
    "  -h, --help           print this help\n",
    &run_main};

}  // namespace starling::io::cli
