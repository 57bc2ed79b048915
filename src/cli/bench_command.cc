// `diviml bench`: a suite of graphs x platforms x solvers in one table (text,
// CSV, JSON): nodes, lower bound, makespan, speed-up over the best single
// device, gap to the bound, solve time. See docs/split.md. Throughput
// columns (unless --no-throughput): the best single device with R = 1 and
// the split throughput heuristic with R = auto per graph and platform, and
// split's speed-up (docs/throughput.md).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "diviml/cli/cli.h"
#include "diviml/io/zoo.h"
#include "diviml/util/file.h"

namespace diviml {

std::vector<std::string> DefaultBenchModels() {
  std::vector<std::string> v;
  for (const auto& m : ZooModels()) v.push_back("zoo:" + m);
  for (const char* gen : {"er", "ba", "ws"})
    for (const char* regime : {"small", "regular"})
      v.push_back(fmt::format("randwire:{},regime={},seed=1", gen, regime));
  return v;
}

namespace {

struct Row {
  std::string model, platform, solver, status;
  int nodes = 0;
  double lb = 0, makespan = 0, single = 0, time = 0;
  std::string note;
  // Throughput (same for every solver row of a graph and platform).
  double tp_single = 0, tp_split = 0, tp_time = 0;
  int tp_replicas = 0;
};

// Throughput of the best single device (R = 1) and of split (R = auto).
void BenchThroughput(const Problem& pr, const BenchArgs& a, Row* row) {
  Request req;
  req.objective = Objective::kThroughput;
  req.solver = "single";
  req.replicas = 1;
  const Result s = Solve(pr, req);
  req.solver = "split";
  req.replicas = 0;
  if (a.throughput_time_limit_s > 0) req.options.time_limit_s = a.throughput_time_limit_s;
  const Result t = Solve(pr, req);
  row->tp_single = s.has_plan() ? s.period.throughput_per_s : 0;
  row->tp_split = t.has_plan() ? t.period.throughput_per_s : 0;
  row->tp_replicas = t.throughput_plan.replicas();
  row->tp_time = t.solve_time_s;
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> v;
  std::string cur;
  // Commas inside randwire specs: split on ';' when present, else on ',' but
  // keep "randwire:..." items whole (they run to the next ';' or the end).
  if (s.find(';') != std::string::npos) {
    std::stringstream ss(s);
    while (std::getline(ss, cur, ';'))
      if (!cur.empty()) v.push_back(cur);
    return v;
  }
  std::stringstream ss(s);
  while (std::getline(ss, cur, ','))
    if (!cur.empty()) {
      if (!v.empty() && v.back().rfind("randwire:", 0) == 0 && cur.find(':') == std::string::npos)
        v.back() += "," + cur;
      else
        v.push_back(cur);
    }
  return v;
}

std::string Fmt(double x) { return std::isfinite(x) ? fmt::format("{:.6g}", x) : "-"; }

}  // namespace

int RunBench(const BenchArgs& a, std::ostream& out, std::ostream& err) {
  std::vector<std::string> models = a.models.empty() ? DefaultBenchModels() : SplitList(a.models);
  std::vector<std::string> platforms = SplitList(a.platforms);
  std::vector<std::string> solvers = SplitList(a.solvers);
  for (auto& p : platforms)
    if (p.find(':') == std::string::npos && p.find('/') == std::string::npos) p = "zoo:" + p;
  for (auto& m : models)
    if (m.find(':') == std::string::npos && m.find('/') == std::string::npos) m = "zoo:" + m;
  for (const auto& s : solvers) {
    const SolverRecord* rec = FindSolver(s);
    if (!rec || !rec->Supports(Objective::kLatency)) {
      err << "diviml: --solvers: unknown latency solver '" << s << "' (" << SolverNameList(Objective::kLatency)
          << ")\n";
      return 1;
    }
  }
  if (a.module_size > 0 && std::find(solvers.begin(), solvers.end(), "split") == solvers.end()) {
    err << "diviml: --module-size: only with split among --solvers\n";
    return 1;
  }
  std::vector<Row> rows;
  const int total = static_cast<int>(models.size() * platforms.size() * solvers.size());
  int done = 0;
  auto bar = [&](const std::string& what) {
    if (a.quiet) return;
    const int w = 30;
    int filled = total ? done * w / total : w;
    err << fmt::format("\r[{}{}] {}/{} {:<60.60}", std::string(filled, '#'), std::string(w - filled, '.'), done,
                       total, what)
        << std::flush;
  };
  try {
    for (const auto& model : models)
      for (const auto& platform : platforms) {
        CommonArgs ca;
        ca.graph = model;
        ca.platform = platform;
        Problem pr = LoadProblem(ca);
        const BoundReport br = Bound(pr, a.module_exact_s);
        double lb = br.best_s;
        Request single_req;
        single_req.solver = "single";
        const Result single_result = Solve(pr, single_req);
        const double single = single_result.value;
        Row tp;
        if (a.throughput) {
          bar(model + " " + platform + " throughput");
          BenchThroughput(pr, a, &tp);
        }
        std::vector<Row> these;
        for (const auto& s : solvers) {
          bar(model + " " + platform + " " + s);
          Request req;
          req.solver = s;
          if (s == "milp" || s == "split") req.options.time_limit_s = s == "milp" ? a.milp_time_limit_s : a.time_limit_s;
          if (!(req.options.time_limit_s > 0)) req.options.time_limit_s = std::numeric_limits<double>::infinity();
          if (s == "split" && a.module_size > 0) req.params.push_back("split.module_size=" + std::to_string(a.module_size));
          const Result r = Solve(pr, req);
          Row row;
          row.model = model;
          row.platform = platform;
          row.solver = s;
          row.nodes = pr.n();
          row.status = StatusName(r.status);
          if (r.bound_above_plan) row.status += "+BOUND_ABOVE_PLAN";
          row.makespan = r.has_plan() ? r.value : INFINITY;
          row.single = single;
          row.tp_single = tp.tp_single;
          row.tp_split = tp.tp_split;
          row.tp_replicas = tp.tp_replicas;
          row.tp_time = tp.tp_time;
          row.time = r.solve_time_s;
          lb = std::max(lb, r.lower_bound);  // a bound above a plan shows as a negative gap
          these.push_back(row);
          ++done;
        }
        for (auto& r : these) {
          r.lb = lb;
          rows.push_back(r);
        }
      }
  } catch (const InputError& e) {
    if (!a.quiet) err << "\n";
    err << "diviml: " << e.what() << "\n";
    return 1;
  }
  bar("done");
  if (!a.quiet) err << "\n";

  auto speedup = [](const Row& r) { return r.makespan > 0 ? r.single / r.makespan : 0; };
  auto gap = [](const Row& r) { return r.lb > 0 ? (r.makespan - r.lb) / r.lb : 0; };
  out << fmt::format("{:<36} {:<12} {:>6} {:>12} {:<7} {:>12} {:>8} {:>8} {:>9} {}\n", "graph", "platform",
                     "nodes", "bound_s", "solver", "makespan_s", "speedup", "gap%", "time_s", "status");
  for (const Row& r : rows)
    out << fmt::format("{:<36} {:<12} {:>6} {:>12} {:<7} {:>12} {:>8.3f} {:>8.2f} {:>9.3f} {}\n", r.model,
                       r.platform, r.nodes, Fmt(r.lb), r.solver, Fmt(r.makespan), speedup(r), 100 * gap(r),
                       r.time, r.status);
  // Mean gap per solver.
  for (const auto& s : solvers) {
    double sum = 0;
    int k = 0;
    for (const Row& r : rows)
      if (r.solver == s && std::isfinite(r.makespan)) sum += gap(r), ++k;
    if (k) out << fmt::format("mean gap {:<7} {:.2f}% over {} runs\n", s, 100 * sum / k, k);
  }
  auto tp_speedup = [](const Row& r) { return r.tp_single > 0 ? r.tp_split / r.tp_single : 0; };
  if (a.throughput) {
    out << fmt::format("\nthroughput (samples/s): single = best single device, R = 1; split = R auto\n");
    out << fmt::format("{:<36} {:<12} {:>12} {:>12} {:>4} {:>8} {:>9}\n", "graph", "platform", "single/s",
                       "split/s", "R", "speedup", "time_s");
    double logsum = 0;
    int k = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      const Row& r = rows[i];
      if (i > 0 && rows[i - 1].model == r.model && rows[i - 1].platform == r.platform) continue;
      out << fmt::format("{:<36} {:<12} {:>12} {:>12} {:>4} {:>8.3f} {:>9.3f}\n", r.model, r.platform,
                         Fmt(r.tp_single), Fmt(r.tp_split), r.tp_replicas, tp_speedup(r), r.tp_time);
      if (tp_speedup(r) > 0) logsum += std::log(tp_speedup(r)), ++k;
    }
    if (k) out << fmt::format("geometric mean throughput speed-up of split {:.3f}x over {} runs\n",
                              std::exp(logsum / k), k);
  }
  // The files are written last, each atomically; an unwritable path is one
  // line on stderr and exit 1 (the table above is already printed).
  try {
    if (!a.csv.empty()) {
      std::string t = "graph,platform,nodes,lower_bound_s,solver,makespan_s,single_s,speedup,gap,solve_time_s,status";
      if (a.throughput) t += ",tp_single_per_s,tp_split_per_s,tp_replicas,tp_speedup,tp_solve_time_s";
      t += "\n";
      for (const Row& r : rows) {
        t += fmt::format("\"{}\",{},{},{},{},{},{},{:.6f},{:.6f},{:.6f},{}", r.model, r.platform, r.nodes,
                         Fmt(r.lb), r.solver, Fmt(r.makespan), Fmt(r.single), speedup(r), gap(r), r.time, r.status);
        if (a.throughput)
          t += fmt::format(",{},{},{},{:.6f},{:.6f}", Fmt(r.tp_single), Fmt(r.tp_split), r.tp_replicas,
                           tp_speedup(r), r.tp_time);
        t += "\n";
      }
      WriteFileAtomic(a.csv, t);
    }
    if (!a.json_path.empty()) {
      nlohmann::json j = nlohmann::json::array();
      for (const Row& r : rows) {
        j.push_back({{"graph", r.model},
                     {"platform", r.platform},
                     {"nodes", r.nodes},
                     {"lower_bound_s", r.lb},
                     {"solver", r.solver},
                     {"makespan_s", std::isfinite(r.makespan) ? nlohmann::json(r.makespan) : nlohmann::json()},
                     {"single_s", r.single},
                     {"speedup", speedup(r)},
                     {"gap", gap(r)},
                     {"solve_time_s", r.time},
                     {"status", r.status}});
        if (a.throughput) {
          j.back()["tp_single_per_s"] = r.tp_single;
          j.back()["tp_split_per_s"] = r.tp_split;
          j.back()["tp_replicas"] = r.tp_replicas;
          j.back()["tp_speedup"] = tp_speedup(r);
          j.back()["tp_solve_time_s"] = r.tp_time;
        }
      }
      WriteFileAtomic(a.json_path, j.dump(1) + "\n");
    }
  } catch (const InputError& e) {
    err << "diviml: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace diviml
