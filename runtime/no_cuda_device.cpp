// CUDA device queries when Starling is built without CUDA: there is no device.
#include "engine.hpp"
#include "starling/error.hpp"

namespace starling::runtime {

int cuda_device_count() { return 0; }

void cuda_memory_info(int, std::size_t& free_bytes, std::size_t& total_bytes) {
  free_bytes = 0;
  total_bytes = 0;
}

std::string cuda_device_name(int) { return ""; }

}  // namespace starling::runtime
