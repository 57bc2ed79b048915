// Cycle reporting and finalisation for the graph readers (see graph_check.h).
#include "io/graph_check.h"

#include <algorithm>
#include <vector>

#include "io/json_check.h"

namespace diviml::io {
namespace {

// Nodes of one directed cycle (in order, first repeated implicitly), or
// empty when the graph is acyclic. Kahn's algorithm leaves every node on or
// after a cycle; each of those has a leftover predecessor, so walking
// leftover predecessors n times ends on a cycle.
std::vector<int> FindCycle(const Graph& g) {
  const int n = g.num_nodes();
  std::vector<int> indeg(n, 0);
  std::vector<std::vector<int>> succ(n), pred(n);
  for (const Edge& e : g.edges) {
    ++indeg[e.to];
    succ[e.from].push_back(e.to);
    pred[e.to].push_back(e.from);
  }
  std::vector<int> queue;
  for (int v = 0; v < n; ++v)
    if (indeg[v] == 0) queue.push_back(v);
  for (size_t k = 0; k < queue.size(); ++k)
    for (int w : succ[queue[k]])
      if (--indeg[w] == 0) queue.push_back(w);
  if (static_cast<int>(queue.size()) == n) return {};
  int v = 0;
  while (indeg[v] == 0) ++v;
  auto leftover_pred = [&](int x) {
    for (int p : pred[x])
      if (indeg[p] > 0) return p;
    return -1;  // unreachable: a leftover node has a leftover predecessor
  };
  for (int step = 0; step < n; ++step) v = leftover_pred(v);
  std::vector<int> cycle{v};
  for (int x = leftover_pred(v); x != v; x = leftover_pred(x)) cycle.push_back(x);
  std::reverse(cycle.begin(), cycle.end());  // predecessors walked backwards
  return cycle;
}

}  // namespace

void FinalizeOrThrow(Graph& graph, const std::string& source, const std::string& where) {
  std::vector<int> cycle = FindCycle(graph);
  if (!cycle.empty()) {
    std::string path;
    const size_t shown = std::min<size_t>(cycle.size(), 8);
    for (size_t k = 0; k < shown; ++k) path += "'" + graph.nodes[cycle[k]].id + "' -> ";
    if (shown < cycle.size()) path += "... -> ";
    path += "'" + graph.nodes[cycle[0]].id + "'";
    Fail(source, "the graph has a cycle through node '" + graph.nodes[cycle[0]].id + "': " + path,
         where);
  }
  if (auto error = graph.Finalize()) Fail(source, *error, where);
}

}  // namespace diviml::io
