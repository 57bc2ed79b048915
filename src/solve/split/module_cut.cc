// Cutting a big module into precedence-closed sequential parts (see
// module_cut.h for the method and its complexity).
#include "solve/split/module_cut.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace diviml::split_internal {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The module's subgraph in local indices 0..n-1 (by topological index).
struct Sub {
  int n = 0;
  std::vector<int> node;  // local -> global
  struct Arc {
    int to;
    double w;
  };
  std::vector<std::vector<Arc>> out, in;
  struct E {
    int a, b;
    double w;
  };
  std::vector<E> edges;
  std::vector<double> p;  // fastest time per node
  int m = 1;
  double span_weight = 0;
};

Sub BuildSub(const Problem& pr, std::vector<int> nodes, const std::vector<double>& w, double span_weight) {
  const Graph& g = pr.graph();
  const auto& topo = g.topo_index();
  std::sort(nodes.begin(), nodes.end(), [&](int a, int b) { return topo[a] < topo[b]; });
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  Sub s;
  s.n = static_cast<int>(nodes.size());
  s.node = nodes;
  s.out.resize(s.n);
  s.in.resize(s.n);
  s.m = std::max(1, pr.m());
  s.span_weight = span_weight;
  for (int v : nodes) s.p.push_back(pr.min_p(v));
  std::vector<int> local(pr.n(), -1);
  for (int i = 0; i < s.n; ++i) local[nodes[i]] = i;
  for (int i = 0; i < s.n; ++i)
    for (int e : g.out_edges(nodes[i])) {
      int b = local[g.edges[e].to];
      if (b < 0) continue;
      s.out[i].push_back({b, w[e]});
      s.in[b].push_back({i, w[e]});
      s.edges.push_back({i, b, w[e]});
    }
  return s;
}

enum class Prefer { kRank, kSticky, kFollow };

// Kahn's algorithm on the subgraph. Among ready nodes: kRank the lowest
// community rank; kSticky the community of the node just emitted first;
// kFollow as kSticky, then the heaviest arcs from that community; ties by
// rank, then local (topological) index. rank empty = the plain order.
// O(n^2 + n * E) worst case (linear scan of the ready list).
std::vector<int> Order(const Sub& s, const std::vector<int>& rank, Prefer prefer) {
  std::vector<int> order;
  if (rank.empty()) {
    for (int i = 0; i < s.n; ++i) order.push_back(i);
    return order;
  }
  std::vector<int> indeg(s.n), ready;
  for (int i = 0; i < s.n; ++i) {
    indeg[i] = static_cast<int>(s.in[i].size());
    if (indeg[i] == 0) ready.push_back(i);
  }
  int last = -1;
  while (!ready.empty()) {
    auto key = [&](int v) {
      int away = prefer != Prefer::kRank && last >= 0 && rank[v] == rank[last] ? 0 : 1;
      double pull = 0;
      if (prefer == Prefer::kFollow && last >= 0)
        for (const auto& a : s.in[v])
          if (rank[a.to] == rank[last]) pull -= a.w;
      return std::make_tuple(away, pull, rank[v], v);
    };
    size_t best = 0;
    auto best_key = key(ready[0]);
    for (size_t k = 1; k < ready.size(); ++k) {
      auto kk = key(ready[k]);
      if (kk < best_key) {
        best = k;
        best_key = kk;
      }
    }
    int v = ready[best];
    ready.erase(ready.begin() + static_cast<long>(best));
    order.push_back(v);
    last = v;
    for (const auto& a : s.out[v])
      if (--indeg[a.to] == 0) ready.push_back(a.to);
  }
  return order;
}

// part[v] for every local node, parts numbered in order.
struct Assignment {
  std::vector<int> part;
  int parts = 0;
  double weight = kInf;  // crossing weight + span_weight * sum of spans
};

// Span of a part: max(longest path, work / m) with fastest times, a lower
// bound on the time the part occupies once its inputs are ready. `members`
// in increasing local (topological) index; tail is scratch of size n.
double Span(const Sub& s, const std::vector<int>& part, int id, const std::vector<int>& members,
            std::vector<double>& tail) {
  double cp = 0, work = 0;
  for (auto it = members.rbegin(); it != members.rend(); ++it) {
    int v = *it;
    double t = 0;
    for (const auto& a : s.out[v])
      if (part[a.to] == id) t = std::max(t, tail[a.to]);
    tail[v] = t + s.p[v];
    cp = std::max(cp, tail[v]);
    work += s.p[v];
  }
  return std::max(cp, work / s.m);
}

// Crossing weight + span_weight * sum of spans. O(n + E).
double Cost(const Sub& s, const Assignment& a) {
  double cost = 0;
  for (const auto& e : s.edges)
    if (a.part[e.a] != a.part[e.b]) cost += e.w;
  if (s.span_weight > 0) {
    std::vector<std::vector<int>> members(a.parts);
    for (int v = 0; v < s.n; ++v) members[a.part[v]].push_back(v);
    std::vector<double> tail(s.n, 0);
    for (int q = 0; q < a.parts; ++q) cost += s.span_weight * Span(s, a.part, q, members[q], tail);
  }
  return cost;
}

// Cut points on `order` minimising Cost(), exactly k parts of smin..smax
// nodes. O(smax * E + k * n * smax).
Assignment CutOrder(const Sub& s, const std::vector<int>& order, int k, int smin, int smax) {
  const int n = s.n;
  Assignment best;
  if (k <= 0 || static_cast<long>(k) * smin > n || static_cast<long>(k) * smax < n) return best;
  std::vector<int> pos(n);
  for (int i = 0; i < n; ++i) pos[order[i]] = i;
  // c[i][len]: weight of edges from order[i-len..i) to positions >= i.
  std::vector<std::vector<double>> c(n + 1, std::vector<double>(smax + 1, 0));
  std::vector<double> tail(n, 0);
  for (int i = 1; i <= n; ++i) {
    double acc = 0, cp = 0, work = 0;
    for (int len = 1; len <= smax && i - len >= 0; ++len) {
      const int u = order[i - len];
      double t = 0;
      for (const auto& a : s.out[u]) {
        if (pos[a.to] >= i) acc += a.w;
        else t = std::max(t, tail[a.to]);  // a successor inside the segment
      }
      tail[u] = t + s.p[u];
      cp = std::max(cp, tail[u]);
      work += s.p[u];
      c[i][len] = acc + s.span_weight * std::max(cp, work / s.m);
    }
  }
  std::vector<std::vector<double>> d(k + 1, std::vector<double>(n + 1, kInf));
  std::vector<std::vector<int>> from(k + 1, std::vector<int>(n + 1, -1));
  d[0][0] = 0;
  for (int p = 1; p <= k; ++p)
    for (int i = 1; i <= n; ++i)
      for (int len = smin; len <= smax && len <= i; ++len) {
        double v = d[p - 1][i - len] + c[i][len];
        if (v < d[p][i]) {
          d[p][i] = v;
          from[p][i] = i - len;
        }
      }
  if (d[k][n] == kInf) return best;
  best.part.assign(n, 0);
  best.parts = k;
  best.weight = d[k][n];
  for (int p = k, i = n; p > 0; i = from[p][i], --p)
    for (int j = from[p][i]; j < i; ++j) best.part[order[j]] = p - 1;
  return best;
}

// Single-node moves between parts that keep every edge forward, sizes in
// smin..smax, and strictly lower Cost(). First improvement, at most 4n
// moves; each candidate O(deg), plus O(smax + E_part) with spans.
void LocalSearch(const Sub& s, Assignment& a, int smin, int smax) {
  std::vector<int> size(a.parts, 0);
  for (int p : a.part) ++size[p];
  std::vector<std::vector<int>> members(a.parts);
  for (int v = 0; v < s.n; ++v) members[a.part[v]].push_back(v);
  std::vector<double> tail(s.n, 0);
  auto span_of = [&](int q) { return Span(s, a.part, q, members[q], tail); };
  // Span change when v moves from p to q (v's part entry changed in place).
  auto span_gain = [&](int v, int p, int q) {
    if (s.span_weight <= 0) return 0.0;
    double before = span_of(p) + span_of(q);
    auto& mp = members[p];
    auto& mq = members[q];
    mp.erase(std::find(mp.begin(), mp.end(), v));
    mq.insert(std::lower_bound(mq.begin(), mq.end(), v), v);
    a.part[v] = q;
    double after = span_of(p) + span_of(q);
    a.part[v] = p;
    mq.erase(std::find(mq.begin(), mq.end(), v));
    mp.insert(std::lower_bound(mp.begin(), mp.end(), v), v);
    return s.span_weight * (before - after);
  };
  const double eps = 1e-12 * std::max(1.0, a.weight);
  int moves = 0;
  for (bool improved = true; improved && moves < 4 * s.n;) {
    improved = false;
    for (int v = 0; v < s.n && moves < 4 * s.n; ++v) {
      const int p = a.part[v];
      if (size[p] - 1 < smin) continue;
      int lo = 0, hi = a.parts - 1;  // feasible target range
      for (const auto& e : s.in[v]) lo = std::max(lo, a.part[e.to]);
      for (const auto& e : s.out[v]) hi = std::min(hi, a.part[e.to]);
      int best_q = -1;
      double best_gain = eps;
      auto consider = [&](int q) {
        if (q == p || q < lo || q > hi || size[q] + 1 > smax) return;
        double gain = 0;
        for (const auto* arcs : {&s.in[v], &s.out[v]})
          for (const auto& e : *arcs)
            gain += e.w * ((a.part[e.to] != p) - (a.part[e.to] != q));
        gain += span_gain(v, p, q);
        if (gain > best_gain) {
          best_gain = gain;
          best_q = q;
        }
      };
      for (const auto& e : s.in[v]) consider(a.part[e.to]);
      for (const auto& e : s.out[v]) consider(a.part[e.to]);
      if (best_q < 0) continue;
      --size[p];
      ++size[best_q];
      a.part[v] = best_q;
      members[p].erase(std::find(members[p].begin(), members[p].end(), v));
      members[best_q].insert(std::lower_bound(members[best_q].begin(), members[best_q].end(), v), v);
      a.weight -= best_gain;
      ++moves;
      improved = true;
    }
  }
}

// Community ranks by mean local (topological) index; empty when the
// membership has one community or one per node (the plain order).
std::vector<int> RankByTopo(const std::vector<int>& comm) {
  const int n = static_cast<int>(comm.size());
  int k = 0;
  for (int c : comm) k = std::max(k, c + 1);
  if (k <= 1 || k >= n) return {};
  std::vector<double> sum(k, 0), cnt(k, 0);
  for (int i = 0; i < n; ++i) {
    sum[comm[i]] += i;
    cnt[comm[i]] += 1;
  }
  std::vector<int> ids(k), rank_of(k);
  for (int c = 0; c < k; ++c) ids[c] = c;
  auto mean = [&](int c) { return cnt[c] > 0 ? sum[c] / cnt[c] : kInf; };
  std::stable_sort(ids.begin(), ids.end(), [&](int a, int b) { return mean(a) < mean(b); });
  for (int r = 0; r < k; ++r) rank_of[ids[r]] = r;
  std::vector<int> rank(n);
  for (int i = 0; i < n; ++i) rank[i] = rank_of[comm[i]];
  return rank;
}

}  // namespace

std::vector<double> CrossingEdgeWeights(const Problem& pr) {
  const int ne = pr.graph().num_edges();
  double sum = 0;
  int pos = 0;
  for (int e = 0; e < ne; ++e)
    if (pr.mean_comm(e) > 0) {
      sum += pr.mean_comm(e);
      ++pos;
    }
  const double unit = pos > 0 ? 1e-3 * sum / pos : 1.0;
  std::vector<double> w(ne);
  for (int e = 0; e < ne; ++e) w[e] = pr.mean_comm(e) + unit;
  return w;
}

Crossing CountCrossing(const Problem& pr, const std::vector<std::vector<int>>& parts) {
  const Graph& g = pr.graph();
  std::vector<int> part(pr.n(), -1);
  for (size_t p = 0; p < parts.size(); ++p)
    for (int v : parts[p]) part[v] = static_cast<int>(p);
  std::vector<double> w = CrossingEdgeWeights(pr);
  Crossing c;
  for (int e = 0; e < g.num_edges(); ++e) {
    int a = part[g.edges[e].from], b = part[g.edges[e].to];
    if (a >= 0 && b >= 0 && a != b) {
      ++c.edges;
      c.weight += w[e];
    }
  }
  return c;
}

double CutCost(const Problem& pr, const std::vector<std::vector<int>>& parts, const ModuleCutOptions& opt) {
  std::vector<int> nodes;
  for (const auto& q : parts) nodes.insert(nodes.end(), q.begin(), q.end());
  const Sub s = BuildSub(pr, nodes, CrossingEdgeWeights(pr), opt.span_weight);
  std::vector<int> local(pr.n(), -1);
  for (int i = 0; i < s.n; ++i) local[s.node[i]] = i;
  Assignment a;
  a.part.assign(s.n, 0);
  a.parts = static_cast<int>(parts.size());
  for (int q = 0; q < a.parts; ++q)
    for (int v : parts[q]) a.part[local[v]] = q;
  return Cost(s, a);
}

ModuleCut CutModuleDetailed(const Problem& pr, const std::vector<int>& nodes, int max_size,
                            const ModuleCutOptions& opt) {
  const std::vector<double> w = CrossingEdgeWeights(pr);
  const Sub s = BuildSub(pr, nodes, w, opt.span_weight);
  const int n = s.n, smax = std::max(1, max_size);
  ModuleCut result;
  result.method = "whole";
  if (n <= smax) {
    if (n > 0) result.parts.push_back(s.node);
    Assignment one;
    one.part.assign(n, 0);
    one.parts = n > 0 ? 1 : 0;
    result.cost = Cost(s, one);
    return result;
  }
  const int k = (n + smax - 1) / smax;
  // At most half-full parts are allowed, and the equal-size sweep's parts
  // (ceil(n / k) nodes, the last one the rest) always fit.
  const int sweep_last = n - (k - 1) * ((n + k - 1) / k);
  const int smin = std::max(1, std::min({static_cast<int>(std::ceil(opt.min_fill * smax)), n / k, sweep_last}));

  std::vector<std::pair<std::string, std::vector<int>>> orders;
  orders.emplace_back("plain", Order(s, {}, Prefer::kRank));
  if (opt.follow) {
    std::vector<int> self(n);  // every node its own community: depth-first-like
    for (int i = 0; i < n; ++i) self[i] = i;
    orders.emplace_back("follow", Order(s, self, Prefer::kFollow));
  }
  if (opt.communities && !s.edges.empty()) {
    std::vector<WeightedEdge> edges;
    for (const auto& e : s.edges) edges.push_back({e.a, e.b, e.w});
    std::vector<std::vector<int>> seen;
    for (auto& [name, comm] : DetectCommunities(n, edges, opt.seed)) {
      std::vector<int> rank = RankByTopo(comm);
      if (rank.empty() || std::find(seen.begin(), seen.end(), rank) != seen.end()) continue;
      seen.push_back(rank);
      orders.emplace_back(name + "/rank", Order(s, rank, Prefer::kRank));
      orders.emplace_back(name + "/sticky", Order(s, rank, Prefer::kSticky));
      orders.emplace_back(name + "/follow", Order(s, rank, Prefer::kFollow));
    }
  }
  // The equal-size sweep of the plain order (what split used before), so
  // the result is never heavier than it.
  Assignment best;
  best.part.resize(n);
  const int per = (n + k - 1) / k;
  for (int i = 0; i < n; ++i) best.part[i] = i / per;
  best.parts = (n + per - 1) / per;
  best.weight = Cost(s, best);
  result.method = "sweep";
  for (const auto& [name, order] : orders) {
    Assignment a = CutOrder(s, order, k, smin, smax);
    if (opt.extra_part_gain < 1) {
      Assignment b = CutOrder(s, order, k + 1, smin, smax);
      if (b.weight <= (1 - opt.extra_part_gain) * a.weight) a = std::move(b);
    }
    if (a.weight == kInf) continue;
    if (opt.local_search) LocalSearch(s, a, smin, smax);
    if (a.weight < best.weight * (1 - 1e-12)) {
      best = std::move(a);
      result.method = name;
    }
  }
  result.parts.assign(best.parts, {});
  for (int i = 0; i < n; ++i) result.parts[best.part[i]].push_back(s.node[i]);
  Crossing c = CountCrossing(pr, result.parts);
  result.weight = c.weight;
  result.edges = c.edges;
  result.cost = best.weight;
  return result;
}

}  // namespace diviml::split_internal
