// Internal to split: cuts a module that is larger than the group budget into
// precedence-closed sequential parts with light crossing edges (docs/split.md
// section 4, step 2).
//
// Method. Every candidate is a topological order of the module's subgraph
// cut into contiguous pieces, so every part only feeds later parts:
//  - the plain order (the graph's topological index);
//  - a depth-first-like order (Kahn's algorithm preferring the ready node
//    with the heaviest arc from the node just emitted: "follow");
//  - community-guided orders: igraph community detection on the undirected,
//    weighted module subgraph (Leiden with the modularity objective at
//    resolutions 0.5, 1, 2, and every level of Louvain/multilevel),
//    communities ranked by mean topological index, then Kahn's algorithm
//    preferring among ready nodes the lowest community rank ("rank"); the
//    community of the node just emitted, then the lowest rank ("sticky");
//    or the community just emitted, then the heaviest arcs from it
//    ("follow"), so that communities, and chains of them, stay contiguous.
// On each order a dynamic programme chooses the cut points minimising the
// cost: crossing weight (sum of edge weights between different parts) +
// span_weight * sum over parts of the part's span, max(longest path, work /
// m) with fastest times. The span term matters: split appends each group
// after the previous one on every device, so parts are nearly serialised; a
// cut along independent branches crosses nothing but runs the branches one
// after the other (measured: crossing-only cuts made split's makespan worse
// on 5 of 12 RandWire runs). K = ceil(N / max_size) parts of
// min_size..max_size nodes (K + 1 parts when that lowers the cost by at
// least extra_part_gain). A local search then moves single nodes between
// parts while precedence, sizes and a strictly lower cost allow. The
// cheapest candidate wins; the equal-size sweep of the plain order
// (ceil(N / K) nodes per part, what split used before) is the first
// candidate, so the result never costs more than it.
//
// Edge weight: Problem::mean_comm(e) (mean transfer time over device pairs)
// plus a small constant per edge (1e-3 of the mean positive weight, or 1 if
// every weight is 0) so that, at equal time, fewer edges win.
//
// Complexity, N = |nodes|, E = edges inside the module, S = max_size,
// C = number of candidate orders (<= 3 * (3 + Louvain levels) + 2):
// communities O(E log N) each (igraph), per order Kahn O(N^2 + N * E), DP
// O(S * E + K * N * S), local search per pass O(E * max degree), plus
// O(N * (S + E)) for the spans, at most 4N moves. Measured: all 15 RandWire
// modules above 24 nodes (25-32 nodes each) cut in about 10 ms in total.
// Deterministic: igraph's default RNG is seeded with options.seed before
// each call; igraph calls are serialised by a mutex (igraph is built
// without thread-local state). Without igraph (DIVIML_HAVE_IGRAPH unset)
// only the plain and follow orders are used.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "diviml/core/problem.h"

namespace diviml::split_internal {

struct ModuleCutOptions {
  bool communities = true;       // community-guided orders (needs igraph)
  bool follow = true;            // the depth-first-like "follow" order
  double min_fill = 0.5;         // parts have >= ceil(min_fill * max_size) nodes
  double extra_part_gain = 0.3;  // K + 1 parts only when the weight drops by this share
  bool local_search = true;
  // Weight of the parts' spans in the objective (0 = crossing weight only).
  double span_weight = 1.0;
  uint64_t seed = 1;
};

struct ModuleCut {
  std::vector<std::vector<int>> parts;  // in order; nodes in topological order
  double weight = 0;                    // crossing weight (see above)
  int edges = 0;                        // crossing edges
  double cost = 0;                      // the objective: weight + span_weight * sum of spans
  // Winning candidate: "whole" (one part), "sweep", "plain",
  // "leiden(1.0)/rank", "louvain[0]/sticky", ...
  std::string method;
};

// Parts of at most max_size nodes that together are exactly `nodes` (a set
// of node indices of pr), every edge between two parts going from an earlier
// to a later part. One part when |nodes| <= max_size.
ModuleCut CutModuleDetailed(const Problem& pr, const std::vector<int>& nodes, int max_size,
                            const ModuleCutOptions& opt = {});

inline std::vector<std::vector<int>> CutModule(const Problem& pr, const std::vector<int>& nodes,
                                               int max_size, const ModuleCutOptions& opt = {}) {
  return CutModuleDetailed(pr, nodes, max_size, opt).parts;
}

// The weight CutModule minimises, per edge of pr (see above). O(E).
std::vector<double> CrossingEdgeWeights(const Problem& pr);

// Crossing edges (both ends in `parts`, in different parts) and their
// total CrossingEdgeWeights. O(V + E).
struct Crossing {
  int edges = 0;
  double weight = 0;
};
Crossing CountCrossing(const Problem& pr, const std::vector<std::vector<int>>& parts);

// The objective CutModule minimises (ModuleCut::cost) of any parts.
double CutCost(const Problem& pr, const std::vector<std::vector<int>>& parts, const ModuleCutOptions& opt = {});

// True when igraph is linked (community-guided orders available).
bool HaveCommunityDetection();

// Community detection (module_communities.cc): named memberships (community
// id per node 0..n-1) of the undirected weighted graph: Leiden with the
// modularity objective at resolutions 0.5, 1, 2 ("leiden(1.0)", ...) and
// every level of Louvain ("louvain[0]", ...). Weights must be positive.
// Empty without igraph or edges. Seeded, serialised by a mutex.
struct WeightedEdge {
  int a, b;
  double w;
};
std::vector<std::pair<std::string, std::vector<int>>> DetectCommunities(int n, const std::vector<WeightedEdge>& edges,
                                                                        uint64_t seed);

}  // namespace diviml::split_internal
