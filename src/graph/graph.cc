// Graph construction, CSR adjacency and topological order (Kahn). O(V + E).
#include "diviml/graph/graph.h"

#include <string>

namespace diviml {

int Graph::AddNode(Node node) {
  nodes.push_back(std::move(node));
  finalized_ = false;
  return num_nodes() - 1;
}

void Graph::AddEdge(int from, int to, double bytes) {
  edges.push_back(Edge{from, to, bytes});
  finalized_ = false;
}

int Graph::FindNode(const std::string& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? -1 : it->second;
}

std::optional<std::string> Graph::Finalize() {
  const int n = num_nodes();
  index_.clear();
  for (int v = 0; v < n; ++v) {
    if (!index_.emplace(nodes[v].id, v).second) return "duplicate node id '" + nodes[v].id + "'";
  }
  for (int e = 0; e < num_edges(); ++e) {
    const Edge& ed = edges[e];
    if (ed.from < 0 || ed.from >= n || ed.to < 0 || ed.to >= n)
      return "edge " + std::to_string(e) + " refers to a missing node";
    if (ed.from == ed.to) return "self loop on node '" + nodes[ed.from].id + "'";
  }
  out_begin_.assign(n + 1, 0);
  in_begin_.assign(n + 1, 0);
  for (const Edge& ed : edges) {
    ++out_begin_[ed.from + 1];
    ++in_begin_[ed.to + 1];
  }
  for (int v = 0; v < n; ++v) {
    out_begin_[v + 1] += out_begin_[v];
    in_begin_[v + 1] += in_begin_[v];
  }
  out_edge_.assign(edges.size(), 0);
  in_edge_.assign(edges.size(), 0);
  std::vector<int> out_fill(out_begin_.begin(), out_begin_.end() - 1);
  std::vector<int> in_fill(in_begin_.begin(), in_begin_.end() - 1);
  for (int e = 0; e < num_edges(); ++e) {
    out_edge_[out_fill[edges[e].from]++] = e;
    in_edge_[in_fill[edges[e].to]++] = e;
  }
  // Kahn's algorithm; smallest index first among ready nodes is not needed,
  // a FIFO keeps the order close to the input order.
  std::vector<int> indeg(n);
  for (int v = 0; v < n; ++v) indeg[v] = in_degree(v);
  topo_.clear();
  topo_.reserve(n);
  for (int v = 0; v < n; ++v)
    if (indeg[v] == 0) topo_.push_back(v);
  for (size_t k = 0; k < topo_.size(); ++k) {
    for (int e : out_edges(topo_[k])) {
      int w = edges[e].to;
      if (--indeg[w] == 0) topo_.push_back(w);
    }
  }
  if (static_cast<int>(topo_.size()) != n) {
    // Nodes left over lie on a cycle or downstream of one. Walking back
    // through left-over predecessors must revisit a node: that one is on it.
    int v = 0;
    while (indeg[v] == 0) ++v;
    std::vector<char> seen(n, 0);
    while (!seen[v]) {
      seen[v] = 1;
      for (int e : in_edges(v))
        if (indeg[edges[e].from] > 0) {
          v = edges[e].from;
          break;
        }
    }
    return "cycle through node '" + nodes[v].id + "'";
  }
  topo_pos_.assign(n, 0);
  for (int k = 0; k < n; ++k) topo_pos_[topo_[k]] = k;
  finalized_ = true;
  return std::nullopt;
}

}  // namespace diviml
