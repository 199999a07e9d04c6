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
