// Typed tests over the model list (codelets/models/models.cmake): what every neuron model owes
// the engine, checked on the model struct itself.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "starling/error.hpp"
#include "starling/model_list.hpp"
#include "starling/simulator.hpp"

namespace models = starling::codelets::models;

namespace {

template <typename L>
struct gtest_types;
template <typename... M>
struct gtest_types<models::model_list<M...>> {
  using type = ::testing::Types<M...>;
};

template <typename M>
class EveryModel : public ::testing::Test {};
struct model_name {
  template <typename M>
  static std::string GetName(int) {
    return M::name;
  }
};
TYPED_TEST_SUITE(EveryModel, gtest_types<models::all>::type, model_name);

template <typename M>
void defaults(double (&p)[sizeof(M::parameters) / sizeof(M::parameters[0])]) {
  for (std::size_t k = 0; k < sizeof(M::parameters) / sizeof(M::parameters[0]); ++k)
    p[k] = M::parameters[k].default_value;
}

TYPED_TEST(EveryModel, TablesAreConsistent) {
  using M = TypeParam;
  EXPECT_EQ(sizeof(M::states) / sizeof(M::states[0]), static_cast<std::size_t>(M::n_states));
  EXPECT_LE(M::n_public_states, M::n_states);
  std::set<std::string> names;
  for (const auto& q : M::parameters) EXPECT_TRUE(names.insert(q.name).second) << q.name;
  for (const auto& q : M::states) EXPECT_TRUE(names.insert(q.name).second) << q.name;
  EXPECT_LT(M::current_channel, static_cast<int>(M::n_channels));
  EXPECT_LT(M::current_state, static_cast<int>(M::n_states));
  EXPECT_LT(M::refractory_coeff, static_cast<int>(M::n_coeffs));
}

// At NEST's defaults, without input, a model stays finite over 1 s of steps and two runs of
// the same steps give the same bits.
TYPED_TEST(EveryModel, RestIsFiniteAndRepeatable) {
  using M = TypeParam;
  double p[sizeof(M::parameters) / sizeof(M::parameters[0])];
  defaults<M>(p);
  double c[M::n_coeffs];
  M::derive(p, 0.1, c);
  double a[M::n_states], b[M::n_states];
  for (int k = 0; k < M::n_states; ++k) a[k] = b[k] = M::states[k].default_value;
  const double in[M::n_channels] = {};
  std::uint32_t spikes = 0;
  for (int step = 0; step < 10000; ++step) {
    spikes += models::step<M>(a, c, in);
    models::step<M>(b, c, in);
  }
  for (int k = 0; k < M::n_states; ++k) {
    EXPECT_TRUE(std::isfinite(a[k])) << M::states[k].name;
    EXPECT_EQ(a[k], b[k]) << M::states[k].name;
  }
  // NEST's defaults are at rest: no spikes without input.
  EXPECT_EQ(spikes, 0u);
}

// A NaN parameter is refused at create, naming the model and the parameter.
TYPED_TEST(EveryModel, NanParametersAreRefused) {
  using M = TypeParam;
  const starling::model_description d = starling::describe(M::name);
  for (const std::string& name : d.parameters) {
    starling::kernel_options o;
    o.where = starling::backend::cpu;
    starling::simulator sim(o);
    try {
      sim.create(M::name, 1, {{name, std::nan("")}});
      ADD_FAILURE() << M::name << ": " << name << " = NaN accepted";
    } catch (const starling::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
}

}  // namespace
