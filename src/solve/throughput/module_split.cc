// Module-based throughput starts ("split", docs/throughput.md): the cut nodes
// split the graph into a chain of units (module 0, cut 0, module 1, ...;
// FindModules). R copies of the chain are laid end to end and cut into
// contiguous ranges, one per device in a device order (pipeline stages;
// a range may hold whole replicas: data parallelism). For a period P the
// packer walks the chain and keeps a unit on the current device while every
// resource it touches (the device, the links its incoming edges cross, the
// device memory) stays <= P, else moves on to the next device; P is found
// by binary search between the period lower bound and a feasible value.
// Variants: units = modules or single nodes (in chain order); replicas
// continue on the device where the previous one ended ("wrap") or start on
// device r mod m of the order ("rotate"); all m! orders when m <= 4, else
// the 2m rotations of the speed order and its reverse.
// Also the LP-rounding start (lp_rounding.cc). Cost: O(orders * 4 *
// log(range / tol) * R (V + E)) for the packing, plus local search on the
// best 4 packings and the LP start, and iterated local search from the best.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <vector>

#include "diviml/bound/bounds.h"
#include "diviml/solve/throughput.h"
#include "solve/throughput/internal.h"

namespace diviml::tp {
namespace {

// The chain in topological order: modules (nodes) and cut nodes
// alternate. With split_modules every node is its own unit.
std::vector<std::vector<int>> ChainUnits(const ModuleStructure& ms, bool split_modules) {
  std::vector<std::vector<int>> units;
  auto add = [&](const std::vector<int>& nodes) {
    if (nodes.empty()) return;
    if (split_modules)
      for (int v : nodes) units.push_back({v});
    else
      units.push_back(nodes);
  };
  for (size_t k = 0; k < ms.modules.size(); ++k) {
    add(ms.modules[k]);
    if (k < ms.cut_nodes.size()) add({ms.cut_nodes[k]});
  }
  return units;
}

// Resource loads (devices, then links d*m+f) and weights per device, with
// tentative unit placement and undo.
class Packer {
 public:
  Packer(const Problem& pr, int R) : pr_(pr), m_(pr.m()), R_(R) {}

  // Packs R replicas for period P along `order`; false when the chain does
  // not fit. wrap: replica r continues on the device replica r-1 ended on.
  bool Pack(const std::vector<std::vector<int>>& units, const std::vector<int>& order, double P, bool wrap,
            ThroughputPlan* plan) {
    const int n = pr_.n(), m = m_;
    load_.assign(m + m * m, 0);
    count_.assign(static_cast<size_t>(n) * m, 0);
    mem_.assign(m, 0);
    plan->device.assign(R_, std::vector<int>(n, -1));
    int k = 0;
    for (int r = 0; r < R_; ++r) {
      std::vector<int>& dev = plan->device[r];
      int steps = 0;
      if (!wrap) k = r % m;
      for (const auto& unit : units) {
        while (!TryAdd(unit, order[k], P, &dev)) {
          if (wrap) {
            if (++k == m) return false;
          } else {
            k = (k + 1) % m;
            if (++steps == m) return false;
          }
        }
      }
    }
    return true;
  }

 private:
  bool TryAdd(const std::vector<int>& unit, int d, double P, std::vector<int>* dev) {
    const Graph& g = pr_.graph();
    const int m = m_;
    touched_.clear();
    bool ok = true;
    auto bump = [&](int res, double v, bool check) {
      load_[res] += v;
      touched_.push_back({res, v});
      if (check && load_[res] > P * (1 + 1e-12)) ok = false;
    };
    for (int i : unit) {
      const int pinned = pr_.fixed_device(i);
      const int t = pinned >= 0 ? pinned : d;
      (*dev)[i] = t;
      bump(t, pr_.p(i, t), pinned < 0);  // a pinned node has no choice
      for (int e : g.in_edges(i)) {
        int a = (*dev)[g.edges[e].from];
        if (a >= 0 && a != t) bump(m + a * m + t, pr_.comm(e, a, t), true);
      }
      size_t c = static_cast<size_t>(i) * m + t;
      if (count_[c]++ == 0) {
        mem_[t] += g.nodes[i].param_bytes;
        if (mem_[t] > pr_.platform().devices[t].memory_bytes * (1 + 1e-12)) ok = false;
      }
      if (!ok) break;
    }
    if (ok) return true;
    for (auto [res, v] : touched_) load_[res] -= v;
    for (int i : unit) {
      int t = (*dev)[i];
      if (t < 0) break;
      size_t c = static_cast<size_t>(i) * m + t;
      if (--count_[c] == 0) mem_[t] -= g.nodes[i].param_bytes;
      (*dev)[i] = -1;
    }
    return false;
  }

  const Problem& pr_;
  const int m_, R_;
  std::vector<double> load_, mem_;
  std::vector<int> count_;
  std::vector<std::pair<int, double>> touched_;
};

std::vector<std::vector<int>> DeviceOrders(const Problem& pr) {
  const int m = pr.m();
  std::vector<int> perm(m);
  std::iota(perm.begin(), perm.end(), 0);
  std::vector<std::vector<int>> orders;
  if (m <= 4) {
    do orders.push_back(perm);
    while (std::next_permutation(perm.begin(), perm.end()));
    return orders;
  }
  // Fastest first (total time over all nodes), rotated, and reversed.
  std::vector<double> total(m, 0);
  for (int i = 0; i < pr.n(); ++i)
    for (int d = 0; d < m; ++d) total[d] += pr.p(i, d);
  std::sort(perm.begin(), perm.end(), [&](int a, int b) { return total[a] < total[b]; });
  for (int rev = 0; rev < 2; ++rev) {
    for (int s = 0; s < m; ++s) {
      std::vector<int> o(m);
      for (int t = 0; t < m; ++t) o[t] = perm[(s + t) % m];
      orders.push_back(o);
    }
    std::reverse(perm.begin(), perm.end());
  }
  return orders;
}

// Binary search on P for one (units, order, wrap); offers every packed
// plan (evaluated exactly) to *best.
void SearchPeriod(const Problem& pr, Packer* packer, const std::vector<std::vector<int>>& units,
                  const std::vector<int>& order, bool wrap, double lo, const ThroughputOptions& o,
                  std::vector<Candidate>* found) {
  ThroughputPlan plan;
  double hi = std::max(lo, 1e-12);
  int doublings = 0;
  while (!packer->Pack(units, order, hi, wrap, &plan)) {
    if (++doublings > 60) return;  // memory never fits along this order
    lo = hi;
    hi *= 2;
  }
  ThroughputPlan best = plan;
  for (int it = 0; it < 40 && hi > lo * (1 + 1e-4); ++it) {
    double mid = 0.5 * (lo + hi);
    if (packer->Pack(units, order, mid, wrap, &plan)) {
      hi = mid;
      best = plan;
    } else {
      lo = mid;
    }
  }
  found->push_back(MakeCandidate(pr, best));
  (void)o;
}

}  // namespace

std::vector<Candidate> ModuleSplitCandidates(const Problem& pr, const ThroughputOptions& o) {
  const int R = std::max(1, o.replicas);
  Deadline deadline(o.solve.time_limit_s);
  const ModuleStructure ms = FindModules(pr);
  const double lo = PeriodBound(pr, o, R);
  Packer packer(pr, R);
  std::vector<Candidate> packed;
  for (bool split_modules : {false, true}) {
    const auto units = ChainUnits(ms, split_modules);
    for (const auto& order : DeviceOrders(pr))
      for (bool wrap : {true, false}) {
        if (deadline.Passed()) break;
        SearchPeriod(pr, &packer, units, order, wrap, lo, o, &packed);
      }
  }
  // Refine the best few distinct packings.
  std::sort(packed.begin(), packed.end(),
            [](const Candidate& a, const Candidate& b) { return a.info.period_s < b.info.period_s; });
  std::vector<Candidate> out;
  std::optional<Candidate> best;
  int refined = 0;
  for (size_t k = 0; k < packed.size() && refined < 4; ++k) {
    if (k > 0 && packed[k].plan.device == packed[k - 1].plan.device) continue;
    ++refined;
    out.push_back(packed[k]);
    ThroughputPlan p = packed[k].plan;
    LocalSearch(pr, &p, o, deadline);
    out.push_back(MakeCandidate(pr, p));
    Offer(out.back(), o, &best);
  }
  // The LP-rounding start (lp_rounding.cc), refined the same way.
  // The LP ignores memory: a start that does not fit is dropped.
  if (auto lp = LpRoundingStart(pr, R, lo); lp && !deadline.Passed() && EvaluatePeriod(pr, *lp).valid) {
    out.push_back(MakeCandidate(pr, *lp));
    LocalSearch(pr, &*lp, o, deadline);
    out.push_back(MakeCandidate(pr, *lp));
    Offer(out.back(), o, &best);
  }
  if (best) IteratedLocalSearch(pr, *best, o, deadline, &out);
  return out;
}

}  // namespace diviml::tp
