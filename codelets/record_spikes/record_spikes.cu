#include <algorithm>

#include "codelets/common/population_io.hpp"
#include "record_spikes.hpp"
#include "record_spikes_math.hpp"
#include "runtime/cuda_check.cuh"

namespace starling::codelets::record_spikes {

namespace {

__global__ void record_kernel(spike_list spikes, unsigned long long* recorded,
                              std::uint64_t* entries, std::int64_t capacity, std::int64_t step,
                              std::int64_t first) {
  const std::uint32_t count = *spikes.count;
  for (std::uint32_t j = blockIdx.x * blockDim.x + threadIdx.x; j < count;
       j += gridDim.x * blockDim.x) {
    const std::uint32_t mult = spikes.mult[j];
    const unsigned long long at = atomicAdd(recorded, static_cast<unsigned long long>(mult));
    put_entries(entries, capacity, at, mult, entry(step, first, spikes.ids[j]));
  }
}

constexpr int max_publications = 32;

struct publication_batch {
  int n;
  publication at[max_publications];
};

// Written straight into host memory (mapped): the host reads it once the stream's work is done.
__global__ void publish_kernel(publication_batch b) {
  const int q = static_cast<int>(threadIdx.x);
  if (q < b.n) *b.at[q].to = *b.at[q].count;
}

}  // namespace

void publish_cuda(const publication* list, int n, void* stream) {
  for (int done = 0; done < n; done += max_publications) {
    publication_batch b{};
    b.n = std::min(n - done, max_publications);
    std::copy(list + done, list + done + b.n, b.at);
    publish_kernel<<<1, max_publications, 0, static_cast<cudaStream_t>(stream)>>>(b);
    STARLING_CHECK_CUDA(cudaGetLastError());
  }
}

void step_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream) {
  const spike_list spikes = make_spike_list(buffer_ptr<std::uint32_t>(ptrs, a.io, 0), a.n);
  auto* count = buffer_ptr<unsigned long long>(ptrs, a.io, 1);
  auto s = static_cast<cudaStream_t>(stream);
  if (ctx.step == ctx.first + 1) STARLING_CHECK_CUDA(cudaMemsetAsync(count, 0, sizeof(*count), s));
  record_kernel<<<32, 128, 0, s>>>(spikes, count, a.entries_of(ctx.side), a.capacity, ctx.step,
                                   ctx.first);
  STARLING_CHECK_CUDA(cudaGetLastError());
}

}  // namespace starling::codelets::record_spikes
