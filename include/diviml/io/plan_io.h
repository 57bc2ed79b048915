// Reads a plan file (diviml-plan-v1, as `diviml solve --out` writes it).
// The assignment {node: device} is required; the order on each device comes
// from "order" {device: [nodes]}, else from "schedule" (by start_s), else
// from "priority" [nodes]. A plan with none of them is an error.
#pragma once

#include <string>

#include "diviml/core/plan.h"
#include "diviml/core/problem.h"
#include "diviml/core/throughput_model.h"

namespace diviml {

Plan ParsePlanJson(const std::string& text, const std::string& source, const Problem& problem);

// A throughput plan: "replica_assignment" [{node: device}, ...] (or a plain
// "assignment" as R = 1); InputError "FILE: problem" otherwise.
ThroughputPlan ParseThroughputPlanJson(const std::string& text, const std::string& source,
                                       const Problem& problem);

}  // namespace diviml
