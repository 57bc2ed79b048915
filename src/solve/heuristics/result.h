// Filling a SolveResult from a heuristic's placement: plan, the solver's own
// schedule (node times plus one transfer per cross-device edge, starting at
// the producer's end), makespan, status and time. O(V + E + sum of orders).
#pragma once

#include <string>
#include <vector>

#include "diviml/solve/solver.h"
#include "util/stopwatch.h"

namespace diviml::heuristics {


// True when options.known_lower_bound_s > 0 and the makespan reaches it
// (within 1e-9 relative): the plan is then optimal.
bool ReachesKnownBound(double makespan_s, const SolveOptions& options);

// Status kOptimal when ReachesKnownBound, else kFeasible.
SolveResult MakeResult(const std::string& solver, const Problem& problem,
                       const SolveOptions& options, const std::vector<int>& device,
                       std::vector<std::vector<int>> order, const std::vector<double>& start,
                       const std::vector<double>& end, const Stopwatch& clock);

// When overflows > 0 (nodes placed where no device could hold them, see
// MemoryLedger): status kNoSolutionFound (the plan is kept for the
// pipeline's evaluation but breaks a capacity) and the note, with the count,
// goes first into the message. Nothing changes when overflows == 0.
void NoteMemoryOverflow(SolveResult* result, int overflows, const std::string& note);

}  // namespace diviml::heuristics
