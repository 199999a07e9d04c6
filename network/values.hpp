#pragma once
// Conversions between the API's values and the populations' arrays, with NEST's checks.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "population.hpp"
#include "starling/types.hpp"

namespace starling::network {

/// Sets a parameter, a public state or a list parameter (one list for every member) of every
/// member; values
/// drawn from a distribution use `key` (see random_values.hpp). On error nothing changes.
/// `derive` false leaves the coefficients (and the parameters' joint checks) to one
/// population_data::derive by the caller after its last assignment.
void assign(population_data& p, const std::string& name, const value& v, double h, std::int64_t now,
            std::uint64_t key, bool derive = true);

/// Sets list parameters of a device (spike_times, spike_weights, spike_multiplicities;
/// amplitude_times, amplitude_values), each as one list for every member or one list per member,
/// and checks them together. `build` false leaves the check and the table to one
/// population_data::build_tables by the caller after its last assignment. On error nothing
/// changes.
void assign_lists(population_data& p, const std::map<std::string, std::vector<std::vector<double>>>& lists,
                  double h, std::int64_t now, bool build = true);

/// Reads a parameter or public state of every member.
std::vector<double> read(const population_data& p, const std::string& name);

/// A recording interval in ms as whole steps (>= 1).
std::int64_t interval_steps(double interval, double h);

/// A simulation time in ms as whole steps.
std::int64_t duration_steps(double duration, double h);

/// "V_m, I_syn_ex, ..." for messages.
std::string state_names(const model_spec& m);

}  // namespace starling::network
