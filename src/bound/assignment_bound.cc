// The assignment bound (include/diviml/bound/bounds.h, docs/bounds.md
// "assignment"): a MILP over the device assignment alone, with no
// sequencing variables, whose every row holds in every plan.
//
// Columns: y[i,d] binary (i runs on d; fixed by pins), w[e,d,f] in [0, 1]
// for every edge e = (u,v) with a transfer and every pair of devices its
// ends may use, diagonal included, S[i] >= 0 (start), C (makespan). Rows,
// with p_i(y) = sum_d p(i,d) y[i,d]:
//   assign[i]:    sum_d y[i,d] = 1
//   link_from[e,d], link_to[e,f]: sum_f w[e,d,f] = y[u,d],
//                 sum_d w[e,d,f] = y[v,f] (so w = y[u,d] y[v,f] at an
//                 integer point; in the LP the mass that must cross pays)
//   prec[e]:      S[v] >= S[u] + p_u(y) + sum_{d != f} comm(e,d,f) w[e,d,f]
//   end[i]:       C >= S[i] + p_i(y)
//   load[d]:      C >= sum_i p(i,d) y[i,d]
//   before[i,d]:  S[i] >= sum_{j ancestor of i} p(j,d) y[j,d]
//                 (i's ancestors on d have all run, one at a time, before
//                 i starts, whatever device i is on)
//   after[i,d]:   C >= S[i] + p_i(y) + sum_{j descendant of i} p(j,d) y[j,d]
// The true plan's assignment and starts satisfy every row, so the MILP's
// optimum, and its dual bound at any time, is a lower bound. Unlike the
// per-device energetic windows it charges a transfer only where one
// assignment puts both ends on different devices, so offloading work from
// a busy device pays for the transfers on its paths.
// Size: V m + E m^2 + V + 1 columns, O(V m + E m) rows with O(V) terms each
// (V m^2 / 64 words of reachability).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "diviml/bound/bounds.h"
#include "milp/backend.h"
#include "util/stopwatch.h"

namespace diviml {

namespace {

// Per edge, its least transfer between two different devices (infinity
// with one device). O(E m^2).
std::vector<double> EdgeLeastCrossings(const Problem& pr) {
  const Graph& g = pr.graph();
  const int m = pr.m();
  std::vector<double> edge_min(g.num_edges(), milp::kMipInf);
  for (int e = 0; e < g.num_edges(); ++e)
    for (int d = 0; d < m; ++d)
      for (int f = 0; f < m; ++f)
        if (d != f) edge_min[e] = std::min(edge_min[e], pr.comm(e, d, f));
  return edge_min;
}

}  // namespace

void LeastCrossings(const Problem& pr, std::vector<double>* cin, std::vector<double>* cout) {
  const Graph& g = pr.graph();
  const std::vector<double> edge_min = EdgeLeastCrossings(pr);
  cin->assign(pr.n(), milp::kMipInf);
  cout->assign(pr.n(), milp::kMipInf);
  const auto& topo = g.topo_order();
  for (int v : topo)
    for (int e : g.in_edges(v)) (*cin)[v] = std::min({(*cin)[v], edge_min[e], (*cin)[g.edges[e].from]});
  for (auto it = topo.rbegin(); it != topo.rend(); ++it)
    for (int e : g.out_edges(*it)) (*cout)[*it] = std::min({(*cout)[*it], edge_min[e], (*cout)[g.edges[e].to]});
}

void DeviceHeadsAndTails(const Problem& pr, std::vector<double>* head, std::vector<double>* tail) {
  const Graph& g = pr.graph();
  const int n = pr.n(), m = pr.m();
  const std::vector<double> edge_min = EdgeLeastCrossings(pr);
  // out_delay[j]: when j is the last on d of i's descendants, every
  // successor k of j is elsewhere: each out-edge crosses, k runs and its
  // own longest path of least times follows (HeadsAndTails()), so the max
  // over j's out-edges (-inf for a sink: none). in_delay[j] likewise
  // when j is the first on d of i's ancestors.
  std::vector<double> hd, tl;
  HeadsAndTails(pr, &hd, &tl);
  std::vector<double> out_delay(n, -milp::kMipInf), in_delay(n, -milp::kMipInf);
  for (int e = 0; e < g.num_edges(); ++e) {
    const int u = g.edges[e].from, v = g.edges[e].to;
    out_delay[u] = std::max(out_delay[u], edge_min[e] + pr.min_p(v) + tl[v]);
    in_delay[v] = std::max(in_delay[v], hd[u] + pr.min_p(u) + edge_min[e]);
  }
  for (int j = 0; j < n; ++j) {
    if (g.out_edges(j).empty()) out_delay[j] = milp::kMipInf;  // not a candidate: a sink is never "last with a successor"
    if (g.in_edges(j).empty()) in_delay[j] = milp::kMipInf;
  }
  std::vector<double> q(n, milp::kMipInf), h(n, milp::kMipInf);  // over strict descendants / ancestors
  std::vector<char> sink_on(static_cast<size_t>(n) * m, 0), source_on(static_cast<size_t>(n) * m, 0);
  const auto& topo = g.topo_order();
  for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
    const int i = *it;
    for (int e : g.out_edges(i)) {
      const int s = g.edges[e].to;
      q[i] = std::min({q[i], out_delay[s], q[s]});
      const bool sink = g.out_edges(s).empty();
      for (int d = 0; d < m; ++d)
        sink_on[i * m + d] |= sink_on[s * m + d] | (sink && pr.allowed(s, d));
    }
  }
  for (int i : topo)
    for (int e : g.in_edges(i)) {
      const int p = g.edges[e].from;
      h[i] = std::min({h[i], in_delay[p], h[p]});
      const bool source = g.in_edges(p).empty();
      for (int d = 0; d < m; ++d)
        source_on[i * m + d] |= source_on[p * m + d] | (source && pr.allowed(p, d));
    }
  head->assign(static_cast<size_t>(n) * m, 0.0);
  tail->assign(static_cast<size_t>(n) * m, 0.0);
  for (int i = 0; i < n; ++i)
    for (int d = 0; d < m; ++d) {
      if (!sink_on[i * m + d] && std::isfinite(q[i])) (*tail)[i * m + d] = q[i];
      if (!source_on[i * m + d] && std::isfinite(h[i])) (*head)[i * m + d] = h[i];
    }
}

AssignmentBoundResult AssignmentBound(const Problem& pr, double time_limit_s, const std::string& backend,
                                      const std::atomic<bool>* cancel) {
  const Stopwatch clock;
  AssignmentBoundResult res;
  const Graph& g = pr.graph();
  const int n = pr.n(), m = pr.m();
  if (n == 0 || m == 0) {
    res.proven = true;
    return res;
  }
  // Scaled units: the sum of every node's fastest time becomes ~1000, so
  // the backends' absolute tolerances are noise (times in seconds are ~1e-5).
  double total = 0;
  for (int i = 0; i < n; ++i) total += pr.min_p(i);
  const double unit = total > 0 ? total / 1000 : 1.0;
  auto P = [&](int i, int d) { return pr.p(i, d) / unit; };
  const Reachability& reach = pr.reach();

  milp::MipModel mm;
  mm.name = "diviml_assignment_bound";
  auto nid = [&](int i) { return g.nodes[i].id; };
  auto dname = [&](int d) { return pr.platform().devices[d].name; };
  std::vector<int> y(static_cast<size_t>(n) * m, -1), S(n);
  const int C = mm.AddColumn("C", 0, milp::kMipInf, 1.0);
  for (int i = 0; i < n; ++i) {
    std::vector<std::pair<int, double>> row;
    for (int d = 0; d < m; ++d) {
      if (!pr.allowed(i, d)) continue;
      y[i * m + d] = mm.AddBinary(fmt::format("y[{},{}]", nid(i), dname(d)));
      row.emplace_back(y[i * m + d], 1.0);
    }
    mm.AddRow("assign[" + nid(i) + "]", 1, 1, row);
    S[i] = mm.AddColumn("S[" + nid(i) + "]", 0, milp::kMipInf);
  }
  // + p_i(y) as terms of a row, with sign.
  auto add_p = [&](std::vector<std::pair<int, double>>* row, int i, double sign) {
    for (int d = 0; d < m; ++d)
      if (y[i * m + d] >= 0 && P(i, d) != 0) row->emplace_back(y[i * m + d], sign * P(i, d));
  };
  for (int e = 0; e < g.num_edges(); ++e) {
    const int u = g.edges[e].from, v = g.edges[e].to;
    // S[v] - S[u] - p_u(y) - sum comm w >= 0
    std::vector<std::pair<int, double>> row{{S[v], 1.0}, {S[u], -1.0}};
    add_p(&row, u, -1);
    // w[e,d,f] = y[u,d] y[v,f] for every device pair, diagonal included,
    // by the transportation rows sum_f w[e,d,f] = y[u,d] and
    // sum_d w[e,d,f] = y[v,f]: exact for whole y, and in the LP an edge
    // whose ends are spread over different devices pays for the mass that
    // must cross (w >= y[u,d] + y[v,f] - 1 lets it cross for free).
    bool any = false;
    for (int d = 0; d < m && !any; ++d)
      for (int f = 0; f < m && !any; ++f)
        any = d != f && y[u * m + d] >= 0 && y[v * m + f] >= 0 && pr.comm(e, d, f) > 0;
    if (any) {
      std::vector<int> w(static_cast<size_t>(m) * m, -1);
      for (int d = 0; d < m; ++d)
        for (int f = 0; f < m; ++f)
          if (y[u * m + d] >= 0 && y[v * m + f] >= 0)
            w[d * m + f] = mm.AddColumn(fmt::format("w[{}>{},{},{}]", nid(u), nid(v), dname(d), dname(f)), 0, 1);
      // sum_t w[base + t * stride] = y (a row of w for u's device, a
      // column of it for v's), when y is a column.
      auto link = [&](const char* side, int dev, int ycol, int base, int stride) {
        if (ycol < 0) return;
        std::vector<std::pair<int, double>> row_w{{ycol, -1.0}};
        for (int t = 0; t < m; ++t)
          if (w[base + t * stride] >= 0) row_w.emplace_back(w[base + t * stride], 1.0);
        mm.AddRow(fmt::format("{}[{}>{},{}]", side, nid(u), nid(v), dname(dev)), 0, 0, row_w);
      };
      for (int d = 0; d < m; ++d) link("link_from", d, y[u * m + d], d * m, 1);
      for (int f = 0; f < m; ++f) link("link_to", f, y[v * m + f], f, m);
      for (int d = 0; d < m; ++d)
        for (int f = 0; f < m; ++f) {
          const double c = d != f && w[d * m + f] >= 0 ? pr.comm(e, d, f) / unit : 0;
          if (c > 0) row.emplace_back(w[d * m + f], -c);
        }
    }
    mm.AddRow(fmt::format("prec[{}>{}]", nid(u), nid(v)), 0, milp::kMipInf, row);
  }
  for (int i = 0; i < n; ++i) {
    std::vector<std::pair<int, double>> row{{C, 1.0}, {S[i], -1.0}};
    add_p(&row, i, -1);
    mm.AddRow("end[" + nid(i) + "]", 0, milp::kMipInf, row);
  }
  for (int d = 0; d < m; ++d) {
    std::vector<std::pair<int, double>> row{{C, 1.0}};
    for (int i = 0; i < n; ++i)
      if (y[i * m + d] >= 0 && P(i, d) != 0) row.emplace_back(y[i * m + d], -P(i, d));
    mm.AddRow("load[" + dname(d) + "]", 0, milp::kMipInf, row);
  }
  // Least transfers into i's ancestors / out of its descendants, in the
  // model's units.
  std::vector<double> cin, cout, head, tail;
  LeastCrossings(pr, &cin, &cout);
  for (double& c : cin) c /= unit;
  for (double& c : cout) c /= unit;
  DeviceHeadsAndTails(pr, &head, &tail);
  for (double& c : head) c /= unit;
  for (double& c : tail) c /= unit;
  // some_before[i,d] >= y[j,d] for every ancestor j of i (through the
  // predecessors), some_after[i,d] likewise for descendants.
  std::vector<int> some_before(static_cast<size_t>(n) * m, -1), some_after(static_cast<size_t>(n) * m, -1);
  for (int i = 0; i < n; ++i)
    for (int d = 0; d < m; ++d) {
      if (!g.in_edges(i).empty())
        some_before[i * m + d] = mm.AddColumn(fmt::format("some_before[{},{}]", nid(i), dname(d)), 0, 1);
      if (!g.out_edges(i).empty())
        some_after[i * m + d] = mm.AddColumn(fmt::format("some_after[{},{}]", nid(i), dname(d)), 0, 1);
    }
  for (int e = 0; e < g.num_edges(); ++e) {
    const int u = g.edges[e].from, v = g.edges[e].to;
    for (int d = 0; d < m; ++d) {
      const std::string at = fmt::format("[{}>{},{}]", nid(u), nid(v), dname(d));
      if (y[u * m + d] >= 0)
        mm.AddRow("some_before_y" + at, 0, milp::kMipInf, {{some_before[v * m + d], 1.0}, {y[u * m + d], -1.0}});
      if (some_before[u * m + d] >= 0)
        mm.AddRow("some_before" + at, 0, milp::kMipInf,
                  {{some_before[v * m + d], 1.0}, {some_before[u * m + d], -1.0}});
      if (y[v * m + d] >= 0)
        mm.AddRow("some_after_y" + at, 0, milp::kMipInf, {{some_after[u * m + d], 1.0}, {y[v * m + d], -1.0}});
      if (some_after[v * m + d] >= 0)
        mm.AddRow("some_after" + at, 0, milp::kMipInf, {{some_after[u * m + d], 1.0}, {some_after[v * m + d], -1.0}});
    }
  }
  for (int i = 0; i < n; ++i)
    for (int d = 0; d < m; ++d) {
      std::vector<std::pair<int, double>> before{{S[i], 1.0}};
      std::vector<std::pair<int, double>> after{{C, 1.0}, {S[i], -1.0}};
      add_p(&after, i, -1);
      bool descendants = false;
      for (int j = 0; j < n; ++j) {
        if (j == i || y[j * m + d] < 0 || P(j, d) == 0) continue;
        if (reach.Reaches(j, i)) {
          before.emplace_back(y[j * m + d], -P(j, d));
        } else if (reach.Reaches(i, j)) {
          after.emplace_back(y[j * m + d], -P(j, d));
          descendants = true;
        }
      }
      // When i is not on d but an ancestor is, some edge on the path from
      // that ancestor to i crosses devices: + cin. The column "some
      // ancestor on d" is >= y[p,d] and >= its own value at every
      // predecessor p (so >= y[j,d] for every ancestor j: O(E) rows, not
      // one per ancestor). Likewise after, with cout and successors.
      auto crossing = [&](std::vector<std::pair<int, double>>* row, double c, bool anc) {
        if (!(c > 0) || !std::isfinite(c)) return;
        const int a = anc ? some_before[i * m + d] : some_after[i * m + d];
        if (a < 0) return;
        milp::AddTerm(row, a, -c);
        if (y[i * m + d] >= 0) milp::AddTerm(row, y[i * m + d], c);  // the after row already holds y[i,d] in p_i(y)
      };
      // The first ancestor on d waits for a transfer (head), the last
      // descendant on d sends one (tail), when no source (sink) may run
      // on d (DeviceHeadsAndTails()).
      auto slack = [&](std::vector<std::pair<int, double>>* row, double c, bool anc) {
        const int a = anc ? some_before[i * m + d] : some_after[i * m + d];
        if (c > 0 && a >= 0) milp::AddTerm(row, a, -c);  // beside the crossing's term on the same column
      };
      if (before.size() > 1) {
        crossing(&before, cin[i], true);
        slack(&before, head[i * m + d], true);
        mm.AddRow(fmt::format("before[{},{}]", nid(i), dname(d)), 0, milp::kMipInf, before);
      }
      if (descendants) {
        crossing(&after, cout[i], false);
        slack(&after, tail[i * m + d], false);
        mm.AddRow(fmt::format("after[{},{}]", nid(i), dname(d)), 0, milp::kMipInf, after);
      }
    }
  res.columns = mm.num_columns();
  res.rows = mm.num_rows();

  milp::MipOptions mo;
  mo.time_limit_s = std::max(0.01, time_limit_s - clock.seconds());
  mo.threads = 1;
  mo.interrupt = cancel;
  const milp::MipResult mr = milp::SolveMip(mm, mo, backend);
  res.mip_status = milp::MipStatusName(mr.status);
  if (mr.status == milp::MipStatus::kInfeasible) {
    // No assignment satisfies even the relaxation: no plan at all (pins on
    // a problem with no device for some node cannot build, so this needs
    // a caller error); report it, claim no value.
    res.note = "relaxation infeasible";
    return res;
  }
  if (mr.status == milp::MipStatus::kError || !std::isfinite(mr.dual_bound)) {
    res.note = "MILP gave no bound: " + mr.message;
    return res;
  }
  // The backend's dual bound is proven within its own tolerance (~1e-6
  // relative here, since the scaled optimum is ~100-1000): shave that off.
  res.value_s = std::max(0.0, mr.dual_bound * (1 - 1e-6) - 1e-6) * unit;
  res.proven = mr.status == milp::MipStatus::kOptimal;
  res.note = fmt::format("{} columns, {} rows, {} ({} nodes), {:.2f} s", res.columns, res.rows, res.mip_status,
                         mr.nodes, clock.seconds());
  return res;
}

RelaxBoundFn AssignmentRelaxation(const std::string& backend, const std::atomic<bool>* cancel, int min_nodes,
                                  int max_nodes) {
  return [backend, cancel, min_nodes, max_nodes](const Problem& sub, double time_limit_s) {
    if (sub.n() < min_nodes || sub.n() > max_nodes) return RelaxAnswer{0, true, false};
    const AssignmentBoundResult r = AssignmentBound(sub, time_limit_s, backend, cancel);
    return RelaxAnswer{r.value_s, r.proven};
  };
}

}  // namespace diviml
