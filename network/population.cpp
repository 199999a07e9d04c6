#include "population.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "codelets/common/quantity.hpp"
#include "starling/error.hpp"

namespace starling::network {

population_data::population_data(const model_spec& m, std::int64_t size, std::uint64_t gid,
                                 int owner, bool mine)
    : model(&m), n(size), gid_base(gid), rank(owner), local(mine) {
  if (!local) return;
  const auto un = static_cast<std::size_t>(n);
  params.resize(m.parameters.size() * un);
  for (std::size_t p = 0; p < m.parameters.size(); ++p)
    for (std::size_t i = 0; i < un; ++i) params[p * un + i] = m.parameters[p].default_value;
  state.resize(m.states.size() * un);
  for (std::size_t s = 0; s < m.states.size(); ++s)
    for (std::size_t i = 0; i < un; ++i) state[s * un + i] = m.states[s].default_value;
  coeff.resize(static_cast<std::size_t>(m.n_coeffs) * un);
  ring.resize(static_cast<std::size_t>(m.n_receptors) * un);
  spikes.assign(static_cast<std::size_t>(1 + 2 * n), 0);
  if (m.kind == model_kind::spike_generator) {
    spike_times.resize(un);
    offsets.assign(un + 1, 0);
  }
}

int population_data::ports() const {
  if (model->port_count < 0) return 0;
  if (!local) return std::numeric_limits<int>::max();
  const auto row = params.begin() + model->port_count * n;
  return n == 0 ? 0 : static_cast<int>(*std::min_element(row, row + n));
}

void population_data::derive(double h) {
  const auto un = static_cast<std::size_t>(n);
  const std::size_t np = model->parameters.size();
  const auto nc = static_cast<std::size_t>(model->n_coeffs);
  std::vector<double> p(np), c(nc);
  std::vector<double> out(coeff.size());
  for (std::size_t i = 0; i < un; ++i) {
    for (std::size_t k = 0; k < np; ++k) {
      p[k] = params[k * un + i];
      // NaN never; an infinity only where NEST's default is one (V_min = -inf).
      const auto& q = model->parameters[k];
      if (std::isnan(p[k]) || (std::isinf(p[k]) && p[k] != q.default_value))
        throw invalid_argument(std::string(model->name) + ": " + q.name + " = " +
                               codelets::number(p[k]) + (q.unit[0] ? " " : "") + q.unit +
                               "; expected a finite value");
    }
    model->derive(p.data(), h, c.data());
    for (std::size_t k = 0; k < nc; ++k) out[k * un + i] = c[k];
  }
  // In place: the coefficients may be registered with the runtime.
  std::copy(out.begin(), out.end(), coeff.begin());
}

void population_data::build_stamps(double h, std::int64_t now) {
  if (model->kind != model_kind::spike_generator) return;
  std::vector<std::int64_t> st;
  std::vector<std::int64_t> off{0};
  for (const auto& times : spike_times) {
    std::int64_t last = 0;
    for (double t : times) {
      const double steps = t / h;
      const double rounded = std::nearbyint(steps);
      if (!std::isfinite(t) || std::fabs(steps - rounded) > 1e-9 * std::max(1.0, std::fabs(steps)))
        throw invalid_argument("spike_generator: spike time " + codelets::number(t) +
                               " ms is not a multiple of the resolution " + codelets::number(h) +
                               " ms");
      const auto s = static_cast<std::int64_t>(rounded);
      if (s <= now)
        throw invalid_argument("spike_generator: spike time " + codelets::number(t) +
                               " ms is not after the current time " + codelets::number(now * h) +
                               " ms");
      if (s < last)
        throw invalid_argument("spike_generator: spike times must be sorted; " +
                               codelets::number(t) + " ms follows a later time");
      last = s;
      st.push_back(s);
    }
    off.push_back(static_cast<std::int64_t>(st.size()));
  }
  stamps.swap(st);
  offsets.swap(off);
  const auto un = static_cast<std::size_t>(n);
  for (std::size_t i = 0; i < un; ++i) state[i] = static_cast<double>(offsets[i]);
}

void population_data::resize_ring(std::int64_t slots, std::int64_t now) {
  if (slots == ring_slots) return;
  const std::int64_t width = model->n_receptors * n;
  decltype(ring) r(static_cast<std::size_t>(slots * width));  // zero
  for (std::int64_t t = now + 1; t < now + ring_slots; ++t) {
    const std::int64_t from = (t % ring_slots) * width;
    const std::int64_t to = (t % slots) * width;
    for (std::int64_t k = 0; k < width; ++k)
      r[static_cast<std::size_t>(to + k)] = ring[static_cast<std::size_t>(from + k)];
  }
  ring.swap(r);
  ring_slots = slots;
}

void population_data::register_buffers() {
  b_state = runtime::buffer(state.data(), state.size(), sizeof(double));
  b_coeff = runtime::buffer(coeff.data(), coeff.size(), sizeof(double));
  if (model->is_neuron()) b_ring = runtime::buffer(ring.data(), ring.size(), sizeof(std::int64_t));
  b_spikes = runtime::buffer(spikes.data(), spikes.size(), sizeof(std::uint32_t));
  if (model->kind == model_kind::spike_generator) {
    b_stamps = runtime::buffer(stamps.data(), stamps.size(), sizeof(std::int64_t));
    b_offsets = runtime::buffer(offsets.data(), offsets.size(), sizeof(std::int64_t));
  }
}

void population_data::unregister_buffers() {
  for (runtime::buffer* b : {&b_state, &b_coeff, &b_ring, &b_spikes, &b_stamps, &b_offsets})
    b->reset();
}

std::size_t population_data::device_bytes() const {
  return (state.size() + coeff.size()) * sizeof(double) + ring.size() * sizeof(std::int64_t) +
         spikes.size() * sizeof(std::uint32_t) +
         (stamps.size() + offsets.size()) * sizeof(std::int64_t);
}

}  // namespace starling::network
