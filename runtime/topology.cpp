#include "topology.hpp"

#include <hwloc.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>

#include "engine.hpp"
#include "starling/error.hpp"

namespace starling::runtime::topology {

namespace {

struct topology_deleter {
  void operator()(hwloc_topology* t) const { hwloc_topology_destroy(t); }
};
using topology_ptr = std::unique_ptr<hwloc_topology, topology_deleter>;

struct bitmap_deleter {
  void operator()(hwloc_bitmap_s* b) const { hwloc_bitmap_free(b); }
};
using bitmap_ptr = std::unique_ptr<hwloc_bitmap_s, bitmap_deleter>;

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// Loads this machine (description "") or an XML file or synthetic description, I/O devices
/// kept.
topology_ptr open(const std::string& description) {
  hwloc_topology_t raw = nullptr;
  if (hwloc_topology_init(&raw) != 0) throw runtime_error("topology: hwloc_topology_init failed");
  topology_ptr t(raw);
  hwloc_topology_set_io_types_filter(raw, HWLOC_TYPE_FILTER_KEEP_IMPORTANT);
  if (!description.empty()) {
    const bool xml = ends_with(description, ".xml");
    const int rc = xml ? hwloc_topology_set_xml(raw, description.c_str())
                       : hwloc_topology_set_synthetic(raw, description.c_str());
    if (rc != 0)
      throw invalid_argument("topology: " + description +
                             (xml ? " is not a readable hwloc XML file"
                                  : " is not an hwloc synthetic description (e.g. \"pack:2 "
                                    "core:8 pu:1\") nor an XML file name ending in .xml"));
  }
  if (hwloc_topology_load(raw) != 0)
    throw invalid_argument("topology: hwloc could not load " +
                           (description.empty() ? std::string("this machine") : description));
  return t;
}

std::string bus_id(const hwloc_obj_t pci) {
  char s[32];
  const auto& a = pci->attr->pcidev;
  std::snprintf(s, sizeof s, "%04x:%02x:%02x.%01x", a.domain, a.bus, a.dev, a.func);
  return s;
}

/// "0000:17:00.0" or CUDA's "00000000:17:00.0" as numbers, for matching.
bool parse_bus_id(const std::string& s, unsigned long& domain, unsigned& bus, unsigned& dev,
                  unsigned& func) {
  return std::sscanf(s.c_str(), "%lx:%x:%x.%x", &domain, &bus, &dev, &func) == 4;
}

bool same_bus_id(const std::string& a, const std::string& b) {
  unsigned long da = 0, db = 0;
  unsigned ba = 0, va = 0, fa = 0, bb = 0, vb = 0, fb = 0;
  return parse_bus_id(a, da, ba, va, fa) && parse_bus_id(b, db, bb, vb, fb) && da == db &&
         ba == bb && va == vb && fa == fb;
}

int package_of(hwloc_topology_t t, hwloc_obj_t core) {
  const hwloc_obj_t p = hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_PACKAGE, core);
  return p ? static_cast<int>(p->logical_index) : 0;
}

int numa_of(hwloc_topology_t t, hwloc_const_cpuset_t set) {
  for (hwloc_obj_t n = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_NUMANODE, nullptr); n;
       n = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_NUMANODE, n))
    if (hwloc_bitmap_intersects(set, n->cpuset)) return static_cast<int>(n->logical_index);
  return 0;
}

/// A PCI device and the cores of its nearest non-I/O ancestor.
device describe(hwloc_topology_t t, hwloc_obj_t pci, const char* preferred_name) {
  device d;
  d.pci_bus_id = bus_id(pci);
  for (hwloc_obj_t c = pci->io_first_child; c; c = c->next_sibling) {
    if (c->type != HWLOC_OBJ_OS_DEVICE || !c->name) continue;
    const std::string name = c->name;
    if (d.name.empty() || name.rfind(preferred_name, 0) == 0) d.name = name;
  }
  const hwloc_obj_t near = hwloc_get_non_io_ancestor_obj(t, pci);
  for (hwloc_obj_t core = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_CORE, nullptr); core;
       core = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_CORE, core))
    if (near && hwloc_bitmap_isincluded(core->cpuset, near->cpuset))
      d.cores.push_back(static_cast<int>(core->logical_index));
  if (!d.cores.empty()) {
    const hwloc_obj_t first = hwloc_get_obj_by_type(t, HWLOC_OBJ_CORE, d.cores.front());
    d.package = package_of(t, first);
    d.numa = numa_of(t, near->cpuset);
  }
  return d;
}

node read(hwloc_topology_t t, const std::string& source) {
  node n;
  n.source = source;
  n.packages = std::max(1, hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PACKAGE));
  n.numa_nodes = std::max(1, hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_NUMANODE));
  n.cores = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE);
  n.pus = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU);
  if (n.cores <= 0) throw runtime_error("topology: hwloc found no core in " + source);
  n.package_cores.resize(static_cast<std::size_t>(n.packages));
  for (hwloc_obj_t core = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_CORE, nullptr); core;
       core = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_CORE, core)) {
    n.package_cores[static_cast<std::size_t>(package_of(t, core))].push_back(
        static_cast<int>(core->logical_index));
    n.core_numa.push_back(numa_of(t, core->cpuset));
  }
  for (hwloc_obj_t pci = hwloc_get_next_pcidev(t, nullptr); pci;
       pci = hwloc_get_next_pcidev(t, pci)) {
    const auto& a = pci->attr->pcidev;
    const unsigned base_class = a.class_id >> 8;
    if (a.vendor_id == 0x10de && base_class == 0x03)
      n.gpus.push_back(describe(t, pci, "cuda"));
    else if (a.class_id == 0x0200 || a.class_id == 0x0207)
      n.nics.push_back(describe(t, pci, "mlx"));
  }
  return n;
}

std::vector<int> all_cores(const node& n) {
  std::vector<int> c(static_cast<std::size_t>(n.cores));
  for (int i = 0; i < n.cores; ++i) c[static_cast<std::size_t>(i)] = i;
  return c;
}

/// GPUs in CUDA's numbering where this process sees CUDA devices; devices hwloc did not see
/// (no PCI discovery) are near every core.
void order_as_cuda(node& n) {
  const int count = cuda_device_count();
  if (count <= 0) return;
  std::vector<device> ordered;
  for (int d = 0; d < count; ++d) {
    const std::string id = cuda_pci_bus_id(d);
    auto it = std::find_if(n.gpus.begin(), n.gpus.end(),
                           [&](const device& g) { return same_bus_id(g.pci_bus_id, id); });
    device g;
    if (it != n.gpus.end()) {
      g = *it;
      n.gpus.erase(it);
    } else {
      g.pci_bus_id = id;
      g.cores = all_cores(n);
    }
    g.name = "cuda" + std::to_string(d);
    ordered.push_back(g);
  }
  n.gpus = ordered;
}

topology_ptr& this_machine() {
  static topology_ptr t = open("");
  return t;
}

int env_int(const char* name, int fallback) {
  const char* s = std::getenv(name);
  return s && *s ? std::atoi(s) : fallback;
}

}  // namespace

std::string cores_text(const std::vector<int>& v) {
  std::ostringstream o;
  for (std::size_t i = 0; i < v.size();) {
    std::size_t j = i;
    while (j + 1 < v.size() && v[j + 1] == v[j] + 1) ++j;
    if (i) o << ',';
    o << v[i];
    if (j > i) o << '-' << v[j];
    i = j + 1;
  }
  return o.str();
}

node load(const std::string& description) {
  if (description.empty())
    throw invalid_argument("topology: empty description; expected an XML file or a synthetic one");
  const topology_ptr t = open(description);
  return read(t.get(), description);
}

node discover() {
  if (const char* d = std::getenv("STARLING_TOPOLOGY"); d && *d) return load(d);
  node n = read(this_machine().get(), "this machine");
  order_as_cuda(n);
  return n;
}

std::vector<placement> place(const std::vector<node>& nodes,
                             const std::vector<int>& ranks_per_node) {
  if (nodes.size() != ranks_per_node.size())
    throw invalid_argument("topology: " + std::to_string(nodes.size()) + " nodes but " +
                           std::to_string(ranks_per_node.size()) +
                           " process counts; expected one count per node");
  std::vector<placement> out;
  int rank = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const node& n = nodes[i];
    const int k = ranks_per_node[i];
    if (k < 0) throw invalid_argument("topology: a negative process count on a node");
    std::vector<placement> here(static_cast<std::size_t>(k));
    // Where each process is near: its GPU's cores, else a block of packages.
    std::vector<std::vector<int>> near(static_cast<std::size_t>(k));
    for (int r = 0; r < k; ++r) {
      placement& p = here[static_cast<std::size_t>(r)];
      p.rank = rank + r;
      p.node = static_cast<int>(i);
      p.local_rank = r;
      p.ranks_on_node = k;
      if (!n.gpus.empty()) {
        p.gpu = r % static_cast<int>(n.gpus.size());
        const device& g = n.gpus[static_cast<std::size_t>(p.gpu)];
        p.package = g.package;
        near[static_cast<std::size_t>(r)] = g.cores.empty() ? all_cores(n) : g.cores;
      } else {
        p.package = static_cast<int>(static_cast<long long>(r) * n.packages / std::max(k, 1));
        near[static_cast<std::size_t>(r)] = n.package_cores[static_cast<std::size_t>(p.package)];
      }
    }
    // The processes with the same nearby cores share them in equal consecutive parts.
    for (int r = 0; r < k; ++r) {
      const std::vector<int>& cores = near[static_cast<std::size_t>(r)];
      int index = 0, sharing = 0;
      for (int q = 0; q < k; ++q)
        if (near[static_cast<std::size_t>(q)] == cores) {
          if (q < r) ++index;
          ++sharing;
        }
      placement& p = here[static_cast<std::size_t>(r)];
      const auto c = static_cast<int>(cores.size());
      if (sharing <= c) {
        for (int j = index * c / sharing; j < (index + 1) * c / sharing; ++j)
          p.cores.push_back(cores[static_cast<std::size_t>(j)]);
      } else {
        p.cores.push_back(cores[static_cast<std::size_t>(index % c)]);
      }
      p.numa = n.core_numa[static_cast<std::size_t>(p.cores.front())];
    }
    out.insert(out.end(), here.begin(), here.end());
    rank += k;
  }
  return out;
}

std::vector<std::vector<int>> ranks_by_node(const std::vector<placement>& placements) {
  std::vector<std::vector<int>> groups;
  std::vector<int> node_group;
  for (const placement& p : placements) {
    if (p.node >= static_cast<int>(node_group.size()))
      node_group.resize(static_cast<std::size_t>(p.node) + 1, -1);
    int& g = node_group[static_cast<std::size_t>(p.node)];
    if (g < 0) {
      g = static_cast<int>(groups.size());
      groups.emplace_back();
    }
    groups[static_cast<std::size_t>(g)].push_back(p.rank);
  }
  return groups;
}

std::string summary(const node& n, const placement& p) {
  std::ostringstream o;
  o << "topology   " << n.source << ": " << n.packages << " package(s), " << n.numa_nodes
    << " NUMA node(s), " << n.cores << " cores, " << n.pus << " PUs\n";
  for (std::size_t i = 0; i < n.gpus.size(); ++i) {
    const device& g = n.gpus[i];
    o << "gpu " << i << "      " << g.pci_bus_id << (g.name.empty() ? "" : " " + g.name)
      << ", package " << g.package << ", NUMA " << g.numa << ", cores " << cores_text(g.cores)
      << "\n";
  }
  for (const device& d : n.nics)
    o << "nic        " << d.pci_bus_id << (d.name.empty() ? "" : " " + d.name) << ", package "
      << d.package << ", NUMA " << d.numa << "\n";
  o << "process    rank " << p.rank << " (local " << p.local_rank << " of " << p.ranks_on_node
    << "): " << (p.gpu >= 0 ? "gpu " + std::to_string(p.gpu) + ", " : std::string()) << "package "
    << p.package << ", NUMA " << p.numa << ", cores " << cores_text(p.cores) << "\n";
  return o.str();
}

void launcher_local_rank(int& local_rank, int& local_size) {
  local_rank = 0;
  local_size = 1;
  const char* pairs[][2] = {{"OMPI_COMM_WORLD_LOCAL_RANK", "OMPI_COMM_WORLD_LOCAL_SIZE"},
                            {"MPI_LOCALRANKID", "MPI_LOCALNRANKS"},
                            {"SLURM_LOCALID", "SLURM_NTASKS_PER_NODE"}};
  for (const auto& pr : pairs)
    if (std::getenv(pr[0])) {
      local_rank = env_int(pr[0], 0);
      local_size = std::max(env_int(pr[1], local_rank + 1), local_rank + 1);
      return;
    }
}

void bind_thread(const std::vector<int>& cores) {
  hwloc_topology_t t = this_machine().get();
  bitmap_ptr set(hwloc_bitmap_alloc());
  for (int c : cores) {
    const hwloc_obj_t core = hwloc_get_obj_by_type(t, HWLOC_OBJ_CORE, static_cast<unsigned>(c));
    if (!core)
      throw invalid_argument("topology: core " + std::to_string(c) + " does not exist here");
    hwloc_bitmap_or(set.get(), set.get(), core->cpuset);
  }
  if (hwloc_set_cpubind(t, set.get(), HWLOC_CPUBIND_THREAD) != 0)
    throw runtime_error("topology: could not bind the thread to cores " + cores_text(cores));
}

std::vector<int> thread_binding() {
  hwloc_topology_t t = this_machine().get();
  bitmap_ptr set(hwloc_bitmap_alloc());
  if (hwloc_get_cpubind(t, set.get(), HWLOC_CPUBIND_THREAD) != 0)
    throw runtime_error("topology: could not read the thread's binding");
  std::vector<int> cores;
  for (hwloc_obj_t core = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_CORE, nullptr); core;
       core = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_CORE, core))
    if (hwloc_bitmap_intersects(core->cpuset, set.get()))
      cores.push_back(static_cast<int>(core->logical_index));
  return cores;
}

}  // namespace starling::runtime::topology
