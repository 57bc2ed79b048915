// The chain pass of the split solver (docs/split.md, "Chain pass"): the
// cut nodes' devices chosen by a shortest path over per-segment plans, one
// per pair of devices at the segment's two cut nodes.
#pragma once

#include <limits>

#include "diviml/bound/bounds.h"
#include "diviml/bound/segment_store.h"
#include "diviml/core/plan.h"
#include "diviml/core/problem.h"
#include "diviml/solve/solver.h"
#include "util/stopwatch.h"

namespace diviml::split {

struct ChainPassStats {
  bool applies = false;  // at least two modules, each of at most max_module_nodes nodes
  int entries = 0;       // (segment, entry device, exit device) entries of the modules
  int solved = 0;        // distinct sub-problems given to the MILP
  int proven = 0;        // of which proven optimal
  double path_s = std::numeric_limits<double>::infinity();      // the shortest path's sum
  double makespan_s = std::numeric_limits<double>::infinity();  // its plan, evaluated on the whole graph
  bool improved = false;  // that plan replaced *plan
  int from_store = 0;     // entries whose plan or bound came from the store
};

struct ChainPassOptions {
  int max_module_nodes = 24;  // the pass applies to modules of at most this many nodes
  // A round of MILPs (one per module) that does not shorten the path ends
  // the MILPs.
  bool early_stop = true;
  // false: no MILPs, only the plans known (the current plan's segments,
  // HEFT's, the store's): the split solver's last path, after the bound.
  bool milps = true;
  // Shared with the module-chain bound (may be null): its records' plans
  // and bounds are used (a proven record's entry gets no MILP), the pass's
  // MILP answers are offered to it.
  SegmentStore* store = nullptr;
};

// True when ChainPass() applies: at least two non-empty modules, none above
// max_module_nodes nodes. O(number of modules).
bool ChainPassApplies(const ModuleStructure& ms, int max_module_nodes);

// Segment k is cut node k-1 pinned to device a, module k, and a zero-time
// marker pinned to b for cut node k (SegmentProblem(), src/bound/
// subproblem.h). Every segment's nodes follow cut node k-1 and precede cut
// node k, so plans of the segments, one per segment with matching devices
// at the shared cut nodes, concatenate into a plan of the whole graph; with
// no edge that skips a cut node and memory not binding its makespan is the
// sum of the segments' makespans. The pass keeps, per (k, a, b), the best
// plan it knows: the current plan's own segment (its nodes, devices and
// per-device order, timed alone), HEFT's plan of the segment, and the
// MILP's (a cut-node-only segment has one plan, built directly). The MILP
// goes to the most promising entry first (the rest of the chain at its
// best plans, the entry at its cheap lower bound, ComputeBounds()), each
// distinct sub-problem (Signature()) once, with max(0.15 s, what is left
// until until_s / the entries still open); an entry is left out when the
// whole chain through it at lower bounds cannot beat the best path. With
// early_stop, a round of MILPs (one per module) that does not shorten the
// path ends the MILPs. The shortest path over the entries' makespans picks
// the cut nodes' devices; the segments' plans are concatenated (segment by
// segment, by start time within one) and Evaluate()d on the whole graph,
// replacing *plan, *schedule and *makespan_s when strictly shorter. With
// a store (ChainPassOptions) every entry also takes the store's plan and
// bound for its sub-problem, refreshed before each MILP. Stops at until_s
// or at so's interrupt. O(K m^2) MILPs of at most max_module_nodes + 2
// nodes for K segments, O(K m^2) per MILP for the promise (and the
// store's lookups when it changed), O(K m^2 (V_k + E_k)) for the table,
// O(V + E) to evaluate.
ChainPassStats ChainPass(const Problem& pr, const ModuleStructure& ms, const ChainPassOptions& co,
                         const Stopwatch& clock, double until_s, const SolveOptions& so, Plan* plan,
                         Schedule* schedule, double* makespan_s);

}  // namespace diviml::split
