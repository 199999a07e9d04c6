#include <cmath>
#include <cstdio>
#include <map>

#include "io/cli/analysis.hpp"
#include "io/cli/commands.hpp"
#include "io/distribution_distance.hpp"

namespace starling::io::cli {

namespace {

/// A set's distributions per population, pooled over its runs.
struct pooled {
  std::vector<double> rates, cv_isi, correlations;
};

std::map<std::string, pooled> pool(const std::vector<population_stats>& stats) {
  std::map<std::string, pooled> out;
  auto add = [](std::vector<double>& to, const std::vector<double>& from) {
    for (double x : from)
      if (!std::isnan(x)) to.push_back(x);
  };
  for (const population_stats& s : stats) {
    pooled& p = out[s.name];
    add(p.rates, s.rates);
    add(p.cv_isi, s.cv_isi);
    add(p.correlations, s.correlations);
  }
  return out;
}

std::string num(double x) {
  if (std::isnan(x)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", x);
  return buf;
}

nlohmann::json json_num(double x) { return std::isnan(x) ? nlohmann::json() : nlohmann::json(x); }

int compare_main(const std::vector<std::string>& args) {
  const analysis_arguments a = parse_analysis("compare", args, false);
  if (a.help) {
    std::fputs(usage_of(compare_command).c_str(), stdout);
    return 0;
  }
  if (a.files.size() != 2)
    throw usage_error(
        "compare: expected two sets A B (each a spike file or a folder of runs), "
        "got " +
        std::to_string(a.files.size()));
  const auto set_a = pool(analyze_files(spike_files({a.files[0]}), a.options));
  const auto set_b = pool(analyze_files(spike_files({a.files[1]}), a.options));
  std::printf("%-12s %-13s %7s %7s %12s %12s\n", "population", "statistic", "n A", "n B", "EMD",
              "KL(A||B)");
  nlohmann::json pops = nlohmann::json::array();
  std::size_t common = 0;
  for (const auto& [name, pa] : set_a) {
    const auto it = set_b.find(name);
    if (it == set_b.end()) continue;
    ++common;
    const pooled& pb = it->second;
    nlohmann::json entry = {{"population", name}};
    for (const auto& [stat, va, vb] :
         {std::tuple{"rates", &pa.rates, &pb.rates}, std::tuple{"cv_isi", &pa.cv_isi, &pb.cv_isi},
          std::tuple{"correlations", &pa.correlations, &pb.correlations}}) {
      const double emd = earth_movers_distance(*va, *vb);
      const double kl = kde_kl_divergence(*va, *vb);
      std::printf("%-12s %-13s %7zu %7zu %12s %12s\n", name.c_str(), stat, va->size(), vb->size(),
                  num(emd).c_str(), num(kl).c_str());
      entry[stat] = {
          {"n_a", va->size()}, {"n_b", vb->size()}, {"emd", json_num(emd)}, {"kl", json_num(kl)}};
    }
    pops.push_back(entry);
  }
  if (common == 0)
    throw invalid_argument("compare: " + a.files[0] + " and " + a.files[1] +
                           " have no population in common");
  if (!a.json.empty()) {
    write_json(a.json, {{"populations", pops}});
    std::printf("wrote %s\n", a.json.c_str());
  }
  return 0;
}

}  // namespace

const command compare_command = {
    "compare", "A B [--start MS] [--stop MS] [--sample N] [--bin MS] [--json FILE]",
    "per population, the Earth Mover's distance and the KL divergence of Gaussian KDEs between "
    "the rate, CV ISI and correlation distributions of two sets of runs (each a SONATA spike "
    "file, a folder of them, or a folder of run folders; runs pooled)",
    "  --start, --stop, --sample, --bin   as in starling analyze\n"
    "  --json FILE            also write the distances to FILE\n"
    "  -h, --help             print this help\n",
    &compare_main};

}  // namespace starling::io::cli
