// Shared helpers of the throughput tests: tiny random instances and the
// brute-force optimum period (every assignment of R copies; O(m^(R V))).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "diviml/gen/random_dag.h"
#include "diviml/core/problem.h"
#include "diviml/cost/cost_model.h"
#include "diviml/solve/throughput.h"

namespace diviml {

inline Problem Build(Graph g, Platform p) {
  std::string err;
  const int host = HostDevice(p);  // nodes pinned to "host" run there
  Problem pr = Problem::Build(std::move(g), std::move(p), &err, host);
  EXPECT_EQ(err, "");
  return pr;
}

inline Problem Tiny(int n, int m, uint64_t seed, bool memory) {
  RandomDagOptions o;
  o.nodes = n;
  o.seed = seed;
  o.mean_out_degree = 1.5;
  Graph g = RandomDag(o, m);
  if (memory)
    for (int i = 0; i < g.num_nodes(); ++i) g.nodes[i].param_bytes = 1 + (i * 7 + seed) % 5;
  Platform p = RandomPlatform(m, 2, 4, seed + 100);
  if (memory) p.devices[0].memory_bytes = 6;
  return Build(std::move(g), std::move(p));
}

// Smallest period over every assignment of R copies that fits memory.
inline double BruteForcePeriod(const Problem& pr, int R, double max_latency = INFINITY) {
  const int n = pr.n(), m = pr.m();
  ThroughputPlan plan;
  plan.device.assign(R, std::vector<int>(n, 0));
  std::vector<int*> slots;
  for (int r = 0; r < R; ++r)
    for (int i = 0; i < n; ++i) slots.push_back(&plan.device[r][i]);
  double best = INFINITY;
  while (true) {
    bool ok = true;
    for (int r = 0; r < R && ok; ++r)
      for (int i = 0; i < n && ok; ++i) ok = pr.allowed(i, plan.device[r][i]);
    if (ok && std::isfinite(max_latency))
      for (int r = 0; r < R && ok; ++r) ok = ReplicaLatency(pr, plan.device[r]) <= max_latency * (1 + 1e-9);
    if (ok) {
      PeriodInfo info = EvaluatePeriod(pr, plan);
      if (info.valid) best = std::min(best, info.period_s);
    }
    size_t k = 0;
    while (k < slots.size() && ++*slots[k] == m) *slots[k++] = 0;
    if (k == slots.size()) break;
  }
  return best;
}

}  // namespace diviml
