#pragma once
// Owns the StarPU runtime: start-up from options, shutdown in the destructor. One per process.
#include <cstddef>
#include <string>
#include <vector>

namespace starling::runtime {

struct engine_options {
  int cpu_workers = 1;   ///< StarPU CPU workers
  int cuda_workers = 0;  ///< StarPU CUDA workers (one per GPU)
  int cuda_device = 0;   ///< the GPU of a single CUDA worker
  std::string scheduler = "eager";
  /// Cores (hwloc logical indices) the calling thread is bound to before StarPU starts, so that
  /// its workers (which StarPU leaves unbound) run there too; empty: no binding.
  std::vector<int> bind_cores;
};

class engine {
 public:
  explicit engine(const engine_options& options);
  ~engine();
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  int cpu_workers() const;
  int cuda_workers() const;
  /// The cores (hwloc logical indices) each worker's thread may run on.
  std::vector<std::vector<int>> worker_cores() const;

  /// Waits for every submitted task, then rethrows the first codelet error, if any.
  void wait_all();
};

/// Where the running engine executes compute tasks (a StarPU worker-type mask): its CUDA
/// workers when it has some, else its CPU workers. A CPU worker beside a CUDA one serves only
/// the tasks that must run on the host (the MPI exchange).
unsigned compute_where();

/// The GPU a process drives: its rank among the processes of its node (from the MPI launcher's
/// environment) modulo the visible devices, as one MPI process per GPU wants.
int local_cuda_device();

/// Host memory the system can still give this process (Linux's MemAvailable), in bytes; 0 when
/// unknown.
std::size_t host_memory_available();

/// Copies of data between memory nodes (the host and GPUs) of the running engine since the last
/// call: the runtime's bus counters, which the call resets. A diagnostic of what moves where.
long long data_transfers();

/// Number of CUDA devices visible to this process (0 when built without CUDA).
int cuda_device_count();

/// Free and total memory of CUDA device `device`, in bytes; scratch held by the stream-ordered
/// pool counts as free.
void cuda_memory_info(int device, std::size_t& free_bytes, std::size_t& total_bytes);

/// Bytes in use on CUDA device `device` (total less free; 0 when built without CUDA).
inline double cuda_used_bytes(int device) {
  std::size_t free_bytes = 0, total = 0;
  cuda_memory_info(device, free_bytes, total);
  return static_cast<double>(total - free_bytes);
}

/// Construction's scratch: kept in the stream-ordered pool from one task to the next (called
/// by the tasks that allocate it), and handed back to the device once construction ends.
void cuda_keep_scratch(int device);
void cuda_release_scratch(int device);

/// Zeroed host memory that GPU kernels may read and write directly: page-locked and mapped into
/// every device's address space where a CUDA device is visible, plain memory otherwise. Freed
/// with host_free.
void* host_alloc(std::size_t bytes);
void host_free(void* p);

/// Name of CUDA device `device`, or "" without CUDA.
std::string cuda_device_name(int device);
/// PCI bus id of CUDA device `device` ("0000:17:00.0"), or "" without CUDA.
std::string cuda_pci_bus_id(int device);

}  // namespace starling::runtime
