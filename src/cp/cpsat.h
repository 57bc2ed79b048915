// CP-SAT, the constraint solver of Google's OR-Tools, behind a small
// solver-neutral model (docs/cp.md). OR-Tools is not packaged by Debian 12:
// scripts/setup-ortools.sh takes the shared library out of the PyPI wheel
// into a cache, and it is loaded at run time through its C API (a
// serialized CpModelProto in, a CpSolverResponse out), so DiviML builds and
// runs without it: CpSatAvailable() says whether it is there and why not.
//
// The model holds integer variables (booleans are 0..1 variables), linear
// constraints with optional enforcement literals, exactly-one, optional
// fixed-size intervals, no-overlap and one minimised variable; every
// variable and constraint is named. Serialize() writes the protobuf wire
// format of the subset of CpModelProto used here (field numbers from
// OR-Tools' cp_model.proto; written by hand, no generated code).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace diviml::cp {

class CpModel {
 public:
  // A variable in [lb, ub]. O(1).
  int NewInt(int64_t lb, int64_t ub, std::string name);
  int NewBool(std::string name) { return NewInt(0, 1, std::move(name)); }
  // lb <= sum coeff * var <= ub, enforced only when every variable in
  // `enforce` (booleans) is 1. O(terms).
  void AddLinear(const std::vector<std::pair<int, int64_t>>& terms, int64_t lb, int64_t ub, std::string name,
                 const std::vector<int>& enforce = {});
  // Exactly one of the booleans is 1. O(size).
  void AddExactlyOne(const std::vector<int>& bools, std::string name);
  // An interval [start, start + size) = [start, end) present when
  // `presence` (a boolean; -1 = always) is 1; returns its id for
  // AddNoOverlap. Adds start + size = end under the same enforcement. O(1).
  int AddInterval(int start, int64_t size, int end, int presence, std::string name);
  // The present intervals pairwise disjoint. O(size).
  void AddNoOverlap(const std::vector<int>& intervals, std::string name);
  void Minimize(int var) { objective_ = var; }
  // A (partial) start for the search. O(1).
  void Hint(int var, int64_t value) { hints_.emplace_back(var, value); }

  int num_variables() const { return static_cast<int>(vars_.size()); }
  int num_constraints() const { return static_cast<int>(constraints_.size()); }
  const std::string& variable_name(int v) const { return vars_[v].name; }
  // Empty when the model is well formed, else what is wrong (an index out
  // of range, an empty domain, no objective). O(model size).
  std::string Check() const;
  // CpModelProto in the protobuf wire format. O(model size).
  std::string Serialize() const;

 private:
  struct Var {
    int64_t lb, ub;
    std::string name;
  };
  struct Constraint {
    enum Kind { kLinear, kExactlyOne, kInterval, kNoOverlap } kind;
    std::string name;
    std::vector<int> enforce;
    std::vector<int> vars;         // linear: variables; exactly-one: literals; no-overlap: intervals' constraints
    std::vector<int64_t> coeffs;   // linear only
    int64_t lb = 0, ub = 0;        // linear bounds; interval: size in lb
    int start = -1, end = -1;      // interval only
  };
  std::vector<Var> vars_;
  std::vector<Constraint> constraints_;
  std::vector<int> interval_constraint_;  // interval id -> constraint index
  std::vector<std::pair<int, int64_t>> hints_;
  int objective_ = -1;
};

enum class CpStatus { kUnknown, kModelInvalid, kFeasible, kInfeasible, kOptimal, kError };
const char* CpStatusName(CpStatus s);

struct CpParams {
  double time_limit_s = 10;
  int workers = 1;
  // One worker that interleaves CP-SAT's subsolvers (its large-
  // neighbourhood searches among them) instead of the plain search:
  // measured much better plans on one core (docs/cp.md).
  bool interleave = false;
  int seed = 0;
  // CP-SAT's linearization_level: 0 = no LP relaxation (pure propagation
  // and clause learning), 1 = its default, 2 = more cuts.
  int linearization = 1;
  const std::atomic<bool>* interrupt = nullptr;  // polled every 5 ms: stops the search
};

struct CpResult {
  CpStatus status = CpStatus::kError;
  std::vector<int64_t> values;  // one per variable when a solution was found
  double objective = 0;         // of the best solution
  double bound = 0;             // proven lower bound on the minimised variable
  double wall_s = 0;
  std::string message;          // why, for kError and kModelInvalid
};

// Whether the library loads (once per process; later calls are O(1)), and
// from where: $DIVIML_ORTOOLS_LIB, else the cache path setup-ortools.sh
// fills. Never in sanitizer builds (the library is opened with
// RTLD_DEEPBIND to keep its own protobuf apart from Debian's, which the
// sanitizers' runtime does not allow).
bool CpSatAvailable(std::string* why = nullptr);
std::string CpSatLibraryPath();

// Solves the model. Never throws: no library, a malformed model or a
// response that does not parse come back as kError with a message.
CpResult SolveCp(const CpModel& model, const CpParams& params);

}  // namespace diviml::cp
