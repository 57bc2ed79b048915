// Solving one group with the MILP given the placed nodes (group_solve.h).
#include "solve/split/group_solve.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "diviml/core/evaluate.h"
#include "diviml/solve/heuristics.h"
#include "diviml/solve/milp.h"
#include "bound/subproblem.h"
#include "util/stopwatch.h"

namespace diviml::split {

State State::Empty(const Problem& pr) {
  State st;
  st.device.assign(pr.n(), -1);
  st.end.assign(pr.n(), 0);
  st.busy.assign(pr.m(), 0);
  st.params.assign(pr.m(), 0);
  st.order.assign(pr.m(), {});
  return st;
}

State State::FromPrefix(const Problem& pr, const Plan& plan, const std::vector<double>& end_s,
                        const std::vector<char>& in_prefix) {
  State st = Empty(pr);
  for (int d = 0; d < pr.m(); ++d)
    for (int v : plan.order[d]) {
      if (!in_prefix[v]) continue;
      st.device[v] = d;
      st.end[v] = end_s[v];
      st.busy[d] = std::max(st.busy[d], end_s[v]);
      st.params[d] += pr.graph().nodes[v].param_bytes;
      st.order[d].push_back(v);
    }
  return st;
}

// Solves one group given the placed nodes; false when no plan was found.
bool SolveGroup(const Problem& pr, const std::vector<int>& group, State& st, double limit_s,
                const SolveOptions& so, std::string* why, double plan_lower_bound_s) {
  const Graph& g0 = pr.graph();
  const Platform& p0 = pr.platform();
  const int m = pr.m();
  Graph g;
  g.name = g0.name + "/group";
  std::vector<int> local(pr.n(), -1);
  // Boundary: per device the finish times of producers placed there.
  std::vector<std::map<double, int>> seg(m);
  for (int v : group)
    for (int e : g0.in_edges(v)) {
      int u = g0.edges[e].from;
      if (st.device[u] >= 0) seg[st.device[u]][st.end[u]] = -1;
    }
  for (int d = 0; d < m; ++d) {
    if (st.busy[d] > 0) seg[d][st.busy[d]] = -1;
    double prev = 0;
    int prev_id = -1;
    for (auto& [t, id] : seg[d]) {
      Node nd;
      nd.id = fmt::format("__split_dev{}_{}", d, g.num_nodes());
      nd.op = "boundary";
      nd.time_s["*"] = std::max(0.0, t - prev);
      nd.pin = p0.devices[d].name;
      id = g.AddNode(nd);
      if (prev_id >= 0) g.AddEdge(prev_id, id, 0);
      prev = t;
      prev_id = id;
    }
  }
  for (int v : group) local[v] = g.AddNode(ResolvedNode(pr, v));
  for (int v : group)
    for (int e : g0.in_edges(v)) {
      int u = g0.edges[e].from;
      int from = local[u] >= 0 ? local[u] : seg[st.device[u]].at(st.end[u]);
      g.AddEdge(from, local[v], g0.edges[e].bytes);
    }
  Platform p = p0;
  for (int d = 0; d < m; ++d)
    if (std::isfinite(p.devices[d].memory_bytes))
      p.devices[d].memory_bytes = std::max(0.0, p.devices[d].memory_bytes - st.params[d]);
  std::string err;
  Problem sub = Problem::Build(std::move(g), std::move(p), &err, pr.host_device());
  if (!err.empty()) {
    *why = err;
    return false;
  }
  SolveOptions o = so;
  o.time_limit_s = std::max(0.0, limit_s);
  o.progress = nullptr;
  o.dump_model.clear();
  // The last group's sub-problem has the plan's makespan (the pseudo-nodes
  // end where the placed nodes do), so the whole problem's bound holds.
  const long placed = std::count_if(st.device.begin(), st.device.end(), [](int d) { return d >= 0; });
  o.known_lower_bound_s = placed + static_cast<long>(group.size()) == pr.n() ? plan_lower_bound_s : 0;
  // Under kMinGroupMilpS (or once interrupted) a MILP cannot even start
  // (HiGHS's presolve alone takes longer): the group gets HEFT's plan of
  // the same sub-problem, so the chain still completes within the limit.
  const bool quick = limit_s < kMinGroupMilpS || Interrupted(so);
  std::vector<int> global(sub.n(), -1);  // sub-problem node -> node, -1: pseudo-node
  for (int v : group) global[local[v]] = v;
  const Stopwatch clock;
  SolveResult r = quick ? MakeHeftSolver()->Solve(sub, o) : MakeMilpSolver()->Solve(sub, o);
  // A plan that runs a group node on a device before that device's last
  // pseudo-node does not stitch as solved (the stitched order puts it after
  // the placed nodes), so its makespan is not the plan's and the bound may
  // have stopped the MILP too early: solve again without it.
  auto interleaved = [&] {
    for (int d = 0; d < m; ++d) {
      bool group_seen = false;
      for (int lv : r.plan.order[d]) {
        const bool pseudo = global[lv] < 0;
        if (pseudo && group_seen) return true;
        group_seen = group_seen || !pseudo;
      }
    }
    return false;
  };
  if (!quick && o.known_lower_bound_s > 0 && !r.plan.device.empty() && interleaved()) {
    o.known_lower_bound_s = 0;
    o.time_limit_s = std::max(0.0, limit_s - clock.seconds());
    SolveResult again = o.time_limit_s >= kMinGroupMilpS && !Interrupted(so) ? MakeMilpSolver()->Solve(sub, o)
                                                                             : MakeHeftSolver()->Solve(sub, o);
    if (!again.plan.device.empty()) r = std::move(again);
  }
  if (r.plan.device.empty()) {
    *why = "group MILP: " + std::string(StatusName(r.status)) + " " + r.message;
    return false;
  }
  Evaluation ev = Evaluate(sub, r.plan);
  if (!ev.valid) {
    *why = "group plan invalid: " + (ev.violations.empty() ? "" : ev.violations[0]);
    return false;
  }
  for (int d = 0; d < m; ++d)
    for (int lv : r.plan.order[d]) {
      int v = global[lv];
      if (v < 0) continue;
      st.device[v] = d;
      st.end[v] = ev.schedule.end_s[lv];
      st.busy[d] = std::max(st.busy[d], st.end[v]);
      st.params[d] += g0.nodes[v].param_bytes;
      st.order[d].push_back(v);
    }
  return true;
}

}  // namespace diviml::split
