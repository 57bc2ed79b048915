// The latency MILP builder and the plan <-> column-vector maps. See
// latency_model.h for the formulation; every choice here was measured
// (docs/milp.md).
#include "solve/milp/latency_model.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <tuple>

#include "diviml/bound/bounds.h"
#include "diviml/core/evaluate.h"

namespace diviml::milp {
namespace {

double MemoryNeed(const Node& v) { return v.param_bytes + v.memory_bytes; }

// Device d can hold node i at all (its parameters plus workspace fit).
bool Allowed(const Problem& pr, int i, int d) {
  if (!pr.allowed(i, d)) return false;  // pinned elsewhere
  const double cap = pr.platform().devices[d].memory_bytes;
  return !(std::isfinite(cap) && MemoryNeed(pr.graph().nodes[i]) > cap);
}

// True when every d != f costs the same for edge e; *c gets that cost.
bool UniformCost(const Problem& pr, int e, double* c) {
  const int m = pr.m();
  bool first = true;
  for (int d = 0; d < m; ++d)
    for (int f = 0; f < m; ++f) {
      if (d == f) continue;
      const double v = pr.comm(e, d, f);
      if (first) {
        *c = v;
        first = false;
      } else if (v != *c) {
        return false;
      }
    }
  if (first) *c = 0;
  return true;
}

}  // namespace

LatencyModel BuildLatencyModel(const Problem& pr, const LatencyModelInput& in) {
  const Graph& g = pr.graph();
  const Platform& pl = pr.platform();
  const MilpOptions& opt = in.options;
  const int n = pr.n(), m = pr.m();
  const double UB = in.upper_bound, LB = std::min(in.lower_bound, in.upper_bound);
  LatencyModel lm;
  lm.n = n;
  lm.m = m;
  MipModel& mm = lm.model;
  mm.name = g.name.empty() ? "diviml_latency" : g.name;
  HeadsAndTails(pr, &lm.head, &lm.tail);
  const auto& head = lm.head;
  const auto& tail = lm.tail;
  auto nid = [&](int i) { return g.nodes[i].id; };
  auto did = [&](int d) { return pl.devices[d].name; };

  // Makespan first: it is the objective.
  lm.T = mm.AddColumn("T", LB, UB, 1.0, in.integral_makespan);

  // Assignment x[i,d] and starts S[i].
  lm.x.assign(static_cast<size_t>(n) * m, -1);
  lm.S.assign(n, -1);
  std::vector<bool> uniform_p(n, true);
  for (int i = 0; i < n; ++i) {
    std::vector<std::pair<int, double>> row;
    for (int d = 0; d < m; ++d) {
      if (!Allowed(pr, i, d)) continue;
      const int c = mm.AddBinary("x[" + nid(i) + "," + did(d) + "]");
      lm.x[static_cast<size_t>(i) * m + d] = c;
      row.emplace_back(c, 1.0);
    }
    // A node no device can hold: the empty row 0 = 1 makes it infeasible.
    mm.AddRow("assign[" + nid(i) + "]", 1, 1, row);
    for (int d = 1; d < m; ++d) uniform_p[i] = uniform_p[i] && pr.p(i, d) == pr.p(i, 0);
  }
  for (int i = 0; i < n; ++i) {
    const double hi = std::max(head[i], UB - tail[i] - pr.min_p(i));
    lm.S[i] = mm.AddColumn("S[" + nid(i) + "]", head[i], hi);
  }
  auto X = [&](int i, int d) { return lm.x[static_cast<size_t>(i) * m + d]; };
  // Appends coef * (processing time of i) to a row; returns its constant
  // part (uniform times are a constant, not a sum over x), which the caller
  // moves to the other side (lb - constant).
  auto add_p = [&](std::vector<std::pair<int, double>>* row, int i, double coef) -> double {
    if (uniform_p[i]) return coef * pr.p(i, 0);
    for (int d = 0; d < m; ++d)
      if (X(i, d) >= 0 && pr.p(i, d) != 0) row->emplace_back(X(i, d), coef * pr.p(i, d));
    return 0;
  };

  // Tails: T >= S[i] + p_i + tail(i).
  for (int i = 0; i < n; ++i) {
    std::vector<std::pair<int, double>> row{{lm.T, 1.0}, {lm.S[i], -1.0}};
    const double k = add_p(&row, i, -1.0);
    mm.AddRow("tail[" + nid(i) + "]", tail[i] - k, kMipInf, row);
  }
  // Device loads: T >= sum_i p(i,d) x[i,d].
  if (opt.load_rows && m > 1) {
    for (int d = 0; d < m; ++d) {
      std::vector<std::pair<int, double>> row{{lm.T, 1.0}};
      for (int i = 0; i < n; ++i)
        if (X(i, d) >= 0 && pr.p(i, d) > 0) row.emplace_back(X(i, d), -pr.p(i, d));
      mm.AddRow("load[" + did(d) + "]", 0, kMipInf, row);
    }
  }

  // Ancestor and descendant loads (the assignment bound's rows, docs/milp.md):
  // before[i,d]: S[i] >= sum_{j ancestor of i} p(j,d) x[j,d] + cin(i) (a[i,d] - x[i,d]),
  // after[i,d]:  T >= S[i] + p_i + sum_{j descendant of i} p(j,d) x[j,d] + cout(i) (b[i,d] - x[i,d]),
  // with a[i,d] >= x[j,d] for every ancestor j (through the predecessors)
  // and cin(i) the least transfer on an edge into i or an ancestor (when i
  // is not on d but an ancestor is, a path from it crosses devices); b and
  // cout likewise. Valid in every plan: i's ancestors on d run one at a
  // time before i starts. O(V^2 m) terms.
  if (opt.ancestor_rows && m > 1) {
    const Reachability& reach = pr.reach();
    std::vector<double> cin, cout, head, tail;
    LeastCrossings(pr, &cin, &cout);
    DeviceHeadsAndTails(pr, &head, &tail);
    std::vector<int>& some_before = lm.some_before;
    std::vector<int>& some_after = lm.some_after;
    some_before.assign(static_cast<size_t>(n) * m, -1);
    some_after.assign(static_cast<size_t>(n) * m, -1);
    for (int i = 0; i < n; ++i)
      for (int d = 0; d < m; ++d) {
        const size_t id = static_cast<size_t>(i) * m + d;
        if (!g.in_edges(i).empty() && ((cin[i] > 0 && std::isfinite(cin[i])) || head[id] > 0))
          some_before[static_cast<size_t>(i) * m + d] = mm.AddColumn("a[" + nid(i) + "," + did(d) + "]", 0, 1);
        if (!g.out_edges(i).empty() && ((cout[i] > 0 && std::isfinite(cout[i])) || tail[id] > 0))
          some_after[static_cast<size_t>(i) * m + d] = mm.AddColumn("b[" + nid(i) + "," + did(d) + "]", 0, 1);
      }
    for (int e = 0; e < g.num_edges(); ++e) {
      const int u = g.edges[e].from, v = g.edges[e].to;
      for (int d = 0; d < m; ++d) {
        const std::string at = "[" + nid(u) + ">" + nid(v) + "," + did(d) + "]";
        const int bv = some_before[static_cast<size_t>(v) * m + d], bu = some_before[static_cast<size_t>(u) * m + d];
        if (bv >= 0 && X(u, d) >= 0) mm.AddRow("a_x" + at, 0, kMipInf, {{bv, 1.0}, {X(u, d), -1.0}});
        if (bv >= 0 && bu >= 0) mm.AddRow("a_a" + at, 0, kMipInf, {{bv, 1.0}, {bu, -1.0}});
        const int au = some_after[static_cast<size_t>(u) * m + d], av = some_after[static_cast<size_t>(v) * m + d];
        if (au >= 0 && X(v, d) >= 0) mm.AddRow("b_x" + at, 0, kMipInf, {{au, 1.0}, {X(v, d), -1.0}});
        if (au >= 0 && av >= 0) mm.AddRow("b_b" + at, 0, kMipInf, {{au, 1.0}, {av, -1.0}});
      }
    }
    for (int i = 0; i < n; ++i)
      for (int d = 0; d < m; ++d) {
        std::vector<std::pair<int, double>> before{{lm.S[i], 1.0}};
        std::vector<std::pair<int, double>> after{{lm.T, 1.0}, {lm.S[i], -1.0}};
        const double k_after = add_p(&after, i, -1.0);
        bool descendants = false;
        for (int j = 0; j < n; ++j) {
          if (j == i || X(j, d) < 0 || pr.p(j, d) == 0) continue;
          if (reach.Reaches(j, i)) {
            before.emplace_back(X(j, d), -pr.p(j, d));
          } else if (reach.Reaches(i, j)) {
            after.emplace_back(X(j, d), -pr.p(j, d));
            descendants = true;
          }
        }
        // + c (flag - x[i,d]): moves c into x[i,d]'s coefficient when the
        // row already holds it (p_i in the after row).
        auto crossing = [&](std::vector<std::pair<int, double>>* row, double c, int flag) {
          if (flag < 0 || !(c > 0) || !std::isfinite(c)) return;
          AddTerm(row, flag, -c);
          if (X(i, d) >= 0) AddTerm(row, X(i, d), c);
        };
        // + c flag: the first ancestor on d waits for a transfer (head),
        // the last descendant on d sends one (tail), when no source (sink)
        // may run on d (DeviceHeadsAndTails()).
        auto slack = [&](std::vector<std::pair<int, double>>* row, double c, int flag) {
          if (flag >= 0 && c > 0) AddTerm(row, flag, -c);
        };
        if (before.size() > 1) {
          crossing(&before, cin[i], some_before[static_cast<size_t>(i) * m + d]);
          slack(&before, head[static_cast<size_t>(i) * m + d], some_before[static_cast<size_t>(i) * m + d]);
          mm.AddRow("before[" + nid(i) + "," + did(d) + "]", 0, kMipInf, before);
        }
        if (descendants) {
          crossing(&after, cout[i], some_after[static_cast<size_t>(i) * m + d]);
          slack(&after, tail[static_cast<size_t>(i) * m + d], some_after[static_cast<size_t>(i) * m + d]);
          mm.AddRow("after[" + nid(i) + "," + did(d) + "]", -k_after, kMipInf, after);
        }
      }
  }

  // Edges: S[j] >= S[i] + p_i + delay(i,j).
  lm.edge_cols.assign(g.num_edges(), {});
  for (int e = 0; e < g.num_edges(); ++e) {
    const int i = g.edges[e].from, j = g.edges[e].to;
    const std::string en = nid(i) + "," + nid(j);
    std::vector<std::pair<int, double>> row{{lm.S[j], 1.0}, {lm.S[i], -1.0}};
    const double k = add_p(&row, i, -1.0);
    LatencyModel::EdgeCols& ec = lm.edge_cols[e];
    double cmax = 0;
    for (int d = 0; d < m; ++d)
      for (int f = 0; f < m; ++f)
        if (d != f && X(i, d) >= 0 && X(j, f) >= 0) cmax = std::max(cmax, pr.comm(e, d, f));
    if (cmax > 0) {
      double cu = 0;
      const bool uniform = UniformCost(pr, e, &cu);
      MilpOptions::Transfer kind = opt.transfer;
      if (kind == MilpOptions::Transfer::kAuto)
        kind = uniform ? MilpOptions::Transfer::kCut : MilpOptions::Transfer::kPairwise;
      if (kind == MilpOptions::Transfer::kCut && !uniform) kind = MilpOptions::Transfer::kPairwise;
      if (kind == MilpOptions::Transfer::kCut) {
        ec.kind = 2;
        ec.col = mm.AddColumn("z[" + en + "]", 0, 1);
        row.emplace_back(ec.col, -cu);
        for (int d = 0; d < m; ++d) {
          if (X(i, d) < 0) continue;
          std::vector<std::pair<int, double>> r{{ec.col, 1.0}, {X(i, d), -1.0}};
          if (X(j, d) >= 0) r.emplace_back(X(j, d), 1.0);
          mm.AddRow("cut[" + en + "," + did(d) + "]", 0, kMipInf, r);
        }
      } else if (kind == MilpOptions::Transfer::kPairwise) {
        ec.kind = 1;
        ec.col = mm.AddColumn("D[" + en + "]", 0, cmax);
        row.emplace_back(ec.col, -1.0);
        for (int d = 0; d < m; ++d)
          for (int f = 0; f < m; ++f) {
            if (d == f || X(i, d) < 0 || X(j, f) < 0) continue;
            const double c = pr.comm(e, d, f);
            if (c <= 0) continue;
            mm.AddRow("delay[" + en + "," + did(d) + "," + did(f) + "]", -c, kMipInf,
                      {{ec.col, 1.0}, {X(i, d), -c}, {X(j, f), -c}});
          }
      } else {  // kFlow
        ec.kind = 3;
        ec.y.assign(static_cast<size_t>(m) * m, -1);
        for (int d = 0; d < m; ++d)
          for (int f = 0; f < m; ++f) {
            if (X(i, d) < 0 || X(j, f) < 0) continue;
            const int c = mm.AddColumn("y[" + en + "," + did(d) + "," + did(f) + "]", 0, 1);
            ec.y[static_cast<size_t>(d) * m + f] = c;
            if (d != f && pr.comm(e, d, f) > 0) row.emplace_back(c, -pr.comm(e, d, f));
          }
        for (int d = 0; d < m; ++d) {
          if (X(i, d) < 0) continue;
          std::vector<std::pair<int, double>> r{{X(i, d), -1.0}};
          for (int f = 0; f < m; ++f)
            if (ec.y[static_cast<size_t>(d) * m + f] >= 0)
              r.emplace_back(ec.y[static_cast<size_t>(d) * m + f], 1.0);
          mm.AddRow("flow_out[" + en + "," + did(d) + "]", 0, 0, r);
        }
        for (int f = 0; f < m; ++f) {
          if (X(j, f) < 0) continue;
          std::vector<std::pair<int, double>> r{{X(j, f), -1.0}};
          for (int d = 0; d < m; ++d)
            if (ec.y[static_cast<size_t>(d) * m + f] >= 0)
              r.emplace_back(ec.y[static_cast<size_t>(d) * m + f], 1.0);
          mm.AddRow("flow_in[" + en + "," + did(f) + "]", 0, 0, r);
        }
      }
    }
    mm.AddRow("prec[" + en + "]", -k, kMipInf, row);
  }

  // Disjunctions for the pairs the DAG leaves unordered.
  const Reachability& reach = pr.reach();
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j) {
      if (reach.Ordered(i, j)) continue;
      ++lm.num_unordered_pairs;
      std::vector<int> shared;
      for (int d = 0; d < m; ++d)
        if (X(i, d) >= 0 && X(j, d) >= 0) shared.push_back(d);
      // Most C(i) can exceed S(j) (and C(j), S(i)) in a plan of makespan
      // <= UB. Clamped at zero; when either is <= 0 the windows already
      // order the pair and no row is needed (docs/model.md0).
      const double Mij = std::max(0.0, (UB - tail[i]) - head[j]);
      const double Mji = std::max(0.0, (UB - tail[j]) - head[i]);
      if (shared.empty() || Mij <= 0 || Mji <= 0) {
        ++lm.num_skipped_pairs;
        continue;
      }
      const std::string pn = nid(i) + "," + nid(j);
      if (opt.disjunctive == MilpOptions::Disjunctive::kSequence) {
        const int oij = mm.AddBinary("o[" + pn + "]");
        const int oji = mm.AddBinary("o[" + nid(j) + "," + nid(i) + "]");
        lm.pairs.push_back({i, j, oij, oji});
        for (int d : shared)
          mm.AddRow("same[" + pn + "," + did(d) + "]", -1, kMipInf,
                    {{oij, 1.0}, {oji, 1.0}, {X(i, d), -1.0}, {X(j, d), -1.0}});
        mm.AddRow("one[" + pn + "]", -kMipInf, 1, {{oij, 1.0}, {oji, 1.0}});
        // S[j] >= C[i] - Mij (1 - o[i,j])
        std::vector<std::pair<int, double>> r1{{lm.S[j], 1.0}, {lm.S[i], -1.0}, {oij, -Mij}};
        const double k1 = add_p(&r1, i, -1.0);
        mm.AddRow("seq[" + pn + "]", -Mij - k1, kMipInf, r1);
        std::vector<std::pair<int, double>> r2{{lm.S[i], 1.0}, {lm.S[j], -1.0}, {oji, -Mji}};
        const double k2 = add_p(&r2, j, -1.0);
        mm.AddRow("seq[" + nid(j) + "," + nid(i) + "]", -Mji - k2, kMipInf, r2);
      } else {
        const int o = mm.AddBinary("o[" + pn + "]");
        lm.pairs.push_back({i, j, o, -1});
        for (int d : shared) {
          // o = 1: i before j. S[j] >= S[i] + p(i,d) - M (3 - o - x[i,d] - x[j,d]),
          // with M the most S[i] + p(i,d) can exceed S[j].
          const double Md = std::max(0.0, UB - tail[i] - pr.min_p(i) + pr.p(i, d) - head[j]);
          mm.AddRow("seq[" + pn + "," + did(d) + "]", pr.p(i, d) - 3 * Md, kMipInf,
                    {{lm.S[j], 1.0}, {lm.S[i], -1.0}, {o, -Md}, {X(i, d), -Md}, {X(j, d), -Md}});
          // o = 0: j before i. S[i] >= S[j] + p(j,d) - M (2 + o - x[i,d] - x[j,d]).
          const double Me = std::max(0.0, UB - tail[j] - pr.min_p(j) + pr.p(j, d) - head[i]);
          mm.AddRow("seq[" + nid(j) + "," + nid(i) + "," + did(d) + "]",
                    pr.p(j, d) - 2 * Me, kMipInf,
                    {{lm.S[i], 1.0}, {lm.S[j], -1.0}, {o, Me}, {X(i, d), -Me}, {X(j, d), -Me}});
        }
      }
    }

  // Memory: params + the largest workspace of a node on d <= capacity.
  lm.W.assign(m, -1);
  for (int d = 0; d < m; ++d) {
    const double cap = pl.devices[d].memory_bytes;
    if (!std::isfinite(cap)) continue;
    std::vector<std::pair<int, double>> row;
    bool any_ws = false;
    for (int i = 0; i < n; ++i)
      if (X(i, d) >= 0) {
        if (g.nodes[i].param_bytes > 0) row.emplace_back(X(i, d), g.nodes[i].param_bytes);
        any_ws = any_ws || g.nodes[i].memory_bytes > 0;
      }
    if (any_ws) {
      lm.W[d] = mm.AddColumn("W[" + did(d) + "]", 0, cap);
      row.emplace_back(lm.W[d], 1.0);
      for (int i = 0; i < n; ++i)
        if (X(i, d) >= 0 && g.nodes[i].memory_bytes > 0)
          mm.AddRow("workspace[" + nid(i) + "," + did(d) + "]", 0, kMipInf,
                    {{lm.W[d], 1.0}, {X(i, d), -g.nodes[i].memory_bytes}});
    }
    if (!row.empty()) mm.AddRow("memory[" + did(d) + "]", -kMipInf, cap, row);
  }

  // Symmetry: within a class of identical devices c1 < c2 < ..., device
  // c(t+1) serves a node only if c(t) serves an earlier node (topological
  // order): x[v_k, c(t+1)] <= sum_{k' < k} x[v_k', c(t)].
  lm.sym_class.assign(m, -1);
  if (opt.symmetry_breaking && m > 1) {
    const std::vector<int>& cls = pr.symmetry_classes();
    std::vector<std::vector<int>> members;
    for (int d = 0; d < m; ++d) {
      if (cls[d] >= static_cast<int>(members.size())) members.resize(cls[d] + 1);
      members[cls[d]].push_back(d);
    }
    const auto& topo = g.topo_order();
    for (const auto& c : members) {
      if (c.size() < 2) continue;
      for (int d : c) lm.sym_class[d] = c.front();
      for (size_t t = 0; t + 1 < c.size(); ++t) {
        const int a = c[t], b = c[t + 1];
        std::vector<std::pair<int, double>> prefix;
        for (int k = 0; k < n; ++k) {
          const int v = topo[k];
          if (X(v, b) >= 0) {
            std::vector<std::pair<int, double>> row = prefix;
            row.emplace_back(X(v, b), 1.0);
            // Store prefix terms negated.
            for (size_t q = 0; q + 1 < row.size(); ++q) row[q].second = -1.0;
            if (row.size() == 1) {
              mm.columns[X(v, b)].ub = 0;  // no earlier node: c(t+1) unused
            } else {
              mm.AddRow("sym[" + nid(v) + "," + did(b) + "]", -kMipInf, 0, row);
            }
          }
          if (X(v, a) >= 0) prefix.emplace_back(X(v, a), 1.0);
        }
      }
    }
  }

  lm.summary = std::to_string(mm.num_columns()) + " columns (" +
               std::to_string(mm.num_integers()) + " integer), " +
               std::to_string(mm.num_rows()) + " rows, " +
               std::to_string(mm.num_nonzeros()) + " nonzeros; " +
               std::to_string(lm.pairs.size()) + " order pairs of " +
               std::to_string(lm.num_unordered_pairs) + " unordered";
  return lm;
}

std::vector<double> EncodePlan(const Problem& pr, const LatencyModel& lm, const Plan& plan) {
  const Evaluation ev = Evaluate(pr, plan);
  if (!ev.valid) return {};
  const MipModel& mm = lm.model;
  const int n = lm.n, m = lm.m;
  const Graph& g = pr.graph();
  if (ev.makespan_s > mm.columns[lm.T].ub + 1e-9 * std::max(1.0, ev.makespan_s)) return {};

  // Relabel identical devices by first use in topological order.
  std::vector<int> relabel(m);
  for (int d = 0; d < m; ++d) relabel[d] = d;
  {
    std::vector<std::vector<int>> members(m);
    for (int d = 0; d < m; ++d)
      if (lm.sym_class[d] >= 0) members[lm.sym_class[d]].push_back(d);
    for (const auto& c : members) {
      if (c.size() < 2) continue;
      std::vector<int> used;  // devices of the class in order of first use
      for (int v : g.topo_order()) {
        const int d = plan.device[v];
        if (lm.sym_class[d] == c.front() &&
            std::find(used.begin(), used.end(), d) == used.end())
          used.push_back(d);
      }
      for (int d : c)
        if (std::find(used.begin(), used.end(), d) == used.end()) used.push_back(d);
      for (size_t t = 0; t < c.size(); ++t) relabel[used[t]] = c[t];
    }
  }
  std::vector<int> dev(n);
  for (int i = 0; i < n; ++i) dev[i] = relabel[plan.device[i]];
  std::vector<int> pos(n, 0);
  for (const auto& ord : plan.order)
    for (size_t k = 0; k < ord.size(); ++k) pos[ord[k]] = static_cast<int>(k);

  std::vector<double> x(mm.num_columns(), 0.0);
  x[lm.T] = std::max(ev.makespan_s, mm.columns[lm.T].lb);
  for (int i = 0; i < n; ++i) {
    const int c = lm.x[static_cast<size_t>(i) * m + dev[i]];
    if (c < 0) return {};
    x[c] = 1;
    x[lm.S[i]] = ev.schedule.start_s[i];
  }
  for (int e = 0; e < g.num_edges(); ++e) {
    const auto& ec = lm.edge_cols[e];
    const int d = dev[g.edges[e].from], f = dev[g.edges[e].to];
    if (ec.kind == 1) x[ec.col] = pr.comm(e, d, f);
    if (ec.kind == 2) x[ec.col] = d != f ? 1 : 0;
    if (ec.kind == 3) x[ec.y[static_cast<size_t>(d) * m + f]] = 1;
  }
  for (const auto& p : lm.pairs) {
    const bool same = dev[p.i] == dev[p.j];
    const bool i_first = same ? pos[p.i] < pos[p.j]
                              : ev.schedule.start_s[p.i] <= ev.schedule.start_s[p.j];
    if (p.o_ji < 0) {
      x[p.o_ij] = i_first ? 1 : 0;
    } else if (same) {
      x[p.o_ij] = i_first ? 1 : 0;
      x[p.o_ji] = i_first ? 0 : 1;
    }
  }
  // a[i,d] / b[i,d]: some ancestor / descendant of i runs on d.
  if (!lm.some_before.empty()) {
    std::vector<char> anc(static_cast<size_t>(n) * m, 0), desc(static_cast<size_t>(n) * m, 0);
    const auto& topo = g.topo_order();
    for (int v : topo)
      for (int e : g.in_edges(v)) {
        const int u = g.edges[e].from;
        for (int d = 0; d < m; ++d) anc[static_cast<size_t>(v) * m + d] |= anc[static_cast<size_t>(u) * m + d] | (dev[u] == d);
      }
    for (auto it = topo.rbegin(); it != topo.rend(); ++it)
      for (int e : g.out_edges(*it)) {
        const int w = g.edges[e].to;
        for (int d = 0; d < m; ++d)
          desc[static_cast<size_t>(*it) * m + d] |= desc[static_cast<size_t>(w) * m + d] | (dev[w] == d);
      }
    for (size_t k = 0; k < anc.size(); ++k) {
      if (lm.some_before[k] >= 0) x[lm.some_before[k]] = anc[k];
      if (lm.some_after[k] >= 0) x[lm.some_after[k]] = desc[k];
    }
  }
  for (int d = 0; d < m; ++d) {
    if (lm.W[d] < 0) continue;
    double w = 0;
    for (int i = 0; i < n; ++i)
      if (dev[i] == d) w = std::max(w, g.nodes[i].memory_bytes);
    x[lm.W[d]] = w;
  }
  return x;
}

Plan DecodePlan(const Problem& pr, const LatencyModel& lm, const std::vector<double>& sol) {
  const int n = lm.n, m = lm.m;
  const Graph& g = pr.graph();
  Plan plan;
  plan.device.assign(n, 0);
  for (int i = 0; i < n; ++i) {
    double best = -1;
    for (int d = 0; d < m; ++d) {
      const int c = lm.x[static_cast<size_t>(i) * m + d];
      if (c >= 0 && sol[c] > best) {
        best = sol[c];
        plan.device[i] = d;
      }
    }
  }
  // Kahn's algorithm taking the ready node of least (start, length, topo).
  // Starts are snapped to a grid far finer than any time difference that
  // matters, so solver noise does not reorder ties.
  double scale = 1;
  for (int i = 0; i < n; ++i) scale = std::max(scale, std::fabs(sol[lm.S[i]]));
  const double q = 1e-7 * scale;
  using Key = std::tuple<long long, double, int, int>;
  std::priority_queue<Key, std::vector<Key>, std::greater<Key>> ready;
  std::vector<int> missing(n);
  auto push = [&](int v) {
    ready.emplace(std::llround(sol[lm.S[v]] / q), pr.p(v, plan.device[v]), g.topo_index()[v], v);
  };
  for (int v = 0; v < n; ++v) {
    missing[v] = g.in_degree(v);
    if (missing[v] == 0) push(v);
  }
  plan.order.assign(m, {});
  while (!ready.empty()) {
    const int v = std::get<3>(ready.top());
    ready.pop();
    plan.order[plan.device[v]].push_back(v);
    for (int e : g.out_edges(v))
      if (--missing[g.edges[e].to] == 0) push(g.edges[e].to);
  }
  return plan;
}

}  // namespace diviml::milp
