// Reports of a solve: the JSON object of SPEC.md section 8 (also the plan
// file that --out writes and `diviml eval` reads), a text summary, and a
// Gantt chart in SVG.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "diviml/bounds.h"
#include "diviml/evaluate.h"
#include "diviml/solver.h"

namespace diviml {

// Result of a solve as checked by the evaluator, with the bound beside it.
struct Outcome {
  SolveResult result;      // as the solver returned it
  Evaluation evaluation;   // Evaluate() of result.plan
  BoundReport bounds;      // ComputeBounds(), plus the solver's own bound
  double lower_bound_s = 0;
  double gap = 0;          // (makespan - lower bound) / lower bound
};

// Bounds the problem, runs the solver (passing the bound as
// known_lower_bound_s), checks its plan with Evaluate() and fills the gap.
// A plan equal to the bound is reported optimal.
Outcome SolveAndCheck(const Problem& problem, Solver& solver, const SolveOptions& options);

// Checks outcome->result.plan with Evaluate() against outcome->bounds:
// fills evaluation, lower_bound_s and gap; an invalid plan turns the status
// into kError, a plan meeting the bound into kOptimal.
void CheckPlan(const Problem& problem, Outcome* outcome);

// Writes the Gantt chart of a checked outcome (valid plans only) to path.
void WriteGantt(const std::string& path, const Problem& problem, const Outcome& outcome,
                const std::string& label);

// Relative gap to the lower bound; 0 when they meet, inf when lb is 0 and
// the makespan is not.
double RelativeGap(double makespan, double lower_bound);

// {format, solver, objective, status, makespan_s, lower_bound_s, gap,
//  solve_time_s, bounds, assignment, order, schedule, transfers}
nlohmann::json OutcomeToJson(const Problem& problem, const Outcome& outcome);

void PrintOutcome(const Problem& problem, const Outcome& outcome, std::ostream& out);

struct GanttOptions {
  std::string title;
  double lower_bound_s = 0;  // marked with a dashed line when > 0
};
// One lane per device, transfers drawn between lanes, makespan and lower
// bound marked. Returns the SVG text.
std::string GanttSvg(const Problem& problem, const Plan& plan, const Schedule& schedule,
                     const GanttOptions& options);

}  // namespace diviml
