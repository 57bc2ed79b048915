// `diviml solve`: arguments -> a pipeline Request; the Result printed (text
// or JSON) and written (--out plan file, --gantt SVG) by the exporters.
#include <cmath>
#include <fmt/format.h>

#include "diviml/cli/cli.h"
#include "diviml/export/export.h"
#include "diviml/util/error.h"

namespace diviml {
namespace {

int ParseReplicas(const std::string& s) {
  if (s == "auto" || s.empty()) return 0;
  size_t used = 0;
  long v = -1;
  try {
    v = std::stol(s, &used);
  } catch (...) {
    used = 0;
  }
  if (used != s.size() || v < 1 || v > 64)
    throw InputError("--replicas: expected a number from 1 to 64 or 'auto', got '" + s + "'");
  return static_cast<int>(v);
}

}  // namespace

int RunSolve(const SolveArgs& a, std::ostream& out, std::ostream& err) {
  try {
    Request req;
    const bool throughput = a.objective == "throughput" || a.min_throughput_per_s > 0;
    if (!throughput && a.objective != "latency")
      throw InputError("--objective: '" + a.objective + "' is not supported (latency, throughput)");
    req.objective = throughput ? Objective::kThroughput : Objective::kLatency;
    req.solver = a.solver;
    if (a.module_size > 0) {
      // The documented alias of --param split.module_size.
      if (throughput) throw InputError("--module-size: only with --solver split and --objective latency");
      if (a.solver != "split") throw InputError("--module-size: only with --solver split");
      req.params.push_back("split.module_size=" + std::to_string(a.module_size));
    }
    req.params.insert(req.params.end(), a.params.begin(), a.params.end());
    req.options = a.options;
    if (!throughput) {
      if (a.replicas != "auto" && a.replicas != "1") throw InputError("--replicas: only with --objective throughput");
      req.replicas = 0;
    } else {
      req.replicas = ParseReplicas(a.replicas);
    }
    req.max_latency_s = a.max_latency_s;
    req.min_throughput_per_s = a.min_throughput_per_s;
    req.bound_hook_for_testing = a.bound_hook_for_testing;
    if (const SolverRecord* rec = FindSolver(a.solver); rec && !rec->llm_strategy.empty())
      return RunLlmSolve(a, req, out, err);
    if (!a.target.empty() || !a.tensor_parallel.empty() || a.max_servers > 0)
      throw InputError("--target, --tensor-parallel, --max-servers: only with --solver llm, llm-memory or llm-flops");
    CheckRequest(req);  // a bad request fails before anything is loaded
    const Problem pr = LoadProblem(a);
    const Result r = Solve(pr, req);
    if (!a.export_format.empty() && !FindExporter(a.export_format))
      throw InputError("--export: unknown format '" + a.export_format + "'");
    if (!a.out.empty() && r.has_plan()) ExportToFile(a.export_format.empty() ? "json" : a.export_format, pr, r, a.out);
    if (!a.gantt.empty() && r.has_plan()) ExportToFile("svg", pr, r, a.gantt);
    if (!a.report.empty()) ExportToFile("html", pr, r, a.report);  // also without a plan: shows why
    if (a.json) {
      out << ResultToJson(pr, r).dump() << "\n";
    } else {
      out << ResultText(pr, r);
    }
    if (!a.export_format.empty() && a.out.empty() && r.has_plan()) out << FindExporter(a.export_format)->write(pr, r);
    if (!a.out.empty() && !r.has_plan())
      err << "diviml: " << a.out << ": not written (no plan: " << StatusName(r.status) << ")\n";
    if (r.bound_above_plan) err << "diviml: " << r.message << "\n";
    return ExitCode(r, a.strict);
  } catch (const InputError& e) {
    err << "diviml: " << e.what() << "\n";
    return 1;
  }
}

std::string SolverHelp() {
  std::string s;
  for (const SolverRecord& r : SolverRegistry()) {
    std::string objs;
    for (Objective o : r.objectives) objs += (objs.empty() ? "" : ", ") + std::string(ObjectiveName(o));
    s += fmt::format("\n  {:<13} {} ({})", r.name, r.description, objs);
  }
  return "solver (default heft; throughput: auto):" + s;
}

}  // namespace diviml
