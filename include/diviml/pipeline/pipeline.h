// The pipeline: everything between a front end (CLI, Python) and the
// solvers. Inputs -> Problem -> solver (from the registry) -> Evaluate() ->
// bounds -> one Result, for both objectives. Front ends parse arguments,
// call these functions and print with an exporter
// (include/diviml/export/export.h); they never run a solver themselves.
// The flow of a request is drawn in docs/design.md.
#pragma once

#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "diviml/bound/bounds.h"
#include "diviml/core/evaluate.h"
#include "diviml/core/throughput_model.h"
#include "diviml/solve/registry.h"
#include "diviml/solve/solver.h"

namespace diviml {

// Where a problem comes from.
struct Inputs {
  std::string graph;     // file (.graph.json, .stg, .onnx), zoo:NAME, randwire:SPEC
  std::string platform;  // file, identical:M, zoo:NAME, cluster:S
  std::string profile;   // measured times (JSON or CSV) that override the cost model
  bool coarsen = false;  // fuse trivial operators into neighbours first
};

// Loads graph and platform, applies the profile, coarsens when asked, fills
// missing times from the device catalogue and the roofline cost model and
// builds the Problem with the platform's host device (HostDevice()).
// InputError "FILE: problem" on any failure.
Problem LoadProblem(const Inputs& inputs);
// The same from a graph and platform already in memory (the Python
// package's Graph/Platform objects): inputs.graph and inputs.platform only
// name them in messages; inputs.profile and inputs.coarsen apply as above.
Problem BuildProblem(Graph graph, Platform platform, const Inputs& inputs);

struct Request {
  std::string solver = "heft";               // a registry name (SolverRegistry())
  Objective objective = Objective::kLatency;
  std::vector<std::string> params;           // "NAME=VALUE", checked by ResolveParams
  SolveOptions options;                      // limits, seed, threads, backend, progress
  // Throughput only.
  int replicas = 0;                                                 // 0 = auto
  double max_latency_s = std::numeric_limits<double>::infinity();   // per-sample ceiling
  double min_throughput_per_s = 0;  // > 0: minimise latency subject to it
  // Test-only: edits the bounds before the plan is checked against them
  // (tests use it to prove that a wrong bound is reported, not hidden).
  std::function<void(BoundReport*)> bound_hook_for_testing;
};

// The one result contract of both objectives.
struct Result {
  Objective objective = Objective::kLatency;
  std::string solver;
  std::string solver_note;                    // why "auto" chose its solver
  std::map<std::string, std::string> params;  // every parameter, as used
  SolveStatus status = SolveStatus::kError;   // the termination reason
  std::string message;                        // notes, or why there is no plan
  double solve_time_s = 0;

  // The bound: every part, the best (lower_bound), and the gap
  // (value - lower_bound) / lower_bound, nullopt when undefined (no plan,
  // or no positive bound). Latency: on the makespan; throughput: on the
  // period for the plan's replica count.
  BoundReport bounds;
  double value = std::numeric_limits<double>::infinity();  // makespan_s or period_s
  double lower_bound = 0;
  std::optional<double> gap;
  // A lower bound above the evaluated plan (beyond BoundAbove's tolerance)
  // is a bug in that bound: reported here and in message, never clamped.
  bool bound_above_plan = false;

  // Latency: the plan and Evaluate()'s verdict (schedule, violations).
  Plan plan;
  Evaluation evaluation;

  // Throughput: the plan, its period figures and per-replica latencies.
  ThroughputPlan throughput_plan;
  PeriodInfo period;
  std::vector<double> replica_latency_s;
  double throughput_upper_bound_per_s = std::numeric_limits<double>::infinity();
  double max_latency_constraint_s = std::numeric_limits<double>::infinity();
  double min_throughput_constraint_per_s = 0;
  std::optional<SimulationResult> simulation;  // eval of throughput plans

  // LLM planners (SolveLlm): the plan of stages over servers; value is its
  // latency (or period) and bounds its lower bound.
  std::shared_ptr<const LlmPlan> llm;

  // A plan that the evaluator accepted.
  bool has_plan() const;
};

// Runs request.solver on the problem and checks its answer: the plan is
// re-evaluated (Evaluate / EvaluatePeriod), the bounds computed and the
// solver's own bound added, the status set by the contract in
// include/diviml/solve/solver.h (optimal only when the plan meets a bound;
// infeasible only with a proof). InputError for an unknown solver, a
// solver without the objective, or a bad parameter.
Result Solve(const Problem& problem, const Request& request);

// An LLM planner (llm, llm-memory, llm-flops; docs/llm.md) on
// inputs.graph = "llm:..." and inputs.platform: the plan, its bound, the
// status (feasible, or optimal when the plan meets the bound). *problem
// receives the layer-level problem the exporters read. InputError for bad
// input, a model that does not fit, a target the cluster cannot run.
Result SolveLlm(const Inputs& inputs, const Request& request, Problem* problem);

// The checks Solve makes before it runs anything: the solver exists and
// supports the objective, its parameters are valid, latency requests carry
// no throughput options. Returns the checked parameters; InputError
// otherwise. Front ends call it before loading a problem, so a bad request
// fails at once.
ParamValues CheckRequest(const Request& request);

// A given latency plan checked as Solve checks a solver's ("eval").
Result EvaluateLatencyPlan(const Problem& problem, const Plan& plan);
// A given throughput plan: period figures, latencies, the simulation.
Result EvaluateThroughputPlan(const Problem& problem, const ThroughputPlan& plan, int samples = 1000);

// Every latency bound; with module_exact_s > 0 also module_exact and
// module_chain (each with that budget, the MILP as the exact solver).
// threads: workers for module_chain's segment MILPs (ModuleChainBound).
BoundReport Bound(const Problem& problem, double module_exact_s = 0, const std::string& milp_backend = "",
                  int threads = 1);

// The process exit code of a result: 0 with a valid plan, 1 for error, 2
// without a plan (no_solution_found, infeasible); with strict, 3 when a
// bound lies above the plan.
int ExitCode(const Result& result, bool strict);

}  // namespace diviml
