// `diviml solve`: load, solve, check the plan with Evaluate(), bound it,
// report (text or JSON), and write the plan and the Gantt chart.
#include <cmath>

#include "diviml/cli.h"
#include "diviml/io.h"
#include "diviml/report.h"
#include "diviml/split.h"
#include "util/stopwatch.h"

namespace diviml {

Outcome SolveAndCheck(const Problem& pr, Solver& solver, const SolveOptions& options) {
  Outcome oc;
  oc.bounds = ComputeBounds(pr);
  SolveOptions opts = options;
  opts.known_lower_bound_s = std::max(opts.known_lower_bound_s, oc.bounds.best_s);
  const Stopwatch clock;
  oc.result = solver.Solve(pr, opts);
  double elapsed = clock.seconds();
  if (oc.result.solve_time_s <= 0) oc.result.solve_time_s = elapsed;
  if (oc.result.lower_bound_s > oc.bounds.best_s) {
    oc.bounds.parts.push_back({"solver", oc.result.lower_bound_s, oc.result.solver + " dual bound"});
    oc.bounds.best_s = oc.result.lower_bound_s;
    oc.bounds.best_name = "solver";
  }
  oc.lower_bound_s = oc.bounds.best_s;
  const bool has_plan = oc.result.status == SolveStatus::kOptimal ||
                        oc.result.status == SolveStatus::kFeasible ||
                        (oc.result.status == SolveStatus::kTimeLimit && !oc.result.plan.device.empty());
  if (has_plan) {
    CheckPlan(pr, &oc);
    if (!oc.evaluation.valid) oc.result.message = "solver returned an invalid plan";
  } else {
    oc.gap = INFINITY;
  }
  return oc;
}

int RunSolve(const SolveArgs& a, std::ostream& out, std::ostream& err) {
  try {
    if (a.module_size > 0 && (a.objective == "throughput" || a.min_throughput_per_s > 0))
      throw InputError("--module-size: only with --solver split and --objective latency");
    if (a.objective == "throughput" || a.min_throughput_per_s > 0) return RunSolveThroughput(a, out, err);
    if (a.objective != "latency")
      throw InputError("--objective: '" + a.objective + "' is not supported (latency, throughput)");
    if (a.replicas != "auto" && a.replicas != "1")
      throw InputError("--replicas: only with --objective throughput");
    if (std::isfinite(a.max_latency_s))
      throw InputError("--max-latency: only with --objective throughput (a latency solve minimises latency)");
    std::unique_ptr<Solver> solver;
    if (a.module_size > 0 && a.solver != "split")
      throw InputError("--module-size: only with --solver split");
    if (a.solver == "split") {
      SplitOptions so;
      if (a.module_size > 0) so.module_size = a.module_size;
      solver = MakeSplitSolver(so);
    } else {
      solver = MakeSolver(a.solver);
    }
    if (!solver) {
      std::string names;
      for (const auto& s : SolverNames()) names += (names.empty() ? "" : ", ") + s;
      throw InputError("--solver: unknown solver '" + a.solver + "' (available: " + names + ")");
    }
    Problem pr = LoadProblem(a);
    Outcome oc = SolveAndCheck(pr, *solver, a.options);
    nlohmann::json j = OutcomeToJson(pr, oc);
    if (!a.out.empty()) WriteFileAtomic(a.out, j.dump(1) + "\n");
    WriteGantt(a.gantt, pr, oc, oc.result.solver);
    if (a.json) {
      out << j.dump() << "\n";
    } else {
      PrintOutcome(pr, oc, out);
    }
    return oc.result.status == SolveStatus::kError ? 1 : 0;
  } catch (const InputError& e) {
    err << "diviml: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace diviml
