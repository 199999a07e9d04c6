#pragma once
/// Subcommands of the `starling` command-line tool.
#include <string>
#include <vector>

#include "starling/error.hpp"

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

/// `starling bench microcircuit ...`: the microcircuit benchmark (one JSON line).
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

/// An option's value as a number; throws usage_error naming the option.
double number_of(const std::string& option, const std::string& text);

}  // namespace starling::io::cli
