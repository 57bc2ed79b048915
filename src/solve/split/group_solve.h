// Solving one group of nodes of a Problem with the MILP, given the nodes
// already placed (their devices, finish times and per-device orders): the
// step the split solver repeats along its chain of groups and that the
// repair pass uses to re-solve windows.
#pragma once

#include <string>
#include <vector>

#include "diviml/core/plan.h"
#include "diviml/core/problem.h"
#include "diviml/solve/solver.h"

namespace diviml::split {

// The placed part of a plan.
struct State {
  std::vector<int> device;             // per node, -1 = not placed
  std::vector<double> end;             // per node: finish time when placed
  std::vector<double> busy;            // per device: busy until
  std::vector<double> params;          // per device: parameter bytes placed
  std::vector<std::vector<int>> order; // per device, placed nodes in order

  static State Empty(const Problem& pr);
  // The nodes of `prefix` with the devices of `plan` and the finish times
  // of `end_s` (a schedule of plan). prefix must be closed under
  // predecessors and under earlier nodes on the same device, so its times
  // do not depend on the rest; orders follow plan.order. O(V + m).
  static State FromPrefix(const Problem& pr, const Plan& plan, const std::vector<double>& end_s,
                          const std::vector<char>& in_prefix);
};

// Solves `group` (a set of unplaced nodes whose predecessors are all placed
// or in the group) as a sub-Problem: the group's nodes plus, per device, a
// chain of pinned pseudo-nodes from 0 whose ends are the finish times of
// the placed producers feeding the group and, last, the device's busy-until
// time. Inputs' devices and ready times are thus fixed and boundary
// transfers charged exactly. Appends the group to `st`. Memory capacity is
// reduced by the parameters already placed. False (and *why) when the MILP
// found no plan. Cost: one MILP of |group| + O(inputs) nodes, limit_s;
// with limit_s < kMinGroupMilpS (or once so.interrupt is set) HEFT on the
// same sub-problem instead, in milliseconds. plan_lower_bound_s: a lower
// bound on the whole problem's makespan; when the group holds every node
// not yet placed, the sub-problem's makespan is the plan's, so the MILP
// gets it as known bound and stops once its plan meets it (else unused).
constexpr double kMinGroupMilpS = 0.05;
bool SolveGroup(const Problem& pr, const std::vector<int>& group, State& st, double limit_s,
                const SolveOptions& so, std::string* why, double plan_lower_bound_s = 0);

}  // namespace diviml::split
