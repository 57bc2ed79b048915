// Heads and tails (include/diviml/bound/bounds.h). O(V + E).
#include <algorithm>

#include "diviml/bound/bounds.h"

namespace diviml {

void HeadsAndTails(const Problem& pr, std::vector<double>* head, std::vector<double>* tail) {
  const Graph& g = pr.graph();
  const int n = pr.n();
  head->assign(n, 0);
  tail->assign(n, 0);
  for (int v : g.topo_order())
    for (int e : g.out_edges(v)) {
      const int w = g.edges[e].to;
      (*head)[w] = std::max((*head)[w], (*head)[v] + pr.min_p(v));
    }
  const auto& topo = g.topo_order();
  for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
    const int v = *it;
    for (int e : g.out_edges(v)) {
      const int w = g.edges[e].to;
      (*tail)[v] = std::max((*tail)[v], pr.min_p(w) + (*tail)[w]);
    }
  }
}

}  // namespace diviml
