#include "communicator.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "starling/config.hpp"
#include "starling/error.hpp"

#if STARLING_HAVE_MPI
#include <mpi.h>
#endif

namespace starling::runtime {

namespace {

#if STARLING_HAVE_MPI
bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}

void check(int rc, const char* call) {
  if (rc != MPI_SUCCESS) {
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, msg, &len);
    throw runtime_error(std::string("mpi: ") + call +
                        " failed: " + std::string(msg, static_cast<std::size_t>(len)));
  }
}

/// Finalises MPI at exit if Starling initialised it.
struct mpi_session {
  bool owned = false;
  ~mpi_session() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (owned && !finalized) MPI_Finalize();
  }
};
#endif

}  // namespace

communicator::communicator() {
#if STARLING_HAVE_MPI
  static mpi_session session;
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized && launched_by_mpi()) {
    int provided = 0;
    // The exchange runs in a StarPU worker thread, the collectives of the build in the main
    // thread; never at the same time.
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided), "MPI_Init_thread");
    if (provided < MPI_THREAD_SERIALIZED)
      throw runtime_error("mpi: the MPI library does not allow calls from several threads");
    session.owned = true;
    initialized = 1;
  }
  if (initialized) {
    check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
    check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
    comm_ = MPI_Comm_c2f(MPI_COMM_WORLD);
    mpi_ = true;
  }
#endif
}

#if STARLING_HAVE_MPI
namespace {
MPI_Comm handle(std::int64_t f) { return MPI_Comm_f2c(static_cast<MPI_Fint>(f)); }
}  // namespace
#endif

attachment::attachment(const host_communicator& host) {
  if (!host.given) return;
#if STARLING_HAVE_MPI
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (!initialized || finalized)
    throw invalid_argument(
        "kernel_options: a communicator was given but MPI is not initialised (or already "
        "finalised); the host initialises MPI before constructing the simulator");
  const MPI_Comm comm = handle(host.handle);
  if (comm == MPI_COMM_NULL)
    throw invalid_argument(
        "kernel_options: the communicator is MPI_COMM_NULL; only processes of the communicator "
        "construct a simulator");
  int level = 0;
  check(MPI_Query_thread(&level), "MPI_Query_thread");
  if (level < MPI_THREAD_SERIALIZED)
    throw invalid_argument(
        "kernel_options: MPI was initialised with a thread level below MPI_THREAD_SERIALIZED; "
        "Starling exchanges spikes from a worker thread (use MPI_Init_thread)");
  communicator& w = communicator::world();
  rank_ = w.rank_;
  size_ = w.size_;
  comm_ = w.comm_;
  mpi_ = w.mpi_;
  MPI_Comm dup = MPI_COMM_NULL;
  check(MPI_Comm_dup(comm, &dup), "MPI_Comm_dup");
  check(MPI_Comm_rank(dup, &w.rank_), "MPI_Comm_rank");
  check(MPI_Comm_size(dup, &w.size_), "MPI_Comm_size");
  w.comm_ = MPI_Comm_c2f(dup);
  w.mpi_ = true;
  attached_ = true;
#else
  throw invalid_argument(
      "kernel_options: a communicator was given but Starling was built without MPI "
      "(STARLING_ENABLE_MPI=OFF)");
#endif
}

attachment::~attachment() {
#if STARLING_HAVE_MPI
  if (!attached_) return;
  communicator& w = communicator::world();
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) {
    MPI_Comm dup = handle(w.comm_);
    MPI_Comm_free(&dup);
  }
  w.rank_ = rank_;
  w.size_ = size_;
  w.comm_ = comm_;
  w.mpi_ = mpi_;
#endif
}

communicator& communicator::world() {
  static communicator w;
  return w;
}

std::int64_t communicator::reduce(std::int64_t v, bool largest) const {
#if STARLING_HAVE_MPI
  if (size_ > 1) {
    std::int64_t out = v;
    check(MPI_Allreduce(&v, &out, 1, MPI_INT64_T, largest ? MPI_MAX : MPI_MIN, handle(comm_)),
          "MPI_Allreduce");
    return out;
  }
#endif
  (void)largest;
  return v;
}

std::int64_t communicator::min(std::int64_t v) const { return reduce(v, false); }
std::int64_t communicator::max(std::int64_t v) const { return reduce(v, true); }

void communicator::all_to_all(const std::vector<std::vector<std::uint64_t>>& send,
                              std::vector<std::vector<std::uint64_t>>& recv) const {
  recv.assign(static_cast<std::size_t>(size_), {});
  if (size_ == 1) {
    recv[0] = send.at(0);
    return;
  }
#if STARLING_HAVE_MPI
  const auto n = static_cast<std::size_t>(size_);
  std::vector<int> send_counts(n), recv_counts(n), send_displs(n), recv_displs(n);
  std::vector<std::uint64_t> flat;
  for (std::size_t p = 0; p < n; ++p) {
    send_displs[p] = static_cast<int>(flat.size());
    send_counts[p] = static_cast<int>(send.at(p).size());
    flat.insert(flat.end(), send[p].begin(), send[p].end());
  }
  check(MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, handle(comm_)),
        "MPI_Alltoall");
  int total = 0;
  for (std::size_t p = 0; p < n; ++p) {
    recv_displs[p] = total;
    total += recv_counts[p];
  }
  std::vector<std::uint64_t> in(static_cast<std::size_t>(total));
  check(MPI_Alltoallv(flat.data(), send_counts.data(), send_displs.data(), MPI_UINT64_T, in.data(),
                      recv_counts.data(), recv_displs.data(), MPI_UINT64_T, handle(comm_)),
        "MPI_Alltoallv");
  for (std::size_t p = 0; p < n; ++p)
    recv[p].assign(in.begin() + recv_displs[p], in.begin() + recv_displs[p] + recv_counts[p]);
#endif
}

std::map<int, std::vector<std::uint64_t>> communicator::neighbour_exchange(
    const std::map<int, std::vector<std::uint64_t>>& send, const std::set<int>& from) const {
  std::map<int, std::vector<std::uint64_t>> recv;
  if (size_ == 1) {
    for (const auto& [p, msg] : send) recv[p] = msg;
    return recv;
  }
#if STARLING_HAVE_MPI
  constexpr int tag = 7291;
  std::vector<MPI_Request> requests;
  requests.reserve(send.size());
  for (const auto& [p, msg] : send) {
    requests.emplace_back();
    check(MPI_Isend(msg.data(), static_cast<int>(msg.size()), MPI_UINT64_T, p, tag, handle(comm_),
                    &requests.back()),
          "MPI_Isend");
  }
  for (int p : from) {
    MPI_Status status;
    check(MPI_Probe(p, tag, handle(comm_), &status), "MPI_Probe");
    int count = 0;
    check(MPI_Get_count(&status, MPI_UINT64_T, &count), "MPI_Get_count");
    std::vector<std::uint64_t>& in = recv[p];
    in.resize(static_cast<std::size_t>(count));
    check(MPI_Recv(in.data(), count, MPI_UINT64_T, p, tag, handle(comm_), MPI_STATUS_IGNORE),
          "MPI_Recv");
  }
  check(MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE),
        "MPI_Waitall");
#endif
  return recv;
}

std::map<int, std::vector<std::uint64_t>> communicator::all_to_all_exchange(
    const std::map<int, std::vector<std::uint64_t>>& send) const {
  std::vector<std::vector<std::uint64_t>> out(static_cast<std::size_t>(size_)), in;
  for (const auto& [p, msg] : send) out.at(static_cast<std::size_t>(p)) = msg;
  all_to_all(out, in);
  std::map<int, std::vector<std::uint64_t>> recv;
  for (std::size_t p = 0; p < in.size(); ++p)
    if (!in[p].empty()) recv[static_cast<int>(p)] = std::move(in[p]);
  return recv;
}

std::vector<std::uint64_t> communicator::all_gather(const std::vector<std::uint64_t>& mine) const {
  std::vector<std::vector<std::uint64_t>> send(static_cast<std::size_t>(size_), mine), recv;
  all_to_all(send, recv);
  std::vector<std::uint64_t> out;
  for (const auto& r : recv) out.insert(out.end(), r.begin(), r.end());
  return out;
}

void communicator::abort(const std::string& what) const {
  std::fprintf(stderr, "%s\n", what.c_str());
  std::fflush(stderr);
#if STARLING_HAVE_MPI
  if (size_ > 1) MPI_Abort(handle(comm_), 1);
#endif
  std::exit(1);
}

}  // namespace starling::runtime

namespace starling::runtime {

#if STARLING_HAVE_MPI
namespace {
/// The MPI communicator of the run's processes (MPI_COMM_WORLD or the host's duplicate).
MPI_Comm world_comm() { return handle(communicator::world().native()); }
}  // namespace
#endif

neighbourhood::neighbourhood(const std::vector<int>& to, const std::vector<int>& to_weights,
                             const std::vector<int>& from, const std::vector<int>& from_weights) {
#if STARLING_HAVE_MPI
  MPI_Comm graph = MPI_COMM_NULL;
  check(MPI_Dist_graph_create_adjacent(world_comm(), static_cast<int>(from.size()), from.data(),
                                       from_weights.data(), static_cast<int>(to.size()), to.data(),
                                       to_weights.data(), MPI_INFO_NULL, 1, &graph),
        "MPI_Dist_graph_create_adjacent");
  graph_ = static_cast<std::int64_t>(MPI_Comm_c2f(graph));
  // The partners in the graph's order and numbering, translated back to world ranks.
  int indegree = 0, outdegree = 0, weighted = 0;
  check(MPI_Dist_graph_neighbors_count(graph, &indegree, &outdegree, &weighted),
        "MPI_Dist_graph_neighbors_count");
  std::vector<int> sources(static_cast<std::size_t>(indegree)),
      destinations(static_cast<std::size_t>(outdegree)), sw(sources.size()),
      dw(destinations.size());
  check(MPI_Dist_graph_neighbors(graph, indegree, sources.data(), sw.data(), outdegree,
                                 destinations.data(), dw.data()),
        "MPI_Dist_graph_neighbors");
  MPI_Group world_group, graph_group;
  check(MPI_Comm_group(world_comm(), &world_group), "MPI_Comm_group");
  check(MPI_Comm_group(graph, &graph_group), "MPI_Comm_group");
  in_.resize(sources.size());
  out_.resize(destinations.size());
  check(MPI_Group_translate_ranks(graph_group, indegree, sources.data(), world_group, in_.data()),
        "MPI_Group_translate_ranks");
  check(MPI_Group_translate_ranks(graph_group, outdegree, destinations.data(), world_group,
                                  out_.data()),
        "MPI_Group_translate_ranks");
  MPI_Group_free(&world_group);
  MPI_Group_free(&graph_group);
#else
  out_ = to;
  in_ = from;
  (void)to_weights;
  (void)from_weights;
#endif
}

neighbourhood::~neighbourhood() {
#if STARLING_HAVE_MPI
  MPI_Comm graph = MPI_Comm_f2c(static_cast<MPI_Fint>(graph_));
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized && graph != MPI_COMM_NULL) MPI_Comm_free(&graph);
#endif
}

std::map<int, std::vector<std::uint64_t>> neighbourhood::exchange(
    const std::map<int, std::vector<std::uint64_t>>& send) const {
  std::map<int, std::vector<std::uint64_t>> recv;
#if STARLING_HAVE_MPI
  MPI_Comm graph = MPI_Comm_f2c(static_cast<MPI_Fint>(graph_));
  std::vector<int> send_counts(out_.size()), send_displs(out_.size()), recv_counts(in_.size()),
      recv_displs(in_.size());
  std::vector<std::uint64_t> flat;
  for (std::size_t k = 0; k < out_.size(); ++k) {
    send_displs[k] = static_cast<int>(flat.size());
    const auto it = send.find(out_[k]);
    if (it != send.end()) flat.insert(flat.end(), it->second.begin(), it->second.end());
    send_counts[k] = static_cast<int>(flat.size()) - send_displs[k];
  }
  check(
      MPI_Neighbor_alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, graph),
      "MPI_Neighbor_alltoall");
  int total = 0;
  for (std::size_t k = 0; k < in_.size(); ++k) {
    recv_displs[k] = total;
    total += recv_counts[k];
  }
  std::vector<std::uint64_t> in(static_cast<std::size_t>(total));
  check(MPI_Neighbor_alltoallv(flat.data(), send_counts.data(), send_displs.data(), MPI_UINT64_T,
                               in.data(), recv_counts.data(), recv_displs.data(), MPI_UINT64_T,
                               graph),
        "MPI_Neighbor_alltoallv");
  for (std::size_t k = 0; k < in_.size(); ++k)
    recv[in_[k]].assign(in.begin() + recv_displs[k], in.begin() + recv_displs[k] + recv_counts[k]);
#else
  for (const auto& [p, msg] : send) recv[p] = msg;
#endif
  return recv;
}

}  // namespace starling::runtime

namespace starling::runtime {

#if STARLING_HAVE_MPI
namespace {

double seconds_since(double t0) { return MPI_Wtime() - t0; }

/// Messages as one array: (peer, length, words...) per message.
std::vector<std::uint64_t> pack(const std::map<int, std::vector<std::uint64_t>>& m) {
  std::vector<std::uint64_t> flat;
  for (const auto& [peer, msg] : m) {
    flat.push_back(static_cast<std::uint64_t>(peer));
    flat.push_back(msg.size());
    flat.insert(flat.end(), msg.begin(), msg.end());
  }
  return flat;
}

/// Gathers every rank's array to rank 0 of `c` (root gets them in rank order).
std::vector<std::vector<std::uint64_t>> gather(MPI_Comm c, const std::vector<std::uint64_t>& mine) {
  int size = 1, rank = 0;
  MPI_Comm_size(c, &size);
  MPI_Comm_rank(c, &rank);
  const int count = static_cast<int>(mine.size());
  std::vector<int> counts(static_cast<std::size_t>(size)), displs(counts.size());
  check(MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, c), "MPI_Gather");
  int total = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    displs[i] = total;
    total += counts[i];
  }
  std::vector<std::uint64_t> all(rank == 0 ? static_cast<std::size_t>(total) : 0);
  check(MPI_Gatherv(mine.data(), count, MPI_UINT64_T, all.data(), counts.data(), displs.data(),
                    MPI_UINT64_T, 0, c),
        "MPI_Gatherv");
  std::vector<std::vector<std::uint64_t>> out;
  if (rank == 0)
    for (std::size_t i = 0; i < counts.size(); ++i)
      out.emplace_back(all.begin() + displs[i], all.begin() + displs[i] + counts[i]);
  return out;
}

/// Rank 0 of `c` hands part[i] to rank i.
std::vector<std::uint64_t> scatter(MPI_Comm c,
                                   const std::vector<std::vector<std::uint64_t>>& part) {
  int size = 1, rank = 0;
  MPI_Comm_size(c, &size);
  MPI_Comm_rank(c, &rank);
  std::vector<int> counts(static_cast<std::size_t>(size)), displs(counts.size());
  std::vector<std::uint64_t> all;
  if (rank == 0)
    for (std::size_t i = 0; i < counts.size(); ++i) {
      displs[i] = static_cast<int>(all.size());
      counts[i] = static_cast<int>(part[i].size());
      all.insert(all.end(), part[i].begin(), part[i].end());
    }
  int count = 0;
  check(MPI_Scatter(counts.data(), 1, MPI_INT, &count, 1, MPI_INT, 0, c), "MPI_Scatter");
  std::vector<std::uint64_t> mine(static_cast<std::size_t>(count));
  check(MPI_Scatterv(all.data(), counts.data(), displs.data(), MPI_UINT64_T, mine.data(), count,
                     MPI_UINT64_T, 0, c),
        "MPI_Scatterv");
  return mine;
}

}  // namespace
#endif

hierarchy::hierarchy() {
#if STARLING_HAVE_MPI
  MPI_Comm world = world_comm();
  int rank = 0, size = 1;
  MPI_Comm_rank(world, &rank);
  MPI_Comm_size(world, &size);
  MPI_Comm node = MPI_COMM_NULL;
  const char* given = std::getenv("STARLING_NODE_SIZE");
  if (given && std::atoi(given) > 0)
    check(MPI_Comm_split(world, rank / std::atoi(given), rank, &node), "MPI_Comm_split");
  else
    check(MPI_Comm_split_type(world, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node),
          "MPI_Comm_split_type");
  int node_rank = 0;
  MPI_Comm_rank(node, &node_rank);
  leader_ = node_rank == 0;
  MPI_Comm leaders = MPI_COMM_NULL;
  check(MPI_Comm_split(world, leader_ ? 0 : MPI_UNDEFINED, rank, &leaders), "MPI_Comm_split");
  // Node numbers: the leaders' ranks among the leaders, broadcast within each node.
  int node_index = 0;
  if (leader_) MPI_Comm_rank(leaders, &node_index);
  check(MPI_Bcast(&node_index, 1, MPI_INT, 0, node), "MPI_Bcast");
  node_of_.resize(static_cast<std::size_t>(size));
  check(MPI_Allgather(&node_index, 1, MPI_INT, node_of_.data(), 1, MPI_INT, world),
        "MPI_Allgather");
  nodes_ = 1 + *std::max_element(node_of_.begin(), node_of_.end());
  int members = 1;
  MPI_Comm_size(node, &members);
  members_.resize(static_cast<std::size_t>(members));
  check(MPI_Allgather(&rank, 1, MPI_INT, members_.data(), 1, MPI_INT, node), "MPI_Allgather");
  node_ = static_cast<std::int64_t>(MPI_Comm_c2f(node));
  leaders_ = static_cast<std::int64_t>(MPI_Comm_c2f(leaders));
#endif
}

hierarchy::~hierarchy() {
#if STARLING_HAVE_MPI
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  MPI_Comm node = MPI_Comm_f2c(static_cast<MPI_Fint>(node_));
  MPI_Comm leaders = MPI_Comm_f2c(static_cast<MPI_Fint>(leaders_));
  if (node != MPI_COMM_NULL) MPI_Comm_free(&node);
  if (leaders != MPI_COMM_NULL) MPI_Comm_free(&leaders);
#endif
}

std::map<int, std::vector<std::uint64_t>> hierarchy::exchange(
    const std::map<int, std::vector<std::uint64_t>>& send, double& node_seconds,
    double& between_seconds) const {
  std::map<int, std::vector<std::uint64_t>> recv;
#if STARLING_HAVE_MPI
  MPI_Comm world = world_comm();
  MPI_Comm node = MPI_Comm_f2c(static_cast<MPI_Fint>(node_));
  int rank = 0;
  MPI_Comm_rank(world, &rank);
  // 1. To the leader: (destination, length, words) per message, with this rank in front.
  double t0 = MPI_Wtime();
  std::vector<std::uint64_t> mine{static_cast<std::uint64_t>(rank)};
  const std::vector<std::uint64_t> packed = pack(send);
  mine.insert(mine.end(), packed.begin(), packed.end());
  const auto from_members = gather(node, mine);
  node_seconds += seconds_since(t0);
  std::vector<std::vector<std::uint64_t>> to_members;
  if (leader_) {
    // 2. The leader sorts (source, destination, length, words) by destination node and
    // exchanges with the other leaders.
    t0 = MPI_Wtime();
    MPI_Comm leaders = MPI_Comm_f2c(static_cast<MPI_Fint>(leaders_));
    std::vector<std::vector<std::uint64_t>> by_node(static_cast<std::size_t>(nodes_));
    for (const auto& m : from_members) {
      const std::uint64_t source = m[0];
      for (std::size_t at = 1; at + 1 < m.size();) {
        const auto dest = static_cast<std::size_t>(m[at]);
        const std::size_t len = m[at + 1];
        auto& box = by_node[static_cast<std::size_t>(node_of_[dest])];
        box.push_back(source);
        box.insert(box.end(), m.begin() + static_cast<std::ptrdiff_t>(at),
                   m.begin() + static_cast<std::ptrdiff_t>(at + 2 + len));
        at += 2 + len;
      }
    }
    std::vector<int> sc(by_node.size()), sd(by_node.size()), rc(by_node.size()), rd(by_node.size());
    std::vector<std::uint64_t> flat;
    for (std::size_t k = 0; k < by_node.size(); ++k) {
      sd[k] = static_cast<int>(flat.size());
      sc[k] = static_cast<int>(by_node[k].size());
      flat.insert(flat.end(), by_node[k].begin(), by_node[k].end());
    }
    check(MPI_Alltoall(sc.data(), 1, MPI_INT, rc.data(), 1, MPI_INT, leaders), "MPI_Alltoall");
    int total = 0;
    for (std::size_t k = 0; k < rc.size(); ++k) {
      rd[k] = total;
      total += rc[k];
    }
    std::vector<std::uint64_t> in(static_cast<std::size_t>(total));
    check(MPI_Alltoallv(flat.data(), sc.data(), sd.data(), MPI_UINT64_T, in.data(), rc.data(),
                        rd.data(), MPI_UINT64_T, leaders),
          "MPI_Alltoallv");
    between_seconds += seconds_since(t0);
    // 3. To each member of this node: (source, length, words) of the messages for it.
    t0 = MPI_Wtime();
    const std::vector<int>& member_ranks = members_;
    to_members.resize(members_.size());
    for (std::size_t at = 0; at + 2 < in.size();) {
      const std::uint64_t source = in[at], dest = in[at + 1], len = in[at + 2];
      const auto slot = static_cast<std::size_t>(
          std::find(member_ranks.begin(), member_ranks.end(), static_cast<int>(dest)) -
          member_ranks.begin());
      auto& box = to_members.at(slot);
      box.push_back(source);
      box.push_back(len);
      box.insert(box.end(), in.begin() + static_cast<std::ptrdiff_t>(at + 3),
                 in.begin() + static_cast<std::ptrdiff_t>(at + 3 + len));
      at += 3 + len;
    }
    node_seconds += seconds_since(t0);
  }
  t0 = MPI_Wtime();
  const std::vector<std::uint64_t> for_me = scatter(node, to_members);
  for (std::size_t at = 0; at + 1 < for_me.size();) {
    const auto source = static_cast<int>(for_me[at]);
    const std::size_t len = for_me[at + 1];
    auto& msg = recv[source];
    msg.insert(msg.end(), for_me.begin() + static_cast<std::ptrdiff_t>(at + 2),
               for_me.begin() + static_cast<std::ptrdiff_t>(at + 2 + len));
    at += 2 + len;
  }
  node_seconds += seconds_since(t0);
#else
  (void)node_seconds;
  (void)between_seconds;
  for (const auto& [p, msg] : send) recv[p] = msg;
#endif
  return recv;
}

}  // namespace starling::runtime
