// Local search and iterated local search for throughput plans. One move
// = one (replica, node) to another device, evaluated incrementally in
// O(deg + m^2); a pass is O(R V m (deg + m^2)), at most 50 passes.
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "diviml/solve/throughput.h"
#include "solve/throughput/internal.h"

namespace diviml::tp {

// Local search: move one (replica, node) to another device when that lowers
// the period, or keeps it and lowers the sum of squared resource loads.
// Respects memory capacities and (when finite) the latency ceiling.
void LocalSearch(const Problem& pr, ThroughputPlan* plan, const ThroughputOptions& o, Deadline deadline) {
  const int n = pr.n(), m = pr.m(), R = plan->replicas();
  const Graph& g = pr.graph();
  std::vector<double> load(m + m * m, 0);  // devices then links d*m+f
  std::vector<int> count(static_cast<size_t>(n) * m, 0);
  std::vector<double> mem(m, 0);
  for (int r = 0; r < R; ++r) {
    for (int i = 0; i < n; ++i) {
      int d = plan->device[r][i];
      load[d] += pr.p(i, d);
      if (count[static_cast<size_t>(i) * m + d]++ == 0) mem[d] += g.nodes[i].param_bytes;
    }
    for (int e = 0; e < g.num_edges(); ++e) {
      int d = plan->device[r][g.edges[e].from], f = plan->device[r][g.edges[e].to];
      if (d != f) load[m + d * m + f] += pr.comm(e, d, f);
    }
  }
  auto stats = [&](const std::vector<double>& l, double* ss) {
    double mx = 0, s = 0;
    for (double v : l) {
      mx = std::max(mx, v);
      s += v * v;
    }
    *ss = s;
    return mx;
  };
  double ss;
  double P = stats(load, &ss);
  std::vector<double> trial;
  const bool check_latency = std::isfinite(o.max_latency_s);
  for (int pass = 0; pass < 50; ++pass) {
    bool improved = false;
    for (int r = 0; r < R; ++r) {
      for (int i = 0; i < n; ++i) {
        if (pr.fixed_device(i) >= 0) continue;
        if (deadline.Passed()) return;
        int d = plan->device[r][i];
        for (int f = 0; f < m; ++f) {
          if (f == d || !pr.allowed(i, f)) continue;
          double pb = g.nodes[i].param_bytes;
          if (count[static_cast<size_t>(i) * m + f] == 0 &&
              mem[f] + pb > pr.platform().devices[f].memory_bytes * (1 + 1e-12))
            continue;
          trial = load;
          trial[d] -= pr.p(i, d);
          trial[f] += pr.p(i, f);
          for (int e : g.in_edges(i)) {
            int a = plan->device[r][g.edges[e].from];
            if (a != d) trial[m + a * m + d] -= pr.comm(e, a, d);
            if (a != f) trial[m + a * m + f] += pr.comm(e, a, f);
          }
          for (int e : g.out_edges(i)) {
            int b = plan->device[r][g.edges[e].to];
            if (b != d) trial[m + d * m + b] -= pr.comm(e, d, b);
            if (b != f) trial[m + f * m + b] += pr.comm(e, f, b);
          }
          double ss2;
          double P2 = stats(trial, &ss2);
          bool accept = P2 < P * (1 - 1e-12) - 1e-15 ||
                        (P2 <= P * (1 + 1e-12) && ss2 < ss * (1 - 1e-9) - 1e-18);
          if (!accept) continue;
          plan->device[r][i] = f;
          if (check_latency && ReplicaLatency(pr, plan->device[r]) > o.max_latency_s * (1 + 1e-9)) {
            plan->device[r][i] = d;
            continue;
          }
          load.swap(trial);
          P = P2;
          ss = ss2;
          if (--count[static_cast<size_t>(i) * m + d] == 0) mem[d] -= pb;
          if (count[static_cast<size_t>(i) * m + f]++ == 0) mem[f] += pb;
          d = f;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
}

// Iterated local search from `start`: 200 times, move max(2, R V / 40)
// random (replica, node) pairs to random devices, descend again, keep the
// result when it is better; every improvement is appended to *out.
// O(200 * local search).
void IteratedLocalSearch(const Problem& pr, const Candidate& start, const ThroughputOptions& o, Deadline deadline,
                         std::vector<Candidate>* out) {
  if (o.min_throughput_per_s > 0) return;
  const int n = pr.n(), m = pr.m(), R = start.plan.replicas();
  std::mt19937_64 rng(o.solve.seed * 7919 + R);
  const int iterations = 200;
  const int kick = std::max(2, R * n / 40);
  Candidate cur = start;
  for (int it = 0; it < iterations && !deadline.Passed(); ++it) {
    ThroughputPlan p = cur.plan;
    for (int k = 0; k < kick; ++k) {
      int r = static_cast<int>(rng() % R), i = static_cast<int>(rng() % n);
      if (pr.fixed_device(i) >= 0) continue;
      p.device[r][i] = static_cast<int>(rng() % m);
    }
    LocalSearch(pr, &p, o, deadline);
    Candidate c = MakeCandidate(pr, p);
    if (Feasible(c, o) && Better(c, cur, o)) {
      cur = c;
      out->push_back(c);
    }
  }
}

}  // namespace diviml::tp
