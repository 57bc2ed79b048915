// Checking a plan into an Outcome, shared by `solve` and `eval`.
#include "diviml/cli.h"
#include "diviml/report.h"

namespace diviml {

void CheckPlan(const Problem& pr, Outcome* oc) {
  oc->lower_bound_s = oc->bounds.best_s;
  oc->evaluation = Evaluate(pr, oc->result.plan);
  if (!oc->evaluation.valid) {
    oc->result.status = SolveStatus::kError;
    oc->gap = INFINITY;
    return;
  }
  oc->gap = RelativeGap(oc->evaluation.makespan_s, oc->lower_bound_s);
  if (oc->gap == 0) oc->result.status = SolveStatus::kOptimal;
}

void WriteGantt(const std::string& path, const Problem& pr, const Outcome& oc, const std::string& label) {
  if (path.empty() || !oc.evaluation.valid) return;
  GanttOptions go;
  go.title = pr.graph().name + " on " + pr.platform().name + " (" + label + ")";
  go.lower_bound_s = oc.lower_bound_s;
  WriteFileAtomic(path, GanttSvg(pr, oc.result.plan, oc.evaluation.schedule, go));
}

}  // namespace diviml
