// CBC backend (COIN-OR CBC 2.10 C++ API): the model is loaded whole into an
// OsiClpSolverInterface with names; LPs are solved by Clp directly, MIPs by
// CbcMain1 (the full CBC solver: preprocessing, cuts, heuristics) with
// "timeMode elapsed" so that the time limit is wall-clock (CBC counts CPU
// seconds otherwise). CBC's own printing is off (it would go to stdout);
// progress goes to MipOptions::progress from an event handler.
//
// CbcMain1 keeps some process-wide state, so CBC solves are serialised by a
// mutex: concurrent callers wait.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "CbcEventHandler.hpp"
#include "CbcModel.hpp"
#include "CbcSolver.hpp"
#include "ClpSimplex.hpp"
#include "CoinPackedMatrix.hpp"
#include "OsiClpSolverInterface.hpp"
#include "milp/backend.h"

namespace diviml::milp {
namespace {

// Below this many seconds left for CBC, its preprocessing and heuristics
// are off (see SolveLocked).
constexpr double kCbcShortSolveS = 6;

std::mutex& CbcMutex() {
  static std::mutex m;
  return m;
}

// What one CBC run ended with, gathered from whichever API solved it.
struct CbcOutcome {
  bool lp_only = false;
  // LP (Clp)
  bool lp_optimal = false, lp_infeasible = false, lp_unbounded = false, lp_limit = false;
  // MIP (CbcModel)
  int status = -1;            // CbcModel::status()
  int secondary = -1;         // CbcModel::secondaryStatus()
  bool proven_optimal = false, proven_infeasible = false;
  bool has_solution = false;
  bool stopped_by_us = false; // the event handler stopped on the known bound
  bool deadline_hit = false;  // the event handler stopped at the deadline or on interrupt
};

// The one place where CBC statuses become MipStatus.
MipStatus TranslateStatus(const CbcOutcome& o, std::string* note) {
  if (o.lp_only) {
    if (o.lp_optimal) return MipStatus::kOptimal;
    if (o.lp_infeasible) return MipStatus::kInfeasible;
    if (o.lp_unbounded) return MipStatus::kUnbounded;
    if (o.lp_limit) return MipStatus::kTimeLimit;
    *note = "Clp: LP not solved";
    return MipStatus::kError;
  }
  if (o.proven_optimal && o.has_solution) return MipStatus::kOptimal;
  // Stopped by us at the deadline: whatever CBC's codes say, nothing was
  // proven (a stop before any solution must not read as infeasible).
  if (o.deadline_hit) return MipStatus::kTimeLimit;
  if (o.proven_infeasible || (o.status == 0 && !o.has_solution) || o.secondary == 1) {
    if (o.has_solution) return MipStatus::kOptimal;  // cutoff proved the incumbent
    return MipStatus::kInfeasible;
  }
  if (o.secondary == 7) return MipStatus::kUnbounded;
  switch (o.secondary) {
    case 0: return o.has_solution ? MipStatus::kOptimal : MipStatus::kInfeasible;
    case 2: return o.has_solution ? MipStatus::kOptimal : MipStatus::kError;  // gap limit
    case 4: return MipStatus::kTimeLimit;
    case 3: case 5: case 6: case 8:
      if (o.has_solution) return MipStatus::kFeasible;
      *note = "CBC stopped (secondary status " + std::to_string(o.secondary) + ") without a solution";
      return MipStatus::kError;
    default: break;
  }
  if (o.status == 2) {
    *note = "CBC abandoned the search (numerical difficulties)";
    return o.has_solution ? MipStatus::kFeasible : MipStatus::kError;
  }
  if (o.status == 1 || o.status == 5) return o.has_solution ? MipStatus::kFeasible : MipStatus::kError;
  *note = "CBC status " + std::to_string(o.status) + "/" + std::to_string(o.secondary);
  return o.has_solution ? MipStatus::kFeasible : MipStatus::kError;
}

// Progress lines and the stop on the caller's known bound. CBC clones the
// handler into its working model; every clone shares one State.
class ProgressHandler : public CbcEventHandler {
 public:
  struct State {
    const MipOptions* options = nullptr;
    double sense = 1;        // +1 minimise, -1 maximise (CBC works minimising)
    double offset = 0;       // objective offset CBC does not know about
    std::chrono::steady_clock::time_point start;
    std::chrono::steady_clock::time_point deadline;  // MipBackend::Deadline
    double last_print = 0;
    bool stopped = false;       // on the known bound
    bool deadline_hit = false;  // at the deadline or on interrupt
  };
  explicit ProgressHandler(std::shared_ptr<State> s) : state_(std::move(s)) {}
  ProgressHandler(const ProgressHandler& o) : CbcEventHandler(o), state_(o.state_) {}
  CbcEventHandler* clone() const override { return new ProgressHandler(*this); }

  CbcAction event(CbcEvent which) override {
    State& s = *state_;
    const MipOptions& o = *s.options;
    // The deadline and the caller's interrupt, at every event CBC raises
    // (its "-sec" is checked between nodes only: root cuts and heuristics
    // overran a 1 s limit by up to 1.1 s on inception_v3). The solve
    // ends as on CBC's own time limit.
    if (which != endSearch && which != beforeSolution1 && which != beforeSolution2 &&
        which != convertToCuts && MipShouldStop(o, s.deadline)) {
      s.deadline_hit = true;
      return stop;
    }
    if (which != node && which != treeStatus && which != solution && which != heuristicSolution)
      return noAction;
    if (!model_) return noAction;
    // CbcModel reports in the minimisation sense of its solver.
    const double inc_min = model_->getObjValue();  // internal, with sense applied
    const bool has_inc = model_->bestSolution() != nullptr && std::fabs(inc_min) < 1e49;
    const double incumbent = has_inc ? inc_min + s.offset : NAN;
    const double bound = model_->getBestPossibleObjValue() + s.offset;
    if (std::isfinite(o.known_bound) && has_inc) {
      const double tol = OptimalityTolerance(incumbent, o.abs_gap_limit, o.gap_limit);
      if (s.sense * (incumbent - o.known_bound) <= tol) {
        s.stopped = true;
        return stop;
      }
    }
    if (o.progress) {
      const double t =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - s.start).count();
      if (t >= 1.0 && t >= s.last_print + 1.0) {
        s.last_print = t;
        MipProgress p;
        p.backend = "cbc";
        p.elapsed_s = t;
        p.incumbent = has_inc ? incumbent : kMipInf;
        p.bound = bound;
        p.gap = has_inc ? std::fabs(incumbent - bound) / std::max(std::fabs(incumbent), 1e-9) : kMipInf;
        p.nodes = model_->getNodeCount();
        o.progress(p);
      }
    }
    return noAction;
  }

 private:
  std::shared_ptr<State> state_;
};

std::string Fmt(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

class CbcBackend : public MipBackend {
 public:
  std::string name() const override { return "cbc"; }

  void Run(const MipModel& model, const MipOptions& options, Clock::time_point t0,
           MipResult* out) const override {
    MipResult& result = *out;
    try {
      std::lock_guard<std::mutex> lock(CbcMutex());
      SolveLocked(model, options, t0, &result);
    } catch (const CoinError& e) {
      result = MipResult{};
      result.backend = name();
      result.status = MipStatus::kError;
      result.message = "CBC error: " + e.message() + " in " + e.methodName();
    } catch (const std::exception& e) {
      result = MipResult{};
      result.backend = name();
      result.status = MipStatus::kError;
      result.message = std::string("CBC error: ") + e.what();
    }
  }

 private:
  void SolveLocked(const MipModel& model, const MipOptions& options,
                   std::chrono::steady_clock::time_point t0, MipResult* result) const {
    const int n = model.num_columns(), m = model.num_rows();
    const double sense = model.minimise ? 1.0 : -1.0;
    OsiClpSolverInterface solver;
    const double inf = solver.getInfinity();
    auto clip = [&](double v) { return v >= kMipInf ? inf : (v <= -kMipInf ? -inf : v); };

    // Row-wise packed matrix, built in one piece: O(nonzeros log) (one
    // appendRow per row reallocated and took 0.88 s on inception_v3's
    // 9,248 rows and 45k nonzeros).
    std::vector<double> collb(n), colub(n), obj(n), rowlb(m), rowub(m);
    for (int j = 0; j < n; ++j) {
      collb[j] = clip(model.columns[j].lb);
      colub[j] = clip(model.columns[j].ub);
      obj[j] = model.columns[j].cost;
    }
    std::vector<CoinBigIndex> starts(m + 1, 0);
    std::vector<int> lengths(m), idx;
    std::vector<double> val;
    std::vector<std::pair<int, double>> terms;
    for (int i = 0; i < m; ++i) {
      const MipRow& r = model.rows[i];
      // Merge duplicate column indices (CoinPackedMatrix rejects them).
      terms.clear();
      for (size_t k = 0; k < r.index.size(); ++k) terms.emplace_back(r.index[k], r.value[k]);
      std::sort(terms.begin(), terms.end());
      const size_t first = idx.size();
      for (const auto& [c, v] : terms) {
        if (idx.size() > first && idx.back() == c) val.back() += v;
        else { idx.push_back(c); val.push_back(v); }
      }
      starts[i + 1] = static_cast<CoinBigIndex>(idx.size());
      lengths[i] = static_cast<int>(idx.size() - first);
      rowlb[i] = clip(r.lb);
      rowub[i] = clip(r.ub);
    }
    CoinPackedMatrix matrix(false, n, m, static_cast<CoinBigIndex>(idx.size()), val.data(), idx.data(),
                            starts.data(), lengths.data());
    solver.loadProblem(matrix, collb.data(), colub.data(), obj.data(), rowlb.data(), rowub.data());
    solver.setObjSense(sense);
    const std::vector<std::string> cn = ColumnNames(model), rn = RowNames(model);
    for (int j = 0; j < n; ++j) solver.setColName(j, cn[j]);
    for (int i = 0; i < m; ++i) solver.setRowName(i, rn[i]);
    for (int j = 0; j < n; ++j)
      if (model.columns[j].is_integer) solver.setInteger(j);
    solver.messageHandler()->setLogLevel(0);
    solver.getModelPtr()->messageHandler()->setLogLevel(0);

    CbcOutcome out;
    if (!model.is_mip()) {
      // LP: Clp directly.
      out.lp_only = true;
      if (std::isfinite(options.time_limit_s))
        solver.getModelPtr()->setMaximumWallSeconds(std::max(0.0, options.time_limit_s));
      solver.initialSolve();
      out.lp_optimal = solver.isProvenOptimal();
      out.lp_infeasible = solver.isProvenPrimalInfeasible();
      out.lp_unbounded = solver.isProvenDualInfeasible();
      out.lp_limit = solver.isIterationLimitReached();
      std::string note;
      result->status = TranslateStatus(out, &note);
      if (!note.empty()) result->message = note;
      if (out.lp_optimal) {
        const double* x = solver.getColSolution();
        result->solution.assign(x, x + n);
        result->dual_bound = solver.getObjValue() + model.objective_offset;
        const double* y = solver.getRowPrice();
        if (y) result->row_dual.assign(y, y + m);
      }
      return;
    }

    // The root LP first, under the deadline: CbcMain1 raises no event
    // before it has solved it (0.9 s on inception_v3's MILP) and starts
    // from this basis. Not solved in the time left: time limit, no plan.
    if (std::isfinite(options.time_limit_s)) {
      const double left = options.time_limit_s -
                          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      ClpSimplex* clp = solver.getModelPtr();
      clp->setMaximumWallSeconds(std::max(0.01, left));
      solver.initialSolve();
      clp->setMaximumWallSeconds(-1);
      if (!solver.isProvenOptimal() && !solver.isProvenPrimalInfeasible() && !solver.isProvenDualInfeasible()) {
        result->status = MipStatus::kTimeLimit;
        result->message = "CBC: the root LP was not solved in the time left";
        return;
      }
    }

    CbcModel cbc(solver);
    CbcSolverUsefulData data;
    data.noPrinting_ = true;
    data.useSignalHandler_ = false;
    CbcMain0(cbc, data);
    data.noPrinting_ = true;
    data.useSignalHandler_ = false;
    cbc.setLogLevel(0);
    cbc.messageHandler()->setLogLevel(0);
    cbc.solver()->messageHandler()->setLogLevel(0);

    auto state = std::make_shared<ProgressHandler::State>();
    state->options = &options;
    state->sense = sense;
    state->offset = model.objective_offset;
    state->start = t0;
    state->deadline = MipDeadline(options, t0);
    ProgressHandler handler(state);
    cbc.passInEventHandler(&handler);

    // Warm start: CBC's MIP start takes the integer values by column name
    // and solves an LP for the rest.
    if (!options.initial_solution.empty()) {
      std::string where;
      const double viol = model.MaxViolation(options.initial_solution, &where);
      if (viol <= 1e-6) {
        std::vector<std::pair<std::string, double>> start;
        start.reserve(n);
        for (int j = 0; j < n; ++j) start.emplace_back(cn[j], options.initial_solution[j]);
        cbc.setMIPStart(start);
        result->warm_start_accepted = true;
      } else {
        result->message = "warm start rejected (" + where + " violated by " +
                          std::to_string(viol) + ")";
      }
    }

    std::vector<std::string> args = {"diviml", "-log", "0", "-timeMode", "elapsed"};
    if (std::isfinite(options.time_limit_s)) {
      // Time already spent building counts against the limit.
      const double spent =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const double left = std::max(0.01, options.time_limit_s - spent);
      args.insert(args.end(), {"-sec", Fmt(left)});
      // Short solves go without CBC's preprocessing and primal heuristics:
      // CBC 2.10 can crash in CglPreProcess::postProcess when its time
      // limit strikes within the first second or so (1 in 20 runs of
      // googlenet at --time-limit 1, none in 40 at 2 s or more), and a
      // heuristic runs up to 0.7 s without an event at which the deadline
      // could stop it (inception_v3). The warm start (our heuristics'
      // plan) is still used.
      if (left < kCbcShortSolveS)
        args.insert(args.end(), {"-preprocess", "off", "-heuristicsOnOff", "off"});
    }
    args.insert(args.end(), {"-ratioGap", Fmt(std::max(0.0, options.gap_limit))});
    args.insert(args.end(), {"-allowableGap", Fmt(std::max(1e-9, options.abs_gap_limit))});
    args.insert(args.end(), {"-threads", std::to_string(std::max(1, options.threads) > 1
                                                            ? std::max(1, options.threads) : 0)});
    const int seed = static_cast<int>(options.seed % 2147483647ull);
    args.insert(args.end(), {"-randomSeed", std::to_string(seed + 1)});
    args.insert(args.end(), {"-randomCbcSeed", std::to_string(seed + 1)});
    // CbcMain1 takes the cutoff in the model's own sense.
    if (std::isfinite(options.objective_cutoff))
      args.insert(args.end(),
                  {"-cutoff", Fmt(options.objective_cutoff - model.objective_offset)});
    args.insert(args.end(), {"-solve", "-quit"});
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    CbcMain1(static_cast<int>(argv.size()), argv.data(), cbc, nullptr, data);

    out.status = cbc.status();
    out.secondary = cbc.secondaryStatus();
    out.proven_optimal = cbc.isProvenOptimal();
    out.proven_infeasible = cbc.isProvenInfeasible();
    const double* best = cbc.bestSolution();
    out.has_solution = best != nullptr && cbc.getMinimizationObjValue() < 1e49;
    out.stopped_by_us = state->stopped;
    out.deadline_hit = state->deadline_hit && !state->stopped;
    if (out.has_solution && cbc.getNumCols() == n) result->solution.assign(best, best + n);
    else out.has_solution = false;
    std::string note;
    result->status = TranslateStatus(out, &note);
    if (out.stopped_by_us && out.has_solution) result->status = MipStatus::kFeasible;  // FinishResult upgrades
    if (!note.empty()) result->message += (result->message.empty() ? "" : "; ") + note;
    const double bound = cbc.getBestPossibleObjValue();
    if (std::fabs(bound) < 1e49) result->dual_bound = bound + model.objective_offset;
    result->nodes = cbc.getNodeCount();
  }
};

}  // namespace

std::unique_ptr<MipBackend> MakeCbcBackend() { return std::make_unique<CbcBackend>(); }

}  // namespace diviml::milp
