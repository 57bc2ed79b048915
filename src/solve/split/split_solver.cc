// "split": the module-based splitting heuristic (include/diviml/solve/split.h,
// docs/split.md).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <chrono>
#include <future>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "diviml/bound/bounds.h"
#include "diviml/core/evaluate.h"
#include "diviml/solve/heuristics.h"
#include "diviml/solve/split.h"
#include "solve/split/group_solve.h"
#include "solve/split/local_search.h"
#include "solve/split/module_cut.h"
#include "diviml/bound/segment_store.h"
#include "solve/split/chain_pass.h"
#include "solve/split/repair.h"
#include "diviml/solve/cp.h"
#include "diviml/solve/milp.h"
#include "diviml/util/tolerance.h"
#include "util/stopwatch.h"

namespace diviml {
namespace {

// The chain of groups: modules and cut nodes in order, big modules cut by
// CutModule(), neighbours packed up to `size` nodes. Every edge goes
// from a group to the same or a later group.
// A big module costs CutModule about a millisecond per node (measured: 4.5 s
// for 6,000 nodes on 2 loaded cores); once that would pass cut_budget_s
// (seconds) the module is cut into equal runs of its topological order
// instead, which is precedence-closed too (issue 15: --time-limit 5 ran
// 18 s on 6,000 nodes).
constexpr double kCutSecondsPerNode = 1e-3;

std::vector<std::vector<int>> MakeGroups(const Problem& pr, const ModuleStructure& ms, int size,
                                         double cut_budget_s) {
  const Stopwatch clock;
  const auto& topo = pr.graph().topo_index();
  auto by_topo = [&](int a, int b) { return topo[a] < topo[b]; };
  std::vector<std::vector<int>> items;
  for (size_t k = 0; k < ms.modules.size(); ++k) {
    std::vector<int> mod = ms.modules[k];
    std::sort(mod.begin(), mod.end(), by_topo);
    if (static_cast<int>(mod.size()) <= size) {
      if (!mod.empty()) items.push_back(mod);
    } else if (static_cast<double>(mod.size()) * kCutSecondsPerNode > cut_budget_s - clock.seconds()) {
      for (size_t i = 0; i < mod.size(); i += size)
        items.emplace_back(mod.begin() + i, mod.begin() + std::min(mod.size(), i + size));
    } else {
      // Precedence-closed sequential parts with light crossing edges
      // (community-guided topological orders cut by a DP; module_cut.h).
      for (auto& part : split_internal::CutModule(pr, mod, size)) items.push_back(std::move(part));
    }
    if (k < ms.cut_nodes.size()) items.push_back({ms.cut_nodes[k]});
  }
  std::vector<std::vector<int>> groups;
  for (auto& it : items) {
    if (!groups.empty() && groups.back().size() + it.size() <= static_cast<size_t>(size))
      groups.back().insert(groups.back().end(), it.begin(), it.end());
    else
      groups.push_back(it);
  }
  return groups;
}

// The per-graph group size (SplitOptions::auto_module_size, measured in
// docs/split.md "Group size"): a module of 25-32 nodes is solved whole by a
// 32-node group instead of being cut in two, when the forward pass has at
// least kAutoSecondsPerNode per node and the graph at most kAutoEdgesPerNode
// edges per node. Measured with 32 everywhere: lower on the 106-node ER and
// WS RandWire graphs at 20 s (0.113 s per node, 2.2-3.2 edges per node);
// worse on a 122-node one (0.098 s per node) and on two of three BA graphs
// (4.2 edges per node). O(number of modules), given the modules.
constexpr int kAutoModuleSize = 32;
// Largest module the chain pass takes (nodes): the MILPs of its segments
// (2 + 24 nodes) find good plans in tenths of a second; on the 32-node
// RandWire stages they do not (docs/split.md, "Chain pass").
constexpr int kChainPassMaxModule = 24;
// Largest module whose segments the module-chain bound solves exactly (its
// default); the last chain paths take plans of segments up to this size.
constexpr int kChainBoundMaxModule = 80;
// The most the plan thread waits for the bound thread's free segments
// (CP-SAT, docs/split.md "CP-SAT on the free segments"), as a share of the
// budget.
constexpr double kFreeWaitShare = 0.5;
// Share of the forward budget for the quick pass (SplitSolver::Solve).
constexpr double kQuickShare = 0.1;
constexpr double kAutoSecondsPerNode = 0.11;
constexpr double kAutoEdgesPerNode = 3.5;

int GroupSize(const Problem& pr, const ModuleStructure& ms, const SplitOptions& o, double forward_budget_s) {
  const int size = std::max(1, o.module_size);
  if (!o.auto_module_size || size >= kAutoModuleSize || pr.n() == 0 ||
      forward_budget_s / pr.n() < kAutoSecondsPerNode ||
      static_cast<double>(pr.graph().edges.size()) / pr.n() > kAutoEdgesPerNode)
    return size;
  size_t largest = 0;
  for (const auto& mod : ms.modules) largest = std::max(largest, mod.size());
  return largest > static_cast<size_t>(size) && largest <= static_cast<size_t>(kAutoModuleSize) ? kAutoModuleSize
                                                                                                  : size;
}

class SplitSolver : public Solver {
 public:
  explicit SplitSolver(const SplitOptions& o) : opt_(o) {}
  std::string name() const override { return "split"; }

  SolveResult Solve(const Problem& pr, const SolveOptions& so) override {
    const Stopwatch clock;
    const double budget = std::isfinite(so.time_limit_s) ? so.time_limit_s : opt_.default_time_limit_s;
    SolveResult best;
    best.solver = name();
    const int n = pr.n(), m = pr.m();

    // The module-chain bound, on a second thread; it raises known_lb when
    // done, and stops early once cancel is set (the plan met a bound).
    const BoundReport br = ComputeBounds(pr);
    std::atomic<double> known_lb{br.best_s};
    auto progress = [&](const std::string& s) {
      if (!so.progress) return;
      Progress p;
      p.source = "split";
      p.incumbent = best.makespan_s;
      p.bound = known_lb.load();
      if (auto g = RelativeGap(p.incumbent, p.bound)) p.gap = *g;
      p.elapsed_s = clock.seconds();
      p.message = s;
      so.progress(p);
    };
    std::atomic<bool> cancel{false};
    // The groups stop once the plan meets the bound: the bound thread sets
    // groups_stop (and bound_met) when its value meets the incumbent, and a
    // watcher forwards the caller's interrupt to it (one flag per MILP).
    std::atomic<double> incumbent{std::numeric_limits<double>::infinity()};
    std::atomic<bool> groups_stop{false}, bound_met{false};
    std::future<BoundPart> bound;
    // Cores: the plan search keeps the calling thread; the bound thread runs
    // bound_threads segment MILPs at once (automatic: threads - 1, at least
    // one, so the default --threads 1 keeps the two threads of before).
    const int bound_threads = opt_.bound_threads > 0 ? opt_.bound_threads : std::max(1, so.threads - 1);
    // The bound thread's segment MILPs and the chain pass's share their
    // answers (docs/split.md, "Segment store").
    SegmentStore store;
    SegmentStore* const shared = opt_.share_segments ? &store : nullptr;
    // The modules once, for the free segments, the group size and the groups
    // (FindModules builds the V^2/8-byte reachability closure below 16,384
    // nodes).
    const ModuleStructure modules = FindModules(pr);
    // CP-SAT on the free segments (docs/split.md, "CP-SAT on the free
    // segments"): on the bound thread, up to kChainFreeMaxJobs at a time,
    // while the plan thread waits for them (free_done, set when they are
    // done).
    bool free_phase = false;
    if (opt_.cp_segments && opt_.bound_share > 0 && CpAvailable())
      for (const auto& mod : modules.modules)
        free_phase = free_phase || (static_cast<int>(mod.size()) >= kChainFreeMinNodes &&
                                    static_cast<int>(mod.size()) <= kChainBoundMaxModule);
    std::atomic<bool> free_done{!free_phase};
    if (opt_.bound_share > 0)
      bound = std::async(std::launch::async, [&, share = opt_.bound_share, budget, bound_threads] {
        // CP-SAT on the free segments first where it can run (docs/split.md,
        // "CP-SAT on the free segments"); else the MILP rounds alone.
        const ExactSolveFn free_exact = free_phase ? CpExactSolve(&cancel) : ExactSolveFn{};
        BoundPart bp = ModuleChainBound(pr, share * budget, MilpExactSolve(so.milp_backend, &cancel, shared), kChainBoundMaxModule, &cancel,
                                        bound_threads, AssignmentRelaxation(so.milp_backend, &cancel), shared, free_exact,
                                        kChainFreeMinNodes, &free_done);
        if (bp.value_s > known_lb.load()) known_lb.store(bp.value_s);
        if (MeetsBound(incumbent.load(), known_lb.load())) {
          bound_met = true;
          groups_stop = true;
        }
        return bp;
      });
    auto met = [&] { return !best.plan.device.empty() && MeetsBound(best.makespan_s, known_lb.load()); };

    // HEFT and PEFT: split is never worse than either. Their plans ignore
    // memory capacities, so each is checked by Evaluate() first.
    std::string from = "";
    for (const char* h : {"heft", "peft"}) {
      SolveOptions ho = so;
      ho.progress = nullptr;
      SolveResult r = MakeSolver(h)->Solve(pr, ho);
      if (r.plan.device.empty()) continue;
      Evaluation ev = Evaluate(pr, r.plan);
      if (ev.valid && ev.makespan_s < best.makespan_s) {
        best.plan = r.plan;
        best.schedule = ev.schedule;
        best.makespan_s = ev.makespan_s;
        from = h;
      }
    }

    incumbent = best.makespan_s;
    if (met()) cancel = true;  // HEFT or PEFT already meets the cheap bounds
    const double forward_budget = budget * (opt_.repair ? opt_.forward_share : 0.9);
    const int size = GroupSize(pr, modules, opt_, forward_budget);
    // The chain pass runs after the forward pass, out of the repair's time
    // (docs/split.md, "Chain pass": out of the forward pass's, googlenet's
    // plan on paper lost 0.9%).
    const bool chain = opt_.chain_share > 0 && split::ChainPassApplies(modules, std::min(size, kChainPassMaxModule));
    std::vector<std::vector<int>> groups = MakeGroups(
        pr, modules, size,
        std::isfinite(so.time_limit_s) || so.interrupt ? 0.2 * budget - clock.seconds() : kUnlimited);
    progress(fmt::format("{} nodes in {} groups of at most {} nodes, budget {:.3g} s", n, groups.size(),
                         size, budget));
    SolveOptions go = so;
    go.interrupt = &groups_stop;
    if (Interrupted(so)) groups_stop = true;
    // Forwards the caller's interrupt to groups_stop (polled every 5 ms)
    // while the forward passes run; stopped and joined on every way out.
    struct Watcher {
      std::atomic<bool> on{true};
      std::thread t;
      ~Watcher() {
        on = false;
        if (t.joinable()) t.join();
      }
    } watcher;
    if (so.interrupt)
      watcher.t = std::thread([&] {
        while (watcher.on) {
          if (*so.interrupt) groups_stop = true;
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      });
    // One forward pass over gs until end_s: the groups in order, stitched,
    // Evaluate()d and kept when better than the best (tag: where from).
    // Returns the note.
    auto forward = [&](const std::vector<std::vector<int>>& gs, double end_s, const std::string& tag) {
      split::State st = split::State::Empty(pr);
      bool ok = true;
      std::string why;
      int left = n;
      size_t done_groups = 0;
      for (size_t k = 0; k < gs.size() && ok && !bound_met; ++k) {
        // Each group gets its share of what is left; once that is too small
        // for a MILP (or the solve is interrupted) SolveGroup falls back to
        // HEFT, so the chain finishes within the budget.
        double remaining = Interrupted(go) ? 0 : std::max(0.0, end_s - clock.seconds());
        double share = remaining * static_cast<double>(gs[k].size()) / std::max(1, left);
        ok = split::SolveGroup(pr, gs[k], st, share, go, &why, known_lb.load());
        left -= static_cast<int>(gs[k].size());
        done_groups = k + 1;
        if (k + 1 == gs.size() || (k + 1) % 5 == 0)
          progress(fmt::format("{}: group {}/{} done, {:.2f} s", tag, k + 1, gs.size(), clock.seconds()));
      }
      if (done_groups < gs.size() && bound_met) {
        // The incumbent is proven optimal: the groups stopped, there is
        // nothing to stitch.
        return fmt::format("{}: groups stopped after {} of {}, the plan meets the bound at {:.2f} s", tag,
                           done_groups, gs.size(), clock.seconds());
      }
      if (!ok) return tag + " failed: " + why;
      Plan plan;
      plan.device = st.device;
      plan.order = st.order;
      Evaluation ev = Evaluate(pr, plan);
      if (!ev.valid) return tag + " plan invalid: " + (ev.violations.empty() ? "" : ev.violations[0]);
      // Strictly better only: the groups stop early only at an incumbent the
      // bound proves optimal, which no pass can beat, so the plan returned
      // does not depend on when the bound thread finished (the CLI and the
      // Python API give the same plan for the same inputs).
      if (ev.makespan_s < best.makespan_s * (1 - 1e-9)) {
        best.plan = plan;
        best.schedule = ev.schedule;
        best.makespan_s = ev.makespan_s;
        incumbent = best.makespan_s;
        from = tag;
      }
      return fmt::format("{} {:.6g} s", tag == "split" ? "stitched" : tag, ev.makespan_s);
    };
    std::string note;
    if (n > 0 && cancel) {
      note = "split skipped: a heuristic plan meets the lower bound";
    } else if (n > 0) {
      // Both cores go to CP-SAT while the bound thread solves the free
      // segments: the plan thread waits (at most kFreeWaitShare of the
      // budget) and the paths below start from their plans.
      if (!free_done) {
        const double t0 = clock.seconds();
        while (!free_done && !bound_met && !Interrupted(so) && clock.seconds() < kFreeWaitShare * budget)
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        note = fmt::format("waited {:.2f} s for the free segments", clock.seconds() - t0);
      }
      // A quick pass at half the group size first on graphs of exactly two
      // groups (docs/split.md, "Quick pass"): its small MILPs end in tenths
      // of a second, and when its plan meets the bound the solve ends there.
      if (groups.size() == 2 && size >= 8) {
        const auto quick = MakeGroups(pr, modules, size / 2, kUnlimited);
        note += (note.empty() ? "" : "; ") + forward(quick, clock.seconds() + kQuickShare * forward_budget, "quick");
      }
      if (!met() && !bound_met && !Interrupted(so))
        note += (note.empty() ? "" : "; ") + forward(groups, forward_budget, "split");
      else if (note.empty())
        note = Interrupted(so) ? "split skipped: interrupted" : "split skipped: the plan meets the bound";
    }
    const double repair_end = (0.9 - opt_.local_search_share) * budget;
    // Paths without MILPs over the plans known (the store's from the bound
    // thread's segment MILPs, the current plan's segments, HEFT's): after
    // the forward pass where the chain pass does not apply (which also
    // offers the plan's segments to the store, as the bound's MILPs' start
    // plans), before the local search and once the bound is done.
    // Without MILPs of its own the pass also takes the modules the chain
    // pass leaves alone, up to the bound's limit (the RandWire stages).
    auto last_path = [&](const char* when) {
      if (opt_.chain_share <= 0 || !shared || opt_.bound_share <= 0 || best.plan.device.empty() || met() ||
          Interrupted(so) || !split::ChainPassApplies(modules, kChainBoundMaxModule))
        return;
      const double before = best.makespan_s;
      split::ChainPassOptions co;
      co.max_module_nodes = kChainBoundMaxModule;
      co.store = shared;
      co.milps = false;
      const split::ChainPassStats cs =
          split::ChainPass(pr, modules, co, clock, budget, so, &best.plan, &best.schedule, &best.makespan_s);
      if (!cs.applies) return;
      if (cs.improved) {
        incumbent = best.makespan_s;
        from += "+path";
      }
      note += fmt::format("; path {}: {} entries from the store, path {:.6g} s, {:.6g} -> {:.6g} s", when,
                          cs.from_store, cs.path_s, before, best.makespan_s);
    };
    if (!chain) last_path("after the forward pass");
    // The chain pass (chain_pass.h): the cut nodes' devices by a shortest
    // path over per-segment plans for every device pair, on graphs of at
    // least two modules of at most kChainPassMaxModule nodes.
    if (chain && !best.plan.device.empty() && !met() && !bound_met && !Interrupted(so) &&
        clock.seconds() < repair_end) {
      const double before = best.makespan_s;
      split::ChainPassOptions co;
      co.max_module_nodes = std::min(size, kChainPassMaxModule);
      co.store = shared;
      const split::ChainPassStats cs =
          split::ChainPass(pr, modules, co, clock, std::min(repair_end, clock.seconds() + opt_.chain_share * budget),
                           go, &best.plan, &best.schedule, &best.makespan_s);
      if (cs.applies) {
        if (cs.improved) {
          incumbent = best.makespan_s;
          from += "+chain";
        }
        note += fmt::format("; chain pass: {} entries, {} MILPs ({} proven), {} from the store, path {:.6g} s, "
                            "{:.6g} -> {:.6g} s",
                            cs.entries, cs.solved, cs.proven, cs.from_store, cs.path_s, before, best.makespan_s);
        progress(fmt::format("chain pass: {:.6g} -> {:.6g} s, {:.2f} s", before, best.makespan_s, clock.seconds()));
      }
    }
    watcher.on = false;
    if (watcher.t.joinable()) watcher.t.join();
    if (opt_.repair && !best.plan.device.empty() && groups.size() > 1 && !met() && !Interrupted(so) &&
        clock.seconds() < repair_end) {
      // Windows centred on the group boundaries (positions in the chain),
      // then on the groups' middles (which covers a HEFT/PEFT plan too).
      std::vector<int> centres, middles;
      int pos = 0;
      for (size_t k = 0; k < groups.size(); ++k) {
        middles.push_back(pos + static_cast<int>(groups[k].size()) / 2);
        pos += static_cast<int>(groups[k].size());
        if (k + 1 < groups.size()) centres.push_back(pos);
      }
      centres.insert(centres.end(), middles.begin(), middles.end());
      const double before = best.makespan_s;
      split::RepairStats rs = split::RepairWindows(pr, centres, std::max(2, size), clock, repair_end,
                                                   so, &best.plan, &best.schedule, &best.makespan_s, &known_lb);
      note += fmt::format("; repair: {} windows, {} improved, {:.6g} -> {:.6g} s", rs.windows, rs.improved,
                          before, best.makespan_s);
      if (rs.improved > 0) from += "+repair";
      progress(fmt::format("repair: {} windows, {} improved, {:.2f} s", rs.windows, rs.improved, clock.seconds()));
    }
    last_path("before the local search");
    if (opt_.local_search_share > 0 && !best.plan.device.empty() && !met() && !Interrupted(so) &&
        clock.seconds() < 0.9 * budget) {
      const double before = best.makespan_s;
      const split::LocalSearchStats ls = split::LocalSearch(
          pr, &best.plan, &best.schedule, &best.makespan_s,
          std::min(opt_.local_search_share * budget, 0.9 * budget - clock.seconds()), so.seed, 0, so.interrupt,
          &known_lb);
      if (ls.after_s < before) from += "+local";
      note += fmt::format("; local search: {} tries, {} accepted, {} new best, {:.6g} -> {:.6g} s", ls.tries,
                          ls.accepted, ls.improved, before, best.makespan_s);
      progress(fmt::format("local search: {:.6g} -> {:.6g} s, {:.2f} s", before, best.makespan_s, clock.seconds()));
    }
    if (n == 0) {
      best.status = SolveStatus::kOptimal;
      best.makespan_s = 0;
      best.plan.order.assign(m, {});
    }

    // The bound thread stops at its next check; what it proved so far is
    // valid (issue 15: it used to run on past the limit).
    cancel = true;
    double lb = br.best_s;
    std::string lb_name = br.best_name;
    if (bound.valid()) {
      BoundPart bp = bound.get();
      if (bp.value_s > known_lb.load()) known_lb.store(bp.value_s);
      last_path("after the bound");
      note += fmt::format("; module_chain bound {:.6g} s ({})", bp.value_s, bp.detail);
      best.bound_segments = bp.segments;
      if (bp.value_s > lb) {
        lb = bp.value_s;
        lb_name = bp.name;
      }
    }
    if (!best.plan.device.empty()) {
      best.status = MeetsBound(best.makespan_s, lb) ? SolveStatus::kOptimal
                    : Interrupted(so)                ? SolveStatus::kTimeLimit
                                                     : SolveStatus::kFeasible;
      best.lower_bound_s = lb;  // as proven, never clamped to the plan
      const double gap = RelativeGap(best.makespan_s, lb).value_or(NAN);
      note += fmt::format("; best from {}; bound {:.6g} s ({}), gap {:.2f}%", from, lb, lb_name, 100 * gap);
    } else if (n > 0) {
      // Infeasible only with a proof; otherwise nothing was found.
      const std::optional<std::string> proof = MemoryInfeasibility(pr);
      best.status = proof ? SolveStatus::kInfeasible : SolveStatus::kNoSolutionFound;
      if (proof) note += "; " + *proof;
    }
    best.message = note;
    best.solve_time_s = clock.seconds();
    progress(note);
    return best;
  }

 private:
  SplitOptions opt_;
};

}  // namespace

std::unique_ptr<Solver> MakeSplitSolver(const SplitOptions& options) {
  return std::make_unique<SplitSolver>(options);
}

}  // namespace diviml
