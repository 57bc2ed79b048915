// FuseTrivial: fold cheap operators into a neighbour. Merging the ends of an
// edge u->v creates a cycle only when another path leads from u to v; when v
// has u as its only predecessor, or u has v as its only successor, no such
// path exists, so every merge keeps the graph acyclic.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "diviml/io/onnx_import.h"

namespace diviml {

namespace {

const std::set<std::string, std::less<>> kTrivial = {
    "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Identity", "Dropout", "Cast",
    "Relu", "LeakyRelu", "PRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh",
    "Erf", "Gelu", "Elu", "Selu", "Softplus"};

bool IsIo(const std::string& op) { return op == "input" || op == "output"; }

std::map<std::string, double> SumCommonTimes(const std::map<std::string, double>& a,
                                             const std::map<std::string, double>& b) {
  std::map<std::string, double> r;
  for (const auto& [k, t] : a) {
    auto it = b.find(k);
    if (it != b.end()) r[k] = t + it->second;
  }
  return r;
}

}  // namespace

bool IsTrivialOp(std::string_view op) {
  if (op.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t plus = op.find('+', start);
    std::string_view part = op.substr(start, plus == std::string_view::npos ? op.npos : plus - start);
    if (!kTrivial.count(part)) return false;
    if (plus == std::string_view::npos) return true;
    start = plus + 1;
  }
}

FuseStats FuseTrivial(Graph& graph) {
  FuseStats stats;
  const int n = graph.num_nodes();
  stats.nodes_before = n;
  stats.edges_before = graph.num_edges();
  std::vector<std::map<int, double>> succ(n), pred(n);
  for (const Edge& e : graph.edges) {
    succ[e.from][e.to] += e.bytes;
    pred[e.to][e.from] += e.bytes;
  }
  std::vector<Node>& nodes = graph.nodes;
  std::vector<char> alive(n, 1);

  bool changed = true;
  while (changed) {
    changed = false;
    for (int v = 0; v < n; ++v) {
      if (!alive[v] || IsIo(nodes[v].op) || !IsTrivialOp(nodes[v].op)) continue;
      if (pred[v].size() == 1 && !IsIo(nodes[pred[v].begin()->first].op)) {
        // Into the producer u.
        const int u = pred[v].begin()->first;
        Node& a = nodes[u];
        const Node& b = nodes[v];
        a.output_bytes = succ[u].size() == 1 ? b.output_bytes : a.output_bytes + b.output_bytes;
        a.flops += b.flops;
        a.param_bytes += b.param_bytes;
        a.memory_bytes = std::max(a.memory_bytes, b.memory_bytes);
        a.time_s = SumCommonTimes(a.time_s, b.time_s);
        a.op += "+" + b.op;
        succ[u].erase(v);
        for (const auto& [w, bytes] : succ[v]) {
          pred[w].erase(v);
          succ[u][w] += bytes;
          pred[w][u] += bytes;
        }
      } else if (succ[v].size() == 1 && !IsIo(nodes[succ[v].begin()->first].op)) {
        // Into the consumer w.
        const int w = succ[v].begin()->first;
        Node& a = nodes[w];
        const Node& b = nodes[v];
        a.flops += b.flops;
        a.param_bytes += b.param_bytes;
        a.memory_bytes = std::max(a.memory_bytes, b.memory_bytes);
        a.time_s = SumCommonTimes(a.time_s, b.time_s);
        a.op = b.op + "+" + a.op;
        pred[w].erase(v);
        for (const auto& [u, bytes] : pred[v]) {
          succ[u].erase(v);
          succ[u][w] += bytes;
          pred[w][u] += bytes;
        }
      } else {
        continue;
      }
      alive[v] = 0;
      succ[v].clear();
      pred[v].clear();
      changed = true;
    }
  }

  Graph out;
  out.name = graph.name;
  std::vector<int> remap(n, -1);
  for (int v = 0; v < n; ++v)
    if (alive[v]) remap[v] = out.AddNode(std::move(nodes[v]));
  for (int u = 0; u < n; ++u)
    for (const auto& [w, bytes] : succ[u]) out.AddEdge(remap[u], remap[w], bytes);
  if (auto err = out.Finalize()) throw InputError(graph.name + ": fusing produced an invalid graph: " + *err);
  graph = std::move(out);
  stats.nodes_after = graph.num_nodes();
  stats.edges_after = graph.num_edges();
  return stats;
}

}  // namespace diviml
