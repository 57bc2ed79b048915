// Throughput solvers: "single" (the best single device), the fast
// heuristic "tp-heuristic" (also reached as "split" until the module-based
// split throughput solver exists), and the dispatcher with auto R and the
// latency / throughput constraints. The exact MILP is in milp.cc.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>

#include "diviml/throughput.h"
#include "throughput/internal.h"

namespace diviml {
namespace tp {

Candidate MakeCandidate(const Problem& pr, ThroughputPlan plan) {
  Candidate c;
  c.info = EvaluatePeriod(pr, plan);
  c.max_latency_s = 0;
  for (const auto& dev : plan.device) {
    double l = ReplicaLatency(pr, dev);
    c.latency_s.push_back(l);
    c.max_latency_s = std::max(c.max_latency_s, l);
  }
  c.plan = std::move(plan);
  return c;
}

bool Feasible(const Candidate& c, const ThroughputOptions& o) {
  if (!c.info.valid) return false;
  if (c.max_latency_s > o.max_latency_s * (1 + 1e-9) + 1e-12) return false;
  if (o.min_throughput_per_s > 0 && c.info.throughput_per_s < o.min_throughput_per_s * (1 - 1e-9)) return false;
  return true;
}

bool Better(const Candidate& a, const Candidate& b, const ThroughputOptions& o) {
  const double eps = 1e-12;
  if (o.min_throughput_per_s > 0) {
    if (a.max_latency_s < b.max_latency_s - eps) return true;
    if (a.max_latency_s > b.max_latency_s + eps) return false;
    return a.info.throughput_per_s > b.info.throughput_per_s * (1 + 1e-12);
  }
  double ta = a.info.throughput_per_s, tb = b.info.throughput_per_s;
  if (ta > tb * (1 + 1e-12)) return true;
  if (ta < tb * (1 - 1e-12)) return false;
  if (a.plan.replicas() != b.plan.replicas()) return a.plan.replicas() < b.plan.replicas();
  return a.max_latency_s < b.max_latency_s - eps;
}

void Offer(const Candidate& c, const ThroughputOptions& o, std::optional<Candidate>* best) {
  if (!Feasible(c, o)) return;
  if (!*best || Better(c, **best, o)) *best = c;
}

std::vector<int> SingleDevice(const Problem& pr, int d) {
  std::vector<int> dev(pr.n());
  for (int i = 0; i < pr.n(); ++i) dev[i] = pr.allowed(i, d) ? d : pr.fixed_device(i);
  return dev;
}

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

}  // namespace tp

using tp::Candidate;
using tp::Deadline;

namespace {

ThroughputResult FromCandidate(const Problem& pr, const std::string& solver, const Candidate& c) {
  ThroughputResult r;
  r.solver = solver;
  r.status = SolveStatus::kFeasible;
  r.plan = c.plan;
  r.period_s = c.info.period_s;
  r.throughput_per_s = c.info.throughput_per_s;
  r.latency_s = c.latency_s;
  r.period_lower_bound_s = PeriodLowerBound(pr, c.plan.replicas());
  if (r.period_s <= r.period_lower_bound_s * (1 + 1e-9)) r.status = SolveStatus::kOptimal;
  return r;
}

ThroughputResult Infeasible(const std::string& solver, const std::string& why) {
  ThroughputResult r;
  r.solver = solver;
  r.status = SolveStatus::kInfeasible;
  r.message = why;
  return r;
}

std::string ConstraintText(const ThroughputOptions& o) {
  std::string s;
  if (std::isfinite(o.max_latency_s)) s += " with latency <= " + std::to_string(o.max_latency_s) + " s";
  if (o.min_throughput_per_s > 0) s += " with throughput >= " + std::to_string(o.min_throughput_per_s) + "/s";
  return s;
}

}  // namespace

ThroughputResult SolveThroughputSingle(const Problem& pr, const ThroughputOptions& o) {
  const int R = std::max(1, o.replicas);
  std::optional<Candidate> best;
  for (int d = 0; d < pr.m(); ++d) {
    ThroughputPlan plan;
    plan.device.assign(R, tp::SingleDevice(pr, d));
    tp::Offer(tp::MakeCandidate(pr, plan), o, &best);
  }
  if (!best) return Infeasible("single", "no single device fits" + ConstraintText(o));
  return FromCandidate(pr, "single", *best);
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
    so.quiet = true;
    SolveResult res = s->Solve(pr, so);
    if (res.plan.device.size() == static_cast<size_t>(n)) {
      ThroughputPlan p;
      p.device.assign(R, res.plan.device);
      starts.push_back(p);
    }
  }
  // Contiguous topological chunks: devices taken in a rotating order, each
  // filled up to the period lower bound before moving on.
  const double target = PeriodLowerBound(pr, R);
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
  // Iterated local search from the best plan: move a few random (replica,
  // node) pairs, descend again, keep the result when it is better.
  if (best && o.min_throughput_per_s <= 0) {
    std::mt19937_64 rng(o.solve.seed * 7919 + R);
    const int iterations = 200;
    const int kick = std::max(2, R * n / 40);
    Candidate cur = *best;
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
        out.push_back(c);
      }
    }
  }
  return out;
}

ThroughputResult SolveThroughputHeuristic(const Problem& pr, const ThroughputOptions& o) {
  std::optional<Candidate> best;
  for (const auto& c : tp::HeuristicCandidates(pr, o)) tp::Offer(c, o, &best);
  if (!best) return Infeasible("tp-heuristic", "no plan found" + ConstraintText(o));
  return FromCandidate(pr, "tp-heuristic", *best);
}

ThroughputResult SolveThroughput(const Problem& pr, const ThroughputOptions& o) {
  auto t0 = std::chrono::steady_clock::now();
  std::string name = o.solver == "split" ? "tp-heuristic" : o.solver;
  ThroughputResult (*fn)(const Problem&, const ThroughputOptions&) = nullptr;
  if (name == "single") fn = SolveThroughputSingle;
  else if (name == "tp-heuristic") fn = SolveThroughputHeuristic;
  else if (name == "milp") fn = SolveThroughputMilp;
  if (!fn) {
    ThroughputResult r;
    r.solver = o.solver;
    r.status = SolveStatus::kError;
    r.message = "solver '" + o.solver + "' does not support --objective throughput (single, milp, split, tp-heuristic)";
    return r;
  }
  std::vector<int> rs;
  if (o.replicas >= 1) {
    rs.push_back(o.replicas);
  } else {
    int mx = o.max_auto_replicas > 0 ? o.max_auto_replicas
                                     : std::min(8, name == "milp" ? pr.m() : 2 * pr.m());
    for (int r = 1; r <= mx; ++r) rs.push_back(r);
  }
  std::optional<ThroughputResult> best;
  std::optional<Candidate> bestc;
  bool all_optimal = true, any_time_limit = false;
  std::string msg;
  double ub = INFINITY;
  Deadline deadline(o.solve.time_limit_s);
  for (size_t k = 0; k < rs.size(); ++k) {
    const int R = rs[k];
    ThroughputOptions oo = o;
    oo.replicas = R;
    oo.solve.time_limit_s = std::max(0.01, deadline.Remaining() / static_cast<double>(rs.size() - k));
    if (rs.size() == 1) oo.solve.time_limit_s = o.solve.time_limit_s;
    ThroughputResult r = fn(pr, oo);
    if (r.status != SolveStatus::kOptimal && r.status != SolveStatus::kInfeasible) all_optimal = false;
    if (r.status == SolveStatus::kTimeLimit) any_time_limit = true;
    if (r.status == SolveStatus::kError) {
      msg = r.message;
      continue;
    }
    if (r.plan.replicas() == 0) {
      if (msg.empty()) msg = r.message;
      continue;
    }
    Candidate c = tp::MakeCandidate(pr, r.plan);
    if (!tp::Feasible(c, o)) continue;
    if (!bestc || tp::Better(c, *bestc, o)) {
      bestc = c;
      best = r;
    }
  }
  ThroughputResult res;
  if (!best) {
    res.solver = name;
    res.status = any_time_limit ? SolveStatus::kTimeLimit : SolveStatus::kInfeasible;
    res.message = msg.empty() ? "no plan" + ConstraintText(o) : msg;
  } else {
    res = *best;
    if (rs.size() > 1) {
      // Optimal only when every R was solved to optimality.
      if (res.status == SolveStatus::kOptimal && !all_optimal) res.status = SolveStatus::kFeasible;
    }
    if (o.min_throughput_per_s > 0 && res.status == SolveStatus::kOptimal && name != "single")
      res.status = SolveStatus::kFeasible;  // latency is not proven minimal
  }
  ub = SampleWorkBound(pr);
  res.throughput_upper_bound_per_s = ub > 0 ? 1.0 / ub : INFINITY;
  res.solve_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

}  // namespace diviml
