// Period evaluation and per-replica latency (include/diviml/core/throughput_model.h).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "diviml/core/evaluate.h"
#include "diviml/core/throughput_model.h"

namespace diviml {

PeriodInfo EvaluatePeriod(const Problem& pr, const ThroughputPlan& plan) {
  const int n = pr.n(), m = pr.m(), R = plan.replicas();
  const Graph& g = pr.graph();
  PeriodInfo info;
  info.device_load_s.assign(m, 0);
  info.link_load_s.assign(static_cast<size_t>(m) * m, 0);
  info.device_param_bytes.assign(m, 0);
  if (R < 1) {
    info.violations.push_back("no replicas");
    return info;
  }
  std::vector<char> weights(static_cast<size_t>(n) * m, 0);
  for (int r = 0; r < R; ++r) {
    const auto& dev = plan.device[r];
    if (static_cast<int>(dev.size()) != n) {
      info.violations.push_back("replica " + std::to_string(r) + " does not place every node");
      return info;
    }
    for (int i = 0; i < n; ++i) {
      int d = dev[i];
      if (d < 0 || d >= m) {
        info.violations.push_back("replica " + std::to_string(r) + ": node " + g.nodes[i].id + " has no device");
        return info;
      }
      if (!pr.allowed(i, d))
        info.violations.push_back("replica " + std::to_string(r) + ": node " + g.nodes[i].id +
                                  " is pinned to " + pr.platform().devices[pr.fixed_device(i)].name);
      info.device_load_s[d] += pr.p(i, d);
      if (!weights[static_cast<size_t>(i) * m + d]) {
        weights[static_cast<size_t>(i) * m + d] = 1;
        info.device_param_bytes[d] += g.nodes[i].param_bytes;
      }
    }
    for (int e = 0; e < g.num_edges(); ++e) {
      int d = dev[g.edges[e].from], f = dev[g.edges[e].to];
      if (d != f) info.link_load_s[static_cast<size_t>(d) * m + f] += pr.comm(e, d, f);
    }
  }
  for (int d = 0; d < m; ++d) {
    double cap = pr.platform().devices[d].memory_bytes;
    if (info.device_param_bytes[d] > cap * (1 + 1e-12))
      info.violations.push_back("memory: " + pr.platform().devices[d].name + " holds " +
                                std::to_string(info.device_param_bytes[d]) + " bytes of weights > capacity " +
                                std::to_string(cap));
  }
  double P = 0;
  for (int d = 0; d < m; ++d)
    if (info.device_load_s[d] > P) {
      P = info.device_load_s[d];
      info.bottleneck = "device " + pr.platform().devices[d].name;
    }
  for (int d = 0; d < m; ++d)
    for (int f = 0; f < m; ++f)
      if (info.link_load_s[static_cast<size_t>(d) * m + f] > P) {
        P = info.link_load_s[static_cast<size_t>(d) * m + f];
        info.bottleneck = "link " + pr.platform().devices[d].name + "->" + pr.platform().devices[f].name;
      }
  info.period_s = P;
  info.throughput_per_s = P > 0 ? R / P : INFINITY;
  info.valid = info.violations.empty();
  return info;
}

Plan ReplicaPlan(const Problem& pr, const std::vector<int>& dev) {
  const Graph& g = pr.graph();
  const int n = pr.n();
  std::vector<double> bl(n, 0);
  const auto& topo = g.topo_order();
  for (int k = n - 1; k >= 0; --k) {
    int i = topo[k];
    double best = 0;
    for (int e : g.out_edges(i)) {
      int j = g.edges[e].to;
      best = std::max(best, pr.comm(e, dev[i], dev[j]) + bl[j]);
    }
    bl[i] = pr.p(i, dev[i]) + best;
  }
  std::vector<int> prio(n);
  std::iota(prio.begin(), prio.end(), 0);
  const auto& pos = g.topo_index();
  std::sort(prio.begin(), prio.end(), [&](int a, int b) {
    if (bl[a] != bl[b]) return bl[a] > bl[b];
    return pos[a] < pos[b];
  });
  // A tie in bottom level between a node and its successor (zero-time
  // nodes) is broken by topological position, but a strictly larger bl
  // of a successor cannot happen, so the list respects precedence.
  return Plan::FromPriority(dev, prio, pr.m());
}

double ReplicaLatency(const Problem& pr, const std::vector<int>& dev) {
  Evaluation ev = Evaluate(pr, ReplicaPlan(pr, dev));
  return ev.valid ? ev.makespan_s : INFINITY;
}

}  // namespace diviml
