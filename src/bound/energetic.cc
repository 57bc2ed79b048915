// Energetic reasoning bound (include/diviml/bound/bounds.h).
#include "diviml/bound/bounds.h"

#include <algorithm>
#include <cmath>
#include <vector>


namespace diviml {
namespace {

// True when some interval proves that no plan has makespan <= T.
bool Infeasible(const std::vector<double>& head, const std::vector<double>& tail,
                const std::vector<double>& p, int m, double T) {
  const int n = static_cast<int>(p.size());
  std::vector<double> est(n), ect(n), lst(n), lct(n);
  for (int i = 0; i < n; ++i) {
    est[i] = head[i];
    ect[i] = head[i] + p[i];
    lct[i] = T - tail[i];
    lst[i] = lct[i] - p[i];
    if (lst[i] < est[i] - 1e-9) return true;  // the window is too short
  }
  std::vector<double> starts, ends;
  for (int i = 0; i < n; ++i) {
    if (p[i] <= 0) continue;
    starts.push_back(est[i]);
    starts.push_back(ect[i]);
    starts.push_back(lst[i]);
    ends.push_back(lct[i]);
    ends.push_back(lst[i]);
    ends.push_back(ect[i]);
  }
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  std::sort(ends.begin(), ends.end());
  ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
  for (double a : starts)
    for (double b : ends) {
      if (b <= a) continue;
      const double cap = m * (b - a);
      double need = 0;
      for (int i = 0; i < n && need <= cap + 1e-9; ++i) {
        if (p[i] <= 0) continue;
        const double w = std::min({b - a, p[i], ect[i] - a, b - lst[i]});
        if (w > 0) need += w;
      }
      if (need > cap + 1e-9) return true;
    }
  return false;
}

}  // namespace

double EnergeticBound(const Problem& pr, double lower, double upper) {
  if (!(upper > lower) || pr.n() == 0) return lower;
  std::vector<double> head, tail, p(pr.n());
  HeadsAndTails(pr, &head, &tail);
  for (int i = 0; i < pr.n(); ++i) p[i] = pr.min_p(i);
  const int m = pr.m();
  if (pr.integral()) {
    // Least whole T in [lower, upper] that passes; upper passes (it is a
    // feasible makespan) unless the checks are loose, so bisect.
    long long lo = static_cast<long long>(std::ceil(lower - 1e-9));
    long long hi = static_cast<long long>(std::floor(upper + 1e-9));
    if (!Infeasible(head, tail, p, m, static_cast<double>(lo))) return std::max(lower, double(lo));
    // Invariant: lo fails, hi passes (or is the known feasible makespan).
    while (hi - lo > 1) {
      const long long mid = lo + (hi - lo) / 2;
      if (Infeasible(head, tail, p, m, static_cast<double>(mid))) lo = mid; else hi = mid;
    }
    return std::max(lower, static_cast<double>(hi));
  }
  if (!Infeasible(head, tail, p, m, lower)) return lower;
  double lo = lower, hi = upper;
  for (int it = 0; it < 40 && hi - lo > 1e-7 * std::max(1.0, hi); ++it) {
    const double mid = 0.5 * (lo + hi);
    if (Infeasible(head, tail, p, m, mid)) lo = mid; else hi = mid;
  }
  return std::max(lower, lo);  // lo fails, so OPT > lo
}

}  // namespace diviml
