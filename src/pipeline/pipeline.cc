// Solve, EvaluateLatencyPlan, EvaluateThroughputPlan, Bound, ExitCode
// (include/diviml/pipeline/pipeline.h): the checks of the result contract.
#include "diviml/pipeline/pipeline.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "diviml/solve/cp.h"
#include "diviml/solve/milp.h"
#include "diviml/util/error.h"
#include "diviml/util/tolerance.h"
#include "util/stopwatch.h"

namespace diviml {
namespace {

bool OnlyMemory(const Evaluation& ev) {
  if (ev.violation_codes.empty()) return false;
  for (ViolationCode c : ev.violation_codes)
    if (c != ViolationCode::kMemory) return false;
  return true;
}

// The bound, value and gap of a result with a valid plan; flags a bound
// above the plan; upgrades to optimal when the plan meets the bound.
void CheckAgainstBound(Result* r, bool may_prove_optimal) {
  r->lower_bound = r->bounds.best_s;
  r->gap = RelativeGap(r->value, r->lower_bound);
  r->bound_above_plan = BoundAbove(r->lower_bound, r->value);
  if (r->bound_above_plan) {
    r->message += (r->message.empty() ? "" : "; ") +
                  fmt::format("BUG: lower bound {:.10g} ({}) is above the plan's value {:.10g}", r->lower_bound,
                              r->bounds.best_name, r->value);
    return;
  }
  if (may_prove_optimal && MeetsBound(r->value, r->lower_bound)) r->status = SolveStatus::kOptimal;
}

// A result without a valid plan: never "optimal"/"feasible"; infeasible
// only with a proof.
void NoPlan(const Problem& pr, Result* r, const std::string& why) {
  if (!why.empty()) r->message += (r->message.empty() ? "" : "; ") + why;
  if (r->status == SolveStatus::kInfeasible || r->status == SolveStatus::kError) return;
  if (std::optional<std::string> proof = MemoryInfeasibility(pr)) {
    r->status = SolveStatus::kInfeasible;
    r->message += "; " + *proof;
  } else {
    r->status = SolveStatus::kNoSolutionFound;
  }
}

const SolverRecord& Record(const Request& req) {
  const SolverRecord* rec = FindSolver(req.solver);
  if (!rec)
    throw InputError("--solver: unknown solver '" + req.solver + "' (latency: " +
                     SolverNameList(Objective::kLatency) + "; throughput: " +
                     SolverNameList(Objective::kThroughput) + ")");
  if (!rec->Supports(req.objective))
    throw InputError("--solver: '" + req.solver + "' does not support --objective " +
                     ObjectiveName(req.objective) + " (" + SolverNameList(req.objective) + ")");
  return *rec;
}

Result SolveLatency(const Problem& pr, const Request& req, const SolverRecord& rec, const ParamValues& params) {
  Result r;
  r.objective = Objective::kLatency;
  r.params = params.values();
  std::unique_ptr<Solver> solver = MakeSolver(rec, params);
  const Stopwatch bounds_clock;
  r.bounds = ComputeBounds(pr);
  SolveOptions opts = req.options;
  // The limit covers the whole request: the bounds' time comes off it.
  if (std::isfinite(opts.time_limit_s))
    opts.time_limit_s = std::max(0.0, opts.time_limit_s - bounds_clock.seconds());
  opts.known_lower_bound_s = std::max(opts.known_lower_bound_s, r.bounds.best_s);
  const Stopwatch clock;
  SolveResult sr = solver->Solve(pr, opts);
  r.solver = sr.solver.empty() ? rec.name : sr.solver;
  r.status = sr.status;
  r.message = sr.message;
  r.solve_time_s = sr.solve_time_s > 0 ? sr.solve_time_s : clock.seconds();
  if (sr.lower_bound_s > r.bounds.best_s)
    AddBoundPart(&r.bounds, {"solver", sr.lower_bound_s, r.solver + " dual bound", sr.bound_segments});
  if (req.bound_hook_for_testing) req.bound_hook_for_testing(&r.bounds);
  if (sr.plan.device.empty()) {
    NoPlan(pr, &r, HasPlan(sr.status) ? "the solver returned no plan" : "");
    if (HasPlan(sr.status)) r.status = SolveStatus::kError;
    r.lower_bound = r.bounds.best_s;
    return r;
  }
  r.plan = sr.plan;
  r.evaluation = Evaluate(pr, r.plan);
  if (!r.evaluation.valid) {
    const std::string first = r.evaluation.violations.empty() ? "" : r.evaluation.violations.front();
    if (OnlyMemory(r.evaluation)) {
      r.status = SolveStatus::kNoSolutionFound;
      NoPlan(pr, &r, "the solver's plan breaks a memory capacity: " + first);
    } else {
      r.status = SolveStatus::kError;
      r.message += (r.message.empty() ? "" : "; ") + std::string("solver returned an invalid plan: ") + first;
    }
    r.lower_bound = r.bounds.best_s;
    return r;
  }
  if (!HasPlan(r.status)) r.status = SolveStatus::kFeasible;  // a valid plan after all
  r.value = r.evaluation.makespan_s;
  CheckAgainstBound(&r, true);
  return r;
}

void FillThroughputPlan(const Problem& pr, Result* r) {
  r->period = EvaluatePeriod(pr, r->throughput_plan);
  r->value = r->period.period_s;
  if (r->replica_latency_s.empty())
    for (const auto& dev : r->throughput_plan.device) r->replica_latency_s.push_back(ReplicaLatency(pr, dev));
}

Result SolveThroughputRequest(const Problem& pr, const Request& req) {
  ThroughputOptions o;
  o.solver = req.solver;
  o.replicas = req.replicas;
  o.max_latency_s = req.max_latency_s;
  o.min_throughput_per_s = req.min_throughput_per_s;
  o.solve = req.options;
  ThroughputResult tr = SolveThroughput(pr, o);
  Result r;
  r.objective = Objective::kThroughput;
  r.solver = tr.solver;
  r.solver_note = tr.solver_note;
  r.status = tr.status;
  r.message = tr.message;
  r.solve_time_s = tr.solve_time_s;
  r.throughput_upper_bound_per_s = tr.throughput_upper_bound_per_s;
  r.max_latency_constraint_s = req.max_latency_s;
  r.min_throughput_constraint_per_s = req.min_throughput_per_s;
  if (tr.plan.replicas() == 0) {
    if (tr.period_lower_bound_s > 0) AddBoundPart(&r.bounds, {"period", tr.period_lower_bound_s, "for the R tried last"});
    if (req.bound_hook_for_testing) req.bound_hook_for_testing(&r.bounds);
    r.lower_bound = r.bounds.best_s;
    NoPlan(pr, &r, "");
    return r;
  }
  r.throughput_plan = tr.plan;
  r.replica_latency_s = tr.latency_s;
  FillThroughputPlan(pr, &r);
  if (!r.period.valid || std::abs(r.period.period_s - tr.period_s) > 1e-9 * std::max(1.0, tr.period_s)) {
    r.status = SolveStatus::kError;
    r.message += "; internal error: the throughput plan does not check: " +
                 (r.period.violations.empty() ? std::string("period mismatch") : r.period.violations.front());
    return r;
  }
  AddBoundPart(&r.bounds, {"period", tr.period_lower_bound_s,
                           fmt::format("threshold LP and largest node, R = {}", tr.plan.replicas())});
  if (req.bound_hook_for_testing) req.bound_hook_for_testing(&r.bounds);
  if (req.min_throughput_per_s > 0) {
    // The objective is latency under a throughput floor: the period bound
    // does not bound it, so there is no gap to report.
    r.lower_bound = r.bounds.best_s;
    r.bound_above_plan = BoundAbove(r.lower_bound, r.value);
    return r;
  }
  CheckAgainstBound(&r, false);  // the solvers decide optimality over R
  return r;
}

}  // namespace

bool Result::has_plan() const {
  if (llm) return !llm->stages.empty();
  if (objective == Objective::kLatency) return evaluation.valid;
  return throughput_plan.replicas() > 0 && period.valid;
}

ParamValues CheckRequest(const Request& req) {
  const SolverRecord& rec = Record(req);
  ParamValues params = ResolveParams(rec, req.objective, req.params);
  if (req.objective == Objective::kLatency) {
    if (req.replicas > 1) throw InputError("--replicas: only with --objective throughput");
    if (std::isfinite(req.max_latency_s))
      throw InputError("--max-latency: only with --objective throughput (a latency solve minimises latency)");
  }
  return params;
}

Result Solve(const Problem& pr, const Request& req) {
  const ParamValues params = CheckRequest(req);
  if (!Record(req).llm_strategy.empty())
    throw InputError("--solver " + req.solver + ": plans llm: models across servers (SolveLlm, docs/llm.md)");
  if (req.objective == Objective::kLatency) return SolveLatency(pr, req, Record(req), params);
  return SolveThroughputRequest(pr, req);
}

Result EvaluateLatencyPlan(const Problem& pr, const Plan& plan) {
  Result r;
  r.objective = Objective::kLatency;
  r.solver = "eval";
  r.status = SolveStatus::kFeasible;
  r.plan = plan;
  r.bounds = ComputeBounds(pr);
  r.lower_bound = r.bounds.best_s;
  r.evaluation = Evaluate(pr, plan);
  if (!r.evaluation.valid) {
    r.status = SolveStatus::kError;
    r.message = "invalid plan";
    return r;
  }
  r.value = r.evaluation.makespan_s;
  CheckAgainstBound(&r, true);
  return r;
}

Result EvaluateThroughputPlan(const Problem& pr, const ThroughputPlan& plan, int samples) {
  Result r;
  r.objective = Objective::kThroughput;
  r.solver = "eval";
  r.status = SolveStatus::kFeasible;
  r.throughput_plan = plan;
  FillThroughputPlan(pr, &r);
  const double ub = SampleWorkBound(pr);
  r.throughput_upper_bound_per_s = ub > 0 ? 1 / ub : std::numeric_limits<double>::infinity();
  if (!r.period.valid) {
    r.status = SolveStatus::kError;
    r.message = "invalid plan";
    return r;
  }
  AddBoundPart(&r.bounds, {"period", PeriodLowerBound(pr, plan.replicas()),
                           fmt::format("threshold LP and largest node, R = {}", plan.replicas())});
  r.simulation = SimulateThroughput(pr, plan, samples);
  CheckAgainstBound(&r, false);
  return r;
}

BoundReport Bound(const Problem& pr, double module_exact_s, const std::string& milp_backend, int threads) {
  BoundReport b = ComputeBounds(pr);
  if (module_exact_s > 0) {
    const ExactSolveFn exact = MilpExactSolve(milp_backend);
    AddBoundPart(&b, ModuleExactBound(pr, module_exact_s, exact));
    // CP-SAT on the free segments first when it can run (docs/split.md).
    AddBoundPart(&b, ModuleChainBound(pr, module_exact_s, exact, 80, nullptr, threads, AssignmentRelaxation(milp_backend),
                                      nullptr, CpAvailable() ? CpExactSolve() : ExactSolveFn{}));
  }
  return b;
}

int ExitCode(const Result& r, bool strict) {
  if (r.status == SolveStatus::kError) return 1;
  if (!r.has_plan()) return 2;
  if (strict && r.bound_above_plan) return 3;
  return 0;
}

}  // namespace diviml
