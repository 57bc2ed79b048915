// Time-indexed latency MILP; see latency_timeindexed.h.
#include "solve/milp/latency_timeindexed.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <string>
#include <tuple>

#include "diviml/core/evaluate.h"
#include "solve/milp/latency_model.h"

namespace diviml::milp {
namespace {

long long P(const Problem& pr, int i) { return std::llround(pr.p(i, 0)); }

}  // namespace

bool TimeIndexedApplies(const Problem& pr) {
  if (!pr.integral() || pr.m() == 0) return false;
  const Platform& pl = pr.platform();
  const std::vector<int>& cls = pr.symmetry_classes();
  for (int d = 0; d < pr.m(); ++d)
    if (cls[d] != cls[0]) return false;
  for (int i = 0; i < pr.n(); ++i)
    for (int d = 1; d < pr.m(); ++d)
      if (pr.p(i, d) != pr.p(i, 0)) return false;
  for (int e = 0; e < pr.graph().num_edges(); ++e)
    for (int d = 0; d < pr.m(); ++d)
      for (int f = 0; f < pr.m(); ++f)
        if (pr.comm(e, d, f) != 0) return false;
  for (int d = 0; d < pr.m(); ++d) {
    const double cap = pl.devices[d].memory_bytes;
    if (!std::isfinite(cap)) continue;
    for (const Node& v : pr.graph().nodes)
      if (v.param_bytes > 0 || v.memory_bytes > 0) return false;
  }
  return true;
}

long long TimeIndexedColumns(const Problem& pr, long long ub) {
  std::vector<double> head, tail;
  HeadsAndTails(pr, &head, &tail);
  long long total = 0;
  for (int i = 0; i < pr.n(); ++i)
    total += std::max(0LL, ub - std::llround(tail[i]) - P(pr, i) - std::llround(head[i]) + 1);
  return total;
}

TimeIndexedModel BuildTimeIndexedModel(const Problem& pr, long long lb, long long ub) {
  const Graph& g = pr.graph();
  const int n = pr.n(), m = pr.m();
  TimeIndexedModel ti;
  MipModel& mm = ti.model;
  mm.name = g.name.empty() ? "diviml_latency_ti" : g.name;
  std::vector<double> head, tail;
  HeadsAndTails(pr, &head, &tail);
  ti.T = mm.AddColumn("T", static_cast<double>(std::min(lb, ub)), static_cast<double>(ub), 1.0, true);
  ti.first.assign(n, 0);
  ti.first_col.assign(n, 0);
  ti.length.assign(n, 0);
  auto nid = [&](int i) { return g.nodes[i].id; };
  bool empty_window = false;
  for (int i = 0; i < n; ++i) {
    const long long a = std::llround(head[i]);
    const long long b = ub - std::llround(tail[i]) - P(pr, i);
    ti.first[i] = a;
    ti.first_col[i] = mm.num_columns();
    ti.length[i] = static_cast<int>(std::max(0LL, b - a + 1));
    if (ti.length[i] == 0) empty_window = true;
    for (long long t = a; t <= b; ++t) {
      // z[i,t] = 1: node i has started by t. Started by its latest start.
      const int c = mm.AddBinary("z[" + nid(i) + "," + std::to_string(t) + "]");
      if (t == b) mm.columns[c].lb = 1;
      if (t > a) mm.AddRow("step[" + nid(i) + "," + std::to_string(t) + "]", -kMipInf, 0, {{c - 1, 1.0}, {c, -1.0}});
    }
  }
  if (empty_window) mm.AddRow("no_plan_within_ub", 1, 1, {});  // 0 = 1: infeasible
  // z[i,t] as a term: a column, or the constant 0 (before the window) / 1 (after).
  auto Z = [&](int i, long long t, int* col) -> double {
    *col = -1;
    if (t < ti.first[i]) return 0;
    if (t >= ti.first[i] + ti.length[i] - 1) return 1;
    *col = ti.first_col[i] + static_cast<int>(t - ti.first[i]);
    return 0;
  };
  // Adds coef * z[i,t] to a row; returns the constant part.
  auto addZ = [&](std::vector<std::pair<int, double>>* row, int i, long long t, double coef) {
    int c;
    const double k = Z(i, t, &c);
    if (c >= 0) row->emplace_back(c, coef);
    return coef * k;
  };

  // Precedence: j started by t => i started by t - p(i).
  for (int e = 0; e < g.num_edges(); ++e) {
    const int i = g.edges[e].from, j = g.edges[e].to;
    for (int k = 0; k + 1 < ti.length[j]; ++k) {
      const long long t = ti.first[j] + k;
      std::vector<std::pair<int, double>> row;
      double cst = addZ(&row, j, t, 1.0);
      cst += addZ(&row, i, t - P(pr, i), -1.0);
      if (row.empty()) continue;
      mm.AddRow("prec[" + nid(i) + "," + nid(j) + "," + std::to_string(t) + "]", -kMipInf, -cst, row);
    }
  }
  // Capacity per unit slot [t, t+1): nodes started in (t - p, t].
  bool any_zero = false;
  for (long long t = 0; t < ub; ++t) {
    std::vector<std::pair<int, double>> row;
    double cst = 0;
    for (int i = 0; i < n; ++i) {
      const long long p = P(pr, i);
      if (p == 0) {
        any_zero = true;
        continue;
      }
      if (t < ti.first[i] || t - p >= ti.first[i] + ti.length[i] - 1) continue;  // cannot run at t
      cst += addZ(&row, i, t, 1.0);
      cst += addZ(&row, i, t - p, -1.0);
    }
    if (static_cast<int>(row.size()) > 0)
      mm.AddRow("cap[" + std::to_string(t) + "]", -kMipInf, m - cst, row);
  }
  // Zero-length nodes need a device that is not in the middle of a node:
  // nodes started in (t - p, t - 1] plus zero-length nodes starting at t.
  if (any_zero) {
    for (long long t = 0; t <= ub; ++t) {
      std::vector<std::pair<int, double>> row;
      double cst = 0;
      bool has_zero = false;
      for (int i = 0; i < n; ++i) {
        const long long p = P(pr, i);
        if (p == 0) {
          if (t < ti.first[i] || t >= ti.first[i] + ti.length[i]) continue;
          has_zero = true;
          cst += addZ(&row, i, t, 1.0);
          cst += addZ(&row, i, t - 1, -1.0);
          continue;
        }
        if (p < 2 || t - 1 < ti.first[i] || t - p >= ti.first[i] + ti.length[i] - 1) continue;
        cst += addZ(&row, i, t - 1, 1.0);
        cst += addZ(&row, i, t - p, -1.0);
      }
      if (has_zero && !row.empty())
        mm.AddRow("zero[" + std::to_string(t) + "]", -kMipInf, m - cst, row);
    }
  }
  // T >= start(i) + p(i) + tail(i), start(i) = last - sum_{t < last} z[i,t].
  for (int i = 0; i < n; ++i) {
    const long long p = P(pr, i);
    const long long tl = std::llround(tail[i]);
    if (ti.length[i] == 0) continue;
    const long long last = ti.first[i] + ti.length[i] - 1;
    if (last + p + tl <= lb) continue;  // T >= lb already covers it
    std::vector<std::pair<int, double>> row{{ti.T, 1.0}};
    for (int k = 0; k + 1 < ti.length[i]; ++k) row.emplace_back(ti.first_col[i] + k, 1.0);
    mm.AddRow("end[" + nid(i) + "]", static_cast<double>(last + p + tl), kMipInf, row);
  }
  ti.summary = "time-indexed: " + std::to_string(mm.num_columns()) + " columns, " +
               std::to_string(mm.num_rows()) + " rows, " + std::to_string(mm.num_nonzeros()) +
               " nonzeros";
  return ti;
}

std::vector<double> EncodeTimeIndexed(const Problem& pr, const TimeIndexedModel& ti, const Plan& plan) {
  const Evaluation ev = Evaluate(pr, plan);
  if (!ev.valid) return {};
  const MipModel& mm = ti.model;
  if (ev.makespan_s > mm.columns[ti.T].ub + 1e-9) return {};
  std::vector<double> x(mm.num_columns(), 0.0);
  x[ti.T] = std::max(ev.makespan_s, mm.columns[ti.T].lb);
  for (int i = 0; i < pr.n(); ++i) {
    const long long s = std::llround(ev.schedule.start_s[i]);
    if (s < ti.first[i] || s >= ti.first[i] + ti.length[i]) return {};
    for (long long t = s; t < ti.first[i] + ti.length[i]; ++t)
      x[ti.first_col[i] + static_cast<int>(t - ti.first[i])] = 1;
  }
  return x;
}

Plan DecodeTimeIndexed(const Problem& pr, const TimeIndexedModel& ti, const std::vector<double>& sol) {
  const int n = pr.n(), m = pr.m();
  const Graph& g = pr.graph();
  std::vector<long long> start(n, 0);
  for (int i = 0; i < n; ++i) {
    start[i] = ti.first[i] + std::max(0, ti.length[i] - 1);
    for (int k = 0; k < ti.length[i]; ++k)
      if (sol[ti.first_col[i] + k] > 0.5) {
        start[i] = ti.first[i] + k;
        break;
      }
  }
  // Sweep in (start, length, topological index) order; each node goes to
  // the device that became free last among those free at its start, else
  // to the one free earliest (only after solver noise).
  std::vector<int> idx(n);
  for (int i = 0; i < n; ++i) idx[i] = i;
  std::sort(idx.begin(), idx.end(), [&](int a, int b) {
    return std::make_tuple(start[a], P(pr, a), g.topo_index()[a]) <
           std::make_tuple(start[b], P(pr, b), g.topo_index()[b]);
  });
  std::vector<long long> free_at(m, 0);
  Plan plan;
  plan.device.assign(n, 0);
  plan.order.assign(m, {});
  for (int v : idx) {
    int pick = -1;
    for (int d = 0; d < m; ++d)
      if (free_at[d] <= start[v] && (pick < 0 || free_at[d] > free_at[pick])) pick = d;
    if (pick < 0)
      pick = static_cast<int>(std::min_element(free_at.begin(), free_at.end()) - free_at.begin());
    plan.device[v] = pick;
    plan.order[pick].push_back(v);
    free_at[pick] = std::max(free_at[pick], start[v]) + P(pr, v);
  }
  return plan;
}

}  // namespace diviml::milp
