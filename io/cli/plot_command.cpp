#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "io/cli/analysis.hpp"
#include "io/cli/commands.hpp"
#include "io/csv.hpp"
#include "io/hdf5_file.hpp"

namespace starling::io::cli {

namespace fs = std::filesystem;

namespace {

/// The Python that draws: $STARLING_PYTHON, else the build's environment (scripts/py_venv.sh).
std::string python() {
  const char* env = std::getenv("STARLING_PYTHON");
  return env != nullptr && *env != '\0' ? env : STARLING_PYTHON_DEFAULT;
}

/// Runs `argv` and waits for it; throws naming the program when it cannot start or fails.
void run_program(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) throw runtime_error("plot: cannot start " + argv[0] + ": " + std::strerror(errno));
  if (pid == 0) {
    execv(args[0], args.data());
    std::fprintf(stderr,
                 "starling: error: plot: cannot run %s: %s (set STARLING_PYTHON to a "
                 "Python with h5py and matplotlib, or run scripts/py_venv.sh)\n",
                 args[0], std::strerror(errno));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw runtime_error("plot: waiting for " + argv[0] + " failed");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw runtime_error("plot: " + argv[1] + " failed (exit status " +
                        std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
}

int plot_main(const std::vector<std::string>& args) {
  const analysis_arguments a = parse_analysis("plot", args, true);
  if (a.help) {
    std::fputs(usage_of(plot_command).c_str(), stdout);
    return 0;
  }
  if (a.files.empty()) throw usage_error("plot: missing FILES (SONATA spike files or folders)");
  if (a.output.empty()) throw usage_error("plot: missing --output DIR");
  check_output_dir(a.output);
  const fs::path dir(a.output);
  // The raster shows the first run of the first set: the files of its first argument.
  std::vector<fs::path> raster;
  for (const fs::path& f : spike_files({a.files.front()}))
    if (f.extension() != ".csv") raster.push_back(f);
  std::vector<fs::path> stats_files{temporary_name(dir / "stats_a.json")};
  write_json(stats_files.back(), stats_json(analyze_files(spike_files(a.files), a.options)));
  if (!a.against.empty()) {
    stats_files.push_back(temporary_name(dir / "stats_b.json"));
    write_json(stats_files.back(), stats_json(analyze_files(spike_files(a.against), a.options)));
  }
  std::vector<std::string> argv{python(), STARLING_PLOT_SCRIPT, dir.string()};
  for (const fs::path& f : stats_files) argv.push_back(f.string());
  argv.push_back("--label-a");
  argv.push_back(a.files.front());
  if (!a.against.empty()) {
    argv.push_back("--label-b");
    argv.push_back(a.against.front());
  }
  if (!raster.empty()) {
    argv.push_back("--raster");
    for (const fs::path& f : raster) argv.push_back(f.string());
  }
  try {
    run_program(argv);
  } catch (...) {
    for (const fs::path& f : stats_files) fs::remove(f);
    throw;
  }
  for (const fs::path& f : stats_files) fs::remove(f);
  return 0;
}

}  // namespace

const command plot_command = {
    "plot",
    "FILES... --output DIR [--against FILES...] [--start MS] [--stop MS] [--sample N] [--bin MS]",
    "PNG plots (matplotlib) of SONATA spike files: DIR/raster.png (the correlation sample's "
    "spikes and each population's rate) and DIR/violins.png (rates, CV ISI, correlations per "
    "population; a second set after --against on the right half of each violin)",
    "  -o, --output DIR       folder of the PNG files, created if missing\n"
    "  --against FILES...     a second set of runs (files or folders) to set beside the first\n"
    "  --start, --stop, --sample, --bin   as in starling analyze\n"
    "  STARLING_PYTHON        environment: the Python with h5py and matplotlib (default: the\n"
    "                         build's, from scripts/py_venv.sh)\n"
    "  -h, --help             print this help\n",
    &plot_main};

}  // namespace starling::io::cli
