#pragma once
// The table of models `create` accepts: name -> parameters, states, coefficients and the update
// operation. Adding a model is adding a row.
#include <cstdint>
#include <string>
#include <vector>

#include "codelets/advance/advance.hpp"
#include "codelets/common/quantity.hpp"
#include "codelets/deliver/deliver_math.hpp"
#include "codelets/models/neuron_model.hpp"

namespace starling::network {

enum class model_kind {
  neuron,
  spike_generator,
  dc_generator,
  poisson_generator,
  step_current_generator,
  noise_generator
};

struct model_spec {
  const char* name;
  model_kind kind;
  std::vector<codelets::quantity> parameters;
  std::vector<codelets::quantity> states;  ///< public states first
  int n_public_states;
  int n_coeffs;
  int n_receptors;  ///< input ring channels (0 for devices)
  /// Ring channels: spikes of weight >= 0 and < 0 (the sign selects the synapse type, as in
  /// NEST's psc models), and currents from current generators; -1 where the model has none.
  int excitatory_channel;
  int inhibitory_channel;
  int current_channel;
  /// Checks one member's parameters (by table index) and computes its coefficients.
  void (*derive)(const double* params, double h, double* coeff);
  /// The update operation of a population, given its buffer indices in the plan and, where
  /// every member has the same coefficients, those (else empty).
  codelets::advance::op (*update_op)(const codelets::op_buffers& io, std::int64_t n,
                                     std::int64_t ring_slots,
                                     const std::vector<double>& uniform_coeff);
  /// What a member sends through its connections.
  codelets::deliver::source_kind sends;
  /// Coefficient holding a member's refractory period in steps, or -1: after a spike a member
  /// cannot spike again for that many steps (bounds the spike buffers).
  int refractory_coeff = -1;
  /// How connections choose a ring channel (neurons): by the sign of the weight, or by port
  /// 1 ... the value of parameter `port_count` (channel port - 1).
  codelets::models::receptor_scheme receptors = codelets::models::receptor_scheme::by_sign;
  int port_count = -1;
  /// Receptor-array parameters (NEST sets them as lists, one value per receptor).
  std::vector<codelets::models::array_parameter> arrays = {};
  /// Most spikes a member sends in one step (its multiplicity); 0 where unbounded.
  std::uint32_t max_spikes_per_step = 1;
  /// Each spike weighs 1 (parrot_neuron); receptor 1 is its second channel.
  bool counts_spikes = false;
  /// Whether NEST integrates the model exactly (else adaptively: RKF45).
  bool exact_integration = true;
  /// Index in models::all (neurons), or -1.
  int model_index = -1;
  /// List parameters, one list per member (spike_times, amplitude_times, ...); the first is
  /// the list of times.
  std::vector<const char*> lists = {};
  /// NEST's pre_run_hook: run on one member's coefficients and states before each simulate
  /// call that starts at time t (ms), told whether the member has gained targets since the last
  /// call; null where the model has none.
  void (*pre_run)(const double* coeff, double t, bool new_targets, double* state) = nullptr;

  /// Index of a list parameter or -1.
  int list_index(const std::string& name) const;

  bool is_neuron() const { return kind == model_kind::neuron; }
  /// Index of a parameter or -1.
  int parameter_index(const std::string& name) const;
  /// Index of a public state or -1.
  int state_index(const std::string& name) const;
  /// The receptor-array parameter called `name`, or null.
  const codelets::models::array_parameter* array(const std::string& name) const;
};

/// Table rows that users do not name: the rows of receptor arrays ("tau_syn[1]") and their
/// counts ("_tau_syn_count").
inline bool internal_name(const char* name) {
  return name[0] == '_' || std::string(name).find('[') != std::string::npos;
}

/// The model called `name`; throws invalid_argument listing the known models.
const model_spec& find_model(const std::string& name);

/// Most spikes one member of a population of `model` sends in `steps` steps, given the
/// population's coefficients [n_coeffs][n] (one per step without a refractory period; one more
/// for a membrane potential set from outside during refractoriness).
std::int64_t spikes_per_member_bound(const model_spec& model, const std::vector<double>& coeff,
                                     std::int64_t n, std::int64_t steps);

/// Every registered model.
const std::vector<model_spec>& all_models();

/// How connections into `target` from a source that sends `sends`, on receptor `port`, choose
/// their ring channel: by the sign of the weight (returns -1) or always the returned channel.
/// Throws for ports and sources the model does not take.
/// `ports` is the number of receptor ports the target population has (by_port models).
int receptor_channel(const model_spec& target, codelets::deliver::source_kind sends, int port,
                     int ports);

}  // namespace starling::network
