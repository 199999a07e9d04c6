#pragma once
// The machine as hwloc sees it (packages, NUMA nodes, cores, GPUs and NICs with their PCI
// locality) and where each process of a run goes: the GPU of its local rank and the cores near
// that GPU, shared with the other processes near it. A node can be discovered, or read from an
// hwloc XML file or synthetic description, so a small machine can play a cluster of large nodes.
// Errors throw starling::invalid_argument (bad description) or starling::runtime_error.
#include <string>
#include <vector>

namespace starling::runtime::topology {

/// A PCI device near some cores: a GPU (NVIDIA display or 3D controller) or a network interface
/// (Ethernet, InfiniBand).
struct device {
  std::string pci_bus_id;  ///< "0000:17:00.0"
  std::string name;        ///< hwloc's OS device name (cuda0, mlx5_0, eth0), or ""
  int package = 0;         ///< the package (socket) whose cores are nearest
  int numa = 0;            ///< the nearest NUMA node
  std::vector<int> cores;  ///< logical indices of the cores nearest to it
};

struct node {
  std::string source;  ///< "this machine", an XML file or a synthetic description
  int packages = 0;
  int numa_nodes = 0;
  int cores = 0;
  int pus = 0;
  std::vector<std::vector<int>> package_cores;  ///< logical core indices of each package
  std::vector<int> core_numa;                   ///< NUMA node of each core
  std::vector<device> gpus;                     ///< in CUDA's order where CUDA is present
  std::vector<device> nics;
};

/// This machine: $STARLING_TOPOLOGY if set (an XML file or a synthetic description), else
/// hwloc's discovery with the GPUs ordered as CUDA numbers them.
node discover();
/// A node from an hwloc XML file (a name ending in .xml) or an hwloc synthetic description
/// ("pack:2 core:8 pu:2"; no GPUs).
node load(const std::string& description);

/// Where one process goes.
struct placement {
  int rank = 0;
  int node = 0;           ///< index in the node list
  int local_rank = 0;     ///< rank among the processes of its node
  int ranks_on_node = 1;  ///< processes on its node
  int gpu = -1;           ///< device index on its node (local_rank mod GPUs), -1 without GPUs
  int package = 0;
  int numa = 0;
  std::vector<int> cores;  ///< logical indices of its cores on its node
};

/// Places ranks_per_node[i] consecutive ranks on nodes[i] (block layout, as mpirun fills nodes):
/// local rank r drives GPU r mod G; the processes near one package share its cores in equal
/// consecutive parts (a core each at least, cycling when there are more processes than cores);
/// without GPUs the processes are spread over the packages in blocks.
std::vector<placement> place(const std::vector<node>& nodes,
                             const std::vector<int>& ranks_per_node);

/// Groups of ranks for a hierarchical exchange: the ranks of each node in rank order, nodes in
/// order of their first rank.
std::vector<std::vector<int>> ranks_by_node(const std::vector<placement>& placements);

/// Core indices as ranges: "0-3,8-11".
std::string cores_text(const std::vector<int>& cores);

/// One line per item: the node, its GPUs and NICs, then this process's placement.
std::string summary(const node& n, const placement& p);

/// The process's rank among those of its node and their number, from the MPI launcher's
/// environment (Open MPI, MPICH, Slurm); 0 and 1 without a launcher.
void launcher_local_rank(int& local_rank, int& local_size);

/// Binds the calling thread to the given cores of this machine (logical indices).
void bind_thread(const std::vector<int>& cores);
/// The cores the calling thread may run on (logical indices).
std::vector<int> thread_binding();

}  // namespace starling::runtime::topology
