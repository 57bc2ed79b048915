// Upward/downward ranks (Topcuoglu, Hariri, Wu 2002) and the optimistic cost
// table (Arabnejad, Barbosa 2014). O(V + E) for the ranks, O((V + E) * m)
// for the table; one pass over the topological order each.
#include "solve/heuristics/ranks.h"

#include <algorithm>
#include <limits>

namespace diviml::heuristics {

std::vector<double> UpwardRank(const Problem& pr) {
  const Graph& g = pr.graph();
  std::vector<double> rank(pr.n(), 0.0);
  const auto& topo = g.topo_order();
  for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
    const int v = *it;
    double tail = 0;
    for (int e : g.out_edges(v)) tail = std::max(tail, pr.mean_comm(e) + rank[g.edges[e].to]);
    rank[v] = pr.mean_p(v) + tail;
  }
  return rank;
}

std::vector<double> DownwardRank(const Problem& pr) {
  const Graph& g = pr.graph();
  std::vector<double> rank(pr.n(), 0.0);
  for (int v : g.topo_order()) {
    double head = 0;
    for (int e : g.in_edges(v)) {
      const int u = g.edges[e].from;
      head = std::max(head, rank[u] + pr.mean_p(u) + pr.mean_comm(e));
    }
    rank[v] = head;
  }
  return rank;
}

std::vector<double> OptimisticCostTable(const Problem& pr) {
  const Graph& g = pr.graph();
  const int m = pr.m();
  std::vector<double> oct(static_cast<size_t>(pr.n()) * m, 0.0);
  std::vector<double> x(m);
  const auto& topo = g.topo_order();
  for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
    const int v = *it;
    double* row = oct.data() + static_cast<size_t>(v) * m;
    for (int e : g.out_edges(v)) {
      const int w = g.edges[e].to;
      const double* wrow = oct.data() + static_cast<size_t>(w) * m;
      double best = std::numeric_limits<double>::infinity();
      for (int f = 0; f < m; ++f) {
        x[f] = wrow[f] + pr.p(w, f);
        best = std::min(best, x[f]);
      }
      // min over f of x[f] + (f != d ? c : 0) = min(x[d], min_f x[f] + c), c >= 0.
      const double c = pr.mean_comm(e);
      for (int d = 0; d < m; ++d) row[d] = std::max(row[d], std::min(x[d], best + c));
    }
  }
  return oct;
}

std::vector<double> RankOct(const Problem& pr, const std::vector<double>& oct) {
  const int m = pr.m();
  std::vector<double> rank(pr.n(), 0.0);
  for (int v = 0; v < pr.n(); ++v) {
    double s = 0;
    for (int d = 0; d < m; ++d) s += oct[static_cast<size_t>(v) * m + d];
    rank[v] = s / m;
  }
  return rank;
}

}  // namespace diviml::heuristics
