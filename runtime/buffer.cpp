#include "buffer.hpp"

#include <starpu.h>

#include <cstdint>
#include <utility>

#include "check.hpp"
#include "engine.hpp"

namespace starling::runtime {

buffer::buffer(void* host, std::size_t count, std::size_t elem_size) : bytes_(count * elem_size) {
  if (count == 0 || host == nullptr) {
    // StarPU rejects zero-sized vectors; an unallocated one-element vector keeps the handle valid.
    starpu_vector_data_register(&handle_, -1, 0, 1, elem_size);
    return;
  }
  starpu_vector_data_register(&handle_, STARPU_MAIN_RAM, reinterpret_cast<std::uintptr_t>(host),
                              static_cast<uint32_t>(count), elem_size);
}

buffer::buffer(std::size_t count, std::size_t elem_size) : bytes_(count * elem_size) {
  starpu_vector_data_register(&handle_, -1, 0, static_cast<uint32_t>(count == 0 ? 1 : count),
                              elem_size);
}

buffer buffer::on_compute_device(std::size_t count, std::size_t elem_size) {
  const int worker = starpu_worker_get_by_type(STARPU_CUDA_WORKER, 0);
  if (count == 0 || compute_where() != STARPU_CUDA || worker < 0) return buffer(count, elem_size);
  buffer b;
  b.bytes_ = count * elem_size;
  b.device_ = starpu_worker_get_devid(worker);
  b.device_memory_ = cuda_alloc(b.device_, b.bytes_);
  starpu_vector_data_register(&b.handle_, static_cast<int>(starpu_worker_get_memory_node(worker)),
                              reinterpret_cast<std::uintptr_t>(b.device_memory_),
                              static_cast<uint32_t>(count), elem_size);
  return b;
}

buffer::~buffer() { reset(); }

buffer::buffer(buffer&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)),
      bytes_(other.bytes_),
      device_memory_(std::exchange(other.device_memory_, nullptr)),
      device_(other.device_) {}

buffer& buffer::operator=(buffer&& other) noexcept {
  if (this != &other) {
    reset();
    handle_ = std::exchange(other.handle_, nullptr);
    bytes_ = other.bytes_;
    device_memory_ = std::exchange(other.device_memory_, nullptr);
    device_ = other.device_;
  }
  return *this;
}

void buffer::reset() {
  if (handle_ != nullptr) {
    starpu_data_unregister(handle_);
    handle_ = nullptr;
  }
  if (device_memory_ != nullptr) {
    cuda_free(device_, device_memory_);
    device_memory_ = nullptr;
  }
}

namespace {
starpu_data_access_mode mode_of(access mode) {
  switch (mode) {
    case access::read:
      return STARPU_R;
    case access::write:
      return STARPU_W;
    case access::read_write:
      break;
  }
  return STARPU_RW;
}
}  // namespace

host_access::host_access(const buffer& b, access mode) : handle_(b.native()) {
  if (handle_ != nullptr) STARLING_CHECK_STARPU(starpu_data_acquire(handle_, mode_of(mode)));
}

void* host_access::data() const {
  return handle_ == nullptr ? nullptr : starpu_data_get_local_ptr(handle_);
}

host_access::~host_access() {
  if (handle_ != nullptr) starpu_data_release(handle_);
}

}  // namespace starling::runtime
