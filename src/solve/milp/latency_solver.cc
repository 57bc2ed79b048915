// "milp": bounds, primal heuristics, the latency MILP, plan extraction. See
// include/diviml/milp.h for the phases and statuses and docs/milp.md for
// what was measured.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "bound/subproblem.h"
#include "diviml/bound/bounds.h"
#include "diviml/bound/segment_store.h"
#include "diviml/core/evaluate.h"
#include "diviml/solve/heuristics.h"
#include "diviml/solve/milp.h"
#include "milp/backend.h"
#include "diviml/bound/bounds.h"
#include "solve/milp/latency_model.h"
#include "solve/milp/latency_timeindexed.h"
#include "util/stopwatch.h"

namespace diviml {
namespace {

// Above this many nodes the energetic bound (O(V^3 log)) is not tried.
constexpr int kEnergeticMaxNodes = 400;
// Above this many (unordered incomparable node pairs) x devices the
// disjunctive MILP is not built (it would take gigabytes).
// Nor when it would not be built and presolved in the time left: measured
// on 2 loaded cores, 1M pairs x devices took 5 s to build and HiGHS's
// presolve 30 s more, so 5e4 per second of the limit is allowed.
constexpr double kMaxDisjunctivePairs = 2e6;
constexpr double kPairsPerSecond = 5e4;

// Unordered pairs of nodes that no path orders (the pairs the disjunctive
// model must order by binaries); n^2/2 above 16384 nodes, where the
// reachability closure would be too big to build. O(V * E / 64).
double UnorderedPairs(const Problem& pr) {
  const double n = pr.n();
  if (pr.n() > 16384) return n * (n - 1) / 2;
  const Reachability& reach = pr.reach();
  double free = 0;
  for (int v = 0; v < pr.n(); ++v) free += n - 1 - reach.num_ancestors(v) - reach.num_descendants(v);
  return free / 2;
}

bool Meets(double makespan, double lb, bool integral) { return milp::MakespanMeets(makespan, lb, integral); }

// A bound with solver noise removed: rounded up when every makespan is a
// whole number (1e-6 slack so 130.9999997 counts as 131).
double CleanBound(double b, bool integral) {
  if (!std::isfinite(b)) return b;
  return integral ? std::ceil(b - 1e-6) : b;
}

class MilpSolver : public Solver {
 public:
  explicit MilpSolver(const MilpOptions& o) : opt_(o) {}
  std::string name() const override { return "milp"; }

  // Backends' tolerances are absolute (about 1e-7..1e-6): with makespans
  // in seconds (often 1e-4 s) they would prove plans optimal that are 1%
  // above the optimum. Unless every time is a whole number, the problem is
  // solved with times scaled by a power of ten that puts the sum of the
  // fastest node times near 1000, and the answer converted back.
  SolveResult Solve(const Problem& pr, const SolveOptions& so) override {
    double total = 0;
    for (int i = 0; i < pr.n(); ++i) total += pr.min_p(i);
    if (pr.integral() || !(total > 0) || !std::isfinite(total)) return SolveInUnits(pr, so);
    const double factor = std::pow(10.0, std::round(std::log10(1000.0 / total)));
    if (factor <= 10) return SolveInUnits(pr, so);
    SolveOptions scaled_so = so;
    scaled_so.known_lower_bound_s = so.known_lower_bound_s * factor;
    if (so.progress)  // reports in the problem's units, not the scaled ones
      scaled_so.progress = [&so, factor](const Progress& p) {
        Progress q = p;
        q.incumbent /= factor;
        q.bound /= factor;
        so.progress(q);
      };
    SolveResult r = SolveInUnits(ScaleTimes(pr, factor), scaled_so);
    if (r.plan.device.empty()) {
      r.lower_bound_s /= factor;
      r.makespan_s /= factor;
      return r;
    }
    Evaluation ev = Evaluate(pr, r.plan);
    r.schedule = ev.schedule;
    r.makespan_s = ev.makespan_s;
    // Proven optimal: the makespan is the bound (within the tolerance the
    // proof used). Otherwise the dual bound, converted back, never clamped.
    r.lower_bound_s = r.status == SolveStatus::kOptimal ? ev.makespan_s : r.lower_bound_s / factor;
    return r;
  }

 private:
  SolveResult SolveInUnits(const Problem& pr, const SolveOptions& so) {
    Stopwatch clock;
    SolveResult r;
    r.solver = name();
    const int n = pr.n(), m = pr.m();
    const bool integral = pr.integral();
    const double limit = so.time_limit_s > 0 ? so.time_limit_s : 0;
    auto remaining = [&] { return limit - clock.seconds(); };
    auto progress = [&](const std::string& line, double incumbent, double bound) {
      if (!so.progress || clock.seconds() < 1.0) return;
      Progress p;
      p.source = "milp";
      p.incumbent = incumbent;
      p.bound = bound;
      if (std::isfinite(incumbent) && bound > 0) p.gap = (incumbent - bound) / bound;
      p.elapsed_s = clock.seconds();
      p.message = line;
      so.progress(p);
    };
    if (n == 0 || m == 0) {
      r.status = n == 0 ? SolveStatus::kOptimal : SolveStatus::kInfeasible;
      r.plan.order.assign(m, {});
      r.makespan_s = 0;
      r.message = n == 0 ? "empty graph" : "no devices";
      r.solve_time_s = clock.seconds();
      return r;
    }

    // 1. The lower bound.
    double lb = std::max(ComputeBounds(pr).best_s, so.known_lower_bound_s);
    lb = CleanBound(lb, integral);

    // 2. Primal heuristics; keep the best plan that Evaluate() accepts
    //    (heuristics ignore memory capacities, so a plan may be rejected).
    Plan best_plan;
    double best = kUnlimited;
    std::string best_from;
    auto offer = [&](const Plan& plan, const std::string& from) {
      if (plan.device.size() != static_cast<size_t>(n)) return;
      Evaluation ev = Evaluate(pr, plan);
      if (!ev.valid || !(ev.makespan_s < best)) return;
      best = ev.makespan_s;
      best_plan = plan;
      best_from = from;
    };
    for (const Plan& p : opt_.start_plans) offer(p, "start plan");
    if (opt_.run_heuristics) {
      SolveOptions ho;
      ho.seed = so.seed;
      ho.interrupt = so.interrupt;
      ho.known_lower_bound_s = lb;
      ho.interrupt = so.interrupt;
      ho.time_limit_s = std::isfinite(limit) ? std::max(0.0, remaining()) : limit;
      offer(MakeHeftSolver()->Solve(pr, ho).plan, "heft");
      if (!Meets(best, lb, integral)) offer(MakePeftSolver()->Solve(pr, ho).plan, "peft");
      // Randomized list scheduling, rounds of fresh seeds until the bound
      // is met, the heuristics' share of the time limit is spent, or
      // opt_.rls_rounds rounds have run.
      const double rls_end = std::isfinite(limit) ? limit * opt_.heuristic_share : kUnlimited;
      for (int round = 0; round < std::max(1, opt_.rls_rounds) && !Meets(best, lb, integral); ++round) {
        if (round > 0 && (clock.seconds() >= rls_end || Interrupted(so))) break;
        RandomListOptions ro;
        ro.max_tries = opt_.rls_tries;
        ho.seed = so.seed + 7919ull * round;
        ho.time_limit_s = std::isfinite(rls_end) ? std::max(0.0, rls_end - clock.seconds()) : kUnlimited;
        offer(MakeRandomListSolver(ro)->Solve(pr, ho).plan, "rls");
        // The energetic bound needs a feasible makespan as its ceiling. It
        // is O(V^3 log): skipped above kEnergeticMaxNodes (6,000 nodes took
        // minutes).
        if (round == 0 && opt_.energetic_bound && n <= kEnergeticMaxNodes && std::isfinite(best) &&
            !Meets(best, lb, integral) && !Interrupted(so)) {
          lb = CleanBound(EnergeticBound(pr, lb, best), integral);
          ho.known_lower_bound_s = lb;
        }
      }
      progress("heuristics: best " + Fmt(best) + " (" + best_from + ")", best, lb);
    }
    const bool dump = !so.dump_model.empty();
    if (Meets(best, lb, integral) && !dump) {
      return Finish(pr, best_plan, lb, SolveStatus::kOptimal,
                    best_from + " meets the lower bound; no MILP needed", clock);
    }
    if (Interrupted(so) && std::isfinite(best))
      return Finish(pr, best_plan, lb, SolveStatus::kTimeLimit, "interrupted; best plan from " + best_from, clock);

    // 3. The MILP, unless the time is up or the model would not fit in
    //    memory (the disjunctive model has a row pair per device and
    //    unordered pair of nodes; 6,000 nodes ran out of 24 GB).
    if (!dump && std::isfinite(best)) {
      std::string skip;
      if (Interrupted(so) || (std::isfinite(limit) && remaining() <= 0.02 * limit)) {
        skip = "time limit reached before the MILP";
      } else if (const double pairs = UnorderedPairs(pr) * m;
                 pairs > std::min(kMaxDisjunctivePairs, kPairsPerSecond * remaining()) && opt_.formulation != MilpOptions::Formulation::kTimeIndexed &&
                 !(opt_.formulation != MilpOptions::Formulation::kDisjunctive && milp::TimeIndexedApplies(pr) &&
                   milp::TimeIndexedColumns(pr, std::llround(best)) <= opt_.time_indexed_max_columns)) {
        skip = fmt::format("MILP skipped: {:.3g} unordered node pairs x devices, more than {:.3g} (or {:.3g} per "
                           "second left)", pairs, kMaxDisjunctivePairs, kPairsPerSecond);
      }
      if (!skip.empty()) {
        const SolveStatus st = skip.rfind("time", 0) == 0 ? SolveStatus::kTimeLimit : SolveStatus::kFeasible;
        return Finish(pr, best_plan, lb, st, skip + "; returning " + best_from, clock);
      }
    }
    double ub = best;
    if (!std::isfinite(ub)) {
      // Every node run alone, one after another, with every transfer paid:
      // no better plan exists than some plan at most this long.
      ub = 0;
      for (int i = 0; i < n; ++i) {
        double worst = 0;
        for (int d = 0; d < m; ++d) worst = std::max(worst, pr.p(i, d));
        ub += worst;
      }
      for (int e = 0; e < pr.graph().num_edges(); ++e) {
        double worst = 0;
        for (int d = 0; d < m; ++d)
          for (int f = 0; f < m; ++f) worst = std::max(worst, pr.comm(e, d, f));
        ub += worst;
      }
      ub = std::max(ub, lb);
    }
    const bool strict = opt_.strict_improvement && integral && std::isfinite(best);
    milp::LatencyModelInput in;
    in.lower_bound = lb;
    in.upper_bound = strict ? best - 1 : ub;
    in.options = opt_;
    in.integral_makespan = integral;
    if (strict && in.upper_bound < lb) {
      return Finish(pr, best_plan, best, SolveStatus::kOptimal,
                    "no whole-number makespan between the bound and " + best_from, clock);
    }
    // The formulation: time-indexed where it applies and stays small,
    // else disjunctive.
    bool use_ti = false;
    if (opt_.formulation != MilpOptions::Formulation::kDisjunctive && milp::TimeIndexedApplies(pr)) {
      const long long cols = milp::TimeIndexedColumns(pr, std::llround(in.upper_bound));
      use_ti = opt_.formulation == MilpOptions::Formulation::kTimeIndexed ||
               cols <= opt_.time_indexed_max_columns;
    }
    milp::LatencyModel lm;
    milp::TimeIndexedModel ti;
    if (use_ti) {
      ti = milp::BuildTimeIndexedModel(pr, std::llround(lb), std::llround(in.upper_bound));
    } else {
      lm = milp::BuildLatencyModel(pr, in);
    }
    const milp::MipModel& model = use_ti ? ti.model : lm.model;
    const std::string& summary = use_ti ? ti.summary : lm.summary;
    if (dump) {
      std::string err = milp::WriteLpFormat(model, so.dump_model);
      if (!err.empty()) {
        r.status = SolveStatus::kError;
        r.message = err;
        r.solve_time_s = clock.seconds();
        return r;
      }
      if (Meets(best, lb, integral))
        return Finish(pr, best_plan, lb, SolveStatus::kOptimal,
                      best_from + " meets the lower bound; model written, not solved", clock);
    }
    std::string why;
    auto backend = milp::MakeBackend(so.milp_backend, &why);
    if (!backend) {
      if (std::isfinite(best)) {
        return Finish(pr, best_plan, lb, SolveStatus::kError, why + "; returning " + best_from, clock);
      }
      r.status = SolveStatus::kError;
      r.message = why;
      r.solve_time_s = clock.seconds();
      return r;
    }
    milp::MipOptions mo;
    // A reserve for what the backend does past its deadline (HiGHS's
    // presolve and postsolve call no interrupt callback; measured overruns
    // of 0.6-0.8 s on 2 loaded cores) and for decoding the plan.
    const double reserve = std::min(0.3, 0.1 * limit);
    mo.time_limit_s = std::isfinite(limit) ? std::max(0.01, remaining() - reserve) : milp::kMipInf;
    mo.gap_limit = std::max(0.0, so.gap_limit);
    if (integral) mo.abs_gap_limit = 1 - 1e-6;
    mo.threads = std::max(1, so.threads);
    mo.seed = so.seed;
    if (so.progress)
      mo.progress = [&so](const milp::MipProgress& mp) {
        Progress p;
        p.source = mp.backend;
        p.incumbent = mp.incumbent;
        p.bound = mp.bound;
        p.gap = std::isfinite(mp.gap) ? mp.gap : std::numeric_limits<double>::quiet_NaN();
        p.elapsed_s = mp.elapsed_s;
        p.message = "nodes " + std::to_string(mp.nodes);
        so.progress(p);
      };
    mo.known_bound = lb;
    mo.interrupt = so.interrupt;
    if (opt_.warm_start && std::isfinite(best) && !strict)
      mo.initial_solution = use_ti ? milp::EncodeTimeIndexed(pr, ti, best_plan)
                                   : milp::EncodePlan(pr, lm, best_plan);
    progress("MILP (" + backend->name() + "): " + summary, best, lb);
    milp::MipResult mr = backend->Solve(model, mo);

    // 4. The plan of the MILP's solution, when better.
    std::string note = backend->name() + ": " + milp::MipStatusName(mr.status) + ", " +
                       std::to_string(mr.nodes) + " nodes; " + summary;
    if (!best_from.empty()) note += "; warm start " + best_from + " " + Fmt(best) +
                                    (mr.warm_start_accepted ? " (accepted)" : "");
    if (!mr.message.empty()) note += "; " + mr.message;
    if (mr.has_solution())
      offer(use_ti ? milp::DecodeTimeIndexed(pr, ti, mr.solution) : milp::DecodePlan(pr, lm, mr.solution),
            "milp");
    double dual = CleanBound(mr.dual_bound, integral);
    if (mr.status == milp::MipStatus::kInfeasible) {
      // No plan with makespan <= the model's upper bound exists.
      if (!std::isfinite(best)) {
        r.status = SolveStatus::kInfeasible;
        r.message = "no plan fits the memory capacities; " + note;
        r.solve_time_s = clock.seconds();
        return r;
      }
      dual = strict ? best : in.upper_bound;  // the heuristic plan is optimal
    } else if (strict && std::isfinite(dual)) {
      // The model only covers makespans <= best - 1; OPT is one of them or best.
      dual = std::min(dual, best);
    }
    if (mr.status == milp::MipStatus::kError && !std::isfinite(best)) {
      r.status = SolveStatus::kError;
      r.message = note;
      r.solve_time_s = clock.seconds();
      return r;
    }
    const double final_lb = std::max(lb, std::isfinite(dual) ? dual : 0.0);
    SolveStatus st;
    if (!std::isfinite(best)) {
      st = mr.status == milp::MipStatus::kTimeLimit ? SolveStatus::kNoSolutionFound : SolveStatus::kError;
    } else if (Meets(best, final_lb, integral)) {
      st = SolveStatus::kOptimal;
    } else if (mr.status == milp::MipStatus::kError) {
      st = SolveStatus::kError;
    } else if (mr.status == milp::MipStatus::kTimeLimit || Interrupted(so) ||
               (std::isfinite(limit) && clock.seconds() >= limit)) {
      st = SolveStatus::kTimeLimit;
    } else {
      st = SolveStatus::kFeasible;
    }
    if (!std::isfinite(best)) {
      r.status = st;
      r.message = "no plan found; " + note;
      r.lower_bound_s = final_lb;
      r.solve_time_s = clock.seconds();
      return r;
    }
    progress(std::string("done: ") + StatusName(st) + " (" + best_from + ")", best, final_lb);
    return Finish(pr, best_plan, final_lb, st, "best plan from " + best_from + "; " + note, clock);
  }

  static std::string Fmt(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
  }

  SolveResult Finish(const Problem& pr, const Plan& plan, double lb, SolveStatus st,
                     const std::string& message, const Stopwatch& clock) {
    SolveResult r;
    r.solver = name();
    r.plan = plan;
    Evaluation ev = Evaluate(pr, plan);
    r.schedule = ev.schedule;
    r.makespan_s = ev.makespan_s;
    // Optimal: proven within tolerance, so the bound is the makespan.
    // Otherwise the proven bound as it is: a bound above the plan is a bug
    // the pipeline must see, never clamped here.
    r.lower_bound_s = st == SolveStatus::kOptimal ? r.makespan_s : lb;
    r.status = st;
    r.message = message;
    r.solve_time_s = clock.seconds();
    return r;
  }

  MilpOptions opt_;
};

}  // namespace

std::unique_ptr<Solver> MakeMilpSolver(const MilpOptions& options) {
  return std::make_unique<MilpSolver>(options);
}

// AssignmentBound inside MilpExactSolve (docs/bounds.md, "assignment"): it
// runs first, for at most kAssignmentShare of the time on sub-problems of
// more than kAssignmentMinNodes nodes and kAssignmentSmallShare on smaller
// ones, and the MILP gets its value as known bound. Measured on the zoo,
// the disjunctive MILP proves most segments of up to 24 nodes in split's
// budget (inception_v3: 15 of 29) and 40% taken from it lowered the bound
// (2,178 -> 2,165 us); on RandWire's 26-34-node segments it proved none.
// With a quarter on the small ones the assignment, which proves most of
// them in 0.02-1.1 s and is above the MILP's own dual on some (inception:
// 113.0 vs 106.4 us on a 22-node segment), raised it (docs/split.md).
const int kAssignmentMinNodes = 24;
const double kAssignmentShare = 0.4;
const double kAssignmentSmallShare = 0.25;

ExactSolveFn MilpExactSolve(const std::string& milp_backend, const std::atomic<bool>* interrupt,
                            const SegmentStore* store) {
  return [milp_backend, interrupt, store](const Problem& sub, double time_limit_s) {
    const Stopwatch clock;
    double known = 0;
    if (sub.m() >= 2)
      known = AssignmentBound(sub, (sub.n() > kAssignmentMinNodes ? kAssignmentShare : kAssignmentSmallShare) * time_limit_s,
                              milp_backend, interrupt)
                  .value_s;
    SolveOptions o;
    o.time_limit_s = std::max(0.0, time_limit_s - clock.seconds());
    o.known_lower_bound_s = known;
    o.milp_backend = milp_backend;
    o.interrupt = interrupt;
    // The assignment bound's ancestor rows in the disjunctive MILP of a
    // segment (measured in docs/split.md; off for the full MILP, where they
    // slowed the proof).
    MilpOptions mo;
    mo.ancestor_rows = true;
    if (store)
      if (auto rec = store->Find(split::Signature(sub)); rec && !rec->plan.device.empty())
        mo.start_plans.push_back(std::move(rec->plan));
    ExactAnswer a = ToExactAnswer(MakeMilpSolver(mo)->Solve(sub, o));
    // The MILP reports at least `known` as its bound; should it fail
    // outright, the assignment bound still holds.
    if (a.kind == ExactAnswer::Kind::kNone && known > 0) {
      a.kind = ExactAnswer::Kind::kBound;
      a.value_s = known;
    }
    return a;
  };
}

}  // namespace diviml
