// SolveThroughput: the dispatcher over the throughput solvers, with the
// default solver (milp for small graphs, else split), auto R (R = 1 ..
// min(8, 2m), or .. min(8, m) for the MILP), the period bound computed once
// per R, the latency ceiling and the throughput floor.
// O(sum over R of the solver + the bound).
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "diviml/bound/bounds.h"
#include "diviml/solve/registry.h"
#include "diviml/solve/throughput.h"
#include "milp/backend.h"
#include "solve/throughput/internal.h"

namespace diviml {

using tp::Candidate;
using tp::Deadline;

std::string DefaultThroughputSolver(const Problem& pr, std::string* why) {
  if (pr.n() <= kThroughputMilpMaxNodes && !milp::AvailableBackends().empty()) {
    if (why) *why = "default for <= " + std::to_string(kThroughputMilpMaxNodes) + " nodes";
    return "milp";
  }
  if (why)
    *why = milp::AvailableBackends().empty() ? "default (no MILP backend)"
                                             : "default for > " + std::to_string(kThroughputMilpMaxNodes) + " nodes";
  return "split";
}

ThroughputResult SolveThroughput(const Problem& pr, const ThroughputOptions& options) {
  const Stopwatch clock;
  ThroughputOptions o = options;
  std::string note;
  if (o.solver.empty() || o.solver == "auto") {
    o.solver = DefaultThroughputSolver(pr, &note);
    if (o.solver == "milp" && !std::isfinite(o.solve.time_limit_s)) {
      o.solve.time_limit_s = kThroughputDefaultMilpTimeLimit;
      note += fmt::format(", time limit {:g} s", kThroughputDefaultMilpTimeLimit);
    }
    // The same R range as split, whose plans are the MILP's warm starts.
    if (o.solver == "milp" && o.max_auto_replicas <= 0) o.max_auto_replicas = std::min(8, 2 * pr.m());
  }
  const std::string name = o.solver;
  const SolverRecord* rec = FindSolver(name);
  ThroughputResult (*fn)(const Problem&, const ThroughputOptions&) = rec ? rec->throughput : nullptr;
  if (!fn) {
    ThroughputResult r;
    r.solver = o.solver;
    r.status = SolveStatus::kError;
    r.message = "solver '" + o.solver + "' does not support --objective throughput (" + SolverNameList(Objective::kThroughput) + ")";
    return r;
  }
  std::vector<int> rs;
  if (o.replicas >= 1) {
    rs.push_back(o.replicas);
  } else {
    int mx = o.max_auto_replicas > 0 ? o.max_auto_replicas
                                     : std::min(8, name == "milp" ? pr.m() : 2 * pr.m());
    for (int r = 1; r <= mx; ++r) rs.push_back(r);
  }
  std::optional<ThroughputResult> best;
  std::optional<Candidate> bestc;
  bool all_optimal = true, all_infeasible = true;
  std::string msg;
  Deadline deadline(o.solve.time_limit_s);
  for (size_t k = 0; k < rs.size(); ++k) {
    const int R = rs[k];
    ThroughputOptions oo = o;
    oo.replicas = R;
    if (oo.period_lower_bound_s < 0 || rs.size() > 1) oo.period_lower_bound_s = PeriodLowerBound(pr, R);
    oo.solve.time_limit_s = std::max(0.01, deadline.Remaining() / static_cast<double>(rs.size() - k));
    if (rs.size() == 1) oo.solve.time_limit_s = o.solve.time_limit_s;
    ThroughputResult r = fn(pr, oo);
    if (r.status != SolveStatus::kOptimal && r.status != SolveStatus::kInfeasible) all_optimal = false;
    if (r.status != SolveStatus::kInfeasible) all_infeasible = false;
    if (r.status == SolveStatus::kError) {
      msg = r.message;
      continue;
    }
    if (r.plan.replicas() == 0) {
      if (msg.empty()) msg = r.message;
      continue;
    }
    Candidate c = tp::MakeCandidate(pr, r.plan);
    if (!tp::Feasible(c, o)) continue;
    if (!bestc || tp::Better(c, *bestc, o)) {
      bestc = c;
      best = r;
    }
  }
  ThroughputResult res;
  const double work = SampleWorkBound(pr);  // per sample: throughput <= 1 / work for every R
  if (!best) {
    res.solver = name;
    // No plan: a proof only when every R was proven infeasible (the MILP)
    // or the memory check proves it; otherwise nothing was found.
    std::optional<std::string> proof = MemoryInfeasibility(pr);
    // Every sample's latency is at least the critical path, and every
    // throughput at most 1 / the per-sample work bound.
    if (!proof && std::isfinite(o.max_latency_s)) {
      const double critical_path = CriticalPathBound(pr);
      if (o.max_latency_s < critical_path * (1 - 1e-9))
        proof = fmt::format("the latency ceiling {:.6g} s is below the critical-path bound {:.6g} s",
                            o.max_latency_s, critical_path);
    }
    if (!proof && o.min_throughput_per_s > 0 && work > 0 && o.min_throughput_per_s > (1 / work) * (1 + 1e-9))
      proof = fmt::format("the throughput floor {:.6g}/s is above the throughput bound {:.6g}/s",
                          o.min_throughput_per_s, 1 / work);
    res.status = proof || all_infeasible ? SolveStatus::kInfeasible : SolveStatus::kNoSolutionFound;
    if (proof) msg = *proof;
    res.message = msg.empty() ? "no plan" + tp::ConstraintText(o) : msg;
  } else {
    res = *best;
    if (rs.size() > 1) {
      // Optimal only when every R was solved to optimality.
      if (res.status == SolveStatus::kOptimal && !all_optimal) res.status = SolveStatus::kFeasible;
    }
    if (o.min_throughput_per_s > 0 && res.status == SolveStatus::kOptimal && name != "single")
      res.status = SolveStatus::kFeasible;  // latency is not proven minimal
  }
  res.throughput_upper_bound_per_s = work > 0 ? 1.0 / work : INFINITY;
  res.solver_note = note;
  res.solve_time_s = clock.seconds();
  return res;
}

}  // namespace diviml
