#include "buffer.hpp"

#include <starpu.h>

#include <cstdint>
#include <utility>

#include "check.hpp"

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

buffer::~buffer() { reset(); }

buffer::buffer(buffer&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), bytes_(other.bytes_) {}

buffer& buffer::operator=(buffer&& other) noexcept {
  if (this != &other) {
    reset();
    handle_ = std::exchange(other.handle_, nullptr);
    bytes_ = other.bytes_;
  }
  return *this;
}

void buffer::reset() {
  if (handle_ != nullptr) {
    starpu_data_unregister(handle_);
    handle_ = nullptr;
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

host_wait::host_wait(const buffer& b) : handle_(b.native()) {
  // Acquired on no memory node: an ordering point only; reading on the main memory node would
  // copy a GPU's valid copy back, a request the runtime serves with milliseconds of latency.
  if (handle_ != nullptr)
    STARLING_CHECK_STARPU(starpu_data_acquire_on_node(handle_, STARPU_ACQUIRE_NO_NODE, STARPU_R));
}

host_wait::~host_wait() {
  if (handle_ != nullptr) starpu_data_release_on_node(handle_, STARPU_ACQUIRE_NO_NODE);
}

}  // namespace starling::runtime
