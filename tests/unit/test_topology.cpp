// The hwloc topology: nodes read from XML and synthetic descriptions (a cluster of GPU nodes
// played on a small machine), the placement of processes on GPUs and cores, the groups of a
// hierarchical exchange, and the binding of StarPU's workers on this machine.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "runtime/engine.hpp"
#include "runtime/topology.hpp"
#include "starling/error.hpp"
#include "starling/simulator.hpp"

namespace starling::runtime::topology {
namespace {

std::string mask(int first, int count) {
  // hwloc's bitmap syntax: comma-separated 32-bit words, most significant first.
  std::vector<unsigned> words(static_cast<std::size_t>((first + count + 31) / 32), 0u);
  for (int b = first; b < first + count; ++b)
    words[static_cast<std::size_t>(b / 32)] |= 1u << (b % 32);
  std::ostringstream o;
  for (std::size_t i = words.size(); i-- > 0;) {
    char w[16];
    std::snprintf(w, sizeof w, "0x%08x", words[i]);
    o << w << (i ? "," : "");
  }
  return o.str();
}

/// An hwloc XML node: `packages` sockets with one NUMA node and `cores` single-PU cores each,
/// and under each package a host bridge with `gpus` NVIDIA GPUs and one InfiniBand interface.
std::string node_xml(int packages, int cores, int gpus) {
  int gp = 1, gpu = 0;
  auto attrs = [&](int first, int count, int numa_first, int numa_count) {
    std::ostringstream o;
    o << "cpuset=\"" << mask(first, count) << "\" complete_cpuset=\"" << mask(first, count)
      << "\" nodeset=\"" << mask(numa_first, numa_count) << "\" complete_nodeset=\""
      << mask(numa_first, numa_count) << "\" gp_index=\"" << ++gp << "\"";
    return o.str();
  };
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE topology SYSTEM \"hwloc2.dtd\">\n"
    << "<topology version=\"2.0\">\n<object type=\"Machine\" os_index=\"0\" "
    << attrs(0, packages * cores, 0, packages) << ">\n";
  for (int p = 0; p < packages; ++p) {
    x << "<object type=\"Package\" os_index=\"" << p << "\" " << attrs(p * cores, cores, p, 1)
      << ">\n<object type=\"NUMANode\" os_index=\"" << p << "\" " << attrs(p * cores, cores, p, 1)
      << " local_memory=\"68719476736\"/>\n";
    for (int c = p * cores; c < (p + 1) * cores; ++c)
      x << "<object type=\"Core\" os_index=\"" << c << "\" " << attrs(c, 1, p, 1)
        << "><object type=\"PU\" os_index=\"" << c << "\" " << attrs(c, 1, p, 1) << "/></object>\n";
    char bridge[64];
    std::snprintf(bridge, sizeof bridge, "0000:[%02x-%02x]", p * 16 + 1, p * 16 + 15);
    x << "<object type=\"Bridge\" gp_index=\"" << ++gp
      << "\" bridge_type=\"0-1\" depth=\"0\" bridge_pci=\"" << bridge << "\">\n";
    for (int g = 0; g <= gpus; ++g) {
      const bool nic = g == gpus;
      char bus[32];
      std::snprintf(bus, sizeof bus, "0000:%02x:00.0", p * 16 + 1 + g);
      const int pci_gp = ++gp, os_gp = ++gp;
      x << "<object type=\"PCIDev\" gp_index=\"" << pci_gp << "\" pci_busid=\"" << bus
        << "\" pci_type=\""
        << (nic ? "0207 [15b3:101b] [15b3:0007] 00" : "0302 [10de:2335] [10de:18be] a1")
        << "\" pci_link_speed=\"0.000000\"><object type=\"OSDev\" gp_index=\"" << os_gp
        << "\" name=\"" << (nic ? "mlx5_" + std::to_string(p) : "cuda" + std::to_string(gpu++))
        << "\" osdev_type=\"" << (nic ? 3 : 5) << "\"/></object>\n";
    }
    x << "</object></object>\n";
  }
  x << "</object></topology>\n";
  return x.str();
}

std::string write_xml(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name + ".xml";
  std::ofstream(path) << text;
  return path;
}

std::vector<int> range(int first, int count) {
  std::vector<int> v;
  for (int i = first; i < first + count; ++i) v.push_back(i);
  return v;
}

TEST(Topology, ReadsGpusAndNicsWithTheirCoresFromXml) {
  const node n = load(write_xml("two_sockets", node_xml(2, 8, 2)));
  EXPECT_EQ(n.packages, 2);
  EXPECT_EQ(n.numa_nodes, 2);
  EXPECT_EQ(n.cores, 16);
  EXPECT_EQ(n.pus, 16);
  ASSERT_EQ(n.gpus.size(), 4u);
  ASSERT_EQ(n.nics.size(), 2u);
  for (int g = 0; g < 4; ++g) {
    const device& d = n.gpus[static_cast<std::size_t>(g)];
    EXPECT_EQ(d.name, "cuda" + std::to_string(g));
    EXPECT_EQ(d.package, g / 2) << d.pci_bus_id;
    EXPECT_EQ(d.numa, g / 2);
    EXPECT_EQ(d.cores, range(8 * (g / 2), 8));
  }
  EXPECT_EQ(n.gpus[2].pci_bus_id, "0000:11:00.0");
  EXPECT_EQ(n.nics[1].name, "mlx5_1");
  EXPECT_EQ(n.nics[1].package, 1);
  EXPECT_EQ(n.package_cores[1], range(8, 8));
}

TEST(Topology, SixteenProcessesOnTwoNodesOfFourGpus) {
  // 2 nodes x 2 sockets x (8 cores, 2 GPUs): 8 processes per node, two per GPU.
  const node n = load(write_xml("cluster_node", node_xml(2, 8, 2)));
  const std::vector<placement> ps = place({n, n}, {8, 8});
  ASSERT_EQ(ps.size(), 16u);
  std::set<std::pair<int, int>> used;  // (node, core)
  for (const placement& p : ps) {
    SCOPED_TRACE("rank " + std::to_string(p.rank));
    EXPECT_EQ(p.node, p.rank / 8);
    EXPECT_EQ(p.local_rank, p.rank % 8);
    EXPECT_EQ(p.ranks_on_node, 8);
    EXPECT_EQ(p.gpu, p.local_rank % 4);
    EXPECT_EQ(p.package, p.gpu / 2);
    EXPECT_EQ(p.numa, p.gpu / 2);
    // Four processes share each socket's 8 cores: 2 each, in the socket of their GPU.
    ASSERT_EQ(p.cores.size(), 2u);
    for (int c : p.cores) {
      EXPECT_EQ(c / 8, p.package);
      EXPECT_TRUE(used.insert({p.node, c}).second) << "core " << c << " given twice";
    }
  }
  EXPECT_EQ(used.size(), 32u);
  // Ranks 0, 1, 4, 5 of a node share socket 0 in that order.
  EXPECT_EQ(ps[0].cores, range(0, 2));
  EXPECT_EQ(ps[1].cores, range(2, 2));
  EXPECT_EQ(ps[4].cores, range(4, 2));
  EXPECT_EQ(ps[5].cores, range(6, 2));
  EXPECT_EQ(ps[10].cores, range(8, 2));
  const auto groups = ranks_by_node(ps);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0], range(0, 8));
  EXPECT_EQ(groups[1], range(8, 8));
}

TEST(Topology, ProcessesWithoutGpusSpreadOverPackages) {
  const node n = load("pack:2 core:4 pu:2");
  EXPECT_EQ(n.packages, 2);
  EXPECT_EQ(n.cores, 8);
  EXPECT_EQ(n.pus, 16);
  EXPECT_TRUE(n.gpus.empty());
  const auto ps = place({n}, {4});
  EXPECT_EQ(ps[0].package, 0);
  EXPECT_EQ(ps[1].package, 0);
  EXPECT_EQ(ps[2].package, 1);
  EXPECT_EQ(ps[3].package, 1);
  EXPECT_EQ(ps[0].cores, range(0, 2));
  EXPECT_EQ(ps[1].cores, range(2, 2));
  EXPECT_EQ(ps[2].cores, range(4, 2));
  EXPECT_EQ(ps[3].cores, range(6, 2));
  // Uneven: 3 processes on one package of 4 cores take 1, 1 and 2 cores.
  const auto three = place({load("pack:1 core:4 pu:1")}, {3});
  EXPECT_EQ(three[0].cores, range(0, 1));
  EXPECT_EQ(three[1].cores, range(1, 1));
  EXPECT_EQ(three[2].cores, range(2, 2));
  // More processes than cores: one core each, cycling.
  const auto many = place({load("core:2 pu:1")}, {3});
  EXPECT_EQ(many[0].cores, std::vector<int>{0});
  EXPECT_EQ(many[1].cores, std::vector<int>{1});
  EXPECT_EQ(many[2].cores, std::vector<int>{0});
}

TEST(Topology, SummaryNamesDevicesAndThePlace) {
  const node n = load(write_xml("summary", node_xml(2, 4, 1)));
  const std::string s = summary(n, place({n}, {2})[1]);
  EXPECT_NE(s.find("2 package(s), 2 NUMA node(s), 8 cores, 8 PUs"), std::string::npos) << s;
  EXPECT_NE(s.find("gpu 1      0000:11:00.0 cuda1, package 1, NUMA 1, cores 4-7"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("nic        0000:02:00.0 mlx5_0, package 0"), std::string::npos) << s;
  EXPECT_NE(s.find("rank 1 (local 1 of 2): gpu 1, package 1, NUMA 1, cores 4-7"), std::string::npos)
      << s;
}

TEST(Topology, BadDescriptionsAreErrors) {
  EXPECT_THROW(load("pack:two"), invalid_argument);
  EXPECT_THROW(load(::testing::TempDir() + "missing.xml"), invalid_argument);
  EXPECT_THROW(load(""), invalid_argument);
  const node n = load("core:2 pu:1");
  EXPECT_THROW(place({n, n}, {1}), invalid_argument);
}

TEST(Topology, WorkersAndTheMainThreadAreBoundToTheGivenCores) {
  const node here = discover();
  const std::vector<int> before = thread_binding();
  const int last = here.cores - 1;
  {
    engine_options o;
    o.cpu_workers = here.cores >= 2 ? 2 : 1;
    o.bind_cores = {last};
    engine e(o);
    for (const auto& c : e.worker_cores()) EXPECT_EQ(c, std::vector<int>{last});
    EXPECT_EQ(thread_binding(), std::vector<int>{last});
  }
  bind_thread(before);
  {
    engine e(engine_options{});
    for (const auto& c : e.worker_cores()) EXPECT_EQ(c, before) << "unbound by default";
  }
}

TEST(Topology, SimulatorBindsWhenAsked) {
  const node here = discover();
  const std::vector<int> before = thread_binding();
  {
    kernel_options o;
    o.bind = binding::cores;
    o.where = backend::cpu;
    o.cpu_workers = 1;
    simulator sim(o);
    const auto cores = sim.worker_cores();
    ASSERT_EQ(cores.size(), 1u);
    // One process: the cores near its GPU, or without GPUs every core.
    const std::vector<int> mine = place({here}, {1})[0].cores;
    if (here.gpus.empty()) {
      EXPECT_EQ(mine, range(0, here.cores));
    }
    EXPECT_EQ(cores[0], mine);
    EXPECT_EQ(thread_binding(), mine);
  }
  bind_thread(before);
}

}  // namespace
}  // namespace starling::runtime::topology
