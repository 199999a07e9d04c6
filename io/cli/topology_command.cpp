// `starling topology`: the machine as hwloc sees it (or as an XML file or synthetic description
// says) and where the processes of a run would go: one line per process with its node, GPU,
// package, NUMA node and cores, then the groups of the hierarchical exchange.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "io/cli/commands.hpp"
#include "runtime/topology.hpp"

namespace starling::io::cli {

namespace {

struct topology_arguments {
  std::string input;  // "" = this machine
  int nodes = 1;
  int ranks_per_node = 0;  // 0 = one per GPU, else one
  bool help = false;
};

int count_of(const std::string& option, const std::string& text, int lowest) {
  const double v = number_of(option, text);
  if (!(v >= lowest && v <= 1 << 20 && v == static_cast<int>(v)))
    throw usage_error("topology: " + option + " " + text +
                      "; expected an integer >= " + std::to_string(lowest));
  return static_cast<int>(v);
}

topology_arguments parse(const std::vector<std::string>& args) {
  topology_arguments a;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& opt = args[i];
    if (opt == "-h" || opt == "--help") {
      a.help = true;
      continue;
    }
    if (i + 1 >= args.size()) throw usage_error("topology: " + opt + " needs a value");
    const std::string v = args[++i];
    if (opt == "--input")
      a.input = v;
    else if (opt == "--nodes")
      a.nodes = count_of(opt, v, 1);
    else if (opt == "--ranks-per-node")
      a.ranks_per_node = count_of(opt, v, 1);
    else
      throw usage_error("topology: unknown option " + opt);
  }
  return a;
}

int topology_main(const std::vector<std::string>& args) {
  const topology_arguments a = parse(args);
  if (a.help) {
    std::fputs(usage_of(topology_command).c_str(), stdout);
    return 0;
  }
  namespace topo = runtime::topology;
  const topo::node n = a.input.empty() ? topo::discover() : topo::load(a.input);
  const int per_node =
      a.ranks_per_node > 0 ? a.ranks_per_node : std::max<int>(1, static_cast<int>(n.gpus.size()));
  const std::vector<topo::node> nodes(static_cast<std::size_t>(a.nodes), n);
  const std::vector<topo::placement> ps =
      topo::place(nodes, std::vector<int>(static_cast<std::size_t>(a.nodes), per_node));
  // The node's description is the first lines of the summary of its first process.
  const std::string head = topo::summary(n, ps.front());
  std::fputs(head.substr(0, head.rfind("process")).c_str(), stdout);
  std::printf("%-6s %-5s %-6s %-4s %-8s %-5s %s\n", "rank", "node", "local", "gpu", "package",
              "numa", "cores");
  for (const topo::placement& p : ps)
    std::printf("%-6d %-5d %-6d %-4s %-8d %-5d %s\n", p.rank, p.node, p.local_rank,
                p.gpu < 0 ? "-" : std::to_string(p.gpu).c_str(), p.package, p.numa,
                topo::cores_text(p.cores).c_str());
  const auto groups = topo::ranks_by_node(ps);
  for (std::size_t g = 0; g < groups.size(); ++g)
    std::printf("node %zu ranks %d-%d\n", g, groups[g].front(), groups[g].back());
  return 0;
}

}  // namespace

const command topology_command = {
    "topology", "[--input XML|SYNTHETIC] [--nodes N] [--ranks-per-node K]",
    "print the machine's packages, NUMA nodes, cores, GPUs and NICs (hwloc) and where each "
    "process of a run goes",
    "  --input D            an hwloc XML file (*.xml) or synthetic description (\"pack:2 core:8 "
    "pu:2\")\n"
    "                       instead of this machine ($STARLING_TOPOLOGY likewise)\n"
    "  --nodes N            nodes of that kind (default 1)\n"
    "  --ranks-per-node K   processes per node (default: one per GPU, else 1)\n"
    "  -h, --help           print this help\n",
    &topology_main};

}  // namespace starling::io::cli
