// Solver-neutral MILP layer: a plain model struct that is built once and
// passed whole to a backend (HiGHS, CBC), options that every backend
// understands, and one result type with an honest status.
//
// Conventions:
//  - Every column and row carries a readable name ("x[n3,GPU1]",
//    "assign[n3]"); backends and the LP writer sanitise and de-duplicate them
//    (see SanitisedNames) so the names never have to be unique or clean here.
//  - Infinite bounds are +-kMipInf (= +-infinity).
//  - Statuses are translated from the backend's own codes in exactly one
//    function per backend; everything else only sees MipStatus.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace diviml::milp {

constexpr double kMipInf = std::numeric_limits<double>::infinity();

struct MipColumn {
  std::string name;
  double lb = 0;
  double ub = kMipInf;
  double cost = 0;
  bool is_integer = false;
};

struct MipRow {
  std::string name;
  double lb = -kMipInf;
  double ub = kMipInf;
  std::vector<int> index;    // column indices (no duplicates expected; the
  std::vector<double> value; // backends merge duplicates by summing)
};

struct MipModel {
  std::string name = "diviml";
  std::vector<MipColumn> columns;
  std::vector<MipRow> rows;
  bool minimise = true;
  double objective_offset = 0;  // constant added to the objective

  // Adds a column; returns its index. O(1) amortised.
  int AddColumn(std::string name, double lb, double ub, double cost = 0,
                bool is_integer = false);
  // A binary column (integer in [0, 1]).
  int AddBinary(std::string name, double cost = 0);
  // Adds lb <= sum coef * x[col] <= ub; returns its index. O(terms).
  int AddRow(std::string name, double lb, double ub,
             const std::vector<std::pair<int, double>>& terms);
  int AddRow(std::string name, double lb, double ub, std::vector<int> index,
             std::vector<double> value);

  int num_columns() const { return static_cast<int>(columns.size()); }
  int num_rows() const { return static_cast<int>(rows.size()); }
  long long num_nonzeros() const;
  int num_integers() const;
  bool is_mip() const { return num_integers() > 0; }

  // Structural check: indices in range, lb <= ub, finite coefficients, no
  // NaN. Returns "" when fine, else a message naming the row/column.
  std::string Validate() const;

  // Objective (with offset) of a full column vector. O(columns).
  double Objective(const std::vector<double>& x) const;
  // Largest violation of a bound, a row or integrality by x, and the name
  // of the worst offender in *where (when given). O(nonzeros).
  double MaxViolation(const std::vector<double>& x, std::string* where = nullptr) const;
};

// Adds coef to column's term in terms, or appends the term when the column
// has none (rows built from several contributions stay free of
// duplicates). O(terms).
void AddTerm(std::vector<std::pair<int, double>>* terms, int column, double coef);

// Slack within which an objective value counts as meeting a bound: the
// requested absolute and relative gaps, at least the backends' own
// numerical tolerance (about 1e-6, absolute below 1). The latency solver
// scales times so that makespans are O(1..1000), where this is noise.
inline double OptimalityTolerance(double value, double abs_gap, double rel_gap) {
  const double v = value < 0 ? -value : value;
  double t = abs_gap > rel_gap * v ? abs_gap : rel_gap * v;
  const double noise = 1e-6 * (v > 1 ? v : 1.0);
  return t > noise ? t : noise;
}

// A makespan meets a lower bound within the backends' noise
// (OptimalityTolerance). When every makespan is a whole number (integral)
// the slack is also below 1, so a plan one unit above the bound never meets
// it, however large the times. False when lb <= 0 or makespan is infinite.
inline bool MakespanMeets(double makespan, double lb, bool integral) {
  if (!(lb > 0) || !(makespan < kMipInf) || makespan != makespan) return false;
  double tol = OptimalityTolerance(lb, 0, 0);
  if (integral && tol > 0.5) tol = 0.5;
  return makespan <= lb + tol;
}

struct MipProgress {
  std::string backend;  // "highs", "cbc"
  double elapsed_s = 0;
  double incumbent = kMipInf;  // objective of the best solution (inf: none)
  double bound = -kMipInf;     // best proven bound
  double gap = kMipInf;        // relative, as MipResult::gap
  long long nodes = 0;
};

struct MipOptions {
  double time_limit_s = kMipInf;  // wall clock
  double gap_limit = 0;           // relative gap |primal - dual| / |primal|
  double abs_gap_limit = 0;       // absolute gap, e.g. 1 - 1e-6 when every
                                  // objective value is an integer
  int threads = 1;
  uint64_t seed = 0;
  // Progress of a MIP solve, at most about once a second after the first
  // second (none when empty); called from the solving thread. Backends
  // never print.
  std::function<void(const MipProgress&)> progress;
  // Warm start: a full column vector (empty = none). Backends use its
  // integer columns and recompute or repair the rest where they can.
  std::vector<double> initial_solution;
  // Only solutions strictly better than this are wanted (minimise: objective
  // < cutoff). The solve is "infeasible" when none exists. kMipInf = none.
  double objective_cutoff = kMipInf;
  // A lower (minimise) / upper (maximise) bound on the optimum known to the
  // caller to be valid. The solve stops as soon as an incumbent meets it
  // (within abs/rel gap) and reports kOptimal; the reported dual bound is
  // never worse than it. Any non-finite value = none.
  double known_bound = -kMipInf;
  // Set by another thread to stop the solve (like a reached time limit:
  // status kTimeLimit with the incumbent, if any). Not owned; may be null.
  const std::atomic<bool>* interrupt = nullptr;
};

enum class MipStatus { kOptimal, kFeasible, kTimeLimit, kInfeasible, kUnbounded, kError };
// "optimal", "feasible", "time_limit", "infeasible", "unbounded", "error".
const char* MipStatusName(MipStatus s);

struct MipResult {
  // kOptimal: proven (gap within the limits, or the incumbent meets
  //           options.known_bound). kFeasible: stopped early for another
  //           reason (gap limit above 0, node/solution limit, interrupt) with
  //           a solution. kTimeLimit: time limit hit, with or without a
  //           solution (see has_solution()). kInfeasible / kUnbounded: proven.
  //           kError: the backend failed; see message.
  MipStatus status = MipStatus::kError;
  double objective = kMipInf;      // of the returned solution (with offset)
  double dual_bound = -kMipInf;    // best proven bound on the optimum
  double gap = kMipInf;            // relative, |objective - dual| / max(|objective|, 1e-9)
  std::vector<double> solution;    // empty when none
  // Row duals (shadow prices) of an LP solved to optimality, in the
  // backend's sign convention; empty for MIPs and otherwise. Any use should
  // only rely on magnitudes it can verify (e.g. a dual bound recomputed
  // from them).
  std::vector<double> row_dual;
  double time_s = 0;
  std::string backend;
  std::string message;             // notes or the error
  bool warm_start_accepted = false;
  long long nodes = 0;             // branch-and-bound nodes, where known

  bool has_solution() const { return !solution.empty(); }
};

// Names usable in LP files and by backends: '[' and ']' become '(' and ')'
// (brackets start quadratic terms in LP files), other characters outside
// [A-Za-z0-9_.(),] become '_', a leading digit or '.', an LP keyword
// ("end", "free", "inf", ...) or an exponent look-alike ("e12") gets a '_'
// prefix, empty names become "c<i>"/"r<i>", and later duplicates get a
// "_<k>" suffix. Same size as the input. O(total name length).
std::vector<std::string> SanitisedNames(const std::vector<std::string>& names,
                                        char fallback_prefix);
std::vector<std::string> ColumnNames(const MipModel& model);  // sanitised
std::vector<std::string> RowNames(const MipModel& model);     // sanitised

// Writes the model in CPLEX LP format with the sanitised names. Returns ""
// on success, else an error message naming the path.
std::string WriteLpFormat(const MipModel& model, const std::string& path);
// The same text, for tests and logging.
std::string LpFormatText(const MipModel& model);

// Backend-independent post-processing every backend calls last (after it
// has set status, solution, dual_bound and time_s): recomputes objective
// from the solution, applies options.known_bound (raising the dual bound and
// upgrading to kOptimal when the incumbent meets it) and computes gap.
// O(nonzeros). Used by backends, not by callers.
void FinishResult(const MipModel& model, const MipOptions& options, MipResult* result);

}  // namespace diviml::milp
