// The chain pass (chain_pass.h, docs/split.md "Chain pass").
#include "solve/split/chain_pass.h"

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bound/subproblem.h"
#include "diviml/core/evaluate.h"
#include "diviml/solve/heuristics.h"
#include "diviml/solve/milp.h"
#include "solve/split/group_solve.h"
#include "solve/split/repair.h"

namespace diviml::split {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// The least time an entry's MILP gets while there is that much left.
constexpr double kMinEntryS = 0.15;

struct Known {
  double makespan_s = kInf;  // of `plan` on the segment's sub-problem
  Plan plan;                 // local node ids of SegmentProblem()
};

}  // namespace

bool ChainPassApplies(const ModuleStructure& ms, int max_module_nodes) {
  int modules = 0;
  for (const auto& mod : ms.modules) {
    if (static_cast<int>(mod.size()) > max_module_nodes) return false;
    modules += !mod.empty();
  }
  return modules >= 2;
}

ChainPassStats ChainPass(const Problem& pr, const ModuleStructure& ms, const ChainPassOptions& co,
                         const Stopwatch& clock, double until_s, const SolveOptions& so, Plan* plan,
                         Schedule* schedule, double* makespan_s) {
  ChainPassStats st;
  const int max_module_nodes = co.max_module_nodes;
  SegmentStore* const store = co.store;
  const int m = pr.m();
  const int segs = static_cast<int>(ms.modules.size());
  const int cuts = static_cast<int>(ms.cut_nodes.size());
  if (!ChainPassApplies(ms, max_module_nodes) || plan->device.size() != static_cast<size_t>(pr.n())) return st;
  st.applies = true;
  auto entry_of = [&](int k) { return k > 0 ? ms.cut_nodes[k - 1] : -1; };
  auto exit_of = [&](int k) { return k < cuts ? ms.cut_nodes[k] : -1; };
  auto slots = [&](int v) { return v >= 0 ? m : 1; };
  auto ok = [&](int v, int d) { return v < 0 || pr.allowed(v, d); };
  auto segment = [&](int k, int a, int b) {
    std::string err;
    return SegmentProblem(pr, entry_of(k), ms.modules[k], exit_of(k), a, b, &err);
  };
  std::vector<std::vector<Known>> table(segs, std::vector<Known>(static_cast<size_t>(m) * m));
  auto offer = [&](int k, int a, int b, const Problem& sub, const Plan& p) {
    const Evaluation ev = Evaluate(sub, p);
    Known& kn = table[k][a * m + b];
    if (ev.valid && ev.makespan_s < kn.makespan_s) kn = {ev.makespan_s, p};
  };

  // The current plan's own segments, and the cut-node-only segments (their
  // one plan: the entry on a, the marker on b).
  // Both loops stop at until_s (graphs of thousands of modules): without
  // every segment's table there is no path, and the plan stays as it is.
  std::vector<int> local(pr.n(), -1);  // node -> segment-local id, reset after each segment
  for (int k = 0; k < segs; ++k) {
    if (clock.seconds() >= until_s) return st;
    const int in = entry_of(k), out = exit_of(k);
    const int a = in >= 0 ? plan->device[in] : 0, b = out >= 0 ? plan->device[out] : 0;
    if (ms.modules[k].empty()) {
      for (int a2 = 0; a2 < slots(in); ++a2)
        for (int b2 = 0; b2 < slots(out); ++b2) {
          if (!ok(in, a2) || !ok(out, b2)) continue;
          const Problem sub = segment(k, a2, b2);
          Plan p;
          p.device.assign(sub.n(), 0);
          p.order.assign(m, {});
          int v = 0;
          if (in >= 0) p.device[v] = a2, p.order[a2].push_back(v), ++v;
          if (out >= 0) p.device[v] = b2, p.order[b2].push_back(v);
          offer(k, a2, b2, sub, p);
        }
      continue;
    }
    const Problem sub = segment(k, a, b);
    int v = 0;
    if (in >= 0) local[in] = v++;
    for (int u : ms.modules[k]) local[u] = v++;
    Plan p;
    p.device.assign(sub.n(), 0);
    p.order.assign(m, {});
    for (int d = 0; d < m; ++d)
      for (int u : plan->order[d])
        if (local[u] >= 0) {
          p.device[local[u]] = d;
          p.order[d].push_back(local[u]);
        }
    if (out >= 0) {
      p.device[sub.n() - 1] = b;
      p.order[b].push_back(sub.n() - 1);
    }
    offer(k, a, b, sub, p);
    // The bound thread's MILP of this entry starts from it (MilpExactSolve()).
    if (store && table[k][a * m + b].makespan_s < kInf)
      store->Offer(Signature(sub), 0, false, &table[k][a * m + b].plan, table[k][a * m + b].makespan_s);
    if (in >= 0) local[in] = -1;
    for (int u : ms.modules[k]) local[u] = -1;
  }

  // Every module entry: HEFT's plan (milliseconds) and the cheap bound.
  std::vector<std::vector<double>> lb(segs, std::vector<double>(static_cast<size_t>(m) * m, kInf));
  std::vector<std::vector<char>> tried(segs, std::vector<char>(static_cast<size_t>(m) * m, 1));
  // Signature() per module entry: the store's key, and the MILPs' dedup.
  std::vector<std::vector<std::string>> keys(segs, std::vector<std::string>(static_cast<size_t>(m) * m));
  for (int k = 0; k < segs; ++k) {
    if (ms.modules[k].empty()) continue;
    if (clock.seconds() >= until_s) return st;
    for (int a = 0; a < slots(entry_of(k)); ++a)
      for (int b = 0; b < slots(exit_of(k)); ++b) {
        if (!ok(entry_of(k), a) || !ok(exit_of(k), b)) continue;
        ++st.entries;
        const Problem sub = segment(k, a, b);
        lb[k][a * m + b] = ComputeBounds(sub).best_s;
        tried[k][a * m + b] = 0;
        keys[k][a * m + b] = Signature(sub);
        SolveOptions o = so;
        o.progress = nullptr;
        const SolveResult h = MakeHeftSolver()->Solve(sub, o);
        if (!h.plan.device.empty()) offer(k, a, b, sub, h.plan);
      }
  }
  // pre[k][a]: the least sum of segments 0..k-1 with cut node k-1 on a;
  // suf[k][b]: of segments k+1.. with cut node k on b; over `v` (the plans'
  // makespans, or the entries' lower bounds). O(K m^2).
  using Table = std::vector<std::vector<double>>;
  auto sums = [&](const std::function<double(int, int)>& v, Table& pre, Table& suf) {
    pre.assign(segs + 1, std::vector<double>(m, kInf));
    suf.assign(segs + 1, std::vector<double>(m, kInf));
    pre[0].assign(m, 0.0);
    for (int k = 0; k < segs; ++k)
      for (int a = 0; a < slots(entry_of(k)); ++a)
        for (int b = 0; b < slots(exit_of(k)); ++b)
          pre[k + 1][b] = std::min(pre[k + 1][b], pre[k][k > 0 ? a : 0] + v(k, a * m + b));
    suf[segs - 1].assign(m, 0.0);
    for (int k = segs - 1; k > 0; --k)
      for (int a = 0; a < slots(entry_of(k)); ++a)
        for (int b = 0; b < slots(exit_of(k)); ++b)
          suf[k - 1][a] = std::min(suf[k - 1][a], v(k, a * m + b) + suf[k][b]);
  };
  // A cut-node-only segment's one plan is exact.
  for (int k = 0; k < segs; ++k)
    if (ms.modules[k].empty())
      for (int ab = 0; ab < m * m; ++ab) lb[k][ab] = table[k][ab].makespan_s;
  // The MILPs, most promising entry first: an entry's promise is the best
  // plan that could use it, the rest of the chain at the plans known and
  // the entry at its lower bound. An entry is left out when even the rest
  // at its lower bounds cannot beat the best known path; so with exact
  // bounds and plans, time, and no early stop, none is left and the path is
  // optimal (tests). A distinct sub-problem is solved once.
  // The store's records (the bound thread's MILPs): a plan offered to the
  // entry, the bound raised, and a proven entry gets no MILP of its own.
  long store_version = -1;
  std::vector<std::vector<char>> took(segs, std::vector<char>(static_cast<size_t>(m) * m, 0));
  auto absorb = [&] {
    if (!store || store->version() == store_version) return;
    store_version = store->version();
    for (int k = 0; k < segs; ++k)
      for (int ab = 0; ab < m * m; ++ab) {
        if (keys[k][ab].empty()) continue;
        const auto rec = store->Find(keys[k][ab], true);
        if (!rec) continue;
        bool used = false;
        if (!rec->plan.device.empty() && rec->plan_s < table[k][ab].makespan_s * (1 - 1e-9)) {
          const double before = table[k][ab].makespan_s;
          offer(k, ab / m, ab % m, segment(k, ab / m, ab % m), rec->plan);
          used = table[k][ab].makespan_s < before;
        }
        if (rec->lower_s > lb[k][ab]) lb[k][ab] = rec->lower_s, used = true;
        if (rec->proven && !tried[k][ab]) tried[k][ab] = 1, used = true;
        if (used && !took[k][ab]) took[k][ab] = 1, ++st.from_store;
      }
  };
  absorb();
  std::map<std::string, std::pair<int, int>> seen;  // signature -> the entry that holds its plan
  Table pre, suf, pre_lb, suf_lb;
  int modules = 0;
  for (const auto& mod : ms.modules) modules += !mod.empty();
  double last_best = kInf;
  int since = 0;  // MILPs since the path last got shorter
  for (;;) {
    if (!co.milps || clock.seconds() >= until_s || Interrupted(so)) break;
    absorb();
    sums([&](int k, int ab) { return table[k][ab].makespan_s; }, pre, suf);
    sums([&](int k, int ab) { return lb[k][ab]; }, pre_lb, suf_lb);
    double best = kInf;
    for (int b = 0; b < m; ++b) best = std::min(best, pre[segs][b]);
    // A round of MILPs (one per module) that did not shorten the path ends
    // the pass: the rest of its time goes to the repair and the local
    // search (docs/split.md, "Chain pass": inception_v3 on modern).
    if (best < last_best * (1 - 1e-9)) last_best = best, since = 0;
    if (co.early_stop && since > modules) break;
    int bk = -1, bab = -1, open = 0;
    double bp = kInf;
    for (int k = 0; k < segs; ++k)
      for (int a = 0; a < slots(entry_of(k)); ++a)
        for (int b = 0; b < slots(exit_of(k)); ++b) {
          if (tried[k][a * m + b]) continue;
          const double floor = pre_lb[k][k > 0 ? a : 0] + lb[k][a * m + b] + suf_lb[k][b];
          if (!(floor < best * (1 - 1e-9))) continue;
          ++open;
          const double promise = pre[k][k > 0 ? a : 0] + lb[k][a * m + b] + suf[k][b];
          if (bk < 0 || promise < bp) bp = promise, bk = k, bab = a * m + b;
        }
    if (bk < 0) break;
    const int a = bab / m, b = bab % m;
    tried[bk][bab] = 1;
    const Problem sub = segment(bk, a, b);
    const std::string& key = keys[bk][bab];
    if (auto it = seen.find(key); it != seen.end()) {
      const Known& kn = table[it->second.first][it->second.second];
      if (!kn.plan.device.empty()) offer(bk, a, b, sub, kn.plan);
      lb[bk][bab] = std::max(lb[bk][bab], lb[it->second.first][it->second.second]);
      continue;
    }
    const double left = until_s - clock.seconds();
    // An equal share for this and every other open entry, but at least
    // kMinEntryS: the least promising are the ones left out.
    const double share = std::min(left, std::max(kMinEntryS, left / open));
    if (share < kMinGroupMilpS || Interrupted(so)) break;
    seen[key] = {bk, bab};
    SolveOptions o = so;
    o.time_limit_s = share;
    o.progress = nullptr;
    o.dump_model.clear();
    o.known_lower_bound_s = 0;
    // From the best plan known of the entry (HEFT's, the store's, the
    // current plan's own), not only the MILP's heuristics.
    MilpOptions mo;
    if (!table[bk][bab].plan.device.empty()) mo.start_plans.push_back(table[bk][bab].plan);
    const SolveResult r = MakeMilpSolver(mo)->Solve(sub, o);
    ++st.solved;
    ++since;
    st.proven += r.status == SolveStatus::kOptimal;
    if (!r.plan.device.empty()) offer(bk, a, b, sub, r.plan);
    lb[bk][bab] = std::max(lb[bk][bab], r.lower_bound_s);  // the proven bound, also when optimal (tolerance)
    if (store && r.status != SolveStatus::kError && r.status != SolveStatus::kInfeasible) {
      // As the bound's exact solver reports it (MilpExactSolve()): a
      // proven optimum as its makespan, else the dual bound.
      const bool proven = r.status == SolveStatus::kOptimal;
      const Known& kn = table[bk][bab];
      store->Offer(key, proven ? r.makespan_s : r.lower_bound_s, proven, kn.plan.device.empty() ? nullptr : &kn.plan,
                   kn.makespan_s);
    }
  }

  // Shortest path over the entries' makespans.
  std::vector<std::pair<int, int>> path;
  st.path_s = ChainShortestPath(ms, m, [&](int k, int ab) { return table[k][ab].makespan_s; }, &path);
  if (!(st.path_s < kInf)) return st;

  // Concatenate: segment by segment, each by start time in its own plan.
  std::vector<int> device(pr.n(), -1), priority;
  priority.reserve(pr.n());
  for (int k = 0; k < segs; ++k) {
    const auto [a, bb] = path[k];
    const Known& kn = table[k][a * m + bb];
    const Problem sub = segment(k, a, bb);
    const Evaluation ev = Evaluate(sub, kn.plan);
    std::vector<int> global(sub.n(), -1);
    int v = 0;
    if (entry_of(k) >= 0) global[v++] = entry_of(k);
    for (int u : ms.modules[k]) global[v++] = u;
    for (int lv : StartOrder(sub, ev.schedule)) {
      if (global[lv] < 0) continue;  // the exit marker
      device[global[lv]] = kn.plan.device[lv];
      priority.push_back(global[lv]);
    }
  }
  if (cuts == segs) {
    device[ms.cut_nodes[cuts - 1]] = path[segs - 1].second;
    priority.push_back(ms.cut_nodes[cuts - 1]);
  }
  if (static_cast<int>(priority.size()) != pr.n()) return st;  // not a chain of these segments
  const Plan cand = Plan::FromPriority(device, priority, m);
  const Evaluation ev = Evaluate(pr, cand);
  if (!ev.valid) return st;
  st.makespan_s = ev.makespan_s;
  if (ev.makespan_s < *makespan_s * (1 - 1e-9)) {
    *plan = cand;
    *schedule = ev.schedule;
    *makespan_s = ev.makespan_s;
    st.improved = true;
  }
  return st;
}

}  // namespace diviml::split
