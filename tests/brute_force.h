// Exhaustive optimum of tiny instances, for validating bounds and exact
// solvers. Independent of every solver and of Evaluate().
//
// Every (device assignment, topological order) pair is list-scheduled
// semi-actively: in the order, a node starts at max(its device's free time,
// arrival of every input), an input arriving at the producer's end plus
// comm(e, d, f) (0 on one device). This reaches the optimum: sorting an
// optimal schedule's nodes by start time (ties by topological index) gives
// a topological order whose list schedule, with the same devices, starts
// every node no later. The enumeration is a depth-first search over
// (ready node, device) choices with incremental times, pruned when the
// partial makespan already reaches the best found (valid: the makespan never
// decreases along a branch). Worst case O((V! * m^V) * V), fine for V <= 8,
// m <= 3.
#pragma once

#include <cstdint>
#include <vector>

#include "diviml/core/plan.h"
#include "diviml/core/problem.h"
#include "diviml/gen/random_dag.h"

namespace diviml::testutil {

struct BruteForceResult {
  double makespan = 0;        // the optimum
  std::vector<int> device;    // an optimal assignment
  std::vector<int> order;     // the topological order that realises it
  Plan plan;                  // Plan::FromPriority(device, order, m)
  long long leaves = 0;       // complete schedules evaluated
  bool complete = true;       // false when max_nodes stopped the search
};

// Makespan of the list schedule of (device, order); start/end per node when
// given. order must be a topological order of all nodes. O(V + E).
double ListScheduleMakespan(const Problem& problem, const std::vector<int>& device,
                            const std::vector<int>& order, std::vector<double>* start = nullptr,
                            std::vector<double>* end = nullptr);

// The optimal makespan by exhaustive search; stops (complete = false) after
// max_nodes search nodes.
BruteForceResult BruteForceOptimum(const Problem& problem, long long max_nodes = 200000000);

// The tiny random graphs the bound checks brute-force: 4-7 nodes and 2-3
// devices (TinyDevices) by seed, mean out-degree 1-2, integer times 1-12,
// 0-10 bytes per edge; dag_seed seeds the graph itself.
inline int TinyDevices(uint64_t seed) { return 2 + static_cast<int>(seed % 2); }
inline RandomDagOptions TinyDagOptions(uint64_t seed, uint64_t dag_seed) {
  RandomDagOptions o;
  o.nodes = 4 + static_cast<int>(seed % 4);
  o.mean_out_degree = 1.0 + (seed % 3) * 0.5;
  o.min_time = 1;
  o.max_time = 12;
  o.min_bytes = 0;
  o.max_bytes = 10;
  o.seed = dag_seed;
  return o;
}

// A tiny heterogeneous instance for the brute-force checks: the graph of
// TinyDagOptions(seed, dag_seed) on TinyDevices(seed) devices, every time
// multiplied by time_scale (1 keeps whole numbers), node seed % V pinned to
// device D(1 + seed % m) when pin, on RandomPlatform(m, 3, 1 + seed % 3,
// platform_seed). O(V + E).
Problem TinyProblem(uint64_t seed, uint64_t dag_seed, uint64_t platform_seed, bool pin, double time_scale = 1);

}  // namespace diviml::testutil
