// Energetic reasoning per device with communication-aware windows
// (include/diviml/bound/bounds.h, docs/bounds.md "device_energetic").
//
// For every node i and device d it may run on:
//   est(i,d) = earliest start of i on d: max over in-edges (j,i) of min over
//              devices f of j (est(j,f) + p(j,f) + c(ji,f,d)) (comm_path's);
//   q(i,d)   = least time from i's end on d to the makespan: max over
//              out-edges (i,k) of min over devices f of k
//              (c(ik,d,f) + p(k,f) + q(k,f)).
// Both hold in every plan (induction along the DAG, as in CommPathBound).
// For a trial makespan T, i on d lies in [est(i,d), T - q(i,d)]; inside a
// window [a, b] it then runs at least
//   W(i,d,a,b) = max(0, min(b - a, p, est + p - a, b - (T - q - p)))
// (p = p(i,d)); when the interval is shorter than p, i cannot be on d.
// Device d runs one node at a time, so sum over the nodes on d of W <= b - a.
// Weighting device d's inequality by w_d >= 0 (sum w = 1) and letting each
// node pick its cheapest device gives the necessary condition
//   sum_i min_{d allowed} w_d W(i,d,a,b) <= b - a
// (the dual of the fractional assignment LP of the window). A window that
// violates it, or a node with no device left, proves OPT > T. Unlike
// EnergeticBound (all devices as one pool at each node's fastest time)
// this sees which device a node can reach in time, at which speed, with
// the transfers its neighbours force.
//
// Weights tried: uniform, the ascent optimum of the whole graph's work LP
// dual (bound_internal::DualAscentWorkBound's weights), and each unit
// vector (a device alone: the nodes that must sit on d). Windows: a in
// {est(i,d)}, b in {T - q(i,d)}. The least T that passes is found by
// bisection between a failing and a passing T; every failing T is a proof,
// so the result is valid whatever the tolerance. Cost O(iterations *
// (V m)^2 * V m * |weights|); callers keep it to segments and small graphs.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "bound/work_bound.h"
#include "diviml/bound/bounds.h"

namespace diviml {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Windows {
  int n = 0, m = 0;
  std::vector<double> est, q, p;  // [i*m + d]; est = inf when not allowed
  std::vector<std::vector<double>> weights;
};

Windows Prepare(const Problem& pr) {
  Windows w;
  const Graph& g = pr.graph();
  const int n = pr.n(), m = pr.m();
  w.n = n;
  w.m = m;
  w.est.assign(static_cast<size_t>(n) * m, 0);
  w.q.assign(static_cast<size_t>(n) * m, 0);
  w.p.assign(static_cast<size_t>(n) * m, 0);
  for (int i = 0; i < n; ++i)
    for (int d = 0; d < m; ++d) w.p[i * m + d] = pr.p(i, d);
  const auto& topo = g.topo_order();
  for (int v : topo)
    for (int e : g.in_edges(v)) {
      const int u = g.edges[e].from;
      for (int d = 0; d < m; ++d) {
        double best = kInf;
        for (int f = 0; f < m; ++f)
          if (pr.allowed(u, f)) best = std::min(best, w.est[u * m + f] + pr.p(u, f) + pr.comm(e, f, d));
        w.est[v * m + d] = std::max(w.est[v * m + d], best);
      }
    }
  for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
    const int v = *it;
    for (int d = 0; d < m; ++d) {
      double need = 0;
      for (int e : g.out_edges(v)) {
        const int k = g.edges[e].to;
        double best = kInf;
        for (int f = 0; f < m; ++f)
          if (pr.allowed(k, f)) best = std::min(best, pr.comm(e, d, f) + pr.p(k, f) + w.q[k * m + f]);
        need = std::max(need, best);
      }
      w.q[v * m + d] = need;
    }
  }
  for (int i = 0; i < n; ++i)
    for (int d = 0; d < m; ++d)
      if (!pr.allowed(i, d)) w.est[i * m + d] = kInf;

  w.weights.push_back(std::vector<double>(m, 1.0 / m));
  if (m > 1) {
    // The multiplicative-weights ascent of the work LP's dual, inlined to
    // keep its final weights (any point of the simplex is valid).
    std::vector<int> all(n);
    for (int i = 0; i < n; ++i) all[i] = i;
    std::vector<double> wt(m, 1.0 / m), best_w = wt, load(m);
    double best = bound_internal::DualWorkBound(pr, all, wt), scale = 0;
    for (int i = 0; i < n; ++i) scale += pr.min_p(i);
    for (int it = 0; it < 300 && scale > 0; ++it) {
      std::fill(load.begin(), load.end(), 0.0);
      for (int i = 0; i < n; ++i) {
        int arg = 0;
        for (int d = 1; d < m; ++d)
          if (pr.p(i, d) * wt[d] < pr.p(i, arg) * wt[arg]) arg = d;
        load[arg] += pr.p(i, arg);
      }
      const double eta = 2.0 / std::sqrt(1.0 + it);
      double sum = 0;
      for (int d = 0; d < m; ++d) sum += (wt[d] *= std::exp(eta * (load[d] / scale - 1.0 / m)));
      for (int d = 0; d < m; ++d) wt[d] /= sum;
      const double v = bound_internal::DualWorkBound(pr, all, wt);
      if (v > best) {
        best = v;
        best_w = wt;
      }
    }
    w.weights.push_back(best_w);
    for (int d = 0; d < m; ++d) {
      std::vector<double> unit(m, 0);
      unit[d] = 1;
      w.weights.push_back(unit);
    }
  }
  return w;
}

// True when the checks prove that no plan has makespan <= T.
bool Infeasible(const Windows& w, double T) {
  const int n = w.n, m = w.m;
  const double eps = 1e-9 * std::max(1.0, std::fabs(T));
  std::vector<double> lst(static_cast<size_t>(n) * m);
  std::vector<char> can(static_cast<size_t>(n) * m);
  std::vector<double> starts, ends;
  for (int i = 0; i < n; ++i) {
    bool any = false;
    for (int d = 0; d < m; ++d) {
      const size_t k = static_cast<size_t>(i) * m + d;
      lst[k] = T - w.q[k] - w.p[k];
      can[k] = std::isfinite(w.est[k]) && lst[k] >= w.est[k] - eps;
      if (!can[k]) continue;
      any = true;
      if (w.p[k] > 0) {
        starts.push_back(w.est[k]);
        ends.push_back(T - w.q[k]);
      }
    }
    if (!any) return true;
  }
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  std::sort(ends.begin(), ends.end());
  ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
  std::vector<double> wmin(n);
  for (double a : starts)
    for (double b : ends) {
      if (b <= a + eps) continue;
      const double len = b - a;
      for (const auto& wt : w.weights) {
        double need = 0;
        for (int i = 0; i < n && need <= len + eps; ++i) {
          double c = kInf;
          for (int d = 0; d < m && c > 0; ++d) {
            const size_t k = static_cast<size_t>(i) * m + d;
            if (!can[k]) continue;
            const double p = w.p[k];
            const double x = std::min({len, p, w.est[k] + p - a, b - lst[k]});
            c = std::min(c, wt[d] * std::max(0.0, x));
          }
          need += c;
        }
        if (need > len + eps) return true;
      }
    }
  return false;
}

}  // namespace

double DeviceEnergeticBound(const Problem& pr, double lower, int iterations) {
  if (pr.n() == 0 || pr.m() == 0) return lower;
  const Windows w = Prepare(pr);
  lower = std::max(0.0, lower);
  if (!Infeasible(w, lower)) return lower;
  // A passing T: double until the checks pass (a plan's makespan passes,
  // so this ends; capped for safety).
  double work = 0;
  for (int i = 0; i < pr.n(); ++i) work += pr.min_p(i);
  double lo = lower, hi = std::max({lower * 2, work / pr.m(), 1e-12});
  for (int k = 0; k < 60 && Infeasible(w, hi); ++k) {
    lo = hi;
    hi *= 2;
  }
  if (pr.integral()) {
    long long l = static_cast<long long>(std::floor(lo + 1e-9)), h = static_cast<long long>(std::ceil(hi));
    // l fails (or is below lower, which fails); h passes.
    while (h - l > 1) {
      const long long mid = l + (h - l) / 2;
      if (Infeasible(w, static_cast<double>(mid))) l = mid; else h = mid;
    }
    return std::max(lower, static_cast<double>(l + 1));  // l fails: OPT > l, so OPT >= l + 1
  }
  for (int it = 0; it < iterations && hi - lo > 1e-6 * std::max(1e-12, hi); ++it) {
    const double mid = 0.5 * (lo + hi);
    if (Infeasible(w, mid)) lo = mid; else hi = mid;
  }
  return std::max(lower, lo);  // lo fails: OPT > lo
}

}  // namespace diviml
