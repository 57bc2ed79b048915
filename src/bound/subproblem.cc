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
    if (v == entry && a >= 0) nd.pin = pr.platform().devices[a].name;
    local[v] = g.AddNode(nd);
  };
  if (entry >= 0) add(entry);
  for (int v : module) add(v);
  int sink = -1;
  if (exit >= 0) {
    // b < 0: the marker free, on whatever the exit node may run on.
    Node marker = MarkerNode(pr, "__exit", b >= 0 ? b : std::max(0, pr.fixed_device(exit)));
    if (b < 0 && pr.fixed_device(exit) < 0) marker.pin.clear();
    sink = g.AddNode(marker);
  }
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

double ChainShortestPath(const ModuleStructure& ms, int m, const std::function<double(int k, int ab)>& value,
                         std::vector<std::pair<int, int>>* path) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const int segs = static_cast<int>(ms.modules.size());
  const int cuts = static_cast<int>(ms.cut_nodes.size());
  auto exit_slots = [&](int k) { return k < cuts ? m : 1; };
  // dist[b]: the least sum up to and including segment k, its exit on b.
  std::vector<double> dist(m, kInf);
  std::vector<std::vector<int>> from(segs, std::vector<int>(m, -1));
  for (int b = 0; b < exit_slots(0); ++b) dist[b] = value(0, b);
  for (int k = 1; k < segs; ++k) {
    std::vector<double> next(m, kInf);
    for (int a = 0; a < m; ++a) {
      if (!std::isfinite(dist[a])) continue;
      for (int b = 0; b < exit_slots(k); ++b) {
        const double v = dist[a] + value(k, a * m + b);
        if (v < next[b]) {
          next[b] = v;
          from[k][b] = a;
        }
      }
    }
    dist = std::move(next);
  }
  int b = static_cast<int>(std::min_element(dist.begin(), dist.end()) - dist.begin());
  const double best = dist[b];
  if (!std::isfinite(best)) return best;
  path->assign(segs, {0, 0});
  for (int k = segs - 1; k >= 0; --k) {
    const int a = k > 0 ? from[k][b] : 0;
    (*path)[k] = {a, b};
    b = a;
  }
  return best;
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
