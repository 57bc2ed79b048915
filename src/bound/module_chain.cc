// The module-chain lower bound (include/diviml/bound/bounds.h, docs/split.md).
//
// Segment k is cut node c(k-1) (the entry, pinned to device a), module k,
// and a zero-time marker pinned to device b that receives every edge into
// cut node c(k) (the exit). In any plan, segment k occupies exactly
// [S(c(k-1)), S(c(k))): module k's nodes descend from c(k-1) and precede
// c(k), every other node precedes c(k-1) or follows c(k), and links are not
// shared. Shifted to 0 that part of the plan is a plan of the segment's
// sub-problem (edges from earlier segments and memory dropped), so
// S(c(k)) - S(c(k-1)) >= OPT(segment k | a, b) with a, b the devices of
// c(k-1) and c(k). Hence OPT >= min over device sequences of the sum of
// segment values: a shortest path over the chain, O(K m^2).
//
// Every segment value starts as ComputeBounds() of the segment, raised by
// DeviceEnergeticBound() (device_energetic.cc, first 10% of the time); the
// MILP is run lazily, only on the (segment, a, b) entries of the current shortest
// path, until the path is all proven optima or the time is up. Each entry
// is always a valid lower bound, so the result is valid whenever it stops.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <iterator>
#include <limits>
#include <functional>
#include <map>
#include <set>
#include <optional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "diviml/bound/bounds.h"
#include "bound/subproblem.h"
#include "diviml/bound/segment_store.h"
#include "util/stopwatch.h"

namespace diviml {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Entry {
  double value = kInf;  // lower bound on the segment's duration; inf = not allowed
  bool proven = false;  // value is the segment's optimum
  double tried_s = 0;   // the longest limit the MILP was run with (inf: cannot be)
  double relaxed_s = 0; // likewise the relaxation (inf: done, or not run on this segment)
  std::string key;      // Signature() of its sub-problem, with a store only
};

struct Outcome {
  double value = 0;  // optimum or dual bound; inf when infeasible
  bool proven = false;
  double limit_s = 0;  // the time limit it was solved with
};

// One distinct sub-problem of a batch.
struct Job {
  Problem sub;
  std::string key;       // Signature(sub)
  double weight = 1;     // share of the phase's time, relative
  bool ran = false;      // the exact solver was called
  double limit_s = 0;    // with this limit
  double before_s = 0;   // an earlier unproven run had this limit: run only with more
  ExactAnswer answer;
};

// Runs the jobs on `threads` workers (the caller is one); a job starts only
// while left_s() exceeds min_share_s and *cancel is unset, with the limit
// min(cap_s, left_s() * min(1, threads * weight / weight not yet
// finished)), and only when that is more than its before_s. O(jobs) plus
// the solves.
void RunJobs(std::vector<Job>& jobs, int threads, const std::function<double()>& left_s, double min_share_s,
             double cap_s, const ExactSolveFn& exact, const std::atomic<bool>* cancel) {
  std::mutex mu;
  std::exception_ptr error;
  size_t next = 0;
  double weight_left = 0, weight_running = 0;
  for (const Job& j : jobs) weight_left += j.weight;
  const int workers = std::max(1, std::min<int>(threads, static_cast<int>(jobs.size())));
  auto work = [&] {
    for (;;) {
      size_t i;
      double limit;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (next >= jobs.size()) return;
        i = next++;
        limit = std::min(cap_s, left_s() * std::min(1.0, workers * jobs[i].weight /
                                                               std::max(weight_left + weight_running, 1e-300)));
        weight_left -= jobs[i].weight;
        if (limit <= std::max(min_share_s, jobs[i].before_s) || (cancel && *cancel)) continue;
        weight_running += jobs[i].weight;
      }
      try {
        jobs[i].answer = exact(jobs[i].sub, limit);
        jobs[i].limit_s = limit;
        jobs[i].ran = true;
      } catch (...) {
        // Rethrown on the calling thread once every worker has stopped.
        std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
        next = jobs.size();
      }
      std::lock_guard<std::mutex> lock(mu);
      weight_running -= jobs[i].weight;
    }
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace

BoundPart ModuleChainBound(const Problem& pr, double time_limit_s, const ExactSolveFn& exact,
                           int max_exact_nodes, const std::atomic<bool>* cancel, int threads,
                           const RelaxBoundFn& relax, SegmentStore* store, const ExactSolveFn& free_exact,
                           int free_min_nodes, std::atomic<bool>* free_done) {
  const Stopwatch clock;
  // free_done is set once the free segments' results are in the table and
  // the store, and on every way out.
  struct SetOnExit {
    std::atomic<bool>* flag;
    ~SetOnExit() {
      if (flag) *flag = true;
    }
  } done_on_exit{free_done};
  threads = std::max(1, threads);
  const ModuleStructure ms = FindModules(pr);
  const int m = pr.m();
  const int segs = static_cast<int>(ms.modules.size());
  const int cuts = static_cast<int>(ms.cut_nodes.size());
  auto entry_of = [&](int k) { return k > 0 ? ms.cut_nodes[k - 1] : -1; };
  auto exit_of = [&](int k) { return k < cuts ? ms.cut_nodes[k] : -1; };
  // Device slots: m devices, or one slot (index 0) when there is no node.
  auto slots = [&](int v) { return v >= 0 ? m : 1; };
  auto ok = [&](int v, int d) { return v < 0 || pr.allowed(v, d); };

  int energetic = 0;  // entries raised by DeviceEnergeticBound
  // table[k][a * m + b]
  std::vector<std::vector<Entry>> table(segs);
  for (int k = 0; k < segs; ++k) {
    // One LP per entry: on graphs of hundreds of segments the table alone
    // outlasts a short limit; then the plain module bound (valid) it is.
    if ((cancel && *cancel) || clock.seconds() >= time_limit_s)
      return BoundPart{"module_chain", ModuleBound(pr, ms),
                       fmt::format("time up after {} of {} segments of the table; module bound", k, segs)};
    table[k].resize(static_cast<size_t>(m) * m);
    int in = entry_of(k), out = exit_of(k);
    for (int a = 0; a < slots(in); ++a)
      for (int b = 0; b < slots(out); ++b) {
        if (!ok(in, a) || !ok(out, b)) continue;
        std::string err;
        Problem sub = split::SegmentProblem(pr, in, ms.modules[k], out, a, b, &err);
        Entry& en = table[k][a * m + b];
        if (!err.empty()) {
          // Cannot happen for a valid problem; stay with the cheap bound.
          return BoundPart{"module_chain", ModuleBound(pr, ms), "failed: " + err};
        }
        en.value = ComputeBounds(sub).best_s;
        // Per-device energetic reasoning (device_energetic.cc) while the
        // first 10% of the time lasts: it sees the entry's and exit's pins.
        if (static_cast<int>(ms.modules[k].size()) <= max_exact_nodes && clock.seconds() < 0.1 * time_limit_s &&
            !(cancel && *cancel)) {
          en.value = DeviceEnergeticBound(sub, en.value, 14);
          ++energetic;
        }
        if (store && !ms.modules[k].empty() && static_cast<int>(ms.modules[k].size()) <= max_exact_nodes)
          en.key = split::Signature(sub);
        if (static_cast<int>(ms.modules[k].size()) > max_exact_nodes) en.tried_s = kInf;
        if (!relax || static_cast<int>(ms.modules[k].size()) > max_exact_nodes) en.relaxed_s = kInf;
      }
  }

  // The free segments first (free_exact, docs/split.md "CP-SAT on the free
  // segments"): one solve per segment with its entry and exit free gives a
  // bound on every (a, b) at once, where the MILPs below need one solve per
  // entry (and seldom prove RandWire's 34-node segments at all).
  int free_solved = 0, free_proven = 0;
  double rounds_from_s = 0;  // when the MILP rounds below start
  // Segments whose free solve proved: their entries go to free_exact in the
  // rounds too (CP-SAT proves what the MILP leaves open there, and where
  // it could not prove the free segment the MILP's dual bound is the
  // better one; measured in docs/split.md).
  std::vector<char> exact_by_free(segs, 0);
  std::atomic<int> cp_entries{0};  // entries solved by free_exact in the rounds
  if (free_exact) {
    // Every big segment once (repeated blocks once); the jobs below run
    // until the phase ends.
    std::vector<int> big, job_of;  // segment -> its job (repeated blocks share one)
    std::vector<Job> jobs;
    std::map<std::string, int> by_key;
    for (int k = 0; k < segs; ++k) {
      const int size = static_cast<int>(ms.modules[k].size());
      if (size < std::max(1, free_min_nodes) || size > max_exact_nodes) continue;
      std::string err;
      Problem sub = split::SegmentProblem(pr, entry_of(k), ms.modules[k], exit_of(k), -1, -1, &err);
      if (!err.empty()) continue;
      std::string key = split::Signature(sub);
      auto [it, fresh] = by_key.emplace(key, static_cast<int>(jobs.size()));
      if (fresh) jobs.push_back(Job{std::move(sub), std::move(key), 1.0});
      big.push_back(k);
      job_of.push_back(it->second);
    }
    const double phase_end = kChainFreeShare * time_limit_s;
    // Up to kChainFreeMaxJobs at once, each until the phase ends: a segment
    // proves in a second or needs many, and one that proves hands its core
    // to the others (fixed shares left the hard one short, docs/split.md).
    const int workers = std::max(kChainFreeWorkers, std::min<int>(kChainFreeMaxJobs, static_cast<int>(jobs.size())));
    RunJobs(jobs, workers, [&] { return phase_end - clock.seconds(); }, 0.05, kInf, free_exact, cancel);
    for (const Job& j : jobs) {
      free_solved += j.ran;
      free_proven += j.ran && j.answer.kind == ExactAnswer::Kind::kOptimal;
    }
    rounds_from_s = clock.seconds();
    for (size_t t = 0; t < big.size(); ++t) {
      const Job& job = jobs[job_of[t]];
      if (!job.ran) continue;
      const int k = big[t], in = entry_of(k), out = exit_of(k);
      const Problem& sub = job.sub;
      const ExactAnswer& ans = job.answer;
      const bool proven = ans.kind == ExactAnswer::Kind::kOptimal;
      const bool bound = proven || ans.kind == ExactAnswer::Kind::kBound;
      exact_by_free[k] = proven;
      if (bound)  // the least over every (a, b) bounds each of them
        for (Entry& en : table[k])
          if (std::isfinite(en.value) && !en.proven) en.value = std::max(en.value, ans.value_s);
      if (ans.plan.device.size() != static_cast<size_t>(sub.n())) continue;
      // The plan's own entry: its devices at the two cut nodes; a proven
      // free optimum is that entry's optimum.
      const int a = in >= 0 ? ans.plan.device[0] : 0, b = out >= 0 ? ans.plan.device[sub.n() - 1] : 0;
      Entry& en = table[k][a * m + b];
      if (proven && std::isfinite(en.value)) {
        en.value = std::max(en.value, ans.value_s);
        en.proven = true;
      }
      if (store) {
        std::string err;
        const Problem pinned = split::SegmentProblem(pr, in, ms.modules[k], out, a, b, &err);
        if (err.empty())
          store->Offer(split::Signature(pinned), proven ? ans.value_s : 0, proven, &ans.plan, ans.plan_s);
        // The bound for the other entries too (the chain pass prunes with it).
        if (bound)
          for (const Entry& other : table[k])
            if (!other.key.empty()) store->Offer(other.key, ans.value_s, false, nullptr, kInf);
      }
    }
  }

  if (free_done) *free_done = true;

  // The MILPs, each on one distinct sub-problem (docs/split.md). There
  // used to be a phase 1 here, the MILP of each module alone, raising every
  // entry of its segment at once to p(entry, a) + the module's optimum:
  // measured, it took 0.4-0.7 s of a 1 s solve on small graphs and lowered
  // the bound at the default budget (inception_v3 2,199.5 -> 2,187.6 us on
  // paper, 1,776.0 -> 1,758.9 on modern; RandWire unchanged), since the
  // path's own entries, solved first, beat it.
  // One batch of distinct sub-problems through `fn`, with its cache and
  // counters: the MILPs (ExactSolveFn as given) and the relaxation (a
  // RelaxBoundFn seen as one: done -> kOptimal) share it.
  struct Runs {
    std::map<std::string, Outcome> cache;
    int ran = 0, done = 0, reused = 0;  // reused: cache hits and repeats within a batch
  };
  // A cached result is reused when it is proven or had at least cap_s (an
  // unproven value is still a valid bound; the new run would get no more
  // time); `subs` become the batch's jobs. Returns, per sub, its outcome
  // (nullopt: never solved), and whether anything ran or was reused.
  // exact: the answers are the exact solver's (offered to the store as
  // bounds, optima and plans); else the relaxation's (bounds only).
  auto run_batch = [&](Runs& runs, const ExactSolveFn& fn, bool exact_batch, std::vector<Problem> subs,
                       const std::function<double()>& left_s, double cap_s, bool* any) {
    std::vector<std::optional<Outcome>> out(subs.size());
    std::vector<Job> jobs;
    std::vector<int> job_of(subs.size(), -1);
    std::map<std::string, int> in_batch;
    const int ran_before = runs.ran, reused_before = runs.reused;
    for (size_t i = 0; i < subs.size(); ++i) {
      std::string key = split::Signature(subs[i]);
      const auto it = runs.cache.find(key);
      if (it != runs.cache.end() && (it->second.proven || it->second.limit_s >= cap_s)) {
        ++runs.reused;
        out[i] = it->second;
      } else if (auto jt = in_batch.find(key); jt != in_batch.end()) {
        ++runs.reused;
        job_of[i] = jt->second;
      } else {
        in_batch[key] = static_cast<int>(jobs.size());
        job_of[i] = static_cast<int>(jobs.size());
        jobs.push_back(Job{std::move(subs[i]), std::move(key), 1.0});
        if (it != runs.cache.end()) jobs.back().before_s = it->second.limit_s;
      }
    }
    RunJobs(jobs, threads, left_s, 0.02, cap_s, fn, cancel);
    for (Job& j : jobs) {
      if (!j.ran) continue;
      ++runs.ran;
      if (store) {
        const ExactAnswer& a = j.answer;
        if (exact_batch && (a.kind == ExactAnswer::Kind::kOptimal || a.kind == ExactAnswer::Kind::kBound))
          store->Offer(j.key, a.value_s, a.kind == ExactAnswer::Kind::kOptimal, &a.plan, a.plan_s);
        else if (exact_batch && !a.plan.device.empty())
          store->Offer(j.key, 0, false, &a.plan, a.plan_s);
        else if (!exact_batch && a.value_s > 0)
          store->Offer(j.key, a.value_s, false, nullptr, kInf);
      }
      Outcome oc;
      if (j.answer.kind == ExactAnswer::Kind::kOptimal) {
        oc = {j.answer.value_s, true};
        ++runs.done;
      } else if (j.answer.kind == ExactAnswer::Kind::kInfeasible) {
        oc = {kInf, true};
      } else if (j.answer.kind == ExactAnswer::Kind::kBound) {
        oc = {j.answer.value_s, false};
      }
      oc.limit_s = j.limit_s;  // also when the solver gave nothing
      // A shorter earlier run may have proved more (both are valid).
      if (auto it = runs.cache.find(j.key); it != runs.cache.end() && !oc.proven)
        oc.value = std::max(oc.value, it->second.value);
      runs.cache[j.key] = oc;
    }
    for (size_t i = 0; i < subs.size(); ++i)
      if (job_of[i] >= 0)
        if (auto c = runs.cache.find(jobs[job_of[i]].key); c != runs.cache.end()) out[i] = c->second;
    *any = runs.ran > ran_before || runs.reused > reused_before;
    return out;
  };
  Runs milp_runs, relax_runs;

  // Shortest path over the chain; fills `path` with (a, b) slots per segment.
  std::vector<std::pair<int, int>> path(segs);
  auto shortest = [&]() {
    return split::ChainShortestPath(ms, m, [&](int k, int ab) { return table[k][ab].value; }, &path);
  };

  // The MILP on the entries of the current shortest path, in
  // rounds of a per-entry limit that triples (from 10% of the time): when
  // a raised entry moves the path onto other (a, b) entries of a segment,
  // those get their turn before any entry gets a long solve (measured in
  // docs/split.md: the first batch used to take all the time, and the
  // path then settled on entries no MILP had seen). An entry not proven at
  // one limit is solved again at the next, from scratch (at most 1.5 times
  // its last round's time in all; twice that with a relaxation, which runs
  // first in each round and again inside MilpExactSolve()).
  // (Of the time the rounds have: after the free segments when they ran.)
  double step = std::max(0.05, 0.1 * (time_limit_s - rounds_from_s));
  double value = shortest();
  std::atomic<int> not_applied{0};  // relaxation calls outside its range
  // What the store holds (the chain pass's MILPs on the plan thread): every
  // entry raised to its record's bound, proven where the record is.
  long store_version = -1;
  int from_store = 0;  // entries raised by the store
  auto absorb = [&] {
    if (!store || store->version() == store_version) return;
    store_version = store->version();
    for (auto& row : table)
      for (Entry& en : row) {
        if (en.key.empty() || en.proven || !std::isfinite(en.value)) continue;
        const auto rec = store->Find(en.key, false);
        if (!rec) continue;
        if (rec->lower_s > en.value) en.value = rec->lower_s, ++from_store;
        if (rec->proven) en.proven = true;
      }
    value = shortest();
  };
  while (std::isfinite(value)) {
    if (time_limit_s - clock.seconds() <= 0.02 || (cancel && *cancel)) break;
    absorb();
    std::vector<int> todo;
    bool open = false;  // an entry on the path may still rise
    for (int k = 0; k < segs; ++k) {
      const Entry& en = table[k][path[k].first * m + path[k].second];
      if (ms.modules[k].empty() || en.proven || !std::isfinite(en.value) || en.tried_s == kInf) continue;
      open = true;
      if (en.tried_s < step) todo.push_back(k);
    }
    if (!open) break;
    if (todo.empty()) {
      if (step >= time_limit_s) break;  // every entry had the whole limit
      step *= 3;
      continue;
    }
    // The relaxation first on the small segments' entries (RelaxBoundFn):
    // proven in tenths of a second where the MILP takes seconds, it moves
    // the path before any MILP time is spent on an entry it would leave
    // (measured in docs/split.md). Cached by signature like the MILPs.
    std::vector<int> relax_todo;
    for (int k : todo)
      if (table[k][path[k].first * m + path[k].second].relaxed_s < step) relax_todo.push_back(k);
    if (!relax_todo.empty()) {
      std::vector<Problem> subs;
      for (int k : relax_todo) {
        auto [a, b] = path[k];
        std::string err;
        subs.push_back(split::SegmentProblem(pr, entry_of(k), ms.modules[k], exit_of(k), a, b, &err));
      }
      // Done -> kOptimal; a sub-problem outside the relaxation's range is
      // done too, with nothing learnt (value 0), and not counted.
      const ExactSolveFn as_exact = [&relax, &not_applied](const Problem& sub, double limit) {
        const RelaxAnswer r = relax(sub, limit);
        if (!r.applies) ++not_applied;
        ExactAnswer a;
        a.kind = !r.applies || r.done ? ExactAnswer::Kind::kOptimal : ExactAnswer::Kind::kBound;
        a.value_s = r.applies ? r.value_s : 0.0;
        return a;
      };
      bool any = false;
      const auto res = run_batch(relax_runs, as_exact, false, std::move(subs), [&] { return time_limit_s - clock.seconds(); },
                                 step, &any);
      for (size_t i = 0; i < relax_todo.size(); ++i) {
        const int k = relax_todo[i];
        Entry& en = table[k][path[k].first * m + path[k].second];
        en.relaxed_s = std::max(en.relaxed_s, step);  // tried at this round, whatever came of it
        if (!res[i]) continue;
        en.value = std::max(en.value, res[i]->value);
        if (res[i]->proven) en.relaxed_s = kInf;
      }
      if (any) {
        value = shortest();
        continue;  // the path may have moved: its new entries get the relaxation first
      }
      // Nothing could run (time is up): fall through to the MILPs' stop.
    }
    std::vector<Problem> subs;
    std::set<std::string> by_free;  // Signature()s of the entries for free_exact
    for (int k : todo) {
      auto [a, b] = path[k];
      table[k][a * m + b].tried_s = step;
      std::string err;
      subs.push_back(split::SegmentProblem(pr, entry_of(k), ms.modules[k], exit_of(k), a, b, &err));
      if (exact_by_free[k]) by_free.insert(split::Signature(subs.back()));
    }
    const ExactSolveFn pick = [&](const Problem& sub, double limit) {
      if (by_free.empty() || !by_free.count(split::Signature(sub))) return exact(sub, limit);
      ++cp_entries;
      return free_exact(sub, limit);
    };
    bool any = false;
    const auto res = run_batch(milp_runs, pick, true, std::move(subs), [&] { return time_limit_s - clock.seconds(); }, step,
                               &any);
    for (size_t i = 0; i < todo.size(); ++i) {
      if (!res[i]) continue;
      const int k = todo[i];
      Entry& en = table[k][path[k].first * m + path[k].second];
      en.value = std::max(en.value, res[i]->value);
      en.proven = res[i]->proven && std::isfinite(res[i]->value);
    }
    value = shortest();
    // Nothing ran and nothing was reused (no share of what is left beats an
    // earlier run's): stop, with what the cache gave applied.
    if (!any) break;
  }
  bool all_proven = std::isfinite(value);
  for (int k = 0; k < segs && all_proven; ++k)
    all_proven = ms.modules[k].empty() || table[k][path[k].first * m + path[k].second].proven;
  std::vector<BoundSegment> on_path;
  if (std::isfinite(value))
    for (int k = 0; k < segs; ++k) {
      if (ms.modules[k].empty()) continue;
      const Entry& en = table[k][path[k].first * m + path[k].second];
      on_path.push_back({k, static_cast<int>(ms.modules[k].size()), en.value, en.proven});
    }
  value = std::max(std::isfinite(value) ? value : 0.0, ModuleBound(pr, ms));
  if (pr.integral()) value = std::ceil(value - 1e-6);
  return BoundPart{"module_chain", value,
                   fmt::format("{} segments, {}{} MILPs ({} proven, {} reused{}), {}device_energetic on {} entries, {} thread{}{}{}", segs,
                               free_exact ? fmt::format("{} free segments ({} proven), ", free_solved, free_proven) : "",
                               milp_runs.ran, milp_runs.done, milp_runs.reused,
                               cp_entries > 0 ? fmt::format("; {} of them CP-SAT", cp_entries.load()) : "",
                               relax ? fmt::format("{} relaxations ({} done, {} reused), ", relax_runs.ran - not_applied,
                                                   relax_runs.done - not_applied, relax_runs.reused)
                                     : "",
                               energetic, threads, threads > 1 ? "s" : "",
                               store ? fmt::format(", {} entries raised by the shared store", from_store) : "",
                               all_proven ? ", shortest path all proven" : ""),
                   std::move(on_path)};
}

}  // namespace diviml
