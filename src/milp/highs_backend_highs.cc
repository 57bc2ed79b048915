// HiGHS backend (C++ API of HiGHS 1.10): the model is passed whole as a
// column-wise HighsModel with integrality and names; HiGHS's own log stays
// off (it would go to stdout, which carries --json); progress goes to
// MipOptions::progress from the MIP callbacks instead.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "Highs.h"
#include "lp_data/HighsModelUtils.h"
#include "milp/backend.h"

namespace diviml::milp {
namespace {

// The one place where HiGHS statuses become MipStatus.
MipStatus TranslateStatus(HighsStatus run_status, HighsModelStatus ms, bool has_solution,
                          std::string* note) {
  switch (ms) {
    case HighsModelStatus::kOptimal:
      return MipStatus::kOptimal;
    case HighsModelStatus::kInfeasible:
      return MipStatus::kInfeasible;
    case HighsModelStatus::kUnbounded:
      return MipStatus::kUnbounded;
    case HighsModelStatus::kUnboundedOrInfeasible:
      *note = "HiGHS: unbounded or infeasible";
      return MipStatus::kUnbounded;
    case HighsModelStatus::kTimeLimit:
      return MipStatus::kTimeLimit;
    case HighsModelStatus::kObjectiveBound:
      if (has_solution) return MipStatus::kFeasible;
      *note = "no solution better than the objective cutoff";
      return MipStatus::kInfeasible;
    case HighsModelStatus::kInterrupt:
      // Only our known-bound callback interrupts; FinishResult says why.
      if (has_solution) return MipStatus::kFeasible;
      *note = "HiGHS interrupted without a solution";
      return MipStatus::kError;
    case HighsModelStatus::kObjectiveTarget:
    case HighsModelStatus::kIterationLimit:
    case HighsModelStatus::kSolutionLimit:
    case HighsModelStatus::kMemoryLimit:
    case HighsModelStatus::kUnknown:
      *note = std::string("HiGHS stopped: ") + utilModelStatusToString(ms);
      return has_solution ? MipStatus::kFeasible : MipStatus::kError;
    case HighsModelStatus::kModelEmpty:
      return MipStatus::kOptimal;
    case HighsModelStatus::kNotset:
    case HighsModelStatus::kLoadError:
    case HighsModelStatus::kModelError:
    case HighsModelStatus::kPresolveError:
    case HighsModelStatus::kSolveError:
    case HighsModelStatus::kPostsolveError:
      break;
  }
  *note = std::string("HiGHS error: ") + utilModelStatusToString(ms) +
          (run_status == HighsStatus::kError ? " (run returned error)" : "");
  return MipStatus::kError;
}

// HiGHS keeps one task scheduler per calling thread, created with the
// 'threads' option of the first solve on that thread; a later solve asking
// for a different count fails unless the scheduler is reset first.
void PrepareScheduler(int threads) {
  thread_local int current = -1;
  if (current != threads) {
    Highs::resetGlobalScheduler(true);
    current = threads;
  }
}

class HighsBackend : public MipBackend {
 public:
  std::string name() const override { return "highs"; }

  void Run(const MipModel& model, const MipOptions& options, Clock::time_point t0,
           MipResult* out) const override {
    MipResult& result = *out;
    const int n = model.num_columns(), m = model.num_rows();
    const bool is_mip = model.is_mip();

    HighsModel hm;
    HighsLp& lp = hm.lp_;
    lp.model_name_ = model.name;
    lp.num_col_ = n;
    lp.num_row_ = m;
    lp.sense_ = model.minimise ? ObjSense::kMinimize : ObjSense::kMaximize;
    lp.offset_ = model.objective_offset;
    lp.col_cost_.resize(n);
    lp.col_lower_.resize(n);
    lp.col_upper_.resize(n);
    if (is_mip) lp.integrality_.assign(n, HighsVarType::kContinuous);
    for (int j = 0; j < n; ++j) {
      const MipColumn& c = model.columns[j];
      lp.col_cost_[j] = c.cost;
      lp.col_lower_[j] = c.lb;
      lp.col_upper_[j] = c.ub;
      if (c.is_integer) lp.integrality_[j] = HighsVarType::kInteger;
    }
    lp.row_lower_.resize(m);
    lp.row_upper_.resize(m);
    // Column-wise matrix: count, prefix, fill. O(nonzeros).
    std::vector<HighsInt> start(n + 1, 0);
    for (const MipRow& r : model.rows)
      for (int c : r.index) ++start[c + 1];
    for (int j = 0; j < n; ++j) start[j + 1] += start[j];
    std::vector<HighsInt> fill(start.begin(), start.end() - 1);
    std::vector<HighsInt> index(start[n]);
    std::vector<double> value(start[n]);
    for (int i = 0; i < m; ++i) {
      const MipRow& r = model.rows[i];
      lp.row_lower_[i] = r.lb;
      lp.row_upper_[i] = r.ub;
      for (size_t k = 0; k < r.index.size(); ++k) {
        HighsInt p = fill[r.index[k]]++;
        index[p] = i;
        value[p] = r.value[k];
      }
    }
    lp.a_matrix_.format_ = MatrixFormat::kColwise;
    lp.a_matrix_.num_col_ = n;
    lp.a_matrix_.num_row_ = m;
    lp.a_matrix_.start_ = std::move(start);
    lp.a_matrix_.index_ = std::move(index);
    lp.a_matrix_.value_ = std::move(value);
    lp.col_names_ = ColumnNames(model);
    lp.row_names_ = RowNames(model);

    const bool cutoff = std::isfinite(options.objective_cutoff);
    Highs highs;
    auto set = [&](const std::string& opt, auto v) {
      if (highs.setOptionValue(opt, v) == HighsStatus::kError && result.message.empty())
        result.message = "HiGHS rejected option " + opt;
    };
    set("output_flag", false);
    set("log_to_console", false);
    const int threads = std::max(1, options.threads);
    PrepareScheduler(threads);
    set("threads", static_cast<HighsInt>(threads));
    set("random_seed", static_cast<HighsInt>(options.seed % 2147483647ull));
    if (std::isfinite(options.time_limit_s)) set("time_limit", std::max(0.0, options.time_limit_s));
    set("mip_rel_gap", std::max(0.0, options.gap_limit));
    if (options.abs_gap_limit > 1e-6) set("mip_abs_gap", options.abs_gap_limit);
    if (cutoff && model.minimise) set("objective_bound", options.objective_cutoff);

    HighsStatus st = highs.passModel(std::move(hm));
    if (st == HighsStatus::kError) {
      result.status = MipStatus::kError;
      result.message = "HiGHS rejected the model";
      return;
    }
    // A maximisation cutoff becomes a row (HiGHS's objective_bound is a
    // minimisation upper limit).
    if (cutoff && !model.minimise) {
      std::vector<HighsInt> idx;
      std::vector<double> val;
      for (int j = 0; j < n; ++j)
        if (model.columns[j].cost != 0) {
          idx.push_back(j);
          val.push_back(model.columns[j].cost);
        }
      highs.addRow(options.objective_cutoff - model.objective_offset, kHighsInf,
                   static_cast<HighsInt>(idx.size()), idx.data(), val.data());
    }

    // Warm start: HiGHS checks the solution itself and ignores it when
    // infeasible; we check first so that we can say whether it was used.
    if (!options.initial_solution.empty()) {
      std::string where;
      const double viol = model.MaxViolation(options.initial_solution, &where);
      if (viol <= 1e-6) {
        HighsSolution sol;
        sol.col_value = options.initial_solution;
        sol.value_valid = true;
        result.warm_start_accepted = highs.setSolution(sol) != HighsStatus::kError;
      }
      if (!result.warm_start_accepted)
        result.message = "warm start rejected (" + where + " violated by " +
                         std::to_string(viol) + ")";
    }

    // Progress and the known-bound stop, from the MIP callbacks.
    const double sense = model.minimise ? 1.0 : -1.0;
    const bool have_kb = std::isfinite(options.known_bound);
    double last_print = 0;
    // HiGHS checks its time limit only between phases (the root node of a
    // big MIP overran it by a second and more): the interrupt callbacks of
    // the simplex, IPM and MIP solvers stop it at the deadline (or on
    // options.interrupt) themselves.
    const bool limited = std::isfinite(options.time_limit_s) || options.interrupt != nullptr;
    const Clock::time_point deadline = MipDeadline(options, t0);
    bool stopped_by_clock = false;
    auto callback = [&](int type, const std::string&, const HighsCallbackDataOut* out,
                        HighsCallbackDataIn* in, void*) {
      if (type == kCallbackSimplexInterrupt || type == kCallbackIpmInterrupt || type == kCallbackMipInterrupt) {
        if (limited && MipShouldStop(options, deadline)) {
          stopped_by_clock = true;
          in->user_interrupt = 1;
          return;
        }
      }
      if (type != kCallbackMipInterrupt && type != kCallbackMipImprovingSolution) return;
      const double primal = out->mip_primal_bound;
      if (type == kCallbackMipInterrupt && have_kb && std::isfinite(primal)) {
        const double tol = OptimalityTolerance(primal, options.abs_gap_limit, options.gap_limit);
        if (sense * (primal - options.known_bound) <= tol) in->user_interrupt = 1;
      }
      if (options.progress && out->running_time >= 1.0 && out->running_time >= last_print + 1.0) {
        last_print = out->running_time;
        MipProgress p;
        p.backend = "highs";
        p.elapsed_s = out->running_time;
        p.incumbent = std::isfinite(primal) ? primal : kMipInf;
        p.bound = out->mip_dual_bound;
        p.gap = std::isfinite(out->mip_gap) ? out->mip_gap : kMipInf;
        p.nodes = static_cast<long long>(out->mip_node_count);
        options.progress(p);
      }
    };
    if ((is_mip && (have_kb || options.progress)) || limited) {
      highs.setCallback(callback);
      if (is_mip) highs.startCallback(kCallbackMipInterrupt);
      if (is_mip && options.progress) highs.startCallback(kCallbackMipImprovingSolution);
      if (limited) {
        highs.startCallback(kCallbackSimplexInterrupt);
        highs.startCallback(kCallbackIpmInterrupt);
      }
    }

    HighsStatus run = highs.run();
    const HighsModelStatus ms = highs.getModelStatus();
    const HighsInfo& info = highs.getInfo();
    const bool has_solution = info.primal_solution_status == kSolutionStatusFeasible &&
                              highs.getSolution().value_valid;
    std::string note;
    result.status = TranslateStatus(run, ms, has_solution, &note);
    if (ms == HighsModelStatus::kInterrupt && stopped_by_clock) {
      // The deadline or the caller's interrupt (Ctrl-C): like a reached time limit.
      result.status = MipStatus::kTimeLimit;
      note = (options.interrupt && options.interrupt->load()) ? (has_solution ? "interrupted" : "interrupted without a solution") : "";
    }
    if (!note.empty()) result.message += (result.message.empty() ? "" : "; ") + note;
    if (has_solution) {
      result.solution = highs.getSolution().col_value;
      result.solution.resize(n);
    }
    if (is_mip) {
      result.dual_bound = info.mip_dual_bound;
      result.nodes = info.mip_node_count;
    } else if (result.status == MipStatus::kOptimal) {
      result.dual_bound = info.objective_function_value;
      if (highs.getSolution().dual_valid) {
        result.row_dual = highs.getSolution().row_dual;
        result.row_dual.resize(m);
      }
    }
  }
};

}  // namespace

std::unique_ptr<MipBackend> MakeHighsBackend() { return std::make_unique<HighsBackend>(); }

}  // namespace diviml::milp
