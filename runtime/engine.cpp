#include "engine.hpp"

#include <starpu.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "check.hpp"
#include "codelet_errors.hpp"
#include "starling/config.hpp"
#include "task_times.hpp"
#include "topology.hpp"

namespace starling::runtime {

namespace {
std::atomic<bool> alive{false};
std::atomic<unsigned> where{STARPU_CPU};
}  // namespace

unsigned compute_where() { return where.load(); }

engine::engine(const engine_options& options) {
  if (alive.exchange(true))
    throw invalid_argument(
        "runtime: a simulator already exists in this process; expected one at a time");
  if (options.cpu_workers < 0 || options.cuda_workers < 0 ||
      options.cpu_workers + options.cuda_workers == 0) {
    alive = false;
    throw invalid_argument("runtime: worker counts cpu=" + std::to_string(options.cpu_workers) +
                           " cuda=" + std::to_string(options.cuda_workers) +
                           "; expected at least one worker");
  }
  // StarPU prints banners and writes calibration files unless told otherwise.
  setenv("STARPU_SILENT", "1", 0);
  // StarPU does not bind its threads: they inherit the cores of the thread that starts it
  // (bound below when cores are given). StarPU's own per-worker binding put a CPU worker and
  // the CUDA worker of a process on one core (measured on the GPU machine: the Brunel ring on 2
  // processes ran at RTF 5.4 against 1.06 with the workers inheriting the process's cores).
  setenv("STARPU_WORKERS_NOBIND", "1", 0);
  // The synapse tables and neuron states live on the GPU only. By default StarPU keeps 5-10%
  // of a GPU's buffers "clean" by copying them back to newly pinned host memory in the
  // background: gigabytes of host copies nobody reads, made by the CUDA worker while the next
  // tasks wait (most of the construction time of a large network). A buffer the host asks for
  // is still copied on demand.
  setenv("STARPU_MINIMUM_CLEAN_BUFFERS", "0", 0);
  setenv("STARPU_TARGET_CLEAN_BUFFERS", "0", 0);
  struct starpu_conf conf;
  starpu_conf_init(&conf);
  conf.ncpus = options.cpu_workers;
  conf.ncuda = options.cuda_workers;
  if (options.cuda_workers == 1 && options.cuda_device != 0) {
    conf.use_explicit_workers_cuda_gpuid = 1;
    conf.workers_cuda_gpuid[0] = static_cast<unsigned>(options.cuda_device);
  }
  conf.nopencl = 0;
  if (!options.bind_cores.empty()) {
    try {
      topology::bind_thread(options.bind_cores);
    } catch (...) {
      alive = false;
      throw;
    }
  }
  conf.sched_policy_name = options.scheduler.c_str();
  conf.calibrate = 0;
  conf.bus_calibrate = 0;
  const int rc = starpu_init(&conf);
  if (rc != 0) {
    alive = false;
    if (rc == -ENODEV)
      throw runtime_error(
          "runtime: StarPU found no worker for cpu=" + std::to_string(options.cpu_workers) +
          " cuda=" + std::to_string(options.cuda_workers));
    fail("starpu_init", rc, __FILE__, __LINE__);
  }
  start_task_times();
  where = options.cuda_workers > 0 ? STARPU_CUDA : STARPU_CPU;
  if (options.cuda_workers > 0 && starpu_cuda_worker_get_count() == 0) {
    starpu_shutdown();
    alive = false;
    throw runtime_error(
        "runtime: the cuda back end was requested but StarPU started no CUDA worker");
  }
}

std::vector<std::vector<int>> engine::worker_cores() const {
  std::vector<std::vector<int>> cores(starpu_worker_get_count());
  // Each worker reads its own thread's binding.
  starpu_execute_on_each_worker(
      [](void* arg) {
        auto& all = *static_cast<std::vector<std::vector<int>>*>(arg);
        all.at(static_cast<std::size_t>(starpu_worker_get_id())) = topology::thread_binding();
      },
      &cores, STARPU_CPU | STARPU_CUDA);
  return cores;
}

int local_cuda_device() {
  const int devices = cuda_device_count();
  if (devices <= 1) return 0;
  int local_rank = 0, local_size = 1;
  topology::launcher_local_rank(local_rank, local_size);
  return local_rank % devices;
}

engine::~engine() {
  starpu_task_wait_for_all();
  starpu_shutdown();
  alive = false;
}

int engine::cpu_workers() const { return static_cast<int>(starpu_cpu_worker_get_count()); }
int engine::cuda_workers() const { return static_cast<int>(starpu_cuda_worker_get_count()); }

void engine::wait_all() {
  STARLING_CHECK_STARPU(starpu_task_wait_for_all());
  errors().rethrow();
}

long long data_transfers() {
  long long n = 0;
  for (int bus = 0; bus < starpu_bus_get_count(); ++bus) {
    starpu_profiling_bus_info info{};
    STARLING_CHECK_STARPU(starpu_bus_get_profiling_info(bus, &info));
    n += info.transfer_count;
  }
  return n;
}

std::size_t host_memory_available() {
  std::FILE* f = std::fopen("/proc/meminfo", "r");
  if (f == nullptr) return 0;
  char line[256];
  unsigned long long kib = 0;
  while (std::fgets(line, sizeof line, f) != nullptr)
    if (std::sscanf(line, "MemAvailable: %llu kB", &kib) == 1) break;
  std::fclose(f);
  return static_cast<std::size_t>(kib) * 1024;
}

}  // namespace starling::runtime
