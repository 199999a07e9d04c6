#pragma once
// Conversions between the API's values and the populations' arrays, with NEST's checks.
#include <cstdint>
#include <string>
#include <vector>

#include "population.hpp"
#include "starling/types.hpp"

namespace starling::network {

/// Sets a parameter, a public state or (spike_generator) spike_times of every member; values
/// drawn from a distribution use `key` (see random_values.hpp). On error nothing changes.
/// `derive` false leaves the coefficients (and the parameters' joint checks) to one
/// population_data::derive by the caller after its last assignment.
void assign(population_data& p, const std::string& name, const value& v, double h, std::int64_t now,
            std::uint64_t key, bool derive = true);

/// Sets the spike times of a spike_generator population: one list for every member, or one
/// list per member. On error nothing changes.
void assign_spike_times(population_data& p, const std::vector<std::vector<double>>& times, double h,
                        std::int64_t now);

/// Reads a parameter or public state of every member.
std::vector<double> read(const population_data& p, const std::string& name);

/// A recording interval in ms as whole steps (>= 1).
std::int64_t interval_steps(double interval, double h);

/// A simulation time in ms as whole steps.
std::int64_t duration_steps(double duration, double h);

/// "V_m, I_syn_ex, ..." for messages.
std::string state_names(const model_spec& m);

}  // namespace starling::network
