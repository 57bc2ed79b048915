// `diviml report`: a plan file checked as `eval` checks it, then written as
// the HTML report (include/diviml/export/report.h), optionally with the
// rows of a `diviml bench --json` file. Every input is read and checked
// before anything is written, and the page is written atomically.
#include <fmt/format.h>

#include "diviml/cli/cli.h"
#include "diviml/export/report.h"
#include "diviml/io/plan_io.h"
#include "diviml/util/file.h"
#include "diviml/util/tolerance.h"

namespace diviml {
namespace {

// Bound parts the plan file records that this evaluation did not compute
// (e.g. split's module_chain), added with their origin in the detail; the
// best, the gap and bound_above_plan recomputed as the pipeline does.
void AddRecordedBounds(const nlohmann::json& file, const std::string& source, Result* r) {
  if (!file.contains("bounds") || !file["bounds"].is_object()) return;
  bool added = false;
  for (const auto& [name, value] : file["bounds"].items()) {
    if (!value.is_number()) continue;
    bool known = false;
    for (const BoundPart& b : r->bounds.parts) known = known || b.name == name;
    if (known) continue;
    AddBoundPart(&r->bounds, BoundPart{name, value.get<double>(), "recorded in " + source});
    added = true;
  }
  if (!added) return;
  r->lower_bound = r->bounds.best_s;
  r->gap = RelativeGap(r->value, r->lower_bound);
  r->bound_above_plan = BoundAbove(r->lower_bound, r->value);
  if (r->bound_above_plan)
    r->message += (r->message.empty() ? "" : "; ") +
                  fmt::format("BUG: lower bound {:.10g} ({}) is above the plan's value {:.10g}", r->lower_bound,
                              r->bounds.best_name, r->value);
}

}  // namespace

int RunReport(const ReportArgs& a, std::ostream& out, std::ostream& err) {
  try {
    if (a.plan.empty()) throw InputError("--plan: missing (a plan JSON file)");
    if (a.out.empty()) throw InputError("--out: missing (the HTML file to write)");
    ReportOptions options;
    if (!a.bench.empty()) options.bench = CheckBenchJson(ReadFile(a.bench), a.bench);
    const std::string text = ReadFile(a.plan);
    nlohmann::json file;
    try {
      file = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error&) {
      throw InputError(a.plan + ": not JSON (expected a plan written by `diviml solve --out`)");
    }
    if (!file.is_object()) throw InputError(a.plan + ": a plan must be a JSON object");
    const Problem pr = LoadProblem(a);
    if (file.contains("graph") && file["graph"].is_string() && !pr.graph().name.empty() &&
        file["graph"].get<std::string>() != pr.graph().name)
      throw InputError(fmt::format("{}: the plan is for graph '{}', not '{}'", a.plan,
                                   file["graph"].get<std::string>(), pr.graph().name));
    const bool throughput = file.value("objective", std::string("latency")) == "throughput";
    Result r = throughput ? EvaluateThroughputPlan(pr, ParseThroughputPlanJson(text, a.plan, pr))
                          : EvaluateLatencyPlan(pr, ParsePlanJson(text, a.plan, pr));
    if (!r.has_plan()) {
      const auto& v = throughput ? r.period.violations : r.evaluation.violations;
      throw InputError(a.plan + ": invalid plan: " + (v.empty() ? std::string("?") : v.front()));
    }
    if (file.contains("solver") && file["solver"].is_string())
      r.solver = file["solver"].get<std::string>() + " (plan file)";
    if (file.contains("solve_time_s") && file["solve_time_s"].is_number())
      r.solve_time_s = file["solve_time_s"].get<double>();
    if (!throughput) AddRecordedBounds(file, a.plan, &r);
    WriteFileAtomic(a.out, ResultHtml(pr, r, options));
    if (!a.json) out << fmt::format("report: {}\n", a.out);
    else out << nlohmann::json{{"report", a.out}}.dump() << "\n";
    return 0;
  } catch (const InputError& e) {
    err << "diviml: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace diviml
