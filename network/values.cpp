#include "values.hpp"

#include <algorithm>
#include <cmath>

#include "codelets/common/quantity.hpp"
#include "random_values.hpp"
#include "starling/error.hpp"

namespace starling::network {

using codelets::number;

namespace {

std::string names_of(const model_spec& m) {
  std::string s;
  for (const auto& a : m.arrays) s += (s.empty() ? "" : ", ") + std::string(a.name);
  for (const auto& q : m.parameters)
    if (!internal_name(q.name)) s += (s.empty() ? "" : ", ") + std::string(q.name);
  for (int i = 0; i < m.n_public_states; ++i)
    s += ", " + std::string(m.states[static_cast<std::size_t>(i)].name);
  for (const char* l : m.lists) s += ", " + std::string(l);
  return s;
}

/// Writes v into row `row` of an [rows][n] array.
void write_row(std::vector<double>& a, std::size_t row, const population_data& p, const value& v,
               const std::string& name, std::uint64_t key) {
  const auto n = static_cast<std::size_t>(p.n);
  const std::string what = std::string(p.model->name) + ": " + name;
  if (const auto* x = std::get_if<double>(&v)) {
    for (std::size_t i = 0; i < n; ++i) a[row * n + i] = *x;
    return;
  }
  if (const auto* d = std::get_if<distribution>(&v)) {
    const std::vector<double> drawn = draw_members(to_params(*d, what), key, p.gid_base, n,
                                                   static_cast<std::uint32_t>(row), what);
    std::copy(drawn.begin(), drawn.end(), a.begin() + static_cast<std::ptrdiff_t>(row * n));
    return;
  }
  const auto& arr = std::get<std::vector<double>>(v);
  if (arr.size() != n)
    throw invalid_argument(what + " has " + std::to_string(arr.size()) + " values; expected 1 or " +
                           std::to_string(n) + " (one per member)");
  for (std::size_t i = 0; i < n; ++i) a[row * n + i] = arr[i];
}

/// A receptor-array parameter: one list for every member, of at most `a.max` values; sets the
/// rows in use and the count row.
void assign_array(population_data& p, const codelets::models::array_parameter& a, const value& v,
                  double h, bool derive) {
  const std::string what = std::string(p.model->name) + ": " + a.name;
  std::vector<double> list;
  if (const auto* x = std::get_if<double>(&v))
    list = {*x};
  else if (const auto* l = std::get_if<std::vector<double>>(&v))
    list = *l;
  else
    throw invalid_argument(what + " from a distribution; expected a list, one value per receptor");
  if (list.size() > static_cast<std::size_t>(a.max))
    throw invalid_argument(what + " has " + std::to_string(list.size()) +
                           " values; expected at most " + std::to_string(a.max) +
                           " (one per receptor)");
  const auto n = static_cast<std::size_t>(p.n);
  const std::vector<double> old = p.params;
  auto row = [&](int r) { return p.params.begin() + static_cast<std::ptrdiff_t>(r * n); };
  for (std::size_t k = 0; k < list.size(); ++k)
    std::fill(row(a.first + static_cast<int>(k)), row(a.first + static_cast<int>(k) + 1), list[k]);
  std::fill(row(a.count), row(a.count + 1), static_cast<double>(list.size()));
  if (!derive) return;
  try {
    p.derive(h);
  } catch (...) {
    p.params = old;
    throw;
  }
}

}  // namespace

std::string state_names(const model_spec& m) {
  std::string s;
  for (int i = 0; i < m.n_public_states; ++i)
    s += (i ? ", " : "") + std::string(m.states[static_cast<std::size_t>(i)].name);
  return s.empty() ? "(none)" : s;
}

void assign(population_data& p, const std::string& name, const value& v, double h, std::int64_t now,
            std::uint64_t key, bool derive) {
  const model_spec& m = *p.model;
  const auto n = static_cast<std::size_t>(p.n);
  if (m.list_index(name) >= 0) {
    if (std::holds_alternative<distribution>(v))
      throw invalid_argument(std::string(m.name) + ": " + name +
                             " from a distribution; expected a list of numbers");
    assign_lists(p,
                 {{name,
                   {std::holds_alternative<double>(v) ? std::vector<double>{std::get<double>(v)}
                                                      : std::get<std::vector<double>>(v)}}},
                 h, now, derive);
    return;
  }
  if (const auto* arr = m.array(name)) {
    assign_array(p, *arr, v, h, derive);
    return;
  }
  if (const int k = m.parameter_index(name); k >= 0) {
    const std::vector<double> old(p.params.begin() + static_cast<std::ptrdiff_t>(k * n),
                                  p.params.begin() + static_cast<std::ptrdiff_t>((k + 1) * n));
    write_row(p.params, static_cast<std::size_t>(k), p, v, name, key);
    if (!derive) return;
    try {
      p.derive(h);
    } catch (...) {
      std::copy(old.begin(), old.end(), p.params.begin() + static_cast<std::ptrdiff_t>(k * n));
      throw;
    }
    // NEST's spike_generator starts again at its first spike when origin changes; passing
    // the spikes in the past again is always safe.
    if (m.kind == model_kind::spike_generator) p.rewind();
    return;
  }
  if (const int k = m.state_index(name); k >= 0) {
    write_row(p.state, static_cast<std::size_t>(k), p, v, name, key);
    return;
  }
  throw invalid_argument(std::string(m.name) + ": unknown parameter or state '" + name +
                         "'; expected one of " + names_of(m));
}

void assign_lists(population_data& p,
                  const std::map<std::string, std::vector<std::vector<double>>>& lists, double h,
                  std::int64_t now, bool build) {
  const model_spec& m = *p.model;
  const auto n = static_cast<std::size_t>(p.n);
  if (m.lists.empty())
    throw invalid_argument(std::string(m.name) + ": has no list parameters (" +
                           (lists.empty() ? std::string("none") : lists.begin()->first) +
                           "); expected a spike_generator or a step_current_generator");
  // NEST sets a step_current_generator's times and values together.
  if (build && m.kind == model_kind::step_current_generator && lists.size() == 1)
    throw invalid_argument("step_current_generator: " + lists.begin()->first +
                           " alone; expected amplitude_times and amplitude_values together");
  const auto old = p.lists;
  for (const auto& [name, each] : lists) {
    const int l = m.list_index(name);
    if (l < 0) {
      p.lists = old;
      std::string known;
      for (const char* x : m.lists) known += (known.empty() ? "" : ", ") + std::string(x);
      throw invalid_argument(std::string(m.name) + ": unknown list parameter '" + name +
                             "'; expected one of " + known);
    }
    if (each.size() != 1 && each.size() != n) {
      p.lists = old;
      throw invalid_argument(std::string(m.name) + ": " + std::to_string(each.size()) +
                             " lists of " + name + "; expected 1 or " + std::to_string(n) +
                             " (one per member)");
    }
    auto& rows = p.lists[static_cast<std::size_t>(l)];
    if (each.size() == 1)
      rows.assign(n, each[0]);
    else
      rows = each;
  }
  if (!build) return;
  try {
    p.build_tables(h, now, lists.count(m.lists[0]) > 0);
  } catch (...) {
    p.lists = old;
    throw;
  }
}

std::vector<double> read(const population_data& p, const std::string& name) {
  const model_spec& m = *p.model;
  const auto n = static_cast<std::size_t>(p.n);
  const std::vector<double>* src = nullptr;
  if (const auto* arr = m.array(name)) {
    // The list of the first member (NEST: the receptor list of the node).
    std::vector<double> list;
    if (n == 0) return list;
    const auto count = static_cast<int>(p.params[static_cast<std::size_t>(arr->count) * n]);
    for (int r = 0; r < count; ++r)
      list.push_back(p.params[static_cast<std::size_t>(arr->first + r) * n]);
    return list;
  }
  if (const int l = m.list_index(name); l >= 0)
    // The list of the first member (NEST: the list of the node).
    return n == 0 ? std::vector<double>{} : p.lists[static_cast<std::size_t>(l)][0];
  int k = m.parameter_index(name);
  if (k >= 0) {
    src = &p.params;
  } else if ((k = m.state_index(name)) >= 0) {
    src = &p.state;
  } else {
    throw invalid_argument(std::string(m.name) + ": unknown parameter or state '" + name +
                           "'; expected one of " + names_of(m));
  }
  const auto first = src->begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(k) * n);
  return std::vector<double>(first, first + static_cast<std::ptrdiff_t>(n));
}

/// Time is an int64 step counter: a call may add fewer than 2^62 steps, which leaves room for
/// the time already simulated.
constexpr double max_steps = 4611686018427387904.0;  // 2^62

std::int64_t interval_steps(double interval, double h) {
  const double steps = interval / h;
  const double rounded = std::nearbyint(steps);
  if (!(rounded >= 1.0) || std::fabs(steps - rounded) > 1e-9 * rounded)
    throw invalid_argument("record_states: interval " + number(interval) +
                           " ms; expected a positive multiple of the resolution " + number(h) +
                           " ms");
  if (!(rounded < max_steps))
    throw invalid_argument("record_states: interval " + number(interval) + " ms is " +
                           number(rounded) + " steps; expected fewer than 2^62 steps");
  return static_cast<std::int64_t>(rounded);
}

std::int64_t duration_steps(double duration, double h) {
  const double steps = duration / h;
  const double rounded = std::nearbyint(steps);
  if (!(duration >= 0.0) || !std::isfinite(duration) ||
      std::fabs(steps - rounded) > 1e-9 * std::max(1.0, rounded))
    throw invalid_argument("simulate: time " + number(duration) +
                           " ms; expected a non-negative multiple of the resolution " + number(h) +
                           " ms");
  if (!(rounded < max_steps))
    throw invalid_argument("simulate: time " + number(duration) + " ms is " + number(rounded) +
                           " steps; expected fewer than 2^62 steps (" + number(max_steps * h) +
                           " ms at resolution " + number(h) + " ms)");
  return static_cast<std::int64_t>(rounded);
}

}  // namespace starling::network
