#include "io/model_file.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "io/json_node.hpp"
#include "network/synapse_models.hpp"
#include "starling/error.hpp"

namespace starling::io {

namespace {

struct backend_name {
  const char* name;
  backend where;
};
constexpr backend_name backend_names[] = {
    {"cpu", backend::cpu}, {"cuda", backend::cuda}, {"auto", backend::automatic}};

/// A connection rule of NEST and the one parameter it needs, if any.
struct rule_form {
  const char* name;
  const char* parameter;  ///< key of its parameter in a rule object; nullptr if none
  void (*assign)(rule& r, const json_node& v);
};

std::size_t count(const json_node& v) { return static_cast<std::size_t>(v.integer(0)); }

const rule_form rule_forms[] = {
    {"one_to_one", nullptr, nullptr},
    {"all_to_all", nullptr, nullptr},
    {"fixed_indegree", "indegree", [](rule& r, const json_node& v) { r.indegree = count(v); }},
    {"fixed_outdegree", "outdegree", [](rule& r, const json_node& v) { r.outdegree = count(v); }},
    {"fixed_total_number", "N", [](rule& r, const json_node& v) { r.total = count(v); }},
    {"pairwise_bernoulli", "p",
     [](rule& r, const json_node& v) {
       r.p = v.number();
       if (!(r.p >= 0.0 && r.p <= 1.0)) v.expected("a probability from 0 to 1");
     }},
};

/// A recorder type as written in a file.
struct recorder_form {
  const char* name;
  recorder_type type;
};
constexpr recorder_form recorder_forms[] = {{"spike_recorder", recorder_type::spike_recorder},
                                            {"voltmeter", recorder_type::voltmeter},
                                            {"multimeter", recorder_type::voltmeter},
                                            {"connections", recorder_type::connections},
                                            {"weight_recorder", recorder_type::weights}};

template <typename Table>
std::string names_of(const Table& table) {
  std::string s;
  for (const auto& row : table) s += (s.empty() ? "" : ", ") + std::string(row.name);
  return s;
}

std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

kernel_options parse_kernel(const json_node& k) {
  k.only_keys({"resolution", "seed", "backend", "slice_steps", "bind", "exchange", "stdp_history"});
  kernel_options o;
  if (auto v = k.optional("resolution")) o.resolution = v->positive_number();
  if (auto v = k.optional("seed")) o.seed = v->unsigned_integer();
  if (auto v = k.optional("backend")) {
    const auto where = v->is_string() ? backend_from_name(v->text()) : std::nullopt;
    if (!where) v->expected("one of " + names_of(backend_names));
    o.where = *where;
  }
  if (auto v = k.optional("slice_steps")) o.slice_steps = v->integer(1);
  if (auto v = k.optional("stdp_history")) o.stdp_history = v->integer(1);
  if (auto v = k.optional("exchange")) {
    const auto x = v->is_string() ? exchange_from_name(v->text()) : std::nullopt;
    if (!x)
      v->expected("one of \"point_to_point\", \"all_to_all\", \"neighbourhood\", \"hierarchical\"");
    o.exchange = *x;
  }
  if (auto v = k.optional("bind")) {
    const auto bind = v->is_string() ? binding_from_name(v->text()) : std::nullopt;
    if (!bind) v->expected("one of \"auto\", \"cores\", \"none\"");
    o.bind = *bind;
  }
  return o;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

/// The `params` of a population: parameters, and initial states as NEST's Create accepts them.
value_map parse_params(const json_node& object, const model_description& model) {
  value_map values;
  for (const auto& [name, v] : object.members("an object of parameter names and values")) {
    if (!model.is_neuron && model.parameter_lists.count(name) && v.is_array_of_arrays())
      continue;  // one list per member
    if (!contains(model.parameters, name) && !contains(model.states, name)) {
      std::vector<std::string> known = model.parameters;
      known.insert(known.end(), model.states.begin(), model.states.end());
      v.fail(model.name + " has no parameter " + in_quotes(name) + "; expected one of " +
             joined(known));
    }
    values[name] = v.number_array_or_distribution();
  }
  return values;
}

/// The `state` of a population: initial values of state variables only.
value_map parse_state(const json_node& object, const model_description& model) {
  value_map values;
  for (const auto& [name, v] : object.members("an object of state names and values")) {
    if (contains(model.parameters, name))
      v.fail(in_quotes(name) + " is a parameter of " + model.name +
             ", not a state variable; give it under params");
    if (!contains(model.states, name))
      v.fail(model.name + " has no state variable " + in_quotes(name) + "; expected " +
             (model.states.empty() ? std::string("none") : "one of " + joined(model.states)));
    values[name] = v.number_array_or_distribution();
  }
  return values;
}

population_spec parse_population(const json_node& p, const std::vector<std::string>& models) {
  p.only_keys({"name", "model", "size", "params", "state", "rank"});
  population_spec s;
  s.name = p.required("name", "a non-empty string").text();
  const json_node model = p.required("model", "a model name");
  s.model = model.text();
  if (std::find(models.begin(), models.end(), s.model) == models.end())
    model.fail("unknown model " + in_quotes(s.model) + "; expected one of " + joined(models));
  const json_node size = p.required("size", "an integer >= 1");
  const std::int64_t n = size.integer(1);
  if (n > std::int64_t{0xffffffff}) size.expected("an integer from 1 to 4294967295");
  s.size = static_cast<std::size_t>(n);
  const model_description description = describe(s.model);
  if (auto v = p.optional("params")) {
    // A device's list parameter as an array of arrays: one list per member. Then all its
    // lists are set together after the population is created.
    bool each = false;
    for (const auto& [name, list] : description.parameter_lists)
      if (auto given = v->optional(name.c_str()); given && !description.is_neuron)
        each = each || given->is_array_of_arrays();
    if (each)
      for (const auto& [name, list] : description.parameter_lists) {
        const auto given = v->optional(name.c_str());
        if (!given) continue;
        std::vector<std::vector<double>>& lists = s.lists_each[name];
        if (!given->is_array_of_arrays()) {
          const value one = given->number_array_or_distribution();
          if (std::holds_alternative<distribution>(one)) given->expected("a list of numbers");
          lists.push_back(std::holds_alternative<double>(one)
                              ? std::vector<double>{std::get<double>(one)}
                              : std::get<std::vector<double>>(one));
          continue;
        }
        for (const json_node& l : given->elements("an array of arrays of numbers")) {
          const value one = l.number_array_or_distribution();
          if (!std::holds_alternative<std::vector<double>>(one)) l.expected("an array of numbers");
          lists.push_back(std::get<std::vector<double>>(one));
        }
        if (lists.size() != s.size)
          given->fail(std::to_string(lists.size()) + " lists of " + name +
                      "; expected one per member (" + std::to_string(s.size) + ")");
      }
    s.params = parse_params(*v, description);
    for (const auto& [name, lists] : s.lists_each) s.params.erase(name);
  }
  if (auto v = p.optional("state")) s.state = parse_state(*v, description);
  if (auto v = p.optional("rank")) {
    const std::int64_t r = v->integer(0);
    if (r > 1000000) v->expected("a process rank from 0 to 1000000");
    s.rank = static_cast<int>(r);
  }
  return s;
}

const rule_form& find_rule(const json_node& name_node) {
  const std::string name = name_node.text();
  for (const rule_form& f : rule_forms)
    if (name == f.name) return f;
  name_node.fail("unknown rule " + in_quotes(name) + "; expected one of " + names_of(rule_forms));
}

rule parse_rule(const json_node& v) {
  rule r;
  if (v.is_string()) {
    const rule_form& f = find_rule(v);
    if (f.parameter)
      v.fail(std::string("rule ") + f.name + " needs " + f.parameter + "; write it as an object " +
             "{\"rule\": \"" + f.name + "\", \"" + f.parameter + "\": ...}");
    r.name = f.name;
    return r;
  }
  if (!v.is_object()) v.expected("a rule name or an object {\"rule\": ...}");
  const rule_form& f = find_rule(v.required("rule", "a rule name"));
  std::vector<std::string> keys{"rule", "allow_autapses", "allow_multapses"};
  if (f.parameter) keys.emplace_back(f.parameter);
  v.only_keys(keys);
  r.name = f.name;
  if (f.parameter) f.assign(r, v.required(f.parameter, std::string("a value for rule ") + f.name));
  if (auto a = v.optional("allow_autapses")) r.allow_autapses = a->boolean();
  if (auto a = v.optional("allow_multapses")) r.allow_multapses = a->boolean();
  return r;
}

/// A connection's synapse: the common keys and, for a plastic model, its parameters by NEST
/// name (one number each for the whole connection entry).
synapse parse_synapse(const json_node& v, std::string& weight_recorder) {
  synapse s;
  if (!v.is_object()) v.expected("an object");
  if (auto x = v.optional("model")) {
    s.model = x->text();
    if (network::synapse_model_named(s.model) == nullptr)
      x->fail("unknown synapse model " + in_quotes(s.model) + "; expected one of " +
              names_of(network::all_synapse_models()));
  }
  const network::synapse_model_spec& model = *network::synapse_model_named(s.model);
  std::vector<std::string> keys{"model", "weight", "delay", "receptor"};
  if (model.plastic) keys.emplace_back("weight_recorder");
  for (const auto& q : model.parameters) keys.emplace_back(q.name);
  v.only_keys(keys);
  if (auto x = v.optional("weight")) s.weight = x->number_array_or_distribution();
  if (auto x = v.optional("delay")) s.delay = x->number_array_or_distribution(true);
  if (auto x = v.optional("receptor")) {
    const std::int64_t port = x->integer(0);
    if (port > INT_MAX) x->expected("a receptor port from 0 to " + std::to_string(INT_MAX));
    s.receptor = static_cast<int>(port);
  }
  for (const auto& q : model.parameters)
    if (auto x = v.optional(q.name)) s.params[q.name] = x->number();
  if (auto x = v.optional("weight_recorder")) weight_recorder = x->text();
  return s;
}

/// The name of population `key` of `owner`, which must be one of `names`.
std::string population_name(const json_node& owner, const char* key,
                            const std::vector<std::string>& names) {
  const json_node v = owner.required(key, "a population name");
  const std::string name = v.text();
  if (std::find(names.begin(), names.end(), name) == names.end())
    v.fail("unknown population " + in_quotes(name) + "; expected one of " + joined(names));
  return name;
}

connection_spec parse_connection(const json_node& c, const std::vector<std::string>& names) {
  c.only_keys({"source", "target", "rule", "synapse"});
  connection_spec s;
  s.source = population_name(c, "source", names);
  s.target = population_name(c, "target", names);
  if (auto v = c.optional("rule")) s.rule = parse_rule(*v);
  if (auto v = c.optional("synapse")) s.synapse = parse_synapse(*v, s.weight_recorder);
  return s;
}

/// Recorder names become file names: letters, digits, '_', '-' and '.', not starting with '.'.
bool is_file_name(const std::string& s) {
  if (s.empty() || s[0] == '.') return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

recorder_spec parse_recorder(const json_node& r, const std::vector<std::string>& names) {
  recorder_spec s;
  const json_node type = r.required("type", "one of " + names_of(recorder_forms));
  const std::string type_name = type.text();
  const auto* form = std::find_if(std::begin(recorder_forms), std::end(recorder_forms),
                                  [&](const recorder_form& f) { return type_name == f.name; });
  if (form == std::end(recorder_forms)) type.expected("one of " + names_of(recorder_forms));
  s.type = form->type;
  switch (s.type) {
    case recorder_type::spike_recorder:
      r.only_keys({"name", "type", "population", "start", "stop", "origin"});
      break;
    case recorder_type::voltmeter:
      r.only_keys({"name", "type", "population", "interval", "variables", "record_from"});
      break;
    case recorder_type::connections:
      r.only_keys({"name", "type", "source", "target"});
      break;
    case recorder_type::weights:
      r.only_keys({"name", "type"});
      break;
  }
  const json_node name = r.required("name", "a file name");
  s.name = name.text();
  if (!is_file_name(s.name))
    name.expected("a file name of letters, digits, '_', '-' and '.', not starting with '.'");
  if (s.type == recorder_type::weights) return s;  // the synapses that name it say what
  if (s.type == recorder_type::connections) {
    s.source = population_name(r, "source", names);
    s.target = population_name(r, "target", names);
    return s;
  }
  s.population = population_name(r, "population", names);
  // NEST's recording window: spikes with origin + start < t <= origin + stop.
  if (auto v = r.optional("start")) s.window.start = v->number();
  if (auto v = r.optional("stop")) s.window.stop = v->number();
  if (auto v = r.optional("origin")) s.window.origin = v->number();
  if (auto v = r.optional("interval")) s.interval = v->positive_number();
  // `record_from` is NEST's name for the variables of a multimeter.
  const auto variables = r.optional("variables"), record_from = r.optional("record_from");
  if (variables && record_from)
    record_from->expected("either variables or record_from (NEST's name), not both");
  if (variables) s.variables = variables->strings();
  if (record_from) s.variables = record_from->strings();
  return s;
}

/// Throws, at the `name` of `nodes[i]`, if `names[i]` repeats the name of an earlier element.
void check_unique(const std::vector<json_node>& nodes, const std::vector<std::string>& names,
                  const char* what) {
  std::map<std::string, std::size_t> first;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto [it, fresh] = first.emplace(names[i], i);
    if (!fresh)
      nodes[i]
          .required("name", "")
          .fail(std::string(what) + " " + in_quotes(names[i]) + " is already defined by " +
                nodes[it->second].path());
  }
}

}  // namespace

std::optional<backend> backend_from_name(const std::string& name) {
  for (const backend_name& b : backend_names)
    if (name == b.name) return b.where;
  return std::nullopt;
}

std::optional<exchange_strategy> exchange_from_name(const std::string& name) {
  if (name == "point_to_point") return exchange_strategy::point_to_point;
  if (name == "all_to_all") return exchange_strategy::all_to_all;
  if (name == "neighbourhood") return exchange_strategy::neighbourhood;
  if (name == "hierarchical") return exchange_strategy::hierarchical;
  return std::nullopt;
}

std::optional<binding> binding_from_name(const std::string& name) {
  if (name == "auto") return binding::automatic;
  if (name == "cores") return binding::cores;
  if (name == "none") return binding::none;
  return std::nullopt;
}

model_file parse_model(const std::string& json_text) {
  const nlohmann::json doc = parse_json(json_text);
  const json_node root(doc, "");
  root.only_keys({"description", "kernel", "populations", "connections", "recorders", "simulate"});
  model_file m;
  if (auto v = root.optional("description")) v->text();
  if (auto v = root.optional("kernel")) m.kernel = parse_kernel(*v);

  const json_node pops = root.required("populations", "a non-empty list of populations");
  const std::vector<json_node> pop_nodes = pops.elements("a non-empty list of populations");
  if (pop_nodes.empty()) pops.expected("a non-empty list of populations");
  const std::vector<std::string> models = starling::models();
  std::vector<std::string> names;
  for (const json_node& p : pop_nodes) {
    m.populations.push_back(parse_population(p, models));
    names.push_back(m.populations.back().name);
  }
  check_unique(pop_nodes, names, "population");

  if (auto v = root.optional("connections"))
    for (const json_node& c : v->elements("a list of connections"))
      m.connections.push_back(parse_connection(c, names));

  if (auto v = root.optional("recorders")) {
    const std::vector<json_node> rec_nodes = v->elements("a list of recorders");
    std::vector<std::string> rec_names;
    for (const json_node& r : rec_nodes) {
      m.recorders.push_back(parse_recorder(r, names));
      rec_names.push_back(m.recorders.back().name);
    }
    check_unique(rec_nodes, rec_names, "recorder");
  }
  // A synapse's weight_recorder names a recorder of type weight_recorder.
  if (auto v = root.optional("connections")) {
    const std::vector<json_node> conn_nodes = v->elements("a list of connections");
    for (std::size_t i = 0; i < m.connections.size(); ++i) {
      const std::string& name = m.connections[i].weight_recorder;
      if (name.empty()) continue;
      const auto it = std::find_if(m.recorders.begin(), m.recorders.end(),
                                   [&](const recorder_spec& r) { return r.name == name; });
      if (it == m.recorders.end() || it->type != recorder_type::weights)
        conn_nodes[i]
            .required("synapse", "")
            .required("weight_recorder", "")
            .fail((it == m.recorders.end() ? "unknown recorder " : "recorder ") + in_quotes(name) +
                  (it == m.recorders.end() ? "" : " is not a weight_recorder") +
                  "; expected the name of a recorder of type weight_recorder");
    }
  }

  const json_node t = root.required("simulate", "the time to simulate in ms");
  m.simulate = t.number();
  if (m.simulate < 0.0) t.expected("a time >= 0 (ms)");
  return m;
}

model_file read_model_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (std::filesystem::is_directory(file))
    throw invalid_argument("model file: " + file.string() + " is a directory; expected a file");
  if (!in)
    throw invalid_argument("model file: cannot read " + file.string() + ": " +
                           std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    throw invalid_argument("model file: cannot read " + file.string() + ": " +
                           std::strerror(errno));
  return parse_model(text.str());
}

}  // namespace starling::io
