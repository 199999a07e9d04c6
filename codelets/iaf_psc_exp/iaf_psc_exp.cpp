#include "iaf_psc_exp.hpp"

#include "codelets/common/fixed_point.hpp"
#include "codelets/common/op_task.hpp"
#include "codelets/common/population_io.hpp"
#include "iaf_psc_exp_math.hpp"

namespace starling::codelets::iaf_psc_exp {

void step_cpu(const args& a, void* const* ptrs, const step_context& ctx) {
  const std::int64_t n = a.n;
  double* state = buffer_ptr<double>(ptrs, a.io, buf_state);
  const double* coeff = buffer_ptr<const double>(ptrs, a.io, buf_coeff);
  std::int64_t* slot =
      buffer_ptr<std::int64_t>(ptrs, a.io, buf_ring) + (ctx.step % a.ring_slots) * n_receptors * n;
  const spike_list spikes = make_spike_list(buffer_ptr<std::uint32_t>(ptrs, a.io, buf_spikes), n);
  std::uint32_t count = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    double s[n_states];
    double c[n_coeffs];
    for (int k = 0; k < n_states; ++k) s[k] = state[k * n + i];
    for (int k = 0; k < n_coeffs; ++k) c[k] = coeff[k * n + i];
    const bool spiked =
        update(s, c, from_fixed(slot[rec_ex * n + i]), from_fixed(slot[rec_in * n + i]),
               from_fixed(slot[rec_current * n + i]));
    for (int r = 0; r < n_receptors; ++r) slot[r * n + i] = 0;
    for (int k = 0; k < n_states; ++k) state[k * n + i] = s[k];
    if (spiked) {
      spikes.ids[count] = static_cast<std::uint32_t>(i);
      spikes.mult[count] = 1;
      ++count;
    }
  }
  *spikes.count = count;
}

#if !STARLING_HAVE_CUDA
void step_cuda(const args&, void* const*, const step_context&, void*) {}
#endif

void insert(const args& a, const std::vector<runtime::handle>& handles, const step_context& ctx) {
  op_codelet<args, &step_cpu, &step_cuda>::insert("iaf_psc_exp", a, handles, ctx);
}

}  // namespace starling::codelets::iaf_psc_exp
