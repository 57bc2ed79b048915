// `diviml eval`: check a plan file against a graph and platform and print
// its figures, or its violations (exit 1 when the plan is invalid).
#include <fmt/format.h>

#include "diviml/cli/cli.h"
#include "diviml/export/export.h"
#include "diviml/io/plan_io.h"
#include "diviml/util/file.h"

namespace diviml {

int RunEval(const EvalArgs& a, std::ostream& out, std::ostream& err) {
  try {
    if (a.plan.empty()) throw InputError("--plan: missing (a plan JSON file)");
    const std::optional<Objective> objective = ParseObjective(a.objective);
    if (!objective) throw InputError("--objective: '" + a.objective + "' is not supported (latency, throughput)");
    const Problem pr = LoadProblem(a);
    const std::string text = ReadFile(a.plan);
    const Result r = *objective == Objective::kLatency
                         ? EvaluateLatencyPlan(pr, ParsePlanJson(text, a.plan, pr))
                         : EvaluateThroughputPlan(pr, ParseThroughputPlanJson(text, a.plan, pr));
    const std::vector<std::string>& violations =
        *objective == Objective::kLatency ? r.evaluation.violations : r.period.violations;
    if (!a.gantt.empty() && r.has_plan()) ExportToFile("svg", pr, r, a.gantt);
    if (a.json) {
      nlohmann::json j = ResultToJson(pr, r);
      j["valid"] = r.has_plan();
      j["violations"] = violations;
      out << j.dump() << "\n";
    } else if (r.has_plan()) {
      out << ResultText(pr, r);
    } else {
      out << fmt::format("plan {} is invalid:\n", a.plan);
      for (const auto& v : violations) out << "  " << v << "\n";
    }
    if (!r.has_plan()) {
      err << "diviml: " << a.plan << ": invalid plan: " << (violations.empty() ? "" : violations.front()) << "\n";
      return 1;
    }
    return 0;
  } catch (const InputError& e) {
    err << "diviml: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace diviml
