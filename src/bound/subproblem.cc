// Sub-problems of a module or a segment (subproblem.h).
#include "bound/subproblem.h"

#include <iterator>

#include <fmt/format.h>

namespace diviml::split {

Problem SegmentProblem(const Problem& pr, int entry, const std::vector<int>& module, int exit, int a,
                       int b, std::string* err) {
  const Graph& g0 = pr.graph();
  Graph g;
  g.name = g0.name + "/segment";
  std::vector<int> local(pr.n(), -1);
  auto add = [&](int v) {
    Node nd = ResolvedNode(pr, v);
    nd.param_bytes = 0;
    nd.memory_bytes = 0;
    if (v == entry) nd.pin = pr.platform().devices[a].name;
    local[v] = g.AddNode(nd);
  };
  if (entry >= 0) add(entry);
  for (int v : module) add(v);
  int sink = exit >= 0 ? g.AddNode(MarkerNode(pr, "__exit", b)) : -1;
  auto link = [&](int v) {
    for (int e : g0.in_edges(v)) {
      int u = g0.edges[e].from;
      if (local[u] >= 0) g.AddEdge(local[u], v == exit ? sink : local[v], g0.edges[e].bytes);
    }
  };
  for (int v : module) link(v);
  if (exit >= 0) link(exit);
  return Problem::Build(std::move(g), pr.platform(), err, pr.host_device());
}

std::string Signature(const Problem& sub) {
  std::string s;
  auto out = std::back_inserter(s);
  fmt::format_to(out, "{} {}|", sub.n(), sub.m());
  for (int i = 0; i < sub.n(); ++i) {
    for (int d = 0; d < sub.m(); ++d) fmt::format_to(out, "{:a},", sub.p(i, d));
    fmt::format_to(out, "{};", sub.fixed_device(i));
  }
  for (const auto& e : sub.graph().edges) fmt::format_to(out, "{}>{}:{:a};", e.from, e.to, e.bytes);
  return s;
}

}  // namespace diviml::split
