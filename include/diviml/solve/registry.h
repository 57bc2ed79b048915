// The typed solver registry: every solver is one record (name, objectives,
// a one-line description, a reference, and its parameters in the style of
// HiGHS's option records: name, type, unit, default, bounds, description).
// The command line's --solver help, --param NAME=VALUE, `diviml solvers`
// and the Python API are all generated from these records, so a parameter
// exists in one place only. O(number of solvers) per lookup.
#pragma once

#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "diviml/solve/cp.h"
#include "diviml/solve/heuristics.h"
#include "diviml/solve/llm.h"
#include "diviml/solve/milp.h"
#include "diviml/solve/solver.h"
#include "diviml/solve/split.h"
#include "diviml/solve/throughput.h"

namespace diviml {

enum class Objective { kLatency, kThroughput };
const char* ObjectiveName(Objective o);  // "latency", "throughput"
// "latency" / "throughput"; nullopt otherwise.
std::optional<Objective> ParseObjective(const std::string& name);

enum class ParamType { kInt, kDouble, kBool, kChoice };
const char* ParamTypeName(ParamType t);  // "int", "double", "bool", "choice"

struct ParamSpec {
  std::string name;           // "<solver>.<parameter>", e.g. "split.module_size"
  ParamType type = ParamType::kInt;
  std::string unit;           // "nodes", "s", "share", "" ...
  std::string default_value;  // as text: "24", "0.9", "true", "auto"
  double min = -std::numeric_limits<double>::infinity();  // kInt, kDouble: inclusive
  double max = std::numeric_limits<double>::infinity();
  std::vector<std::string> choices;  // kChoice
  std::string description;
};

struct SolverRecord;

// Checked parameter values of one solver: every parameter of its record,
// set or default. Get* throw std::logic_error for a name the record lacks
// or a type mismatch (a bug in the solver's factory, not bad input).
class ParamValues {
 public:
  long long Int(const std::string& name) const;
  double Double(const std::string& name) const;
  bool Bool(const std::string& name) const;
  const std::string& Choice(const std::string& name) const;
  bool IsSet(const std::string& name) const;  // given by the user
  // name -> value as text, every parameter (for reports).
  const std::map<std::string, std::string>& values() const { return values_; }

 private:
  friend ParamValues ResolveParams(const SolverRecord&, Objective, const std::vector<std::string>&);
  const ParamSpec& Spec(const std::string& name, ParamType type) const;
  std::vector<ParamSpec> specs_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> set_;
};

struct SolverRecord {
  std::string name;
  std::vector<Objective> objectives;
  std::string description;  // one line
  std::string reference;    // paper or docs/ page
  std::vector<ParamSpec> params;  // latency parameters
  // Latency: a solver built from checked parameters (null: no latency).
  std::function<std::unique_ptr<Solver>(const ParamValues&)> make;
  // Throughput: the solver for a fixed replica count (null: none, or the
  // "auto" choice that SolveThroughput resolves to another record).
  ThroughputResult (*throughput)(const Problem&, const ThroughputOptions&) = nullptr;
  // LLM planners (include/diviml/solve/llm.h): "dp", "memory" or "flops";
  // "" otherwise. Their parameters apply to both objectives; the pipeline
  // runs them with SolveLlm on an llm: model.
  std::string llm_strategy;

  bool Supports(Objective o) const;
};

// Every solver, in the order `diviml solvers` lists them.
const std::vector<SolverRecord>& SolverRegistry();
// nullptr for an unknown name.
const SolverRecord* FindSolver(const std::string& name);
// "single, heft, ..." of the solvers supporting o.
std::string SolverNameList(Objective o);

// Checks NAME=VALUE assignments against record under objective: an
// unknown name, a parameter of another solver, a value of the wrong type or
// out of its bounds, or a parameter given twice is an InputError with one
// line "--param NAME=VALUE: problem". Parameters apply to the latency
// objective only: any assignment with kThroughput is an error.
ParamValues ResolveParams(const SolverRecord& record, Objective objective,
                          const std::vector<std::string>& assignments);

// The solver of record with checked parameters; InputError when it does
// not support latency.
std::unique_ptr<Solver> MakeSolver(const SolverRecord& record, const ParamValues& params);

// Options of the solvers with parameters, from checked values (the
// records' defaults give the structs' defaults; a test checks this).
RandomListOptions RandomListOptionsFrom(const ParamValues& v);
CpOptions CpOptionsFrom(const ParamValues& v);
MilpOptions MilpOptionsFrom(const ParamValues& v);
SplitOptions SplitOptionsFrom(const ParamValues& v);
// The LLM planner's options from the checked values of record (llm,
// llm-memory, llm-flops); the objective is set by the caller.
LlmPlanOptions LlmPlanOptionsFrom(const SolverRecord& record, const ParamValues& v);

}  // namespace diviml
