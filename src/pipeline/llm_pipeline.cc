// SolveLlm (include/diviml/pipeline/pipeline.h): an llm: model on a
// cluster through the LLM planner, with the result contract of every
// solve: the bound beside the plan, optimal only when the plan meets it.
#include <fmt/format.h>

#include "diviml/cost/cost_model.h"
#include "diviml/io/io.h"
#include "diviml/io/llm_spec.h"
#include "diviml/pipeline/pipeline.h"
#include "diviml/util/error.h"
#include "diviml/util/tolerance.h"

namespace diviml {

Result SolveLlm(const Inputs& inputs, const Request& req, Problem* problem) {
  const ParamValues params = CheckRequest(req);
  const SolverRecord& rec = *FindSolver(req.solver);
  if (rec.llm_strategy.empty())
    throw InputError("--solver " + req.solver + ": not an LLM planner (llm, llm-memory, llm-flops)");
  if (!IsLlmSpec(inputs.graph))
    throw InputError("--solver " + req.solver + ": needs --graph llm:NAME[,key=value...], got '" + inputs.graph + "'");
  const LlmSpec spec = ParseLlmSpec(inputs.graph);
  Platform platform = LoadPlatform(inputs.platform);
  ApplyCatalogueDefaults(platform);
  LlmPlanOptions o = LlmPlanOptionsFrom(rec, params);
  o.throughput = req.objective == Objective::kThroughput;
  auto plan = std::make_shared<LlmPlan>(PlanLlm(spec.model, platform, o));
  *problem = LoadProblem(inputs);

  Result r;
  r.objective = req.objective;
  r.solver = rec.name;
  r.params = params.values();
  r.status = SolveStatus::kFeasible;
  r.solve_time_s = plan->solve_time_s;
  r.value = plan->value;
  AddBoundPart(&r.bounds, {"llm", plan->lower_bound, plan->bound_note});
  r.lower_bound = r.bounds.best_s;
  r.gap = RelativeGap(r.value, r.lower_bound);
  r.bound_above_plan = BoundAbove(r.lower_bound, r.value);
  if (r.bound_above_plan)
    r.message = fmt::format("BUG: lower bound {:.10g} is above the plan's value {:.10g}", r.lower_bound, r.value);
  else if (MeetsBound(r.value, r.lower_bound))
    r.status = SolveStatus::kOptimal;
  std::string note = plan->servers_reason;
  if (!plan->restriction_note.empty()) note += "; " + plan->restriction_note;
  r.message += (r.message.empty() ? "" : "; ") + note;
  r.llm = std::move(plan);
  return r;
}

}  // namespace diviml
