// The solver-neutral request/result types and the Solver interface. Every
// solver (heuristic or exact) returns a SolveResult whose plan the pipeline
// (include/diviml/pipeline/pipeline.h) then checks with Evaluate().
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "diviml/bound/bounds.h"
#include "diviml/core/plan.h"
#include "diviml/core/problem.h"

namespace diviml {

// Why a solve ended, separate from how good its plan is (gap, bound):
//  kOptimal          a plan proven optimal (it meets a valid lower bound);
//  kFeasible         a plan; the solver stopped by itself (done, gap limit);
//  kTimeLimit        a plan; the time limit stopped the search;
//  kNoSolutionFound  no valid plan within the limits: NOT a proof that none
//                    exists;
//  kInfeasible       proven that no plan exists (the MILP says so, or a
//                    memory check such as MemoryInfeasibility() proves it);
//  kError            the solver or its backend failed (message says why).
enum class SolveStatus { kOptimal, kFeasible, kTimeLimit, kNoSolutionFound, kInfeasible, kError };
const char* StatusName(SolveStatus s);  // "optimal", "feasible", "time_limit", ...
// True for the statuses that come with a plan.
bool HasPlan(SolveStatus s);

// A progress report: the best plan so far, the best bound, their gap
// (NaN when undefined) and the time since the solve began, in the
// problem's units (seconds, or the period for throughput).
struct Progress {
  std::string source;     // "milp", "split", "highs", ...
  double incumbent = std::numeric_limits<double>::infinity();
  double bound = 0;
  double gap = std::numeric_limits<double>::quiet_NaN();
  double elapsed_s = 0;
  std::string message;    // what happened, one line ("group 5/12 done")
};
// Called from the solving thread (or a solver's helper thread: it must be
// thread-safe); must not throw.
using ProgressFn = std::function<void(const Progress&)>;

struct SolveOptions {
  // Wall-clock limit for the whole solve, seconds. Default: none.
  double time_limit_s = std::numeric_limits<double>::infinity();
  // Relative gap at which an exact solver may stop. Default 0 (prove optimal).
  double gap_limit = 0;
  // Worker threads an exact solver may use. Default 1.
  int threads = 1;
  // Seed for every randomised component. Default 0; same seed, same plan.
  uint64_t seed = 0;
  // Progress reports (none when empty). Solvers never print.
  ProgressFn progress;
  // Backend for MILP-based solvers: "highs", "cbc" or "" (best available).
  std::string milp_backend;
  // Write the MILP model in LP format here when non-empty.
  std::string dump_model;
  // A lower bound known to the caller (seconds); solvers may use it to stop
  // early or as a constraint. 0 = none.
  double known_lower_bound_s = 0;
  // Set to true by another thread (a Ctrl-C handler, a GUI) to stop the
  // solve early; solvers treat it like a reached time limit and return the
  // best plan so far (status kTimeLimit with a plan). Not owned; may be null.
  const std::atomic<bool>* interrupt = nullptr;
};

// True once options.interrupt is set. O(1); safe from any thread.
inline bool Interrupted(const SolveOptions& options) {
  return options.interrupt != nullptr && options.interrupt->load(std::memory_order_relaxed);
}

struct SolveResult {
  std::string solver;
  SolveStatus status = SolveStatus::kError;
  Plan plan;                 // empty when infeasible / error
  Schedule schedule;         // the solver's own schedule of the plan
  double makespan_s = std::numeric_limits<double>::infinity();
  double lower_bound_s = 0;  // the solver's own proven bound (0 if none)
  double solve_time_s = 0;
  std::string message;       // why infeasible / error; notes
  // split: the segments of its module-chain bound (proven or not), for the
  // report; empty for other solvers.
  std::vector<BoundSegment> bound_segments;
};

// A solver's result as the answer of an exact solve (bounds.h's
// ExactSolveFn): kOptimal with the makespan, kInfeasible, else (not an
// error) kBound with its lower bound; the plan when it has one. O(n).
ExactAnswer ToExactAnswer(const SolveResult& r);

class Solver {
 public:
  virtual ~Solver() = default;
  virtual std::string name() const = 0;
  virtual SolveResult Solve(const Problem& problem, const SolveOptions& options) = 0;
};

// A latency solver by name with its default parameters ("single", "heft",
// ...); nullptr for an unknown name. The registry with the parameters is
// include/diviml/solve/registry.h.
std::unique_ptr<Solver> MakeSolver(const std::string& name);

}  // namespace diviml
