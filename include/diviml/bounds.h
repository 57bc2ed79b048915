// Lower bounds on the optimal makespan (SPEC.md section 3). Every bound here
// is valid for every plan: tests check it never exceeds a known optimum.
#pragma once

#include <string>
#include <vector>

#include "diviml/problem.h"

namespace diviml {

struct BoundPart {
  std::string name;   // "critical_path", "work", "module", ...
  double value_s = 0;
  std::string detail; // e.g. "12 modules, 11 cut nodes"
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
// O(V * E / 64) for reachability plus the per-module work bounds.
struct ModuleStructure {
  std::vector<int> cut_nodes;               // in topological order
  std::vector<std::vector<int>> modules;    // modules[k] lies between cut
                                            // node k-1 and k (may be empty)
};
ModuleStructure FindModules(const Problem& problem);
double ModuleBound(const Problem& problem, const ModuleStructure& modules);

// All bounds, with the best; rounds up when problem.integral().
BoundReport ComputeBounds(const Problem& problem);

}  // namespace diviml
