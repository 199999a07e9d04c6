// CUDA device queries when Starling is built without CUDA: there is no device.
#include <cstdlib>
#include <new>
#include "engine.hpp"
#include "starling/error.hpp"

namespace starling::runtime {

int cuda_device_count() { return 0; }

void cuda_memory_info(int, std::size_t& free_bytes, std::size_t& total_bytes) {
  free_bytes = 0;
  total_bytes = 0;
}

std::string cuda_device_name(int) { return ""; }
std::string cuda_pci_bus_id(int) { return ""; }

void cuda_keep_scratch(int) {}
void cuda_release_scratch(int) {}

void* host_alloc(std::size_t bytes) {
  void* p = std::calloc(1, bytes == 0 ? 1 : bytes);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void host_free(void* p) { std::free(p); }

}  // namespace starling::runtime
