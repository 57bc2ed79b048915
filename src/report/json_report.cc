// The JSON result object (SPEC.md section 8) and the plan file format
// "diviml-plan-v1": the same object, which `diviml eval --plan` reads back.
#include <cmath>

#include "diviml/report.h"

namespace diviml {

double RelativeGap(double makespan, double lower_bound) {
  if (!std::isfinite(makespan)) return INFINITY;
  if (makespan - lower_bound <= 1e-9 * std::max(1.0, std::abs(makespan))) return 0;
  if (lower_bound <= 0) return INFINITY;
  return (makespan - lower_bound) / lower_bound;
}

static nlohmann::json Number(double x) {
  if (std::isfinite(x)) return x;
  return nullptr;
}

nlohmann::json OutcomeToJson(const Problem& pr, const Outcome& oc) {
  const Graph& g = pr.graph();
  const auto& devs = pr.platform().devices;
  const SolveResult& r = oc.result;
  nlohmann::json j;
  j["format"] = "diviml-plan-v1";
  j["graph"] = g.name;
  j["platform"] = pr.platform().name;
  j["solver"] = r.solver;
  j["objective"] = "latency";
  j["status"] = StatusName(r.status);
  const bool have_plan = oc.evaluation.valid;
  j["makespan_s"] = Number(have_plan ? oc.evaluation.makespan_s : r.makespan_s);
  j["lower_bound_s"] = Number(oc.lower_bound_s);
  j["gap"] = Number(oc.gap);
  j["solve_time_s"] = r.solve_time_s;
  nlohmann::json parts = nlohmann::json::object();
  for (const BoundPart& b : oc.bounds.parts) parts[b.name] = Number(b.value_s);
  j["bounds"] = parts;
  j["lower_bound_source"] = oc.bounds.best_name;
  if (!r.message.empty()) j["message"] = r.message;
  if (!have_plan) {
    j["violations"] = oc.evaluation.violations;
    return j;
  }
  nlohmann::json assignment = nlohmann::json::object();
  for (int v = 0; v < pr.n(); ++v) assignment[g.nodes[v].id] = devs[r.plan.device[v]].name;
  j["assignment"] = assignment;
  nlohmann::json order = nlohmann::json::object();
  for (int d = 0; d < pr.m(); ++d) {
    nlohmann::json list = nlohmann::json::array();
    for (int v : r.plan.order[d]) list.push_back(g.nodes[v].id);
    order[devs[d].name] = list;
  }
  j["order"] = order;
  const Schedule& s = oc.evaluation.schedule;
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

}  // namespace diviml
