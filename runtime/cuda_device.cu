// CUDA device queries for the runtime (compiled only with CUDA).
#include <cuda_runtime.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "cuda_check.cuh"
#include "engine.hpp"

namespace starling::runtime {

int cuda_device_count() {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    cudaGetLastError();
    return 0;
  }
  return n;
}

void cuda_memory_info(int device, std::size_t& free_bytes, std::size_t& total_bytes) {
  int previous = 0;
  STARLING_CHECK_CUDA(cudaGetDevice(&previous));
  STARLING_CHECK_CUDA(cudaSetDevice(device));
  STARLING_CHECK_CUDA(cudaMemGetInfo(&free_bytes, &total_bytes));
  // Scratch that construction returned to the stream-ordered pool is free for what follows.
  cudaMemPool_t pool = nullptr;
  STARLING_CHECK_CUDA(cudaDeviceGetDefaultMemPool(&pool, device));
  std::uint64_t reserved = 0, used = 0;
  STARLING_CHECK_CUDA(cudaMemPoolGetAttribute(pool, cudaMemPoolAttrReservedMemCurrent, &reserved));
  STARLING_CHECK_CUDA(cudaMemPoolGetAttribute(pool, cudaMemPoolAttrUsedMemCurrent, &used));
  free_bytes += static_cast<std::size_t>(reserved - used);
  STARLING_CHECK_CUDA(cudaSetDevice(previous));
}

void cuda_keep_scratch(int device) {
  cudaMemPool_t pool = nullptr;
  STARLING_CHECK_CUDA(cudaDeviceGetDefaultMemPool(&pool, device));
  std::uint64_t keep = ~0ull;
  STARLING_CHECK_CUDA(cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &keep));
}

void cuda_release_scratch(int device) {
  int previous = 0;
  STARLING_CHECK_CUDA(cudaGetDevice(&previous));
  STARLING_CHECK_CUDA(cudaSetDevice(device));
  STARLING_CHECK_CUDA(cudaDeviceSynchronize());
  cudaMemPool_t pool = nullptr;
  STARLING_CHECK_CUDA(cudaDeviceGetDefaultMemPool(&pool, device));
  std::uint64_t keep = 0;
  STARLING_CHECK_CUDA(cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &keep));
  STARLING_CHECK_CUDA(cudaMemPoolTrimTo(pool, 0));
  STARLING_CHECK_CUDA(cudaSetDevice(previous));
}

void* host_alloc(std::size_t bytes) {
  bytes = bytes == 0 ? 1 : bytes;
  void* p = nullptr;
  if (cuda_device_count() > 0) {
    STARLING_CHECK_CUDA(cudaHostAlloc(&p, bytes, cudaHostAllocMapped | cudaHostAllocPortable));
    std::memset(p, 0, bytes);
    return p;
  }
  p = std::calloc(1, bytes);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void host_free(void* p) {
  if (p == nullptr) return;
  cudaPointerAttributes attr{};
  if (cudaPointerGetAttributes(&attr, p) == cudaSuccess && attr.type == cudaMemoryTypeHost)
    cudaFreeHost(p);
  else
    std::free(p);
}

std::string cuda_device_name(int device) {
  cudaDeviceProp prop{};
  STARLING_CHECK_CUDA(cudaGetDeviceProperties(&prop, device));
  return prop.name;
}

std::string cuda_pci_bus_id(int device) {
  char id[32] = {};
  STARLING_CHECK_CUDA(cudaDeviceGetPCIBusId(id, sizeof id, device));
  return id;
}

}  // namespace starling::runtime
