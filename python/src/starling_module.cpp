// The extension module `starling._starling`: one simulator per process (the kernel, as in
// PyNEST), reached through plain functions on population and recorder ids. The PyNEST verbs
// (Create, Connect, NodeCollection, ...) are written in Python on top of it (python/starling).
//
// Zero copy: recorded spikes and samples are returned as read-only numpy arrays viewing the
// simulator's own vectors. A view's owner is a holder shared by every view of one recorder;
// before the simulator appends to those vectors again (simulate, reset), the holder of views
// still alive takes the vectors' buffers (a move: the views stay valid) and the simulator
// continues with a copy. Views nobody holds any more cost nothing.
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/map.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model_file.hpp"
#include "network/synapse_models.hpp"
#include "starling/simulator.hpp"

namespace nb = nanobind;

namespace {

using starling::population;
using starling::recorder;

/// The buffers of one recorder's live views: borrowed from the simulator until detached.
struct spike_holder {
  starling::spike_data owned;
};
struct sample_holder {
  starling::sample_data owned;
};

struct kernel {
  starling::kernel_options options;
  std::unique_ptr<starling::simulator> sim;
  std::map<std::size_t, std::weak_ptr<spike_holder>> spike_views;
  std::map<std::size_t, std::weak_ptr<sample_holder>> sample_views;

  starling::simulator& get() {
    if (!sim) sim = std::make_unique<starling::simulator>(options);
    return *sim;
  }

  /// Hands the buffers of views still alive to their holders (see the file comment).
  void detach_views() {
    if (!sim) return;
    for (auto& [id, weak] : spike_views)
      if (auto h = weak.lock()) {
        auto& live = const_cast<starling::spike_data&>(sim->spikes(recorder{id}));
        h->owned = std::move(live);
        live = h->owned;
      }
    for (auto& [id, weak] : sample_views)
      if (auto h = weak.lock()) {
        auto& live = const_cast<starling::sample_data&>(sim->samples(recorder{id}));
        h->owned = std::move(live);
        live = h->owned;
      }
    spike_views.clear();
    sample_views.clear();
  }

  void reset(const starling::kernel_options& o) {
    detach_views();
    sim.reset();
    options = o;
  }
};

kernel& the_kernel() {
  static kernel k;
  return k;
}

template <typename T>
nb::capsule owner_of(std::shared_ptr<T> holder) {
  return nb::capsule(new std::shared_ptr<T>(std::move(holder)),
                     [](void* p) noexcept { delete static_cast<std::shared_ptr<T>*>(p); });
}

/// A read-only 1-d numpy view of `n` elements at `data`, kept alive by `owner`.
template <typename T>
nb::object view(const T* data, std::size_t n, nb::handle owner) {
  static const T empty{};
  return nb::cast(nb::ndarray<nb::numpy, const T, nb::ndim<1>>(n ? data : &empty, {n}, owner));
}

/// A numpy array that takes over a vector (no copy of its elements).
template <typename T>
nb::object adopt(std::vector<T>&& v) {
  auto* heap = new std::vector<T>(std::move(v));
  nb::capsule owner(heap, [](void* p) noexcept { delete static_cast<std::vector<T>*>(p); });
  return view(heap->data(), heap->size(), owner);
}

population pop_of(std::size_t id, std::size_t size) { return population{id, size}; }

/// A Python value as a parameter, weight or delay: a number, a sequence of numbers, or a dict
/// {"distribution": name, <parameter>: value, ...}.
starling::value to_value(nb::handle h, const std::string& what) {
  if (nb::isinstance<nb::dict>(h)) {
    nb::dict d = nb::borrow<nb::dict>(h);
    if (!d.contains("distribution"))
      throw starling::invalid_argument(what + ": a dict value needs a 'distribution' key");
    starling::distribution dist;
    for (auto [k, v] : d) {
      const std::string key = nb::cast<std::string>(k);
      if (key == "distribution")
        dist.name = nb::cast<std::string>(v);
      else
        dist.params[key] = nb::cast<double>(v);
    }
    return dist;
  }
  if (nb::isinstance<nb::float_>(h) || nb::isinstance<nb::int_>(h) || nb::isinstance<nb::bool_>(h))
    return nb::cast<double>(h);
  try {
    return nb::cast<std::vector<double>>(h);
  } catch (const nb::cast_error&) {
    try {
      return nb::cast<double>(h);
    } catch (const nb::cast_error&) {
      throw starling::invalid_argument(what + ": expected a number, a list of numbers or a "
                                              "distribution, got " +
                                       nb::cast<std::string>(nb::repr(h)));
    }
  }
}

starling::value_map to_value_map(const nb::dict& d, const std::string& what) {
  starling::value_map m;
  for (auto [k, v] : d) {
    const std::string key = nb::cast<std::string>(k);
    m[key] = to_value(v, what + " '" + key + "'");
  }
  return m;
}

nb::object from_value(const starling::value& v) {
  if (const auto* x = std::get_if<double>(&v)) return nb::float_(*x);
  if (const auto* x = std::get_if<std::vector<double>>(&v)) return nb::cast(*x);
  const auto& d = std::get<starling::distribution>(v);
  nb::dict out;
  out["distribution"] = d.name;
  for (const auto& [k, x] : d.params) out[k.c_str()] = x;
  return out;
}

nb::dict from_value_map(const starling::value_map& m) {
  nb::dict out;
  for (const auto& [k, v] : m) out[k.c_str()] = from_value(v);
  return out;
}

starling::rule to_rule(const nb::dict& d) {
  starling::rule r;
  for (auto [k, v] : d) {
    const std::string key = nb::cast<std::string>(k);
    if (key == "rule")
      r.name = nb::cast<std::string>(v);
    else if (key == "indegree")
      r.indegree = nb::cast<std::size_t>(v);
    else if (key == "outdegree")
      r.outdegree = nb::cast<std::size_t>(v);
    else if (key == "N")
      r.total = nb::cast<std::size_t>(v);
    else if (key == "p")
      r.p = nb::cast<double>(v);
    else if (key == "allow_autapses")
      r.allow_autapses = nb::cast<bool>(v);
    else if (key == "allow_multapses")
      r.allow_multapses = nb::cast<bool>(v);
    else
      throw starling::invalid_argument("Connect: unknown conn_spec key '" + key +
                                       "' (expected rule, indegree, outdegree, N, p, "
                                       "allow_autapses, allow_multapses)");
  }
  return r;
}

/// The keys a syn_spec of `model` takes: the common ones, then the model's parameters.
std::string syn_spec_keys(const starling::network::synapse_model_spec& model) {
  std::string keys = "synapse_model, weight, delay, receptor_type";
  if (model.plastic) keys += ", weight_recorder";
  for (const auto& q : model.parameters) keys += ", " + std::string(q.name);
  return keys;
}

/// A syn_spec: PyNEST's keys and, for a plastic model, its parameters by NEST name (one number
/// each); `weight_recorder` is the id of a weight recorder (starling.Connect resolves the node).
starling::synapse to_synapse(const nb::dict& d) {
  starling::synapse s;
  if (d.contains("synapse_model")) s.model = nb::cast<std::string>(d["synapse_model"]);
  const starling::network::synapse_model_spec& model =
      starling::network::find_synapse_model(s.model);
  for (auto [k, v] : d) {
    const std::string key = nb::cast<std::string>(k);
    if (key == "synapse_model") continue;
    if (key == "weight")
      s.weight = to_value(v, "Connect: weight");
    else if (key == "delay")
      s.delay = to_value(v, "Connect: delay");
    else if (key == "receptor_type")
      s.receptor = nb::cast<int>(v);
    else if (key == "weight_recorder")
      s.weight_recorder = recorder{nb::cast<std::size_t>(v)};
    else if (std::any_of(model.parameters.begin(), model.parameters.end(),
                         [&](const auto& q) { return key == q.name; })) {
      const bool number = nb::isinstance<nb::float_>(v) || nb::isinstance<nb::int_>(v);
      if (!number)
        throw starling::invalid_argument("Connect: " + s.model + " parameter " + key + " = " +
                                         nb::cast<std::string>(nb::repr(v)) +
                                         "; expected one number for the Connect call");
      s.params[key] = nb::cast<double>(v);
    } else
      throw starling::invalid_argument("Connect: unknown syn_spec key '" + key + "' for " +
                                       s.model + " (expected " + syn_spec_keys(model) + ")");
  }
  return s;
}

/// Every synapse model: whether it is plastic, its parameters' defaults and units.
nb::dict synapse_models() {
  nb::dict out;
  for (const auto& m : starling::network::all_synapse_models()) {
    nb::dict d, defaults, units;
    for (const auto& q : m.parameters) {
      defaults[q.name] = q.default_value;
      units[q.name] = q.unit;
    }
    d["plastic"] = m.plastic;
    d["parameters"] = defaults;
    d["units"] = units;
    d["keys"] = syn_spec_keys(m);
    out[m.name] = d;
  }
  return out;
}

/// A weight recorder's rows as numpy arrays (copies): times, populations and indices, weights.
nb::dict weights_dict(starling::weight_data w) {
  nb::dict d;
  d["times"] = adopt(std::move(w.time));
  d["source_population"] = adopt(std::move(w.source_population));
  d["source"] = adopt(std::move(w.source));
  d["target_population"] = adopt(std::move(w.target_population));
  d["target"] = adopt(std::move(w.target));
  d["weights"] = adopt(std::move(w.weight));
  return d;
}

starling::backend to_backend(const std::string& name) {
  auto b = starling::io::backend_from_name(name);
  if (!b) throw starling::invalid_argument("backend '" + name + "': expected cpu, cuda or auto");
  return *b;
}

std::string backend_name(starling::backend b) {
  return b == starling::backend::cpu ? "cpu" : b == starling::backend::cuda ? "cuda" : "auto";
}

nb::dict kernel_dict(const starling::kernel_options& o) {
  nb::dict d;
  d["resolution"] = o.resolution;
  d["rng_seed"] = o.seed;
  d["backend"] = backend_name(o.where);
  d["slice_steps"] = o.slice_steps;
  d["cpu_workers"] = o.cpu_workers;
  d["stdp_history"] = o.stdp_history;
  return d;
}

/// A parsed model file as plain Python data (built into the kernel by starling.LoadModelFile).
nb::dict model_dict(const starling::io::model_file& m) {
  using starling::io::recorder_type;
  nb::dict out;
  out["kernel"] = kernel_dict(m.kernel);
  nb::list pops, conns, recs;
  for (const auto& p : m.populations) {
    nb::dict d;
    d["name"] = p.name;
    d["model"] = p.model;
    d["size"] = p.size;
    d["params"] = from_value_map(p.params);
    d["state"] = from_value_map(p.state);
    d["rank"] = p.rank;
    d["lists"] = nb::cast(p.lists_each);
    pops.append(d);
  }
  for (const auto& c : m.connections) {
    nb::dict d, rule, syn;
    d["source"] = c.source;
    d["target"] = c.target;
    rule["rule"] = c.rule.name;
    if (c.rule.name == "fixed_indegree") rule["indegree"] = c.rule.indegree;
    if (c.rule.name == "fixed_outdegree") rule["outdegree"] = c.rule.outdegree;
    if (c.rule.name == "fixed_total_number") rule["N"] = c.rule.total;
    if (c.rule.name == "pairwise_bernoulli") rule["p"] = c.rule.p;
    rule["allow_autapses"] = c.rule.allow_autapses;
    rule["allow_multapses"] = c.rule.allow_multapses;
    syn["synapse_model"] = c.synapse.model;
    syn["weight"] = from_value(c.synapse.weight);
    syn["delay"] = from_value(c.synapse.delay);
    syn["receptor_type"] = c.synapse.receptor;
    for (const auto& [name, x] : c.synapse.params) syn[name.c_str()] = x;
    d["weight_recorder"] = c.weight_recorder;
    d["conn_spec"] = rule;
    d["syn_spec"] = syn;
    conns.append(d);
  }
  for (const auto& r : m.recorders) {
    nb::dict d;
    d["name"] = r.name;
    d["type"] = r.type == recorder_type::spike_recorder ? "spike_recorder"
                : r.type == recorder_type::voltmeter    ? "multimeter"
                : r.type == recorder_type::weights      ? "weight_recorder"
                                                        : "connections";
    d["population"] = r.population;
    d["start"] = r.window.start;
    d["stop"] = r.window.stop;
    d["origin"] = r.window.origin;
    d["interval"] = r.interval;
    d["record_from"] = r.variables;
    d["source"] = r.source;
    d["target"] = r.target;
    recs.append(d);
  }
  out["populations"] = pops;
  out["connections"] = conns;
  out["recorders"] = recs;
  out["simulate"] = m.simulate;
  return out;
}

nb::dict spikes_dict(std::size_t rec) {
  kernel& k = the_kernel();
  const starling::spike_data& live = k.get().spikes(recorder{rec});
  std::shared_ptr<spike_holder> h = k.spike_views[rec].lock();
  if (!h) {
    h = std::make_shared<spike_holder>();
    k.spike_views[rec] = h;
  }
  nb::capsule owner = owner_of(h);
  nb::dict d;
  d["index"] = view(live.index.data(), live.index.size(), owner);
  d["times"] = view(live.time.data(), live.time.size(), owner);
  return d;
}

nb::dict samples_dict(std::size_t rec) {
  kernel& k = the_kernel();
  const starling::sample_data& live = k.get().samples(recorder{rec});
  std::shared_ptr<sample_holder> h = k.sample_views[rec].lock();
  if (!h) {
    h = std::make_shared<sample_holder>();
    k.sample_views[rec] = h;
  }
  nb::capsule owner = owner_of(h);
  nb::dict d;
  d["index"] = view(live.index.data(), live.index.size(), owner);
  d["times"] = view(live.time.data(), live.time.size(), owner);
  for (std::size_t v = 0; v < live.variables.size() && v < live.values.size(); ++v)
    d[live.variables[v].c_str()] = view(live.values[v].data(), live.values[v].size(), owner);
  return d;
}

nb::dict gathered_spikes_dict(std::size_t rec) {
  starling::spike_data all = the_kernel().get().gather_spikes(recorder{rec});
  nb::dict d;
  d["index"] = adopt(std::move(all.index));
  d["times"] = adopt(std::move(all.time));
  return d;
}

nb::dict connections_dict(std::optional<std::pair<std::size_t, std::size_t>> source,
                          std::optional<std::pair<std::size_t, std::size_t>> target) {
  std::optional<population> s, t;
  if (source) s = pop_of(source->first, source->second);
  if (target) t = pop_of(target->first, target->second);
  starling::connection_data c = the_kernel().get().get_connections(s, t);
  nb::dict d;
  d["source_population"] = adopt(std::move(c.source_population));
  d["source"] = adopt(std::move(c.source));
  d["target_population"] = adopt(std::move(c.target_population));
  d["target"] = adopt(std::move(c.target));
  d["weight"] = adopt(std::move(c.weight));
  d["delay"] = adopt(std::move(c.delay));
  d["receptor"] = adopt(std::move(c.receptor));
  return d;
}

}  // namespace

NB_MODULE(_starling, m) {
  m.doc() = "Starling's simulator kernel; use the PyNEST-style functions of the starling package.";
  nb::set_leak_warnings(false);

  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const starling::invalid_argument& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const starling::error& e) {
      PyErr_SetString(PyExc_RuntimeError, e.what());
    }
  });

  m.def("models", &starling::models);
  m.def("describe", [](const std::string& name) {
    const starling::model_description d = starling::describe(name);
    nb::dict out;
    out["name"] = d.name;
    out["is_neuron"] = d.is_neuron;
    out["is_synapse"] = d.is_synapse;
    out["plastic"] = d.plastic;
    out["parameters"] = d.parameters;
    out["states"] = d.states;
    out["parameter_defaults"] = d.parameter_defaults;
    out["state_defaults"] = d.state_defaults;
    out["parameter_units"] = d.parameter_units;
    out["state_units"] = d.state_units;
    out["parameter_lists"] = d.parameter_lists;
    return out;
  });
  m.def("synapse_models", &synapse_models);
  m.def("processes_of_run", &starling::processes_of_run);
  m.def("cuda_available", &starling::cuda_available);

  m.def("reset", [](double resolution, std::uint64_t seed, const std::string& backend,
                    std::int64_t slice_steps, int cpu_workers, std::int64_t stdp_history) {
    starling::kernel_options o;
    o.resolution = resolution;
    o.seed = seed;
    o.where = to_backend(backend);
    o.slice_steps = slice_steps;
    o.cpu_workers = cpu_workers;
    o.stdp_history = stdp_history;
    the_kernel().reset(o);
  });
  m.def("shutdown", [] { the_kernel().reset(the_kernel().options); });
  m.def("started", [] { return the_kernel().sim != nullptr; });
  m.def("kernel_options", [] { return kernel_dict(the_kernel().options); });

  m.def("create", [](const std::string& model, std::size_t n, const nb::dict& params) {
    return the_kernel().get().create(model, n, to_value_map(params, "Create: " + model)).id;
  });
  m.def("remote_create",
        [](int rank, const std::string& model, std::size_t n, const nb::dict& params) {
          return the_kernel()
              .get()
              .remote_create(rank, model, n, to_value_map(params, "RemoteCreate: " + model))
              .id;
        });
  m.def("connect", [](std::size_t pre, std::size_t pre_n, std::size_t post, std::size_t post_n,
                      const nb::dict& rule, const nb::dict& syn) {
    the_kernel().get().connect(pop_of(pre, pre_n), pop_of(post, post_n), to_rule(rule),
                               to_synapse(syn));
  });
  m.def("remote_connect",
        [](int source_rank, std::size_t pre, std::size_t pre_n, int target_rank, std::size_t post,
           std::size_t post_n, const nb::dict& rule, const nb::dict& syn) {
          the_kernel().get().remote_connect(source_rank, pop_of(pre, pre_n), target_rank,
                                            pop_of(post, post_n), to_rule(rule), to_synapse(syn));
        });
  m.def("record_spikes", [](std::size_t pop, std::size_t n, double start, double stop,
                            double origin) {
    starling::recording_window w;
    w.start = start;
    w.stop = stop;
    w.origin = origin;
    return the_kernel().get().record_spikes(pop_of(pop, n), w).id;
  });
  m.def("record_states", [](std::size_t pop, std::size_t n,
                            const std::vector<std::string>& variables, double interval) {
    return the_kernel().get().record_states(pop_of(pop, n), variables, interval).id;
  });
  m.def("record_weights", [] { return the_kernel().get().record_weights().id; });
  m.def("weights",
        [](std::size_t rec) { return weights_dict(the_kernel().get().weights(recorder{rec})); });
  m.def("gather_weights", [](std::size_t rec) {
    return weights_dict(the_kernel().get().gather_weights(recorder{rec}));
  });
  m.def("spikes", &spikes_dict);
  m.def("samples", &samples_dict);
  m.def("gather_spikes", &gathered_spikes_dict);
  m.def("prepare", [] { the_kernel().get().prepare(); });
  m.def(
      "simulate",
      [](double t) {
        kernel& k = the_kernel();
        k.get();
        k.detach_views();
        k.sim->simulate(t);
      },
      nb::call_guard<nb::gil_scoped_release>());
  m.def("get", [](std::size_t pop, std::size_t n, const std::string& name) {
    return adopt(the_kernel().get().get(pop_of(pop, n), name));
  });
  m.def("set", [](std::size_t pop, std::size_t n, const std::string& name, nb::handle v) {
    the_kernel().get().set(pop_of(pop, n), name, to_value(v, "SetStatus: " + name));
  });
  m.def("set_lists", [](std::size_t pop, std::size_t n, const starling::list_map& lists) {
    the_kernel().get().set_lists(pop_of(pop, n), lists);
  });
  m.def("get_connections", &connections_dict, nb::arg("source").none(),
        nb::arg("target").none());
  m.def("time", [] { return the_kernel().get().time(); });
  m.def("resolution", [] { return the_kernel().get().resolution(); });
  m.def("rank", [] { return the_kernel().get().rank(); });
  m.def("processes", [] { return the_kernel().get().processes(); });
  m.def("rank_of", [](std::size_t pop, std::size_t n) {
    return the_kernel().get().rank_of(pop_of(pop, n));
  });
  m.def("model_of", [](std::size_t pop, std::size_t n) {
    return the_kernel().get().model_of(pop_of(pop, n));
  });
  m.def("num_connections", [] { return the_kernel().get().num_connections(); });
  m.def("total_connections", [] { return the_kernel().get().total_connections(); });
  m.def("device", [] { return the_kernel().get().device(); });
  m.def("slice_steps", [] { return the_kernel().get().slice_steps(); });
  m.def("exchange", [] {
    const starling::exchange_stats s = the_kernel().get().exchange();
    nb::dict d;
    d["seconds"] = s.seconds;
    d["bytes_sent"] = s.bytes_sent;
    d["slices"] = s.slices;
    return d;
  });
  m.def("parse_model", [](const std::string& text) {
    return model_dict(starling::io::parse_model(text));
  });
  m.def("read_model_file", [](const std::string& path) {
    return model_dict(starling::io::read_model_file(path));
  });
}
