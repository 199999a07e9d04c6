#include "random_values.hpp"

#include <cmath>
#include <limits>
#include <set>

#include "codelets/common/quantity.hpp"
#include "starling/error.hpp"

namespace starling::network {

using codelets::distribution_kind;
using codelets::number;

namespace {

struct spec {
  const char* name;
  distribution_kind kind;
  const char* p[4];    // parameter names in distribution_params order
  double defaults[4];  // NaN: required
};

constexpr double required = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

const spec specs[] = {
    {"uniform", distribution_kind::uniform, {"low", "high", nullptr, nullptr}, {0.0, 1.0, 0, 0}},
    {"normal", distribution_kind::normal, {"mu", "sigma", nullptr, nullptr}, {0.0, 1.0, 0, 0}},
    {"normal_clipped",
     distribution_kind::normal_clipped,
     {"mu", "sigma", "low", "high"},
     {0.0, 1.0, -inf, inf}},
    {"lognormal",
     distribution_kind::lognormal,
     {"mu", "sigma", nullptr, nullptr},
     {0.0, 1.0, 0, 0}},
    {"exponential",
     distribution_kind::exponential,
     {"beta", nullptr, nullptr, nullptr},
     {1.0, 0, 0, 0}},
    {"gamma", distribution_kind::gamma, {"k", "theta", nullptr, nullptr}, {1.0, 1.0, 0, 0}},
};

[[noreturn]] void bad(const std::string& what, const std::string& why) {
  throw invalid_argument(what + ": " + why);
}

}  // namespace

codelets::distribution_params to_params(const distribution& d, const std::string& what) {
  const spec* s = nullptr;
  std::string known;
  for (const spec& c : specs) {
    if (d.name == c.name) s = &c;
    known += (known.empty() ? "" : ", ") + std::string(c.name);
  }
  if (s == nullptr) bad(what, "unknown distribution '" + d.name + "'; expected one of " + known);
  double v[4];
  std::set<std::string> used;
  for (int i = 0; i < 4; ++i) {
    v[i] = s->defaults[i];
    if (s->p[i] == nullptr) continue;
    const auto it = d.params.find(s->p[i]);
    if (it != d.params.end()) {
      v[i] = it->second;
      used.insert(it->first);
    }
    if (std::isnan(v[i])) bad(what, d.name + " needs '" + s->p[i] + "'");
  }
  for (const auto& [k, x] : d.params)
    if (!used.count(k)) bad(what, d.name + " has no parameter '" + k + "'");
  codelets::distribution_params p{s->kind, v[0], v[1], v[2], v[3]};
  auto positive = [&](double x, const char* n) {
    if (!(x > 0.0) || !std::isfinite(x))
      bad(what, d.name + " " + n + " = " + number(x) + "; expected a positive value");
  };
  switch (p.kind) {
    case distribution_kind::uniform:
      if (!(p.a <= p.b)) bad(what, "uniform low = " + number(p.a) + " above high = " + number(p.b));
      break;
    case distribution_kind::normal:
    case distribution_kind::lognormal:
      if (!(p.b >= 0.0)) bad(what, d.name + " sigma = " + number(p.b) + "; expected >= 0");
      break;
    case distribution_kind::normal_clipped:
      if (!(p.b >= 0.0)) bad(what, d.name + " sigma = " + number(p.b) + "; expected >= 0");
      if (!(p.c < p.d))
        bad(what, "normal_clipped low = " + number(p.c) + " not below high = " + number(p.d));
      break;
    case distribution_kind::exponential:
      positive(p.a, "beta");
      break;
    case distribution_kind::gamma:
      positive(p.a, "k");
      positive(p.b, "theta");
      break;
  }
  return p;
}

std::uint64_t draw_key(std::uint64_t seed, draw_purpose purpose, std::uint64_t id) {
  return codelets::philox_key(seed, (static_cast<std::uint64_t>(purpose) << 56) ^ id);
}

namespace {
double checked(double x, const std::string& what) {
  if (!std::isfinite(x))
    throw invalid_argument(what + ": normal_clipped found no value within [low, high]");
  return x;
}
}  // namespace

std::vector<double> draw_members(const codelets::distribution_params& p, std::uint64_t key,
                                 std::uint64_t first_gid, std::size_t n, std::uint32_t row,
                                 const std::string& what) {
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    codelets::random_stream r(key, first_gid + i, row);
    out[i] = checked(codelets::sample(p, r), what);
  }
  return out;
}

}  // namespace starling::network
