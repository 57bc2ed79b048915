// The module-based splitting heuristic ("split", docs/split.md) and the
// exact module lower bound (docs/bounds.md).
//
// Split: FindModules() cuts the graph into a chain of modules at its cut
// nodes; the chain (modules and cut nodes, in order) is packed into groups
// of at most SplitOptions::module_size nodes; a module above the budget is
// cut into precedence-closed sequential parts (topological sweep). Groups
// are solved in order with the MILP ("milp"), each as a sub-Problem whose
// boundary is pinned pseudo-nodes: per device, a chain of pinned nodes
// starting at 0 whose ends are exactly the finish times of the producers
// already placed there (and the device's busy-until time), so every input's
// device and ready time is fixed and boundary transfers are charged exactly.
// The per-device orders are concatenated; the stitched plan is checked and
// timed by Evaluate() and the best of it, HEFT and PEFT is returned, so
// split is never worse than HEFT or PEFT.
#pragma once
#include <atomic>
#include <memory>
#include "diviml/bound/bounds.h"
#include "diviml/solve/solver.h"

namespace diviml {

struct SplitOptions {
  // Largest group solved as one MILP (nodes). Measured in docs/split.md.
  int module_size = 24;
  // Per-graph group size (docs/split.md, "Group size"): 32 instead of
  // module_size when a module has 25-32 nodes (one MILP per such module),
  // the forward pass has at least 0.11 s per node and the graph at most
  // 3.5 edges per node; else module_size.
  // The registry turns it off when split.module_size is given.
  bool auto_module_size = true;
  // Budget when SolveOptions::time_limit_s is infinite, seconds.
  double default_time_limit_s = 20;
  // Share of the budget for the exact module bound (computed on a second
  // thread while the groups are solved); 0 = no module bound.
  double bound_share = 0.9;
  // Repair pass: after the groups, re-solve windows of module_size nodes
  // centred on the group boundaries until 90% of the budget is spent.
  bool repair = true;
  // Share of the budget for the forward pass over the groups when repair
  // is on (else 0.9); groups proven optimal early leave more for repair.
  double forward_share = 0.6;
  // Workers for the module-chain bound's segment MILPs (docs/split.md,
  // "Cores"); 0 = automatic: SolveOptions::threads - 1, at least 1 (the
  // plan search keeps one core).
  int bound_threads = 0;
  // Share of the budget for the local search over the whole plan after
  // the repair pass (docs/split.md, "Local search"): node and cluster
  // moves between devices and within the order, threshold accepting.
  // Repair then stops at (0.9 - share) of the budget. 0 = off.
  double local_search_share = 0.1;
  // Share of the budget for the chain pass after the forward pass, out of
  // the repair's time (docs/split.md, "Chain pass"): on a chain of modules
  // of at most 24 nodes, a plan per module and pair of devices at its cut
  // nodes, the cut nodes' devices by a shortest path. 0 = off.
  double chain_share = 0.15;
  // The bound thread's segment MILPs and the chain pass share their
  // answers (docs/split.md, "Segment store"): the chain pass takes the
  // bound's segment plans and proofs, the bound the chain pass's dual
  // bounds, and a last shortest path over the plans known runs before the
  // local search and after the bound.
  bool share_segments = true;
  // The module-chain bound first solves every segment of at least 9 module
  // nodes once with CP-SAT, its entry and exit devices free: a bound on all
  // its (entry, exit) pairs at once, and a plan for the store (docs/split.md,
  // "CP-SAT on the free segments"). Needs OR-Tools (include/diviml/solve/
  // cp.h); where it is missing the bound runs as without.
  bool cp_segments = true;
};

std::unique_ptr<Solver> MakeSplitSolver(const SplitOptions& options = {});

}  // namespace diviml
