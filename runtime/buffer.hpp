#pragma once
// A host array registered with StarPU as a vector handle. While registered, the runtime may keep
// the valid copy on a GPU; host code reads or writes it only inside a host_access scope.
#include <cstddef>
#include <utility>

struct _starpu_data_state;

namespace starling::runtime {

using handle = _starpu_data_state*;

enum class access { read, write, read_write };

class buffer {
 public:
  buffer() = default;
  /// Registers `count` elements of `elem_size` bytes at `host` (which must outlive the buffer).
  buffer(void* host, std::size_t count, std::size_t elem_size);
  /// Registers `count` elements with no host copy: the first task that writes it allocates it
  /// where it runs; host memory is allocated only if the host asks for the data.
  buffer(std::size_t count, std::size_t elem_size);
  ~buffer();
  buffer(buffer&& other) noexcept;
  buffer& operator=(buffer&& other) noexcept;
  buffer(const buffer&) = delete;
  buffer& operator=(const buffer&) = delete;

  handle native() const { return handle_; }
  bool registered() const { return handle_ != nullptr; }
  std::size_t bytes() const { return bytes_; }
  /// Unregisters now; the valid data is back at the host address.
  void reset();

 private:
  handle handle_ = nullptr;
  std::size_t bytes_ = 0;
};

/// Makes a buffer's host copy valid (and, for writes, the only valid copy) for the scope's life.
class host_access {
 public:
  host_access(const buffer& b, access mode);
  ~host_access();
  /// The host copy, valid for the scope's life.
  void* data() const;
  host_access(const host_access&) = delete;
  host_access& operator=(const host_access&) = delete;

 private:
  handle handle_;
};

/// Waits until the tasks submitted so far that write a buffer have finished, and holds off those
/// submitted later that write it, for the scope's life, moving no data: for host code that reads
/// what those tasks published in host memory of its own (host_block), not the buffer, whose
/// valid copy may stay on a GPU.
class host_wait {
 public:
  explicit host_wait(const buffer& b);
  ~host_wait();
  host_wait(const host_wait&) = delete;
  host_wait& operator=(const host_wait&) = delete;

 private:
  handle handle_;
};

void* host_alloc(std::size_t bytes);
void host_free(void* p);

/// An array in host memory that GPU kernels write directly (runtime::host_alloc), outside the
/// task runtime's data management: tasks order their access through a handle they share.
template <typename T>
class host_block {
 public:
  host_block() = default;
  explicit host_block(std::size_t n) : data_(static_cast<T*>(host_alloc(n * sizeof(T)))), n_(n) {}
  ~host_block() { host_free(data_); }
  host_block(host_block&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), n_(std::exchange(o.n_, 0)) {}
  host_block& operator=(host_block&& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(n_, o.n_);
    return *this;
  }
  host_block(const host_block&) = delete;
  host_block& operator=(const host_block&) = delete;

  T* data() const { return data_; }
  std::size_t size() const { return n_; }

 private:
  T* data_ = nullptr;
  std::size_t n_ = 0;
};

}  // namespace starling::runtime
