// Plan-side local search for split (docs/split.md, "Local search"): the
// group MILPs see one window of the graph at a time; this pass looks at the
// whole schedule and moves nodes and small clusters between devices and
// within the priority order, keeping a change when the list schedule gets
// shorter (threshold accepting: slightly worse changes are taken early on
// to leave local optima, never at the end).
//
// State: a device per node and a global priority list (a topological
// order); the schedule is the list schedule of that pair (each node starts
// at max(its device's free time, arrival of its inputs)), which is exactly
// Evaluate()'s schedule of Plan::FromPriority(device, priority). Moves:
//  - one node to another device it may run on;
//  - a cluster (a node and up to 4 of its neighbours on the same device,
//    grown breadth-first) to another device: with transfers several times
//    a node's time, single moves cannot cross the barrier a whole branch can;
//  - a node to another place in the priority list between its last
//    predecessor and its first successor.
// Memory capacities are checked on every device change (parameters plus
// the largest workspace, as Evaluate()). Each try costs O(V + E); the pass
// runs until time_s is spent or *cancel is set. Deterministic for a seed
// when it stops by tries (max_tries > 0: the threshold then follows the
// tries, not the clock), not by time.
#pragma once

#include <atomic>
#include <cstdint>

#include "diviml/core/plan.h"
#include "diviml/core/problem.h"

namespace diviml::split {

struct LocalSearchStats {
  long long tries = 0;
  long long accepted = 0;
  long long improved = 0;  // new best found
  double before_s = 0, after_s = 0;
};

// Improves *plan in place, with *schedule and *makespan_s (Evaluate()'s of
// it), as RepairWindows (repair.h) does: never worse; the three are
// unchanged when nothing better was found. *plan must be valid and
// *schedule its schedule. max_tries <= 0: no limit on tries. Stops early
// once the best makespan meets *known_lb (MeetsBound), when given (split's
// bound thread raises it while the search runs).
LocalSearchStats LocalSearch(const Problem& problem, Plan* plan, Schedule* schedule, double* makespan_s,
                             double time_s, uint64_t seed, long long max_tries = 0,
                             const std::atomic<bool>* cancel = nullptr,
                             const std::atomic<double>* known_lb = nullptr);

}  // namespace diviml::split
