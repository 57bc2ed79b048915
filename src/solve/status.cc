// Solver status names and what a status means as an exact answer
// (include/diviml/solve/solver.h).
#include "diviml/solve/solver.h"

#include <cmath>

namespace diviml {

const char* StatusName(SolveStatus s) {
  switch (s) {
    case SolveStatus::kOptimal: return "optimal";
    case SolveStatus::kFeasible: return "feasible";
    case SolveStatus::kTimeLimit: return "time_limit";
    case SolveStatus::kNoSolutionFound: return "no_solution_found";
    case SolveStatus::kInfeasible: return "infeasible";
    case SolveStatus::kError: return "error";
  }
  return "error";
}

bool HasPlan(SolveStatus s) {
  return s == SolveStatus::kOptimal || s == SolveStatus::kFeasible || s == SolveStatus::kTimeLimit;
}

ExactAnswer ToExactAnswer(const SolveResult& r) {
  ExactAnswer a;
  if (r.status == SolveStatus::kOptimal) {
    a.kind = ExactAnswer::Kind::kOptimal;
    a.value_s = r.makespan_s;
  } else if (r.status == SolveStatus::kInfeasible) {
    a.kind = ExactAnswer::Kind::kInfeasible;
  } else if (r.status != SolveStatus::kError) {
    a.kind = ExactAnswer::Kind::kBound;
    a.value_s = r.lower_bound_s;
  }
  if (!r.plan.device.empty() && std::isfinite(r.makespan_s)) {
    a.plan = r.plan;
    a.plan_s = r.makespan_s;
  }
  return a;
}

}  // namespace diviml
