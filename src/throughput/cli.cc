// `diviml solve --objective throughput` and `diviml eval --objective
// throughput`: argument checks, the solve, the report (text or JSON) and the
// plan file.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "diviml/cli.h"
#include "diviml/io.h"
#include "diviml/problem.h"
#include "diviml/throughput.h"

namespace diviml {
namespace {

int ParseReplicas(const std::string& s) {
  if (s == "auto" || s.empty()) return 0;
  size_t used = 0;
  long v = -1;
  try {
    v = std::stol(s, &used);
  } catch (...) {
    used = 0;
  }
  if (used != s.size() || v < 1 || v > 64)
    throw InputError("--replicas: expected a number from 1 to 64 or 'auto', got '" + s + "'");
  return static_cast<int>(v);
}

double Num(double v) { return std::isfinite(v) ? v : -1; }

nlohmann::json Figures(const Problem& pr, const ThroughputPlan& plan, const PeriodInfo& info,
                       const std::vector<double>& latency) {
  const auto& devs = pr.platform().devices;
  const int m = pr.m();
  nlohmann::json j;
  j["replicas"] = plan.replicas();
  j["period_s"] = info.period_s;
  j["throughput_per_s"] = Num(info.throughput_per_s);
  j["bottleneck"] = info.bottleneck;
  nlohmann::json util = nlohmann::json::object(), load = nlohmann::json::object(), mem = nlohmann::json::object();
  for (int d = 0; d < m; ++d) {
    util[devs[d].name] = info.period_s > 0 ? info.device_load_s[d] / info.period_s : 0.0;
    load[devs[d].name] = info.device_load_s[d];
    mem[devs[d].name] = info.device_param_bytes[d];
  }
  j["utilisation"] = util;
  j["device_load_s"] = load;
  j["device_param_bytes"] = mem;
  nlohmann::json links = nlohmann::json::object();
  for (int d = 0; d < m; ++d)
    for (int f = 0; f < m; ++f)
      if (info.link_load_s[d * m + f] > 0)
        links[devs[d].name + "->" + devs[f].name] =
            info.period_s > 0 ? info.link_load_s[d * m + f] / info.period_s : 0.0;
  j["link_utilisation"] = links;
  j["latency_s"] = latency;
  j["max_latency_s"] = latency.empty() ? 0.0 : *std::max_element(latency.begin(), latency.end());
  nlohmann::json ra = nlohmann::json::array();
  for (const auto& dev : plan.device) {
    nlohmann::json a = nlohmann::json::object();
    for (int i = 0; i < pr.n(); ++i) a[pr.graph().nodes[i].id] = devs[dev[i]].name;
    ra.push_back(a);
  }
  j["replica_assignment"] = ra;
  if (!ra.empty()) j["assignment"] = ra[0];
  return j;
}

}  // namespace

int RunSolveThroughput(const SolveArgs& a, std::ostream& out, std::ostream& err) {
  try {
    ThroughputOptions o;
    o.solver = a.solver;
    o.replicas = ParseReplicas(a.replicas);
    o.max_latency_s = a.max_latency_s;
    o.min_throughput_per_s = a.min_throughput_per_s;
    o.solve = a.options;
    if (o.solver != "single" && o.solver != "milp" && o.solver != "split" && o.solver != "tp-heuristic" &&
        o.solver != "auto")
      throw InputError("--solver: '" + a.solver + "' does not support --objective throughput (" +
                       kThroughputSolverNames + ")");
    Problem pr = LoadProblem(a);
    ThroughputResult r = SolveThroughput(pr, o);
    nlohmann::json j;
    j["solver"] = r.solver;
    if (!r.solver_note.empty()) j["solver_choice"] = r.solver_note;
    j["objective"] = "throughput";
    j["status"] = StatusName(r.status);
    if (!r.message.empty()) j["message"] = r.message;
    if (std::isfinite(a.max_latency_s)) j["max_latency_constraint_s"] = a.max_latency_s;
    if (a.min_throughput_per_s > 0) j["min_throughput_constraint_per_s"] = a.min_throughput_per_s;
    j["throughput_upper_bound_per_s"] = Num(r.throughput_upper_bound_per_s);
    j["solve_time_s"] = r.solve_time_s;
    PeriodInfo info;
    if (r.plan.replicas() > 0) {
      info = EvaluatePeriod(pr, r.plan);
      if (!info.valid || std::abs(info.period_s - r.period_s) > 1e-9 * std::max(1.0, r.period_s)) {
        err << "diviml: internal error: the throughput plan does not check: "
            << (info.violations.empty() ? "period mismatch" : info.violations.front()) << "\n";
        return 1;
      }
      j.update(Figures(pr, r.plan, info, r.latency_s));
      j["lower_bound_s"] = r.period_lower_bound_s;  // on the period, for this R
      j["gap"] = r.period_s > 0 ? (r.period_s - r.period_lower_bound_s) / r.period_s : 0.0;
    } else {
      j["throughput_per_s"] = 0;
      j["period_s"] = nullptr;
      j["replicas"] = 0;
    }
    if (!a.out.empty() && r.plan.replicas() > 0) {
      nlohmann::json plan = nlohmann::json::parse(ThroughputPlanJson(pr, r));
      plan.update(j);
      WriteFileAtomic(a.out, plan.dump(1) + "\n");
    }
    if (!a.gantt.empty() && r.plan.replicas() > 0) WriteFileAtomic(a.gantt, ThroughputGanttSvg(pr, r.plan, 3));
    if (a.json) {
      out << j.dump() << "\n";
    } else {
      out << fmt::format("solver {} ({}), objective throughput: {}\n", r.solver,
                         r.solver_note.empty() ? o.solver : r.solver_note, StatusName(r.status));
      if (!r.message.empty()) out << "  " << r.message << "\n";
      if (r.plan.replicas() > 0) {
        out << fmt::format("  replicas {}  period {:.6g} s  throughput {:.6g}/s  (bound {:.6g}/s)\n",
                           r.plan.replicas(), r.period_s, r.throughput_per_s, r.throughput_upper_bound_per_s);
        out << fmt::format("  bottleneck {}\n", info.bottleneck);
        for (int d = 0; d < pr.m(); ++d)
          out << fmt::format("  {:>12}  load {:.6g} s  utilisation {:.1f}%\n", pr.platform().devices[d].name,
                             info.device_load_s[d], info.period_s > 0 ? 100 * info.device_load_s[d] / info.period_s : 0.0);
        double mx = r.latency_s.empty() ? 0 : *std::max_element(r.latency_s.begin(), r.latency_s.end());
        out << fmt::format("  latency per sample (alone) up to {:.6g} s\n", mx);
      }
      out << fmt::format("  solve time {:.3f} s\n", r.solve_time_s);
    }
    return r.status == SolveStatus::kError ? 1 : 0;
  } catch (const InputError& e) {
    err << "diviml: " << e.what() << "\n";
    return 1;
  }
}

int RunEvalThroughput(const EvalArgs& a, std::ostream& out, std::ostream& err) {
  try {
    Problem pr = LoadProblem(a);
    ThroughputPlan plan = ParseThroughputPlanJson(ReadFile(a.plan), a.plan, pr);
    PeriodInfo info = EvaluatePeriod(pr, plan);
    if (!info.valid) {
      if (a.json) {
        nlohmann::json j;
        j["objective"] = "throughput";
        j["valid"] = false;
        j["violations"] = info.violations;
        out << j.dump() << "\n";
      } else {
        out << fmt::format("plan {} is invalid:\n", a.plan);
        for (const auto& v : info.violations) out << "  " << v << "\n";
      }
      err << "diviml: " << a.plan << ": invalid plan: " << info.violations.front() << "\n";
      return 1;
    }
    std::vector<double> lat;
    for (const auto& dev : plan.device) lat.push_back(ReplicaLatency(pr, dev));
    SimulationResult sim = SimulateThroughput(pr, plan, 1000);
    if (!a.gantt.empty()) WriteFileAtomic(a.gantt, ThroughputGanttSvg(pr, plan, 3));
    double ub = SampleWorkBound(pr);
    nlohmann::json j = Figures(pr, plan, info, lat);
    j["solver"] = "eval";
    j["objective"] = "throughput";
    j["status"] = "feasible";
    j["valid"] = true;
    j["violations"] = nlohmann::json::array();
    j["throughput_upper_bound_per_s"] = ub > 0 ? 1 / ub : -1.0;
    j["simulated_samples"] = sim.samples;
    j["simulated_throughput_per_s"] = Num(sim.throughput_per_s);
    j["simulated_latency_s"] = sim.mean_latency_s;
    j["simulated_max_latency_s"] = sim.max_latency_s;
    j["simulated_relative_difference"] =
        std::isfinite(info.throughput_per_s) && info.throughput_per_s > 0
            ? (sim.throughput_per_s - info.throughput_per_s) / info.throughput_per_s
            : 0.0;
    if (a.json) {
      out << j.dump() << "\n";
    } else {
      out << fmt::format("plan {}: {} replicas, period {:.6g} s, throughput {:.6g}/s (predicted)\n", a.plan,
                         plan.replicas(), info.period_s, info.throughput_per_s);
      out << fmt::format("  simulated ({} samples): throughput {:.6g}/s, latency mean {:.6g} s, max {:.6g} s\n",
                         sim.samples, sim.throughput_per_s, sim.mean_latency_s, sim.max_latency_s);
      out << fmt::format("  bottleneck {}\n", info.bottleneck);
    }
    return 0;
  } catch (const InputError& e) {
    err << "diviml: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace diviml
