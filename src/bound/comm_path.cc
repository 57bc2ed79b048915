// Communication-aware path bound. For every node v and device d:
//   est(v,d)  = max over in-edges (u,v) of min over devices e of u
//               (est(u,e) + p(u,e) + c(uv,e,d))           (earliest start)
//   tail(v,d) = p(v,d) + max over out-edges (v,w) of min over devices f
//               of (c(vw,d,f) + tail(w,f))                 (time to the end)
// In any schedule, v on d starts at or after est(v,d) (induction along the
// topological order: every input u sits on some e and ends after
// est(u,e) + p(u,e), then needs its transfer) and the makespan is at least
// start(v) + tail(v,d). So OPT >= max over v of min over allowed d of
// (est(v,d) + tail(v,d)). Device contention is ignored; transfers are not.
// Dominates the critical path bound. O(E * m^2).
#include <algorithm>
#include <limits>

#include "diviml/bound/bounds.h"

namespace diviml {

double CommPathBound(const Problem& pr) {
  const Graph& g = pr.graph();
  const int n = pr.n(), m = pr.m();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> est(static_cast<size_t>(n) * m, 0), tail(static_cast<size_t>(n) * m, 0);
  auto at = [m](std::vector<double>& a, int v, int d) -> double& { return a[static_cast<size_t>(v) * m + d]; };
  const auto& topo = g.topo_order();
  for (int v : topo) {
    for (int e : g.in_edges(v)) {
      const int u = g.edges[e].from;
      for (int d = 0; d < m; ++d) {
        double best = inf;
        for (int f = 0; f < m; ++f)
          if (pr.allowed(u, f)) best = std::min(best, at(est, u, f) + pr.p(u, f) + pr.comm(e, f, d));
        at(est, v, d) = std::max(at(est, v, d), best);
      }
    }
  }
  for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
    const int v = *it;
    for (int d = 0; d < m; ++d) {
      double need = 0;
      for (int e : g.out_edges(v)) {
        const int w = g.edges[e].to;
        double best = inf;
        for (int f = 0; f < m; ++f)
          if (pr.allowed(w, f)) best = std::min(best, pr.comm(e, d, f) + at(tail, w, f));
        need = std::max(need, best);
      }
      at(tail, v, d) = pr.p(v, d) + need;
    }
  }
  double bound = 0;
  for (int v = 0; v < n; ++v) {
    double best = inf;
    for (int d = 0; d < m; ++d)
      if (pr.allowed(v, d)) best = std::min(best, at(est, v, d) + at(tail, v, d));
    bound = std::max(bound, best);
  }
  return bound;
}

}  // namespace diviml
