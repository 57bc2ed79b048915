// The throughput solvers "single" (the best single device) and
// "tp-heuristic": constructive starts (single device, data parallelism,
// HEFT/PEFT replicated, contiguous topological chunks, greedy), each
// improved by local search, then iterated local search from the best.
// O(starts * local search + ILS); about 1 s per zoo model with R = auto.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "diviml/solve/throughput.h"
#include "solve/throughput/internal.h"

namespace diviml {

using tp::Candidate;
using tp::Deadline;

ThroughputResult SolveThroughputSingle(const Problem& pr, const ThroughputOptions& o) {
  const int R = std::max(1, o.replicas);
  std::optional<Candidate> best;
  for (int d = 0; d < pr.m(); ++d) {
    ThroughputPlan plan;
    plan.device.assign(R, tp::SingleDevice(pr, d));
    tp::Offer(tp::MakeCandidate(pr, plan), o, &best);
  }
  if (!best) return tp::NoPlan("single", "no single device fits" + tp::ConstraintText(o));
  return tp::FromCandidate(pr, "single", *best, o);
}

std::vector<Candidate> tp::HeuristicCandidates(const Problem& pr, const ThroughputOptions& o) {
  const int n = pr.n(), m = pr.m(), R = std::max(1, o.replicas);
  Deadline deadline(o.solve.time_limit_s);
  std::vector<ThroughputPlan> starts;
  // Single device and pure data parallelism.
  for (int d = 0; d < m; ++d) {
    ThroughputPlan p;
    p.device.assign(R, SingleDevice(pr, d));
    starts.push_back(p);
  }
  {
    ThroughputPlan p;
    for (int r = 0; r < R; ++r) p.device.push_back(SingleDevice(pr, r % m));
    starts.push_back(p);
  }
  // Latency plans (HEFT, PEFT) replicated.
  for (const char* name : {"heft", "peft"}) {
    auto s = MakeSolver(name);
    if (!s) continue;
    SolveOptions so = o.solve;
    so.progress = nullptr;
    SolveResult res = s->Solve(pr, so);
    if (res.plan.device.size() == static_cast<size_t>(n)) {
      ThroughputPlan p;
      p.device.assign(R, res.plan.device);
      starts.push_back(p);
    }
  }
  // Contiguous topological chunks: devices taken in a rotating order, each
  // filled up to the period lower bound before moving on.
  const double target = tp::PeriodBound(pr, o, R);
  std::vector<int> by_speed(m);
  std::iota(by_speed.begin(), by_speed.end(), 0);
  std::vector<std::vector<int>> orders;
  if (m <= 4) {
    std::vector<int> perm = by_speed;
    do orders.push_back(perm);
    while (std::next_permutation(perm.begin(), perm.end()));
  } else {
    for (int k = 0; k < m; ++k) {
      std::vector<int> perm(m);
      for (int t = 0; t < m; ++t) perm[t] = (k + t) % m;
      orders.push_back(perm);
    }
  }
  const auto& topo = pr.graph().topo_order();
  for (const auto& perm : orders) {
    ThroughputPlan p;
    std::vector<double> load(m, 0);
    for (int r = 0; r < R; ++r) {
      std::vector<int> dev(n);
      int k = r % m, used = 0;
      for (int i : topo) {
        if (pr.fixed_device(i) >= 0) {
          dev[i] = pr.fixed_device(i);
          load[dev[i]] += pr.p(i, dev[i]);
          continue;
        }
        while (used < m - 1 && load[perm[k]] >= target) {
          k = (k + 1) % m;
          ++used;
        }
        dev[i] = perm[k];
        load[perm[k]] += pr.p(i, perm[k]);
      }
      p.device.push_back(dev);
    }
    starts.push_back(p);
  }
  // Greedy: every (replica, node) in topological order to the device that
  // keeps the largest resource load smallest.
  {
    ThroughputPlan p;
    std::vector<double> load(m + m * m, 0);
    const Graph& g = pr.graph();
    for (int r = 0; r < R; ++r) {
      std::vector<int> dev(n, -1);
      for (int i : topo) {
        int bestd = -1;
        double bestv = INFINITY;
        for (int d = 0; d < m; ++d) {
          if (!pr.allowed(i, d)) continue;
          double v = load[d] + pr.p(i, d);
          for (int e : g.in_edges(i)) {
            int a = dev[g.edges[e].from];
            if (a != d) v = std::max(v, load[m + a * m + d] + pr.comm(e, a, d));
          }
          if (v < bestv - 1e-15) bestv = v, bestd = d;
        }
        dev[i] = bestd;
        load[bestd] += pr.p(i, bestd);
        for (int e : g.in_edges(i)) {
          int a = dev[g.edges[e].from];
          if (a != bestd) load[m + a * m + bestd] += pr.comm(e, a, bestd);
        }
      }
      p.device.push_back(dev);
    }
    starts.push_back(p);
  }
  std::vector<Candidate> out;
  std::optional<Candidate> best;
  for (auto& s : starts) {
    out.push_back(MakeCandidate(pr, s));
    LocalSearch(pr, &s, o, deadline);
    out.push_back(MakeCandidate(pr, s));
    Offer(out.back(), o, &best);
  }
  if (best) IteratedLocalSearch(pr, *best, o, deadline, &out);
  return out;
}

ThroughputResult SolveThroughputHeuristic(const Problem& pr, const ThroughputOptions& o) {
  std::optional<Candidate> best;
  for (const auto& c : tp::HeuristicCandidates(pr, o)) tp::Offer(c, o, &best);
  if (!best) return tp::NoPlan("tp-heuristic", "no plan found" + tp::ConstraintText(o));
  return tp::FromCandidate(pr, "tp-heuristic", *best, o);
}

// split: the tp-heuristic candidates and the module-chain candidates; the
// best wins, so split is never worse than tp-heuristic (same seed, no time
// limit). The module part gets the time left by the first.
ThroughputResult SolveThroughputSplit(const Problem& pr, const ThroughputOptions& o) {
  Deadline deadline(o.solve.time_limit_s);
  std::optional<Candidate> best;
  for (const auto& c : tp::HeuristicCandidates(pr, o)) tp::Offer(c, o, &best);
  ThroughputOptions mo = o;
  mo.solve.time_limit_s = std::max(0.01, deadline.Remaining());
  for (const auto& c : tp::ModuleSplitCandidates(pr, mo)) tp::Offer(c, o, &best);
  if (!best) return tp::NoPlan("split", "no plan found" + tp::ConstraintText(o));
  return tp::FromCandidate(pr, "split", *best, o);
}

}  // namespace diviml
