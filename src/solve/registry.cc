// Solver registry: an explicit list of every solver by its command-line name
// (SPEC.md section 8). MakeSolver is O(number of solvers).
#include <memory>
#include <string>
#include <vector>

#include "diviml/heuristics.h"
#include "diviml/milp.h"
#include "diviml/solver.h"
#include "diviml/split.h"

namespace diviml {
namespace {

struct Entry {
  const char* name;
  std::unique_ptr<Solver> (*make)();
};

const Entry kSolvers[] = {
    {"single", [] { return MakeSingleSolver(); }},
    {"heft", [] { return MakeHeftSolver(); }},
    {"peft", [] { return MakePeftSolver(); }},
    {"cpop", [] { return MakeCpopSolver(); }},
    {"etf", [] { return MakeEtfSolver(); }},
    {"rls", [] { return MakeRandomListSolver(); }},
    {"milp", [] { return MakeMilpSolver(); }},
    {"split", [] { return MakeSplitSolver(); }},
    // ---- LEAD: add the exact and module-based solvers here, e.g.
    //   {"milp", [] { return MakeMilpSolver(); }},
    //   {"split", [] { return MakeSplitSolver(); }},
    // (and include their headers above). ----
};

}  // namespace

std::unique_ptr<Solver> MakeSolver(const std::string& name) {
  for (const Entry& e : kSolvers)
    if (name == e.name) return e.make();
  return nullptr;
}

std::vector<std::string> SolverNames() {
  std::vector<std::string> names;
  for (const Entry& e : kSolvers) names.emplace_back(e.name);
  return names;
}

}  // namespace diviml
