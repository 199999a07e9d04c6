#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "io/cli/commands.hpp"
#include "starling/config.hpp"
#include "starling/simulator.hpp"

namespace starling::io::cli {

namespace {

/// The subcommands, in the order the usage lists them.
const command* const commands[] = {&run_command,     &analyze_command, &plot_command,
                                   &compare_command, &bench_command,   &models_command,
                                   &topology_command};

std::string usage() {
  std::string s = "usage: starling <command> [arguments]\n\ncommands:\n";
  for (const command* c : commands)
    s += "  " + std::string(c->name) + " " + c->arguments + "\n      " + c->purpose + "\n";
  s += "\nstarling <command> --help describes a command's options; starling --version prints the "
       "version.\n";
  return s;
}

int dispatch(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fputs(usage().c_str(), stderr);
    return 2;
  }
  const std::string& name = args[0];
  if (name == "-h" || name == "--help" || name == "help") {
    std::fputs(usage().c_str(), stdout);
    return 0;
  }
  if (name == "--version") {
    std::printf("starling %s\n", STARLING_VERSION);
    return 0;
  }
  for (const command* c : commands)
    if (name == c->name) return c->main(std::vector<std::string>(args.begin() + 1, args.end()));
  std::string known;
  for (const command* c : commands) known += (known.empty() ? "" : ", ") + std::string(c->name);
  throw usage_error("unknown command " + name + "; expected " + known);
}

}  // namespace

std::string usage_of(const command& c) {
  return "usage: starling " + std::string(c.name) + " " + c.arguments + "\n\n" + c.purpose +
         "\n\noptions:\n" + c.options;
}

}  // namespace starling::io::cli

int main(int argc, char** argv) {
  using namespace starling::io::cli;
  try {
    return dispatch(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const usage_error& e) {
    std::fprintf(stderr, "starling: error: %s\n(starling --help prints the usage)\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    // With several processes the others may wait in a collective call: end them all.
    if (starling::processes_of_run() > 1)
      starling::abort_run(std::string("starling: error: ") + e.what());
    std::fprintf(stderr, "starling: error: %s\n", e.what());
    return 1;
  }
}
