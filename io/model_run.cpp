#include <algorithm>
#include <chrono>
#include <map>

#include "io/csv.hpp"
#include "io/hdf5_file.hpp"
#include "io/json_node.hpp"
#include "io/model_file.hpp"
#include "starling/error.hpp"

namespace starling::io {

namespace {

using steady = std::chrono::steady_clock;

double seconds(steady::time_point from, steady::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

/// Calls `f`, rethrowing the simulator's rejection of an input with the path of the field of the
/// model file that gave it.
template <typename F>
auto at(const std::string& path, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const invalid_argument& e) {
    std::string what = e.what();
    // "simulate: time 0.05 ms ..." at the path "simulate" would say its name twice.
    if (what.rfind(path + ": ", 0) == 0) what.erase(0, path.size() + 2);
    throw invalid_argument(model_file_error(path, what));
  }
}

bool is_generator(const std::string& model) { return !describe(model).is_neuron; }

const population& find(const std::map<std::string, population>& pops, const std::string& name,
                       const std::string& path) {
  const auto it = pops.find(name);
  if (it == pops.end())
    throw invalid_argument(model_file_error(path, "unknown population \"" + name + "\""));
  return it->second;
}

}  // namespace

run_result run(const model_file& model, const run_options& options) {
  kernel_options k = model.kernel;
  if (options.where) k.where = *options.where;
  if (options.slice_steps) {
    if (*options.slice_steps < 1)
      throw invalid_argument("run: slice_steps " + std::to_string(*options.slice_steps) +
                             "; expected an integer >= 1");
    k.slice_steps = *options.slice_steps;
  }
  k.progress = options.progress;
  if (options.bind) k.bind = *options.bind;
  if (options.exchange) k.exchange = *options.exchange;
  k.verbose = options.verbose;

  const steady::time_point start = steady::now();
  simulator sim(k);
  run_result result;
  std::map<std::string, population> pops;
  for (std::size_t i = 0; i < model.populations.size(); ++i) {
    const population_spec& p = model.populations[i];
    const std::string path = "populations[" + std::to_string(i) + "]";
    // Every process builds the whole network; population p lives on process rank mod N.
    const population h = at(path + ".params", [&] {
      return sim.remote_create(p.rank % sim.processes(), p.model, p.size, p.params);
    });
    if (!p.lists_each.empty())
      at(path + ".params." + p.lists_each.begin()->first, [&] { sim.set_lists(h, p.lists_each); });
    for (const auto& [name, v] : p.state) at(path + ".state." + name, [&] { sim.set(h, name, v); });
    pops[p.name] = h;
    (is_generator(p.model) ? result.devices : result.neurons) += p.size;
  }
  // Connection recorders hold no simulator recorder; their handle stays unused. Weight
  // recorders exist before the connections that name them.
  std::vector<recorder> handles(model.recorders.size());
  std::map<std::string, std::size_t> weight_recorders;  // name -> index in model.recorders
  for (std::size_t i = 0; i < model.recorders.size(); ++i)
    if (model.recorders[i].type == recorder_type::weights) {
      handles[i] = sim.record_weights();
      weight_recorders[model.recorders[i].name] = i;
    }
  for (std::size_t i = 0; i < model.connections.size(); ++i) {
    const connection_spec& c = model.connections[i];
    const std::string path = "connections[" + std::to_string(i) + "]";
    const population& pre = find(pops, c.source, path + ".source");
    const population& post = find(pops, c.target, path + ".target");
    synapse syn = c.synapse;
    if (!c.weight_recorder.empty()) {
      const auto it = weight_recorders.find(c.weight_recorder);
      if (it == weight_recorders.end())
        throw invalid_argument(
            model_file_error(path + ".synapse.weight_recorder",
                             "unknown weight_recorder \"" + c.weight_recorder + "\""));
      syn.weight_recorder = handles[it->second];
    }
    at(path,
       [&] { sim.remote_connect(sim.rank_of(pre), pre, sim.rank_of(post), post, c.rule, syn); });
  }
  for (std::size_t i = 0; i < model.recorders.size(); ++i) {
    const recorder_spec& r = model.recorders[i];
    if (r.type == recorder_type::connections || r.type == recorder_type::weights) continue;
    const std::string path = "recorders[" + std::to_string(i) + "]";
    const population& pop = find(pops, r.population, path + ".population");
    handles[i] = at(path, [&] {
      return r.type == recorder_type::spike_recorder
                 ? sim.record_spikes(pop, r.window)
                 : sim.record_states(pop, r.variables, r.interval);
    });
  }
  sim.prepare();
  const steady::time_point built = steady::now();

  for (std::size_t i = 0; i < model.recorders.size(); ++i) {
    const recorder_spec& r = model.recorders[i];
    recording rec;
    rec.name = r.name;
    rec.type = r.type;
    rec.population = r.population;
    // Spikes and weights (recorded where the synapses' targets live) are gathered on every
    // process and written by process 0; samples and connections by the process that holds them.
    if (r.type != recorder_type::spike_recorder && r.type != recorder_type::weights)
      rec.writer =
          sim.rank_of(find(pops, r.type == recorder_type::connections ? r.target : r.population,
                           "recorders[" + std::to_string(i) + "]"));
    if (r.type == recorder_type::weights) {
      rec.population_names.resize(pops.size());
      for (const auto& [name, h] : pops)
        if (h.id < rec.population_names.size()) rec.population_names[h.id] = name;
    }
    if (r.type == recorder_type::spike_recorder || r.type == recorder_type::voltmeter) {
      const population& pop = find(pops, r.population, "recorders[" + std::to_string(i) + "]");
      rec.owner = sim.rank_of(pop);
      rec.size = pop.size;
      rec.interval = r.interval;
      if (r.type == recorder_type::voltmeter) {
        const std::string* model_name = nullptr;
        for (const population_spec& p : model.populations)
          if (p.name == r.population) model_name = &p.model;
        const model_description d = describe(*model_name);
        for (const std::string& v : r.variables) {
          const auto it = std::find(d.states.begin(), d.states.end(), v);
          rec.units.push_back(it == d.states.end()
                                  ? std::string()
                                  : d.state_units[static_cast<std::size_t>(it - d.states.begin())]);
        }
      }
    }
    rec.source = r.source;
    rec.target = r.target;
    result.recordings.push_back(std::move(rec));
  }

  const steady::time_point sim_start = steady::now();
  at("simulate", [&] { sim.simulate(model.simulate); });
  const steady::time_point done = steady::now();

  result.device = sim.device();
  result.rank = sim.rank();
  result.processes = sim.processes();
  result.exchange = sim.exchange();
  result.connections = sim.total_connections();
  result.slice_steps = sim.slice_steps();
  result.model_time = sim.time();
  result.build_seconds = seconds(start, built);
  result.sim_seconds = seconds(sim_start, done);
  result.real_time_factor =
      result.model_time > 0.0 ? result.sim_seconds / (result.model_time / 1000.0) : 0.0;

  for (std::size_t i = 0; i < model.recorders.size(); ++i) {
    recording& rec = result.recordings[i];
    if (rec.type == recorder_type::spike_recorder) {
      rec.spikes = sim.gather_spikes(handles[i]);
      if (rec.owner == result.rank) rec.local_spikes = sim.spikes(handles[i]);
      const recording_window& w = model.recorders[i].window;
      rec.t_start = std::clamp(w.origin + w.start, 0.0, result.model_time);
      rec.t_stop = std::clamp(w.origin + w.stop, rec.t_start, result.model_time);
    } else if (rec.type == recorder_type::voltmeter) {
      rec.samples = sim.samples(handles[i]);
    } else if (rec.type == recorder_type::weights) {
      rec.weights = sim.gather_weights(handles[i]);
    } else {
      // After the run, outside both timings: plastic weights as the run left them.
      const std::string path = "recorders[" + std::to_string(i) + "]";
      const population& source = find(pops, rec.source, path + ".source");
      const population& target = find(pops, rec.target, path + ".target");
      rec.connections = at(path, [&] { return sim.get_connections(source, target); });
    }
  }
  for (const population_spec& p : model.populations) {
    population_summary s{p.name, p.model, p.size, false, 0, 0.0};
    for (const recording& rec : result.recordings)
      if (!s.recorded && rec.type == recorder_type::spike_recorder && rec.population == p.name) {
        s.recorded = true;
        s.spikes = rec.spikes.time.size();
      }
    if (s.recorded && result.model_time > 0.0)
      s.rate = static_cast<double>(s.spikes) / static_cast<double>(s.size) /
               (result.model_time / 1000.0);
    result.populations.push_back(s);
  }
  return result;
}

output_formats formats_from_names(const std::string& list) {
  output_formats f{false, false};
  std::size_t from = 0;
  while (from <= list.size()) {
    const std::size_t comma = std::min(list.find(',', from), list.size());
    const std::string name = list.substr(from, comma - from);
    if (name == "csv")
      f.csv = true;
    else if (name == "hdf5" || name == "h5")
      f.hdf5 = true;
    else
      throw invalid_argument("output: format \"" + name + "\"; expected csv, hdf5 or csv,hdf5");
    if (f.hdf5 && !have_hdf5())
      throw invalid_argument("output: format hdf5: this Starling was built without HDF5 (install "
                             "libhdf5-dev, scripts/install_deps.sh, and rebuild)");
    from = comma + 1;
  }
  return f;
}

std::vector<std::filesystem::path> write_recordings(const run_result& result,
                                                    const std::filesystem::path& dir,
                                                    const output_formats& formats) {
  create_output_dir(dir);
  std::vector<std::filesystem::path> files;
  for (const recording& rec : result.recordings) {
    if (formats.hdf5 && rec.owner == result.rank && rec.type == recorder_type::spike_recorder) {
      const std::filesystem::path file = dir / (rec.name + ".h5");
      write_spikes_h5(file, {rec.population, rec.size, rec.t_start, rec.t_stop, rec.local_spikes});
      files.push_back(file);
    }
    if (formats.hdf5 && rec.owner == result.rank && rec.type == recorder_type::voltmeter) {
      // A SONATA report holds one variable: <name>.h5, or <name>.<variable>.h5 for several.
      const std::vector<std::string>& vars = rec.samples.variables;
      for (std::size_t v = 0; v < vars.size(); ++v) {
        const std::filesystem::path file =
            dir / (rec.name + (vars.size() > 1 ? "." + vars[v] : std::string()) + ".h5");
        write_samples_h5(file, rec.population, rec.samples, v, rec.interval,
                         v < rec.units.size() ? rec.units[v] : std::string());
        files.push_back(file);
      }
    }
    // Connections and weights have no HDF5 form: their CSV files are written whatever the
    // formats.
    const bool csv_only =
        rec.type == recorder_type::connections || rec.type == recorder_type::weights;
    if ((!formats.csv && !csv_only) || rec.writer != result.rank) continue;
    const std::filesystem::path file = dir / (rec.name + ".csv");
    write_file(file, [&rec](std::ostream& out) {
      switch (rec.type) {
        case recorder_type::spike_recorder:
          write_spikes_csv(out, rec.population, rec.spikes);
          break;
        case recorder_type::voltmeter:
          write_samples_csv(out, rec.population, rec.samples);
          break;
        case recorder_type::connections:
          write_connections_csv(out, rec.connections);
          break;
        case recorder_type::weights:
          write_weights_csv(out, rec.weights, rec.population_names);
          break;
      }
    });
    files.push_back(file);
  }
  return files;
}

}  // namespace starling::io
