// The exact MILP solver for latency ("milp", docs/milp.md).
//
// Solve() runs, all inside SolveOptions::time_limit_s (wall clock):
//  1. the lower bound: max(ComputeBounds(), SolveOptions::known_lower_bound_s);
//  2. primal heuristics: HEFT, PEFT and randomized list scheduling ("rls")
//     with a share of the budget; a plan that meets the lower bound is
//     returned as optimal at once, without building the MILP;
//  3. the MILP on HiGHS or CBC, warm started from the best heuristic plan,
//     with T <= that plan's makespan and T >= the lower bound (raised by
//     energetic reasoning): time-indexed (latency_timeindexed.h) for
//     identical devices with free transfers and whole-number times,
//     disjunctive (latency_model.h) otherwise;
//  4. the plan from the MILP's start times (per-device orders sorted by
//     start), checked and timed by Evaluate(); the reported makespan is
//     Evaluate()'s (never above the MILP's T).
//
// Statuses: kOptimal only when proven (the plan meets the best lower bound,
// which includes the MILP's dual bound, rounded up when every time is a
// whole number); kTimeLimit when the time limit stopped the search (the
// incumbent is returned, the dual bound is in lower_bound_s); kFeasible when
// the gap limit stopped it; kNoSolutionFound when the time limit came before
// any plan; kInfeasible when the MILP proves that no plan fits the memory
// capacities; kError when the backend failed (message says why). The bound
// is never clamped to the plan.
#pragma once

#include <memory>
#include <vector>

#include "diviml/bound/bounds.h"
#include "diviml/solve/solver.h"

namespace diviml {

struct MilpOptions {
  // kTimeIndexed: z[i,t] "node i has started by t" (latency_timeindexed.h);
  // only for identical devices, free communication, whole-number times.
  // kDisjunctive: x[i,d], S[i], order binaries (latency_model.h); always.
  // kAuto: time-indexed where it applies and has at most
  // time_indexed_max_columns columns, else disjunctive.
  enum class Formulation { kAuto, kDisjunctive, kTimeIndexed };
  Formulation formulation = Formulation::kAuto;
  long long time_indexed_max_columns = 200000;

  // Disjunctive encoding of "one node at a time per device" for the pairs
  // the DAG leaves unordered:
  //  kPerDevice: one order binary o(i,j) per pair and, for every device d
  //              both can use, two big-M rows switched by x(i,d) + x(j,d);
  //  kSequence:  two binaries o(i,j), o(j,i) ("i before j on one device"),
  //              o(i,j) + o(j,i) >= x(i,d) + x(j,d) - 1 per device and two
  //              big-M rows per pair.
  enum class Disjunctive { kPerDevice, kSequence };
  // kPerDevice measured faster on heterogeneous random DAGs (docs/milp.md).
  Disjunctive disjunctive = Disjunctive::kPerDevice;

  // Transfer delay of an edge (i,j):
  //  kAuto:     kCut when every device pair costs the same for the edge,
  //             else kPairwise;
  //  kPairwise: D(e) >= c(e,d,f) (x(i,d) + x(j,f) - 1) for d != f;
  //  kFlow:     y(e,d,f) >= 0 with row sums x(i,d) and column sums x(j,f)
  //             (the exact linearisation of x(i,d) x(j,f); tighter, bigger);
  //  kCut:      z(e) >= x(i,d) - x(j,d) (only exact when the cost does not
  //             depend on the pair; otherwise falls back to kPairwise).
  enum class Transfer { kAuto, kPairwise, kFlow, kCut };
  Transfer transfer = Transfer::kAuto;

  bool symmetry_breaking = true;  // first-use order within identical devices
  bool load_rows = true;          // T >= sum_i p(i,d) x(i,d) for every d
  // before[i,d] / after[i,d]: the loads of i's ancestors (descendants) on
  // each device before i's start (after its end), as in the assignment bound
  bool ancestor_rows = false;
  bool warm_start = true;         // pass the best heuristic plan to the backend
  // Plans of this problem tried before the heuristics (the best one
  // Evaluate() accepts is the incumbent to beat; e.g. a caller's plan of
  // the same sub-problem from an earlier, shorter solve). Empty: none.
  std::vector<Plan> start_plans;
  bool run_heuristics = true;     // HEFT, PEFT, rls before the MILP
  // Share of the time limit the heuristics may use (when it is finite).
  double heuristic_share = 0.25;
  // Tries per round of the randomized list scheduler (0 = automatic, see
  // heuristics.h) and the most rounds (each with a fresh seed); rounds stop
  // early at the lower bound or at the heuristics' share of the time limit.
  int rls_tries = 0;
  int rls_rounds = 20;
  // Raise the lower bound by energetic reasoning (latency_bounds.h) before
  // building the MILP.
  bool energetic_bound = true;
  // When every time is a whole number: ask the MILP only for plans better
  // than the heuristic by at least 1 (T <= UB - 1); the heuristic plan is
  // then optimal when the MILP is infeasible. Off: T <= UB with warm start.
  bool strict_improvement = false;
};

// "milp". Deterministic for a given SolveOptions::seed unless a time limit
// cuts a phase short.
std::unique_ptr<Solver> MakeMilpSolver(const MilpOptions& options = {});

// The MILP as the exact sub-problem solver of the module bounds
// (include/diviml/bound/bounds.h): optimal, a proven bound, infeasible, or
// nothing on a backend error. interrupt (not owned, may be null) stops
// every solve it starts, like a reached time limit.
// store (may be null, include/diviml/bound/segment_store.h): the plan it
// holds for the sub-problem's Signature() is tried first (MilpOptions::
// start_plans), so a repeated solve (a longer round of the module-chain
// bound) or a caller's plan starts from the best plan known.
ExactSolveFn MilpExactSolve(const std::string& milp_backend = "", const std::atomic<bool>* interrupt = nullptr,
                            const SegmentStore* store = nullptr);

}  // namespace diviml
