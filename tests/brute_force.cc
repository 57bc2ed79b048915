#include "brute_force.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace diviml::testutil {

double ListScheduleMakespan(const Problem& problem, const std::vector<int>& device,
                            const std::vector<int>& order, std::vector<double>* start_out,
                            std::vector<double>* end_out) {
  const Graph& g = problem.graph();
  std::vector<double> start(problem.n(), 0), end(problem.n(), 0), free(problem.m(), 0);
  double makespan = 0;
  for (int v : order) {
    const int d = device[v];
    double s = free[d];
    for (int e : g.in_edges(v)) {
      const int u = g.edges[e].from;
      s = std::max(s, end[u] + problem.comm(e, device[u], d));
    }
    start[v] = s;
    end[v] = s + problem.p(v, d);
    free[d] = end[v];
    makespan = std::max(makespan, end[v]);
  }
  if (start_out) *start_out = start;
  if (end_out) *end_out = end;
  return makespan;
}

namespace {

struct Search {
  const Problem& pr;
  const Graph& g;
  int n, m;
  long long max_nodes, nodes = 0;
  std::vector<int> missing;  // unscheduled predecessors per node
  std::vector<double> end, free;
  std::vector<int> device, order;
  BruteForceResult best;

  explicit Search(const Problem& p, long long limit)
      : pr(p), g(p.graph()), n(p.n()), m(p.m()), max_nodes(limit) {
    missing.resize(n);
    for (int v = 0; v < n; ++v) missing[v] = g.in_degree(v);
    end.assign(n, 0);
    free.assign(m, 0);
    device.assign(n, -1);
    best.makespan = std::numeric_limits<double>::infinity();
  }

  void Run(double makespan) {
    if (++nodes > max_nodes) {
      best.complete = false;
      return;
    }
    if (static_cast<int>(order.size()) == n) {
      ++best.leaves;
      if (makespan < best.makespan) {
        best.makespan = makespan;
        best.device = device;
        best.order = order;
      }
      return;
    }
    for (int v = 0; v < n; ++v) {
      if (device[v] != -1 || missing[v] != 0) continue;
      for (int d = 0; d < m; ++d) {
        if (!pr.allowed(v, d)) continue;  // pinned elsewhere
        double s = free[d];
        for (int e : g.in_edges(v)) {
          const int u = g.edges[e].from;
          s = std::max(s, end[u] + pr.comm(e, device[u], d));
        }
        const double e_v = s + pr.p(v, d);
        const double ms = std::max(makespan, e_v);
        if (ms >= best.makespan) continue;  // cannot improve
        const double saved_free = free[d];
        device[v] = d;
        end[v] = e_v;
        free[d] = e_v;
        order.push_back(v);
        for (int e : g.out_edges(v)) --missing[g.edges[e].to];
        Run(ms);
        for (int e : g.out_edges(v)) ++missing[g.edges[e].to];
        order.pop_back();
        free[d] = saved_free;
        device[v] = -1;
        if (!best.complete) return;
      }
    }
  }
};

}  // namespace

BruteForceResult BruteForceOptimum(const Problem& problem, long long max_nodes) {
  Search s(problem, max_nodes);
  if (problem.n() == 0) {
    s.best.makespan = 0;
    s.best.plan = Plan::FromPriority({}, {}, problem.m());
    return s.best;
  }
  s.Run(0);
  s.best.plan = Plan::FromPriority(s.best.device, s.best.order, problem.m());
  return s.best;
}

Problem TinyProblem(uint64_t seed, uint64_t dag_seed, uint64_t platform_seed, bool pin, double time_scale) {
  const int m = TinyDevices(seed);
  Graph g = RandomDag(TinyDagOptions(seed, dag_seed), m);
  if (time_scale != 1)
    for (auto& nd : g.nodes)
      for (auto& [dev, t] : nd.time_s) t *= time_scale;
  if (pin) g.nodes[seed % g.nodes.size()].pin = "D" + std::to_string(1 + seed % m);
  Platform p = RandomPlatform(m, 3, 1 + static_cast<int>(seed % 3), platform_seed);
  std::string error;
  Problem pr = Problem::Build(std::move(g), std::move(p), &error);
  if (!error.empty()) throw std::runtime_error("TinyProblem: " + error);
  return pr;
}

}  // namespace diviml::testutil
