// Lower bounds of docs/bounds.md. Every value returned here is a valid
// lower bound on the makespan of every plan (tests check each against brute
// force and known optima); floating-point LP results are never trusted as
// they are: the work bound is recomputed from the LP's dual multipliers,
// which gives a bound valid for any multipliers, however inexact.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "bound/work_bound.h"
#include "diviml/bound/bounds.h"
#include "milp/backend.h"

namespace diviml {
namespace bound_internal {

double DualWorkBound(const Problem& problem, const std::vector<int>& nodes,
                     const std::vector<double>& w) {
  const int m = problem.m();
  double total = 0;
  for (int i : nodes) {
    double best = kUnlimited;
    for (int d = 0; d < m; ++d) best = std::min(best, problem.p(i, d) * w[d]);
    total += best;
  }
  return total;
}

// Multiplicative-weights ascent on the concave dual L(w) = sum_i min_d
// p(i,d) w_d over the simplex. Every iterate is a valid bound; returns the
// best. Used without an LP backend or when the LP fails.
// O(iterations * |nodes| * m).
double DualAscentWorkBound(const Problem& problem, const std::vector<int>& nodes, int iterations) {
  const int m = problem.m();
  std::vector<double> w(m, 1.0 / m), load(m);
  double best = DualWorkBound(problem, nodes, w);
  double scale = 0;
  for (int i : nodes) scale += problem.min_p(i);
  if (scale <= 0) return best;
  for (int it = 0; it < iterations; ++it) {
    std::fill(load.begin(), load.end(), 0.0);
    for (int i : nodes) {
      int arg = 0;
      for (int d = 1; d < m; ++d)
        if (problem.p(i, d) * w[d] < problem.p(i, arg) * w[arg]) arg = d;
      load[arg] += problem.p(i, arg);
    }
    // Supergradient = loads; move weight towards overloaded devices.
    const double eta = 2.0 / std::sqrt(1.0 + it);
    double sum = 0;
    for (int d = 0; d < m; ++d) {
      w[d] *= std::exp(eta * (load[d] / scale - 1.0 / m));
      sum += w[d];
    }
    for (int d = 0; d < m; ++d) w[d] /= sum;
    best = std::max(best, DualWorkBound(problem, nodes, w));
  }
  return best;
}

WorkBoundInfo ComputeWorkBound(const Problem& problem, const std::vector<int>& nodes) {
  WorkBoundInfo info;
  const int m = problem.m();
  if (nodes.empty() || m == 0) {
    info.method = "empty";
    return info;
  }
  if (m == 1) {
    for (int i : nodes) info.value += problem.p(i, 0);
    info.method = "one device";
    return info;
  }
  // Closed form when every node takes the same time on every device:
  // the LP optimum is W/m. O(|nodes| * m).
  bool uniform = true;
  double work = 0;
  for (int i : nodes) {
    for (int d = 1; d < m && uniform; ++d) uniform = problem.p(i, d) == problem.p(i, 0);
    work += problem.p(i, 0);
  }
  if (uniform) {
    info.value = work / m;
    info.method = "closed form W/m";
    return info;
  }
  // The LP: min T s.t. sum_d x(i,d) = 1, sum_i p(i,d) x(i,d) <= T. Nodes
  // with the same time on every device are interchangeable in it, so they
  // share columns x(g,d) in [0, |g|] with sum_d x(g,d) = |g| (the same
  // optimum; generated graphs of 300k nodes have a few hundred classes).
  std::map<std::vector<double>, std::pair<int, int>> classes;  // times -> (first node, count)
  std::vector<double> key(m);
  for (int i : nodes) {
    for (int d = 0; d < m; ++d) key[d] = problem.p(i, d);
    auto [it, fresh] = classes.try_emplace(key, i, 0);
    ++it->second.second;
  }
  milp::MipModel lp;
  lp.name = "work_bound";
  const int t = lp.AddColumn("T", 0, milp::kMipInf, 1.0);
  std::vector<std::vector<std::pair<int, double>>> load(m);
  for (const auto& [times, first_count] : classes) {
    const auto [i, count] = first_count;
    const std::string& id = problem.graph().nodes[i].id;
    std::vector<std::pair<int, double>> assign;
    for (int d = 0; d < m; ++d) {
      int x = lp.AddColumn("x[" + id + "," + problem.platform().devices[d].name + "]", 0, count);
      assign.emplace_back(x, 1.0);
      load[d].emplace_back(x, times[d]);
    }
    lp.AddRow("assign[" + id + "]", count, count, assign);
  }
  const int first_load_row = lp.num_rows();
  for (int d = 0; d < m; ++d) {
    load[d].emplace_back(t, -1.0);
    lp.AddRow("load[" + problem.platform().devices[d].name + "]", -milp::kMipInf, 0, load[d]);
  }
  milp::MipOptions options;
  options.threads = 1;
  options.time_limit_s = 60;
  milp::MipResult r = milp::SolveMip(lp, options);
  double best = DualWorkBound(problem, nodes, std::vector<double>(m, 1.0 / m));
  if (r.status == milp::MipStatus::kOptimal) {
    // Multipliers of the load rows, normalised onto the simplex.
    if (static_cast<int>(r.row_dual.size()) == lp.num_rows()) {
      std::vector<double> w(m);
      double sum = 0;
      for (int d = 0; d < m; ++d) sum += (w[d] = std::fabs(r.row_dual[first_load_row + d]));
      if (sum > 0) {
        for (double& v : w) v /= sum;
        best = std::max(best, DualWorkBound(problem, nodes, w));
      }
    }
    // The primal objective less a tolerance well above the LP's.
    best = std::max(best, r.objective - 1e-6 * std::max(1.0, std::fabs(r.objective)));
    info.method = "LP";  // backend-neutral: the figure is the same with HiGHS or CBC
  } else {
    best = std::max(best, DualAscentWorkBound(problem, nodes, 300));
    info.method = "fallback dual ascent from sum min_p / m (" +
                  (r.message.empty() ? std::string(milp::MipStatusName(r.status)) : r.message) + ")";
  }
  info.value = best;
  return info;
}

}  // namespace bound_internal

// Longest path with min_d p(i,d) per node, transfers free. O(V + E).
double CriticalPathBound(const Problem& problem) {
  const Graph& g = problem.graph();
  std::vector<double> finish(g.num_nodes(), 0);
  double best = 0;
  for (int v : g.topo_order()) {
    double start = 0;
    for (int e : g.in_edges(v)) start = std::max(start, finish[g.edges[e].from]);
    finish[v] = start + problem.min_p(v);
    best = std::max(best, finish[v]);
  }
  return best;
}

// O(V * m) plus one LP of V*m + 1 columns and V + m rows when speeds differ.
double WorkBound(const Problem& problem) {
  std::vector<int> all(problem.n());
  for (int i = 0; i < problem.n(); ++i) all[i] = i;
  return bound_internal::ComputeWorkBound(problem, all).value;
}

double WorkBound(const Problem& problem, const std::vector<int>& nodes) {
  return bound_internal::ComputeWorkBound(problem, nodes).value;
}

// Cut nodes: num_ancestors + num_descendants == n - 1 (comparable with all
// others), found exactly from the reachability closure up to
// kExactCutNodesMax nodes (O(V * E / 64) time, V^2 / 8 bytes). Above it the
// closure would take gigabytes (300k nodes: 11 GB), so a linear-time subset
// is taken: node v at topological position k with no edge jumping over k
// (from a position < k to one > k), every node before it reaching a
// position >= k and every node after it reached from a position <= k. Such
// a v is comparable with all: a path leaving the prefix must enter v (no
// edge jumps it), and likewise into the suffix. A subset of the cut nodes
// only merges modules, so the bounds stay valid (possibly weaker). Cut
// nodes are totally ordered and a cut node reaches exactly the nodes after
// it in the topological order, so v's module is the number of cut nodes
// before it. O(V + E) past the cut nodes.
constexpr int kExactCutNodesMax = 16384;

namespace bound_internal {

std::vector<char> ExactCutNodes(const Problem& problem) {
  const int n = problem.n();
  const Reachability& reach = problem.reach();
  std::vector<char> is_cut(n, 0);
  for (int v = 0; v < n; ++v)
    if (reach.num_ancestors(v) + reach.num_descendants(v) == n - 1) is_cut[v] = 1;
  return is_cut;
}

std::vector<char> LinearCutNodes(const Problem& problem) {
  const Graph& g = problem.graph();
  const int n = problem.n();
  const std::vector<int>& topo = g.topo_order();
  std::vector<int> pos(n);
  for (int k = 0; k < n; ++k) pos[topo[k]] = k;
  std::vector<char> is_cut(n, 0);
  std::vector<int> jumps(n + 1, 0);  // edges jumping over position k
  std::vector<int> far(n), near(n);  // farthest reached / nearest ancestor
  for (const Edge& e : g.edges) {
    const int a = pos[e.from], b = pos[e.to];
    if (b > a + 1) {
      ++jumps[a + 1];
      --jumps[b];
    }
  }
  for (int k = n - 1; k >= 0; --k) {
    far[k] = k;
    for (int e : g.out_edges(topo[k])) far[k] = std::max(far[k], far[pos[g.edges[e].to]]);
  }
  for (int k = 0; k < n; ++k) {
    near[k] = k;
    for (int e : g.in_edges(topo[k])) near[k] = std::min(near[k], near[pos[g.edges[e].from]]);
  }
  std::vector<int> suffix_near(n + 1, -1);  // max of near over positions >= k
  for (int k = n - 1; k >= 0; --k) suffix_near[k] = std::max(suffix_near[k + 1], near[k]);
  int open = 0, prefix_far = n;  // min of far over positions < k
  for (int k = 0; k < n; ++k) {
    open += jumps[k];
    if (open == 0 && prefix_far >= k && suffix_near[k + 1] <= k) is_cut[topo[k]] = 1;
    prefix_far = std::min(prefix_far, far[k]);
  }
  return is_cut;
}

}  // namespace bound_internal


ModuleStructure FindModules(const Problem& problem) {
  ModuleStructure ms;
  const Graph& g = problem.graph();
  const int n = problem.n();
  if (n == 0) {
    ms.modules.emplace_back();
    return ms;
  }
  const std::vector<int>& topo = g.topo_order();
  std::vector<char> is_cut = n <= kExactCutNodesMax ? bound_internal::ExactCutNodes(problem)
                                                   : bound_internal::LinearCutNodes(problem);
  for (int v : topo)
    if (is_cut[v]) ms.cut_nodes.push_back(v);
  ms.modules.assign(ms.cut_nodes.size() + 1, {});
  int before = 0;
  for (int v : topo) {
    if (is_cut[v]) ++before;
    else ms.modules[before].push_back(v);
  }
  return ms;
}

namespace {

// Critical path of the subgraph induced by `nodes` (given in topological
// order), min_p per node, no transfers. O(|nodes| + edges touching them).
double ModuleCriticalPath(const Problem& problem, const std::vector<int>& nodes,
                          std::vector<double>& finish, std::vector<char>& in_module) {
  const Graph& g = problem.graph();
  for (int v : nodes) in_module[v] = 1;
  double best = 0;
  for (int v : nodes) {
    double start = 0;
    for (int e : g.in_edges(v)) {
      int u = g.edges[e].from;
      if (in_module[u]) start = std::max(start, finish[u]);
    }
    finish[v] = start + problem.min_p(v);
    best = std::max(best, finish[v]);
  }
  for (int v : nodes) in_module[v] = 0;
  return best;
}

struct ModuleBoundInfo {
  double value = 0;
  std::string methods;
};

ModuleBoundInfo ComputeModuleBound(const Problem& problem, const ModuleStructure& ms) {
  ModuleBoundInfo info;
  std::vector<double> finish(problem.n(), 0);
  std::vector<char> in_module(problem.n(), 0);
  for (int c : ms.cut_nodes) info.value += problem.min_p(c);
  bool lp_used = false;
  std::string fallback;
  for (const std::vector<int>& mod : ms.modules) {
    if (mod.empty()) continue;
    double cp = ModuleCriticalPath(problem, mod, finish, in_module);
    bound_internal::WorkBoundInfo w = bound_internal::ComputeWorkBound(problem, mod);
    if (w.method.rfind("LP", 0) == 0) lp_used = true;
    if (w.method.rfind("fallback", 0) == 0) fallback = w.method;
    info.value += std::max(cp, w.value);
  }
  if (lp_used) info.methods = "work by LP";
  if (!fallback.empty()) info.methods += (info.methods.empty() ? "" : "; ") + fallback;
  return info;
}

}  // namespace

// Sum over modules of max(critical path, work bound) + min_p of every cut
// node. Valid because a cut node is comparable with every node: all of its
// ancestors end before it starts and all descendants start after it ends,
// so the modules and cut nodes occupy disjoint time intervals.
// O(V + E) plus one work bound per module.
double ModuleBound(const Problem& problem, const ModuleStructure& modules) {
  return ComputeModuleBound(problem, modules).value;
}

namespace {

// Rounds a bound up when every makespan is an integer; the tolerance keeps
// a value like 131.0000000002 (floating error) at 131.
double RoundUp(double x) {
  return std::ceil(x - std::max(1e-6, 1e-9 * std::fabs(x)));
}

}  // namespace

// O(V * E / 64 + V * m) plus at most one LP per module and one global LP.
BoundReport ComputeBounds(const Problem& problem) {
  BoundReport report;
  const bool integral = problem.integral();
  auto add = [&](std::string name, double value, std::string detail) {
    if (integral) value = std::max(0.0, RoundUp(value));
    AddBoundPart(&report, BoundPart{std::move(name), value, std::move(detail)});
  };
  add("critical_path", CriticalPathBound(problem), "longest path with min times, free transfers");
  if (!problem.platform().FreeCommunication())
    add("comm_path", CommPathBound(problem), "longest path, transfers charged between devices");
  std::vector<int> all(problem.n());
  for (int i = 0; i < problem.n(); ++i) all[i] = i;
  bound_internal::WorkBoundInfo w = bound_internal::ComputeWorkBound(problem, all);
  add("work", w.value, w.method);
  ModuleStructure ms = FindModules(problem);
  int nonempty = 0;
  for (const auto& mod : ms.modules) nonempty += mod.empty() ? 0 : 1;
  ModuleBoundInfo mb = ComputeModuleBound(problem, ms);
  std::string detail = std::to_string(nonempty) + " modules, " +
                       std::to_string(ms.cut_nodes.size()) + " cut nodes";
  if (!mb.methods.empty()) detail += " (" + mb.methods + ")";
  add("module", mb.value, detail);
  return report;
}

void AddBoundPart(BoundReport* report, BoundPart part) {
  if (report->parts.empty() || part.value_s > report->best_s) {
    report->best_s = part.value_s;
    report->best_name = part.name;
  }
  report->parts.push_back(std::move(part));
}

}  // namespace diviml
