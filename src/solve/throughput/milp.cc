// Exact throughput MILP for a fixed R (docs/throughput.md):
//   x[r,i,d] binary, sum_d x[r,i,d] = 1;  P >= sum_{r,i} p(i,d) x[r,i,d];
//   y[r,e,d,f] >= x[r,i,d] + x[r,j,f] - 1 (d != f, c(e,d,f) > 0),
//   P >= sum_{r,e} c(e,d,f) y[r,e,d,f] for every ordered pair (d, f);
//   w[i,d] >= x[r,i,d], sum_i param(i) w[i,d] <= cap(d) (finite caps);
//   replica symmetry: replica r's first free node uses a device index
//   <= that of replica r+1 is NOT imposed (it would be invalid with
//   pinned nodes); instead x[0, i0, d] is unrestricted.
// Minimise P. The best split plan (tp-heuristic and module packing) is the warm start, the work LP bound the
// known bound. A latency ceiling is enforced lazily: a replica assignment
// whose latency exceeds it is cut off (for every replica) and the model
// re-solved. A throughput floor adds P <= R / X.
#include <algorithm>
#include <cmath>

#include "diviml/solve/throughput.h"
#include "diviml/util/tolerance.h"
#include "milp/backend.h"
#include "solve/throughput/internal.h"

namespace diviml {

ThroughputResult SolveThroughputMilp(const Problem& pr, const ThroughputOptions& o) {
  using milp::kMipInf;
  const int n = pr.n(), m = pr.m(), R = std::max(1, o.replicas);
  const Graph& g = pr.graph();
  tp::Deadline deadline(o.solve.time_limit_s);
  ThroughputResult res;
  res.solver = "milp";

  // Heuristic incumbent (also the fallback on time limit).
  ThroughputOptions ho = o;
  ho.replicas = R;
  std::optional<tp::Candidate> inc;
  for (const auto& c : tp::HeuristicCandidates(pr, ho)) tp::Offer(c, o, &inc);
  for (const auto& c : tp::ModuleSplitCandidates(pr, ho)) tp::Offer(c, o, &inc);

  milp::MipModel model;
  model.name = "throughput";
  int P = model.AddColumn("P", 0, kMipInf, 1);
  auto xi = [&](int r, int i, int d) { return 1 + (static_cast<size_t>(r) * n + i) * m + d; };
  for (int r = 0; r < R; ++r)
    for (int i = 0; i < n; ++i)
      for (int d = 0; d < m; ++d) {
        int c = model.AddBinary("x[" + std::to_string(r) + "," + g.nodes[i].id + "," +
                                pr.platform().devices[d].name + "]");
        if (!pr.allowed(i, d)) model.columns[c].ub = 0;
      }
  for (int r = 0; r < R; ++r)
    for (int i = 0; i < n; ++i) {
      std::vector<std::pair<int, double>> t;
      for (int d = 0; d < m; ++d) t.push_back({static_cast<int>(xi(r, i, d)), 1.0});
      model.AddRow("assign[" + std::to_string(r) + "," + g.nodes[i].id + "]", 1, 1, t);
    }
  for (int d = 0; d < m; ++d) {
    std::vector<std::pair<int, double>> t;
    for (int r = 0; r < R; ++r)
      for (int i = 0; i < n; ++i)
        if (pr.p(i, d) > 0) t.push_back({static_cast<int>(xi(r, i, d)), pr.p(i, d)});
    t.push_back({P, -1.0});
    model.AddRow("load[" + pr.platform().devices[d].name + "]", -kMipInf, 0, t);
  }
  struct YVar { int col, r, e, d, f; };
  std::vector<YVar> ys;
  for (int d = 0; d < m; ++d)
    for (int f = 0; f < m; ++f) {
      if (d == f) continue;
      std::vector<std::pair<int, double>> t;
      for (int e = 0; e < g.num_edges(); ++e) {
        double c = pr.comm(e, d, f);
        if (!(c > 0)) continue;
        int a = g.edges[e].from, b = g.edges[e].to;
        if (!pr.allowed(a, d) || !pr.allowed(b, f)) continue;
        for (int r = 0; r < R; ++r) {
          int y = model.AddColumn("y[" + std::to_string(r) + "," + std::to_string(e) + "," + std::to_string(d) +
                                      "," + std::to_string(f) + "]",
                                  0, 1);
          ys.push_back({y, r, e, d, f});
          model.AddRow("cut", -kMipInf, 1,
                       {{static_cast<int>(xi(r, a, d)), 1.0}, {static_cast<int>(xi(r, b, f)), 1.0}, {y, -1.0}});
          t.push_back({y, c});
        }
      }
      if (t.empty()) continue;
      t.push_back({P, -1.0});
      model.AddRow("link[" + pr.platform().devices[d].name + "->" + pr.platform().devices[f].name + "]", -kMipInf,
                   0, t);
    }
  struct WVar { int col, i, d; };
  std::vector<WVar> ws;
  for (int d = 0; d < m; ++d) {
    double cap = pr.platform().devices[d].memory_bytes;
    if (!std::isfinite(cap)) continue;
    std::vector<std::pair<int, double>> t;
    for (int i = 0; i < n; ++i) {
      double pb = g.nodes[i].param_bytes;
      if (!(pb > 0) || !pr.allowed(i, d)) continue;
      int w = model.AddColumn("w[" + g.nodes[i].id + "," + pr.platform().devices[d].name + "]", 0, 1);
      ws.push_back({w, i, d});
      for (int r = 0; r < R; ++r)
        model.AddRow("share", -kMipInf, 0, {{static_cast<int>(xi(r, i, d)), 1.0}, {w, -1.0}});
      t.push_back({w, pb});
    }
    if (!t.empty()) model.AddRow("memory[" + pr.platform().devices[d].name + "]", -kMipInf, cap, t);
  }
  if (o.min_throughput_per_s > 0) model.columns[P].ub = R / o.min_throughput_per_s;
  const double lb = tp::PeriodBound(pr, o, R);
  model.columns[P].lb = lb;

  auto to_vector = [&](const ThroughputPlan& plan) {
    std::vector<double> v(model.num_columns(), 0);
    for (int r = 0; r < R; ++r)
      for (int i = 0; i < n; ++i) v[xi(r, i, plan.device[r][i])] = 1;
    for (const auto& y : ys)
      v[y.col] = (plan.device[y.r][g.edges[y.e].from] == y.d && plan.device[y.r][g.edges[y.e].to] == y.f) ? 1 : 0;
    for (const auto& w : ws) {
      double on = 0;
      for (int r = 0; r < R; ++r) on = std::max(on, v[xi(r, w.i, w.d)]);
      v[w.col] = on;
    }
    v[P] = std::max(lb, EvaluatePeriod(pr, plan).period_s);
    return v;
  };

  if (!o.solve.dump_model.empty()) milp::WriteLpFormat(model, o.solve.dump_model);
  std::optional<tp::Candidate> best;
  bool milp_answer = false;  // best is the MILP's own (latency-feasible) optimum
  double dual = lb;
  milp::MipResult mr;
  for (int iter = 0; iter < 200; ++iter) {
    milp::MipOptions mo;
    mo.time_limit_s = deadline.Remaining();
    mo.gap_limit = o.solve.gap_limit;
    mo.threads = o.solve.threads;
    mo.seed = o.solve.seed;
    mo.known_bound = lb;
    if (inc && (o.min_throughput_per_s <= 0)) mo.initial_solution = to_vector(inc->plan);
    mr = milp::SolveMip(model, mo, o.solve.milp_backend);
    if (mr.status == milp::MipStatus::kError) {
      res.status = SolveStatus::kError;
      res.message = "MILP backend: " + mr.message;
      return res;
    }
    if (!mr.has_solution()) break;
    ThroughputPlan plan;
    plan.device.assign(R, std::vector<int>(n, 0));
    for (int r = 0; r < R; ++r)
      for (int i = 0; i < n; ++i)
        for (int d = 0; d < m; ++d)
          if (mr.solution[xi(r, i, d)] > 0.5) plan.device[r][i] = d;
    tp::Candidate c = tp::MakeCandidate(pr, plan);
    if (std::isfinite(mr.dual_bound)) dual = std::max(dual, mr.dual_bound);
    // Lazy latency ceiling: cut off every replica assignment that is too slow.
    bool cut = false;
    if (std::isfinite(o.max_latency_s)) {
      for (int r = 0; r < R; ++r) {
        if (c.latency_s[r] <= o.max_latency_s * (1 + 1e-9) + 1e-12) continue;
        for (int s = 0; s < R; ++s) {
          std::vector<std::pair<int, double>> t;
          for (int i = 0; i < n; ++i) t.push_back({static_cast<int>(xi(s, i, plan.device[r][i])), 1.0});
          model.AddRow("latency_cut", -kMipInf, n - 1, t);
        }
        cut = true;
      }
    }
    if (cut) {
      if (inc && !tp::Feasible(*inc, o)) inc.reset();
      if (deadline.Passed()) break;
      continue;
    }
    best = c;
    milp_answer = true;
    break;
  }
  // The incumbent from the heuristics stays a candidate (min-throughput mode
  // minimises latency over both).
  if (inc) tp::Offer(*inc, o, &best);
  // Proven only when the last solve was optimal AND its plan was accepted
  // (a solve whose plan was cut by the latency ceiling proves nothing).
  const bool proven = (mr.status == milp::MipStatus::kOptimal && milp_answer) ||
                      mr.status == milp::MipStatus::kInfeasible;
  if (!best) {
    const bool infeasible = mr.status == milp::MipStatus::kInfeasible;
    res.status = infeasible ? SolveStatus::kInfeasible : SolveStatus::kNoSolutionFound;
    res.message = infeasible ? "the throughput MILP is infeasible" + std::string(
                                   std::isfinite(o.max_latency_s) ? " under the latency ceiling" : "")
                             : "no plan in time";
    res.period_lower_bound_s = dual;
    return res;
  }
  res.plan = best->plan;
  res.period_s = best->info.period_s;
  res.throughput_per_s = best->info.throughput_per_s;
  res.latency_s = best->latency_s;
  res.period_lower_bound_s = dual;  // as proven, never clamped to the plan
  if (proven && milp_answer) res.status = SolveStatus::kOptimal;
  else if (mr.status == milp::MipStatus::kTimeLimit) res.status = SolveStatus::kTimeLimit;
  else res.status = SolveStatus::kFeasible;
  if (MeetsBound(res.period_s, res.period_lower_bound_s) && o.min_throughput_per_s <= 0)
    res.status = SolveStatus::kOptimal;
  res.message = "backend " + mr.backend;
  return res;
}

}  // namespace diviml
