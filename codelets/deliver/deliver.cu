#include <algorithm>

#include "codelets/common/philox.hpp"
#include "codelets/common/population_io.hpp"
#include "deliver.hpp"
#include "runtime/cuda_check.cuh"

namespace starling::codelets::deliver {

namespace {

struct tables {
  const std::int64_t* rows;
  const std::uint32_t* synapses;
  const float* weights;
  std::int64_t* ring;
  const double* coeff;
};

// Columns of blocks take the step's listed sources in turn (the count is read on the device);
// the row_blocks blocks of a column share out that source's synapses.
__global__ void deliver_kernel(args a, spike_list spikes, tables t, std::int64_t step) {
  const std::uint32_t count = *spikes.count;
  for (std::uint32_t j = blockIdx.x; j < count; j += gridDim.x) {
    const std::uint32_t g = spikes.ids[j];
    double c[max_source_coeffs] = {};
    poisson_generator::cdf_table table{};
    if (t.coeff != nullptr) source_coeffs(t.coeff, a.n_src, g, c, a.kind);
    if (a.kind == source_kind::poisson) table = poisson_generator::table_of(t.coeff, a.n_src, g);
    const std::uint64_t key = philox_key(a.seed, a.gid_base + g);
    for (std::int64_t k =
             t.rows[g] + blockIdx.y * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
         k < t.rows[g + 1]; k += static_cast<std::int64_t>(gridDim.y) * blockDim.x) {
      const std::uint32_t packed = t.synapses[k];
      const float w = t.weights[k];
      const std::uint32_t target = synapse_target(packed, a.target_bits);
      for (int part = 0; part < event_parts(a.kind); ++part) {
        const std::int64_t v =
            event_value(a.kind, a.channel.value(w), spikes.mult[j], c, key,
                        poisson_stream(a.call, a.tgt_gid_base + target), step, table, part);
        if (v == 0) continue;
        atomicAdd(reinterpret_cast<unsigned long long*>(&t.ring[ring_index(
                      step, synapse_delay(packed, a.target_bits), a.ring_slots, a.receptors,
                      a.n_tgt, event_channel(a.channel, w, part), target)]),
                  static_cast<unsigned long long>(v));
      }
    }
  }
}

}  // namespace

void step_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream) {
  if (a.n_src == 0) return;
  const spike_list spikes =
      make_spike_list(buffer_ptr<std::uint32_t>(ptrs, a.io, b_spikes), a.n_src);
  const tables t{
      buffer_ptr<const std::int64_t>(ptrs, a.io, b_rows),
      buffer_ptr<const std::uint32_t>(ptrs, a.io, b_synapses),
      buffer_ptr<const float>(ptrs, a.io, b_weights), buffer_ptr<std::int64_t>(ptrs, a.io, b_ring),
      a.kind == source_kind::spike ? nullptr : buffer_ptr<const double>(ptrs, a.io, b_src_coeff)};
  const dim3 blocks(static_cast<unsigned>(std::min<std::int64_t>(a.n_src, 1024)),
                    static_cast<unsigned>(a.row_blocks));
  deliver_kernel<<<blocks, 128, 0, static_cast<cudaStream_t>(stream)>>>(a, spikes, t, ctx.step);
  STARLING_CHECK_CUDA(cudaGetLastError());
}

}  // namespace starling::codelets::deliver
