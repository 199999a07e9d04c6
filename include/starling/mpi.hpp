#pragma once
/// Running Starling on the host's MPI communicator. The only public header that includes mpi.h;
/// the others compile without MPI.
#include <mpi.h>

#include "starling/types.hpp"

namespace starling {

/// The communicator `comm` for kernel_options::communicator. Every process of `comm` constructs
/// its simulator at the same time (Starling duplicates `comm`, a collective call), and the host
/// keeps MPI initialised (with at least MPI_THREAD_SERIALIZED) until the simulators are gone:
/// Starling neither initialises nor finalises MPI it did not start.
inline host_communicator mpi_communicator(MPI_Comm comm) {
  host_communicator c;
  c.given = true;
  c.handle = static_cast<std::int64_t>(MPI_Comm_c2f(comm));
  return c;
}

}  // namespace starling
