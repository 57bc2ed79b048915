// `diviml eval`: check a plan file against a graph and platform and print
// its makespan, or its violations (exit 1 when the plan is invalid).
#include <fmt/format.h>

#include "diviml/cli.h"
#include "diviml/io.h"
#include "diviml/plan_io.h"
#include "diviml/report.h"

namespace diviml {

int RunEval(const EvalArgs& a, std::ostream& out, std::ostream& err) {
  try {
    if (a.plan.empty()) throw InputError("--plan: missing (a plan JSON file)");
    if (a.objective == "throughput") return RunEvalThroughput(a, out, err);
    if (a.objective != "latency")
      throw InputError("--objective: '" + a.objective + "' is not supported (latency, throughput)");
    Problem pr = LoadProblem(a);
    Plan plan = ParsePlanJson(ReadFile(a.plan), a.plan, pr);
    Outcome oc;
    oc.result.solver = "eval";
    oc.result.plan = plan;
    oc.result.status = SolveStatus::kFeasible;
    oc.bounds = ComputeBounds(pr);
    CheckPlan(pr, &oc);
    WriteGantt(a.gantt, pr, oc, a.plan);
    if (a.json) {
      nlohmann::json j = OutcomeToJson(pr, oc);
      j["valid"] = oc.evaluation.valid;
      j["violations"] = oc.evaluation.violations;
      out << j.dump() << "\n";
    } else if (oc.evaluation.valid) {
      PrintOutcome(pr, oc, out);
    } else {
      out << fmt::format("plan {} is invalid:\n", a.plan);
      for (const auto& v : oc.evaluation.violations) out << "  " << v << "\n";
    }
    if (!oc.evaluation.valid) {
      err << "diviml: " << a.plan << ": invalid plan: " << oc.evaluation.violations.front() << "\n";
      return 1;
    }
    return 0;
  } catch (const InputError& e) {
    err << "diviml: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace diviml
