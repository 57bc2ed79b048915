// ResultToJson (include/diviml/export/export.h): the JSON result object of
// both objectives, also the plan file "diviml-plan-v1" that `diviml eval
// --plan` reads back (docs/formats.md).
#include <algorithm>
#include <cmath>

#include "diviml/export/export.h"

namespace diviml {
namespace {

nlohmann::json Number(double x) {
  if (std::isfinite(x)) return x;
  return nullptr;
}

nlohmann::json Gap(const std::optional<double>& g) {
  if (g) return *g;
  return nullptr;
}

void Common(const Problem& pr, const Result& r, nlohmann::json* j) {
  (*j)["format"] = "diviml-plan-v1";
  (*j)["graph"] = pr.graph().name;
  (*j)["platform"] = pr.platform().name;
  (*j)["solver"] = r.solver;
  if (!r.solver_note.empty()) (*j)["solver_choice"] = r.solver_note;
  (*j)["objective"] = ObjectiveName(r.objective);
  (*j)["status"] = StatusName(r.status);
  (*j)["solve_time_s"] = r.solve_time_s;
  nlohmann::json parts = nlohmann::json::object();
  for (const BoundPart& b : r.bounds.parts) parts[b.name] = Number(b.value_s);
  (*j)["bounds"] = parts;
  (*j)["lower_bound_source"] = r.bounds.best_name;
  (*j)["bound_above_plan"] = r.bound_above_plan;
  if (!r.params.empty()) (*j)["params"] = r.params;
  if (!r.message.empty()) (*j)["message"] = r.message;
}

nlohmann::json Assignment(const Problem& pr, const std::vector<int>& device) {
  nlohmann::json a = nlohmann::json::object();
  for (int v = 0; v < pr.n(); ++v) a[pr.graph().nodes[v].id] = pr.platform().devices[device[v]].name;
  return a;
}

nlohmann::json Order(const Problem& pr, const Plan& plan) {
  nlohmann::json order = nlohmann::json::object();
  for (int d = 0; d < pr.m(); ++d) {
    nlohmann::json list = nlohmann::json::array();
    for (int v : plan.order[d]) list.push_back(pr.graph().nodes[v].id);
    order[pr.platform().devices[d].name] = list;
  }
  return order;
}

nlohmann::json Latency(const Problem& pr, const Result& r) {
  const Graph& g = pr.graph();
  const auto& devs = pr.platform().devices;
  nlohmann::json j;
  Common(pr, r, &j);
  j["makespan_s"] = Number(r.has_plan() ? r.value : INFINITY);
  j["lower_bound_s"] = Number(r.lower_bound);
  j["gap"] = Gap(r.gap);
  if (!r.has_plan()) {
    j["violations"] = r.evaluation.violations;
    nlohmann::json codes = nlohmann::json::array();
    for (ViolationCode c : r.evaluation.violation_codes) codes.push_back(ViolationCodeName(c));
    j["violation_codes"] = codes;
    return j;
  }
  j["assignment"] = Assignment(pr, r.plan.device);
  j["order"] = Order(pr, r.plan);
  const Schedule& s = r.evaluation.schedule;
  nlohmann::json sched = nlohmann::json::array();
  for (int d = 0; d < pr.m(); ++d)
    for (int v : r.plan.order[d])
      sched.push_back({{"node", g.nodes[v].id}, {"device", devs[d].name},
                       {"start_s", s.start_s[v]}, {"end_s", s.end_s[v]}});
  j["schedule"] = sched;
  nlohmann::json tr = nlohmann::json::array();
  for (const Transfer& t : s.transfers) {
    const Edge& e = g.edges[t.edge];
    tr.push_back({{"from", g.nodes[e.from].id}, {"to", g.nodes[e.to].id},
                  {"from_device", devs[t.from_device].name}, {"to_device", devs[t.to_device].name},
                  {"bytes", e.bytes}, {"start_s", t.start_s}, {"end_s", t.end_s}});
  }
  j["transfers"] = tr;
  return j;
}

nlohmann::json Throughput(const Problem& pr, const Result& r) {
  const auto& devs = pr.platform().devices;
  const int m = pr.m();
  nlohmann::json j;
  Common(pr, r, &j);
  if (std::isfinite(r.max_latency_constraint_s)) j["max_latency_constraint_s"] = r.max_latency_constraint_s;
  if (r.min_throughput_constraint_per_s > 0) j["min_throughput_constraint_per_s"] = r.min_throughput_constraint_per_s;
  j["throughput_upper_bound_per_s"] = Number(r.throughput_upper_bound_per_s);
  j["lower_bound_s"] = Number(r.lower_bound);  // on the period, for this R
  j["gap"] = Gap(r.gap);
  if (!r.has_plan()) {
    j["throughput_per_s"] = 0;
    j["period_s"] = nullptr;
    j["replicas"] = 0;
    j["valid"] = false;
    j["violations"] = r.period.violations;
    return j;
  }
  const PeriodInfo& info = r.period;
  j["valid"] = true;
  j["replicas"] = r.throughput_plan.replicas();
  j["period_s"] = info.period_s;
  j["throughput_per_s"] = Number(info.throughput_per_s);
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
  const auto& lat = r.replica_latency_s;
  j["latency_s"] = lat;
  j["max_latency_s"] = lat.empty() ? 0.0 : *std::max_element(lat.begin(), lat.end());
  nlohmann::json ra = nlohmann::json::array();
  for (const auto& dev : r.throughput_plan.device) ra.push_back(Assignment(pr, dev));
  j["replica_assignment"] = ra;
  // Replica 0 as a latency plan, so latency tools still read the file.
  j["assignment"] = ra[0];
  j["order"] = Order(pr, ReplicaPlan(pr, r.throughput_plan.device[0]));
  if (r.simulation) {
    const SimulationResult& sim = *r.simulation;
    j["simulated_samples"] = sim.samples;
    j["simulated_throughput_per_s"] = Number(sim.throughput_per_s);
    j["simulated_latency_s"] = sim.mean_latency_s;
    j["simulated_max_latency_s"] = sim.max_latency_s;
    j["simulated_relative_difference"] =
        std::isfinite(info.throughput_per_s) && info.throughput_per_s > 0
            ? nlohmann::json((sim.throughput_per_s - info.throughput_per_s) / info.throughput_per_s)
            : nlohmann::json();
  }
  return j;
}

}  // namespace

nlohmann::json ResultToJson(const Problem& pr, const Result& r) {
  if (r.llm) return LlmResultJson(pr, r);
  return r.objective == Objective::kLatency ? Latency(pr, r) : Throughput(pr, r);
}

}  // namespace diviml
