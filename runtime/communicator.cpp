#include "communicator.hpp"

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
  }
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
    check(MPI_Allreduce(&v, &out, 1, MPI_INT64_T, largest ? MPI_MAX : MPI_MIN, MPI_COMM_WORLD),
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
  check(
      MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, MPI_COMM_WORLD),
      "MPI_Alltoall");
  int total = 0;
  for (std::size_t p = 0; p < n; ++p) {
    recv_displs[p] = total;
    total += recv_counts[p];
  }
  std::vector<std::uint64_t> in(static_cast<std::size_t>(total));
  check(MPI_Alltoallv(flat.data(), send_counts.data(), send_displs.data(), MPI_UINT64_T, in.data(),
                      recv_counts.data(), recv_displs.data(), MPI_UINT64_T, MPI_COMM_WORLD),
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
    check(MPI_Isend(msg.data(), static_cast<int>(msg.size()), MPI_UINT64_T, p, tag, MPI_COMM_WORLD,
                    &requests.back()),
          "MPI_Isend");
  }
  for (int p : from) {
    MPI_Status status;
    check(MPI_Probe(p, tag, MPI_COMM_WORLD, &status), "MPI_Probe");
    int count = 0;
    check(MPI_Get_count(&status, MPI_UINT64_T, &count), "MPI_Get_count");
    std::vector<std::uint64_t>& in = recv[p];
    in.resize(static_cast<std::size_t>(count));
    check(MPI_Recv(in.data(), count, MPI_UINT64_T, p, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
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
  if (size_ > 1) MPI_Abort(MPI_COMM_WORLD, 1);
#endif
  std::exit(1);
}

}  // namespace starling::runtime

namespace starling::runtime {

#if STARLING_HAVE_MPI
namespace {
/// The world's MPI communicator.
MPI_Comm world_comm() { return MPI_COMM_WORLD; }
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
