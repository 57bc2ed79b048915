// Helpers for building sub-Problems of a Problem (a subset of its nodes on
// the same platform), shared by the split solver and the module bounds.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "diviml/bound/bounds.h"

#include "diviml/graph/graph.h"
#include "diviml/core/problem.h"

namespace diviml::split {

// A copy of node v whose times are resolved per device name (so the copy
// needs no cost model) and whose pin names the device it is fixed to.
// O(m).
inline Node ResolvedNode(const Problem& pr, int v) {
  const Platform& p = pr.platform();
  Node nd = pr.graph().nodes[v];
  nd.time_s.clear();
  for (int d = 0; d < pr.m(); ++d) nd.time_s[p.devices[d].name] = pr.p(v, d);
  nd.pin = pr.fixed_device(v) >= 0 ? p.devices[pr.fixed_device(v)].name : "";
  return nd;
}

// A zero-time node pinned to device d (a boundary marker).
inline Node MarkerNode(const Problem& pr, const std::string& id, int d) {
  Node nd;
  nd.id = id;
  nd.op = "boundary";
  nd.time_s["*"] = 0;
  nd.pin = pr.platform().devices[d].name;
  return nd;
}

// The sub-problem of module `module` (its internal edges only), with the
// entry node (or -1) pinned to device a before it and, when exit >= 0, a
// zero-time marker pinned to device b receiving every edge from the entry
// and the module into `exit`. Memory is relaxed (no parameter or memory
// bytes). With entry = exit = -1 it is the module alone; a < 0 (b < 0)
// leaves the entry (the marker) free to run on any device the entry (exit)
// node may. O(V + E).
Problem SegmentProblem(const Problem& pr, int entry, const std::vector<int>& module, int exit, int a,
                       int b, std::string* err);

// The sub-problem up to node names: times, pins and edges in node order.
// Repeated blocks (ResNet stages, Inception blocks, transformer layers)
// give equal signatures, so a solver's result on one serves the others.
// O(V m + E).
std::string Signature(const Problem& sub);

// The shortest path over the chain of ms's segments (the module-chain
// bound's and the chain pass's): segment k with its entry cut node on
// device a and its exit cut node on b costs value(k, a * m + b) (infinite
// when not allowed); the first segment has entry slot 0 only, the last
// exit slot 0 only when no cut node follows it. Returns the least sum and,
// when it is finite, the (a, b) of every segment on it in *path (ties: the
// lowest devices). O(K m^2) for K segments.
double ChainShortestPath(const ModuleStructure& ms, int m, const std::function<double(int k, int ab)>& value,
                         std::vector<std::pair<int, int>>* path);

}  // namespace diviml::split
