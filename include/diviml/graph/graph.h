// Graph: a DAG of operators with per-device times and bytes on edges.
//
// Storage is plain vectors plus a CSR-style adjacency built by Finalize():
// successor/predecessor edge lists are contiguous index ranges, so the hot
// loops of schedulers touch no hash maps. Finalize() is O(V + E).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace diviml {

struct Node {
  std::string id;
  std::string op = "task";
  // Execution time in seconds keyed by device name or device type, as read.
  // Resolved per device by cost::BuildCostMatrix.
  std::map<std::string, double> time_s;
  double flops = 0;         // floating point operations (1 MAC = 2 flops)
  double param_bytes = 0;   // weights that must live on the node's device
  double output_bytes = 0;  // bytes of the node's output tensors
  double memory_bytes = 0;  // activation/workspace memory while it runs
  // Device the node must run on: "" = any, "host" = the platform's host
  // (its first CPU, else its first device), else a device name. Graph inputs
  // and outputs of imported models are pinned to the host.
  std::string pin;
};

struct Edge {
  int from = -1;
  int to = -1;
  double bytes = 0;  // tensor size moved along the edge
};

class Graph {
 public:
  std::string name;
  std::vector<Node> nodes;
  std::vector<Edge> edges;

  // Adds a node; returns its index. Ids must be unique (checked by Finalize).
  int AddNode(Node node);
  void AddEdge(int from, int to, double bytes);

  // Builds adjacency and a topological order. Returns an error message
  // (duplicate id, self loop, edge to a missing node, cycle) or nullopt.
  std::optional<std::string> Finalize();
  bool finalized() const { return finalized_; }

  int num_nodes() const { return static_cast<int>(nodes.size()); }
  int num_edges() const { return static_cast<int>(edges.size()); }

  // Edge indices leaving / entering node v.
  std::span<const int> out_edges(int v) const {
    return {out_edge_.data() + out_begin_[v], out_edge_.data() + out_begin_[v + 1]};
  }
  std::span<const int> in_edges(int v) const {
    return {in_edge_.data() + in_begin_[v], in_edge_.data() + in_begin_[v + 1]};
  }
  int out_degree(int v) const { return out_begin_[v + 1] - out_begin_[v]; }
  int in_degree(int v) const { return in_begin_[v + 1] - in_begin_[v]; }

  // Nodes in a topological order (sources first).
  const std::vector<int>& topo_order() const { return topo_; }
  // Position of each node in topo_order().
  const std::vector<int>& topo_index() const { return topo_pos_; }

  // Index of the node with this id, or -1.
  int FindNode(const std::string& id) const;

 private:
  bool finalized_ = false;
  std::vector<int> out_begin_, out_edge_, in_begin_, in_edge_;
  std::vector<int> topo_, topo_pos_;
  std::map<std::string, int> index_;
};

// Reachability closure as bitsets: Reaches(i, j) is true when a directed
// path leads from i to j (i != j). Build O(V * E / 64) time, V^2/8 bytes.
class Reachability {
 public:
  explicit Reachability(const Graph& g);
  bool Reaches(int i, int j) const {
    return (bits_[static_cast<size_t>(i) * words_ + (j >> 6)] >> (j & 63)) & 1u;
  }
  // True when the DAG orders i and j (one reaches the other).
  bool Ordered(int i, int j) const { return Reaches(i, j) || Reaches(j, i); }
  int num_descendants(int i) const { return desc_count_[i]; }
  int num_ancestors(int i) const { return anc_count_[i]; }

 private:
  size_t words_ = 0;
  std::vector<uint64_t> bits_;
  std::vector<int> desc_count_, anc_count_;
};

}  // namespace diviml
