#include "io/hdf5_file.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <system_error>

#include "starling/config.hpp"
#include "starling/error.hpp"

#if STARLING_HAVE_HDF5
#include <hdf5.h>
#endif

namespace starling::io {

std::filesystem::path temporary_name(const std::filesystem::path& file) {
  return file.parent_path() /
         ("." + file.filename().string() + ".tmp-" + std::to_string(static_cast<long>(getpid())));
}

void commit_file(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code ec;
  std::filesystem::rename(from, to, ec);
  if (ec) {
    std::filesystem::remove(from, ec);
    throw invalid_argument("output: cannot rename " + from.string() + " to " + to.string() + ": " +
                           ec.message());
  }
}

bool have_hdf5() { return STARLING_HAVE_HDF5 != 0; }

#if !STARLING_HAVE_HDF5

namespace {
[[noreturn]] void no_hdf5(const std::filesystem::path& file) {
  throw invalid_argument("output: " + file.string() +
                         ": this Starling was built without HDF5 (install libhdf5-dev, "
                         "scripts/install_deps.sh, and rebuild)");
}
}  // namespace

void write_spikes_h5(const std::filesystem::path& file, const spike_population&) { no_hdf5(file); }
void write_samples_h5(const std::filesystem::path& file, const std::string&, const sample_data&,
                      std::size_t, double, const std::string&) {
  no_hdf5(file);
}
std::vector<spike_population> read_spikes_h5(const std::filesystem::path& file) { no_hdf5(file); }
bool is_spike_file(const std::filesystem::path& file) { no_hdf5(file); }

#else

namespace {

/// An HDF5 identifier closed by `close` when it goes out of scope.
class h5_id {
 public:
  h5_id(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  h5_id(const h5_id&) = delete;
  h5_id& operator=(const h5_id&) = delete;
  ~h5_id() {
    if (id_ >= 0) close_(id_);
  }
  operator hid_t() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

/// HDF5 prints its error stack by default; errors are reported by exceptions instead.
void quiet_hdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

struct h5_error {
  std::string file;
  [[noreturn]] void operator()(const std::string& what) const {
    throw invalid_argument("hdf5: " + file + ": " + what);
  }
  hid_t check(hid_t id, const std::string& what) const {
    if (id < 0) (*this)(what);
    return id;
  }
  void check_status(herr_t s, const std::string& what) const {
    if (s < 0) (*this)(what);
  }
};

hid_t make_group(hid_t parent, const std::string& name, const h5_error& err) {
  return err.check(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                   "cannot create the group " + name);
}

template <typename T>
void write_dataset(hid_t parent, const std::string& name, hid_t file_type, hid_t mem_type,
                   const std::vector<T>& data, const std::vector<hsize_t>& dims,
                   const h5_error& err) {
  h5_id space(err.check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                        "dataspace of " + name),
              H5Sclose);
  hsize_t total = 1;
  for (hsize_t d : dims) total *= d;
  // Contiguous and unfiltered: every HDF5 build reads it (libsonata's wheels have no deflate).
  h5_id set(err.check(H5Dcreate2(parent, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT,
                                 H5P_DEFAULT),
                      "cannot create the dataset " + name),
            H5Dclose);
  if (total > 0)
    err.check_status(H5Dwrite(set, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
                     "cannot write the dataset " + name);
}

void write_attribute(hid_t object, const std::string& name, hid_t type, const void* value,
                     const h5_error& err) {
  h5_id space(H5Screate(H5S_SCALAR), H5Sclose);
  h5_id attr(err.check(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                       "cannot create the attribute " + name),
             H5Aclose);
  err.check_status(H5Awrite(attr, type, value), "cannot write the attribute " + name);
}

void write_string_attribute(hid_t object, const std::string& name, const std::string& value,
                            const h5_error& err) {
  // Variable-length UTF-8, which h5py reads as str.
  h5_id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  const char* text = value.c_str();
  write_attribute(object, name, type, &text, err);
}

/// Creates `file` under a temporary name, lets `fill` write into its root group, closes it and
/// renames it. The temporary file is removed on any error.
template <typename F>
void write_h5(const std::filesystem::path& file, F&& fill) {
  quiet_hdf5();
  const std::filesystem::path tmp = temporary_name(file);
  const h5_error err{file.string()};
  try {
    {
      h5_id f(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
      if (!f.valid()) err("cannot create " + tmp.string());
      const std::uint32_t version[2] = {0, 1};
      const std::uint32_t magic = 0x0A7A;
      write_attribute(f, "magic", H5T_NATIVE_UINT32, &magic, err);
      h5_id vspace(H5Screate_simple(1, std::vector<hsize_t>{2}.data(), nullptr), H5Sclose);
      h5_id vattr(H5Acreate2(f, "version", H5T_NATIVE_UINT32, vspace, H5P_DEFAULT, H5P_DEFAULT),
                  H5Aclose);
      err.check_status(H5Awrite(vattr, H5T_NATIVE_UINT32, version), "cannot write version");
      fill(static_cast<hid_t>(f), err);
      err.check_status(H5Fflush(f, H5F_SCOPE_GLOBAL), "cannot flush");
    }
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw;
  }
  commit_file(tmp, file);
}

}  // namespace

void write_spikes_h5(const std::filesystem::path& file, const spike_population& p) {
  const spike_data& s = p.spikes;
  if (s.index.size() != s.time.size())
    throw invalid_argument("output: " + file.string() + ": " + std::to_string(s.index.size()) +
                           " node ids for " + std::to_string(s.time.size()) + " spike times");
  std::vector<std::size_t> order(s.time.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&s](std::size_t a, std::size_t b) {
    return s.time[a] < s.time[b] || (s.time[a] == s.time[b] && s.index[a] < s.index[b]);
  });
  std::vector<double> timestamps(order.size());
  std::vector<std::uint64_t> node_ids(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    timestamps[i] = s.time[order[i]];
    node_ids[i] = s.index[order[i]];
  }
  write_h5(file, [&](hid_t root, const h5_error& err) {
    h5_id spikes(make_group(root, "spikes", err), H5Gclose);
    h5_id pop(make_group(spikes, p.name, err), H5Gclose);
    // SONATA's sorting attribute: an enumeration none = 0, by_id = 1, by_time = 2.
    h5_id sorting(H5Tenum_create(H5T_NATIVE_SCHAR), H5Tclose);
    const signed char none = 0, by_id = 1, by_time = 2;
    H5Tenum_insert(sorting, "none", &none);
    H5Tenum_insert(sorting, "by_id", &by_id);
    H5Tenum_insert(sorting, "by_time", &by_time);
    write_attribute(pop, "sorting", sorting, &by_time, err);
    const std::uint64_t n_nodes = p.size;
    write_attribute(pop, "n_nodes", H5T_NATIVE_UINT64, &n_nodes, err);
    write_attribute(pop, "t_start", H5T_NATIVE_DOUBLE, &p.t_start, err);
    write_attribute(pop, "t_stop", H5T_NATIVE_DOUBLE, &p.t_stop, err);
    const hsize_t n = timestamps.size();
    write_dataset(pop, "timestamps", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, timestamps, {n}, err);
    write_dataset(pop, "node_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64, node_ids, {n}, err);
    h5_id ts(H5Dopen2(pop, "timestamps", H5P_DEFAULT), H5Dclose);
    write_string_attribute(ts, "units", "ms", err);
  });
}

void write_samples_h5(const std::filesystem::path& file, const std::string& population,
                      const sample_data& s, std::size_t v, double interval,
                      const std::string& units) {
  const std::size_t rows = s.time.size();
  std::vector<std::uint64_t> members(s.index.begin(), s.index.end());
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  std::vector<double> times(s.time);
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  if (members.size() * times.size() != rows)
    throw invalid_argument("output: " + file.string() + ": " + std::to_string(rows) +
                           " samples are not " + std::to_string(times.size()) + " times of " +
                           std::to_string(members.size()) + " members");
  std::vector<std::size_t> column(members.empty() ? 0 : members.back() + 1, 0);
  for (std::size_t j = 0; j < members.size(); ++j) column[members[j]] = j;
  std::vector<std::size_t> row_of(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t t = static_cast<std::size_t>(
        std::lower_bound(times.begin(), times.end(), s.time[r]) - times.begin());
    row_of[r] = t * members.size() + column[s.index[r]];
  }
  write_h5(file, [&](hid_t root, const h5_error& err) {
    h5_id report(make_group(root, "report", err), H5Gclose);
    h5_id var(make_group(report, population, err), H5Gclose);
    {
      std::vector<double> data(rows);
      for (std::size_t r = 0; r < rows; ++r) data[row_of[r]] = s.values[v][r];
      // SONATA's reports hold float32 (libsonata refuses others); the CSV file keeps doubles.
      write_dataset(var, "data", H5T_IEEE_F32LE, H5T_NATIVE_DOUBLE, data,
                    {times.size(), members.size()}, err);
      h5_id mapping(make_group(var, "mapping", err), H5Gclose);
      const hsize_t m = members.size();
      write_dataset(mapping, "node_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64, members, {m}, err);
      write_dataset(mapping, "element_ids", H5T_STD_U32LE, H5T_NATIVE_UINT32,
                    std::vector<std::uint32_t>(m, 0), {m}, err);
      std::vector<std::uint64_t> pointers(m + 1);
      std::iota(pointers.begin(), pointers.end(), std::uint64_t{0});
      write_dataset(mapping, "index_pointers", H5T_STD_U64LE, H5T_NATIVE_UINT64, pointers, {m + 1},
                    err);
      const double first = times.empty() ? 0.0 : times.front();
      const std::vector<double> time{first, first + static_cast<double>(times.size()) * interval,
                                     interval};
      write_dataset(mapping, "time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, time, {3}, err);
      h5_id d(H5Dopen2(var, "data", H5P_DEFAULT), H5Dclose);
      write_string_attribute(d, "units", units, err);
      h5_id tset(H5Dopen2(mapping, "time", H5P_DEFAULT), H5Dclose);
      write_string_attribute(tset, "units", "ms", err);
      write_string_attribute(d, "variable_name", s.variables[v], err);
    }
  });
}

namespace {

template <typename T>
std::vector<T> read_vector(hid_t parent, const std::string& name, hid_t mem_type,
                           const h5_error& err) {
  h5_id set(err.check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "no dataset " + name), H5Dclose);
  h5_id space(H5Dget_space(set), H5Sclose);
  if (H5Sget_simple_extent_ndims(space) != 1) err(name + " is not one-dimensional");
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space, &n, nullptr);
  std::vector<T> v(n);
  if (n > 0)
    err.check_status(H5Dread(set, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()),
                     "cannot read " + name + " as numbers");
  return v;
}

bool read_attribute(hid_t object, const char* name, hid_t mem_type, void* value,
                    const h5_error& err) {
  if (H5Aexists(object, name) <= 0) return false;
  h5_id attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  err.check_status(H5Aread(attr, mem_type, value),
                   std::string("cannot read the attribute ") + name);
  return true;
}

/// A string attribute (fixed or variable length), or "" when absent.
std::string read_string_attribute(hid_t object, const char* name, const h5_error& err) {
  if (H5Aexists(object, name) <= 0) return "";
  h5_id attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  h5_id type(H5Aget_type(attr), H5Tclose);
  if (H5Tget_class(type) != H5T_STRING) err(std::string("attribute ") + name + " is not text");
  if (H5Tis_variable_str(type) > 0) {
    h5_id mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem, H5T_VARIABLE);
    H5Tset_cset(mem, H5Tget_cset(type));  // HDF5 converts no text between ASCII and UTF-8
    char* text = nullptr;
    err.check_status(H5Aread(attr, mem, &text), std::string("cannot read the attribute ") + name);
    std::string out = text != nullptr ? text : "";
    h5_id space(H5Screate(H5S_SCALAR), H5Sclose);
    H5Dvlen_reclaim(mem, space, H5P_DEFAULT, &text);
    return out;
  }
  std::string out(H5Tget_size(type), '\0');
  err.check_status(H5Aread(attr, type, out.data()), std::string("cannot read the attribute ") +
                                                        name);
  return out.substr(0, out.find('\0'));
}

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* out) {
  static_cast<std::vector<std::string>*>(out)->push_back(name);
  return 0;
}

}  // namespace

bool is_spike_file(const std::filesystem::path& file) {
  quiet_hdf5();
  if (!std::filesystem::is_regular_file(file) || H5Fis_hdf5(file.c_str()) <= 0) return false;
  h5_id f(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  return f.valid() && H5Lexists(f, "spikes", H5P_DEFAULT) > 0;
}

std::vector<spike_population> read_spikes_h5(const std::filesystem::path& file) {
  quiet_hdf5();
  const h5_error err{file.string()};
  if (!std::filesystem::is_regular_file(file)) err("no such file");
  h5_id f(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!f.valid()) err("not an HDF5 file");
  if (H5Lexists(f, "spikes", H5P_DEFAULT) <= 0) err("no group /spikes: not a SONATA spike file");
  h5_id spikes(err.check(H5Gopen2(f, "spikes", H5P_DEFAULT), "/spikes is not a group"), H5Gclose);
  std::vector<std::string> names;
  H5Literate(spikes, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name, &names);
  if (names.empty()) err("/spikes holds no population");
  std::vector<spike_population> out;
  for (const std::string& name : names) {
    const h5_error perr{file.string() + ": /spikes/" + name};
    h5_id g(perr.check(H5Gopen2(spikes, name.c_str(), H5P_DEFAULT), "is not a group"), H5Gclose);
    spike_population p;
    p.name = name;
    p.spikes.time = read_vector<double>(g, "timestamps", H5T_NATIVE_DOUBLE, perr);
    {
      // SONATA's timestamps are in ms unless their attribute units says otherwise.
      h5_id ts(H5Dopen2(g, "timestamps", H5P_DEFAULT), H5Dclose);
      const std::string units = read_string_attribute(ts, "units", perr);
      if (units == "s") {
        for (double& t : p.spikes.time) t *= 1000.0;
      } else if (!units.empty() && units != "ms") {
        perr("timestamps in units \"" + units + "\"; expected ms or s");
      }
    }
    const std::vector<std::uint64_t> ids =
        read_vector<std::uint64_t>(g, "node_ids", H5T_NATIVE_UINT64, perr);
    if (ids.size() != p.spikes.time.size())
      perr(std::to_string(ids.size()) + " node_ids for " + std::to_string(p.spikes.time.size()) +
           " timestamps; expected as many");
    std::uint64_t max_id = 0;
    p.spikes.index.resize(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] > 0xffffffffu) perr("node id " + std::to_string(ids[i]) + " above 2^32 - 1");
      p.spikes.index[i] = static_cast<std::uint32_t>(ids[i]);
      max_id = std::max(max_id, ids[i]);
    }
    std::uint64_t n_nodes = 0;
    if (read_attribute(g, "n_nodes", H5T_NATIVE_UINT64, &n_nodes, perr)) {
      if (!ids.empty() && max_id >= n_nodes)
        perr("node id " + std::to_string(max_id) + " is not below n_nodes " +
             std::to_string(n_nodes));
      p.size = n_nodes;
    } else {
      p.size = ids.empty() ? 0 : max_id + 1;
    }
    for (double t : p.spikes.time)
      if (!(t == t)) perr("a timestamp is NaN");
    read_attribute(g, "t_start", H5T_NATIVE_DOUBLE, &p.t_start, perr);
    if (!read_attribute(g, "t_stop", H5T_NATIVE_DOUBLE, &p.t_stop, perr))
      for (double t : p.spikes.time) p.t_stop = std::max(p.t_stop, t);
    out.push_back(std::move(p));
  }
  return out;
}

#endif

}  // namespace starling::io
