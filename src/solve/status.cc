// Solver status names (include/diviml/solve/solver.h).
#include "diviml/solve/solver.h"

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

}  // namespace diviml
