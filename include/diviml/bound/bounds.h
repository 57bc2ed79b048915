// Every lower bound on the optimal makespan (docs/bounds.md). Each is valid
// for every plan: tests check it never exceeds a known optimum, and the
// pipeline reports (never hides) a bound above an evaluated plan.
//
// The cheap ones (critical_path, comm_path, work, module) come from
// ComputeBounds(); energetic from EnergeticBound(); the exact module bounds
// (module_exact, module_chain) need an exact solver for sub-problems, which
// the caller passes in (ExactSolveFn: this layer sits below the solvers).
#pragma once

#include <atomic>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "diviml/core/plan.h"
#include "diviml/core/problem.h"

namespace diviml {

class SegmentStore;  // diviml/bound/segment_store.h

// One segment of the module-chain bound (ModuleChainBound) on its shortest
// path: segment `index` (module `index` between two cut nodes), its node
// count, the value charged for it and whether that value is the segment's
// proven optimum (else a lower bound only).
struct BoundSegment {
  int index = 0;
  int nodes = 0;
  double value_s = 0;
  bool proven = false;
};

struct BoundPart {
  std::string name;   // "critical_path", "work", "module", ...
  double value_s = 0;
  std::string detail; // e.g. "12 modules, 11 cut nodes"
  std::vector<BoundSegment> segments;  // module_chain only: its segments
};

struct BoundReport {
  std::vector<BoundPart> parts;
  double best_s = 0;
  std::string best_name;
};

// Longest path with min_d p(i,d) per node and free transfers. O(V + E).
double CriticalPathBound(const Problem& problem);

// Longest path where every transfer between different devices is charged:
// max over v of min over d of (earliest start on d + time to the end from
// d), each computed optimistically along the DAG. Dominates
// CriticalPathBound. O(E * m^2).
double CommPathBound(const Problem& problem);

// min T such that a fractional assignment puts at most T of work on every
// device: an LP with V*m columns, solved in closed form when all devices run
// every node at the same speed (W/m). O(V*m) plus one LP solve.
double WorkBound(const Problem& problem);

// Work bound over a subset of nodes (used per module).
double WorkBound(const Problem& problem, const std::vector<int>& nodes);

// Cut nodes (comparable with every other node) split the graph into a chain
// of modules; OPT >= sum of per-module bounds + min cost of each cut node.
// The per-module bound is max(critical path, work bound) of the module.
// O(V * E / 64) for reachability (up to 16384 nodes; a linear-time subset
// of the cut nodes above, see src/bound/bounds.cc) plus the module bounds.
struct ModuleStructure {
  std::vector<int> cut_nodes;               // in topological order
  std::vector<std::vector<int>> modules;    // modules[k] lies between cut
                                            // node k-1 and k (may be empty)
};
ModuleStructure FindModules(const Problem& problem);
double ModuleBound(const Problem& problem, const ModuleStructure& modules);

// All cheap bounds, with the best; rounds up when problem.integral().
BoundReport ComputeBounds(const Problem& problem);

// Adds part to report and makes it the best when it is higher. O(1).
void AddBoundPart(BoundReport* report, BoundPart part);

// head(i): longest path of min_p before node i; tail(i): after it (free
// transfers). O(V + E).
void HeadsAndTails(const Problem& problem, std::vector<double>* head, std::vector<double>* tail);

// cin(i): the least transfer, between any two different devices, on an
// edge into i or into an ancestor of i; cout(i): out of i or a descendant
// (infinity when there is no such edge). When i is not on device d but an
// ancestor is, a path from it to i crosses devices and pays at least
// cin(i) (the assignment bound's and the MILP's ancestor rows). O(E m^2).
void LeastCrossings(const Problem& problem, std::vector<double>* cin, std::vector<double>* cout);

// The delays around a device's share of i's ancestors or descendants, per
// [i * m + d] (the ancestor rows' head and tail terms, docs/bounds.md):
// tail: when no sink among i's descendants may run on d, the last of them
// on d, j, has every successor on another device, so at least
// min over i's non-sink descendants j of max over j's out-edges e = (j, k)
// of (least crossing of e + min_p(k) + k's tail of least times,
// HeadsAndTails()) passes after it ends before the makespan; else 0.
// head: likewise before the first of i's ancestors on d starts, when no
// source among them may run on d (in-edges (k, j): k's head + min_p(k) +
// least crossing). O((V + E) m^2).
void DeviceHeadsAndTails(const Problem& problem, std::vector<double>* head, std::vector<double>* tail);

// Energetic reasoning on the
// devices as one pool of m identical-capacity machines (Lopez, Erschler,
// Esquirol 1992; Baptiste, Le Pape, Nuijten 2001, ch. 3).
//
// For a trial makespan T every node i has a window: it cannot start before
// head(i) and must end by T - tail(i) (heads and tails with min_p and free
// transfers, HeadsAndTails). In any interval [a, b] node i runs at
// least
//   W(i,a,b) = max(0, min(b - a, p, head(i) + p - a, b - (T - tail(i) - p)))
// with p = min_p(i) (W grows with p, so min_p keeps it valid on
// heterogeneous devices). If sum_i W(i,a,b) > m (b - a) for some interval,
// no plan of makespan T exists. The bound is the least T that passes every
// check (found by bisection; whole numbers when the problem is integral).
// The energetic bound, at least `lower` (a known valid bound) and at most
// `upper` (a known feasible makespan; returned when every T below fails).
// O(log(upper - lower) * V^3) with the classic O(V^2) interval set.
double EnergeticBound(const Problem& problem, double lower, double upper);

// Energetic reasoning per device (src/bound/device_energetic.cc): windows
// [est(i,d), T - q(i,d)] with communication-aware heads and tails per
// device, each window's load checked on every device through weighted sums
// (uniform, work-LP dual and unit weights). The least T that passes, found
// by doubling from `lower` then `iterations` bisection steps; at least
// `lower`. Valid whenever it stops (each failing T is a proof).
// O(iterations * (V m)^3 * m): for segments and graphs up to ~100 nodes.
double DeviceEnergeticBound(const Problem& problem, double lower, int iterations = 30);

// The assignment bound (src/bound/assignment_bound.cc, docs/bounds.md): a
// MILP over the device assignment only (no sequencing), with transfers
// charged where an edge's ends are on different devices, device loads, and
// per node and device the load of its ancestors before its start and of
// its descendants after its end. Its dual bound at time_limit_s is valid
// (proven = the MILP's optimum was reached). Size V m + E m^2 columns,
// O(V m) rows of O(V) terms; backend "" = the best built in.
struct AssignmentBoundResult {
  double value_s = 0;  // 0 when the MILP gave nothing
  bool proven = false;
  int columns = 0, rows = 0;
  std::string mip_status, note;
};
AssignmentBoundResult AssignmentBound(const Problem& problem, double time_limit_s, const std::string& backend = "",
                                      const std::atomic<bool>* cancel = nullptr);

// A relaxation's lower bound on a sub-problem within a time limit: value_s
// (a valid lower bound on the sub-problem's optimum; 0 when it gave
// nothing) and done (the relaxation is solved to its own optimum, so more
// time would not raise it).
struct RelaxAnswer {
  double value_s = 0;
  bool done = false;
  bool applies = true;  // false: the relaxation is not run on this sub-problem (value 0, done)
};
using RelaxBoundFn = std::function<RelaxAnswer(const Problem& sub, double time_limit_s)>;
// AssignmentBound() as a RelaxBoundFn (done = its MILP proved optimal), on
// sub-problems of min_nodes to max_nodes nodes; others get {0, done, not
// applies} at once. The defaults (14-26 sub-problem nodes: inner
// module-chain segments of 12-24 module nodes plus the entry and the exit
// marker) are where it pays, measured in docs/split.md:
// smaller segments' MILPs prove as fast as the relaxation, larger ones'
// relaxations take seconds each.
RelaxBoundFn AssignmentRelaxation(const std::string& backend = "", const std::atomic<bool>* cancel = nullptr,
                                  int min_nodes = 14, int max_nodes = 26);


// A proof that no plan fits the memory capacities, or nullopt: some node
// whose weights (param_bytes + memory_bytes) fit no device it may run on,
// or more weights in all than all capacities together. O(V m).
std::optional<std::string> MemoryInfeasibility(const Problem& problem);

// An exact solver for sub-problems, supplied by the caller (the solvers
// layer offers MilpExactSolve() in include/diviml/solve/milp.h).
struct ExactAnswer {
  enum class Kind { kOptimal, kBound, kInfeasible, kNone };
  Kind kind = Kind::kNone;  // kBound: value_s is a proven lower bound only
  double value_s = 0;       // the optimum (kOptimal) or a lower bound (kBound)
  Plan plan;                // the best plan found, if any (empty: none)
  double plan_s = std::numeric_limits<double>::infinity();  // its makespan on the sub-problem
};
using ExactSolveFn = std::function<ExactAnswer(const Problem& sub, double time_limit_s)>;

// The module bound with each module's exact optimum (boundary transfers
// dropped): sum over modules of the exact optimum of the module alone (its
// dual bound when not proven within its time share, ComputeBounds() of the
// module when it has more than max_exact_nodes nodes) + min cost of every
// cut node. Never below ComputeBounds()'s "module" part. Part name
// "module_exact"; detail says how many modules were proven optimal.
BoundPart ModuleExactBound(const Problem& problem, double time_limit_s, const ExactSolveFn& exact,
                           int max_exact_nodes = 80);

// The module-chain bound (docs/split.md): segment k = cut node k-1 pinned
// to a device a, the module, and a marker for cut node k pinned to b; its
// optimum (boundary transfers into and out of the module charged) bounds
// the time between the two cut nodes' starts. OPT >= the shortest path
// over the chain of segment values (O(K m^2) for K segments). Segment
// values start at ComputeBounds() of the segment and are raised lazily by
// the exact solver on the current shortest path until it is all proven
// optima or time_limit_s is spent (modules above max_exact_nodes keep the
// cheap value). Never below ComputeBounds()'s "module" part. Part name
// "module_chain". Stops early (still valid) once *cancel is true.
// threads: workers for the segment MILPs of one round (the caller is one of
// them; `exact` must be safe to call from several threads at once). Given
// time for every MILP to prove, the value does not depend on it.
// relax (optional, e.g. AssignmentRelaxation()): in each round a path
// entry gets the relaxation first and the exact solver only after the
// relaxation was tried at that round (done, or run with the round's share
// of the time, or left out when no time was left; docs/split.md).
// store (optional, shared with the split solver's chain pass): every
// exact answer (bound, optimum, plan) and relaxation value is offered to
// it, and before each round every entry is raised to what the store holds
// for its sub-problem (a proven optimum there ends that entry).
// free_exact (optional; the split solver and `diviml bound` pass
// CpExactSolve(), include/diviml/solve/cp.h): first, until
// kChainFreeShare of the time, every segment of free_min_nodes to
// max_exact_nodes module nodes is solved once with its entry and exit free
// (SegmentProblem() with a = b = -1; repeated blocks once), as many at a
// time as there are, between kChainFreeWorkers and kChainFreeMaxJobs, each
// until the phase ends. Its bound is the least over every (a, b), so it
// raises all of the segment's entries at once; a proven optimum proves the
// entry its plan uses; the plan goes to the store for that entry
// (docs/split.md, "CP-SAT on the free segments"). The MILP rounds then get the time that is left;
// on a segment whose free solve proved, they call free_exact for its
// entries instead of exact (CP-SAT proves those where the MILP stalls; where
// it could not prove the free segment the MILP's dual bound is the better).
// free_done (may be null) is set once that phase's results are in the store
// (at once when there is none; at the latest on return): the split solver's
// plan thread waits for it to leave both cores to CP-SAT.
inline constexpr int kChainFreeMinNodes = 9;
inline constexpr double kChainFreeShare = 2.0 / 3;
inline constexpr int kChainFreeWorkers = 2;
inline constexpr int kChainFreeMaxJobs = 4;
BoundPart ModuleChainBound(const Problem& problem, double time_limit_s, const ExactSolveFn& exact,
                           int max_exact_nodes = 80, const std::atomic<bool>* cancel = nullptr, int threads = 1,
                           const RelaxBoundFn& relax = nullptr, SegmentStore* store = nullptr,
                           const ExactSolveFn& free_exact = nullptr, int free_min_nodes = kChainFreeMinNodes,
                           std::atomic<bool>* free_done = nullptr);


}  // namespace diviml
