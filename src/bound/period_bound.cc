// Lower bounds on the period (docs/throughput.md, "Lower bound").
//
// SampleWorkBound: the fractional work LP for one sample (links dropped);
// period >= R * it for every R.
//
// PeriodLowerBound: the threshold LP (Lenstra, Shmoys and Tardos, 1990)
// with forced transfers. For a trial period t, node i may only use the
// devices of its group G_t(i) = {d allowed : p(i,d) <= t} (a node on a
// device where it alone takes longer than the period is impossible). LP(t):
//   X(i,d) >= 0 for d in G_t(i), sum_d X(i,d) = R          (replica counts)
//   sum_i p(i,d) X(i,d) <= P                               every device d
//   for an edge e = (i,j) with |G_t(i)| = 1, G_t(i) = {a}: every replica
//     that puts j on f != a sends e over a->f, so
//   sum_e c(e,a,f) X(j,f) (+ the symmetric terms for |G_t(j)| = 1)
//                                               <= P       every link a->f
// minimise P =: L(t). The optimal plan's counts X* are feasible for
// LP(OPT) with P = OPT, so OPT >= max(t_k, L(t_k)) for the largest
// breakpoint t_k <= OPT (G_t only changes at the values p(i,d)). L is
// non-increasing in t (the LP only gains columns and loses rows), so the
// bound min_k max(t_k, L(t_k)) is found by binary search over the sorted
// breakpoints. It dominates R * SampleWorkBound and max_i min_d p(i,d).
// Cost: O(log(V m)) LPs of V m columns and V + m^2 rows.
#include <algorithm>
#include <cmath>
#include <vector>

#include "diviml/bound/period_bound.h"
#include "milp/backend.h"

namespace diviml {
namespace {

double ClosedFormWork(const Problem& pr) {
  double w = 0;
  for (int i = 0; i < pr.n(); ++i) w += pr.fixed_device(i) >= 0 ? pr.p(i, pr.fixed_device(i)) : pr.min_p(i);
  return pr.m() > 0 ? w / pr.m() : 0;
}

// L(t) (infinity when some node has no device within t; NaN when the LP
// solver fails). t = infinity:
// the plain work LP (plus forced transfers of pinned nodes).
double ThresholdLp(const Problem& pr, int R, double t, bool links, std::vector<double>* counts = nullptr) {
  const int n = pr.n(), m = pr.m();
  const Graph& g = pr.graph();
  milp::MipModel model;
  model.name = "throughput_threshold_lp";
  const int P = model.AddColumn("P", 0, milp::kMipInf, 1);
  std::vector<int> col(static_cast<size_t>(n) * m, -1), only(n, -1);
  std::vector<std::vector<std::pair<int, double>>> load(m + m * m);
  std::vector<double> fixed_link(m * m, 0);
  for (int i = 0; i < n; ++i) {
    std::vector<std::pair<int, double>> assign;
    for (int d = 0; d < m; ++d) {
      if (!pr.allowed(i, d) || pr.p(i, d) > t) continue;
      int c = model.AddColumn("x", 0, R);
      col[static_cast<size_t>(i) * m + d] = c;
      assign.push_back({c, 1.0});
      if (pr.p(i, d) > 0) load[d].push_back({c, pr.p(i, d)});
    }
    if (assign.empty()) return INFINITY;
    if (assign.size() == 1)
      for (int d = 0; d < m; ++d)
        if (col[static_cast<size_t>(i) * m + d] >= 0) only[i] = d;
    model.AddRow("assign", R, R, assign);
  }
  if (links) {
    for (int e = 0; e < g.num_edges(); ++e) {
      const int a = g.edges[e].from, b = g.edges[e].to;
      if (only[a] >= 0 && only[b] >= 0) {
        if (only[a] != only[b]) fixed_link[only[a] * m + only[b]] += R * pr.comm(e, only[a], only[b]);
      } else if (only[a] >= 0) {
        for (int f = 0; f < m; ++f) {
          int c = col[static_cast<size_t>(b) * m + f];
          double w = f != only[a] && c >= 0 ? pr.comm(e, only[a], f) : 0;
          if (w > 0) load[m + only[a] * m + f].push_back({c, w});
        }
      } else if (only[b] >= 0) {
        for (int d = 0; d < m; ++d) {
          int c = col[static_cast<size_t>(a) * m + d];
          double w = d != only[b] && c >= 0 ? pr.comm(e, d, only[b]) : 0;
          if (w > 0) load[m + d * m + only[b]].push_back({c, w});
        }
      }
    }
  }
  for (int k = 0; k < m + m * m; ++k) {
    double fixed = k >= m ? fixed_link[k - m] : 0;
    if (load[k].empty() && fixed == 0) continue;
    // Merge repeated columns (several edges of one node on one link).
    std::sort(load[k].begin(), load[k].end());
    size_t w = 0;
    for (size_t r = 0; r < load[k].size(); ++r) {
      if (w > 0 && load[k][w - 1].first == load[k][r].first) load[k][w - 1].second += load[k][r].second;
      else load[k][w++] = load[k][r];
    }
    load[k].resize(w);
    load[k].push_back({P, -1.0});
    model.AddRow("load", -milp::kMipInf, -fixed, load[k]);
  }
  milp::MipOptions o;
  milp::MipResult res = milp::SolveMip(model, o);
  if (res.status == milp::MipStatus::kInfeasible) return INFINITY;
  if (res.status != milp::MipStatus::kOptimal || !std::isfinite(res.objective)) return NAN;  // no claim
  if (counts && res.solution.size() == static_cast<size_t>(model.num_columns())) {
    counts->assign(static_cast<size_t>(n) * m, 0);
    for (size_t k = 0; k < col.size(); ++k)
      if (col[k] >= 0) (*counts)[k] = res.solution[col[k]];
  }
  return res.objective * (1 - 1e-9);
}

}  // namespace


std::vector<double> PeriodLpCounts(const Problem& pr, int R, double bound) {
  std::vector<double> counts;
  if (milp::AvailableBackends().empty() || pr.n() == 0) return counts;
  ThresholdLp(pr, R, bound * (1 + 1e-9), true, &counts);
  return counts;
}


double SampleWorkBound(const Problem& pr) {
  double lb = ClosedFormWork(pr);
  if (milp::AvailableBackends().empty() || pr.n() == 0) return lb;
  double w = ThresholdLp(pr, 1, INFINITY, false);
  return std::isfinite(w) ? std::max(lb, w) : lb;
}

double PeriodLowerBound(const Problem& pr, int R) {
  const int n = pr.n(), m = pr.m();
  double tmin = 0;
  for (int i = 0; i < n; ++i) tmin = std::max(tmin, pr.fixed_device(i) >= 0 ? pr.p(i, pr.fixed_device(i)) : pr.min_p(i));
  double simple = std::max(tmin, R * ClosedFormWork(pr));
  if (milp::AvailableBackends().empty() || n == 0) return simple;
  std::vector<double> t;
  for (int i = 0; i < n; ++i)
    for (int d = 0; d < m; ++d)
      if (pr.allowed(i, d) && pr.p(i, d) >= tmin) t.push_back(pr.p(i, d));
  std::sort(t.begin(), t.end());
  t.erase(std::unique(t.begin(), t.end()), t.end());
  // Smallest k with L(t_k) <= t_k; L is non-increasing, t increasing.
  int lo = 0, hi = static_cast<int>(t.size());  // hi = none
  std::vector<double> L(t.size(), -1);
  auto value = [&](int k) {
    if (L[k] < 0) L[k] = ThresholdLp(pr, R, t[k], true);
    return L[k];
  };
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (std::isnan(value(mid))) return simple;
    if (value(mid) <= t[mid]) hi = mid;
    else lo = mid + 1;
  }
  double best;
  if (lo == static_cast<int>(t.size())) best = value(lo - 1);         // L(t_max) > t_max
  else best = lo > 0 ? std::min(t[lo], value(lo - 1)) : t[lo];       // crossing at t_lo
  if (!std::isfinite(best)) best = simple;  // NaN (LP failure) or infinity (cannot happen)
  return std::max(simple, best);
}

}  // namespace diviml
