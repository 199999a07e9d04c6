#pragma once
/// Subcommands of the `starling` command-line tool.
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "starling/error.hpp"
#include "starling/simulator.hpp"

namespace starling::io::cli {

/// A command line that does not follow the usage (exit status 2).
class usage_error : public invalid_argument {
 public:
  using invalid_argument::invalid_argument;
};

/// A subcommand: its name, its arguments, one line of purpose and its entry point, which takes
/// the arguments after the name and returns the exit status.
struct command {
  const char* name;
  const char* arguments;
  const char* purpose;
  const char* options;  ///< help on each option, one per line
  int (*main)(const std::vector<std::string>& args);
};

/// The usage of one subcommand: "usage: starling <name> <arguments>", its purpose and options.
std::string usage_of(const command& c);

/// `starling run MODEL.json --output DIR ...`: simulates a model file, writes its recorders.
int run_main(const std::vector<std::string>& args);

/// The `run` subcommand's entry of the command table.
extern const command run_command;

/// `starling bench microcircuit|hpc|models ...`: the end-to-end benchmarks (one JSON line each).
extern const command bench_command;

/// `starling models [NAME...]`: the model list, or the named models' parameters and states.
extern const command models_command;

/// `starling topology ...`: the hwloc topology and the placement of processes.
extern const command topology_command;

/// `starling analyze FILES...`: spike statistics per population of SONATA spike files.
extern const command analyze_command;

/// `starling plot FILES... --output DIR`: raster and violin plots (PNG, matplotlib).
extern const command plot_command;

/// `starling compare A B`: per population, distances between the distributions of two sets.
extern const command compare_command;

/// `starling bench models ...`: neuron updates per second of each model (bench_models.cpp).
int bench_models_main(const std::vector<std::string>& args);

/// `starling bench hpc ...`: NEST's HPC benchmark network, one JSON line (bench_hpc.cpp).
int bench_hpc_main(const std::vector<std::string>& args);

/// Build and simulation wall times of a benchmark run.
struct bench_times {
  double build_s = 0.0;
  double sim_s = 0.0;
};

/// Prepares a network whose construction started at t0 (the build time), simulates t_presim ms
/// untimed, then t_sim ms timed.
bench_times timed_run(simulator& sim, std::chrono::steady_clock::time_point t0, double t_presim,
                      double t_sim);

/// Walks a command line: each argument in turn, an option's value given as "--name value" or
/// "--name=value".
class argument_reader {
 public:
  /// `command` names the command in the errors.
  argument_reader(const std::vector<std::string>& args, std::string command)
      : args_(args), command_(std::move(command)) {}
  /// Moves to the next argument; false after the last.
  bool next() {
    if (++i_ >= args_.size()) return false;
    name_ = args_[i_];
    attached_.reset();
    if (const auto eq = name_.find('='); name_.rfind("--", 0) == 0 && eq != std::string::npos) {
      attached_ = name_.substr(eq + 1);
      name_.erase(eq);
    }
    return true;
  }
  /// The argument, without an attached "=value".
  const std::string& name() const { return name_; }
  /// The argument as given.
  const std::string& raw() const { return args_[i_]; }
  /// Whether a value came attached ("--name=value"): a flag must have none.
  bool attached() const { return attached_.has_value(); }
  /// The option's value: the attached one, else the next argument (usage_error if none).
  std::string value() {
    if (attached_) return *attached_;
    if (i_ + 1 >= args_.size()) throw usage_error(command_ + ": " + name_ + " needs a value");
    return args_[++i_];
  }

 private:
  const std::vector<std::string>& args_;
  std::string command_;
  std::size_t i_ = static_cast<std::size_t>(-1);
  std::string name_;
  std::optional<std::string> attached_;
};

/// An option's value as a number; throws usage_error naming the option.
double number_of(const std::string& option, const std::string& text);

}  // namespace starling::io::cli
