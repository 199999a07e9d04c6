#include "population.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "codelets/common/quantity.hpp"
#include "codelets/plasticity/stdp_math.hpp"
#include "codelets/spike_generator/spike_generator_math.hpp"
#include "codelets/step_current_generator/step_current_generator_math.hpp"
#include "starling/error.hpp"

namespace starling::network {

population_data::population_data(const model_spec& m, std::int64_t size, std::uint64_t gid,
                                 int owner, bool mine, bool hold)
    : model(&m), n(size), gid_base(gid), rank(owner), local(mine), held(mine || hold) {
  if (!held) return;
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
  if (has_times()) {
    lists.assign(m.lists.size(), std::vector<std::vector<double>>(un));
    offsets.assign(un + 1, 0);
  }
}

int population_data::ports() const {
  if (model->port_count < 0) return 0;
  if (!held) return std::numeric_limits<int>::max();
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
        codelets::models::bad_parameter(model->name, q, p[k], "a finite value");
    }
    if (const int k = model->parameter_index("tau_minus"); k >= 0 && !(p[k] > 0.0))
      codelets::models::bad_parameter(model->name, model->parameters[k], p[k], "> 0");
    model->derive(p.data(), h, c.data());
    for (std::size_t k = 0; k < nc; ++k) out[k * un + i] = c[k];
  }
  // In place: the coefficients may be registered with the runtime.
  std::copy(out.begin(), out.end(), coeff.begin());
}

namespace {

namespace cl = codelets;

/// A time in ms as whole steps, or an error naming it.
std::int64_t grid_steps(const char* model, const char* what, double t, double h) {
  const double steps = t / h;
  const double rounded = std::nearbyint(steps);
  if (!std::isfinite(t) || std::fabs(steps - rounded) > 1e-9 * std::max(1.0, std::fabs(steps)))
    throw invalid_argument(std::string(model) + ": " + what + " " + cl::number(t) +
                           " ms is not a multiple of the resolution " + cl::number(h) + " ms");
  return static_cast<std::int64_t>(rounded);
}

/// "3 spike_weights for 2 spike_times" when a list does not match the times.
void check_same_size(const char* model, const char* list, std::size_t n, const char* times,
                     std::size_t n_times, const char* or_none) {
  if (n != n_times)
    throw invalid_argument(std::string(model) + ": " + std::to_string(n) + " " + list + " for " +
                           std::to_string(n_times) + " " + times + "; expected as many" + or_none);
}

/// spike_generator: spike_times (sorted, on the grid, after `now`), spike_weights and
/// spike_multiplicities (as many, or none).
void spike_tables(const population_data& p, double h, std::int64_t now,
                  std::vector<std::int64_t>& st, std::vector<double>& val,
                  std::vector<std::int64_t>& off, bool& weighted) {
  const char* model = "spike_generator";
  const auto n = static_cast<std::size_t>(p.n);
  weighted = false;
  for (std::size_t i = 0; i < n; ++i) {
    const std::vector<double>& times = p.lists[0][i];
    const std::vector<double>& weights = p.lists[1][i];
    const std::vector<double>& mults = p.lists[2][i];
    if (!weights.empty())
      check_same_size(model, "spike_weights", weights.size(), "spike_times", times.size(),
                      ", or none");
    if (!mults.empty())
      check_same_size(model, "spike_multiplicities", mults.size(), "spike_times", times.size(),
                      ", or none");
    weighted = weighted || !weights.empty();
    const double origin = p.params[cl::spike_generator::origin * n + i];
    const auto origin_steps = static_cast<std::int64_t>(std::nearbyint(origin / h));
    std::int64_t last = 0;
    for (std::size_t k = 0; k < times.size(); ++k) {
      const double t = times[k];
      const std::int64_t s = grid_steps(model, "spike time", t, h);
      if (s + origin_steps <= now)
        throw invalid_argument(std::string(model) + ": spike time " + cl::number(t) +
                               " ms is not after the current time " + cl::number(now * h) + " ms");
      if (s < last)
        throw invalid_argument(std::string(model) + ": spike times must be sorted; " +
                               cl::number(t) + " ms follows a later time");
      last = s;
      double m = 1.0;
      if (!mults.empty()) {
        m = mults[k];
        if (!(m >= 0.0) || m != std::floor(m) || m > 4294967295.0)
          throw invalid_argument(std::string(model) + ": spike_multiplicities value " +
                                 cl::number(m) + "; expected whole numbers >= 0");
      }
      const double w = weights.empty() ? 1.0 : weights[k];
      if (!std::isfinite(w))
        throw invalid_argument(std::string(model) + ": spike_weights value " + cl::number(w) +
                               "; expected finite numbers");
      st.insert(st.end(), static_cast<std::size_t>(m), s);
      val.insert(val.end(), static_cast<std::size_t>(m), w);
    }
    off.push_back(static_cast<std::int64_t>(st.size()));
  }
}

/// step_current_generator: amplitude_times (> 0, on the grid, at strictly increasing steps)
/// and as many amplitude_values.
void step_tables(const population_data& p, double h, std::vector<std::int64_t>& st,
                 std::vector<double>& val, std::vector<std::int64_t>& off) {
  const char* model = "step_current_generator";
  for (std::size_t i = 0; i < static_cast<std::size_t>(p.n); ++i) {
    const std::vector<double>& times = p.lists[0][i];
    const std::vector<double>& amps = p.lists[1][i];
    check_same_size(model, "amplitude_values", amps.size(), "amplitude_times", times.size(), "");
    std::int64_t last = 0;
    for (std::size_t k = 0; k < times.size(); ++k) {
      const double t = times[k];
      if (!(t > 0.0))
        throw invalid_argument(std::string(model) + ": amplitude time " + cl::number(t) +
                               " ms; expected times > 0");
      const std::int64_t s = grid_steps(model, "amplitude time", t, h);
      if (s <= last)
        throw invalid_argument(std::string(model) + ": amplitude time " + cl::number(t) +
                               " ms does not follow the time before it; expected strictly "
                               "increasing times");
      if (!std::isfinite(amps[k]))
        throw invalid_argument(std::string(model) + ": amplitude_values value " +
                               cl::number(amps[k]) + " pA; expected finite numbers");
      last = s;
      st.push_back(s);
      val.push_back(amps[k]);
    }
    off.push_back(static_cast<std::int64_t>(st.size()));
  }
}

}  // namespace

void population_data::build_tables(double h, std::int64_t now, bool new_times) {
  if (!has_times()) return;
  std::vector<std::int64_t> st;
  std::vector<double> val;
  std::vector<std::int64_t> off{0};
  bool w = false;
  if (model->kind == model_kind::spike_generator)
    spike_tables(*this, h, new_times ? now : std::numeric_limits<std::int64_t>::min() / 2, st, val,
                 off, w);
  else
    step_tables(*this, h, st, val, off);
  stamps.swap(st);
  values.swap(val);
  offsets.swap(off);
  weighted = w;
  rewind();
}

void population_data::rewind() {
  if (!has_times()) return;
  const int row = model->kind == model_kind::spike_generator
                      ? static_cast<int>(cl::spike_generator::cursor)
                      : static_cast<int>(cl::step_current_generator::cursor);
  const auto un = static_cast<std::size_t>(n);
  for (std::size_t i = 0; i < un; ++i)
    state[static_cast<std::size_t>(row) * un + i] = static_cast<double>(offsets[i]);
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
  if (has_times()) {
    // A table with no stamps still needs a buffer to register.
    if (stamps.empty()) {
      stamps.push_back(0);
      values.push_back(0.0);
    }
    b_stamps = runtime::buffer(stamps.data(), stamps.size(), sizeof(std::int64_t));
    b_offsets = runtime::buffer(offsets.data(), offsets.size(), sizeof(std::int64_t));
    b_values = runtime::buffer(values.data(), values.size(), sizeof(double));
  }
}

void population_data::unregister_buffers() {
  for (runtime::buffer* b :
       {&b_state, &b_coeff, &b_ring, &b_spikes, &b_stamps, &b_offsets, &b_values})
    b->reset();
}

std::size_t population_data::device_bytes() const {
  return (state.size() + coeff.size()) * sizeof(double) + ring.size() * sizeof(std::int64_t) +
         spikes.size() * sizeof(std::uint32_t) +
         (stamps.size() + offsets.size()) * sizeof(std::int64_t) + values.size() * sizeof(double);
}

void population_data::prepare_history(std::int64_t capacity) {
  namespace pl = codelets::plasticity;
  const auto un = static_cast<std::size_t>(n);
  const auto k = static_cast<std::size_t>(model->parameter_index("tau_minus"));
  auto write_tau = [&](std::uint64_t* words) {
    auto* tau = const_cast<double*>(pl::make_history(words, n, history_capacity).tau_minus);
    for (std::size_t i = 0; i < un; ++i) tau[i] = params[k * un + i];
  };
  if (b_history.registered()) {
    runtime::host_access hold(b_history, runtime::access::read_write);
    write_tau(static_cast<std::uint64_t*>(hold.data()));
    return;
  }
  history_capacity = capacity;
  history.assign(pl::history_words(n, capacity), 0);
  write_tau(history.data());
  b_history = runtime::buffer(history.data(), history.size(), sizeof(std::uint64_t));
}

}  // namespace starling::network
