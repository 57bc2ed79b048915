// Reads a plan file (diviml-plan-v1, as `diviml solve --out` writes it).
// The assignment {node: device} is required; the order on each device comes
// from "order" {device: [nodes]}, else from "schedule" (by start_s), else
// from "priority" [nodes]. A plan with none of them is an error.
#pragma once

#include <string>

#include "diviml/plan.h"
#include "diviml/problem.h"

namespace diviml {

Plan ParsePlanJson(const std::string& text, const std::string& source, const Problem& problem);

}  // namespace diviml
